//! Vector layers of the map, drawn as shapes over the hazard overlay:
//!
//! - **roads**: width by class, pale over the terrain; closed roads red with a cross at
//!   their middle (the engine's report map marks them red too);
//! - **team routes**: the route still ahead of each team on a trip, dashed in the team's
//!   status colour, with a ring at the destination;
//! - **evacuee flows**: people on the move to a shelter or hospital, drawn along the
//!   route still ahead, green, width growing with the square root of the head count, an
//!   arrowhead at the destination and the count beside the start. The engine moves
//!   people in groups (walking or driving themselves) and aboard teams (carried or
//!   transported), so a flow is one moving group or one team with people aboard, and the
//!   flows add up to everyone on the move. Groups waiting for rescue are marked with a
//!   red ring and their head count.
//!
//! Cheap at any size: edges whose bounding box is off screen are skipped, vertices closer
//! than [`MIN_STEP_PX`] to the last one drawn are dropped, and minor roads are left out
//! at small scales ([`MINOR_ROADS_PX_PER_M`]; closed ones are always drawn).

use drillsim_engine::agents::roads::RoadClass;
use drillsim_engine::agents::state::GroupPhase;
use drillsim_engine::world::GridSpec;
use egui::{Color32, Pos2, Rect, Shape, Stroke, Vec2};

use crate::map_symbols::phase_colour;
use crate::sim_thread::{GroupFrame, RoadLine, TeamFrame};

/// Vertices closer than this to the previous one drawn are skipped, screen points.
pub const MIN_STEP_PX: f32 = 1.5;

/// Colour of an open road.
pub const ROAD: Color32 = Color32::from_rgb(250, 246, 232);
/// Colour of a closed road.
pub const CLOSED: Color32 = Color32::from_rgb(225, 25, 25);
/// Colour of an evacuee flow.
pub const FLOW: Color32 = Color32::from_rgb(30, 200, 90);
/// Colour of a group waiting for rescue.
pub const WAITING: Color32 = Color32::from_rgb(235, 40, 40);

/// World ↔ screen mapping of the map panel in one frame.
#[derive(Clone, Copy, Debug)]
pub struct View {
    /// Grid.
    pub spec: GridSpec,
    /// Screen position of the grid's top-left corner.
    pub origin: Pos2,
    /// Screen points per cell.
    pub zoom: f32,
    /// The map panel on screen.
    pub clip: Rect,
}

impl View {
    /// Screen position of world point `p`, m.
    pub fn to_screen(self, p: [f64; 2]) -> Pos2 {
        let s = self.spec;
        self.origin
            + Vec2::new(
                ((p[0] - s.origin[0]) / s.cell_size) as f32,
                ((s.y_max() - p[1]) / s.cell_size) as f32,
            ) * self.zoom
    }

    /// Screen points per metre.
    pub fn px_per_m(self) -> f32 {
        self.zoom / self.spec.cell_size as f32
    }

    /// Whether a world bounding box (min x, min y, max x, max y) is on screen.
    pub fn shows(self, bbox: [f64; 4]) -> bool {
        let a = self.to_screen([bbox[0], bbox[3]]);
        let b = self.to_screen([bbox[2], bbox[1]]);
        Rect::from_two_pos(a, b).expand(4.0).intersects(self.clip)
    }
}

/// Whether edge `e` is closed in the bitset `closed`.
pub fn is_closed(closed: &[u64], e: usize) -> bool {
    closed.get(e / 64).is_some_and(|w| w >> (e % 64) & 1 == 1)
}

/// Stroke width of a road class, screen points.
pub fn road_width(class: RoadClass) -> f32 {
    match class {
        RoadClass::Motorway | RoadClass::Primary => 3.0,
        RoadClass::Secondary | RoadClass::Tertiary => 2.2,
        RoadClass::Residential | RoadClass::Service => 1.4,
        RoadClass::Track | RoadClass::Path => 1.0,
    }
}

