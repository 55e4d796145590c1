//! The dynamic state of the response: teams, population groups, tasks and facility
//! stocks, held in index-stable vectors (snapshot state `agents`), and the static data
//! built once from the scenario (roads, presets, facility places).

use bevy_ecs::prelude::*;
use serde::{Deserialize, Serialize};

use super::exposure::{Casualties, Exposure, ToxicData};
use super::movement::Trip;
use super::presets::{Capability, PpeLevel, Presets};
use super::roads::{EdgeCells, RoadNetwork};
use super::spec::{BaseKind, DispatchPolicy, Vulnerable};

/// What a facility is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FacilityKind {
    /// Base.
    Base(BaseKind),
    /// Depot.
    Depot,
    /// Shelter with capacity.
    Shelter(u32),
    /// Hospital with beds.
    Hospital(u32),
    /// Command post.
    CommandPost,
}

/// A facility's fixed data.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FacilityInfo {
    /// Id.
    pub id: String,
    /// Name for reports.
    pub name: String,
    /// Position, m.
    pub pos: [f64; 2],
    /// Kind.
    pub kind: FacilityKind,
    /// Service radius, m (bases).
    pub service_radius_m: Option<f64>,
    /// Shelter intake, people/s; depot loading, packs/s.
    pub rate_per_s: f64,
}

/// Data built once per run from the scenario (not snapshot state).
#[derive(Resource)]
pub struct AgentStatic {
    /// Roads.
    pub net: RoadNetwork,
    /// Cells of each road edge.
    pub cells: EdgeCells,
    /// Team types.
    pub presets: Presets,
    /// Facilities in scenario order.
    pub facilities: Vec<FacilityInfo>,
    /// Toxic data of each release with a model, in order.
    pub toxic: Vec<ToxicData>,
    /// Dispatch policy.
    pub policy: DispatchPolicy,
    /// Call processing delay, s.
    pub call_s: f64,
    /// Ration packs per sheltered person per day.
    pub rations_per_day: f64,
    /// Time the first hazard starts, s (the "disaster" time for the 4-h supply target).
    pub disaster_s: f64,
}

/// What a team is doing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Phase {
    /// Not yet available.
    OffDuty,
    /// At base, ready.
    Idle,
    /// Driving to the task site (or to a pickup/depot of it).
    ToTask,
    /// Working on scene until the given time.
    Working(f64),
    /// Carrying people/supplies to the drop-off facility.
    Carrying,
    /// Going back to base.
    Returning,
    /// Resting after a shift until the given time.
    Resting(f64),
    /// Out of action (exposure beyond its protection).
    Casualty,
}

/// One team.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Team {
    /// Id (unique).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Preset index.
    pub preset: usize,
    /// Base facility index.
    pub base: usize,
    /// Crew size.
    pub crew: u32,
    /// Protection.
    pub ppe: PpeLevel,
    /// Available from, s.
    pub available_s: f64,
    /// Position, m.
    pub pos: [f64; 2],
    /// Phase.
    pub phase: Phase,
    /// Task index.
    pub task: Option<usize>,
    /// Trip under way.
    pub trip: Option<Trip>,
    /// Reached the end of its last trip this tick (cleared when acted on).
    pub at_dest: bool,
    /// Where the current trip ends (facility index) when carrying or loading.
    pub drop_at: Option<usize>,
    /// People or ration packs on board.
    pub load: f64,
    /// Water left, L.
    pub water_l: f64,
    /// Fuel left, L.
    pub fuel_l: f64,
    /// Time on duty in the current shift, s.
    pub duty_s: f64,
    /// Distance travelled, m.
    pub distance_m: f64,
    /// Re-plans because the way was blocked.
    pub replans: u32,
    /// Time of the next re-plan attempt when stuck, s.
    pub retry_s: f64,
    /// Exposure of the crew.
    pub exposure: Exposure,
    /// Track: (t, x, y) every minute.
    pub track: Vec<[f64; 3]>,
}

/// What a population group is doing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum GroupPhase {
    /// At home, not yet acting.
    Home,
    /// Waiting for a team to carry them (vulnerable site) or rescue them (trapped).
    Waiting,
    /// On the way to a shelter.
    Moving,
    /// Queued at or inside a shelter.
    Sheltered,
    /// Sheltering in place.
    InPlace,
}

