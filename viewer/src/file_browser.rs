//! File ▸ Open…: a small in-app file browser (folders, `.ron` filter, typed path).
//!
//! Why not a native dialog: the native ones (rfd) need GTK or the XDG desktop portal
//! over D-Bus at run time, which a bare Linux machine, a container or Xvfb lacks; this
//! one works everywhere egui does and can be driven by the UI tests.

use std::path::{Path, PathBuf};

use crate::i18n::{fill, tr};

/// Browser state.
pub struct FileBrowser {
    /// Folder shown.
    pub dir: PathBuf,
    /// Path typed (or the file picked).
    pub typed: String,
    /// Show only `.ron` files.
    pub only_ron: bool,
}

/// Entries of `dir`: folders first, then files (only `.ron` if `only_ron`), each sorted
/// by name; hidden entries left out.
pub fn list(dir: &Path, only_ron: bool) -> Result<Vec<(PathBuf, bool)>, String> {
    let mut out: Vec<(PathBuf, bool)> = std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| {
            let p = e.path();
            let is_dir = p.is_dir();
            (p, is_dir)
        })
        .filter(|(p, is_dir)| {
            let hidden = p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            !hidden && (*is_dir || !only_ron || p.extension().is_some_and(|x| x == "ron"))
        })
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(out)
}

impl FileBrowser {
    /// A browser showing `dir`.
    pub fn new(dir: PathBuf) -> Self {
        Self {
            dir,
            typed: String::new(),
            only_ron: true,
        }
    }

    /// Draws the browser; returns the file to open once chosen, and `Some(None)` on
    /// Cancel.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<Option<PathBuf>> {
        let mut out = None;
        ui.horizontal(|ui| {
            if ui.button(tr("Up")).clicked()
                && let Some(p) = self.dir.parent()
            {
                self.dir = p.to_path_buf();
            }
            ui.label(tr("Folder"));
            ui.monospace(self.dir.display().to_string());
        });
        ui.checkbox(&mut self.only_ron, tr("Only .ron files"));
        egui::ScrollArea::vertical()
            .id_salt("file_browser")
            .max_height(320.0)
            .show(ui, |ui| match list(&self.dir, self.only_ron) {
                Ok(entries) => {
                    for (p, is_dir) in entries {
                        let name = p
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        let label = if is_dir { format!("📁 {name}") } else { name };
                        let r = ui.selectable_label(self.typed == p.display().to_string(), label);
                        if r.clicked() {
                            if is_dir {
                                self.dir = p;
                            } else {
                                self.typed = p.display().to_string();
                            }
                        } else if r.double_clicked() && !is_dir {
                            out = Some(Some(p));
                        }
                    }
                }
                Err(e) => {
                    ui.colored_label(
                        egui::Color32::LIGHT_RED,
                        fill(tr("Cannot read the folder: {}"), &[&e]),
                    );
                }
            });
        ui.horizontal(|ui| {
            ui.label(tr("Path"));
            let edit = ui.add(egui::TextEdit::singleline(&mut self.typed).desired_width(420.0));
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let typed = PathBuf::from(self.typed.trim());
            if (ui.button(tr("Open")).clicked() || enter) && !self.typed.trim().is_empty() {
                if typed.is_dir() {
                    self.dir = typed;
                    self.typed.clear();
                } else {
                    out = Some(Some(typed));
                }
            }
            if ui.button(tr("Cancel")).clicked() {
                out = Some(None);
            }
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_folders_first_and_filters_ron() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["b.ron", "a.txt", ".hidden.ron", "c.ron"] {
            std::fs::write(dir.path().join(f), "").unwrap();
        }
        std::fs::create_dir(dir.path().join("zz")).unwrap();
        let names = |only| {
            list(dir.path(), only)
                .unwrap()
                .into_iter()
                .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(true), ["zz", "b.ron", "c.ron"]);
        assert_eq!(names(false), ["zz", "a.txt", "b.ron", "c.ron"]);
        assert!(list(&dir.path().join("nope"), true).is_err());
    }
}
