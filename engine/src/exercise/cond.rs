//! Evaluating conditions on the simulation state, and saying them in words.

use super::probe::Fields;
use super::record::Rating;
use super::spec::{Condition, Place};
use super::state::ExerciseState;
use crate::sim::events::EventKind;

/// What a condition can look at.
pub struct Ctx<'a> {
    /// Run time, s.
    pub t_s: f64,
    /// Hazard fields.
    pub fields: &'a Fields<'a>,
    /// Exercise state (injects, chains, events, metrics, ratings).
    pub state: &'a ExerciseState,
    /// Objective ids in scenario order.
    pub objectives: &'a [String],
    /// Named places (exercise sites, then facilities): (id, position).
    pub places: &'a [(String, [f64; 2])],
}

impl Ctx<'_> {
    /// Position of a place, `None` for an unknown site (refused when the scenario loads).
    pub fn locate(&self, p: &Place) -> Option<[f64; 2]> {
        match p {
            Place::At(x, y) => Some([*x, *y]),
            Place::Site(id) => self.places.iter().find(|(n, _)| n == id).map(|(_, p)| *p),
        }
    }

    /// True when `c` holds now.
    pub fn holds(&self, c: &Condition) -> bool {
        let s = self.state;
        match c {
            Condition::After(t) => self.t_s + 1e-9 >= *t,
            Condition::Above {
                field,
                at,
                radius_m,
                value,
            } => self
                .locate(at)
                .is_some_and(|p| self.fields.max_near(field, p[0], p[1], *radius_m) >= *value),
            Condition::Below {
                field,
                at,
                radius_m,
                value,
            } => self
                .locate(at)
                .is_some_and(|p| self.fields.max_near(field, p[0], p[1], *radius_m) < *value),
            Condition::MetricAbove(m, v) => s.metric(m).is_some_and(|x| x >= *v),
            Condition::MetricBelow(m, v) => s.metric(m).is_some_and(|x| x < *v),
            Condition::Event(kind, subject) => s.first_event(*kind, subject.as_deref()).is_some(),
            Condition::TeamArrived(team) => {
                s.first_event(EventKind::TeamArrived, Some(team)).is_some()
            }
            Condition::InjectFired(id) => {
                s.inject(id).is_some_and(|i| s.injects[i].fired_s.is_some())
            }
            Condition::ChainFired(id) => s
                .chains
                .iter()
                .any(|c| c.spec.id == *id && c.fired_s.is_some()),
            Condition::ObjectiveFailed(id) => self
                .objectives
                .iter()
                .position(|o| o == id)
                .and_then(|k| s.ratings.get(k))
                .is_some_and(|r| r.contains(&Rating::NotMet)),
            Condition::All(v) => v.iter().all(|c| self.holds(c)),
            Condition::Any(v) => v.iter().any(|c| self.holds(c)),
            Condition::Not(c) => !self.holds(c),
        }
    }
}

fn place(p: &Place) -> String {
    match p {
        Place::Site(id) => id.clone(),
        Place::At(x, y) => format!("({x:.0}, {y:.0})"),
    }
}

fn near(r: f64) -> String {
    if r > 0.0 {
        format!(" (within {r:.0} m)")
    } else {
        String::new()
    }
}

/// The condition in words.
pub fn describe(c: &Condition) -> String {
    match c {
        Condition::After(t) => format!("time ≥ {}", super::score::clock(*t)),
        Condition::Above {
            field,
            at,
            radius_m,
            value,
        } => format!(
            "{field:?} at {}{} ≥ {value} {}",
            place(at),
            near(*radius_m),
            field.unit()
        ),
        Condition::Below {
            field,
            at,
            radius_m,
            value,
        } => format!(
            "{field:?} at {}{} < {value} {}",
            place(at),
            near(*radius_m),
            field.unit()
        ),
        Condition::MetricAbove(m, v) => format!("{m} ≥ {v}"),
        Condition::MetricBelow(m, v) => format!("{m} < {v}"),
        Condition::Event(k, s) => format!(
            "{k:?}{}",
            s.as_ref().map_or(String::new(), |s| format!(" ({s})"))
        ),
        Condition::TeamArrived(t) => format!("team {t} on scene"),
        Condition::InjectFired(i) => format!("inject {i} fired"),
        Condition::ChainFired(i) => format!("chain link {i} fired"),
        Condition::ObjectiveFailed(o) => format!("objective {o} failing"),
        Condition::All(v) => v.iter().map(describe).collect::<Vec<_>>().join(" and "),
        Condition::Any(v) => format!(
            "({})",
            v.iter().map(describe).collect::<Vec<_>>().join(" or ")
        ),
        Condition::Not(c) => format!("not ({})", describe(c)),
    }
}
