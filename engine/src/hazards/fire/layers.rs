//! Fuel and canopy rasters of a wildland-fire hazard: a fuel model raster (e.g. LANDFIRE
//! FBFM13 / FBFM40 codes) and the four canopy layers (cover, stand height, base height,
//! bulk density) as rasters or constants, read on the scenario's grid with located
//! problems for missing files, wrong sizes, unknown codes and out-of-range values.
//!
//! ## Model
//! Fuel raster values are fuel model numbers: by default a value v selects the catalogue
//! model whose `number` is v — Anderson 1–13 (LANDFIRE FBFM13), Scott & Burgan 101–204
//! and non-burnable 91–99 (LANDFIRE FBFM40) — unless `codes` maps v to a catalogue code
//! explicitly. Nodata cells become non-burnable (NB9, bare ground). Canopy layers are
//! multiplied by their `scale` (LANDFIRE stores CH and CBH in m×10, CBD in kg/m³×100:
//! scales 0.1, 0.1, 0.01); nodata canopy cells have no canopy.
//!
//! ## Units
//! Canopy cover in percent (0–100) in the scenario, stored as a fraction; heights m;
//! bulk density kg/m³.
//!
//! ## Assumptions
//! Every raster has the terrain's grid (same width and height; resample first). Canopy
//! layers apply wherever cover > 0, whatever the land cover.
//!
//! ## References
//! - Scott, J.H.; Burgan, R.E. 2005. RMRS-GTR-153 (fuel model numbers 91–204).
//! - Anderson, H.E. 1982. Aids to determining fuel models for estimating fire behavior.
//!   INT-122 (models 1–13).
//! - LANDFIRE. Fuel (FBFM13, FBFM40) and canopy (CC, CH, CBH, CBD) product descriptions,
//!   U.S. Department of the Interior / USDA Forest Service.

use serde::{Deserialize, Serialize};

use super::fuel::FuelCatalog;
use super::landscape::CanopyGrids;
use crate::scenario::LoadedScenario;
use crate::scenario::problem::{Problem, check_range, join};
use crate::world::grid::{Grid, GridSpec};
use crate::world::raster::{RasterError, RasterErrorKind, read_raster};

/// A fuel model raster.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FuelRasterSpec {
    /// `.asc` or `.tif` file of fuel model numbers, relative to the scenario file.
    pub path: String,
    /// Explicit (raster value, catalogue code) pairs; they take precedence over the
    /// numbers of the catalogue (e.g. `[(1, "GR2"), (2, "TU5")]` for a custom legend).
    #[serde(default)]
    pub codes: Vec<(i64, String)>,
}

/// A raster layer with a scale factor applied to its values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RasterLayer {
    /// `.asc` or `.tif` file, relative to the scenario file.
    pub path: String,
    /// Multiplier of the stored values (e.g. 0.1 for LANDFIRE heights in m×10).
    #[serde(default = "one")]
    pub scale: f64,
}

fn one() -> f64 {
    1.0
}

/// One canopy layer: a constant or a raster.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LayerSource {
    /// The same value everywhere.
    Constant(f64),
    /// Values from a raster.
    Raster(RasterLayer),
}

/// The four canopy layers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CanopyLayers {
    /// Canopy cover, percent (0–100).
    pub cover_pct: LayerSource,
    /// Stand height, m.
    pub height_m: LayerSource,
    /// Canopy base height, m.
    pub base_height_m: LayerSource,
    /// Canopy bulk density, kg/m³.
    pub bulk_density_kg_m3: LayerSource,
}

/// (field, valid range, unit, hint) of each canopy layer.
const CANOPY_FIELDS: [(&str, f64, f64, &str, &str); 4] = [
    ("cover_pct", 0.0, 100.0, "%", "canopy cover in percent"),
    ("height_m", 0.0, 150.0, "m", "stand height"),
    ("base_height_m", 0.0, 100.0, "m", "canopy base height"),
    (
        "bulk_density_kg_m3",
        0.0,
        2.0,
        "kg/m³",
        "typ. 0.05–0.3 kg/m³",
    ),
];

impl CanopyLayers {
    fn layers(&self) -> [&LayerSource; 4] {
        [
            &self.cover_pct,
            &self.height_m,
            &self.base_height_m,
            &self.bulk_density_kg_m3,
        ]
    }

    /// Reports out-of-range constants and scales.
    pub fn check(&self, path: &str, out: &mut Vec<Problem>) {
        for (layer, (name, lo, hi, unit, hint)) in self.layers().into_iter().zip(CANOPY_FIELDS) {
            let p = join(path, name);
            match layer {
                LayerSource::Constant(v) => check_range(out, &p, *v, lo, hi, unit, hint),
                LayerSource::Raster(r) => check_range(
                    out,
                    &join(&p, "scale"),
                    r.scale,
                    1e-9,
                    1e9,
                    "",
                    "a positive multiplier of the stored values",
                ),
            }
        }
    }
}

