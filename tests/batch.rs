//! `drillsim batch`: results independent of thread count and sharding, kill-and-resume
//! without lost or duplicated runs, aggregates checked by hand, located sweep errors.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{drillsim, root, text};

const WIND: &str = "tests/fixtures/batch/wind.ron";

fn batch(args: &[&str]) {
    let out = drillsim(args, &[]);
    let (o, e) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{args:?}:\n{o}{e}");
}

fn read(dir: &Path, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

/// The files that must be byte-identical between equivalent batches.
const DERIVED: [&str; 6] = [
    "results.csv",
    "aggregates.csv",
    "aggregates_by_point.csv",
    "aggregates.json",
    "exceedance.csv",
    "exceedance/gas0_drum_peak_ppm_gt_2.tif",
];

fn assert_same(a: &Path, b: &Path) {
    for f in DERIVED {
        assert!(
            read(a, f) == read(b, f),
            "{f} differs: {} vs {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn results_do_not_depend_on_threads_or_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let d = |n: &str| tmp.path().join(n).display().to_string();
    batch(&["batch", WIND, "--out", &d("one"), "--threads", "1", "-q"]);
    batch(&["batch", WIND, "--out", &d("two"), "--threads", "2", "-q"]);
    for i in 0..3 {
        let shard = format!("{i}/3");
        batch(&[
            "batch",
            WIND,
            "--out",
            &d(&format!("s{i}")),
            "--shard",
            &shard,
            "-q",
        ]);
    }
    batch(&[
        "batch",
        "merge",
        &d("s2"),
        &d("s0"),
        &d("s1"),
        "--out",
        &d("merged"),
        "-q",
    ]);
    let one = tmp.path().join("one");
    let csv = String::from_utf8(read(&one, "results.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 12, "header and 12 runs:\n{csv}");
    let runs: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    let expected: Vec<String> = (0..12).map(|i| i.to_string()).collect();
    assert_eq!(runs, expected, "rows in run-index order");
    assert_same(&one, &tmp.path().join("two"));
    // The chemical runs are deterministic: the two replications of a point agree, so
    // the per-point mean is the runs' value and the standard deviation 0.
    let by_point = String::from_utf8(read(&one, "aggregates_by_point.csv")).unwrap();
    let v = csv.lines().nth(1).unwrap().split(',').nth(6).unwrap();
    let row = by_point.lines().nth(1).unwrap();
    assert_eq!(
        row,
        format!("0,2.0,270.0,gas_area_aegl2_m2_final,2,{v},0,{v},{v},{v},{v},{v}"),
        "{by_point}"
    );
    assert_same(&one, &tmp.path().join("merged"));
    // A shard holds only its own runs.
    let s1 = String::from_utf8(read(&tmp.path().join("s1"), "results.csv")).unwrap();
    let s1_runs: Vec<&str> = s1
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(s1_runs, ["1", "4", "7", "10"]);
}

fn journal_runs(dir: &Path) -> Vec<u64> {
    let text = String::from_utf8(read(dir, "journal.jsonl")).unwrap();
    let mut runs: Vec<u64> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["run"]
                .as_u64()
                .unwrap()
        })
        .collect();
    runs.sort_unstable();
    runs
}

/// A journal cut in the middle of a line (as after a kill during a write) resumes to the
/// same results, with every run exactly once.
#[test]
fn resume_after_a_torn_journal_loses_and_duplicates_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let full = tmp.path().join("full");
    let cut = tmp.path().join("cut");
    batch(&["batch", WIND, "--out", full.to_str().unwrap(), "-q"]);
    std::fs::create_dir(&cut).unwrap();
    std::fs::copy(full.join("manifest.json"), cut.join("manifest.json")).unwrap();
    let journal = read(&full, "journal.jsonl");
    let lines: Vec<usize> = journal
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
        .collect();
    // Five whole records and half of the sixth.
    let end = lines[4] + 1 + (lines[5] - lines[4]) / 2;
    std::fs::write(cut.join("journal.jsonl"), &journal[..end]).unwrap();
    let c = cut.to_str().unwrap();
    // Without --resume the folder is refused.
    let out = drillsim(&["batch", WIND, "--out", c], &[]);
    assert_eq!(out.status.code(), Some(2));
    batch(&["batch", WIND, "--out", c, "--resume", "-q"]);
    assert_eq!(journal_runs(&cut), (0..12).collect::<Vec<_>>());
    assert_same(&full, &cut);
    // Resuming a finished batch runs nothing and changes nothing.
    batch(&["batch", WIND, "--out", c, "--resume", "-q"]);
    assert_eq!(journal_runs(&cut), (0..12).collect::<Vec<_>>());
    assert_same(&full, &cut);
}

/// The binary is killed (SIGKILL) at several moments of a batch; `--resume` then gives
/// the results of an uninterrupted batch.
#[test]
fn kill_and_resume_loses_and_duplicates_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let full = tmp.path().join("full");
    batch(&[
        "batch",
        WIND,
        "--out",
        full.to_str().unwrap(),
        "-q",
        "--threads",
        "1",
    ]);
    for (k, ms) in [5u64, 20, 40, 120, 250].into_iter().enumerate() {
        let dir = tmp.path().join(format!("killed{k}"));
        let d = dir.to_str().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_drillsim"))
            .current_dir(root())
            .args(["batch", WIND, "--out", d, "-q", "--threads", "1"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(ms));
        let _ = child.kill();
        let _ = child.wait();
        batch(&[
            "batch",
            WIND,
            "--out",
            d,
            "--resume",
            "-q",
            "--threads",
            "2",
        ]);
        assert_eq!(
            journal_runs(&dir),
            (0..12).collect::<Vec<_>>(),
            "kill after {ms} ms"
        );
        assert_same(&full, &dir);
    }
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}

/// by_hand.ron sweeps the wind speed over 1, 2, 3, 4, 10 m/s (each twice, once per
/// terrain height). Hand computation: mean = 4; Σ(x − 4)² = 2·(9 + 4 + 1 + 0 + 36) = 100,
/// s = sqrt(100/9) = 10/3; min 1, median (h = 4.5 between 3 and 3) 3, max 10;
/// P(speed > 2.5) = 6/10. The terrain is 15 m or 25 m in half the runs each, so
/// P(elevation > 20 m) = 0.5 in every cell. Tolerance 1e-12: a few f64 roundings.
#[test]
fn aggregates_match_hand_computation() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("hand");
    batch(&[
        "batch",
        "tests/fixtures/batch/by_hand.ron",
        "--out",
        dir.to_str().unwrap(),
        "-q",
    ]);
    let agg = csv_rows(&String::from_utf8(read(&dir, "aggregates.csv")).unwrap());
    assert_eq!(agg[0].join(","), "metric,n,mean,std,min,p5,p50,p95,max");
    let row = agg.iter().find(|r| r[0] == "wind_speed_m_s_final").unwrap();
    let v: Vec<f64> = row[2..].iter().map(|c| c.parse().unwrap()).collect();
    assert_eq!(row[1], "10");
    for (got, want) in v.iter().zip([4.0, 10.0 / 3.0, 1.0, 1.0, 3.0, 10.0, 10.0]) {
        assert!((got - want).abs() < 1e-12, "{row:?}");
    }
    let ex = String::from_utf8(read(&dir, "exceedance.csv")).unwrap();
    assert_eq!(
        ex,
        "metric,above,count,n,probability\nwind_speed_m_s_final,2.5,6,10,0.6\n"
    );
    let r =
        drillsim_engine::world::raster::read_geotiff(&dir.join("exceedance/elevation_m_gt_20.tif"))
            .unwrap();
    assert_eq!((r.grid.width(), r.grid.height()), (20, 10));
    assert!(
        r.grid.data().iter().all(|&p| p == 0.5),
        "{:?}",
        r.grid.data()
    );
    assert_eq!(r.epsg, Some(32650));
}

#[test]
fn bad_sweeps_give_located_errors() {
    insta::glob!("fixtures/batch/broken/*.ron", |path| {
        let rel = path.strip_prefix(root()).unwrap().display().to_string();
        let tmp = tempfile::tempdir().unwrap();
        let out_dir = tmp.path().join("out");
        let out = drillsim(&["batch", &rel, "--out", out_dir.to_str().unwrap()], &[]);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{rel}:\n{stdout}{stderr}");
        assert!(stderr.contains(&rel), "{rel}: names the file:\n{stderr}");
        assert!(
            !out_dir.exists(),
            "{rel}: nothing written for an invalid sweep"
        );
        insta::assert_snapshot!(stderr);
    });
}

/// Opt-in (runs only with `DRILLSIM_SLURM_TEST=1`, as root on Debian bookworm): installs
/// Slurm and munge if needed, starts a one-node cluster on this machine
/// (scale/slurm/start_local_cluster.sh), submits the sweep as a 3-task job array
/// (scale/slurm/drillsim_array.sbatch), merges the shards and checks the merged files
/// are byte-identical to a local run; then stops the daemons it recorded.
#[test]
fn slurm_job_array_matches_a_local_run() {
    if std::env::var("DRILLSIM_SLURM_TEST").as_deref() != Ok("1") {
        eprintln!("skipped: set DRILLSIM_SLURM_TEST=1 to run the Slurm test");
        return;
    }
    let sh = |script: &str| {
        let st = Command::new("bash")
            .arg(root().join(script))
            .status()
            .unwrap();
        assert!(st.success(), "{script} failed");
    };
    sh("scale/slurm/start_local_cluster.sh");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("slurm");
    std::fs::create_dir(&out).unwrap();
    let export = format!(
        "ALL,SWEEP={},OUT={},DRILLSIM={}",
        root().join(WIND).display(),
        out.display(),
        env!("CARGO_BIN_EXE_drillsim")
    );
    let st = Command::new("sbatch")
        .current_dir(&out)
        .args([
            "--wait",
            "--array=0-2",
            "--cpus-per-task=1",
            "--export",
            &export,
        ])
        .arg(root().join("scale/slurm/drillsim_array.sbatch"))
        .status()
        .unwrap();
    sh("scale/slurm/stop_local_cluster.sh");
    assert!(st.success(), "sbatch --wait failed");
    let shards: Vec<String> = (0..3)
        .map(|i| out.join(format!("shard-{i}")).display().to_string())
        .collect();
    let merged = out.join("merged").display().to_string();
    let mut args = vec!["batch", "merge"];
    args.extend(shards.iter().map(String::as_str));
    args.extend(["--out", &merged, "-q"]);
    batch(&args);
    let local = tmp.path().join("local");
    batch(&["batch", WIND, "--out", local.to_str().unwrap(), "-q"]);
    assert_same(&local, &out.join("merged"));
}

/// A sweep with an integer axis (`run.seed`), a float axis (wind speed) and a text axis
/// (stability class, JSON with quotes), written next to a copy of the tiny release.
#[cfg(feature = "parquet")]
fn typed_sweep(dir: &Path) -> std::path::PathBuf {
    let base = root().join("tests/fixtures/batch/tiny_chlorine.ron");
    let sweep = format!(
        r#"Sweep(
    name: "typed columns",
    base: "{}",
    seed: 3,
    axes: [
        (path: "run.seed", values: List([1, 2])),
        (path: "weather.wind[0].speed_m_s", values: List([2.0, 4.5])),
        (path: "weather.stability", values: List([{{"Class": "D"}}, {{"Class": "F"}}])),
    ],
    metrics: Some(["gas_area_aegl2_m2", "gas[0].levels[1].max_distance_m"]),
)"#,
        base.display()
    );
    let p = dir.join("typed.ron");
    std::fs::write(&p, sweep).unwrap();
    p
}

