//! The map panel: the terrain (hillshaded hypsometric tints, optional contours) with pan
//! (drag) and zoom (scroll), a scale bar, a north arrow and the coordinates under the
//! cursor; hazard layers (water depth, flood hazard rating, gas threat zones, wildland
//! fire, thermal and overpressure zones) when the role may see hazard fields;
//! facilities and teams with symbols (see `map_symbols`); a legend that toggles the
//! layers; a click on a team, facility or map cell shows its details.
//!
//! The hazard overlay is updated incrementally: the simulation thread versions each
//! layer image with its dirty row band (`layer_cache`) and composites the layers shown
//! into one overlay (`composite`); the panel uploads only the overlay rows changed since
//! the version it shows (`map_composite`). Toggling a layer in the legend sends the new
//! set of layers to the simulation thread ([`MapPanel::layers_command`]).

use drillsim_engine::world::GridSpec;
use egui::{Color32, Pos2, Rect, Sense, Stroke, TextureHandle, Vec2};

use crate::i18n::{fill, tr};
use crate::layer_cache::LayerId;
use crate::map_details::Selection;
use crate::map_symbols::{facility_symbol, legend_symbols, team_symbol};
use crate::sim_thread::Frame;

/// Which layers are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layers {
    /// Water depth.
    pub depth: bool,
    /// Flood hazard rating classes.
    pub hazard: bool,
    /// Gas threat zones.
    pub gas: bool,
    /// Wildland fire.
    pub fire: bool,
    /// Thermal flux zones.
    pub thermal: bool,
    /// Overpressure zones.
    pub overpressure: bool,
    /// Terrain contours.
    pub contours: bool,
    /// Facilities.
    pub facilities: bool,
    /// Teams.
    pub teams: bool,
    /// Roads (closed ones marked).
    pub roads: bool,
    /// Team routes.
    pub routes: bool,
    /// Evacuee flows and groups waiting for rescue.
    pub flows: bool,
}

impl Default for Layers {
    fn default() -> Self {
        Self {
            depth: true,
            hazard: false,
            gas: true,
            fire: true,
            thermal: true,
            overpressure: true,
            contours: false,
            facilities: true,
            teams: true,
            roads: true,
            routes: true,
            flows: true,
        }
    }
}

impl Layers {
    /// The layers the overlay composites (hazard images and contours).
    pub fn mask(&self) -> crate::composite::Mask {
        let bit = |on: bool, id: LayerId| if on { 1 << id as u8 } else { 0 };
        bit(self.depth, LayerId::Depth)
            | bit(self.hazard, LayerId::Hazard)
            | bit(self.gas, LayerId::Gas)
            | bit(self.fire, LayerId::Fire)
            | bit(self.thermal, LayerId::Thermal)
            | bit(self.overpressure, LayerId::Overpressure)
            | if self.contours {
                crate::composite::CONTOURS
            } else {
                0
            }
    }

