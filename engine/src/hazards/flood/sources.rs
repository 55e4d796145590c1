//! Flood sources and structures located on the grid: inflow hydrographs, levee/dam
//! breaches and broad-crested weirs/gates, applied between solver steps.
//!
//! ## Model
//! - Inflow: Q(t) (m³/s, evaluated at the step midpoint) adds Q Δt / (n_cells A) depth
//!   to each of its cells.
//! - Breach: cells along the crest polyline whose arc-length position s satisfies
//!   |s − L/2| ≤ W(t)/2 have their bed set to min(z_crest, z_b(t)); depth (hence
//!   volume) is unchanged, so lowering the bed conserves mass.
//! - Weir: Q = C_d b √g H_u^{3/2} (Henderson 1966 with Bos 1989's C_d), reduced by
//!   Villemonte's (1947) factor (1 − (H_d/H_u)^{3/2})^{0.385} when submerged; the
//!   volume moved per step is limited to the donor's water and to the volume that
//!   would equalise the two levels.
//!
//! ## Units
//! m, s, m³/s.
//!
//! ## Assumptions
//! Sources act once per solver step (operator splitting); a weir links two cells and
//! its flow is computed from their levels at the start of the step.
//!
//! ## References
//! See [`super::spec`] (Henderson 1966; Bos 1989; Villemonte 1947).

use serde::{Deserialize, Serialize};

use super::spec::{Breach, FloodSpec, InflowLocation, TimeSeries, Weir};
use super::state::{Core, G};
use crate::world::GridSpec;

/// Something happened to the flood's structures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FloodEvent {
    /// A breach started to open.
    BreachStarted {
        /// Breach name.
        name: String,
        /// Simulation time (s).
        t_s: f64,
    },
    /// A breach reached its final width and bottom.
    BreachCompleted {
        /// Breach name.
        name: String,
        /// Simulation time (s).
        t_s: f64,
    },
}

/// Cells crossed by a polyline, in order, each with the arc length (m) at which the
/// line first enters it. `None` when a point lies outside the grid.
pub fn rasterize_line(grid: &GridSpec, line: &[[f64; 2]]) -> Option<Vec<(usize, f64)>> {
    let mut out: Vec<(usize, f64)> = Vec::new();
    let mut push = |x: f64, y: f64, s: f64| -> Option<()> {
        let (c, r) = grid.cell_at(x, y)?;
        let i = grid.index(c, r);
        if !out.iter().any(|&(j, _)| j == i) {
            out.push((i, s));
        }
        Some(())
    };
    let first = *line.first()?;
    push(first[0], first[1], 0.0)?;
    let mut s0 = 0.0;
    for seg in line.windows(2) {
        let (a, b) = (seg[0], seg[1]);
        let len = ((b[0] - a[0]).powi(2) + (b[1] - a[1]).powi(2)).sqrt();
        let steps = (len / (0.25 * grid.cell_size)).ceil().max(1.0) as usize;
        for k in 1..=steps {
            let t = k as f64 / steps as f64;
            push(
                a[0] + t * (b[0] - a[0]),
                a[1] + t * (b[1] - a[1]),
                s0 + t * len,
            )?;
        }
        s0 += len;
    }
    Some(out)
}

/// An inflow on its cells.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InflowCells {
    name: String,
    cells: Vec<usize>,
    q: TimeSeries,
}

/// A breach on its cells.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BreachCells {
    spec: Breach,
    /// (cell, arc position from the midpoint, m).
    cells: Vec<(usize, f64)>,
    started: bool,
    completed: bool,
    t_complete: f64,
}

/// A weir between two cells.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WeirCells {
    spec: Weir,
    a: usize,
    b: usize,
}

/// All located sources of one flood.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Sources {
    inflows: Vec<InflowCells>,
    breaches: Vec<BreachCells>,
    weirs: Vec<WeirCells>,
}

impl Sources {
    /// Locates the spec's sources on the grid; `Err` names the first one off the grid.
    pub fn new(spec: &FloodSpec, grid: &GridSpec) -> Result<Self, String> {
        let mut s = Self::default();
        for (i, f) in spec.inflows.iter().enumerate() {
            let cells = match &f.location {
                InflowLocation::Point(p) => grid
                    .cell_at(p[0], p[1])
                    .map(|(c, r)| vec![grid.index(c, r)]),
                InflowLocation::Line(l) => {
                    rasterize_line(grid, l).map(|v| v.into_iter().map(|p| p.0).collect())
                }
            }
            .ok_or_else(|| format!("inflows[{i}] (\"{}\") lies outside the grid", f.name))?;
            s.inflows.push(InflowCells {
                name: f.name.clone(),
                cells,
                q: f.discharge_m3_s.clone(),
            });
        }
        for (i, b) in spec.breaches.iter().enumerate() {
            let cells = rasterize_line(grid, &b.polyline)
                .ok_or_else(|| format!("breaches[{i}] (\"{}\") lies outside the grid", b.name))?;
            let len = cells.last().map_or(0.0, |c| c.1);
            let cells = cells
                .into_iter()
                .map(|(c, p)| (c, (p - 0.5 * len).abs()))
                .collect();
            s.breaches.push(BreachCells {
                spec: b.clone(),
                cells,
                started: false,
                completed: false,
                t_complete: b.width_m.end_time().max(b.bottom_m.end_time()),
            });
        }
        for (i, w) in spec.weirs.iter().enumerate() {
            let at = |p: [f64; 2]| grid.cell_at(p[0], p[1]).map(|(c, r)| grid.index(c, r));
            let (Some(a), Some(b)) = (at(w.from), at(w.to)) else {
                return Err(format!("weirs[{i}] (\"{}\") lies outside the grid", w.name));
            };
            if a == b {
                return Err(format!(
                    "weirs[{i}] (\"{}\") links a cell to itself",
                    w.name
                ));
            }
            s.weirs.push(WeirCells {
                spec: w.clone(),
                a,
                b,
            });
        }
        Ok(s)
    }

