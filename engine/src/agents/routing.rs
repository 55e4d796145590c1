//! TEMPORARY minimal routing (replaced by the routing branch).
use super::roads::RoadNetwork;

/// Edge cost.
pub trait EdgeCost {
    /// Seconds to traverse, None = impassable.
    fn traverse_s(&self, net: &RoadNetwork, edge: u32, forward: bool) -> Option<f64>;
    /// Min s/m.
    fn min_s_per_m(&self) -> f64;
}

/// Route.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Route {
    /// Nodes.
    pub nodes: Vec<u32>,
    /// Edges.
    pub edges: Vec<(u32, bool)>,
    /// Time.
    pub time_s: f64,
    /// Length.
    pub length_m: f64,
}

/// Router.
pub struct Router;

impl Router {
    /// New.
    pub fn new(_net: &RoadNetwork) -> Self {
        Router
    }
    /// Route.
    pub fn route(
        &mut self,
        net: &RoadNetwork,
        from: u32,
        to: u32,
        cost: &impl EdgeCost,
    ) -> Option<Route> {
        shortest_path(net, from, to, cost)
    }
}

/// Dijkstra.
pub fn shortest_path(net: &RoadNetwork, from: u32, to: u32, cost: &impl EdgeCost) -> Option<Route> {
    let n = net.nodes.len();
    let mut g = vec![f64::INFINITY; n];
    let mut par: Vec<Option<(u32, u32, bool)>> = vec![None; n];
    let mut done = vec![false; n];
    g[from as usize] = 0.0;
    loop {
        let mut best = None;
        for i in 0..n {
            if !done[i] && g[i].is_finite() && best.is_none_or(|b: usize| g[i] < g[b]) {
                best = Some(i);
            }
        }
        let u = best?;
        if u == to as usize {
            break;
        }
        done[u] = true;
        for &e in &net.adj[u] {
            let ed = &net.edges[e as usize];
            let fwd = ed.from as usize == u;
            if !fwd && ed.oneway {
                continue;
            }
            let v = if fwd { ed.to } else { ed.from } as usize;
            if let Some(c) = cost.traverse_s(net, e, fwd)
                && g[u] + c < g[v]
            {
                g[v] = g[u] + c;
                par[v] = Some((u as u32, e, fwd));
            }
        }
    }
    let mut r = Route {
        time_s: g[to as usize],
        ..Route::default()
    };
    let mut v = to;
    r.nodes.push(v);
    while let Some((u, e, f)) = par[v as usize] {
        r.edges.push((e, f));
        r.length_m += net.edges[e as usize].length_m;
        r.nodes.push(u);
        v = u;
    }
    r.nodes.reverse();
    r.edges.reverse();
    Some(r)
}

/// Travel times.
pub fn travel_times(
    net: &RoadNetwork,
    sources: &[(u32, f64)],
    cost: &impl EdgeCost,
    max_s: f64,
) -> Vec<f64> {
    let n = net.nodes.len();
    let mut g = vec![f64::INFINITY; n];
    let mut done = vec![false; n];
    for &(s, t) in sources {
        g[s as usize] = g[s as usize].min(t);
    }
    loop {
        let mut best = None;
        for i in 0..n {
            if !done[i] && g[i] <= max_s && best.is_none_or(|b: usize| g[i] < g[b]) {
                best = Some(i);
            }
        }
        let Some(u) = best else { break };
        done[u] = true;
        for &e in &net.adj[u] {
            let ed = &net.edges[e as usize];
            let fwd = ed.from as usize == u;
            if !fwd && ed.oneway {
                continue;
            }
            let v = if fwd { ed.to } else { ed.from } as usize;
            if let Some(c) = cost.traverse_s(net, e, fwd) {
                g[v] = g[v].min(g[u] + c);
            }
        }
    }
    g
}
