//! The road network: nodes, edges with class, speed, lanes and capacity, a CSR adjacency
//! for routing, a bucket index for nearest-node queries, GeoJSON import and procedural
//! Manhattan networks for synthetic maps.
//!
//! ## Model
//! A directed multigraph stored as undirected edges plus a CSR list of arcs: every edge
//! gives an arc `from → to`, and two-way edges also `to → from`. Free-flow speed and
//! per-lane capacity default by road class (below) and can be overridden per edge.
//!
//! ## Units
//! Coordinates in metres of the grid's metric CRS (same as [`GridSpec::origin`]); lengths
//! in m, speeds in m/s (km/h only in GeoJSON `speed_kmh`), capacities in vehicles/h per
//! direction of travel. `lanes` counts the lanes of one direction (all lanes if one-way).
//!
//! ## Assumptions
//! Nodes sit at line endpoints and at vertices shared by several lines (or visited twice by
//! one line), matched exactly after snapping to 0.01 m; crossings without a shared vertex
//! are bridges/underpasses (no junction). Passenger-car units are taken as vehicles.
//!
//! ## References
//! - Transportation Research Board (2010), *Highway Capacity Manual 2010*: basic freeway
//!   segment capacity 2,250–2,400 pc/h/ln (Exhibit 11-17); base saturation flow of a
//!   signalised approach 1,900 pc/h/ln (Chapter 18), times the effective green ratio g/C.
//! - 中华人民共和国住房和城乡建设部 (2012), CJJ 37-2012《城市道路工程设计规范》
//!   (Code for design of urban road engineering), Table 3.1.1 design speeds: expressway
//!   60–100 km/h, arterial 40–60, secondary arterial 30–50, branch road 20–40.
//! - OpenStreetMap wiki, `Key:highway` (class names and `oneway=yes|-1`).

use serde::{Deserialize, Serialize};

use super::offroad::straight_line_cells;
use crate::world::GridSpec;

mod geojson;

/// Functional class of a road, named as OSM `highway=*` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoadClass {
    Motorway,
    Primary,
    Secondary,
    Tertiary,
    Residential,
    Service,
    Track,
    Path,
}

impl RoadClass {
    /// All classes, fastest first.
    pub const ALL: [RoadClass; 8] = [
        Self::Motorway,
        Self::Primary,
        Self::Secondary,
        Self::Tertiary,
        Self::Residential,
        Self::Service,
        Self::Track,
        Self::Path,
    ];

    /// Typical free-flow speed (m/s): CJJ 37-2012 design speeds for urban roads (upper
    /// middle of each range: expressway 100, arterial 60, secondary 50, branch 40 km/h),
    /// 30 km/h residential, 20 km/h service, 15 km/h unpaved track, 5 km/h walking path.
    pub fn default_speed_m_s(self) -> f64 {
        let kmh = match self {
            Self::Motorway => 100.0,
            Self::Primary => 60.0,
            Self::Secondary => 50.0,
            Self::Tertiary => 40.0,
            Self::Residential => 30.0,
            Self::Service => 20.0,
            Self::Track => 15.0,
            Self::Path => 5.0,
        };
        kmh / 3.6
    }

    /// Capacity of one lane (vehicles/h): HCM 2010 basic freeway segment at ~100 km/h
    /// free-flow speed (2,300 pc/h/ln, Exh. 11-17); signalised urban roads 1,900 pc/h/ln
    /// saturation flow × assumed g/C of 0.5 / 0.45 / 0.4 (primary / secondary / tertiary)
    /// and 0.3 for stop-controlled residential and service streets; 300 on tracks
    /// (assumed); 0 on paths (no motor vehicles).
    pub fn lanes_capacity_veh_h(self) -> f64 {
        match self {
            Self::Motorway => 2300.0,
            Self::Primary => 950.0,
            Self::Secondary => 855.0,
            Self::Tertiary => 760.0,
            Self::Residential | Self::Service => 570.0,
            Self::Track => 300.0,
            Self::Path => 0.0,
        }
    }

