//! Vapour-cloud explosion by the Baker–Strehlow–Tang (BST) blast curves: scaled side-on
//! overpressure as a function of Sachs-scaled distance for a given flame Mach number.
//!
//! ## Model
//! Sachs scaling: `R' = R (p0/E)^{1/3}`, `P' = Δp / p0`. The explosion energy is the
//! combustion energy of the congested part of the cloud, `E = 3.5 MJ/m³ × V` for a
//! stoichiometric hydrocarbon–air mixture (or `M ΔHc` from a flammable mass), doubled
//! for a ground-level (hemispherical) burst because the curves are for free-air spherical
//! charges. The flame Mach number Mf comes from fuel reactivity, obstacle density and
//! flame expansion (CCPS 2010 Table 5.x). `P'(R')` is interpolated log–log along R' and
//! linearly in log P' between the tabulated Mf curves; inside R' = 0.1 the near-field
//! plateau is kept, beyond the last tabulated R' the acoustic decay `P' ∝ 1/R'` is used.
//!
//! ## Units
//! J, m, Pa.
//!
//! ## Assumptions
//! One blast source centred on the congested volume; side-on overpressure on flat open
//! ground; no reflection from buildings. The Mf = 3.0 curve is not used: in the
//! digitised table its near field duplicates Mf = 2.0, so 2.0–4.0 is interpolated.
//!
//! ## References
//! - Tang, M. J., Baker, Q. A. (1999), A new set of blast curves from vapor cloud
//!   explosion, Process Safety Progress 18(4), 235–240.
//! - CCPS (2010), Guidelines for Vapor Cloud Explosion, Pressure Vessel Burst, BLEVE, and
//!   Flash Fire Hazards, 2nd ed., ch. 5 (BST method, curves of scaled overpressure).
//! - Curve points: the CCPS (2010) curves as digitised in Sandia's HyRAM+ 5 data
//!   (`_overpressure_data.py`), resampled here at R' = 0.1 … 7 (log–log interpolation).
//! - Van den Berg, A. C. (1985), The multi-energy method, J. Hazard. Mater. 12, 1–10
//!   (3.5 MJ/m³ charge energy density of stoichiometric hydrocarbon–air).

use super::effects::{distance_to_level, overpressure_probit};
use crate::hazards::chemicals::P_ATM;
use serde::{Deserialize, Serialize};

/// Combustion energy per unit volume of a stoichiometric hydrocarbon–air mixture, J/m³.
pub const E_STOICH_J_M3: f64 = 3.5e6;

/// Tabulated Sachs-scaled distances R'.
const R_GRID: [f64; 11] = [0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0, 7.0];

/// (Mf, P'(R') at [`R_GRID`]).
#[allow(clippy::approx_constant)] // 0.3927 is a curve reading, not π/8
const CURVES: [(f64, [f64; 11]); 8] = [
    (
        0.2,
        [
            0.0676, 0.069, 0.0682, 0.0525, 0.0396, 0.028, 0.0186, 0.0146, 0.0093, 0.0057, 0.0041,
        ],
    ),
    (
        0.35,
        [
            0.2145, 0.2244, 0.2216, 0.1715, 0.1264, 0.0912, 0.0605, 0.0463, 0.0311, 0.0187, 0.0134,
        ],
    ),
    (
        0.7,
        [
            0.6892, 0.6663, 0.6682, 0.467, 0.3792, 0.3085, 0.1999, 0.1362, 0.0892, 0.0496, 0.0336,
        ],
    ),
    (
        1.0,
        [
            1.2942, 1.292, 1.2103, 0.8492, 0.5863, 0.3278, 0.2063, 0.1489, 0.0935, 0.0543, 0.036,
        ],
    ),
    (
        1.4,
        [
            2.0402, 2.0131, 1.8027, 0.9715, 0.591, 0.3887, 0.24, 0.1763, 0.1073, 0.0596, 0.0366,
        ],
    ),
    (
        2.0,
        [
            5.07, 5.7998, 3.2663, 0.9946, 0.5953, 0.4018, 0.2428, 0.1708, 0.1091, 0.0587, 0.04,
        ],
    ),
    (
        4.0,
        [
            14.8351, 11.4225, 3.1617, 0.9444, 0.5767, 0.3927, 0.2375, 0.1686, 0.1091, 0.0595,
            0.0392,
        ],
    ),
    (
        5.2,
        [
            19.6313, 8.4909, 2.7393, 1.0395, 0.5745, 0.3949, 0.2441, 0.1707, 0.108, 0.0588, 0.0401,
        ],
    ),
];

