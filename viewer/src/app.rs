//! The app: wires the panels to the simulation thread. It computes no physics.

use std::path::Path;

use drillsim_engine::output::terrain_rgba;
use drillsim_engine::{RunConfig, Simulation};

use crate::i18n::{fill, tr};
use crate::map::MapPanel;
use crate::panels::bookmarks::BookmarksPanel;
use crate::panels::charts::ChartsPanel;
use crate::panels::events::EventLogPanel;
use crate::panels::forces::ForcesPanel;
use crate::panels::injects::InjectsPanel;
use crate::panels::role::RoleSwitch;
use crate::panels::time_bar::TimeBar;
use crate::sim_thread::{Command, SimThread};

/// The viewer application.
pub struct ViewerApp {
    title: String,
    state: Result<Loaded, String>,
}

/// An open scenario and its panels.
pub struct Loaded {
    /// The simulation thread.
    pub sim: SimThread,
    map: Option<MapPanel>,
    rgba: Vec<u8>,
    spec: drillsim_engine::world::GridSpec,
    elevation: Vec<f32>,
    time_bar: TimeBar,
    role: RoleSwitch,
    /// Injects panel.
    pub injects: InjectsPanel,
    /// Event log.
    pub events: EventLogPanel,
    forces: ForcesPanel,
    /// Live / planner mode and the planner.
    pub planner: crate::planner::PlannerMode,
    /// Bookmarks (the shell gives them their store).
    pub bookmarks: BookmarksPanel,
    /// Charts.
    pub charts: ChartsPanel,
    /// Show the charts panel.
    pub charts_open: bool,
    /// Where the map was drawn last frame, points (for PNG export).
    pub map_rect: Option<egui::Rect>,
}

impl ViewerApp {
    /// Opens `scenario`; errors are shown in the window (the shell opens through
    /// `Shell::open`, which shows them on the start screen).
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn open(scenario: &Path) -> Self {
        match Simulation::from_file(scenario, RunConfig::default()) {
            Ok(sim) => Self::with_sim(sim),
            Err(e) => Self {
                title: scenario.display().to_string(),
                state: Err(e.to_string()),
            },
        }
    }

    /// Wraps a loaded simulation.
    pub fn with_sim(sim: Simulation) -> Self {
        let title = sim.scenario().scenario.meta.name.clone();
        let spec = sim.terrain().spec;
        let rgba = terrain_rgba(&sim.terrain().elevation);
        let planner = crate::planner::PlannerMode::new(sim.scenario().clone());
        let elevation = sim.terrain().elevation.data().to_vec();
        Self {
            title,
            state: Ok(Loaded {
                sim: SimThread::spawn(sim),
                map: None,
                rgba,
                spec,
                elevation,
                time_bar: TimeBar,
                role: RoleSwitch,
                injects: InjectsPanel::default(),
                events: EventLogPanel::default(),
                forces: ForcesPanel,
                planner,
                bookmarks: BookmarksPanel::new(None, std::path::PathBuf::new()),
                charts: ChartsPanel::default(),
                charts_open: true,
                map_rect: None,
            }),
        }
    }

    /// Layers shown on the map (once it has been drawn).
    #[cfg(test)]
    pub fn map_layers(&self) -> Option<crate::map::Layers> {
        self.state.as_ref().ok()?.map.as_ref().map(|m| m.layers)
    }

    /// Screen position of world point `p` on the map (once it has been drawn).
    #[cfg(test)]
    pub fn map_screen_pos(&self, p: [f64; 2]) -> Option<egui::Pos2> {
        self.state
            .as_ref()
            .ok()?
            .map
            .as_ref()
            .map(|m| m.screen_pos(p))
    }

    /// Screen rectangle of the map panel (once it has been drawn).
    #[cfg(test)]
    pub fn map_rect(&self) -> Option<egui::Rect> {
        self.state.as_ref().ok()?.map.as_ref().map(|m| m.panel_rect)
    }

    /// Title (scenario name).
    #[cfg(test)]
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The open scenario, or the error that kept it from opening.
    pub fn loaded(&self) -> Result<&Loaded, &str> {
        self.state.as_ref().map_err(String::as_str)
    }

    /// The open scenario, mutable.
    pub fn loaded_mut(&mut self) -> Option<&mut Loaded> {
        self.state.as_mut().ok()
    }

    /// Seeks to `at_s` and/or starts playing (command-line options).
    pub fn start(&self, at_s: Option<f64>, play: bool) {
        if let Ok(l) = &self.state {
            if let Some(t) = at_s {
                l.sim.send(Command::SeekTo(t));
            }
            if play {
                l.sim.send(Command::Play);
            }
        }
    }

