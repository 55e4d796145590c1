//! TEMPORARY minimal off-road (replaced by the routing branch).
use crate::world::GridSpec;

/// Cells along a straight line.
pub fn straight_line_cells(spec: &GridSpec, a: (f64, f64), b: (f64, f64)) -> Vec<u32> {
    let len = (b.0 - a.0).hypot(b.1 - a.1);
    let n = (len / (spec.cell_size * 0.5)).ceil() as usize + 1;
    let mut out: Vec<u32> = Vec::new();
    for k in 0..=n {
        let f = k as f64 / n as f64;
        if let Some((c, r)) = spec.cell_at(a.0 + f * (b.0 - a.0), a.1 + f * (b.1 - a.1)) {
            let i = spec.index(c, r) as u32;
            if out.last() != Some(&i) {
                out.push(i);
            }
        }
    }
    out
}