/// One group of people at one place (or moving together).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// People still in the group (those carried away by teams leave it).
    pub people: f64,
    /// People at the start.
    pub people_0: f64,
    /// Position, m.
    pub pos: [f64; 2],
    /// Phase.
    pub phase: GroupPhase,
    /// Evacuate (true) or shelter in place.
    pub evacuate: bool,
    /// Shelter chosen by the scenario.
    pub shelter: Option<usize>,
    /// Warning issued at, s.
    pub warned_s: Option<f64>,
    /// Scheduled warning time, s (`None` = when threatened).
    pub warning_s: Option<f64>,
    /// Reaction delay, s.
    pub delay_s: f64,
    /// On foot.
    pub on_foot: bool,
    /// Vulnerable site.
    pub vulnerable: Option<Vulnerable>,
    /// Trapped and calling for rescue (from a time).
    pub trapped_from_s: Option<f64>,
    /// Air changes per hour at home, and when sheltering in place.
    pub ach_home: f64,
    /// Air changes per hour when sheltering in place.
    pub ach_in_place: f64,
    /// Trip under way.
    pub trip: Option<Trip>,
    /// Exposure.
    pub exposure: Exposure,
    /// Expected casualties so far.
    pub casualties: Casualties,
    /// Casualty probabilities per person reached so far (to add only new risk).
    pub casualties_per_person: Casualties,
    /// Injured already carried to hospital.
    pub injured_moved: f64,
    /// Time the group reached a shelter, s.
    pub sheltered_s: Option<f64>,
    /// Distance walked/driven, m.
    pub distance_m: f64,
}

impl Exposure {
    /// True if any breathed concentration reached the release's warning level.
    pub fn contaminated(&self, toxic: &[ToxicData]) -> bool {
        self.toxic
            .iter()
            .zip(toxic)
            .any(|(d, t)| d.peak_kg_m3 >= t.warn_kg_m3)
    }
}

impl Group {
    /// A group of `people` at `site` that will do `action` when warned, in buildings with
    /// `indoor_ach` air changes per hour; warned when threatened, after 15 min.
    pub fn new(
        site: &super::spec::Site,
        people: f64,
        action: &super::spec::Protective,
        indoor_ach: f64,
    ) -> Self {
        let (evacuate, ach_in_place) = match action {
            super::spec::Protective::Evacuate { .. } => (true, indoor_ach),
            super::spec::Protective::ShelterInPlace { ach } => (false, *ach),
        };
        Self {
            id: site.id.clone(),
            name: site.name.clone().unwrap_or_else(|| site.id.clone()),
            people,
            people_0: people,
            pos: [site.location_xy_m.0, site.location_xy_m.1],
            phase: GroupPhase::Home,
            evacuate,
            shelter: None,
            warned_s: None,
            warning_s: None,
            delay_s: 900.0,
            on_foot: false,
            vulnerable: None,
            trapped_from_s: None,
            ach_home: indoor_ach,
            ach_in_place,
            trip: None,
            exposure: Exposure::default(),
            casualties: Casualties::default(),
            casualties_per_person: Casualties::default(),
            injured_moved: 0.0,
            sheltered_s: None,
            distance_m: 0.0,
        }
    }
}

/// Kinds of task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TaskKind {
    /// Seal the leak of release `release` (index in the gas hazards).
    StopLeak(usize),
    /// Build fireline on fire `fire`.
    Fireline(usize),
    /// Attack fire `fire` with water.
    FireAttack(usize),
    /// Carry people of group `group` to a shelter (rescue or evacuation).
    Carry(usize),
    /// Carry the injured of group `group` to hospital.
    Transport(usize),
    /// Deliver rations to shelter `facility`.
    Supply(usize),
    /// Decontaminate the exposed people who reached shelter `facility`.
    Decontaminate(usize),
    /// Ring facility `facility` with a sandbag wall before the water reaches it.
    Sandbag(usize),
}

/// One task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// What.
    pub kind: TaskKind,
    /// Label for events and reports.
    pub label: String,
    /// Where, m.
    pub pos: [f64; 2],
    /// Capability needed.
    pub needs: Capability,
    /// Priority (higher first under `PriorityWeighted`): 3 life safety, 2 hazard
    /// control, 1 logistics.
    pub priority: u8,
    /// Became known at, s.
    pub known_s: f64,
    /// Most teams at once.
    pub max_teams: usize,
    /// Teams on it now.
    pub teams: Vec<usize>,
    /// First dispatch, s.
    pub dispatched_s: Option<f64>,
    /// First arrival on scene, s.
    pub arrived_s: Option<f64>,
    /// Done, s.
    pub done_s: Option<f64>,
    /// Work left (people to carry, rations to deliver).
    pub remaining: f64,
    /// No team could be sent: dispatch tries again from this time, s.
    pub retry_s: f64,
}

