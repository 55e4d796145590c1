//! Dense-gas dispersion by the Britter–McQuaid workbook correlations for continuous
//! ground-level releases, and the density (Richardson-number) tests that choose between
//! dense and passive (Gaussian) dispersion.
//!
//! ## Model
//! Continuous release of volume flux q (m³/s) with reduced gravity
//! `g0' = g (ρ0 − ρa)/ρa` in wind u10: dense when `(g0' q / (u³ D))^{1/3} ≥ 0.15` with
//! `D = √(q/u)`. Instantaneous volume V0: dense when `√(g0' V0^{1/3}) / u ≥ 0.2`.
//! Downwind distance to a centreline concentration ratio Cm/C0 from the workbook curves
//! `β = f(α)`, `α = 0.2 log10(g0'² q / u⁵)`, `x = 10^β √(q/u)`, linearly interpolated
//! in log(Cm/C0) between the six curves (0.1 … 0.002). For a cold release the ratio is
//! corrected to the isothermal one, `C' = C / (C + (1 − C) Ta/T0)`.
//!
//!
//! Forward use (concentration at a distance, for the time-stepped field): the curves are
//! read the other way, `log(Cm/C0)` linear in `log x` between the curves' distances
//! `x_i = 10^{β_i(α)} L` (L = D for plumes, `V0^{1/3}` for puffs); the instantaneous
//! curves use `α = 0.5 log10(g0' V0^{1/3} / u²)` with seven curves 0.1 … 0.001. Closer
//! than the first curve the workbook's near-field fits apply: plume
//! `Cm/C0 = 306 (x/D)^{-2} / (1 + 306 (x/D)^{-2})`, puff `Cm/C0 = 3.24 / (3.24 + (x/V0^{1/3})²)`
//! (not below the first curve's 0.1). Beyond the last curve the model returns `None`:
//! the cloud is then passive.
//!
//! ## Units
//! m, m/s, m³/s, kg/m³, K; concentrations as volume fractions.
//!
//! ## Assumptions
//! Ground-level release on flat terrain; outside the curves' range (Cm/C0 > 0.1 or
//! < 0.002) the model returns `None` and the caller uses the Gaussian result.
//!
//! ## References
//! - Britter, R. E., McQuaid, J. (1988), Workbook on the Dispersion of Dense Gases, HSE
//!   Contract Research Report 17/1988 (Figures 3–4).
//! - CCPS (1999), Guidelines for Consequence Analysis of Chemical Releases, §2.3.2
//!   (piecewise-linear fits of the workbook curves, as used in TSCREEN).
//! - Crowl, D. A., Louvar, J. F. (2011), Chemical Process Safety, 3rd ed., §5 (dense gas).

use super::G;
use serde::{Deserialize, Serialize};

/// Breakpoints (α, β) of the continuous-plume curves for each Cm/C0; β is constant
/// below the first α and linear between and beyond the breakpoints.
const PLUME_CURVES: [(f64, &[(f64, f64)]); 6] = [
    (0.1, &[(-0.55, 1.75), (-0.14, 1.85), (1.0, 1.28)]),
    (
        0.05,
        &[(-0.68, 1.92), (-0.29, 2.06), (-0.18, 2.06), (1.0, 1.40)],
    ),
    (
        0.02,
        &[(-0.69, 2.08), (-0.31, 2.25), (-0.16, 2.25), (1.0, 1.62)],
    ),
    (
        0.01,
        &[(-0.70, 2.25), (-0.29, 2.45), (-0.20, 2.45), (1.0, 1.83)],
    ),
    (
        0.005,
        &[(-0.67, 2.40), (-0.28, 2.63), (-0.15, 2.63), (1.0, 2.07)],
    ),
    (
        0.002,
        &[(-0.69, 2.60), (-0.25, 2.77), (-0.13, 2.77), (1.0, 2.21)],
    ),
];

