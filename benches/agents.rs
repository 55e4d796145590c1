//! Response benchmark: ticks per second with 500 teams and 50,000 evacuees (1000 groups
//! of 50) on a 2000×2000 grid (10 m cells) while a local-inertial flood spreads from the
//! west edge; 20 shelters, a street grid every 300 m, every group warned at t = 0.
//!
//! `cargo bench --bench agents -- --warm-up-time 1 --measurement-time 10`

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use drillsim_engine::scenario::parse;
use drillsim_engine::{RunConfig, Simulation};

fn scenario() -> String {
    let mut s = String::from(
        r#"Scenario(
    meta: (name: "bench agents 2000x2000"),
    run: (duration_s: 86400.0, tick_s: 10.0, seed: 1),
    map: (width: 2000, height: 2000, cell_size_m: 10.0, terrain: Slope(elevation_m: 12.0, gradient: 0.0005, uphill_toward_deg: 90.0)),
    hazards: [Flood((
        solver: LocalInertial,
        initial_water: [(region: Rectangle(min: (0.0, 0.0), max: (1500.0, 20000.0)), level_m: 13.0)],
    ))],
    roads: Some(Grid(spacing_m: 300.0)),
    facilities: [
"#,
    );
    for b in 0..10 {
        let (x, y) = (18_500.0, 1000.0 + 2000.0 * f64::from(b));
        writeln!(
            s,
            "        Base(site: (id: \"base{b}\", location_xy_m: ({x}, {y})), kind: FireStation),"
        )
        .unwrap();
    }
    for k in 0..20 {
        let (x, y) = (
            16_000.0 + 1000.0 * f64::from(k % 4),
            1000.0 + 4000.0 * f64::from(k / 4),
        );
        writeln!(s, "        Shelter(site: (id: \"sh{k}\", location_xy_m: ({x}, {y})), capacity: 5000, intake_people_h: 3000.0),").unwrap();
    }
    s.push_str("        Depot(site: (id: \"depot\", location_xy_m: (19000.0, 10000.0)), stock: (rations: 100000.0)),\n    ],\n    forces: [\n");
    let presets = [
        "fire_engine",
        "water_rescue_boat",
        "sar_team",
        "evacuation_bus",
        "supply_truck",
    ];
    for b in 0..10 {
        for (p, name) in presets.iter().enumerate() {
            writeln!(s, "        Team((id: \"t{b}-{p}\", preset: \"{name}\", count: 10, base: \"base{b}\")),").unwrap();
        }
    }
    s.push_str("    ],\n    population: [\n");
    for g in 0..1000u32 {
        let (x, y) = (
            500.0 + 14.0 * f64::from(g % 1000),
            500.0 + 19.0 * f64::from(g),
        );
        let vulnerable = if g % 50 == 0 {
            ", vulnerable: Some(CareHome)"
        } else {
            ""
        };
        writeln!(s, "        Group((site: (id: \"g{g}\", location_xy_m: ({x}, {y})), people: 50, action: Evacuate(shelter: None), warning_s: Some(0.0), warning_delay_s: {}{vulnerable})),", 60 * (g % 30)).unwrap();
    }
    s.push_str("    ],\n)\n");
    s
}

fn agents(c: &mut Criterion) {
    let text = scenario();
    let loaded = parse(&text, "bench_agents.ron", ".".into()).expect("valid bench scenario");
    let mut s = Simulation::from_scenario(loaded, RunConfig::default()).expect("builds");
    // Warm up into the busy phase: everyone warned, groups on the roads, teams out.
    s.run_until(600.0);
    let start = s.snapshot().unwrap();
    let mut g = c.benchmark_group("agents");
    g.sample_size(10);
    g.bench_function("tick_500_teams_50000_people_flood_2000x2000", |b| {
        b.iter_custom(|iters| {
            let mut total = std::time::Duration::ZERO;
            for k in 0..iters {
                if k % 60 == 0 {
                    s.restore(&start).unwrap(); // stay in the busy first 10 minutes
                }
                let t = std::time::Instant::now();
                black_box(s.step());
                total += t.elapsed();
            }
            total
        });
    });
    g.finish();
}

criterion_group!(benches, agents);
criterion_main!(benches);