    /// Default lanes per direction of travel.
    pub fn default_lanes(self) -> u8 {
        match self {
            Self::Motorway => 3,
            Self::Primary => 2,
            _ => 1,
        }
    }

    /// The class for an OSM `highway=*` value (`trunk` → primary, `*_link` → its road,
    /// `unclassified` → tertiary, `living_street` → residential, foot/cycle ways → path).
    pub fn from_osm(value: &str) -> Option<Self> {
        let v = value.trim().to_ascii_lowercase();
        let v = v.strip_suffix("_link").unwrap_or(&v);
        Some(match v {
            "motorway" => Self::Motorway,
            "trunk" | "primary" => Self::Primary,
            "secondary" => Self::Secondary,
            "tertiary" | "unclassified" | "road" => Self::Tertiary,
            "residential" | "living_street" => Self::Residential,
            "service" => Self::Service,
            "track" => Self::Track,
            "path" | "footway" | "cycleway" | "pedestrian" | "steps" | "bridleway" => Self::Path,
            _ => return None,
        })
    }
}

/// A junction or dead end.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoadNode {
    pub x: f64,
    pub y: f64,
}

/// A road segment between two nodes, with its polyline from `from` to `to`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoadEdge {
    pub from: u32,
    pub to: u32,
    /// Polyline length (m).
    pub length_m: f64,
    /// Free-flow speed (m/s).
    pub speed_m_s: f64,
    pub class: RoadClass,
    /// Lanes per direction of travel.
    pub lanes: u8,
    /// Capacity per direction (vehicles/h) = lanes × per-lane capacity.
    pub capacity_veh_h: f64,
    /// Travel only from `from` to `to`.
    pub oneway: bool,
    pub name: String,
    /// Vertices from `from` to `to`, both ends included.
    pub geometry: Vec<[f64; 2]>,
}

impl RoadEdge {
    /// An edge along `geometry` (≥ 2 vertices) with the class's default speed and lanes.
    pub fn new(from: u32, to: u32, geometry: Vec<[f64; 2]>, class: RoadClass) -> Self {
        let lanes = class.default_lanes();
        Self {
            from,
            to,
            length_m: polyline_length(&geometry),
            speed_m_s: class.default_speed_m_s(),
            class,
            lanes,
            capacity_veh_h: f64::from(lanes) * class.lanes_capacity_veh_h(),
            oneway: false,
            name: String::new(),
            geometry,
        }
    }
}

/// One direction of travel over an edge, as stored in the CSR adjacency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arc {
    pub edge: u32,
    /// Head node.
    pub to: u32,
    /// True when travelling `edge.from → edge.to`.
    pub forward: bool,
}

/// Grid cells each edge passes over, in CSR form: edge `e` covers
/// `cells[start[e]..start[e + 1]]` (flat row-major indices, path order, no repeats).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EdgeCells {
    pub start: Vec<u32>,
    pub cells: Vec<u32>,
}

impl EdgeCells {
    /// Number of edges.
    pub fn len(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// True when there are no edges.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Cells under edge `e`.
    pub fn of(&self, e: u32) -> &[u32] {
        let e = e as usize;
        &self.cells[self.start[e] as usize..self.start[e + 1] as usize]
    }
}

/// Uniform bucket grid over the nodes for nearest-node queries.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct NodeBuckets {
    x0: f64,
    y0: f64,
    size: f64,
    nx: usize,
    ny: usize,
    start: Vec<u32>,
    ids: Vec<u32>,
}

/// A road network with CSR adjacency and a nearest-node index. Build with
/// [`RoadNetwork::from_parts`], [`RoadNetwork::from_geojson`] or the generators; after
/// editing `nodes`/`edges` call [`RoadNetwork::rebuild_index`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RoadNetwork {
    pub nodes: Vec<RoadNode>,
    pub edges: Vec<RoadEdge>,
    arc_start: Vec<u32>,
    arcs: Vec<Arc>,
    buckets: NodeBuckets,
}

