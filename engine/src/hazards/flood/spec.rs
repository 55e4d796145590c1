//! Serde types describing one flood hazard: solver choice, initial water, inflow
//! hydrographs, drainage, boundaries, breaches and weirs, and numerical parameters.
//!
//! ## Model
//! Pure data; [`FloodSpec::check`] reports out-of-range values as located
//! [`Problem`]s. Functions of time are [`TimeSeries`] of `(t_s, value)` pairs, linearly
//! interpolated and held constant outside their range.
//!
//! ## Units
//! Positions in metres of the scenario CRS, levels in m (same datum as the DEM),
//! discharges in m³/s, rates in mm/h, times in s of simulation time.
//!
//! ## Assumptions
//! Regions select cells by their centre. A line (inflow, breach) selects every cell
//! its segments pass through.
//!
//! ## References
//! - Henderson, F. M. (1966). *Open Channel Flow*, §6.3: ideal broad-crested weir
//!   Q = (2/3)^{3/2} b √g H^{3/2} = 0.544 b √g H^{3/2}.
//! - Bos, M. G. (1989). *Discharge Measurement Structures*, 3rd ed., ILRI Publ. 20,
//!   §4.1: rectangular broad-crested weir discharge coefficient ≈ 0.93 of the ideal
//!   value, hence the default C_d = 0.93 × 0.544 ≈ 0.51 in Q = C_d b √g H^{3/2}.
//! - Villemonte, J. R. (1947). Submerged weir discharge studies. *Engineering
//!   News-Record* 139, 866–869: submergence factor (1 − (H_d/H_u)^{3/2})^{0.385}.

use serde::{Deserialize, Serialize};

use crate::scenario::problem::{
    Problem, check_non_negative, check_positive, check_range, index, join,
};

/// Which 2D solver integrates the shallow-water equations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum FloodSolver {
    /// Local inertial (Bates et al. 2010; de Almeida et al. 2012): fast, for gradually
    /// varying floodplain flow.
    #[default]
    LocalInertial,
    /// Finite-volume HLL with hydrostatic reconstruction (Audusse et al. 2004): for dam
    /// breaks, bores and supercritical flow.
    FiniteVolume,
}

/// A function of simulation time: `(t_s, value)` pairs with strictly increasing times,
/// linearly interpolated, constant before the first and after the last point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TimeSeries(pub Vec<(f64, f64)>);

impl TimeSeries {
    /// A series that is `value` at all times.
    pub fn constant(value: f64) -> Self {
        Self(vec![(0.0, value)])
    }

    /// Value at time `t` (linear interpolation; 0 for an empty series).
    pub fn at(&self, t: f64) -> f64 {
        let p = &self.0;
        let Some(&(t0, v0)) = p.first() else {
            return 0.0;
        };
        if t <= t0 {
            return v0;
        }
        let (tn, vn) = p[p.len() - 1];
        if t >= tn {
            return vn;
        }
        // First point with time > t; p is sorted so a binary search is exact.
        let k = p.partition_point(|&(ti, _)| ti <= t);
        let (ta, va) = p[k - 1];
        let (tb, vb) = p[k];
        va + (vb - va) * (t - ta) / (tb - ta)
    }

    /// Time of the last point (0 for an empty series).
    pub fn end_time(&self) -> f64 {
        self.0.last().map_or(0.0, |p| p.0)
    }

    /// Reports an empty series, non-finite values, non-increasing times, or values
    /// outside `[lo, hi]`.
    pub fn check(&self, path: &str, lo: f64, hi: f64, unit: &str, out: &mut Vec<Problem>) {
        if self.0.is_empty() {
            out.push(Problem::new(
                path,
                "at least one (t_s, value) point",
                "[]",
                "give e.g. [(0.0, 1.0)] for a constant",
            ));
        }
        for (i, &(t, v)) in self.0.iter().enumerate() {
            let p = index(path, i);
            check_range(out, &format!("{p}.0"), t, -1e12, 1e12, "s", "a finite time");
            check_range(out, &format!("{p}.1"), v, lo, hi, unit, "");
            if i > 0 && t <= self.0[i - 1].0 {
                out.push(Problem::new(
                    p,
                    "times strictly increasing",
                    t,
                    "sort the points by time and remove duplicates",
                ));
            }
        }
    }
}

/// An area of the map; a cell belongs to it when its centre is inside.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Region {
    /// Axis-aligned rectangle from `min` (x, y) to `max` (x, y) in m.
    Rectangle {
        /// Lower-left corner (m).
        min: [f64; 2],
        /// Upper-right corner (m).
        max: [f64; 2],
    },
    /// Simple polygon (at least 3 vertices, m), even-odd rule.
    Polygon(Vec<[f64; 2]>),
    /// The whole map.
    All,
}

