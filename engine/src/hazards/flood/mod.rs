//! Flood inundation: two validated 2D shallow-water solvers on the scenario grid
//! (local inertial for speed, finite-volume HLL for shocks), with inflow hydrographs,
//! rain-on-grid, drainage sinks, edge conditions, breaches and weirs, and the outputs
//! other systems read (depth, velocity, maxima, arrival time, hazard rating, budget).
//!
//! Depends only on `world` (grids) and `scenario::problem`. [`FloodModel`] is a plain
//! struct: build it with [`FloodModel::new`], call [`FloodModel::advance`] once per
//! agent tick, read outputs; `Clone + Serialize + Deserialize` give exact snapshots.
//!
//! ## Model
//! See [`local_inertial`] (Bates et al. 2010; de Almeida et al. 2012) and
//! [`finite_volume`] (Audusse et al. 2004). Each `advance` sub-steps with the
//! solver's stable step and lands exactly on `t + dt`; per sub-step: breach geometry,
//! solver step (fluxes, rain, drainage, edges), then inflows and weirs.
//!
//! ## Units
//! SI throughout (m, s, m³/s); rain and drainage rates in mm/h at the interface.
//!
//! ## Assumptions
//! Square cells; rain rate constant over one `advance` call.
//!
//! ## References
//! - Bates, Horritt & Fewtrell (2010), J. Hydrol. 387, 33–45.
//! - de Almeida, Bates, Freer & Souvignet (2012), Water Resour. Res. 48, W05528.
//! - Audusse, Bouchut, Bristeau, Klein & Perthame (2004), SIAM J. Sci. Comput. 25,
//!   2050–2065.
//! - Defra/EA FD2320/FD2321 (2005, 2006) for the hazard rating.

pub mod active;
mod control;
pub mod finite_volume;
mod li_rows;
#[cfg(test)]
mod li_tests;
pub mod local_inertial;
pub mod outputs;
pub mod plugin;
pub mod sources;
pub mod spec;
pub mod state;

use serde::{Deserialize, Serialize};

pub use finite_volume::FiniteVolume;
pub use local_inertial::LocalInertial;
pub use outputs::{FloodSample, HazardClass, MassBalance, hazard_rating};
pub use plugin::FloodHazards;
pub use sources::FloodEvent;
pub use spec::{
    Boundaries, Breach, Drainage, EdgeBoundary, FloodNumerics, FloodSolver, FloodSpec, Inflow,
    InflowLocation, InitialWater, RainZone, Region, TimeSeries, Weir,
};

use crate::world::{Grid, GridSpec};
use sources::Sources;
use state::{Budget, Core, Edge, Edges, Forcing};

/// Why a flood could not be built or advanced.
#[derive(Debug, thiserror::Error)]
pub enum FloodError {
    /// The spec has out-of-range values (one line per problem).
    #[error("invalid flood spec:\n{0}")]
    InvalidSpec(String),
    /// A raster does not match the grid or holds bad values.
    #[error("bad raster {name}: {detail}")]
    BadRaster {
        /// Which raster.
        name: &'static str,
        /// What is wrong.
        detail: String,
    },
    /// A source or structure lies outside the grid.
    #[error("flood source: {0}")]
    Source(String),
    /// Bad arguments to `advance`.
    #[error("bad flood step: {0}")]
    BadStep(String),
    /// The solution blew up (NaN or a vanishing time step).
    #[error("flood solver became unstable at t = {t_s} s")]
    Unstable {
        /// Simulation time (s).
        t_s: f64,
    },
}

/// The solver-specific state.
#[derive(Clone, Debug, Serialize, Deserialize)]
enum Solver {
    LocalInertial(LocalInertial),
    FiniteVolume(FiniteVolume),
}

/// A running flood simulation on one grid.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FloodModel {
    spec: FloodSpec,
    core: Core,
    solver: Solver,
    sources: Sources,
    time_s: f64,
    max_h: f32,
    max_wave: f32,
    steps: u64,
}

