//! `drillsim calc …`: quick point calculations without a scenario, like a desktop tool:
//! threat-zone distances and key values, as text or `--json`.
//!
//! Exit codes: 0 success; 2 impossible input (negative mass, calm wind for a plume,
//! unknown chemical or fuel model, moisture out of range) with a message saying what to
//! change.

mod chem;
pub mod fire;

use clap::Subcommand;

/// The quick calculations.
#[derive(Subcommand)]
pub enum CalcCommand {
    /// Toxic gas plume or puff: distances to the chemical's levels of concern (AEGL).
    #[command(allow_negative_numbers = true)]
    Plume(chem::PlumeArgs),
    /// Pool fire: flame size and distances to 10/5/2 kW/m².
    #[command(allow_negative_numbers = true)]
    PoolFire(chem::PoolFireArgs),
    /// BLEVE fireball: diameter, duration, distances to 10/5/2 kW/m² and lethality.
    #[command(allow_negative_numbers = true)]
    Bleve(chem::BleveArgs),
    /// Vapour-cloud explosion (TNT equivalence): distances to 8/3.5/1 psi.
    #[command(allow_negative_numbers = true)]
    Vce(chem::VceArgs),
    /// Surface fire behaviour of one fuel model (BehavePlus-style): spread rate, flame
    /// length, intensity, L/W, fire size after a time.
    Fire(fire::FireArgs),
}

/// Runs a calculation and returns the exit code.
pub fn calc(command: &CalcCommand) -> u8 {
    match command {
        CalcCommand::Plume(a) => chem::plume(a),
        CalcCommand::PoolFire(a) => chem::pool_fire(a),
        CalcCommand::Bleve(a) => chem::bleve(a),
        CalcCommand::Vce(a) => chem::vce(a),
        CalcCommand::Fire(a) => fire::run(a),
    }
}
