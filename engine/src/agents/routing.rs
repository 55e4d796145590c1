//! Routing on the road graph with hazard-dependent costs: A* point-to-point queries
//! (with a reusable [`Router`] that does not allocate per query) and multi-source
//! Dijkstra travel times for dispatch and isochrones.
//!
//! ## Model
//! Edge traversal times come from an [`EdgeCost`] (free flow, or slowed/closed by water
//! depth, fire intensity or concentration, computed by the caller each tick). Shortest
//! paths by A* (Hart, Nilsson & Raphael 1968) with the straight-line distance times the
//! cost's lowest pace as heuristic; the heuristic never overestimates, and a node is
//! re-expanded whenever a cheaper path to it appears, so the route found is optimal.
//! Travel times to all nodes by Dijkstra (1959) from several sources with start times.
//! Ties are broken by the lowest node id (heap keyed by (f, node)), so results are
//! deterministic.
//!
//! ## Units
//! Times in s, lengths in m, paces in s/m.
//!
//! ## Assumptions
//! An [`EdgeCost`] must return at least `length_m × min_s_per_m()` for any passable edge
//! (edge lengths are at least the straight-line distance between their nodes, as they are
//! computed from the geometry). One-way edges are only traversed forward.
//!
//! ## References
//! - Hart, Nilsson & Raphael (1968), "A formal basis for the heuristic determination of
//!   minimum cost paths", IEEE Trans. Syst. Sci. Cybern. 4(2), 100–107.
//! - Dijkstra (1959), "A note on two problems in connexion with graphs", Numer. Math. 1,
//!   269–271.

use std::collections::BinaryHeap;

use super::offroad::Open;
use super::roads::RoadNetwork;

/// Time to traverse an edge under current conditions.
pub trait EdgeCost {
    /// Seconds to traverse `edge` (`forward` = from `edge.from` to `edge.to`), or `None`
    /// when impassable (flooded beyond the vehicle's limit, burning, closed, ...).
    /// Negative or non-finite times are treated as impassable.
    fn traverse_s(&self, net: &RoadNetwork, edge: u32, forward: bool) -> Option<f64>;
    /// A lower bound on the pace over all edges (s/m), e.g. 1 / fastest speed; 0 turns
    /// A* into Dijkstra.
    fn min_s_per_m(&self) -> f64;
}

/// Free-flow travel: `length_m / speed_m_s`, every edge open.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FreeFlow {
    min_s_per_m: f64,
}

impl FreeFlow {
    /// Free-flow costs on `net`.
    pub fn new(net: &RoadNetwork) -> Self {
        let v = net.max_speed_m_s();
        Self {
            min_s_per_m: if v > 0.0 { 1.0 / v } else { 0.0 },
        }
    }
}

impl EdgeCost for FreeFlow {
    fn traverse_s(&self, net: &RoadNetwork, edge: u32, _forward: bool) -> Option<f64> {
        let e = &net.edges[edge as usize];
        Some(e.length_m / e.speed_m_s)
    }
    fn min_s_per_m(&self) -> f64 {
        self.min_s_per_m
    }
}

/// Another cost with some edges closed (`closed[edge]`, e.g. from injects).
#[derive(Clone, Copy, Debug)]
pub struct WithClosures<'a, C> {
    pub inner: &'a C,
    pub closed: &'a [bool],
}

impl<C: EdgeCost> EdgeCost for WithClosures<'_, C> {
    fn traverse_s(&self, net: &RoadNetwork, edge: u32, forward: bool) -> Option<f64> {
        if self.closed.get(edge as usize).copied().unwrap_or(false) {
            None
        } else {
            self.inner.traverse_s(net, edge, forward)
        }
    }
    fn min_s_per_m(&self) -> f64 {
        self.inner.min_s_per_m()
    }
}

/// A route: nodes from start to end, the edges between them with their direction
/// (`true` = forward), total time and length.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    pub nodes: Vec<u32>,
    pub edges: Vec<(u32, bool)>,
    pub time_s: f64,
    pub length_m: f64,
}