/// Finest scale at which minor roads (residential, service, track, path) are drawn,
/// screen points per metre: below it (zoomed out, one point > 8 m) only the major roads
/// are, as web maps hide streets at small scales. Closed roads are always drawn.
pub const MINOR_ROADS_PX_PER_M: f64 = 0.125;

/// Whether a road of `class` is drawn at `px_per_m`.
pub fn drawn_at(class: RoadClass, px_per_m: f64) -> bool {
    road_width(class) >= 2.0 || px_per_m >= MINOR_ROADS_PX_PER_M
}

/// `pts` without the vertices closer than `min_px` to the last one kept (the last
/// vertex is always kept, so the line ends where it should).
pub fn simplify(pts: impl IntoIterator<Item = Pos2>, min_px: f32) -> Vec<Pos2> {
    let mut out: Vec<Pos2> = Vec::new();
    let mut last_dropped = None;
    for p in pts {
        match out.last() {
            Some(q) if q.distance(p) < min_px => last_dropped = Some(p),
            _ => {
                out.push(p);
                last_dropped = None;
            }
        }
    }
    if let Some(p) = last_dropped {
        out.push(p);
    }
    out
}

/// The point halfway along a screen polyline and the direction there.
fn midpoint(pts: &[Pos2]) -> Option<(Pos2, Vec2)> {
    let total: f32 = pts.windows(2).map(|w| w[0].distance(w[1])).sum();
    let mut left = total / 2.0;
    for w in pts.windows(2) {
        let d = w[0].distance(w[1]);
        if d > 0.0 && left <= d {
            let dir = (w[1] - w[0]) / d;
            return Some((w[0] + dir * left, dir));
        }
        left -= d;
    }
    None
}

