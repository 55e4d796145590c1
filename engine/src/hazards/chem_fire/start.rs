//! Starting a chemical fire or explosion: the point model of its kind, built with the
//! tick's weather (and, for a cloud ignition, the named release's current cloud), and
//! the reach of its threat levels on the scenario grid.
//!
//! ## Model
//! - Pool fire: diameter given (bund) or from the spilled volume at the minimum pool
//!   thickness, `D = √(4V/(π h_min))` (Yellow Book §3.5.4); burn time = inventory /
//!   (Burgess rate × pool area).
//! - Jet fire: burn time = inventory / rate if not given.
//! - Fireball: CCPS (1994) correlations; burst pressure defaults to the vapour pressure
//!   at the air temperature.
//! - Explosion: TNT equivalence or Baker–Strehlow–Tang; BST energy is the cloud's
//!   combustion energy, at most 3.5 MJ/m³ × the congested volume if given.
//! - Cloud ignition: flammable mass and centroid from [`super::cloud`]; LEL/UEL in kg/m³
//!   at the release's air temperature.
//!
//! ## Units
//! SI (m, s, kg, W/m², Pa).
//!
//! ## Assumptions
//! Threat-level reach is measured from cell centres of the scenario grid.
//!
//! ## References
//! - CCPS (1994), Guidelines for Evaluating the Characteristics of Vapor Cloud
//!   Explosions, Flash Fires, and BLEVEs.
//! - TNO Yellow Book CPR 14E (2005), §3.5.4 (minimum pool thickness).
//! - Van den Berg, A. C. (1985), The multi-energy method, J. Hazard. Mater. 12, 1–10.

use super::bleve::Fireball;
use super::bst::{BstVce, E_STOICH_J_M3};
use super::cloud::flammable_cloud;
use super::event::{ActiveSource, Blast, PolarFlux};
use super::jet_fire::JetFire;
use super::plugin::{ChemFireEvent, ZoneReach};
use super::pool_fire::{PoolFire, burgess_burning_rate};
use super::spec::{BlastSpec, ChemFireKind, IgnitionMode};
use super::vce::TntEquivalentVce;
use super::{OVERPRESSURE_LEVELS_PSI, PA_PER_PSI, THERMAL_LEVELS_W_M2};
use crate::hazards::chemicals::ppm_to_kg_m3;
use crate::hazards::gas::plugin::GasHazards;
use crate::world::weather::WeatherNow;
use crate::world::{Grid, GridSpec};

/// Weather of the tick the models need: wind speed, unit downwind vector, air T, RH.
#[derive(Clone, Copy, Debug)]
pub struct TickWeather {
    /// Wind speed at 10 m, m/s.
    pub wind_m_s: f64,
    /// Unit vector the wind blows toward (east, north).
    pub downwind: [f64; 2],
    /// Air temperature, K.
    pub air_t_k: f64,
    /// Relative humidity 0–1.
    pub rh: f64,
}

impl TickWeather {
    /// From the engine's weather of the tick.
    pub fn of(w: &WeatherNow) -> Self {
        let th = w.wind_from_deg.to_radians();
        Self {
            wind_m_s: w.wind_speed_m_s,
            downwind: [-th.sin(), -th.cos()],
            air_t_k: w.temperature_c + 273.15,
            rh: (w.relative_humidity_pct / 100.0).clamp(0.0, 1.0),
        }
    }
}

/// Largest distance from `at` to a corner of `grid`, m.
pub fn reach_of_grid(grid: &GridSpec, at: [f64; 2]) -> f64 {
    let (x0, y0) = (grid.origin[0], grid.origin[1]);
    let (x1, y1) = (x0 + grid.extent_x(), y0 + grid.extent_y());
    [(x0, y0), (x0, y1), (x1, y0), (x1, y1)]
        .iter()
        .map(|&(x, y)| (x - at[0]).hypot(y - at[1]))
        .fold(0.0, f64::max)
        + grid.cell_size
}

fn pool_source(fire: PoolFire, w: &TickWeather, grid: &GridSpec, at: [f64; 2]) -> ActiveSource {
    ActiveSource::Pool {
        table: PolarFlux::new(&fire, reach_of_grid(grid, at)),
        fire,
        wind_m_s: w.wind_m_s,
        downwind: w.downwind,
    }
}

