//! The planner canvas: terrain, travel-time bands (raster and roads coloured by minutes
//! from the nearest base), population groups and the sites, with pan (drag on empty
//! ground), zoom (scroll) and site dragging (drag a site symbol, editable layouts only).

use drillsim_engine::world::GridSpec;
use egui::{Color32, Pos2, Rect, Sense, Stroke, TextureHandle, Vec2};

use super::layout::{Layout, Site, SiteKind};
use super::worker::Geometry;
use crate::i18n::{fill, tr};

/// Colours of the travel-time bands: ≤ 5, ≤ 15, ≤ 30 and > 30 min (ColorBrewer RdYlGn).
pub const BANDS: [(&str, [u8; 3]); 4] = [
    ("≤ 5 min", [26, 152, 80]),
    ("5–15 min", [166, 217, 106]),
    ("15–30 min", [253, 174, 97]),
    ("> 30 min", [215, 48, 39]),
];

/// Band index of `minutes` (None for NaN / unreachable).
pub fn band(minutes: f64) -> Option<usize> {
    if !minutes.is_finite() {
        return None;
    }
    Some(match minutes {
        m if m <= 5.0 => 0,
        m if m <= 15.0 => 1,
        m if m <= 30.0 => 2,
        _ => 3,
    })
}

/// Translucent RGBA raster of the bands (transparent where there is no time).
pub fn iso_rgba(minutes: &[f32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(minutes.len() * 4);
    for &m in minutes {
        match band(f64::from(m)) {
            Some(b) => {
                let [r, g, bl] = BANDS[b].1;
                out.extend_from_slice(&[r, g, bl, 120]);
            }
            None => out.extend_from_slice(&[0, 0, 0, 0]),
        }
    }
    out
}

/// Shared view of the canvases: screen pixels per cell and the grid's top-left corner
/// relative to the canvas's top-left. The whole grid is fitted again whenever the
/// canvas size changes (window resized, side-by-side view toggled).
#[derive(Clone, Copy, Debug, Default)]
pub struct View {
    zoom: f32,
    offset: Vec2,
    fitted_for: Vec2,
    /// Offset and pointer position when a pan began (pans follow the pointer exactly,
    /// including the few pixels egui needs before it calls a press a drag).
    pan_from: Option<(Vec2, Pos2)>,
    /// Site symbol minus pointer at the start of a site drag (the site does not jump
    /// to the pointer when grabbed off-centre).
    grab: Vec2,
}

impl View {
    /// Screen position of world point `p` in a canvas at `rect`.
    pub fn to_screen(self, rect: Rect, spec: &GridSpec, p: [f64; 2]) -> Pos2 {
        rect.min
            + self.offset
            + Vec2::new(
                ((p[0] - spec.origin[0]) / spec.cell_size) as f32,
                ((spec.y_max() - p[1]) / spec.cell_size) as f32,
            ) * self.zoom
    }

    /// World point under screen position `s`.
    pub fn to_world(self, rect: Rect, spec: &GridSpec, s: Pos2) -> [f64; 2] {
        let cell = (s - rect.min - self.offset) / self.zoom;
        [
            spec.origin[0] + f64::from(cell.x) * spec.cell_size,
            spec.y_max() - f64::from(cell.y) * spec.cell_size,
        ]
    }

    fn fit(&mut self, rect: Rect, spec: &GridSpec) {
        let size = Vec2::new(spec.width as f32, spec.height as f32);
        if (rect.size() - self.fitted_for).length() > 1.0
            && rect.width() > 0.0
            && rect.height() > 0.0
        {
            self.zoom = (rect.width() / size.x).min(rect.height() / size.y);
            self.offset = (rect.size() - size * self.zoom) / 2.0;
            self.fitted_for = rect.size();
        }
    }
}

/// What a canvas shows.
pub struct Canvas<'a> {
    /// Id salt (one per canvas).
    pub id: &'a str,
    /// Title drawn in the top-left corner.
    pub title: &'a str,
    /// Grid.
    pub spec: GridSpec,
    /// Hillshade.
    pub terrain: &'a TextureHandle,
    /// Travel-time bands.
    pub iso: Option<&'a TextureHandle>,
    /// Roads and people.
    pub geometry: Option<&'a Geometry>,
    /// Seconds from the nearest base per road node.
    pub node_time_s: &'a [f64],
    /// Minutes from the nearest base per cell (empty while unknown).
    pub minutes: &'a [f32],
    /// Sites.
    pub sites: &'a [Site],
    /// Their positions.
    pub layout: &'a Layout,
    /// Sites may be dragged.
    pub editable: bool,
    /// Highlighted site.
    pub selected: Option<usize>,
}

