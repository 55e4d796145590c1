//! Terrain and result raster I/O: ESRI ASCII grids (read and write), single-band GeoTIFFs
//! (read, plus a small `f32` writer), and PNG rendering (hillshade, colour ramps).
//!
//! Every reader returns a [`Raster`]: a [`Grid<f32>`] whose origin is the lower-left
//! corner of the lower-left cell, with nodata cells as `NaN`, plus the file's nodata value
//! and EPSG code when it states them. Every failure is a [`RasterError`] that names the
//! file, the line and column where known, what was expected, what was found and a hint.
//! Readers never panic on malformed input; writers are atomic (temporary file, then
//! rename). Depends only on [`crate::world::grid`].

pub mod ascii;
mod atomic;
mod error;
pub mod geotiff;
pub mod render;

#[cfg(test)]
mod geotiff_tests;

pub use ascii::{parse_ascii, read_ascii, write_ascii};
pub use error::{RasterError, RasterErrorDetail, RasterErrorKind};
pub use geotiff::{read_geotiff, write_geotiff};
pub use render::{
    HillshadeParams, Ramp, blend_hillshade, colorize, hillshade, land_cover_color, land_cover_rgba,
    write_png,
};

use std::path::Path;

use super::grid::Grid;

/// A raster read from a file.
#[derive(Clone, Debug, PartialEq)]
pub struct Raster {
    /// Cell values; nodata cells are `NaN`. Origin = lower-left corner, row 0 = north.
    pub grid: Grid<f32>,
    /// The nodata value the file declared, if any.
    pub nodata: Option<f64>,
    /// EPSG code of the coordinate system, when the file states one (GeoTIFF only; ASCII
    /// grids carry none).
    pub epsg: Option<u32>,
    /// True when the coordinates are geographic (degrees), in which case `cell_size` and
    /// `origin` are in degrees, not metres. The engine needs metres: see
    /// [`Raster::require_projected`].
    pub is_geographic: bool,
}

impl Raster {
    /// An error unless the raster is in a projected (metric) coordinate system.
    /// `path` is the file it came from (used in the message).
    pub fn require_projected(&self, path: &Path) -> Result<(), RasterError> {
        if !self.is_geographic {
            return Ok(());
        }
        let crs = self.epsg.map_or_else(
            || "geographic coordinates".to_owned(),
            |e| format!("EPSG:{e}"),
        );
        Err(RasterError::new(
            path,
            RasterErrorKind::Georeference,
            "the raster is in degrees, but the engine works in metres",
            "a projected coordinate system in metres (e.g. UTM)",
            crs,
            "reproject it, e.g. `gdalwarp -t_srs EPSG:32619 -tr 30 30 -r bilinear in.tif out.tif` \
             with the UTM zone of the area (326zz north, 327zz south)",
        ))
    }
}