/// Dynamic state of facilities.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SiteState {
    /// People inside (shelters), patients (hospitals).
    pub inside: f64,
    /// People queued outside a shelter.
    pub queue: f64,
    /// Rations in stock (depots) or delivered (shelters).
    pub rations: f64,
    /// Sandbags in stock (depots).
    pub sandbags: f64,
    /// Time of the last delivery (shelters).
    pub last_delivery_s: Option<f64>,
    /// People who arrived exposed to a chemical (at least its least severe level).
    pub exposed_arrivals: f64,
    /// People decontaminated or in a decontamination task.
    pub decon_planned: f64,
    /// People decontaminated.
    pub deconned: f64,
}

/// The response: everything that changes (snapshot state `agents`).
#[derive(Resource, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// Teams.
    pub teams: Vec<Team>,
    /// Population groups.
    pub groups: Vec<Group>,
    /// Tasks in the order they arose.
    pub tasks: Vec<Task>,
    /// Facility states (same order as [`AgentStatic::facilities`]).
    pub sites: Vec<SiteState>,
    /// Closed road edges (bit per edge).
    pub closed: Vec<u64>,
    /// Burning cells of the tick (bit per cell).
    pub burning: Vec<u64>,
    /// Cells too close to a fire to pass (bit per cell).
    pub danger: Vec<u64>,
    /// Leaks stopped: (release index, time s).
    pub leaks_stopped: Vec<(usize, f64)>,
    /// Fires contained: (fire index, time s).
    pub fires_contained: Vec<(usize, f64)>,
    /// People who reached a shelter.
    pub evacuated: f64,
    /// People warned.
    pub warned: f64,
    /// People supplied at the 4-h mark (set once).
    pub supplied_at_4h: Option<f64>,
    /// People carried by teams (rescued or evacuated).
    pub carried: f64,
    /// Injured delivered to hospitals.
    pub hospitalised: f64,
    /// Team casualties: (team index, time s).
    pub team_casualties: Vec<(usize, f64)>,
}

/// The per-tick bit masks, taken out of [`Response`] while a system borrows the rest of
/// it mutably.
pub struct Masks {
    /// Burning cells.
    pub burning: Vec<u64>,
    /// Cells too close to a fire.
    pub danger: Vec<u64>,
    /// Closed road edges.
    pub closed: Vec<u64>,
}

impl Masks {
    /// The hazards of the tick as agents see them.
    pub fn view<'a>(
        &'a self,
        spec: crate::world::GridSpec,
        flood: Option<&'a crate::hazards::flood::plugin::FloodHazards>,
        gas: Option<&'a crate::hazards::gas::plugin::GasHazards>,
        has_fire: bool,
    ) -> super::view::HazardView<'a> {
        super::view::HazardView::new(
            spec,
            flood,
            gas,
            has_fire.then_some((self.burning.as_slice(), self.danger.as_slice())),
        )
    }
}

impl Response {
    /// Takes the masks out (give them back with [`Response::put_masks`]).
    pub fn take_masks(&mut self) -> Masks {
        Masks {
            burning: std::mem::take(&mut self.burning),
            danger: std::mem::take(&mut self.danger),
            closed: std::mem::take(&mut self.closed),
        }
    }

    /// Puts the masks back.
    pub fn put_masks(&mut self, m: Masks) {
        self.burning = m.burning;
        self.danger = m.danger;
        self.closed = m.closed;
    }

    /// Closes (or reopens) road edge `edge`: routes avoid it from the next tick, and a
    /// team about to enter it re-plans.
    pub fn set_road_closed(&mut self, edge: u32, closed: bool) {
        let e = edge as usize;
        if let Some(w) = self.closed.get_mut(e / 64) {
            if closed {
                *w |= 1 << (e % 64);
            } else {
                *w &= !(1 << (e % 64));
            }
        }
    }

    /// Total expected casualties of the population.
    pub fn casualties(&self) -> Casualties {
        let mut c = Casualties::default();
        for g in &self.groups {
            c.toxic_dead += g.casualties.toxic_dead;
            c.toxic_injured += g.casualties.toxic_injured;
            c.flood_dead += g.casualties.flood_dead;
            c.fire_dead += g.casualties.fire_dead;
        }
        c
    }
}
