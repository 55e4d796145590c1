//! ECS plugin of chemical releases: one [`GasHazards`] resource holds every
//! `ChemicalRelease` of the scenario; one system in [`HazardSet::Gas`] advances them in
//! the tick's wind, one metrics system adds the gas columns, and an output provider writes
//! rasters, GeoJSON threat zones and the `"gas"` summary entry.
//!
//! ## Model
//! Each release is a [`ChemicalReleaseModel`] (source term → Gaussian puffs → field,
//! dose and zones). The engine's weather is uniform in space: the wind of the tick,
//! `(u, v) = −U (sin θ, cos θ)` for speed U blowing from θ (meteorological), is used for
//! the whole tick. Stability is the release's own class if given, else the scenario's
//! class, else Turner's class from the tick's wind, solar elevation and cloud cover.
//!
//! ## Units
//! SI inside; rasters of peak concentration in ppm (at the release's air temperature),
//! lethality as a fraction 0–1, areas in m², distances in m, mass in kg.
//!
//! ## Assumptions
//! A release starting at `start_s` inside a tick is advanced from `start_s` to the end
//! of that tick. Metrics and zones use the mean concentration over the release's
//! averaging time (AEGL: 60 min), as ALOHA does for its threat zones.
//!
//! ## References
//! - Turner, D. B. (1964), A diffusion model for an urban area, J. Appl. Meteor. 3, 83–91
//!   (stability from net radiation index).
//! - Jones, R. et al. (2013), ALOHA 5.4.4 Technical Documentation, NOAA (threat zones at
//!   levels of concern).

use bevy_ecs::prelude::*;
use serde::{Deserialize, Serialize};

use super::release::{ChemEvent, ChemicalReleaseModel, ChemicalReleaseSpec};
use super::stability::{Stability, turner_class};
use crate::hazards::chemicals::{ChemicalLibrary, kg_m3_to_ppm};
use crate::scenario::types::{StabilitySpec, Weather};
use crate::sim::activation::HazardActivation;
use crate::sim::clock::SimClock;
use crate::sim::events::{EventKind, EventLog};
use crate::sim::metrics::MetricsRow;
use crate::sim::outputs::{NamedRaster, RunOutputs};
use crate::sim::{HazardSet, MetricsSet, ScenarioRes, SimBuilder};
use crate::world::Grid;
use crate::world::raster::Ramp;
use crate::world::terrain::Terrain;
use crate::world::weather::WeatherNow;

/// One release in the run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GasRelease {
    /// Index in the scenario's `hazards` list.
    pub hazard_index: usize,
    /// Label in events and output names.
    pub label: String,
    /// Run time at which the release begins, s.
    pub start_s: f64,
    /// The model, or why it could not be built.
    pub model: Result<ChemicalReleaseModel, String>,
    /// True once `HazardStarted` was logged.
    pub started: bool,
    /// True when the spec gives no stability class: it follows the weather every tick.
    pub follow_weather_stability: bool,
}

/// All chemical releases of a run (snapshot state `hazard.gas`).
#[derive(Clone, Debug, Default, Serialize, Deserialize, Resource)]
pub struct GasHazards {
    /// The releases in scenario order.
    pub releases: Vec<GasRelease>,
}

/// Maps the scenario's stability class to the dispersion model's.
pub fn stability_of_class(c: crate::scenario::types::StabilityClass) -> Stability {
    use crate::scenario::types::StabilityClass as C;
    match c {
        C::A => Stability::A,
        C::B => Stability::B,
        C::C => Stability::C,
        C::D => Stability::D,
        C::E => Stability::E,
        C::F => Stability::F,
    }
}

/// Stability of the tick from the scenario's weather spec and the tick's weather.
pub fn weather_stability(spec: &StabilitySpec, now: &WeatherNow) -> Stability {
    match spec {
        StabilitySpec::Class(c) => stability_of_class(*c),
        StabilitySpec::Turner { ceiling_m, .. } => match now.solar_elevation_deg {
            Some(elev) => turner_class(
                now.wind_speed_m_s,
                elev,
                now.cloud_cover_oktas.unwrap_or(0.0) / 8.0,
                Some(*ceiling_m),
            ),
            None => Stability::D,
        },
    }
}

/// Wind (east, north) in m/s for a wind of `speed` blowing FROM `from_deg`.
pub fn wind_uv(speed_m_s: f64, from_deg: f64) -> (f64, f64) {
    let th = from_deg.to_radians();
    (-speed_m_s * th.sin(), -speed_m_s * th.cos())
}

