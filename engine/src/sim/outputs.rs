//! What a run hands to its writers: rasters, extra files (e.g. GeoJSON threat zones) and
//! summary entries. Each capability registers an [`OutputFn`] with
//! [`super::SimBuilder::add_outputs`]; writers and viewers call
//! [`super::Simulation::collect_outputs`].

use bevy_ecs::prelude::*;

use crate::world::grid::Grid;
use crate::world::raster::Ramp;

/// A raster result, written under `rasters/` as `<name>.asc` and `<name>.png`.
pub struct NamedRaster {
    /// File stem with its unit, e.g. `max_depth_m`.
    pub name: String,
    /// Values (NaN = no data).
    pub grid: Grid<f32>,
    /// Colour ramp of the PNG.
    pub ramp: Ramp,
    /// Value range mapped onto the ramp; `None` uses the data's range.
    pub range: Option<(f32, f32)>,
}

/// Everything a run outputs besides the event log and time series.
#[derive(Default)]
pub struct RunOutputs {
    /// Rasters.
    pub rasters: Vec<NamedRaster>,
    /// Extra text files: (path relative to the run folder, contents).
    pub files: Vec<(String, String)>,
    /// Named summary entries (e.g. `"fire"` → burned area, …).
    pub summary: Vec<(String, serde_json::Value)>,
}

/// Adds a capability's outputs for the current state of `world`.
pub type OutputFn = fn(&World, &mut RunOutputs);

/// Registered output functions, in registration order.
#[derive(Resource, Default)]
pub struct OutputProviders(pub Vec<OutputFn>);
