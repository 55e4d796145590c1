//! ECS plugin of chemical fires and explosions: one [`ChemFireHazards`] resource holds
//! every `ChemicalFire` of the scenario and the run's thermal and blast rasters; one
//! system in [`HazardSet::ChemFire`] (after the gas releases) starts and ends events
//! (dormant ones when the exercise layer activates them), keeps the current thermal-flux
//! field, the peak flux, the thermal dose and the peak overpressure, and logs events;
//! one metrics system adds the `chem_fire_*` columns; outputs are in [`super::outputs`].
//!
//! ## Model
//! Point models of [`super::event`], built when an event starts with the tick's wind,
//! air temperature and humidity. Fluxes of fires burning at the same time add; the dose
//! `∫ q^{4/3} dt` (W/m²)^{4/3}·s accumulates per tick with the flux-time-weighted mean
//! of the tick's fires over the longest burn overlap (exact for one fire). Peak
//! overpressure is the maximum over explosions. A `CloudIgnition` takes the flammable
//! mass and centroid of the named release's cloud as it is at the end of the gas step
//! of the ignition tick ([`super::cloud`]); a flash fire marks cells at ≥ LEL (fatal) and
//! ≥ ½ LEL (boundary zone) of the release's current concentration field; an explosion is
//! Baker–Strehlow–Tang at the centroid.
//!
//! ## Units
//! SI inside (W/m², Pa, s, m, kg); rasters in kW/m² and kPa at the output edge.
//!
//! ## Assumptions
//! An event that starts inside a tick burns from its start time; the ignited cloud is not
//! removed from the dispersion model (its later toxic/flammable field is conservative).
//! The fatality fraction combines thermal dose (Eisenberg), overpressure (lung
//! haemorrhage) and the flash-fire footprint (1 inside the LEL) as independent causes.
//!
//! ## References
//! - CCPS (2000), Guidelines for Chemical Process QRA, 2nd ed., §2.2 and §2.3.1.
//! - CCPS (1994), Guidelines for Evaluating the Characteristics of VCEs, Flash Fires and
//!   BLEVEs (flash fire: fatal within the LFL; ½ LFL boundary).
//! - Eisenberg, N. A., Lynch, C. J., Breeding, R. J. (1975), Vulnerability model,
//!   CG-D-136-75.

use bevy_ecs::prelude::*;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::PA_PER_PSI;
use super::event::{ActiveSource, PolarFlux};
use super::pool_fire::PoolFire;
use super::spec::ChemicalFireSpec;
use super::start::{
    TickWeather, overpressure_levels, reach_of_grid, start_event, thermal_levels, zone_reach,
};
use crate::hazards::chemicals::{Chemical, ChemicalLibrary};
use crate::hazards::gas::plugin::GasHazards;
use crate::sim::activation::HazardActivation;
use crate::sim::clock::SimClock;
use crate::sim::events::{EventKind, EventLog};
use crate::sim::metrics::MetricsRow;
use crate::sim::{HazardSet, MetricsSet, SimBuilder};
use crate::world::terrain::Terrain;
use crate::world::weather::WeatherNow;
use crate::world::{Grid, GridSpec};

/// Where an event is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventState {
    /// Not started (scheduled later or dormant).
    Waiting,
    /// Burning (fires) — explosions and flash fires go straight to `Ended`.
    Burning,
    /// Over.
    Ended,
}

/// How far one level of an event reaches (from the event's own field when it started).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZoneReach {
    /// Level name, e.g. "5 kW/m²" or "1 psi".
    pub level: String,
    /// Threshold in SI (W/m² or Pa).
    pub threshold: f64,
    /// Largest distance of a grid cell centre at or above the level from the origin, m.
    pub max_distance_m: f64,
    /// Area at or above it, m².
    pub area_m2: f64,
}

