//! Chemical-release benchmarks: a full threat zone for one release (puff run, exposure
//! accumulation, zone raster and GeoJSON polygons) and concentration-field updates on a
//! 1000 × 1000 grid with 100 puffs.

use criterion::{Criterion, criterion_group, criterion_main};
use drillsim_engine::hazards::chemicals::ChemicalLibrary;
use drillsim_engine::hazards::gas::calc::PlumeCalcInput;
use drillsim_engine::hazards::gas::puff::{PuffConfig, PuffTracker};
use drillsim_engine::hazards::gas::source::Release;
use drillsim_engine::hazards::gas::stability::{Stability, Terrain};
use drillsim_engine::hazards::gas::toxic::ExposureGrids;
use drillsim_engine::hazards::gas::zones::{ZoneLevel, zone_raster, zones_geojson};
use drillsim_engine::world::{Grid, GridSpec};
use std::hint::black_box;

fn tracker(duration_s: f64, emit_s: f64) -> PuffTracker {
    let cfg = PuffConfig {
        source_xy_m: [0.0, 0.0],
        release_height_m: 1.0,
        stability: Stability::D,
        terrain: Terrain::Rural,
        emit_interval_s: emit_s,
        initial_sigma_m: 5.0,
    };
    PuffTracker::new(
        cfg,
        Release::Continuous {
            rate_kg_s: 1.0,
            duration_s,
        },
    )
    .unwrap()
}

fn threat_zone(c: &mut Criterion) {
    let lib = ChemicalLibrary::load_builtin().unwrap();
    let chlorine = lib.find("chlorine").unwrap().clone();
    c.bench_function("calc_plume_chlorine", |b| {
        let input = PlumeCalcInput {
            chemical: "chlorine".into(),
            rate_kg_s: Some(1.0),
            mass_kg: None,
            duration_s: 1800.0,
            wind_m_s: 3.0,
            stability: Some(Stability::D),
            solar_elevation_deg: None,
            cloud_cover: None,
            roughness_m: 0.03,
            release_height_m: 0.0,
            receptor_height_m: 1.5,
            air_temperature_k: 293.15,
            release_temperature_k: None,
            levels: None,
        };
        b.iter(|| black_box(input.run(&lib).unwrap()));
    });
    // 30 min release, 60 s ticks, 400 × 400 grid of 10 m: dose, AEGL zones, GeoJSON.
    let spec = GridSpec {
        width: 400,
        height: 400,
        cell_size: 10.0,
        origin: [-500.0, -2000.0],
    };
    let levels: Vec<ZoneLevel> = ["AEGL-3", "AEGL-2", "AEGL-1"]
        .iter()
        .map(|n| ZoneLevel {
            name: (*n).into(),
            threshold: chlorine.level_kg_m3(n, 60.0).unwrap(),
        })
        .collect();
    let mut group = c.benchmark_group("threat_zone");
    group.sample_size(10);
    group.bench_function("puff_30min_400x400_zones_geojson", |b| {
        b.iter(|| {
            let mut t = tracker(1800.0, 20.0);
            let mut field = Grid::filled(spec, 0.0f32);
            let mut exp = ExposureGrids::new(spec, 2.75);
            for _ in 0..30 {
                t.advance(60.0, |_, _, _| (3.0, 0.0));
                t.concentration_field(1.5, &mut field);
                exp.accumulate(&field, 60.0);
            }
            let avg = exp.time_averaged(3600.0);
            black_box(zone_raster(&avg, &levels));
            black_box(zones_geojson(&avg, &levels, "kg/m3"))
        });
    });
    group.finish();
}

fn field_update(c: &mut Criterion) {
    // 100 puffs over ~17 min of travel (stable class F, 10 m release height, so that
    // consecutive puffs stay further apart than the merge distance of 0.25 σ).
    let cfg = PuffConfig {
        source_xy_m: [0.0, 0.0],
        release_height_m: 10.0,
        stability: Stability::F,
        terrain: Terrain::Rural,
        emit_interval_s: 10.0,
        initial_sigma_m: 5.0,
    };
    let release = Release::Continuous {
        rate_kg_s: 1.0,
        duration_s: 1000.0,
    };
    let mut t = PuffTracker::new(cfg, release).unwrap();
    t.advance(1000.0, |_, _, _| (3.0, 1.0));
    assert_eq!(t.puffs().len(), 100);
    let spec = GridSpec {
        width: 1000,
        height: 1000,
        cell_size: 5.0,
        origin: [-500.0, -2000.0],
    };
    let mut field = Grid::filled(spec, 0.0f32);
    let mut group = c.benchmark_group("field");
    group.sample_size(10);
    group.bench_function("1000x1000_100_puffs", |b| {
        b.iter(|| t.concentration_field(1.5, black_box(&mut field)));
    });
    group.finish();
}

criterion_group!(benches, threat_zone, field_update);
criterion_main!(benches);