/// Scratch space for repeated A* queries on one network: O(nodes) memory allocated once,
/// reset in O(1) per query by an epoch stamp.
#[derive(Clone, Debug, Default)]
pub struct Router {
    g: Vec<f64>,
    /// (previous node, edge, forward) on the best known path.
    parent: Vec<(u32, u32, bool)>,
    stamp: Vec<u32>,
    epoch: u32,
    heap: BinaryHeap<Open>,
}

impl Router {
    /// A router sized for `net`.
    pub fn new(net: &RoadNetwork) -> Self {
        let n = net.nodes.len();
        Self {
            g: vec![f64::INFINITY; n],
            parent: vec![(u32::MAX, u32::MAX, true); n],
            stamp: vec![0; n],
            epoch: 0,
            heap: BinaryHeap::new(),
        }
    }

    fn start_query(&mut self, n: usize) {
        if self.stamp.len() != n {
            *self = Self {
                g: vec![f64::INFINITY; n],
                parent: vec![(u32::MAX, u32::MAX, true); n],
                stamp: vec![0; n],
                epoch: 0,
                heap: std::mem::take(&mut self.heap),
            };
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.stamp.fill(0);
            self.epoch = 1;
        }
        self.heap.clear();
    }

    #[inline]
    fn g_of(&self, n: usize) -> f64 {
        if self.stamp[n] == self.epoch {
            self.g[n]
        } else {
            f64::INFINITY
        }
    }

    /// Fastest route from node `from` to node `to` under `cost`; `None` when unreachable
    /// or a node id is out of range.
    pub fn route(
        &mut self,
        net: &RoadNetwork,
        from: u32,
        to: u32,
        cost: &impl EdgeCost,
    ) -> Option<Route> {
        let n = net.nodes.len();
        if from as usize >= n || to as usize >= n {
            return None;
        }
        self.start_query(n);
        let k = cost.min_s_per_m().max(0.0);
        let k = if k.is_finite() { k } else { 0.0 };
        let target = net.nodes[to as usize];
        let h = |v: u32| {
            let p = net.nodes[v as usize];
            (p.x - target.x).hypot(p.y - target.y) * k
        };
        let s = from as usize;
        self.g[s] = 0.0;
        self.stamp[s] = self.epoch;
        self.heap.push(Open {
            f: h(from),
            g: 0.0,
            id: from,
        });
        let mut found = false;
        while let Some(Open { g: gu, id: u, .. }) = self.heap.pop() {
            if gu > self.g_of(u as usize) {
                continue;
            }
            if u == to {
                found = true;
                break;
            }
            for a in net.arcs_from(u) {
                let Some(c) = cost
                    .traverse_s(net, a.edge, a.forward)
                    .filter(|c| c.is_finite() && *c >= 0.0)
                else {
                    continue;
                };
                let gv = gu + c;
                let v = a.to as usize;
                if gv < self.g_of(v) {
                    self.g[v] = gv;
                    self.stamp[v] = self.epoch;
                    self.parent[v] = (u, a.edge, a.forward);
                    self.heap.push(Open {
                        f: gv + h(a.to),
                        g: gv,
                        id: a.to,
                    });
                }
            }
        }
        if !found {
            return None;
        }
        let mut nodes = vec![to];
        let mut edges = Vec::new();
        let mut length_m = 0.0;
        let mut v = to;
        while v != from {
            let (p, e, fwd) = self.parent[v as usize];
            edges.push((e, fwd));
            nodes.push(p);
            v = p;
        }
        nodes.reverse();
        edges.reverse();
        for &(e, _) in &edges {
            length_m += net.edges[e as usize].length_m;
        }
        Some(Route {
            nodes,
            edges,
            time_s: self.g[to as usize],
            length_m,
        })
    }
}

/// Fastest route from `from` to `to` (allocates a [`Router`]; reuse one for many queries).
pub fn shortest_path(net: &RoadNetwork, from: u32, to: u32, cost: &impl EdgeCost) -> Option<Route> {
    Router::new(net).route(net, from, to, cost)
}