impl Region {
    /// True when point `(x, y)` is inside.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        match self {
            Self::Rectangle { min, max } => {
                x >= min[0] && x <= max[0] && y >= min[1] && y <= max[1]
            }
            Self::Polygon(v) => {
                let mut inside = false;
                let mut j = v.len().wrapping_sub(1);
                for i in 0..v.len() {
                    let (a, b) = (v[i], v[j]);
                    if (a[1] > y) != (b[1] > y)
                        && x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0]
                    {
                        inside = !inside;
                    }
                    j = i;
                }
                inside
            }
            Self::All => true,
        }
    }

    fn check(&self, path: &str, out: &mut Vec<Problem>) {
        let finite = |p: &[f64; 2]| p[0].is_finite() && p[1].is_finite();
        match self {
            Self::Rectangle { min, max } => {
                if !(finite(min) && finite(max) && min[0] < max[0] && min[1] < max[1]) {
                    out.push(Problem::new(
                        path,
                        "a rectangle with min < max in x and y",
                        format!("{min:?}..{max:?}"),
                        "swap the corners or give a non-empty rectangle",
                    ));
                }
            }
            Self::Polygon(v) => {
                if v.len() < 3 || !v.iter().all(finite) {
                    out.push(Problem::new(
                        path,
                        "a polygon of at least 3 finite vertices",
                        format!("{} vertices", v.len()),
                        "list the polygon's corners in order",
                    ));
                }
            }
            Self::All => {}
        }
    }
}

/// Water initially standing at `level_m` (m above datum) over the region's cells whose
/// ground is lower.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InitialWater {
    /// Where the water stands.
    pub region: Region,
    /// Water-surface elevation (m).
    pub level_m: f64,
}

/// Where an inflow enters the grid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum InflowLocation {
    /// All water enters the cell containing this point (x, y in m).
    Point([f64; 2]),
    /// Water is shared equally by the cells a polyline passes through.
    Line(Vec<[f64; 2]>),
}

/// An inflow hydrograph (river, culvert, pump), e.g. an upstream river reach.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inflow {
    /// Name for reports.
    pub name: String,
    /// Point or line of entry.
    pub location: InflowLocation,
    /// Discharge (m³/s) over time; must be ≥ 0.
    pub discharge_m3_s: TimeSeries,
}

/// A drainage or infiltration sink removing water at `rate_mm_h` from wet cells of a
/// region (urban storm drains, soil infiltration capacity).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Drainage {
    /// Where the sink acts.
    pub region: Region,
    /// Maximum removal rate (mm/h); limited by the water present.
    pub rate_mm_h: f64,
}

/// A spatial rain multiplier: rain over the region is `multiplier` × the weather's rate.
/// Later entries override earlier ones; cells outside every entry get 1.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RainZone {
    /// Where the multiplier applies.
    pub region: Region,
    /// Multiplier (0 = roofed or sheltered, 1 = open ground).
    pub multiplier: f64,
}

/// Condition at one edge of the grid.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum EdgeBoundary {
    /// A wall: no flow through the edge.
    #[default]
    Closed,
    /// Water leaves freely (the terrain continues beyond the edge).
    FreeOutflow,
    /// A water body at a given level (m above datum) over time: a river stage or tide.
    /// Water flows out or in depending on the level.
    FixedLevel(TimeSeries),
}

/// Conditions at the four grid edges.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Boundaries {
    /// Top edge (row 0).
    #[serde(default)]
    pub north: EdgeBoundary,
    /// Bottom edge.
    #[serde(default)]
    pub south: EdgeBoundary,
    /// Right edge.
    #[serde(default)]
    pub east: EdgeBoundary,
    /// Left edge (column 0).
    #[serde(default)]
    pub west: EdgeBoundary,
}

/// A levee or dam breach: cells along a polyline (the crest) are lowered to
/// `bottom_m(t)` over a width `width_m(t)` centred on the polyline's midpoint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Breach {
    /// Name for events and reports.
    pub name: String,
    /// Crest line of the levee/dam section that may breach (m).
    pub polyline: Vec<[f64; 2]>,
    /// Breach width (m) over time; 0 = closed.
    pub width_m: TimeSeries,
    /// Breach bottom level (m above datum) over time; cells are never raised.
    pub bottom_m: TimeSeries,
}

