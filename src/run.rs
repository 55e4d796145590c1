//! `drillsim run`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use drillsim_engine::output::write_run;
use drillsim_engine::{RunConfig, Simulation};
use indicatif::{ProgressBar, ProgressStyle};

use crate::{EXIT_FAILURE, EXIT_INVALID};

/// Arguments of `drillsim run`.
#[derive(Args)]
pub struct RunArgs {
    /// Scenario file (.ron).
    scenario: PathBuf,
    /// Output folder [default: runs/<scenario>-seed<N>]. An earlier run there is replaced.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Seed overriding the scenario's.
    #[arg(long)]
    seed: Option<u64>,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

/// Default output folder of a run.
pub fn default_out(scenario: &Path, seed: u64) -> PathBuf {
    let stem = scenario
        .file_stem()
        .map_or_else(|| "run".into(), |s| s.to_string_lossy().into_owned());
    PathBuf::from("runs").join(format!("{stem}-seed{seed}"))
}

/// Runs the command; returns the exit code.
pub fn run(args: &RunArgs) -> u8 {
    let started = Instant::now();
    let mut sim = match Simulation::from_file(
        &args.scenario,
        RunConfig {
            seed: args.seed,
            run_index: 0,
        },
    ) {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("{e}");
            return EXIT_INVALID;
        }
    };
    let seed = sim.run_info().seed;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.scenario, seed));
    let duration = sim.clock().duration_s;
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(duration.ceil() as u64);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {msg} [{bar:40}] {pos}/{len} s simulated, ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message(sim.scenario().scenario.meta.name.clone());
        bar
    });
    sim.run_to_end(|t| {
        if let Some(b) = &bar {
            b.set_position(t as u64);
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let scenario = sim.scenario();
    match write_run(
        &sim,
        &out,
        scenario.scenario.run.outputs.png,
        scenario.scenario.run.outputs.ascii_grid,
    ) {
        Ok(summary) => {
            if !args.quiet {
                println!(
                    "ran \"{}\" (seed {seed}): {} s simulated in {} ticks, {} events, {:.2} s wall time",
                    summary.scenario,
                    summary.simulated_s,
                    summary.ticks,
                    sim.events().len(),
                    started.elapsed().as_secs_f64()
                );
                println!("outputs: {}", out.display());
            }
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_FAILURE
        }
    }
}
