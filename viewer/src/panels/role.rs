//! Controller / player switch. The player view (filtered by the engine's `RoleView`)
//! hides pending injects, controller notes and the hazard fields.

use drillsim_engine::exercise::view::Role;

use crate::i18n::tr;
use crate::sim_thread::{Command, Frame};

/// Role switch.
#[derive(Default)]
pub struct RoleSwitch;

impl RoleSwitch {
    /// Draws the switch; returns a `SetRole` when changed.
    pub fn ui(&mut self, ui: &mut egui::Ui, frame: &Frame) -> Vec<Command> {
        let mut out = Vec::new();
        ui.horizontal(|ui| {
            ui.label(tr("View:"));
            for (label, role) in [("Controller", Role::Controller), ("Player", Role::Player)] {
                if ui
                    .selectable_label(frame.view.role == role, tr(label))
                    .clicked()
                    && frame.view.role != role
                {
                    out.push(Command::SetRole(role));
                }
            }
        });
        out
    }
}
