//! Bookmarks: name the current moment, list the moments, click one to go there
//! (`Command::SeekTo`, rewinding through the snapshots if needed). Saved per scenario
//! with the recent files ([`crate::settings::Store`]).

use std::path::PathBuf;

use crate::i18n::{fill, tr};
use crate::settings::{Bookmark, Store};
use crate::sim_thread::{Command, Frame};

/// Bookmarks panel state.
pub struct BookmarksPanel {
    /// The bookmarks, in time order.
    pub marks: Vec<Bookmark>,
    /// Name being typed.
    pub name: String,
    /// Where they are saved (`None`: not saved, e.g. no home folder).
    store: Option<(Store, PathBuf)>,
    /// Last load or save problem.
    pub message: Option<String>,
}

impl BookmarksPanel {
    /// Loads the bookmarks of `scenario` from `store`.
    pub fn new(store: Option<Store>, scenario: PathBuf) -> Self {
        let (marks, message) = store
            .as_ref()
            .map_or((Vec::new(), None), |s| s.bookmarks(&scenario));
        Self {
            marks,
            name: String::new(),
            store: store.map(|s| (s, scenario)),
            message,
        }
    }

    /// Adds a bookmark at `t_s` (the default name is the clock) and saves.
    pub fn add(&mut self, t_s: f64) {
        let name = match self.name.trim() {
            "" => super::clock(t_s),
            n => n.to_owned(),
        };
        self.marks
            .retain(|m| (m.t_s - t_s).abs() > 1e-9 || m.name != name);
        self.marks.push(Bookmark { name, t_s });
        self.marks.sort_by(|a, b| a.t_s.total_cmp(&b.t_s));
        self.name.clear();
        self.save();
    }

    fn save(&mut self) {
        if let Some((store, scenario)) = &self.store {
            self.message = store
                .save_bookmarks(scenario, &self.marks)
                .err()
                .map(|e| fill(tr("Could not save bookmarks: {}"), &[&e]));
        }
    }

    /// Draws the panel; returns the seek asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui, frame: &Frame) -> Vec<Command> {
        let mut out = Vec::new();
        ui.add(
            egui::TextEdit::singleline(&mut self.name)
                .hint_text(tr("bookmark name"))
                .desired_width(f32::INFINITY),
        );
        if ui.button(tr("Bookmark this moment")).clicked() {
            self.add(frame.t_s);
        }
        if self.marks.is_empty() {
            ui.weak(tr("No bookmarks yet."));
        }
        let mut remove = None;
        for (i, m) in self.marks.iter().enumerate() {
            ui.horizontal(|ui| {
                let clock = super::clock(m.t_s);
                if clock != m.name {
                    ui.monospace(clock);
                }
                if ui.link(&m.name).clicked() {
                    out.push(Command::SeekTo(m.t_s));
                }
                if ui.small_button("✖").on_hover_text(tr("delete")).clicked() {
                    remove = Some(i);
                }
            });
        }
        if let Some(i) = remove {
            self.marks.remove(i);
            self.save();
        }
        if let Some(m) = &self.message {
            ui.colored_label(egui::Color32::LIGHT_RED, m);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_sorts_names_and_persists() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store {
            dir: dir.path().to_path_buf(),
        };
        let scenario = PathBuf::from("/s/flood.ron");
        let mut p = BookmarksPanel::new(Some(store.clone()), scenario.clone());
        p.name = "breach".into();
        p.add(3600.0);
        p.add(600.0);
        assert_eq!(p.marks[0].name, "T+00:10:00");
        assert_eq!(p.marks[1].name, "breach");
        assert_eq!(p.message, None);
        let again = BookmarksPanel::new(Some(store), scenario);
        assert_eq!(again.marks, p.marks);
    }
}