fn build_release(
    i: usize,
    spec: &ChemicalReleaseSpec,
    scenario: &crate::scenario::LoadedScenario,
    terrain: &Terrain,
) -> GasRelease {
    let label = spec.name.clone().unwrap_or_else(|| spec.chemical.clone());
    let model = (|| {
        let mut lib = ChemicalLibrary::load_builtin().map_err(|e| e.to_string())?;
        if let Some(f) = &spec.library_file {
            lib.load_file(&scenario.resolve(f))
                .map_err(|e| e.to_string())?;
        }
        let w: &Weather = &scenario.scenario.weather;
        let now = WeatherNow::at(w, spec.start_s);
        let mut s = spec.clone();
        s.stability = Some(
            spec.stability
                .unwrap_or_else(|| weather_stability(&w.stability, &now)),
        );
        s.air_t_k = Some(spec.air_t_k.unwrap_or(now.temperature_c + 273.15));
        ChemicalReleaseModel::new(&s, &lib, terrain.spec).map_err(|e| e.to_string())
    })();
    GasRelease {
        hazard_index: i,
        label,
        // A dormant release waits (infinitely late) until the exercise layer starts it.
        start_s: if spec.dormant {
            f64::INFINITY
        } else {
            spec.start_s
        },
        model,
        started: false,
        follow_weather_stability: spec.stability.is_none(),
    }
}

/// Adds a release during the run (a trainer's live inject) as hazard `index`, starting
/// `spec.start_s` after `t_s`. Returns why it could not be built.
pub fn add_live_release(
    hz: &mut GasHazards,
    index: usize,
    spec: &ChemicalReleaseSpec,
    t_s: f64,
    scenario: &crate::scenario::LoadedScenario,
    terrain: &Terrain,
) -> Result<(), String> {
    let mut r = build_release(index, spec, scenario, terrain);
    if let Err(e) = &r.model {
        return Err(e.clone());
    }
    r.start_s = t_s + spec.start_s;
    hz.releases.push(r);
    Ok(())
}

/// Adds the chemical releases `specs` (hazard index, spec) to the run.
pub fn install(b: &mut SimBuilder<'_>, specs: Vec<(usize, &ChemicalReleaseSpec)>) {
    let scenario = b.scenario();
    let terrain = b.world.resource::<Terrain>().clone();
    let mut log = Vec::new();
    let releases: Vec<GasRelease> = specs
        .into_iter()
        .map(|(i, s)| build_release(i, s, &scenario, &terrain))
        .collect();
    for r in &releases {
        if let Err(e) = &r.model {
            log.push(format!(
                "Chemical release hazards[{}] ({}) could not be set up and is skipped: {e}",
                r.hazard_index, r.label
            ));
        }
    }
    b.world.insert_resource(GasHazards { releases });
    {
        let mut ev = b.world.resource_mut::<EventLog>();
        for m in log {
            ev.push(0.0, EventKind::HazardEnded, "gas", m);
        }
    }
    b.snapshot_resource::<GasHazards>("hazard.gas");
    b.schedule.add_systems(advance_gas.in_set(HazardSet::Gas));
    b.schedule.add_systems(gas_metrics.in_set(MetricsSet::Gas));
    b.add_outputs(gas_outputs);
}

