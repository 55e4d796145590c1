//! Evaporating puddle: gravity spreading of a liquid pool on land, evaporation of a
//! non-boiling pool by wind (Mackay–Matsugu) and of a boiling pool by heat conducted
//! from the ground.
//!
//! ## Model
//! - Spreading: `dr/dt = √(2 g h)`, `h = V/(π r²)`, until h reaches `min_thickness_m`
//!   or the bund area is filled (Shaw & Briscoe 1980; Yellow Book §3.5.4). The wetted
//!   area never shrinks.
//! - Non-boiling pool at ambient temperature: `E = k_m A P_sat(T) M / (R T)` with
//!   `k_m = 0.0048 u10^{7/9} d^{−1/9} Sc^{−2/3}` (Mackay & Matsugu 1973), `Sc = ν/D`,
//!   `D = D_water (M_water/M)^{1/2}` (Graham's law estimate).
//! - Boiling pool (T_b < ground temperature): `q = k_s (T_g − T_b)/√(π α_s t)` from a
//!   semi-infinite ground suddenly cooled (Carslaw & Jaeger), `E = q A / ΔHv`.
//!
//! ## Units
//! SI: kg, m, m², s, K, W/m², kg/s.
//!
//! ## Assumptions
//! Flat non-porous ground; the whole pool is wetted since the spill start (conservative
//! heat flux for continuous spills); the non-boiling pool stays at the ambient
//! temperature (no evaporative cooling — conservative); no solar or convective heating
//! of boiling pools.
//!
//! ## References
//! - Mackay, D., Matsugu, R. S. (1973), Evaporation rates of liquid hydrocarbon spills
//!   on land and water, Can. J. Chem. Eng. 51, 434–439.
//! - Shaw, P., Briscoe, F. (1980), Evaporation from spills of hazardous liquids on land
//!   and water, UKAEA SRD R 100.
//! - TNO Yellow Book CPR 14E (2005), ch. 3 Pool evaporation.
//! - Incropera, F. P., DeWitt, D. P., Fundamentals of Heat and Mass Transfer, Table A.3
//!   (ground properties).

use super::source::Release;
use super::{G, GasError, require_positive};
use crate::hazards::chemicals::{Chemical, R_GAS};
use serde::{Deserialize, Serialize};

/// Kind of ground under the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ground {
    /// Concrete (stone mix): k = 1.4 W/(m·K), α = 6.9e-7 m²/s.
    Concrete,
    /// Average soil: k = 0.52 W/(m·K), α = 1.38e-7 m²/s.
    Soil,
    /// Dry sand: k = 0.27 W/(m·K), α = 2.2e-7 m²/s.
    Sand,
}

impl Ground {
    /// (conductivity W/(m·K), diffusivity m²/s).
    pub fn thermal(self) -> (f64, f64) {
        match self {
            Self::Concrete => (1.4, 6.9e-7),
            Self::Soil => (0.52, 1.38e-7),
            Self::Sand => (0.27, 2.2e-7),
        }
    }
}

/// A liquid spill forming a pool.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PuddleSpec {
    /// Liquid entering the pool (kg, kg/s).
    pub spill: Release,
    /// Ground type.
    pub ground: Ground,
    /// Ground temperature, K.
    pub ground_t_k: f64,
    /// Air temperature, K.
    pub air_t_k: f64,
    /// Wind speed at 10 m, m/s.
    pub wind_10m_m_s: f64,
    /// Bund (dike) area, m², `None` for an unconfined spill.
    pub bund_area_m2: Option<f64>,
    /// Minimum thickness of an unconfined pool, m (Yellow Book: 5 mm on smooth ground).
    pub min_thickness_m: f64,
}

/// Result of a puddle simulation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PuddleResult {
    /// Vapour source for the dispersion model.
    pub vapour: Release,
    /// Pool area at each sample time, m².
    pub area_m2: Vec<f64>,
    /// Liquid left at the end, kg.
    pub remaining_kg: f64,
}

/// Mackay–Matsugu mass-transfer coefficient (m/s).
pub fn mackay_matsugu_k(wind_10m_m_s: f64, diameter_m: f64, molar_mass_kg_mol: f64) -> f64 {
    let d_ab = 2.4e-5 * (0.018_015 / molar_mass_kg_mol).sqrt();
    let sc = 1.5e-5 / d_ab;
    0.0048
        * wind_10m_m_s.max(0.1).powf(7.0 / 9.0)
        * diameter_m.max(0.01).powf(-1.0 / 9.0)
        * sc.powf(-2.0 / 3.0)
}

