//! `drillsim batch <sweep.ron> --out DIR [--threads N] [--shard i/n] [--resume]` and
//! `drillsim batch merge DIR... --out DIR`.
//!
//! Runs a sweep's runs in parallel on a rayon pool. Each finished run is appended to
//! `DIR/journal.jsonl` and synced before it counts; `results.csv`, the aggregates and the
//! exceedance rasters are rebuilt from the journal at the end, sorted by run index, so
//! the files do not depend on thread count, sharding or resumption (see
//! `drillsim_engine::batch`).

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use clap::{Args, Subcommand};
use drillsim_engine::batch::design::in_shard;
use drillsim_engine::batch::exec::BatchContext;
use drillsim_engine::batch::journal::{self, Journal};
use drillsim_engine::batch::results::{Manifest, dedup, write_atomic, write_results};
use drillsim_engine::batch::{load_sweep, plan, run_one};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::{EXIT_FAILURE, EXIT_INVALID};

#[cfg(feature = "parquet")]
mod parquet_out;

/// Arguments of `drillsim batch`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct BatchArgs {
    #[command(subcommand)]
    command: Option<BatchCommand>,
    /// Sweep file (.ron), see README "Batch and planning".
    #[arg(required = true)]
    sweep: Option<PathBuf>,
    /// Output folder (manifest.json, journal.jsonl, results.csv, aggregates).
    #[arg(long, required = true)]
    out: Option<PathBuf>,
    /// Worker threads [default: all cores].
    #[arg(long)]
    threads: Option<usize>,
    /// Run only shard i of n (0-based; runs with index ≡ i mod n), e.g.
    /// `--shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT`.
    #[arg(long, value_parser = parse_shard)]
    shard: Option<(u64, u64)>,
    /// Continue a killed or failed batch in --out, skipping finished runs.
    #[arg(long)]
    resume: bool,
    /// Require `results.parquet` (written whenever drillsim is built with the cargo
    /// feature `parquet`; without it this option is an error).
    #[arg(long)]
    parquet: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

/// `drillsim batch` subcommands.
#[derive(Subcommand)]
enum BatchCommand {
    /// Join the output folders of shards (or partial runs) of one sweep.
    Merge {
        /// Batch output folders.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Folder for the merged results.
        #[arg(long)]
        out: PathBuf,
        /// Require `results.parquet` (needs the cargo feature `parquet`).
        #[arg(long)]
        parquet: bool,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
}

fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| format!("`{s}`: expected i/n, e.g. 0/4"))?;
    let i: u64 = i
        .trim()
        .parse()
        .map_err(|_| format!("`{i}` is not a shard index"))?;
    let n: u64 = n
        .trim()
        .parse()
        .map_err(|_| format!("`{n}` is not a shard count"))?;
    if n == 0 || i >= n {
        return Err(format!("shard {i}/{n}: need 0 ≤ i < n"));
    }
    Ok((i, n))
}

/// Runs the command; returns the exit code.
pub fn batch(args: &BatchArgs) -> u8 {
    let result = match (&args.command, &args.sweep, &args.out) {
        (
            Some(BatchCommand::Merge {
                dirs,
                out,
                parquet,
                quiet,
            }),
            _,
            _,
        ) => check_parquet(*parquet).and_then(|()| merge(dirs, out, *quiet)),
        (None, Some(sweep), Some(out)) => {
            check_parquet(args.parquet).and_then(|()| run_batch(args, sweep, out))
        }
        _ => Err((
            EXIT_INVALID,
            "usage: drillsim batch <sweep.ron> --out DIR".into(),
        )),
    };
    match result {
        Ok(code) => code,
        Err((code, msg)) => {
            eprintln!("{msg}");
            code
        }
    }
}

type Failure = (u8, String);

fn invalid(msg: impl Into<String>) -> Failure {
    (EXIT_INVALID, msg.into())
}

fn failed(msg: impl Into<String>) -> Failure {
    (EXIT_FAILURE, msg.into())
}

/// `--parquet` without the cargo feature is an error before anything runs.
fn check_parquet(asked: bool) -> Result<(), Failure> {
    if asked && !cfg!(feature = "parquet") {
        return Err(invalid(
            "error: --parquet: this drillsim was built without Parquet output; rebuild with \
             the cargo feature `parquet` (cargo build --release --features parquet), or \
             use results.csv",
        ));
    }
    Ok(())
}