/// A road file that cannot be used: where, what was expected, what was found, and a hint.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("roads{}: expected {expected}, found {found}; hint: {hint}", location(.feature))]
pub struct RoadError {
    /// Index of the offending feature in the FeatureCollection, if any.
    pub feature: Option<usize>,
    pub expected: String,
    pub found: String,
    pub hint: String,
}

fn location(feature: &Option<usize>) -> String {
    feature.map_or_else(String::new, |i| format!(" feature {i}"))
}

impl RoadError {
    pub(crate) fn new(
        feature: Option<usize>,
        expected: &str,
        found: impl ToString,
        hint: &str,
    ) -> Self {
        Self {
            feature,
            expected: expected.to_owned(),
            found: found.to_string(),
            hint: hint.to_owned(),
        }
    }
}

pub(crate) fn polyline_length(g: &[[f64; 2]]) -> f64 {
    g.windows(2)
        .map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]))
        .sum()
}

impl RoadNetwork {
    /// A network from nodes and edges; checks node ids, lengths and speeds.
    pub fn from_parts(nodes: Vec<RoadNode>, edges: Vec<RoadEdge>) -> Result<Self, RoadError> {
        for (i, e) in edges.iter().enumerate() {
            if e.from as usize >= nodes.len() || e.to as usize >= nodes.len() {
                return Err(RoadError::new(
                    None,
                    &format!("node ids below {} in edge {i}", nodes.len()),
                    format!("{} → {}", e.from, e.to),
                    "edges must refer to existing nodes",
                ));
            }
            let ok = e.length_m.is_finite()
                && e.length_m >= 0.0
                && e.speed_m_s.is_finite()
                && e.speed_m_s > 0.0;
            if !ok {
                return Err(RoadError::new(
                    None,
                    &format!("a length ≥ 0 m and a speed > 0 m/s in edge {i}"),
                    format!("{} m, {} m/s", e.length_m, e.speed_m_s),
                    "fix the edge's length_m / speed_m_s",
                ));
            }
        }
        let mut net = Self {
            nodes,
            edges,
            ..Self::default()
        };
        net.rebuild_index();
        Ok(net)
    }

    /// Rebuilds the CSR adjacency and the nearest-node buckets from `nodes` and `edges`.
    pub fn rebuild_index(&mut self) {
        let n = self.nodes.len();
        let mut degree = vec![0u32; n + 1];
        for e in &self.edges {
            degree[e.from as usize] += 1;
            if !e.oneway {
                degree[e.to as usize] += 1;
            }
        }
        let mut start = vec![0u32; n + 1];
        for i in 0..n {
            start[i + 1] = start[i] + degree[i];
        }
        let mut fill = start.clone();
        let blank = Arc {
            edge: 0,
            to: 0,
            forward: true,
        };
        let mut arcs = vec![blank; start[n] as usize];
        for (i, e) in self.edges.iter().enumerate() {
            let mut put = |tail: u32, head: u32, forward: bool| {
                let k = &mut fill[tail as usize];
                arcs[*k as usize] = Arc {
                    edge: i as u32,
                    to: head,
                    forward,
                };
                *k += 1;
            };
            put(e.from, e.to, true);
            if !e.oneway {
                put(e.to, e.from, false);
            }
        }
        self.arc_start = start;
        self.arcs = arcs;
        self.buckets = NodeBuckets::build(&self.nodes);
    }

    /// Arcs leaving node `n` (edge order).
    #[inline]
    pub fn arcs_from(&self, n: u32) -> &[Arc] {
        let n = n as usize;
        &self.arcs[self.arc_start[n] as usize..self.arc_start[n + 1] as usize]
    }

    /// Highest edge speed (m/s), 0 for an empty network.
    pub fn max_speed_m_s(&self) -> f64 {
        self.edges.iter().map(|e| e.speed_m_s).fold(0.0, f64::max)
    }

