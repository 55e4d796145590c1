//! Quick calculations `calc pool-fire`, `calc bleve` and `calc vce`: serde inputs with
//! `deny_unknown_fields`, serialisable results with `to_text()` (kW/m², psi at the edge).

use super::bleve::Fireball;
use super::bst::{BstVce, E_STOICH_J_M3, MF_RANGE};
use super::effects::{distance_to_level, overpressure_probit};
use super::pool_fire::PoolFire;
use super::vce::TntEquivalentVce;
use super::{OVERPRESSURE_LEVELS_PSI, PA_PER_PSI, THERMAL_LEVELS_W_M2};
use crate::hazards::chemicals::{Chemical, ChemicalLibrary};
use crate::hazards::gas::calc::{CalcError, invalid};
use crate::hazards::gas::source::bleve_fireball_mass;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

fn default_air_t() -> f64 {
    293.15
}
fn default_rh() -> f64 {
    0.5
}
fn default_efficiency() -> f64 {
    0.03
}

fn positive(field: &str, v: f64) -> Result<(), CalcError> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(invalid(field, &format!("must be > 0, found {v}")))
    }
}

fn flammable<'a>(lib: &'a ChemicalLibrary, name: &str) -> Result<(&'a Chemical, f64), CalcError> {
    let chem = lib.find(name)?;
    let dhc = chem
        .combustion
        .as_ref()
        .map(|c| c.heat_of_combustion_j_kg)
        .ok_or_else(|| invalid("chemical", &format!("`{}` is not flammable", chem.name)))?;
    Ok((chem, dhc))
}

/// A distance to a threshold (None = not reached).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThresholdDistance {
    /// Threshold in SI (W/m² or Pa).
    pub threshold: f64,
    /// Distance, m.
    pub distance_m: Option<f64>,
}

fn fmt_d(d: Option<f64>) -> String {
    d.map_or_else(|| "not reached".to_owned(), |d| format!("{d:.0} m"))
}

/// Input of `calc pool-fire`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolFireCalcInput {
    /// Chemical name.
    pub chemical: String,
    /// Pool diameter, m.
    pub diameter_m: f64,
    /// Wind speed, m/s.
    pub wind_m_s: f64,
    /// Air temperature, K.
    #[serde(default = "default_air_t")]
    pub air_temperature_k: f64,
    /// Relative humidity 0–1.
    #[serde(default = "default_rh")]
    pub relative_humidity: f64,
}

/// Result of `calc pool-fire`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolFireCalcResult {
    /// Chemical.
    pub chemical: String,
    /// The fire.
    pub fire: PoolFire,
    /// Downwind distances to 10/5/2 kW/m².
    pub downwind: Vec<ThresholdDistance>,
    /// Crosswind distances to 10/5/2 kW/m².
    pub crosswind: Vec<ThresholdDistance>,
}

impl PoolFireCalcInput {
    /// Runs the calculation.
    pub fn run(&self, lib: &ChemicalLibrary) -> Result<PoolFireCalcResult, CalcError> {
        let (chem, dhc) = flammable(lib, &self.chemical)?;
        positive("diameter_m", self.diameter_m)?;
        positive("air_temperature_k", self.air_temperature_k)?;
        if !(self.wind_m_s.is_finite() && self.wind_m_s >= 0.0) {
            return Err(invalid(
                "wind_m_s",
                &format!("must be ≥ 0, found {}", self.wind_m_s),
            ));
        }
        if !(0.0..=1.0).contains(&self.relative_humidity) {
            return Err(invalid("relative_humidity", "must be between 0 and 1"));
        }
        let fire = PoolFire::new(
            chem,
            dhc,
            self.diameter_m,
            self.wind_m_s,
            self.air_temperature_k,
            self.relative_humidity,
        );
        let dist = |bearing: f64| {
            THERMAL_LEVELS_W_M2
                .iter()
                .map(|&q| ThresholdDistance {
                    threshold: q,
                    distance_m: fire.distance_to_flux(q, bearing),
                })
                .collect()
        };
        Ok(PoolFireCalcResult {
            chemical: chem.name.clone(),
            downwind: dist(0.0),
            crosswind: dist(std::f64::consts::FRAC_PI_2),
            fire,
        })
    }
}

impl PoolFireCalcResult {
    /// Human-readable summary.
    pub fn to_text(&self) -> String {
        let f = &self.fire;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Pool fire of {}, diameter {:.1} m",
            self.chemical, f.diameter_m
        );
        let _ = writeln!(
            s,
            "  burning rate {:.4} kg/(m²·s), flame length {:.1} m, tilt {:.0}°, emissive power {:.1} kW/m²",
            f.burning_rate_kg_m2_s,
            f.flame_length_m,
            f.tilt_rad.to_degrees(),
            f.emissive_power_w_m2 / 1000.0
        );
        for (d, c) in self.downwind.iter().zip(&self.crosswind) {
            let _ = writeln!(
                s,
                "  {:>4.0} kW/m²: downwind {}, crosswind {}",
                d.threshold / 1000.0,
                fmt_d(d.distance_m),
                fmt_d(c.distance_m)
            );
        }
        s
    }
}

