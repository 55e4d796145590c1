//! Colourising hazard fields into RGBA rows (one pixel per terrain cell, row 0 = north)
//! for the map layers, written into caller-owned buffers (no per-frame allocation):
//!
//! - water depth: blue ramp, only where depth ≥ [`MIN_DEPTH_M`] (5 cm, the same
//!   threshold as the engine's map renderer `output::map::scene::MAP_MIN_DEPTH_M`), so the
//!   rain film does not paint the whole map;
//! - flood hazard rating HR = d (v + 0.5) + DF in the four FD2320/FD2321 classes
//!   (HR < 0.75 caution, 0.75–1.25 danger for some, 1.25–2.0 danger for most, ≥ 2.0
//!   danger for all), coloured yellow / orange / red / dark red as on the Defra/EA
//!   "Flood Risks to People" hazard maps;
//! - graded threat zones (gas AEGL-3/2/1, thermal 10/5/2 kW/m², overpressure
//!   8/3.5/1 psi): a light fill plus a solid outline of each zone boundary in red /
//!   orange / yellow (most severe first), the convention of ALOHA threat-zone plots;
//! - wildland fire: burned area shaded by fireline-intensity class (Andrews & Rothermel
//!   1982 fire-behaviour chart bounds 350 / 1700 / 3500 kW/m), burning cells bright;
//! - terrain contours at a 1-2-5 interval chosen from the relief.

/// Depth below which the map shows no water, m (engine `MAP_MIN_DEPTH_M`).
pub const MIN_DEPTH_M: f32 = 0.05;
/// Depth shown at the darkest blue, m.
pub const DEEP_M: f32 = 3.0;

/// FD2321/TR2 Table 13.1 class bounds of the hazard rating.
pub const HR_BOUNDS: [f32; 3] = [0.75, 1.25, 2.0];

/// Thermal flux levels, W/m² (10 / 5 / 2 kW/m²; CCPS 1999 / ALOHA defaults).
pub const THERMAL_W_M2: [f32; 3] = [10_000.0, 5_000.0, 2_000.0];
/// Overpressure levels, Pa (8 / 3.5 / 1 psi; ALOHA defaults), 1 psi = 6894.757 Pa.
pub const OVERPRESSURE_PA: [f32; 3] = [8.0 * 6894.757, 3.5 * 6894.757, 6894.757];

const CLEAR: [u8; 4] = [0, 0, 0, 0];

/// Blue ramp of depth `d`, m.
pub fn depth_px(d: f32) -> [u8; 4] {
    if d.is_nan() || d < MIN_DEPTH_M {
        return CLEAR;
    }
    let s = (d / DEEP_M).clamp(0.0, 1.0);
    let lerp = |a: f32, b: f32| (a + (b - a) * s).round() as u8;
    [
        lerp(110.0, 8.0),
        lerp(170.0, 40.0),
        lerp(250.0, 130.0),
        lerp(170.0, 230.0),
    ]
}

/// Steps of the depth ramp table ([`depth_px_fast`]).
const RAMP_STEPS: usize = 1024;

/// The depth ramp sampled at `RAMP_STEPS` depths from 0 to [`DEEP_M`].
static RAMP: std::sync::LazyLock<[[u8; 4]; RAMP_STEPS]> = std::sync::LazyLock::new(|| {
    std::array::from_fn(|k| {
        let d = k as f32 / (RAMP_STEPS - 1) as f32 * DEEP_M;
        depth_px(d.max(MIN_DEPTH_M))
    })
});

/// [`depth_px`] by table lookup (for whole grids): the same colours within one unit per
/// channel (the ramp is sampled every 3 mm).
pub fn depth_px_fast(d: f32) -> [u8; 4] {
    if d.is_nan() || d < MIN_DEPTH_M {
        return CLEAR;
    }
    let k = (d / DEEP_M * (RAMP_STEPS - 1) as f32 + 0.5).min((RAMP_STEPS - 1) as f32) as usize;
    RAMP[k]
}

