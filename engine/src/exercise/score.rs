//! Rating critical tasks against their targets, tick by tick, HSEEP style: *met*, *partly
//! met* (late or short by at most the task's `partial_factor`), *not met*, or *not
//! observed* (the situation the task answers never arose). A rating is decided as soon
//! as the run shows it (a deadline passed, a responder went down) so conditions such as
//! `ObjectiveFailed` can react during the run; the rest are decided at the end.
//!
//! The inputs are plain facts ([`Facts`]) so hand-built runs test every target kind.

use serde::{Deserialize, Serialize};

use super::record::{Rating, TaskRecord};
use super::spec::{CriticalTaskSpec, Target, TaskType};
use crate::sim::events::EventKind;

/// A response task as the scorer sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskFact {
    /// Kind.
    pub kind: TaskType,
    /// When it became known, s.
    pub known_s: f64,
    /// When the first team arrived, s.
    pub arrived_s: Option<f64>,
    /// When it was finished, s.
    pub done_s: Option<f64>,
}

/// A responder team as the scorer sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct ResponderFact {
    /// Team id.
    pub id: String,
    /// Breathed more than its team limit (AEGL-2 behind its PPE).
    pub over_limit: bool,
    /// When it was put out of action, s.
    pub casualty_s: Option<f64>,
}

/// What the run shows at the end of a tick.
pub struct Facts<'a> {
    /// Run time, s.
    pub t_s: f64,
    /// True at the end of the run.
    pub finished: bool,
    /// Start of the task's `within_s` clock (`None`: not started yet).
    pub clock_s: Option<f64>,
    /// Current value of a time-series metric.
    pub metric: &'a dyn Fn(&str) -> Option<f64>,
    /// Response tasks.
    pub tasks: &'a [TaskFact],
    /// Responders.
    pub responders: &'a [ResponderFact],
    /// People in the population.
    pub population: f64,
    /// First event of a kind (about a subject, if given), as `(t_s, message)`.
    pub first_event: &'a dyn Fn(EventKind, Option<&str>) -> Option<f64>,
}

/// Running state of one critical task.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Tracker {
    /// When the target was reached, s.
    pub reached_s: Option<f64>,
    /// Worst value seen (for "at most" targets).
    pub worst: f64,
    /// Value at the deadline (for "reach by" targets).
    pub at_deadline: Option<f64>,
    /// Decided rating (kept once decided).
    pub decided: Option<Rating>,
}

fn fmt_min(s: f64) -> String {
    if s < 3600.0 {
        format!("{:.1} min", s / 60.0)
    } else {
        format!(
            "{} h {:02} min",
            (s / 3600.0).floor(),
            ((s % 3600.0) / 60.0).floor()
        )
    }
}

/// The target in words.
pub fn describe(t: &Target) -> String {
    match t {
        Target::FirstOnScene { task, within_s } => format!(
            "first team on scene of a {task:?} task within {} of the call",
            fmt_min(*within_s)
        ),
        Target::TasksDone { task, within_s } => format!(
            "every {task:?} task finished within {} of becoming known",
            fmt_min(*within_s)
        ),
        Target::Warned { fraction, within_s } => format!(
            "warning reaches {:.0} % of residents within {}",
            fraction * 100.0,
            fmt_min(*within_s)
        ),
        Target::Supplied { people, within_s } => {
            format!(
                "supplies for {people:.0} people within {}",
                fmt_min(*within_s)
            )
        }
        Target::Evacuated { people, within_s } => {
            format!(
                "{people:.0} people in shelters within {}",
                fmt_min(*within_s)
            )
        }
        Target::NoResponderOverLimit => {
            "no responder over AEGL-2 (behind their PPE) and none out of action".to_owned()
        }
        Target::MetricAtMost(m, v) => format!("{m} stays at or below {v}"),
        Target::MetricAtLeast {
            metric,
            value,
            within_s,
        } => format!("{metric} reaches {value} within {}", fmt_min(*within_s)),
        Target::EventWithin {
            kind,
            subject,
            within_s,
        } => format!(
            "{kind:?}{} within {}",
            subject
                .as_ref()
                .map_or(String::new(), |s| format!(" ({s})")),
            fmt_min(*within_s)
        ),
    }
}

