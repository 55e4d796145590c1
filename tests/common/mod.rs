//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The root of the repository (the root package's manifest folder).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the `drillsim` binary from the repository root with a fixed memory limit (so
/// messages do not depend on the machine) and returns its output.
pub fn drillsim(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_drillsim"));
    cmd.current_dir(root())
        .args(args)
        .env("DRILLSIM_MEMORY_LIMIT", (16u64 << 30).to_string());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("the drillsim binary runs")
}

/// Text of stdout and stderr.
pub fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every file below `dir` with its bytes, sorted by relative path.
pub fn tree_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().display().to_string();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Runs `drillsim run <scenario> --out <dir> --quiet` with `threads` rayon threads and
/// returns every output file with its bytes.
pub fn run_outputs(scenario: &str, dir: &Path, threads: &str) -> Vec<(String, Vec<u8>)> {
    let out = drillsim(
        &["run", scenario, "--out", dir.to_str().unwrap(), "--quiet"],
        &[("RAYON_NUM_THREADS", threads)],
    );
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{scenario}: {err}");
    tree_bytes(dir)
}

/// Asserts that `scenario` writes byte-identical outputs with 1 and 2 rayon threads, and
/// returns the files of the 1-thread run.
pub fn assert_thread_independent(scenario: &str) -> Vec<(String, Vec<u8>)> {
    let dir = tempfile::tempdir().unwrap();
    let a = run_outputs(scenario, &dir.path().join("one"), "1");
    let b = run_outputs(scenario, &dir.path().join("two"), "2");
    assert_eq!(a.len(), b.len(), "{scenario}: different output files");
    for ((name, x), (other, y)) in a.iter().zip(&b) {
        assert_eq!(name, other);
        assert!(x == y, "{scenario}: {name} differs between 1 and 2 threads");
    }
    a
}

/// Runs `scenario` straight through, and again with a snapshot taken at `t_s` restored
/// into a fresh run and continued; asserts the snapshot round-trips exactly and both runs
/// end in the same state, events and time series. Returns (straight, resumed).
pub fn assert_resume_matches(
    scenario: &str,
    t_s: f64,
) -> (drillsim_engine::Simulation, drillsim_engine::Simulation) {
    use drillsim_engine::{RunConfig, Simulation};
    let path = root().join(scenario);
    let mut straight = Simulation::from_file(&path, RunConfig::default()).unwrap();
    straight.run_to_end(|_| {});
    let mut first = Simulation::from_file(&path, RunConfig::default()).unwrap();
    first.run_until(t_s);
    let snap = first.snapshot().unwrap();
    let mut resumed = Simulation::from_file(&path, RunConfig::default()).unwrap();
    resumed.restore(&snap).unwrap();
    assert_eq!(
        resumed.snapshot().unwrap(),
        snap,
        "{scenario}: snapshot round trip"
    );
    resumed.run_to_end(|_| {});
    assert_eq!(resumed.snapshot().unwrap(), straight.snapshot().unwrap());
    assert_eq!(resumed.events(), straight.events());
    assert_eq!(resumed.series(), straight.series());
    (straight, resumed)
}

fn chromium() -> Option<String> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(str::to_owned)
}

/// Renders `html` in headless Chromium to the PNG `shot` at `size` (pixels). Returns
/// false (the caller skips) when Chromium is absent, except in CI (`CI` set), where a
/// missing Chromium fails the test.
pub fn chromium_screenshot(html: &Path, shot: &Path, size: (u32, u32)) -> bool {
    let Some(bin) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs Chromium for this test: install the Debian package `chromium` (.ci/run does)"
        );
        eprintln!("skipped: Chromium not found (install the Debian package `chromium`)");
        return false;
    };
    let profile = shot.with_extension("profile");
    let mut child = Command::new(&bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            &format!("--user-data-dir={}", profile.display()),
            &format!("--screenshot={}", shot.display()),
            &format!("--window-size={},{}", size.0, size.1),
            &format!("file://{}", html.display()),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > std::time::Duration::from_secs(180) {
            let _ = child.kill();
            panic!("Chromium did not finish within 180 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    true
}
