//! Off-road movement on the terrain grid for teams that can leave the road (hand crews,
//! walkers, boats on water): A* over the 8-neighbour cell graph inside a window, and the
//! cells a straight walk crosses.
//!
//! ## Model
//! Each cell has a pace `s/m` (or is impassable). A step between neighbouring cells costs
//! its centre-to-centre distance (Δ orthogonally, √2·Δ diagonally) times the mean pace of
//! the two cells, i.e. half the step is walked in each cell. A diagonal step is allowed
//! only when both orthogonal cells it passes between are passable (no squeezing between
//! two blocked cells). The search is A* (Hart, Nilsson & Raphael 1968) with the octile
//! distance times the lowest pace in the window as heuristic, which never overestimates,
//! restricted to the bounding box of the two end cells plus a margin.
//! [`straight_line_cells`] is the exact voxel traversal of Amanatides & Woo (1987).
//!
//! ## Units
//! Cell size in m, pace in s/m, times in s.
//!
//! ## Assumptions
//! Movement between cell centres; a path must stay inside the search window, so a
//! detour wider than the margin is reported as no path.
//!
//! ## References
//! - Hart, Nilsson & Raphael (1968), IEEE Trans. Syst. Sci. Cybern. 4(2), 100–107.
//! - Amanatides & Woo (1987), "A fast voxel traversal algorithm for ray tracing",
//!   Eurographics '87, 3–10.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::world::GridSpec;

/// An off-road path: flat cell indices from start to end, and its travel time.
#[derive(Clone, Debug, PartialEq)]
pub struct GridRoute {
    pub cells: Vec<u32>,
    pub time_s: f64,
}

/// Heap entry ordered so that `BinaryHeap` pops the lowest `f`, then the lowest index.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Open {
    pub f: f64,
    pub g: f64,
    pub id: u32,
}