/// A broad-crested weir or gate between two cells (e.g. a detention-basin inlet):
/// Q = C_d b √g H^{3/2}, with Villemonte's submergence reduction.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weir {
    /// Name for reports.
    pub name: String,
    /// A point in the cell on one side (m).
    pub from: [f64; 2],
    /// A point in the cell on the other side (m).
    pub to: [f64; 2],
    /// Crest level (m) over time; a moving gate is a changing crest.
    pub crest_m: TimeSeries,
    /// Crest width b (m).
    pub width_m: f64,
    /// C_d in Q = C_d b √g H^{3/2}; default 0.51 (Bos 1989; ideal value 0.544).
    #[serde(default = "default_weir_cd")]
    pub discharge_coefficient: f64,
}

fn default_weir_cd() -> f64 {
    0.51
}

/// Numerical parameters, with defaults from the cited papers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FloodNumerics {
    /// Depth (m) below which a face carries no flow (local inertial) and a cell counts
    /// as dry in outputs (flooded area, arrival). LISFLOOD-FP default 0.001 m.
    #[serde(default = "default_dry_depth")]
    pub dry_depth_m: f64,
    /// Courant number: α in dt = α Δx/√(g h_max) for local inertial (Bates et al. 2010
    /// recommend 0.7), or C in dt = C Δx / max(|u|+c) for finite volume (≤ 0.5 for
    /// positivity, Audusse et al. 2004). `None` picks 0.7 or 0.45. The local inertial
    /// step never exceeds its 2D stability bound 0.9 √(θ/2) (0.53 at θ = 0.7; see
    /// [`super::local_inertial`]).
    #[serde(default)]
    pub cfl: Option<f64>,
    /// θ of de Almeida et al. (2012); 1 = Bates et al. (2010). They recommend 0.7.
    #[serde(default = "default_theta")]
    pub theta: f64,
    /// Largest sub-step (s), used while the grid is dry or nearly so.
    #[serde(default = "default_max_dt")]
    pub max_time_step_s: f64,
    /// Depth (m) below which velocity is reported as zero (outputs, maximum speed,
    /// hazard rating, point queries). In a film of a few millimetres q / h amplifies
    /// any flux error a hundredfold, and FD2320's d (v + 0.5) is below 0.01 (v + 0.5)
    /// there anyway. Default 0.01 m; must be ≥ `dry_depth_m`.
    #[serde(default = "default_velocity_depth")]
    pub velocity_depth_m: f64,
    /// Local inertial only: largest Froude number of a face discharge,
    /// |q| ≤ Fr_max h_f √(g h_f), as LISFLOOD-FP's `max_Froude` option. The inertial
    /// equations drop advection and hold only for subcritical flow (Bates et al.
    /// 2010 §2; de Almeida & Bates 2013), so a limit of about 1 keeps thin sheet flow
    /// on steep slopes at plausible speeds. `None` (default) = no limit, which the
    /// planar wetting-front validation needs (Fr → ∞ at the front).
    #[serde(default)]
    pub max_froude: Option<f64>,
}

fn default_dry_depth() -> f64 {
    1e-3
}
fn default_theta() -> f64 {
    0.7
}
fn default_max_dt() -> f64 {
    10.0
}
fn default_velocity_depth() -> f64 {
    0.01
}

impl Default for FloodNumerics {
    fn default() -> Self {
        Self {
            dry_depth_m: default_dry_depth(),
            cfl: None,
            theta: default_theta(),
            max_time_step_s: default_max_dt(),
            velocity_depth_m: default_velocity_depth(),
            max_froude: None,
        }
    }
}

/// Everything a flood hazard needs besides the terrain rasters.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FloodSpec {
    /// The 2D solver.
    #[serde(default)]
    pub solver: FloodSolver,
    /// Water present at the start (rivers, reservoirs, a filled basin).
    #[serde(default)]
    pub initial_water: Vec<InitialWater>,
    /// Inflow hydrographs.
    #[serde(default)]
    pub inflows: Vec<Inflow>,
    /// Spatial rain multipliers (the rate itself comes from the weather).
    #[serde(default)]
    pub rain_zones: Vec<RainZone>,
    /// Drainage / infiltration sinks; rates of overlapping entries add.
    #[serde(default)]
    pub drainage: Vec<Drainage>,
    /// Edge conditions (default: all closed).
    #[serde(default)]
    pub boundaries: Boundaries,
    /// Levee/dam breaches.
    #[serde(default)]
    pub breaches: Vec<Breach>,
    /// Weirs and gates.
    #[serde(default)]
    pub weirs: Vec<Weir>,
    /// Numerical parameters.
    #[serde(default)]
    pub numerics: FloodNumerics,
    /// Depth (m) above which a cell counts as flooded in `flooded_area_m2` (default
    /// [`DEFAULT_FLOODED_DEPTH_M`]); `wet_area_m2` counts every cell deeper than
    /// `numerics.dry_depth_m`, rain film included.
    #[serde(default)]
    pub flooded_depth_m: Option<f64>,
}

