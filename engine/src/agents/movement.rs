//! Trips: planning a route for a team (road network plus off-road access legs) and
//! moving along it through the hazards, recording the cells crossed and the time spent
//! in each so exposure is integrated along the actual path.
//!
//! ## Model
//! A trip is a list of legs: road edges (speed = min(team, road) × the flood factor of
//! the edge's worst cell) and straight off-road legs (on foot, tracks or by boat, speed
//! from [`TeamLimits::offroad_speed`]). A trip is planned as: access leg from the
//! position to one of the nearest road nodes, A* over the network, egress leg to the
//! destination; the fastest of a few candidate start/end nodes wins, or a direct
//! off-road leg when that is faster or the roads are cut. Before each leg (and every
//! sub-step) passability is checked again: a leg that has become blocked stops the
//! team, which re-plans from where it is.
//!
//! Road-only vehicles use access legs of at most [`MAX_ACCESS_M`] at a quarter of their
//! road speed (yards, driveways).
//!
//! ## Units
//! Metres, seconds.

use serde::{Deserialize, Serialize};

use super::roads::{EdgeCells, RoadNetwork};
use super::routing::{EdgeCost, shortest_path};
use super::view::{EdgeMemo, HazardView, TeamCost, TeamLimits};
use crate::world::GridSpec;

/// Longest access/egress leg a road-only vehicle drives off the network, m.
pub const MAX_ACCESS_M: f64 = 500.0;

/// Candidate road nodes tried at each end of a trip.
const CANDIDATES: usize = 3;

/// One leg of a trip.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Leg {
    /// Along road edge `edge` from node `from` to node `to`.
    Road {
        /// Edge id.
        edge: u32,
        /// Start node.
        from: u32,
        /// End node.
        to: u32,
    },
    /// Straight off-road from `from` to `to`; `access` legs of road-only vehicles.
    Free {
        /// Start (x, y), m.
        from: [f64; 2],
        /// End (x, y), m.
        to: [f64; 2],
        /// Driven at a quarter of road speed by a road-only vehicle.
        access: bool,
    },
}

/// A trip in progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trip {
    /// The legs.
    pub legs: Vec<Leg>,
    /// Current leg.
    pub leg: usize,
    /// Metres done along the current leg.
    pub done_m: f64,
    /// Destination, m.
    pub dest: [f64; 2],
    /// Planned travel time when planned, s.
    pub planned_s: f64,
}

/// What a tick of movement ended with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moved {
    /// Still on the way.
    Moving,
    /// At the destination.
    Arrived,
    /// The next piece is blocked: re-plan.
    Blocked,
}

/// Everything a trip needs to read.
pub struct Ctx<'a> {
    /// Grid.
    pub spec: GridSpec,
    /// Roads.
    pub net: &'a RoadNetwork,
    /// Edge cells.
    pub cells: &'a EdgeCells,
    /// Hazards.
    pub view: &'a HazardView<'a>,
    /// Closed edges.
    pub closed: &'a [u64],
    /// Edge factors worked out so far this tick.
    pub memo: EdgeMemo,
}

impl<'a> Ctx<'a> {
    /// The context of a tick: the run's roads, the tick's hazards and closures.
    pub fn new(
        spec: GridSpec,
        st: &'a super::state::AgentStatic,
        view: &'a HazardView<'a>,
        closed: &'a [u64],
    ) -> Self {
        Self {
            spec,
            net: &st.net,
            cells: &st.cells,
            view,
            closed,
            memo: EdgeMemo::default(),
        }
    }

    /// The travel cost of a team with limits `lim` in this tick.
    pub fn cost(&self, lim: &TeamLimits) -> TeamCost<'_> {
        TeamCost {
            view: self.view,
            cells: self.cells,
            limits: *lim,
            closed: self.closed,
            memo: Some(&self.memo),
        }
    }
}

fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

fn cell_of(spec: &GridSpec, p: [f64; 2]) -> Option<usize> {
    spec.cell_at(p[0], p[1]).map(|(c, r)| spec.index(c, r))
}

/// Speed on a free leg through the cell at `p`, `None` if blocked.
fn free_speed(ctx: &Ctx<'_>, lim: &TeamLimits, p: [f64; 2], access: bool) -> Option<f64> {
    let i = cell_of(&ctx.spec, p)?;
    if access && lim.offroad_speed_m_s <= 0.0 && lim.water_speed_m_s <= 0.0 {
        // A road vehicle on a yard or driveway: blocked as on a road cell.
        return match lim.road_cell(ctx.view, i) {
            super::view::Passage::Blocked => None,
            super::view::Passage::Road(f) => Some(0.25 * lim.road_speed_m_s * f),
        };
    }
    lim.offroad_speed(ctx.view, i)
}

