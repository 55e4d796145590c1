//! The flood hazard in a run: one [`FloodHazards`] resource holding every flood of the
//! scenario, advanced once per agent tick in [`HazardSet::Flood`] with the tick's rain,
//! plus its metrics columns, events, rasters and summary entry.
//!
//! ## Model
//! Each `Flood(..)` entry of the scenario becomes one [`FloodModel`] on the scenario
//! grid, built from the terrain's elevation and Manning n and advanced from
//! `clock.t_s()` by `clock.dt_s()` with `WeatherNow::rain_mm_h` (the rate at the start
//! of the tick, held over the tick). Floods of one scenario do not interact. After each
//! tick the plugin records flooded area (deeper than `flooded_depth_m`, 15 cm by default:
//! the GB 51222-2017 waterlogging criterion), wet area (any water), stored volume,
//! largest depth and the relative mass-balance error, their peaks, and the largest FD2320
//! hazard rating seen at the end of any tick.
//!
//! ## Units
//! SI: m, s, m², m³, m/s; rain in mm/h as in the weather.
//!
//! ## Assumptions
//! The maximum hazard rating is sampled at tick ends (max depth and max speed are tracked
//! every solver sub-step by the model). A flood that cannot be built (a source off the
//! grid) or whose solver fails is reported as an event and stops; the run goes on.
//!
//! ## References
//! - Defra/EA FD2320/TR2 (2005) and FD2321/TR2 (2006): hazard rating and its classes.
//! - Bates, Horritt & Fewtrell (2010); de Almeida et al. (2012); Audusse et al. (2004):
//!   the solvers, see [`super::local_inertial`] and [`super::finite_volume`].

use bevy_ecs::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{FloodEvent, FloodModel, FloodSolver, FloodSpec, MassBalance, hazard_rating};
use crate::sim::clock::SimClock;
use crate::sim::events::{EventKind, EventLog};
use crate::sim::metrics::MetricsRow;
use crate::sim::outputs::{NamedRaster, RunOutputs};
use crate::sim::{HazardSet, MetricsSet, SimBuilder};
use crate::world::Grid;
use crate::world::raster::Ramp;
use crate::world::terrain::Terrain;
use crate::world::weather::WeatherNow;

/// Values of one flood at the end of the last tick.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FloodStats {
    /// Area of cells deeper than the flooded-depth threshold (m²).
    pub flooded_area_m2: f64,
    /// Area of cells deeper than the dry threshold, rain film included (m²).
    pub wet_area_m2: f64,
    /// Water stored on the grid (m³).
    pub volume_m3: f64,
    /// Largest current depth (m).
    pub max_depth_m: f64,
    /// |mass-balance error| / largest of (water in, water stored).
    pub mass_error_rel: f64,
}

/// Largest values over the run and when they occurred.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FloodPeaks {
    /// Largest flooded area (m²).
    pub flooded_area_m2: f64,
    /// Time of the largest flooded area (s).
    pub flooded_area_t_s: f64,
    /// Largest stored volume (m³).
    pub volume_m3: f64,
    /// Time of the largest stored volume (s).
    pub volume_t_s: f64,
    /// Largest relative mass-balance error seen at any tick end.
    pub mass_error_rel: f64,
}

/// One flood of the scenario.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FloodInstance {
    /// Index of the entry in the scenario's `hazards` list.
    pub hazard_index: usize,
    /// The model; `None` if it could not be built.
    pub model: Option<FloodModel>,
    /// Why the model could not be built or stopped, if it did.
    pub failure: Option<String>,
    /// Whether the failure has been logged as an event.
    pub failure_logged: bool,
    /// Values at the end of the last tick.
    pub now: FloodStats,
    /// Peaks so far.
    pub peaks: FloodPeaks,
    /// Largest hazard rating at any tick end, per cell (empty if no model).
    pub max_hazard_rating: Vec<f32>,
}

impl FloodInstance {
    /// Id used as the subject of events: the scenario path of the entry.
    pub fn id(&self) -> String {
        format!("hazards[{}]", self.hazard_index)
    }

    fn refresh(&mut self, t_s: f64) {
        let Some(m) = &self.model else {
            return;
        };
        let depth = m.depth_slice();
        self.now = FloodStats {
            flooded_area_m2: m.flooded_area_m2(),
            wet_area_m2: m.wet_area_m2(),
            volume_m3: m.volume_m3(),
            max_depth_m: f64::from(depth.iter().copied().fold(0.0, f32::max)),
            mass_error_rel: m.mass_balance().relative_error,
        };
        let p = &mut self.peaks;
        if self.now.flooded_area_m2 > p.flooded_area_m2 {
            p.flooded_area_m2 = self.now.flooded_area_m2;
            p.flooded_area_t_s = t_s;
        }
        if self.now.volume_m3 > p.volume_m3 {
            p.volume_m3 = self.now.volume_m3;
            p.volume_t_s = t_s;
        }
        p.mass_error_rel = p.mass_error_rel.max(self.now.mass_error_rel);
        let dry = m.spec().numerics.dry_depth_m;
        for (i, (hr_max, &d)) in self.max_hazard_rating.iter_mut().zip(depth).enumerate() {
            if f64::from(d) > dry {
                let (u, v) = m.velocity_at(i);
                let hr = hazard_rating(f64::from(d), f64::from(u.hypot(v))) as f32;
                *hr_max = hr_max.max(hr);
            }
        }
    }
}

