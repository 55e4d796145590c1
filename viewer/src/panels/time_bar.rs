//! Time bar: play/pause, step, speed (1× to 600× and max), the simulated clock and a
//! timeline with inject markers; a click on the timeline seeks there (rewind included).

use egui::{Color32, Rect, Sense, Stroke, Vec2};

use crate::i18n::{fill, tr};
use crate::sim_thread::{Command, Frame};

/// Speeds offered, simulated seconds per wall second (`None` = as fast as possible).
pub const SPEEDS: [(&str, Option<f64>); 6] = [
    ("1×", Some(1.0)),
    ("10×", Some(10.0)),
    ("60×", Some(60.0)),
    ("120×", Some(120.0)),
    ("600×", Some(600.0)),
    ("max", None),
];

/// Time bar state.
#[derive(Default)]
pub struct TimeBar;

/// Time at horizontal position `x` on a timeline spanning `left..right` for a run of
/// `duration_s`, clamped to the run.
pub fn time_at(x: f32, left: f32, right: f32, duration_s: f64) -> f64 {
    let w = (right - left).max(1.0);
    (f64::from(((x - left) / w).clamp(0.0, 1.0)) * duration_s).max(0.0)
}

impl TimeBar {
    /// Draws the bar; returns the commands asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui, frame: &Frame) -> Vec<Command> {
        let mut out = Vec::new();
        ui.horizontal(|ui| {
            if frame.playing {
                if ui.button(tr("‖ Pause")).clicked() {
                    out.push(Command::Pause);
                }
            } else if ui.button(tr("▶ Play")).clicked() {
                out.push(Command::Play);
            }
            if ui.button(tr("Step ›")).clicked() {
                out.push(Command::Step);
            }
            ui.separator();
            for (label, speed) in SPEEDS {
                if ui
                    .selectable_label(frame.speed == speed, tr(label))
                    .clicked()
                {
                    out.push(Command::SetSpeed(speed));
                }
            }
            ui.separator();
            ui.monospace(format!(
                "{} / {}",
                super::clock(frame.t_s),
                super::clock(frame.duration_s)
            ));
            if let Some(t) = frame.seeking {
                ui.spinner();
                ui.label(fill(tr("going to {} (Pause stops)"), &[&super::clock(t)]));
            }
        });
        let width = ui.available_width();
        let (rect, response) = ui.allocate_exact_size(Vec2::new(width, 22.0), Sense::click());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Slider, true, "timeline"));
        let response = response.on_hover_text(tr("Click to go to that moment (rewind or forward)"));
        self.paint(ui, rect, frame);
        if response.clicked()
            && let Some(p) = response.interact_pointer_pos()
        {
            out.push(Command::SeekTo(time_at(
                p.x,
                rect.left(),
                rect.right(),
                frame.duration_s,
            )));
        }
        out
    }

    fn paint(&self, ui: &egui::Ui, rect: Rect, frame: &Frame) {
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 3.0, Color32::from_gray(45));
        let d = frame.duration_s.max(1.0);
        let x_of = |t: f64| rect.left() + rect.width() * (t / d).clamp(0.0, 1.0) as f32;
        let done = Rect::from_min_max(rect.min, egui::pos2(x_of(frame.t_s), rect.max.y));
        painter.rect_filled(done, 3.0, Color32::from_rgb(60, 90, 130));
        for t in &frame.snapshot_times {
            let x = x_of(*t);
            painter.line_segment(
                [egui::pos2(x, rect.max.y - 4.0), egui::pos2(x, rect.max.y)],
                Stroke::new(1.0, Color32::from_gray(140)),
            );
        }
        for i in &frame.view.injects {
            let Some(t) = i.fired_s.or(i.scheduled_s) else {
                continue;
            };
            let x = x_of(t);
            let colour = if i.fired_s.is_some() {
                Color32::from_rgb(230, 160, 40)
            } else {
                Color32::from_gray(200)
            };
            painter.add(egui::Shape::convex_polygon(
                vec![
                    egui::pos2(x, rect.min.y + 10.0),
                    egui::pos2(x - 4.0, rect.min.y + 2.0),
                    egui::pos2(x + 4.0, rect.min.y + 2.0),
                ],
                colour,
                Stroke::NONE,
            ));
        }
        let x = x_of(frame.t_s);
        painter.line_segment(
            [egui::pos2(x, rect.min.y), egui::pos2(x, rect.max.y)],
            Stroke::new(2.0, Color32::WHITE),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::time_at;

    #[test]
    fn timeline_position_to_time() {
        assert!((time_at(150.0, 100.0, 300.0, 14_400.0) - 3_600.0).abs() < 1e-9);
        assert_eq!(time_at(0.0, 100.0, 300.0, 14_400.0), 0.0);
        assert_eq!(time_at(999.0, 100.0, 300.0, 14_400.0), 14_400.0);
    }
}