/// Every derived file of `dir`: the engine's CSV, aggregates and rasters, plus
/// `results.parquet` with the feature `parquet`.
fn write_all(
    dir: &Path,
    manifest: &Manifest,
    records: &[journal::RunRecord],
) -> Result<drillsim_engine::batch::results::Aggregates, String> {
    let agg = write_results(dir, manifest, records)?;
    #[cfg(feature = "parquet")]
    {
        let table = drillsim_engine::batch::table::Table::of(manifest, records);
        write_atomic(
            &dir.join("results.parquet"),
            &parquet_out::to_bytes(&table)?,
        )?;
    }
    Ok(agg)
}

fn run_batch(args: &BatchArgs, sweep_path: &Path, out: &Path) -> Result<u8, Failure> {
    let started = Instant::now();
    let sweep = load_sweep(sweep_path).map_err(|e| {
        let n = e.diagnostics.len();
        invalid(format!(
            "{}\nerror: the sweep has {n} error{}",
            diagnostics(&e),
            if n == 1 { "" } else { "s" }
        ))
    })?;
    let ctx = BatchContext::new(sweep).map_err(|e| invalid(e.to_string()))?;
    // Rasters and metrics the sweep names must exist before any run is spent.
    ctx.check_output_names().map_err(|e| {
        let n = e.diagnostics.len();
        invalid(format!(
            "{}\nerror: the sweep has {n} error{}",
            diagnostics(&e),
            if n == 1 { "" } else { "s" }
        ))
    })?;
    let runs = plan(&ctx.sweep.sweep);
    let manifest = Manifest::new(&ctx, &runs, args.shard);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .map_err(|e| failed(format!("cannot start the thread pool: {e}")))?;
    // Check every run's scenario before spending time on any (or creating --out).
    let mut bad: Vec<(u64, String)> = pool.install(|| {
        runs.par_iter()
            .filter(|r| in_shard(r.run, args.shard))
            .filter_map(|r| ctx.scenario(r).err().map(|e| (r.run, diagnostics(&e))))
            .collect()
    });
    if !bad.is_empty() {
        bad.sort_by_key(|b| b.0);
        let n = bad.len();
        return Err(invalid(format!(
            "{}\nerror: {n} run{} of the sweep cannot be built",
            bad.swap_remove(0).1,
            if n == 1 { "" } else { "s" }
        )));
    }
    prepare_dir(out, &manifest, args.resume)?;
    let journal_path = out.join("journal.jsonl");
    let (done, valid_len) = journal::read(&journal_path).map_err(failed)?;
    let done: BTreeSet<u64> = done.iter().map(|r| r.run).collect();
    let todo: Vec<_> = runs
        .iter()
        .filter(|r| in_shard(r.run, args.shard) && !done.contains(&r.run))
        .collect();
    let journal = Mutex::new(Journal::open(&journal_path, valid_len).map_err(failed)?);
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(todo.len() as u64);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{bar:40}] {pos}/{len} runs, {per_sec}, ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    let with_outputs = ctx.sweep.sweep.run_outputs;
    let result: Result<(), String> = pool.install(|| {
        todo.par_iter().try_for_each(|r| {
            let dir = with_outputs.then(|| out.join("runs").join(format!("{:06}", r.run)));
            let record = run_one(&ctx, r, dir.as_deref())?;
            journal
                .lock()
                .map_err(|_| "internal error: journal lock poisoned".to_owned())?
                .append(&record)?;
            if let Some(b) = &bar {
                b.inc(1);
            }
            Ok(())
        })
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    drop(journal);
    let (records, _) = journal::read(&journal_path).map_err(failed)?;
    let records = dedup(records).map_err(failed)?;
    let agg = write_all(out, &manifest, &records).map_err(failed)?;
    if let Err(e) = result {
        return Err(failed(format!(
            "{e}\nerror: the batch stopped; {} runs are saved in {} (continue with --resume)",
            records.len(),
            out.display()
        )));
    }
    if !args.quiet {
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{} runs ({} new) of {} planned{}; {:.2} s, {:.2} runs/s",
            records.len(),
            todo.len(),
            manifest.runs.len(),
            args.shard
                .map(|(i, n)| format!(" (shard {i}/{n})"))
                .unwrap_or_default(),
            secs,
            todo.len() as f64 / secs.max(1e-9)
        );
        for e in &agg.exceedance {
            println!(
                "P({} > {}) = {} ({} of {})",
                e.metric, e.above, e.probability, e.count, e.n
            );
        }
        println!("results: {}", out.join("results.csv").display());
    }
    Ok(0)
}

