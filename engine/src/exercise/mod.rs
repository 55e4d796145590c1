//! The exercise layer: what makes a run a drill. Injects of the master scenario events
//! list (MSEL) fire at times or on conditions and change the simulation; disaster-chain
//! links let one hazard start another; roles filter what players see; objectives with
//! measurable critical tasks are rated met / partly met / not met with their evidence.
//!
//! ## References
//! - U.S. Department of Homeland Security (2020), *Homeland Security Exercise and
//!   Evaluation Program (HSEEP)*: MSEL, exercise evaluation guides, objectives with
//!   critical tasks, after-action report structure.
//! - Krausmann, E., Cruz, A. M. & Salzano, E. (2017), *Natech Risk Assessment and
//!   Management*, Elsevier: flood- and fire-triggered releases at hazardous installations.

pub mod cond;
pub mod effects;
pub mod probe;
pub mod record;
pub mod score;
pub mod spec;
pub mod state;
pub mod systems;
pub mod view;

use bevy_ecs::prelude::*;

use crate::scenario::diagnostic::closest;
use crate::scenario::problem::{Problem, index, join};
use crate::scenario::types::{HazardSpec, Scenario};
use crate::sim::outputs::RunOutputs;
use crate::sim::{MetricsSet, SimBuilder, SimSet};
use record::{ChainRecord, ExerciseRecord, InjectRecord, ObjectiveRecord, Rating};
use spec::{Clock, Condition, Effect, Field, InjectSpec, Place};
use state::ExerciseState;
use systems::ExerciseStatic;

/// True when the scenario uses the exercise layer (its record is then written).
pub fn in_use(s: &Scenario) -> bool {
    !s.injects.is_empty() || !s.chains.is_empty() || !s.objectives.is_empty()
}

/// Adds the exercise layer to a run (always: live injects can arrive in any run).
pub fn install(b: &mut SimBuilder<'_>) {
    let loaded = b.scenario();
    let s = &loaded.scenario;
    let settings = s.exercise.clone().unwrap_or_default();
    let mut places: Vec<(String, [f64; 2])> = settings
        .sites
        .iter()
        .map(|p| (p.id.clone(), [p.at.0, p.at.1]))
        .collect();
    places.extend(s.facilities.iter().map(|f| {
        let site = f.site();
        (
            site.id.clone(),
            [site.location_xy_m.0, site.location_xy_m.1],
        )
    }));
    b.world.insert_resource(ExerciseStatic {
        objective_ids: s.objectives.iter().map(|o| o.id.clone()).collect(),
        objectives: s.objectives.clone(),
        places,
        settings: settings.clone(),
    });
    b.world.insert_resource(ExerciseState::new(
        &s.injects,
        &s.chains,
        &s.objectives,
        settings.sensors.len(),
    ));
    b.snapshot_resource::<ExerciseState>("exercise");
    b.schedule.add_systems(
        systems::fire_injects
            .in_set(SimSet::Inputs)
            .before(crate::sim::inputs::update_weather),
    );
    b.schedule
        .add_systems(systems::check_chains.in_set(SimSet::Chains));
    b.schedule
        .add_systems(systems::score_objectives.in_set(MetricsSet::Exercise));
    b.add_outputs(exercise_outputs);
}

