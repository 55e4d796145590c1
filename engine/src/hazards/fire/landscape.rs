//! Inputs of the grid fire model: fuel model raster, terrain slope from the DEM, canopy
//! layers, and the run configuration.
//!
//! ## Model
//! Slope and aspect from the DEM by Horn's (1981) third-order finite difference on the
//! 3×3 neighbourhood, shared with hillshading ([`crate::world::raster::horn_gradient`];
//! one-sided at edges). The upslope azimuth is the direction of steepest
//! ascent, clockwise from north.
//!
//! ## Units
//! Elevation in m, slope as rise/run (tan θ), azimuths in degrees clockwise from north.
//!
//! ## Assumptions
//! Grid rows run north to south (row 0 = north) as in [`crate::world::grid`].
//!
//! ## References
//! - Horn, B.K.P. 1981. Hill shading and the reflectance map. Proc. IEEE 69(1): 14–47.

use serde::{Deserialize, Serialize};

use super::crown::Canopy;
use super::error::FireError;
use super::rothermel::FuelMoisture;
use super::spotting::SpottingConfig;
use crate::world::grid::{Grid, GridSpec};

/// Canopy layers as rasters (all on the fuel grid).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CanopyGrids {
    /// Canopy cover, fraction 0–1.
    pub cover: Grid<f32>,
    /// Stand height, m.
    pub height_m: Grid<f32>,
    /// Canopy base height, m.
    pub base_height_m: Grid<f32>,
    /// Canopy bulk density, kg/m³.
    pub bulk_density_kg_m3: Grid<f32>,
}

impl CanopyGrids {
    /// Uniform canopy over `spec`.
    pub fn uniform(spec: GridSpec, c: &Canopy) -> Self {
        Self {
            cover: Grid::filled(spec, c.cover as f32),
            height_m: Grid::filled(spec, c.height_m as f32),
            base_height_m: Grid::filled(spec, c.base_height_m as f32),
            bulk_density_kg_m3: Grid::filled(spec, c.bulk_density_kg_m3 as f32),
        }
    }

    /// Canopy of cell `i`.
    pub fn at(&self, i: usize) -> Canopy {
        Canopy {
            cover: f64::from(self.cover.data()[i]),
            height_m: f64::from(self.height_m.data()[i]),
            base_height_m: f64::from(self.base_height_m.data()[i]),
            bulk_density_kg_m3: f64::from(self.bulk_density_kg_m3.data()[i]),
        }
    }
}

/// The static landscape: fuel model indices (into a [`super::FuelCatalog`]), optional DEM,
/// optional canopy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Landscape {
    /// Fuel model catalogue index per cell.
    pub fuel: Grid<u16>,
    /// Elevation, m (flat if `None`).
    pub elevation_m: Option<Grid<f32>>,
    /// Canopy layers (no crown fire if `None`).
    pub canopy: Option<CanopyGrids>,
}

impl Landscape {
    /// Checks that all layers share the fuel grid's geometry.
    pub fn validate(&self) -> Result<(), FireError> {
        let spec = self.fuel.spec();
        if spec.is_empty() || !spec.cell_size.is_finite() || spec.cell_size <= 0.0 {
            return Err(FireError::InvalidInput(
                "fuel grid is empty or has cell size ≤ 0".into(),
            ));
        }
        let same = |s: &GridSpec, what: &str| {
            if s == spec {
                Ok(())
            } else {
                Err(FireError::InvalidInput(format!(
                    "{what} grid does not match the fuel grid"
                )))
            }
        };
        if let Some(e) = &self.elevation_m {
            same(e.spec(), "elevation")?;
        }
        if let Some(c) = &self.canopy {
            same(c.cover.spec(), "canopy cover")?;
            same(c.height_m.spec(), "canopy height")?;
            same(c.base_height_m.spec(), "canopy base height")?;
            same(c.bulk_density_kg_m3.spec(), "canopy bulk density")?;
        }
        Ok(())
    }
}

