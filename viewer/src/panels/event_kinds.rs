//! Short labels of event kinds for the event log's filters (translated with
//! [`crate::i18n::tr`]; a new engine kind fails to compile here until it gets one).

use drillsim_engine::sim::events::EventKind;

use crate::i18n::tr;

/// The label of `kind` in the current language.
pub fn kind_label(kind: EventKind) -> &'static str {
    match kind {
        EventKind::SimulationStarted => tr("run started"),
        EventKind::SimulationEnded => tr("run ended"),
        EventKind::WindShifted => tr("wind shift"),
        EventKind::RainStarted => tr("rain started"),
        EventKind::RainStopped => tr("rain stopped"),
        EventKind::HazardStarted => tr("hazard started"),
        EventKind::HazardEnded => tr("hazard ended"),
        EventKind::LevelExceeded => tr("level exceeded"),
        EventKind::SpotFireIgnited => tr("spot fire"),
        EventKind::FirelineBreached => tr("fireline breached"),
        EventKind::BreachStarted => tr("breach started"),
        EventKind::PeopleWarned => tr("people warned"),
        EventKind::TaskCreated => tr("task created"),
        EventKind::TeamDispatched => tr("team dispatched"),
        EventKind::TeamArrived => tr("team arrived"),
        EventKind::TeamRerouted => tr("team rerouted"),
        EventKind::TaskCompleted => tr("task completed"),
        EventKind::LeakStopped => tr("leak stopped"),
        EventKind::PeopleSheltered => tr("people sheltered"),
        EventKind::PeopleTrapped => tr("people trapped"),
        EventKind::TeamCasualty => tr("team casualty"),
        EventKind::FireContained => tr("fire contained"),
        EventKind::InjectFired => tr("inject fired"),
        EventKind::ChainTriggered => tr("chain triggered"),
        EventKind::ChainHeld => tr("chain held"),
        EventKind::ChainFired => tr("chain fired"),
        EventKind::RoadClosed => tr("road closed"),
        EventKind::RoadReopened => tr("road reopened"),
        EventKind::TeamStoodDown => tr("team stood down"),
        EventKind::ObjectiveMet => tr("objective met"),
        EventKind::ObjectiveFailed => tr("objective failed"),
    }
}
