//! End-to-end behaviour of the `drillsim` command line.

mod common;

use common::{drillsim, text};

#[test]
fn run_writes_every_output_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("run");
    let out = drillsim(
        &[
            "run",
            "scenarios/default.ron",
            "--out",
            out_dir.to_str().unwrap(),
            "--quiet",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    for f in [
        "summary.json",
        "events.jsonl",
        "timeseries.csv",
        "scenario.ron",
        "rasters/elevation_m.asc",
        "rasters/elevation_m.png",
        "rasters/land_cover.png",
    ] {
        assert!(out_dir.join(f).is_file(), "missing {f}");
    }
    // No temporary folders are left next to the output.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "run")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["seed"], 42);
    assert_eq!(summary["simulated_s"], 3600.0);
    assert_eq!(summary["scenario"], "示例河谷 · Default river valley");
    // Events are JSON lines of past-tense facts in time order.
    let events = std::fs::read_to_string(out_dir.join("events.jsonl")).unwrap();
    let kinds: Vec<String> = events
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(kinds.first().map(String::as_str), Some("SimulationStarted"));
    assert_eq!(kinds.last().map(String::as_str), Some("SimulationEnded"));
    assert!(kinds.iter().any(|k| k == "WindShifted") && kinds.iter().any(|k| k == "RainStarted"));
    // Time series: a header and one row per 300 s.
    let csv = std::fs::read_to_string(out_dir.join("timeseries.csv")).unwrap();
    assert!(csv.starts_with("t_s,wind_speed_m_s,wind_from_deg,"));
    assert_eq!(csv.lines().count(), 1 + 12);
}

#[test]
fn rerun_replaces_a_run_but_never_a_foreign_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("r");
    let args = [
        "run",
        "scenarios/default.ron",
        "--out",
        out_dir.to_str().unwrap(),
        "--quiet",
    ];
    assert_eq!(drillsim(&args, &[]).status.code(), Some(0));
    assert_eq!(drillsim(&args, &[]).status.code(), Some(0));
    let foreign = dir.path().join("mine");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "keep me").unwrap();
    let out = drillsim(
        &[
            "run",
            "scenarios/default.ron",
            "--out",
            foreign.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).1.contains("not a drillsim run folder"));
    assert_eq!(
        std::fs::read_to_string(foreign.join("notes.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn seed_flag_overrides_the_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("s");
    let out = drillsim(
        &[
            "run",
            "scenarios/default.ron",
            "--seed",
            "7",
            "--out",
            out_dir.to_str().unwrap(),
            "-q",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0));
    let summary = std::fs::read_to_string(out_dir.join("summary.json")).unwrap();
    assert!(summary.contains("\"seed\": 7"), "{summary}");
}

#[test]
fn info_describes_the_scenario() {
    let out = drillsim(&["info", "scenarios/default.ron"], &[]);
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout.contains("300×200 cells of 10 m"), "{stdout}");
    assert!(stdout.contains("valley with river and levees"), "{stdout}");
    let out = drillsim(&["info", "scenarios/default.ron", "--json"], &[]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["width"], 300);
    assert_eq!(v["ticks"], 360);
}

#[test]
fn invalid_input_exits_with_2() {
    let out = drillsim(
        &["run", "tests/fixtures/broken/03_negative_cell_size.ron"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = drillsim(&["info", "no/such/file.ron"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("cannot read the scenario file"));
    let out = drillsim(&["frobnicate"], &[]);
    assert_eq!(out.status.code(), Some(2));
}
