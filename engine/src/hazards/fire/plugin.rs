//! ECS plugin of the wildland fire: builds one [`FireSim`] per `WildlandFire(...)` hazard
//! of the scenario from the run's terrain, advances them every tick with the tick's
//! weather, logs events, adds metric columns and writes rasters, perimeters and a summary.
//!
//! ## Model
//! The physics is in [`super::spread`] and the files it names. The scenario's 10-m wind
//! (uniform, from [`WeatherNow`]) is converted to the 20-ft open wind of the Rothermel
//! system by U₂₀ = U₁₀ / 1.15 (Lawson & Armitage 2008, also used by FARSITE and
//! BehavePlus for 10-m inputs). Fuel comes from the terrain's fuel layer (Anderson codes
//! "1"–"13" → catalogue "FM1"–"FM13"; Scott & Burgan codes as they are), slope from the
//! terrain's elevation (Horn 1981), canopy from the spec on `Forest` land cover.
//! A spot fire whose firebrand flew over a non-burnable cell (river, road, firebreak)
//! is logged as `FirelineBreached`.
//!
//! ## Units
//! m, s, m², kW/m; wind m/s; directions degrees clockwise from north (from-direction).
//!
//! ## Assumptions
//! Wind is uniform over the grid and constant over one tick (ticks ≤ 10 min, see
//! [`super::spread`]). Rain does not wet fuels (the moisture scenario is fixed per run).
//!
//! ## References
//! - Lawson, B.D.; Armitage, O.B. 2008. Weather guide for the Canadian Forest Fire Danger
//!   Rating System. Natural Resources Canada, Northern Forestry Centre (10-m ↔ 20-ft wind).
//! - Scott, J.H.; Burgan, R.E. 2005. RMRS-GTR-153 (fuel model codes).

use bevy_ecs::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::crown::Canopy;
use super::error::FireError;
use super::fuel::FuelCatalog;
use super::landscape::{CanopyGrids, Landscape};
use super::layers::{read_canopy_layers, read_fuel_raster};
use super::spec::{WildlandFireSpec, burn_barriers};
use super::spread::{FireSim, NO_EDGE, NONBURN};
use super::suppression::anderson_equivalent;
use crate::scenario::LoadedScenario;
use crate::scenario::check::FUEL_CODES;
use crate::scenario::types::LandCover;
use crate::sim::activation::HazardActivation;
use crate::sim::clock::SimClock;
use crate::sim::events::{EventKind, EventLog};
use crate::sim::metrics::MetricsRow;
use crate::sim::outputs::{NamedRaster, RunOutputs};
use crate::sim::{HazardSet, MetricsSet, SimBuilder};
use crate::world::grid::Grid;
use crate::world::raster::Ramp;
use crate::world::rng::{RngPurpose, RngStreams};
use crate::world::terrain::Terrain;
use crate::world::weather::WeatherNow;

/// Ratio of the 10-m wind to the 20-ft wind (Lawson & Armitage 2008).
pub const U10_PER_U20: f64 = 1.15;

/// Catalogue code of an engine fuel-layer code: Anderson "1"–"13" are "FM1"–"FM13" in
/// `assets/fuel_models.ron`; all other codes are the same.
pub fn catalogue_code(layer_code: &str) -> String {
    if !layer_code.is_empty() && layer_code.bytes().all(|b| b.is_ascii_digit()) {
        format!("FM{layer_code}")
    } else {
        layer_code.to_owned()
    }
}

/// Catalogue index per entry of [`FUEL_CODES`].
pub fn layer_to_catalogue(catalog: &FuelCatalog) -> Result<Vec<u16>, FireError> {
    FUEL_CODES
        .iter()
        .map(|c| {
            let code = catalogue_code(c);
            catalog.index_of(&code).map(|i| i as u16).ok_or_else(|| {
                FireError::InvalidInput(format!("fuel code {code} is not in the catalogue"))
            })
        })
        .collect()
}

