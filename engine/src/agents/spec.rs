//! Scenario types of the agents capability: roads, forces (teams), facilities,
//! population and the response settings. Positions are world metres in the scenario's
//! CRS (the grid's coordinates); times are seconds of simulated time.

use serde::{Deserialize, Serialize};

use super::presets::PpeLevel;
use super::roads::RoadClass;
use crate::scenario::problem::{Problem, check_non_negative, check_positive, check_range, join};

/// Where the road network comes from.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum RoadsSpec {
    /// A GeoJSON FeatureCollection of LineStrings in the scenario's CRS, relative to the
    /// scenario file; properties `class`/`highway`, `speed_kmh`, `lanes`, `oneway`, `name`.
    GeoJson(String),
    /// A generated street grid for procedural maps; segments over deep water are left out.
    Grid {
        /// Distance between parallel streets, m.
        spacing_m: f64,
        /// Road class of every street.
        #[serde(default = "default_class")]
        class: RoadClass,
    },
}

fn default_class() -> RoadClass {
    RoadClass::Residential
}

/// One team (or `count` identical teams) of the scenario's forces.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamSpec {
    /// Unique id, e.g. `"hazmat-1"`; with `count > 1` the teams are `id#1`, `id#2`, ….
    pub id: String,
    /// Display name (any language), e.g. `"危化品救援一队"`.
    #[serde(default)]
    pub name: Option<String>,
    /// Preset from `assets/force_presets.ron` (or the scenario's `preset_file`).
    pub preset: String,
    /// Number of identical teams.
    #[serde(default = "one")]
    pub count: u32,
    /// Id of the facility the team starts from and returns to.
    pub base: String,
    /// Time the team becomes available, s.
    #[serde(default)]
    pub available_s: f64,
    /// Overrides the preset's crew size.
    #[serde(default)]
    pub crew: Option<u32>,
    /// Overrides the preset's protective equipment.
    #[serde(default)]
    pub ppe: Option<PpeLevel>,
}

fn one() -> u32 {
    1
}

/// Response teams.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum ForceSpec {
    /// A team or several identical teams.
    Team(TeamSpec),
}

/// Stock held at a depot.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stock {
    /// Daily ration packs (one person-day of food and 3 L drinking water each).
    #[serde(default)]
    pub rations: f64,
    /// Tents.
    #[serde(default)]
    pub tents: f64,
    /// Sandbags.
    #[serde(default)]
    pub sandbags: f64,
}

/// Common fields of a facility.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Unique id.
    pub id: String,
    /// Display name (any language).
    #[serde(default)]
    pub name: Option<String>,
    /// Position (x, y), m.
    pub location_xy_m: (f64, f64),
}

/// Kind of base.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BaseKind {
    /// Urban fire and rescue station.
    FireStation,
    /// Hazardous-chemical rescue base (危化品救援基地).
    HazmatRescueBase,
    /// Water-rescue base.
    WaterRescueBase,
    /// Forest-fire brigade station.
    ForestFireStation,
    /// Ambulance / medical station.
    MedicalStation,
    /// Engineering / flood-fighting depot.
    EngineeringBase,
    /// Police station.
    PoliceStation,
}

/// Bases, depots, shelters, hospitals and command posts.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum FacilitySpec {
    /// A station or base that teams start from.
    Base {
        /// Id, name and position.
        site: Site,
        /// Kind of base.
        kind: BaseKind,
        /// Planned service radius, m (reported in coverage metrics).
        #[serde(default)]
        service_radius_m: Option<f64>,
    },
    /// A relief-supply depot.
    Depot {
        /// Id, name and position.
        site: Site,
        /// Stock at the start.
        stock: Stock,
        /// Loading rate, ration packs per hour per truck bay.
        #[serde(default = "default_loading")]
        loading_rations_h: f64,
    },
    /// An evacuation shelter.
    Shelter {
        /// Id, name and position.
        site: Site,
        /// People it can hold.
        capacity: u32,
        /// Registration rate, people per hour (arrivals queue beyond it).
        #[serde(default = "default_intake")]
        intake_people_h: f64,
    },
    /// A hospital.
    Hospital {
        /// Id, name and position.
        site: Site,
        /// Free beds for casualties.
        beds: u32,
    },
    /// An incident command post.
    CommandPost {
        /// Id, name and position.
        site: Site,
    },
}

fn default_loading() -> f64 {
    2000.0
}

fn default_intake() -> f64 {
    600.0
}

impl FacilitySpec {
    /// Id, name and position.
    pub fn site(&self) -> &Site {
        match self {
            Self::Base { site, .. }
            | Self::Depot { site, .. }
            | Self::Shelter { site, .. }
            | Self::Hospital { site, .. }
            | Self::CommandPost { site } => site,
        }
    }
}

/// What people at a place do when warned.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Protective {
    /// Evacuate to a shelter (by id, or the nearest with room when `None`).
    Evacuate {
        /// Shelter id.
        #[serde(default)]
        shelter: Option<String>,
    },
    /// Stay indoors; the building exchanges air at `ach` per hour.
    ShelterInPlace {
        /// Air changes per hour.
        ach: f64,
    },
}

