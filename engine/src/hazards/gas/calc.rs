//! `calc plume`: threat-zone distances of a continuous (plume) or instantaneous (puff,
//! peak concentration at the puff centre) release at the chemical's levels of
//! concern, choosing Gaussian or dense-gas (Britter–McQuaid) dispersion by the
//! Britter–McQuaid density criterion. Input is a serde struct (CLI flags or JSON), output
//! is serialisable (`--json`) with a human-readable `to_text()`.

use super::GasError;
use super::dense::{
    BmCurves, DenseKind, bm_plume_distance, is_dense_continuous, is_dense_instantaneous,
    reduced_gravity,
};
use super::dense_puff::DENSE_MAX_RELEASE_HEIGHT_M;
use super::plume::{GaussianPlume, max_distance_where};
use super::stability::{Stability, Terrain, briggs_sigmas, turner_class, wind_at_height};
use crate::hazards::chemicals::{ChemError, ChemicalLibrary, kg_m3_to_ppm, ppm_to_kg_m3};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// Errors of the quick calculations.
#[derive(Debug, thiserror::Error)]
pub enum CalcError {
    /// Unknown chemical or bad library.
    #[error(transparent)]
    Chemical(#[from] ChemError),
    /// Impossible input.
    #[error(transparent)]
    Input(#[from] GasError),
}

pub(crate) fn invalid(field: &str, msg: &str) -> CalcError {
    CalcError::Input(GasError::Invalid {
        field: field.to_owned(),
        msg: msg.to_owned(),
    })
}

/// A user-given level of concern.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelPpm {
    /// Name, e.g. "ERPG-2".
    pub name: String,
    /// Concentration, ppm.
    pub ppm: f64,
}

fn default_duration() -> f64 {
    3600.0
}
fn default_roughness() -> f64 {
    0.03
}
fn default_receptor() -> f64 {
    1.5
}
fn default_air_t() -> f64 {
    293.15
}

/// Input of `calc plume`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlumeCalcInput {
    /// Chemical name or alias.
    pub chemical: String,
    /// Continuous release rate, kg/s (give this or `mass_kg`).
    #[serde(default)]
    pub rate_kg_s: Option<f64>,
    /// Instantaneous release mass, kg (give this or `rate_kg_s`).
    #[serde(default)]
    pub mass_kg: Option<f64>,
    /// Release duration, s (default 3600).
    #[serde(default = "default_duration")]
    pub duration_s: f64,
    /// Wind speed at 10 m, m/s.
    pub wind_m_s: f64,
    /// Stability class; if absent it is derived by Turner's method.
    #[serde(default)]
    pub stability: Option<Stability>,
    /// Solar elevation, degrees (for Turner's method; ≤ 0 at night).
    #[serde(default)]
    pub solar_elevation_deg: Option<f64>,
    /// Cloud cover 0–1 (for Turner's method).
    #[serde(default)]
    pub cloud_cover: Option<f64>,
    /// Roughness length, m (default 0.03 = open country; ≥ 0.3 = urban/forest).
    #[serde(default = "default_roughness")]
    pub roughness_m: f64,
    /// Release height, m (default 0).
    #[serde(default)]
    pub release_height_m: f64,
    /// Receptor height, m (default 1.5).
    #[serde(default = "default_receptor")]
    pub receptor_height_m: f64,
    /// Air temperature, K (default 293.15).
    #[serde(default = "default_air_t")]
    pub air_temperature_k: f64,
    /// Temperature of the released gas, K (default: boiling point if below the air
    /// temperature, else the air temperature).
    #[serde(default)]
    pub release_temperature_k: Option<f64>,
    /// Levels of concern; default: the chemical's three listed levels at 60 min.
    #[serde(default)]
    pub levels: Option<Vec<LevelPpm>>,
}

/// Distance to one level of concern.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZoneDistance {
    /// Level name.
    pub name: String,
    /// Level, ppm.
    pub ppm: f64,
    /// Level, kg/m³.
    pub kg_m3: f64,
    /// Downwind distance, m (`None`: never reached).
    pub distance_m: Option<f64>,
}

