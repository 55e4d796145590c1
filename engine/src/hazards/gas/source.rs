//! Source terms: direct releases (continuous, instantaneous, time series), orifice flow of
//! gas (choked/unchoked) and liquid (Bernoulli with falling head), flashing of
//! superheated liquids and two-phase flow, gas pipeline rupture, and the BLEVE mass.
//!
//! ## Model
//! - Gas orifice: critical pressure ratio `(2/(γ+1))^(γ/(γ−1))`; choked
//!   `Q = Cd A p0 √(γ M/(R T0) (2/(γ+1))^((γ+1)/(γ−1)))`, unchoked with the isentropic
//!   expansion factor (Yellow Book eq. 2.22; Crowl & Louvar eqs. 4-49/4-50).
//! - Liquid orifice: `Q = Cd A ρ √(2 (Δp/ρ + g h))`; the liquid level of a vertical
//!   tank falls as `dh/dt = −Q/(ρ A_tank)`, integrated with RK4 (Crowl & Louvar §4-3).
//! - Flash fraction `φ = cp (T − Tb)/ΔHv` (Crowl & Louvar eq. 4-90); two-phase orifice
//!   flow by the equilibrium rate model `G = ΔHv / v_fg · √(1/(T cp))` (Fauske 1985).
//! - Pipeline full-bore rupture: Wilson's double exponential
//!   `Q(t) = Q0/(1+α) [exp(−t/(α²β)) + α exp(−t/β)]`, `α = M0/(Q0 β)` (mass balance),
//!   `β = (2L/3c) √(γ f L/D)` (Yellow Book §2.5.3.6).
//! - BLEVE fireball mass: `min(1, 3 φ)` of the flammable inventory (CCPS 1994, after
//!   Hasegawa & Sato).
//!
//! ## Units
//! Pa (absolute unless named `_gauge`), K, m, m², kg, s, kg/s.
//!
//! ## Assumptions
//! Ideal gas; discharge coefficient given by the caller (0.61 sharp-edged liquid,
//! ≈ 0.62–1.0 gas); tanks are vertical cylinders with constant pad pressure; pipeline
//! gas isothermal at the initial temperature.
//!
//! ## References
//! - TNO Yellow Book CPR 14E, 3rd ed. (2005), ch. 2 Outflow and spray release.
//! - Crowl, D. A., Louvar, J. F. (2011), Chemical Process Safety, 3rd ed., ch. 4.
//! - Fauske, H. K. (1985), Flashing flows, Plant/Operations Progress 4, 132–134.
//! - Wilson, D. J. (1981), Expansion and plume rise of gas jets from high-pressure pipeline
//!   ruptures, Univ. of Alberta.
//! - CCPS (1994), Guidelines for Evaluating the Characteristics of VCEs, Flash Fires and
//!   BLEVEs.

use super::{G, GasError, require_non_negative, require_positive};
use crate::hazards::chemicals::{Chemical, R_GAS};
use crate::scenario::problem::{Problem, check_positive, join};
use serde::{Deserialize, Serialize};

/// Time profile of the mass released to the atmosphere.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Release {
    /// Constant rate from t = 0 for `duration_s`.
    Continuous {
        /// Rate, kg/s.
        rate_kg_s: f64,
        /// Duration, s.
        duration_s: f64,
    },
    /// All mass at t = 0.
    Instantaneous {
        /// Mass, kg.
        mass_kg: f64,
    },
    /// Piecewise-linear rate through `(times_s[i], rates_kg_s[i])`, zero outside.
    TimeSeries {
        /// Ascending times, s.
        times_s: Vec<f64>,
        /// Rates at those times, kg/s.
        rates_kg_s: Vec<f64>,
    },
}

