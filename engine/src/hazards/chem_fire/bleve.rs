//! BLEVE fireball: diameter, duration, lift-off height, surface emissive power and the
//! radiation received at ground level.
//!
//! ## Model
//! CCPS (1994) correlations: `D = 5.8 M^{1/3}`, `t = 0.45 M^{1/3}` for M < 30 000 kg and
//! `t = 2.6 M^{1/6}` above, centre height `H = 0.75 D`. Emissive power
//! `E = f M ΔHc / (π D² t)` with radiative fraction `f = 0.27 p^{0.32}` (p vessel
//! pressure in MPa; Roberts 1982), capped at 0.4. Received flux
//! `q = τ E F`, sphere-to-facing-target view factor `F = (D/2)² / L²`, L the distance
//! from the fireball centre; path length for τ is `L − D/2`.
//!
//! ## Units
//! kg, m, s, Pa, W/m².
//!
//! ## Assumptions
//! Fireball at its maximum diameter for its whole duration; target faces the fireball.
//!
//! ## References
//! - CCPS (1994), Guidelines for Evaluating the Characteristics of Vapor Cloud
//!   Explosions, Flash Fires, and BLEVEs, ch. 6.
//! - CCPS (2000), Guidelines for Chemical Process QRA, 2nd ed., §2.2.4.
//! - Roberts, A. F. (1982), Thermal radiation hazards from releases of LPG from pressurised
//!   storage, Fire Safety J. 4, 197–212.

use super::effects::{distance_to_level, eisenberg_probit, transmissivity};
use serde::{Deserialize, Serialize};

/// A BLEVE fireball.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fireball {
    /// Fuel mass, kg.
    pub mass_kg: f64,
    /// Diameter, m.
    pub diameter_m: f64,
    /// Duration, s.
    pub duration_s: f64,
    /// Height of the centre, m.
    pub centre_height_m: f64,
    /// Surface emissive power, W/m².
    pub emissive_power_w_m2: f64,
}

impl Fireball {
    /// Fireball of `mass_kg` of fuel with heat of combustion `dhc_j_kg`, burst pressure
    /// `p_burst_pa` (absolute).
    pub fn new(mass_kg: f64, dhc_j_kg: f64, p_burst_pa: f64) -> Self {
        let m13 = mass_kg.max(0.0).cbrt();
        let d = 5.8 * m13;
        let t = if mass_kg < 30_000.0 {
            0.45 * m13
        } else {
            2.6 * mass_kg.powf(1.0 / 6.0)
        };
        let f = (0.27 * (p_burst_pa / 1e6).max(0.0).powf(0.32)).min(0.4);
        let e = if d > 0.0 && t > 0.0 {
            f * mass_kg * dhc_j_kg / (std::f64::consts::PI * d * d * t)
        } else {
            0.0
        };
        Self {
            mass_kg,
            diameter_m: d,
            duration_s: t,
            centre_height_m: 0.75 * d,
            emissive_power_w_m2: e,
        }
    }

    /// Flux (W/m²) at ground distance `x_m` from the point below the centre.
    pub fn flux_at(&self, x_m: f64, rh: f64, t_air_k: f64) -> f64 {
        let r = 0.5 * self.diameter_m;
        let l = (x_m * x_m + self.centre_height_m * self.centre_height_m).sqrt();
        if l <= r {
            return self.emissive_power_w_m2;
        }
        transmissivity(l - r, rh, t_air_k) * self.emissive_power_w_m2 * (r * r) / (l * l)
    }

    /// Ground distance (m) where the flux falls to `q_w_m2`.
    pub fn distance_to_flux(&self, q_w_m2: f64, rh: f64, t_air_k: f64) -> Option<f64> {
        distance_to_level(|x| self.flux_at(x, rh, t_air_k), q_w_m2)
    }

    /// Eisenberg lethality probit at ground distance `x_m` for the fireball duration.
    pub fn probit_at(&self, x_m: f64, rh: f64, t_air_k: f64) -> f64 {
        eisenberg_probit(self.flux_at(x_m, rh, t_air_k), self.duration_s)
    }
}
