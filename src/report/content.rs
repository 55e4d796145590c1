//! What the report says, derived once from a run folder and shared by the HTML and
//! Markdown writers: synopsis lines, charts, response statistics, strengths and areas
//! for improvement.

use drillsim_engine::exercise::record::{ExerciseRecord, Rating};
use drillsim_engine::exercise::spec::Clock;
use drillsim_engine::output::map::format_hhmm;
use drillsim_engine::scenario::types::{FacilitySpec, ForceSpec, HazardSpec};
use drillsim_engine::sim::events::EventKind;

use super::data::RunData;
use super::i18n::{Lang, t};
use super::svg::{Chart, Line};

/// A rated critical task turned into a finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// "id — title" of the objective.
    pub objective: String,
    /// The critical task.
    pub task: String,
    /// Its rating.
    pub rating: Rating,
    /// Its evidence.
    pub evidence: String,
    /// Expected actions of the injects related to the objective (areas only).
    pub actions: Vec<String>,
}

/// The report's derived content.
#[derive(Clone, Debug)]
pub struct Content {
    /// Language of labels.
    pub lang: Lang,
    /// Scenario name.
    pub title: String,
    /// Scenario description.
    pub description: String,
    /// `(label, value)` lines of the synopsis.
    pub synopsis: Vec<(String, String)>,
    /// Remarks about missing inputs.
    pub notes: Vec<String>,
    /// Times of injects fired, s (marked on charts).
    pub marks_s: Vec<f64>,
    /// Charts with data.
    pub charts: Vec<Chart>,
    /// `(label, value)` response statistics from `agents/tasks.csv`.
    pub response: Vec<(String, String)>,
    /// Task counts by capability needed.
    pub by_capability: Vec<(String, usize)>,
    /// `(label, value)` final values of key series.
    pub final_values: Vec<(String, String)>,
    /// Met critical tasks.
    pub strengths: Vec<Finding>,
    /// Partly met and not met critical tasks.
    pub improvements: Vec<Finding>,
}

/// Run time as `T+hh:mm`.
pub fn when(t_s: f64) -> String {
    format_hhmm(t_s)
}

/// A duration in hours and minutes.
pub fn duration(lang: Lang, s: f64) -> String {
    let min = (s.max(0.0) / 60.0).round() as u64;
    match lang {
        Lang::En => format!("{} h {:02} min", min / 60, min % 60),
        Lang::Zh => format!("{} 小时 {} 分钟", min / 60, min % 60),
    }
}

/// A number for people: integers with thousands separators, small values with up to 2
/// decimals.
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    if v.abs() >= 100.0 || v.fract() == 0.0 {
        let s = format!("{:.0}", v.abs());
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        if v < 0.0 { format!("-{out}") } else { out }
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// `(key, title key, [(column, colour, scale)])` of every chart, in report order.
type ChartDef = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str, f64)],
);
const CHARTS: &[ChartDef] = &[
    (
        "flood",
        "chart_flood",
        &[("flooded_area_m2", "#0969da", 1e-6)],
    ),
    (
        "people",
        "chart_people",
        &[
            ("people_warned", "#bf8700", 1.0),
            ("people_evacuated", "#1a7f37", 1.0),
            ("people_supplied", "#0969da", 1.0),
            ("people_waiting_rescue", "#cf222e", 1.0),
        ],
    ),
    (
        "casualties",
        "chart_casualties",
        &[
            ("expected_fatalities", "#cf222e", 1.0),
            ("expected_injuries", "#bc4c00", 1.0),
        ],
    ),
    (
        "gas",
        "chart_gas",
        &[
            ("gas_area_aegl3_m2", "#d1242f", 1e-6),
            ("gas_area_aegl2_m2", "#fb8500", 1e-6),
            ("gas_area_aegl1_m2", "#d4a72c", 1e-6),
        ],
    ),
    (
        "teams",
        "chart_teams",
        &[
            ("teams_busy", "#0969da", 1.0),
            ("tasks_open", "#8250df", 1.0),
            ("teams_out_of_action", "#cf222e", 1.0),
        ],
    ),
    (
        "fire",
        "chart_fire",
        &[("fire_burned_area_m2", "#bc4c00", 1e-6)],
    ),
];