/// One CSV line split into cells (RFC 4180 quoting).
#[cfg(feature = "parquet")]
fn csv_line(line: &str) -> Vec<String> {
    let (mut cells, mut cur, mut quoted, mut chars) =
        (Vec::new(), String::new(), false, line.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => cells.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    cells.push(cur);
    cells
}

/// `results.parquet` read back with the parquet crate's row reader holds exactly the
/// CSV's columns and rows: unsigned integers for run/point/replication/seed, signed
/// integers for the integer axis, doubles for the float axis and the metrics (compared
/// with the CSV's shortest round-trip decimals exactly), strings for the text axis, and
/// nulls where the CSV is empty. The merge of two shards writes the same file.
#[cfg(feature = "parquet")]
#[test]
fn parquet_results_equal_the_csv() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    let tmp = tempfile::tempdir().unwrap();
    let sweep = typed_sweep(tmp.path());
    let sweep = sweep.to_str().unwrap();
    let d = |n: &str| tmp.path().join(n).display().to_string();
    batch(&["batch", sweep, "--out", &d("all"), "--parquet", "-q"]);
    let csv = String::from_utf8(read(&tmp.path().join("all"), "results.csv")).unwrap();
    let lines: Vec<Vec<String>> = csv.lines().map(csv_line).collect();
    assert_eq!(lines.len(), 1 + 8, "{csv}");
    let file = std::fs::File::open(tmp.path().join("all/results.parquet")).unwrap();
    let reader = SerializedFileReader::new(file).unwrap();
    let rows: Vec<_> = reader
        .get_row_iter(None)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), lines.len() - 1);
    let mut kinds = std::collections::BTreeSet::new();
    for (row, want) in rows.iter().zip(&lines[1..]) {
        let cols: Vec<_> = row.get_column_iter().collect();
        let names: Vec<&str> = cols.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, lines[0], "column names");
        for ((name, field), cell) in cols.iter().zip(want) {
            let (ok, kind) = match field {
                Field::ULong(v) => (v.to_string() == *cell, "ULong"),
                Field::Long(v) => (v.to_string() == *cell, "Long"),
                Field::Double(v) => (cell.parse::<f64>() == Ok(*v), "Double"),
                Field::Str(s) => (s == cell, "Str"),
                Field::Null => (cell.is_empty(), "Null"),
                other => panic!("{name}: unexpected {other:?}"),
            };
            assert!(ok, "{name}: parquet {field:?} vs csv `{cell}`");
            kinds.insert(format!("{name}:{kind}"));
        }
    }
    for k in [
        "run:ULong",
        "seed:ULong",
        "run.seed:Long",
        "weather.wind[0].speed_m_s:Double",
        "weather.stability:Str",
        "gas_area_aegl2_m2_max:Double",
    ] {
        assert!(kinds.contains(k), "{k} not in {kinds:?}");
    }
    for i in 0..2 {
        let shard = format!("{i}/2");
        batch(&[
            "batch",
            sweep,
            "--out",
            &d(&format!("s{i}")),
            "--shard",
            &shard,
            "-q",
        ]);
    }
    batch(&[
        "batch",
        "merge",
        &d("s1"),
        &d("s0"),
        "--out",
        &d("merged"),
        "-q",
    ]);
    assert!(
        read(&tmp.path().join("all"), "results.parquet")
            == read(&tmp.path().join("merged"), "results.parquet"),
        "merged results.parquet differs from the single run's"
    );
}