/// One burning (or not yet ignited) wildland fire of the scenario.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FireInstance {
    /// Name in events and files.
    pub id: String,
    /// The grid fire model.
    pub sim: FireSim,
    /// Flat indices of the ignition cells.
    pub ignition_cells: Vec<u32>,
    /// Cells in flaming combustion at the end of the last tick.
    pub burning: Vec<u32>,
    /// Cells burned so far.
    pub burned_cells: u64,
    /// Cells burned in passive or active crown fire.
    pub crown_cells: u64,
    /// Largest flame length at arrival so far, m.
    pub max_flame_length_m: f64,
    /// Spot fires established so far.
    pub spot_fires: u64,
    /// Spot fires that crossed a non-burnable barrier.
    pub barrier_crossings: u64,
    /// Launched firebrands not yet established: (target cell, source cell).
    pub pending_spots: Vec<(u32, u32)>,
    /// True once the fire has started.
    pub started: bool,
    /// True once the fire has burned out (nothing burning, nothing pending).
    pub ended: bool,
    /// Anderson (1982) model of each catalogue index of `sim` (fireline production rates).
    #[serde(default)]
    pub anderson_models: Vec<u16>,
    /// Index in the scenario's `hazards` list.
    #[serde(default)]
    pub hazard_index: usize,
    /// Ignitions of a dormant fire not yet lit: (cell, time after activation, s).
    #[serde(default)]
    pub waiting: Vec<(u32, f64)>,
}

impl FireInstance {
    /// Lights a new ignition at `(x, y)` at run time `t_s` (a live inject). Fails outside
    /// the grid or on a non-burnable cell.
    pub fn ignite_live(&mut self, x: f64, y: f64, t_s: f64) -> Result<(), FireError> {
        let spec = self.sim.spec;
        let (c, r) = spec.cell_at(x, y).ok_or_else(|| {
            FireError::InvalidInput(format!("ignition ({x:.0}, {y:.0}) is outside the grid"))
        })?;
        let i = spec.index(c, r);
        if self.sim.flags[i] & NONBURN != 0 {
            return Err(FireError::InvalidInput(format!(
                "ignition ({x:.0}, {y:.0}) is in a non-burnable cell"
            )));
        }
        self.sim.ignite_cell(c, r, t_s)?;
        self.ignition_cells.push(i as u32);
        self.ended = false;
        Ok(())
    }
}

/// All wildland fires of a run (snapshot state `hazard.fire`).
#[derive(Resource, Clone, Debug, Default, Serialize, Deserialize)]
pub struct FireHazards {
    /// The fires, in scenario order.
    pub fires: Vec<FireInstance>,
}

