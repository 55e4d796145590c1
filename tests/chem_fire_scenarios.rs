//! Chemical fires and explosions as time-stepped hazards: the shipped LPG BLEVE scenario
//! runs from the CLI and writes its outputs; threat-zone distances on the grid agree with
//! the point models of `drillsim calc` within one cell; the time-stepped thermal dose
//! equals the point model's q^{4/3}·t; a pool fire burns its inventory (a dormant fire
//! waiting for `HazardActivation::activate` is tested beside the plugin); a cloud ignition with nothing flammable only
//! logs; references to unknown releases are located errors; runs are thread-independent
//! and resume exactly from a snapshot.

mod common;

use common::{assert_resume_matches, assert_thread_independent, drillsim, root, text};
use drillsim_engine::hazards::chem_fire::bleve::Fireball;
use drillsim_engine::hazards::chem_fire::calc::{BleveCalcInput, PoolFireCalcInput, VceCalcInput};
use drillsim_engine::hazards::chem_fire::event::ActiveSource;
use drillsim_engine::hazards::chem_fire::plugin::{ChemFireHazards, EventState};
use drillsim_engine::hazards::chemicals::ChemicalLibrary;
use drillsim_engine::sim::events::EventKind;
use drillsim_engine::{RunConfig, Simulation};

const LPG: &str = "scenarios/chem_lpg_bleve.ron";

fn lib() -> ChemicalLibrary {
    ChemicalLibrary::load_builtin().unwrap()
}

fn chem_fire(sim: &Simulation) -> &ChemFireHazards {
    sim.world().resource::<ChemFireHazards>()
}

fn sim_of(text: &str) -> Result<Simulation, String> {
    drillsim_engine::scenario::parse(text, "test.ron", root())
        .and_then(|s| Simulation::from_scenario(s, RunConfig::default()))
        .map_err(|e| e.to_string())
}

#[test]
fn lpg_bleve_runs_from_the_cli_and_writes_fire_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let out = drillsim(
        &["run", LPG, "--out", dir.path().to_str().unwrap(), "--quiet"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
    for f in [
        "rasters/chem_fire_peak_flux_kw_m2.asc",
        "rasters/chem_fire_overpressure_kpa.asc",
        "rasters/chem_fire_fatality.png",
        "zones/chem_fire_thermal.geojson",
        "zones/chem_fire_overpressure.geojson",
        "zones/chem_fire_flash.geojson",
    ] {
        assert!(dir.path().join(f).exists(), "missing {f}");
    }
    let thermal =
        std::fs::read_to_string(dir.path().join("zones/chem_fire_thermal.geojson")).unwrap();
    assert!(thermal.contains("5 kW/m²") && thermal.contains("MultiPolygon"));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("summary.json")).unwrap())
            .unwrap();
    let cf = summary["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[0] == "chem_fire")
        .map(|r| r[1].clone())
        .expect("a chem_fire summary entry");
    // The flash fire burnt part of the drifting cloud: a footprint above the LEL exists.
    assert!(cf["flash_fire_area_m2"].as_f64().unwrap() > 0.0, "{cf}");
    let events = std::fs::read_to_string(dir.path().join("events.jsonl")).unwrap();
    assert!(events.contains("BLEVE fireball") && events.contains("Flash fire"));
    // The time series catches the burning fireball (5 s rows, fireball 60–71.8 s).
    let series = std::fs::read_to_string(dir.path().join("timeseries.csv")).unwrap();
    let header: Vec<&str> = series.lines().next().unwrap().split(',').collect();
    let col = header
        .iter()
        .position(|h| *h == "chem_fire_thermal_area_5kw_m2")
        .unwrap();
    let max_area = series
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(col).unwrap().parse::<f64>().unwrap())
        .fold(0.0, f64::max);
    assert!(max_area > 0.0);
}

