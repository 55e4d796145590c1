//! Forces: every team with its id, name, phase, current task and exposure (peak gas
//! concentration and whether the AEGL-2 injury load was reached, deepest water and
//! hazard rating, thermal dose, probability of death); facilities with their
//! occupancy (inside / capacity, queue) and stock (rations, sandbags).

use drillsim_engine::agents::state::Phase;

use drillsim_engine::agents::state::FacilityKind;

use crate::i18n::{fill, tr};
use crate::sim_thread::{CrewExposure, Frame, TeamFrame};

/// Water shallower than this is not reported (the rain film; the map's threshold), m.
const WATER_M: f64 = crate::raster::MIN_DEPTH_M as f64;

/// Breathed concentrations below this are not reported (far plume tails), mg/m³.
const GAS_MG_M3: f64 = 0.01;

/// Severity of an exposure: 0 none, 1 exposed, 2 injured or a probability of death of
/// at least 1 %, or a flood hazard rating of "danger for most" (≥ 1.25, FD2320).
pub fn severity(e: &CrewExposure) -> u8 {
    if e.toxic_injury || e.p_dead >= 0.01 || e.max_hr >= 1.25 {
        2
    } else if e.gas_peak_mg_m3 >= GAS_MG_M3 || e.max_depth_m >= WATER_M || e.thermal_dose > 0.0 {
        1
    } else {
        0
    }
}

/// The exposure in a few words (empty when none), e.g. "gas 35 mg/m³ · water 0.8 m".
pub fn exposure_text(e: &CrewExposure) -> String {
    let mut parts = Vec::new();
    if e.gas_peak_mg_m3 >= GAS_MG_M3 {
        let mut p = fill(tr("gas {} mg/m³"), &[&sig(e.gas_peak_mg_m3)]);
        if e.toxic_injury {
            p.push_str(tr(" (AEGL-2 load)"));
        }
        parts.push(p);
    }
    if e.max_depth_m >= WATER_M {
        parts.push(fill(
            tr("water {} m, HR {}"),
            &[
                &format!("{:.2}", e.max_depth_m),
                &format!("{:.2}", e.max_hr),
            ],
        ));
    }
    if e.thermal_dose > 0.0 {
        parts.push(fill(tr("heat dose {}"), &[&sig(e.thermal_dose)]));
    }
    if e.p_dead >= 0.001 {
        parts.push(fill(
            tr("P(death) {} %"),
            &[&format!("{:.1}", e.p_dead * 100.0)],
        ));
    }
    parts.join(" · ")
}

/// Two significant figures for small numbers, whole numbers above 100.
fn sig(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// Forces panel.
#[derive(Default)]
pub struct ForcesPanel;

/// A short word for a phase, with the time it ends where it has one.
pub fn phase_text(p: &Phase) -> String {
    match p {
        Phase::OffDuty => tr("off duty").into(),
        Phase::Idle => tr("ready").into(),
        Phase::ToTask => tr("en route").into(),
        Phase::Working(until) => fill(tr("on scene (to {})"), &[&super::clock(*until)]),
        Phase::Carrying => tr("carrying").into(),
        Phase::Returning => tr("returning").into(),
        Phase::Resting(until) => fill(tr("resting (to {})"), &[&super::clock(*until)]),
        Phase::Casualty => tr("casualty").into(),
    }
}

impl ForcesPanel {
    /// Draws the table.
    pub fn ui(&mut self, ui: &mut egui::Ui, frame: &Frame) {
        if frame.teams.is_empty() {
            ui.weak(tr("No teams in this scenario."));
            return;
        }
        egui::Grid::new("forces").striped(true).show(ui, |ui| {
            ui.strong(tr("Id"));
            ui.strong(tr("Name"));
            ui.strong(tr("Phase"));
            ui.strong(tr("Task"));
            ui.strong(tr("Crew exposure"));
            ui.end_row();
            for TeamFrame {
                id,
                name,
                phase,
                task,
                exposure,
                ..
            } in &frame.teams
            {
                ui.monospace(id);
                ui.label(name);
                ui.label(phase_text(phase));
                ui.label(task.as_deref().unwrap_or("—"));
                let text = exposure_text(exposure);
                match severity(exposure) {
                    0 => ui.weak("—"),
                    1 => ui.colored_label(egui::Color32::from_rgb(240, 170, 40), text),
                    _ => ui.colored_label(egui::Color32::from_rgb(235, 60, 50), text),
                };
                ui.end_row();
            }
        });
        ui.separator();
        egui::Grid::new("facilities").striped(true).show(ui, |ui| {
            ui.strong(tr("Facility"));
            ui.strong(tr("Kind"));
            ui.strong(tr("Occupancy"));
            ui.strong(tr("Stock"));
            ui.end_row();
            for f in &frame.facilities {
                ui.label(&f.name);
                let (kind, cap) = match &f.kind {
                    FacilityKind::Base(_) => (tr("base"), None),
                    FacilityKind::Depot => (tr("depot"), None),
                    FacilityKind::Shelter(c) => (tr("shelter"), Some(*c)),
                    FacilityKind::Hospital(c) => (tr("hospital"), Some(*c)),
                    FacilityKind::CommandPost => (tr("command post"), None),
                };
                ui.label(kind);
                match cap {
                    Some(c) if f.queue >= 0.5 => ui.label(fill(
                        tr("{} / {} (+{} queued)"),
                        &[
                            &format!("{:.0}", f.inside),
                            &c.to_string(),
                            &format!("{:.0}", f.queue),
                        ],
                    )),
                    Some(c) => ui.label(format!("{:.0} / {c}", f.inside)),
                    None => ui.label("—"),
                };
                match &f.kind {
                    FacilityKind::Depot => ui.label(fill(
                        tr("{} rations · {} sandbags"),
                        &[&format!("{:.0}", f.rations), &format!("{:.0}", f.sandbags)],
                    )),
                    FacilityKind::Shelter(_) if f.rations > 0.0 => ui.label(fill(
                        tr("{} rations delivered"),
                        &[&format!("{:.0}", f.rations)],
                    )),
                    _ => ui.label("—"),
                };
                ui.end_row();
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposure_words_and_severity() {
        let none = CrewExposure::default();
        assert_eq!((severity(&none), exposure_text(&none)), (0, String::new()));
        let wet = CrewExposure {
            max_depth_m: 0.4,
            max_hr: 0.6,
            ..none
        };
        assert_eq!(severity(&wet), 1);
        assert_eq!(exposure_text(&wet), "water 0.40 m, HR 0.60");
        // The rain film and far plume tails are not exposure.
        let film = CrewExposure {
            max_depth_m: 0.01,
            gas_peak_mg_m3: 0.001,
            ..none
        };
        assert_eq!((severity(&film), exposure_text(&film)), (0, String::new()));
        // FD2320 "danger for most" from HR 1.25.
        assert_eq!(severity(&CrewExposure { max_hr: 1.3, ..wet }), 2);
        let gassed = CrewExposure {
            gas_peak_mg_m3: 35.2,
            toxic_injury: true,
            p_dead: 0.02,
            ..none
        };
        assert_eq!(severity(&gassed), 2);
        assert_eq!(
            exposure_text(&gassed),
            "gas 35.2 mg/m³ (AEGL-2 load) · P(death) 2.0 %"
        );
    }
}
