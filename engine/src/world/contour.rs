//! Iso-contours of cell-centre rasters by marching squares: closed rings and polygons
//! with holes around the region where a value is at or above a level. Used for gas
//! threat zones, fire perimeters and flood extents.
//!
//! ## Model
//! Marching squares on cell-centre values with linear interpolation along square edges;
//! saddles resolved by the mean of the four corners; the grid is padded with values
//! below every level so all contours close. Rings are classified as outer boundaries or
//! holes by their nesting depth (even = outer).
//!
//! ## Units
//! Coordinates in the grid's metric CRS (m).
//!
//! ## References
//! - Lorensen, W. E., Cline, H. E. (1987), Marching cubes, SIGGRAPH '87 (2-D case).
//! - RFC 7946, The GeoJSON Format (2016) (ring winding).

use std::collections::BTreeMap;

use super::grid::{Grid, GridSpec};

/// Closed rings (first point repeated at the end) of the iso-line `level` of `field`.
pub fn contour_rings(field: &Grid<f32>, level: f64) -> Vec<Vec<[f64; 2]>> {
    rings_where(field.spec(), |c, r| f64::from(*field.get(c, r)), level)
}

/// Closed rings around the region where `value(col, row) ≥ level`, for values at the
/// cell centres of `spec`. Infinite values are allowed (−∞ = far below the level).
pub fn rings_where(
    spec: &GridSpec,
    value: impl Fn(usize, usize) -> f64,
    level: f64,
) -> Vec<Vec<[f64; 2]>> {
    let spec = *spec;
    let (w, h) = (spec.width as i64, spec.height as i64);
    // Padded value at (c, r), c ∈ [-1, w], r ∈ [-1, h].
    let val = |c: i64, r: i64| -> f64 {
        if c < 0 || r < 0 || c >= w || r >= h {
            f64::NEG_INFINITY
        } else {
            value(c as usize, r as usize)
        }
    };
    let pos = |c: f64, r: f64| -> [f64; 2] {
        [
            spec.origin[0] + (c + 0.5) * spec.cell_size,
            spec.y_max() - (r + 0.5) * spec.cell_size,
        ]
    };
    let pw = w + 2;
    // Edge ids: horizontal edge from (c,r) to (c+1,r) = 2·idx, vertical (c,r)-(c,r+1) = 2·idx+1.
    let idx = |c: i64, r: i64| ((r + 1) * pw + (c + 1)) as u64;
    let mut points: BTreeMap<u64, [f64; 2]> = BTreeMap::new();
    let mut segs: Vec<(u64, u64)> = Vec::new();
    let frac = |a: f64, b: f64| -> f64 {
        if a.is_infinite() || b.is_infinite() {
            if a.is_infinite() { 1.0 } else { 0.0 }
        } else {
            ((level - a) / (b - a)).clamp(0.0, 1.0)
        }
    };
    for r in -1..h {
        for c in -1..w {
            // Corners: tl (c,r), tr (c+1,r), br (c+1,r+1), bl (c,r+1).
            let (tl, tr, br, bl) = (val(c, r), val(c + 1, r), val(c + 1, r + 1), val(c, r + 1));
            let case = (usize::from(tl >= level) << 3)
                | (usize::from(tr >= level) << 2)
                | (usize::from(br >= level) << 1)
                | usize::from(bl >= level);
            if case == 0 || case == 15 {
                continue;
            }
            let top = 2 * idx(c, r);
            let bottom = 2 * idx(c, r + 1);
            let left = 2 * idx(c, r) + 1;
            let right = 2 * idx(c + 1, r) + 1;
            let mut add = |e: u64| {
                points.entry(e).or_insert_with(|| {
                    if e == top {
                        pos(c as f64 + frac(tl, tr), r as f64)
                    } else if e == bottom {
                        pos(c as f64 + frac(bl, br), (r + 1) as f64)
                    } else if e == left {
                        pos(c as f64, r as f64 + frac(tl, bl))
                    } else {
                        pos((c + 1) as f64, r as f64 + frac(tr, br))
                    }
                });
            };
            let pairs: &[(u64, u64)] = match case {
                1 | 14 => &[(left, bottom)],
                2 | 13 => &[(bottom, right)],
                3 | 12 => &[(left, right)],
                4 | 11 => &[(top, right)],
                6 | 9 => &[(top, bottom)],
                7 | 8 => &[(left, top)],
                5 | 10 => {
                    let centre =
                        0.25 * (tl.max(-1e300) + tr.max(-1e300) + br.max(-1e300) + bl.max(-1e300));
                    let joined = centre >= level;
                    match (case, joined) {
                        (5, false) | (10, true) => &[(left, top), (bottom, right)],
                        _ => &[(left, bottom), (top, right)],
                    }
                }
                _ => &[],
            };
            for &(a, b) in pairs {
                add(a);
                add(b);
                segs.push((a, b));
            }
        }
    }
    // Link segments into rings through shared edges.
    let mut by_edge: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (i, &(a, b)) in segs.iter().enumerate() {
        by_edge.entry(a).or_default().push(i);
        by_edge.entry(b).or_default().push(i);
    }
    let mut used = vec![false; segs.len()];
    let mut rings = Vec::new();
    for start in 0..segs.len() {
        if used[start] {
            continue;
        }
        used[start] = true;
        let (first, mut cur) = segs[start];
        let mut ring = vec![points[&first], points[&cur]];
        while cur != first {
            let Some(&next) = by_edge[&cur].iter().find(|&&s| !used[s]) else {
                break;
            };
            used[next] = true;
            let (a, b) = segs[next];
            cur = if a == cur { b } else { a };
            ring.push(points[&cur]);
        }
        if ring.len() >= 4 {
            rings.push(ring);
        }
    }
    rings
}