/// The diagnostics of `e` without the scenario-specific trailer.
fn diagnostics(e: &drillsim_engine::ScenarioError) -> String {
    e.diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
        .trim_end()
        .to_owned()
}

/// Creates `out` with the manifest, or checks that it holds this sweep when resuming.
fn prepare_dir(out: &Path, manifest: &Manifest, resume: bool) -> Result<(), Failure> {
    if out.join("manifest.json").exists() {
        if !resume {
            return Err(invalid(format!(
                "error: `{}` already holds a batch; add --resume to continue it or choose another --out",
                out.display()
            )));
        }
        let old = Manifest::read(out).map_err(invalid)?;
        if !old.same_sweep(manifest) || old.shard != manifest.shard {
            return Err(invalid(format!(
                "error: `{}` holds a different sweep or shard; it cannot be resumed with this one",
                out.display()
            )));
        }
        return Ok(());
    }
    // A folder killed before its manifest was written holds at most temporary files
    // (`.name.tmp-PID`); anything else is not ours to overwrite.
    if out.exists()
        && std::fs::read_dir(out)
            .map_err(|e| failed(format!("cannot read `{}`: {e}", out.display())))?
            .filter_map(Result::ok)
            .any(|e| !e.file_name().to_string_lossy().starts_with('.'))
    {
        return Err(invalid(format!(
            "error: `{}` exists and is not a batch folder (no manifest.json)",
            out.display()
        )));
    }
    std::fs::create_dir_all(out)
        .map_err(|e| failed(format!("cannot create `{}`: {e}", out.display())))?;
    manifest.write(out).map_err(failed)
}

fn merge(dirs: &[PathBuf], out: &Path, quiet: bool) -> Result<u8, Failure> {
    let mut manifest: Option<Manifest> = None;
    let mut records = Vec::new();
    for dir in dirs {
        let m = Manifest::read(dir).map_err(invalid)?;
        if let Some(first) = &manifest {
            if !first.same_sweep(&m) {
                return Err(invalid(format!(
                    "error: `{}` holds a different sweep than `{}`",
                    dir.display(),
                    dirs[0].display()
                )));
            }
        } else {
            manifest = Some(m);
        }
        let (r, _) = journal::read(&dir.join("journal.jsonl")).map_err(failed)?;
        records.extend(r);
    }
    let Some(mut manifest) = manifest else {
        return Err(invalid("error: no folders to merge"));
    };
    manifest.shard = None;
    let records = dedup(records).map_err(failed)?;
    std::fs::create_dir_all(out)
        .map_err(|e| failed(format!("cannot create `{}`: {e}", out.display())))?;
    manifest.write(out).map_err(failed)?;
    let mut lines = String::new();
    for r in &records {
        lines.push_str(&serde_json::to_string(r).map_err(|e| failed(e.to_string()))?);
        lines.push('\n');
    }
    write_atomic(&out.join("journal.jsonl"), lines.as_bytes()).map_err(failed)?;
    write_all(out, &manifest, &records).map_err(failed)?;
    let have: BTreeSet<u64> = records.iter().map(|r| r.run).collect();
    let missing: Vec<String> = manifest
        .runs
        .iter()
        .filter(|r| !have.contains(&r.run))
        .map(|r| r.run.to_string())
        .collect();
    if !missing.is_empty() {
        let shown = missing
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        return Err(failed(format!(
            "error: merged {} of {} runs; missing runs: {shown}{}",
            records.len(),
            manifest.runs.len(),
            if missing.len() > 20 { ", …" } else { "" }
        )));
    }
    if !quiet {
        println!(
            "merged {} runs from {} folders: {}",
            records.len(),
            dirs.len(),
            out.join("results.csv").display()
        );
    }
    Ok(0)
}