#[test]
fn fireball_zones_and_dose_agree_with_the_point_model() {
    let mut sim = Simulation::from_file(&root().join(LPG), RunConfig::default()).unwrap();
    sim.run_until(62.0);
    // Scenario weather: 25 °C, 60 % RH (default humidity); fireball of 18 t at (300, 300).
    let calc = BleveCalcInput {
        chemical: "propane".into(),
        mass_kg: 18_000.0,
        burst_pressure_pa: None,
        storage_temperature_k: None,
        flash_fraction_mass: false,
        air_temperature_k: 298.15,
        relative_humidity: 0.6,
    }
    .run(&lib())
    .unwrap();
    let fb: &Fireball = &calc.fireball;
    let hz = chem_fire(&sim);
    // While it burns, the flux query is the fireball's flux at that ground distance.
    let q = hz.thermal_flux_at_w_m2(300.0, 600.0);
    assert!(
        (q / fb.flux_at(300.0, 0.6, 298.15) - 1.0).abs() < 1e-12,
        "{q}"
    );
    let ev = hz.events.iter().find(|e| e.label == "fireball").unwrap();
    // Zone distances on a 10 m grid: the farthest cell centre inside a circle of radius d
    // lies within one cell of d, so |grid − calc| ≤ 10 m.
    for (z, c) in ev.zones.iter().zip(&calc.thermal) {
        let d = c.distance_m.unwrap();
        assert!(
            (z.max_distance_m - d).abs() <= 10.0,
            "{}: grid {} vs calc {d}",
            z.level,
            z.max_distance_m
        );
    }
    sim.run_until(120.0);
    let hz = chem_fire(&sim);
    assert_eq!(hz.thermal_flux_at_w_m2(300.0, 600.0), 0.0, "burnt out");
    let ev = hz.events.iter().find(|e| e.label == "fireball").unwrap();
    assert_eq!(ev.state, EventState::Ended);
    // The dose summed over the ticks it burnt (60–65, 65–70, 70–71.8 s) is the point
    // model's q^{4/3}·t for the whole duration: the time-stepping conserves the dose
    // (f64 flux, three overlaps summing to the duration: 1e-9 relative).
    let spec = *hz.dose.spec();
    for col in [35usize, 40, 50, 70] {
        let [x, y] = spec.cell_center(col, 60);
        let r = (x - 300.0).hypot(y - 300.0);
        let expect = fb.flux_at(r, 0.6, 298.15).powf(4.0 / 3.0) * fb.duration_s;
        let got = *hz.dose.get(col, 60);
        assert!(
            (got / expect - 1.0).abs() < 1e-9,
            "r {r}: {got} vs {expect}"
        );
        // Lethality follows the calc's 50 % distance.
        let p = hz.fatality_fraction_at(x, y);
        let d50 = calc.lethal_50pct_m.unwrap();
        assert_eq!(p >= 0.5, r <= d50, "r {r}, P {p}, d50 {d50}");
    }
}

const POOL_AND_BLAST: &str = r#"Scenario(
    meta: (name: "pool fire and blast"),
    run: (duration_s: 120.0, tick_s: 10.0),
    map: (width: 100, height: 100, cell_size_m: 5.0, terrain: Flat(elevation_m: 0.0)),
    weather: (
        wind: [(t_s: 0.0, speed_m_s: 4.0, from_deg: 270.0)],
        temperature_c: Constant(20.0),
        relative_humidity_pct: Constant(50.0),
    ),
    hazards: [
        ChemicalFire((
            name: "bund fire",
            chemical: "benzene",
            location_xy_m: (150.0, 250.0),
            kind: PoolFire(diameter_m: Some(10.0), mass_kg: Some(2000.0)),
        )),
        ChemicalFire((
            name: "blast",
            chemical: "propane",
            location_xy_m: (350.0, 250.0),
            start_s: 30.0,
            kind: Explosion(mass_kg: 1000.0, method: Tnt(efficiency: 0.03)),
        )),
    ],
)"#;

#[test]
fn pool_fire_and_explosion_agree_with_calc_within_one_cell() {
    let mut sim = sim_of(POOL_AND_BLAST).unwrap();
    sim.run_until(20.0);
    assert_eq!(
        chem_fire(&sim).overpressure_at_pa(400.0, 250.0),
        0.0,
        "not yet"
    );
    sim.run_until(40.0);
    let hz = chem_fire(&sim);
    let pool = PoolFireCalcInput {
        chemical: "benzene".into(),
        diameter_m: 10.0,
        wind_m_s: 4.0,
        air_temperature_k: 293.15,
        relative_humidity: 0.5,
    }
    .run(&lib())
    .unwrap();
    // Wind from the west: the flame tilts east, so the farthest reach of each level is
    // the calc's downwind distance. 5 m cells: within one cell.
    let fire = &hz.events[0];
    assert_eq!(fire.state, EventState::Burning);
    for (z, c) in fire.zones.iter().zip(&pool.downwind) {
        let d = c.distance_m.unwrap();
        assert!(
            (z.max_distance_m - d).abs() <= 5.0,
            "{}: {} vs {d}",
            z.level,
            z.max_distance_m
        );
    }
    // The flux east (downwind) of the pool is larger than west at the same distance.
    assert!(hz.thermal_flux_at_w_m2(180.0, 250.0) > hz.thermal_flux_at_w_m2(120.0, 250.0));
    // Inventory balance: the fire burns 2000 kg at the Burgess rate over the pool area.
    let burn_s = fire.end_s - fire.start_s;
    let burnt = pool.fire.burning_rate_kg_m2_s * std::f64::consts::PI * 25.0 * burn_s;
    assert!((burnt / 2000.0 - 1.0).abs() < 1e-9, "{burnt}");
    let vce = VceCalcInput {
        chemical: "propane".into(),
        mass_kg: 1000.0,
        efficiency: 0.03,
        method: Default::default(),
    }
    .run(&lib())
    .unwrap();
    let blast = &hz.events[1];
    assert_eq!(blast.state, EventState::Ended);
    for (z, c) in blast.zones.iter().zip(&vce.overpressure) {
        let d = c.distance_m.unwrap();
        assert!(
            (z.max_distance_m - d).abs() <= 5.0,
            "{}: {} vs {d}",
            z.level,
            z.max_distance_m
        );
    }
    let Some(ActiveSource::Blast { blast: b, .. }) = &blast.source else {
        panic!("a blast")
    };
    let p = hz.overpressure_at_pa(400.0, 250.0);
    assert!((p / b.overpressure_pa(50.0) - 1.0).abs() < 1e-12);
    // The overpressure raster holds the same peak at cell centres (f32).
    let g = &hz.overpressure;
    let (c, r) = g.spec().cell_at(402.5, 252.5).unwrap();
    let d = (402.5f64 - 350.0).hypot(2.5);
    assert!((f64::from(*g.get(c, r)) / b.overpressure_pa(d) - 1.0).abs() < 1e-6);
}