fn check_raster(
    name: &'static str,
    g: &Grid<f32>,
    spec: &GridSpec,
    lo: f32,
) -> Result<(), FloodError> {
    if g.spec() != spec {
        return Err(FloodError::BadRaster {
            name,
            detail: "its grid differs from the elevation grid".into(),
        });
    }
    if let Some(i) = g.data().iter().position(|v| !(v.is_finite() && *v >= lo)) {
        let (c, r) = (i % spec.width, i / spec.width);
        return Err(FloodError::BadRaster {
            name,
            detail: format!(
                "value {} at cell ({c}, {r}) is not a finite number ≥ {lo}",
                g.data()[i]
            ),
        });
    }
    Ok(())
}

impl FloodModel {
    /// Builds a flood at t = 0 from its spec, the bed elevation (m) and Manning's n
    /// (s m^-1/3) on the same grid.
    pub fn new(
        spec: FloodSpec,
        elevation: &Grid<f32>,
        manning: &Grid<f32>,
    ) -> Result<Self, FloodError> {
        let mut problems = Vec::new();
        spec.check("flood", &mut problems);
        if !problems.is_empty() {
            let lines: Vec<String> = problems
                .iter()
                .map(|p| {
                    format!(
                        "  {}: expected {}, found {} {}",
                        p.path, p.expected, p.found, p.hint
                    )
                })
                .collect();
            return Err(FloodError::InvalidSpec(lines.join("\n")));
        }
        let grid = *elevation.spec();
        if grid.is_empty() || !(grid.cell_size.is_finite() && grid.cell_size > 0.0) {
            return Err(FloodError::BadRaster {
                name: "elevation",
                detail: "the grid is empty or its cell size is not > 0".into(),
            });
        }
        check_raster("elevation", elevation, &grid, -1e5)?;
        check_raster("manning", manning, &grid, 0.0)?;
        let z = elevation.data().to_vec();
        let mut h = vec![0.0_f32; grid.len()];
        for iw in &spec.initial_water {
            for r in 0..grid.height {
                for c in 0..grid.width {
                    let [x, y] = grid.cell_center(c, r);
                    if iw.region.contains(x, y) {
                        let i = grid.index(c, r);
                        h[i] = h[i].max((iw.level_m as f32 - z[i]).max(0.0));
                    }
                }
            }
        }
        let per_cell = |f: &dyn Fn(f64, f64) -> Option<f64>| -> Vec<f32> {
            let mut v = vec![0.0_f32; grid.len()];
            for r in 0..grid.height {
                for c in 0..grid.width {
                    let [x, y] = grid.cell_center(c, r);
                    v[grid.index(c, r)] = f(x, y).unwrap_or(0.0) as f32;
                }
            }
            v
        };
        let rain_mult = (!spec.rain_zones.is_empty()).then(|| {
            per_cell(&|x, y| {
                Some(
                    spec.rain_zones
                        .iter()
                        .rev()
                        .find(|z| z.region.contains(x, y))
                        .map_or(1.0, |z| z.multiplier),
                )
            })
        });
        let drain_m_s = (!spec.drainage.is_empty()).then(|| {
            per_cell(&|x, y| {
                let mm_h: f64 = spec
                    .drainage
                    .iter()
                    .filter(|d| d.region.contains(x, y))
                    .map(|d| d.rate_mm_h)
                    .sum();
                Some(mm_h / 3.6e6)
            })
        });
        let dry = spec.numerics.dry_depth_m as f32;
        let arrival = h
            .iter()
            .map(|&d| if d > dry { 0.0 } else { -1.0 })
            .collect();
        let b = &spec.boundaries;
        let forced = [&b.north, &b.south, &b.east, &b.west]
            .map(|e| matches!(e, EdgeBoundary::FixedLevel(_)));
        let mut core = Core {
            grid,
            z_base: z.clone(),
            z,
            n: manning.data().to_vec(),
            max_depth: h.clone(),
            max_speed: vec![0.0; grid.len()],
            arrival,
            h_res: vec![0.0; h.len()],
            h,
            rain_mult,
            drain_m_s,
            active: active::ActiveRows::new(grid.width, grid.height),
            forced_edges: forced,
            dry_depth: dry,
            velocity_depth: spec.numerics.velocity_depth_m as f32,
            budget: Budget::default(),
            rows: Vec::new(),
        };
        core.budget.initial_m3 = core.volume();
        core.ensure_scratch();
        let sources = Sources::new(&spec, &grid).map_err(FloodError::Source)?;
        let solver = match spec.solver {
            FloodSolver::LocalInertial => Solver::LocalInertial(LocalInertial::new(
                grid.width,
                grid.height,
                spec.numerics.theta,
                spec.numerics.cfl.unwrap_or(0.7),
                spec.numerics.max_froude,
            )),
            FloodSolver::FiniteVolume => Solver::FiniteVolume(FiniteVolume::new(
                grid.width,
                grid.height,
                spec.numerics.cfl.unwrap_or(0.45),
            )),
        };
        let max_h = core.h.iter().copied().fold(0.0, f32::max);
        let max_wave = (state::G * max_h).sqrt();
        Ok(Self {
            spec,
            core,
            solver,
            sources,
            time_s: 0.0,
            max_h,
            max_wave,
            steps: 0,
        })
    }

