//! `drillsim calc`: quick point calculations of single hazard models.

pub mod fire;

use clap::Subcommand;

/// The models `drillsim calc` can evaluate.
#[derive(Subcommand)]
pub enum CalcCommand {
    /// Surface fire behaviour of one fuel model (BehavePlus-style): spread rate, flame
    /// length, intensity, L/W, fire size after a time.
    Fire(fire::FireArgs),
}

/// Runs the calculation; returns the exit code.
pub fn calc(command: &CalcCommand) -> u8 {
    match command {
        CalcCommand::Fire(args) => fire::run(args),
    }
}
