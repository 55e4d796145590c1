//! The map panel: the terrain (hillshaded hypsometric tints) with pan (drag) and zoom
//! (scroll), a scale bar, a north arrow and the coordinates under the cursor; water
//! depth and gas threat zones (when the role may see hazard fields), facilities and
//! teams drawn with distinct symbols, and a legend that toggles the layers.

use std::sync::Arc;

use drillsim_engine::agents::state::{FacilityKind, Phase};
use drillsim_engine::world::GridSpec;
use egui::{Color32, Pos2, Rect, Sense, Stroke, TextureHandle, Vec2};

use crate::sim_thread::{Frame, Overlays};

/// Which layers are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layers {
    /// Water depth.
    pub depth: bool,
    /// Gas threat zones.
    pub gas: bool,
    /// Facilities.
    pub facilities: bool,
    /// Teams.
    pub teams: bool,
}

impl Default for Layers {
    fn default() -> Self {
        Self {
            depth: true,
            gas: true,
            facilities: true,
            teams: true,
        }
    }
}

/// Map view state.
pub struct MapPanel {
    texture: TextureHandle,
    spec: GridSpec,
    /// Screen pixels per cell.
    zoom: f32,
    /// Offset of the grid's top-left corner from the panel's top-left, in pixels.
    offset: Vec2,
    fitted: bool,
    /// Layers shown.
    pub layers: Layers,
    overlays: Option<Arc<Overlays>>,
    depth_tex: Option<TextureHandle>,
    gas_tex: Option<TextureHandle>,
}

impl MapPanel {
    /// A map of `rgba` (one pixel per cell of `spec`).
    pub fn new(ctx: &egui::Context, spec: GridSpec, rgba: &[u8]) -> Self {
        let image = egui::ColorImage::from_rgba_unmultiplied([spec.width, spec.height], rgba);
        let texture = ctx.load_texture("terrain", image, egui::TextureOptions::LINEAR);
        Self {
            texture,
            spec,
            zoom: 1.0,
            offset: Vec2::ZERO,
            fitted: false,
            layers: Layers::default(),
            overlays: None,
            depth_tex: None,
            gas_tex: None,
        }
    }

    /// Uploads the frame's overlays when they changed (textures are updated in place).
    fn update_overlays(&mut self, ctx: &egui::Context, frame: &Frame) {
        let same = match (&self.overlays, &frame.overlays) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        if same {
            return;
        }
        self.overlays.clone_from(&frame.overlays);
        let size = [self.spec.width, self.spec.height];
        let upload =
            |slot: &mut Option<TextureHandle>, name: &str, rgba: Option<&Vec<u8>>| match rgba {
                Some(px) => {
                    let image = egui::ColorImage::from_rgba_unmultiplied(size, px);
                    match slot {
                        Some(t) => t.set(image, egui::TextureOptions::NEAREST),
                        None => {
                            *slot =
                                Some(ctx.load_texture(name, image, egui::TextureOptions::NEAREST));
                        }
                    }
                }
                None => *slot = None,
            };
        let o = frame.overlays.as_deref();
        upload(
            &mut self.depth_tex,
            "depth",
            o.and_then(|o| o.depth.as_ref()),
        );
        upload(&mut self.gas_tex, "gas", o.and_then(|o| o.gas.as_ref()));
    }