impl Release {
    /// Reports out-of-range values under `path`.
    pub fn check(&self, path: &str, out: &mut Vec<Problem>) {
        match self {
            Self::Continuous {
                rate_kg_s,
                duration_s,
            } => {
                check_positive(
                    out,
                    &join(path, "rate_kg_s"),
                    *rate_kg_s,
                    "kg/s",
                    "release rate",
                );
                check_positive(out, &join(path, "duration_s"), *duration_s, "s", "duration");
            }
            Self::Instantaneous { mass_kg } => {
                check_positive(out, &join(path, "mass_kg"), *mass_kg, "kg", "released mass");
            }
            Self::TimeSeries {
                times_s,
                rates_kg_s,
            } => {
                if times_s.len() != rates_kg_s.len() || times_s.len() < 2 {
                    out.push(Problem::new(
                        path,
                        "times_s and rates_kg_s of equal length ≥ 2",
                        format!("{} and {}", times_s.len(), rates_kg_s.len()),
                        "give one rate per time",
                    ));
                }
                if times_s
                    .windows(2)
                    .any(|w| w[1] <= w[0] || !w[0].is_finite())
                {
                    out.push(Problem::new(
                        join(path, "times_s"),
                        "strictly increasing times",
                        format!("{times_s:?}"),
                        "sort the time series",
                    ));
                }
                if rates_kg_s.iter().any(|r| !(r.is_finite() && *r >= 0.0)) {
                    out.push(Problem::new(
                        join(path, "rates_kg_s"),
                        "rates ≥ 0 kg/s",
                        format!("{rates_kg_s:?}"),
                        "rates cannot be negative",
                    ));
                }
            }
        }
    }

    /// Rate at time `t` (kg/s); 0 for instantaneous releases.
    pub fn rate_at(&self, t: f64) -> f64 {
        match self {
            Self::Continuous {
                rate_kg_s,
                duration_s,
            } => {
                if (0.0..*duration_s).contains(&t) {
                    *rate_kg_s
                } else {
                    0.0
                }
            }
            Self::Instantaneous { .. } => 0.0,
            Self::TimeSeries {
                times_s,
                rates_kg_s,
            } => {
                let n = times_s.len().min(rates_kg_s.len());
                if n < 2 || t < times_s[0] || t > times_s[n - 1] {
                    return 0.0;
                }
                let i = times_s[..n].partition_point(|&x| x <= t).clamp(1, n - 1);
                let (t0, t1) = (times_s[i - 1], times_s[i]);
                let w = (t - t0) / (t1 - t0);
                rates_kg_s[i - 1] * (1.0 - w) + rates_kg_s[i] * w
            }
        }
    }

    /// Mass released in `[t0, t1)`, kg (exact for all profiles).
    pub fn mass_between(&self, t0: f64, t1: f64) -> f64 {
        if t1 <= t0 {
            return 0.0;
        }
        match self {
            Self::Continuous {
                rate_kg_s,
                duration_s,
            } => rate_kg_s * (t1.min(*duration_s) - t0.max(0.0)).max(0.0),
            Self::Instantaneous { mass_kg } => {
                if t0 <= 0.0 && t1 > 0.0 {
                    *mass_kg
                } else {
                    0.0
                }
            }
            Self::TimeSeries { times_s, .. } => {
                // Exact integral of a piecewise-linear function: split at the knots. The
                // rate is zero outside the series, so clamp to it (t0 may be −∞).
                let (Some(&first), Some(&last)) = (times_s.first(), times_s.last()) else {
                    return 0.0;
                };
                let (t0, t1) = (t0.max(first), t1.min(last));
                if t1 <= t0 {
                    return 0.0;
                }
                let mut m = 0.0;
                let mut a = t0;
                for &k in times_s.iter().filter(|&&k| k > t0 && k < t1) {
                    m += 0.5 * (self.rate_at(a) + self.rate_at(k)) * (k - a);
                    a = k;
                }
                m + 0.5 * (self.rate_at(a) + self.rate_at(t1)) * (t1 - a)
            }
        }
    }

    /// Total mass, kg.
    pub fn total_mass(&self) -> f64 {
        match self {
            Self::Continuous {
                rate_kg_s,
                duration_s,
            } => rate_kg_s * duration_s,
            Self::Instantaneous { mass_kg } => *mass_kg,
            Self::TimeSeries { times_s, .. } => match (times_s.first(), times_s.last()) {
                (Some(&a), Some(&b)) => self.mass_between(a, b),
                _ => 0.0,
            },
        }
    }

    /// End of the release, s.
    pub fn end_s(&self) -> f64 {
        match self {
            Self::Continuous { duration_s, .. } => *duration_s,
            Self::Instantaneous { .. } => 0.0,
            Self::TimeSeries { times_s, .. } => times_s.last().copied().unwrap_or(0.0),
        }
    }
}

