//! The simulation on its own thread. The UI sends [`Command`]s and reads the latest
//! published [`Frame`]; it never waits for a tick.
//!
//! Rewind: the thread keeps engine snapshots every `snap_every_s` simulated seconds (a
//! bounded list: when it is full every other snapshot is dropped and the interval
//! doubles). Seeking back restores the nearest earlier snapshot and re-runs forward; the
//! snapshots after it are dropped, since the future may now differ (a live inject pushed
//! after the seek point is gone, as it never happened).

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use drillsim_engine::Simulation;
use drillsim_engine::agents::movement::remaining_path;
use drillsim_engine::agents::state::{AgentStatic, FacilityKind, Phase, Response, TaskKind};
use drillsim_engine::exercise::spec::InjectSpec;
use drillsim_engine::exercise::view::{Role, RoleView};

/// Commands from the UI.
#[derive(Clone, Debug)]
pub enum Command {
    /// Run continuously at the current speed.
    Play,
    /// Stop running.
    Pause,
    /// One tick (pauses).
    Step,
    /// Simulated seconds per wall second (`None` = as fast as possible).
    SetSpeed(Option<f64>),
    /// Go to simulated time `t` (backwards through snapshots, forwards by running).
    SeekTo(f64),
    /// Queue a live inject.
    PushInject(Box<InjectSpec>),
    /// Fire a scripted inject at the next tick.
    FireInject(String),
    /// Whose view the frame carries.
    SetRole(Role),
    /// Query every hazard value at a map point, m (answer in [`Frame::probe`]).
    Probe([f64; 2]),
    /// Which layers the map overlay composites (see `composite::Mask`).
    ShowLayers(crate::composite::Mask),
}

/// A team as the map and forces panel show it.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamFrame {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Position, m.
    pub pos: [f64; 2],
    /// Phase.
    pub phase: Phase,
    /// Label of the current task, if any.
    pub task: Option<String>,
    /// What the crew has met so far.
    pub exposure: CrewExposure,
    /// The route still ahead (position first, destination last); empty when not on a
    /// trip.
    pub route: Vec<[f64; 2]>,
    /// People on board while carrying or transporting them to a facility.
    pub people_aboard: f64,
}

/// A road edge as the map draws it (static: sent once, shared by every frame).
#[derive(Clone, Debug, PartialEq)]
pub struct RoadLine {
    /// Class (drawing width).
    pub class: drillsim_engine::agents::roads::RoadClass,
    /// Name (may be empty).
    pub name: String,
    /// Vertices, m.
    pub pts: Vec<[f64; 2]>,
    /// Bounding box: min x, min y, max x, max y, m.
    pub bbox: [f64; 4],
}

/// A population group as the map draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupFrame {
    /// Display name.
    pub name: String,
    /// Position, m.
    pub pos: [f64; 2],
    /// People in the group.
    pub people: f64,
    /// What it is doing.
    pub phase: drillsim_engine::agents::state::GroupPhase,
    /// The route still ahead while moving to a shelter (position first).
    pub route: Vec<[f64; 2]>,
}

/// A crew's exposure as the forces panel shows it (from the engine's `Exposure`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CrewExposure {
    /// Peak breathed concentration over the releases, mg/m³ (behind the respirator).
    pub gas_peak_mg_m3: f64,
    /// The AEGL-2 (injury) toxic load of some chemical was reached.
    pub toxic_injury: bool,
    /// Largest water depth met, m, and the largest flood hazard rating.
    pub max_depth_m: f64,
    /// Largest FD2320 hazard rating met.
    pub max_hr: f64,
    /// Thermal dose, (kW/m²)^(4/3)·s.
    pub thermal_dose: f64,
    /// Probability of death of a crew member from all causes (independent causes).
    pub p_dead: f64,
}

/// A facility with its occupancy.
#[derive(Clone, Debug, PartialEq)]
pub struct FacilityFrame {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Position, m.
    pub pos: [f64; 2],
    /// Kind.
    pub kind: FacilityKind,
    /// People inside (shelters) or patients (hospitals).
    pub inside: f64,
    /// People queued outside (shelters).
    pub queue: f64,
    /// Rations in stock (depots) or delivered (shelters).
    pub rations: f64,
    /// Sandbags in stock (depots).
    pub sandbags: f64,
}

/// Hazard overlays of one moment (RGBA, one pixel per terrain cell, row 0 = north).
#[derive(Debug, Default)]
pub struct Overlays {
    /// Versioned layer images (depth, hazard rating, gas, fire, thermal, overpressure),
    /// `None` for hazards the run does not have.
    pub layers: crate::layer_cache::LayerSet,
    /// Interval of the fire arrival isochrones drawn, s (runs with a wildland fire).
    pub fire_isochrone_s: Option<f64>,
}

