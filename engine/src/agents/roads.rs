//! TEMPORARY minimal road network (replaced by the routing branch).
use crate::world::GridSpec;
use serde::{Deserialize, Serialize};

/// Road class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoadClass {
    /// Motorway.
    Motorway,
    /// Primary.
    Primary,
    /// Secondary.
    Secondary,
    /// Tertiary.
    Tertiary,
    /// Residential.
    Residential,
    /// Service.
    Service,
    /// Track.
    Track,
    /// Path.
    Path,
}

impl RoadClass {
    /// Default speed.
    pub fn default_speed_m_s(self) -> f64 {
        13.9
    }
    /// Capacity per lane.
    pub fn lanes_capacity_veh_h(self) -> f64 {
        1800.0
    }
}

/// Node.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RoadNode {
    /// x.
    pub x: f64,
    /// y.
    pub y: f64,
}

/// Edge.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RoadEdge {
    /// From.
    pub from: u32,
    /// To.
    pub to: u32,
    /// Length.
    pub length_m: f64,
    /// Speed.
    pub speed_m_s: f64,
    /// Class.
    pub class: RoadClass,
    /// Lanes.
    pub lanes: u8,
    /// Capacity.
    pub capacity_veh_h: f64,
    /// One way.
    pub oneway: bool,
    /// Name.
    pub name: String,
    /// Geometry.
    pub geometry: Vec<[f64; 2]>,
}

/// Error.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct RoadError(pub String);

/// Network.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RoadNetwork {
    /// Nodes.
    pub nodes: Vec<RoadNode>,
    /// Edges.
    pub edges: Vec<RoadEdge>,
    /// adjacency
    pub adj: Vec<Vec<u32>>,
}

/// Cells per edge.
#[derive(Clone, Debug, Default)]
pub struct EdgeCells {
    /// Offsets.
    pub offsets: Vec<u32>,
    /// Cells.
    pub cells: Vec<u32>,
}

impl EdgeCells {
    /// Cells of edge e.
    pub fn of(&self, e: u32) -> &[u32] {
        &self.cells[self.offsets[e as usize] as usize..self.offsets[e as usize + 1] as usize]
    }
}

impl RoadNetwork {
    /// From GeoJSON.
    pub fn from_geojson(_text: &str, _spec: &GridSpec) -> Result<Self, RoadError> {
        Err(RoadError("not yet".into()))
    }
    /// Generated.
    pub fn generate_grid(
        spec: &GridSpec,
        spacing_m: f64,
        class: RoadClass,
        blocked: impl Fn(f64, f64) -> bool,
    ) -> Self {
        let nx = (spec.extent_x() / spacing_m).floor() as usize;
        let ny = (spec.extent_y() / spacing_m).floor() as usize;
        let mut net = RoadNetwork::default();
        for j in 0..ny {
            for i in 0..nx {
                net.nodes.push(RoadNode {
                    x: spec.origin[0] + (i as f64 + 0.5) * spacing_m,
                    y: spec.origin[1] + (j as f64 + 0.5) * spacing_m,
                });
            }
        }
        net.adj = vec![Vec::new(); net.nodes.len()];
        let add = |net: &mut RoadNetwork, a: usize, b: usize| {
            let (pa, pb) = (net.nodes[a].clone(), net.nodes[b].clone());
            if blocked(0.5 * (pa.x + pb.x), 0.5 * (pa.y + pb.y)) {
                return;
            }
            let e = net.edges.len() as u32;
            net.edges.push(RoadEdge {
                from: a as u32,
                to: b as u32,
                length_m: spacing_m,
                speed_m_s: class.default_speed_m_s(),
                class,
                lanes: 1,
                capacity_veh_h: 1800.0,
                oneway: false,
                name: String::new(),
                geometry: vec![[pa.x, pa.y], [pb.x, pb.y]],
            });
            net.adj[a].push(e);
            net.adj[b].push(e);
        };
        for j in 0..ny {
            for i in 0..nx {
                let a = j * nx + i;
                if i + 1 < nx {
                    add(&mut net, a, a + 1);
                }
                if j + 1 < ny {
                    add(&mut net, a, a + nx);
                }
            }
        }
        net
    }
    /// Nearest node.
    pub fn nearest_node(&self, x: f64, y: f64) -> Option<u32> {
        let mut best: Option<(f64, u32)> = None;
        for (i, n) in self.nodes.iter().enumerate() {
            let d = (n.x - x).hypot(n.y - y);
            if best.is_none_or(|(b, _)| d < b) {
                best = Some((d, i as u32));
            }
        }
        best.map(|b| b.1)
    }
    /// Cells.
    pub fn edge_cells(&self, spec: &GridSpec) -> EdgeCells {
        let mut ec = EdgeCells {
            offsets: vec![0],
            cells: Vec::new(),
        };
        for e in &self.edges {
            let [a, b] = [e.geometry[0], e.geometry[e.geometry.len() - 1]];
            let n = (e.length_m / (spec.cell_size * 0.5)).ceil() as usize + 1;
            let mut last = u32::MAX;
            for k in 0..=n {
                let f = k as f64 / n as f64;
                if let Some((c, r)) =
                    spec.cell_at(a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]))
                {
                    let i = spec.index(c, r) as u32;
                    if i != last {
                        ec.cells.push(i);
                        last = i;
                    }
                }
            }
            ec.offsets.push(ec.cells.len() as u32);
        }
        ec
    }
    /// Point along.
    pub fn point_along(&self, edge: u32, from_node: u32, dist_m: f64) -> (f64, f64) {
        let e = &self.edges[edge as usize];
        let (a, b) = if e.from == from_node {
            (e.geometry[0], e.geometry[e.geometry.len() - 1])
        } else {
            (e.geometry[e.geometry.len() - 1], e.geometry[0])
        };
        let f = (dist_m / e.length_m).clamp(0.0, 1.0);
        (a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]))
    }
}
