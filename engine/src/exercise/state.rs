//! The exercise's running state (snapshot state `exercise`): which injects fired and
//! how, where each chain link stands, the objective trackers, sensor readings, and what
//! the conditions need to know about events so far.

use bevy_ecs::prelude::*;
use serde::{Deserialize, Serialize};

use super::record::{InjectSource, Rating};
use super::score::Tracker;
use super::spec::{ChainSpec, InjectSpec};
use crate::sim::events::EventKind;

/// One inject (scripted or live) and its state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InjectState {
    /// The inject.
    pub spec: InjectSpec,
    /// When it fired, s.
    pub fired_s: Option<f64>,
    /// How it fired.
    pub source: Option<InjectSource>,
    /// What its effects did (or why they could not), in words.
    pub outcomes: Vec<String>,
}

/// One chain link and its state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChainState {
    /// The link.
    pub spec: ChainSpec,
    /// When its threshold was first reached, s.
    pub threshold_s: Option<f64>,
    /// Outcome of its draw.
    pub drawn: Option<bool>,
    /// When its consequence is due, s.
    pub due_s: Option<f64>,
    /// When its consequence happened, s.
    pub fired_s: Option<f64>,
    /// What its effects did, in words.
    pub outcomes: Vec<String>,
}

/// A sensor reading.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    /// Sensor index in `exercise.sensors`.
    pub sensor: usize,
    /// Time of the reading, s.
    pub t_s: f64,
    /// Value in the field's unit.
    pub value: f64,
}

/// The exercise's running state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Resource)]
pub struct ExerciseState {
    /// Injects: the MSEL in order, then live ones.
    pub injects: Vec<InjectState>,
    /// Chain links.
    pub chains: Vec<ChainState>,
    /// Trackers per objective, per critical task.
    pub trackers: Vec<Vec<Tracker>>,
    /// Ratings per objective, per critical task, as last evaluated.
    pub ratings: Vec<Vec<Rating>>,
    /// Live injects waiting for the next tick.
    pub queued: Vec<InjectSpec>,
    /// Scripted injects a controller asked to fire now (by index).
    pub forced: Vec<usize>,
    /// Teams to stand down once they have no one on board: (team, until s).
    pub stand_down: Vec<(usize, Option<f64>)>,
    /// Disaster onset: the first `HazardStarted`, s.
    pub onset_s: Option<f64>,
    /// First time of each (event kind, subject) seen so far.
    pub seen: Vec<(EventKind, String, f64)>,
    /// Events of the log already looked at.
    pub events_seen: usize,
    /// Metric values of the last tick.
    pub metrics: Vec<(String, f64)>,
    /// Sensor readings.
    pub readings: Vec<Reading>,
    /// Next sampling time per sensor, s.
    pub next_reading_s: Vec<f64>,
}

impl ExerciseState {
    /// A fresh state for the scenario's injects, chains and objectives.
    pub fn new(
        injects: &[InjectSpec],
        chains: &[ChainSpec],
        objectives: &[super::spec::ObjectiveSpec],
        sensors: usize,
    ) -> Self {
        Self {
            injects: injects
                .iter()
                .map(|s| InjectState {
                    spec: s.clone(),
                    fired_s: None,
                    source: None,
                    outcomes: Vec::new(),
                })
                .collect(),
            chains: chains
                .iter()
                .map(|s| ChainState {
                    spec: s.clone(),
                    threshold_s: None,
                    drawn: None,
                    due_s: None,
                    fired_s: None,
                    outcomes: Vec::new(),
                })
                .collect(),
            trackers: objectives
                .iter()
                .map(|o| vec![Tracker::default(); o.critical_tasks.len()])
                .collect(),
            ratings: objectives
                .iter()
                .map(|o| vec![Rating::Pending; o.critical_tasks.len()])
                .collect(),
            next_reading_s: vec![0.0; sensors],
            ..Self::default()
        }
    }

    /// First time an event of `kind` (about `subject`, or a counted team `subject#k`)
    /// was logged.
    pub fn first_event(&self, kind: EventKind, subject: Option<&str>) -> Option<f64> {
        self.seen
            .iter()
            .filter(|(k, s, _)| {
                *k == kind
                    && subject.is_none_or(|want| {
                        s == want
                            || s.strip_prefix(want)
                                .is_some_and(|rest| rest.starts_with('#'))
                    })
            })
            .map(|(_, _, t)| *t)
            .reduce(f64::min)
    }

    /// Takes note of events logged since the last call.
    pub fn note_events(&mut self, events: &[crate::sim::events::SimEvent]) {
        for e in events.iter().skip(self.events_seen) {
            if e.kind == EventKind::HazardStarted && self.onset_s.is_none() {
                self.onset_s = Some(e.t_s);
            }
            if !self
                .seen
                .iter()
                .any(|(k, s, _)| *k == e.kind && *s == e.subject)
            {
                self.seen.push((e.kind, e.subject.clone(), e.t_s));
            }
        }
        self.events_seen = events.len();
    }

    /// Index of the inject with id `id`.
    pub fn inject(&self, id: &str) -> Option<usize> {
        self.injects.iter().position(|i| i.spec.id == id)
    }

    /// Value of a metric at the last tick.
    pub fn metric(&self, name: &str) -> Option<f64> {
        self.metrics
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
    }
}