/// One fire or explosion of the run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChemFireEvent {
    /// Index in the scenario's `hazards` list.
    pub hazard_index: usize,
    /// Name (events, outputs, injects).
    pub label: String,
    /// The scenario spec.
    pub spec: ChemicalFireSpec,
    /// The flammable chemical, or why it could not be set up.
    pub chemical: Result<Chemical, String>,
    /// Run time it starts, s (infinite while dormant).
    pub start_s: f64,
    /// Run time it ends, s (set when it starts; infinite: burns to the end of the run).
    pub end_s: f64,
    /// State.
    pub state: EventState,
    /// The model, once started (None if there was nothing to burn).
    pub source: Option<ActiveSource>,
    /// Centre of the effects (fire position, cloud centroid), m.
    pub origin_xy_m: [f64; 2],
    /// Reach of each threat level, from the event's own field at its start.
    pub zones: Vec<ZoneReach>,
}

/// All chemical fires and explosions of a run (snapshot state `hazard.chem_fire`).
#[derive(Clone, Debug, Serialize, Deserialize, Resource)]
pub struct ChemFireHazards {
    /// The events in scenario order.
    pub events: Vec<ChemFireEvent>,
    /// Thermal flux of the current tick, W/m².
    pub flux: Grid<f32>,
    /// Peak thermal flux so far, W/m².
    pub peak_flux: Grid<f32>,
    /// Thermal dose ∫q^{4/3}dt, (W/m²)^{4/3}·s.
    pub dose: Grid<f64>,
    /// Peak side-on overpressure so far, Pa.
    pub overpressure: Grid<f32>,
    /// Flash-fire footprint: 2 at ≥ LEL, 1 at ≥ ½ LEL, else 0.
    pub flash: Grid<u8>,
    /// Events radiating during the current tick.
    pub radiating: Vec<usize>,
}

impl ChemFireHazards {
    /// Empty state on `grid` for `events`.
    pub fn new(grid: GridSpec, events: Vec<ChemFireEvent>) -> Self {
        Self {
            events,
            flux: Grid::filled(grid, 0.0),
            peak_flux: Grid::filled(grid, 0.0),
            dose: Grid::filled(grid, 0.0),
            overpressure: Grid::filled(grid, 0.0),
            flash: Grid::filled(grid, 0),
            radiating: Vec::new(),
        }
    }

    /// Thermal flux (W/m²) at ground point (x, y) from the fires burning in the current
    /// tick (evaluated from the point models, so it is defined off the grid too).
    pub fn thermal_flux_at_w_m2(&self, x: f64, y: f64) -> f64 {
        self.radiating
            .iter()
            .filter_map(|&i| {
                let e = &self.events[i];
                e.source.as_ref().map(|s| s.flux_at(e.origin_xy_m, x, y))
            })
            .sum()
    }

    /// Peak side-on overpressure (Pa) at (x, y) of all explosions so far.
    pub fn overpressure_at_pa(&self, x: f64, y: f64) -> f64 {
        self.events
            .iter()
            .filter(|e| e.state != EventState::Waiting)
            .filter_map(|e| e.source.as_ref().map(|s| s.overpressure_at(x, y)))
            .fold(0.0, f64::max)
    }

    /// Flash-fire zone at (x, y): 2 inside the LEL footprint, 1 in the ½ LEL boundary
    /// zone, 0 outside (or off the grid).
    pub fn flash_fire_zone_at(&self, x: f64, y: f64) -> u8 {
        self.flash.sample(x, y).copied().unwrap_or(0)
    }

    /// Fatality fraction 0–1 at (x, y) so far (thermal dose, overpressure and flash fire
    /// as independent causes; 0 off the grid).
    pub fn fatality_fraction_at(&self, x: f64, y: f64) -> f64 {
        match self.flux.spec().cell_at(x, y) {
            Some((c, r)) => self.fatality_cell(self.flux.spec().index(c, r)),
            None => 0.0,
        }
    }

    /// Fatality fraction of cell `k` (row-major index).
    pub fn fatality_cell(&self, k: usize) -> f64 {
        let th = probit_fraction(thermal_probit(self.dose.data()[k]));
        let op = probit_fraction(super::effects::overpressure_probit(f64::from(
            self.overpressure.data()[k],
        )));
        let fl = if self.flash.data()[k] >= 2 { 1.0 } else { 0.0 };
        1.0 - (1.0 - th) * (1.0 - op) * (1.0 - fl)
    }