/// Kind of vulnerable site (its people need a team to move them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Vulnerable {
    /// School or kindergarten.
    School,
    /// Care home for the elderly.
    CareHome,
    /// Hospital ward.
    Hospital,
}

/// A group of people at one place.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// Id, name and position.
    pub site: Site,
    /// Number of people.
    pub people: u32,
    /// What they do when warned.
    pub action: Protective,
    /// Time the warning is issued, s; `None` = when a hazard threatens the place.
    #[serde(default)]
    pub warning_s: Option<f64>,
    /// Delay between the warning and people acting (reception and preparation), s.
    #[serde(default = "default_delay")]
    pub warning_delay_s: f64,
    /// Evacuate on foot (otherwise by car, 2.5 people per car).
    #[serde(default)]
    pub on_foot: bool,
    /// A vulnerable site: people wait for a team with transport.
    #[serde(default)]
    pub vulnerable: Option<Vulnerable>,
    /// Air changes per hour of the buildings while people are still inside.
    #[serde(default = "default_ach")]
    pub indoor_ach: f64,
}

fn default_delay() -> f64 {
    900.0
}

fn default_ach() -> f64 {
    0.5
}

/// People needing rescue at a place from a time on (a call).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrappedSpec {
    /// Id, name and position.
    pub site: Site,
    /// People trapped.
    pub people: u32,
    /// Time of the call, s.
    #[serde(default)]
    pub call_s: f64,
}

/// People per cell from a raster (ESRI ASCII grid or GeoTIFF on the scenario grid),
/// gathered into one group per block of `block_cells` × `block_cells` cells, placed at
/// the block's population-weighted centre.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationRasterSpec {
    /// Id prefix of the groups (`id#1`, `id#2`, … in row-major block order).
    pub id: String,
    /// Raster of people per cell, relative to the scenario file.
    pub path: String,
    /// Block size in cells.
    #[serde(default = "default_block")]
    pub block_cells: u32,
    /// What they do when warned.
    pub action: Protective,
    /// Time the warning is issued, s; `None` = when a hazard threatens the block.
    #[serde(default)]
    pub warning_s: Option<f64>,
    /// Reaction delay, s.
    #[serde(default = "default_delay")]
    pub warning_delay_s: f64,
    /// Evacuate on foot.
    #[serde(default)]
    pub on_foot: bool,
    /// Air changes per hour of the buildings.
    #[serde(default = "default_ach")]
    pub indoor_ach: f64,
}

fn default_block() -> u32 {
    10
}

/// Population.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum PopulationSpec {
    /// A group of people at one place.
    Group(GroupSpec),
    /// People trapped who call for rescue.
    Trapped(TrappedSpec),
    /// People per cell from a raster, gathered into block groups.
    Raster(PopulationRasterSpec),
}

/// Dispatch policy: one place decides which team takes which task.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum DispatchPolicy {
    /// The capable idle team with the shortest travel time, tasks in the order they arose.
    #[default]
    NearestCapable,
    /// Tasks by priority (life safety first), then the nearest capable team.
    PriorityWeighted,
}

/// Response settings.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseSpec {
    /// Dispatch policy.
    #[serde(default)]
    pub dispatch: DispatchPolicy,
    /// Delay from an incident becoming known to the dispatch of a team, s.
    #[serde(default = "default_call")]
    pub call_processing_s: f64,
    /// Extra presets file (relative to the scenario) with more team types.
    #[serde(default)]
    pub preset_file: Option<String>,
    /// Daily rations each sheltered person needs delivered.
    #[serde(default = "default_rations")]
    pub rations_per_person_day: f64,
}

fn default_call() -> f64 {
    90.0
}

fn default_rations() -> f64 {
    1.0
}

impl Default for ResponseSpec {
    fn default() -> Self {
        Self {
            dispatch: DispatchPolicy::default(),
            call_processing_s: default_call(),
            preset_file: None,
            rations_per_person_day: default_rations(),
        }
    }
}

fn check_site(site: &Site, path: &str, out: &mut Vec<Problem>) {
    if site.id.trim().is_empty() {
        out.push(Problem::new(
            join(path, "id"),
            "a non-empty id",
            "\"\"",
            "give every facility and group a unique id, e.g. \"shelter-1\"",
        ));
    }
    let (x, y) = site.location_xy_m;
    if !x.is_finite() || !y.is_finite() {
        out.push(Problem::new(
            join(path, "location_xy_m"),
            "finite coordinates in metres",
            format!("({x}, {y})"),
            "use the scenario's CRS, like map.origin",
        ));
    }
}

impl RoadsSpec {
    /// Reports out-of-range values.
    pub fn check(&self, path: &str, out: &mut Vec<Problem>) {
        if let Self::Grid { spacing_m, .. } = self {
            check_range(
                out,
                &join(path, "spacing_m"),
                *spacing_m,
                1.0,
                1e5,
                "m",
                "street spacing, e.g. 200.0",
            );
        }
    }
}

