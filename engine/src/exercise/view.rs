//! Roles. The **controller** sees everything: every event as it happens, every inject
//! (pending ones with their triggers, and the hidden notes), chain draws, objective
//! ratings and the full hazard fields. A **player** sees what their side would know:
//!
//! - weather changes at once (public forecasts and observations);
//! - their own forces' reports (dispatches, arrivals, calls for help, road closures)
//!   after the reporting delay;
//! - a hazard event only once a fixed sensor within its range, or a team within its
//!   sensing distance, has observed it, plus the reporting delay;
//! - sensor readings after the reporting delay;
//! - injects addressed to players once delivered, without controller notes;
//!
//! and never the hazard fields themselves, chain draws or objective ratings.

use bevy_ecs::prelude::*;
use serde::{Deserialize, Serialize};

use super::spec::{Audience, ExerciseSettings};
use super::state::ExerciseState;
use super::systems::ExerciseStatic;
use crate::agents::state::Response;
use crate::sim::events::{EventKind, EventLog, SimEvent};

/// Who is looking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// Exercise control: sees everything.
    Controller,
    /// A player: sees reports of their teams and sensors.
    Player,
}

/// An event and when this role learned of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KnownEvent {
    /// The event.
    pub event: SimEvent,
    /// When the role learned of it, s.
    pub known_s: f64,
}

/// An inject as a role sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InjectView {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Message.
    pub description: String,
    /// Audience.
    pub audience: Audience,
    /// When it fired (`None`: pending; players never see pending injects).
    pub fired_s: Option<f64>,
    /// Scripted time (controller only).
    pub scheduled_s: Option<f64>,
    /// Trigger condition in words (controller only).
    pub condition: Option<String>,
    /// Expected player actions (controller only).
    pub expected_actions: Vec<String>,
    /// Controller notes (controller only).
    pub notes: String,
}

/// A sensor reading as a role sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SensorView {
    /// Sensor id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Position, m.
    pub at: [f64; 2],
    /// Unit of the value.
    pub unit: String,
    /// Time of the reading, s.
    pub t_s: f64,
    /// Value.
    pub value: f64,
}

/// What a role sees of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoleView {
    /// Role.
    pub role: Role,
    /// Run time, s.
    pub t_s: f64,
    /// Events known to the role, in the order they happened.
    pub events: Vec<KnownEvent>,
    /// Injects the role may see.
    pub injects: Vec<InjectView>,
    /// Latest known reading of each sensor.
    pub readings: Vec<SensorView>,
    /// Whether the role may see the simulated hazard fields.
    pub hazard_fields: bool,
}

enum Class {
    Public,
    Own,
    Hazard,
    Control,
    Inject,
}

fn class(k: EventKind) -> Class {
    use EventKind as K;
    match k {
        K::SimulationStarted
        | K::SimulationEnded
        | K::WindShifted
        | K::RainStarted
        | K::RainStopped => Class::Public,
        K::PeopleWarned
        | K::TaskCreated
        | K::TeamDispatched
        | K::TeamArrived
        | K::TeamRerouted
        | K::TaskCompleted
        | K::LeakStopped
        | K::PeopleSheltered
        | K::PeopleTrapped
        | K::TeamCasualty
        | K::FireContained
        | K::RoadClosed
        | K::RoadReopened
        | K::TeamStoodDown => Class::Own,
        K::HazardStarted
        | K::HazardEnded
        | K::LevelExceeded
        | K::SpotFireIgnited
        | K::FirelineBreached
        | K::BreachStarted => Class::Hazard,
        K::ChainTriggered | K::ChainHeld | K::ChainFired | K::ObjectiveMet | K::ObjectiveFailed => {
            Class::Control
        }
        K::InjectFired => Class::Inject,
    }
}

