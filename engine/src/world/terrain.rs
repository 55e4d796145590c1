//! Terrain and static layers: elevation (from a raster file or a procedural generator),
//! land cover, Manning roughness and wildland fuel model per cell.
//!
//! ## Model
//! Procedural generators are geometric: a plane, a straight valley (floor falling
//! downstream, sides rising linearly, optional rectangular river channel and levees), and
//! sums of Gaussian hills placed by their own seeded stream.
//! Default Manning n per land-cover class follow Chow (1959) Table 5-6 ("normal" values
//! of the floodplain and channel rows named beside each entry); default fuel models
//! follow Scott & Burgan (2005) (NB codes for non-burnable cover).
//!
//! ## Units
//! Elevation m; Manning n s·m^-1/3; cell size m.
//!
//! ## References
//! - Chow, V. T. (1959). *Open-Channel Hydraulics*. McGraw-Hill, Table 5-6.
//! - Scott, J. H.; Burgan, R. E. (2005). Standard fire behavior fuel models. USDA Forest
//!   Service RMRS-GTR-153.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::grid::{Grid, GridSpec};
use crate::scenario::check::FUEL_CODES;
use crate::scenario::problem::Problem;
use crate::scenario::types::{
    FuelSource, HillsSpec, LandCover, LandCoverSource, Layers, ManningSource, TerrainSource,
    ValleySpec,
};

/// Default Manning n of a class (Chow 1959, Table 5-6, normal values).
pub fn default_manning(class: LandCover) -> f64 {
    match class {
        LandCover::Water => 0.030,     // natural stream, clean, straight
        LandCover::Urban => 0.015,     // concrete, float finish (buildings not resolved)
        LandCover::Road => 0.013,      // asphalt, smooth
        LandCover::Cropland => 0.040,  // cultivated area, mature field crops
        LandCover::Grassland => 0.035, // pasture, high grass
        LandCover::Shrubland => 0.070, // medium to dense brush, in winter
        LandCover::Forest => 0.100,    // heavy stand of timber, flood stage below branches
        LandCover::Wetland => 0.070,   // very weedy reaches, deep pools
        LandCover::Bare => 0.025,      // earth channel, gravel, clean
    }
}

/// Default fuel model code of a class (Scott & Burgan 2005).
pub fn default_fuel(class: LandCover) -> &'static str {
    match class {
        LandCover::Water => "NB8",
        LandCover::Urban => "NB1",
        LandCover::Road | LandCover::Bare => "NB9",
        LandCover::Cropland => "NB3",
        LandCover::Grassland => "GR2",
        LandCover::Shrubland => "SH5",
        LandCover::Forest => "TU5",
        LandCover::Wetland => "GR7",
    }
}

/// Index of a fuel code in [`FUEL_CODES`].
pub fn fuel_index(code: &str) -> Option<u8> {
    FUEL_CODES.iter().position(|c| *c == code).map(|i| i as u8)
}

/// Elevation and static layers of a scenario, shared read-only by all models.
#[derive(Clone, Debug, Serialize, Deserialize, bevy_ecs::resource::Resource)]
pub struct Terrain {
    /// Grid geometry.
    pub spec: GridSpec,
    /// EPSG code of the CRS, if known.
    pub epsg: Option<u32>,
    /// Ground elevation, m (finite everywhere).
    pub elevation: Grid<f32>,
    /// Land-cover class codes ([`LandCover::code`]).
    pub land_cover: Grid<u8>,
    /// Manning n, s·m^-1/3.
    pub manning: Grid<f32>,
    /// Fuel model, index into [`FUEL_CODES`].
    pub fuel: Grid<u8>,
}