/// FD2321 class of a rating: 0 = none (dry), 1 = caution, 2 = danger for some,
/// 3 = danger for most, 4 = danger for all.
pub fn hr_class(hr: f32) -> u8 {
    if hr.is_nan() || hr <= 0.0 {
        0
    } else if hr < HR_BOUNDS[0] {
        1
    } else if hr < HR_BOUNDS[1] {
        2
    } else if hr < HR_BOUNDS[2] {
        3
    } else {
        4
    }
}

/// Colour of a hazard-rating class (0 = clear).
pub fn hr_px(class: u8) -> [u8; 4] {
    match class {
        1 => [255, 240, 120, 150],
        2 => [255, 160, 40, 180],
        3 => [230, 30, 30, 190],
        4 => [120, 0, 40, 210],
        _ => CLEAR,
    }
}

/// Severity rank of `v` against `levels` (most severe first): 3 = most severe, 0 = none.
pub fn rank(v: f32, levels: &[f32; 3]) -> u8 {
    match levels.iter().position(|&l| v >= l) {
        Some(i) => 3 - i as u8,
        None => 0,
    }
}

/// Fill and outline colours of a zone rank (3 = red, 2 = orange, 1 = yellow).
pub fn zone_px(rank: u8, outline: bool) -> [u8; 4] {
    let a = if outline { 255 } else { 70 };
    match rank {
        3 => [220, 20, 20, a],
        2 => [255, 140, 0, a],
        1 => [250, 220, 0, a],
        _ => CLEAR,
    }
}

/// Whether cell (c, r) of a rank raster is on the boundary of its zone: its rank is
/// above zero and a 4-neighbour (or the grid edge) has a lower rank.
pub fn is_outline(ranks: &[u8], w: usize, h: usize, c: usize, r: usize) -> bool {
    let k = ranks[r * w + c];
    if k == 0 {
        return false;
    }
    let lower = |cc: usize, rr: usize| ranks[rr * w + cc] < k;
    c == 0
        || r == 0
        || c + 1 == w
        || r + 1 == h
        || lower(c - 1, r)
        || lower(c + 1, r)
        || lower(c, r - 1)
        || lower(c, r + 1)
}

/// Writes the zone image of `ranks` (fill + outlines) for rows `rows` into `out`
/// (`out` covers the whole grid, 4 bytes per cell).
pub fn zones_rgba(ranks: &[u8], w: usize, h: usize, out: &mut [u8]) {
    for r in 0..h {
        for c in 0..w {
            let i = r * w + c;
            let px = zone_px(ranks[i], is_outline(ranks, w, h, c, r));
            out[i * 4..i * 4 + 4].copy_from_slice(&px);
        }
    }
}

/// Colour of a fire arrival isochrone (light amber over the burned browns).
pub const ISOCHRONE_PX: [u8; 4] = [255, 215, 120, 235];

/// Marks (1) the cells on an arrival isochrone: `bands[i]` is the index of the interval
/// the cell's arrival time falls in (−1 = not burned); a cell is on a line when a
/// 4-neighbour burned in an earlier interval, so each line is one cell wide and lies on
/// the later side of the boundary.
pub fn isochrone_cells(bands: &[i64], w: usize, h: usize, out: &mut [u8]) {
    for r in 0..h {
        for c in 0..w {
            let i = r * w + c;
            let k = bands[i];
            if k < 0 {
                continue;
            }
            let earlier = |j: usize| (0..k).contains(&bands[j]);
            let on = (c > 0 && earlier(i - 1))
                || (c + 1 < w && earlier(i + 1))
                || (r > 0 && earlier(i - w))
                || (r + 1 < h && earlier(i + w));
            out[i] = u8::from(on);
        }
    }
}

/// Elevation range of `z` (m), NaN cells ignored; 0 when there is none.
pub fn relief(z: &[f32]) -> f64 {
    let (lo, hi) = z
        .iter()
        .filter(|v| !v.is_nan())
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    if hi >= lo { f64::from(hi - lo) } else { 0.0 }
}

