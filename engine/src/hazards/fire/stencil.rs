//! The neighbour stencil of the minimum-travel-time spread: every grid offset (dc, dr)
//! with max(|dc|, |dr|) ≤ radius and gcd(|dc|, |dr|) = 1, with the exact list of cells each
//! straight segment (centre to centre) passes through and the fraction of its length in
//! each. See [`super::spread`] for the model and references.

use serde::{Deserialize, Serialize};

/// One cell crossed by an edge: offset from the source cell and fraction of edge length.
/// A fraction of 0 marks a cell that the edge only touches at a corner: it blocks the edge
/// when it is a barrier (so diagonal barrier lines cannot be slipped through) but adds no
/// travel time.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// Column offset.
    pub dc: i32,
    /// Row offset (positive = south).
    pub dr: i32,
    /// Fraction of the edge length inside this cell.
    pub frac: f64,
}

/// One straight edge of the stencil.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    /// Column offset of the target.
    pub dc: i32,
    /// Row offset of the target (positive = south).
    pub dr: i32,
    /// Length in cell sizes.
    pub len_cells: f64,
    /// Unit vector east component.
    pub ux: f64,
    /// Unit vector north component.
    pub uy: f64,
    /// Range of this edge's segments in [`Stencil::segments`].
    pub seg_start: u32,
    /// End (exclusive) of the segment range.
    pub seg_end: u32,
}

/// All edges of a stencil and their crossed cells.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stencil {
    /// Stencil radius in cells.
    pub radius: i32,
    /// The edges, in a fixed order.
    pub edges: Vec<Edge>,
    /// Crossed cells of all edges.
    pub segments: Vec<Segment>,
}

fn gcd(a: i32, b: i32) -> i32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

impl Stencil {
    /// Builds the stencil of `radius` ≥ 1 cells.
    pub fn new(radius: i32) -> Self {
        let radius = radius.max(1);
        let mut edges = Vec::new();
        let mut segments = Vec::new();
        for dr in -radius..=radius {
            for dc in -radius..=radius {
                if (dc == 0 && dr == 0) || gcd(dc.abs(), dr.abs()) != 1 {
                    continue;
                }
                let start = segments.len() as u32;
                trace(dc, dr, &mut segments);
                let len = f64::from(dc).hypot(f64::from(dr));
                edges.push(Edge {
                    dc,
                    dr,
                    len_cells: len,
                    ux: f64::from(dc) / len,
                    uy: -f64::from(dr) / len,
                    seg_start: start,
                    seg_end: segments.len() as u32,
                });
            }
        }
        Self {
            radius,
            edges,
            segments,
        }
    }
}

/// Cells crossed by the segment from the centre of (0, 0) to the centre of (dc, dr).
fn trace(dc: i32, dr: i32, out: &mut Vec<Segment>) {
    const EPS: f64 = 1e-12;
    let (fx, fy) = (f64::from(dc), f64::from(dr));
    // Crossing parameters of vertical (x = k) and horizontal (y = k) grid lines.
    let mut xs: Vec<f64> = Vec::new();
    let mut ys: Vec<f64> = Vec::new();
    if dc != 0 {
        let (lo, hi) = (dc.min(0), dc.max(0));
        for k in lo..hi {
            xs.push((f64::from(k) + 0.5) / fx);
        }
    }
    if dr != 0 {
        let (lo, hi) = (dr.min(0), dr.max(0));
        for k in lo..hi {
            ys.push((f64::from(k) + 0.5) / fy);
        }
    }
    let mut ts: Vec<f64> = xs.iter().chain(&ys).copied().collect();
    ts.push(0.0);
    ts.push(1.0);
    ts.sort_by(f64::total_cmp);
    ts.dedup_by(|a, b| (*a - *b).abs() < EPS);
    for w in ts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let m = 0.5 * (a + b);
        let cx = (0.5 + fx * m).floor() as i32;
        let cy = (0.5 + fy * m).floor() as i32;
        out.push(Segment {
            dc: cx,
            dr: cy,
            frac: b - a,
        });
    }
    // Corners: an x crossing and a y crossing at the same parameter.
    for &tx in &xs {
        if ys.iter().any(|ty| (tx - ty).abs() < EPS) {
            let (sx, sy) = (dc.signum(), dr.signum());
            let before_x = (0.5 + fx * (tx - 1e-6)).floor() as i32;
            let before_y = (0.5 + fy * (tx - 1e-6)).floor() as i32;
            out.push(Segment {
                dc: before_x + sx,
                dr: before_y,
                frac: 0.0,
            });
            out.push(Segment {
                dc: before_x,
                dr: before_y + sy,
                frac: 0.0,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_sum_to_one_and_end_in_target() {
        let s = Stencil::new(5);
        // Primitive offsets in an 11×11 box: 4·(number of coprime pairs) — count directly.
        assert!(s.edges.len() > 64, "{}", s.edges.len());
        for e in &s.edges {
            let segs = &s.segments[e.seg_start as usize..e.seg_end as usize];
            let total: f64 = segs.iter().map(|g| g.frac).sum();
            assert!((total - 1.0).abs() < 1e-9);
            let first = segs[0];
            assert_eq!((first.dc, first.dr), (0, 0));
            assert!(
                segs.iter()
                    .any(|g| g.dc == e.dc && g.dr == e.dr && g.frac > 0.0)
            );
        }
    }

    #[test]
    fn diagonal_marks_corner_cells() {
        let s = Stencil::new(1);
        let e = s.edges.iter().find(|e| e.dc == 1 && e.dr == 1).unwrap();
        let segs = &s.segments[e.seg_start as usize..e.seg_end as usize];
        assert!(segs.iter().any(|g| g.dc == 1 && g.dr == 0 && g.frac == 0.0));
        assert!(segs.iter().any(|g| g.dc == 0 && g.dr == 1 && g.frac == 0.0));
    }
}
