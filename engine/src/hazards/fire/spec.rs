//! Proposed scenario section for a wildland fire hazard (`WildlandFire(...)` in RON):
//! serde types with `check()` and the helpers that turn them into model inputs
//! (ignitions, barrier lines burned into the fuel raster). The lead wires these into the
//! scenario format; the physics is in the other files of this module.
//!
//! ## Model
//! Barrier polylines (rivers, roads, firebreaks) are rasterised as non-burnable fuel
//! (NB8 water, NB1 developed/road, NB9 bare) with a 4-connected supercover of width
//! ≥ `width_m`, so fire cannot pass diagonally between two barrier cells.
//!
//! ## Units
//! Coordinates in m of the scenario CRS, times in s, moisture as fractions.
//!
//! ## Assumptions
//! Barrier widths below one cell still block a whole cell (the conservative choice).
//!
//! ## References
//! - Scott, J.H.; Burgan, R.E. 2005. RMRS-GTR-153 (NB codes).

use serde::{Deserialize, Serialize};

use super::crown::Canopy;
use super::error::FireError;
use super::fuel::FuelCatalog;
use super::landscape::FireConfig;
use super::layers::{CanopyLayers, FuelRasterSpec};
use super::moisture::FuelMoisture;
use super::spotting::SpottingConfig;
use crate::scenario::problem::{Problem, check_non_negative, check_range, index, join};
use crate::world::grid::Grid;

/// A point ignition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnitionSpec {
    /// Easting, m.
    pub x_m: f64,
    /// Northing, m.
    pub y_m: f64,
    /// Ignition time, s from scenario start.
    #[serde(default)]
    pub time_s: f64,
}

/// Kind of barrier (decides the non-burnable fuel code written).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BarrierKind {
    /// River or lake (NB8).
    Water,
    /// Road or built-up strip (NB1).
    Road,
    /// Cleared firebreak or bare ground (NB9).
    Firebreak,
}

/// A barrier line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BarrierSpec {
    /// What it is.
    pub kind: BarrierKind,
    /// Polyline vertices (x, y), m.
    pub line_m: Vec<[f64; 2]>,
    /// Width, m.
    pub width_m: f64,
}

/// The `WildlandFire(...)` hazard section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WildlandFireSpec {
    /// Name used in events and output files (default `fire<k>`, k counting fires).
    #[serde(default)]
    pub name: Option<String>,
    /// Ignition points.
    pub ignitions: Vec<IgnitionSpec>,
    /// Waits for an inject or disaster-chain link to start it; ignition times then count
    /// from that moment.
    #[serde(default)]
    pub dormant: bool,
    /// Fuel moisture scenario.
    pub moisture: FuelMoisture,
    /// Foliar moisture content, %.
    #[serde(default = "default_fmc")]
    pub foliar_moisture_pct: f64,
    /// Fuel model code (standard or custom) that replaces the scenario's fuel layer in
    /// every burnable cell; non-burnable cells (water, urban, roads, bare) stay barriers.
    /// `None` uses the layer as it is.
    #[serde(default)]
    pub fuel_override: Option<String>,
    /// Extra fuel model file (same RON format as `assets/fuel_models.ron`), path
    /// relative to the scenario file.
    #[serde(default)]
    pub custom_fuels: Option<String>,
    /// Canopy of the `Forest` land-cover cells (no crown fire elsewhere). Use either this
    /// or `canopy_layers`.
    #[serde(default)]
    pub canopy: Option<Canopy>,
    /// Fuel model raster replacing the terrain's fuel layer (e.g. LANDFIRE FBFM40).
    #[serde(default)]
    pub fuel_raster: Option<FuelRasterSpec>,
    /// Canopy layers as rasters or constants, applied wherever cover > 0.
    #[serde(default)]
    pub canopy_layers: Option<CanopyLayers>,
    /// Ember spotting; absent = off.
    #[serde(default)]
    pub spotting: Option<SpottingConfig>,
    /// Barrier lines burned into the fuel raster.
    #[serde(default)]
    pub barriers: Vec<BarrierSpec>,
    /// MTT stencil radius, cells.
    #[serde(default = "default_radius")]
    pub stencil_radius: i32,
}

fn default_fmc() -> f64 {
    100.0
}
fn default_radius() -> i32 {
    5
}