/// Instantaneous (puff) curves as exact piecewise-linear fits `β = m α + b`, each segment
/// valid up to its `α_max` (the last one extended beyond α = 1): CCPS (1999) Table 2.14
/// fits of workbook Fig. 5, for Cm/C0 = 0.1 … 0.001.
type Segments = &'static [(f64, f64, f64)];
const PUFF_CURVES: [(f64, Segments); 7] = [
    (
        0.1,
        &[
            (-0.44, 0.0, 0.70),
            (0.43, 0.26, 0.81),
            (f64::INFINITY, 0.0, 0.93),
        ],
    ),
    (
        0.05,
        &[
            (-0.56, 0.0, 0.85),
            (0.31, 0.26, 1.0),
            (f64::INFINITY, -0.12, 1.12),
        ],
    ),
    (
        0.02,
        &[
            (-0.66, 0.0, 0.95),
            (0.32, 0.36, 1.19),
            (f64::INFINITY, -0.26, 1.38),
        ],
    ),
    (
        0.01,
        &[
            (-0.71, 0.0, 1.15),
            (0.37, 0.34, 1.39),
            (f64::INFINITY, -0.38, 1.66),
        ],
    ),
    (
        0.005,
        &[
            (-0.52, 0.0, 1.48),
            (0.24, 0.26, 1.62),
            (f64::INFINITY, -0.30, 1.75),
        ],
    ),
    (0.002, &[(0.27, 0.0, 1.83), (f64::INFINITY, -0.32, 1.92)]),
    (0.001, &[(-0.10, 0.0, 2.075), (f64::INFINITY, -0.27, 2.05)]),
];

fn segment_beta(segs: Segments, alpha: f64) -> f64 {
    for &(a_max, m, b) in segs {
        if alpha <= a_max {
            return m * alpha + b;
        }
    }
    let &(_, m, b) = segs.last().expect("non-empty fit");
    m * alpha + b
}

fn curve_beta(pts: &[(f64, f64)], alpha: f64) -> f64 {
    if alpha <= pts[0].0 {
        return pts[0].1;
    }
    for w in pts.windows(2) {
        let ((a0, b0), (a1, b1)) = (w[0], w[1]);
        if alpha <= a1 {
            return b0 + (b1 - b0) * (alpha - a0) / (a1 - a0);
        }
    }
    // Beyond α = 1: extend the last segment.
    let n = pts.len();
    let ((a0, b0), (a1, b1)) = (pts[n - 2], pts[n - 1]);
    b1 + (b1 - b0) / (a1 - a0) * (alpha - a1)
}

/// Reduced gravity g0' (m/s²) of a gas of density `rho_gas` in air of density `rho_air`.
pub fn reduced_gravity(rho_gas: f64, rho_air: f64) -> f64 {
    G * (rho_gas - rho_air) / rho_air
}

/// Britter–McQuaid test for a continuous release: true if dense-gas effects matter.
pub fn is_dense_continuous(rho_gas: f64, rho_air: f64, q_m3_s: f64, u10: f64) -> bool {
    let g0 = reduced_gravity(rho_gas, rho_air);
    if g0 <= 0.0 || q_m3_s <= 0.0 || u10 <= 0.0 {
        return false;
    }
    let d = (q_m3_s / u10).sqrt();
    (g0 * q_m3_s / (u10.powi(3) * d)).cbrt() >= 0.15
}

/// Britter–McQuaid test for an instantaneous release of volume `v0_m3`.
pub fn is_dense_instantaneous(rho_gas: f64, rho_air: f64, v0_m3: f64, u10: f64) -> bool {
    let g0 = reduced_gravity(rho_gas, rho_air);
    if g0 <= 0.0 || v0_m3 <= 0.0 || u10 <= 0.0 {
        return false;
    }
    (g0 * v0_m3.cbrt()).sqrt() / u10 >= 0.2
}

/// Downwind distance (m) at which the centreline volume fraction falls to `c_target`
/// for a continuous dense release (volume flux `q_m3_s` of pure gas at temperature
/// `t_release_k`, density `rho_gas`), or `None` outside the workbook's range.
pub fn bm_plume_distance(
    rho_gas: f64,
    rho_air: f64,
    q_m3_s: f64,
    u10: f64,
    t_release_k: f64,
    t_air_k: f64,
    c_target: f64,
) -> Option<f64> {
    let g0 = reduced_gravity(rho_gas, rho_air);
    if !(g0 > 0.0 && q_m3_s > 0.0 && u10 > 0.0 && c_target > 0.0 && c_target < 1.0) {
        return None;
    }
    // Non-isothermal correction (workbook §3.3).
    let c = c_target / (c_target + (1.0 - c_target) * t_air_k / t_release_k);
    let alpha = 0.2 * (g0 * g0 * q_m3_s / u10.powi(5)).log10();
    let (c_hi, c_lo) = (PLUME_CURVES[0].0, PLUME_CURVES[5].0);
    if c > c_hi || c < c_lo {
        return None;
    }
    let mut beta = curve_beta(PLUME_CURVES[0].1, alpha);
    for w in PLUME_CURVES.windows(2) {
        let ((ca, pa), (cb, pb)) = (w[0], w[1]);
        if c <= ca && c >= cb {
            let t = (c.ln() - ca.ln()) / (cb.ln() - ca.ln());
            beta = curve_beta(pa, alpha) * (1.0 - t) + curve_beta(pb, alpha) * t;
        }
    }
    Some(10f64.powf(beta) * (q_m3_s / u10).sqrt())
}

