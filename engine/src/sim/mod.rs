//! The simulation core: one bevy `World` and one `Schedule` per run, with system sets in
//! a fixed order per agent tick:
//!
//! `Inputs → Hazards → Chains → Exposure → Command → Movement → Actions → Metrics`
//!
//! The schedule runs on bevy's single-threaded executor (parallelism lives in rayon inside
//! hazard kernels and across batch runs) and is built with ambiguity detection set to
//! *error*: two systems that touch the same data without an order make
//! [`Simulation::from_scenario`] fail, so nondeterministic orderings cannot creep in.
//! Hazards sub-step with their own stable time step inside each tick.

pub mod activation;
pub mod clock;
pub mod events;
pub mod inputs;
pub mod layers;
pub mod metrics;
pub mod outputs;
pub mod snapshot;

use std::sync::Arc;

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings};

use crate::scenario::{Diagnostic, LoadedScenario, ScenarioError};
use crate::world::build::build_terrain;
use crate::world::rng::RngStreams;
use crate::world::terrain::Terrain;
use crate::world::weather::WeatherNow;
use clock::SimClock;
use events::{EventKind, EventLog, SimEvent};
use inputs::WeatherWatch;
use metrics::{MetricsRow, TimeSeries};
use outputs::{NamedRaster, OutputFn, OutputProviders, RunOutputs};
use snapshot::{ResourceSlot, SnapshotError, StateSlot};

/// The ordered phases of a tick.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SimSet {
    /// Injects and weather.
    Inputs,
    /// Flood, gas, fire, chemical fires.
    Hazards,
    /// Hazard-triggers-hazard links.
    Chains,
    /// Dose and casualties.
    Exposure,
    /// Dispatch.
    Command,
    /// Agents move.
    Movement,
    /// Agents act.
    Actions,
    /// Metrics and time series.
    Metrics,
}

/// Order of the hazards inside [`SimSet::Hazards`]: each runs after the one before, so
/// a hazard reads the fields of earlier ones as they are at the end of the tick.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HazardSet {
    /// Flood inundation.
    Flood,
    /// Gas dispersion and toxic dose.
    Gas,
    /// Wildland fire.
    Fire,
    /// Pool/jet fires, BLEVE, explosions.
    ChemFire,
}

/// Order of the metric collectors inside [`SimSet::Metrics`]; `Record` writes the row.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetricsSet {
    /// Weather columns.
    Weather,
    /// Flood columns.
    Flood,
    /// Gas columns.
    Gas,
    /// Fire columns.
    Fire,
    /// Chemical fire columns.
    ChemFire,
    /// Response (teams, people) columns.
    Agents,
    /// Objectives and sensors (read the columns above).
    Exercise,
    /// Appends the row to the time series.
    Record,
}

/// The loaded scenario, shared read-only by systems.
#[derive(Resource, Clone, Debug)]
pub struct ScenarioRes(pub Arc<LoadedScenario>);

/// Seed and run index of this run.
#[derive(Resource, Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunInfo {
    /// Master seed.
    pub seed: u64,
    /// Run index within a batch (0 for single runs).
    pub run_index: u64,
}

/// How to run a scenario.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunConfig {
    /// Overrides the scenario's seed.
    pub seed: Option<u64>,
    /// Index of the run within a batch.
    pub run_index: u64,
}

/// What a capability (hazard, agents, exercise) adds to a run.
pub struct SimBuilder<'a> {
    /// The world to insert resources and entities into.
    pub world: &'a mut World,
    /// The schedule to add systems to (in a [`SimSet`]).
    pub schedule: &'a mut Schedule,
    slots: &'a mut Vec<Box<dyn StateSlot>>,
}

impl SimBuilder<'_> {
    /// Registers resource `R` as snapshot state under `name`.
    pub fn snapshot_resource<R>(&mut self, name: &'static str)
    where
        R: Resource + serde::Serialize + serde::de::DeserializeOwned,
    {
        self.slots.push(Box::new(ResourceSlot::<R>::new(name)));
    }

    /// Registers a function that adds this capability's rasters, files and summary
    /// entries to the run's outputs.
    pub fn add_outputs(&mut self, f: OutputFn) {
        self.world
            .get_resource_or_init::<OutputProviders>()
            .0
            .push(f);
    }

    /// The scenario being built.
    pub fn scenario(&self) -> Arc<LoadedScenario> {
        Arc::clone(&self.world.resource::<ScenarioRes>().0)
    }
}