/// Earliest arrival time (s) at every node from several `(node, start time s)` sources,
/// by Dijkstra; nodes not reachable by `max_s` get `f64::INFINITY`. Out-of-range source
/// ids are ignored.
pub fn travel_times(
    net: &RoadNetwork,
    sources: &[(u32, f64)],
    cost: &impl EdgeCost,
    max_s: f64,
) -> Vec<f64> {
    travel_times_labelled(net, sources, cost, max_s).0
}

/// Like [`travel_times`], and for every node the index (into `sources`) of the source
/// that reaches it first (`u32::MAX` if none; on equal times the lowest index), e.g. the
/// team that would arrive first at each node.
pub fn travel_times_labelled(
    net: &RoadNetwork,
    sources: &[(u32, f64)],
    cost: &impl EdgeCost,
    max_s: f64,
) -> (Vec<f64>, Vec<u32>) {
    let mut t = vec![f64::INFINITY; net.nodes.len()];
    let mut label = vec![u32::MAX; net.nodes.len()];
    let mut heap = BinaryHeap::new();
    for (k, &(s, t0)) in sources.iter().enumerate() {
        let k = k as u32;
        if let Some(ts) = t.get_mut(s as usize)
            && (t0 < *ts || (t0 == *ts && k < label[s as usize]))
            && t0 <= max_s
        {
            *ts = t0;
            label[s as usize] = k;
            heap.push(Open {
                f: t0,
                g: t0,
                id: s,
            });
        }
    }
    while let Some(Open { g: tu, id: u, .. }) = heap.pop() {
        if tu > t[u as usize] {
            continue;
        }
        let lu = label[u as usize];
        for a in net.arcs_from(u) {
            let Some(c) = cost
                .traverse_s(net, a.edge, a.forward)
                .filter(|c| c.is_finite() && *c >= 0.0)
            else {
                continue;
            };
            let tv = tu + c;
            let v = a.to as usize;
            if (tv < t[v] || (tv == t[v] && lu < label[v])) && tv <= max_s {
                t[v] = tv;
                label[v] = lu;
                heap.push(Open {
                    f: tv,
                    g: tv,
                    id: a.to,
                });
            }
        }
    }
    (t, label)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agents::roads::{RoadClass, RoadEdge, RoadNode};

    /// Three nodes 100 m apart on a line, residential (30 km/h).
    fn line() -> RoadNetwork {
        let nodes = (0..3)
            .map(|k| RoadNode {
                x: 100.0 * f64::from(k),
                y: 0.0,
            })
            .collect();
        let edges = (0..2)
            .map(|k| {
                let g = vec![[100.0 * f64::from(k), 0.0], [100.0 * f64::from(k + 1), 0.0]];
                RoadEdge::new(k, k + 1, g, RoadClass::Residential)
            })
            .collect();
        RoadNetwork::from_parts(nodes, edges).unwrap()
    }

    #[test]
    fn router_survives_epoch_wrap_and_resizes_for_another_network() {
        let net = line();
        let free = FreeFlow::new(&net);
        let mut router = Router::new(&RoadNetwork::default());
        // 200 m at 30 km/h = 24 s.
        let want = 200.0 / (30.0 / 3.6);
        assert!((router.route(&net, 0, 2, &free).unwrap().time_s - want).abs() < 1e-9);
        router.epoch = u32::MAX;
        for _ in 0..3 {
            let r = router.route(&net, 0, 2, &free).unwrap();
            assert_eq!(r.nodes, [0, 1, 2]);
            assert!((r.time_s - want).abs() < 1e-9);
        }
    }

    #[test]
    fn free_flow_pace_bound_is_the_fastest_edge() {
        let net = line();
        assert!((FreeFlow::new(&net).min_s_per_m() - 3.6 / 30.0).abs() < 1e-15);
        assert_eq!(FreeFlow::new(&RoadNetwork::default()).min_s_per_m(), 0.0);
    }
}