/// Builds the fire of `spec` (k-th fire of the scenario, `hazards[index]`) over the run's
/// terrain. Problems with its rasters come back as one located diagnostic text
/// (`FireError::Scenario`), as `drillsim validate` would print them.
pub fn build_fire(
    loaded: &LoadedScenario,
    terrain: &Terrain,
    k: usize,
    index: usize,
    spec: &WildlandFireSpec,
) -> Result<FireInstance, FireError> {
    let mut catalog = FuelCatalog::load_builtin()?;
    if let Some(path) = &spec.custom_fuels {
        let file = loaded.resolve(path);
        let text = std::fs::read_to_string(&file).map_err(|e| {
            FireError::InvalidInput(format!("cannot read custom fuels {}: {e}", file.display()))
        })?;
        catalog.add_ron(&text, path)?;
    }
    let table = layer_to_catalogue(&catalog)?;
    let over = match &spec.fuel_override {
        Some(code) => Some(
            catalog
                .index_of(&catalogue_code(code.trim()))
                .ok_or_else(|| FireError::UnknownFuel {
                    code: code.clone(),
                    suggestions: catalog.close_codes(code),
                })? as u16,
        ),
        None => None,
    };
    let path = format!("hazards[{index}]");
    let located = |problems| FireError::Scenario(loaded.diagnose(problems).to_string());
    let mut fuel = match &spec.fuel_raster {
        Some(fr) => read_fuel_raster(fr, loaded, &path, terrain.spec, &catalog).map_err(located)?,
        None => terrain
            .fuel
            .map(|&c| table[usize::from(c).min(table.len() - 1)]),
    };
    let layers = match &spec.canopy_layers {
        Some(l) => Some(read_canopy_layers(l, loaded, &path, terrain.spec).map_err(located)?),
        None => None,
    };
    if let Some(o) = over {
        for f in fuel.data_mut() {
            let burns = catalog
                .by_index(usize::from(*f))
                .is_some_and(super::fuel::FuelModel::is_burnable);
            if burns {
                *f = o;
            }
        }
    }
    burn_barriers(&mut fuel, &spec.barriers, &catalog)?;
    let canopy = layers.or_else(|| {
        spec.canopy.map(|c| {
            let forest = LandCover::Forest.code();
            let cell = |col: usize, row: usize| {
                if *terrain.land_cover.get(col, row) == forest {
                    c
                } else {
                    Canopy::NONE
                }
            };
            let s = terrain.spec;
            CanopyGrids {
                cover: Grid::from_fn(s, |x, y| cell(x, y).cover as f32),
                height_m: Grid::from_fn(s, |x, y| cell(x, y).height_m as f32),
                base_height_m: Grid::from_fn(s, |x, y| cell(x, y).base_height_m as f32),
                bulk_density_kg_m3: Grid::from_fn(s, |x, y| cell(x, y).bulk_density_kg_m3 as f32),
            }
        })
    });
    let land = Landscape {
        fuel,
        elevation_m: Some(terrain.elevation.clone()),
        canopy,
    };
    let mut sim = FireSim::new(&land, &catalog, spec.config())?;
    let mut ignition_cells = Vec::new();
    let mut waiting = Vec::new();
    for ig in &spec.ignitions {
        let (c, r) = terrain.spec.cell_at(ig.x_m, ig.y_m).ok_or_else(|| {
            FireError::InvalidInput(format!(
                "ignition ({}, {}) is outside the grid",
                ig.x_m, ig.y_m
            ))
        })?;
        let i = terrain.spec.index(c, r);
        if sim.flags[i] & NONBURN != 0 {
            return Err(FireError::InvalidInput(format!(
                "ignition ({}, {}) is in a non-burnable cell (fuel {})",
                ig.x_m,
                ig.y_m,
                catalog
                    .by_index(usize::from(sim.fuel[i]))
                    .map_or("?", |m| m.code.as_str())
            )));
        }
        if spec.dormant {
            waiting.push((i as u32, ig.time_s));
        } else {
            sim.ignite_cell(c, r, ig.time_s)?;
        }
        ignition_cells.push(i as u32);
    }
    Ok(FireInstance {
        id: spec.name.clone().unwrap_or_else(|| format!("fire{k}")),
        sim,
        ignition_cells,
        burning: Vec::new(),
        burned_cells: 0,
        crown_cells: 0,
        max_flame_length_m: 0.0,
        spot_fires: 0,
        barrier_crossings: 0,
        pending_spots: Vec::new(),
        started: false,
        ended: false,
        anderson_models: catalog
            .models()
            .iter()
            .map(|m| anderson_equivalent(&m.code, m.number))
            .collect(),
        hazard_index: index,
        waiting,
    })
}

/// Adds the fires of `specs` ((hazard index, spec)) to a run. A fire that cannot be built
/// (e.g. ignition outside the grid) is left out and logged as `HazardEnded` at t = 0.
pub fn install(b: &mut SimBuilder<'_>, specs: Vec<(usize, &WildlandFireSpec)>) {
    let loaded = b.scenario();
    let mut fires = Vec::new();
    let mut failures = Vec::new();
    {
        let terrain = b.world.resource::<Terrain>();
        for (k, (index, spec)) in specs.into_iter().enumerate() {
            match build_fire(&loaded, terrain, k, index, spec) {
                Ok(f) => fires.push(f),
                Err(e) => failures.push(format!(
                    "Wildland fire hazards[{index}] could not be simulated: {e}."
                )),
            }
        }
    }
    {
        let mut log = b.world.resource_mut::<EventLog>();
        for m in failures {
            log.push(0.0, EventKind::HazardEnded, "fire", m);
        }
    }
    b.world.insert_resource(FireHazards { fires });
    b.snapshot_resource::<FireHazards>("hazard.fire");
    b.schedule
        .add_systems(advance_fires.in_set(HazardSet::Fire));
    b.schedule
        .add_systems(fire_metrics.in_set(MetricsSet::Fire));
    b.add_outputs(fire_outputs);
}

/// True if the straight line between the centres of cells `a` and `b` passes over a
/// non-burnable cell (sampled every quarter cell).
fn crosses_barrier(sim: &FireSim, a: usize, b: usize) -> bool {
    let w = sim.spec.width;
    let (ca, ra) = ((a % w) as f64, (a / w) as f64);
    let (cb, rb) = ((b % w) as f64, (b / w) as f64);
    let n = ((cb - ca).hypot(rb - ra) * 4.0).ceil() as usize;
    (1..n).any(|s| {
        let f = s as f64 / n as f64;
        let c = (ca + f * (cb - ca) + 0.5).floor() as usize;
        let r = (ra + f * (rb - ra) + 0.5).floor() as usize;
        sim.flags[r * w + c] & NONBURN != 0
    })
}