    /// Draws the map in `ui`'s remaining space; returns the world point (m) clicked.
    pub fn ui(&mut self, ui: &mut egui::Ui, frame: &Frame) -> Option<[f64; 2]> {
        self.update_overlays(ui.ctx(), frame);
        let (rect, response) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
        let size = Vec2::new(self.spec.width as f32, self.spec.height as f32);
        if !self.fitted && rect.width() > 0.0 {
            self.zoom = (rect.width() / size.x).min(rect.height() / size.y);
            self.offset = (rect.size() - size * self.zoom) / 2.0;
            self.fitted = true;
        }
        if response.dragged() {
            self.offset += response.drag_delta();
        }
        if let Some(hover) = response.hover_pos() {
            let scroll = ui.input(|i| i.smooth_scroll_delta.y);
            if scroll != 0.0 {
                let factor = (scroll / 200.0).exp();
                let anchor = hover - rect.min;
                self.offset = anchor - (anchor - self.offset) * factor;
                self.zoom *= factor;
            }
        }
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 0.0, Color32::from_gray(30));
        let img = Rect::from_min_size(rect.min + self.offset, size * self.zoom);
        painter.image(
            self.texture.id(),
            img,
            Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
            Color32::WHITE,
        );
        let uv = Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0));
        for (on, tex) in [
            (self.layers.depth, &self.depth_tex),
            (self.layers.gas, &self.gas_tex),
        ] {
            if on && let Some(t) = tex {
                painter.image(t.id(), img, uv, Color32::WHITE);
            }
        }
        let to_screen = |p: [f64; 2]| {
            img.min
                + Vec2::new(
                    ((p[0] - self.spec.origin[0]) / self.spec.cell_size) as f32,
                    ((self.spec.y_max() - p[1]) / self.spec.cell_size) as f32,
                ) * self.zoom
        };
        if self.layers.facilities {
            for f in &frame.facilities {
                facility_symbol(&painter, to_screen(f.pos), &f.kind);
            }
        }
        if self.layers.teams {
            for t in &frame.teams {
                team_symbol(&painter, to_screen(t.pos), &t.phase);
            }
        }
        self.scale_bar(&painter, rect);
        self.north_arrow(&painter, rect);
        self.legend(ui, rect, frame);
        let to_world = |p: Pos2| {
            let cell = (p - img.min) / self.zoom;
            [
                self.spec.origin[0] + f64::from(cell.x) * self.spec.cell_size,
                self.spec.y_max() - f64::from(cell.y) * self.spec.cell_size,
            ]
        };
        if let Some(p) = response.hover_pos() {
            let [x, y] = to_world(p);
            painter.text(
                rect.left_bottom() + Vec2::new(8.0, -8.0),
                egui::Align2::LEFT_BOTTOM,
                format!("E {x:.0} m  N {y:.0} m"),
                egui::FontId::monospace(13.0),
                Color32::WHITE,
            );
        }
        if response.clicked() {
            response.interact_pointer_pos().map(to_world)
        } else {
            None
        }
    }

    fn scale_bar(&self, painter: &egui::Painter, rect: Rect) {
        let metres_per_px = self.spec.cell_size / f64::from(self.zoom);
        let target = metres_per_px * 150.0;
        let nice = [1.0, 2.0, 5.0]
            .iter()
            .flat_map(|m| (0..7).map(move |e| m * 10f64.powi(e)))
            .filter(|v| *v <= target)
            .fold(1.0, f64::max);
        let px = (nice / metres_per_px) as f32;
        let a = rect.right_bottom() + Vec2::new(-20.0 - px, -20.0);
        let b = a + Vec2::new(px, 0.0);
        painter.line_segment([a, b], Stroke::new(3.0, Color32::WHITE));
        let label = if nice >= 1000.0 {
            format!("{} km", nice / 1000.0)
        } else {
            format!("{nice} m")
        };
        painter.text(
            a + Vec2::new(px / 2.0, -6.0),
            egui::Align2::CENTER_BOTTOM,
            label,
            egui::FontId::proportional(13.0),
            Color32::WHITE,
        );
    }

    fn north_arrow(&self, painter: &egui::Painter, rect: Rect) {
        let c = rect.right_top() + Vec2::new(-30.0, 40.0);
        painter.add(egui::Shape::convex_polygon(
            vec![
                c + Vec2::new(0.0, -18.0),
                c + Vec2::new(8.0, 10.0),
                c + Vec2::new(-8.0, 10.0),
            ],
            Color32::WHITE,
            Stroke::new(1.0, Color32::BLACK),
        ));
        painter.text(
            c + Vec2::new(0.0, 14.0),
            egui::Align2::CENTER_TOP,
            "N",
            egui::FontId::proportional(14.0),
            Color32::WHITE,
        );
    }

    fn legend(&mut self, ui: &egui::Ui, rect: Rect, frame: &Frame) {
        egui::Area::new(ui.scope_id().with("legend"))
            .fixed_pos(rect.min + Vec2::new(8.0, 8.0))
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    let id = ui.make_persistent_id("legend_open");
                    let open = ui.data_mut(|d| *d.get_persisted_mut_or(id, true));
                    let arrow = if open {
                        "Legend (hide)"
                    } else {
                        "Legend (show)"
                    };
                    if ui.selectable_label(false, arrow).clicked() {
                        ui.data_mut(|d| d.insert_persisted(id, !open));
                    }
                    if !open {
                        return;
                    }
                    let hazards = frame.overlays.is_some();
                    ui.add_enabled_ui(hazards, |ui| {
                        ui.checkbox(&mut self.layers.depth, "Water depth (0–3 m)");
                        ui.checkbox(&mut self.layers.gas, "Gas: AEGL-3 / 2 / 1");
                    });
                    if !hazards {
                        ui.weak("Hazard fields hidden (player view)");
                    }
                    ui.checkbox(&mut self.layers.facilities, "Facilities");
                    ui.checkbox(&mut self.layers.teams, "Teams");
                    if self.layers.facilities || self.layers.teams {
                        legend_symbols(ui, self.layers);
                    }
                });
            });
    }
}

