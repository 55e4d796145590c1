//! Forces: every team with its id, name, phase and current task; facilities with
//! their occupancy.

use drillsim_engine::agents::state::Phase;

use drillsim_engine::agents::state::FacilityKind;

use crate::i18n::{fill, tr};
use crate::sim_thread::{Frame, TeamFrame};

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
            ui.strong(tr("Facility"));
            ui.strong(tr("Kind"));
            ui.strong(tr("Occupancy"));
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
                    Some(c) => ui.label(format!("{:.0} / {c}", f.inside)),
                    None => ui.label("—"),
                };
                ui.end_row();
            }
        });
    }
}