/// Advances every release over the tick.
pub fn advance_gas(
    scenario: Res<'_, ScenarioRes>,
    clock: Res<'_, SimClock>,
    weather: Res<'_, WeatherNow>,
    activation: Option<Res<'_, HazardActivation>>,
    mut hz: ResMut<'_, GasHazards>,
    mut log: ResMut<'_, EventLog>,
) {
    let (t0, t1) = (clock.t_s(), clock.t_end_s());
    for r in &mut hz.releases {
        if !r.start_s.is_finite()
            && let Ok(m) = &r.model
            && let Some(off) = activation.as_ref().and_then(|a| a.offset_s(r.hazard_index))
        {
            r.start_s = off + m.spec().start_s;
        }
    }
    let (u, v) = wind_uv(weather.wind_speed_m_s, weather.wind_from_deg);
    let class = weather_stability(&scenario.0.scenario.weather.stability, &weather);
    for r in &mut hz.releases {
        let Ok(m) = &mut r.model else { continue };
        if t1 <= r.start_s + 1e-9 {
            continue;
        }
        if r.follow_weather_stability {
            m.set_stability(class);
        }
        let at = m.spec().location_xy_m;
        if !r.started {
            r.started = true;
            log.push_at(
                r.start_s,
                EventKind::HazardStarted,
                r.label.clone(),
                format!(
                    "Release of {} ({}) started at ({:.0}, {:.0}).",
                    m.chemical().name,
                    r.label,
                    at[0],
                    at[1]
                ),
                at,
            );
        }
        let model_t = (t0 - r.start_s).max(0.0);
        let dt = t1 - r.start_s - model_t;
        let events = m.advance(model_t, dt, |_, _, _| (u, v));
        for e in events {
            match e {
                ChemEvent::LevelFirstExceeded {
                    level,
                    time_s,
                    area_m2,
                } => log.push_at(
                    r.start_s + time_s,
                    EventKind::LevelExceeded,
                    r.label.clone(),
                    format!(
                        "{} of {} first exceeded ({:.0} m² above it, {:.0}-min mean).",
                        level,
                        m.chemical().name,
                        area_m2,
                        m.spec().averaging_time_s / 60.0
                    ),
                    at,
                ),
                ChemEvent::ReleaseEnded {
                    time_s,
                    released_kg,
                } => log.push_at(
                    r.start_s + time_s,
                    EventKind::HazardEnded,
                    r.label.clone(),
                    format!(
                        "Release of {} ended; {released_kg:.1} kg airborne in total.",
                        m.chemical().name
                    ),
                    at,
                ),
            }
        }
    }
}

/// Cells whose mean concentration reaches `threshold` (kg/m³), from ∫C dt without
/// allocating a grid.
fn cells_above(m: &ChemicalReleaseModel, threshold: f64) -> usize {
    let avg = m.spec().averaging_time_s.max(1e-9);
    m.exposure()
        .integral
        .data()
        .iter()
        .filter(|&&v| f64::from((v / avg) as f32) >= threshold)
        .count()
}

/// Area (m²) where the mean concentration reaches level `name` of any release (union
/// over releases: a cell counts once).
fn union_area(hz: &GasHazards, name: &str) -> f64 {
    let mut hit: Option<Vec<bool>> = None;
    let mut area = 0.0;
    for m in hz.releases.iter().filter_map(|r| r.model.as_ref().ok()) {
        let Some(l) = m
            .levels()
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(name))
        else {
            continue;
        };
        let avg = m.spec().averaging_time_s.max(1e-9);
        let data = m.exposure().integral.data();
        let h = hit.get_or_insert_with(|| vec![false; data.len()]);
        area = m.exposure().integral.spec().cell_area();
        for (flag, &v) in h.iter_mut().zip(data) {
            *flag |= f64::from((v / avg) as f32) >= l.threshold;
        }
    }
    hit.map_or(0.0, |h| h.iter().filter(|&&b| b).count() as f64 * area)
}

/// Adds the gas columns: airborne mass released and areas above AEGL-3/-2/-1.
pub fn gas_metrics(hz: Res<'_, GasHazards>, mut row: ResMut<'_, MetricsRow>) {
    let released: f64 = hz
        .releases
        .iter()
        .filter_map(|r| r.model.as_ref().ok())
        .map(|m| m.tracker().released_kg())
        .sum();
    row.set("gas_released_kg", released);
    row.set("gas_area_aegl3_m2", union_area(&hz, "AEGL-3"));
    row.set("gas_area_aegl2_m2", union_area(&hz, "AEGL-2"));
    row.set("gas_area_aegl1_m2", union_area(&hz, "AEGL-1"));
}

/// Largest distance (m) from `from` of a cell centre whose mean concentration reaches
/// `threshold`.
fn max_distance(m: &ChemicalReleaseModel, threshold: f64, from: [f64; 2]) -> f64 {
    let g = &m.exposure().integral;
    let spec = *g.spec();
    let avg = m.spec().averaging_time_s.max(1e-9);
    let mut best: f64 = 0.0;
    for row in 0..spec.height {
        for (col, &v) in g.row(row).iter().enumerate() {
            if f64::from((v / avg) as f32) >= threshold {
                let [x, y] = spec.cell_center(col, row);
                best = best.max((x - from[0]).hypot(y - from[1]));
            }
        }
    }
    best
}

/// File-name stem for release `i`: the label lower-cased, with letters and digits of any
/// script kept (Chinese labels stay readable) and every run of other characters one `_`.
fn file_stem(i: usize, label: &str) -> String {
    let mut clean = String::new();
    for c in label.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            clean.push(c);
        } else if !clean.is_empty() && !clean.ends_with('_') {
            clean.push('_');
        }
    }
    let clean = clean.trim_end_matches('_');
    if clean.is_empty() {
        format!("gas{i}")
    } else {
        format!("gas{i}_{clean}")
    }
}

