//! Wildland fire benchmarks: Rothermel point evaluations and a 6-hour fire on a
//! 1000×1000 grid. Run with
//! `cargo bench --bench fire -- --warm-up-time 1 --measurement-time 3`.

use criterion::{Criterion, criterion_group, criterion_main};
use drillsim_engine::hazards::fire::{
    FireConfig, FireSim, FuelBed, FuelCatalog, FuelMoisture, Landscape, seeded_rng,
};
use drillsim_engine::world::grid::{Grid, GridSpec};
use std::hint::black_box;

fn rothermel(c: &mut Criterion) {
    let cat = FuelCatalog::load_builtin().unwrap();
    let m = FuelMoisture::from_percent(6.0, 7.0, 8.0, 60.0, 90.0);
    let gs4 = cat.get("GS4").unwrap().clone();
    let bed = FuelBed::new(&gs4, &m).unwrap();
    let mut g = c.benchmark_group("rothermel");
    g.throughput(criterion::Throughput::Elements(1));
    g.bench_function("fuel_bed_and_spread", |b| {
        b.iter(|| {
            let bed = FuelBed::new(black_box(&gs4), black_box(&m)).unwrap();
            bed.spread(black_box(2.2), 45.0, 0.3, 180.0)
        });
    });
    g.bench_function("spread_wind_slope", |b| {
        b.iter(|| black_box(&bed).spread(black_box(2.2), black_box(45.0), 0.3, 180.0));
    });
    g.finish();
}

fn six_hour_fire(c: &mut Criterion) {
    let cat = FuelCatalog::load_builtin().unwrap();
    let spec = GridSpec {
        width: 1000,
        height: 1000,
        cell_size: 30.0,
        origin: [0.0, 0.0],
    };
    // Mixed fuels in bands (grass, grass-shrub, timber understory) on a gentle DEM.
    let codes = ["GR2", "GS2", "TU1", "GR4"];
    let idx: Vec<u16> = codes
        .iter()
        .map(|c| cat.index_of(c).unwrap() as u16)
        .collect();
    let fuel = Grid::from_fn(spec, |c, r| idx[((c / 97) + (r / 131)) % idx.len()]);
    let dem = Grid::from_fn(spec, |c, r| {
        (50.0 * ((c as f64) * 0.01).sin() * ((r as f64) * 0.013).cos()) as f32
    });
    let land = Landscape {
        fuel,
        elevation_m: Some(dem),
        canopy: None,
    };
    let cfg = FireConfig::new(FuelMoisture::from_percent(4.0, 5.0, 6.0, 40.0, 70.0));
    let base = FireSim::new(&land, &cat, cfg).unwrap();
    let run = |base: &FireSim| {
        let mut sim = base.clone();
        sim.ignite_cell(300, 700, 0.0).unwrap();
        let mut rng = seeded_rng(1);
        let mut t = 0.0;
        while t < 6.0 * 3600.0 {
            // Wind veers from SW to W after 3 h.
            let dir = |t: f64| if t < 10_800.0 { 225.0 } else { 270.0 };
            sim.advance(t, 600.0, |_, _, t| (7.0, dir(t)), &mut rng)
                .unwrap();
            t += 600.0;
        }
        sim.burned_area_m2()
    };
    let area = run(&base);
    eprintln!(
        "6-h fire burns {:.0} ha ({} cells)",
        area / 1e4,
        (area / 900.0) as u64
    );
    let mut g = c.benchmark_group("fire_grid");
    g.sample_size(10);
    g.bench_function("six_hours_1000x1000_30m", |b| {
        b.iter(|| black_box(run(black_box(&base))));
    });
    g.finish();
}

criterion_group!(benches, rothermel, six_hour_fire);
criterion_main!(benches);
