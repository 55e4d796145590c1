//! `drillsim run`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use drillsim_engine::output::map::{DEFAULT_MAX_PX, MapRenderer, Scene, format_hhmm};
use drillsim_engine::output::{OutputError, write_run};
use drillsim_engine::sim::events::EventKind;
use drillsim_engine::{RunConfig, Simulation};
use indicatif::{ProgressBar, ProgressStyle};

use crate::{EXIT_FAILURE, EXIT_INVALID};

/// Arguments of `drillsim run`.
#[derive(Args)]
pub struct RunArgs {
    /// Scenario file (.ron).
    scenario: PathBuf,
    /// Output folder [default: runs/<scenario>-seed<N>]. An earlier run there is replaced.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Seed overriding the scenario's.
    #[arg(long)]
    seed: Option<u64>,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
    /// Write maps at key moments to OUT/maps/ even if the scenario is not an exercise
    /// [default: only for scenarios with injects, chains or objectives].
    #[arg(long, conflicts_with = "no_maps")]
    maps: bool,
    /// Write no maps (fastest).
    #[arg(long)]
    no_maps: bool,
    /// Interval of periodic maps, s (widened so that at most 12 are periodic).
    #[arg(long, default_value_t = 3600.0, value_name = "S")]
    map_interval: f64,
    /// Long side of the maps, px.
    #[arg(long, default_value_t = DEFAULT_MAX_PX, value_name = "PX")]
    map_px: u32,
}

/// Default output folder of a run.
pub fn default_out(scenario: &Path, seed: u64) -> PathBuf {
    let stem = scenario
        .file_stem()
        .map_or_else(|| "run".into(), |s| s.to_string_lossy().into_owned());
    PathBuf::from("runs").join(format!("{stem}-seed{seed}"))
}

/// Runs the command; returns the exit code.
pub fn run(args: &RunArgs) -> u8 {
    let started = Instant::now();
    let mut sim = match Simulation::from_file(
        &args.scenario,
        RunConfig {
            seed: args.seed,
            run_index: 0,
        },
    ) {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("{e}");
            return EXIT_INVALID;
        }
    };
    let seed = sim.run_info().seed;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.scenario, seed));
    let duration = sim.clock().duration_s;
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(duration.ceil() as u64);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {msg} [{bar:40}] {pos}/{len} s simulated, ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message(sim.scenario().scenario.meta.name.clone());
        bar
    });
    let s = &sim.scenario().scenario;
    let exercise = !(s.injects.is_empty() && s.chains.is_empty() && s.objectives.is_empty());
    let mut maps = (args.maps || (exercise && !args.no_maps))
        .then(|| MapRecorder::new(&sim, args.map_interval, args.map_px));
    while sim.step() {
        if let Some(b) = &bar {
            b.set_position(sim.time_s() as u64);
        }
        if let Some(m) = &mut maps {
            m.after_step(&sim);
        }
    }
    if let Some(m) = &mut maps {
        m.finish(&sim);
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let scenario = sim.scenario();
    match write_run(
        &sim,
        &out,
        scenario.scenario.run.outputs.png,
        scenario.scenario.run.outputs.ascii_grid,
    )
    .and_then(|summary| {
        if let Some(m) = &maps {
            m.write(&out)?;
        }
        Ok(summary)
    }) {
        Ok(summary) => {
            if !args.quiet {
                println!(
                    "ran \"{}\" (seed {seed}): {} s simulated in {} ticks, {} events, {:.2} s wall time",
                    summary.scenario,
                    summary.simulated_s,
                    summary.ticks,
                    sim.events().len(),
                    started.elapsed().as_secs_f64()
                );
                if let Some(m) = &maps {
                    println!("maps: {} in {}", m.shots.len(), out.join("maps").display());
                }
                println!("outputs: {}", out.display());
            }
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_FAILURE
        }
    }
}

/// At most this many maps per run (the final one included).
const MAX_MAPS: usize = 24;
/// At most this many periodic maps.
const MAX_PERIODIC: f64 = 12.0;
/// Event maps are at least this far apart, s (or 1/24 of the run if shorter): a burst
/// of events shares one map.
const MIN_GAP_S: f64 = 300.0;

/// One map taken during a run.
struct Shot {
    file: String,
    t_s: f64,
    reason: String,
    triggers: Vec<(EventKind, String)>,
    png: Vec<u8>,
}

/// Takes maps at key moments: every `interval_s` of simulated time, after injects,
/// chain links and first exceedances of levels of concern (a burst within
/// [`MIN_GAP_S`] shares one map), and at the end; at most [`MAX_MAPS`].
struct MapRecorder {
    renderer: MapRenderer,
    interval_s: f64,
    gap_s: f64,
    next_s: f64,
    seen: usize,
    pending: Vec<String>,
    triggers: Vec<(EventKind, String)>,
    shots: Vec<Shot>,
    failed: Option<String>,
}

