//! A run is a pure function of (scenario, seed): the same inputs give byte-identical
//! outputs run after run and whatever the number of rayon threads; a snapshot restored
//! and continued gives the same state as an uninterrupted run.

mod common;

use common::{assert_resume_matches, drillsim, root, tree_bytes};
use drillsim_engine::{RunConfig, Simulation};

fn run_to(dir: &std::path::Path, threads: &str) -> Vec<(String, Vec<u8>)> {
    let out = drillsim(
        &[
            "run",
            "scenarios/default.ron",
            "--out",
            dir.to_str().unwrap(),
            "--quiet",
        ],
        &[("RAYON_NUM_THREADS", threads)],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    tree_bytes(dir)
}

#[test]
fn outputs_are_identical_across_runs_and_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    let a = run_to(&dir.path().join("a"), "1");
    let b = run_to(&dir.path().join("b"), "1");
    let c = run_to(&dir.path().join("c"), "2");
    assert!(a.len() >= 7, "{} files", a.len());
    assert_eq!(a, b, "two runs with 1 thread differ");
    for ((name, x), (_, y)) in a.iter().zip(&c) {
        assert!(x == y, "{name} differs between 1 and 2 threads");
    }
    assert_eq!(a.len(), c.len());
}

#[test]
fn snapshot_restore_continue_equals_uninterrupted() {
    let path = root().join("scenarios/default.ron");
    assert_resume_matches("scenarios/default.ron", 1500.0);

    // Rewinding a finished run to its own snapshot and continuing also matches.
    let mut straight = Simulation::from_file(&path, RunConfig::default()).unwrap();
    straight.run_to_end(|_| {});
    let mut run = Simulation::from_file(&path, RunConfig::default()).unwrap();
    run.run_until(1500.0);
    let snap = run.snapshot().unwrap();
    run.run_to_end(|_| {});
    run.restore(&snap).unwrap();
    assert_eq!(run.time_s(), 1500.0);
    run.run_to_end(|_| {});
    assert_eq!(run.snapshot().unwrap(), straight.snapshot().unwrap());
}

#[test]
fn snapshots_refuse_other_scenarios_and_garbage() {
    let path = root().join("scenarios/default.ron");
    let mut sim = Simulation::from_file(&path, RunConfig::default()).unwrap();
    assert!(sim.restore(b"not a snapshot").is_err());
    let mut snap = sim.snapshot().unwrap();
    let last = snap.len() - 1;
    snap.truncate(last);
    assert!(sim.restore(&snap).is_err());
    assert_eq!(
        sim.time_s(),
        0.0,
        "a failed restore leaves the run untouched"
    );
}