/// Every flood of the run (snapshot state `hazard.flood`).
#[derive(Clone, Debug, Default, Serialize, Deserialize, Resource)]
pub struct FloodHazards {
    /// Floods in scenario order.
    pub instances: Vec<FloodInstance>,
}

impl FloodHazards {
    /// The first flood's model, if any (for viewers and agents).
    pub fn first(&self) -> Option<&FloodModel> {
        self.instances.iter().find_map(|f| f.model.as_ref())
    }

    /// Largest depth (m) over all floods at world point `(x, y)`; 0 off the grid.
    pub fn depth_at(&self, x: f64, y: f64) -> f64 {
        self.instances
            .iter()
            .filter_map(|f| f.model.as_ref()?.sample(x, y))
            .map(|s| s.depth_m)
            .fold(0.0, f64::max)
    }
}

/// Adds the floods `specs` (with their index in the scenario's hazard list) to a run.
pub fn install(b: &mut SimBuilder<'_>, specs: Vec<(usize, &FloodSpec)>) {
    let instances = {
        let terrain = b.world.resource::<Terrain>();
        specs
            .into_iter()
            .map(|(hazard_index, spec)| {
                let built = FloodModel::new(spec.clone(), &terrain.elevation, &terrain.manning);
                let (model, failure) = match built {
                    Ok(m) => (Some(m), None),
                    Err(e) => (None, Some(format!("could not be built: {e}"))),
                };
                let cells = if model.is_some() {
                    terrain.spec.len()
                } else {
                    0
                };
                let mut inst = FloodInstance {
                    hazard_index,
                    model,
                    failure,
                    failure_logged: false,
                    now: FloodStats::default(),
                    peaks: FloodPeaks::default(),
                    max_hazard_rating: vec![0.0; cells],
                };
                inst.refresh(0.0);
                inst
            })
            .collect()
    };
    b.world.insert_resource(FloodHazards { instances });
    b.snapshot_resource::<FloodHazards>("hazard.flood");
    b.schedule
        .add_systems(advance_floods.in_set(HazardSet::Flood));
    b.schedule
        .add_systems(flood_metrics.in_set(MetricsSet::Flood));
    b.add_outputs(flood_outputs);
}

fn midpoint(line: &[[f64; 2]]) -> [f64; 2] {
    match (line.first(), line.last()) {
        (Some(a), Some(b)) => [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0],
        _ => [0.0, 0.0],
    }
}

/// Advances every flood by one tick under the tick's rain and logs breach events.
pub fn advance_floods(
    clock: Res<'_, SimClock>,
    weather: Res<'_, WeatherNow>,
    mut floods: ResMut<'_, FloodHazards>,
    mut log: ResMut<'_, EventLog>,
) {
    let (t, dt) = (clock.t_s(), clock.dt_s());
    let rain = weather.rain_mm_h.max(0.0);
    for inst in &mut floods.instances {
        let id = inst.id();
        if let Some(model) = &mut inst.model {
            match model.advance(t, dt, rain) {
                Ok(events) => {
                    for e in events {
                        let (kind, name, t_e, what) = match e {
                            FloodEvent::BreachStarted { name, t_s } => {
                                (EventKind::BreachStarted, name, t_s, "began to open")
                            }
                            FloodEvent::BreachCompleted { name, t_s } => {
                                (EventKind::HazardEnded, name, t_s, "is fully open")
                            }
                        };
                        let at = model
                            .spec()
                            .breaches
                            .iter()
                            .find(|b| b.name == name)
                            .map(|b| midpoint(&b.polyline));
                        let message = format!("Breach \"{name}\" of flood {id} {what}.");
                        match at {
                            Some(p) => log.push_at(t_e, kind, id.clone(), message, p),
                            None => log.push(t_e, kind, id.clone(), message),
                        }
                    }
                }
                Err(e) => {
                    inst.failure = Some(format!("stopped: {e}"));
                    inst.model = None;
                }
            }
        }
        if let (Some(f), false) = (&inst.failure, inst.failure_logged) {
            log.push(t, EventKind::HazardEnded, id, format!("Flood {f}"));
            inst.failure_logged = true;
        }
        inst.refresh(t + dt);
    }
}

