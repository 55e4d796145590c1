//! The map panel: the terrain (hillshaded hypsometric tints) with pan (drag) and zoom
//! (scroll), a scale bar, a north arrow and the coordinates under the cursor.

use drillsim_engine::world::GridSpec;
use egui::{Color32, Pos2, Rect, Sense, Stroke, TextureHandle, Vec2};

/// Map view state.
pub struct MapPanel {
    texture: TextureHandle,
    spec: GridSpec,
    /// Screen pixels per cell.
    zoom: f32,
    /// Offset of the grid's top-left corner from the panel's top-left, in pixels.
    offset: Vec2,
    fitted: bool,
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
        }
    }

    /// Draws the map in `ui`'s remaining space; returns the world point (m) clicked.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<[f64; 2]> {
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
        self.scale_bar(&painter, rect);
        self.north_arrow(&painter, rect);
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
}
