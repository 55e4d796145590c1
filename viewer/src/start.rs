//! Start screen: the shipped scenarios (name — often Chinese — description, hazard
//! kinds; a click opens one), the recent files, and the error of a scenario that failed
//! to open (file:line:col and hint, as the engine reports it).

use std::path::{Path, PathBuf};

use drillsim_engine::scenario::{HazardSpec, load};

use crate::i18n::{fill, tr};

/// A scenario file found in a `scenarios/` folder.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The file.
    pub path: PathBuf,
    /// `meta.name` (the file name if the file does not load).
    pub name: String,
    /// `meta.description`.
    pub description: String,
    /// Hazard kinds (English keys for [`tr`]).
    pub hazards: Vec<&'static str>,
    /// Why it does not load, if so.
    pub error: Option<String>,
}

/// Folders that may hold the shipped scenarios: `scenarios/` under the working folder,
/// under the executable's folder and its ancestors (e.g. `target/release/../..`), and in
/// the source tree the viewer was built from. Existing ones only, without duplicates.
pub fn scenario_dirs() -> Vec<PathBuf> {
    let mut cands = Vec::new();
    if let Ok(cwd) = std::env::current_dir() {
        cands.push(cwd.join("scenarios"));
    }
    if let Ok(exe) = std::env::current_exe() {
        cands.extend(exe.ancestors().skip(1).take(4).map(|d| d.join("scenarios")));
    }
    cands.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios"));
    let mut out: Vec<PathBuf> = Vec::new();
    for c in cands {
        if let Ok(c) = std::fs::canonicalize(&c)
            && c.is_dir()
            && !out.contains(&c)
        {
            out.push(c);
        }
    }
    out
}

/// The English name of a hazard kind.
pub fn hazard_kind(h: &HazardSpec) -> &'static str {
    match h {
        HazardSpec::Flood(_) => "flood",
        HazardSpec::WildlandFire(_) => "wildland fire",
        HazardSpec::ChemicalRelease(_) => "chemical release",
        HazardSpec::ChemicalFire(_) => "chemical fire",
    }
}

/// The `.ron` scenarios of the first folder of `dirs` that has any, sorted by file name.
pub fn scan(dirs: &[PathBuf]) -> Vec<Entry> {
    for dir in dirs {
        let Ok(rd) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "ron"))
            .collect();
        if files.is_empty() {
            continue;
        }
        files.sort();
        return files.into_iter().map(|p| entry(&p)).collect();
    }
    Vec::new()
}

fn entry(path: &Path) -> Entry {
    match load(path) {
        Ok(l) => {
            let mut hazards: Vec<&'static str> = Vec::new();
            for h in &l.scenario.hazards {
                let k = hazard_kind(h);
                if !hazards.contains(&k) {
                    hazards.push(k);
                }
            }
            Entry {
                path: path.to_path_buf(),
                name: l.scenario.meta.name.clone(),
                description: l.scenario.meta.description.clone(),
                hazards,
                error: None,
            }
        }
        Err(e) => Entry {
            path: path.to_path_buf(),
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            description: String::new(),
            hazards: Vec::new(),
            error: Some(e.to_string()),
        },
    }
}

/// Start screen state.
#[derive(Default)]
pub struct StartScreen {
    /// Shipped scenarios.
    pub entries: Vec<Entry>,
    /// Error of the last scenario that failed to open (path, message).
    pub error: Option<(PathBuf, String)>,
    /// Problem with the saved state (e.g. a bad recent-files file).
    pub message: Option<String>,
    /// "Open…" was clicked (the shell opens its file browser).
    pub browse: bool,
}

impl StartScreen {
    /// Draws the screen; returns the file to open, if one was clicked.
    pub fn ui(&mut self, ui: &mut egui::Ui, recent: &[PathBuf]) -> Option<PathBuf> {
        let mut open = None;
        let mut browse = false;
        egui::ScrollArea::vertical()
            .id_salt("start")
            .show(ui, |ui| {
                ui.heading("drillsim");
                ui.horizontal(|ui| {
                    ui.label(tr("Click a scenario to open it, or browse for a file:"));
                    if ui.button(tr("Open…")).clicked() {
                        browse = true;
                    }
                });
                if let Some((path, e)) = &self.error {
                    ui.group(|ui| {
                        ui.colored_label(
                            egui::Color32::LIGHT_RED,
                            tr("Could not open the scenario"),
                        );
                        ui.monospace(path.display().to_string());
                        ui.label(
                            egui::RichText::new(e)
                                .monospace()
                                .color(egui::Color32::LIGHT_RED),
                        );
                    });
                }
                if let Some(m) = &self.message {
                    ui.colored_label(egui::Color32::YELLOW, m);
                }
                ui.add_space(8.0);
                ui.strong(tr("Shipped scenarios"));
                if self.entries.is_empty() {
                    ui.weak(tr("No scenarios found (looked for scenarios/*.ron)."));
                }
                for e in &self.entries {
                    ui.horizontal_wrapped(|ui| {
                        let r = ui.link(egui::RichText::new(&e.name).size(15.0));
                        if r.on_hover_text(e.path.display().to_string()).clicked() {
                            open = Some(e.path.clone());
                        }
                        let kinds: Vec<&str> = e.hazards.iter().map(|k| tr(k)).collect();
                        let kinds = if kinds.is_empty() {
                            tr("no hazards").to_owned()
                        } else {
                            kinds.join(", ")
                        };
                        ui.weak(fill(tr("Hazards: {}"), &[&kinds]));
                    });
                    match &e.error {
                        Some(err) => {
                            ui.label(
                                egui::RichText::new(err)
                                    .monospace()
                                    .color(egui::Color32::LIGHT_RED),
                            );
                        }
                        None => {
                            ui.add(
                                egui::Label::new(egui::RichText::new(&e.description).weak()).wrap(),
                            );
                        }
                    }
                    ui.add_space(4.0);
                }
                ui.add_space(8.0);
                ui.strong(tr("Recent files"));
                if recent.is_empty() {
                    ui.weak(tr("No recent files."));
                }
                for p in recent {
                    if ui.link(p.display().to_string()).clicked() {
                        open = Some(p.clone());
                    }
                }
            });
        self.browse |= browse;
        open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_the_shipped_scenarios_and_reports_bad_ones() {
        let dirs = scenario_dirs();
        let entries = scan(&dirs);
        let flagship = entries
            .iter()
            .find(|e| e.path.ends_with("flagship_flood_chlorine.ron"))
            .expect("flagship listed");
        assert!(flagship.error.is_none());
        assert_eq!(flagship.hazards, ["flood", "chemical release"]);
        assert!(!flagship.name.is_empty());
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.ron"), "(meta: (name: \"x\"), nope: 1)").unwrap();
        let bad = scan(&[dir.path().join("empty"), dir.path().to_path_buf()]);
        assert_eq!(bad.len(), 1);
        let err = bad[0].error.as_deref().unwrap();
        assert!(err.contains("bad.ron:1:"), "{err}");
    }
}