    /// Every layer on.
    pub fn all() -> Self {
        Self {
            hazard: true,
            contours: true,
            ..Self::default()
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
    overlay: crate::map_composite::OverlayTexture,
    /// Contour interval, m (when the terrain has relief).
    contour_interval: Option<f64>,
    /// Layers last sent to the simulation thread.
    sent_mask: crate::composite::Mask,
    /// What was clicked last.
    pub selection: Option<Selection>,
    /// Rows uploaded in the last frame (diagnostics and frame-time runs).
    pub uploaded_rows: usize,
    /// Screen rectangle of the whole grid in the last frame.
    img_rect: Rect,
    /// Screen rectangle of the map panel in the last frame.
    pub panel_rect: Rect,
}

impl MapPanel {
    /// A map of `rgba` (one pixel per cell of `spec`).
    pub fn new(ctx: &egui::Context, spec: GridSpec, rgba: &[u8]) -> Self {
        let image = egui::ColorImage::from_rgba_unmultiplied([spec.width, spec.height], rgba);
        // Static: mipmapped, so the zoomed-out map samples few texels per pixel.
        let options = egui::TextureOptions {
            mipmap_mode: Some(egui::TextureFilter::Linear),
            ..egui::TextureOptions::LINEAR
        };
        let texture = ctx.load_texture("terrain", image, options);
        Self {
            texture,
            spec,
            zoom: 1.0,
            offset: Vec2::ZERO,
            fitted: false,
            layers: Layers::default(),
            overlay: crate::map_composite::OverlayTexture::default(),
            contour_interval: None,
            sent_mask: Layers::default().mask(),
            selection: None,
            uploaded_rows: 0,
            img_rect: Rect::NOTHING,
            panel_rect: Rect::NOTHING,
        }
    }

    /// Offers the contour layer of elevation `z` (m, one value per cell) in the legend,
    /// at the interval the simulation thread draws it (chosen from the relief).
    pub fn set_contours(&mut self, z: &[f32]) {
        if z.len() == self.spec.len() {
            self.contour_interval = Some(crate::raster::contour_interval(crate::raster::relief(z)));
        }
    }

    /// The layers to composite, when they changed since last sent to the simulation
    /// thread (send as `Command::ShowLayers`).
    pub fn layers_command(&mut self) -> Option<crate::composite::Mask> {
        let m = self.layers.mask();
        (m != self.sent_mask).then(|| {
            self.sent_mask = m;
            m
        })
    }

    /// Screen position of world point `p` (m) in the last frame drawn.
    #[cfg(test)]
    pub fn screen_pos(&self, p: [f64; 2]) -> Pos2 {
        let s = self.spec;
        self.img_rect.min
            + Vec2::new(
                ((p[0] - s.origin[0]) / s.cell_size) as f32,
                ((s.y_max() - p[1]) / s.cell_size) as f32,
            ) * self.zoom
    }

    /// Uploads what changed in the hazard overlay (see `map_composite`); keeps
    /// repainting until the overlay shows the layers asked for.
    pub fn update_layers(&mut self, ctx: &egui::Context, frame: &Frame) {
        let (w, h) = (self.spec.width, self.spec.height);
        self.overlay.update(ctx, frame.overlay.as_ref(), (w, h));
        self.uploaded_rows = self.overlay.uploaded_rows;
        let mut want = self.layers.mask();
        if frame.overlays.is_none() {
            want &= crate::composite::CONTOURS;
        }
        if frame.overlay.as_ref().map_or(want != 0, |o| o.mask != want) {
            ctx.request_repaint_after(std::time::Duration::from_millis(15));
        }
    }

    /// Draws the map in `ui`'s remaining space; returns the world point (m) clicked.
    pub fn ui(&mut self, ui: &mut egui::Ui, frame: &Frame) -> Option<[f64; 2]> {
        self.update_layers(ui.ctx(), frame);
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
        let uv = Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0));
        painter.image(self.texture.id(), img, uv, Color32::WHITE);
        let view = crate::map_vectors::View {
            spec: self.spec,
            origin: img.min,
            zoom: self.zoom,
            clip: rect,
        };
        if self.layers.roads {
            crate::map_vectors::draw_open_roads(&painter, &view, &frame.roads, &frame.closed);
        }
        if let Some(t) = &self.overlay.tex {
            painter.image(t.id(), img, uv, Color32::WHITE);
        }
        if self.layers.roads {
            crate::map_vectors::draw_closed_roads(&painter, &view, &frame.roads, &frame.closed);
        }
        if self.layers.flows {
            crate::map_vectors::draw_flows(&painter, &view, &frame.groups, &frame.teams);
        }
        if self.layers.routes {
            crate::map_vectors::draw_routes(&painter, &view, &frame.teams);
        }
        self.img_rect = img;
        self.panel_rect = rect;
        let spec = self.spec;
        let zoom = self.zoom;
        let to_screen = move |p: [f64; 2]| {
            img.min
                + Vec2::new(
                    ((p[0] - spec.origin[0]) / spec.cell_size) as f32,
                    ((spec.y_max() - p[1]) / spec.cell_size) as f32,
                ) * zoom
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
            let cell = (p - img.min) / zoom;
            [
                spec.origin[0] + f64::from(cell.x) * spec.cell_size,
                spec.y_max() - f64::from(cell.y) * spec.cell_size,
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
        let clicked = if response.clicked() {
            response.interact_pointer_pos()
        } else {
            None
        };
        if let Some(p) = clicked {
            let road = self
                .layers
                .roads
                .then(|| crate::map_vectors::pick_road(&view, &frame.roads, p, 5.0))
                .flatten();
            self.selection = Some(crate::map_details::pick(
                frame,
                self.layers,
                p,
                to_world(p),
                &to_screen,
                road,
            ));
        }
        crate::map_details::show(ui, rect, frame, &mut self.selection);
        clicked.map(to_world)
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
                        tr("Legend (hide)")
                    } else {
                        tr("Legend (show)")
                    };
                    if ui.selectable_label(false, arrow).clicked() {
                        ui.data_mut(|d| d.insert_persisted(id, !open));
                    }
                    if !open {
                        return;
                    }
                    // At most 45 % of the map's height; the rest scrolls.
                    egui::ScrollArea::vertical()
                        .id_salt("legend_rows")
                        .max_height(rect.height() * 0.45)
                        .show(ui, |ui| self.legend_rows(ui, frame));
                });
            });
    }

    /// The legend's layer toggles with their keys, then the symbol key (folded).
    fn legend_rows(&mut self, ui: &mut egui::Ui, frame: &Frame) {
        let present = |id: LayerId| {
            frame
                .overlays
                .as_ref()
                .is_some_and(|o| o.layers[id as usize].is_some())
        };
        let hazards = frame.overlays.is_some();
        let l = &mut self.layers;
        if present(LayerId::Depth) {
            ui.checkbox(&mut l.depth, tr("Water depth (5 cm – 3 m)"));
            if l.depth {
                ramp(
                    ui,
                    &[0.05, 1.0, 3.0].map(crate::raster::depth_px),
                    "5 cm",
                    "3 m",
                );
            }
            ui.checkbox(&mut l.hazard, tr("Flood hazard rating (FD2320)"));
            if l.hazard {
                for (k, label) in [
                    (1, "Caution (HR < 0.75)"),
                    (2, "Danger for some (0.75–1.25)"),
                    (3, "Danger for most (1.25–2)"),
                    (4, "Danger for all (≥ 2)"),
                ] {
                    swatch(ui, crate::raster::hr_px(k), tr(label));
                }
            }
        }
        if present(LayerId::Gas) {
            ui.checkbox(&mut l.gas, tr("Gas: AEGL-3 / 2 / 1"));
            if l.gas {
                zone_key(ui, ["AEGL-3", "AEGL-2", "AEGL-1"]);
            }
        }
        if present(LayerId::Fire) {
            ui.checkbox(&mut l.fire, tr("Wildland fire"));
            if l.fire {
                swatch(
                    ui,
                    crate::raster::fire_px(true, true, 0.0),
                    tr("Burning now (perimeter)"),
                );
                swatch(
                    ui,
                    crate::raster::fire_px(false, true, 100.0),
                    tr("Burned, < 350 kW/m"),
                );
                swatch(
                    ui,
                    crate::raster::fire_px(false, true, 2000.0),
                    tr("Burned, 1700–3500 kW/m"),
                );
                if let Some(iv) = frame.overlays.as_ref().and_then(|o| o.fire_isochrone_s) {
                    let min = format!("{:.0}", iv / 60.0);
                    swatch(
                        ui,
                        crate::raster::ISOCHRONE_PX,
                        &fill(tr("Arrival isochrones every {} min"), &[&min]),
                    );
                }
            }
        }
        if present(LayerId::Thermal) {
            ui.checkbox(&mut l.thermal, tr("Thermal: 10 / 5 / 2 kW/m²"));
            if l.thermal {
                zone_key(ui, ["10 kW/m²", "5 kW/m²", "2 kW/m²"]);
            }
            ui.checkbox(&mut l.overpressure, tr("Overpressure: 8 / 3.5 / 1 psi"));
            if l.overpressure {
                zone_key(ui, ["8 psi", "3.5 psi", "1 psi"]);
            }
        }
        if !hazards {
            ui.weak(tr("Hazard fields hidden (player view)"));
        }
        if let Some(interval) = self.contour_interval {
            let label = fill(tr("Contours every {} m"), &[&interval.to_string()]);
            ui.checkbox(&mut self.layers.contours, label);
        }
        if !frame.roads.is_empty() {
            ui.checkbox(&mut self.layers.roads, tr("Roads (closed: red cross)"));
        }
        if !frame.teams.is_empty() {
            ui.checkbox(&mut self.layers.routes, tr("Team routes"));
        }
        if !frame.teams.is_empty() || !frame.groups.is_empty() {
            ui.checkbox(&mut self.layers.flows, tr("Evacuee flows"));
        }
        ui.checkbox(&mut self.layers.facilities, tr("Facilities"));
        ui.checkbox(&mut self.layers.teams, tr("Teams"));
        egui::CollapsingHeader::new(tr("Symbols"))
            .id_salt("legend_symbols")
            .default_open(false)
            .show(ui, |ui| legend_symbols(ui, self.layers));
    }
}

