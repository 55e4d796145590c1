//! The world the hazards act on: rasters ([`grid::Grid`]) and their file formats
//! ([`raster`]), terrain and layers, weather, and the seeded random streams. Depends only
//! on `scenario` types.

pub mod build;
pub mod contour;
pub mod grid;
pub mod raster;
pub mod rng;
pub mod terrain;
pub mod weather;

pub use grid::{Grid, GridSpec};