/// A running simulation of one scenario and seed.
pub struct Simulation {
    world: World,
    schedule: Schedule,
    slots: Vec<Box<dyn StateSlot>>,
    scenario_hash: u64,
}

impl std::fmt::Debug for Simulation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulation")
            .field("t_s", &self.time_s())
            .field("scenario_hash", &self.scenario_hash)
            .finish_non_exhaustive()
    }
}

impl Simulation {
    /// Builds a run of a loaded scenario: terrain, resources and the schedule.
    pub fn from_scenario(loaded: LoadedScenario, config: RunConfig) -> Result<Self, ScenarioError> {
        let terrain = build_terrain(&loaded)?;
        let problems = crate::hazards::check_inputs(&loaded, &terrain);
        if !problems.is_empty() {
            return Err(loaded.diagnose(problems));
        }
        let scenario_hash = loaded.text_hash();
        let file = loaded.file.clone();
        let run = loaded.scenario.run.clone();
        let seed = config.seed.unwrap_or(run.seed);
        let mut world = World::new();
        let mut schedule = Schedule::default();
        schedule.set_build_settings(ScheduleBuildSettings {
            ambiguity_detection: LogLevel::Error,
            ..ScheduleBuildSettings::default()
        });
        schedule.configure_sets(
            (
                SimSet::Inputs,
                SimSet::Hazards,
                SimSet::Chains,
                SimSet::Exposure,
                SimSet::Command,
                SimSet::Movement,
                SimSet::Actions,
                SimSet::Metrics,
            )
                .chain(),
        );
        schedule.configure_sets(
            (
                HazardSet::Flood,
                HazardSet::Gas,
                HazardSet::Fire,
                HazardSet::ChemFire,
            )
                .chain()
                .in_set(SimSet::Hazards),
        );
        schedule.configure_sets(
            (
                MetricsSet::Weather,
                MetricsSet::Flood,
                MetricsSet::Gas,
                MetricsSet::Fire,
                MetricsSet::ChemFire,
                MetricsSet::Agents,
                MetricsSet::Exercise,
                MetricsSet::Record,
            )
                .chain()
                .in_set(SimSet::Metrics),
        );
        let weather = WeatherNow::at(&loaded.scenario.weather, 0.0);
        let loaded_hazards = loaded.scenario.hazards.clone();
        world.insert_resource(terrain);
        world.insert_resource(ScenarioRes(Arc::new(loaded)));
        world.insert_resource(RunInfo {
            seed,
            run_index: config.run_index,
        });
        world.insert_resource(SimClock::new(run.tick_s, run.duration_s));
        world.insert_resource(RngStreams::new(seed, config.run_index));
        world.insert_resource(weather);
        world.insert_resource(WeatherWatch::default());
        world.insert_resource(inputs::WeatherOverride::default());
        world.insert_resource(activation::HazardActivation::from_hazards(&loaded_hazards));
        world.insert_resource(EventLog::default());
        world.insert_resource(MetricsRow::default());
        world.insert_resource(TimeSeries::new(run.outputs.timeseries_interval_s));
        world.insert_resource(OutputProviders::default());
        let mut slots: Vec<Box<dyn StateSlot>> = Vec::new();
        {
            let mut b = SimBuilder {
                world: &mut world,
                schedule: &mut schedule,
                slots: &mut slots,
            };
            b.snapshot_resource::<SimClock>("clock");
            b.snapshot_resource::<RngStreams>("rng");
            b.snapshot_resource::<WeatherNow>("weather");
            b.snapshot_resource::<WeatherWatch>("weather_watch");
            b.snapshot_resource::<inputs::WeatherOverride>("weather_override");
            b.snapshot_resource::<activation::HazardActivation>("activation");
            b.snapshot_resource::<EventLog>("events");
            b.snapshot_resource::<TimeSeries>("timeseries");
            b.schedule
                .add_systems(inputs::update_weather.in_set(SimSet::Inputs));
            b.schedule
                .add_systems(metrics::weather_metrics.in_set(MetricsSet::Weather));
            b.schedule
                .add_systems(metrics::record_row.in_set(MetricsSet::Record));
            crate::hazards::install(&mut b);
            crate::agents::install(&mut b)?;
            crate::exercise::install(&mut b);
        }
        schedule.initialize(&mut world).map_err(|e| {
            ScenarioError::one(
                Diagnostic::new(
                    file,
                    format!("internal error: the simulation schedule is invalid: {e}"),
                )
                .hint("this is a bug in drillsim; please report it with the scenario"),
            )
        })?;
        let mut sim = Self {
            world,
            schedule,
            slots,
            scenario_hash,
        };
        let name = sim.scenario().scenario.meta.name.clone();
        sim.world.resource_mut::<EventLog>().push(
            0.0,
            EventKind::SimulationStarted,
            "",
            format!("Simulation of \"{name}\" started with seed {seed}."),
        );
        Ok(sim)
    }