/// What the UI shows of the simulation (read-only copy).
#[derive(Clone, Debug)]
pub struct Frame {
    /// Simulated time, s.
    pub t_s: f64,
    /// Duration, s.
    pub duration_s: f64,
    /// Running or paused.
    pub playing: bool,
    /// Current speed (`None` = max).
    pub speed: Option<f64>,
    /// Time being sought, s, while a seek runs forward.
    pub seeking: Option<f64>,
    /// Wind speed, m/s, and direction from, degrees.
    pub wind: (f64, f64),
    /// Rain, mm/h.
    pub rain_mm_h: f64,
    /// The role's view (events, injects, sensor readings, hazard-field flag).
    pub view: RoleView,
    /// Teams.
    pub teams: Vec<TeamFrame>,
    /// Facilities.
    pub facilities: Vec<FacilityFrame>,
    /// Road network (static, shared).
    pub roads: Arc<Vec<RoadLine>>,
    /// Closed road edges (bit `e % 64` of word `e / 64`).
    pub closed: Vec<u64>,
    /// Population groups (evacuees and people waiting).
    pub groups: Vec<GroupFrame>,
    /// Hazard overlays; `None` when the role may not see hazard fields.
    pub overlays: Option<Arc<Overlays>>,
    /// The map overlay: the layers shown composited into one image (contours only when
    /// the role may not see hazard fields).
    pub overlay: Option<crate::composite::Overlay>,
    /// Last error from a command (bad live inject, failed restore), if any.
    pub error: Option<String>,
    /// Simulated times of the snapshots held.
    pub snapshot_times: Vec<f64>,
    /// Metrics history for the charts (shared, copied only when it grows).
    pub history: Arc<crate::history::MetricsHistory>,
    /// Hazard values at the last probed point (controller view only).
    pub probe: Option<([f64; 2], drillsim_engine::sim::layers::PointHazards)>,
}

/// The simulation and its rewind buffer; driven synchronously (tests) or by the thread.
pub struct Core {
    sim: Simulation,
    snaps: Vec<(f64, Vec<u8>)>,
    snap_every_s: f64,
    max_snaps: usize,
    /// Memory budget of the snapshots, bytes (at least two are always kept).
    pub max_bytes: usize,
    /// Running or paused.
    pub playing: bool,
    /// Speed (`None` = max).
    pub speed: Option<f64>,
    role: Role,
    error: Option<String>,
    /// Time being sought, s (ticked by the thread, interruptible by Pause).
    target: Option<f64>,
    history: Arc<crate::history::MetricsHistory>,
    /// Layer images (recoloured when a frame is built).
    cache: Mutex<crate::layer_cache::LayerCache>,
    /// Last probed point.
    probe: Option<[f64; 2]>,
    /// Road network geometry.
    roads: Arc<Vec<RoadLine>>,
}

impl Core {
    /// Wraps `sim`, snapshotting every `snap_every_s` and keeping at most `max_snaps`
    /// (at least 2).
    pub fn new(sim: Simulation, snap_every_s: f64, max_snaps: usize) -> Self {
        let mut cache = crate::layer_cache::LayerCache::new(sim.terrain().spec);
        cache.set_contours(sim.terrain().elevation.data());
        cache.set_mask(crate::map::Layers::default().mask());
        let cache = Mutex::new(cache);
        let mut core = Self {
            sim,
            snaps: Vec::new(),
            snap_every_s: snap_every_s.max(1.0),
            max_snaps: max_snaps.max(2),
            max_bytes: DEFAULT_SNAPSHOT_BYTES,
            playing: false,
            speed: Some(60.0),
            role: Role::Controller,
            error: None,
            target: None,
            history: Arc::default(),
            cache,
            probe: None,
            roads: Arc::new(Vec::new()),
        };
        if let Some(st) = core.sim.world().get_resource::<AgentStatic>() {
            core.roads = Arc::new(st.net.edges.iter().map(road_line).collect());
        }
        core.take_snapshot();
        core
    }

    /// The simulation (read-only).
    #[cfg(test)]
    pub fn sim(&self) -> &Simulation {
        &self.sim
    }