/// What the user did on a canvas.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Event {
    /// A site is being dragged to a point, m.
    Moving(usize, [f64; 2]),
    /// A site was dropped at a point, m.
    Released(usize, [f64; 2]),
    /// A site was clicked.
    Selected(usize),
}

fn nearest_site(c: &Canvas<'_>, view: View, rect: Rect, s: Pos2, max_px: f32) -> Option<usize> {
    c.layout
        .pos
        .iter()
        .enumerate()
        .map(|(i, p)| (i, view.to_screen(rect, &c.spec, *p).distance(s)))
        .filter(|(_, d)| *d <= max_px)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

fn clamp_to(spec: &GridSpec, p: [f64; 2]) -> [f64; 2] {
    [
        p[0].clamp(spec.origin[0], spec.origin[0] + spec.extent_x()),
        p[1].clamp(spec.origin[1], spec.y_max()),
    ]
}

/// Draws `c` in `rect`; `drag` holds the site being dragged across frames.
pub fn show(
    ui: &mut egui::Ui,
    rect: Rect,
    view: &mut View,
    drag: &mut Option<usize>,
    c: &Canvas<'_>,
) -> Option<Event> {
    let response = ui.interact(rect, ui.make_persistent_id(c.id), Sense::click_and_drag());
    view.fit(rect, &c.spec);
    let mut event = None;
    let pointer = response.interact_pointer_pos();
    if response.drag_started() {
        let origin = ui.input(|i| i.pointer.press_origin());
        *drag = origin
            .filter(|_| c.editable)
            .and_then(|o| nearest_site(c, *view, rect, o, 14.0));
        view.pan_from = origin.filter(|_| drag.is_none()).map(|o| (view.offset, o));
        view.grab = match (*drag, origin) {
            (Some(i), Some(o)) => view.to_screen(rect, &c.spec, c.layout.pos[i]) - o,
            _ => Vec2::ZERO,
        };
    }
    if response.dragged() {
        match (*drag, pointer, view.pan_from) {
            (Some(i), Some(p), _) => {
                event = Some(Event::Moving(
                    i,
                    clamp_to(&c.spec, view.to_world(rect, &c.spec, p + view.grab)),
                ));
            }
            (None, Some(p), Some((offset, origin))) => view.offset = offset + (p - origin),
            _ => view.offset += response.drag_delta(),
        }
    }
    if response.drag_stopped() {
        view.pan_from = None;
    }
    if response.drag_stopped()
        && let Some(i) = drag.take()
    {
        let p = pointer.map_or(c.layout.pos[i], |p| {
            view.to_world(rect, &c.spec, p + view.grab)
        });
        event = Some(Event::Released(i, clamp_to(&c.spec, p)));
    }
    if response.clicked()
        && let Some(i) = pointer.and_then(|p| nearest_site(c, *view, rect, p, 14.0))
    {
        event = Some(Event::Selected(i));
    }
    if let Some(hover) = response.hover_pos() {
        let scroll = ui.input(|i| i.smooth_scroll_delta.y);
        if scroll != 0.0 {
            let factor = (scroll / 200.0).exp();
            let anchor = hover - rect.min;
            view.offset = anchor - (anchor - view.offset) * factor;
            view.zoom *= factor;
        }
    }
    draw(ui, rect, view, c, *drag);
    if let Some(p) = response.hover_pos() {
        let [x, y] = view.to_world(rect, &c.spec, p);
        let minutes = c
            .spec
            .cell_at(x, y)
            .and_then(|(col, row)| c.minutes.get(c.spec.index(col, row)))
            .filter(|m| m.is_finite());
        let text = match minutes {
            Some(m) => fill(
                tr("E {} m  N {} m  ·  {} min"),
                &[&format!("{x:.0}"), &format!("{y:.0}"), &format!("{m:.1}")],
            ),
            None => format!("E {x:.0} m  N {y:.0} m"),
        };
        let painter = ui.painter_at(rect);
        let galley = painter.layout_no_wrap(text, egui::FontId::monospace(12.0), Color32::WHITE);
        let at = rect.right_bottom() - galley.size() - Vec2::splat(8.0);
        painter.rect_filled(
            Rect::from_min_size(at, galley.size()).expand(3.0),
            3.0,
            Color32::from_black_alpha(170),
        );
        painter.galley(at, galley, Color32::WHITE);
    }
    event
}

fn draw(ui: &egui::Ui, rect: Rect, view: &View, c: &Canvas<'_>, dragging: Option<usize>) {
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, Color32::from_gray(30));
    let size = Vec2::new(c.spec.width as f32, c.spec.height as f32);
    let img = Rect::from_min_size(rect.min + view.offset, size * view.zoom);
    let uv = Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0));
    painter.image(c.terrain.id(), img, uv, Color32::WHITE);
    if let Some(t) = c.iso {
        painter.image(t.id(), img, uv, Color32::WHITE);
    }
    let to_screen = |p: [f64; 2]| view.to_screen(rect, &c.spec, p);
    if let Some(g) = c.geometry {
        for (from, to, line) in &g.roads {
            let t = |n: &u32| c.node_time_s.get(*n as usize).copied().unwrap_or(f64::NAN);
            let m = t(from).min(t(to)) / 60.0;
            let colour = band(m).map_or(Color32::from_gray(150), |b| {
                let [r, gr, bl] = BANDS[b].1;
                Color32::from_rgb(r, gr, bl)
            });
            let pts: Vec<Pos2> = line.iter().map(|p| to_screen(*p)).collect();
            painter.add(egui::Shape::line(pts, Stroke::new(2.5, colour)));
        }
        for (p, people, _) in &g.groups {
            let r = (2.0 + people.sqrt() as f32 * 0.35).min(18.0);
            painter.circle(
                to_screen(*p),
                r,
                Color32::from_rgba_unmultiplied(140, 60, 200, 170),
                Stroke::new(1.0, Color32::WHITE),
            );
        }
    }
    let mut placed: Vec<Rect> = Vec::new();
    for (i, (s, p)) in c.sites.iter().zip(&c.layout.pos).enumerate() {
        let at = to_screen(*p);
        if Some(i) == c.selected || Some(i) == dragging {
            painter.circle_stroke(at, 13.0, Stroke::new(3.0, Color32::YELLOW));
        }
        site_symbol(&painter, at, s.kind);
        placed.push(Rect::from_center_size(at, Vec2::splat(16.0)));
    }
    // Labels after all symbols, each at the first free spot around its site.
    for (s, p) in c.sites.iter().zip(&c.layout.pos) {
        let galley = painter.layout_no_wrap(
            s.label.clone(),
            egui::FontId::proportional(13.0),
            Color32::WHITE,
        );
        let at = to_screen(*p);
        let sz = galley.size();
        let spots = [
            at + Vec2::new(11.0, -sz.y / 2.0),
            at + Vec2::new(-11.0 - sz.x, -sz.y / 2.0),
            at + Vec2::new(-sz.x / 2.0, -11.0 - sz.y),
            at + Vec2::new(-sz.x / 2.0, 11.0),
            at + Vec2::new(11.0, -11.0 - sz.y),
            at + Vec2::new(11.0, 11.0),
            at + Vec2::new(-11.0 - sz.x, -11.0 - sz.y),
            at + Vec2::new(-11.0 - sz.x, 11.0),
        ];
        let free = |r: &Rect| rect.contains_rect(*r) && !placed.iter().any(|q| q.intersects(*r));
        let spot = spots
            .iter()
            .map(|o| Rect::from_min_size(*o, sz).expand(1.0))
            .find(free)
            .unwrap_or_else(|| Rect::from_min_size(spots[0], sz));
        painter.rect_filled(spot, 3.0, Color32::from_black_alpha(150));
        painter.galley(spot.min + Vec2::splat(1.0), galley, Color32::WHITE);
        placed.push(spot);
    }
    let title = painter.layout_no_wrap(
        c.title.to_owned(),
        egui::FontId::proportional(16.0),
        Color32::WHITE,
    );
    let title_rect = Rect::from_min_size(rect.min + Vec2::new(6.0, 4.0), title.size()).expand(3.0);
    painter.rect_filled(title_rect, 3.0, Color32::from_black_alpha(170));
    painter.galley(rect.min + Vec2::new(6.0, 4.0), title, Color32::WHITE);
}

