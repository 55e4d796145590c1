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

/// Checks hazard inputs that live in files (fuel and canopy rasters), located in the
/// scenario, so `drillsim validate` and a run refuse them instead of dropping the hazard.
pub fn check_inputs(
    loaded: &crate::scenario::LoadedScenario,
    terrain: &crate::world::terrain::Terrain,
) -> Vec<crate::scenario::problem::Problem> {
    let mut out = Vec::new();
    let hazards = &loaded.scenario.hazards;
    let chem_fires: Vec<(usize, &chem_fire::spec::ChemicalFireSpec)> = hazards
        .iter()
        .enumerate()
        .filter_map(|(i, h)| match h {
            HazardSpec::ChemicalFire(s) => Some((i, s)),
            _ => None,
        })
        .collect();
    if !chem_fires.is_empty() {
        let release_chemical: Vec<Option<&str>> = hazards
            .iter()
            .map(|h| match h {
                HazardSpec::ChemicalRelease(r) => Some(r.chemical.as_str()),
                _ => None,
            })
            .collect();
        chem_fire::spec::check_references(
            &chem_fires,
            &HazardSpec::labels(hazards),
            &release_chemical,
            &mut out,
        );
    }
    for (i, h) in loaded.scenario.hazards.iter().enumerate() {
        let HazardSpec::WildlandFire(spec) = h else {
            continue;
        };
        let path = format!("hazards[{i}]");
        if let Some(fr) = &spec.fuel_raster {
            let Ok(mut catalog) = fire::fuel::FuelCatalog::load_builtin() else {
                continue;
            };
            if let Some(f) = &spec.custom_fuels
                && let Ok(text) = std::fs::read_to_string(loaded.resolve(f))
            {
                let _ = catalog.add_ron(&text, f);
            }
            if let Err(p) =
                fire::layers::read_fuel_raster(fr, loaded, &path, terrain.spec, &catalog)
            {
                out.extend(p);
            }
        }
        if let Some(l) = &spec.canopy_layers
            && let Err(p) = fire::layers::read_canopy_layers(l, loaded, &path, terrain.spec)
        {
            out.extend(p);
        }
    }
    out
}

/// Adds the systems and state of every hazard in the scenario to a run.
pub fn install(builder: &mut SimBuilder<'_>) {
    let scenario = builder.scenario();
    let mut floods = Vec::new();
    let mut releases = Vec::new();
    let mut fires = Vec::new();
    let mut chem_fires = Vec::new();
    for (i, h) in scenario.scenario.hazards.iter().enumerate() {
        match h {
            HazardSpec::Flood(spec) => floods.push((i, spec)),
            HazardSpec::ChemicalRelease(spec) => releases.push((i, spec)),
            HazardSpec::WildlandFire(spec) => fires.push((i, spec)),
            HazardSpec::ChemicalFire(spec) => chem_fires.push((i, spec)),
        }
    }
    if !floods.is_empty() {
        flood::plugin::install(builder, floods);
    }
    // A scenario with injects keeps a gas model ready for live releases.
    if !releases.is_empty() || !scenario.scenario.injects.is_empty() {
        gas::plugin::install(builder, releases);
    }
    if !fires.is_empty() {
        fire::plugin::install(builder, fires);
    }
    if !chem_fires.is_empty() {
        chem_fire::plugin::install(builder, chem_fires);
    }
}
