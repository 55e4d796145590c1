//! State shared by both flood solvers: terrain, depth, running maxima, wet-area
//! tracking, per-row step statistics and the f64 mass-balance accumulators.
//!
//! ## Model
//! Depth `h` (m) per cell in a flat row-major `f32` array; volumes are summed in `f64`
//! in row order so the totals do not depend on the number of threads.
//!
//! ## Units
//! m, s, m³; rates converted to m/s at construction.
//!
//! ## Assumptions
//! Square cells of the scenario [`GridSpec`]; row 0 is north.
//!
//! ## References
//! Hazard rating: Defra/Environment Agency (2006), *Flood Risks to People Phase 2*,
//! R&D Technical Report FD2321/TR2 (method of FD2320): HR = d (v + 0.5) + DF.

use serde::{Deserialize, Serialize};

use super::active::{ActiveRows, Span};
use super::spec::EdgeBoundary;
use crate::world::GridSpec;

/// Gravitational acceleration (m/s²), the value used by the SWASHES reference solutions.
pub const G: f32 = 9.81;

/// An edge condition resolved at one time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Edge {
    /// Wall.
    Closed,
    /// Free outflow.
    Free,
    /// Water body at this level (m).
    Level(f32),
}

impl Edge {
    /// Resolves a spec boundary at time `t`.
    pub fn at(b: &EdgeBoundary, t: f64) -> Self {
        match b {
            EdgeBoundary::Closed => Self::Closed,
            EdgeBoundary::FreeOutflow => Self::Free,
            EdgeBoundary::FixedLevel(s) => Self::Level(s.at(t) as f32),
        }
    }
}

/// The four edges resolved for one step.
#[derive(Clone, Copy, Debug)]
pub struct Edges {
    /// Row 0 side.
    pub north: Edge,
    /// Last row side.
    pub south: Edge,
    /// Last column side.
    pub east: Edge,
    /// Column 0 side.
    pub west: Edge,
}

/// What one row reports after a step (reduced in row order).
#[derive(Clone, Copy, Debug, Default)]
pub struct RowStat {
    /// Cells with water after the step.
    pub wet: Span,
    /// Largest depth (m).
    pub max_h: f32,
    /// Largest wave speed |u| + √(g h) (m/s); finite volume only.
    pub max_wave: f32,
    /// Net volume that left through grid edges (m³).
    pub boundary_out: f64,
    /// Rain volume added (m³).
    pub rain: f64,
    /// Volume removed by drainage (m³).
    pub drain: f64,
}

/// Running f64 totals of the water budget since the start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    /// Water present at the start (m³).
    pub initial_m3: f64,
    /// Volume added by inflow hydrographs (m³).
    pub inflow_m3: f64,
    /// Volume added by rain (m³).
    pub rain_m3: f64,
    /// Volume removed by drainage sinks (m³).
    pub drainage_m3: f64,
    /// Net volume that left through grid edges (m³; negative when edges fed water in).
    pub boundary_outflow_m3: f64,
}

/// Per-step forcing shared by both kernels.
#[derive(Clone, Copy, Debug)]
pub struct Forcing {
    /// Step length (s).
    pub dt: f32,
    /// Rain rate (m/s) before the spatial multiplier.
    pub rain_m_s: f32,
    /// Time at the end of the step (s), for arrival times.
    pub t_end: f32,
    /// Edge conditions.
    pub edges: Edges,
}