/// Run configuration of the grid fire model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FireConfig {
    /// Fuel moisture scenario (uniform).
    pub moisture: FuelMoisture,
    /// Foliar moisture content of the canopy, % (typ. 80–120).
    #[serde(default = "default_fmc")]
    pub foliar_moisture_pct: f64,
    /// Stencil radius of the minimum-travel-time search, cells (≥ 2; 5 gives 96
    /// directions, max. angular gap 11.3°).
    #[serde(default = "default_radius")]
    pub stencil_radius: i32,
    /// Apply Rothermel's wind limit.
    #[serde(default)]
    pub wind_limit: bool,
    /// Ember spotting; `None` disables it.
    #[serde(default)]
    pub spotting: Option<SpottingConfig>,
}

fn default_fmc() -> f64 {
    100.0
}
fn default_radius() -> i32 {
    5
}

impl FireConfig {
    /// Defaults for a moisture scenario: FMC 100 %, radius 5, no wind limit, no spotting.
    pub fn new(moisture: FuelMoisture) -> Self {
        Self {
            moisture,
            foliar_moisture_pct: default_fmc(),
            stencil_radius: default_radius(),
            wind_limit: false,
            spotting: None,
        }
    }

    /// Scenario check of all values.
    pub fn check(&self, path: &str, out: &mut Vec<crate::scenario::problem::Problem>) {
        use crate::scenario::problem::{check_range, join};
        self.moisture.check(&join(path, "moisture"), out);
        check_range(
            out,
            &join(path, "foliar_moisture_pct"),
            self.foliar_moisture_pct,
            30.0,
            300.0,
            "%",
            "foliar moisture of conifer needles is typically 80–120 %",
        );
        check_range(
            out,
            &join(path, "stencil_radius"),
            f64::from(self.stencil_radius),
            2.0,
            8.0,
            "cells",
            "use 5 unless you have a reason",
        );
        if let Some(s) = &self.spotting {
            s.check(&join(path, "spotting"), out);
        }
    }
}

/// Slope (tan θ) and upslope azimuth (degrees) per cell from a DEM (Horn 1981).
pub fn slope_from_dem(dem: &Grid<f32>) -> (Vec<f32>, Vec<f32>) {
    let (w, h) = (dem.width(), dem.height());
    let mut slope = vec![0.0f32; w * h];
    let mut up = vec![0.0f32; w * h];
    for r in 0..h {
        for c in 0..w {
            let [dzdx, dzdy] = crate::world::raster::horn_gradient(dem, c, r);
            let i = r * w + c;
            let s = dzdx.hypot(dzdy);
            slope[i] = s as f32;
            up[i] = if s > 0.0 {
                dzdx.atan2(dzdy).to_degrees().rem_euclid(360.0) as f32
            } else {
                0.0
            };
        }
    }
    (slope, up)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plane_slope_and_aspect() {
        // z = 0.3·y (rises to the north): slope 0.3, upslope azimuth 0°.
        let spec = GridSpec {
            width: 5,
            height: 5,
            cell_size: 10.0,
            origin: [0.0, 0.0],
        };
        let dem = Grid::from_fn(spec, |c, r| {
            let [_, y] = spec.cell_center(c, r);
            0.3 * y as f32
        });
        let (s, a) = slope_from_dem(&dem);
        assert!((s[12] - 0.3).abs() < 1e-5);
        assert!(a[12].abs() < 1e-3 || (a[12] - 360.0).abs() < 1e-3);
        // z = 0.2·x rises to the east: upslope 90°.
        let dem = Grid::from_fn(spec, |c, r| 0.2 * spec.cell_center(c, r)[0] as f32);
        let (s, a) = slope_from_dem(&dem);
        assert!((s[12] - 0.2).abs() < 1e-5 && (a[12] - 90.0).abs() < 1e-3);
    }
}