/// Default flooded-area threshold, m: 15 cm, the waterlogging criterion of GB
/// 51222-2017 (城镇内涝防治技术规范: no more than 15 cm of water on a traffic lane).
/// Thinner sheets are rain on the ground, not flooding.
pub const DEFAULT_FLOODED_DEPTH_M: f64 = 0.15;

impl FloodSpec {
    /// The flooded-area threshold in use, m.
    pub fn flooded_depth_m(&self) -> f64 {
        self.flooded_depth_m.unwrap_or(DEFAULT_FLOODED_DEPTH_M)
    }
}

const LEVEL_LIMIT: f64 = 1e5;

fn check_point(out: &mut Vec<Problem>, path: &str, p: [f64; 2]) {
    if !(p[0].is_finite() && p[1].is_finite()) {
        out.push(Problem::new(
            path,
            "finite (x, y) in m",
            format!("{p:?}"),
            "",
        ));
    }
}

fn check_line(out: &mut Vec<Problem>, path: &str, line: &[[f64; 2]]) {
    if line.is_empty() {
        out.push(Problem::new(path, "at least one point", "[]", ""));
    }
    for (i, &p) in line.iter().enumerate() {
        check_point(out, &index(path, i), p);
    }
}

fn check_boundary(out: &mut Vec<Problem>, path: &str, b: &EdgeBoundary) {
    if let EdgeBoundary::FixedLevel(s) = b {
        s.check(path, -LEVEL_LIMIT, LEVEL_LIMIT, "m", out);
    }
}

