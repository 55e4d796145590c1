//! Hazard models. Each hazard is a pure model (plain structs and functions over
//! [`crate::world::Grid`]s, unit-testable without the ECS) plus a thin ECS plugin.
//! Hazard models never import agents; agents read hazard fields through small queries.

pub mod chem_fire;
pub mod chemicals;
pub mod fire;
pub mod flood;
pub mod gas;

use crate::sim::SimBuilder;

/// Adds the systems and state of every hazard in the scenario to a run.
pub fn install(builder: &mut SimBuilder<'_>) {
    let scenario = builder.scenario();
    let mut gas = Vec::new();
    for (i, h) in scenario.scenario.hazards.iter().enumerate() {
        match h {
            crate::scenario::types::HazardSpec::ChemicalRelease(s) => gas.push((i, s)),
        }
    }
    gas::plugin::install(builder, gas);
}