/// One legend row: a colour swatch and its meaning.
fn swatch(ui: &mut egui::Ui, px: [u8; 4], label: &str) {
    ui.horizontal(|ui| {
        let (r, _) = ui.allocate_exact_size(Vec2::new(16.0, 12.0), Sense::hover());
        let c = Color32::from_rgba_unmultiplied(px[0], px[1], px[2], px[3].max(120));
        ui.painter().rect_filled(r, 1.0, c);
        ui.weak(label);
    });
}

/// Legend key of a graded threat zone, on one line: red, orange, yellow outlines.
fn zone_key(ui: &mut egui::Ui, names: [&str; 3]) {
    ui.horizontal(|ui| {
        for (k, name) in (1..=3u8).rev().zip(names) {
            let (r, _) = ui.allocate_exact_size(Vec2::new(14.0, 11.0), Sense::hover());
            let [cr, cg, cb, _] = crate::raster::zone_px(k, true);
            let c = Color32::from_rgb(cr, cg, cb);
            ui.painter().rect(
                r,
                1.0,
                c.gamma_multiply(0.3),
                Stroke::new(2.0, c),
                egui::StrokeKind::Inside,
            );
            ui.weak(name);
        }
    });
}

/// A colour ramp with its end labels.
fn ramp(ui: &mut egui::Ui, stops: &[[u8; 4]], lo: &str, hi: &str) {
    ui.horizontal(|ui| {
        ui.weak(lo);
        for px in stops {
            let (r, _) = ui.allocate_exact_size(Vec2::new(14.0, 10.0), Sense::hover());
            ui.painter().rect_filled(
                r,
                0.0,
                Color32::from_rgba_unmultiplied(px[0], px[1], px[2], 255),
            );
        }
        ui.weak(hi);
    });
}
