//! The app: wires the panels to the simulation thread. It computes no physics.

use std::path::Path;

use drillsim_engine::output::terrain_rgba;
use drillsim_engine::{RunConfig, Simulation};

use crate::map::MapPanel;
use crate::sim_thread::{Command, SimThread};

/// Speeds offered, simulated seconds per wall second (`None` = as fast as possible).
const SPEEDS: [(&str, Option<f64>); 5] = [
    ("1×", Some(1.0)),
    ("10×", Some(10.0)),
    ("60×", Some(60.0)),
    ("600×", Some(600.0)),
    ("max", None),
];

/// The viewer application.
pub struct ViewerApp {
    title: String,
    state: Result<Loaded, String>,
}

struct Loaded {
    sim: SimThread,
    map: Option<MapPanel>,
    rgba: Vec<u8>,
    spec: drillsim_engine::world::GridSpec,
    speed: usize,
}

impl ViewerApp {
    /// Opens `scenario`; errors are shown in the window.
    pub fn open(scenario: &Path) -> Self {
        match Simulation::from_file(scenario, RunConfig::default()) {
            Ok(sim) => {
                let title = sim.scenario().scenario.meta.name.clone();
                let spec = sim.terrain().spec;
                let rgba = terrain_rgba(&sim.terrain().elevation);
                Self {
                    title,
                    state: Ok(Loaded {
                        sim: SimThread::spawn(sim),
                        map: None,
                        rgba,
                        spec,
                        speed: 2,
                    }),
                }
            }
            Err(e) => Self {
                title: scenario.display().to_string(),
                state: Err(e.to_string()),
            },
        }
    }
}

impl eframe::App for ViewerApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
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
        egui::Panel::top("time").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.strong(&self.title);
                ui.separator();
                if frame.playing {
                    if ui.button("‖ Pause").clicked() {
                        loaded.sim.send(Command::Pause);
                    }
                } else if ui.button("▶ Play").clicked() {
                    loaded.sim.send(Command::Play(SPEEDS[loaded.speed].1));
                }
                if ui.button("Step ›").clicked() {
                    loaded.sim.send(Command::Step);
                }
                for (i, (label, speed)) in SPEEDS.iter().enumerate() {
                    if ui.selectable_label(loaded.speed == i, *label).clicked() {
                        loaded.speed = i;
                        if frame.playing {
                            loaded.sim.send(Command::Play(*speed));
                        }
                    }
                }
                ui.separator();
                let t = frame.t_s;
                ui.monospace(format!(
                    "T+{:02}:{:02}:{:02} / {:.0} min",
                    (t / 3600.0) as u64,
                    (t / 60.0) as u64 % 60,
                    t as u64 % 60,
                    frame.duration_s / 60.0
                ));
            });
        });
        egui::Panel::right("info").show(ui, |ui| {
            ui.heading("Weather");
            ui.label(format!(
                "Wind {:.1} m/s from {:.0}°",
                frame.wind.0, frame.wind.1
            ));
            ui.label(format!("Rain {:.1} mm/h", frame.rain_mm_h));
            ui.separator();
            ui.heading("Events");
            egui::ScrollArea::vertical()
                .stick_to_bottom(true)
                .show(ui, |ui| {
                    for (t, msg) in &frame.events {
                        ui.label(format!("{t:>6.0} s  {msg}"));
                    }
                });
        });
        egui::CentralPanel::default().show(ui, |ui| {
            let map = loaded
                .map
                .get_or_insert_with(|| MapPanel::new(&ctx, loaded.spec, &loaded.rgba));
            map.ui(ui);
        });
        if frame.playing {
            ctx.request_repaint();
        }
    }
}