/// Final values shown in the response section: `(column, scale, unit)`.
const FINALS: &[(&str, f64, &str)] = &[
    ("people_warned", 1.0, ""),
    ("people_evacuated", 1.0, ""),
    ("people_supplied", 1.0, ""),
    ("people_waiting_rescue", 1.0, ""),
    ("expected_fatalities", 1.0, ""),
    ("expected_injuries", 1.0, ""),
    ("teams_out_of_action", 1.0, ""),
    ("flooded_area_m2", 1e-6, ""),
    ("gas_area_aegl2_m2", 1e-6, ""),
    ("fire_burned_area_m2", 1e-6, ""),
];

fn mentions(text: &str, id: &str) -> bool {
    text.match_indices(id).any(|(i, _)| {
        let next = text[i + id.len()..].chars().next();
        !next.is_some_and(char::is_alphanumeric)
    })
}

impl Content {
    /// Derives the content of the report on `run` in `lang`.
    pub fn of(run: &RunData, lang: Lang) -> Self {
        let mut c = Self {
            lang,
            title: run.name(),
            description: run
                .scenario
                .as_ref()
                .map(|s| s.meta.description.trim().to_owned())
                .unwrap_or_default(),
            synopsis: Vec::new(),
            notes: run.scenario_note.iter().cloned().collect(),
            marks_s: Vec::new(),
            charts: Vec::new(),
            response: Vec::new(),
            by_capability: Vec::new(),
            final_values: Vec::new(),
            strengths: Vec::new(),
            improvements: Vec::new(),
        };
        c.synopsis(run);
        c.marks_s = match &run.exercise {
            Some(ex) => ex.injects.iter().filter_map(|i| i.fired_s).collect(),
            None => run
                .events
                .iter()
                .filter(|e| e.kind == EventKind::InjectFired)
                .map(|e| e.t_s)
                .collect(),
        };
        c.charts(run);
        c.response(run);
        if let Some(ex) = &run.exercise {
            c.findings(run, ex);
        }
        c
    }