    fn take_snapshot(&mut self) {
        match self.sim.snapshot() {
            Ok(bytes) => self.snaps.push((self.sim.time_s(), bytes)),
            Err(e) => self.error = Some(format!("snapshot failed: {e}")),
        }
        let bytes = |snaps: &[(f64, Vec<u8>)]| snaps.iter().map(|s| s.1.len()).sum::<usize>();
        while self.snaps.len() > 2
            && (self.snaps.len() > self.max_snaps || bytes(&self.snaps) > self.max_bytes)
        {
            // Keep the first and every other one after it; the spacing doubles.
            let mut i = 0;
            self.snaps.retain(|_| {
                i += 1;
                i % 2 == 1
            });
            self.snap_every_s *= 2.0;
        }
    }

    /// One tick; snapshots when due. Returns false once finished.
    pub fn tick(&mut self) -> bool {
        if !self.sim.step() {
            self.playing = false;
            return false;
        }
        if self.history.is_behind(&self.sim) {
            Arc::make_mut(&mut self.history).observe(&self.sim);
        }
        let last = self.snaps.last().map_or(f64::NEG_INFINITY, |s| s.0);
        if self.sim.time_s() - last >= self.snap_every_s - 1e-9 {
            self.take_snapshot();
        }
        true
    }

    /// Starts going to time `t_s`: rewinds at once to the nearest earlier snapshot if
    /// `t_s` is in the past; the rest is run by [`Core::advance_seek`].
    pub fn begin_seek(&mut self, t_s: f64) {
        let t_s = t_s.max(0.0);
        self.target = None;
        if t_s < self.sim.time_s() {
            let Some(i) = self.snaps.iter().rposition(|s| s.0 <= t_s + 1e-9) else {
                self.error = Some(format!("no snapshot before {t_s} s"));
                return;
            };
            if let Err(e) = self.sim.restore(&self.snaps[i].1) {
                self.error = Some(format!("rewind failed: {e}"));
                return;
            }
            self.snaps.truncate(i + 1);
            let rows = self.sim.series().rows.len();
            Arc::make_mut(&mut self.history).rewind_to(self.sim.time_s(), rows);
        }
        if self.sim.time_s() < t_s - 1e-9 {
            self.target = Some(t_s);
        }
    }

    /// One tick towards the seek target. Returns false once there (or finished).
    pub fn advance_seek(&mut self) -> bool {
        let target = self.target;
        match target {
            Some(t) if self.sim.time_s() < t - 1e-9 && self.tick() => true,
            _ => {
                self.target = None;
                false
            }
        }
    }

    /// Goes to time `t_s` (clamped to the run) before returning.
    #[cfg(test)]
    pub fn seek(&mut self, t_s: f64) {
        self.begin_seek(t_s);
        while self.advance_seek() {}
    }

    /// Applies a command.
    pub fn apply(&mut self, c: Command) {
        match c {
            Command::Play => self.playing = !self.sim.finished(),
            Command::Pause => {
                self.playing = false;
                self.target = None;
            }
            Command::Step => {
                self.playing = false;
                self.tick();
            }
            Command::SetSpeed(s) => self.speed = s,
            Command::SeekTo(t) => self.begin_seek(t),
            Command::PushInject(spec) => {
                if let Err(problems) = self.sim.push_inject(*spec) {
                    self.error = Some(
                        problems
                            .iter()
                            .map(|p| {
                                format!(
                                    "{}: expected {}, found {} ({})",
                                    p.path, p.expected, p.found, p.hint
                                )
                            })
                            .collect::<Vec<_>>()
                            .join("\n"),
                    );
                } else {
                    self.error = None;
                }
            }
            Command::FireInject(id) => {
                self.error = self.sim.fire_inject_now(&id).err();
            }
            Command::SetRole(r) => self.role = r,
            Command::Probe(p) => self.probe = Some(p),
            Command::ShowLayers(m) => self
                .cache
                .get_mut()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .set_mask(m),
        }
    }

