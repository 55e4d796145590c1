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
#[path = "sim_thread_tests.rs"]
mod tests;
