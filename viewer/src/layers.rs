//! Hazard overlays as RGBA images (one pixel per terrain cell), built on the simulation
//! thread so the UI only uploads them: water depth on a blue ramp, gas threat zones in
//! the AEGL colours (red = most severe level, orange, yellow).

use drillsim_engine::hazards::gas::zones::ZoneLevel;

/// Depth below which a cell is shown dry, m.
pub const DRY_M: f32 = 0.01;
/// Depth shown at the darkest blue, m.
pub const DEEP_M: f32 = 3.0;

/// Blue ramp of water depth `h` (m): transparent when dry, light to dark blue up to
/// [`DEEP_M`].
pub fn depth_rgba(h: &[f32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(h.len() * 4);
    for &d in h {
        if d.is_nan() || d < DRY_M {
            out.extend_from_slice(&[0, 0, 0, 0]);
        } else {
            let s = (d / DEEP_M).clamp(0.0, 1.0);
            let lerp = |a: f32, b: f32| (a + (b - a) * s).round() as u8;
            out.extend_from_slice(&[
                lerp(110.0, 8.0),
                lerp(170.0, 40.0),
                lerp(250.0, 130.0),
                lerp(160.0, 225.0),
            ]);
        }
    }
    out
}

/// Threat zones of several releases over `n` cells: each cell takes the colour of the
/// most severe level exceeded by any release.
pub fn gas_rgba(fields: &[(&[f32], &[ZoneLevel])], n: usize) -> Vec<u8> {
    // Severity rank per cell: 0 = none, larger = more severe (3 = red).
    let mut rank = vec![0u8; n];
    for (field, levels) in fields {
        for (cell, &c) in rank.iter_mut().zip(field.iter()) {
            if let Some(i) = levels.iter().position(|l| f64::from(c) >= l.threshold) {
                let r = 3 - (i.min(2) as u8);
                *cell = (*cell).max(r);
            }
        }
    }
    let mut out = Vec::with_capacity(n * 4);
    for r in rank {
        out.extend_from_slice(&match r {
            3 => [220, 20, 20, 180],
            2 => [255, 140, 0, 170],
            1 => [255, 230, 0, 150],
            _ => [0, 0, 0, 0],
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels() -> Vec<ZoneLevel> {
        ["AEGL-3", "AEGL-2", "AEGL-1"]
            .iter()
            .zip([3.0, 2.0, 1.0])
            .map(|(n, t)| ZoneLevel {
                name: (*n).into(),
                threshold: t,
            })
            .collect()
    }

    #[test]
    fn depth_ramp_is_clear_when_dry_and_darker_when_deep() {
        let px = depth_rgba(&[0.0, 0.5, 5.0, f32::NAN]);
        assert_eq!(&px[0..4], &[0, 0, 0, 0]);
        assert!(px[4 + 3] > 0 && px[8 + 2] < px[4 + 2]);
        assert_eq!(&px[12..16], &[0, 0, 0, 0]);
    }

    #[test]
    fn gas_zones_take_the_most_severe_level() {
        let l = levels();
        let a = [0.5_f32, 1.5, 2.5, 3.5];
        let b = [3.0_f32, 0.0, 0.0, 0.0];
        let px = gas_rgba(&[(&a, &l), (&b, &l)], 4);
        assert_eq!(&px[0..4], &[220, 20, 20, 180]); // b exceeds AEGL-3
        assert_eq!(&px[4..8], &[255, 230, 0, 150]); // AEGL-1
        assert_eq!(&px[8..12], &[255, 140, 0, 170]); // AEGL-2
        assert_eq!(&px[12..16], &[220, 20, 20, 180]); // AEGL-3
    }
}