    /// The frame of the current state.
    pub fn frame(&self) -> Frame {
        let sim = &self.sim;
        let w = sim.weather();
        let world = sim.world();
        let (teams, facilities) = match (
            world.get_resource::<Response>(),
            world.get_resource::<AgentStatic>(),
        ) {
            (Some(r), Some(st)) => (
                r.teams
                    .iter()
                    .map(|t| TeamFrame {
                        id: t.id.clone(),
                        name: t.name.clone(),
                        pos: t.pos,
                        phase: t.phase.clone(),
                        task: t
                            .task
                            .and_then(|i| r.tasks.get(i))
                            .map(|task| task.label.clone()),
                        exposure: crew_exposure(&t.exposure, &st.toxic),
                        route: t
                            .trip
                            .as_ref()
                            .map(|trip| remaining_path(&st.net, trip))
                            .unwrap_or_default(),
                        people_aboard: match (&t.phase, t.task.and_then(|k| r.tasks.get(k))) {
                            (Phase::Carrying, Some(task))
                                if matches!(
                                    task.kind,
                                    TaskKind::Carry(_) | TaskKind::Transport(_)
                                ) =>
                            {
                                t.load
                            }
                            _ => 0.0,
                        },
                    })
                    .collect(),
                st.facilities
                    .iter()
                    .enumerate()
                    .map(|(i, f)| FacilityFrame {
                        id: f.id.clone(),
                        name: f.name.clone(),
                        pos: f.pos,
                        kind: f.kind.clone(),
                        inside: r.sites.get(i).map_or(0.0, |s| s.inside),
                        queue: r.sites.get(i).map_or(0.0, |s| s.queue),
                        rations: r.sites.get(i).map_or(0.0, |s| s.rations),
                        sandbags: r.sites.get(i).map_or(0.0, |s| s.sandbags),
                    })
                    .collect(),
            ),
            _ => (Vec::new(), Vec::new()),
        };
        let (closed, groups) = match (
            world.get_resource::<Response>(),
            world.get_resource::<AgentStatic>(),
        ) {
            (Some(r), Some(st)) => (
                r.closed.clone(),
                r.groups
                    .iter()
                    .filter(|g| g.people > 0.0)
                    .map(|g| GroupFrame {
                        name: g.name.clone(),
                        pos: g.pos,
                        people: g.people,
                        phase: g.phase.clone(),
                        route: g
                            .trip
                            .as_ref()
                            .map(|trip| remaining_path(&st.net, trip))
                            .unwrap_or_default(),
                    })
                    .collect(),
            ),
            _ => (Vec::new(), Vec::new()),
        };
        let view = sim.role_view(self.role);
        let (overlays, overlay) = self.overlays(view.hazard_fields);
        let probe = self
            .probe
            .filter(|_| view.hazard_fields)
            .map(|p| (p, sim.hazard_layers().at(p[0], p[1])));
        Frame {
            t_s: sim.time_s(),
            duration_s: sim.clock().duration_s,
            playing: self.playing,
            speed: self.speed,
            seeking: self.target,
            wind: (w.wind_speed_m_s, w.wind_from_deg),
            rain_mm_h: w.rain_mm_h,
            view,
            overlays,
            overlay,
            teams,
            facilities,
            roads: Arc::clone(&self.roads),
            closed,
            groups,
            error: self.error.clone(),
            snapshot_times: self.snaps.iter().map(|s| s.0).collect(),
            history: Arc::clone(&self.history),
            probe,
        }
    }

    /// Recolours the layer images (only changed images get a new version) when the
    /// role may see hazard fields, and composites the overlay.
    fn overlays(
        &self,
        hazards: bool,
    ) -> (Option<Arc<Overlays>>, Option<crate::composite::Overlay>) {
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // While the run plays, large grids are recoloured at a bounded share of this
        // thread's time; a paused (or stopped) run always shows the current state.
        let running = self.playing || self.target.is_some();
        if !hazards {
            cache.refresh_now();
        } else if !running || cache.refresh_due() {
            cache.timed(|c| c.update(&self.sim.hazard_layers(), self.sim.time_s()));
        }
        cache.compose(hazards);
        let layers = hazards.then(|| {
            Arc::new(Overlays {
                layers: cache.set(),
                fire_isochrone_s: cache.fire_isochrone_s(),
            })
        });
        (layers, cache.overlay())
    }
}

/// The map's copy of road edge `e`.
fn road_line(e: &drillsim_engine::agents::roads::RoadEdge) -> RoadLine {
    let mut bbox = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for p in &e.geometry {
        bbox = [
            bbox[0].min(p[0]),
            bbox[1].min(p[1]),
            bbox[2].max(p[0]),
            bbox[3].max(p[1]),
        ];
    }
    RoadLine {
        class: e.class,
        name: e.name.clone(),
        pts: e.geometry.clone(),
        bbox,
    }
}

/// The panel's summary of a crew's exposure `e` (`toxic`: the releases' toxic data).
fn crew_exposure(
    e: &drillsim_engine::agents::exposure::Exposure,
    toxic: &[drillsim_engine::agents::exposure::ToxicData],
) -> CrewExposure {
    let survive =
        (1.0 - e.toxic_lethality(toxic)) * (1.0 - e.flood_lethality()) * (1.0 - e.fire_lethality());
    CrewExposure {
        gas_peak_mg_m3: e
            .toxic
            .iter()
            .map(|d| d.peak_kg_m3 * 1e6)
            .fold(0.0, f64::max),
        toxic_injury: e.toxic_injury(toxic) > 0.0,
        max_depth_m: e.max_depth_m,
        max_hr: e.max_hr,
        thermal_dose: e.thermal_dose,
        p_dead: 1.0 - survive,
    }
}