/// Lowest and highest tabulated flame Mach numbers.
pub const MF_RANGE: (f64, f64) = (0.2, 5.2);

fn curve_at(p: &[f64; 11], r: f64) -> f64 {
    let n = R_GRID.len();
    if r <= R_GRID[0] {
        return p[0];
    }
    if r >= R_GRID[n - 1] {
        return p[n - 1] * R_GRID[n - 1] / r;
    }
    let i = R_GRID.iter().position(|&x| x >= r).unwrap_or(n - 1).max(1);
    let (x0, x1) = (R_GRID[i - 1], R_GRID[i]);
    let t = (r / x0).ln() / (x1 / x0).ln();
    (p[i - 1].ln() + t * (p[i].ln() - p[i - 1].ln())).exp()
}

/// Scaled side-on overpressure P' at Sachs distance `r_scaled` for flame Mach `mf`
/// (clamped to [`MF_RANGE`]).
pub fn scaled_overpressure(mf: f64, r_scaled: f64) -> f64 {
    let mf = mf.clamp(MF_RANGE.0, MF_RANGE.1);
    let k = CURVES
        .iter()
        .position(|c| c.0 >= mf)
        .unwrap_or(CURVES.len() - 1);
    if k == 0 || (CURVES[k].0 - mf).abs() < 1e-12 {
        return curve_at(&CURVES[k].1, r_scaled);
    }
    let (lo, hi) = (&CURVES[k - 1], &CURVES[k]);
    let t = (mf - lo.0) / (hi.0 - lo.0);
    let (a, b) = (curve_at(&lo.1, r_scaled), curve_at(&hi.1, r_scaled));
    (a.ln() + t * (b.ln() - a.ln())).exp()
}

/// A vapour-cloud explosion by the BST method.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BstVce {
    /// Combustion energy of the congested cloud, J (before the ground factor).
    pub energy_j: f64,
    /// Flame Mach number.
    pub flame_mach: f64,
    /// Ground-reflection factor applied to the energy (2 for a ground-level burst).
    pub ground_factor: f64,
}

impl BstVce {
    /// Blast of combustion energy `energy_j` at flame Mach `flame_mach`, ground-level.
    pub fn new(energy_j: f64, flame_mach: f64) -> Self {
        Self {
            energy_j,
            flame_mach,
            ground_factor: 2.0,
        }
    }

    /// Sachs-scaled distance of `r_m`.
    pub fn scaled_distance(&self, r_m: f64) -> f64 {
        r_m * (P_ATM / (self.ground_factor * self.energy_j)).cbrt()
    }

    /// Peak side-on overpressure (Pa) at `r_m`.
    pub fn overpressure_pa(&self, r_m: f64) -> f64 {
        if self.energy_j <= 0.0 || r_m <= 0.0 {
            return 0.0;
        }
        P_ATM * scaled_overpressure(self.flame_mach, self.scaled_distance(r_m))
    }

    /// Distance (m) to overpressure `p_pa`.
    pub fn distance_to(&self, p_pa: f64) -> Option<f64> {
        distance_to_level(|r| self.overpressure_pa(r), p_pa)
    }

    /// Lung-haemorrhage lethality probit at `r_m`.
    pub fn probit_at(&self, r_m: f64) -> f64 {
        overpressure_probit(self.overpressure_pa(r_m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curves_fall_with_distance_and_rise_with_flame_speed() {
        for (_, p) in &CURVES {
            for w in p.windows(2).skip(2) {
                assert!(w[1] <= w[0] * 1.001, "{p:?}");
            }
        }
        for r in [0.3, 1.0, 3.0] {
            assert!(scaled_overpressure(0.35, r) < scaled_overpressure(0.7, r));
            assert!(scaled_overpressure(0.7, r) < scaled_overpressure(1.4, r) * 1.2);
        }
        // Acoustic tail beyond the table: P' ∝ 1/R'.
        let a = scaled_overpressure(1.0, 10.0);
        let b = scaled_overpressure(1.0, 20.0);
        assert!((a / b - 2.0).abs() < 1e-9);
        assert!(scaled_overpressure(0.5, 1.0).is_finite());
    }

    #[test]
    fn distance_inverts_overpressure() {
        let v = BstVce::new(E_STOICH_J_M3 * 5000.0, 0.7);
        let d = v.distance_to(20_000.0).unwrap();
        assert!((v.overpressure_pa(d) / 20_000.0 - 1.0).abs() < 0.01);
        assert!(v.probit_at(1.0) > v.probit_at(100.0));
    }
}