/// When a hazard event at `p` that happened at `te` was first observed by a sensor or a
/// team (by `now`), if at all.
fn observed(
    p: [f64; 2],
    te: f64,
    now: f64,
    settings: &ExerciseSettings,
    response: Option<&Response>,
) -> Option<f64> {
    let near = |q: [f64; 2], r: f64| (p[0] - q[0]).hypot(p[1] - q[1]) <= r;
    if settings
        .sensors
        .iter()
        .any(|s| near([s.at.0, s.at.1], s.range_m))
    {
        return Some(te);
    }
    let r = response?;
    let reach = settings.team_sensing_m;
    r.teams
        .iter()
        .filter_map(|tm| {
            let from_track = tm
                .track
                .iter()
                .find(|q| q[0] >= te && near([q[1], q[2]], reach))
                .map(|q| q[0]);
            from_track.or_else(|| near(tm.pos, reach).then_some(now))
        })
        .reduce(f64::min)
}

/// What `role` sees of `world` at run time `t_s`.
pub fn role_view(world: &World, role: Role, t_s: f64) -> RoleView {
    let log = world.resource::<EventLog>();
    let ex = world.get_resource::<ExerciseState>();
    let st = world.get_resource::<ExerciseStatic>();
    let settings = st.map(|s| s.settings.clone()).unwrap_or_default();
    let response = world.get_resource::<Response>();
    let delay = settings.report_delay_s;
    let controller = role == Role::Controller;
    let audience_of = |id: &str| {
        ex.and_then(|e| e.inject(id).map(|i| e.injects[i].spec.audience))
            .unwrap_or(Audience::Players)
    };
    let mut events: Vec<KnownEvent> = log
        .events
        .iter()
        .filter_map(|e| {
            let known = if controller {
                Some(e.t_s)
            } else {
                match class(e.kind) {
                    Class::Public => Some(e.t_s),
                    Class::Own => Some(e.t_s + delay),
                    Class::Hazard => e
                        .position
                        .and_then(|p| observed(p, e.t_s, t_s, &settings, response))
                        .map(|t| t + delay),
                    Class::Control => None,
                    Class::Inject => {
                        (audience_of(&e.subject) == Audience::Players).then_some(e.t_s)
                    }
                }
            }?;
            (known <= t_s + 1e-9).then(|| KnownEvent {
                event: e.clone(),
                known_s: known,
            })
        })
        .collect();
    events.sort_by(|a, b| a.event.t_s.total_cmp(&b.event.t_s));
    let injects = ex.map_or_else(Vec::new, |e| {
        e.injects
            .iter()
            .filter(|i| controller || (i.fired_s.is_some() && i.spec.audience == Audience::Players))
            .map(|i| InjectView {
                id: i.spec.id.clone(),
                title: i.spec.title.clone(),
                description: i.spec.description.clone(),
                audience: i.spec.audience,
                fired_s: i.fired_s,
                scheduled_s: controller.then_some(i.spec.at_s).flatten(),
                condition: if controller {
                    i.spec.when.as_ref().map(super::cond::describe)
                } else {
                    None
                },
                expected_actions: if controller {
                    i.spec.expected_actions.clone()
                } else {
                    Vec::new()
                },
                notes: if controller {
                    i.spec.notes.clone()
                } else {
                    String::new()
                },
            })
            .collect()
    });
    let mut readings = Vec::new();
    if let Some(e) = ex {
        for (k, s) in settings.sensors.iter().enumerate() {
            let lag = if controller { 0.0 } else { delay };
            if let Some(r) = e
                .readings
                .iter()
                .rev()
                .find(|r| r.sensor == k && r.t_s + lag <= t_s + 1e-9)
            {
                readings.push(SensorView {
                    id: s.id.clone(),
                    name: s.name.clone().unwrap_or_else(|| s.id.clone()),
                    at: [s.at.0, s.at.1],
                    unit: s.field.unit().to_owned(),
                    t_s: r.t_s,
                    value: r.value,
                });
            }
        }
    }
    RoleView {
        role,
        t_s,
        events,
        injects,
        readings,
        hazard_fields: controller,
    }
}