/// Gas flow through an orifice: (mass rate kg/s, choked?).
pub fn gas_orifice_rate(
    p0_pa: f64,
    t0_k: f64,
    p_amb_pa: f64,
    area_m2: f64,
    cd: f64,
    gamma: f64,
    molar_mass_kg_mol: f64,
) -> Result<(f64, bool), GasError> {
    require_positive("p0_pa", p0_pa, "absolute storage pressure")?;
    require_positive("t0_k", t0_k, "storage temperature")?;
    require_positive("area_m2", area_m2, "hole area")?;
    require_positive("cd", cd, "discharge coefficient (0.6–1)")?;
    require_positive("p_amb_pa", p_amb_pa, "ambient pressure")?;
    if p0_pa <= p_amb_pa {
        return Ok((0.0, false));
    }
    let g = gamma;
    let crit = (2.0 / (g + 1.0)).powf(g / (g - 1.0));
    let r = p_amb_pa / p0_pa;
    let k = molar_mass_kg_mol / (R_GAS * t0_k);
    if r <= crit {
        let q =
            cd * area_m2 * p0_pa * (g * k * (2.0 / (g + 1.0)).powf((g + 1.0) / (g - 1.0))).sqrt();
        Ok((q, true))
    } else {
        let f = r.powf(2.0 / g) - r.powf((g + 1.0) / g);
        let q = cd * area_m2 * p0_pa * (2.0 * k * g / (g - 1.0) * f).sqrt();
        Ok((q, false))
    }
}

/// Liquid flow through an orifice, kg/s, driven by gauge pressure and liquid head.
pub fn liquid_orifice_rate(dp_gauge_pa: f64, head_m: f64, area_m2: f64, cd: f64, rho: f64) -> f64 {
    let e = 2.0 * (dp_gauge_pa / rho + G * head_m);
    if e <= 0.0 {
        return 0.0;
    }
    cd * area_m2 * rho * e.sqrt()
}

/// A liquid leak from a vertical cylindrical tank through a hole in its wall.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiquidTankLeak {
    /// Tank cross-section, m².
    pub tank_area_m2: f64,
    /// Initial liquid level above the hole, m.
    pub head_m: f64,
    /// Constant gauge pressure of the vapour space, Pa.
    pub overpressure_pa: f64,
    /// Hole area, m².
    pub hole_area_m2: f64,
    /// Discharge coefficient (0.61 for a sharp-edged hole).
    pub cd: f64,
    /// Liquid density, kg/m³.
    pub density_kg_m3: f64,
}

impl LiquidTankLeak {
    /// Outflow as a time series sampled every `dt_s` until the level reaches the hole
    /// (or `t_max_s`), integrating the falling head with RK4.
    pub fn outflow(&self, dt_s: f64, t_max_s: f64) -> Result<Release, GasError> {
        require_positive("tank_area_m2", self.tank_area_m2, "tank cross-section")?;
        require_non_negative("head_m", self.head_m, "liquid level above the hole")?;
        require_non_negative(
            "overpressure_pa",
            self.overpressure_pa,
            "gauge pad pressure",
        )?;
        require_positive("hole_area_m2", self.hole_area_m2, "hole area")?;
        require_positive("cd", self.cd, "discharge coefficient")?;
        require_positive("density_kg_m3", self.density_kg_m3, "liquid density")?;
        require_positive("dt_s", dt_s, "time step")?;
        let rate = |h: f64| {
            liquid_orifice_rate(
                self.overpressure_pa,
                h.max(0.0),
                self.hole_area_m2,
                self.cd,
                self.density_kg_m3,
            )
        };
        let dhdt = |h: f64| -rate(h) / (self.density_kg_m3 * self.tank_area_m2);
        let (mut t, mut h) = (0.0, self.head_m);
        let mut times = vec![0.0];
        let mut rates = vec![rate(h)];
        while h > 0.0 && t < t_max_s {
            let k1 = dhdt(h);
            let k2 = dhdt(h + 0.5 * dt_s * k1);
            let k3 = dhdt(h + 0.5 * dt_s * k2);
            let k4 = dhdt(h + dt_s * k3);
            let hn = h + dt_s / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
            if hn <= 0.0 {
                // Level reaches the hole inside this step: linear interpolation of the time.
                let frac = h / (h - hn);
                t += frac * dt_s;
                h = 0.0;
            } else {
                t += dt_s;
                h = hn;
            }
            times.push(t);
            rates.push(if h > 0.0 { rate(h) } else { 0.0 });
        }
        Ok(Release::TimeSeries {
            times_s: times,
            rates_kg_s: rates,
        })
    }
}

