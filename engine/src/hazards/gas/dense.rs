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
    fn chlorine_leak_is_dense_and_methane_is_not() {
        assert!(is_dense_continuous(3.0, 1.2, 0.5, 2.0));
        assert!(!is_dense_continuous(0.67, 1.2, 0.5, 2.0));
        assert!(is_dense_instantaneous(3.0, 1.2, 100.0, 2.0));
    }
}