impl PartialEq for Open {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Open {}
impl PartialOrd for Open {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Open {
    fn cmp(&self, o: &Self) -> Ordering {
        o.f.total_cmp(&self.f).then(o.id.cmp(&self.id))
    }
}

/// Fastest 8-neighbour path from cell `from` to cell `to` (`(col, row)`), where
/// `cost_s_per_m(flat_index)` gives a cell's pace or `None` when impassable (negative or
/// non-finite paces count as impassable). Searches only the bounding box of the two cells
/// grown by `window_margin_cells`. `None` when an end is off the grid or impassable, or
/// no path exists inside the window.
pub fn grid_path(
    spec: &GridSpec,
    cost_s_per_m: impl Fn(usize) -> Option<f64>,
    from: (usize, usize),
    to: (usize, usize),
    window_margin_cells: usize,
) -> Option<GridRoute> {
    let (w, h) = (spec.width, spec.height);
    if from.0 >= w || from.1 >= h || to.0 >= w || to.1 >= h {
        return None;
    }
    let m = window_margin_cells;
    let c0 = from.0.min(to.0).saturating_sub(m);
    let c1 = (from.0.max(to.0) + m).min(w - 1);
    let r0 = from.1.min(to.1).saturating_sub(m);
    let r1 = (from.1.max(to.1) + m).min(h - 1);
    let (ww, wh) = (c1 - c0 + 1, r1 - r0 + 1);
    let global = |l: usize| (r0 + l / ww) * w + c0 + l % ww;
    // Pace per window cell, +∞ when impassable.
    let pace: Vec<f64> = (0..ww * wh)
        .map(|l| match cost_s_per_m(global(l)) {
            Some(p) if p.is_finite() && p >= 0.0 => p,
            _ => f64::INFINITY,
        })
        .collect();
    let local = |(c, r): (usize, usize)| (r - r0) * ww + (c - c0);
    let (s, t) = (local(from), local(to));
    if pace[s].is_infinite() || pace[t].is_infinite() {
        return None;
    }
    let min_pace = pace.iter().copied().fold(f64::INFINITY, f64::min);
    let dx = spec.cell_size;
    let (tc, tr) = (t % ww, t / ww);
    let h_of = |l: usize| {
        let (a, b) = ((l % ww).abs_diff(tc) as f64, (l / ww).abs_diff(tr) as f64);
        (a.max(b) + (std::f64::consts::SQRT_2 - 1.0) * a.min(b)) * dx * min_pace
    };
    let mut g = vec![f64::INFINITY; ww * wh];
    let mut parent = vec![u32::MAX; ww * wh];
    let mut heap = BinaryHeap::new();
    g[s] = 0.0;
    heap.push(Open {
        f: h_of(s),
        g: 0.0,
        id: s as u32,
    });
    const STEPS: [(isize, isize); 8] = [
        (0, -1),
        (-1, 0),
        (1, 0),
        (0, 1),
        (-1, -1),
        (1, -1),
        (-1, 1),
        (1, 1),
    ];
    while let Some(Open { g: gu, id, .. }) = heap.pop() {
        let u = id as usize;
        if gu > g[u] {
            continue;
        }
        if u == t {
            break;
        }
        let (uc, ur) = ((u % ww) as isize, (u / ww) as isize);
        for (dc, dr) in STEPS {
            let (vc, vr) = (uc + dc, ur + dr);
            if vc < 0 || vr < 0 || vc >= ww as isize || vr >= wh as isize {
                continue;
            }
            let v = vr as usize * ww + vc as usize;
            if pace[v].is_infinite() {
                continue;
            }
            let diagonal = dc != 0 && dr != 0;
            if diagonal
                && (pace[ur as usize * ww + vc as usize].is_infinite()
                    || pace[vr as usize * ww + uc as usize].is_infinite())
            {
                continue;
            }
            let len = if diagonal {
                std::f64::consts::SQRT_2 * dx
            } else {
                dx
            };
            let gv = gu + len * 0.5 * (pace[u] + pace[v]);
            if gv < g[v] {
                g[v] = gv;
                parent[v] = u as u32;
                heap.push(Open {
                    f: gv + h_of(v),
                    g: gv,
                    id: v as u32,
                });
            }
        }
    }
    if g[t].is_infinite() {
        return None;
    }
    let mut cells = vec![global(t) as u32];
    let mut k = t;
    while k != s {
        k = parent[k] as usize;
        cells.push(global(k) as u32);
    }
    cells.reverse();
    Some(GridRoute {
        cells,
        time_s: g[t],
    })
}

/// Flat indices of the cells a straight walk from `(x0, y0)` to `(x1, y1)` (world metres)
/// crosses, in order; parts outside the grid are clipped away. Where the line passes
/// exactly through a cell corner, the cell across the column boundary is listed first.
pub fn straight_line_cells(spec: &GridSpec, p0: (f64, f64), p1: (f64, f64)) -> Vec<u32> {
    let (w, h) = (spec.width as f64, spec.height as f64);
    if spec.is_empty() || spec.cell_size.is_nan() || spec.cell_size <= 0.0 {
        return Vec::new();
    }
    // Grid coordinates: u along columns (east), v along rows (south).
    let to_uv = |(x, y): (f64, f64)| {
        (
            (x - spec.origin[0]) / spec.cell_size,
            (spec.y_max() - y) / spec.cell_size,
        )
    };
    let (a, b) = (to_uv(p0), to_uv(p1));
    let (du, dv) = (b.0 - a.0, b.1 - a.1);
    // Liang–Barsky clipping to [0, w] × [0, h].
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [(-du, a.0), (du, w - a.0), (-dv, a.1), (dv, h - a.1)] {
        if p == 0.0 {
            if q.is_nan() || q < 0.0 {
                return Vec::new();
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    if t0.is_nan() || t1.is_nan() || t0 > t1 {
        return Vec::new();
    }
    let (u0, v0) = (a.0 + t0 * du, a.1 + t0 * dv);
    let (u1, v1) = (a.0 + t1 * du, a.1 + t1 * dv);
    // First and last cell along each axis: a point on a cell boundary belongs to the
    // cell the walk is heading into (start) or coming from (end).
    let cell = |x: f64, d: f64, start: bool, n: usize| {
        let k = if (d < 0.0) == start {
            x.ceil() - 1.0
        } else {
            x.floor()
        };
        let k = if d == 0.0 { x.floor() } else { k };
        (k.max(0.0) as usize).min(n - 1)
    };
    let (du, dv) = (u1 - u0, v1 - v0);
    let (mut col, mut row) = (
        cell(u0, du, true, spec.width),
        cell(v0, dv, true, spec.height),
    );
    let (ce, re) = (
        cell(u1, du, false, spec.width),
        cell(v1, dv, false, spec.height),
    );
    let axis = |d: f64, x0: f64, cell: usize| -> (f64, f64) {
        // (parameter of the first boundary crossing, parameter per cell)
        if d > 0.0 {
            ((cell as f64 + 1.0 - x0) / d, 1.0 / d)
        } else if d < 0.0 {
            ((x0 - cell as f64) / -d, -1.0 / d)
        } else {
            (f64::INFINITY, f64::INFINITY)
        }
    };
    let (mut tmx, tdx) = axis(du, u0, col);
    let (mut tmy, tdy) = axis(dv, v0, row);
    let steps = col.abs_diff(ce) + row.abs_diff(re);
    let mut out = Vec::with_capacity(steps + 1);
    out.push((row * spec.width + col) as u32);
    for _ in 0..steps {
        let step_x = row == re || (col != ce && tmx <= tmy);
        if step_x {
            col = if ce > col { col + 1 } else { col - 1 };
            tmx += tdx;
        } else {
            row = if re > row { row + 1 } else { row - 1 };
            tmy += tdy;
        }
        out.push((row * spec.width + col) as u32);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> GridSpec {
        GridSpec {
            width: 5,
            height: 4,
            cell_size: 2.0,
            origin: [100.0, 200.0],
        }
    }

    #[test]
    fn heap_pops_lowest_f_then_lowest_id() {
        let mut h = BinaryHeap::new();
        for (f, id) in [(2.0, 1), (1.0, 9), (1.0, 4), (3.0, 0)] {
            h.push(Open { f, g: 0.0, id });
        }
        let order: Vec<u32> = std::iter::from_fn(|| h.pop().map(|o| o.id)).collect();
        assert_eq!(order, [4, 9, 1, 0]);
    }

    #[test]
    fn line_on_a_cell_boundary_lists_only_the_cells_it_runs_along() {
        // Northward along x = 104 m (boundary of columns 1 and 2) from y = 202 to 206 m:
        // the cells east of the boundary (column 2), rows 2 and 1, no touching extras.
        let s = spec();
        assert_eq!(
            straight_line_cells(&s, (104.0, 202.0), (104.0, 206.0)),
            [12, 7]
        );
        // Westward along the row boundary y = 204 m from x = 108 to 102 m: row 2 (south),
        // columns 3, 2, 1.
        assert_eq!(
            straight_line_cells(&s, (108.0, 204.0), (102.0, 204.0)),
            [13, 12, 11]
        );
    }

    #[test]
    fn same_cell_and_off_grid_queries() {
        let s = spec();
        let r = grid_path(&s, |_| Some(1.0), (2, 2), (2, 2), 0).unwrap();
        assert_eq!((r.cells, r.time_s), (vec![12], 0.0));
        assert!(grid_path(&s, |_| Some(1.0), (0, 0), (5, 0), 0).is_none());
        assert!(grid_path(&s, |_| Some(-1.0), (0, 0), (1, 0), 0).is_none());
    }
}
