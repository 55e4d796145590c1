//! The shipped wildland-fire scenarios run end to end from the CLI, write their fire
//! outputs, and behave as the physics says: burned area grows, the wind shift turns the
//! head toward the village, the head's run before the shift matches the Rothermel rate,
//! spotting (and only spotting) carries the forest fire across the river, and runs are
//! deterministic (threads, repeated runs, snapshot → restore → continue).

mod common;

use common::{assert_resume_matches, assert_thread_independent, root, run_outputs};
use drillsim_engine::hazards::fire::calc::{FireCalcInput, calc_fire};
use drillsim_engine::hazards::fire::plugin::U10_PER_U20;
use drillsim_engine::hazards::fire::{FireHazards, FuelCatalog, FuelMoisture};
use drillsim_engine::sim::events::EventKind;
use drillsim_engine::{RunConfig, Simulation};

const GRASS: &str = "scenarios/fire_grassland_wind_shift.ron";
const FOREST: &str = "scenarios/fire_forest_river_spotting.ron";
/// Village of the grassland scenario, m (see its header).
const VILLAGE: (f64, f64) = (2700.0, 1800.0);
/// Start of the wind shift in the grassland scenario, s.
const SHIFT_S: f64 = 2400.0;
/// East bank of the forest scenario's river (centre line x 2000–2050 m, width 60 m), m.
const EAST_BANK_M: f64 = 2100.0;

fn sim_from_text(text: &str) -> Simulation {
    let loaded =
        drillsim_engine::scenario::parse(text, "test.ron", root().join("scenarios")).unwrap();
    Simulation::from_scenario(loaded, RunConfig::default()).unwrap()
}

fn scenario_text(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap()
}

fn fires(sim: &Simulation) -> &FireHazards {
    sim.world().resource::<FireHazards>()
}

/// Arrival time (s, +∞ if unburned) of the cell containing (x, y).
fn arrival(sim: &Simulation, x: f64, y: f64) -> f64 {
    let f = &fires(sim).fires[0].sim;
    let (c, r) = f.spec().cell_at(x, y).unwrap();
    f.arrival_at(c, r)
}

fn column(csv: &str, name: &str) -> Vec<f64> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let k = header.iter().position(|h| *h == name).unwrap();
    lines
        .map(|l| l.split(',').nth(k).unwrap().parse().unwrap())
        .collect()
}

#[test]
fn both_scenarios_run_from_the_cli_and_burned_area_grows() {
    let dir = tempfile::tempdir().unwrap();
    for (scenario, id) in [(GRASS, "grass_fire"), (FOREST, "forest_fire")] {
        let out = dir.path().join(id);
        run_outputs(scenario, &out, "2");
        for f in [
            "rasters/fire_arrival_time_s.asc",
            "rasters/fire_arrival_time_s.png",
            "rasters/fire_fireline_intensity_kw_m.asc",
            "rasters/fire_flame_length_m.asc",
            "rasters/fire_type.asc",
        ] {
            assert!(out.join(f).is_file(), "{scenario}: missing {f}");
        }
        let geo: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(out.join(format!("fire/{id}_perimeter.geojson"))).unwrap(),
        )
        .unwrap();
        let geo_area = geo["features"][0]["properties"]["burned_area_m2"]
            .as_f64()
            .unwrap();
        let csv = std::fs::read_to_string(out.join("timeseries.csv")).unwrap();
        let area = column(&csv, "fire_burned_area_m2");
        assert!(area.len() >= 9);
        // Fire area grows strictly in every 10-min interval (wind ≥ 8 m/s, continuous fuel).
        for w in area.windows(2) {
            assert!(w[1] > w[0], "{scenario}: area did not grow: {area:?}");
        }
        // The traced perimeter encloses the burned cells: contour through cell centres
        // cuts about half a cell along the perimeter, so allow 10 %.
        let last = *area.last().unwrap();
        assert!(
            (geo_area - last).abs() / last < 0.10,
            "{scenario}: perimeter area {geo_area} vs cells {last}"
        );
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap())
                .unwrap();
        let results = summary["results"].as_array().unwrap();
        let fire = results.iter().find(|r| r[0] == "fire").unwrap();
        assert_eq!(fire[1]["fires"][0]["id"], id);
        assert_eq!(fire[1]["fires"][0]["burned_area_m2"].as_f64(), Some(last));
    }
}