/// Rates a time `took` against `within` with partial factor `f`.
fn by_time(took: f64, within: f64, f: f64) -> Rating {
    if took <= within + 1e-9 {
        Rating::Met
    } else if took <= within * f + 1e-9 {
        Rating::PartiallyMet
    } else {
        Rating::NotMet
    }
}

/// Updates `tr` with the facts of a tick and returns the task's record.
pub fn evaluate(spec: &CriticalTaskSpec, facts: &Facts<'_>, tr: &mut Tracker) -> TaskRecord {
    let f = spec.partial_factor;
    let t = facts.t_s;
    let mut rec = TaskRecord {
        title: spec.title.clone(),
        target: describe(&spec.target),
        rating: Rating::Pending,
        evidence: String::new(),
        value: None,
        goal: None,
        unit: String::new(),
        reached_s: tr.reached_s,
    };
    match &spec.target {
        Target::FirstOnScene { task, within_s } => {
            rec.goal = Some(*within_s);
            rec.unit = "s".into();
            let first = facts
                .tasks
                .iter()
                .filter(|k| k.kind == *task)
                .min_by(|a, b| a.known_s.total_cmp(&b.known_s));
            match first {
                None => {
                    rec.evidence = format!("no {task:?} task arose");
                    if facts.finished {
                        tr.decided.get_or_insert(Rating::NotObserved);
                    }
                }
                Some(k) => match k.arrived_s {
                    Some(a) => {
                        let took = a - k.known_s;
                        tr.reached_s.get_or_insert(a);
                        rec.value = Some(took);
                        rec.evidence = format!(
                            "first {task:?} task known at {}, first team on scene at {}: {} after the call",
                            clock(k.known_s),
                            clock(a),
                            fmt_min(took)
                        );
                        tr.decided.get_or_insert(by_time(took, *within_s, f));
                    }
                    None => {
                        let waited = t - k.known_s;
                        rec.value = Some(waited);
                        rec.evidence = format!(
                            "first {task:?} task known at {}; no team on scene after {}",
                            clock(k.known_s),
                            fmt_min(waited)
                        );
                        if waited > within_s * f {
                            tr.decided.get_or_insert(Rating::NotMet);
                        } else if facts.finished {
                            // The run ended before the time allowed ran out.
                            tr.decided.get_or_insert(if waited > *within_s {
                                Rating::NotMet
                            } else {
                                Rating::NotObserved
                            });
                        }
                    }
                },
            }
        }
        Target::TasksDone { task, within_s } => {
            rec.goal = Some(*within_s);
            rec.unit = "s".into();
            let mine: Vec<&TaskFact> = facts.tasks.iter().filter(|k| k.kind == *task).collect();
            if mine.is_empty() {
                rec.evidence = format!("no {task:?} task arose");
                if facts.finished {
                    tr.decided.get_or_insert(Rating::NotObserved);
                }
            } else {
                let worst = mine
                    .iter()
                    .map(|k| k.done_s.unwrap_or(t) - k.known_s)
                    .fold(0.0, f64::max);
                let open = mine.iter().filter(|k| k.done_s.is_none()).count();
                rec.value = Some(worst);
                rec.evidence = format!(
                    "{} {task:?} task(s), {} finished; longest took {}{}",
                    mine.len(),
                    mine.len() - open,
                    fmt_min(worst),
                    if open > 0 { " so far" } else { "" }
                );
                if worst > within_s * f {
                    tr.decided.get_or_insert(Rating::NotMet);
                } else if facts.finished {
                    let r = if open > 0 {
                        Rating::NotMet
                    } else {
                        by_time(worst, *within_s, f)
                    };
                    tr.decided.get_or_insert(r);
                }
            }
        }
        Target::Warned { fraction, within_s } => {
            let warned = (facts.metric)("people_warned").unwrap_or(0.0);
            let frac = if facts.population > 0.0 {
                warned / facts.population
            } else {
                0.0
            };
            reach_by(&mut rec, tr, facts, frac, *fraction, *within_s, f, |v| {
                format!("{:.0} % warned", v * 100.0)
            });
        }
        Target::Supplied { people, within_s } => {
            let v = (facts.metric)("people_supplied").unwrap_or(0.0);
            reach_by(&mut rec, tr, facts, v, *people, *within_s, f, |v| {
                format!("{v:.0} people supplied")
            });
        }
        Target::Evacuated { people, within_s } => {
            let v = (facts.metric)("people_evacuated").unwrap_or(0.0);
            reach_by(&mut rec, tr, facts, v, *people, *within_s, f, |v| {
                format!("{v:.0} people in shelters")
            });
        }
        Target::MetricAtLeast {
            metric,
            value,
            within_s,
        } => {
            let v = (facts.metric)(metric).unwrap_or(0.0);
            reach_by(&mut rec, tr, facts, v, *value, *within_s, f, |v| {
                format!("{metric} = {v:.3}")
            });
        }
        Target::EventWithin {
            kind,
            subject,
            within_s,
        } => {
            let at = (facts.first_event)(*kind, subject.as_deref());
            rec.goal = Some(*within_s);
            rec.unit = "s".into();
            match (at, facts.clock_s) {
                (Some(at), Some(c)) => {
                    let took = (at - c).max(0.0);
                    tr.reached_s.get_or_insert(at);
                    rec.value = Some(took);
                    rec.evidence = format!(
                        "{kind:?} at {} ({} after the clock start)",
                        clock(at),
                        fmt_min(took)
                    );
                    tr.decided.get_or_insert(by_time(took, *within_s, f));
                }
                (None, Some(c)) => {
                    rec.evidence = format!("no {kind:?} by {}", clock(t));
                    if t - c > within_s * f || facts.finished {
                        tr.decided.get_or_insert(Rating::NotMet);
                    }
                }
                (_, None) => {
                    rec.evidence = "the clock of this target never started".into();
                    if facts.finished {
                        tr.decided.get_or_insert(Rating::NotObserved);
                    }
                }
            }
        }
        Target::NoResponderOverLimit => {
            let over: Vec<&str> = facts
                .responders
                .iter()
                .filter(|r| r.over_limit)
                .map(|r| r.id.as_str())
                .collect();
            let down: Vec<&ResponderFact> = facts
                .responders
                .iter()
                .filter(|r| r.casualty_s.is_some())
                .collect();
            rec.value = Some(over.len() as f64);
            rec.goal = Some(0.0);
            rec.unit = "teams".into();
            rec.evidence = if down.is_empty() && over.is_empty() {
                format!("{} teams, none over its limit", facts.responders.len())
            } else {
                format!(
                    "over the limit: {}; out of action: {}",
                    if over.is_empty() {
                        "none".to_owned()
                    } else {
                        over.join(", ")
                    },
                    if down.is_empty() {
                        "none".to_owned()
                    } else {
                        down.iter()
                            .map(|r| format!("{} at {}", r.id, clock(r.casualty_s.unwrap_or(0.0))))
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                )
            };
            if !down.is_empty() {
                tr.decided.get_or_insert(Rating::NotMet);
            } else if facts.finished {
                tr.decided.get_or_insert(if over.is_empty() {
                    Rating::Met
                } else {
                    Rating::PartiallyMet
                });
            }
        }
        Target::MetricAtMost(metric, limit) => {
            let v = (facts.metric)(metric).unwrap_or(0.0);
            tr.worst = tr.worst.max(v);
            rec.value = Some(tr.worst);
            rec.goal = Some(*limit);
            rec.evidence = format!("largest {metric}: {:.3} (limit {limit})", tr.worst);
            if tr.worst > limit * f + 1e-12 {
                tr.decided.get_or_insert(Rating::NotMet);
            } else if facts.finished {
                tr.decided.get_or_insert(if tr.worst <= limit + 1e-12 {
                    Rating::Met
                } else {
                    Rating::PartiallyMet
                });
            }
        }
    }
    rec.reached_s = tr.reached_s;
    rec.rating = tr.decided.unwrap_or(Rating::Pending);
    rec
}

/// "Reach `goal` within `within` of the clock": met if reached by the deadline, partly
/// met if reached by `f` × the time allowed, else not met.
#[allow(clippy::too_many_arguments)]
fn reach_by(
    rec: &mut TaskRecord,
    tr: &mut Tracker,
    facts: &Facts<'_>,
    value: f64,
    goal: f64,
    within: f64,
    f: f64,
    say: impl Fn(f64) -> String,
) {
    let t = facts.t_s;
    rec.goal = Some(goal);
    rec.value = Some(value);
    let Some(c) = facts.clock_s else {
        rec.evidence = format!("{}; the clock has not started", say(value));
        if facts.finished {
            tr.decided.get_or_insert(Rating::NotObserved);
        }
        return;
    };
    if t <= c + within + 1e-9 {
        tr.at_deadline = Some(value);
    }
    if value >= goal - 1e-9 && tr.reached_s.is_none() {
        tr.reached_s = Some(t);
        tr.decided.get_or_insert(by_time(t - c, within, f));
    }
    let at_deadline = tr.at_deadline.unwrap_or(0.0);
    rec.evidence = match tr.reached_s {
        Some(r) => format!(
            "target reached at {} ({} after the clock start); {} at the deadline",
            clock(r),
            fmt_min(r - c),
            say(at_deadline)
        ),
        None => format!(
            "{} at the deadline ({}), {} now",
            say(at_deadline),
            clock(c + within),
            say(value)
        ),
    };
    if tr.reached_s.is_none() && (t > c + within * f + 1e-9 || facts.finished) {
        tr.decided.get_or_insert(Rating::NotMet);
    }
}

/// Run time as `h:mm:ss`.
pub fn clock(t_s: f64) -> String {
    let s = t_s.max(0.0).round() as u64;
    format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercise::spec::Clock;

    fn ct(target: Target) -> CriticalTaskSpec {
        CriticalTaskSpec {
            title: "t".into(),
            target,
            from: Clock::Onset,
            partial_factor: 1.5,
        }
    }

    /// A hand-built run: facts at time `t`, metric values, tasks, responders and events.
    struct Run {
        t: f64,
        finished: bool,
        clock: Option<f64>,
        metrics: Vec<(&'static str, f64)>,
        tasks: Vec<TaskFact>,
        responders: Vec<ResponderFact>,
        events: Vec<(EventKind, &'static str, f64)>,
    }

    impl Run {
        fn at(t: f64) -> Self {
            Self {
                t,
                finished: false,
                clock: Some(0.0),
                metrics: Vec::new(),
                tasks: Vec::new(),
                responders: Vec::new(),
                events: Vec::new(),
            }
        }

        fn rate(&self, spec: &CriticalTaskSpec, tr: &mut Tracker) -> TaskRecord {
            let metric = |m: &str| self.metrics.iter().find(|(n, _)| *n == m).map(|x| x.1);
            let first = |k: EventKind, s: Option<&str>| {
                self.events
                    .iter()
                    .filter(|(ek, es, _)| *ek == k && s.is_none_or(|w| w == *es))
                    .map(|e| e.2)
                    .reduce(f64::min)
            };
            let facts = Facts {
                t_s: self.t,
                finished: self.finished,
                clock_s: self.clock,
                metric: &metric,
                tasks: &self.tasks,
                responders: &self.responders,
                population: 1000.0,
                first_event: &first,
            };
            evaluate(spec, &facts, tr)
        }
    }

    fn leak(known: f64, arrived: Option<f64>, done: Option<f64>) -> TaskFact {
        TaskFact {
            kind: TaskType::StopLeak,
            known_s: known,
            arrived_s: arrived,
            done_s: done,
        }
    }

    /// 15-min target: on scene after 10 min → met; 20 min → partly met (≤ 22.5 min);
    /// 25 min → not met; nobody after 23 min → not met before the end; no leak at all →
    /// not observed at the end.
    #[test]
    fn first_on_scene() {
        let spec = ct(Target::FirstOnScene {
            task: TaskType::StopLeak,
            within_s: 900.0,
        });
        for (arrive, want) in [
            (600.0, Rating::Met),
            (1200.0, Rating::PartiallyMet),
            (1500.0, Rating::NotMet),
        ] {
            let mut run = Run::at(3000.0);
            run.tasks = vec![leak(100.0, Some(100.0 + arrive), None)];
            let r = run.rate(&spec, &mut Tracker::default());
            assert_eq!(r.rating, want, "{arrive}");
            assert_eq!(r.value, Some(arrive));
        }
        let mut run = Run::at(100.0 + 1380.0);
        run.tasks = vec![leak(100.0, None, None)];
        assert_eq!(
            run.rate(&spec, &mut Tracker::default()).rating,
            Rating::NotMet
        );
        run.t = 100.0 + 1200.0;
        assert_eq!(
            run.rate(&spec, &mut Tracker::default()).rating,
            Rating::Pending
        );
        let mut run = Run::at(5000.0);
        run.finished = true;
        assert_eq!(
            run.rate(&spec, &mut Tracker::default()).rating,
            Rating::NotObserved
        );
    }

    /// Every leak sealed within 60 min of being known, judged by the slowest.
    #[test]
    fn tasks_done() {
        let spec = ct(Target::TasksDone {
            task: TaskType::StopLeak,
            within_s: 3600.0,
        });
        let mut run = Run::at(9000.0);
        run.finished = true;
        run.tasks = vec![
            leak(0.0, Some(600.0), Some(3000.0)),
            leak(1000.0, Some(1500.0), Some(5000.0)),
        ];
        let r = run.rate(&spec, &mut Tracker::default());
        assert_eq!(r.rating, Rating::PartiallyMet, "slowest took 4000 s");
        assert_eq!(r.value, Some(4000.0));
        run.tasks[1].done_s = None;
        assert_eq!(
            run.rate(&spec, &mut Tracker::default()).rating,
            Rating::NotMet
        );
    }

    /// Warning reaches 90 % of 1000 residents within 30 min of onset (clock at 600 s).
    #[test]
    fn warned_fraction_by_deadline() {
        let spec = ct(Target::Warned {
            fraction: 0.9,
            within_s: 1800.0,
        });
        let mut tr = Tracker::default();
        for (t, warned, want) in [
            (1200.0, 500.0, Rating::Pending),
            (2400.0, 899.0, Rating::Pending),
            (2700.0, 950.0, Rating::PartiallyMet),
        ] {
            let mut run = Run::at(t);
            run.clock = Some(600.0);
            run.metrics = vec![("people_warned", warned)];
            assert_eq!(run.rate(&spec, &mut tr).rating, want, "t = {t}");
        }
        assert_eq!(tr.reached_s, Some(2700.0));
        assert_eq!(tr.at_deadline, Some(899.0 / 1000.0));
        // On time.
        let mut run = Run::at(2000.0);
        run.clock = Some(600.0);
        run.metrics = vec![("people_warned", 900.0)];
        assert_eq!(run.rate(&spec, &mut Tracker::default()).rating, Rating::Met);
        // Never: decided once 1.5 × 30 min have passed.
        let mut run = Run::at(600.0 + 2701.0);
        run.clock = Some(600.0);
        run.metrics = vec![("people_warned", 10.0)];
        assert_eq!(
            run.rate(&spec, &mut Tracker::default()).rating,
            Rating::NotMet
        );
    }

    /// Supplies for 5,000 people within 4 h; evacuation of 800 within 2 h; a metric
    /// reaching a value; each read from its own column.
    #[test]
    fn quantities_by_deadline() {
        let cases = [
            (
                Target::Supplied {
                    people: 5000.0,
                    within_s: 14_400.0,
                },
                "people_supplied",
                5000.0,
                14_000.0,
                Rating::Met,
            ),
            (
                Target::Supplied {
                    people: 5000.0,
                    within_s: 14_400.0,
                },
                "people_supplied",
                5000.0,
                20_000.0,
                Rating::PartiallyMet,
            ),
            (
                Target::Evacuated {
                    people: 800.0,
                    within_s: 7200.0,
                },
                "people_evacuated",
                800.0,
                7000.0,
                Rating::Met,
            ),
            (
                Target::Evacuated {
                    people: 800.0,
                    within_s: 7200.0,
                },
                "people_supplied",
                800.0,
                7000.0,
                Rating::Pending,
            ),
            (
                Target::MetricAtLeast {
                    metric: "x".into(),
                    value: 2.0,
                    within_s: 100.0,
                },
                "x",
                2.0,
                160.0,
                Rating::NotMet,
            ),
        ];
        for (target, col, v, t, want) in cases {
            let mut run = Run::at(t);
            run.metrics = vec![(col, v)];
            assert_eq!(
                run.rate(&ct(target.clone()), &mut Tracker::default())
                    .rating,
                want,
                "{target:?}"
            );
        }
    }

    /// Responders: none over → met at the end; over but not down → partly met; one down
    /// → not met at once.
    #[test]
    fn no_responder_over_limit() {
        let spec = ct(Target::NoResponderOverLimit);
        let team = |over, down: Option<f64>| ResponderFact {
            id: "hazmat-1".into(),
            over_limit: over,
            casualty_s: down,
        };
        let mut run = Run::at(100.0);
        run.responders = vec![team(false, None)];
        assert_eq!(
            run.rate(&spec, &mut Tracker::default()).rating,
            Rating::Pending
        );
        run.finished = true;
        assert_eq!(run.rate(&spec, &mut Tracker::default()).rating, Rating::Met);
        run.responders = vec![team(true, None)];
        assert_eq!(
            run.rate(&spec, &mut Tracker::default()).rating,
            Rating::PartiallyMet
        );
        run.finished = false;
        run.responders = vec![team(true, Some(50.0))];
        assert_eq!(
            run.rate(&spec, &mut Tracker::default()).rating,
            Rating::NotMet
        );
    }

    /// At-most targets keep the worst value; events within a time of the clock.
    #[test]
    fn metric_at_most_and_event_within() {
        let spec = ct(Target::MetricAtMost("expected_fatalities".into(), 1.0));
        let mut tr = Tracker::default();
        for (v, want) in [
            (0.5, Rating::Pending),
            (1.4, Rating::Pending),
            (0.0, Rating::Pending),
        ] {
            let mut run = Run::at(10.0);
            run.metrics = vec![("expected_fatalities", v)];
            assert_eq!(run.rate(&spec, &mut tr).rating, want);
        }
        let mut run = Run::at(20.0);
        run.finished = true;
        assert_eq!(
            run.rate(&spec, &mut tr).rating,
            Rating::PartiallyMet,
            "worst 1.4 ≤ 1.5"
        );
        run.metrics = vec![("expected_fatalities", 2.0)];
        assert_eq!(
            run.rate(&spec, &mut Tracker::default()).rating,
            Rating::NotMet
        );

        let spec = ct(Target::EventWithin {
            kind: EventKind::LeakStopped,
            subject: Some("hazmat-1".into()),
            within_s: 3600.0,
        });
        let mut run = Run::at(5000.0);
        run.clock = Some(1000.0);
        run.events = vec![
            (EventKind::LeakStopped, "hazmat-2", 2000.0),
            (EventKind::LeakStopped, "hazmat-1", 4000.0),
        ];
        let r = run.rate(&spec, &mut Tracker::default());
        assert_eq!(r.rating, Rating::Met);
        assert_eq!(r.value, Some(3000.0));
        run.clock = None;
        run.finished = true;
        assert_eq!(
            run.rate(&spec, &mut Tracker::default()).rating,
            Rating::NotObserved
        );
    }

    #[test]
    fn objective_rating_combines_tasks() {
        use Rating::*;
        assert_eq!(Rating::combine(&[Met, Met]), Met);
        assert_eq!(Rating::combine(&[Met, NotMet]), PartiallyMet);
        assert_eq!(Rating::combine(&[NotMet, NotObserved]), NotMet);
        assert_eq!(Rating::combine(&[NotObserved]), NotObserved);
        assert_eq!(Rating::combine(&[Met, Pending]), Pending);
    }
}
