//! Simulation-core benchmarks: an empty agent tick (no hazards, no agents) on a
//! 2000×2000 grid, a full snapshot of that run, and procedural terrain generation.
//!
//! `cargo bench --bench core -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use drillsim_engine::scenario::parse;
use drillsim_engine::{RunConfig, Simulation};

const SCENARIO: &str = r#"Scenario(
    meta: (name: "bench 2000x2000"),
    run: (duration_s: 7.0e6, tick_s: 10.0),
    map: (width: 2000, height: 2000, cell_size_m: 10.0, terrain: Hills((
        base_elevation_m: 100.0, count: 40, max_height_m: 300.0, radius_m: (300.0, 1500.0), seed: 3,
    ))),
    weather: (wind: [(t_s: 0.0, speed_m_s: 3.0, from_deg: 270.0), (t_s: 7.0e6, speed_m_s: 5.0, from_deg: 90.0)]),
)"#;

fn sim() -> Simulation {
    let loaded = parse(SCENARIO, "bench.ron", ".".into()).expect("valid bench scenario");
    Simulation::from_scenario(loaded, RunConfig::default()).expect("builds")
}

fn core(c: &mut Criterion) {
    let mut s = sim();
    let start = s.snapshot().unwrap();
    // Only live ticks are timed: the run is rewound (untimed) whenever it finishes.
    c.bench_function("empty_tick_2000x2000", |b| {
        b.iter_custom(|iters| {
            let mut total = std::time::Duration::ZERO;
            for _ in 0..iters {
                if s.finished() {
                    s.restore(&start).unwrap();
                }
                let t = std::time::Instant::now();
                black_box(s.step());
                total += t.elapsed();
            }
            total
        });
    });
    let s = sim();
    c.bench_function("snapshot_2000x2000", |b| {
        b.iter(|| black_box(s.snapshot().unwrap().len()));
    });
    let mut g = c.benchmark_group("build");
    g.sample_size(10);
    g.bench_function("build_2000x2000_hills", |b| {
        b.iter(|| black_box(sim().time_s()));
    });
    g.finish();
}

criterion_group!(benches, core);
criterion_main!(benches);
