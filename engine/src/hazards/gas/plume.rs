//! Steady Gaussian plume with ground reflection, and its finite-duration form.
//!
//! ## Model
//! `C = Q / (2π u σy σz) · exp(−y²/2σy²) · [exp(−(z−H)²/2σz²) + exp(−(z+H)²/2σz²)]`
//! with Briggs σ(x). A release of finite duration `T` starting at t = 0 is the
//! difference of two semi-infinite plumes with along-wind spread σx = σy (Palazzi et al.
//! 1982): `C(t) = C_ss/2 · [erf((x − u(t−T))/(√2 σx)) − erf((x − u t)/(√2 σx))]`.
//!
//! ## Units
//! Q kg/s, u m/s, lengths m, C kg/m³.
//!
//! ## Assumptions
//! Passive (neutrally buoyant) gas, flat terrain, total reflection at the ground, wind
//! speed taken at the release height (≥ 1 m) from the 10 m wind via the power law.
//!
//! ## References
//! - Pasquill, F., Smith, F. B. (1983), Atmospheric Diffusion, 3rd ed.
//! - TNO Yellow Book CPR 14E (2005), ch. 4 (Gaussian plume with reflection).
//! - Palazzi, E. et al. (1982), Diffusion from a steady source of short duration,
//!   Atmos. Environ. 16, 2785–2790.

use super::stability::{Stability, Terrain, briggs_sigmas};
use super::{GasError, erf, require_non_negative, require_positive};
use serde::{Deserialize, Serialize};

/// A steady (or finite-duration) Gaussian plume along +x.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GaussianPlume {
    /// Release rate, kg/s.
    pub rate_kg_s: f64,
    /// Wind speed at the release height, m/s.
    pub wind_m_s: f64,
    /// Release height, m.
    pub height_m: f64,
    /// Stability class.
    pub stability: Stability,
    /// Terrain for the sigmas.
    pub terrain: Terrain,
    /// Release duration, s (`None` = continuous, steady state).
    pub duration_s: Option<f64>,
}

impl GaussianPlume {
    /// A plume; rejects non-positive rate or wind and negative height or duration.
    pub fn new(
        rate_kg_s: f64,
        wind_m_s: f64,
        height_m: f64,
        stability: Stability,
        terrain: Terrain,
        duration_s: Option<f64>,
    ) -> Result<Self, GasError> {
        require_positive("rate_kg_s", rate_kg_s, "the release rate")?;
        require_positive(
            "wind_m_s",
            wind_m_s,
            "a Gaussian plume needs wind (use ≥ 1 m/s; calm needs a puff model)",
        )?;
        require_non_negative("height_m", height_m, "release height above ground")?;
        if let Some(d) = duration_s {
            require_positive("duration_s", d, "release duration")?;
        }
        Ok(Self {
            rate_kg_s,
            wind_m_s,
            height_m,
            stability,
            terrain,
            duration_s,
        })
    }

    /// Steady-state concentration (kg/m³) at downwind `x`, crosswind `y`, height `z`.
    pub fn concentration(&self, x: f64, y: f64, z: f64) -> f64 {
        if x <= 0.0 {
            return 0.0;
        }
        let (sy, sz) = briggs_sigmas(self.stability, self.terrain, x);
        plume_concentration(self.rate_kg_s, self.wind_m_s, sy, sz, self.height_m, y, z)
    }

    /// Concentration at time `t_s` after the release started (finite duration aware).
    pub fn concentration_at(&self, x: f64, y: f64, z: f64, t_s: f64) -> f64 {
        let css = self.concentration(x, y, z);
        if css == 0.0 || t_s <= 0.0 {
            return 0.0;
        }
        let (sx, _) = briggs_sigmas(self.stability, self.terrain, x);
        let k = std::f64::consts::SQRT_2 * sx;
        let u = self.wind_m_s;
        let upper = erf(x / k) - erf((x - u * t_s) / k);
        let lower = match self.duration_s {
            Some(d) if t_s > d => erf(x / k) - erf((x - u * (t_s - d)) / k),
            _ => 0.0,
        };
        (0.5 * css * (upper - lower)).max(0.0)
    }