impl FloodSpec {
    /// Reports every out-of-range value under `path`.
    pub fn check(&self, path: &str, out: &mut Vec<Problem>) {
        for (i, w) in self.initial_water.iter().enumerate() {
            let p = index(&join(path, "initial_water"), i);
            w.region.check(&join(&p, "region"), out);
            check_range(
                out,
                &join(&p, "level_m"),
                w.level_m,
                -LEVEL_LIMIT,
                LEVEL_LIMIT,
                "m",
                "",
            );
        }
        for (i, f) in self.inflows.iter().enumerate() {
            let p = index(&join(path, "inflows"), i);
            match &f.location {
                InflowLocation::Point(pt) => check_point(out, &join(&p, "location"), *pt),
                InflowLocation::Line(l) => check_line(out, &join(&p, "location"), l),
            }
            f.discharge_m3_s
                .check(&join(&p, "discharge_m3_s"), 0.0, 1e7, "m³/s", out);
        }
        for (i, z) in self.rain_zones.iter().enumerate() {
            let p = index(&join(path, "rain_zones"), i);
            z.region.check(&join(&p, "region"), out);
            check_range(
                out,
                &join(&p, "multiplier"),
                z.multiplier,
                0.0,
                100.0,
                "",
                "",
            );
        }
        for (i, d) in self.drainage.iter().enumerate() {
            let p = index(&join(path, "drainage"), i);
            d.region.check(&join(&p, "region"), out);
            check_non_negative(out, &join(&p, "rate_mm_h"), d.rate_mm_h, "mm/h", "");
        }
        let b = join(path, "boundaries");
        check_boundary(out, &join(&b, "north"), &self.boundaries.north);
        check_boundary(out, &join(&b, "south"), &self.boundaries.south);
        check_boundary(out, &join(&b, "east"), &self.boundaries.east);
        check_boundary(out, &join(&b, "west"), &self.boundaries.west);
        for (i, br) in self.breaches.iter().enumerate() {
            let p = index(&join(path, "breaches"), i);
            check_line(out, &join(&p, "polyline"), &br.polyline);
            br.width_m.check(&join(&p, "width_m"), 0.0, 1e6, "m", out);
            br.bottom_m
                .check(&join(&p, "bottom_m"), -LEVEL_LIMIT, LEVEL_LIMIT, "m", out);
        }
        for (i, w) in self.weirs.iter().enumerate() {
            let p = index(&join(path, "weirs"), i);
            check_point(out, &join(&p, "from"), w.from);
            check_point(out, &join(&p, "to"), w.to);
            w.crest_m
                .check(&join(&p, "crest_m"), -LEVEL_LIMIT, LEVEL_LIMIT, "m", out);
            check_positive(out, &join(&p, "width_m"), w.width_m, "m", "");
            check_range(
                out,
                &join(&p, "discharge_coefficient"),
                w.discharge_coefficient,
                0.1,
                1.0,
                "",
                "broad-crested weirs: about 0.5 (ideal 0.544)",
            );
        }
        if let Some(d) = self.flooded_depth_m {
            check_range(
                out,
                &join(path, "flooded_depth_m"),
                d,
                0.0,
                10.0,
                "m",
                "the depth that counts as flooded, e.g. 0.15 (GB 51222-2017) or 0.3",
            );
        }
        let n = join(path, "numerics");
        let num = &self.numerics;
        check_range(
            out,
            &join(&n, "dry_depth_m"),
            num.dry_depth_m,
            1e-6,
            0.1,
            "m",
            "LISFLOOD-FP uses 0.001",
        );
        if let Some(c) = num.cfl {
            let hi = match self.solver {
                FloodSolver::LocalInertial => 1.0,
                FloodSolver::FiniteVolume => 0.5,
            };
            check_range(
                out,
                &join(&n, "cfl"),
                c,
                0.01,
                hi,
                "",
                "0.7 (local inertial) or 0.45 (finite volume)",
            );
        }
        check_range(
            out,
            &join(&n, "theta"),
            num.theta,
            0.5,
            1.0,
            "",
            "de Almeida et al. (2012) recommend 0.7",
        );
        check_positive(
            out,
            &join(&n, "max_time_step_s"),
            num.max_time_step_s,
            "s",
            "",
        );
        check_range(
            out,
            &join(&n, "velocity_depth_m"),
            num.velocity_depth_m,
            num.dry_depth_m,
            1.0,
            "m",
            "at least dry_depth_m; 0.01 by default",
        );
        if let Some(fr) = num.max_froude {
            check_range(
                out,
                &join(&n, "max_froude"),
                fr,
                0.1,
                100.0,
                "",
                "about 1 (critical flow)",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_interpolates_and_holds() {
        let s = TimeSeries(vec![(0.0, 1.0), (10.0, 3.0), (20.0, 3.0)]);
        assert_eq!(s.at(-5.0), 1.0);
        assert_eq!(s.at(5.0), 2.0);
        assert_eq!(s.at(10.0), 3.0);
        assert_eq!(s.at(99.0), 3.0);
        assert_eq!(s.end_time(), 20.0);
    }

    #[test]
    fn polygon_contains_even_odd() {
        let r = Region::Polygon(vec![[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]]);
        assert!(r.contains(5.0, 5.0));
        assert!(!r.contains(15.0, 5.0));
    }

    #[test]
    fn check_reports_bad_values() {
        let mut spec = FloodSpec::default();
        spec.numerics.theta = 2.0;
        spec.inflows.push(Inflow {
            name: "r".into(),
            location: InflowLocation::Point([0.0, 0.0]),
            discharge_m3_s: TimeSeries(vec![(0.0, 1.0), (0.0, -1.0)]),
        });
        let mut out = Vec::new();
        spec.check("hazards[0]", &mut out);
        let paths: Vec<_> = out.iter().map(|p| p.path.as_str()).collect();
        assert!(paths.contains(&"hazards[0].numerics.theta"), "{paths:?}");
        assert!(
            paths.contains(&"hazards[0].inflows[0].discharge_m3_s[1]"),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"hazards[0].inflows[0].discharge_m3_s[1].1"),
            "{paths:?}"
        );
        let mut ok = Vec::new();
        FloodSpec::default().check("f", &mut ok);
        assert!(ok.is_empty(), "{ok:?}");
    }

    #[test]
    fn spec_round_trips_through_ron() {
        let text = "(solver: FiniteVolume, inflows: [(name: \"river\", \
                    location: Line([(0.0, 0.0), (0.0, 50.0)]), \
                    discharge_m3_s: [(0.0, 0.0), (3600.0, 20.0)])], \
                    boundaries: (east: FreeOutflow, west: FixedLevel([(0.0, 2.5)])))";
        let spec: FloodSpec = ron::from_str(text).unwrap();
        assert_eq!(spec.solver, FloodSolver::FiniteVolume);
        assert_eq!(spec.inflows[0].discharge_m3_s.at(1800.0), 10.0);
        assert!(ron::from_str::<FloodSpec>("(solvr: LocalInertial)").is_err());
    }
}