    /// Node nearest to `(x, y)` (lowest id on ties); `None` for an empty network.
    pub fn nearest_node(&self, x: f64, y: f64) -> Option<u32> {
        self.buckets.nearest(&self.nodes, x, y)
    }

    /// Grid cells under every edge (exact cell traversal of each geometry segment, so
    /// every cell the line crosses is listed; parts outside the grid are dropped).
    pub fn edge_cells(&self, spec: &GridSpec) -> EdgeCells {
        let mut out = EdgeCells {
            start: Vec::with_capacity(self.edges.len() + 1),
            cells: Vec::new(),
        };
        out.start.push(0);
        let mut seen = std::collections::BTreeSet::new();
        for e in &self.edges {
            seen.clear();
            for w in e.geometry.windows(2) {
                for c in straight_line_cells(spec, (w[0][0], w[0][1]), (w[1][0], w[1][1])) {
                    if seen.insert(c) {
                        out.cells.push(c);
                    }
                }
            }
            out.start.push(out.cells.len() as u32);
        }
        out
    }

    /// Position `dist_m` along `edge` measured from `from_node` (either end; clamped to the
    /// edge's length).
    pub fn point_along(&self, edge: u32, from_node: u32, dist_m: f64) -> (f64, f64) {
        let e = &self.edges[edge as usize];
        let backward = from_node == e.to && from_node != e.from;
        let g = &e.geometry;
        let at = |i: usize| if backward { g[g.len() - 1 - i] } else { g[i] };
        let mut left = dist_m.max(0.0);
        for i in 0..g.len().saturating_sub(1) {
            let (a, b) = (at(i), at(i + 1));
            let len = (b[0] - a[0]).hypot(b[1] - a[1]);
            if left <= len && len > 0.0 {
                let t = left / len;
                return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]));
            }
            left -= len;
        }
        let last = at(g.len() - 1);
        (last[0], last[1])
    }

    /// A Manhattan network of `class` roads every `spacing_m` over the grid (lines offset
    /// by half a spacing from the edges), skipping segments whose midpoint is `blocked`
    /// (e.g. deep water); nodes left without roads are dropped.
    pub fn generate_grid(
        spec: &GridSpec,
        spacing_m: f64,
        class: RoadClass,
        blocked: impl Fn(f64, f64) -> bool,
    ) -> RoadNetwork {
        Self::generate_arterials(spec, spacing_m, 0, class, class, blocked)
    }

    /// Like [`RoadNetwork::generate_grid`], with every `arterial_every`-th line (counting
    /// from the first; 0 = none) of class `arterial` and the others of class `local`.
    pub fn generate_arterials(
        spec: &GridSpec,
        spacing_m: f64,
        arterial_every: usize,
        arterial: RoadClass,
        local: RoadClass,
        blocked: impl Fn(f64, f64) -> bool,
    ) -> RoadNetwork {
        if !(spacing_m.is_finite() && spacing_m > 0.0) {
            return RoadNetwork::default();
        }
        let line = |extent: f64| ((extent / spacing_m - 0.5).floor() + 1.0).max(0.0) as usize;
        let (nx, ny) = (line(spec.extent_x()), line(spec.extent_y()));
        let pos = |k: usize, o: f64| o + (k as f64 + 0.5) * spacing_m;
        let class_of = |k: usize| {
            if arterial_every > 0 && k.is_multiple_of(arterial_every) {
                arterial
            } else {
                local
            }
        };
        let mut id = vec![u32::MAX; nx * ny];
        let mut nodes = Vec::new();
        let mut edges = Vec::new();
        let mut node = |i: usize, j: usize, nodes: &mut Vec<RoadNode>| {
            if id[j * nx + i] == u32::MAX {
                id[j * nx + i] = nodes.len() as u32;
                nodes.push(RoadNode {
                    x: pos(i, spec.origin[0]),
                    y: pos(j, spec.origin[1]),
                });
            }
            id[j * nx + i]
        };
        for j in 0..ny {
            for i in 0..nx {
                let (x, y) = (pos(i, spec.origin[0]), pos(j, spec.origin[1]));
                // East along row line j, then north along column line i.
                for (di, dj, class) in [(1, 0, class_of(j)), (0, 1, class_of(i))] {
                    let (i2, j2) = (i + di, j + dj);
                    if i2 >= nx || j2 >= ny {
                        continue;
                    }
                    let (x2, y2) = (pos(i2, spec.origin[0]), pos(j2, spec.origin[1]));
                    if blocked(0.5 * (x + x2), 0.5 * (y + y2)) {
                        continue;
                    }
                    let a = node(i, j, &mut nodes);
                    let b = node(i2, j2, &mut nodes);
                    edges.push(RoadEdge::new(a, b, vec![[x, y], [x2, y2]], class));
                }
            }
        }
        let mut net = RoadNetwork {
            nodes,
            edges,
            ..RoadNetwork::default()
        };
        net.rebuild_index();
        net
    }
}

