//! Coverage of a scenario's facility layout over its road network: travel-time
//! isochrones from every facility, population covered by the bases within T minutes,
//! supply reach of the depots within a horizon, and shelter capacity against demand.
//!
//! ## Model
//! - Travel times: free-flow road times (`length / class speed`, CJJ 37-2012 design
//!   speeds, see `agents::roads`) by Dijkstra from the facility's nearest road node
//!   ([`crate::agents::routing::travel_times_labelled`]); edges closed in the run's
//!   `Response` are left out. Optionally a vehicle's times through the current hazards
//!   (`agents::view::TeamCost`: flooded-road speed after Pregnolato et al. 2017, roads
//!   closed by depth, fire or gas).
//! - A group is covered within T if the nearest base reaches its nearest road node
//!   within T (cover radius in time, as in the maximal covering location problem of
//!   Church & ReVelle 1974).
//! - Supply reach of depot d within horizon H (default 4 h): its `n` supply trucks
//!   (cargo `c` ration packs) each load for `L = c / r` (r = the depot's loading rate;
//!   every truck has its own bay) and drive the one-way time `τ` to the shelters
//!   (capacity-weighted mean over reachable shelters). The first load arrives at
//!   `t₁ = L + τ`, then one every cycle `C = L + 2τ`, so each truck delivers
//!   `k = 1 + ⌊(H − t₁)/C⌋` loads (0 if t₁ > H). Packs delivered
//!   `P = min(stock, n·k·c)`; people servable `P / q` with q ration packs per person
//!   and day (`response.rations_per_person_day`).
//! - Shelter demand: every evacuating group goes to its named shelter, else to the
//!   shelter reachable soonest; demand and capacity are compared per shelter.
//!
//! ## Units
//! Times s (minutes only in option values and file columns marked `_min`), distances m.
//!
//! ## Assumptions
//! Access legs between a site and its nearest road node are not timed (their length is
//! reported as `snap_m`). No congestion: free-flow speeds. A group is counted entirely
//! at its point.
//!
//! ## References
//! - Church, R. & ReVelle, C. (1974). The maximal covering location problem. Papers of
//!   the Regional Science Association 32, 101–118.
//! - CJJ 37-2012 Code for design of urban road engineering (design speeds).

use serde::Serialize;

use crate::Simulation;
use crate::agents::presets::TeamKind;
use crate::agents::roads::RoadNetwork;
use crate::agents::routing::{EdgeCost, FreeFlow, WithClosures, travel_times_labelled};
use crate::agents::state::{AgentStatic, FacilityKind, Response};
use crate::agents::view::{HazardView, TeamCost, TeamLimits};
use crate::hazards::fire::plugin::FireHazards;
use crate::hazards::flood::plugin::FloodHazards;
use crate::hazards::gas::plugin::GasHazards;
use crate::world::grid::Grid;

/// Reach of one facility.
#[derive(Clone, Debug, Serialize)]
pub struct FacilityReach {
    /// Facility id.
    pub id: String,
    /// Kind (`base`, `depot`, `shelter`, `hospital`, `command_post`).
    pub kind: &'static str,
    /// Position, m.
    pub pos: [f64; 2],
    /// Distance to its road node, m (`NaN` without roads).
    pub snap_m: f64,
    /// People whose node it reaches within each T.
    pub people_within: Vec<f64>,
}

/// Supply reach of one depot.
#[derive(Clone, Debug, Serialize)]
pub struct SupplyReach {
    /// Depot id.
    pub id: String,
    /// Supply trucks based there.
    pub trucks: usize,
    /// Cargo per truck, ration packs.
    pub cargo: f64,
    /// Stock, ration packs.
    pub stock: f64,
    /// Loading time per truck load, s.
    pub load_s: f64,
    /// One-way time to the shelters, s (`NaN` if none reachable).
    pub one_way_s: f64,
    /// Loads delivered per truck within the horizon.
    pub loads_per_truck: u64,
    /// Packs delivered within the horizon.
    pub packs: f64,
    /// People servable for one day.
    pub people: f64,
}