    /// Loads the scenario at `path` and builds a run.
    pub fn from_file(path: &std::path::Path, config: RunConfig) -> Result<Self, ScenarioError> {
        Self::from_scenario(crate::scenario::load(path)?, config)
    }

    /// Advances one agent tick. Returns false (and does nothing) once finished.
    pub fn step(&mut self) -> bool {
        if self.world.resource::<SimClock>().finished() {
            return false;
        }
        self.schedule.run(&mut self.world);
        let mut clock = self.world.resource_mut::<SimClock>();
        clock.tick += 1;
        if clock.finished() {
            let t = clock.t_s();
            self.world.resource_mut::<EventLog>().push(
                t,
                EventKind::SimulationEnded,
                "",
                format!("Simulation ended at {t} s."),
            );
        }
        true
    }

    /// Steps until simulated time reaches at least `t_s` or the run ends.
    pub fn run_until(&mut self, t_s: f64) {
        while self.time_s() < t_s && self.step() {}
    }

    /// Runs to the end, calling `progress(t_s)` after each tick.
    pub fn run_to_end(&mut self, mut progress: impl FnMut(f64)) {
        while self.step() {
            progress(self.time_s());
        }
    }

    /// Current simulated time, s.
    pub fn time_s(&self) -> f64 {
        self.world.resource::<SimClock>().t_s()
    }

    /// The clock.
    pub fn clock(&self) -> &SimClock {
        self.world.resource::<SimClock>()
    }

    /// True once the whole duration has been simulated.
    pub fn finished(&self) -> bool {
        self.clock().finished()
    }

    /// The scenario being run.
    pub fn scenario(&self) -> &LoadedScenario {
        &self.world.resource::<ScenarioRes>().0
    }

    /// Seed and run index.
    pub fn run_info(&self) -> RunInfo {
        *self.world.resource::<RunInfo>()
    }

    /// Terrain and layers.
    pub fn terrain(&self) -> &Terrain {
        self.world.resource::<Terrain>()
    }

    /// Weather of the current tick.
    pub fn weather(&self) -> &WeatherNow {
        self.world.resource::<WeatherNow>()
    }

    /// Events so far.
    pub fn events(&self) -> &[SimEvent] {
        &self.world.resource::<EventLog>().events
    }

    /// Time series so far.
    pub fn series(&self) -> &TimeSeries {
        self.world.resource::<TimeSeries>()
    }

    /// The ECS world (read-only), for viewers and outputs.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// Hash of the scenario text.
    pub fn scenario_hash(&self) -> u64 {
        self.scenario_hash
    }

    /// Rasters, files and summary entries of the current state: terrain layers first,
    /// then every capability's in registration order.
    pub fn collect_outputs(&self) -> RunOutputs {
        let t = self.terrain();
        let mut out = RunOutputs::default();
        out.rasters.push(NamedRaster {
            name: "elevation_m".into(),
            grid: t.elevation.clone(),
            ramp: crate::world::raster::Ramp::Terrain,
            range: None,
        });
        out.rasters.push(NamedRaster {
            name: "manning_n".into(),
            grid: t.manning.clone(),
            ramp: crate::world::raster::Ramp::Viridis,
            range: None,
        });
        for f in &self.world.resource::<OutputProviders>().0 {
            f(&self.world, &mut out);
        }
        out
    }