/// Adiabatic flash fraction of a liquid stored at `t_k` released to 1 atm (0–1).
pub fn flash_fraction(chem: &Chemical, t_k: f64) -> f64 {
    (chem.liquid.heat_capacity_j_kg_k * (t_k - chem.boiling_point_k)
        / chem.liquid.heat_of_vaporisation_j_kg)
        .clamp(0.0, 1.0)
}

/// Airborne fraction (vapour + aerosol) of a flashing release: twice the flash fraction,
/// capped at 1 (CCPS 1999 rule of thumb; rainout for the rest).
pub fn airborne_fraction(flash: f64) -> f64 {
    (2.0 * flash).clamp(0.0, 1.0)
}

/// Two-phase (flashing) orifice flow by the equilibrium rate model, kg/s, for a
/// saturated liquid at `t_k` (Fauske 1985; Crowl & Louvar eq. 4-103).
pub fn two_phase_orifice_rate(chem: &Chemical, t_k: f64, area_m2: f64, cd: f64) -> f64 {
    let p_sat = chem.vapour_pressure_pa(t_k);
    let rho_v = p_sat * chem.molar_mass_kg_mol / (R_GAS * t_k);
    let v_fg = 1.0 / rho_v - 1.0 / chem.liquid.density_kg_m3;
    if v_fg <= 0.0 {
        return 0.0;
    }
    cd * area_m2 * chem.liquid.heat_of_vaporisation_j_kg / v_fg
        * (1.0 / (t_k * chem.liquid.heat_capacity_j_kg_k)).sqrt()
}

/// A full-bore rupture of a gas pipeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineRupture {
    /// Inner diameter, m.
    pub diameter_m: f64,
    /// Length of pipe feeding the break, m.
    pub length_m: f64,
    /// Initial absolute pressure, Pa.
    pub pressure_pa: f64,
    /// Gas temperature, K.
    pub temperature_k: f64,
    /// Darcy friction factor (default 0.01 for clean steel at high Reynolds numbers).
    pub friction_factor: f64,
}

impl PipelineRupture {
    /// Wilson's double-exponential outflow, sampled every `dt_s` to `t_max_s`.
    pub fn outflow(&self, chem: &Chemical, dt_s: f64, t_max_s: f64) -> Result<Release, GasError> {
        require_positive("diameter_m", self.diameter_m, "pipe diameter")?;
        require_positive("length_m", self.length_m, "pipe length")?;
        require_positive("pressure_pa", self.pressure_pa, "absolute pressure")?;
        require_positive("temperature_k", self.temperature_k, "gas temperature")?;
        require_positive("friction_factor", self.friction_factor, "Darcy friction")?;
        require_positive("dt_s", dt_s, "time step")?;
        let g = chem.gamma;
        let m = chem.molar_mass_kg_mol;
        let area = std::f64::consts::PI * self.diameter_m.powi(2) / 4.0;
        let (q0, _) = gas_orifice_rate(
            self.pressure_pa,
            self.temperature_k,
            super::super::chemicals::P_ATM,
            area,
            1.0,
            g,
            m,
        )?;
        let m0 = self.pressure_pa * area * self.length_m * m / (R_GAS * self.temperature_k);
        let c = (g * R_GAS * self.temperature_k / m).sqrt();
        let beta = 2.0 * self.length_m / (3.0 * c)
            * (g * self.friction_factor * self.length_m / self.diameter_m).sqrt();
        let alpha = m0 / (q0 * beta);
        let n = (t_max_s / dt_s).ceil().max(1.0) as usize;
        let mut times = Vec::with_capacity(n + 1);
        let mut rates = Vec::with_capacity(n + 1);
        for i in 0..=n {
            let t = i as f64 * dt_s;
            times.push(t);
            rates.push(
                q0 / (1.0 + alpha)
                    * ((-t / (alpha * alpha * beta)).exp() + alpha * (-t / beta).exp()),
            );
        }
        Ok(Release::TimeSeries {
            times_s: times,
            rates_kg_s: rates,
        })
    }
}

