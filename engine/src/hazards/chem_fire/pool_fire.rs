//! Pool fire: burning rate, flame height and tilt, solid-flame radiation with a
//! numerically integrated view factor, and thermal threat distances.
//!
//! ## Model
//! - Burning rate (Burgess et al. 1961): `m'' = 10⁻³ ΔHc / (ΔHv + cp (Tb − Ta))`
//!   kg/(m²·s) (the sensible term only when Tb > Ta).
//! - Flame length (Thomas 1963): `L/D = 42 [m''/(ρa √(g D))]^{0.61}`.
//! - Tilt (AGA, Welker & Sliepcevich): `cos θ = 1` for u* < 1, `1/√u*` otherwise, with
//!   `u* = u_w / (g m'' D / ρv)^{1/3}`.
//! - Surface emissive power (Mudan & Croce 1988): `E = 140 e^{−0.12 D} + 20 (1 − e^{−0.12 D})`
//!   kW/m² (smoke obscuration of large hydrocarbon fires).
//! - Flux `q = τ E F`; F is the view factor from a sheared (tilted) cylinder to a
//!   vertical target facing the pool centre, integrated over 48 × 96 surface patches:
//!   `F = Σ cos β₁ cos β₂ ΔA / (π r²)` over patches that see the target.
//!
//! ## Units
//! m, s, kg, K, W/m².
//!
//! ## Assumptions
//! Circular pool of diameter D; the flame is a tilted cylinder of diameter D; target at
//! 1 m height; flames cannot be nearer than the pool edge.
//!
//! ## References
//! - Burgess, D. S., Strasser, A., Grumer, J. (1961), Diffusive burning of liquid fuels
//!   in open trays, Fire Research Abstracts and Reviews 3, 177.
//! - Thomas, P. H. (1963), The size of flames from natural fires, 9th Symp. Combustion.
//! - Mudan, K. S., Croce, P. A. (1988), Fire hazard calculations for large open
//!   hydrocarbon fires, SFPE Handbook, 1st ed.
//! - CCPS (2000), Guidelines for Chemical Process QRA, 2nd ed., §2.2.5.
//! - TNO Yellow Book CPR 14E (2005), ch. 6 Heat flux from fires.

use super::effects::{distance_to_level, transmissivity};
use crate::hazards::chemicals::Chemical;
use crate::hazards::gas::G;
use serde::{Deserialize, Serialize};

/// A pool fire.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolFire {
    /// Pool diameter, m.
    pub diameter_m: f64,
    /// Burning rate, kg/(m²·s).
    pub burning_rate_kg_m2_s: f64,
    /// Flame length, m.
    pub flame_length_m: f64,
    /// Tilt from vertical, rad (toward +x downwind).
    pub tilt_rad: f64,
    /// Surface emissive power, W/m².
    pub emissive_power_w_m2: f64,
    /// Air temperature, K.
    pub air_t_k: f64,
    /// Relative humidity 0–1.
    pub rh: f64,
}

/// Burgess burning rate, kg/(m²·s).
pub fn burgess_burning_rate(chem: &Chemical, dhc_j_kg: f64, air_t_k: f64) -> f64 {
    let sensible = chem.liquid.heat_capacity_j_kg_k * (chem.boiling_point_k - air_t_k).max(0.0);
    1e-3 * dhc_j_kg / (chem.liquid.heat_of_vaporisation_j_kg + sensible)
}

/// Thomas flame length, m.
pub fn thomas_flame_length(d_m: f64, m_kg_m2_s: f64, rho_air: f64) -> f64 {
    42.0 * d_m * (m_kg_m2_s / (rho_air * (G * d_m).sqrt())).powf(0.61)
}

