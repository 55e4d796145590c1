//! Exercise layer: injects fire at the right tick, chain links fire only above their
//! threshold and with their seeded probability, roles filter what players see, live
//! injects, and objectives rated on real runs.
//!
//! The reference times come from analytic solutions of the test set-ups, not from the
//! engine: rain of 360 mm/h (0.1 mm/s) on a flat closed basin gives a depth of exactly
//! 0.1 mm per second (mass conservation), and a constant release of `q` kg/s has put
//! `q·t` kg in the air after `t` s.

use std::path::PathBuf;

use drillsim_engine::exercise::record::Rating;
use drillsim_engine::exercise::spec::{Audience, Effect, InjectSpec};
use drillsim_engine::exercise::view::Role;
use drillsim_engine::sim::events::EventKind;
use drillsim_engine::{RunConfig, Simulation};

/// A 40×40 flat closed basin (10 m cells), 0.1 mm/s of rain from t = 0, a dormant
/// chlorine release, and the exercise sections given.
fn basin(exercise: &str, seed: u64) -> Simulation {
    let text = format!(
        r#"Scenario(
    meta: (name: "演练盆地 · test basin"),
    run: (duration_s: 300.0, tick_s: 10.0, seed: {seed}),
    map: (width: 40, height: 40, cell_size_m: 10.0, origin: (x: 0.0, y: 0.0),
          terrain: Flat(elevation_m: 10.0)),
    layers: (land_cover: Uniform(Grassland)),
    weather: (
        wind: [(t_s: 0.0, speed_m_s: 3.0, from_deg: 270.0)],
        stability: Class(D),
        rain_mm_h: Constant(360.0),
        temperature_c: Constant(20.0),
    ),
    hazards: [
        Flood(()),
        ChemicalRelease((
            name: Some("氯气储罐"),
            chemical: "chlorine",
            source: Direct(Continuous(rate_kg_s: 1.0, duration_s: 600.0)),
            location_xy_m: (100.0, 200.0),
            dormant: true,
        )),
    ],
    {exercise}
)"#
    );
    let loaded = drillsim_engine::scenario::load::parse(&text, "basin.ron", PathBuf::from("."))
        .unwrap_or_else(|e| panic!("{e}"));
    Simulation::from_scenario(loaded, RunConfig::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// A message-only live inject.
fn inject(id: &str, title: &str) -> InjectSpec {
    InjectSpec {
        id: id.into(),
        title: title.into(),
        description: String::new(),
        at_s: None,
        when: None,
        audience: Audience::Players,
        expected_actions: Vec::new(),
        effects: Vec::new(),
        notes: String::new(),
    }
}

/// Checks the airborne mass of all releases: `rate` kg/s for `for_s` s. The puff model
/// emits each 10-s puff with its whole mass at the start of its interval, so the mass
/// may run up to one interval ahead.
fn assert_released(sim: &Simulation, rate: f64, for_s: f64) {
    let gas = sim
        .world()
        .resource::<drillsim_engine::hazards::gas::plugin::GasHazards>();
    let m: f64 = gas
        .releases
        .iter()
        .filter_map(|r| r.model.as_ref().ok())
        .map(|m| m.tracker().released_kg())
        .sum();
    let lo = rate * for_s;
    assert!(
        m >= lo - 1e-6 && m <= lo + rate * 10.0 + 1e-6,
        "released {m} kg, expected {lo} to {} kg",
        lo + rate * 10.0
    );
}

fn first(sim: &Simulation, kind: EventKind, subject: &str) -> Option<f64> {
    sim.events()
        .iter()
        .find(|e| e.kind == kind && e.subject == subject)
        .map(|e| e.t_s)
}

/// A time inject fires at the start of the tick at its time; a condition inject fires
/// at the start of the first tick after the state met it. Depth reaches 0.0045 m at
/// t = 45 s (0.1 mm/s), inside the tick 40–50 s, so it is seen at 50 s.
#[test]
fn time_and_condition_injects_fire_at_the_right_tick() {
    let mut sim = basin(
        r#"injects: [
            (id: "I-1", title: "暴雨红色预警", at_s: Some(60.0)),
            (id: "I-2", title: "Water at the plant",
             when: Some(Above(field: FloodDepth, at: Site("plant"), value: 0.0045))),
            (id: "I-3", title: "After I-2 and 100 s",
             at_s: Some(100.0), when: Some(InjectFired("I-2"))),
            (id: "I-4", title: "Never", when: Some(Above(field: FloodDepth, at: At(200.0, 200.0), value: 5.0))),
        ],
        exercise: Some((sites: [(id: "plant", at: (200.0, 200.0))])),"#,
        1,
    );
    sim.run_until(200.0);
    assert_eq!(first(&sim, EventKind::InjectFired, "I-1"), Some(60.0));
    assert_eq!(first(&sim, EventKind::InjectFired, "I-2"), Some(50.0));
    assert_eq!(first(&sim, EventKind::InjectFired, "I-3"), Some(100.0));
    assert_eq!(first(&sim, EventKind::InjectFired, "I-4"), None);
    let rec = sim.exercise_record().unwrap();
    assert_eq!(
        rec.injects[0].title, "暴雨红色预警",
        "Chinese labels survive"
    );
    assert_eq!(rec.injects[1].fired_s, Some(50.0));
}