/// Mass (kg) taking part in a BLEVE fireball: `min(1, 3 φ)` of the inventory.
pub fn bleve_fireball_mass(chem: &Chemical, inventory_kg: f64, storage_t_k: f64) -> f64 {
    inventory_kg.max(0.0) * (3.0 * flash_fraction(chem, storage_t_k)).min(1.0)
}

impl Release {
    /// The same release stopped at model time `t_s` (a leak sealed by a response team):
    /// no mass after `t_s`; an instantaneous release cannot be stopped.
    pub fn stopped_at(&self, t_s: f64) -> Self {
        let t_s = t_s.max(0.0);
        match self {
            Self::Continuous {
                rate_kg_s,
                duration_s,
            } => Self::Continuous {
                rate_kg_s: *rate_kg_s,
                duration_s: duration_s.min(t_s),
            },
            Self::Instantaneous { .. } => self.clone(),
            Self::TimeSeries {
                times_s,
                rates_kg_s,
            } => {
                if times_s.last().is_none_or(|&e| e <= t_s) {
                    return self.clone();
                }
                let mut t = Vec::new();
                let mut r = Vec::new();
                for (&ti, &ri) in times_s.iter().zip(rates_kg_s) {
                    if ti < t_s {
                        t.push(ti);
                        r.push(ri);
                    }
                }
                // The rate at the stop time, then a drop to zero.
                let at = self.rate_at(t_s);
                t.push(t_s);
                r.push(at);
                t.push(t_s + 1e-3);
                r.push(0.0);
                Self::TimeSeries {
                    times_s: t,
                    rates_kg_s: r,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_series_mass_from_minus_infinity_is_finite() {
        // Trapezoid of rates 2 → 0 kg/s over 10 s: exactly 10 kg (analytic).
        let r = Release::TimeSeries {
            times_s: vec![0.0, 10.0],
            rates_kg_s: vec![2.0, 0.0],
        };
        assert!((r.mass_between(f64::NEG_INFINITY, 5.0) - 7.5).abs() < 1e-12);
        assert!((r.mass_between(f64::NEG_INFINITY, f64::INFINITY) - 10.0).abs() < 1e-12);
    }

    #[test]
    fn time_series_mass_is_exact_trapezoid() {
        let r = Release::TimeSeries {
            times_s: vec![0.0, 10.0, 20.0],
            rates_kg_s: vec![0.0, 2.0, 0.0],
        };
        assert!((r.total_mass() - 20.0).abs() < 1e-12);
        assert!((r.mass_between(0.0, 5.0) - 2.5).abs() < 1e-12);
        assert!((r.mass_between(5.0, 15.0) - 15.0).abs() < 1e-12);
    }

    #[test]
    fn choked_and_unchoked_join_at_critical_ratio() {
        let g: f64 = 1.4;
        let crit = (2.0 / (g + 1.0)).powf(g / (g - 1.0));
        let p0 = 1e6;
        let (a, ca) =
            gas_orifice_rate(p0, 300.0, p0 * crit * 0.999_999, 1e-4, 1.0, g, 0.028).unwrap();
        let (b, cb) =
            gas_orifice_rate(p0, 300.0, p0 * crit * 1.000_001, 1e-4, 1.0, g, 0.028).unwrap();
        assert!(ca && !cb);
        assert!((a - b).abs() / a < 1e-4);
    }

    #[test]
    fn wilson_conserves_pipe_inventory() {
        let lib = crate::hazards::chemicals::ChemicalLibrary::load_builtin().unwrap();
        let ch4 = lib.find("methane").unwrap();
        let p = PipelineRupture {
            diameter_m: 0.3,
            length_m: 5000.0,
            pressure_pa: 50e5,
            temperature_k: 288.0,
            friction_factor: 0.01,
        };
        let r = p.outflow(ch4, 0.5, 20_000.0).unwrap();
        let m0 =
            50e5 * std::f64::consts::PI * 0.0225 * 5000.0 * ch4.molar_mass_kg_mol / (R_GAS * 288.0);
        assert!(
            (r.total_mass() / m0 - 1.0).abs() < 0.01,
            "{} vs {m0}",
            r.total_mass()
        );
    }
}