/// Input of `calc bleve`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BleveCalcInput {
    /// Chemical name.
    pub chemical: String,
    /// Flammable inventory in the vessel, kg.
    pub mass_kg: f64,
    /// Absolute vessel pressure at burst, Pa (default: vapour pressure at storage T).
    #[serde(default)]
    pub burst_pressure_pa: Option<f64>,
    /// Storage temperature, K (default: air temperature).
    #[serde(default)]
    pub storage_temperature_k: Option<f64>,
    /// If true, the fireball mass is inventory × min(1, 3 × flash fraction); by default
    /// (false) the whole inventory burns (CCPS 1994, conservative).
    #[serde(default)]
    pub flash_fraction_mass: bool,
    /// Air temperature, K.
    #[serde(default = "default_air_t")]
    pub air_temperature_k: f64,
    /// Relative humidity 0–1.
    #[serde(default = "default_rh")]
    pub relative_humidity: f64,
}

/// Result of `calc bleve`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BleveCalcResult {
    /// Chemical.
    pub chemical: String,
    /// The fireball.
    pub fireball: Fireball,
    /// Distances to 10/5/2 kW/m².
    pub thermal: Vec<ThresholdDistance>,
    /// Distance to 1 % lethality (Eisenberg), m.
    pub lethal_1pct_m: Option<f64>,
    /// Distance to 50 % lethality, m.
    pub lethal_50pct_m: Option<f64>,
}

impl BleveCalcInput {
    /// Runs the calculation.
    pub fn run(&self, lib: &ChemicalLibrary) -> Result<BleveCalcResult, CalcError> {
        let (chem, dhc) = flammable(lib, &self.chemical)?;
        positive("mass_kg", self.mass_kg)?;
        positive("air_temperature_k", self.air_temperature_k)?;
        let ts = self.storage_temperature_k.unwrap_or(self.air_temperature_k);
        positive("storage_temperature_k", ts)?;
        let p = self
            .burst_pressure_pa
            .unwrap_or_else(|| chem.vapour_pressure_pa(ts));
        positive("burst_pressure_pa", p)?;
        let m = if self.flash_fraction_mass {
            bleve_fireball_mass(chem, self.mass_kg, ts)
        } else {
            self.mass_kg
        };
        positive("fireball mass (inventory × min(1, 3·flash fraction))", m)?;
        let fb = Fireball::new(m, dhc, p);
        let (rh, ta) = (self.relative_humidity, self.air_temperature_k);
        let thermal = THERMAL_LEVELS_W_M2
            .iter()
            .map(|&q| ThresholdDistance {
                threshold: q,
                distance_m: fb.distance_to_flux(q, rh, ta),
            })
            .collect();
        // Probit 2.67 ↔ 1 %, 5 ↔ 50 % (Finney 1971 table).
        let lethal = |pr: f64| distance_to_level(|x| fb.probit_at(x, rh, ta), pr);
        Ok(BleveCalcResult {
            chemical: chem.name.clone(),
            lethal_1pct_m: lethal(2.67),
            lethal_50pct_m: lethal(5.0),
            thermal,
            fireball: fb,
        })
    }
}

impl BleveCalcResult {
    /// Human-readable summary.
    pub fn to_text(&self) -> String {
        let f = &self.fireball;
        let mut s = String::new();
        let _ = writeln!(s, "BLEVE fireball of {:.0} kg {}", f.mass_kg, self.chemical);
        let _ = writeln!(
            s,
            "  diameter {:.0} m, duration {:.1} s, centre height {:.0} m, emissive power {:.0} kW/m²",
            f.diameter_m,
            f.duration_s,
            f.centre_height_m,
            f.emissive_power_w_m2 / 1000.0
        );
        for d in &self.thermal {
            let _ = writeln!(
                s,
                "  {:>4.0} kW/m²: {}",
                d.threshold / 1000.0,
                fmt_d(d.distance_m)
            );
        }
        let _ = writeln!(
            s,
            "  lethality (Eisenberg): 1 % to {}, 50 % to {}",
            fmt_d(self.lethal_1pct_m),
            fmt_d(self.lethal_50pct_m)
        );
        s
    }
}