    fn synopsis(&mut self, run: &RunData) {
        let l = self.lang;
        let mut push = |k: &'static str, v: String| self.synopsis.push((t(l, k).to_owned(), v));
        push("scenario", run.name());
        let simulated = run.summary["simulated_s"].as_f64();
        if let Some(s) = &run.scenario {
            push("duration", duration(l, s.run.duration_s));
        }
        if let Some(sim) = simulated {
            push("simulated", duration(l, sim));
        }
        if let Some(seed) = run.summary["seed"].as_u64() {
            push("seed", seed.to_string());
        }
        let g = &run.summary["grid"];
        if let (Some(w), Some(h), Some(d)) = (
            g["width"].as_u64(),
            g["height"].as_u64(),
            g["cell_size_m"].as_f64(),
        ) {
            let km = |n: u64| num(n as f64 * d / 1000.0);
            push(
                "grid",
                format!("{w} × {h} × {} m ({} × {} km)", num(d), km(w), km(h)),
            );
        }
        if let Some(ex) = &run.exercise {
            if let Some(on) = ex.onset_s {
                push("onset", when(on));
            }
            let fired = ex.injects.iter().filter(|i| i.fired_s.is_some()).count();
            push("injects_fired", format!("{fired} / {}", ex.injects.len()));
            let count = |r: Rating| ex.objectives.iter().filter(|o| o.rating == r).count();
            let ratings: Vec<String> = [
                Rating::Met,
                Rating::PartiallyMet,
                Rating::NotMet,
                Rating::NotObserved,
                Rating::Pending,
            ]
            .into_iter()
            .filter(|&r| count(r) > 0)
            .map(|r| format!("{} {}", count(r), rating_label(l, r)))
            .collect();
            if !ratings.is_empty() {
                push("objective_ratings", ratings.join(", "));
            }
        }
        let Some(s) = &run.scenario else {
            return;
        };
        let labels = HazardSpec::labels(&s.hazards);
        let hazards: Vec<String> = s
            .hazards
            .iter()
            .zip(&labels)
            .map(|(h, name)| {
                let kind = match h {
                    HazardSpec::Flood(_) => t(l, "flood").to_owned(),
                    HazardSpec::WildlandFire(_) => t(l, "wildland_fire").to_owned(),
                    HazardSpec::ChemicalRelease(r) => {
                        format!("{}, {}", t(l, "chemical_release"), r.chemical)
                    }
                    HazardSpec::ChemicalFire(f) => {
                        format!("{}, {}", t(l, "chemical_fire"), f.chemical)
                    }
                };
                let dormant = if h.dormant() {
                    format!("; {}", t(l, "dormant"))
                } else {
                    String::new()
                };
                format!("{name} ({kind}{dormant})")
            })
            .collect();
        push("hazards", list_or_none(l, &hazards));
        let forces: Vec<String> = s
            .forces
            .iter()
            .map(|ForceSpec::Team(tm)| {
                let name = tm.name.clone().unwrap_or_else(|| tm.id.clone());
                let count = if tm.count > 1 {
                    format!(" × {}", tm.count)
                } else {
                    String::new()
                };
                format!("{name}{count} ({}, {})", tm.preset, tm.base)
            })
            .collect();
        push("forces", list_or_none(l, &forces));
        let facilities: Vec<String> = s
            .facilities
            .iter()
            .map(|f| {
                let site = f.site();
                let name = site.name.clone().unwrap_or_else(|| site.id.clone());
                let kind = match f {
                    FacilitySpec::Base { .. } => t(l, "base").to_owned(),
                    FacilitySpec::Depot { .. } => t(l, "depot").to_owned(),
                    FacilitySpec::Shelter { capacity, .. } => {
                        format!(
                            "{}, {} {}",
                            t(l, "shelter"),
                            t(l, "capacity"),
                            num(f64::from(*capacity))
                        )
                    }
                    FacilitySpec::Hospital { beds, .. } => {
                        format!(
                            "{}, {} {}",
                            t(l, "hospital"),
                            num(f64::from(*beds)),
                            t(l, "beds")
                        )
                    }
                    FacilitySpec::CommandPost { .. } => t(l, "command_post").to_owned(),
                };
                format!("{name} ({kind})")
            })
            .collect();
        push("facilities", list_or_none(l, &facilities));
        if !s.population.is_empty() {
            push("population", s.population.len().to_string());
        }
        push("events", run.events.len().to_string());
    }

    fn charts(&mut self, run: &RunData) {
        let Some(series) = &run.series else {
            return;
        };
        for &(key, title, cols) in CHARTS {
            let lines: Vec<Line> = cols
                .iter()
                .filter_map(|&(col, color, scale)| {
                    let pts = series.column(col)?;
                    Some(Line {
                        label: t(self.lang, col).to_owned(),
                        color,
                        points: pts.into_iter().map(|(x, v)| (x, v * scale)).collect(),
                    })
                })
                .collect();
            let any = lines
                .iter()
                .any(|l| l.points.iter().any(|p| p.1.is_finite() && p.1 != 0.0));
            if any {
                self.charts.push(Chart {
                    key,
                    title: t(self.lang, title).to_owned(),
                    lines,
                });
            }
        }
    }