/// Default memory budget of the rewind snapshots: 512 MiB.
pub const DEFAULT_SNAPSHOT_BYTES: usize = 512 << 20;

/// Handle to the simulation thread.
pub struct SimThread {
    tx: Sender<Command>,
    frame: Arc<Mutex<Arc<Frame>>>,
}

impl SimThread {
    /// Starts the thread with `sim` (snapshots every 5 simulated minutes, at most 200
    /// and at most [`DEFAULT_SNAPSHOT_BYTES`]).
    pub fn spawn(sim: Simulation) -> Self {
        Self::spawn_core(Core::new(sim, 300.0, 200))
    }

    /// Starts the thread with a prepared core.
    pub fn spawn_core(core: Core) -> Self {
        let (tx, rx) = channel();
        let frame = Arc::new(Mutex::new(Arc::new(core.frame())));
        let shared = Arc::clone(&frame);
        thread::spawn(move || run(core, &rx, &shared));
        Self { tx, frame }
    }

    /// Sends a command (ignored if the thread has stopped).
    pub fn send(&self, c: Command) {
        let _ = self.tx.send(c);
    }

    /// The latest frame (a cheap shared pointer).
    pub fn frame(&self) -> Arc<Frame> {
        self.frame
            .lock()
            .map_or_else(|p| Arc::clone(&p.into_inner()), |f| Arc::clone(&f))
    }
}

/// Wall time between two frames published while running flat out.
const PUBLISH_EVERY: Duration = Duration::from_millis(33);