/// A chain link fires only once its threshold is reached (0.00995 m at t = 99.5 s, seen at the
/// end of the tick ending at 100 s), then starts the dormant release after its delay; a
/// link whose threshold is never reached never fires.
#[test]
fn chain_link_fires_only_above_its_threshold() {
    let mut sim = basin(
        r#"chains: [
            (id: "C-1", title: "洪水淹没氯气储罐 → 泄漏",
             when: Above(field: FloodDepth, at: Site("tank"), value: 0.00995),
             delay_s: 30.0, probability: 1.0, then: [StartHazard("氯气储罐")]),
            (id: "C-2", title: "never",
             when: Above(field: FloodDepth, at: Site("tank"), value: 3.0),
             then: [Message]),
        ],
        exercise: Some((sites: [(id: "tank", at: (100.0, 200.0))])),"#,
        1,
    );
    sim.run_until(90.0);
    assert!(
        sim.events()
            .iter()
            .all(|e| e.kind != EventKind::HazardStarted || e.subject != "氯气储罐"),
        "the release must wait for the chain"
    );
    sim.run_until(300.0);
    assert_eq!(first(&sim, EventKind::ChainTriggered, "C-1"), Some(100.0));
    assert_eq!(first(&sim, EventKind::ChainFired, "C-1"), Some(130.0));
    assert_eq!(
        first(&sim, EventKind::HazardStarted, "氯气储罐"),
        Some(130.0)
    );
    assert!(first(&sim, EventKind::ChainTriggered, "C-2").is_none());
    // 1 kg/s from 130 s to 300 s.
    assert_released(&sim, 1.0, 170.0);
}

fn chain_with(p: f64, seed: u64) -> bool {
    let mut sim = basin(
        &format!(
            r#"chains: [(id: "C", when: Above(field: FloodDepth, at: At(100.0, 100.0), value: 0.002),
                probability: {p}, then: [StartHazard("氯气储罐")])],"#
        ),
        seed,
    );
    sim.run_until(60.0);
    let held = first(&sim, EventKind::ChainHeld, "C").is_some();
    let fired = first(&sim, EventKind::ChainFired, "C").is_some();
    assert!(held != fired, "threshold reached: exactly one outcome");
    fired
}