    fn response(&mut self, run: &RunData) {
        let l = self.lang;
        if let Some(series) = &run.series {
            for &(col, scale, _) in FINALS {
                if let Some(v) = series.column(col).and_then(|p| p.last().map(|x| x.1)) {
                    self.final_values
                        .push((t(l, col).to_owned(), num(v * scale)));
                }
            }
        }
        let Some(tasks) = &run.tasks else {
            return;
        };
        if tasks.is_empty() {
            return;
        }
        let mut push = |k: &'static str, v: String| self.response.push((t(l, k).to_owned(), v));
        let n = |f: &dyn Fn(&super::data::TaskRow) -> bool| tasks.iter().filter(|r| f(r)).count();
        push("tasks_total", tasks.len().to_string());
        push(
            "tasks_dispatched",
            n(&|r| r.dispatched_s.is_some()).to_string(),
        );
        push("tasks_arrived", n(&|r| r.arrived_s.is_some()).to_string());
        push("tasks_done", n(&|r| r.done_s.is_some()).to_string());
        let rt: Vec<f64> = tasks
            .iter()
            .filter_map(|r| Some(r.arrived_s? - r.dispatched_s?))
            .collect();
        let min = |s: f64| format!("{} {}", num((s / 60.0 * 10.0).round() / 10.0), t(l, "min"));
        if !rt.is_empty() {
            push("rt_mean", min(rt.iter().sum::<f64>() / rt.len() as f64));
            push("rt_max", min(rt.iter().copied().fold(0.0, f64::max)));
        }
        let ks: Vec<f64> = tasks
            .iter()
            .filter_map(|r| Some(r.arrived_s? - r.known_s))
            .filter(|v| v.is_finite())
            .collect();
        if !ks.is_empty() {
            push(
                "known_to_scene",
                min(ks.iter().sum::<f64>() / ks.len() as f64),
            );
        }
        for r in tasks {
            match self.by_capability.iter_mut().find(|(k, _)| *k == r.needs) {
                Some(e) => e.1 += 1,
                None => self.by_capability.push((r.needs.clone(), 1)),
            }
        }
    }

    fn findings(&mut self, run: &RunData, ex: &ExerciseRecord) {
        for o in &ex.objectives {
            let spec = run
                .scenario
                .as_ref()
                .and_then(|s| s.objectives.iter().find(|x| x.id == o.id));
            let mut related: Vec<&str> = Vec::new();
            if let Some(spec) = spec {
                for task in &spec.critical_tasks {
                    if let Clock::Inject(id) = &task.from {
                        related.push(id);
                    }
                }
            }
            for i in &ex.injects {
                let text = format!(
                    "{} {} {}",
                    i.expected_actions.join(" "),
                    i.notes,
                    i.description
                );
                if mentions(&text, &o.id) {
                    related.push(&i.id);
                }
            }
            let mut actions: Vec<String> = Vec::new();
            for i in ex
                .injects
                .iter()
                .filter(|i| related.contains(&i.id.as_str()))
            {
                for a in &i.expected_actions {
                    let line = format!("{} {}: {a}", i.id, i.title);
                    if !actions.contains(&line) {
                        actions.push(line);
                    }
                }
            }
            let objective = format!("{} — {}", o.id, o.title);
            let tasks: Vec<(String, Rating, String)> = if o.tasks.is_empty() {
                vec![(o.title.clone(), o.rating, String::new())]
            } else {
                o.tasks
                    .iter()
                    .map(|k| (k.title.clone(), k.rating, k.evidence.clone()))
                    .collect()
            };
            for (task, rating, evidence) in tasks {
                let mut f = Finding {
                    objective: objective.clone(),
                    task,
                    rating,
                    evidence,
                    actions: Vec::new(),
                };
                match rating {
                    Rating::Met => self.strengths.push(f),
                    Rating::PartiallyMet | Rating::NotMet => {
                        f.actions.clone_from(&actions);
                        self.improvements.push(f);
                    }
                    Rating::NotObserved | Rating::Pending => {}
                }
            }
        }
    }
}

fn list_or_none(lang: Lang, items: &[String]) -> String {
    if items.is_empty() {
        t(lang, "none").to_owned()
    } else {
        items.join("; ")
    }
}

/// Label of a rating.
pub fn rating_label(lang: Lang, r: Rating) -> &'static str {
    match r {
        Rating::Met => t(lang, "Met"),
        Rating::PartiallyMet => t(lang, "PartiallyMet"),
        Rating::NotMet => t(lang, "NotMet"),
        Rating::NotObserved => t(lang, "NotObserved"),
        Rating::Pending => t(lang, "Pending"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_mentions() {
        assert_eq!(num(12345.4), "12,345");
        assert_eq!(num(0.25), "0.25");
        assert_eq!(num(3.0), "3");
        assert!(mentions("see O-1.", "O-1"));
        assert!(!mentions("see O-10", "O-1"));
        assert_eq!(duration(Lang::En, 5400.0), "1 h 30 min");
        assert_eq!(duration(Lang::Zh, 5400.0), "1 小时 30 分钟");
    }
}