impl NodeBuckets {
    fn build(nodes: &[RoadNode]) -> Self {
        if nodes.is_empty() {
            return Self::default();
        }
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for n in nodes {
            (x0, y0, x1, y1) = (x0.min(n.x), y0.min(n.y), x1.max(n.x), y1.max(n.y));
        }
        // About two nodes per bucket, at most 1024 buckets a side.
        let area = ((x1 - x0) * (y1 - y0)).max(1.0);
        let size = (2.0 * area / nodes.len() as f64)
            .sqrt()
            .max((x1 - x0).max(y1 - y0) / 1024.0)
            .max(1e-3);
        let nx = ((x1 - x0) / size) as usize + 1;
        let ny = ((y1 - y0) / size) as usize + 1;
        let mut b = Self {
            x0,
            y0,
            size,
            nx,
            ny,
            start: vec![0; nx * ny + 1],
            ids: vec![0; nodes.len()],
        };
        for n in nodes {
            let k = b.bucket(n.x, n.y);
            b.start[k + 1] += 1;
        }
        for i in 0..nx * ny {
            b.start[i + 1] += b.start[i];
        }
        let mut fill = b.start.clone();
        for (i, n) in nodes.iter().enumerate() {
            let k = b.bucket(n.x, n.y);
            b.ids[fill[k] as usize] = i as u32;
            fill[k] += 1;
        }
        b
    }

    fn cell(&self, x: f64, y: f64) -> (usize, usize) {
        let c = |v: f64, n: usize| ((v / self.size).floor().max(0.0) as usize).min(n - 1);
        (c(x - self.x0, self.nx), c(y - self.y0, self.ny))
    }

    fn bucket(&self, x: f64, y: f64) -> usize {
        let (i, j) = self.cell(x, y);
        j * self.nx + i
    }