/// Terrain, depth and outputs common to both solvers.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Core {
    /// Grid geometry.
    pub grid: GridSpec,
    /// Bed elevation (m), including breach lowering.
    pub z: Vec<f32>,
    /// Bed elevation before any breach (m).
    pub z_base: Vec<f32>,
    /// Manning's n (s m^-1/3).
    pub n: Vec<f32>,
    /// Water depth (m).
    pub h: Vec<f32>,
    /// Part of each cell's depth (m) that the f32 `h` cannot hold: the rounding
    /// residual of the local inertial update, carried into the next update
    /// (compensated summation, Kahan 1965) so that depth increments below half an
    /// f32 ulp of `h` are not lost step after step. |residual| ≤ ulp(h)/2; the
    /// stored volume counts h + residual. Zero for the finite-volume solver.
    #[serde(default)]
    pub h_res: Vec<f32>,
    /// Rain multiplier per cell (`None` = 1 everywhere).
    pub rain_mult: Option<Vec<f32>>,
    /// Drainage capacity per cell (m/s; `None` = no drainage).
    pub drain_m_s: Option<Vec<f32>>,
    /// Largest depth seen (m).
    pub max_depth: Vec<f32>,
    /// Largest speed seen (m/s).
    pub max_speed: Vec<f32>,
    /// Time of first wetting (s); negative = never wet.
    pub arrival: Vec<f32>,
    /// Wet-area tracking.
    pub active: ActiveRows,
    /// Edges that always stay active (fixed-level boundaries): north, south, east, west.
    pub forced_edges: [bool; 4],
    /// Depth threshold (m).
    pub dry_depth: f32,
    /// Depth (m) below which velocity counts as zero in outputs and maxima.
    pub velocity_depth: f32,
    /// Water budget.
    pub budget: Budget,
    /// Per-row statistics of the last step.
    #[serde(skip)]
    pub rows: Vec<RowStat>,
}

impl Core {
    /// Sizes scratch data after construction or deserialisation (no-op when sized).
    pub fn ensure_scratch(&mut self) {
        if self.h_res.len() != self.h.len() {
            self.h_res = vec![0.0; self.h.len()];
        }
        if self.rows.len() != self.grid.height {
            self.rows = vec![RowStat::default(); self.grid.height];
            self.active.scan(&self.h);
        }
    }

    /// Plans the next step's active spans from the current wet spans.
    pub fn plan(&mut self, everything: bool) {
        let (w, ht) = (self.grid.width as u32, self.grid.height);
        let [n, s, e, wst] = self.forced_edges;
        if n {
            self.active.wet[0] = Span { lo: 0, hi: w };
        }
        if s {
            self.active.wet[ht - 1] = Span { lo: 0, hi: w };
        }
        if e || wst {
            for span in &mut self.active.wet {
                if e {
                    span.include(w - 1);
                }
                if wst {
                    span.include(0);
                }
            }
        }
        self.active.plan(everything);
    }

    /// Reduces the per-row statistics of the last step in row order: updates the wet
    /// spans and the budget, and returns (largest depth, largest wave speed).
    pub fn reduce_rows(&mut self, planned_all: bool) -> (f32, f32) {
        let (mut max_h, mut max_wave) = (0.0_f32, 0.0_f32);
        let (mut out, mut rain, mut drain) = (0.0, 0.0, 0.0);
        for (r, st) in self.rows.iter().enumerate() {
            if !planned_all && self.active.cells[r].is_empty() {
                continue;
            }
            self.active.wet[r] = st.wet;
            max_h = max_h.max(st.max_h);
            max_wave = max_wave.max(st.max_wave);
            out += st.boundary_out;
            rain += st.rain;
            drain += st.drain;
        }
        self.budget.boundary_outflow_m3 += out;
        self.budget.rain_m3 += rain;
        self.budget.drainage_m3 += drain;
        (max_h, max_wave)
    }

    /// Stored volume (m³): depth plus its rounding residual, summed in f64 row by row.
    pub fn volume(&self) -> f64 {
        let w = self.grid.width;
        let a = self.grid.cell_area();
        let res = |r: usize, c: usize| self.h_res.get(r * w + c).map_or(0.0, |&x| f64::from(x));
        self.h
            .chunks(w)
            .enumerate()
            .map(|(r, row)| {
                row.iter()
                    .enumerate()
                    .map(|(c, &d)| f64::from(d) + res(r, c))
                    .sum::<f64>()
            })
            .sum::<f64>()
            * a
    }

