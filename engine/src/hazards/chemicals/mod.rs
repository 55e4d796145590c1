//! Chemical property library: physical, flammability and toxicity data of the chemicals
//! the gas and fire models need, loaded from RON (`assets/chemicals.ron` is built in;
//! users add or override chemicals with their own file).
//!
//! ## Model
//! Vapour pressure by the Antoine equation in the NIST WebBook form
//! `log10(P / bar) = A − B / (T / K + C)`, one or more temperature ranges per chemical;
//! mixtures (LPG) by Raoult's law over their components. Outside every range the nearest
//! range is extrapolated (reported by [`Chemical::vapour_pressure_checked`]).
//!
//! ## Units
//! SI in the file and in code: kg/mol, K, kg/m³, J/kg, J/(kg·K), volume fractions (0–1);
//! levels of concern in ppm (converted with [`ppm_to_kg_m3`]); toxic probit constants
//! in the TNO Purple Book convention (C in mg/m³, t in min).
//!
//! ## Assumptions
//! Ideal gas for ppm ↔ mass conversion (at the given temperature and 101 325 Pa);
//! liquid properties are single values at the normal boiling point or 20 °C as stated in
//! the file's `source` fields.
//!
//! ## References
//! - NIST Chemistry WebBook, SRD 69 (Antoine constants, ΔvapH, boiling points).
//! - US EPA, Acute Exposure Guideline Levels, final/interim values.
//! - US DOE, Protective Action Criteria (PAC) Rev. 29 (2016).
//! - TNO "Purple Book" CPR 18E (1999), Guidelines for quantitative risk assessment, §5.
//! - Perry's Chemical Engineers' Handbook, 8th ed. (2008), §2.

mod library;

pub use library::{ChemError, ChemicalLibrary};

use serde::{Deserialize, Serialize};

/// Universal gas constant, J/(mol·K).
pub const R_GAS: f64 = 8.314_462_618;
/// Standard atmosphere, Pa.
pub const P_ATM: f64 = 101_325.0;

/// One chemical and all its properties.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chemical {
    /// Canonical name, e.g. `"chlorine"` (lower case).
    pub name: String,
    /// Other names and formulas accepted on lookup, e.g. `["Cl2"]`.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// CAS registry number.
    #[serde(default)]
    pub cas: String,
    /// Molar mass, kg/mol.
    pub molar_mass_kg_mol: f64,
    /// Normal boiling point (at 101 325 Pa), K.
    pub boiling_point_k: f64,
    /// Ratio of specific heats cp/cv of the vapour (for orifice flow).
    pub gamma: f64,
    /// Source of molar mass, boiling point and gamma.
    pub source: String,
    /// Vapour pressure correlation.
    pub vapour_pressure: VapourPressure,
    /// Liquid properties.
    pub liquid: LiquidProps,
    /// Combustion properties, `None` for non-flammable chemicals.
    #[serde(default)]
    pub combustion: Option<Combustion>,
    /// Toxicity: levels of concern and probit, `None` for simple asphyxiants without
    /// published levels.
    #[serde(default)]
    pub toxicity: Option<Toxicity>,
}

/// Antoine constants valid over `[t_min_k, t_max_k]`, NIST form
/// `log10(P/bar) = a − b/(T + c)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AntoineRange {
    /// A (log10 bar).
    pub a: f64,
    /// B, K.
    pub b: f64,
    /// C, K.
    pub c: f64,
    /// Lowest valid temperature, K.
    pub t_min_k: f64,
    /// Highest valid temperature, K.
    pub t_max_k: f64,
}

impl AntoineRange {
    /// Vapour pressure in Pa at `t_k`.
    pub fn pressure_pa(&self, t_k: f64) -> f64 {
        1e5 * 10f64.powf(self.a - self.b / (t_k + self.c))
    }
}

/// A component of a mixture for Raoult's law.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MixtureComponent {
    /// Name of the component (documentation only).
    pub name: String,
    /// Mole fraction in the liquid (0–1).
    pub mole_fraction: f64,
    /// Antoine ranges of the pure component.
    pub antoine: Vec<AntoineRange>,
}

/// Vapour pressure correlation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum VapourPressure {
    /// Pure substance: Antoine ranges (ascending temperature).
    Antoine {
        /// The ranges.
        ranges: Vec<AntoineRange>,
        /// Source of the constants.
        source: String,
    },
    /// Ideal mixture: bubble pressure `Σ xᵢ Pᵢ(T)` (Raoult's law).
    Raoult {
        /// The components.
        components: Vec<MixtureComponent>,
        /// Source of the constants and composition.
        source: String,
    },
}

/// Picks the range containing `t_k`, else the nearest one; returns (pressure, in range).
fn antoine_eval(ranges: &[AntoineRange], t_k: f64) -> (f64, bool) {
    let mut best: Option<(&AntoineRange, f64)> = None;
    for r in ranges {
        if t_k >= r.t_min_k && t_k <= r.t_max_k {
            return (r.pressure_pa(t_k), true);
        }
        let d = (r.t_min_k - t_k).max(t_k - r.t_max_k);
        if best.is_none_or(|(_, bd)| d < bd) {
            best = Some((r, d));
        }
    }
    best.map_or((f64::NAN, false), |(r, _)| (r.pressure_pa(t_k), false))
}