/// A raster read problem at `field` (the reader's location and hint included).
fn raster_problem(field: &str, written: &str, e: &RasterError) -> Problem {
    if matches!(e.kind, RasterErrorKind::Io) {
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
    Problem::new(
        field,
        "a valid raster",
        format!("\"{written}\"{at}: {}", e.message),
        e.hint.clone(),
    )
}

/// Reads the raster at `written` (relative to the scenario) on `grid`, or reports why not.
fn read_on_grid(
    loaded: &LoadedScenario,
    field: &str,
    written: &str,
    grid: GridSpec,
    out: &mut Vec<Problem>,
) -> Option<Grid<f32>> {
    let file = loaded.resolve(written);
    let r = match read_raster(&file).and_then(|r| r.require_projected(&file).map(|()| r)) {
        Ok(r) => r,
        Err(e) => {
            out.push(raster_problem(field, written, &e));
            return None;
        }
    };
    let s = r.grid.spec();
    if s.width != grid.width || s.height != grid.height {
        out.push(Problem::new(
            field,
            format!(
                "a raster of {}×{} cells like the terrain",
                grid.width, grid.height
            ),
            format!("\"{written}\" with {}×{} cells", s.width, s.height),
            "all rasters of a scenario share the terrain's grid; resample it first",
        ));
        return None;
    }
    Some(r.grid)
}

/// Catalogue index per cell from a fuel raster; `path` is the hazard's field path
/// (e.g. `hazards[0]`).
pub fn read_fuel_raster(
    spec: &FuelRasterSpec,
    loaded: &LoadedScenario,
    path: &str,
    grid: GridSpec,
    catalog: &FuelCatalog,
) -> Result<Grid<u16>, Vec<Problem>> {
    let field = join(&join(path, "fuel_raster"), "path");
    let mut out = Vec::new();
    let mut explicit = Vec::with_capacity(spec.codes.len());
    for (k, (v, code)) in spec.codes.iter().enumerate() {
        match catalog.index_of(code) {
            Some(i) => explicit.push((*v, i as u16)),
            None => out.push(Problem::new(
                format!("{}[{k}]", join(&join(path, "fuel_raster"), "codes")),
                "a fuel model code of the catalogue",
                format!("\"{code}\""),
                format!("close codes: {}", catalog.close_codes(code).join(", ")),
            )),
        }
    }
    let raw = read_on_grid(loaded, &field, &spec.path, grid, &mut out);
    let (Some(raw), true) = (raw, out.is_empty()) else {
        return Err(out);
    };
    let bare = catalog.index_of("NB9").unwrap_or(0) as u16;
    // Unknown values: (value, first column, first row, count), in order of first sight.
    let mut unknown: Vec<(i64, usize, usize, usize)> = Vec::new();
    let fuel = Grid::from_fn(grid, |c, r| {
        let v = *raw.get(c, r);
        if !v.is_finite() {
            return bare;
        }
        let n = v.round() as i64;
        let hit = explicit
            .iter()
            .find(|(x, _)| *x == n)
            .map(|(_, i)| *i)
            .or_else(|| {
                catalog
                    .models()
                    .iter()
                    .position(|m| i64::from(m.number) == n)
                    .map(|i| i as u16)
            });
        hit.unwrap_or_else(|| {
            match unknown.iter_mut().find(|u| u.0 == n) {
                Some(u) => u.3 += 1,
                None => unknown.push((n, c, r, 1)),
            }
            bare
        })
    });
    if unknown.is_empty() {
        return Ok(fuel);
    }
    let listed: Vec<String> = unknown
        .iter()
        .take(5)
        .map(|(v, c, r, n)| format!("{v} ({n} cells, first at column {c}, row {r})"))
        .collect();
    Err(vec![Problem::new(
        field,
        "fuel model numbers of the catalogue (1–13, 91–99, 101–204 or custom models)",
        format!("\"{}\" has unknown values {}", spec.path, listed.join("; ")),
        "map them with `codes: [(value, \"GR2\"), …]` or add custom fuel models",
    )])
}

/// Canopy grids from the layers (constants or rasters); `path` is the hazard's field path.
pub fn read_canopy_layers(
    layers: &CanopyLayers,
    loaded: &LoadedScenario,
    path: &str,
    grid: GridSpec,
) -> Result<CanopyGrids, Vec<Problem>> {
    let base = join(path, "canopy_layers");
    let mut out = Vec::new();
    layers.check(&base, &mut out);
    let mut grids: Vec<Grid<f32>> = Vec::with_capacity(4);
    for (layer, (name, lo, hi, unit, _)) in layers.layers().into_iter().zip(CANOPY_FIELDS) {
        let factor = if name == "cover_pct" { 0.01 } else { 1.0 };
        match layer {
            LayerSource::Constant(v) => grids.push(Grid::filled(grid, (v * factor) as f32)),
            LayerSource::Raster(r) => {
                let field = join(&join(&join(&base, name), "Raster"), "path");
                let Some(g) = read_on_grid(loaded, &field, &r.path, grid, &mut out) else {
                    continue;
                };
                let scaled = g.map(|&v| {
                    if v.is_finite() {
                        v * r.scale as f32
                    } else {
                        0.0
                    }
                });
                let bad = scaled
                    .data()
                    .iter()
                    .position(|v| !(f64::from(*v) >= lo - 1e-6 && f64::from(*v) <= hi + 1e-6));
                if let Some(i) = bad {
                    out.push(Problem::new(
                        field,
                        format!("values from {lo} to {hi} {unit} after scale {}", r.scale),
                        format!(
                            "\"{}\" has {} at column {}, row {}",
                            r.path,
                            scaled.data()[i],
                            i % grid.width,
                            i / grid.width
                        ),
                        "check the units and the `scale` of the layer",
                    ));
                }
                grids.push(scaled.map(|&v| v * factor as f32));
            }
        }
    }
    if !out.is_empty() {
        return Err(out);
    }
    let mut it = grids.into_iter();
    let (Some(cover), Some(height_m), Some(base_height_m), Some(bulk_density_kg_m3)) =
        (it.next(), it.next(), it.next(), it.next())
    else {
        return Err(vec![Problem::new(
            base,
            "four canopy layers",
            "fewer",
            "give cover_pct, height_m, base_height_m and bulk_density_kg_m3",
        )]);
    };
    Ok(CanopyGrids {
        cover,
        height_m,
        base_height_m,
        bulk_density_kg_m3,
    })
}
