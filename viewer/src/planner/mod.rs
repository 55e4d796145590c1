//! Planner mode: drag a scenario's bases, depots and shelters on a map and see their
//! coverage (travel-time bands from the nearest base, people covered within 5/15/30
//! min, supply reach in 4 h, shelter capacity against demand) recomputed on a worker
//! thread; save a layout as A, keep editing B, compare them side by side, and export
//! B as a copy of the scenario file. The coverage model is the engine's
//! (`drillsim_engine::batch::coverage`); this module only edits positions and draws.

pub mod canvas;
pub mod compare;
pub mod i18n;
pub mod layout;
#[cfg(test)]
mod tests;
pub mod worker;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use drillsim_engine::scenario::LoadedScenario;
use drillsim_engine::world::GridSpec;
use egui::{Rect, TextureHandle, Vec2};

use crate::i18n::{fill, tr};
use canvas::{Canvas, Event, View};
use layout::{Layout, Site};
use worker::{Analysis, HazardAt, Request, Slot, Worker};

/// What the main window shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// The running exercise.
    #[default]
    Live,
    /// Layout planning.
    Planner,
}

/// The mode switch and the planner, created when first shown.
pub struct PlannerMode {
    /// Current mode.
    pub mode: Mode,
    scenario: Arc<LoadedScenario>,
    planner: Option<Planner>,
}

impl PlannerMode {
    /// For the open scenario.
    pub fn new(scenario: LoadedScenario) -> Self {
        Self {
            mode: Mode::Live,
            scenario: Arc::new(scenario),
            planner: None,
        }
    }

    /// The Live / Planner switch (for the top bar).
    pub fn switch_ui(&mut self, ui: &mut egui::Ui) {
        ui.selectable_value(&mut self.mode, Mode::Live, tr("Live"));
        ui.selectable_value(&mut self.mode, Mode::Planner, tr("Planner"));
    }

    /// Draws the planner's panels when in planner mode; returns whether it did.
    pub fn show(&mut self, ui: &mut egui::Ui, spec: GridSpec, rgba: &[u8]) -> bool {
        if self.mode != Mode::Planner {
            return false;
        }
        let scenario = &self.scenario;
        self.planner
            .get_or_insert_with(|| Planner::new(Arc::clone(scenario), spec, rgba.to_vec()))
            .ui(ui);
        true
    }

    /// The planner, once shown.
    pub fn planner(&self) -> Option<&Planner> {
        self.planner.as_ref()
    }
}

/// One layout with its latest analysis.
struct LayoutState {
    layout: Layout,
    analysis: Option<Analysis>,
    iso: Option<TextureHandle>,
    iso_stale: bool,
    requested: u64,
    /// Results of requests up to this generation belong to an earlier layout in this
    /// slot (a layout A saved before) and are ignored.
    since: u64,
}

impl LayoutState {
    fn new(layout: Layout, since: u64) -> Self {
        Self {
            layout,
            analysis: None,
            iso: None,
            iso_stale: false,
            requested: 0,
            since,
        }
    }

    fn pending(&self) -> bool {
        self.analysis
            .as_ref()
            .is_none_or(|a| a.generation < self.requested)
    }
}

/// The planner window.
pub struct Planner {
    loaded: Arc<LoadedScenario>,
    sites: Arc<Vec<Site>>,
    spec: GridSpec,
    rgba: Vec<u8>,
    terrain: Option<TextureHandle>,
    worker: Option<Worker>,
    generation: u64,
    last_sent: Option<Instant>,
    a: Option<LayoutState>,
    b: LayoutState,
    view: View,
    drag: Option<usize>,
    selected: Option<usize>,
    compare: bool,
    hazard: bool,
    hazard_min: f64,
    vehicle: String,
    export_path: String,
    status: String,
    last_rect_a: Option<Rect>,
    last_rect_b: Option<Rect>,
}

/// Minimum time between recomputations while a site is being dragged.
const THROTTLE: Duration = Duration::from_millis(300);