/// True when `p` is inside the closed `ring` (even-odd rule).
pub fn point_in_ring(p: [f64; 2], ring: &[[f64; 2]]) -> bool {
    let mut inside = false;
    for w in ring.windows(2) {
        let (a, b) = (w[0], w[1]);
        if (a[1] > p[1]) != (b[1] > p[1])
            && p[0] < a[0] + (p[1] - a[1]) / (b[1] - a[1]) * (b[0] - a[0])
        {
            inside = !inside;
        }
    }
    inside
}

/// Signed area of a closed ring, m² (positive when counter-clockwise).
pub fn signed_area(ring: &[[f64; 2]]) -> f64 {
    ring.windows(2)
        .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
        .sum::<f64>()
        * 0.5
}

/// Polygons (outer ring first, then holes; RFC 7946 winding) of the region where
/// `field ≥ level`.
pub fn contour_polygons(field: &Grid<f32>, level: f64) -> Vec<Vec<Vec<[f64; 2]>>> {
    polygons_where(field.spec(), |c, r| f64::from(*field.get(c, r)), level)
}

/// Polygons (outer ring first, then holes; RFC 7946 winding: outer counter-clockwise,
/// holes clockwise) of the region where `value(col, row) ≥ level`.
pub fn polygons_where(
    spec: &GridSpec,
    value: impl Fn(usize, usize) -> f64,
    level: f64,
) -> Vec<Vec<Vec<[f64; 2]>>> {
    let rings = rings_where(spec, value, level);
    let depth: Vec<usize> = rings
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let p = r[0];
            rings
                .iter()
                .enumerate()
                .filter(|&(j, o)| j != i && point_in_ring(p, o))
                .count()
        })
        .collect();
    let mut polys: Vec<(usize, Vec<Vec<[f64; 2]>>)> = Vec::new();
    for (i, r) in rings.iter().enumerate() {
        if depth[i].is_multiple_of(2) {
            let mut outer = r.clone();
            if signed_area(&outer) < 0.0 {
                outer.reverse();
            }
            polys.push((i, vec![outer]));
        }
    }
    for (i, r) in rings.iter().enumerate() {
        if !depth[i].is_multiple_of(2) {
            // Attach the hole to the innermost outer ring that contains it.
            let parent = polys
                .iter_mut()
                .filter(|(j, _)| depth[*j] + 1 == depth[i] && point_in_ring(r[0], &rings[*j]))
                .last();
            if let Some((_, poly)) = parent {
                let mut hole = r.clone();
                if signed_area(&hole) > 0.0 {
                    hole.reverse();
                }
                poly.push(hole);
            }
        }
    }
    polys.into_iter().map(|(_, p)| p).collect()
}