    fn nearest(&self, nodes: &[RoadNode], x: f64, y: f64) -> Option<u32> {
        if nodes.is_empty() || !(x.is_finite() && y.is_finite()) {
            return None;
        }
        let (ci, cj) = self.cell(x, y);
        let mut best: Option<(f64, u32)> = None;
        for r in 0..=self.nx.max(self.ny) {
            // Nodes in ring r or beyond are at least (r − 1)·size away.
            if let Some((d, _)) = best
                && d.sqrt() < (r as f64 - 1.0) * self.size
            {
                break;
            }
            let (i0, i1) = (ci.saturating_sub(r), (ci + r).min(self.nx - 1));
            let (j0, j1) = (cj.saturating_sub(r), (cj + r).min(self.ny - 1));
            for j in j0..=j1 {
                for i in i0..=i1 {
                    if i.abs_diff(ci).max(j.abs_diff(cj)) != r {
                        continue;
                    }
                    let k = j * self.nx + i;
                    for &id in &self.ids[self.start[k] as usize..self.start[k + 1] as usize] {
                        let n = nodes[id as usize];
                        let d = (n.x - x).powi(2) + (n.y - y).powi(2);
                        if best.is_none_or(|(bd, bid)| d < bd || (d == bd && id < bid)) {
                            best = Some((d, id));
                        }
                    }
                }
            }
        }
        best.map(|b| b.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_names_follow_osm() {
        let c: RoadClass = serde_json::from_str("\"residential\"").unwrap();
        assert_eq!(c, RoadClass::Residential);
        assert!(serde_json::from_str::<RoadClass>("\"Residential\"").is_err());
        assert_eq!(RoadClass::from_osm("trunk_link"), Some(RoadClass::Primary));
        assert_eq!(RoadClass::from_osm("footway"), Some(RoadClass::Path));
        assert_eq!(RoadClass::from_osm("runway"), None);
        // 60 km/h = 16.667 m/s (exact unit conversion).
        assert!((RoadClass::Primary.default_speed_m_s() - 60.0 / 3.6).abs() < 1e-12);
    }

    #[test]
    fn nearest_node_matches_brute_force_with_lowest_id_on_ties() {
        // Scattered nodes (a fixed quadratic-residue pattern) plus a duplicate of node 3.
        let mut nodes: Vec<RoadNode> = (0..200u32)
            .map(|k| RoadNode {
                x: f64::from((k * k * 37) % 1009),
                y: f64::from((k * 91 + 13) % 997),
            })
            .collect();
        nodes.push(nodes[3]);
        let net = RoadNetwork::from_parts(nodes.clone(), Vec::new()).unwrap();
        for q in 0..400u32 {
            let (x, y) = (
                f64::from(q * 7 % 1500) - 250.0,
                f64::from(q * 13 % 1400) - 200.0,
            );
            let brute = (0..nodes.len() as u32)
                .min_by(|&a, &b| {
                    let d = |n: u32| {
                        let p = nodes[n as usize];
                        (p.x - x).powi(2) + (p.y - y).powi(2)
                    };
                    d(a).total_cmp(&d(b)).then(a.cmp(&b))
                })
                .unwrap();
            assert_eq!(net.nearest_node(x, y), Some(brute), "query ({x}, {y})");
        }
        assert_eq!(net.nearest_node(nodes[3].x, nodes[3].y), Some(3));
        assert_eq!(RoadNetwork::default().nearest_node(0.0, 0.0), None);
    }

    #[test]
    fn point_along_walks_the_geometry_from_either_end() {
        let nodes = vec![RoadNode { x: 0.0, y: 0.0 }, RoadNode { x: 30.0, y: 40.0 }];
        let geometry = vec![[0.0, 0.0], [0.0, 40.0], [30.0, 40.0]];
        let e = RoadEdge::new(0, 1, geometry, RoadClass::Service);
        assert_eq!(e.length_m, 70.0);
        let net = RoadNetwork::from_parts(nodes, vec![e]).unwrap();
        assert_eq!(net.point_along(0, 0, 50.0), (10.0, 40.0));
        assert_eq!(net.point_along(0, 1, 50.0), (0.0, 20.0));
        assert_eq!(net.point_along(0, 0, 99.0), (30.0, 40.0));
        assert_eq!(net.point_along(0, 1, -5.0), (30.0, 40.0));
    }

    #[test]
    fn from_parts_rejects_bad_edges() {
        let nodes = vec![RoadNode { x: 0.0, y: 0.0 }];
        let e = RoadEdge::new(0, 1, vec![[0.0, 0.0], [1.0, 0.0]], RoadClass::Track);
        assert!(RoadNetwork::from_parts(nodes.clone(), vec![e]).is_err());
        let mut e = RoadEdge::new(0, 0, vec![[0.0, 0.0], [1.0, 0.0]], RoadClass::Track);
        e.speed_m_s = 0.0;
        assert!(RoadNetwork::from_parts(nodes, vec![e]).is_err());
    }
}
