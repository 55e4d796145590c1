//! Time bar: play/pause, step, speed (1× to 600× and max), the simulated clock and a
//! timeline with markers: injects above (orange when fired, grey when pending), the
//! bookmarks below (blue diamonds) and the rewind snapshots as ticks (the shaded span is
//! how far back rewind reaches). Hovering a marker names it; a click seeks there (to
//! the marker's exact time when on one), backwards too.

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

/// Colour of a bookmark marker.
const BOOKMARK: Color32 = Color32::from_rgb(90, 170, 255);

/// A marker on the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    /// Time, s.
    pub t_s: f64,
    /// What hovering shows.
    pub label: String,
    /// Bookmark (below the bar) or inject (above).
    pub bookmark: bool,
}

/// The markers of `frame`'s injects and of `bookmarks` (name, time).
pub fn markers(frame: &Frame, bookmarks: &[(String, f64)]) -> Vec<Marker> {
    let injects = frame.view.injects.iter().filter_map(|i| {
        let t = i.fired_s.or(i.scheduled_s)?;
        let state = if i.fired_s.is_some() {
            tr("fired")
        } else {
            tr("pending")
        };
        Some(Marker {
            t_s: t,
            label: format!("{} {} · {} ({state})", i.id, super::clock(t), i.title),
            bookmark: false,
        })
    });
    let marks = bookmarks.iter().map(|(name, t)| Marker {
        t_s: *t,
        label: fill(tr("Bookmark: {} ({})"), &[name, &super::clock(*t)]),
        bookmark: true,
    });
    injects.chain(marks).collect()
}

/// The marker nearest `x` within `radius` points on a timeline `left..right` of a run
/// of `duration_s`.
pub fn marker_at(
    markers: &[Marker],
    x: f32,
    (left, right): (f32, f32),
    duration_s: f64,
    radius: f32,
) -> Option<&Marker> {
    let w = right - left;
    markers
        .iter()
        .map(|m| {
            let mx = left + w * (m.t_s / duration_s.max(1.0)).clamp(0.0, 1.0) as f32;
            ((mx - x).abs(), m)
        })
        .filter(|(d, _)| *d <= radius)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, m)| m)
}

/// Time at horizontal position `x` on a timeline spanning `left..right` for a run of
/// `duration_s`, clamped to the run.
pub fn time_at(x: f32, left: f32, right: f32, duration_s: f64) -> f64 {
    let w = (right - left).max(1.0);
    (f64::from(((x - left) / w).clamp(0.0, 1.0)) * duration_s).max(0.0)
}

impl TimeBar {
    /// Draws the bar with the `bookmarks` (name, time); returns the commands asked for.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        frame: &Frame,
        bookmarks: &[(String, f64)],
    ) -> Vec<Command> {
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
        let marks = markers(frame, bookmarks);
        let span = (rect.left(), rect.right());
        let near = |x: f32| marker_at(&marks, x, span, frame.duration_s, 5.0);
        let hovered = response
            .hover_pos()
            .and_then(|p| near(p.x))
            .map(|m| m.label.clone());
        let response = match hovered {
            Some(label) => response.on_hover_text(label),
            None => response.on_hover_text(tr("Click to go to that moment (rewind or forward)")),
        };
        self.paint(ui, rect, frame, &marks);
        if response.clicked()
            && let Some(p) = response.interact_pointer_pos()
        {
            let t = near(p.x).map_or_else(
                || time_at(p.x, rect.left(), rect.right(), frame.duration_s),
                |m| m.t_s,
            );
            out.push(Command::SeekTo(t));
        }
        out
    }

    fn paint(&self, ui: &egui::Ui, rect: Rect, frame: &Frame, marks: &[Marker]) {
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 3.0, Color32::from_gray(45));
        let d = frame.duration_s.max(1.0);
        let x_of = |t: f64| rect.left() + rect.width() * (t / d).clamp(0.0, 1.0) as f32;
        let done = Rect::from_min_max(rect.min, egui::pos2(x_of(frame.t_s), rect.max.y));
        painter.rect_filled(done, 3.0, Color32::from_rgb(60, 90, 130));
        // How far back rewind reaches: from the oldest snapshot to now.
        if let Some(&first) = frame.snapshot_times.first() {
            let span = Rect::from_min_max(
                egui::pos2(x_of(first), rect.max.y - 4.0),
                egui::pos2(x_of(frame.t_s), rect.max.y),
            );
            painter.rect_filled(span, 0.0, Color32::from_rgb(80, 120, 170));
        }
        for t in &frame.snapshot_times {
            let x = x_of(*t);
            painter.line_segment(
                [egui::pos2(x, rect.max.y - 4.0), egui::pos2(x, rect.max.y)],
                Stroke::new(1.0, Color32::from_gray(200)),
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
        for m in marks.iter().filter(|m| m.bookmark) {
            let c = egui::pos2(x_of(m.t_s), rect.max.y - 8.0);
            painter.add(egui::Shape::convex_polygon(
                vec![
                    c + Vec2::new(0.0, -5.0),
                    c + Vec2::new(4.0, 0.0),
                    c + Vec2::new(0.0, 5.0),
                    c + Vec2::new(-4.0, 0.0),
                ],
                BOOKMARK,
                Stroke::new(1.0, Color32::BLACK),
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
    use super::{Marker, marker_at, time_at};

    #[test]
    fn the_nearest_marker_within_reach_is_picked() {
        let m = |t_s: f64, label: &str| Marker {
            t_s,
            label: label.into(),
            bookmark: true,
        };
        let marks = [m(3600.0, "a"), m(3700.0, "b")];
        // 200 px for 4 h: 3600 s at x = 150, 3700 s at ≈ 151.4.
        let at = |x| marker_at(&marks, x, (100.0, 300.0), 14_400.0, 5.0).map(|m| m.label.clone());
        assert_eq!(at(149.0).as_deref(), Some("a"));
        assert_eq!(at(152.0).as_deref(), Some("b"));
        assert_eq!(at(170.0), None);
    }

    #[test]
    fn timeline_position_to_time() {
        assert!((time_at(150.0, 100.0, 300.0, 14_400.0) - 3_600.0).abs() < 1e-9);
        assert_eq!(time_at(0.0, 100.0, 300.0, 14_400.0), 0.0);
        assert_eq!(time_at(999.0, 100.0, 300.0, 14_400.0), 14_400.0);
    }
}