    /// Replaces the spatial rain multiplier with a raster (≥ 0 on the model's grid).
    pub fn set_rain_multiplier(&mut self, m: &Grid<f32>) -> Result<(), FloodError> {
        check_raster("rain multiplier", m, &self.core.grid, 0.0)?;
        self.core.rain_mult = Some(m.data().to_vec());
        Ok(())
    }

    /// Replaces the drainage capacity with a raster in mm/h (≥ 0 on the model's grid).
    pub fn set_drainage_mm_h(&mut self, d: &Grid<f32>) -> Result<(), FloodError> {
        check_raster("drainage", d, &self.core.grid, 0.0)?;
        self.core.drain_m_s = Some(d.data().iter().map(|&v| v / 3.6e6).collect());
        Ok(())
    }

    /// Advances from `t_s` to exactly `t_s + dt_s` under a uniform rain rate (mm/h,
    /// times the spatial multiplier); returns the events of the interval.
    pub fn advance(
        &mut self,
        t_s: f64,
        dt_s: f64,
        rain_mm_h: f64,
    ) -> Result<Vec<FloodEvent>, FloodError> {
        if !(t_s.is_finite() && dt_s.is_finite() && dt_s >= 0.0) {
            return Err(FloodError::BadStep(format!("t = {t_s} s, dt = {dt_s} s")));
        }
        if !(rain_mm_h.is_finite() && rain_mm_h >= 0.0) {
            return Err(FloodError::BadStep(format!("rain rate {rain_mm_h} mm/h")));
        }
        self.core.ensure_scratch();
        let mut events = Vec::new();
        let t_end = t_s + dt_s;
        self.time_s = t_s;
        let dx = self.core.grid.cell_size;
        let rain_m_s = (rain_mm_h / 3.6e6) as f32;
        while self.time_s < t_end {
            self.sources
                .update_breaches(&mut self.core, self.time_s, &mut events);
            let stable = match &self.solver {
                Solver::LocalInertial(s) => s.stable_dt(dx, self.max_h, self.max_wave),
                Solver::FiniteVolume(s) => s.stable_dt(dx, self.max_wave),
            };
            let mut dt = stable.min(self.spec.numerics.max_time_step_s);
            let last = self.time_s + dt >= t_end - 1e-9 * t_end.abs().max(1.0);
            if last {
                dt = t_end - self.time_s;
            }
            if (dt.is_nan() || dt <= 1e-7) && !last {
                return Err(FloodError::Unstable { t_s: self.time_s });
            }
            let b = &self.spec.boundaries;
            let t = self.time_s;
            let forcing = Forcing {
                dt: dt as f32,
                rain_m_s,
                t_end: (t + dt) as f32,
                edges: Edges {
                    north: Edge::at(&b.north, t),
                    south: Edge::at(&b.south, t),
                    east: Edge::at(&b.east, t),
                    west: Edge::at(&b.west, t),
                },
            };
            let (mh, mw) = match &mut self.solver {
                Solver::LocalInertial(s) => s.step(&mut self.core, &forcing),
                Solver::FiniteVolume(s) => s.step(&mut self.core, &forcing),
            };
            self.sources.apply(&mut self.core, t, dt);
            self.max_h = mh;
            self.max_wave = mw;
            if !self.sources.is_empty() {
                // Inflows may have deepened cells beyond the solver's maximum.
                self.max_h = self.max_h.max(self.sources.max_depth(&self.core));
                self.max_wave = self.max_wave.max((state::G * self.max_h).sqrt());
            }
            if !(self.max_h.is_finite() && self.max_wave.is_finite()) {
                return Err(FloodError::Unstable { t_s: self.time_s });
            }
            self.time_s = if last { t_end } else { t + dt };
            self.steps += 1;
        }
        Ok(events)
    }

