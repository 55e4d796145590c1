//! Scenario sections of the exercise layer: `injects` (the MSEL), `chains` (natech
//! links), `objectives` (HSEEP-style, with critical tasks and measurable targets) and
//! `exercise` (roles, sensors, named places).

use serde::{Deserialize, Serialize};

use crate::hazards::gas::release::ChemicalReleaseSpec;
use crate::scenario::problem::{
    Problem, check_non_negative, check_positive, check_range, index, join,
};
use crate::sim::events::EventKind;

/// One inject of the master scenario events list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InjectSpec {
    /// Unique id (e.g. `"I-07"`).
    pub id: String,
    /// Short title (any language).
    pub title: String,
    /// What the players are told.
    #[serde(default)]
    pub description: String,
    /// Exercise time, s: the inject fires at this time (with `when`: not before it).
    #[serde(default)]
    pub at_s: Option<f64>,
    /// Condition on the simulation state: the inject fires the first tick it holds.
    #[serde(default)]
    pub when: Option<Condition>,
    /// Who receives the message.
    #[serde(default)]
    pub audience: Audience,
    /// What the players are expected to do (for the evaluators).
    #[serde(default)]
    pub expected_actions: Vec<String>,
    /// What the inject changes in the simulation (none: a message only).
    #[serde(default)]
    pub effects: Vec<Effect>,
    /// Controller-only notes (never shown to players).
    #[serde(default)]
    pub notes: String,
}

/// Who an inject's message is for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Audience {
    /// Players and controllers.
    #[default]
    Players,
    /// Controllers only (a change the players must discover themselves).
    Controllers,
}

/// A link of a disaster chain: when `when` first holds, with probability `probability`
/// (one seeded draw), `then` happens `delay_s` later.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainSpec {
    /// Unique id.
    pub id: String,
    /// What the link is (e.g. "洪水淹没氯气储罐 → 泄漏").
    #[serde(default)]
    pub title: String,
    /// The threshold (usually `Above(field: …, at: …, value: …)`).
    pub when: Condition,
    /// Delay between the threshold and the consequence, s.
    #[serde(default)]
    pub delay_s: f64,
    /// Probability that the consequence follows, 0–1.
    #[serde(default = "one")]
    pub probability: f64,
    /// The consequences (usually `StartHazard(name)`).
    pub then: Vec<Effect>,
}

fn one() -> f64 {
    1.0
}

/// A place a condition looks at.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Place {
    /// A named place: an `exercise.sites` entry or a facility id.
    Site(String),
    /// A point (x east, y north), scenario metres.
    At(f64, f64),
}

/// A hazard field a condition or sensor reads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Field {
    /// Water depth, m.
    FloodDepth,
    /// Water speed, m/s.
    FloodSpeed,
    /// Flood hazard rating d(v + 0.5) + DF (FD2320).
    FloodHazardRating,
    /// Gas concentration of all releases, ppm (largest of the releases at the point).
    GasPpm,
    /// Gas concentration of one release (by hazard name), ppm.
    GasPpmOf(String),
    /// 1 where a wildland fire has arrived, else 0.
    FireArrived,
    /// Thermal radiation from chemical fires, kW/m².
    ThermalFlux,
    /// Peak blast overpressure from explosions, kPa.
    Overpressure,
}

impl Field {
    /// Unit of the field's values.
    pub fn unit(&self) -> &'static str {
        match self {
            Self::FloodDepth => "m",
            Self::FloodSpeed => "m/s",
            Self::FloodHazardRating => "",
            Self::GasPpm | Self::GasPpmOf(_) => "ppm",
            Self::FireArrived => "",
            Self::ThermalFlux => "kW/m²",
            Self::Overpressure => "kPa",
        }
    }
}