impl WildlandFireSpec {
    /// Reports out-of-range values.
    pub fn check(&self, path: &str, out: &mut Vec<Problem>) {
        if self.ignitions.is_empty() {
            out.push(Problem::new(
                join(path, "ignitions"),
                "at least one ignition",
                "[]",
                "add (x_m: …, y_m: …)",
            ));
        }
        for (k, ig) in self.ignitions.iter().enumerate() {
            let p = index(&join(path, "ignitions"), k);
            check_non_negative(
                out,
                &join(&p, "time_s"),
                ig.time_s,
                "s",
                "ignition time from scenario start",
            );
            if !(ig.x_m.is_finite() && ig.y_m.is_finite()) {
                out.push(Problem::new(
                    p,
                    "finite coordinates",
                    format!("({}, {})", ig.x_m, ig.y_m),
                    "metres in the scenario CRS",
                ));
            }
        }
        if let (Some(code), None) = (&self.fuel_override, &self.custom_fuels)
            && let Ok(cat) = FuelCatalog::load_builtin()
            && cat
                .index_of(&super::plugin::catalogue_code(code.trim()))
                .is_none()
        {
            out.push(Problem::new(
                join(path, "fuel_override"),
                "a fuel model code",
                format!("\"{code}\""),
                format!(
                    "Scott & Burgan (GR2, SH5, TU5, …) or Anderson 1–13; close codes: {}",
                    cat.close_codes(code).join(", ")
                ),
            ));
        }
        let cfg = self.config();
        cfg.check(path, out);
        if let Some(c) = &self.canopy {
            let p = join(path, "canopy");
            check_range(
                out,
                &join(&p, "cover"),
                c.cover,
                0.0,
                1.0,
                "",
                "a fraction 0–1",
            );
            check_non_negative(out, &join(&p, "height_m"), c.height_m, "m", "stand height");
            check_range(
                out,
                &join(&p, "base_height_m"),
                c.base_height_m,
                0.0,
                c.height_m.max(0.0),
                "m",
                "≤ stand height",
            );
            check_range(
                out,
                &join(&p, "bulk_density_kg_m3"),
                c.bulk_density_kg_m3,
                0.0,
                2.0,
                "kg/m³",
                "typ. 0.05–0.3",
            );
        }
        if let Some(l) = &self.canopy_layers {
            l.check(&join(path, "canopy_layers"), out);
            if self.canopy.is_some() {
                out.push(Problem::new(
                    join(path, "canopy_layers"),
                    "either `canopy` or `canopy_layers`",
                    "both",
                    "remove `canopy` (constant canopy on forest cells) or `canopy_layers`",
                ));
            }
        }
        if let Some(f) = &self.fuel_raster
            && f.path.trim().is_empty()
        {
            out.push(Problem::new(
                join(&join(path, "fuel_raster"), "path"),
                "a raster file path",
                "\"\"",
                "e.g. \"fuel.tif\", relative to the scenario file",
            ));
        }
        for (k, b) in self.barriers.iter().enumerate() {
            let p = index(&join(path, "barriers"), k);
            check_range(
                out,
                &join(&p, "width_m"),
                b.width_m,
                0.0,
                10_000.0,
                "m",
                "barrier width",
            );
            if b.line_m.len() < 2 {
                out.push(Problem::new(
                    join(&p, "line_m"),
                    "at least 2 vertices",
                    b.line_m.len(),
                    "a polyline [(x, y), …]",
                ));
            }
        }
    }

    /// The model configuration of this section.
    pub fn config(&self) -> FireConfig {
        FireConfig {
            moisture: self.moisture,
            foliar_moisture_pct: self.foliar_moisture_pct,
            stencil_radius: self.stencil_radius,
            wind_limit: false,
            spotting: self.spotting.clone(),
        }
    }
}