    /// The grid geometry.
    pub fn grid(&self) -> &GridSpec {
        &self.core.grid
    }

    /// Current simulation time (s).
    pub fn time_s(&self) -> f64 {
        self.time_s
    }

    /// Solver sub-steps taken so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// The spec the model was built from.
    pub fn spec(&self) -> &FloodSpec {
        &self.spec
    }

    /// Depth (m) as a borrowed row-major slice (no copy).
    pub fn depth_slice(&self) -> &[f32] {
        &self.core.h
    }

    fn raster(&self, data: Vec<f32>) -> Grid<f32> {
        Grid::from_vec(self.core.grid, data).unwrap_or_else(|| Grid::filled(self.core.grid, 0.0))
    }

    fn velocity_at(&self, i: usize) -> (f32, f32) {
        match &self.solver {
            Solver::LocalInertial(s) => s.velocity(&self.core, i),
            Solver::FiniteVolume(s) => s.velocity(&self.core, i),
        }
    }

    /// Water depth (m).
    pub fn depth(&self) -> Grid<f32> {
        self.raster(self.core.h.clone())
    }

    /// Eastward velocity (m/s; 0 where the depth is at most
    /// [`FloodNumerics::velocity_depth_m`]).
    pub fn velocity_u(&self) -> Grid<f32> {
        self.raster(
            (0..self.core.h.len())
                .map(|i| self.velocity_at(i).0)
                .collect(),
        )
    }

    /// Northward velocity (m/s; 0 where the depth is at most
    /// [`FloodNumerics::velocity_depth_m`]).
    pub fn velocity_v(&self) -> Grid<f32> {
        self.raster(
            (0..self.core.h.len())
                .map(|i| self.velocity_at(i).1)
                .collect(),
        )
    }

    /// Water-surface elevation z + h (m).
    pub fn water_surface(&self) -> Grid<f32> {
        self.raster(
            self.core
                .z
                .iter()
                .zip(&self.core.h)
                .map(|(z, h)| z + h)
                .collect(),
        )
    }

    /// Current bed elevation (m), including breach lowering.
    pub fn elevation(&self) -> Grid<f32> {
        self.raster(self.core.z.clone())
    }

    /// Largest depth reached so far (m).
    pub fn max_depth(&self) -> Grid<f32> {
        self.raster(self.core.max_depth.clone())
    }

    /// Largest speed reached so far (m/s), counted only while a cell is deeper than
    /// [`FloodNumerics::velocity_depth_m`].
    pub fn max_speed(&self) -> Grid<f32> {
        self.raster(self.core.max_speed.clone())
    }

    /// Time of first wetting above the dry threshold (s); NaN where never wet.
    pub fn arrival_time(&self) -> Grid<f32> {
        self.raster(
            self.core
                .arrival
                .iter()
                .map(|&a| if a < 0.0 { f32::NAN } else { a })
                .collect(),
        )
    }

    /// Current FD2320 hazard rating HR = d (v + 0.5) + DF.
    pub fn hazard_rating(&self) -> Grid<f32> {
        let dry = self.core.dry_depth;
        self.raster(
            (0..self.core.h.len())
                .map(|i| {
                    let d = self.core.h[i];
                    if d <= dry {
                        return 0.0;
                    }
                    let (u, v) = self.velocity_at(i);
                    hazard_rating(f64::from(d), f64::from(u.hypot(v))) as f32
                })
                .collect(),
        )
    }