/// Advances every fire over the tick with the tick's wind.
pub fn advance_fires(
    clock: Res<'_, SimClock>,
    weather: Res<'_, WeatherNow>,
    mut rng: ResMut<'_, RngStreams>,
    activation: Option<Res<'_, HazardActivation>>,
    mut fires: ResMut<'_, FireHazards>,
    mut log: ResMut<'_, EventLog>,
) {
    let (t, dt) = (clock.t_s(), clock.dt_s());
    for fire in &mut fires.fires {
        if fire.waiting.is_empty() {
            continue;
        }
        let Some(off) = activation
            .as_ref()
            .and_then(|a| a.offset_s(fire.hazard_index))
        else {
            continue;
        };
        let w = fire.sim.spec.width;
        for (cell, after) in std::mem::take(&mut fire.waiting) {
            let c = cell as usize;
            if let Err(e) = fire.sim.ignite_cell(c % w, c / w, (off + after).max(t)) {
                log.push(t, EventKind::HazardEnded, &fire.id, format!("{e}"));
            }
        }
    }
    let u20 = weather.wind_speed_m_s / U10_PER_U20;
    let from = weather.wind_from_deg;
    for fire in &mut fires.fires {
        let report = match fire.sim.advance(
            t,
            dt,
            |_, _, _| (u20, from),
            rng.get(RngPurpose::FireSpotting),
        ) {
            Ok(r) => r,
            Err(e) => {
                log.push(t, EventKind::HazardEnded, &fire.id, format!("{e}"));
                continue;
            }
        };
        for (&target, &source) in report.spot_fires.iter().zip(&report.spot_sources) {
            fire.pending_spots.push((target, source));
        }
        let spec = fire.sim.spec;
        for &cell in &report.ignited {
            let i = cell as usize;
            let at = fire.sim.arrival[i];
            let pos = spec.cell_center(i % spec.width, i / spec.width);
            fire.burned_cells += 1;
            fire.burning.push(cell);
            fire.max_flame_length_m = fire.max_flame_length_m.max(f64::from(fire.sim.flame[i]));
            if fire.sim.fire_type[i] > 0 {
                fire.crown_cells += 1;
            }
            if fire.sim.via[i] != NO_EDGE {
                continue;
            }
            if fire.ignition_cells.contains(&cell) {
                let what = if fire.started {
                    "A further ignition"
                } else {
                    "Wildland fire ignited"
                };
                fire.started = true;
                log.push_at(
                    at,
                    EventKind::HazardStarted,
                    &fire.id,
                    format!("{what} at ({:.0}, {:.0}).", pos[0], pos[1]),
                    pos,
                );
            } else if let Some(k) = fire.pending_spots.iter().position(|p| p.0 == cell) {
                let source = fire.pending_spots[k].1 as usize;
                let src = spec.cell_center(source % spec.width, source / spec.width);
                let dist = (pos[0] - src[0]).hypot(pos[1] - src[1]);
                fire.spot_fires += 1;
                log.push_at(
                    at,
                    EventKind::SpotFireIgnited,
                    &fire.id,
                    format!(
                        "Spot fire ignited at ({:.0}, {:.0}), {dist:.0} m from its source.",
                        pos[0], pos[1]
                    ),
                    pos,
                );
                if crosses_barrier(&fire.sim, source, i) {
                    fire.barrier_crossings += 1;
                    log.push_at(
                        at,
                        EventKind::FirelineBreached,
                        &fire.id,
                        format!(
                            "Fire crossed a barrier by spotting: firebrand from ({:.0}, {:.0}) ignited ({:.0}, {:.0}).",
                            src[0], src[1], pos[0], pos[1]
                        ),
                        pos,
                    );
                }
            }
        }
        let arrival = &fire.sim.arrival;
        fire.pending_spots
            .retain(|p| !arrival[p.0 as usize].is_finite());
        let end = t + dt;
        let sim = &fire.sim;
        fire.burning.retain(|&c| {
            let i = c as usize;
            let tr = sim.beds[usize::from(sim.fuel[i])]
                .residence_time_s()
                .max(1.0);
            sim.arrival[i] + tr > end
        });
        if fire.started && !fire.ended && fire.burning.is_empty() && fire.sim.heap.is_empty() {
            fire.ended = true;
            let ha = fire.burned_cells as f64 * spec.cell_area() / 10_000.0;
            log.push(
                end,
                EventKind::HazardEnded,
                &fire.id,
                format!("Wildland fire burned out after {ha:.1} ha."),
            );
        }
    }
}