/// The link's draw comes from the run's seeded `Chains` stream: the same seed gives the
/// same outcome; p = 0 and p = 1 are certain; over 40 seeds p = 0.5 fires between 10
/// and 30 times (binomial(40, 0.5): P(outside) ≈ 0.2 %).
#[test]
fn chain_link_probability_is_seeded() {
    assert!(!chain_with(0.0, 3));
    assert!(chain_with(1.0, 3));
    let outcomes: Vec<bool> = (0..40).map(|s| chain_with(0.5, s)).collect();
    let again: Vec<bool> = (0..40).map(|s| chain_with(0.5, s)).collect();
    assert_eq!(outcomes, again, "same seed, same chain");
    let n = outcomes.iter().filter(|&&b| b).count();
    assert!((10..=30).contains(&n), "{n} of 40 fired");
}

/// The controller sees hidden injects, notes, chain draws and every hazard event; a
/// player sees only injects for players (without notes), and a hazard event only once a
/// sensor observed it, plus the reporting delay.
#[test]
fn player_view_hides_what_the_controller_sees() {
    let mut sim = basin(
        r#"injects: [
            (id: "P", title: "For players", at_s: Some(0.0), notes: "secret plan"),
            (id: "C", title: "For control", at_s: Some(0.0), audience: Controllers),
            (id: "F", title: "Future", at_s: Some(250.0)),
        ],
        chains: [(id: "L", when: After(20.0), then: [StartHazard("氯气储罐")])],
        exercise: Some((
            report_delay_s: 60.0,
            sensors: [(id: "gauge", at: (100.0, 200.0), field: FloodDepth, range_m: 50.0, interval_s: 30.0)],
        )),"#,
        1,
    );
    sim.run_until(60.0);
    let ctl = sim.role_view(Role::Controller);
    let ply = sim.role_view(Role::Player);
    assert!(ctl.hazard_fields && !ply.hazard_fields);
    assert_eq!(ctl.injects.len(), 3);
    assert_eq!(ctl.injects[0].notes, "secret plan");
    let ids: Vec<&str> = ply.injects.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["P"], "players see only delivered player injects");
    assert!(ply.injects[0].notes.is_empty());
    let has = |v: &drillsim_engine::exercise::view::RoleView, k: EventKind| {
        v.events.iter().any(|e| e.event.kind == k)
    };
    assert!(has(&ctl, EventKind::ChainTriggered) && !has(&ply, EventKind::ChainTriggered));
    // The release started at 30 s (tick after the link fired at the end of 20–30 s) at
    // the gauge: the controller knows at once, the player 60 s later.
    let started = |v: &drillsim_engine::exercise::view::RoleView| {
        v.events
            .iter()
            .find(|e| e.event.kind == EventKind::HazardStarted && e.event.subject == "氯气储罐")
            .map(|e| e.known_s)
    };
    assert!(started(&ctl).is_some());
    assert_eq!(started(&ply), None, "not yet reported to players at 60 s");
    sim.run_until(120.0);
    let ply = sim.role_view(Role::Player);
    let t_start = started(&sim.role_view(Role::Controller)).unwrap();
    assert_eq!(started(&ply), Some(t_start + 60.0));
    // Sensor readings reach players with the delay.
    let r = &ply.readings[0];
    assert!(r.t_s <= 120.0 - 60.0 + 1e-9, "reading at {}", r.t_s);
    assert!(
        (r.value - r.t_s * 1e-4).abs() < 1e-6,
        "depth {} at {}",
        r.value,
        r.t_s
    );
}