/// Time to walk/drive/boat a straight free leg, s; `None` if blocked somewhere.
pub fn free_leg_time(
    ctx: &Ctx<'_>,
    lim: &TeamLimits,
    a: [f64; 2],
    b: [f64; 2],
    access: bool,
) -> Option<f64> {
    let len = dist(a, b);
    if len < 1e-9 {
        return Some(0.0);
    }
    let n = (len / (0.5 * ctx.spec.cell_size)).ceil().max(1.0) as usize;
    let piece = len / n as f64;
    let mut t = 0.0;
    for k in 0..n {
        let f = (k as f64 + 0.5) / n as f64;
        let p = [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])];
        t += piece / free_speed(ctx, lim, p, access)?;
    }
    Some(t)
}

fn nearest_nodes(net: &RoadNetwork, p: [f64; 2], k: usize) -> Vec<u32> {
    // Exact k nearest by a scan ordered by (distance, id): deterministic.
    let mut best: Vec<(f64, u32)> = Vec::with_capacity(k + 1);
    if let Some(n) = net.nearest_node(p[0], p[1]) {
        best.push((
            dist(p, [net.nodes[n as usize].x, net.nodes[n as usize].y]),
            n,
        ));
    }
    if k > 1 {
        for (i, n) in net.nodes.iter().enumerate() {
            let d = dist(p, [n.x, n.y]);
            if best.len() < k || d < best[best.len() - 1].0 {
                if best.iter().any(|b| b.1 == i as u32) {
                    continue;
                }
                best.push((d, i as u32));
                best.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                best.truncate(k);
            }
        }
    }
    best.into_iter().map(|b| b.1).collect()
}

/// Cells of margin around the start and end of an off-road detour search.
pub const DETOUR_MARGIN_CELLS: usize = 40;

/// An off-road way around obstacles: A* on the grid (8 neighbours) between the cells of
/// `from` and `to`, as straight legs between cell centres.
fn grid_detour(
    ctx: &Ctx<'_>,
    lim: &TeamLimits,
    from: [f64; 2],
    to: [f64; 2],
) -> Option<(f64, Vec<Leg>)> {
    let a = ctx.spec.cell_at(from[0], from[1])?;
    let b = ctx.spec.cell_at(to[0], to[1])?;
    let pace = |i: usize| lim.offroad_speed(ctx.view, i).map(|v| 1.0 / v);
    let route = super::offroad::grid_path(&ctx.spec, pace, a, b, DETOUR_MARGIN_CELLS)?;
    let w = ctx.spec.width;
    let mut pts: Vec<[f64; 2]> = vec![from];
    for &c in route.cells.iter().skip(1) {
        let c = c as usize;
        pts.push(ctx.spec.cell_center(c % w, c / w));
    }
    if let Some(last) = pts.last_mut() {
        *last = to;
    }
    let legs: Vec<Leg> = pts
        .windows(2)
        .map(|p| Leg::Free {
            from: p[0],
            to: p[1],
            access: false,
        })
        .collect();
    let t = legs
        .iter()
        .map(|l| match l {
            Leg::Free { from, to, .. } => free_leg_time(ctx, lim, *from, *to, false),
            Leg::Road { .. } => Some(0.0),
        })
        .sum::<Option<f64>>()?;
    Some((t, legs))
}