impl Planner {
    /// A planner for `loaded` on the grid `spec` with hillshade `rgba`.
    pub fn new(loaded: Arc<LoadedScenario>, spec: GridSpec, rgba: Vec<u8>) -> Self {
        let sites = layout::sites(&loaded);
        let b = LayoutState::new(layout::layout_of(&loaded, &sites), 0);
        let stem = std::path::Path::new(&loaded.file)
            .file_stem()
            .map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned());
        let export_path = loaded
            .base_dir
            .join(format!("{stem}_layout.ron"))
            .display()
            .to_string();
        Self {
            loaded,
            sites: Arc::new(sites),
            spec,
            rgba,
            terrain: None,
            worker: None,
            generation: 0,
            last_sent: None,
            a: None,
            b,
            view: View::default(),
            drag: None,
            selected: None,
            compare: false,
            hazard: false,
            hazard_min: 60.0,
            vehicle: "fire_engine".to_owned(),
            export_path,
            status: String::new(),
            last_rect_a: None,
            last_rect_b: None,
        }
    }

    fn hazard_at(&self) -> Option<HazardAt> {
        self.hazard.then(|| HazardAt {
            t_s: self.hazard_min * 60.0,
            vehicle: self.vehicle.clone(),
        })
    }

    fn request(&mut self, slot: Slot) {
        let hazard = self.hazard_at();
        let Some(w) = &self.worker else { return };
        self.generation += 1;
        let state = match slot {
            Slot::A => match &mut self.a {
                Some(a) => a,
                None => return,
            },
            Slot::B => &mut self.b,
        };
        state.requested = self.generation;
        w.send(Request {
            slot,
            generation: self.generation,
            layout: state.layout.clone(),
            hazard,
        });
        self.last_sent = Some(Instant::now());
    }

    fn receive(&mut self) {
        let Some(w) = &self.worker else { return };
        for an in w.poll() {
            let state = match an.slot {
                Slot::A => self.a.as_mut(),
                Slot::B => Some(&mut self.b),
            };
            if let Some(s) = state
                && an.generation > s.since
                && s.analysis
                    .as_ref()
                    .is_none_or(|x| x.generation < an.generation)
            {
                s.analysis = Some(an);
                s.iso_stale = true;
            }
        }
    }

    /// Saves layout B as layout A.
    fn save_a(&mut self) {
        self.a = Some(LayoutState::new(self.b.layout.clone(), self.generation));
        // Analysed on its own (not copied from B), so A never shows numbers of a B
        // layout that was still being computed.
        self.request(Slot::A);
    }

    /// Draws the planner: side panel with tables and controls, map(s) in the centre.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.worker.is_none() {
            let wake = ctx.clone();
            self.worker = Some(Worker::spawn(
                Arc::clone(&self.loaded),
                Arc::clone(&self.sites),
                move || wake.request_repaint(),
            ));
            self.request(Slot::B);
        }
        self.receive();
        let terrain = self
            .terrain
            .get_or_insert_with(|| {
                let size = [self.spec.width, self.spec.height];
                let img = egui::ColorImage::from_rgba_unmultiplied(size, &self.rgba);
                ctx.load_texture("planner_terrain", img, egui::TextureOptions::LINEAR)
            })
            .clone();
        for (i, s) in [Some(&mut self.b), self.a.as_mut()]
            .into_iter()
            .flatten()
            .enumerate()
        {
            if s.iso_stale
                && let Some(an) = &s.analysis
                && an.minutes.len() == self.spec.len()
            {
                let img = egui::ColorImage::from_rgba_unmultiplied(
                    [self.spec.width, self.spec.height],
                    &canvas::iso_rgba(&an.minutes),
                );
                match &mut s.iso {
                    Some(t) => t.set(img, egui::TextureOptions::NEAREST),
                    None => {
                        s.iso = Some(ctx.load_texture(
                            format!("planner_iso_{i}"),
                            img,
                            egui::TextureOptions::NEAREST,
                        ));
                    }
                }
                s.iso_stale = false;
            }
        }
        egui::Panel::right("planner_side")
            .default_size(460.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("planner_side")
                    .show(ui, |ui| self.side(ui));
            });
        egui::CentralPanel::default().show(ui, |ui| self.maps(ui, &terrain));
        if self.b.pending() || self.a.as_ref().is_some_and(LayoutState::pending) {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
    }

    fn side(&mut self, ui: &mut egui::Ui) {
        ui.heading(tr("Planner"));
        ui.label(tr(
            "Drag a base, depot or shelter on the map. Coverage is recomputed when you drop it.",
        ));
        ui.horizontal(|ui| {
            if self.b.pending() {
                ui.spinner();
                ui.label(tr("Computing coverage…"));
            } else {
                ui.label(tr("Coverage up to date"));
            }
        });
        if let Some(an) = &self.b.analysis {
            ui.label(match &an.hazard {
                Some(h) => fill(
                    tr("Travel times through the hazards at minute {}"),
                    &[&format!("{:.0}", h.t_s / 60.0)],
                ),
                None => tr("Free-flow travel times (no hazards)").to_owned(),
            });
            if an.layout != self.b.layout {
                ui.label(tr("Numbers below are for the layout before the last move."));
            }
        }
        ui.separator();
        ui.horizontal_wrapped(|ui| {
            if ui.button(tr("Save as layout A")).clicked() {
                self.save_a();
            }
            ui.add_enabled_ui(self.a.is_some(), |ui| {
                ui.toggle_value(&mut self.compare, tr("Compare A and B"));
            });
            if ui.button(tr("Reset layout B")).clicked() {
                self.b.layout = layout::layout_of(&self.loaded, &self.sites);
                self.request(Slot::B);
            }
        });
        ui.horizontal(|ui| {
            let mut changed = ui
                .checkbox(&mut self.hazard, tr("Hazards at minute"))
                .changed();
            let r = ui.add_enabled(
                self.hazard,
                egui::DragValue::new(&mut self.hazard_min)
                    .range(0.0..=10_000.0)
                    .speed(1.0),
            );
            // Each new time reruns the scenario up to it: only when the value is set.
            changed |= r.drag_stopped() || r.lost_focus();
            if changed {
                self.request(Slot::B);
                self.request(Slot::A);
            }
        });
        if self.hazard {
            ui.label(tr(
                "Travel times of a fire engine through the hazards of that minute.",
            ));
        }
        if let Some(i) = self.selected {
            ui.separator();
            let s = &self.sites[i];
            ui.strong(format!("{} ({})", s.label, tr(s.kind.name())));
            let (x0, x1) = (
                self.spec.origin[0],
                self.spec.origin[0] + self.spec.extent_x(),
            );
            let (y0, y1) = (self.spec.origin[1], self.spec.y_max());
            let p = &mut self.b.layout.pos[i];
            let mut set = false;
            ui.horizontal(|ui| {
                ui.label(tr("East, m"));
                let r = ui.add(egui::DragValue::new(&mut p[0]).range(x0..=x1).speed(10.0));
                set |= r.drag_stopped() || r.lost_focus();
                ui.label(tr("North, m"));
                let r = ui.add(egui::DragValue::new(&mut p[1]).range(y0..=y1).speed(10.0));
                set |= r.drag_stopped() || r.lost_focus();
            });
            if set {
                self.request(Slot::B);
            }
        }
        if let (Some(a), Some(b)) = (
            self.a.as_ref().and_then(|a| a.analysis.as_ref()),
            self.b.analysis.as_ref(),
        ) && let (Ok(ca), Ok(cb)) = (&a.coverage, &b.coverage)
        {
            ui.separator();
            ui.strong(tr("Layout A vs layout B"));
            compare::diff_table(ui, &compare::metrics(ca), &compare::metrics(cb));
        }
        ui.separator();
        canvas::legend(ui);
        ui.separator();
        if let Some(an) = &self.b.analysis {
            ui.strong(tr("Layout B (editing): coverage per site"));
            match &an.coverage {
                Ok(cov) => compare::site_table(ui, "planner_sites_b", &self.sites, cov),
                Err(e) => {
                    ui.colored_label(egui::Color32::LIGHT_RED, e);
                }
            }
        }
        ui.separator();
        ui.strong(tr("Export layout B as a scenario file"));
        ui.label(tr(
            "Saved next to the scenario so its relative paths still work.",
        ));
        ui.text_edit_singleline(&mut self.export_path);
        if ui.button(tr("Export layout B")).clicked() {
            let path = PathBuf::from(&self.export_path);
            self.status = match layout::export(&self.loaded, &self.sites, &self.b.layout, &path) {
                Ok(()) => fill(tr("Saved {}"), &[&path.display().to_string()]),
                Err(e) => e,
            };
        }
        if !self.status.is_empty() {
            ui.label(&self.status);
        }
    }

    fn maps(&mut self, ui: &mut egui::Ui, terrain: &TextureHandle) {
        let full = ui.available_rect_before_wrap();
        let split = self.compare && self.a.is_some();
        let (rect_a, rect_b) = if split {
            let w = (full.width() - 6.0) / 2.0;
            (
                Some(Rect::from_min_size(full.min, Vec2::new(w, full.height()))),
                Rect::from_min_size(
                    full.min + Vec2::new(w + 6.0, 0.0),
                    Vec2::new(w, full.height()),
                ),
            )
        } else {
            (None, full)
        };
        ui.allocate_rect(full, egui::Sense::hover());
        let empty: &[f64] = &[];
        if let (Some(rect), Some(a)) = (rect_a, &self.a) {
            let an = a.analysis.as_ref();
            let c = Canvas {
                id: "planner_canvas_a",
                title: tr("Layout A (saved)"),
                spec: self.spec,
                terrain,
                iso: a.iso.as_ref(),
                geometry: an.map(|x| &*x.geometry),
                node_time_s: an
                    .and_then(|x| x.coverage.as_ref().ok())
                    .map_or(empty, |c| &c.node_time_s),
                minutes: an.map_or(&[], |x| &x.minutes),
                sites: &self.sites,
                layout: &a.layout,
                editable: false,
                selected: self.selected,
            };
            let mut no_drag = None;
            if let Some(Event::Selected(i)) =
                canvas::show(ui, rect, &mut self.view, &mut no_drag, &c)
            {
                self.selected = Some(i);
            }
        }
        let an = self.b.analysis.as_ref();
        let title = if split {
            tr("Layout B (editing)")
        } else {
            tr("Layout B (drag sites to move them)")
        };
        let c = Canvas {
            id: "planner_canvas_b",
            title,
            spec: self.spec,
            terrain,
            iso: self.b.iso.as_ref(),
            geometry: an.map(|x| &*x.geometry),
            node_time_s: an
                .and_then(|x| x.coverage.as_ref().ok())
                .map_or(empty, |c| &c.node_time_s),
            minutes: an.map_or(&[], |x| &x.minutes),
            sites: &self.sites,
            layout: &self.b.layout,
            editable: true,
            selected: self.selected,
        };
        let event = canvas::show(ui, rect_b, &mut self.view, &mut self.drag, &c);
        self.last_rect_a = rect_a;
        self.last_rect_b = Some(rect_b);
        match event {
            Some(Event::Moving(i, p)) => {
                self.b.layout.pos[i] = p;
                self.selected = Some(i);
                if self.last_sent.is_none_or(|t| t.elapsed() >= THROTTLE) {
                    self.request(Slot::B);
                }
            }
            Some(Event::Released(i, p)) => {
                self.b.layout.pos[i] = p;
                self.request(Slot::B);
            }
            Some(Event::Selected(i)) => self.selected = Some(i),
            None => {}
        }
    }
}