    /// Names of the inflows, in spec order.
    pub fn inflow_names(&self) -> impl Iterator<Item = &str> {
        self.inflows.iter().map(|f| f.name.as_str())
    }

    /// Sets breach beds for time `t`, pushing events when a breach starts or completes.
    pub fn update_breaches(&mut self, core: &mut Core, t: f64, events: &mut Vec<FloodEvent>) {
        for b in &mut self.breaches {
            let width = b.spec.width_m.at(t);
            let bottom = b.spec.bottom_m.at(t) as f32;
            if width <= 0.0 {
                continue;
            }
            let mut lowered = false;
            for &(i, p) in &b.cells {
                if p <= 0.5 * width + 1e-9 {
                    let z = core.z_base[i].min(bottom);
                    if z < core.z[i] {
                        core.z[i] = z;
                        lowered = true;
                    }
                }
            }
            if lowered && !b.started {
                b.started = true;
                events.push(FloodEvent::BreachStarted {
                    name: b.spec.name.clone(),
                    t_s: t,
                });
            }
            if b.started && !b.completed && t >= b.t_complete {
                b.completed = true;
                events.push(FloodEvent::BreachCompleted {
                    name: b.spec.name.clone(),
                    t_s: t,
                });
            }
        }
    }

    /// True when any inflow or weir exists (they may wet dry cells).
    pub fn is_empty(&self) -> bool {
        self.inflows.is_empty() && self.weirs.is_empty()
    }

    /// Largest depth over the cells inflows and weirs feed (m).
    pub fn max_depth(&self, core: &Core) -> f32 {
        let inflow = self.inflows.iter().flat_map(|f| f.cells.iter().copied());
        let weirs = self.weirs.iter().flat_map(|w| [w.a, w.b]);
        inflow.chain(weirs).map(|i| core.h[i]).fold(0.0, f32::max)
    }

    /// Applies inflows and weirs over a step `[t, t + dt]`.
    pub fn apply(&self, core: &mut Core, t: f64, dt: f64) {
        let area = core.grid.cell_area();
        let w = core.grid.width;
        let tm = t + 0.5 * dt;
        let mut added = 0.0_f64;
        for f in &self.inflows {
            let q = f.q.at(tm).max(0.0);
            if q <= 0.0 || f.cells.is_empty() {
                continue;
            }
            let dh = (q * dt / (area * f.cells.len() as f64)) as f32;
            for &i in &f.cells {
                let before = core.h[i];
                core.h[i] += dh;
                // Account the change actually stored (f32 rounding included).
                added += f64::from(core.h[i]) - f64::from(before);
                core.active.wet[i / w].include((i % w) as u32);
            }
        }
        core.budget.inflow_m3 += added * area;
        for wr in &self.weirs {
            let crest = wr.spec.crest_m.at(t) as f32;
            let (ea, eb) = (core.z[wr.a] + core.h[wr.a], core.z[wr.b] + core.h[wr.b]);
            let (up, dn, eu, ed) = if ea >= eb {
                (wr.a, wr.b, ea, eb)
            } else {
                (wr.b, wr.a, eb, ea)
            };
            let hu = f64::from(eu - crest);
            if hu <= 0.0 {
                continue;
            }
            let hd = f64::from(ed - crest).max(0.0);
            let submergence = (1.0 - (hd / hu).powf(1.5)).max(0.0).powf(0.385);
            let q = wr.spec.discharge_coefficient
                * wr.spec.width_m
                * f64::from(G).sqrt()
                * hu.powf(1.5)
                * submergence;
            let dv = (q * dt / area) as f32;
            let dv = dv.min(core.h[up]).min(0.5 * (eu - ed));
            if dv > 0.0 {
                // Move exactly the volume the upstream f32 depth lost: the downstream
                // cell keeps what its f32 depth cannot hold in its rounding residual.
                let before = core.h[up];
                core.h[up] -= dv;
                let moved = f64::from(before) - f64::from(core.h[up]);
                let target = f64::from(core.h[dn]) + f64::from(core.h_res[dn]) + moved;
                core.h[dn] = target as f32;
                core.h_res[dn] = (target - f64::from(core.h[dn])) as f32;
                core.active.wet[dn / w].include((dn % w) as u32);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_covers_cells_in_order() {
        let g = GridSpec {
            width: 10,
            height: 10,
            cell_size: 1.0,
            origin: [0.0, 0.0],
        };
        let cells = rasterize_line(&g, &[[0.5, 5.5], [9.5, 5.5]]).unwrap();
        assert_eq!(cells.len(), 10);
        assert_eq!(cells[0].0, g.index(0, 4));
        assert_eq!(cells[9].0, g.index(9, 4));
        assert!(rasterize_line(&g, &[[0.5, 5.5], [19.5, 5.5]]).is_none());
    }
}