const NOTHING_FLAMMABLE: &str = r#"Scenario(
    meta: (name: "weak leak"),
    run: (duration_s: 200.0, tick_s: 10.0),
    map: (width: 60, height: 60, cell_size_m: 10.0, terrain: Flat(elevation_m: 0.0)),
    hazards: [
        ChemicalRelease((
            name: Some("leak"),
            chemical: "propane",
            source: Direct(Continuous(rate_kg_s: 0.01, duration_s: 600.0)),
            location_xy_m: (100.0, 300.0),
        )),
        ChemicalFire((
            name: "spark",
            chemical: "propane",
            location_xy_m: (150.0, 300.0),
            start_s: 120.0,
            kind: CloudIgnition(release: "leak", mode: Explosion(flame_mach: 0.35)),
        )),
    ],
)"#;

#[test]
fn igniting_a_cloud_without_flammable_mass_only_logs() {
    // 0.01 kg/s in 10 s puffs of σ ≥ 3 m: peak ≈ 0.1 kg / ((2π)^{3/2}·27 m³) ≈ 2e-4 kg/m³,
    // far below propane's LEL (2.1 % v/v ≈ 0.038 kg/m³): nothing can burn.
    let mut sim = sim_of(NOTHING_FLAMMABLE).unwrap();
    sim.run_to_end(|_| {});
    let hz = chem_fire(&sim);
    assert!(hz.events[0].source.is_none());
    assert_eq!(hz.events[0].state, EventState::Ended);
    assert!(hz.overpressure.data().iter().all(|&p| p == 0.0));
    assert!(hz.flash.data().iter().all(|&z| z == 0));
    let msgs: Vec<&str> = sim
        .events()
        .iter()
        .filter(|e| e.subject == "spark")
        .map(|e| e.message.as_str())
        .collect();
    assert!(msgs.iter().any(|m| m.contains("nothing burnt")), "{msgs:?}");
    assert!(
        sim.events()
            .iter()
            .all(|e| e.kind != EventKind::LevelExceeded || e.subject != "spark")
    );
}

#[test]
fn unknown_release_and_bad_values_are_located_errors() {
    let bad = NOTHING_FLAMMABLE.replace("release: \"leak\"", "release: \"lek\"");
    let e = sim_of(&bad).unwrap_err();
    assert!(e.contains("did you mean \"leak\""), "{e}");
    assert!(e.contains("test.ron:"), "{e}");
    // The ignition must name the release's own chemical.
    let bad = NOTHING_FLAMMABLE.replace(
        "name: \"spark\",\n            chemical: \"propane\"",
        "name: \"spark\",\n            chemical: \"methane\"",
    );
    let e = sim_of(&bad).unwrap_err();
    assert!(
        e.contains("hazards[1].chemical") || e.contains("chemical of release"),
        "{e}"
    );
    let bad = POOL_AND_BLAST.replace("mass_kg: 1000.0", "mass_kg: -5.0");
    let e = sim_of(&bad).unwrap_err();
    assert!(e.contains("mass_kg"), "{e}");
}

#[test]
fn lpg_bleve_is_thread_independent_and_resumes_exactly() {
    assert_thread_independent(LPG);
    // Snapshot during the fireball (65 s) and between the fireball and the flash fire.
    assert_resume_matches(LPG, 65.0);
    assert_resume_matches(LPG, 120.0);
}