/// Capacity and demand of one shelter.
#[derive(Clone, Debug, Serialize)]
pub struct ShelterLoad {
    /// Shelter id.
    pub id: String,
    /// Capacity, people.
    pub capacity: f64,
    /// Evacuees assigned to it.
    pub demand: f64,
}

/// The whole coverage analysis.
#[derive(Clone, Debug, Serialize)]
pub struct Coverage {
    /// Thresholds, minutes.
    pub minutes: Vec<f64>,
    /// People in all groups.
    pub total_people: f64,
    /// People reached by any base within each T.
    pub bases_people_within: Vec<f64>,
    /// Per facility.
    pub facilities: Vec<FacilityReach>,
    /// Supply horizon, s.
    pub horizon_s: f64,
    /// Per depot.
    pub supply: Vec<SupplyReach>,
    /// Per shelter.
    pub shelters: Vec<ShelterLoad>,
    /// Evacuees without a reachable shelter.
    pub unassigned_evacuees: f64,
    /// Time from the nearest base to each road node, s.
    #[serde(skip)]
    pub node_time_s: Vec<f64>,
    /// Nearest base (facility index) of each road node (`u32::MAX` = none).
    #[serde(skip)]
    pub node_base: Vec<u32>,
    /// Time from each facility (in `facilities` order) to each road node, s.
    #[serde(skip)]
    pub facility_node_time_s: Vec<Vec<f64>>,
}

fn kind_name(k: &FacilityKind) -> &'static str {
    match k {
        FacilityKind::Base(_) => "base",
        FacilityKind::Depot => "depot",
        FacilityKind::Shelter(_) => "shelter",
        FacilityKind::Hospital(_) => "hospital",
        FacilityKind::CommandPost => "command_post",
    }
}

/// Costs with the run's closed edges removed.
fn closed_edges(net: &RoadNetwork, resp: &Response) -> Vec<bool> {
    (0..net.edges.len())
        .map(|e| {
            resp.closed
                .get(e / 64)
                .is_some_and(|w| w & (1u64 << (e % 64)) != 0)
        })
        .collect()
}

/// Analyses the layout of a built (not necessarily run) simulation with free-flow
/// road times, or — with `vehicle` (a team preset id, e.g. `fire_engine`) — with that
/// vehicle's times through the hazards of the simulation's current tick (flooded roads
/// slowed or closed beyond its wading depth, burning cells and gas above its
/// protection closed: the costs teams route with, see `agents::view`). Unknown presets
/// fall back to free flow.
pub fn coverage(
    sim: &Simulation,
    minutes: &[f64],
    horizon_s: f64,
    vehicle: Option<&str>,
) -> Coverage {
    let world = sim.world();
    let (Some(st), Some(resp)) = (
        world.get_resource::<AgentStatic>(),
        world.get_resource::<Response>(),
    ) else {
        return coverage_with(
            sim,
            minutes,
            horizon_s,
            &FreeFlow::new(&RoadNetwork::default()),
        );
    };
    let free = FreeFlow::new(&st.net);
    let closed = closed_edges(&st.net, resp);
    let Some(t) = vehicle.and_then(|v| st.presets.get(v)) else {
        let cost = WithClosures {
            inner: &free,
            closed: &closed,
        };
        return coverage_with(sim, minutes, horizon_s, &cost);
    };
    let view = HazardView::new(
        sim.terrain().spec,
        world.get_resource::<FloodHazards>(),
        world.get_resource::<GasHazards>(),
        world
            .get_resource::<FireHazards>()
            .map(|_| (resp.burning.as_slice(), resp.danger.as_slice())),
    );
    let cost = TeamCost {
        view: &view,
        cells: &st.cells,
        limits: TeamLimits::of(t, t.ppe),
        closed: &resp.closed,
        memo: None,
    };
    coverage_with(sim, minutes, horizon_s, &cost)
}

