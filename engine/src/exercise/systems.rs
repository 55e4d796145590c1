//! The exercise's systems, one per phase of the tick:
//!
//! - [`fire_injects`] (`Inputs`, before the weather): live and forced injects, scripted
//!   injects whose time has come or whose condition holds on the state at the start of
//!   the tick, and chain consequences that fall due; effects apply at once.
//! - [`check_chains`] (`Chains`, after the hazards): each link whose threshold is first
//!   reached draws once from the run's `Chains` stream; a success schedules the
//!   consequence after the link's delay.
//! - [`score_objectives`] (`Metrics`): objective trackers, sensor readings, and the
//!   metric values conditions read.
//!
//! They are exclusive systems (they may change any part of the run), ordered by the
//! schedule's sets, so a run stays a pure function of (scenario, seed, live injects).

use bevy_ecs::prelude::*;
use rand::RngExt;

use super::cond::Ctx;
use super::effects::{apply, stand_down_now};
use super::probe::Fields;
use super::record::{InjectSource, Rating, TaskRecord};
use super::score::{Facts, ResponderFact, TaskFact, evaluate};
use super::spec::{Clock, ExerciseSettings, ObjectiveSpec, TaskType};
use super::state::{ExerciseState, Reading};
use crate::agents::state::{AgentStatic, Phase, Response, TaskKind};
use crate::sim::ScenarioRes;
use crate::sim::clock::SimClock;
use crate::sim::events::{EventKind, EventLog};
use crate::sim::metrics::MetricsRow;
use crate::world::rng::{RngPurpose, RngStreams};

/// Static inputs of the exercise systems.
#[derive(Resource, Clone, Debug)]
pub struct ExerciseStatic {
    /// Objectives.
    pub objectives: Vec<ObjectiveSpec>,
    /// Objective ids.
    pub objective_ids: Vec<String>,
    /// Settings.
    pub settings: ExerciseSettings,
    /// Named places: exercise sites, then facilities.
    pub places: Vec<(String, [f64; 2])>,
}

fn with_ctx<R>(world: &World, t_s: f64, f: impl FnOnce(&Ctx<'_>) -> R) -> R {
    let fields = Fields::of(world, t_s);
    let st = world.resource::<ExerciseStatic>();
    let ctx = Ctx {
        t_s,
        fields: &fields,
        state: world.resource::<ExerciseState>(),
        objectives: &st.objective_ids,
        places: &st.places,
    };
    f(&ctx)
}

/// Fires inject `i` at `t_s`: logs it and applies its effects.
fn fire(world: &mut World, i: usize, t_s: f64, source: InjectSource) {
    let spec = world.resource::<ExerciseState>().injects[i].spec.clone();
    let how = match source {
        InjectSource::Time => "scripted",
        InjectSource::Condition => "condition met",
        InjectSource::Forced => "fired by the controller",
        InjectSource::Live => "live",
    };
    world.resource_mut::<EventLog>().push(
        t_s,
        EventKind::InjectFired,
        spec.id.clone(),
        format!("Inject {} \"{}\" ({how}).", spec.id, spec.title),
    );
    {
        let mut ex = world.resource_mut::<ExerciseState>();
        ex.injects[i].fired_s = Some(t_s);
        ex.injects[i].source = Some(source);
    }
    for e in &spec.effects {
        let out = apply(world, e, t_s, &spec.id).unwrap_or_else(|why| {
            world.resource_mut::<EventLog>().push(
                t_s,
                EventKind::InjectFired,
                spec.id.clone(),
                format!(
                    "Inject {} could not {}: {why}.",
                    spec.id,
                    super::effects::describe(e)
                ),
            );
            format!("failed: {why}")
        });
        world.resource_mut::<ExerciseState>().injects[i]
            .outcomes
            .push(out);
    }
}

fn note_events(world: &mut World) {
    world.resource_scope(|world, mut ex: Mut<'_, ExerciseState>| {
        ex.note_events(&world.resource::<EventLog>().events);
    });
}