    /// Draws the whole window into `ui`.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let loaded = match &mut self.state {
            Ok(l) => l,
            Err(e) => {
                egui::CentralPanel::default().show(ui, |ui| {
                    ui.heading(&self.title);
                    ui.label(
                        egui::RichText::new(e.as_str())
                            .monospace()
                            .color(egui::Color32::LIGHT_RED),
                    );
                });
                return;
            }
        };
        let frame = loaded.sim.frame();
        let mut commands: Vec<Command> = Vec::new();
        egui::Panel::top("time").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.strong(&self.title);
                ui.separator();
                loaded.planner.switch_ui(ui);
                ui.separator();
                if loaded.planner.mode == crate::planner::Mode::Planner {
                    // The time bar and the live controls belong to the exercise; the
                    // planner only says where the live run stands.
                    let state = if frame.playing {
                        tr("playing")
                    } else {
                        tr("paused")
                    };
                    ui.weak(fill(
                        tr("Live run at {} ({})"),
                        &[&crate::panels::clock(frame.t_s), state],
                    ));
                    return;
                }
                commands.extend(loaded.role.ui(ui, &frame));
                ui.separator();
                ui.label(fill(
                    tr("Wind {} m/s from {}° · rain {} mm/h"),
                    &[
                        &format!("{:.1}", frame.wind.0),
                        &format!("{:.0}", frame.wind.1),
                        &format!("{:.1}", frame.rain_mm_h),
                    ],
                ));
            });
            if loaded.planner.mode == crate::planner::Mode::Planner {
                return;
            }
            let marks: Vec<(String, f64)> = loaded
                .bookmarks
                .marks
                .iter()
                .map(|m| (m.name.clone(), m.t_s))
                .collect();
            commands.extend(loaded.time_bar.ui(ui, &frame, &marks));
        });
        if loaded.planner.show(ui, loaded.spec, &loaded.rgba) {
            for c in commands {
                loaded.sim.send(c);
            }
            return;
        }
        // The side panel is bounded so the map keeps most of the window; wide tables
        // scroll sideways.
        let max_side = (ui.available_width() * 0.4).max(320.0);
        egui::Panel::right("side")
            .resizable(true)
            .default_size(max_side.min(460.0))
            .max_size(max_side)
            .show(ui, |ui| {
                egui::ScrollArea::both().id_salt("side").show(ui, |ui| {
                    egui::CollapsingHeader::new(tr("Injects (MSEL)"))
                        .id_salt("injects")
                        .default_open(true)
                        .show(ui, |ui| commands.extend(loaded.injects.ui(ui, &frame)));
                    egui::CollapsingHeader::new(tr("Forces"))
                        .id_salt("forces")
                        .default_open(true)
                        .show(ui, |ui| loaded.forces.ui(ui, &frame));
                    egui::CollapsingHeader::new(tr("Event log"))
                        .id_salt("events")
                        .default_open(true)
                        .show(ui, |ui| loaded.events.ui(ui, &frame));
                });
            });
        if loaded.charts_open {
            egui::Panel::bottom("charts")
                .resizable(true)
                .default_size(200.0)
                .show(ui, |ui| {
                    egui::Panel::right("bookmarks")
                        .default_size(220.0)
                        .show(ui, |ui| {
                            ui.strong(tr("Bookmarks"));
                            egui::ScrollArea::vertical()
                                .id_salt("bookmarks")
                                .show(ui, |ui| commands.extend(loaded.bookmarks.ui(ui, &frame)));
                        });
                    loaded.charts.ui(ui, &frame);
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            loaded.map_rect = Some(ui.max_rect());
            let map = loaded.map.get_or_insert_with(|| {
                let mut m = MapPanel::new(&ctx, loaded.spec, &loaded.rgba);
                m.set_contours(&loaded.elevation);
                m
            });
            if let Some(p) = map.ui(ui, &frame) {
                loaded.injects.composer.point = Some(p);
                commands.push(Command::Probe(p));
            }
            commands.extend(map.layers_command().map(Command::ShowLayers));
        });
        for c in commands {
            loaded.sim.send(c);
        }
        if frame.playing {
            ctx.request_repaint();
        } else {
            ctx.request_repaint_after(std::time::Duration::from_millis(200));
        }
    }
}

impl eframe::App for ViewerApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_reports_errors_and_loads_the_flagship() {
        let bad = ViewerApp::open(Path::new("no/such/scenario.ron"));
        assert!(bad.loaded().is_err());
        let app = ViewerApp::open(&crate::fixtures::scenario_path(
            "flagship_flood_chlorine.ron",
        ));
        assert!(app.loaded().is_ok());
        assert!(!app.title().is_empty());
    }
}