/// Rasters (peak ppm, lethality, threat zones), GeoJSON zones and the `"gas"` summary.
pub fn gas_outputs(world: &World, out: &mut RunOutputs) {
    let Some(hz) = world.get_resource::<GasHazards>() else {
        return;
    };
    let mut summary = Vec::new();
    for r in &hz.releases {
        let stem = file_stem(r.hazard_index, &r.label);
        let m = match &r.model {
            Ok(m) => m,
            Err(e) => {
                summary.push(serde_json::json!({
                    "hazard_index": r.hazard_index, "label": r.label, "error": e,
                }));
                continue;
            }
        };
        let chem = m.chemical();
        let t_k = m.spec().air_t_k.unwrap_or(293.15);
        let mw = chem.molar_mass_kg_mol;
        let peak_ppm: Grid<f32> = m
            .peak()
            .map(|&c| kg_m3_to_ppm(f64::from(c), mw, t_k) as f32);
        let max_ppm = peak_ppm.data().iter().fold(0.0f32, |a, &b| a.max(b));
        out.rasters.push(NamedRaster {
            name: format!("{stem}_peak_ppm"),
            grid: peak_ppm,
            ramp: Ramp::Concentration,
            range: None,
        });
        if let Some(l) = m.lethality() {
            out.rasters.push(NamedRaster {
                name: format!("{stem}_lethality"),
                grid: l,
                ramp: Ramp::Heat,
                range: Some((0.0, 1.0)),
            });
        }
        out.rasters.push(NamedRaster {
            name: format!("{stem}_threat_zone"),
            grid: m.zones().map(|&z| f32::from(z)),
            ramp: Ramp::Heat,
            range: Some((0.0, m.levels().len() as f32)),
        });
        out.files
            .push((format!("zones/{stem}.geojson"), m.zones_geojson()));
        let area = m.exposure().integral.spec().cell_area();
        let at = m.spec().location_xy_m;
        let levels: Vec<serde_json::Value> = m
            .levels()
            .iter()
            .map(|l| {
                serde_json::json!({
                    "level": l.name,
                    "ppm": kg_m3_to_ppm(l.threshold, mw, t_k),
                    "area_m2": cells_above(m, l.threshold) as f64 * area,
                    "max_distance_m": max_distance(m, l.threshold, at),
                })
            })
            .collect();
        summary.push(serde_json::json!({
            "hazard_index": r.hazard_index,
            "label": r.label,
            "chemical": chem.name,
            "location_xy_m": at,
            "start_s": r.start_s,
            "released_kg": m.tracker().released_kg(),
            "airborne_kg": m.tracker().puffs().iter().map(|p| p.mass_kg).sum::<f64>(),
            "max_peak_ppm": f64::from(max_ppm),
            "levels": levels,
        }));
    }
    out.summary
        .push(("gas".to_owned(), serde_json::Value::Array(summary)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wind_from_west_blows_east_and_from_north_blows_south() {
        let (u, v) = wind_uv(4.0, 270.0);
        assert!((u - 4.0).abs() < 1e-12 && v.abs() < 1e-12);
        let (u, v) = wind_uv(4.0, 0.0);
        assert!(u.abs() < 1e-12 && (v + 4.0).abs() < 1e-12);
    }

    #[test]
    fn night_clear_low_wind_is_stable_by_turner() {
        // Turner (1964) table: night, ≤ 3/8 cloud, 2–3 kt → NRI −2 → class F (index 6).
        let now = WeatherNow {
            t_s: 0.0,
            wind_speed_m_s: 1.5,
            wind_from_deg: 0.0,
            temperature_c: 10.0,
            relative_humidity_pct: 50.0,
            rain_mm_h: 0.0,
            solar_elevation_deg: Some(-20.0),
            cloud_cover_oktas: Some(1.0),
        };
        let spec = StabilitySpec::Turner {
            cloud_cover_oktas: crate::scenario::types::Series::Constant(1.0),
            ceiling_m: 3000.0,
        };
        assert_eq!(weather_stability(&spec, &now), Stability::F);
    }

    #[test]
    fn file_stems_keep_chinese_labels_and_collapse_separators() {
        assert_eq!(file_stem(0, "tank T-101"), "gas0_tank_t_101");
        assert_eq!(
            file_stem(2, "氯气储罐 T-101 泄漏"),
            "gas2_氯气储罐_t_101_泄漏"
        );
        assert_eq!(file_stem(1, " -- "), "gas1");
    }
}
