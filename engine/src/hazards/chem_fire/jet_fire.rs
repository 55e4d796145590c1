//! Jet fire: flame length and point-source radiation.
//!
//! ## Model
//! Flame length from the API RP 521 correlation in SI form `L = 0.00326 (ṁ ΔHc)^{0.478}`
//! (L in m, ṁ ΔHc in W). Radiation from a point source at mid-flame:
//! `q = τ f ṁ ΔHc / (4π r²)` with radiative fraction
//! `f = 0.21 e^{−0.00323 u_j} + 0.11` (Chamberlain 1987), u_j the jet exit velocity.
//!
//! ## Units
//! kg/s, J/kg, m/s, m, W/m².
//!
//! ## Assumptions
//! Horizontal distances measured from the release point; the flame axis is vertical
//! (conservative near field); target faces the source.
//!
//! ## References
//! - API RP 521 (2014), Pressure-relieving and Depressuring Systems, §5.7.
//! - Chamberlain, G. A. (1987), Developments in design methods for predicting thermal
//!   radiation from flares, Chem. Eng. Res. Des. 65, 299–309.
//! - CCPS (2000), Guidelines for Chemical Process QRA, 2nd ed., §2.2.6.

use super::effects::{distance_to_level, transmissivity};
use serde::{Deserialize, Serialize};

/// A jet fire.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JetFire {
    /// Heat release rate ṁ ΔHc, W.
    pub heat_release_w: f64,
    /// Flame length, m.
    pub flame_length_m: f64,
    /// Radiative fraction.
    pub radiative_fraction: f64,
    /// Source height (release height + L/2), m.
    pub source_height_m: f64,
    /// Air temperature, K.
    pub air_t_k: f64,
    /// Relative humidity 0–1.
    pub rh: f64,
}

impl JetFire {
    /// Jet fire of `rate_kg_s` with heat of combustion `dhc_j_kg` and exit velocity
    /// `exit_velocity_m_s`, released at `height_m`.
    pub fn new(
        rate_kg_s: f64,
        dhc_j_kg: f64,
        exit_velocity_m_s: f64,
        height_m: f64,
        air_t_k: f64,
        rh: f64,
    ) -> Self {
        let q = rate_kg_s.max(0.0) * dhc_j_kg;
        let l = 0.00326 * q.powf(0.478);
        Self {
            heat_release_w: q,
            flame_length_m: l,
            radiative_fraction: 0.21 * (-0.00323 * exit_velocity_m_s.max(0.0)).exp() + 0.11,
            source_height_m: height_m + 0.5 * l,
            air_t_k,
            rh,
        }
    }

    /// Flux (W/m²) at ground distance `x_m`.
    pub fn flux_at(&self, x_m: f64) -> f64 {
        let r2 = x_m * x_m + self.source_height_m * self.source_height_m;
        let r = r2.sqrt();
        transmissivity(r.max(1.0), self.rh, self.air_t_k)
            * self.radiative_fraction
            * self.heat_release_w
            / (4.0 * std::f64::consts::PI * r2.max(1e-6))
    }

    /// Ground distance to flux `q_w_m2`.
    pub fn distance_to_flux(&self, q_w_m2: f64) -> Option<f64> {
        distance_to_level(|x| self.flux_at(x), q_w_m2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn far_field_follows_inverse_square() {
        // Point source: q·r² is constant apart from the slow change of τ.
        let j = JetFire::new(1.0, 50e6, 100.0, 0.0, 293.15, 0.0);
        let (q1, q2) = (j.flux_at(200.0), j.flux_at(400.0));
        assert!((q1 / q2 - 4.0).abs() < 0.05, "{}", q1 / q2);
        let d = j.distance_to_flux(5000.0).unwrap();
        assert!((j.flux_at(d) / 5000.0 - 1.0).abs() < 1e-3);
    }
}
