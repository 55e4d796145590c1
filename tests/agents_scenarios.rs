//! The full-drill scenarios run from the CLI and their summaries carry the response
//! metrics: response times, containment, evacuation, shelters, supplies, casualties,
//! responder exposure and distance. (Thread independence and snapshot resume of these
//! scenarios are checked by the chem/flood/fire scenario tests, which run them whole.)

use serde_json::Value;

mod common;

fn run(name: &str) -> (Value, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let scn = common::root().join("scenarios").join(format!("{name}.ron"));
    let o = common::drillsim(
        &[
            "run",
            scn.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "-q",
        ],
        &[],
    );
    assert!(o.status.success(), "{}", common::text(&o).1);
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let response = summary["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e[0] == "response")
        .map(|e| e[1].clone())
        .expect("a response entry in the summary");
    for f in [
        "agents/tasks.csv",
        "agents/teams.geojson",
        "agents/facilities.geojson",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let events = std::fs::read_to_string(out.join("events.jsonl")).unwrap();
    let series = std::fs::read_to_string(out.join("timeseries.csv")).unwrap();
    (response, events, series)
}

fn f(v: &Value, k: &str) -> f64 {
    v[k].as_f64()
        .unwrap_or_else(|| panic!("{k} is not a number: {}", v[k]))
}

/// Columns every drill writes to the time series.
fn has_columns(series: &str) {
    let head = series.lines().next().unwrap();
    for c in [
        "teams_busy",
        "people_evacuated",
        "people_in_shelters",
        "people_supplied",
        "expected_fatalities",
        "team_distance_m",
    ] {
        assert!(head.split(',').any(|h| h == c), "no column {c}");
    }
}

#[test]
fn chlorine_park_drill() {
    let (r, events, series) = run("chem_chlorine_park");
    has_columns(&series);
    // A hazmat team reaches the leak (upwind) within minutes and makes it safe.
    let leak = r["task_details"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["label"].as_str().unwrap().starts_with("stop leak"))
        .unwrap();
    assert!(f(leak, "response_time_s") > 0.0 && f(leak, "response_time_s") < 900.0);
    assert!(leak["done_s"].is_number());
    assert_eq!(r["containment"][0]["how"], "source ran out");
    // Evacuees reach shelters, the kindergarten is carried by bus, supplies arrive.
    assert!(f(&r, "people_evacuated") >= 1500.0);
    assert!(f(&r, "people_carried_by_teams") >= 120.0 - 1e-9);
    assert!(f(&r, "people_supplied_within_4h") > 0.0);
    assert!(r["supply_window_reached"].as_bool().unwrap());
    // People near the tank are hurt; the centre sheltering in place is mostly spared.
    assert!(f(&r["expected_fatalities"], "toxic") > 0.0);
    assert!(f(&r["expected_injuries"], "toxic") > 0.0);
    assert!(f(&r, "injured_to_hospital") > 0.0);
    assert!(f(&r, "team_distance_m") > 10_000.0);
    // Ambulances (no respirators) only get through once the cloud has moved on.
    assert!(events.contains("\"TeamArrived\""));
    assert!(events.contains("\"PeopleSheltered\""));
}

#[test]
fn levee_breach_drill() {
    let (r, events, series) = run("flood_levee_breach");
    has_columns(&series);
    // Boats fetch the family from the roof; a bus moves the care home.
    let carried = f(&r, "people_carried_by_teams");
    assert!(carried >= 14.0 + 35.0 - 1e-9, "{carried}");
    assert!(events.contains("WaterRescue"));
    assert!(events.contains("\"PeopleTrapped\""));
    assert!(f(&r, "people_evacuated") > 1000.0);
    assert!(f(&r, "mean_response_time_s") > 0.0);
    assert!(f(&r["expected_fatalities"], "flood") >= 0.0);
}

#[test]
fn forest_fire_drill() {
    let (r, events, series) = run("fire_forest_river_spotting");
    has_columns(&series);
    // Crews and a dozer reach the fire's heel and build line; the lodge and the hamlet
    // across the river evacuate.
    assert!(events.contains("of fireline on forest_fire"));
    let line = r["task_details"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["label"].as_str().unwrap().starts_with("fireline"))
        .unwrap();
    assert!(line["arrived_s"].is_number());
    assert!((f(&r, "people_evacuated") - 325.0).abs() < 1e-6);
    assert_eq!(f(&r["expected_fatalities"], "fire"), 0.0);
}