impl MapRecorder {
    fn new(sim: &Simulation, interval_s: f64, max_px: u32) -> Self {
        let duration = sim.clock().duration_s;
        let wide = (duration / MAX_PERIODIC / 900.0).ceil() * 900.0;
        let interval_s = if interval_s.is_finite() && interval_s > 0.0 {
            interval_s.max(wide)
        } else {
            3600f64.max(wide)
        };
        Self {
            renderer: MapRenderer::new(sim.terrain(), max_px),
            interval_s,
            gap_s: MIN_GAP_S.min(duration / MAX_MAPS as f64),
            next_s: interval_s,
            seen: sim.events().len(),
            pending: Vec::new(),
            triggers: Vec::new(),
            shots: Vec::new(),
            failed: None,
        }
    }

    fn after_step(&mut self, sim: &Simulation) {
        let t = sim.time_s();
        for e in &sim.events()[self.seen..] {
            if matches!(
                e.kind,
                EventKind::InjectFired | EventKind::ChainFired | EventKind::LevelExceeded
            ) {
                let msg = e.message.trim_end_matches('.');
                self.pending.push(format!("{} {msg}", format_hhmm(e.t_s)));
                self.triggers.push((e.kind, e.subject.clone()));
            }
        }
        self.seen = sim.events().len();
        let periodic = t + 1e-9 >= self.next_s;
        if periodic {
            while self.next_s <= t + 1e-9 {
                self.next_s += self.interval_s;
            }
        }
        let gap_ok = self.shots.last().is_none_or(|s| t - s.t_s >= self.gap_s);
        let events_due = !self.pending.is_empty() && gap_ok;
        if (periodic || events_due) && self.shots.len() + 1 < MAX_MAPS {
            let mut reasons = Vec::new();
            if periodic {
                reasons.push(format!("every {} min", (self.interval_s / 60.0).round()));
            }
            if events_due {
                reasons.append(&mut self.pending);
            }
            let triggers = if events_due {
                std::mem::take(&mut self.triggers)
            } else {
                Vec::new()
            };
            self.shoot(sim, reasons.join("; "), triggers);
        }
    }

    fn finish(&mut self, sim: &Simulation) {
        let mut reasons = vec!["final state".to_owned()];
        reasons.append(&mut self.pending);
        let triggers = std::mem::take(&mut self.triggers);
        if self.shots.last().is_some_and(|s| s.t_s == sim.time_s()) {
            let last = self.shots.len() - 1;
            let shot = &mut self.shots[last];
            shot.reason = format!("{}; {}", shot.reason, reasons.join("; "));
            shot.triggers.extend(triggers);
        } else {
            self.shoot(sim, reasons.join("; "), triggers);
        }
    }

    fn shoot(&mut self, sim: &Simulation, reason: String, triggers: Vec<(EventKind, String)>) {
        let t_s = sim.time_s();
        match self.renderer.render(&Scene::from_sim(sim)).encode_png() {
            Ok(png) => {
                let min = (t_s / 60.0).floor() as u64;
                self.shots.push(Shot {
                    file: format!(
                        "map_{:02}_t{:02}h{:02}.png",
                        self.shots.len() + 1,
                        min / 60,
                        min % 60
                    ),
                    t_s,
                    reason,
                    triggers,
                    png,
                });
            }
            Err(e) => self.failed = Some(e.to_string()),
        }
    }

    /// Writes `out/maps/` (PNGs and `index.json`) through a temporary folder.
    fn write(&self, out: &Path) -> Result<(), OutputError> {
        let io = |action: &'static str, path: &Path| {
            let path = path.to_path_buf();
            move |source| OutputError::Io {
                action,
                path,
                source,
            }
        };
        let dir = out.join("maps");
        let tmp = out.join(format!(".maps.tmp-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(io("remove", &tmp))?;
        }
        std::fs::create_dir_all(&tmp).map_err(io("create", &tmp))?;
        let mut index = Vec::new();
        for s in &self.shots {
            let p = tmp.join(&s.file);
            std::fs::write(&p, &s.png).map_err(io("write", &p))?;
            let triggers: Vec<serde_json::Value> = s
                .triggers
                .iter()
                .map(|(k, subject)| serde_json::json!({"kind": k, "subject": subject}))
                .collect();
            index.push(serde_json::json!({
                "file": s.file, "t_s": s.t_s, "reason": s.reason, "triggers": triggers,
            }));
        }
        let mut doc = serde_json::json!({ "maps": index });
        if let Some(e) = &self.failed {
            doc["error"] = serde_json::json!(e);
        }
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
        let p = tmp.join("index.json");
        std::fs::write(&p, text).map_err(io("write", &p))?;
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(io("remove", &dir))?;
        }
        std::fs::rename(&tmp, &dir).map_err(io("rename into place", &dir))
    }
}