    /// Number of events burning in the current tick.
    pub fn burning_count(&self) -> usize {
        self.radiating.len()
    }
}

/// Eisenberg probit of a dose in (W/m²)^{4/3}·s (the probit's unit is (kW/m²)^{4/3}·s
/// = 10⁴ (W/m²)^{4/3}·s).
pub fn thermal_probit(dose_si: f64) -> f64 {
    let d = dose_si / 1e4;
    if d > 0.0 {
        -14.9 + 2.56 * d.ln()
    } else {
        f64::NEG_INFINITY
    }
}

/// Probability of a probit value: Φ(Pr − 5).
pub fn probit_fraction(pr: f64) -> f64 {
    if pr.is_finite() {
        0.5 * (1.0 + crate::hazards::gas::erf((pr - 5.0) / std::f64::consts::SQRT_2))
    } else if pr > 0.0 {
        1.0
    } else {
        0.0
    }
}

fn flammable_chemical(lib: &ChemicalLibrary, name: &str) -> Result<Chemical, String> {
    let c = lib.find(name).map_err(|e| e.to_string())?;
    if c.combustion.is_none() {
        return Err(format!("`{}` is not flammable", c.name));
    }
    Ok(c.clone())
}

/// A waiting event for `spec`, hazard `i`.
pub fn build_event(i: usize, spec: &ChemicalFireSpec) -> ChemFireEvent {
    let chemical = ChemicalLibrary::load_builtin()
        .map_err(|e| e.to_string())
        .and_then(|lib| flammable_chemical(&lib, &spec.chemical));
    ChemFireEvent {
        hazard_index: i,
        label: spec.name.clone(),
        spec: spec.clone(),
        chemical,
        start_s: if spec.dormant {
            f64::INFINITY
        } else {
            spec.start_s
        },
        end_s: f64::INFINITY,
        state: EventState::Waiting,
        source: None,
        origin_xy_m: spec.location_xy_m,
        zones: Vec::new(),
    }
}

/// Adds a fire during the run (a trainer's live inject) as hazard `index` (e.g. from
/// `HazardActivation::add_live`), starting `spec.start_s` after run time `t_s` (even if
/// `spec.dormant`). Returns why it could not be set up.
pub fn add_live_fire(
    hz: &mut ChemFireHazards,
    index: usize,
    spec: &ChemicalFireSpec,
    t_s: f64,
) -> Result<(), String> {
    let mut e = build_event(index, spec);
    if let Err(err) = &e.chemical {
        return Err(err.clone());
    }
    e.start_s = t_s + spec.start_s;
    hz.events.push(e);
    Ok(())
}

/// Adds the chemical fires `specs` (hazard index, spec) to the run.
pub fn install(b: &mut SimBuilder<'_>, specs: Vec<(usize, &ChemicalFireSpec)>) {
    if specs.is_empty() {
        return;
    }
    let grid = b.world.resource::<Terrain>().spec;
    let events: Vec<ChemFireEvent> = specs.into_iter().map(|(i, s)| build_event(i, s)).collect();
    {
        let mut log = b.world.resource_mut::<EventLog>();
        for e in &events {
            if let Err(err) = &e.chemical {
                log.push(
                    0.0,
                    EventKind::HazardEnded,
                    e.label.clone(),
                    format!(
                        "Chemical fire hazards[{}] ({}) could not be set up and is skipped: {err}",
                        e.hazard_index, e.label
                    ),
                );
            }
        }
    }
    b.world.insert_resource(ChemFireHazards::new(grid, events));
    b.snapshot_resource::<ChemFireHazards>("hazard.chem_fire");
    b.schedule
        .add_systems(advance_chem_fire.in_set(HazardSet::ChemFire));
    b.schedule
        .add_systems(chem_fire_metrics.in_set(MetricsSet::ChemFire));
    b.add_outputs(super::outputs::chem_fire_outputs);
}

