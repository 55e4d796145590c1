//! Test fixtures shared by the viewer's tests: the shipped scenarios.

use std::path::PathBuf;

use drillsim_engine::{RunConfig, Simulation};

/// Path of shipped scenario `file` (under `scenarios/`).
pub fn scenario_path(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../scenarios")
        .join(file)
}

/// Shipped scenario `file`, loaded with the default run configuration.
pub fn scenario(file: &str) -> Simulation {
    Simulation::from_file(&scenario_path(file), RunConfig::default())
        .unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The flagship drill (flood, levee breach, chlorine release).
pub fn flagship() -> Simulation {
    scenario("flagship_flood_chlorine.ron")
}