/// Fires what is due at the start of the tick.
pub fn fire_injects(world: &mut World) {
    let t = world.resource::<SimClock>().t_s();
    note_events(world);
    // Teams waiting to stand down once empty.
    if !world.resource::<ExerciseState>().stand_down.is_empty()
        && let Some(mut r) = world.remove_resource::<Response>()
    {
        let mut ex = world.resource_mut::<ExerciseState>();
        let waiting = std::mem::take(&mut ex.stand_down);
        for (i, until) in waiting {
            if r.teams[i].load > 0.0 {
                ex.stand_down.push((i, until));
            } else {
                stand_down_now(&mut r, i, t, until);
            }
        }
        world.insert_resource(r);
    }
    fire_scripted(world, t);
}

fn fire_scripted(world: &mut World, t: f64) {
    // Live injects, in the order they were pushed.
    let queued = std::mem::take(&mut world.resource_mut::<ExerciseState>().queued);
    for spec in queued {
        let i = {
            let mut ex = world.resource_mut::<ExerciseState>();
            ex.injects.push(super::state::InjectState {
                spec,
                fired_s: None,
                source: None,
                outcomes: Vec::new(),
            });
            ex.injects.len() - 1
        };
        fire(world, i, t, InjectSource::Live);
    }
    let forced = std::mem::take(&mut world.resource_mut::<ExerciseState>().forced);
    for i in forced {
        if world.resource::<ExerciseState>().injects[i]
            .fired_s
            .is_none()
        {
            fire(world, i, t, InjectSource::Forced);
        }
    }
    // Scripted injects in MSEL order; a later one sees an earlier one fired this tick.
    let n = world.resource::<ExerciseState>().injects.len();
    for i in 0..n {
        let (due, source) = {
            let ex = world.resource::<ExerciseState>();
            let inj = &ex.injects[i];
            if inj.fired_s.is_some() || inj.source == Some(InjectSource::Live) {
                continue;
            }
            let time_ok = inj.spec.at_s.is_none_or(|a| t + 1e-9 >= a);
            match (&inj.spec.at_s, &inj.spec.when) {
                (None, None) => (false, InjectSource::Time),
                (Some(_), None) => (time_ok, InjectSource::Time),
                (_, Some(c)) => {
                    let c = c.clone();
                    (
                        time_ok && with_ctx(world, t, |ctx| ctx.holds(&c)),
                        InjectSource::Condition,
                    )
                }
            }
        };
        if due {
            fire(world, i, t, source);
        }
    }
    // Chain consequences that fall due.
    let n = world.resource::<ExerciseState>().chains.len();
    for k in 0..n {
        let (due, spec) = {
            let ex = world.resource::<ExerciseState>();
            let c = &ex.chains[k];
            (
                c.fired_s.is_none() && c.due_s.is_some_and(|d| t + 1e-9 >= d),
                c.spec.clone(),
            )
        };
        if due {
            fire_chain(world, k, &spec, t);
        }
    }
}

fn fire_chain(world: &mut World, k: usize, spec: &super::spec::ChainSpec, t: f64) {
    let mut outcomes = Vec::new();
    for e in &spec.then {
        outcomes.push(apply(world, e, t, &spec.id).unwrap_or_else(|w| format!("failed: {w}")));
    }
    world.resource_mut::<EventLog>().push(
        t,
        EventKind::ChainFired,
        spec.id.clone(),
        format!(
            "Chain link {} \"{}\": {}.",
            spec.id,
            spec.title,
            outcomes.join("; ")
        ),
    );
    let mut ex = world.resource_mut::<ExerciseState>();
    ex.chains[k].fired_s = Some(t);
    ex.chains[k].outcomes = outcomes;
}