/// Blast model of `calc vce`.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum VceMethod {
    /// TNT equivalence with the input's `efficiency` (default).
    #[default]
    TntEquivalence,
    /// Baker–Strehlow–Tang blast curves.
    BakerStrehlowTang {
        /// Flame Mach number (0.2–5.2; CCPS 2010 table by reactivity, congestion and
        /// confinement; 5.2 = detonation).
        flame_mach: f64,
        /// Congested volume filled with stoichiometric mixture, m³: E = 3.5 MJ/m³ × V.
        /// Without it, E = mass × heat of combustion.
        #[serde(default)]
        congested_volume_m3: Option<f64>,
    },
}

/// Input of `calc vce`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VceCalcInput {
    /// Chemical name.
    pub chemical: String,
    /// Flammable mass in the cloud, kg.
    pub mass_kg: f64,
    /// Explosion efficiency 0–1 (default 0.03; TNT equivalence only).
    #[serde(default = "default_efficiency")]
    pub efficiency: f64,
    /// Blast model (default TNT equivalence).
    #[serde(default)]
    pub method: VceMethod,
}

/// Result of `calc vce`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VceCalcResult {
    /// Chemical.
    pub chemical: String,
    /// The TNT-equivalent charge (TNT method).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vce: Option<TntEquivalentVce>,
    /// The BST blast (BST method).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bst: Option<BstVce>,
    /// Distances to 8/3.5/1 psi (thresholds in Pa).
    pub overpressure: Vec<ThresholdDistance>,
    /// Distance to 50 % lethality (lung haemorrhage probit), m.
    pub lethal_50pct_m: Option<f64>,
}

impl VceCalcInput {
    /// Runs the calculation.
    pub fn run(&self, lib: &ChemicalLibrary) -> Result<VceCalcResult, CalcError> {
        let (chem, dhc) = flammable(lib, &self.chemical)?;
        positive("mass_kg", self.mass_kg)?;
        if !(self.efficiency > 0.0 && self.efficiency <= 1.0) {
            return Err(invalid(
                "efficiency",
                "must be in (0, 1], typically 0.01–0.10",
            ));
        }
        let (vce, bst) = match &self.method {
            VceMethod::TntEquivalence => (
                Some(TntEquivalentVce::new(self.mass_kg, dhc, self.efficiency)),
                None,
            ),
            VceMethod::BakerStrehlowTang {
                flame_mach,
                congested_volume_m3,
            } => {
                if !(flame_mach.is_finite() && (MF_RANGE.0..=MF_RANGE.1).contains(flame_mach)) {
                    return Err(invalid(
                        "flame_mach",
                        &format!(
                            "must be between {} and {} (5.2 = detonation), found {flame_mach}",
                            MF_RANGE.0, MF_RANGE.1
                        ),
                    ));
                }
                let energy = match congested_volume_m3 {
                    Some(v) => {
                        positive("congested_volume_m3", *v)?;
                        E_STOICH_J_M3 * v
                    }
                    None => self.mass_kg * dhc,
                };
                (None, Some(BstVce::new(energy, *flame_mach)))
            }
        };
        let p_at = |r: f64| match (&vce, &bst) {
            (Some(v), _) => v.overpressure_pa(r),
            (None, Some(b)) => b.overpressure_pa(r),
            (None, None) => 0.0,
        };
        let overpressure = OVERPRESSURE_LEVELS_PSI
            .iter()
            .map(|&psi| ThresholdDistance {
                threshold: psi * PA_PER_PSI,
                distance_m: distance_to_level(p_at, psi * PA_PER_PSI),
            })
            .collect();
        Ok(VceCalcResult {
            chemical: chem.name.clone(),
            lethal_50pct_m: distance_to_level(|r| overpressure_probit(p_at(r)), 5.0),
            overpressure,
            vce,
            bst,
        })
    }
}

impl VceCalcResult {
    /// Human-readable summary.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        if let Some(v) = &self.vce {
            let _ = writeln!(
                s,
                "Vapour-cloud explosion of {:.0} kg {} (TNT equivalence, efficiency {:.0} %): {:.1} kg TNT",
                v.mass_kg,
                self.chemical,
                100.0 * v.efficiency,
                v.tnt_kg
            );
        }
        if let Some(b) = &self.bst {
            let _ = writeln!(
                s,
                "Vapour-cloud explosion of {} (Baker–Strehlow–Tang, flame Mach {:.2}): energy {:.3} GJ (×{} ground reflection)",
                self.chemical,
                b.flame_mach,
                b.energy_j / 1e9,
                b.ground_factor
            );
        }
        for d in &self.overpressure {
            let _ = writeln!(
                s,
                "  {:>4.1} psi ({:.1} kPa): {}",
                d.threshold / PA_PER_PSI,
                d.threshold / 1000.0,
                fmt_d(d.distance_m)
            );
        }
        let _ = writeln!(
            s,
            "  50 % lethality (lung haemorrhage): {}",
            fmt_d(self.lethal_50pct_m)
        );
        s
    }
}