/// Without the cargo feature, asking for Parquet fails before anything runs and names
/// the feature.
#[cfg(not(feature = "parquet"))]
#[test]
fn parquet_without_the_feature_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("out");
    let out = drillsim(
        &[
            "batch",
            WIND,
            "--out",
            out_dir.to_str().unwrap(),
            "--parquet",
        ],
        &[],
    );
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cargo feature `parquet`"), "{stderr}");
    assert!(!out_dir.exists());
}

/// The Kubernetes Indexed Job of scale/k8s/drillsim-sweep-job.yaml, run locally: reads
/// `completions`, the container's env values and its `sh -c` script (line-based: the
/// manifest keeps them in that form), runs the script once per index in
/// 0..completions with `JOB_COMPLETION_INDEX` set as Kubernetes sets it for each pod
/// (SWEEP and OUT_DIR pointed at the test sweep and a temporary folder; `drillsim` on
/// PATH), merges the shard folders as the manifest's header says, and checks the merged
/// files are byte-identical to a local run.
#[test]
fn kubernetes_indexed_job_matches_a_local_run() {
    let yaml = std::fs::read_to_string(root().join("scale/k8s/drillsim-sweep-job.yaml")).unwrap();
    let lines: Vec<&str> = yaml.lines().collect();
    let completions: u64 = lines
        .iter()
        .find_map(|l| l.trim().strip_prefix("completions:"))
        .expect("completions")
        .trim()
        .parse()
        .unwrap();
    assert!(yaml.contains("completionMode: Indexed"));
    let env: Vec<(String, String)> = lines
        .iter()
        .filter_map(|l| {
            let rest = l.trim().strip_prefix("- {name: ")?;
            let (name, rest) = rest.split_once(", value: ")?;
            Some((
                name.to_owned(),
                rest.trim_end_matches('}').trim_matches('"').to_owned(),
            ))
        })
        .collect();
    let shards = &env.iter().find(|(n, _)| n == "SHARDS").expect("SHARDS").1;
    assert_eq!(shards, &completions.to_string(), "SHARDS = completions");
    // The folded (`>-`) script: the lines after `- >-` indented deeper, joined by spaces.
    let start = lines
        .iter()
        .position(|l| l.trim() == "- >-")
        .expect("args script")
        + 1;
    let indent = |l: &str| l.len() - l.trim_start().len();
    let first = indent(lines[start]);
    let script = lines[start..]
        .iter()
        .take_while(|l| indent(l) >= first && !l.trim().is_empty())
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(script.contains("JOB_COMPLETION_INDEX"), "{script}");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("k8s");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_drillsim")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for index in 0..completions {
        let mut cmd = Command::new("/bin/sh");
        cmd.current_dir(root()).arg("-c").arg(&script);
        for (k, v) in &env {
            cmd.env(k, v);
        }
        let st = cmd
            .env("SWEEP", root().join(WIND))
            .env("OUT_DIR", &out)
            .env("JOB_COMPLETION_INDEX", index.to_string())
            .env("PATH", &path)
            .status()
            .unwrap();
        assert!(st.success(), "pod {index} failed: {script}");
    }
    let shards: Vec<String> = (0..completions)
        .map(|i| out.join(format!("shard-{i}")).display().to_string())
        .collect();
    let merged = out.join("merged").display().to_string();
    let mut args = vec!["batch", "merge"];
    args.extend(shards.iter().map(String::as_str));
    args.extend(["--out", &merged, "-q"]);
    batch(&args);
    let local = tmp.path().join("local");
    batch(&["batch", WIND, "--out", local.to_str().unwrap(), "-q"]);
    assert_same(&local, &out.join("merged"));
}
