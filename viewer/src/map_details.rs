//! Click-for-details on the map: what was clicked (the nearest team or facility symbol
//! within a few pixels, otherwise the map cell) and a details box with its values. Cell
//! values come from the engine's point query (`Simulation::hazard_layers().at`), asked
//! for through `Command::Probe` and published in `Frame::probe`.

use drillsim_engine::agents::state::FacilityKind;
use drillsim_engine::hazards::flood::HazardClass;
use drillsim_engine::sim::layers::{FireState, PointHazards};
use egui::{Pos2, Vec2};

use crate::map::Layers;
use crate::sim_thread::Frame;

/// Pick radius around a symbol, screen points.
const PICK_PX: f32 = 10.0;

/// What the details box shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Selection {
    /// A team (id).
    Team(String),
    /// A facility (id).
    Facility(String),
    /// A map point, m.
    Cell([f64; 2]),
}

/// The selection for a click at screen point `p` (world point `world`).
pub fn pick(
    frame: &Frame,
    layers: Layers,
    p: Pos2,
    world: [f64; 2],
    to_screen: &dyn Fn([f64; 2]) -> Pos2,
) -> Selection {
    let near = |q: [f64; 2]| {
        let d = to_screen(q).distance(p);
        (d <= PICK_PX).then_some(d)
    };
    let best = |it: &mut dyn Iterator<Item = (f32, String)>| {
        it.min_by(|a, b| a.0.total_cmp(&b.0)).map(|(_, id)| id)
    };
    if layers.teams
        && let Some(id) = best(
            &mut frame
                .teams
                .iter()
                .filter_map(|t| Some((near(t.pos)?, t.id.clone()))),
        )
    {
        return Selection::Team(id);
    }
    if layers.facilities
        && let Some(id) = best(
            &mut frame
                .facilities
                .iter()
                .filter_map(|f| Some((near(f.pos)?, f.id.clone()))),
        )
    {
        return Selection::Facility(id);
    }
    Selection::Cell(world)
}

/// Shows the details box of `sel` at the right of the map (with a close button).
pub fn show(ui: &egui::Ui, rect: egui::Rect, frame: &Frame, sel: &mut Option<Selection>) {
    let Some(s) = sel.as_ref() else {
        return;
    };
    let lines = lines(frame, s);
    let mut close = false;
    egui::Area::new(ui.scope_id().with("details"))
        .fixed_pos(rect.right_top() + Vec2::new(-290.0, 80.0))
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_width(270.0);
                ui.horizontal(|ui| {
                    ui.strong("Details");
                    close = ui.small_button("Close details").clicked();
                });
                for l in &lines {
                    ui.label(l);
                }
            });
        });
    if close {
        *sel = None;
    }
}

/// The text lines of a selection (whole phrases; numbers formatted in SI with units).
pub fn lines(frame: &Frame, sel: &Selection) -> Vec<String> {
    match sel {
        Selection::Team(id) => match frame.teams.iter().find(|t| &t.id == id) {
            Some(t) => vec![
                format!("Team: {}", t.name),
                format!("Id: {}", t.id),
                format!("Status: {:?}", t.phase),
                format!("Task: {}", t.task.as_deref().unwrap_or("none")),
                format!("Position: E {:.0} m, N {:.0} m", t.pos[0], t.pos[1]),
            ],
            None => vec!["Team no longer listed".into()],
        },
        Selection::Facility(id) => match frame.facilities.iter().find(|f| &f.id == id) {
            Some(f) => {
                let kind = match &f.kind {
                    FacilityKind::Base(k) => format!("Base ({k:?})"),
                    FacilityKind::Depot => "Depot".into(),
                    FacilityKind::Shelter(_) => "Shelter".into(),
                    FacilityKind::Hospital(_) => "Hospital".into(),
                    FacilityKind::CommandPost => "Command post".into(),
                };
                vec![
                    format!("Facility: {}", f.name),
                    format!("Id: {}", f.id),
                    format!("Kind: {kind}"),
                    format!("People inside: {:.0}", f.inside),
                    format!("Position: E {:.0} m, N {:.0} m", f.pos[0], f.pos[1]),
                ]
            }
            None => vec!["Facility no longer listed".into()],
        },
        Selection::Cell(p) => {
            let mut out = vec![format!("Point: E {:.0} m, N {:.0} m", p[0], p[1])];
            if frame.overlays.is_none() {
                out.push("Hazard fields hidden (player view)".into());
                return out;
            }
            match &frame.probe {
                Some((q, h)) if q == p => out.extend(hazard_lines(h)),
                _ => out.push("Querying…".into()),
            }
            out
        }
    }
}

/// Hazard values of a point as text lines.
pub fn hazard_lines(h: &PointHazards) -> Vec<String> {
    let mut out = vec![format!("Water depth: {:.2} m", h.depth_m)];
    if h.depth_m > 0.0 {
        out.push(format!("Water speed: {:.2} m/s", h.speed_m_s));
        let class = match HazardClass::of(h.hazard_rating) {
            HazardClass::Low => "caution",
            HazardClass::DangerForSome => "danger for some",
            HazardClass::DangerForMost => "danger for most",
            HazardClass::DangerForAll => "danger for all",
        };
        out.push(format!("Hazard rating: {:.2} ({class})", h.hazard_rating));
    }
    for g in &h.gas {
        let level = g.level.as_deref().unwrap_or("below levels of concern");
        out.push(format!("{}: {:.1} ppm ({level})", g.label, g.ppm));
    }
    match h.fire {
        FireState::Unburned => {}
        FireState::Burning(a, i) => out.push(format!(
            "Fire: burning since {:.0} min, {i:.0} kW/m",
            a / 60.0
        )),
        FireState::Burned(a, i) => {
            out.push(format!("Fire: burned at {:.0} min, {i:.0} kW/m", a / 60.0));
        }
    }
    if h.flux_w_m2 > 0.0 {
        out.push(format!("Thermal flux: {:.1} kW/m²", h.flux_w_m2 / 1000.0));
    }
    if h.overpressure_pa > 0.0 {
        out.push(format!(
            "Overpressure: {:.2} psi",
            h.overpressure_pa / 6894.757
        ));
    }
    out
}
