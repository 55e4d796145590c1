//! What the exercise layer writes to `exercise.json` in a run folder: the inject timeline,
//! the chain links, and the objectives with their ratings and evidence. The
//! after-action report (`drillsim report`) reads it.

use serde::{Deserialize, Serialize};

use super::spec::Audience;

/// HSEEP-style rating of a critical task or objective.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rating {
    /// The target was met.
    Met,
    /// The target was met late or short, within the partial factor.
    PartiallyMet,
    /// The target was not met.
    NotMet,
    /// The situation the task answers never arose (or the run ended before the time
    /// allowed ran out).
    NotObserved,
    /// Not decided yet (the run is still going).
    Pending,
}

impl Rating {
    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Met => "met",
            Self::PartiallyMet => "partly met",
            Self::NotMet => "not met",
            Self::NotObserved => "not observed",
            Self::Pending => "pending",
        }
    }

    /// The rating of an objective from its critical tasks (tasks not observed left
    /// out): met if all are met, not met if none is met or partly met, else partly met;
    /// pending while any is pending; not observed if no task was.
    pub fn combine(tasks: &[Rating]) -> Rating {
        if tasks.is_empty() || tasks.contains(&Rating::Pending) {
            return Rating::Pending;
        }
        let tasks: Vec<Rating> = tasks
            .iter()
            .copied()
            .filter(|r| *r != Rating::NotObserved)
            .collect();
        if tasks.is_empty() {
            return Rating::NotObserved;
        }
        if tasks.iter().all(|r| *r == Rating::Met) {
            Rating::Met
        } else if tasks.iter().all(|r| *r == Rating::NotMet) {
            Rating::NotMet
        } else {
            Rating::PartiallyMet
        }
    }
}

/// How an inject came to fire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InjectSource {
    /// At its scripted time.
    Time,
    /// When its condition held.
    Condition,
    /// Fired early by a controller.
    Forced,
    /// Composed live during the run.
    Live,
}

/// One inject and what happened to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InjectRecord {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Message to the players.
    pub description: String,
    /// Who it is for.
    pub audience: Audience,
    /// What the players are expected to do.
    pub expected_actions: Vec<String>,
    /// Controller notes.
    pub notes: String,
    /// Scripted time, s.
    pub scheduled_s: Option<f64>,
    /// The condition, in words.
    pub condition: Option<String>,
    /// When it fired, s (`None`: never).
    pub fired_s: Option<f64>,
    /// How it fired.
    pub source: Option<InjectSource>,
    /// Its effects, in words.
    pub effects: Vec<String>,
}

/// One chain link and what happened to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChainRecord {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// The threshold, in words.
    pub condition: String,
    /// Probability of the consequence.
    pub probability: f64,
    /// Delay, s.
    pub delay_s: f64,
    /// When the threshold was reached, s.
    pub threshold_s: Option<f64>,
    /// Outcome of the draw (`None`: threshold never reached).
    pub drawn: Option<bool>,
    /// When the consequence happened, s.
    pub fired_s: Option<f64>,
    /// The consequences, in words.
    pub effects: Vec<String>,
}

/// A critical task's rating with its evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskRecord {
    /// The task.
    pub title: String,
    /// The target, in words.
    pub target: String,
    /// Rating.
    pub rating: Rating,
    /// The evidence, in words (times, values).
    pub evidence: String,
    /// Measured value (time in s, people, fraction, …), if any.
    pub value: Option<f64>,
    /// Target value in the same unit.
    pub goal: Option<f64>,
    /// Unit of `value` and `goal`.
    pub unit: String,
    /// Run time when the target was reached, s.
    pub reached_s: Option<f64>,
}

/// An objective's rating.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveRecord {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Core capability.
    pub capability: String,
    /// Combined rating.
    pub rating: Rating,
    /// Critical tasks.
    pub tasks: Vec<TaskRecord>,
}

/// Everything the exercise layer records (`exercise.json`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExerciseRecord {
    /// Disaster onset (first hazard start), s.
    pub onset_s: Option<f64>,
    /// Run time at which the record was taken, s.
    pub t_s: f64,
    /// The injects in MSEL order, then live ones.
    pub injects: Vec<InjectRecord>,
    /// The chain links.
    pub chains: Vec<ChainRecord>,
    /// The objectives.
    pub objectives: Vec<ObjectiveRecord>,
}
