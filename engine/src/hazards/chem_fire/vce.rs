//! Vapour-cloud explosion by TNT equivalence, with overpressure threat distances.
//!
//! ## Model
//! `W_TNT = η M ΔHc / E_TNT` with explosion efficiency η (CCPS: 1–10 %, default 3 %) and
//! `E_TNT = 4.68 MJ/kg`; side-on overpressure from the Kinney–Graham curve at scaled
//! distance `R / W_TNT^{1/3}`; distances to the 8 / 3.5 / 1 psi levels by bisection.
//!
//! ## Units
//! kg, J/kg, m, Pa.
//!
//! ## Assumptions
//! Ground-level hemispherical cloud treated as a free-air TNT charge (no ground
//! reflection doubling: CCPS practice includes it in η). TNT equivalence over-predicts
//! near field and under-predicts far field compared with the multi-energy method.
//!
//! ## References
//! - CCPS (1994), Guidelines for Evaluating the Characteristics of VCEs, Flash Fires and
//!   BLEVEs, ch. 4 (TNT equivalency).
//! - Crowl, D. A., Louvar, J. F. (2011), Chemical Process Safety, 3rd ed., §6-13.
//! - Kinney, G. F., Graham, K. J. (1985), Explosive Shocks in Air, 2nd ed.

use super::effects::{distance_to_level, overpressure_probit, tnt_overpressure_pa};
use serde::{Deserialize, Serialize};

/// TNT energy of explosion, J/kg (CCPS 1994).
pub const E_TNT_J_KG: f64 = 4.68e6;

/// A vapour-cloud explosion expressed as a TNT charge.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TntEquivalentVce {
    /// Flammable mass, kg.
    pub mass_kg: f64,
    /// Explosion efficiency (0–1).
    pub efficiency: f64,
    /// Equivalent TNT mass, kg.
    pub tnt_kg: f64,
}

impl TntEquivalentVce {
    /// Charge for `mass_kg` of fuel with heat of combustion `dhc_j_kg`.
    pub fn new(mass_kg: f64, dhc_j_kg: f64, efficiency: f64) -> Self {
        Self {
            mass_kg,
            efficiency,
            tnt_kg: efficiency * mass_kg * dhc_j_kg / E_TNT_J_KG,
        }
    }

    /// Peak side-on overpressure (Pa) at `r_m`.
    pub fn overpressure_pa(&self, r_m: f64) -> f64 {
        tnt_overpressure_pa(self.tnt_kg, r_m)
    }

    /// Distance (m) to overpressure `p_pa`.
    pub fn distance_to(&self, p_pa: f64) -> Option<f64> {
        distance_to_level(|r| self.overpressure_pa(r), p_pa)
    }

    /// Lethality probit at `r_m`.
    pub fn probit_at(&self, r_m: f64) -> f64 {
        overpressure_probit(self.overpressure_pa(r_m))
    }
}
