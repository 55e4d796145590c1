//! The event log: past-tense facts (`SimulationStarted`, `WindShifted`, …) with the time
//! they happened, written to `events.jsonl`.

use serde::{Deserialize, Serialize};

/// What happened. New kinds are appended; names are past-tense facts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    /// The run began.
    SimulationStarted,
    /// The run reached its duration.
    SimulationEnded,
    /// The wind direction changed by at least [`crate::sim::inputs::WIND_SHIFT_DEG`].
    WindShifted,
    /// Rain began.
    RainStarted,
    /// Rain stopped.
    RainStopped,
    /// A hazard source began (release, ignition, inflow, breach).
    HazardStarted,
    /// A hazard source stopped (release ended, breach fully open, fire out).
    HazardEnded,
    /// A hazard field first exceeded a level of concern (AEGL, thermal, depth …).
    LevelExceeded,
    /// A wildland fire ignited a spot fire ahead of the front.
    SpotFireIgnited,
    /// Fire crossed a fireline or barrier.
    FirelineBreached,
    /// A levee or dam breach began to open.
    BreachStarted,
    /// People received a warning to evacuate or shelter in place.
    PeopleWarned,
    /// A task (incident) became known.
    TaskCreated,
    /// A team was sent to a task.
    TeamDispatched,
    /// A team arrived on scene.
    TeamArrived,
    /// A team found its way blocked and chose another route.
    TeamRerouted,
    /// A task was finished.
    TaskCompleted,
    /// A leak was sealed by a team.
    LeakStopped,
    /// People reached a shelter.
    PeopleSheltered,
    /// People became trapped and called for rescue.
    PeopleTrapped,
    /// A team member was hurt beyond the team's protection; the team is out of action.
    TeamCasualty,
    /// A wildland fire stopped spreading.
    FireContained,
    /// An inject of the MSEL (or a live one) was delivered.
    InjectFired,
    /// A disaster-chain link's threshold was reached and its draw succeeded; the
    /// consequence follows after the link's delay.
    ChainTriggered,
    /// A chain link's threshold was reached but its draw failed (controller only).
    ChainHeld,
    /// A chain link's consequence happened.
    ChainFired,
    /// Roads were closed by an inject.
    RoadClosed,
    /// Roads were reopened by an inject.
    RoadReopened,
    /// A team stood down (made unavailable by an inject).
    TeamStoodDown,
    /// A critical task of an objective was met.
    ObjectiveMet,
    /// A critical task of an objective can no longer be met.
    ObjectiveFailed,
}

/// One logged fact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimEvent {
    /// Simulation time, s.
    pub t_s: f64,
    /// Kind of fact.
    pub kind: EventKind,
    /// Who or what it concerns (a hazard, team or site id; empty for the whole run).
    pub subject: String,
    /// Human-readable sentence in English.
    pub message: String,
    /// Where, in world metres, if it has a place.
    pub position: Option<[f64; 2]>,
}

/// All events of a run in the order they happened.
#[derive(
    Clone, Debug, Default, PartialEq, Serialize, Deserialize, bevy_ecs::resource::Resource,
)]
pub struct EventLog {
    /// The events.
    pub events: Vec<SimEvent>,
}

impl EventLog {
    /// Appends an event without a place.
    pub fn push(
        &mut self,
        t_s: f64,
        kind: EventKind,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.events.push(SimEvent {
            t_s,
            kind,
            subject: subject.into(),
            message: message.into(),
            position: None,
        });
    }

    /// Appends an event at a place.
    pub fn push_at(
        &mut self,
        t_s: f64,
        kind: EventKind,
        subject: impl Into<String>,
        message: impl Into<String>,
        position: [f64; 2],
    ) {
        self.events.push(SimEvent {
            t_s,
            kind,
            subject: subject.into(),
            message: message.into(),
            position: Some(position),
        });
    }

    /// The log as JSON Lines.
    pub fn to_jsonl(&self) -> String {
        let mut out = String::new();
        for e in &self.events {
            out.push_str(&serde_json::to_string(e).unwrap_or_default());
            out.push('\n');
        }
        out
    }
}