fn coverage_with(
    sim: &Simulation,
    minutes: &[f64],
    horizon_s: f64,
    cost: &impl EdgeCost,
) -> Coverage {
    let world = sim.world();
    let (Some(st), Some(resp)) = (
        world.get_resource::<AgentStatic>(),
        world.get_resource::<Response>(),
    ) else {
        return Coverage {
            minutes: minutes.to_vec(),
            total_people: 0.0,
            bases_people_within: vec![0.0; minutes.len()],
            facilities: Vec::new(),
            horizon_s,
            supply: Vec::new(),
            shelters: Vec::new(),
            unassigned_evacuees: 0.0,
            node_time_s: Vec::new(),
            node_base: Vec::new(),
            facility_node_time_s: Vec::new(),
        };
    };
    let net = &st.net;
    let node_of = |p: [f64; 2]| net.nearest_node(p[0], p[1]);
    let times_from = |sources: &[u32]| -> (Vec<f64>, Vec<u32>) {
        let s: Vec<(u32, f64)> = sources.iter().map(|&n| (n, 0.0)).collect();
        travel_times_labelled(net, &s, cost, f64::INFINITY)
    };
    let groups: Vec<(Option<u32>, f64)> = resp
        .groups
        .iter()
        .map(|g| (node_of(g.pos), g.people_0))
        .collect();
    let total_people: f64 = groups.iter().map(|g| g.1).sum();
    let within = |t: &[f64]| -> Vec<f64> {
        minutes
            .iter()
            .map(|m| {
                groups
                    .iter()
                    .filter(|(n, _)| n.is_some_and(|n| t[n as usize] <= m * 60.0))
                    .map(|g| g.1)
                    .sum::<f64>()
                    + 0.0 // an empty sum is -0.0
            })
            .collect()
    };
    let mut facilities = Vec::new();
    let mut per_facility_times = Vec::new();
    for f in &st.facilities {
        let node = node_of(f.pos);
        let snap_m = node.map_or(f64::NAN, |n| {
            let p = &net.nodes[n as usize];
            (p.x - f.pos[0]).hypot(p.y - f.pos[1])
        });
        let t = node.map_or_else(
            || vec![f64::INFINITY; net.nodes.len()],
            |n| times_from(&[n]).0,
        );
        facilities.push(FacilityReach {
            id: f.id.clone(),
            kind: kind_name(&f.kind),
            pos: f.pos,
            snap_m,
            people_within: within(&t),
        });
        per_facility_times.push(t);
    }
    // Nearest base of every node.
    let bases: Vec<(usize, u32)> = st
        .facilities
        .iter()
        .enumerate()
        .filter(|(_, f)| matches!(f.kind, FacilityKind::Base(_)))
        .filter_map(|(i, f)| node_of(f.pos).map(|n| (i, n)))
        .collect();
    let (node_time_s, label) = times_from(&bases.iter().map(|b| b.1).collect::<Vec<_>>());
    let node_base = label
        .iter()
        .map(|&l| bases.get(l as usize).map_or(u32::MAX, |b| b.0 as u32))
        .collect();
    let bases_people_within = within(&node_time_s);
    // Shelters: assignment and load.
    let shelter_idx: Vec<usize> = st
        .facilities
        .iter()
        .enumerate()
        .filter(|(_, f)| matches!(f.kind, FacilityKind::Shelter(_)))
        .map(|(i, _)| i)
        .collect();
    let mut demand = vec![0.0; st.facilities.len()];
    let mut unassigned_evacuees = 0.0;
    for (g, (node, people)) in resp.groups.iter().zip(&groups) {
        if !g.evacuate {
            continue;
        }
        let chosen = g.shelter.or_else(|| {
            let n = (*node)? as usize;
            shelter_idx
                .iter()
                .copied()
                .filter(|&s| per_facility_times[s][n].is_finite())
                .min_by(|&a, &b| per_facility_times[a][n].total_cmp(&per_facility_times[b][n]))
        });
        match chosen {
            Some(s) => demand[s] += people,
            None => unassigned_evacuees += people,
        }
    }
    let shelters = shelter_idx
        .iter()
        .map(|&s| ShelterLoad {
            id: st.facilities[s].id.clone(),
            capacity: match st.facilities[s].kind {
                FacilityKind::Shelter(c) => f64::from(c),
                _ => 0.0,
            },
            demand: demand[s],
        })
        .collect::<Vec<_>>();
    // Supply reach.
    let mut supply = Vec::new();
    for (d, f) in st.facilities.iter().enumerate() {
        if !matches!(f.kind, FacilityKind::Depot) {
            continue;
        }
        let trucks: Vec<_> = resp
            .teams
            .iter()
            .filter(|t| t.base == d)
            .filter(|t| st.presets.types[t.preset].kind == TeamKind::SupplyTruck)
            .collect();
        let cargo = trucks
            .first()
            .map_or(0.0, |t| st.presets.types[t.preset].cargo_rations);
        let stock = resp.sites.get(d).map_or(0.0, |s| s.rations);
        let load_s = if f.rate_per_s > 0.0 {
            cargo / f.rate_per_s
        } else {
            f64::INFINITY
        };
        let t = &per_facility_times[d];
        let (mut wsum, mut w) = (0.0, 0.0);
        for &s in &shelter_idx {
            if let Some(n) = node_of(st.facilities[s].pos)
                && t[n as usize].is_finite()
            {
                let cap = match st.facilities[s].kind {
                    FacilityKind::Shelter(c) => f64::from(c),
                    _ => 0.0,
                };
                wsum += cap * t[n as usize];
                w += cap;
            }
        }
        let one_way_s = if w > 0.0 { wsum / w } else { f64::NAN };
        let loads_per_truck = supply_loads(load_s, one_way_s, horizon_s);
        let packs = stock.min(trucks.len() as f64 * loads_per_truck as f64 * cargo);
        supply.push(SupplyReach {
            id: f.id.clone(),
            trucks: trucks.len(),
            cargo,
            stock,
            load_s,
            one_way_s,
            loads_per_truck,
            packs,
            people: if st.rations_per_day > 0.0 {
                packs / st.rations_per_day
            } else {
                0.0
            },
        });
    }
    Coverage {
        minutes: minutes.to_vec(),
        total_people,
        bases_people_within,
        facilities,
        horizon_s,
        supply,
        shelters,
        unassigned_evacuees,
        node_time_s,
        node_base,
        facility_node_time_s: per_facility_times,
    }
}