/// Fire colour: burning cells bright (the live perimeter), burned cells by fireline
/// intensity class (kW/m), unburned clear.
pub fn fire_px(burning: bool, burned: bool, intensity_kw_m: f32) -> [u8; 4] {
    if burning {
        return [255, 60, 0, 255];
    }
    if !burned {
        return CLEAR;
    }
    match intensity_kw_m {
        i if i < 350.0 => [120, 90, 60, 170],
        i if i < 1700.0 => [140, 60, 30, 190],
        i if i < 3500.0 => [110, 30, 20, 210],
        _ => [60, 10, 10, 230],
    }
}

/// A 1-2-5 contour interval giving about 10–25 contours over `relief_m`.
pub fn contour_interval(relief_m: f64) -> f64 {
    if relief_m.is_nan() || relief_m <= 0.0 {
        return 1.0;
    }
    let target = relief_m / 15.0;
    let e = 10f64.powf(target.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * e)
        .min_by(|a, b| (a - target).abs().total_cmp(&(b - target).abs()))
        .unwrap_or(e)
}

/// Contour raster of elevation `z` (w × h, row-major) at multiples of `interval`: a cell
/// is marked when a contour level lies between its centre value and its east or south
/// neighbour's (the edge crossings of marching squares), so the marked cells trace the
/// isolines. Writes 0/1 into `out` (length w × h); index contours (every fifth) get 2.
pub fn contour_cells(z: &[f32], w: usize, h: usize, interval: f64, out: &mut [u8]) {
    out.fill(0);
    let level = |v: f32| (f64::from(v) / interval).floor() as i64;
    for r in 0..h {
        for c in 0..w {
            let i = r * w + c;
            let a = z[i];
            if a.is_nan() {
                continue;
            }
            let mut mark = |b: f32| {
                if b.is_nan() {
                    return;
                }
                let (la, lb) = (level(a), level(b));
                if la != lb {
                    let top = la.max(lb);
                    let k = if top % 5 == 0 { 2 } else { 1 };
                    out[i] = out[i].max(k);
                }
            };
            if c + 1 < w {
                mark(z[i + 1]);
            }
            if r + 1 < h {
                mark(z[i + w]);
            }
        }
    }
}

