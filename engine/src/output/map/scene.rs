//! What a map shows: the dynamic layers of a run at one moment, copied out of the
//! simulation's resources (or built by hand in tests).

use super::Rgb;
use crate::agents::state::{AgentStatic, FacilityKind, Phase, Response};
use crate::hazards::fire::plugin::FireHazards;
use crate::hazards::flood::plugin::FloodHazards;
use crate::hazards::gas::plugin::GasHazards;
use crate::sim::Simulation;
use crate::world::grid::Grid;

/// Shallowest water drawn on maps, m. Rain on the grid wets every cell with a film of a
/// few millimetres, which would paint the whole map blue; a map shows water a person
/// would notice.
pub const MAP_MIN_DEPTH_M: f32 = 0.05;

/// A facility's map symbol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FacilitySymbol {
    /// Base: blue square.
    Base,
    /// Depot: brown diamond.
    Depot,
    /// Shelter: green triangle.
    Shelter,
    /// Hospital: white square with a red cross.
    Hospital,
    /// Command post: purple disc with a white centre.
    CommandPost,
}

/// What a team is doing, as shown on the map (disc colour).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TeamMark {
    /// Not yet available: grey.
    OffDuty,
    /// Ready at base: white.
    Idle,
    /// Driving to a task: yellow.
    EnRoute,
    /// Working on scene: red.
    Working,
    /// Carrying people or supplies: magenta.
    Carrying,
    /// Returning to base: cyan.
    Returning,
    /// Resting: lilac.
    Resting,
    /// Out of action: black.
    Casualty,
}

impl TeamMark {
    /// Disc colour.
    pub fn color(self) -> Rgb {
        match self {
            Self::OffDuty => [150, 150, 150],
            Self::Idle => [250, 250, 250],
            Self::EnRoute => [255, 215, 0],
            Self::Working => [230, 30, 30],
            Self::Carrying => [230, 0, 200],
            Self::Returning => [0, 200, 220],
            Self::Resting => [150, 140, 220],
            Self::Casualty => [0, 0, 0],
        }
    }

    fn of(phase: &Phase) -> Self {
        match phase {
            Phase::OffDuty => Self::OffDuty,
            Phase::Idle => Self::Idle,
            Phase::ToTask => Self::EnRoute,
            Phase::Working(_) => Self::Working,
            Phase::Carrying => Self::Carrying,
            Phase::Returning => Self::Returning,
            Phase::Resting(_) => Self::Resting,
            Phase::Casualty => Self::Casualty,
        }
    }
}

/// What a map shows: the dynamic layers at one moment, copied out of a simulation (or
/// built by hand in tests).
#[derive(Clone, Debug, Default)]
pub struct Scene {
    /// Simulated time, s.
    pub t_s: f64,
    /// Water depth of each flood (m) with the depth from which it is drawn (m).
    pub water_depth_m: Vec<(Grid<f32>, f32)>,
    /// Gas per release: 0 where no level is reached, else 1 + index of the most severe
    /// level reached (levels ordered most severe first).
    pub gas_level: Vec<Grid<u8>>,
    /// Names of the gas levels, most severe first (legend; ASCII shown as is).
    pub gas_level_names: Vec<String>,
    /// Fire per wildland fire: 0 unburned, 1 burned, 2 burning.
    pub fire: Vec<Grid<u8>>,
    /// Road polylines (world m) and whether the road is closed.
    pub roads: Vec<(Vec<[f64; 2]>, bool)>,
    /// Facilities.
    pub facilities: Vec<(FacilitySymbol, [f64; 2])>,
    /// Teams.
    pub teams: Vec<(TeamMark, [f64; 2])>,
    /// Hazard sources that have started (gas releases), drawn as black crosses.
    pub sources: Vec<[f64; 2]>,
}

impl Scene {
    /// The current state of `sim`.
    pub fn from_sim(sim: &Simulation) -> Self {
        let world = sim.world();
        let t = sim.time_s();
        let mut scene = Self {
            t_s: t,
            ..Self::default()
        };
        if let Some(floods) = world.get_resource::<FloodHazards>() {
            for m in floods.instances.iter().filter_map(|f| f.model.as_ref()) {
                // Rain on the grid leaves a film on every cell: maps show water from
                // MAP_MIN_DEPTH_M (or the flood's dry threshold, if larger).
                let dry = (m.spec().numerics.dry_depth_m as f32).max(MAP_MIN_DEPTH_M);
                if let Some(g) = Grid::from_vec(*m.grid(), m.depth_slice().to_vec()) {
                    scene.water_depth_m.push((g, dry));
                }
            }
        }
        if let Some(gas) = world.get_resource::<GasHazards>() {
            for r in gas.releases.iter().filter(|r| r.started) {
                let Ok(m) = &r.model else { continue };
                scene.sources.push(m.spec().location_xy_m);
                let n = m.levels().len();
                if scene.gas_level_names.is_empty() {
                    scene.gas_level_names = m.levels().iter().map(|l| l.name.clone()).collect();
                }
                // Zone index z (0 none, n most severe) → 1 + index of the level.
                scene.gas_level.push(m.zones().map(|&z| {
                    if z == 0 {
                        0
                    } else {
                        (n + 1).saturating_sub(usize::from(z)).min(255) as u8
                    }
                }));
            }
        }
        if let Some(fires) = world.get_resource::<FireHazards>() {
            for f in fires.fires.iter().filter(|f| f.started) {
                let spec = *f.sim.spec();
                let mut g = Grid::from_fn(spec, |c, r| {
                    u8::from(f.sim.arrival_s(spec.index(c, r)) <= t)
                });
                for &i in &f.burning {
                    if let Some(v) = g.data_mut().get_mut(i as usize) {
                        *v = 2;
                    }
                }
                scene.fire.push(g);
            }
        }
        let response = world.get_resource::<Response>();
        if let Some(st) = world.get_resource::<AgentStatic>() {
            let closed = |e: usize| {
                response
                    .and_then(|r| r.closed.get(e / 64))
                    .is_some_and(|w| w >> (e % 64) & 1 == 1)
            };
            for (e, edge) in st.net.edges.iter().enumerate() {
                scene.roads.push((edge.geometry.clone(), closed(e)));
            }
            for f in &st.facilities {
                let sym = match f.kind {
                    FacilityKind::Base(_) => FacilitySymbol::Base,
                    FacilityKind::Depot => FacilitySymbol::Depot,
                    FacilityKind::Shelter(_) => FacilitySymbol::Shelter,
                    FacilityKind::Hospital(_) => FacilitySymbol::Hospital,
                    FacilityKind::CommandPost => FacilitySymbol::CommandPost,
                };
                scene.facilities.push((sym, f.pos));
            }
        }
        if let Some(r) = response {
            for team in &r.teams {
                scene.teams.push((TeamMark::of(&team.phase), team.pos));
            }
        }
        scene
    }
}