/// Plans the fastest trip from `from` to `to` for a team with limits `lim`.
pub fn plan_trip(ctx: &Ctx<'_>, lim: &TeamLimits, from: [f64; 2], to: [f64; 2]) -> Option<Trip> {
    let road_only = lim.offroad_speed_m_s <= 0.0 && lim.water_speed_m_s <= 0.0;
    let mut best: Option<(f64, Vec<Leg>)> = None;
    if !road_only {
        if let Some(t) = free_leg_time(ctx, lim, from, to, false) {
            best = Some((
                t,
                vec![Leg::Free {
                    from,
                    to,
                    access: false,
                }],
            ));
        } else {
            // The straight way is cut: walk (or boat) around on the grid.
            best = grid_detour(ctx, lim, from, to);
        }
    }
    if lim.road_speed_m_s > 0.0 && !ctx.net.nodes.is_empty() {
        let cost = ctx.cost(lim);
        let starts = nearest_nodes(ctx.net, from, CANDIDATES);
        let ends = nearest_nodes(ctx.net, to, CANDIDATES);
        for &s in &starts {
            let sp = [ctx.net.nodes[s as usize].x, ctx.net.nodes[s as usize].y];
            if road_only && dist(from, sp) > MAX_ACCESS_M {
                continue;
            }
            let Some(t_in) = free_leg_time(ctx, lim, from, sp, true) else {
                continue;
            };
            for &e in &ends {
                let ep = [ctx.net.nodes[e as usize].x, ctx.net.nodes[e as usize].y];
                if road_only && dist(to, ep) > MAX_ACCESS_M {
                    continue;
                }
                let lower = t_in + dist(sp, ep) * cost.min_s_per_m();
                if best.as_ref().is_some_and(|b| b.0 <= lower) {
                    continue;
                }
                let Some(t_out) = free_leg_time(ctx, lim, ep, to, true) else {
                    continue;
                };
                let Some(route) = shortest_path(ctx.net, s, e, &cost) else {
                    continue;
                };
                let total = t_in + route.time_s + t_out;
                if best.as_ref().is_none_or(|b| total < b.0) {
                    let mut legs = vec![Leg::Free {
                        from,
                        to: sp,
                        access: true,
                    }];
                    for (k, &(edge, _)) in route.edges.iter().enumerate() {
                        legs.push(Leg::Road {
                            edge,
                            from: route.nodes[k],
                            to: route.nodes[k + 1],
                        });
                    }
                    legs.push(Leg::Free {
                        from: ep,
                        to,
                        access: true,
                    });
                    best = Some((total, legs));
                }
            }
        }
    }
    best.map(|(t, legs)| Trip {
        legs,
        leg: 0,
        done_m: 0.0,
        dest: to,
        planned_s: t,
    })
}

fn leg_ends(net: &RoadNetwork, leg: &Leg) -> ([f64; 2], [f64; 2], f64) {
    match leg {
        Leg::Road { edge, from, to } => {
            let a = &net.nodes[*from as usize];
            let b = &net.nodes[*to as usize];
            ([a.x, a.y], [b.x, b.y], net.edges[*edge as usize].length_m)
        }
        Leg::Free { from, to, .. } => (*from, *to, dist(*from, *to)),
    }
}

/// Position on the current leg.
pub fn position(net: &RoadNetwork, trip: &Trip) -> [f64; 2] {
    let Some(leg) = trip.legs.get(trip.leg) else {
        return trip.dest;
    };
    if let Leg::Road { edge, from, .. } = leg {
        let (x, y) = net.point_along(*edge, *from, trip.done_m);
        return [x, y];
    }
    let (a, b, len) = leg_ends(net, leg);
    let f = if len > 0.0 {
        (trip.done_m / len).clamp(0.0, 1.0)
    } else {
        1.0
    };
    [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])]
}

/// The path still ahead on `trip`: its current position, the vertices not yet passed
/// (road geometry in the direction of travel, off-road leg ends), and the destination.
/// For maps (team routes, evacuee flows); consecutive duplicates are dropped.
pub fn remaining_path(net: &RoadNetwork, trip: &Trip) -> Vec<[f64; 2]> {
    let mut out = vec![position(net, trip)];
    let mut push = |p: [f64; 2]| {
        if out.last() != Some(&p) {
            out.push(p);
        }
    };
    for (k, leg) in trip.legs.iter().enumerate().skip(trip.leg) {
        let pts: Vec<[f64; 2]> = match leg {
            Leg::Road { edge, from, .. } => {
                let Some(e) = net.edges.get(*edge as usize) else {
                    continue;
                };
                let mut g = e.geometry.clone();
                if *from == e.to && *from != e.from {
                    g.reverse();
                }
                g
            }
            Leg::Free { from, to, .. } => vec![*from, *to],
        };
        // On the current leg, only the vertices beyond the distance already done.
        let passed = if k == trip.leg { trip.done_m } else { -1.0 };
        let mut along = 0.0;
        for (i, &p) in pts.iter().enumerate() {
            if i > 0 {
                along += dist(pts[i - 1], p);
            }
            if along > passed {
                push(p);
            }
        }
    }
    push(trip.dest);
    out
}