#[test]
fn head_run_before_the_shift_matches_rothermel() {
    // Before the shift the westerly is constant, so the head moves east at the Rothermel
    // head rate of GR2 for the 20-ft wind U10/1.15 (calc_fire is validated against
    // BehavePlus in tests/fire_validation.rs). Tolerance: one 30 m cell (the head cell is
    // discrete) plus 5 % (MTT angular error and epoch sampling).
    let mut sim = Simulation::from_file(&root().join(GRASS), RunConfig::default()).unwrap();
    sim.run_until(SHIFT_S);
    let cat = FuelCatalog::load_builtin().unwrap();
    let r = calc_fire(
        &FireCalcInput {
            fuel: "GR2".into(),
            moisture: FuelMoisture::from_percent(4.0, 5.0, 6.0, 30.0, 60.0),
            wind_20ft_m_s: Some(8.0 / U10_PER_U20),
            midflame_wind_m_s: None,
            wind_from_deg: 270.0,
            slope_pct: 0.0,
            aspect_deg: 0.0,
            canopy_cover: 0.0,
            canopy_height_m: 0.0,
            canopy_base_height_m: 0.0,
            elapsed_s: SHIFT_S,
        },
        &cat,
    )
    .unwrap();
    let f = &fires(&sim).fires[0].sim;
    let (c0, r0) = f.spec().cell_at(900.0, 3300.0).unwrap();
    let head = (c0..f.spec().width)
        .filter(|&c| f.arrival_at(c, r0) <= SHIFT_S)
        .max()
        .unwrap();
    let run_m = (head - c0) as f64 * 30.0;
    let expected = r.head_distance_m;
    assert!(
        (run_m - expected).abs() <= 30.0 + 0.05 * expected,
        "head ran {run_m} m, Rothermel {expected} m"
    );
}

#[test]
fn wind_shift_turns_the_head_toward_the_village() {
    let text = scenario_text(GRASS);
    let mut shifted = sim_from_text(&text);
    shifted.run_to_end(|_| {});
    let t_village = arrival(&shifted, VILLAGE.0, VILLAGE.1);
    assert!(
        t_village > SHIFT_S && t_village < 7200.0,
        "village reached at {t_village} s"
    );
    // Along the line from the ignition to the village, arrival times increase: the
    // head runs toward the village rather than the village being reached by a flank.
    let (x0, y0) = (1800.0, 3300.0);
    let mut prev = 0.0;
    for k in 0..=6 {
        let f = f64::from(k) / 6.0;
        let t = arrival(
            &shifted,
            x0 + f * (VILLAGE.0 - x0),
            y0 + f * (VILLAGE.1 - y0),
        );
        assert!(
            t.is_finite() && t >= prev,
            "arrival {t} after {prev} at step {k}"
        );
        prev = t;
    }
    // Without the shift the westerly keeps the head running east: the village, 1.5 km
    // south of the fire's axis, is only reached by the slow flank, which does not get
    // there within the two hours.
    let steady = text.replace(
        "(t_s: 2700.0, speed_m_s: 9.0, from_deg: 315.0)",
        "(t_s: 2700.0, speed_m_s: 9.0, from_deg: 270.0)",
    );
    assert_ne!(steady, text);
    let mut steady = sim_from_text(&steady);
    steady.run_to_end(|_| {});
    assert!(arrival(&steady, VILLAGE.0, VILLAGE.1).is_infinite());
    // ... and the head then lies further east than with the shift.
    assert!(arrival(&steady, 3600.0, 3300.0) < arrival(&shifted, 3600.0, 3300.0));
}

/// Largest x of a burned cell at the end of a run, m.
fn max_burned_x(sim: &Simulation) -> f64 {
    let f = &fires(sim).fires[0].sim;
    let s = *f.spec();
    let mut best = f64::NEG_INFINITY;
    for r in 0..s.height {
        for c in 0..s.width {
            if f.is_burned(c, r) {
                best = best.max(s.cell_center(c, r)[0]);
            }
        }
    }
    best
}