fn start_due(
    hz: &mut ChemFireHazards,
    t1: f64,
    w: &TickWeather,
    gas: Option<&GasHazards>,
    log: &mut EventLog,
) {
    let grid = *hz.flux.spec();
    for k in 0..hz.events.len() {
        let e = &hz.events[k];
        if e.state != EventState::Waiting || t1 <= e.start_s + 1e-9 {
            continue;
        }
        let (src, dur, origin, msg) = start_event(e, w, &grid, gas, &mut hz.flash);
        let (t0, label) = (e.start_s, e.label.clone());
        let at = e.spec.location_xy_m;
        let zones = match &src {
            Some(s) if s.radiates() => zone_reach(&grid, origin, &thermal_levels(), |x, y| {
                s.flux_at(origin, x, y)
            }),
            Some(s @ ActiveSource::Blast { .. }) => {
                zone_reach(&grid, origin, &overpressure_levels(), |x, y| {
                    s.overpressure_at(x, y)
                })
            }
            _ => Vec::new(),
        };
        if let Some(s @ ActiveSource::Blast { .. }) = &src {
            let spec = grid;
            for (k2, v) in hz.overpressure.data_mut().iter_mut().enumerate() {
                let [x, y] = spec.cell_center(k2 % spec.width, k2 / spec.width);
                *v = v.max(s.overpressure_at(x, y) as f32);
            }
        }
        log.push_at(t0, EventKind::HazardStarted, label.clone(), msg, at);
        for z in zones.iter().filter(|z| z.area_m2 > 0.0) {
            log.push_at(
                t0,
                EventKind::LevelExceeded,
                label.clone(),
                format!(
                    "{} reached up to {:.0} m from ({:.0}, {:.0}) ({:.0} m²).",
                    z.level, z.max_distance_m, origin[0], origin[1], z.area_m2
                ),
                origin,
            );
        }
        let e = &mut hz.events[k];
        e.zones = zones;
        e.origin_xy_m = origin;
        e.end_s = t0 + dur;
        e.state = if src.as_ref().is_some_and(ActiveSource::radiates) {
            EventState::Burning
        } else {
            EventState::Ended
        };
        if e.state == EventState::Ended {
            let what = if src.is_some() {
                "is over"
            } else {
                "did nothing"
            };
            log.push_at(
                t0,
                EventKind::HazardEnded,
                label.clone(),
                format!("{label} {what}."),
                origin,
            );
        }
        e.source = src;
    }
}