/// Builds the model of `e` starting now. Returns (source or None, duration s, message).
pub fn start_event(
    e: &ChemFireEvent,
    w: &TickWeather,
    grid: &GridSpec,
    gas: Option<&GasHazards>,
    flash: &mut Grid<u8>,
) -> (Option<ActiveSource>, f64, [f64; 2], String) {
    let at = e.spec.location_xy_m;
    let chem = match &e.chemical {
        Ok(c) => c,
        Err(err) => return (None, 0.0, at, format!("not set up: {err}")),
    };
    let dhc = chem
        .combustion
        .as_ref()
        .map_or(0.0, |c| c.heat_of_combustion_j_kg);
    match &e.spec.kind {
        ChemFireKind::PoolFire {
            diameter_m,
            mass_kg,
            volume_m3,
            min_thickness_m,
            duration_s,
        } => {
            let inventory_kg = mass_kg.or_else(|| volume_m3.map(|v| v * chem.liquid.density_kg_m3));
            let d = diameter_m.unwrap_or_else(|| {
                let v = inventory_kg.unwrap_or(0.0) / chem.liquid.density_kg_m3;
                (4.0 * v / (std::f64::consts::PI * min_thickness_m)).sqrt()
            });
            let fire = PoolFire::new(chem, dhc, d, w.wind_m_s, w.air_t_k, w.rh);
            let area = 0.25 * std::f64::consts::PI * d * d;
            let rate = burgess_burning_rate(chem, dhc, w.air_t_k) * area;
            let dur = duration_s
                .or_else(|| inventory_kg.map(|m| m / rate.max(1e-12)))
                .unwrap_or(f64::INFINITY);
            let msg = format!(
                "Pool fire of {} ({}) ignited at ({:.0}, {:.0}): diameter {d:.1} m, flame {:.1} m, burning {:.2} kg/s.",
                chem.name, e.label, at[0], at[1], fire.flame_length_m, rate
            );
            (Some(pool_source(fire, w, grid, at)), dur, at, msg)
        }
        ChemFireKind::JetFire {
            rate_kg_s,
            exit_velocity_m_s,
            height_m,
            duration_s,
            inventory_kg,
        } => {
            let j = JetFire::new(
                *rate_kg_s,
                dhc,
                *exit_velocity_m_s,
                *height_m,
                w.air_t_k,
                w.rh,
            );
            let dur = duration_s
                .or_else(|| inventory_kg.map(|m| m / rate_kg_s))
                .unwrap_or(f64::INFINITY);
            let msg = format!(
                "Jet fire of {} ({}) ignited at ({:.0}, {:.0}): {rate_kg_s:.1} kg/s, flame {:.1} m.",
                chem.name, e.label, at[0], at[1], j.flame_length_m
            );
            (Some(ActiveSource::Jet(j)), dur, at, msg)
        }
        ChemFireKind::Fireball {
            mass_kg,
            burst_pressure_pa,
        } => {
            let p = burst_pressure_pa.unwrap_or_else(|| chem.vapour_pressure_pa(w.air_t_k));
            let f = Fireball::new(*mass_kg, dhc, p);
            let msg = format!(
                "BLEVE fireball of {mass_kg:.0} kg {} ({}) at ({:.0}, {:.0}): diameter {:.0} m for {:.1} s.",
                chem.name, e.label, at[0], at[1], f.diameter_m, f.duration_s
            );
            let dur = f.duration_s;
            (
                Some(ActiveSource::Fireball(f, w.rh, w.air_t_k)),
                dur,
                at,
                msg,
            )
        }
        ChemFireKind::Explosion { mass_kg, method } => {
            let blast = match method {
                BlastSpec::Tnt { efficiency } => {
                    Blast::Tnt(TntEquivalentVce::new(*mass_kg, dhc, *efficiency))
                }
                BlastSpec::Bst {
                    flame_mach,
                    congested_volume_m3,
                } => Blast::Bst(bst(*mass_kg * dhc, *flame_mach, *congested_volume_m3)),
            };
            let msg = format!(
                "Vapour-cloud explosion of {mass_kg:.0} kg {} ({}) at ({:.0}, {:.0}).",
                chem.name, e.label, at[0], at[1]
            );
            let src = ActiveSource::Blast {
                blast,
                centre_xy_m: at,
            };
            (Some(src), 0.0, at, msg)
        }
        ChemFireKind::CloudIgnition { release, mode } => {
            let Some(m) = gas.and_then(|g| {
                g.releases
                    .iter()
                    .find(|r| &r.label == release)
                    .and_then(|r| r.model.as_ref().ok())
            }) else {
                return (
                    None,
                    0.0,
                    at,
                    format!(
                        "Ignition at ({:.0}, {:.0}) ({}) found no cloud of release \"{release}\": nothing burnt.",
                        at[0], at[1], e.label
                    ),
                );
            };
            let c = m.chemical();
            let Some(comb) = c.combustion.as_ref() else {
                return (
                    None,
                    0.0,
                    at,
                    format!(
                        "Ignition ({}): {} is not flammable; nothing burnt.",
                        e.label, c.name
                    ),
                );
            };
            let t = m.spec().air_t_k.unwrap_or(w.air_t_k);
            let lel = ppm_to_kg_m3(comb.lel * 1e6, c.molar_mass_kg_mol, t);
            let uel = ppm_to_kg_m3(comb.uel * 1e6, c.molar_mass_kg_mol, t);
            let cloud = flammable_cloud(&m.tracker().puff_shapes(), lel, uel);
            if cloud.mass_kg <= 0.0 {
                return (
                    None,
                    0.0,
                    at,
                    format!(
                        "Ignition at ({:.0}, {:.0}) ({}): the cloud of \"{release}\" ({:.1} kg airborne) has no part above the LEL; nothing burnt.",
                        at[0], at[1], e.label, cloud.airborne_kg
                    ),
                );
            }
            let centre = cloud.centroid_xy_m;
            match mode {
                IgnitionMode::FlashFire => {
                    let field = m.concentration();
                    for (z, &v) in flash.data_mut().iter_mut().zip(field.data()) {
                        let v = f64::from(v);
                        let k = if v >= lel {
                            2
                        } else if v >= 0.5 * lel {
                            1
                        } else {
                            0
                        };
                        *z = (*z).max(k);
                    }
                    let msg = format!(
                        "Flash fire ({}): the cloud of \"{release}\" ignited at ({:.0}, {:.0}); {:.0} kg of {} between LEL and UEL burnt, centred at ({:.0}, {:.0}).",
                        e.label, at[0], at[1], cloud.mass_kg, c.name, centre[0], centre[1]
                    );
                    (
                        Some(ActiveSource::Flash {
                            mass_kg: cloud.mass_kg,
                        }),
                        0.0,
                        centre,
                        msg,
                    )
                }
                IgnitionMode::Explosion {
                    flame_mach,
                    congested_volume_m3,
                } => {
                    let b = bst(
                        cloud.mass_kg * comb.heat_of_combustion_j_kg,
                        *flame_mach,
                        *congested_volume_m3,
                    );
                    let msg = format!(
                        "Vapour-cloud explosion ({}): the cloud of \"{release}\" ignited at ({:.0}, {:.0}); {:.0} kg of {} flammable, blast centred at ({:.0}, {:.0}), flame Mach {flame_mach}.",
                        e.label, at[0], at[1], cloud.mass_kg, c.name, centre[0], centre[1]
                    );
                    let src = ActiveSource::Blast {
                        blast: Blast::Bst(b),
                        centre_xy_m: centre,
                    };
                    (Some(src), 0.0, centre, msg)
                }
            }
        }
    }
}