fn run(mut core: Core, rx: &Receiver<Command>, shared: &Mutex<Arc<Frame>>) {
    let mut last_publish = Instant::now();
    loop {
        // Drain commands; block while paused.
        let mut changed = false;
        loop {
            let c = if core.playing || core.target.is_some() || changed {
                match rx.try_recv() {
                    Ok(c) => c,
                    Err(std::sync::mpsc::TryRecvError::Empty) => break,
                    Err(std::sync::mpsc::TryRecvError::Disconnected) => return,
                }
            } else {
                match rx.recv() {
                    Ok(c) => c,
                    Err(_) => return, // the UI is gone
                }
            };
            core.apply(c);
            changed = true;
        }
        let started = Instant::now();
        if core.target.is_some() {
            core.advance_seek();
            changed = true;
        } else if core.playing {
            core.tick();
            changed = true;
        }
        let flat_out = core.target.is_some() || (core.playing && core.speed.is_none());
        let due = !flat_out || last_publish.elapsed() >= PUBLISH_EVERY;
        if changed && due {
            let f = Arc::new(core.frame());
            if let Ok(mut slot) = shared.lock() {
                *slot = f;
            }
            last_publish = Instant::now();
        }
        if core.playing
            && core.target.is_none()
            && let Some(s) = core.speed
        {
            let wait = Duration::from_secs_f64((core.sim.clock().tick_s / s).min(1.0));
            if let Some(rest) = wait.checked_sub(started.elapsed()) {
                thread::sleep(rest);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use drillsim_engine::RunConfig;
    use drillsim_engine::exercise::spec::Effect;

    fn flagship() -> Simulation {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../scenarios/flagship_flood_chlorine.ron"
        );
        Simulation::from_file(std::path::Path::new(path), RunConfig::default()).unwrap()
    }

    #[test]
    fn seek_back_matches_a_fresh_run() {
        let mut core = Core::new(flagship(), 120.0, 100);
        core.seek(900.0);
        core.seek(350.0);
        let mut fresh = flagship();
        fresh.run_until(350.0);
        assert!((core.sim().time_s() - fresh.time_s()).abs() < 1e-9);
        assert_eq!(core.sim().events(), fresh.events());
        assert!(core.sim().snapshot().unwrap() == fresh.snapshot().unwrap());
        // Forward again from the rewound state reaches the same state as a fresh run.
        core.seek(900.0);
        fresh.run_until(900.0);
        assert_eq!(core.sim().events(), fresh.events());
    }

    #[test]
    fn pause_interrupts_a_seek() {
        let mut core = Core::new(flagship(), 300.0, 10);
        core.apply(Command::SeekTo(3000.0));
        assert_eq!(core.frame().seeking, Some(3000.0));
        assert!(core.advance_seek() && core.advance_seek());
        core.apply(Command::Pause);
        let f = core.frame();
        assert_eq!(f.seeking, None);
        assert!(f.t_s > 0.0 && f.t_s < 3000.0);
        assert!(!core.advance_seek());
    }

    #[test]
    fn snapshot_memory_is_bounded() {
        let mut core = Core::new(flagship(), 30.0, 4);
        core.seek(600.0);
        assert!(core.snaps.len() <= 4, "{} snapshots", core.snaps.len());
        assert_eq!(core.snaps[0].0, 0.0);
        core.seek(100.0);
        let mut fresh = flagship();
        fresh.run_until(100.0);
        assert_eq!(core.sim().events(), fresh.events());
    }

    #[test]
    fn snapshot_bytes_are_bounded() {
        let mut core = Core::new(flagship(), 30.0, 1000);
        let one = core.snaps[0].1.len();
        core.max_bytes = one * 5;
        core.seek(900.0);
        let total: usize = core.snaps.iter().map(|s| s.1.len()).sum();
        assert!(total <= core.max_bytes, "{total} bytes > 5 × {one}");
        assert!(core.snaps.len() >= 2);
        core.seek(200.0);
        let mut fresh = flagship();
        fresh.run_until(200.0);
        assert_eq!(core.sim().events(), fresh.events());
    }

    #[test]
    fn step_pause_play_and_role() {
        let mut core = Core::new(flagship(), 300.0, 10);
        core.apply(Command::Play);
        assert!(core.playing);
        core.apply(Command::Step);
        assert!(!core.playing);
        assert!(core.frame().t_s > 0.0);
        assert!(
            core.frame()
                .view
                .injects
                .iter()
                .any(|i| i.fired_s.is_none())
        );
        core.apply(Command::SetRole(Role::Player));
        let f = core.frame();
        assert!(!f.view.hazard_fields);
        assert!(f.overlays.is_none());
        assert!(f.view.injects.iter().all(|i| i.fired_s.is_some()));
        assert!(f.view.injects.iter().all(|i| i.notes.is_empty()));
        core.apply(Command::SetRole(Role::Controller));
        let f = core.frame();
        assert!(f.view.hazard_fields);
        let o = f.overlays.as_ref().unwrap();
        let n = core.sim().terrain().spec.width * core.sim().terrain().spec.height;
        let len =
            |id: crate::layer_cache::LayerId| o.layers[id as usize].as_ref().map(|l| l.rgba.len());
        assert_eq!(
            len(crate::layer_cache::LayerId::Depth),
            Some(n * 4),
            "flagship has a flood"
        );
        assert_eq!(
            len(crate::layer_cache::LayerId::Gas),
            Some(n * 4),
            "and a chlorine release"
        );
    }

    #[test]
    fn overlay_follows_the_layers_shown_and_the_role() {
        use crate::composite::CONTOURS;
        use crate::layer_cache::LayerId;
        let mut core = Core::new(flagship(), 300.0, 10);
        core.seek(1800.0);
        let depth = 1 << LayerId::Depth as u8;
        core.apply(Command::ShowLayers(depth));
        let f = core.frame();
        let o = f.overlay.clone().unwrap();
        assert_eq!(o.mask, depth);
        // The overlay is exactly the depth image premultiplied: wherever the depth layer
        // is clear the overlay is clear, and where it is drawn the overlay is too.
        let img = f.overlays.as_ref().unwrap().layers[LayerId::Depth as usize]
            .clone()
            .unwrap();
        let drawn = img.rgba.chunks_exact(4).filter(|p| p[3] > 0).count();
        assert!(drawn > 0, "the flagship floods by T+30 min");
        for (a, b) in img.rgba.chunks_exact(4).zip(o.image.rgba.chunks_exact(4)) {
            assert_eq!(a[3], b[3]);
        }
        // Contours only: a new version over the whole map, and no water.
        core.apply(Command::ShowLayers(CONTOURS));
        let o2 = core.frame().overlay.unwrap();
        assert_eq!((o2.mask, o2.image.version), (CONTOURS, o.image.version + 1));
        assert_eq!(
            o2.image.band_since(Some(o.image.version)),
            Some(Some((
                0,
                img.rgba.len() / 4 / core.sim().terrain().spec.width - 1
            )))
        );
        assert!(
            o2.image.rgba.chunks_exact(4).any(|p| p[3] > 0),
            "the flagship has relief"
        );
        // The player may not see hazards: depth asked for, contours only shown.
        core.apply(Command::ShowLayers(depth | CONTOURS));
        core.apply(Command::SetRole(Role::Player));
        let f = core.frame();
        assert_eq!(f.overlay.unwrap().mask, CONTOURS);
        core.apply(Command::SetRole(Role::Controller));
        assert_eq!(core.frame().overlay.unwrap().mask, depth | CONTOURS);
    }

    #[test]
    fn crew_exposure_matches_the_engine_casualty_model() {
        use drillsim_engine::agents::exposure::{Casualties, Exposure, ToxicData};
        // The panel's probability of death must be the engine's expected deaths of one
        // person with the same exposure (independent causes).
        let toxic: Vec<ToxicData> = {
            let sim = flagship();
            sim.world()
                .get_resource::<AgentStatic>()
                .unwrap()
                .toxic
                .clone()
        };
        assert!(!toxic.is_empty(), "the flagship has a chlorine release");
        for (depth, v, load, heat) in [
            (0.0, 0.0, 0.0, 0.0),
            (1.2, 1.5, 0.0, 0.0),
            (0.3, 0.2, 1e7, 0.0),
            (0.0, 0.0, 0.0, 2000.0),
            (2.0, 2.5, 1e9, 800.0),
        ] {
            let mut e = Exposure {
                max_depth_m: depth,
                v_at_max_m_s: v,
                max_hv: depth * v,
                max_hr: drillsim_engine::agents::exposure::hazard_rating(depth, v),
                thermal_dose: heat,
                ..Exposure::default()
            };
            e.toxic = vec![Default::default(); toxic.len()];
            e.toxic[0].load = load;
            e.toxic[0].peak_kg_m3 = 1e-5;
            let c = crew_exposure(&e, &toxic);
            let want = Casualties::of(1.0, &e, &toxic).dead();
            assert!((c.p_dead - want).abs() < 1e-12, "{c:?} vs {want}");
            assert_eq!(c.toxic_injury, e.toxic_injury(&toxic) > 0.0);
            assert!((c.gas_peak_mg_m3 - 10.0).abs() < 1e-9);
        }
    }

    #[test]
    fn a_composed_release_starts_and_shows_on_the_gas_layer() {
        use crate::panels::injects::{Composer, LiveKind};
        use drillsim_engine::sim::events::EventKind;
        let mut core = Core::new(flagship(), 300.0, 10);
        let spec = core.sim().terrain().spec;
        let centre = spec.cell_center(spec.width / 2, spec.height / 2);
        let composer = Composer {
            kind: LiveKind::NewRelease,
            chemical: "ammonia".into(),
            rate_kg_s: 20.0,
            point: Some(centre),
            ..Composer::default()
        };
        core.apply(Command::PushInject(Box::new(composer.build().unwrap())));
        assert_eq!(core.frame().error, None);
        core.seek(600.0);
        let started = core
            .sim()
            .events()
            .iter()
            .find(|e| e.kind == EventKind::HazardStarted && e.subject == "ammonia (LIVE-1)");
        let started = started.expect("the live release started");
        assert!(started.t_s <= 120.0, "{started:?}");
        // Its plume is on the map: gas drawn within 300 m of the release point.
        let f = core.frame();
        let gas = f.overlays.as_ref().unwrap().layers[crate::layer_cache::LayerId::Gas as usize]
            .clone()
            .unwrap();
        let near = (0..spec.len()).any(|i| {
            let [x, y] = spec.cell_center(i % spec.width, i / spec.width);
            gas.rgba[i * 4 + 3] > 0 && (x - centre[0]).hypot(y - centre[1]) < 300.0
        });
        assert!(near, "no gas drawn near the live release");
    }

    #[test]
    fn roads_routes_and_flows_come_from_the_engine() {
        use crate::map_details::{Selection, lines};
        use crate::map_vectors::{flows, is_closed};
        use drillsim_engine::exercise::spec::RoadRef;
        let mut core = Core::new(flagship(), 300.0, 10);
        let f0 = core.frame();
        assert!(f0.roads.len() > 10, "the flagship has a road network");
        assert!((0..f0.roads.len()).all(|e| !is_closed(&f0.closed, e)));
        // A live closure at the middle of road 7's first segment closes road 7.
        let r = &f0.roads[7];
        let mid = [
            0.5 * (r.pts[0][0] + r.pts[1][0]),
            0.5 * (r.pts[0][1] + r.pts[1][1]),
        ];
        let mut close = InjectSpec {
            id: "LIVE-1".into(),
            title: "road closed".into(),
            description: String::new(),
            at_s: None,
            when: None,
            audience: Default::default(),
            expected_actions: Vec::new(),
            effects: vec![Effect::CloseRoad(RoadRef::Near(mid[0], mid[1]))],
            notes: String::new(),
        };
        core.apply(Command::PushInject(Box::new(close.clone())));
        core.apply(Command::Step);
        let f = core.frame();
        assert!(is_closed(&f.closed, 7), "road 7 closed");
        assert_eq!(
            (0..f.roads.len())
                .filter(|&e| is_closed(&f.closed, e))
                .count(),
            1
        );
        let text = lines(&f, &Selection::Road(7, mid));
        assert!(text.iter().any(|l| l == "Status: closed"), "{text:?}");
        close.id = "LIVE-2".into();
        close.effects = vec![Effect::OpenRoad(RoadRef::Near(mid[0], mid[1]))];
        core.apply(Command::PushInject(Box::new(close)));
        core.apply(Command::Step);
        assert!(!is_closed(&core.frame().closed, 7), "reopened");
        // Through the run: routes start at the team, and the moving groups drawn as
        // flows are exactly the engine's "people_evacuating" at the same moment.
        let (mut routes, mut flowing, mut most_moving) = (0, 0, 0.0f64);
        for t in (600..=7200).step_by(600) {
            core.seek(f64::from(t));
            let f = core.frame();
            for tm in f.teams.iter().filter(|tm| !tm.route.is_empty()) {
                routes += 1;
                assert!(tm.route.len() >= 2);
                let d = (tm.route[0][0] - tm.pos[0]).hypot(tm.route[0][1] - tm.pos[1]);
                assert!(d < 1e-6, "{} route starts {d} m away", tm.id);
            }
            let series = core.sim().series();
            let col = series
                .columns
                .iter()
                .position(|c| c == "people_evacuating")
                .unwrap();
            let row = series.rows.last().unwrap();
            assert_eq!(row[0], f.t_s, "a row at the frame's time");
            // Every moving group has a route, so the group flows sum to it.
            let moving: f64 = flows(&f.groups, &[]).map(|x| x.1).sum();
            assert!((moving - row[col]).abs() < 1e-9, "{moving} vs {}", row[col]);
            most_moving = most_moving.max(moving);
            flowing += usize::from(flows(&f.groups, &f.teams).next().is_some());
        }
        assert!(
            routes > 0 && flowing > 0,
            "routes {routes}, moments with flows {flowing}"
        );
        assert!(most_moving > 0.0, "some people evacuate on their own");
    }

    #[test]
    fn fire_and_push_injects() {
        let mut core = Core::new(flagship(), 300.0, 10);
        core.apply(Command::FireInject("I-07".into()));
        assert_eq!(core.frame().error, None);
        core.apply(Command::Step);
        let f = core.frame();
        let i07 = f.view.injects.iter().find(|i| i.id == "I-07").unwrap();
        assert!(i07.fired_s.is_some());
        core.apply(Command::FireInject("nope".into()));
        assert!(core.frame().error.is_some());
        let live = InjectSpec {
            id: "LIVE-1".into(),
            title: "wind shift".into(),
            description: String::new(),
            at_s: None,
            when: None,
            audience: Default::default(),
            expected_actions: Vec::new(),
            effects: vec![Effect::Weather {
                wind_speed_m_s: Some(9.0),
                wind_from_deg: Some(90.0),
                rain_mm_h: None,
                temperature_c: None,
                for_s: None,
            }],
            notes: String::new(),
        };
        core.apply(Command::PushInject(Box::new(live)));
        assert_eq!(core.frame().error, None);
        core.apply(Command::Step);
        let f = core.frame();
        assert!((f.wind.0 - 9.0).abs() < 1e-9 && (f.wind.1 - 90.0).abs() < 1e-9);
    }

    #[test]
    fn thread_publishes_without_blocking() {
        let t = SimThread::spawn_core(Core::new(flagship(), 300.0, 10));
        t.send(Command::SetSpeed(None));
        t.send(Command::SeekTo(200.0));
        let deadline = Instant::now() + Duration::from_secs(60);
        while (t.frame().t_s < 200.0 || t.frame().seeking.is_some()) && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(10));
        }
        assert!(t.frame().t_s >= 200.0);
        t.send(Command::SeekTo(50.0));
        while (t.frame().t_s > 100.0 || t.frame().seeking.is_some()) && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(10));
        }
        assert!((t.frame().t_s - 50.0).abs() < 1e-9);
    }
}