/// Symbols: base = red square, depot = blue diamond, shelter = green triangle.
fn site_symbol(painter: &egui::Painter, at: Pos2, kind: SiteKind) {
    let outline = Stroke::new(1.5, Color32::WHITE);
    match kind {
        SiteKind::Base => {
            painter.rect(
                Rect::from_center_size(at, Vec2::splat(14.0)),
                2.0,
                Color32::from_rgb(200, 30, 30),
                outline,
                egui::StrokeKind::Middle,
            );
        }
        SiteKind::Depot => {
            let d = 9.0;
            painter.add(egui::Shape::convex_polygon(
                vec![
                    at + Vec2::new(0.0, -d),
                    at + Vec2::new(d, 0.0),
                    at + Vec2::new(0.0, d),
                    at + Vec2::new(-d, 0.0),
                ],
                Color32::from_rgb(40, 90, 220),
                outline,
            ));
        }
        SiteKind::Shelter => {
            painter.add(egui::Shape::convex_polygon(
                vec![
                    at + Vec2::new(0.0, -10.0),
                    at + Vec2::new(9.0, 7.0),
                    at + Vec2::new(-9.0, 7.0),
                ],
                Color32::from_rgb(20, 150, 60),
                outline,
            ));
        }
    }
}

/// The map legend (drawn in the side panel so it never hides a site).
pub fn legend(ui: &mut egui::Ui) {
    let font = egui::FontId::proportional(13.0);
    let row_h = 18.0;
    let rows = BANDS.len() + 2;
    let (bg, _) = ui.allocate_exact_size(
        Vec2::new(ui.available_width().min(440.0), row_h * rows as f32 + 8.0),
        Sense::hover(),
    );
    let painter = ui.painter_at(bg);
    painter.rect_filled(bg, 4.0, Color32::from_gray(40));
    let mut y = bg.top() + 4.0;
    let x = bg.left() + 6.0;
    painter.text(
        Pos2::new(x, y),
        egui::Align2::LEFT_TOP,
        tr("Travel time from the nearest base (roads and area)"),
        font.clone(),
        Color32::WHITE,
    );
    y += row_h;
    let top = y;
    for (label, [r, g, b]) in BANDS {
        painter.rect_filled(
            Rect::from_min_size(Pos2::new(x, y + 2.0), Vec2::new(22.0, 10.0)),
            0.0,
            Color32::from_rgb(r, g, b),
        );
        painter.text(
            Pos2::new(x + 30.0, y),
            egui::Align2::LEFT_TOP,
            tr(label),
            font.clone(),
            Color32::WHITE,
        );
        y += row_h;
    }
    painter.line_segment(
        [Pos2::new(x, y + 7.0), Pos2::new(x + 22.0, y + 7.0)],
        Stroke::new(2.5, Color32::from_gray(150)),
    );
    painter.text(
        Pos2::new(x + 30.0, y),
        egui::Align2::LEFT_TOP,
        tr("No road link to a base"),
        font.clone(),
        Color32::WHITE,
    );
    // Second column: symbols.
    let x = x + 200.0;
    let mut y = top;
    for (kind, label) in [
        (SiteKind::Base, tr("Base (drag to move)")),
        (SiteKind::Depot, tr("Depot")),
        (SiteKind::Shelter, tr("Shelter")),
    ] {
        site_symbol(&painter, Pos2::new(x + 11.0, y + 7.0), kind);
        painter.text(
            Pos2::new(x + 30.0, y),
            egui::Align2::LEFT_TOP,
            label,
            font.clone(),
            Color32::WHITE,
        );
        y += row_h;
    }
    painter.circle(
        Pos2::new(x + 11.0, y + 7.0),
        5.0,
        Color32::from_rgba_unmultiplied(140, 60, 200, 170),
        Stroke::new(1.0, Color32::WHITE),
    );
    painter.text(
        Pos2::new(x + 30.0, y),
        egui::Align2::LEFT_TOP,
        tr("People (circle area ∝ number)"),
        font,
        Color32::WHITE,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_split_at_5_15_30_minutes() {
        assert_eq!(band(0.0), Some(0));
        assert_eq!(band(5.0), Some(0));
        assert_eq!(band(5.01), Some(1));
        assert_eq!(band(15.0), Some(1));
        assert_eq!(band(30.0), Some(2));
        assert_eq!(band(30.5), Some(3));
        assert_eq!(band(f64::NAN), None);
        assert_eq!(band(f64::INFINITY), None);
        assert_eq!(
            iso_rgba(&[f32::NAN, 3.0]),
            vec![0, 0, 0, 0, 26, 152, 80, 120]
        );
    }

    #[test]
    fn view_round_trips_world_points() {
        let spec = GridSpec {
            width: 100,
            height: 50,
            cell_size: 10.0,
            origin: [1000.0, 2000.0],
        };
        let rect = Rect::from_min_size(Pos2::new(50.0, 20.0), Vec2::new(400.0, 400.0));
        let mut v = View::default();
        v.fit(rect, &spec);
        assert!((v.zoom - 4.0).abs() < 1e-6);
        let p = [1234.0, 2345.0];
        let s = v.to_screen(rect, &spec, p);
        let back = v.to_world(rect, &spec, s);
        assert!((back[0] - p[0]).abs() < 1e-3 && (back[1] - p[1]).abs() < 1e-3);
        // The north-west corner is the grid's top-left pixel.
        let nw = v.to_screen(rect, &spec, [1000.0, 2500.0]);
        assert_eq!(nw, rect.min + v.offset);
    }
}