/// A live inject (wind shift) is checked, fires at the next tick, changes the weather
/// and is logged and recorded like a scripted one; a bad one is refused with a hint.
#[test]
fn live_injects_change_the_run_and_are_logged() {
    let mut sim = basin("", 1);
    sim.run_until(50.0);
    let mut shift = inject("LIVE-1", "风向突变 · wind shift");
    shift.effects = vec![Effect::Weather {
        wind_speed_m_s: Some(6.0),
        wind_from_deg: Some(90.0),
        rain_mm_h: None,
        temperature_c: None,
        for_s: None,
    }];
    sim.push_inject(shift.clone()).unwrap();
    assert!(sim.push_inject(shift).is_err(), "duplicate id refused");
    sim.step();
    assert_eq!(sim.weather().wind_from_deg, 90.0);
    assert_eq!(sim.weather().wind_speed_m_s, 6.0);
    assert_eq!(first(&sim, EventKind::InjectFired, "LIVE-1"), Some(50.0));
    let mut bad = inject("LIVE-2", "typo");
    bad.effects = vec![Effect::StartHazard("氯气储灌".into())];
    let err = sim.push_inject(bad).unwrap_err();
    assert!(err[0].hint.contains("did you mean \"氯气储罐\""), "{err:?}");
    // A live release starts and disperses.
    let mut rel = inject("LIVE-3", "new leak");
    let spec: drillsim_engine::hazards::gas::release::ChemicalReleaseSpec = ron::from_str(
        r#"(name: Some("live leak"), chemical: "ammonia",
            source: Direct(Continuous(rate_kg_s: 2.0, duration_s: 600.0)),
            location_xy_m: (150.0, 150.0))"#,
    )
    .unwrap();
    rel.effects = vec![Effect::AddRelease(Box::new(spec))];
    sim.push_inject(rel).unwrap();
    sim.run_until(160.0);
    assert_eq!(
        first(&sim, EventKind::HazardStarted, "live leak"),
        Some(60.0)
    );
    assert_released(&sim, 2.0, 100.0);
}

/// Forcing a scripted inject fires it at the next tick, once.
#[test]
fn controller_can_fire_an_inject_early() {
    let mut sim = basin(
        r#"injects: [(id: "I-9", title: "later", at_s: Some(250.0))],"#,
        1,
    );
    sim.run_until(30.0);
    sim.fire_inject_now("I-9").unwrap();
    assert!(sim.fire_inject_now("nope").is_err());
    sim.run_until(300.0);
    let fired: Vec<f64> = sim
        .events()
        .iter()
        .filter(|e| e.kind == EventKind::InjectFired && e.subject == "I-9")
        .map(|e| e.t_s)
        .collect();
    assert_eq!(fired, [30.0]);
}

/// Objectives on a real run: the release volume target (a metric reached in time) is
/// met at the analytic time; an at-most target on depth fails once depth passes it.
#[test]
fn objectives_are_rated_during_the_run() {
    let mut sim = basin(
        r#"chains: [(id: "L", when: After(0.0), then: [StartHazard("氯气储罐")])],
        objectives: [
            (id: "O-1", title: "leak mass", critical_tasks: [
                (title: "50 kg released within 60 s of onset",
                 target: MetricAtLeast(metric: "gas_released_kg", value: 50.0, within_s: 60.0)),
            ]),
            (id: "O-2", title: "keep the basin dry", critical_tasks: [
                (title: "depth at most 10.5 mm", target: MetricAtMost("max_depth_m", 0.0105), partial_factor: 1.0),
            ]),
        ],
        injects: [(id: "I-F", title: "O-2 failing", when: Some(ObjectiveFailed("O-2")))],"#,
        1,
    );
    sim.run_to_end(|_| {});
    let rec = sim.exercise_record().unwrap();
    assert_eq!(
        rec.objectives[0].rating,
        Rating::Met,
        "{:?}",
        rec.objectives[0]
    );
    // The release starts at 10 s (the link fires at the end of the first tick) at 1 kg/s:
    // 50 kg are out at 60 s, or at 50 s counting the 10-s puff emitted at 40 s whole.
    let reached = rec.objectives[0].tasks[0].reached_s.unwrap();
    assert!((50.0..=60.0).contains(&reached), "reached at {reached}");
    assert_eq!(rec.objectives[1].rating, Rating::NotMet);
    // Depth passes 10.5 mm at 105 s; the failure is decided at 110 s and the
    // inject that waits for it fires at the start of the next tick.
    assert_eq!(first(&sim, EventKind::ObjectiveFailed, "O-2"), Some(110.0));
    assert_eq!(first(&sim, EventKind::InjectFired, "I-F"), Some(110.0));
}