    /// Largest downwind distance (m) where the centreline concentration at height `z`
    /// reaches `c_kg_m3`, searched to 100 km; `None` if never reached.
    pub fn distance_to(&self, c_kg_m3: f64, z: f64) -> Option<f64> {
        max_distance_where(|x| self.concentration(x, 0.0, z) >= c_kg_m3)
    }

    /// Crosswind half-width (m) at `x` of the region where C ≥ `c_kg_m3` at height `z`.
    pub fn half_width(&self, x: f64, c_kg_m3: f64, z: f64) -> f64 {
        let c0 = self.concentration(x, 0.0, z);
        if c0 < c_kg_m3 || c_kg_m3 <= 0.0 {
            return 0.0;
        }
        let (sy, _) = briggs_sigmas(self.stability, self.terrain, x);
        sy * (2.0 * (c0 / c_kg_m3).ln()).sqrt()
    }
}

/// Gaussian plume formula with ground reflection for given sigmas: rate `q` (kg/s),
/// wind `u` (m/s), sigmas (m), release height `h`, crosswind offset `y`, height `z`.
pub fn plume_concentration(q: f64, u: f64, sy: f64, sz: f64, h: f64, y: f64, z: f64) -> f64 {
    let lateral = (-y * y / (2.0 * sy * sy)).exp();
    let vertical =
        (-(z - h).powi(2) / (2.0 * sz * sz)).exp() + (-(z + h).powi(2) / (2.0 * sz * sz)).exp();
    q / (2.0 * std::f64::consts::PI * u * sy * sz) * lateral * vertical
}

/// Largest x in [1 m, 100 km] where `inside(x)` holds, scanning geometrically and
/// bisecting the last crossing; `None` if it never holds.
pub fn max_distance_where(inside: impl Fn(f64) -> bool) -> Option<f64> {
    let mut last_in: Option<f64> = None;
    let mut x = 1.0;
    let mut next_out = None;
    while x <= 1e5 {
        if inside(x) {
            last_in = Some(x);
            next_out = None;
        } else if last_in.is_some() && next_out.is_none() {
            next_out = Some(x);
        }
        x *= 1.02;
    }
    let lo = last_in?;
    let Some(mut hi) = next_out else {
        return Some(lo);
    };
    let mut lo = lo;
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if inside(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_calm_and_negative_rate() {
        assert!(GaussianPlume::new(1.0, 0.0, 0.0, Stability::D, Terrain::Rural, None).is_err());
        assert!(GaussianPlume::new(-1.0, 3.0, 0.0, Stability::D, Terrain::Rural, None).is_err());
    }

    #[test]
    fn crosswind_integral_conserves_flux() {
        // ∫∫ u C dy dz over the half space equals Q (mass flux through a plane).
        let p = GaussianPlume::new(2.0, 4.0, 5.0, Stability::C, Terrain::Rural, None).unwrap();
        let (dy, dz) = (1.0, 0.5);
        let mut flux = 0.0;
        for j in -600..=600 {
            for k in 0..600 {
                flux += p.concentration(500.0, f64::from(j) * dy, (f64::from(k) + 0.5) * dz);
            }
        }
        flux *= 4.0 * dy * dz;
        assert!((flux - 2.0).abs() < 0.01, "{flux}");
    }

    #[test]
    fn finite_release_tends_to_steady_state() {
        let p =
            GaussianPlume::new(1.0, 3.0, 0.0, Stability::D, Terrain::Rural, Some(3600.0)).unwrap();
        let css = p.concentration(300.0, 0.0, 0.0);
        let c = p.concentration_at(300.0, 0.0, 0.0, 1800.0);
        assert!((c / css - 1.0).abs() < 1e-6);
        assert!(p.concentration_at(300.0, 0.0, 0.0, 2.0 * 3600.0) < 1e-9 * css);
    }
}
