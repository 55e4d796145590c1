//! Forces: every team with its id, name, phase and current task; facilities with
//! their occupancy.

use drillsim_engine::agents::state::Phase;

use drillsim_engine::agents::state::FacilityKind;

use crate::sim_thread::{Frame, TeamFrame};

/// Forces panel.
#[derive(Default)]
pub struct ForcesPanel;

/// A short word for a phase, with the time it ends where it has one.
pub fn phase_text(p: &Phase) -> String {
    match p {
        Phase::OffDuty => "off duty".into(),
        Phase::Idle => "ready".into(),
        Phase::ToTask => "en route".into(),
        Phase::Working(until) => format!("on scene (to {})", super::clock(*until)),
        Phase::Carrying => "carrying".into(),
        Phase::Returning => "returning".into(),
        Phase::Resting(until) => format!("resting (to {})", super::clock(*until)),
        Phase::Casualty => "casualty".into(),
    }
}

impl ForcesPanel {
    /// Draws the table.
    pub fn ui(&mut self, ui: &mut egui::Ui, frame: &Frame) {
        if frame.teams.is_empty() {
            ui.weak("No teams in this scenario.");
            return;
        }
        egui::Grid::new("forces").striped(true).show(ui, |ui| {
            ui.strong("Id");
            ui.strong("Name");
            ui.strong("Phase");
            ui.strong("Task");
            ui.end_row();
            for TeamFrame {
                id,
                name,
                phase,
                task,
                ..
            } in &frame.teams
            {
                ui.monospace(id);
                ui.label(name);
                ui.label(phase_text(phase));
                ui.label(task.as_deref().unwrap_or("—"));
                ui.end_row();
            }
        });
        ui.separator();
        egui::Grid::new("facilities").striped(true).show(ui, |ui| {
            ui.strong("Facility");
            ui.strong("Kind");
            ui.strong("Occupancy");
            ui.end_row();
            for f in &frame.facilities {
                ui.label(&f.name);
                let (kind, cap) = match &f.kind {
                    FacilityKind::Base(_) => ("base", None),
                    FacilityKind::Depot => ("depot", None),
                    FacilityKind::Shelter(c) => ("shelter", Some(*c)),
                    FacilityKind::Hospital(c) => ("hospital", Some(*c)),
                    FacilityKind::CommandPost => ("command post", None),
                };
                ui.label(kind);
                match cap {
                    Some(c) => ui.label(format!("{:.0} / {c}", f.inside)),
                    None => ui.label("—"),
                };
                ui.end_row();
            }
        });
    }
}