/// Starts, burns and ends every event over the tick.
pub fn advance_chem_fire(
    clock: Res<'_, SimClock>,
    weather: Res<'_, WeatherNow>,
    activation: Option<Res<'_, HazardActivation>>,
    gas: Option<Res<'_, GasHazards>>,
    mut hz: ResMut<'_, ChemFireHazards>,
    mut log: ResMut<'_, EventLog>,
) {
    let (t0, t1) = (clock.t_s(), clock.t_end_s());
    let w = TickWeather::of(&weather);
    for e in &mut hz.events {
        if e.state == EventState::Waiting
            && !e.start_s.is_finite()
            && let Some(off) = activation.as_ref().and_then(|a| a.offset_s(e.hazard_index))
        {
            e.start_s = off + e.spec.start_s;
        }
    }
    start_due(&mut hz, t1, &w, gas.as_deref(), &mut log);
    let grid = *hz.flux.spec();
    // Fires burning during [t0, t1): follow the wind, then fields.
    let mut radiating = Vec::new();
    let mut overlap = Vec::new();
    for (k, e) in hz.events.iter_mut().enumerate() {
        if e.state != EventState::Burning {
            continue;
        }
        let ov = t1.min(e.end_s) - t0.max(e.start_s);
        if ov <= 0.0 {
            continue;
        }
        if let Some(ActiveSource::Pool {
            fire,
            table,
            wind_m_s,
            downwind,
        }) = &mut e.source
        {
            *downwind = w.downwind;
            if (*wind_m_s - w.wind_m_s).abs() > 1e-6
                && let Ok(chem) = &e.chemical
            {
                let dhc = chem
                    .combustion
                    .as_ref()
                    .map_or(0.0, |c| c.heat_of_combustion_j_kg);
                *fire = PoolFire::new(
                    chem,
                    dhc,
                    fire.diameter_m,
                    w.wind_m_s,
                    fire.air_t_k,
                    fire.rh,
                );
                *table = PolarFlux::new(fire, reach_of_grid(&grid, e.origin_xy_m));
                *wind_m_s = w.wind_m_s;
            }
        }
        radiating.push(k);
        overlap.push(ov);
    }
    let t_max = overlap.iter().copied().fold(0.0, f64::max);
    // Nothing burns now or burnt last tick: the flux field is already zero.
    if !(radiating.is_empty() && hz.radiating.is_empty()) {
        let hz = &mut *hz;
        let sources: Vec<(&ActiveSource, [f64; 2], f64)> = radiating
            .iter()
            .zip(&overlap)
            .filter_map(|(&k, &ov)| {
                let e = &hz.events[k];
                e.source.as_ref().map(|s| (s, e.origin_xy_m, ov))
            })
            .collect();
        let w_cols = grid.width.max(1);
        hz.flux
            .data_mut()
            .par_chunks_mut(w_cols)
            .zip(hz.peak_flux.data_mut().par_chunks_mut(w_cols))
            .zip(hz.dose.data_mut().par_chunks_mut(w_cols))
            .enumerate()
            .for_each(|(row, ((flux, peak), dose))| {
                for col in 0..flux.len() {
                    let [x, y] = grid.cell_center(col, row);
                    let (mut q, mut qt) = (0.0, 0.0);
                    for (s, at, ov) in &sources {
                        let v = s.flux_at(*at, x, y);
                        q += v;
                        qt += v * ov;
                    }
                    flux[col] = q as f32;
                    peak[col] = peak[col].max(q as f32);
                    if t_max > 0.0 && qt > 0.0 {
                        dose[col] += (qt / t_max).powf(4.0 / 3.0) * t_max;
                    }
                }
            });
    }
    hz.radiating = radiating;
    for e in &mut hz.events {
        if e.state == EventState::Burning && e.end_s <= t1 + 1e-9 {
            e.state = EventState::Ended;
            log.push_at(
                e.end_s,
                EventKind::HazardEnded,
                e.label.clone(),
                format!("{} burnt out.", e.label),
                e.origin_xy_m,
            );
        }
    }
}

/// Adds the `chem_fire_*` columns.
pub fn chem_fire_metrics(hz: Res<'_, ChemFireHazards>, mut row: ResMut<'_, MetricsRow>) {
    let a = hz.flux.spec().cell_area();
    let count =
        |g: &Grid<f32>, t: f64| g.data().iter().filter(|&&v| f64::from(v) >= t).count() as f64 * a;
    row.set("chem_fire_burning_count", hz.burning_count() as f64);
    row.set("chem_fire_thermal_area_10kw_m2", count(&hz.flux, 10_000.0));
    row.set("chem_fire_thermal_area_5kw_m2", count(&hz.flux, 5_000.0));
    row.set("chem_fire_thermal_area_2kw_m2", count(&hz.flux, 2_000.0));
    row.set(
        "chem_fire_overpressure_area_8psi_m2",
        count(&hz.overpressure, 8.0 * PA_PER_PSI),
    );
    row.set(
        "chem_fire_overpressure_area_3_5psi_m2",
        count(&hz.overpressure, 3.5 * PA_PER_PSI),
    );
    row.set(
        "chem_fire_overpressure_area_1psi_m2",
        count(&hz.overpressure, PA_PER_PSI),
    );
    row.set(
        "chem_fire_flash_area_m2",
        hz.flash.data().iter().filter(|&&v| v >= 2).count() as f64 * a,
    );
}
