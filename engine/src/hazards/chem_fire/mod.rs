//! Chemical fires and explosions: pool fire, jet fire, BLEVE fireball, flash fire
//! footprint and vapour-cloud explosion (TNT equivalence or Baker–Strehlow–Tang blast
//! curves), with thermal and overpressure
//! threat distances and probits, plus the `calc pool-fire / bleve / vce` quick
//! calculations (pure models), and the `ChemicalFire` scenario hazard: its spec, the
//! flammable part of a release's cloud, and the ECS plugin.

pub mod bleve;
pub mod bst;
pub mod calc;
pub mod cloud;
pub mod effects;
pub mod event;
pub mod flash;
pub mod jet_fire;
pub mod outputs;
pub mod plugin;
#[cfg(test)]
mod plugin_tests;
pub mod pool_fire;
pub mod spec;
pub mod start;
pub mod vce;

/// Stefan–Boltzmann constant, W/(m²·K⁴).
pub const SIGMA_SB: f64 = 5.670_374e-8;
/// Pascals per psi.
pub const PA_PER_PSI: f64 = 6_894.757;
/// Default thermal threat levels, W/m² (10, 5, 2 kW/m²; ALOHA defaults).
pub const THERMAL_LEVELS_W_M2: [f64; 3] = [10_000.0, 5_000.0, 2_000.0];
/// Default overpressure threat levels, psi (8, 3.5, 1 psi; ALOHA defaults).
pub const OVERPRESSURE_LEVELS_PSI: [f64; 3] = [8.0, 3.5, 1.0];