    /// Queues a live inject (a trainer's wind shift, new release, road block, …): it is
    /// checked against the scenario now and fires at the start of the next tick, logged
    /// like a scripted one. Problems come back as located messages.
    pub fn push_inject(
        &mut self,
        inject: crate::exercise::spec::InjectSpec,
    ) -> Result<(), Vec<crate::scenario::problem::Problem>> {
        let mut problems = crate::exercise::check_live(&self.scenario().scenario, &inject);
        let ex = self
            .world
            .resource::<crate::exercise::state::ExerciseState>();
        if ex.inject(&inject.id).is_some() || ex.queued.iter().any(|q| q.id == inject.id) {
            problems.push(crate::scenario::problem::Problem::new(
                "inject.id",
                "an id no other inject uses",
                format!("\"{}\"", inject.id),
                "give the live inject a new id, e.g. \"LIVE-3\"",
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        self.world
            .resource_mut::<crate::exercise::state::ExerciseState>()
            .queued
            .push(inject);
        Ok(())
    }

    /// Fires scripted inject `id` at the start of the next tick, ahead of its time or
    /// condition. Fails for an unknown or already fired inject.
    pub fn fire_inject_now(&mut self, id: &str) -> Result<(), String> {
        let mut ex = self
            .world
            .resource_mut::<crate::exercise::state::ExerciseState>();
        let i = ex.inject(id).ok_or_else(|| format!("no inject \"{id}\""))?;
        if ex.injects[i].fired_s.is_some() {
            return Err(format!("inject \"{id}\" has already fired"));
        }
        if !ex.forced.contains(&i) {
            ex.forced.push(i);
        }
        Ok(())
    }

    /// What a role (controller or player) sees now.
    pub fn role_view(&self, role: crate::exercise::view::Role) -> crate::exercise::view::RoleView {
        crate::exercise::view::role_view(&self.world, role, self.time_s())
    }

    /// The exercise record now (injects, chain links, objective ratings with evidence).
    pub fn exercise_record(&self) -> Option<crate::exercise::record::ExerciseRecord> {
        let mut rec = crate::exercise::record(&self.world, self.time_s())?;
        crate::exercise::fill_evidence(&self.world, &mut rec);
        Some(rec)
    }

    /// The complete dynamic state as bytes.
    pub fn snapshot(&self) -> Result<Vec<u8>, SnapshotError> {
        snapshot::save(&self.world, &self.slots, self.scenario_hash)
    }

    /// Returns to the state of a snapshot of this scenario.
    pub fn restore(&mut self, bytes: &[u8]) -> Result<(), SnapshotError> {
        snapshot::load(&mut self.world, &self.slots, self.scenario_hash, bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Resource, Default)]
    struct Shared(u32);

    fn writer_a(mut s: ResMut<'_, Shared>) {
        s.0 += 1;
    }

    fn writer_b(mut s: ResMut<'_, Shared>) {
        s.0 *= 2;
    }

    fn schedule() -> Schedule {
        let mut schedule = Schedule::default();
        schedule.set_build_settings(ScheduleBuildSettings {
            ambiguity_detection: LogLevel::Error,
            ..ScheduleBuildSettings::default()
        });
        schedule.configure_sets((SimSet::Inputs, SimSet::Hazards).chain());
        schedule
    }

    /// Two systems writing the same resource in one set, unordered, are an error.
    #[test]
    fn ambiguous_systems_fail_the_build() {
        let mut world = World::new();
        world.init_resource::<Shared>();
        let mut s = schedule();
        s.add_systems((writer_a, writer_b).in_set(SimSet::Hazards));
        assert!(s.initialize(&mut world).is_err());
    }

    /// The same systems in ordered sets run in set order.
    #[test]
    fn ordered_sets_fix_the_order() {
        let mut world = World::new();
        world.init_resource::<Shared>();
        let mut s = schedule();
        s.add_systems(writer_b.in_set(SimSet::Hazards));
        s.add_systems(writer_a.in_set(SimSet::Inputs));
        s.initialize(&mut world).unwrap();
        s.run(&mut world);
        assert_eq!(world.resource::<Shared>().0, 2); // (0 + 1) * 2
    }
}
