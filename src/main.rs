//! `drillsim`: the headless command-line interface.
//!
//! Exit codes: 0 success; 1 the run failed (e.g. outputs could not be written);
//! 2 the input is invalid (scenario errors, bad arguments).

mod batch;
mod calc;
mod info;
mod plan;
mod plan_optimise;
mod report;
mod run;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit code for a run that failed while running or writing.
pub const EXIT_FAILURE: u8 = 1;
/// Exit code for invalid input.
pub const EXIT_INVALID: u8 = 2;

#[derive(Parser)]
#[command(
    name = "drillsim",
    version,
    about = "Multi-hazard emergency drill and chemical accident simulator",
    after_help = "Exit codes: 0 success, 1 run failed, 2 invalid input.\nExample: drillsim run scenarios/default.ron"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario and write its outputs.
    Run(run::RunArgs),
    /// Check scenarios and report every error with its location.
    Validate {
        /// Scenario files (.ron).
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
    },
    /// Describe what a scenario will simulate: grid, memory, hazards, weather.
    Info(info::InfoArgs),
    /// Write the after-action report (HTML and Markdown) of a run folder.
    Report(report::ReportArgs),
    /// Quick calculations without a scenario (threat-zone distances, fire behaviour, key values).
    Calc {
        #[command(subcommand)]
        command: calc::CalcCommand,
    },
    /// Run a sweep of scenario variants in parallel (or merge shard folders).
    Batch(batch::BatchArgs),
    /// Facility-layout planning: travel-time coverage, supply reach, shelter balance.
    Plan {
        #[command(subcommand)]
        command: plan::PlanCommand,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Run(args) => run::run(&args),
        Command::Validate { scenarios } => validate(&scenarios),
        Command::Info(args) => info::info(&args),
        Command::Calc { command } => calc::calc(&command),
        Command::Batch(args) => batch::batch(&args),
        Command::Plan { command } => plan::plan(&command),
        Command::Report(args) => report::run(&args),
    };
    ExitCode::from(code)
}

fn validate(paths: &[PathBuf]) -> u8 {
    let mut code = 0;
    for path in paths {
        // Build the whole run (terrain, hazards, roads, teams) without stepping it, so
        // every located error a run would hit is reported here.
        match drillsim_engine::scenario::load(path).and_then(|s| {
            drillsim_engine::Simulation::from_scenario(s, drillsim_engine::RunConfig::default())
        }) {
            Ok(sim) => {
                let t = sim.terrain().spec;
                println!(
                    "ok: {} — \"{}\", {}×{} cells of {} m",
                    path.display(),
                    sim.scenario().scenario.meta.name,
                    t.width,
                    t.height,
                    t.cell_size
                );
            }
            Err(e) => {
                eprintln!("{e}");
                code = EXIT_INVALID;
            }
        }
    }
    code
}