/// The exercise record of the current state of a run.
pub fn record(world: &World, t_s: f64) -> Option<ExerciseRecord> {
    let ex = world.get_resource::<ExerciseState>()?;
    let st = world.get_resource::<ExerciseStatic>()?;
    let injects = ex
        .injects
        .iter()
        .map(|i| InjectRecord {
            id: i.spec.id.clone(),
            title: i.spec.title.clone(),
            description: i.spec.description.clone(),
            audience: i.spec.audience,
            expected_actions: i.spec.expected_actions.clone(),
            notes: i.spec.notes.clone(),
            scheduled_s: i.spec.at_s,
            condition: i.spec.when.as_ref().map(cond::describe),
            fired_s: i.fired_s,
            source: i.source,
            effects: if i.outcomes.is_empty() {
                i.spec.effects.iter().map(effects::describe).collect()
            } else {
                i.spec
                    .effects
                    .iter()
                    .zip(&i.outcomes)
                    .map(|(e, o)| format!("{} — {o}", effects::describe(e)))
                    .collect()
            },
        })
        .collect();
    let chains = ex
        .chains
        .iter()
        .map(|c| ChainRecord {
            id: c.spec.id.clone(),
            title: c.spec.title.clone(),
            condition: cond::describe(&c.spec.when),
            probability: c.spec.probability,
            delay_s: c.spec.delay_s,
            threshold_s: c.threshold_s,
            drawn: c.drawn,
            fired_s: c.fired_s,
            effects: if c.outcomes.is_empty() {
                c.spec.then.iter().map(effects::describe).collect()
            } else {
                c.outcomes.clone()
            },
        })
        .collect();
    let objectives = st
        .objectives
        .iter()
        .enumerate()
        .map(|(o, obj)| {
            let tasks: Vec<record::TaskRecord> = obj
                .critical_tasks
                .iter()
                .enumerate()
                .map(|(k, ct)| {
                    let tr = &ex.trackers[o][k];
                    record::TaskRecord {
                        title: ct.title.clone(),
                        target: score::describe(&ct.target),
                        rating: ex.ratings[o][k],
                        evidence: String::new(),
                        value: None,
                        goal: None,
                        unit: String::new(),
                        reached_s: tr.reached_s,
                    }
                })
                .collect();
            ObjectiveRecord {
                id: obj.id.clone(),
                title: obj.title.clone(),
                capability: obj.capability.clone(),
                rating: Rating::combine(&tasks.iter().map(|t| t.rating).collect::<Vec<_>>()),
                tasks,
            }
        })
        .collect();
    Some(ExerciseRecord {
        onset_s: ex.onset_s,
        t_s,
        injects,
        chains,
        objectives,
    })
}

/// Writes `exercise.json` and the `"exercise"` summary entry.
fn exercise_outputs(world: &World, out: &mut RunOutputs) {
    let Some(s) = world.get_resource::<crate::sim::ScenarioRes>() else {
        return;
    };
    let t = world.resource::<crate::sim::clock::SimClock>().t_s();
    let Some(mut rec) = record(world, t) else {
        return;
    };
    if !in_use(&s.0.scenario) && rec.injects.is_empty() {
        return;
    }
    fill_evidence(world, &mut rec);
    let count = |r: Rating| rec.objectives.iter().filter(|o| o.rating == r).count();
    out.summary.push((
        "exercise".into(),
        serde_json::json!({
            "injects": rec.injects.len(),
            "injects_fired": rec.injects.iter().filter(|i| i.fired_s.is_some()).count(),
            "chain_links": rec.chains.len(),
            "chain_links_fired": rec.chains.iter().filter(|c| c.fired_s.is_some()).count(),
            "objectives": rec.objectives.len(),
            "objectives_met": count(Rating::Met),
            "objectives_partly_met": count(Rating::PartiallyMet),
            "objectives_not_met": count(Rating::NotMet),
            "objectives_not_observed": count(Rating::NotObserved),
        }),
    ));
    out.files.push((
        "exercise.json".into(),
        serde_json::to_string_pretty(&rec).unwrap_or_default(),
    ));
}

/// Fills the objectives' evidence from a fresh evaluation (the trackers keep only the
/// decisions).
pub fn fill_evidence(world: &World, rec: &mut ExerciseRecord) {
    if let Some(evals) = last_evaluation(world) {
        for (o, recs) in rec.objectives.iter_mut().zip(evals) {
            o.tasks = recs;
            o.rating = Rating::combine(&o.tasks.iter().map(|t| t.rating).collect::<Vec<_>>());
        }
    }
}

/// Rates every critical task on a copy of the world's exercise state (decisions taken
/// during the run stand; open ones close if the run has finished), with the evidence.
fn last_evaluation(world: &World) -> Option<Vec<Vec<record::TaskRecord>>> {
    let clock = world.get_resource::<crate::sim::clock::SimClock>()?;
    let st = world.get_resource::<ExerciseStatic>()?;
    let mut ex = world.get_resource::<ExerciseState>()?.clone();
    let (tasks, responders, population) = systems::response_facts(world);
    let (recs, _) = systems::rate(
        st,
        &mut ex,
        &tasks,
        &responders,
        population,
        clock.t_s(),
        clock.finished(),
    );
    Some(recs)
}