/// Tests chain thresholds on the fields at the end of the tick.
pub fn check_chains(world: &mut World) {
    let t1 = world.resource::<SimClock>().t_end_s();
    let n = world.resource::<ExerciseState>().chains.len();
    for k in 0..n {
        let spec = {
            let c = &world.resource::<ExerciseState>().chains[k];
            if c.threshold_s.is_some() {
                continue;
            }
            c.spec.clone()
        };
        if !with_ctx(world, t1, |ctx| ctx.holds(&spec.when)) {
            continue;
        }
        let p = spec.probability.clamp(0.0, 1.0);
        let u: f64 = world
            .resource_mut::<RngStreams>()
            .get(RngPurpose::Chains)
            .random();
        let success = u < p;
        {
            let mut ex = world.resource_mut::<ExerciseState>();
            let c = &mut ex.chains[k];
            c.threshold_s = Some(t1);
            c.drawn = Some(success);
            c.due_s = success.then_some(t1 + spec.delay_s);
        }
        let cond = super::cond::describe(&spec.when);
        world.resource_mut::<EventLog>().push(
            t1,
            if success {
                EventKind::ChainTriggered
            } else {
                EventKind::ChainHeld
            },
            spec.id.clone(),
            if success {
                format!(
                    "Chain link {} \"{}\": {cond}; consequence in {:.0} s (p = {p}).",
                    spec.id, spec.title, spec.delay_s
                )
            } else {
                format!(
                    "Chain link {} \"{}\": {cond}, but the consequence did not follow (p = {p}).",
                    spec.id, spec.title
                )
            },
        );
        if success && spec.delay_s <= 0.0 {
            fire_chain(world, k, &spec, t1);
        }
    }
}

fn task_type(k: &TaskKind) -> TaskType {
    match k {
        TaskKind::StopLeak(_) => TaskType::StopLeak,
        TaskKind::Fireline { .. } => TaskType::Fireline,
        TaskKind::FireAttack { .. } => TaskType::FireAttack,
        TaskKind::Carry { .. } => TaskType::Carry,
        TaskKind::Transport { .. } => TaskType::Transport,
        TaskKind::Supply { .. } => TaskType::Supply,
        TaskKind::Decontaminate { .. } => TaskType::Decontaminate,
        TaskKind::Sandbag { .. } => TaskType::Sandbag,
    }
}

/// Facts of the response for the scorer.
pub fn response_facts(world: &World) -> (Vec<TaskFact>, Vec<ResponderFact>, f64) {
    let (Some(r), Some(st)) = (
        world.get_resource::<Response>(),
        world.get_resource::<AgentStatic>(),
    ) else {
        return (Vec::new(), Vec::new(), 0.0);
    };
    let tasks = r
        .tasks
        .iter()
        .map(|k| TaskFact {
            kind: task_type(&k.kind),
            known_s: k.known_s,
            arrived_s: k.arrived_s,
            done_s: k.done_s,
        })
        .collect();
    let responders = r
        .teams
        .iter()
        .enumerate()
        .map(|(i, tm)| ResponderFact {
            id: tm.id.clone(),
            over_limit: tm
                .exposure
                .toxic
                .iter()
                .zip(&st.toxic)
                .any(|(d, x)| d.peak_kg_m3 >= x.injury_kg_m3),
            casualty_s: (tm.phase == Phase::Casualty).then(|| {
                r.team_casualties
                    .iter()
                    .find(|(k, _)| *k == i)
                    .map_or(0.0, |(_, t)| *t)
            }),
        })
        .collect();
    let population = r.groups.iter().map(|g| g.people_0).sum();
    (tasks, responders, population)
}

/// A critical task whose rating was decided this tick: (objective id, task, rating,
/// evidence).
pub type Decision = (String, String, Rating, String);