/// Writes barrier lines into a fuel raster as non-burnable codes (4-connected).
pub fn burn_barriers(
    fuel: &mut Grid<u16>,
    barriers: &[BarrierSpec],
    catalog: &FuelCatalog,
) -> Result<(), FireError> {
    let s = *fuel.spec();
    for b in barriers {
        let code = match b.kind {
            BarrierKind::Water => "NB8",
            BarrierKind::Road => "NB1",
            BarrierKind::Firebreak => "NB9",
        };
        let nb = catalog
            .index_of(code)
            .ok_or_else(|| FireError::InvalidInput(format!("{code} missing")))?
            as u16;
        let half = 0.5 * b.width_m.max(0.0);
        // Cells whose centre lies within max(width/2, √2/2 cell) of a segment: this covers
        // every cell the segment's square band touches (supercover), so the band is
        // 4-connected.
        let reach = (half / s.cell_size).max(0.707_2);
        for w in b.line_m.windows(2) {
            // Segment in cell units (x to the east, y to the south from the top-left).
            let to_cell = |p: [f64; 2]| {
                [
                    (p[0] - s.origin[0]) / s.cell_size,
                    (s.y_max() - p[1]) / s.cell_size,
                ]
            };
            let (p0, p1) = (to_cell(w[0]), to_cell(w[1]));
            let (lo_x, hi_x) = (p0[0].min(p1[0]) - reach, p0[0].max(p1[0]) + reach);
            let (lo_y, hi_y) = (p0[1].min(p1[1]) - reach, p0[1].max(p1[1]) + reach);
            let (dx, dy) = (p1[0] - p0[0], p1[1] - p0[1]);
            let len2 = dx * dx + dy * dy;
            let c0 = lo_x.floor().max(0.0) as usize;
            let r0 = lo_y.floor().max(0.0) as usize;
            let c1 = (hi_x.ceil().max(0.0) as usize).min(s.width);
            let r1 = (hi_y.ceil().max(0.0) as usize).min(s.height);
            for r in r0..r1 {
                for c in c0..c1 {
                    let (px, py) = (c as f64 + 0.5, r as f64 + 0.5);
                    let f = if len2 > 0.0 {
                        (((px - p0[0]) * dx + (py - p0[1]) * dy) / len2).clamp(0.0, 1.0)
                    } else {
                        0.0
                    };
                    let (qx, qy) = (p0[0] + f * dx, p0[1] + f * dy);
                    if (px - qx).hypot(py - qy) <= reach {
                        fuel.set(c, r, nb);
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::grid::GridSpec;

    #[test]
    fn ron_section_parses_and_checks() {
        let text = r#"(
            ignitions: [(x_m: 500.0, y_m: 400.0)],
            moisture: (dead_1h: 0.06, dead_10h: 0.07, dead_100h: 0.08, live_herb: 0.6, live_woody: 0.9),
            fuel_override: Some("GR2"),
            spotting: Some((ember_probability: 0.05, ignition_probability: 0.5)),
            barriers: [(kind: Water, line_m: [(0.0, 600.0), (1000.0, 650.0)], width_m: 40.0)],
        )"#;
        let spec: WildlandFireSpec = ron::from_str(text).unwrap();
        let mut out = Vec::new();
        spec.check("hazards[0]", &mut out);
        assert!(out.is_empty(), "{out:?}");
        let mut bad = spec.clone();
        bad.fuel_override = Some("GR22".into());
        bad.check("hazards[0]", &mut out);
        assert!(out.iter().any(|p| p.path == "hazards[0].fuel_override"));
        bad.moisture.dead_1h = 2.0;
        bad.ignitions.clear();
        bad.check("hazards[0]", &mut out);
        assert!(out.iter().any(|p| p.path == "hazards[0].moisture.dead_1h"));
        assert!(out.iter().any(|p| p.path == "hazards[0].ignitions"));
    }

    #[test]
    fn diagonal_barrier_is_four_connected() {
        let cat = FuelCatalog::load_builtin().unwrap();
        let spec = GridSpec {
            width: 30,
            height: 30,
            cell_size: 10.0,
            origin: [0.0, 0.0],
        };
        let mut fuel = Grid::filled(spec, cat.index_of("GR2").unwrap() as u16);
        let b = BarrierSpec {
            kind: BarrierKind::Road,
            line_m: vec![[0.0, 0.0], [300.0, 300.0]],
            width_m: 5.0,
        };
        burn_barriers(&mut fuel, &[b], &cat).unwrap();
        let nb = cat.index_of("NB1").unwrap() as u16;
        // Every diagonal step of the band is closed by a side neighbour.
        for r in 1..29 {
            for c in 1..29 {
                if *fuel.get(c, r) == nb && *fuel.get(c + 1, r - 1) == nb {
                    assert!(
                        *fuel.get(c + 1, r) == nb || *fuel.get(c, r - 1) == nb,
                        "gap at {c},{r}"
                    );
                }
            }
        }
    }
}
