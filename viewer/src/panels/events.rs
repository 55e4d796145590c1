//! Event log with kind filters: the events known to the current role, newest at the
//! bottom, each kind switchable.

use drillsim_engine::exercise::view::KnownEvent;
use drillsim_engine::sim::events::EventKind;

use crate::sim_thread::Frame;

/// Event log state: the kinds hidden by the user.
#[derive(Default)]
pub struct EventLogPanel {
    /// Kinds not shown.
    pub hidden: Vec<EventKind>,
}

impl EventLogPanel {
    /// Distinct kinds among `events`, in order of first appearance.
    pub fn kinds(events: &[KnownEvent]) -> Vec<EventKind> {
        let mut out: Vec<EventKind> = Vec::new();
        for e in events {
            if !out.contains(&e.event.kind) {
                out.push(e.event.kind);
            }
        }
        out
    }

    /// The events that pass the filter.
    pub fn visible<'a>(&self, events: &'a [KnownEvent]) -> Vec<&'a KnownEvent> {
        events
            .iter()
            .filter(|e| !self.hidden.contains(&e.event.kind))
            .collect()
    }

    /// Shows or hides a kind.
    pub fn toggle(&mut self, kind: EventKind) {
        if let Some(i) = self.hidden.iter().position(|k| *k == kind) {
            self.hidden.remove(i);
        } else {
            self.hidden.push(kind);
        }
    }

    /// Draws the filters and the log.
    pub fn ui(&mut self, ui: &mut egui::Ui, frame: &Frame) {
        ui.horizontal_wrapped(|ui| {
            for kind in Self::kinds(&frame.view.events) {
                let mut shown = !self.hidden.contains(&kind);
                if ui
                    .checkbox(&mut shown, super::event_kinds::kind_label(kind))
                    .changed()
                {
                    self.toggle(kind);
                }
            }
        });
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("event_log")
            .max_height(320.0)
            .stick_to_bottom(true)
            .show(ui, |ui| {
                for e in self.visible(&frame.view.events) {
                    ui.label(format!("{}  {}", super::clock(e.known_s), e.event.message));
                }
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use drillsim_engine::sim::events::SimEvent;

    fn ev(kind: EventKind) -> KnownEvent {
        KnownEvent {
            event: SimEvent {
                t_s: 0.0,
                kind,
                subject: String::new(),
                message: String::new(),
                position: None,
            },
            known_s: 0.0,
        }
    }

    #[test]
    fn filter_hides_and_shows_kinds() {
        let events = vec![
            ev(EventKind::SimulationStarted),
            ev(EventKind::InjectFired),
            ev(EventKind::InjectFired),
        ];
        let mut p = EventLogPanel::default();
        assert_eq!(
            EventLogPanel::kinds(&events),
            vec![EventKind::SimulationStarted, EventKind::InjectFired]
        );
        p.toggle(EventKind::InjectFired);
        assert_eq!(p.visible(&events).len(), 1);
        p.toggle(EventKind::InjectFired);
        assert_eq!(p.visible(&events).len(), 3);
    }
}
