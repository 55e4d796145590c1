//! The world the hazards act on: rasters ([`grid::Grid`]), terrain, weather, the clock
//! and the seeded random streams. Depends on nothing else in the engine.

pub mod grid;
pub mod raster;

pub use grid::{Grid, GridSpec};