impl PoolFire {
    /// A pool fire of `chem` (must be flammable: `dhc_j_kg` its heat of combustion).
    pub fn new(
        chem: &Chemical,
        dhc_j_kg: f64,
        diameter_m: f64,
        wind_m_s: f64,
        air_t_k: f64,
        rh: f64,
    ) -> Self {
        let rho_air = 101_325.0 * 0.028_96 / (8.314_462_618 * air_t_k);
        let m = burgess_burning_rate(chem, dhc_j_kg, air_t_k);
        let l = thomas_flame_length(diameter_m, m, rho_air);
        let rho_v = chem.vapour_density_kg_m3(chem.boiling_point_k.max(air_t_k));
        let u_star = wind_m_s.max(0.0) / (G * m * diameter_m / rho_v).cbrt();
        let cos_t = if u_star < 1.0 {
            1.0
        } else {
            1.0 / u_star.sqrt()
        };
        let e = 1000.0
            * (140.0 * (-0.12 * diameter_m).exp() + 20.0 * (1.0 - (-0.12 * diameter_m).exp()));
        Self {
            diameter_m,
            burning_rate_kg_m2_s: m,
            flame_length_m: l,
            tilt_rad: cos_t.acos(),
            emissive_power_w_m2: e,
            air_t_k,
            rh,
        }
    }

    /// View factor to a vertical target at ground distance `x_m` from the pool centre in
    /// direction `bearing_rad` from the downwind axis (0 = downwind), height 1 m.
    pub fn view_factor(&self, x_m: f64, bearing_rad: f64) -> f64 {
        let r = 0.5 * self.diameter_m;
        if x_m <= r {
            return 1.0;
        }
        let (nz, nphi) = (48, 96);
        let h = self.flame_length_m * self.tilt_rad.cos();
        let shear = self.tilt_rad.tan();
        let target = [x_m * bearing_rad.cos(), x_m * bearing_rad.sin(), 1.0];
        // Target normal: horizontal, facing the pool centre.
        let tn = [-bearing_rad.cos(), -bearing_rad.sin(), 0.0];
        let dz = h / f64::from(nz);
        let dphi = 2.0 * std::f64::consts::PI / f64::from(nphi);
        let mut f = 0.0;
        for i in 0..nz {
            let z = (f64::from(i) + 0.5) * dz;
            for j in 0..nphi {
                let phi = (f64::from(j) + 0.5) * dphi;
                let (c, s) = (phi.cos(), phi.sin());
                let p = [z * shear + r * c, r * s, z];
                // Surface normal of the sheared cylinder and patch area.
                let n = [c, s, -shear * c];
                let nn = (n[0] * n[0] + n[1] * n[1] + n[2] * n[2]).sqrt();
                let area = r * dphi * dz * nn;
                let d = [target[0] - p[0], target[1] - p[1], target[2] - p[2]];
                let d2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                let dl = d2.sqrt();
                let cos1 = (n[0] * d[0] + n[1] * d[1] + n[2] * d[2]) / (nn * dl);
                let cos2 = -(tn[0] * d[0] + tn[1] * d[1] + tn[2] * d[2]) / dl;
                if cos1 > 0.0 && cos2 > 0.0 {
                    f += cos1 * cos2 * area / (std::f64::consts::PI * d2);
                }
            }
        }
        f.min(1.0)
    }

    /// Flux (W/m²) at ground distance `x_m` in direction `bearing_rad` from downwind.
    pub fn flux_at(&self, x_m: f64, bearing_rad: f64) -> f64 {
        let path = (x_m - 0.5 * self.diameter_m).max(0.0);
        transmissivity(path.max(1.0), self.rh, self.air_t_k)
            * self.emissive_power_w_m2
            * self.view_factor(x_m, bearing_rad)
    }

    /// Distance (m, from the pool centre) to flux `q_w_m2` in direction `bearing_rad`.
    pub fn distance_to_flux(&self, q_w_m2: f64, bearing_rad: f64) -> Option<f64> {
        distance_to_level(|x| self.flux_at(x, bearing_rad), q_w_m2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn far_field_view_factor_matches_projected_area() {
        // Far from a vertical cylinder, F → D·L / (π X²) (projected area / π X²).
        let pf = PoolFire {
            diameter_m: 10.0,
            burning_rate_kg_m2_s: 0.1,
            flame_length_m: 20.0,
            tilt_rad: 0.0,
            emissive_power_w_m2: 1e5,
            air_t_k: 293.0,
            rh: 0.5,
        };
        let x = 2000.0;
        let f = pf.view_factor(x, 0.0);
        let expect = 10.0 * 20.0 / (std::f64::consts::PI * x * x);
        assert!((f / expect - 1.0).abs() < 0.01, "{f} vs {expect}");
    }
}