/// Adds the fire columns (sums over all fires; maximum flame length over all fires).
pub fn fire_metrics(fires: Res<'_, FireHazards>, mut row: ResMut<'_, MetricsRow>) {
    let mut area = 0.0;
    let mut active = 0usize;
    let mut flame = 0.0f64;
    let mut spots = 0u64;
    for f in &fires.fires {
        area += f.burned_cells as f64 * f.sim.spec.cell_area();
        active += f.burning.len();
        flame = flame.max(f.max_flame_length_m);
        spots += f.spot_fires;
    }
    row.set("fire_burned_area_m2", area);
    row.set("fire_active_front_cells", active as f64);
    row.set("fire_max_flame_length_m", flame);
    row.set("fire_spot_fires", spots as f64);
}

/// Rasters (all fires merged: values of the fire that arrived first), one perimeter
/// GeoJSON per fire under `fire/`, and the `"fire"` summary entry.
pub fn fire_outputs(world: &World, out: &mut RunOutputs) {
    let Some(fires) = world.get_resource::<FireHazards>() else {
        return;
    };
    let Some(first) = fires.fires.first() else {
        return;
    };
    let spec = first.sim.spec;
    let n = spec.len();
    let mut arrival = vec![f32::NAN; n];
    let mut intensity = vec![f32::NAN; n];
    let mut flame = vec![f32::NAN; n];
    let mut kind = vec![f32::NAN; n];
    let mut best = vec![f64::INFINITY; n];
    for f in &fires.fires {
        for i in 0..n {
            let a = f.sim.arrival[i];
            if a < best[i] {
                best[i] = a;
                arrival[i] = a as f32;
                intensity[i] = f.sim.intensity[i];
                flame[i] = f.sim.flame[i];
                kind[i] = f32::from(f.sim.fire_type[i]);
            }
        }
    }
    let mut push = |name: &str, data: Vec<f32>, range: Option<(f32, f32)>| {
        if let Some(grid) = Grid::from_vec(spec, data) {
            out.rasters.push(NamedRaster {
                name: name.into(),
                grid,
                ramp: Ramp::Heat,
                range,
            });
        }
    };
    push("fire_arrival_time_s", arrival, None);
    push("fire_fireline_intensity_kw_m", intensity, None);
    push("fire_flame_length_m", flame, None);
    push("fire_type", kind, Some((0.0, 2.0)));
    let mut entries = Vec::new();
    for f in &fires.fires {
        let t = f.sim.time_s();
        out.files.push((
            format!("fire/{}_perimeter.geojson", f.id),
            f.sim.perimeter_geojson(t),
        ));
        entries.push(json!({
            "id": f.id,
            "time_s": t,
            "burned_area_m2": f.burned_cells as f64 * spec.cell_area(),
            "crown_fire_area_m2": f.crown_cells as f64 * spec.cell_area(),
            "active_front_cells": f.burning.len(),
            "max_flame_length_m": f.max_flame_length_m,
            "spot_fires": f.spot_fires,
            "barrier_crossings": f.barrier_crossings,
        }));
    }
    out.summary
        .push(("fire".into(), json!({ "fires": entries })));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layer_code_maps_to_a_catalogue_model() {
        let cat = FuelCatalog::load_builtin().unwrap();
        let table = layer_to_catalogue(&cat).unwrap();
        assert_eq!(table.len(), FUEL_CODES.len());
        for (code, &i) in FUEL_CODES.iter().zip(&table) {
            let m = cat.by_index(usize::from(i)).unwrap();
            assert_eq!(m.code, catalogue_code(code));
            // Non-burnable layer codes stay non-burnable (barriers).
            assert_eq!(code.starts_with("NB"), !m.is_burnable(), "{code}");
        }
        assert_eq!(catalogue_code("2"), "FM2");
        assert_eq!(catalogue_code("GR2"), "GR2");
    }
}