impl Planner {
    /// No analysis outstanding.
    pub fn idle(&self) -> bool {
        !self.b.pending() && !self.a.as_ref().is_some_and(LayoutState::pending)
    }
}

/// Read access for tests.
#[cfg(test)]
impl Planner {
    /// Index of the site with `id`.
    pub fn site(&self, id: &str) -> usize {
        self.sites.iter().position(|s| s.id == id).unwrap()
    }

    /// Position of site `i` in layout B, m.
    pub fn pos_b(&self, i: usize) -> [f64; 2] {
        self.b.layout.pos[i]
    }

    /// Screen position of world point `p` on the layout-B canvas (once drawn).
    pub fn screen_b(&self, p: [f64; 2]) -> egui::Pos2 {
        self.view
            .to_screen(self.last_rect_b.unwrap(), &self.spec, p)
    }

    /// Screen position of world point `p` on the layout-A canvas (when shown).
    pub fn screen_a(&self, p: [f64; 2]) -> Option<egui::Pos2> {
        Some(self.view.to_screen(self.last_rect_a?, &self.spec, p))
    }

    /// Position of site `i` in layout A, m.
    pub fn pos_a(&self, i: usize) -> [f64; 2] {
        self.a.as_ref().unwrap().layout.pos[i]
    }

    /// Latest analysis of B and of A.
    pub fn analyses(&self) -> (Option<&Analysis>, Option<&Analysis>) {
        (
            self.b.analysis.as_ref(),
            self.a.as_ref().and_then(|a| a.analysis.as_ref()),
        )
    }

    /// Sets the export path.
    pub fn set_export_path(&mut self, p: &str) {
        p.clone_into(&mut self.export_path);
    }
}