/// Simulates the pool with step `dt_s` to `t_max_s` (or until it has evaporated).
pub fn simulate_puddle(
    chem: &Chemical,
    spec: &PuddleSpec,
    dt_s: f64,
    t_max_s: f64,
) -> Result<PuddleResult, GasError> {
    require_positive("dt_s", dt_s, "time step")?;
    require_positive("ground_t_k", spec.ground_t_k, "ground temperature")?;
    require_positive("air_t_k", spec.air_t_k, "air temperature")?;
    require_positive("wind_10m_m_s", spec.wind_10m_m_s, "wind speed at 10 m")?;
    require_positive("min_thickness_m", spec.min_thickness_m, "e.g. 0.005 m")?;
    if let Some(a) = spec.bund_area_m2 {
        require_positive("bund_area_m2", a, "bund area")?;
    }
    let rho = chem.liquid.density_kg_m3;
    let boiling = chem.boiling_point_k < spec.ground_t_k;
    let (k_s, a_s) = spec.ground.thermal();
    let max_area = spec.bund_area_m2.unwrap_or(f64::INFINITY);
    let (mut liquid, mut radius, mut t) = (0.0_f64, 0.0_f64, 0.0_f64);
    let mut times = vec![0.0];
    let mut rates = vec![0.0];
    let mut areas = vec![0.0];
    while t < t_max_s {
        liquid += spec
            .spill
            .mass_between(if t == 0.0 { f64::NEG_INFINITY } else { t }, t + dt_s);
        let volume = liquid / rho;
        if radius == 0.0 && volume > 0.0 {
            radius = (volume / std::f64::consts::PI).cbrt();
        }
        // Gravity spreading with sub-steps (fast at first).
        let mut sub = 0.0;
        while sub < dt_s && volume > 0.0 {
            let area = std::f64::consts::PI * radius * radius;
            let h = volume / area;
            if h <= spec.min_thickness_m || area >= max_area {
                break;
            }
            let v = (2.0 * G * h).sqrt();
            let step = (0.05 * radius / v).clamp(1e-4, dt_s - sub);
            radius += v * step;
            sub += step;
        }
        let mut area = std::f64::consts::PI * radius * radius;
        if area > max_area {
            area = max_area;
            radius = (max_area / std::f64::consts::PI).sqrt();
        }
        let flux = if boiling {
            // Step average of q(t) ∝ t^{-1/2}, integrated exactly over [t, t + dt].
            let mean_inv_sqrt = 2.0 * ((t + dt_s).sqrt() - t.sqrt()) / dt_s;
            k_s * (spec.ground_t_k - chem.boiling_point_k) * mean_inv_sqrt
                / (std::f64::consts::PI * a_s).sqrt()
                / chem.liquid.heat_of_vaporisation_j_kg
        } else {
            let p = chem.vapour_pressure_pa(spec.air_t_k);
            mackay_matsugu_k(spec.wind_10m_m_s, 2.0 * radius, chem.molar_mass_kg_mol)
                * p
                * chem.molar_mass_kg_mol
                / (R_GAS * spec.air_t_k)
        };
        let evap = (flux * area * dt_s).min(liquid);
        liquid -= evap;
        t += dt_s;
        times.push(t);
        rates.push(evap / dt_s);
        areas.push(area);
        if liquid <= 0.0 && t >= spec.spill.end_s() {
            break;
        }
    }
    Ok(PuddleResult {
        vapour: Release::TimeSeries {
            times_s: times,
            rates_kg_s: rates,
        },
        area_m2: areas,
        remaining_kg: liquid,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazards::chemicals::ChemicalLibrary;

    #[test]
    fn boiling_pool_in_bund_matches_conduction_integral() {
        // Analytic: with a constant area A the evaporated mass after t is
        // A · 2 k ΔT √(t / (π α)) / ΔHv (integral of the semi-infinite-solid flux).
        let lib = ChemicalLibrary::load_builtin().unwrap();
        let lng = lib.find("LNG").unwrap();
        let spec = PuddleSpec {
            spill: Release::Instantaneous { mass_kg: 1e6 },
            ground: Ground::Concrete,
            ground_t_k: 293.15,
            air_t_k: 293.15,
            wind_10m_m_s: 3.0,
            bund_area_m2: Some(100.0),
            min_thickness_m: 0.005,
        };
        let r = simulate_puddle(lng, &spec, 1.0, 600.0).unwrap();
        let (k, a) = Ground::Concrete.thermal();
        let dt = 293.15 - lng.boiling_point_k;
        let expect = 100.0 * 2.0 * k * dt * (600.0 / (std::f64::consts::PI * a)).sqrt()
            / lng.liquid.heat_of_vaporisation_j_kg;
        let got = 1e6 - r.remaining_kg;
        // The step integral is exact for a constant area: 1e-9 relative (round-off).
        assert!((got / expect - 1.0).abs() < 1e-9, "{got} vs {expect}");
    }

    #[test]
    fn mackay_matsugu_grows_with_wind() {
        assert!(mackay_matsugu_k(5.0, 10.0, 0.078) > mackay_matsugu_k(2.0, 10.0, 0.078));
        assert!(mackay_matsugu_k(5.0, 10.0, 0.078) > mackay_matsugu_k(5.0, 100.0, 0.078));
    }
}
