//! Hazard models. Each hazard is a pure model (plain structs and functions over
//! [`crate::world::Grid`]s, unit-testable without the ECS) plus a thin ECS plugin.
//! Hazard models never import agents; agents read hazard fields through small queries.

pub mod chem_fire;
pub mod chemicals;
pub mod fire;
pub mod flood;
pub mod gas;

use crate::scenario::types::HazardSpec;
use crate::sim::SimBuilder;

/// Adds the systems and state of every hazard in the scenario to a run.
pub fn install(builder: &mut SimBuilder<'_>) {
    let scenario = builder.scenario();
    let mut floods = Vec::new();
    let mut releases = Vec::new();
    let mut fires = Vec::new();
    for (i, h) in scenario.scenario.hazards.iter().enumerate() {
        match h {
            HazardSpec::Flood(spec) => floods.push((i, spec)),
            HazardSpec::ChemicalRelease(spec) => releases.push((i, spec)),
            HazardSpec::WildlandFire(spec) => fires.push((i, spec)),
        }
    }
    if !floods.is_empty() {
        flood::plugin::install(builder, floods);
    }
    if !releases.is_empty() {
        gas::plugin::install(builder, releases);
    }
    if !fires.is_empty() {
        fire::plugin::install(builder, fires);
    }
}