/// BST blast of a cloud with combustion energy `e_cloud_j`, limited to the congested
/// volume's stoichiometric energy if given.
fn bst(e_cloud_j: f64, flame_mach: f64, congested_volume_m3: Option<f64>) -> BstVce {
    let e = congested_volume_m3.map_or(e_cloud_j, |v| (E_STOICH_J_M3 * v).min(e_cloud_j));
    BstVce::new(e, flame_mach)
}

/// Reach of each level of `value(x, y)` (thermal W/m² or overpressure Pa) over the grid.
pub fn zone_reach(
    grid: &GridSpec,
    origin: [f64; 2],
    levels: &[(String, f64)],
    value: impl Fn(f64, f64) -> f64,
) -> Vec<ZoneReach> {
    let mut out: Vec<ZoneReach> = levels
        .iter()
        .map(|(n, t)| ZoneReach {
            level: n.clone(),
            threshold: *t,
            max_distance_m: 0.0,
            area_m2: 0.0,
        })
        .collect();
    for row in 0..grid.height {
        for col in 0..grid.width {
            let [x, y] = grid.cell_center(col, row);
            let v = value(x, y);
            let d = (x - origin[0]).hypot(y - origin[1]);
            for z in out.iter_mut().filter(|z| v >= z.threshold) {
                z.max_distance_m = z.max_distance_m.max(d);
                z.area_m2 += grid.cell_area();
            }
        }
    }
    out
}

/// Thermal levels (name, W/m²) and overpressure levels (name, Pa).
pub fn thermal_levels() -> Vec<(String, f64)> {
    THERMAL_LEVELS_W_M2
        .iter()
        .map(|q| (format!("{:.0} kW/m²", q / 1000.0), *q))
        .collect()
}

/// Overpressure levels (name, Pa): 8, 3.5, 1 psi.
pub fn overpressure_levels() -> Vec<(String, f64)> {
    OVERPRESSURE_LEVELS_PSI
        .iter()
        .map(|p| (format!("{p} psi"), p * PA_PER_PSI))
        .collect()
}