/// A condition on the simulation state, checked every tick.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Condition {
    /// Run time has reached `t` s.
    After(f64),
    /// The field at the place (largest value within `radius_m`) is at or above `value`.
    Above {
        /// Field.
        field: Field,
        /// Place.
        at: Place,
        /// Radius around the place, m (0: the cell of the place).
        #[serde(default)]
        radius_m: f64,
        /// Threshold in the field's unit.
        value: f64,
    },
    /// The field at the place (largest value within `radius_m`) is below `value`.
    Below {
        /// Field.
        field: Field,
        /// Place.
        at: Place,
        /// Radius around the place, m.
        #[serde(default)]
        radius_m: f64,
        /// Threshold in the field's unit.
        value: f64,
    },
    /// A time-series metric (a `timeseries.csv` column) is at or above `value`.
    MetricAbove(String, f64),
    /// A time-series metric is below `value`.
    MetricBelow(String, f64),
    /// An event of this kind was logged (about `subject`, if given).
    Event(EventKind, Option<String>),
    /// A team (by id) arrived on a scene.
    TeamArrived(String),
    /// Another inject fired.
    InjectFired(String),
    /// A chain link's consequence happened.
    ChainFired(String),
    /// An objective can no longer be met.
    ObjectiveFailed(String),
    /// All of these hold.
    All(Vec<Condition>),
    /// Any of these holds.
    Any(Vec<Condition>),
    /// This does not hold.
    Not(Box<Condition>),
}

/// What an inject or chain link changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Effect {
    /// Nothing but the message.
    Message,
    /// Starts a dormant hazard of the scenario (by name).
    StartHazard(String),
    /// Changes the weather from now on (unset values keep the scenario's).
    Weather {
        /// Wind speed, m/s.
        #[serde(default)]
        wind_speed_m_s: Option<f64>,
        /// Direction the wind blows from, degrees.
        #[serde(default)]
        wind_from_deg: Option<f64>,
        /// Rain, mm/h.
        #[serde(default)]
        rain_mm_h: Option<f64>,
        /// Air temperature, °C.
        #[serde(default)]
        temperature_c: Option<f64>,
        /// How long the change lasts, s (`None`: to the end).
        #[serde(default)]
        for_s: Option<f64>,
    },
    /// Closes roads: every edge with this name, or the edge nearest a point.
    CloseRoad(RoadRef),
    /// Reopens roads.
    OpenRoad(RoadRef),
    /// A team (by id) stands down, for `for_s` seconds or to the end.
    TeamUnavailable(String, Option<f64>),
    /// People become trapped at a point and call for rescue.
    AddTrapped {
        /// Id of the new group.
        id: String,
        /// Display name.
        #[serde(default)]
        name: Option<String>,
        /// Number of people.
        people: u32,
        /// Where, scenario metres.
        at: (f64, f64),
    },
    /// A new chemical release (a live inject), starting `start_s` after the inject.
    AddRelease(Box<ChemicalReleaseSpec>),
    /// A new ignition in a wildland fire of the scenario (by name; `None`: the first).
    Ignite {
        /// Fire hazard name.
        #[serde(default)]
        fire: Option<String>,
        /// Where, scenario metres.
        at: (f64, f64),
    },
}

/// Roads an effect applies to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RoadRef {
    /// All edges with this name.
    Named(String),
    /// The edge nearest this point.
    Near(f64, f64),
}

/// An objective with its critical tasks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveSpec {
    /// Unique id (e.g. `"O-1"`).
    pub id: String,
    /// The objective as the exercise plan states it.
    pub title: String,
    /// Core capability it exercises (HSEEP), free text.
    #[serde(default)]
    pub capability: String,
    /// Critical tasks, each with a measurable target.
    pub critical_tasks: Vec<CriticalTaskSpec>,
}

/// A critical task with its target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriticalTaskSpec {
    /// What is to be done.
    pub title: String,
    /// How it is measured.
    pub target: Target,
    /// Clock start of `within_s` targets.
    #[serde(default)]
    pub from: Clock,
    /// A target met late or short by at most this factor is "partly met" (default 1.5).
    #[serde(default = "default_partial")]
    pub partial_factor: f64,
}