/// Kind of dense release, which picks the workbook's curve family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DenseKind {
    /// Continuous plume (volume flux q).
    Plume,
    /// Instantaneous puff (volume V0).
    Puff,
}

/// The workbook curves evaluated for one release: distances (m) at which the isothermal
/// centreline ratio Cm/C0 reaches each curve's value, plus the near-field scale L.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BmCurves {
    kind: DenseKind,
    /// (Cm/C0, distance m), Cm/C0 decreasing, distance non-decreasing.
    pts: [(f64, f64); 7],
    n: usize,
    scale_m: f64,
}

impl BmCurves {
    /// Curves of a release of reduced gravity `g0` (m/s²) in wind `u10` (m/s) with
    /// volume flux (plume, m³/s) or volume (puff, m³) `q_or_v`; `None` if not dense
    /// (g0 ≤ 0) or an input is not positive.
    pub fn new(kind: DenseKind, g0: f64, q_or_v: f64, u10: f64) -> Option<Self> {
        if !(g0 > 0.0 && q_or_v > 0.0 && u10 > 0.0) {
            return None;
        }
        let mut betas = [(0.0, 0.0); 7];
        let (scale, n) = match kind {
            DenseKind::Plume => {
                let alpha = 0.2 * (g0 * g0 * q_or_v / u10.powi(5)).log10();
                for (i, (c, curve)) in PLUME_CURVES.iter().enumerate() {
                    betas[i] = (*c, curve_beta(curve, alpha));
                }
                ((q_or_v / u10).sqrt(), PLUME_CURVES.len())
            }
            DenseKind::Puff => {
                let alpha = 0.5 * (g0 * q_or_v.cbrt() / (u10 * u10)).log10();
                for (i, (c, segs)) in PUFF_CURVES.iter().enumerate() {
                    betas[i] = (*c, segment_beta(segs, alpha));
                }
                (q_or_v.cbrt(), PUFF_CURVES.len())
            }
        };
        let mut pts = [(0.0, 0.0); 7];
        let mut last = 0.0f64;
        for (p, &(c, beta)) in pts.iter_mut().zip(&betas).take(n) {
            // Keep distances non-decreasing where the fits cross at extreme α.
            last = last.max(10f64.powf(beta) * scale);
            *p = (c, last);
        }
        Some(Self {
            kind,
            pts,
            n,
            scale_m: scale,
        })
    }

    /// Distance (m) of the last curve: beyond it the cloud is treated as passive.
    pub fn end_m(&self) -> f64 {
        self.pts[self.n - 1].1
    }

    /// Distance (m) at which the isothermal ratio falls to `c_iso`, or `None` outside
    /// the curves' range (above the first or below the last curve's value).
    pub fn distance_to(&self, c_iso: f64) -> Option<f64> {
        let pts = &self.pts[..self.n];
        if !(c_iso <= pts[0].0 && c_iso >= pts[self.n - 1].0) {
            return None;
        }
        for w in pts.windows(2) {
            let ((ca, xa), (cb, xb)) = (w[0], w[1]);
            if c_iso >= cb {
                let t = (c_iso / ca).ln() / (cb / ca).ln();
                return Some((xa.ln() + t * (xb.ln() - xa.ln())).exp());
            }
        }
        Some(pts[0].1)
    }

    /// Isothermal centreline ratio Cm/C0 at downwind distance `x_m`, or `None` beyond
    /// the last curve.
    pub fn ratio_at(&self, x_m: f64) -> Option<f64> {
        let pts = &self.pts[..self.n];
        let (c0, x0) = pts[0];
        if x_m <= x0 {
            let xs = (x_m / self.scale_m).max(1e-9);
            let near = match self.kind {
                DenseKind::Plume => {
                    let a = 306.0 / (xs * xs);
                    a / (1.0 + a)
                }
                DenseKind::Puff => 3.24 / (3.24 + xs * xs),
            };
            return Some(near.max(c0).min(1.0));
        }
        for w in pts.windows(2) {
            let ((ca, xa), (cb, xb)) = (w[0], w[1]);
            if x_m <= xb {
                if xb <= xa {
                    return Some(cb);
                }
                let t = (x_m / xa).ln() / (xb / xa).ln();
                return Some((ca.ln() + t * (cb.ln() - ca.ln())).exp());
            }
        }
        None
    }
}