/// Builds the elevation of a procedural terrain and the mask of river cells.
pub fn generate(source: &TerrainSource, spec: GridSpec) -> Option<(Grid<f32>, Grid<bool>)> {
    let no_river = || Grid::filled(spec, false);
    match source {
        TerrainSource::AsciiGrid(_) | TerrainSource::GeoTiff(_) => None,
        TerrainSource::Flat { elevation_m } => {
            Some((Grid::filled(spec, *elevation_m as f32), no_river()))
        }
        TerrainSource::Slope {
            elevation_m,
            gradient,
            uphill_toward_deg,
        } => {
            let (sx, sy) = unit(*uphill_toward_deg);
            let c = centre(&spec);
            let z = par_grid(spec, |x, y| {
                elevation_m + gradient * ((x - c[0]) * sx + (y - c[1]) * sy)
            });
            Some((z, no_river()))
        }
        TerrainSource::Valley(v) => Some(valley(v, spec)),
        TerrainSource::Hills(h) => Some((hills(h, spec), no_river())),
    }
}

fn unit(azimuth_deg: f64) -> (f64, f64) {
    let r = azimuth_deg.to_radians();
    (r.sin(), r.cos())
}

fn centre(spec: &GridSpec) -> [f64; 2] {
    [
        spec.origin[0] + spec.extent_x() / 2.0,
        spec.origin[1] + spec.extent_y() / 2.0,
    ]
}

/// Fills a grid in parallel over rows from world coordinates of cell centres.
fn par_grid(spec: GridSpec, f: impl Fn(f64, f64) -> f64 + Sync) -> Grid<f32> {
    let mut g = Grid::filled(spec, 0.0f32);
    g.data_mut()
        .par_chunks_mut(spec.width)
        .enumerate()
        .for_each(|(row, cells)| {
            for (col, z) in cells.iter_mut().enumerate() {
                let [x, y] = spec.cell_center(col, row);
                *z = f(x, y) as f32;
            }
        });
    g
}

fn valley(v: &ValleySpec, spec: GridSpec) -> (Grid<f32>, Grid<bool>) {
    let (dx, dy) = unit(v.downstream_toward_deg);
    let c = centre(&spec);
    // Upstream-most along-axis coordinate over the grid's corners.
    let corners = [
        [spec.origin[0], spec.origin[1]],
        [spec.origin[0] + spec.extent_x(), spec.origin[1]],
        [spec.origin[0], spec.y_max()],
        [spec.origin[0] + spec.extent_x(), spec.y_max()],
    ];
    let s_min = corners
        .iter()
        .map(|p| (p[0] - c[0]) * dx + (p[1] - c[1]) * dy)
        .fold(f64::INFINITY, f64::min);
    let half_cell = spec.cell_size / 2.0;
    let river_half = v.river.as_ref().map(|r| (r.width_m / 2.0).max(half_cell));
    let floor = |x: f64, y: f64| {
        let (px, py) = (x - c[0], y - c[1]);
        let s = px * dx + py * dy;
        let n = (px * dy - py * dx).abs();
        let mut z = v.floor_elevation_m - v.along_slope * (s - s_min)
            + v.side_slope * (n - v.floor_half_width_m).max(0.0);
        if let (Some(r), Some(half)) = (&v.river, river_half) {
            if n <= half {
                z -= r.depth_m;
            }
            if let Some(l) = &v.levees {
                let centre_line = half + l.setback_m + l.crest_width_m / 2.0;
                if (n - centre_line).abs() <= (l.crest_width_m / 2.0).max(half_cell) {
                    z += l.height_m;
                }
            }
        }
        (z, river_half.is_some_and(|h| n <= h))
    };
    let z = par_grid(spec, |x, y| floor(x, y).0);
    let river = Grid::from_fn(spec, |col, row| {
        let [x, y] = spec.cell_center(col, row);
        floor(x, y).1
    });
    (z, river)
}