fn default_partial() -> f64 {
    1.5
}

/// When the clock of a `within_s` target starts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum Clock {
    /// The first hazard start (`HazardStarted`) of the run.
    #[default]
    Onset,
    /// Time 0 of the run.
    RunStart,
    /// When an inject fired.
    Inject(String),
}

/// Kinds of response task a target refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskType {
    /// Sealing a leak (hazmat).
    StopLeak,
    /// Building fireline.
    Fireline,
    /// Water attack on a fire.
    FireAttack,
    /// Carrying trapped or vulnerable people.
    Carry,
    /// Moving the injured to hospitals.
    Transport,
    /// Supplying shelters.
    Supply,
    /// Decontaminating evacuees.
    Decontaminate,
    /// Sandbagging a facility.
    Sandbag,
}

/// A measurable target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Target {
    /// The first team reaches the first task of this kind within `within_s` of the task
    /// becoming known (e.g. hazmat on scene within 15 min).
    FirstOnScene {
        /// Kind of task.
        task: TaskType,
        /// Time allowed, s.
        within_s: f64,
    },
    /// Every task of this kind that arose is finished within `within_s` of the clock.
    TasksDone {
        /// Kind of task.
        task: TaskType,
        /// Time allowed, s.
        within_s: f64,
    },
    /// Warnings reach this fraction of the population within `within_s`.
    Warned {
        /// Fraction of the population, 0–1.
        fraction: f64,
        /// Time allowed, s.
        within_s: f64,
    },
    /// Supplies for this many people delivered within `within_s`.
    Supplied {
        /// People.
        people: f64,
        /// Time allowed, s.
        within_s: f64,
    },
    /// This many people reach shelters within `within_s`.
    Evacuated {
        /// People.
        people: f64,
        /// Time allowed, s.
        within_s: f64,
    },
    /// No responder breathes more than their team limit (AEGL-2 behind their PPE) and
    /// none is put out of action by any hazard.
    NoResponderOverLimit,
    /// A metric stays at or below `value` for the whole run (e.g. expected fatalities).
    MetricAtMost(String, f64),
    /// A metric reaches `value` within `within_s`.
    MetricAtLeast {
        /// Column of `timeseries.csv`.
        metric: String,
        /// Value to reach.
        value: f64,
        /// Time allowed, s.
        within_s: f64,
    },
    /// An event of this kind (about `subject`, if given) is logged within `within_s`.
    EventWithin {
        /// Event kind.
        kind: EventKind,
        /// Subject (team, hazard or site id).
        #[serde(default)]
        subject: Option<String>,
        /// Time allowed, s.
        within_s: f64,
    },
}

/// Roles, sensors and named places.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExerciseSettings {
    /// Delay before players learn what their teams and sensors observed, s.
    #[serde(default = "default_delay")]
    pub report_delay_s: f64,
    /// A team observes hazard events within this distance of itself, m.
    #[serde(default = "default_sensing")]
    pub team_sensing_m: f64,
    /// Named places conditions refer to (tanks, stores, schools, …).
    #[serde(default)]
    pub sites: Vec<NamedPlace>,
    /// Fixed sensors reporting to the players.
    #[serde(default)]
    pub sensors: Vec<SensorSpec>,
}

impl Default for ExerciseSettings {
    fn default() -> Self {
        Self {
            report_delay_s: default_delay(),
            team_sensing_m: default_sensing(),
            sites: Vec::new(),
            sensors: Vec::new(),
        }
    }
}

fn default_delay() -> f64 {
    120.0
}
fn default_sensing() -> f64 {
    300.0
}

/// A named place.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedPlace {
    /// Id.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Position, scenario metres.
    pub at: (f64, f64),
}