impl ForceSpec {
    /// Reports out-of-range values.
    pub fn check(&self, path: &str, out: &mut Vec<Problem>) {
        let Self::Team(t) = self;
        let path = &path.to_string();
        if t.id.trim().is_empty() {
            out.push(Problem::new(
                join(path, "id"),
                "a non-empty id",
                "\"\"",
                "give every team a unique id, e.g. \"hazmat-1\"",
            ));
        }
        if t.count == 0 || t.count > 10_000 {
            out.push(Problem::new(
                join(path, "count"),
                "between 1 and 10000 teams",
                t.count,
                "the number of identical teams",
            ));
        }
        check_non_negative(
            out,
            &join(path, "available_s"),
            t.available_s,
            "s",
            "when the team can be dispatched, e.g. 0.0",
        );
        if let Some(c) = t.crew
            && (c == 0 || c > 500)
        {
            out.push(Problem::new(
                join(path, "crew"),
                "a crew of 1–500",
                c,
                "people in the team",
            ));
        }
    }
}

impl FacilitySpec {
    /// Reports out-of-range values.
    pub fn check(&self, path: &str, out: &mut Vec<Problem>) {
        let inner = format!("{path}.site");
        check_site(self.site(), &inner, out);
        match self {
            Self::Base {
                service_radius_m: Some(r),
                ..
            } => check_positive(
                out,
                &join(path, "service_radius_m"),
                *r,
                "m",
                "e.g. 10000.0",
            ),
            Self::Depot {
                stock,
                loading_rations_h,
                ..
            } => {
                for (f, v) in [
                    ("rations", stock.rations),
                    ("tents", stock.tents),
                    ("sandbags", stock.sandbags),
                ] {
                    check_non_negative(out, &format!("{path}.stock.{f}"), v, "", "a count");
                }
                check_positive(
                    out,
                    &join(path, "loading_rations_h"),
                    *loading_rations_h,
                    "packs/h",
                    "e.g. 2000.0",
                );
            }
            Self::Shelter {
                intake_people_h, ..
            } => check_positive(
                out,
                &join(path, "intake_people_h"),
                *intake_people_h,
                "people/h",
                "registration rate, e.g. 600.0",
            ),
            _ => {}
        }
    }
}

impl PopulationSpec {
    /// Reports out-of-range values.
    pub fn check(&self, path: &str, out: &mut Vec<Problem>) {
        match self {
            Self::Group(g) => {
                let path = &path.to_string();
                check_site(&g.site, &join(path, "site"), out);
                check_non_negative(
                    out,
                    &join(path, "warning_delay_s"),
                    g.warning_delay_s,
                    "s",
                    "e.g. 900.0",
                );
                check_range(
                    out,
                    &join(path, "indoor_ach"),
                    g.indoor_ach,
                    0.0,
                    50.0,
                    "1/h",
                    "air changes per hour; 0.2–2 for houses",
                );
                if let Some(w) = g.warning_s {
                    check_non_negative(out, &join(path, "warning_s"), w, "s", "e.g. 600.0");
                }
                if let Protective::ShelterInPlace { ach } = g.action {
                    check_range(
                        out,
                        &join(path, "action"),
                        ach,
                        0.0,
                        50.0,
                        "1/h",
                        "air changes per hour while sheltering, e.g. 0.3 with windows shut",
                    );
                }
            }
            Self::Trapped(t) => {
                let path = &path.to_string();
                check_site(&t.site, &join(path, "site"), out);
                check_non_negative(out, &join(path, "call_s"), t.call_s, "s", "e.g. 1200.0");
            }
            Self::Raster(r) => {
                let path = &path.to_string();
                if r.block_cells == 0 || r.block_cells > 1000 {
                    out.push(Problem::new(
                        join(path, "block_cells"),
                        "a block of 1–1000 cells",
                        r.block_cells,
                        "cells per side of the blocks people are grouped in, e.g. 10",
                    ));
                }
                check_non_negative(
                    out,
                    &join(path, "warning_delay_s"),
                    r.warning_delay_s,
                    "s",
                    "e.g. 900.0",
                );
                check_range(
                    out,
                    &join(path, "indoor_ach"),
                    r.indoor_ach,
                    0.0,
                    50.0,
                    "1/h",
                    "air changes per hour; 0.2–2 for houses",
                );
            }
        }
    }
}

impl ResponseSpec {
    /// Reports out-of-range values.
    pub fn check(&self, path: &str, out: &mut Vec<Problem>) {
        check_range(
            out,
            &join(path, "call_processing_s"),
            self.call_processing_s,
            0.0,
            86_400.0,
            "s",
            "call handling and turnout time, e.g. 90.0",
        );
        check_range(
            out,
            &join(path, "rations_per_person_day"),
            self.rations_per_person_day,
            0.0,
            10.0,
            "packs",
            "e.g. 1.0",
        );
    }
}