/// Liquid-phase properties.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiquidProps {
    /// Liquid density, kg/m³.
    pub density_kg_m3: f64,
    /// Heat of vaporisation at the normal boiling point, J/kg.
    pub heat_of_vaporisation_j_kg: f64,
    /// Liquid specific heat capacity, J/(kg·K).
    pub heat_capacity_j_kg_k: f64,
    /// Source of these values.
    pub source: String,
}

/// Combustion and flammability properties.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Combustion {
    /// Lower heat of combustion, J/kg.
    pub heat_of_combustion_j_kg: f64,
    /// Lower explosive limit, volume fraction (0–1).
    pub lel: f64,
    /// Upper explosive limit, volume fraction (0–1).
    pub uel: f64,
    /// Source of these values.
    pub source: String,
}

/// A level of concern (AEGL, ERPG or PAC tier) at the five AEGL durations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConcernLevel {
    /// Name, e.g. `"AEGL-3"`, `"PAC-2"`.
    pub name: String,
    /// Concentration in ppm at 10 min, 30 min, 60 min, 4 h, 8 h; `None` = not defined.
    pub ppm: [Option<f64>; 5],
}

/// Durations (min) of [`ConcernLevel::ppm`].
pub const LEVEL_DURATIONS_MIN: [f64; 5] = [10.0, 30.0, 60.0, 240.0, 480.0];

impl ConcernLevel {
    /// The level at `duration_min` if it is one of the tabulated durations (±1 %).
    pub fn at_duration(&self, duration_min: f64) -> Option<f64> {
        LEVEL_DURATIONS_MIN
            .iter()
            .position(|d| (d - duration_min).abs() <= 0.01 * d)
            .and_then(|i| self.ppm[i])
    }
}

/// Toxic probit `Pr = a + b ln(∫ Cⁿ dt)`, C in mg/m³ and t in min (Purple Book).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToxicProbit {
    /// a.
    pub a: f64,
    /// b.
    pub b: f64,
    /// n.
    pub n: f64,
}

/// Toxicity data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Toxicity {
    /// Levels of concern, most severe first (e.g. AEGL-3, AEGL-2, AEGL-1).
    pub levels: Vec<ConcernLevel>,
    /// Source of the levels.
    pub levels_source: String,
    /// Lethality probit, if published.
    #[serde(default)]
    pub probit: Option<ToxicProbit>,
    /// Source of the probit.
    #[serde(default)]
    pub probit_source: String,
}

/// Converts a volume concentration in ppm to kg/m³ (ideal gas at `t_k`, 101 325 Pa).
pub fn ppm_to_kg_m3(ppm: f64, molar_mass_kg_mol: f64, t_k: f64) -> f64 {
    ppm * 1e-6 * P_ATM * molar_mass_kg_mol / (R_GAS * t_k)
}

/// Converts kg/m³ to ppm (ideal gas at `t_k`, 101 325 Pa).
pub fn kg_m3_to_ppm(c: f64, molar_mass_kg_mol: f64, t_k: f64) -> f64 {
    c * 1e6 * R_GAS * t_k / (P_ATM * molar_mass_kg_mol)
}

impl Chemical {
    /// Vapour pressure in Pa at `t_k` (nearest range extrapolated outside validity).
    pub fn vapour_pressure_pa(&self, t_k: f64) -> f64 {
        self.vapour_pressure_checked(t_k).0
    }

    /// Vapour pressure in Pa and whether `t_k` lies inside a validity range.
    pub fn vapour_pressure_checked(&self, t_k: f64) -> (f64, bool) {
        match &self.vapour_pressure {
            VapourPressure::Antoine { ranges, .. } => antoine_eval(ranges, t_k),
            VapourPressure::Raoult { components, .. } => {
                let mut p = 0.0;
                let mut ok = true;
                for c in components {
                    let (pi, inside) = antoine_eval(&c.antoine, t_k);
                    p += c.mole_fraction * pi;
                    ok &= inside;
                }
                (p, ok)
            }
        }
    }

    /// Vapour density at `t_k` and 101 325 Pa, kg/m³ (ideal gas).
    pub fn vapour_density_kg_m3(&self, t_k: f64) -> f64 {
        P_ATM * self.molar_mass_kg_mol / (R_GAS * t_k)
    }

    /// Level of concern `name` (e.g. "AEGL-2") at `duration_min`, in kg/m³ at 298.15 K.
    pub fn level_kg_m3(&self, name: &str, duration_min: f64) -> Option<f64> {
        let tox = self.toxicity.as_ref()?;
        let lvl = tox
            .levels
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(name))?;
        lvl.at_duration(duration_min)
            .map(|ppm| ppm_to_kg_m3(ppm, self.molar_mass_kg_mol, 298.15))
    }

    /// Default threat levels: the three listed levels (most severe first) at 60 min,
    /// as (name, ppm).
    pub fn default_levels_ppm(&self) -> Vec<(String, f64)> {
        self.toxicity
            .as_ref()
            .map(|t| {
                t.levels
                    .iter()
                    .filter_map(|l| l.at_duration(60.0).map(|v| (l.name.clone(), v)))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// True when `name` is the canonical name or one of the aliases (case-insensitive).
    pub fn matches(&self, name: &str) -> bool {
        let n = name.trim();
        self.name.eq_ignore_ascii_case(n) || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(n))
    }
}