/// Reports exercise references that do not resolve (unknown hazard, site, team,
/// inject, chain link or objective) and duplicate ids, with did-you-mean hints.
pub fn check(s: &Scenario, out: &mut Vec<Problem>) {
    let labels = HazardSpec::labels(&s.hazards);
    let settings = s.exercise.clone().unwrap_or_default();
    let mut sites: Vec<String> = settings.sites.iter().map(|p| p.id.clone()).collect();
    sites.extend(s.facilities.iter().map(|f| f.site().id.clone()));
    let teams: Vec<String> = s
        .forces
        .iter()
        .flat_map(|f| {
            let crate::agents::spec::ForceSpec::Team(t) = f;
            let mut v = vec![t.id.clone()];
            if t.count > 1 {
                v.extend((1..=t.count).map(|k| format!("{}#{k}", t.id)));
            }
            v
        })
        .collect();
    let releases: Vec<String> = s
        .hazards
        .iter()
        .zip(&labels)
        .filter(|(h, _)| matches!(h, HazardSpec::ChemicalRelease(_)))
        .map(|(_, l)| l.clone())
        .collect();
    let fires: Vec<String> = s
        .hazards
        .iter()
        .zip(&labels)
        .filter(|(h, _)| matches!(h, HazardSpec::WildlandFire(_)))
        .map(|(_, l)| l.clone())
        .collect();
    let inject_ids: Vec<String> = s.injects.iter().map(|i| i.id.clone()).collect();
    let chain_ids: Vec<String> = s.chains.iter().map(|c| c.id.clone()).collect();
    let objective_ids: Vec<String> = s.objectives.iter().map(|o| o.id.clone()).collect();
    let refs = Refs {
        labels: &labels,
        hazards: &s.hazards,
        sites: &sites,
        teams: &teams,
        releases: &releases,
        fires: &fires,
        injects: &inject_ids,
        chains: &chain_ids,
        objectives: &objective_ids,
    };
    let mut ids = crate::scenario::problem::UniqueIds::default();
    let mut unique = |id: &str, path: String, out: &mut Vec<Problem>| ids.check(id, path, out);
    for (i, inj) in s.injects.iter().enumerate() {
        let p = index("injects", i);
        unique(&inj.id, join(&p, "id"), out);
        if let Some(t) = inj.at_s {
            crate::scenario::problem::check_non_negative(
                out,
                &join(&p, "at_s"),
                t,
                "s",
                "the exercise time the inject is delivered",
            );
        }
        if let Some(c) = &inj.when {
            c.check(&join(&p, "when"), out);
            refs.condition(c, &join(&p, "when"), out);
        }
        for (k, e) in inj.effects.iter().enumerate() {
            let pe = index(&join(&p, "effects"), k);
            e.check(&pe, out);
            refs.effect(e, &pe, out);
        }
    }
    for (i, c) in s.chains.iter().enumerate() {
        let p = index("chains", i);
        unique(&c.id, join(&p, "id"), out);
        c.when.check(&join(&p, "when"), out);
        refs.condition(&c.when, &join(&p, "when"), out);
        crate::scenario::problem::check_range(
            out,
            &join(&p, "probability"),
            c.probability,
            0.0,
            1.0,
            "",
            "the chance that the consequence follows once the threshold is reached",
        );
        crate::scenario::problem::check_non_negative(
            out,
            &join(&p, "delay_s"),
            c.delay_s,
            "s",
            "the time between the threshold and the consequence",
        );
        for (k, e) in c.then.iter().enumerate() {
            let pe = index(&join(&p, "then"), k);
            e.check(&pe, out);
            refs.effect(e, &pe, out);
        }
    }
    for (i, o) in s.objectives.iter().enumerate() {
        let p = index("objectives", i);
        unique(&o.id, join(&p, "id"), out);
        for (k, ct) in o.critical_tasks.iter().enumerate() {
            let pc = index(&join(&p, "critical_tasks"), k);
            ct.check(&pc, out);
            if let Clock::Inject(id) = &ct.from {
                refs.one(id, refs.injects, "an inject id", &join(&pc, "from"), out);
            }
        }
    }
    for (i, sen) in settings.sensors.iter().enumerate() {
        let p = index("exercise.sensors", i);
        refs.field(&sen.field, &join(&p, "field"), out);
        crate::scenario::problem::check_positive(
            out,
            &join(&p, "interval_s"),
            sen.interval_s,
            "s",
            "how often the sensor reports",
        );
    }
}