/// The roads on screen worth drawing at this zoom, with their simplified screen
/// polylines: `closed` picks the closed or the open ones.
fn visible_roads<'a>(
    view: &'a View,
    roads: &'a [RoadLine],
    closed_bits: &'a [u64],
    closed: bool,
) -> impl Iterator<Item = (&'a RoadLine, Vec<Pos2>)> + 'a {
    let ppm = f64::from(view.px_per_m());
    roads.iter().enumerate().filter_map(move |(e, r)| {
        if is_closed(closed_bits, e) != closed || !view.shows(r.bbox) {
            return None;
        }
        if !closed && !drawn_at(r.class, ppm) {
            return None;
        }
        Some((
            r,
            simplify(r.pts.iter().map(|&p| view.to_screen(p)), MIN_STEP_PX),
        ))
    })
}

/// Draws the open roads (under the hazard overlay, so water and gas show over them).
pub fn draw_open_roads(painter: &egui::Painter, view: &View, roads: &[RoadLine], closed: &[u64]) {
    for (r, pts) in visible_roads(view, roads, closed, false) {
        let alpha = if road_width(r.class) < 2.0 { 150 } else { 220 };
        let c = Color32::from_rgba_unmultiplied(ROAD.r(), ROAD.g(), ROAD.b(), alpha);
        painter.add(Shape::line(pts, Stroke::new(road_width(r.class), c)));
    }
}

/// Draws the closed roads (over the hazard overlay) red with a cross at their middle.
pub fn draw_closed_roads(painter: &egui::Painter, view: &View, roads: &[RoadLine], closed: &[u64]) {
    for (r, pts) in visible_roads(view, roads, closed, true) {
        let mid = midpoint(&pts);
        painter.add(Shape::line(
            pts,
            Stroke::new(road_width(r.class).max(2.5), CLOSED),
        ));
        if let Some((m, dir)) = mid {
            closed_cross(painter, m, dir);
        }
    }
}

/// The "road closed" mark: a white-rimmed red cross across the road at `m`.
pub fn closed_cross(painter: &egui::Painter, m: Pos2, dir: Vec2) {
    let n = dir.rot90();
    for (a, b) in [(dir + n, -dir - n), (dir - n, n - dir)] {
        let seg = [m + a * 5.0, m + b * 5.0];
        painter.line_segment(seg, Stroke::new(4.0, Color32::WHITE));
        painter.line_segment(seg, Stroke::new(2.2, CLOSED));
    }
}

/// Draws the route ahead of each team on a trip.
pub fn draw_routes(painter: &egui::Painter, view: &View, teams: &[TeamFrame]) {
    for t in teams.iter().filter(|t| t.route.len() >= 2) {
        let pts = simplify(t.route.iter().map(|&p| view.to_screen(p)), MIN_STEP_PX);
        let c = phase_colour(&t.phase);
        painter.extend(Shape::dashed_line(&pts, Stroke::new(1.6, c), 6.0, 4.0));
        if let Some(&end) = pts.last() {
            painter.circle_stroke(end, 4.0, Stroke::new(1.6, c));
        }
    }
}

/// Stroke width of a flow of `people` when the largest flow has `max_people`: 2 to 8
/// points, growing with the square root (area-true for a line of fixed length).
pub fn flow_width(people: f64, max_people: f64) -> f32 {
    2.0 + 6.0 * (people / max_people.max(1.0)).clamp(0.0, 1.0).sqrt() as f32
}

/// The evacuee flows: (route ahead, people) of every moving group and every team with
/// people aboard.
pub fn flows<'a>(
    groups: &'a [GroupFrame],
    teams: &'a [TeamFrame],
) -> impl Iterator<Item = (&'a [[f64; 2]], f64)> + 'a {
    let moving = groups
        .iter()
        .filter(|g| g.phase == GroupPhase::Moving && g.route.len() >= 2)
        .map(|g| (&g.route[..], g.people));
    let aboard = teams
        .iter()
        .filter(|t| t.people_aboard > 0.0 && t.route.len() >= 2)
        .map(|t| (&t.route[..], t.people_aboard));
    moving.chain(aboard)
}

/// Draws evacuee flows and groups waiting for rescue.
pub fn draw_flows(
    painter: &egui::Painter,
    view: &View,
    groups: &[GroupFrame],
    teams: &[TeamFrame],
) {
    let max_people = flows(groups, teams).map(|f| f.1).fold(0.0, f64::max);
    let font = egui::FontId::proportional(12.0);
    for (route, people) in flows(groups, teams) {
        let pts = simplify(route.iter().map(|&p| view.to_screen(p)), MIN_STEP_PX);
        let w = flow_width(people, max_people);
        let c = Color32::from_rgba_unmultiplied(FLOW.r(), FLOW.g(), FLOW.b(), 200);
        if let [.., a, b] = pts[..] {
            let d = (b - a).normalized();
            let head = 4.0 + 1.5 * w;
            painter.add(Shape::convex_polygon(
                vec![
                    b,
                    b - d * head + d.rot90() * head * 0.6,
                    b - d * head - d.rot90() * head * 0.6,
                ],
                c,
                Stroke::NONE,
            ));
        }
        let start = pts[0];
        painter.add(Shape::line(pts, Stroke::new(w, c)));
        painter.text(
            start + Vec2::new(6.0, -6.0),
            egui::Align2::LEFT_BOTTOM,
            format!("{people:.0}"),
            font.clone(),
            Color32::WHITE,
        );
    }
    for g in groups.iter().filter(|g| g.phase == GroupPhase::Waiting) {
        let c = view.to_screen(g.pos);
        painter.circle_stroke(c, 7.0, Stroke::new(3.0, Color32::WHITE));
        painter.circle_stroke(c, 7.0, Stroke::new(2.0, WAITING));
        painter.text(
            c + Vec2::new(9.0, -9.0),
            egui::Align2::LEFT_BOTTOM,
            format!("{:.0}", g.people),
            font.clone(),
            WAITING,
        );
    }
}

/// Distance from `p` to the segment `a`–`b`, screen points.
fn segment_distance(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let t = if ab.length_sq() > 0.0 {
        ((p - a).dot(ab) / ab.length_sq()).clamp(0.0, 1.0)
    } else {
        0.0
    };
    p.distance(a + ab * t)
}

/// The road edge nearest screen point `p` within `radius` points, if any.
pub fn pick_road(view: &View, roads: &[RoadLine], p: Pos2, radius: f32) -> Option<usize> {
    roads
        .iter()
        .enumerate()
        .filter(|(_, r)| view.shows(r.bbox))
        .filter_map(|(e, r)| {
            let d = r
                .pts
                .windows(2)
                .map(|w| segment_distance(p, view.to_screen(w[0]), view.to_screen(w[1])))
                .fold(f32::INFINITY, f32::min);
            (d <= radius).then_some((d, e))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, e)| e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> View {
        View {
            spec: GridSpec {
                width: 100,
                height: 100,
                cell_size: 10.0,
                origin: [0.0, 0.0],
            },
            origin: Pos2::new(0.0, 0.0),
            zoom: 2.0,
            clip: Rect::from_min_size(Pos2::ZERO, Vec2::splat(200.0)),
        }
    }

    #[test]
    fn simplify_drops_close_vertices_and_keeps_the_end() {
        let pts = [0.0, 0.5, 1.0, 2.0, 2.4].map(|x| Pos2::new(x, 0.0));
        let s = simplify(pts, 1.5);
        assert_eq!(
            s.iter().map(|p| p.x).collect::<Vec<_>>(),
            vec![0.0, 2.0, 2.4]
        );
        assert!(simplify([], 1.5).is_empty());
    }

    #[test]
    fn closed_bits_and_widths() {
        let closed = [0b100, 1 << 2];
        assert!(is_closed(&closed, 2) && is_closed(&closed, 66));
        assert!(!is_closed(&closed, 0) && !is_closed(&closed, 200));
        assert!(road_width(RoadClass::Primary) > road_width(RoadClass::Residential));
        // Streets only from 1 point per 8 m; primary roads at any scale.
        assert!(drawn_at(RoadClass::Residential, 0.2) && !drawn_at(RoadClass::Residential, 0.1));
        assert!(drawn_at(RoadClass::Primary, 0.01));
        // Width: 2 points for an empty flow, 8 for the largest, square-root scaling.
        assert_eq!(flow_width(0.0, 400.0), 2.0);
        assert_eq!(flow_width(400.0, 400.0), 8.0);
        assert_eq!(flow_width(100.0, 400.0), 5.0);
    }

    #[test]
    fn world_to_screen_culling_and_road_pick() {
        let v = view();
        // 10 m cells at 2 px per cell: 0.2 px/m; north-up.
        assert_eq!(v.to_screen([0.0, 1000.0]), Pos2::new(0.0, 0.0));
        assert_eq!(v.to_screen([500.0, 0.0]), Pos2::new(100.0, 200.0));
        assert!(v.shows([0.0, 0.0, 10.0, 10.0]));
        assert!(!v.shows([5000.0, 5000.0, 6000.0, 6000.0]));
        let road = |y: f64| RoadLine {
            class: RoadClass::Residential,
            name: String::new(),
            pts: vec![[0.0, y], [1000.0, y]],
            bbox: [0.0, y, 1000.0, y],
        };
        let roads = [road(500.0), road(540.0)];
        // y = 540 m is at 92 px on screen, y = 500 m at 100 px.
        assert_eq!(pick_road(&v, &roads, Pos2::new(50.0, 93.0), 6.0), Some(1));
        assert_eq!(pick_road(&v, &roads, Pos2::new(50.0, 99.0), 6.0), Some(0));
        assert_eq!(pick_road(&v, &roads, Pos2::new(50.0, 150.0), 6.0), None);
    }

    #[test]
    fn midpoint_of_an_l() {
        let pts = [
            Pos2::new(0.0, 0.0),
            Pos2::new(0.0, 10.0),
            Pos2::new(30.0, 10.0),
        ];
        let (m, d) = midpoint(&pts).unwrap();
        assert_eq!((m, d), (Pos2::new(10.0, 10.0), Vec2::new(1.0, 0.0)));
    }
}
