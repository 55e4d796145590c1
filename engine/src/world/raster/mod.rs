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
    HillshadeParams, Ramp, blend_hillshade, colorize, hillshade, horn_gradient, land_cover_color,
    land_cover_rgba, shaded_relief, write_png,
};

use std::path::Path;

use super::grid::{Grid, GridSpec};

/// Reads a terrain raster, choosing the format by extension: `.asc` (ESRI ASCII grid) or
/// `.tif`/`.tiff` (GeoTIFF), case-insensitive.
pub fn read_raster(path: &Path) -> Result<Raster, RasterError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("asc") => read_ascii(path),
        Some("tif" | "tiff") => read_geotiff(path),
        other => Err(RasterError::new(
            path,
            RasterErrorKind::Unsupported,
            "unknown raster file type",
            "a .asc (ESRI ASCII grid) or .tif/.tiff (GeoTIFF) file",
            other.map_or_else(|| "no extension".to_owned(), |e| format!("`.{e}`")),
            "convert it, e.g. `gdal_translate -of GTiff in out.tif`",
        )),
    }
}

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

    /// An error unless the raster has exactly the geometry `expected` (size, cell size,
    /// and lower-left corner within 1e-6 of a cell). `path` is the file it came from.
    pub fn require_spec(&self, path: &Path, expected: &GridSpec) -> Result<(), RasterError> {
        let s = self.grid.spec();
        let tol = 1e-6 * expected.cell_size.abs().max(f64::MIN_POSITIVE);
        let close = |a: f64, b: f64| (a - b).abs() <= tol;
        if s.width == expected.width
            && s.height == expected.height
            && close(s.cell_size, expected.cell_size)
            && close(s.origin[0], expected.origin[0])
            && close(s.origin[1], expected.origin[1])
        {
            return Ok(());
        }
        let show = |g: &GridSpec| {
            format!(
                "{} × {} cells of {} m, lower-left corner ({}, {})",
                g.width, g.height, g.cell_size, g.origin[0], g.origin[1]
            )
        };
        Err(RasterError::new(
            path,
            RasterErrorKind::Size,
            "the raster does not match the scenario's grid",
            show(expected),
            show(s),
            "resample it onto the scenario grid, e.g. `gdalwarp -te xmin ymin xmax ymax -tr \
             cell cell in.tif out.tif`, or change the map section to match the raster",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispatch_by_extension_and_spec_check() {
        let dir = tempfile::tempdir().unwrap();
        let spec = GridSpec {
            width: 3,
            height: 2,
            cell_size: 5.0,
            origin: [10.0, 20.0],
        };
        let g = Grid::from_fn(spec, |c, r| (c + 10 * r) as f32);
        let (asc, tif) = (dir.path().join("a.ASC"), dir.path().join("b.tiff"));
        write_ascii(&asc, &g, None).unwrap();
        write_geotiff(&tif, &g, None, Some(32633)).unwrap();
        for p in [&asc, &tif] {
            let r = read_raster(p).unwrap();
            assert_eq!(r.grid, g);
            r.require_spec(p, &spec).unwrap();
            r.require_projected(p).unwrap();
            let other = GridSpec {
                origin: [10.0, 25.0],
                ..spec
            };
            let e = r.require_spec(p, &other).unwrap_err();
            assert_eq!(e.kind, RasterErrorKind::Size);
            assert!(
                e.expected.contains("(10, 25)") && e.found.contains("(10, 20)"),
                "{e}"
            );
        }
        let e = read_raster(&dir.path().join("c.png")).unwrap_err();
        assert_eq!(e.kind, RasterErrorKind::Unsupported);
    }
}