/// Result of `calc plume`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlumeCalcResult {
    /// Canonical chemical name.
    pub chemical: String,
    /// "gaussian", "gaussian puff", "dense (Britter-McQuaid)" (plume) or
    /// "dense puff (Britter-McQuaid)".
    pub model: String,
    /// Stability class used.
    pub stability: Stability,
    /// Terrain class used.
    pub terrain: Terrain,
    /// Wind speed at the release height, m/s.
    pub wind_at_release_m_s: f64,
    /// Gas density at release, kg/m³.
    pub gas_density_kg_m3: f64,
    /// Threat zones, most severe first.
    pub zones: Vec<ZoneDistance>,
    /// Peak concentration at 100 m / 1 km downwind (kg/m³).
    pub concentration_100m_kg_m3: f64,
    /// Peak concentration at 1 km downwind (kg/m³).
    pub concentration_1km_kg_m3: f64,
    /// ppm at 100 m.
    pub ppm_100m: f64,
    /// ppm at 1 km.
    pub ppm_1km: f64,
}

impl PlumeCalcInput {
    /// Runs the calculation against `lib`.
    pub fn run(&self, lib: &ChemicalLibrary) -> Result<PlumeCalcResult, CalcError> {
        let chem = lib.find(&self.chemical)?;
        let (rate, mass) = match (self.rate_kg_s, self.mass_kg) {
            (Some(r), None) if r.is_finite() && r > 0.0 => (r, None),
            (Some(r), None) => {
                return Err(invalid(
                    "rate_kg_s",
                    &format!("must be > 0 kg/s, found {r}"),
                ));
            }
            (None, Some(m)) if m.is_finite() && m > 0.0 => (0.0, Some(m)),
            (None, Some(m)) => {
                return Err(invalid("mass_kg", &format!("must be > 0 kg, found {m}")));
            }
            _ => {
                return Err(invalid(
                    "rate_kg_s",
                    "give exactly one of rate_kg_s (continuous) or mass_kg (instantaneous)",
                ));
            }
        };
        if !(self.wind_m_s.is_finite() && self.wind_m_s >= 0.5) {
            return Err(invalid(
                "wind_m_s",
                &format!(
                    "a plume model needs wind ≥ 0.5 m/s at 10 m, found {}; calm conditions need a puff model",
                    self.wind_m_s
                ),
            ));
        }
        for (f, v) in [
            ("duration_s", self.duration_s),
            ("roughness_m", self.roughness_m),
            ("air_temperature_k", self.air_temperature_k),
        ] {
            if !(v.is_finite() && v > 0.0) {
                return Err(invalid(f, &format!("must be > 0, found {v}")));
            }
        }
        let stability = match (self.stability, self.solar_elevation_deg) {
            (Some(s), _) => s,
            (None, Some(e)) => {
                turner_class(self.wind_m_s, e, self.cloud_cover.unwrap_or(0.5), None)
            }
            (None, None) => {
                return Err(invalid(
                    "stability",
                    "give a stability class (A–F) or a solar elevation for Turner's method",
                ));
            }
        };
        let terrain = Terrain::from_roughness(self.roughness_m);
        let u = wind_at_height(
            self.wind_m_s,
            10.0,
            self.release_height_m,
            stability,
            terrain,
        );
        let t_rel = self.release_temperature_k.unwrap_or(
            if chem.boiling_point_k < self.air_temperature_k {
                chem.boiling_point_k
            } else {
                self.air_temperature_k
            },
        );
        let rho_gas = chem.vapour_density_kg_m3(t_rel);
        let rho_air =
            101_325.0 * 0.028_96 / (crate::hazards::chemicals::R_GAS * self.air_temperature_k);
        let q_vol = rate / rho_gas;
        let low = self.release_height_m <= DENSE_MAX_RELEASE_HEIGHT_M;
        let dense_puff = low
            && mass.is_some_and(|m| {
                is_dense_instantaneous(rho_gas, rho_air, m / rho_gas, self.wind_m_s)
            });
        let puff_curves = mass.filter(|_| dense_puff).and_then(|m| {
            BmCurves::new(
                DenseKind::Puff,
                reduced_gravity(rho_gas, rho_air),
                m / rho_gas,
                self.wind_m_s,
            )
        });
        let dense =
            mass.is_none() && low && is_dense_continuous(rho_gas, rho_air, q_vol, self.wind_m_s);
        let plume = GaussianPlume::new(
            rate.max(1.0),
            u,
            self.release_height_m,
            stability,
            terrain,
            Some(self.duration_s),
        )?;
        let z = self.receptor_height_m;
        let h = self.release_height_m;
        let peak = |x: f64| match mass {
            // Centre of a Gaussian puff with ground reflection (σx = σy).
            Some(m) => {
                let (sy, sz) = briggs_sigmas(stability, terrain, x);
                let vert = (-(z - h).powi(2) / (2.0 * sz * sz)).exp()
                    + (-(z + h).powi(2) / (2.0 * sz * sz)).exp();
                m / ((2.0 * std::f64::consts::PI).powf(1.5) * sy * sy * sz) * vert
            }
            None => plume.concentration_at(x, 0.0, z, x / u + 0.5 * self.duration_s),
        };
        let levels: Vec<(String, f64)> = match &self.levels {
            Some(l) => l.iter().map(|l| (l.name.clone(), l.ppm)).collect(),
            None => chem.default_levels_ppm(),
        };
        if levels.is_empty() {
            return Err(invalid(
                "levels",
                &format!(
                    "`{}` has no levels of concern; give levels explicitly",
                    chem.name
                ),
            ));
        }
        let t_air = self.air_temperature_k;
        let zones = levels
            .into_iter()
            .map(|(name, ppm)| {
                let kg = ppm_to_kg_m3(ppm, chem.molar_mass_kg_mol, t_air);
                let gauss = max_distance_where(|x| peak(x) >= kg);
                // Isothermal-curve ratio of the level (workbook §3.3 cold-gas correction).
                let c = ppm * 1e-6;
                let c_iso = c / (c + (1.0 - c) * t_air / t_rel);
                let distance_m = if let Some(pc) = &puff_curves {
                    pc.distance_to(c_iso).or(gauss)
                } else if dense {
                    bm_plume_distance(
                        rho_gas,
                        rho_air,
                        q_vol,
                        self.wind_m_s,
                        t_rel,
                        t_air,
                        ppm * 1e-6,
                    )
                    .or(gauss)
                } else {
                    gauss
                };
                ZoneDistance {
                    name,
                    ppm,
                    kg_m3: kg,
                    distance_m,
                }
            })
            .collect();
        let (c100, c1k) = (peak(100.0), peak(1000.0));
        Ok(PlumeCalcResult {
            chemical: chem.name.clone(),
            model: if dense {
                "dense (Britter-McQuaid)".into()
            } else if dense_puff {
                "dense puff (Britter-McQuaid)".into()
            } else if mass.is_some() {
                "gaussian puff".into()
            } else {
                "gaussian".into()
            },
            stability,
            terrain,
            wind_at_release_m_s: u,
            gas_density_kg_m3: rho_gas,
            zones,
            concentration_100m_kg_m3: c100,
            concentration_1km_kg_m3: c1k,
            ppm_100m: kg_m3_to_ppm(c100, chem.molar_mass_kg_mol, t_air),
            ppm_1km: kg_m3_to_ppm(c1k, chem.molar_mass_kg_mol, t_air),
        })
    }
}

impl PlumeCalcResult {
    /// Human-readable summary.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "Plume of {} — model: {}", self.chemical, self.model);
        let _ = writeln!(
            s,
            "  stability {:?}, {:?} terrain, wind at release height {:.1} m/s, gas density {:.2} kg/m³",
            self.stability, self.terrain, self.wind_at_release_m_s, self.gas_density_kg_m3
        );
        for z in &self.zones {
            let d = z
                .distance_m
                .map_or_else(|| "not reached".to_owned(), |d| format!("{d:.0} m"));
            let _ = writeln!(
                s,
                "  {:<8} {:>10.3} ppm ({:.3e} kg/m³): {d}",
                z.name, z.ppm, z.kg_m3
            );
        }
        let _ = writeln!(
            s,
            "  centreline: {:.4e} kg/m³ ({:.1} ppm) at 100 m, {:.4e} kg/m³ ({:.2} ppm) at 1 km",
            self.concentration_100m_kg_m3,
            self.ppm_100m,
            self.concentration_1km_kg_m3,
            self.ppm_1km
        );
        s
    }
}