/// Colour of a team by phase.
pub fn phase_colour(p: &Phase) -> Color32 {
    match p {
        Phase::OffDuty => Color32::from_gray(140),
        Phase::Idle => Color32::from_rgb(40, 170, 60),
        Phase::ToTask | Phase::Carrying => Color32::from_rgb(30, 110, 230),
        Phase::Working(_) => Color32::from_rgb(240, 150, 0),
        Phase::Returning | Phase::Resting(_) => Color32::from_rgb(120, 160, 200),
        Phase::Casualty => Color32::from_rgb(200, 0, 0),
    }
}

/// A team: a filled circle in the phase colour with a white rim.
fn team_symbol(painter: &egui::Painter, c: Pos2, phase: &Phase) {
    painter.circle(
        c,
        5.0,
        phase_colour(phase),
        Stroke::new(1.5, Color32::WHITE),
    );
}

/// A facility: base = blue square, depot = brown diamond, shelter = green triangle
/// (house), hospital = red cross on white, command post = purple flag.
fn facility_symbol(painter: &egui::Painter, c: Pos2, kind: &FacilityKind) {
    let black = Stroke::new(1.0, Color32::BLACK);
    match kind {
        FacilityKind::Base(_) => {
            painter.rect(
                Rect::from_center_size(c, Vec2::splat(11.0)),
                0.0,
                Color32::from_rgb(30, 70, 200),
                black,
                egui::StrokeKind::Middle,
            );
        }
        FacilityKind::Depot => {
            let d = 7.0;
            painter.add(egui::Shape::convex_polygon(
                vec![
                    c + Vec2::new(0.0, -d),
                    c + Vec2::new(d, 0.0),
                    c + Vec2::new(0.0, d),
                    c + Vec2::new(-d, 0.0),
                ],
                Color32::from_rgb(150, 100, 40),
                black,
            ));
        }
        FacilityKind::Shelter(_) => {
            painter.add(egui::Shape::convex_polygon(
                vec![
                    c + Vec2::new(0.0, -7.0),
                    c + Vec2::new(7.0, 6.0),
                    c + Vec2::new(-7.0, 6.0),
                ],
                Color32::from_rgb(30, 160, 70),
                black,
            ));
        }
        FacilityKind::Hospital(_) => {
            painter.rect(
                Rect::from_center_size(c, Vec2::splat(12.0)),
                1.0,
                Color32::WHITE,
                black,
                egui::StrokeKind::Middle,
            );
            let red = Color32::from_rgb(210, 0, 0);
            painter.rect_filled(Rect::from_center_size(c, Vec2::new(8.0, 2.5)), 0.0, red);
            painter.rect_filled(Rect::from_center_size(c, Vec2::new(2.5, 8.0)), 0.0, red);
        }
        FacilityKind::CommandPost => {
            let pole = [c + Vec2::new(-4.0, 7.0), c + Vec2::new(-4.0, -7.0)];
            painter.line_segment(pole, Stroke::new(2.0, Color32::BLACK));
            painter.add(egui::Shape::convex_polygon(
                vec![
                    c + Vec2::new(-4.0, -7.0),
                    c + Vec2::new(6.0, -4.0),
                    c + Vec2::new(-4.0, -1.0),
                ],
                Color32::from_rgb(140, 40, 180),
                black,
            ));
        }
    }
}

fn legend_symbols(ui: &mut egui::Ui, layers: Layers) {
    let row = |ui: &mut egui::Ui, label: &str, draw: &dyn Fn(&egui::Painter, Pos2)| {
        ui.horizontal(|ui| {
            let (r, _) = ui.allocate_exact_size(Vec2::splat(16.0), Sense::hover());
            draw(ui.painter(), r.center());
            ui.label(label);
        });
    };
    if layers.facilities {
        row(ui, "Base", &|p, c| {
            facility_symbol(
                p,
                c,
                &FacilityKind::Base(drillsim_engine::agents::spec::BaseKind::FireStation),
            );
        });
        row(ui, "Depot", &|p, c| {
            facility_symbol(p, c, &FacilityKind::Depot);
        });
        row(ui, "Shelter", &|p, c| {
            facility_symbol(p, c, &FacilityKind::Shelter(0));
        });
        row(ui, "Hospital", &|p, c| {
            facility_symbol(p, c, &FacilityKind::Hospital(0));
        });
        row(ui, "Command post", &|p, c| {
            facility_symbol(p, c, &FacilityKind::CommandPost);
        });
    }
    if layers.teams {
        for (label, phase) in [
            ("Team ready", Phase::Idle),
            ("Team en route", Phase::ToTask),
            ("Team on scene", Phase::Working(0.0)),
            ("Team casualty", Phase::Casualty),
        ] {
            row(ui, label, &|p, c| team_symbol(p, c, &phase));
        }
    }
}