/// Moves along `trip` for `dt_s`, pushing `(cell, seconds)` for every piece of path
/// into `samples` and returning the distance travelled. `speed_cap` limits the speed
/// (e.g. traffic density); `None` = none.
pub fn advance(
    ctx: &Ctx<'_>,
    lim: &TeamLimits,
    trip: &mut Trip,
    dt_s: f64,
    speed_cap: impl Fn(&Leg) -> f64,
    samples: &mut Vec<(u32, f64)>,
) -> (Moved, f64) {
    let mut left = dt_s;
    let mut moved = 0.0;
    let piece_max = 0.5 * ctx.spec.cell_size;
    while left > 1e-9 {
        let Some(leg) = trip.legs.get(trip.leg) else {
            return (Moved::Arrived, moved);
        };
        let (_, _, len) = leg_ends(ctx.net, leg);
        if trip.done_m >= len - 1e-9 {
            trip.leg += 1;
            trip.done_m = 0.0;
            continue;
        }
        let road_speed = match leg {
            Leg::Road { edge, .. } => {
                let cost = ctx.cost(lim);
                let Some(f) = cost.edge_factor(*edge) else {
                    return (Moved::Blocked, moved);
                };
                Some(
                    lim.road_speed_m_s
                        .min(ctx.net.edges[*edge as usize].speed_m_s)
                        * f,
                )
            }
            Leg::Free { .. } => None,
        };
        let p = position(ctx.net, trip);
        let access = matches!(leg, Leg::Free { access: true, .. });
        let v = match road_speed {
            Some(v) => v,
            None => match free_speed(ctx, lim, p, access) {
                Some(v) => v,
                None => return (Moved::Blocked, moved),
            },
        }
        .min(speed_cap(leg));
        if v <= 0.0 {
            return (Moved::Blocked, moved);
        }
        let step = (len - trip.done_m).min(piece_max).min(v * left);
        let t = step / v;
        trip.done_m += step;
        moved += step;
        left -= t;
        let mid = position(ctx.net, trip);
        let c = cell_of(&ctx.spec, [0.5 * (p[0] + mid[0]), 0.5 * (p[1] + mid[1])]);
        if let Some(c) = c {
            match samples.last_mut() {
                Some(s) if s.0 == c as u32 => s.1 += t,
                _ => samples.push((c as u32, t)),
            }
        }
    }
    let at_end = trip.leg >= trip.legs.len()
        || (trip.leg + 1 == trip.legs.len() && {
            let (_, _, len) = leg_ends(ctx.net, &trip.legs[trip.leg]);
            trip.done_m >= len - 1e-9
        });
    (
        if at_end {
            Moved::Arrived
        } else {
            Moved::Moving
        },
        moved,
    )
}

#[cfg(test)]
mod path_tests {
    use super::*;
    use crate::agents::roads::{RoadClass, RoadEdge, RoadNode};

    #[test]
    fn remaining_path_starts_where_the_trip_is_and_follows_the_legs() {
        // An L-shaped road (0,0)–(0,40)–(30,40) driven backwards, from node 1 at
        // (30,40) via (0,40) to (0,0), then a free leg to (30,0). After 50 m of the
        // 70 m road the team is at (0,20) with only (0,0) left on the road.
        let nodes = vec![RoadNode { x: 0.0, y: 0.0 }, RoadNode { x: 30.0, y: 40.0 }];
        let e = RoadEdge::new(
            0,
            1,
            vec![[0.0, 0.0], [0.0, 40.0], [30.0, 40.0]],
            RoadClass::Service,
        );
        let net = RoadNetwork::from_parts(nodes, vec![e]).unwrap();
        let trip = Trip {
            legs: vec![
                Leg::Road {
                    edge: 0,
                    from: 1,
                    to: 0,
                },
                Leg::Free {
                    from: [0.0, 0.0],
                    to: [30.0, 0.0],
                    access: false,
                },
            ],
            leg: 0,
            done_m: 50.0,
            dest: [30.0, 0.0],
            planned_s: 0.0,
        };
        assert_eq!(
            remaining_path(&net, &trip),
            vec![[0.0, 20.0], [0.0, 0.0], [30.0, 0.0]]
        );
        // At the start of the road: every vertex ahead, in the direction of travel.
        let start = Trip {
            done_m: 0.0,
            ..trip.clone()
        };
        assert_eq!(
            remaining_path(&net, &start),
            vec![[30.0, 40.0], [0.0, 40.0], [0.0, 0.0], [30.0, 0.0]]
        );
        // On the last leg, halfway: the position and the destination.
        let last = Trip {
            leg: 1,
            done_m: 15.0,
            ..trip
        };
        assert_eq!(remaining_path(&net, &last), vec![[15.0, 0.0], [30.0, 0.0]]);
    }
}