/// Adds the flood columns (summed over floods; depth and error are maxima).
pub fn flood_metrics(floods: Res<'_, FloodHazards>, mut row: ResMut<'_, MetricsRow>) {
    let mut s = FloodStats::default();
    for f in floods.instances.iter().filter(|f| f.model.is_some()) {
        s.flooded_area_m2 += f.now.flooded_area_m2;
        s.wet_area_m2 += f.now.wet_area_m2;
        s.volume_m3 += f.now.volume_m3;
        s.max_depth_m = s.max_depth_m.max(f.now.max_depth_m);
        s.mass_error_rel = s.mass_error_rel.max(f.now.mass_error_rel);
    }
    row.set("flooded_area_m2", s.flooded_area_m2);
    row.set("wet_area_m2", s.wet_area_m2);
    row.set("flood_volume_m3", s.volume_m3);
    row.set("max_depth_m", s.max_depth_m);
    row.set("mass_error_rel", s.mass_error_rel);
}

fn upper(g: &Grid<f32>, floor: f32) -> f32 {
    g.finite_range().map_or(floor, |(_, hi)| hi.max(floor))
}

/// Rasters and the `"flood"` summary entry of every flood.
pub fn flood_outputs(world: &World, out: &mut RunOutputs) {
    let Some(floods) = world.get_resource::<FloodHazards>() else {
        return;
    };
    let duration = world
        .get_resource::<SimClock>()
        .map_or(1.0, |c| c.duration_s);
    let mut entries = Vec::new();
    for (k, inst) in floods.instances.iter().enumerate() {
        let mut entry = json!({ "id": inst.id() });
        if let Some(f) = &inst.failure {
            entry["failure"] = json!(f);
        }
        if let Some(m) = &inst.model {
            let prefix = if k == 0 {
                String::new()
            } else {
                format!("flood{k}_")
            };
            let max_depth = m.max_depth();
            let depth_peak = f64::from(upper(&max_depth, 0.0));
            let depth_hi = upper(&max_depth, 0.1);
            let max_speed = m.max_speed();
            let speed_max = f64::from(upper(&max_speed, 0.0));
            let hr_max = Grid::from_vec(*m.grid(), inst.max_hazard_rating.clone())
                .unwrap_or_else(|| Grid::filled(*m.grid(), 0.0));
            let hr_peak = f64::from(upper(&hr_max, 0.0));
            // Water surface only where there is water (no data elsewhere).
            let dry = m.spec().numerics.dry_depth_m as f32;
            let mut wse = m.water_surface();
            for (e, &d) in wse.data_mut().iter_mut().zip(m.depth_slice()) {
                if d <= dry {
                    *e = f32::NAN;
                }
            }
            let (lo, hi) = wse
                .data()
                .iter()
                .filter(|v| v.is_finite())
                .fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), &v| {
                    (a.min(v), b.max(v))
                });
            let wse_range = if lo <= hi {
                (lo, hi.max(lo + 0.1))
            } else {
                (0.0, 1.0)
            };
            let rasters = [
                ("depth_m", m.depth(), Ramp::WaterDepth, (0.0, depth_hi)),
                ("velocity_u_m_s", m.velocity_u(), Ramp::Viridis, (-3.0, 3.0)),
                ("velocity_v_m_s", m.velocity_v(), Ramp::Viridis, (-3.0, 3.0)),
                ("water_surface_m", wse, Ramp::Terrain, wse_range),
                ("max_depth_m", max_depth, Ramp::WaterDepth, (0.0, depth_hi)),
                ("max_speed_m_s", max_speed, Ramp::Viridis, (0.0, 5.0)),
                (
                    "arrival_time_s",
                    m.arrival_time(),
                    Ramp::Viridis,
                    (0.0, duration as f32),
                ),
                // FD2321 classes end at 2.0 ("danger for all"); 2.5 shows them all.
                (
                    "hazard_rating",
                    m.hazard_rating(),
                    Ramp::Concentration,
                    (0.0, 2.5),
                ),
                ("max_hazard_rating", hr_max, Ramp::Concentration, (0.0, 2.5)),
            ];
            for (name, grid, ramp, range) in rasters {
                out.rasters.push(NamedRaster {
                    name: format!("{prefix}{name}"),
                    grid,
                    ramp,
                    range: Some(range),
                });
            }
            let balance: MassBalance = m.mass_balance();
            let solver = match m.spec().solver {
                FloodSolver::LocalInertial => "LocalInertial",
                FloodSolver::FiniteVolume => "FiniteVolume",
            };
            entry["solver"] = json!(solver);
            entry["solver_steps"] = json!(m.steps());
            entry["mass_balance"] = serde_json::to_value(balance).unwrap_or_default();
            entry["final"] = serde_json::to_value(inst.now).unwrap_or_default();
            entry["peak"] = serde_json::to_value(inst.peaks).unwrap_or_default();
            entry["flooded_depth_m"] = json!(m.spec().flooded_depth_m());
            entry["max_depth_m"] = json!(depth_peak);
            entry["max_speed_m_s"] = json!(speed_max);
            entry["max_hazard_rating"] = json!(hr_peak);
        }
        entries.push(entry);
    }
    out.summary
        .push(("flood".to_owned(), json!({ "floods": entries })));
}