fn hills(h: &HillsSpec, spec: GridSpec) -> Grid<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(h.seed);
    let (lo, hi) = h.radius_m;
    let placed: Vec<(f64, f64, f64, f64)> = (0..h.count)
        .map(|_| {
            let x = spec.origin[0] + rng.random::<f64>() * spec.extent_x();
            let y = spec.origin[1] + rng.random::<f64>() * spec.extent_y();
            let height = h.max_height_m * (0.3 + 0.7 * rng.random::<f64>());
            let sigma = lo + (hi - lo) * rng.random::<f64>();
            (x, y, height, sigma)
        })
        .collect();
    par_grid(spec, |x, y| {
        let mut z = h.base_elevation_m;
        for &(hx, hy, height, sigma) in &placed {
            let r2 = (x - hx).powi(2) + (y - hy).powi(2);
            if r2 < 25.0 * sigma * sigma {
                z += height * (-r2 / (2.0 * sigma * sigma)).exp();
            }
        }
        z
    })
}

/// Land cover codes, Manning n and fuel indices, as built by [`build_layers`].
pub type LayerGrids = (Grid<u8>, Grid<f32>, Grid<u8>);

/// Builds land cover, Manning n and fuel from the scenario's layers. `river` marks cells
/// forced to water; `land_cover_raster` holds the codes of a land-cover raster if the
/// scenario uses one, `manning_raster` the n values of a Manning raster.
pub fn build_layers(
    layers: &Layers,
    spec: GridSpec,
    river: &Grid<bool>,
    land_cover_raster: Option<&Grid<f32>>,
    manning_raster: Option<&Grid<f32>>,
) -> Result<LayerGrids, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut land_cover = match (&layers.land_cover, land_cover_raster) {
        (LandCoverSource::Raster { legend, .. }, Some(codes)) => {
            let mut unknown: Option<(usize, f32)> = None;
            let g = Grid::from_fn(spec, |c, r| {
                let v = *codes.get(c, r);
                match legend.iter().find(|e| v.is_finite() && e.code as f32 == v) {
                    Some(e) => e.class.code(),
                    None => {
                        unknown.get_or_insert((spec.index(c, r), v));
                        LandCover::Bare.code()
                    }
                }
            });
            if let Some((i, v)) = unknown {
                problems.push(Problem::new(
                    "layers.land_cover.legend",
                    "a legend entry for every code in the raster",
                    format!(
                        "code {v} at cell ({}, {}) without an entry",
                        i % spec.width,
                        i / spec.width
                    ),
                    "add (code, class) for it, or fix the raster's nodata value",
                ));
            }
            g
        }
        (LandCoverSource::Uniform(_), _) | (_, None) => {
            let class = match &layers.land_cover {
                LandCoverSource::Uniform(c) => *c,
                LandCoverSource::Raster { .. } => LandCover::Grassland,
            };
            Grid::filled(spec, class.code())
        }
    };
    for (lc, &is_river) in land_cover.data_mut().iter_mut().zip(river.data()) {
        if is_river {
            *lc = LandCover::Water.code();
        }
    }
    let class_manning = |class: LandCover| {
        layers
            .classes
            .iter()
            .find(|o| o.class == class)
            .and_then(|o| o.manning)
            .unwrap_or_else(|| default_manning(class))
    };
    let manning = match (&layers.manning, manning_raster) {
        (ManningSource::Uniform(n), _) => Grid::filled(spec, *n as f32),
        (ManningSource::Raster(_), Some(n)) => {
            if let Some(bad) = n
                .data()
                .iter()
                .find(|v| !(v.is_finite() && **v > 0.0 && **v <= 1.0))
            {
                problems.push(Problem::new(
                    "layers.manning",
                    "Manning n values in (0, 1]",
                    format!("{bad} in the raster"),
                    "check the raster's units and nodata value",
                ));
            }
            n.clone()
        }
        _ => land_cover
            .map(|&c| class_manning(LandCover::from_code(c).unwrap_or(LandCover::Bare)) as f32),
    };
    let fuel = match &layers.fuel {
        FuelSource::Uniform(code) => Grid::filled(spec, fuel_index(code).unwrap_or(0)),
        FuelSource::FromLandCover => land_cover.map(|&c| {
            let class = LandCover::from_code(c).unwrap_or(LandCover::Bare);
            let code = layers
                .classes
                .iter()
                .find(|o| o.class == class)
                .and_then(|o| o.fuel.as_deref())
                .unwrap_or_else(|| default_fuel(class));
            fuel_index(code).unwrap_or(0)
        }),
    };
    if problems.is_empty() {
        Ok((land_cover, manning, fuel))
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::types::{LeveeSpec, RiverSpec};

    fn spec() -> GridSpec {
        GridSpec {
            width: 101,
            height: 81,
            cell_size: 10.0,
            origin: [0.0, 0.0],
        }
    }

    #[test]
    fn slope_rises_toward_its_azimuth() {
        let t = TerrainSource::Slope {
            elevation_m: 100.0,
            gradient: 0.05,
            uphill_toward_deg: 90.0,
        };
        let (z, _) = generate(&t, spec()).unwrap();
        // Centre cell (50, 40) holds the reference elevation; 10 cells east rise 5 m.
        assert!((z.get(50, 40) - 100.0).abs() < 1e-4);
        assert!((z.get(60, 40) - 105.0).abs() < 1e-4);
        assert!((z.get(50, 0) - 100.0).abs() < 1e-4);
    }

    #[test]
    fn valley_has_channel_levees_and_falls_downstream() {
        let v = ValleySpec {
            floor_elevation_m: 50.0,
            downstream_toward_deg: 90.0,
            along_slope: 0.001,
            side_slope: 0.02,
            floor_half_width_m: 200.0,
            river: Some(RiverSpec {
                width_m: 30.0,
                depth_m: 3.0,
            }),
            levees: Some(LeveeSpec {
                height_m: 2.0,
                crest_width_m: 10.0,
                setback_m: 10.0,
            }),
        };
        let (z, river) = generate(&TerrainSource::Valley(v), spec()).unwrap();
        // Row 40 is the axis (y = 405 m, centre 405 m): channel cells.
        assert!(*river.get(10, 40));
        assert!(!*river.get(10, 30));
        // Floor at upstream edge (x = 5 m → s − s_min = 5 m) minus depth.
        assert!(
            (z.get(0, 40) - (50.0 - 0.005 - 3.0)).abs() < 1e-3,
            "{}",
            z.get(0, 40)
        );
        // Falls 1 m per km downstream.
        assert!((z.get(0, 40) - z.get(100, 40) - 1.0).abs() < 1e-3);
        // Levee crest 15 + 10 + 5 = 30 m from the axis: rows 37 and 43 (±30 m).
        assert!((z.get(0, 37) - z.get(0, 35) - 2.0).abs() < 1e-3);
    }

    #[test]
    fn hills_are_deterministic_and_bounded() {
        let h = HillsSpec {
            base_elevation_m: 10.0,
            count: 5,
            max_height_m: 100.0,
            radius_m: (50.0, 150.0),
            seed: 9,
        };
        let (a, _) = generate(&TerrainSource::Hills(h.clone()), spec()).unwrap();
        let (b, _) = generate(&TerrainSource::Hills(h), spec()).unwrap();
        assert_eq!(a, b);
        let (lo, hi) = a.finite_range().unwrap();
        assert!(lo >= 10.0 && hi <= 10.0 + 5.0 * 100.0 && hi > 20.0);
    }

    #[test]
    fn default_layers_follow_land_cover() {
        let s = spec();
        let mut river = Grid::filled(s, false);
        river.set(3, 3, true);
        let (lc, n, fuel) = build_layers(&Layers::default(), s, &river, None, None).unwrap();
        assert_eq!(*lc.get(3, 3), LandCover::Water.code());
        assert_eq!(*n.get(3, 3), 0.030);
        assert_eq!(*n.get(0, 0), 0.035);
        assert_eq!(FUEL_CODES[usize::from(*fuel.get(0, 0))], "GR2");
        assert_eq!(FUEL_CODES[usize::from(*fuel.get(3, 3))], "NB8");
    }
}