/// First and last row (inclusive) where `a` and `b` (same length, `row_bytes` per row)
/// differ, or `None` when equal.
pub fn dirty_rows(a: &[u8], b: &[u8], row_bytes: usize) -> Option<(usize, usize)> {
    if row_bytes == 0 || a.len() != b.len() {
        return (!a.is_empty() || !b.is_empty())
            .then_some((0, a.len().max(b.len()) / row_bytes.max(1)));
    }
    let rows = a.len() / row_bytes;
    let same =
        |r: usize| a[r * row_bytes..(r + 1) * row_bytes] == b[r * row_bytes..(r + 1) * row_bytes];
    let lo = (0..rows).find(|&r| !same(r))?;
    let hi = (lo..rows).rev().find(|&r| !same(r)).unwrap_or(lo);
    Some((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_is_clear_below_5_cm_and_darker_when_deeper() {
        // 5 cm: engine output::map::scene::MAP_MIN_DEPTH_M.
        assert_eq!(depth_px(0.049), CLEAR);
        assert_eq!(depth_px(f32::NAN), CLEAR);
        let shallow = depth_px(0.05);
        let deep = depth_px(2.0);
        assert!(shallow[3] > 0 && deep[2] < shallow[2]);
    }

    #[test]
    fn hr_classes_follow_the_fd2321_bounds() {
        // FD2321/TR2 Table 13.1: < 0.75 low, 0.75–1.25, 1.25–2.0, > 2.0. Exact bounds
        // (no tolerance: the class boundaries are defined values).
        assert_eq!(hr_class(0.0), 0);
        assert_eq!(hr_class(0.74), 1);
        assert_eq!(hr_class(0.75), 2);
        assert_eq!(hr_class(1.249), 2);
        assert_eq!(hr_class(1.25), 3);
        assert_eq!(hr_class(1.99), 3);
        assert_eq!(hr_class(2.0), 4);
        // The engine's HazardClass uses the same bounds.
        use drillsim_engine::hazards::flood::HazardClass;
        for (hr, c) in [(0.5, 1), (1.0, 2), (1.5, 3), (2.5, 4)] {
            let engine = HazardClass::of(hr) as u8 + 1;
            assert_eq!((hr_class(hr as f32), engine), (c, c));
        }
    }

    #[test]
    fn zone_ranks_and_outlines() {
        let l = THERMAL_W_M2;
        assert_eq!(rank(12_000.0, &l), 3);
        assert_eq!(rank(5_000.0, &l), 2);
        assert_eq!(rank(2_500.0, &l), 1);
        assert_eq!(rank(1_000.0, &l), 0);
        // 1 psi = 6894.757 Pa (NIST SP 811).
        assert!((OVERPRESSURE_PA[2] - 6894.757).abs() < 1e-3);
        // A 5×5 square zone of rank 1 inside a 7×7 grid, with a single rank-3 centre:
        // the outline of the square is its border ring (16 cells) plus the centre.
        let (w, h) = (7, 7);
        let mut ranks = vec![0u8; w * h];
        for r in 1..6 {
            for c in 1..6 {
                ranks[r * w + c] = 1;
            }
        }
        ranks[3 * w + 3] = 3;
        let outline: Vec<_> = (0..h)
            .flat_map(|r| (0..w).map(move |c| (c, r)))
            .filter(|&(c, r)| is_outline(&ranks, w, h, c, r))
            .collect();
        assert_eq!(outline.len(), 17);
        assert!(outline.contains(&(3, 3)));
        assert!(!outline.contains(&(2, 2)) && !outline.contains(&(0, 0)));
        let mut px = vec![0u8; w * h * 4];
        zones_rgba(&ranks, w, h, &mut px);
        let at = |c: usize, r: usize| &px[(r * w + c) * 4..(r * w + c) * 4 + 4];
        assert_eq!(at(1, 1), &zone_px(1, true));
        assert_eq!(at(2, 2), &zone_px(1, false));
        assert_eq!(at(3, 3), &zone_px(3, true));
        assert_eq!(at(0, 0), &CLEAR);
    }

    #[test]
    fn contour_of_a_plane_is_a_straight_line_at_the_level() {
        // z = x (1 m per cell eastwards): the 10 m contour lies between columns 9 and 10
        // (values 9.x and 10.x), so exactly column 9 is marked in every row.
        let (w, h) = (20, 5);
        let z: Vec<f32> = (0..w * h).map(|i| (i % w) as f32 + 0.5).collect();
        let mut out = vec![0u8; w * h];
        contour_cells(&z, w, h, 10.0, &mut out);
        for r in 0..h {
            let marked: Vec<_> = (0..w).filter(|&c| out[r * w + c] > 0).collect();
            assert_eq!(marked, vec![9], "row {r}");
        }
    }

    #[test]
    fn contour_of_a_cone_is_a_circle_of_the_right_radius() {
        // z = 99 − 2 r (m, r in cells from the centre of a 61 × 61 grid, so z stays in
        // 14–99 m): the only multiple of 50 m crossed is 50 m, on the circle r = 24.5.
        // Every marked cell centre lies within one cell (the raster step) of it.
        let (w, h) = (61, 61);
        let z: Vec<f32> = (0..w * h)
            .map(|i| {
                let (c, r) = ((i % w) as f32 - 30.0, (i / w) as f32 - 30.0);
                99.0 - 2.0 * c.hypot(r)
            })
            .collect();
        let mut out = vec![0u8; w * h];
        contour_cells(&z, w, h, 50.0, &mut out);
        let mut n = 0;
        for (i, &m) in out.iter().enumerate() {
            if m > 0 {
                let (c, r) = ((i % w) as f32 - 30.0, (i / w) as f32 - 30.0);
                let d = c.hypot(r);
                assert!((d - 24.5).abs() <= 1.0, "cell at r = {d}");
                n += 1;
            }
        }
        // A digital circle of radius 24.5 has about 2π·24.5 ≈ 154 cells; ±40 %.
        assert!((92..=216).contains(&n), "{n} cells");
    }

    #[test]
    fn contour_interval_is_a_nice_number() {
        assert_eq!(contour_interval(150.0), 10.0);
        assert_eq!(contour_interval(30.0), 2.0);
        assert_eq!(contour_interval(800.0), 50.0);
        assert_eq!(contour_interval(0.0), 1.0);
    }

    #[test]
    fn dirty_band() {
        let a = vec![0u8; 12];
        let mut b = a.clone();
        assert_eq!(dirty_rows(&a, &b, 4), None);
        b[5] = 1;
        b[9] = 1;
        assert_eq!(dirty_rows(&a, &b, 4), Some((1, 2)));
    }

    #[test]
    fn fire_colours() {
        assert_eq!(fire_px(false, false, 0.0), CLEAR);
        assert_eq!(fire_px(true, true, 100.0)[3], 255);
        assert_ne!(fire_px(false, true, 100.0), fire_px(false, true, 5000.0));
    }

    #[test]
    fn isochrones_of_a_constant_speed_fire_are_circles() {
        // A fire spreading at constant speed v from one point burns a disc; its arrival
        // time is r / v, so the isochrone of k intervals is the circle r = k·v·Δt.
        // Lines lie on the later side of each boundary: within one cell outside it
        // (tolerance: the one-cell raster resolution, plus the cell-centre offset).
        let (n, v, dt, t) = (201usize, 2.0, 10.0, 45.0); // cells of 1 m, m/s, s, s
        let c0 = 100.0;
        let bands: Vec<i64> = (0..n * n)
            .map(|i| {
                let r = ((i % n) as f64 - c0).hypot((i / n) as f64 - c0);
                let a = r / v;
                if a <= t { (a / dt).floor() as i64 } else { -1 }
            })
            .collect();
        let mut marks = vec![0u8; n * n];
        isochrone_cells(&bands, n, n, &mut marks);
        let mut per_ring = [0usize; 4];
        for (i, &m) in marks.iter().enumerate() {
            if m == 0 {
                continue;
            }
            let r = ((i % n) as f64 - c0).hypot((i / n) as f64 - c0);
            let k = (r / (v * dt)).round();
            assert!(
                (1.0..=4.0).contains(&k) && r >= k * v * dt - 1e-9 && r < k * v * dt + 1.5,
                "cell {i} at r = {r:.2} m is on no isochrone"
            );
            per_ring[k as usize - 1] += 1;
        }
        // Every ring inside the burned disc (r = 20, 40, 60, 80 m, disc r = 90 m) is
        // drawn all round: a one-cell digital circle has ≈ 4√2·r cells; ask for 4r.
        for (k, &cells) in per_ring.iter().enumerate() {
            let r = (k + 1) as f64 * v * dt;
            assert!(cells as f64 >= 4.0 * r, "ring {r} m has {cells} cells");
        }
        // Unburned cells (beyond 90 m) are never marked, nor is the burned edge itself.
        assert!(marks.iter().zip(&bands).all(|(&m, &b)| b >= 0 || m == 0));
    }

    #[test]
    fn depth_table_matches_the_ramp() {
        // Every depth from 0 to 4 m in 0.1 mm steps: clear below 5 cm, else within one
        // unit per channel of the exact ramp (table step 3 mm, ramp slope < 0.04 /mm).
        for i in 0..=40_000 {
            let d = i as f32 * 1e-4;
            let (a, b) = (depth_px(d), depth_px_fast(d));
            for c in 0..4 {
                assert!(a[c].abs_diff(b[c]) <= 1, "{d} m: {a:?} vs {b:?}");
            }
            assert_eq!(a[3] == 0, b[3] == 0, "{d} m");
        }
        assert_eq!(depth_px_fast(f32::NAN), CLEAR);
    }
}