    /// Updates max depth, max speed and arrival for one cell.
    #[inline]
    pub fn track(
        h: f32,
        speed: f32,
        t_end: f32,
        dry: f32,
        max_d: &mut f32,
        max_s: &mut f32,
        arr: &mut f32,
    ) {
        if h > *max_d {
            *max_d = h;
        }
        if h > dry {
            if speed > *max_s {
                *max_s = speed;
            }
            if *arr < 0.0 {
                *arr = t_end;
            }
        }
    }
}

/// Fast cube root for positive `x` (bit-level first guess, three Newton steps), used
/// for h^{7/3} and h^{4/3} in the friction terms; relative error below 1e-6.
#[inline(always)]
pub fn cbrt_pos(x: f32) -> f32 {
    let x = x.max(1e-30);
    let mut y = f32::from_bits(x.to_bits() / 3 + 0x2a51_37a0);
    for _ in 0..3 {
        y = (2.0 * y + x / (y * y)) * (1.0 / 3.0);
    }
    y
}

/// Fast x^{-1/3} for positive `x` without division; relative error below 1.3e-5 for
/// x in [1e-6, 1e6] m (tested on a fine sample of that range below), so the friction
/// factor h^{-7/3} = y⁷ is within 1e-4 — far inside the uncertainty of Manning's n.
/// (h^{-4/3} = y⁴ likewise.)
///
/// First guess: the bit pattern K − bits(x)/3 (the exponent divided by −3, the
/// mantissa roughly so; K = 0x54a2_4000 minimises the guess's largest relative error,
/// 3.5 %), computed in f32 and turned back into an integer by the round-to-integer
/// property of adding 2²³ (exact for |v| < 2²³, hence the scaling by 1/256, which
/// drops 8 low bits of the guess). Every operation has a packed SSE2 form, so the
/// face loops stay vectorised (a saturating `f32 as i32` cast does not). Then two
/// Newton steps y ← y (4 − x y³)/3, each squaring the relative error (ε → −2ε²):
/// 3.5 % → 2.4e-3 → 1.2e-5.
#[inline(always)]
pub fn inv_cbrt_pos(x: f32) -> f32 {
    let x = if x > 1e-30 { x } else { 1e-30 };
    let bits = (x.to_bits() as i32) as f32;
    let guess = (0x54a2_4000_u32 as f32 - bits * (1.0 / 3.0)) * (1.0 / 256.0) + 8_388_608.0;
    let mut y = f32::from_bits((guess.to_bits() - 0x4b00_0000) << 8);
    for _ in 0..2 {
        let y3 = y * y * y;
        y *= (4.0 - x * y3) * (1.0 / 3.0);
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cbrt_is_accurate() {
        for &x in &[1e-6_f32, 1e-3, 0.02, 0.5, 1.0, 2.0, 7.3, 150.0, 1e4] {
            let e = (cbrt_pos(x) / x.cbrt() - 1.0).abs();
            assert!(e < 1e-6, "{x}: {e}");
        }
    }

    #[test]
    fn inv_cbrt_is_accurate_over_all_depths() {
        // Every 101st f32 from 1e-6 m to 1e6 m (all depths a flood can have, and the
        // dry thresholds below them), against the f64 cube root: relative error of
        // x^{-1/3} below 1.3e-5 (two Newton steps from a 3.5 % guess: 2 (2 · 0.035²)²
        // = 1.2e-5), so h^{-7/3} = y⁷ is within 1e-4.
        let (lo, hi) = (1e-6_f32.to_bits(), 1e6_f32.to_bits());
        let mut worst = 0.0_f64;
        for b in (lo..=hi).step_by(101) {
            let x = f32::from_bits(b);
            let e = (f64::from(inv_cbrt_pos(x)) * f64::from(x).cbrt() - 1.0).abs();
            worst = worst.max(e);
        }
        assert!(worst < 1.3e-5, "largest relative error {worst}");
    }
}