/// Actual volume fraction from an isothermal-curve ratio `c_iso` for gas released at
/// `t_release_k` into air at `t_air_k` (inverse of the workbook §3.3 correction used in
/// [`bm_plume_distance`]).
pub fn non_isothermal(c_iso: f64, t_release_k: f64, t_air_k: f64) -> f64 {
    let r = t_air_k / t_release_k;
    c_iso * r / (1.0 - c_iso + c_iso * r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_grows_as_concentration_falls() {
        let d1 = bm_plume_distance(3.0, 1.2, 1.0, 2.0, 239.0, 293.0, 0.05).unwrap();
        let d2 = bm_plume_distance(3.0, 1.2, 1.0, 2.0, 239.0, 293.0, 0.005).unwrap();
        assert!(d2 > d1);
        assert!(bm_plume_distance(3.0, 1.2, 1.0, 2.0, 293.0, 293.0, 0.5).is_none());
    }

    #[test]
    fn curve_values_at_breakpoints() {
        // Workbook fit for Cm/C0 = 0.01 at α = −0.29 is β = 2.45 (CCPS 1999 table).
        assert!((curve_beta(PLUME_CURVES[3].1, -0.29) - 2.45).abs() < 1e-12);
        assert!((curve_beta(PLUME_CURVES[3].1, -2.0) - 2.25).abs() < 1e-12);
    }

    #[test]
    fn puff_fits_match_the_ccps_table() {
        // CCPS (1999) Table 2.14: Cm/C0 = 0.05 at α = 0 → β = 1.0; 0.005 at α = 0.75 →
        // β = −0.30·0.75 + 1.75 = 1.525; 0.001 at α = −0.75 → 2.075.
        assert!((segment_beta(PUFF_CURVES[1].1, 0.0) - 1.0).abs() < 1e-12);
        assert!((segment_beta(PUFF_CURVES[4].1, 0.75) - 1.525).abs() < 1e-12);
        assert!((segment_beta(PUFF_CURVES[6].1, -0.75) - 2.075).abs() < 1e-12);
        assert!((segment_beta(PUFF_CURVES[3].1, 0.0) - 1.39).abs() < 1e-12);
        assert!((segment_beta(PUFF_CURVES[0].1, 0.75) - 0.93).abs() < 1e-12);
    }

    #[test]
    fn forward_curves_invert_the_distance_lookup() {
        // The forward ratio at the inverse distance gives back the level (same curves).
        let (rho, rho_a, q, u) = (3.0, 1.2, 1.0, 2.0);
        let c = BmCurves::new(DenseKind::Plume, reduced_gravity(rho, rho_a), q, u).unwrap();
        for target in [0.08, 0.03, 0.01, 0.004] {
            let x = bm_plume_distance(rho, rho_a, q, u, 293.0, 293.0, target).unwrap();
            let r = c.ratio_at(x).unwrap();
            assert!((r / target - 1.0).abs() < 1e-9, "{r} vs {target}");
        }
        assert!(c.ratio_at(c.end_m() * 1.01).is_none());
        let p = BmCurves::new(DenseKind::Puff, 19.6, 277.0, 3.0).unwrap();
        let x = p.distance_to(0.007).unwrap();
        assert!((p.ratio_at(x).unwrap() / 0.007 - 1.0).abs() < 1e-9);
        assert!(p.distance_to(0.5).is_none());
        assert!(c.ratio_at(0.0).unwrap() <= 1.0);
        // Cold gas: the actual fraction exceeds the isothermal one.
        assert!(non_isothermal(0.01, 239.0, 293.0) > 0.01);
    }

    #[test]
    fn chlorine_leak_is_dense_and_methane_is_not() {
        assert!(is_dense_continuous(3.0, 1.2, 0.5, 2.0));
        assert!(!is_dense_continuous(0.67, 1.2, 0.5, 2.0));
        assert!(is_dense_instantaneous(3.0, 1.2, 100.0, 2.0));
    }
}