struct Refs<'a> {
    labels: &'a [String],
    hazards: &'a [HazardSpec],
    sites: &'a [String],
    teams: &'a [String],
    releases: &'a [String],
    fires: &'a [String],
    injects: &'a [String],
    chains: &'a [String],
    objectives: &'a [String],
}

impl Refs<'_> {
    fn one(&self, id: &str, known: &[String], what: &str, path: &str, out: &mut Vec<Problem>) {
        if known.iter().any(|k| k == id) {
            return;
        }
        let hint = match closest(id, known.iter().map(String::as_str)) {
            Some(c) => format!("did you mean \"{c}\"?"),
            None if known.is_empty() => "the scenario defines none".to_owned(),
            None => format!(
                "known: {}",
                known
                    .iter()
                    .take(8)
                    .map(|k| format!("\"{k}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        out.push(Problem::new(path, what, format!("\"{id}\""), hint));
    }

    fn field(&self, f: &Field, path: &str, out: &mut Vec<Problem>) {
        if let Field::GasPpmOf(r) = f {
            self.one(
                r,
                self.releases,
                "the name of a chemical release",
                path,
                out,
            );
        }
    }

    fn condition(&self, c: &Condition, path: &str, out: &mut Vec<Problem>) {
        match c {
            Condition::Above { field, at, .. } | Condition::Below { field, at, .. } => {
                self.field(field, &join(path, "field"), out);
                if let Place::Site(id) = at {
                    self.one(
                        id,
                        self.sites,
                        "a site id (exercise.sites or a facility)",
                        &join(path, "at"),
                        out,
                    );
                }
            }
            Condition::TeamArrived(t) => self.one(t, self.teams, "a team id", path, out),
            Condition::InjectFired(i) => self.one(i, self.injects, "an inject id", path, out),
            Condition::ChainFired(i) => self.one(i, self.chains, "a chain link id", path, out),
            Condition::ObjectiveFailed(i) => {
                self.one(i, self.objectives, "an objective id", path, out);
            }
            Condition::All(v) | Condition::Any(v) => {
                for (k, c) in v.iter().enumerate() {
                    self.condition(c, &index(path, k), out);
                }
            }
            Condition::Not(c) => self.condition(c, path, out),
            _ => {}
        }
    }

    fn effect(&self, e: &Effect, path: &str, out: &mut Vec<Problem>) {
        match e {
            Effect::StartHazard(h) => {
                self.one(h, self.labels, "the name of a hazard", path, out);
                if let Some(k) = self.labels.iter().position(|l| l == h)
                    && !self.hazards[k].dormant()
                {
                    out.push(Problem::new(
                        path,
                        "a dormant hazard",
                        format!("\"{h}\", which starts with the run"),
                        format!("add `dormant: true` to hazards[{k}] so it waits for this start"),
                    ));
                }
            }
            Effect::TeamUnavailable(t, _) => self.one(t, self.teams, "a team id", path, out),
            Effect::Ignite { fire: Some(f), .. } => {
                self.one(f, self.fires, "the name of a wildland fire", path, out);
            }
            Effect::Ignite { fire: None, .. } if self.fires.is_empty() => {
                out.push(Problem::new(
                    path,
                    "a scenario with a wildland fire",
                    "no WildlandFire hazard",
                    "add a WildlandFire hazard (dormant: true if it should wait)",
                ));
            }
            _ => {}
        }
    }
}

/// Checks a live inject against the scenario before it is queued.
pub fn check_live(s: &Scenario, inject: &InjectSpec) -> Vec<Problem> {
    let mut probe = s.clone();
    probe.injects.push(inject.clone());
    let mut out = Vec::new();
    check(&probe, &mut out);
    let me = index("injects", probe.injects.len() - 1);
    out.retain(|p| p.path.starts_with(&me));
    out
}
