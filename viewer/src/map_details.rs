//! Click-for-details on the map: what was clicked (the nearest team or facility symbol
//! within a few pixels, otherwise the map cell) and a details box with its values. Cell
//! values come from the engine's point query (`Simulation::hazard_layers().at`), asked
//! for through `Command::Probe` and published in `Frame::probe`.

use drillsim_engine::agents::state::FacilityKind;
use drillsim_engine::hazards::flood::HazardClass;
use drillsim_engine::sim::layers::{FireState, PointHazards};
use egui::{Pos2, Vec2};

use crate::i18n::{fill, tr};
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
    /// A road edge (index) clicked at a map point, m.
    Road(usize, [f64; 2]),
}

/// The selection for a click at screen point `p` (world point `world`); `road`: the
/// road edge under the click, if any (a team or facility symbol wins over it).
pub fn pick(
    frame: &Frame,
    layers: Layers,
    p: Pos2,
    world: [f64; 2],
    to_screen: &dyn Fn([f64; 2]) -> Pos2,
    road: Option<usize>,
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
    match road {
        Some(e) => Selection::Road(e, world),
        None => Selection::Cell(world),
    }
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
                    ui.strong(tr("Details"));
                    close = ui.small_button(tr("Close details")).clicked();
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
                fill(tr("Team: {}"), &[&t.name]),
                fill(tr("Id: {}"), &[&t.id]),
                fill(tr("Status: {}"), &[&format!("{:?}", t.phase)]),
                fill(tr("Task: {}"), &[t.task.as_deref().unwrap_or(tr("none"))]),
                position(t.pos),
            ],
            None => vec![tr("Team no longer listed").into()],
        },
        Selection::Facility(id) => match frame.facilities.iter().find(|f| &f.id == id) {
            Some(f) => {
                let kind = match &f.kind {
                    FacilityKind::Base(k) => format!("{} ({k:?})", tr("Base")),
                    FacilityKind::Depot => tr("Depot").into(),
                    FacilityKind::Shelter(_) => tr("Shelter").into(),
                    FacilityKind::Hospital(_) => tr("Hospital").into(),
                    FacilityKind::CommandPost => tr("Command post").into(),
                };
                vec![
                    fill(tr("Facility: {}"), &[&f.name]),
                    fill(tr("Id: {}"), &[&f.id]),
                    fill(tr("Kind: {}"), &[&kind]),
                    fill(tr("People inside: {}"), &[&format!("{:.0}", f.inside)]),
                    position(f.pos),
                ]
            }
            None => vec![tr("Facility no longer listed").into()],
        },
        Selection::Road(e, p) => {
            let mut out = match frame.roads.get(*e) {
                Some(r) => {
                    let name = if r.name.is_empty() {
                        tr("Road (unnamed)").to_owned()
                    } else {
                        fill(tr("Road: {}"), &[&r.name])
                    };
                    let state = if crate::map_vectors::is_closed(&frame.closed, *e) {
                        tr("Status: closed")
                    } else {
                        tr("Status: open")
                    };
                    vec![
                        name,
                        fill(tr("Class: {}"), &[&format!("{:?}", r.class).to_lowercase()]),
                        state.to_owned(),
                    ]
                }
                None => vec![tr("Road no longer listed").into()],
            };
            out.extend(lines(frame, &Selection::Cell(*p)));
            out
        }
        Selection::Cell(p) => {
            let mut out = vec![fill(
                tr("Point: E {} m, N {} m"),
                &[&format!("{:.0}", p[0]), &format!("{:.0}", p[1])],
            )];
            if frame.overlays.is_none() {
                out.push(tr("Hazard fields hidden (player view)").into());
                return out;
            }
            match &frame.probe {
                Some((q, h)) if q == p => out.extend(hazard_lines(h)),
                _ => out.push(tr("Querying…").into()),
            }
            out
        }
    }
}

/// "Position: E … m, N … m".
fn position(p: [f64; 2]) -> String {
    fill(
        tr("Position: E {} m, N {} m"),
        &[&format!("{:.0}", p[0]), &format!("{:.0}", p[1])],
    )
}

/// Hazard values of a point as text lines.
pub fn hazard_lines(h: &PointHazards) -> Vec<String> {
    let mut out = vec![fill(
        tr("Water depth: {} m"),
        &[&format!("{:.2}", h.depth_m)],
    )];
    if h.depth_m > 0.0 {
        out.push(fill(
            tr("Water speed: {} m/s"),
            &[&format!("{:.2}", h.speed_m_s)],
        ));
        let class = match HazardClass::of(h.hazard_rating) {
            HazardClass::Low => tr("caution"),
            HazardClass::DangerForSome => tr("danger for some"),
            HazardClass::DangerForMost => tr("danger for most"),
            HazardClass::DangerForAll => tr("danger for all"),
        };
        out.push(fill(
            tr("Hazard rating: {} ({})"),
            &[&format!("{:.2}", h.hazard_rating), class],
        ));
    }
    for g in &h.gas {
        let level = g.level.as_deref().unwrap_or(tr("below levels of concern"));
        out.push(format!("{}: {:.1} ppm ({level})", g.label, g.ppm));
    }
    match h.fire {
        FireState::Unburned => {}
        FireState::Burning(a, i) => out.push(fill(
            tr("Fire: burning since {} min, {} kW/m"),
            &[&format!("{:.0}", a / 60.0), &format!("{i:.0}")],
        )),
        FireState::Burned(a, i) => {
            out.push(fill(
                tr("Fire: burned at {} min, {} kW/m"),
                &[&format!("{:.0}", a / 60.0), &format!("{i:.0}")],
            ));
        }
    }
    if h.flux_w_m2 > 0.0 {
        out.push(fill(
            tr("Thermal flux: {} kW/m²"),
            &[&format!("{:.1}", h.flux_w_m2 / 1000.0)],
        ));
    }
    if h.overpressure_pa > 0.0 {
        out.push(fill(
            tr("Overpressure: {} psi"),
            &[&format!("{:.2}", h.overpressure_pa / 6894.757)],
        ));
    }
    out
}