/// A fixed sensor (water-level gauge, gas detector, camera on a fire lookout).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SensorSpec {
    /// Id.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Position, scenario metres.
    pub at: (f64, f64),
    /// What it measures.
    pub field: Field,
    /// It also observes hazard events within this distance, m.
    #[serde(default = "default_sensor_range")]
    pub range_m: f64,
    /// Sampling interval, s.
    #[serde(default = "default_sensor_interval")]
    pub interval_s: f64,
}

fn default_sensor_range() -> f64 {
    100.0
}
fn default_sensor_interval() -> f64 {
    60.0
}

impl Condition {
    /// Reports out-of-range values (references are checked against the scenario by
    /// [`super::check`]).
    pub fn check(&self, path: &str, out: &mut Vec<Problem>) {
        match self {
            Self::After(t) => check_non_negative(out, path, *t, "s", "a run time in seconds"),
            Self::Above {
                radius_m, value, ..
            }
            | Self::Below {
                radius_m, value, ..
            } => {
                check_non_negative(
                    out,
                    &join(path, "radius_m"),
                    *radius_m,
                    "m",
                    "0 looks at the place's cell only",
                );
                check_range(
                    out,
                    &join(path, "value"),
                    *value,
                    -1e12,
                    1e12,
                    "",
                    "a threshold in the field's unit (m, m/s, ppm, kW/m², kPa)",
                );
            }
            Self::All(v) | Self::Any(v) => {
                for (i, c) in v.iter().enumerate() {
                    c.check(&index(path, i), out);
                }
            }
            Self::Not(c) => c.check(path, out),
            _ => {}
        }
    }
}

impl Effect {
    /// Reports out-of-range values.
    pub fn check(&self, path: &str, out: &mut Vec<Problem>) {
        match self {
            Self::Weather {
                wind_speed_m_s,
                rain_mm_h,
                for_s,
                ..
            } => {
                for (v, what) in [
                    (wind_speed_m_s, "wind_speed_m_s"),
                    (rain_mm_h, "rain_mm_h"),
                    (for_s, "for_s"),
                ] {
                    if let Some(v) = v {
                        check_non_negative(out, &join(path, what), *v, "", "a value ≥ 0");
                    }
                }
            }
            Self::TeamUnavailable(_, Some(s)) => {
                check_non_negative(out, path, *s, "s", "how long the team stands down");
            }
            Self::AddTrapped { people, .. } if *people == 0 => {
                out.push(Problem::new(
                    join(path, "people"),
                    "at least 1 person",
                    people,
                    "the number of people who call for rescue",
                ));
            }
            Self::AddRelease(r) => r.check(path, out),
            _ => {}
        }
    }
}

impl CriticalTaskSpec {
    /// Reports out-of-range values.
    pub fn check(&self, path: &str, out: &mut Vec<Problem>) {
        check_range(
            out,
            &join(path, "partial_factor"),
            self.partial_factor,
            1.0,
            100.0,
            "",
            "1.5 rates a target met up to 50 % late or short as partly met",
        );
        let target = join(path, "target");
        let within = match &self.target {
            Target::FirstOnScene { within_s, .. }
            | Target::TasksDone { within_s, .. }
            | Target::Supplied { within_s, .. }
            | Target::Evacuated { within_s, .. }
            | Target::MetricAtLeast { within_s, .. }
            | Target::EventWithin { within_s, .. } => Some(*within_s),
            Target::Warned { fraction, within_s } => {
                check_range(
                    out,
                    &join(&target, "fraction"),
                    *fraction,
                    0.0,
                    1.0,
                    "",
                    "a fraction of the population, e.g. 0.9",
                );
                Some(*within_s)
            }
            Target::NoResponderOverLimit | Target::MetricAtMost(..) => None,
        };
        if let Some(w) = within {
            check_positive(
                out,
                &join(&target, "within_s"),
                w,
                "s",
                "the time allowed, e.g. 900.0 for 15 min",
            );
        }
    }
}