    /// Area (m²) of cells deeper than the spec's flooded-depth threshold
    /// ([`FloodSpec::flooded_depth_m`], 15 cm by default).
    pub fn flooded_area_m2(&self) -> f64 {
        let t = self
            .spec
            .flooded_depth_m()
            .max(f64::from(self.core.dry_depth));
        self.area_deeper_than(t)
    }

    /// Area (m²) of cells deeper than the dry threshold (any water, rain film included).
    pub fn wet_area_m2(&self) -> f64 {
        self.area_deeper_than(f64::from(self.core.dry_depth))
    }

    fn area_deeper_than(&self, t_m: f64) -> f64 {
        self.core.h.iter().filter(|&&d| f64::from(d) > t_m).count() as f64
            * self.core.grid.cell_area()
    }

    /// Stored water volume (m³).
    pub fn volume_m3(&self) -> f64 {
        self.core.volume()
    }

    /// The water budget since t = 0.
    pub fn mass_balance(&self) -> MassBalance {
        let b = self.core.budget;
        let stored = self.core.volume();
        let input = b.initial_m3 + b.inflow_m3 + b.rain_m3;
        let error = input - b.drainage_m3 - b.boundary_outflow_m3 - stored;
        MassBalance {
            initial_m3: b.initial_m3,
            inflow_m3: b.inflow_m3,
            rain_m3: b.rain_m3,
            drainage_m3: b.drainage_m3,
            boundary_outflow_m3: b.boundary_outflow_m3,
            stored_m3: stored,
            error_m3: error,
            relative_error: error.abs() / input.max(stored).max(1e-30),
        }
    }

    /// Depth and velocity of cell `(col, row)`, or `None` outside the grid.
    pub fn cell(&self, col: usize, row: usize) -> Option<FloodSample> {
        let g = &self.core.grid;
        if col >= g.width || row >= g.height {
            return None;
        }
        let i = g.index(col, row);
        let (u, v) = self.velocity_at(i);
        Some(FloodSample {
            depth_m: f64::from(self.core.h[i]),
            u_m_s: f64::from(u),
            v_m_s: f64::from(v),
        })
    }

    /// Depth and velocity at world point `(x, y)` (the containing cell), or `None`
    /// outside the grid.
    pub fn sample(&self, x: f64, y: f64) -> Option<FloodSample> {
        let (c, r) = self.core.grid.cell_at(x, y)?;
        self.cell(c, r)
    }

    /// Cells the last step planned to update (diagnostics: proportional-work check).
    pub fn active_cells(&self) -> usize {
        self.core.active.planned_cells()
    }
}

#[cfg(test)]
mod area_tests {
    use super::{FloodModel, FloodSpec, InitialWater, Region};
    use crate::world::{Grid, GridSpec};

    /// Still water 10 cm deep on a flat 10 × 8 grid of 5 m cells (2000 m²): wet
    /// everywhere, flooded nowhere at the default 15 cm, flooded everywhere at 5 cm.
    #[test]
    fn flooded_area_counts_only_water_deeper_than_the_threshold() {
        let g = GridSpec {
            width: 10,
            height: 8,
            cell_size: 5.0,
            origin: [0.0, 0.0],
        };
        let build = |threshold: Option<f64>| {
            let spec = FloodSpec {
                flooded_depth_m: threshold,
                initial_water: vec![InitialWater {
                    region: Region::Rectangle {
                        min: [0.0, 0.0],
                        max: [50.0, 40.0],
                    },
                    level_m: 0.1,
                }],
                ..FloodSpec::default()
            };
            FloodModel::new(spec, &Grid::filled(g, 0.0_f32), &Grid::filled(g, 0.03_f32)).unwrap()
        };
        let m = build(None);
        assert_eq!(m.wet_area_m2(), 2000.0);
        assert_eq!(m.flooded_area_m2(), 0.0);
        assert_eq!(build(Some(0.05)).flooded_area_m2(), 2000.0);
    }
}