/// Rates every critical task of `st` with the facts at run time `t`, updating the
/// trackers in `ex`; returns the records and the decisions taken now.
#[allow(clippy::too_many_arguments)]
pub fn rate(
    st: &ExerciseStatic,
    ex: &mut ExerciseState,
    tasks: &[TaskFact],
    responders: &[ResponderFact],
    population: f64,
    t: f64,
    finished: bool,
) -> (Vec<Vec<TaskRecord>>, Vec<Decision>) {
    let mut out = Vec::new();
    let mut decided = Vec::new();
    for (o, obj) in st.objectives.iter().enumerate() {
        let mut recs = Vec::new();
        for (k, ct) in obj.critical_tasks.iter().enumerate() {
            let clock_s = match &ct.from {
                Clock::Onset => ex.onset_s,
                Clock::RunStart => Some(0.0),
                Clock::Inject(id) => ex.inject(id).and_then(|i| ex.injects[i].fired_s),
            };
            let mut tr = ex.trackers[o][k].clone();
            let rec = {
                let metric = |m: &str| ex.metric(m);
                let first = |kind: EventKind, s: Option<&str>| ex.first_event(kind, s);
                let facts = Facts {
                    t_s: t,
                    finished,
                    clock_s,
                    metric: &metric,
                    tasks,
                    responders,
                    population,
                    first_event: &first,
                };
                let before = tr.decided;
                let rec = evaluate(ct, &facts, &mut tr);
                if before.is_none()
                    && let Some(r) = tr.decided
                    && matches!(r, Rating::Met | Rating::NotMet | Rating::PartiallyMet)
                {
                    decided.push((obj.id.clone(), ct.title.clone(), r, rec.evidence.clone()));
                }
                rec
            };
            ex.trackers[o][k] = tr;
            ex.ratings[o][k] = rec.rating;
            recs.push(rec);
        }
        out.push(recs);
    }
    (out, decided)
}

/// Rates every critical task with the state at the end of the tick; logs decisions.
pub fn evaluate_all(world: &mut World, t: f64, finished: bool) -> Vec<Vec<TaskRecord>> {
    let (tasks, responders, population) = response_facts(world);
    let mut ex = world.remove_resource::<ExerciseState>().unwrap_or_default();
    let st = world.resource::<ExerciseStatic>();
    let (out, decided) = rate(st, &mut ex, &tasks, &responders, population, t, finished);
    world.insert_resource(ex);
    let mut log = world.resource_mut::<EventLog>();
    for (id, title, r, evidence) in decided {
        let kind = if r == Rating::NotMet {
            EventKind::ObjectiveFailed
        } else {
            EventKind::ObjectiveMet
        };
        log.push(t, kind, id, format!("{title}: {} — {evidence}.", r.label()));
    }
    out
}

/// Keeps the metrics of the tick, samples sensors and rates objectives.
pub fn score_objectives(world: &mut World) {
    let clock = world.resource::<SimClock>().clone();
    let t = clock.t_end_s();
    let finished = clock.tick + 1 >= clock.total_ticks();
    let values = world.resource::<MetricsRow>().values();
    world.resource_mut::<ExerciseState>().metrics = values;
    note_events(world);
    sample_sensors(world, t);
    evaluate_all(world, t, finished);
}

fn sample_sensors(world: &mut World, t: f64) {
    world.resource_scope(|world, mut ex: Mut<'_, ExerciseState>| {
        let sensors = &world.resource::<ExerciseStatic>().settings.sensors;
        if sensors.is_empty() {
            return;
        }
        let fields = Fields::of(world, t);
        for (i, s) in sensors.iter().enumerate() {
            if t + 1e-9 >= ex.next_reading_s[i] {
                ex.readings.push(Reading {
                    sensor: i,
                    t_s: t,
                    value: fields.at_point(&s.field, s.at.0, s.at.1),
                });
                ex.next_reading_s[i] = t + s.interval_s.max(1.0);
            }
        }
    });
}

/// The scenario's exercise settings (defaults when absent).
pub fn settings_of(s: &ScenarioRes) -> ExerciseSettings {
    s.0.scenario.exercise.clone().unwrap_or_default()
}
