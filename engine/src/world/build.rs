//! Builds a scenario's [`Terrain`]: reads or generates the elevation, checks raster sizes
//! against the declared grid, and derives the layers. Problems are reported at the
//! scenario field that named the file, with the raster reader's own location and hint.

use std::path::Path;

use super::grid::{Grid, GridSpec};
use super::raster::{self, Raster, RasterError};
use super::terrain::{Terrain, build_layers, generate};
use crate::scenario::problem::Problem;
use crate::scenario::types::{LandCoverSource, ManningSource, TerrainSource};
use crate::scenario::{LoadedScenario, ScenarioError};

fn read_raster(path: &Path) -> Result<Raster, RasterError> {
    let r = raster::read_raster(path)?;
    r.require_projected(path)?;
    Ok(r)
}

fn raster_problem(field: &str, written: &str, e: &RasterError) -> Problem {
    if matches!(e.kind, raster::RasterErrorKind::Io) {
        return Problem::new(
            field,
            "an existing, readable raster file",
            format!("\"{written}\" ({})", e.found),
            format!(
                "paths are relative to the scenario file; this one resolves to {}",
                e.path.display()
            ),
        );
    }
    let at = match (e.line, e.column) {
        (Some(l), Some(c)) => format!(" at {l}:{c}"),
        (Some(l), None) => format!(" at line {l}"),
        _ => String::new(),
    };
    let expected = if e.expected.is_empty() {
        "a valid raster".to_owned()
    } else {
        format!("{} in the raster", e.expected)
    };
    Problem::new(
        field,
        expected,
        format!("\"{written}\"{at}: {}", e.message),
        e.hint.clone(),
    )
}

/// The grid a scenario declares, for procedural terrain.
fn declared_spec(s: &LoadedScenario) -> Option<GridSpec> {
    let m = &s.scenario.map;
    let origin = m.origin.map_or([0.0, 0.0], |o| [o.x, o.y]);
    Some(GridSpec {
        width: m.width?,
        height: m.height?,
        cell_size: m.cell_size_m?,
        origin,
    })
}

/// Builds the terrain and layers of `s`.
pub fn build_terrain(s: &LoadedScenario) -> Result<Terrain, ScenarioError> {
    let map = &s.scenario.map;
    let mut problems = Vec::new();
    let (elevation, river, epsg) = match &map.terrain {
        TerrainSource::AsciiGrid(p) | TerrainSource::GeoTiff(p) => {
            let raster = read_raster(&s.resolve(p))
                .map_err(|e| s.diagnose(vec![raster_problem("map.terrain", p, &e)]))?;
            let spec = *raster.grid.spec();
            for (field, declared, found) in [
                ("map.width", map.width.map(|v| v as f64), spec.width as f64),
                (
                    "map.height",
                    map.height.map(|v| v as f64),
                    spec.height as f64,
                ),
                ("map.cell_size_m", map.cell_size_m, spec.cell_size),
            ] {
                if let Some(d) = declared
                    && (d - found).abs() > 1e-9 * found.abs().max(1.0)
                {
                    problems.push(Problem::new(
                        field,
                        format!("{found} to match the terrain raster \"{p}\""),
                        d,
                        "omit width, height and cell_size_m for file terrain: they are read from the file",
                    ));
                }
            }
            if let Some(o) = map.origin
                && ((o.x - spec.origin[0]).abs() > 1e-6 || (o.y - spec.origin[1]).abs() > 1e-6)
            {
                problems.push(Problem::new(
                    "map.origin",
                    format!(
                        "({}, {}) to match the terrain raster",
                        spec.origin[0], spec.origin[1]
                    ),
                    format!("({}, {})", o.x, o.y),
                    "omit origin for file terrain: it is read from the file",
                ));
            }
            let mut z = raster.grid;
            let missing = z.data().iter().filter(|v| !v.is_finite()).count();
            if missing > 0 {
                // Nodata holes in a DEM are filled with the lowest valid elevation so models
                // see finite ground; they are reported in `drillsim info`.
                let low = z.finite_range().map_or(0.0, |r| r.0);
                z.data_mut()
                    .iter_mut()
                    .filter(|v| !v.is_finite())
                    .for_each(|v| *v = low);
            }
            let river = Grid::filled(spec, false);
            (z, river, map.epsg.or(raster.epsg))
        }
        source => {
            let spec = declared_spec(s).ok_or_else(|| {
                s.diagnose(vec![Problem::new(
                    "map",
                    "width, height and cell_size_m",
                    "missing values",
                    "procedural terrain needs the grid size",
                )])
            })?;
            let (z, river) = generate(source, spec)
                .unwrap_or_else(|| (Grid::filled(spec, 0.0), Grid::filled(spec, false)));
            (z, river, map.epsg)
        }
    };
    let spec = *elevation.spec();
    let mut layer_raster = |field: &str, p: &str| -> Option<Grid<f32>> {
        match read_raster(&s.resolve(p)) {
            Err(e) => {
                problems.push(raster_problem(field, p, &e));
                None
            }
            Ok(r) if r.grid.spec().width != spec.width || r.grid.spec().height != spec.height => {
                problems.push(Problem::new(
                    field,
                    format!(
                        "a raster of {}×{} cells like the terrain",
                        spec.width, spec.height
                    ),
                    format!("\"{p}\" with {}×{} cells", r.grid.width(), r.grid.height()),
                    "all rasters of a scenario share the terrain's grid; resample it first",
                ));
                None
            }
            Ok(r) => Some(r.grid),
        }
    };
    let lc = match &s.scenario.layers.land_cover {
        LandCoverSource::Raster { path, .. } => layer_raster("layers.land_cover.path", path),
        LandCoverSource::Uniform(_) => None,
    };
    let n = match &s.scenario.layers.manning {
        ManningSource::Raster(path) => layer_raster("layers.manning", path),
        _ => None,
    };
    if !problems.is_empty() {
        return Err(s.diagnose(problems));
    }
    let (land_cover, manning, fuel) =
        build_layers(&s.scenario.layers, spec, &river, lc.as_ref(), n.as_ref())
            .map_err(|p| s.diagnose(p))?;
    Ok(Terrain {
        spec,
        epsg,
        elevation,
        land_cover,
        manning,
        fuel,
    })
}