#[test]
fn spotting_carries_the_forest_fire_across_the_river_and_only_spotting() {
    let text = scenario_text(FOREST);
    let mut a = sim_from_text(&text);
    a.run_to_end(|_| {});
    let f = &fires(&a).fires[0];
    assert!(f.crown_cells > 0, "no crown fire");
    assert!(
        max_burned_x(&a) > EAST_BANK_M,
        "fire did not cross the river"
    );
    let breach = a
        .events()
        .iter()
        .find(|e| e.kind == EventKind::FirelineBreached)
        .expect("a FirelineBreached event");
    // The spot fire lies east of the river's east bank (centre line x = 2000 + y/60,
    // half-width 30 m).
    let [bx, by] = breach.position.unwrap();
    assert!(bx > 2000.0 + by / 60.0 + 30.0, "breach at ({bx}, {by})");
    assert!(
        a.events()
            .iter()
            .any(|e| e.kind == EventKind::SpotFireIgnited)
    );
    // Same seed, same result.
    let mut b = sim_from_text(&text);
    b.run_to_end(|_| {});
    assert_eq!(a.events(), b.events());
    assert_eq!(a.snapshot().unwrap(), b.snapshot().unwrap());
    // Without spotting the 60 m river stops the fire (the MTT edges cannot cross it),
    // even when it is lit 150 m upwind of the west bank.
    let no_spot = text
        .replace(
            "spotting: (ember_probability: 0.05, ignition_probability: 0.6, ignition_delay_s: 120.0),",
            "",
        )
        .replace("(x_m: 1300.0, y_m: 1500.0)", "(x_m: 1800.0, y_m: 1500.0)");
    assert_ne!(no_spot, text);
    let mut c = sim_from_text(&no_spot);
    c.run_to_end(|_| {});
    let reach = max_burned_x(&c);
    assert!(reach > 1900.0, "did not reach the river: {reach}");
    assert!(reach < 2000.0, "crossed without spotting: {reach}");
}

#[test]
fn outputs_are_identical_across_runs_and_thread_counts() {
    for scenario in [GRASS, FOREST] {
        assert_thread_independent(scenario);
    }
}

#[test]
fn snapshot_restore_continue_equals_uninterrupted() {
    for scenario in [FOREST, GRASS] {
        assert_resume_matches(scenario, 1800.0);
    }
}

#[test]
fn a_fire_that_cannot_start_is_reported_not_a_panic() {
    // An ignition outside the 4.5 × 3.9 km grid: the run still builds, the fire is left
    // out and the reason is logged at t = 0.
    let text =
        scenario_text(GRASS).replace("(x_m: 900.0, y_m: 3300.0)", "(x_m: 9000.0, y_m: 3300.0)");
    let mut sim = sim_from_text(&text);
    let e = sim
        .events()
        .iter()
        .find(|e| e.kind == EventKind::HazardEnded)
        .expect("a HazardEnded event");
    assert!(e.message.contains("outside the grid"), "{}", e.message);
    assert!(fires(&sim).fires.is_empty());
    sim.run_until(600.0);
    assert_eq!(sim.series().last("fire_burned_area_m2"), Some(0.0));
}

#[test]
fn forest_crown_fire_runs_downwind_over_the_hills_at_the_rothermel_rate() {
    // Active crown fire spreads downwind at R_active = 3.34 R_FM10(0.4 U₂₀) (Rothermel
    // 1991; scenario moisture, U₂₀ = 10 m/s / 1.15 → 0.367 m/s) with no slope term, also
    // on the lee slopes of the hills (where the surface head points upslope, into the
    // wind). The head must reach 450 m east of the ignition (spotting off) within 1.2 ×
    // the flat-ground time; the margin covers ground distance on slopes and cells in
    // passive crown fire. Before the fix the crown head followed the surface head
    // upslope and backed downwind at ~2 % of R_active (90 m in 40 min).
    use drillsim_engine::hazards::fire::FuelBed;
    use drillsim_engine::hazards::fire::crown::rothermel_active_ros_m_s;
    let text = scenario_text(FOREST).replace(
        "spotting: (ember_probability: 0.05, ignition_probability: 0.6, ignition_delay_s: 120.0),",
        "",
    );
    // The free-burning rate: without the drill's response (its engines wet the cells in
    // front of the head), i.e. the scenario up to its `roads` section.
    let text = match text.find("    roads:") {
        Some(i) => format!("{})\n", &text[..i]),
        None => text,
    };
    let mut sim = sim_from_text(&text.replace("duration_s: 5400.0", "duration_s: 2400.0"));
    sim.run_to_end(|_| {});
    let cat = FuelCatalog::load_builtin().unwrap();
    let m = FuelMoisture::from_percent(4.0, 5.0, 7.0, 60.0, 80.0);
    let fm10 = FuelBed::new(cat.get("FM10").unwrap(), &m).unwrap();
    let r = rothermel_active_ros_m_s(&fm10, 10.0 / U10_PER_U20);
    let t = arrival(&sim, 1750.0, 1500.0);
    println!(
        "head 450 m downwind at {t:.0} s; flat-ground time {:.0} s",
        450.0 / r
    );
    assert!(
        t <= 1.2 * 450.0 / r,
        "head 450 m downwind at {t} s (R_active {r} m/s)"
    );
}