/// Snapshot → restore → continue gives the same exercise state as running straight on.
#[test]
fn exercise_state_survives_snapshots() {
    let ex = r#"chains: [(id: "C", when: Above(field: FloodDepth, at: At(100.0, 100.0), value: 0.005),
                probability: 0.5, delay_s: 20.0, then: [StartHazard("氯气储罐")])],
        injects: [(id: "I", title: "t", when: Some(ChainFired("C")))],"#;
    let mut a = basin(ex, 9);
    a.run_until(40.0);
    let snap = a.snapshot().unwrap();
    a.run_to_end(|_| {});
    let mut b = basin(ex, 9);
    b.run_until(120.0);
    b.restore(&snap).unwrap();
    b.run_to_end(|_| {});
    assert_eq!(a.events(), b.events());
    assert_eq!(a.exercise_record(), b.exercise_record());
}

/// Domino chain: an explosion started by an inject raises the overpressure at a tank
/// 25 m away above 3 psi (20.7 kPa) and starts a secondary release there; a tank 1.5 km
/// away stays intact. A 1 t propane cloud at 3 % TNT efficiency is ≈ 300 kg TNT: at 25 m
/// the scaled distance is ≈ 3.7 m/kg^⅓, above 50 kPa on the Kinney–Graham (1985) curve;
/// at 1.5 km it is ≈ 225 m/kg^⅓, far below 1 psi. (The blast model itself is validated
/// in `chem_fire_validation`; this test is about the chain.)
#[test]
fn explosion_overpressure_triggers_a_secondary_release() {
    let text = r#"Scenario(
    meta: (name: "domino"),
    run: (duration_s: 200.0, tick_s: 10.0, seed: 4),
    map: (width: 200, height: 40, cell_size_m: 10.0, origin: (x: 0.0, y: 0.0),
          terrain: Flat(elevation_m: 10.0)),
    weather: (wind: [(t_s: 0.0, speed_m_s: 3.0, from_deg: 270.0)], stability: Class(D)),
    hazards: [
        ChemicalFire((name: "blast", chemical: "propane", location_xy_m: (100.0, 200.0),
                      dormant: true, kind: Explosion(mass_kg: 1000.0, method: Tnt(efficiency: 0.03)))),
        ChemicalRelease((name: Some("near tank"), chemical: "ammonia", dormant: true,
                         source: Direct(Continuous(rate_kg_s: 1.0, duration_s: 600.0)),
                         location_xy_m: (125.0, 200.0))),
        ChemicalRelease((name: Some("far tank"), chemical: "ammonia", dormant: true,
                         source: Direct(Continuous(rate_kg_s: 1.0, duration_s: 600.0)),
                         location_xy_m: (1600.0, 200.0))),
    ],
    injects: [(id: "I-1", title: "explosion", at_s: Some(50.0), effects: [StartHazard("blast")])],
    chains: [
        (id: "near", when: Above(field: Overpressure, at: At(125.0, 200.0), value: 20.7),
         then: [StartHazard("near tank")]),
        (id: "far", when: Above(field: Overpressure, at: At(1600.0, 200.0), value: 6.9),
         then: [StartHazard("far tank")]),
    ],
)"#;
    let loaded = drillsim_engine::scenario::load::parse(text, "domino.ron", PathBuf::from("."))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut sim =
        Simulation::from_scenario(loaded, RunConfig::default()).unwrap_or_else(|e| panic!("{e}"));
    sim.run_to_end(|_| {});
    assert_eq!(first(&sim, EventKind::HazardStarted, "blast"), Some(50.0));
    let near = first(&sim, EventKind::ChainFired, "near")
        .unwrap_or_else(|| panic!("near tank not hit: {:#?}", sim.events()));
    assert_eq!(near, 60.0, "seen at the end of the explosion's tick");
    assert_eq!(
        first(&sim, EventKind::HazardStarted, "near tank"),
        Some(60.0)
    );
    assert_eq!(first(&sim, EventKind::ChainTriggered, "far"), None);
    assert_eq!(first(&sim, EventKind::HazardStarted, "far tank"), None);
}
