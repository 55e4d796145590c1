//! The world the hazards act on: rasters ([`grid::Grid`]), terrain and layers, weather,
//! and the seeded random streams. Depends only on `scenario` types.

pub mod build;
pub mod grid;
pub mod rng;
pub mod terrain;
pub mod weather;

pub use grid::{Grid, GridSpec};