/// Loads one truck delivers by `horizon_s`: `1 + ⌊(H − t₁)/C⌋` with `t₁ = L + τ`,
/// `C = L + 2τ`; 0 when the first load cannot arrive in time or τ is undefined.
pub fn supply_loads(load_s: f64, one_way_s: f64, horizon_s: f64) -> u64 {
    let t1 = load_s + one_way_s;
    if !t1.is_finite() || t1 > horizon_s {
        return 0;
    }
    let cycle = load_s + 2.0 * one_way_s;
    if cycle <= 0.0 {
        return 0;
    }
    1 + ((horizon_s - t1) / cycle).floor() as u64
}

/// Minutes from the nearest base at each grid cell (via the cell centre's nearest road
/// node; cells more than `max_snap_m` from any node are NaN).
pub fn minutes_grid(sim: &Simulation, cov: &Coverage, max_snap_m: f64) -> Grid<f32> {
    let spec = sim.terrain().spec;
    let Some(st) = sim.world().get_resource::<AgentStatic>() else {
        return Grid::filled(spec, f32::NAN);
    };
    let net = &st.net;
    Grid::from_fn(spec, |c, r| {
        let [x, y] = spec.cell_center(c, r);
        match net.nearest_node(x, y) {
            Some(n) => {
                let p = &net.nodes[n as usize];
                let t = cov
                    .node_time_s
                    .get(n as usize)
                    .copied()
                    .unwrap_or(f64::INFINITY);
                if (p.x - x).hypot(p.y - y) <= max_snap_m && t.is_finite() {
                    (t / 60.0) as f32
                } else {
                    f32::NAN
                }
            }
            None => f32::NAN,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand computation: L = 4500 s, τ = 57.6 s, H = 14 400 s: t₁ = 4557.6 s,
    /// C = 4615.2 s, 1 + ⌊9842.4 / 4615.2⌋ = 1 + 2 = 3 loads.
    #[test]
    fn supply_loads_by_hand() {
        assert_eq!(supply_loads(4500.0, 57.6, 14_400.0), 3);
        assert_eq!(supply_loads(4500.0, 57.6, 4000.0), 0);
        assert_eq!(supply_loads(100.0, f64::NAN, 14_400.0), 0);
    }
}
