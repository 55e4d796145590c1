//! Agents: the response to the hazards. Teams (forces) with their presets, facilities
//! (bases, depots, shelters, hospitals), population groups, the road network and
//! routing through the hazards, dispatch of tasks, movement, actions on the hazards, and
//! exposure and casualties along the paths actually taken.
//!
//! May depend on `scenario`, `world`, `hazards` and `sim`; hazards never import agents.
//! Agents read hazard fields through [`view::HazardView`] and change them only through
//! the hazards' public control methods (seal a leak, build fireline, wet cells).
//!
//! Teams, groups and tasks live in index-stable vectors of one resource
//! ([`state::Response`]) rather than as separate ECS entities: dispatch and tasks refer
//! to each other by index, snapshots restore them exactly, and every system iterates
//! them in a fixed order (see ARCHITECTURE.md).

pub mod act;
pub mod dispatch;
pub mod exposure;
pub mod metrics;
pub mod movement;
pub mod moving;
pub mod offroad;
pub mod plugin;
pub mod presets;
pub mod roads;
pub mod routing;
pub mod sense;
pub mod spec;
pub mod state;
pub mod view;

pub use plugin::install;

use crate::scenario::problem::{Problem, index};
use crate::scenario::types::Scenario;
use spec::{ForceSpec, PopulationSpec};

/// Checks the agents sections: values in range and unique ids.
pub fn check(s: &Scenario, out: &mut Vec<Problem>) {
    if let Some(r) = &s.roads {
        r.check("roads", out);
    }
    if let Some(r) = &s.response {
        r.check("response", out);
    }
    let mut ids = crate::scenario::problem::UniqueIds::default();
    let mut unique = |id: &str, path: String, out: &mut Vec<Problem>| ids.check(id, path, out);
    for (i, f) in s.forces.iter().enumerate() {
        let p = index("forces", i);
        f.check(&p, out);
        let ForceSpec::Team(t) = f;
        unique(&t.id, format!("{p}.id"), out);
    }
    for (i, f) in s.facilities.iter().enumerate() {
        let p = index("facilities", i);
        f.check(&p, out);
        unique(&f.site().id, format!("{p}.site.id"), out);
    }
    for (i, g) in s.population.iter().enumerate() {
        let p = index("population", i);
        g.check(&p, out);
        let id = match g {
            PopulationSpec::Group(g) => &g.site.id,
            PopulationSpec::Trapped(t) => &t.site.id,
            PopulationSpec::Raster(r) => &r.id,
        };
        unique(id, format!("{p}.site.id"), out);
    }
}
