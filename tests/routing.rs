//! Routing on roads and off road: known shortest routes on hand-built networks (a flooded
//! road forces the longer dry route), one-way streets, travel times by hand, GeoJSON
//! import and its error messages, off-road paths around walls, and A* = Dijkstra on
//! random networks.
//!
//! All reference numbers are computed by hand in the comments (sums of length / speed,
//! octile lengths); times are compared to 1e-9 relative, the rounding of a few additions.

use drillsim_engine::agents::offroad::{grid_path, straight_line_cells};
use drillsim_engine::agents::roads::{RoadClass, RoadEdge, RoadNetwork, RoadNode};
use drillsim_engine::agents::routing::{
    EdgeCost, FreeFlow, Router, WithClosures, shortest_path, travel_times, travel_times_labelled,
};
use drillsim_engine::world::GridSpec;
use proptest::prelude::*;

const SQRT2: f64 = std::f64::consts::SQRT_2;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// A straight edge between two nodes at `speed` m/s.
fn edge(nodes: &[RoadNode], a: u32, b: u32, speed: f64, oneway: bool) -> RoadEdge {
    let (p, q) = (nodes[a as usize], nodes[b as usize]);
    let mut e = RoadEdge::new(a, b, vec![[p.x, p.y], [q.x, q.y]], RoadClass::Secondary);
    e.speed_m_s = speed;
    e.oneway = oneway;
    e
}

/// A(0,0) —1000 m— B(1000,0) —1000 m (one-way B→C)— C(2000,0), D(1000,1000) joined to A
/// and C by 1414.2 m diagonals and to B by 1000 m; E(5000,5000) isolated. All 10 m/s.
fn diamond() -> RoadNetwork {
    let nodes = vec![
        RoadNode { x: 0.0, y: 0.0 },
        RoadNode { x: 1000.0, y: 0.0 },
        RoadNode { x: 2000.0, y: 0.0 },
        RoadNode {
            x: 1000.0,
            y: 1000.0,
        },
        RoadNode {
            x: 5000.0,
            y: 5000.0,
        },
    ];
    let edges = vec![
        edge(&nodes, 0, 1, 10.0, false), // e0 A-B 100 s
        edge(&nodes, 1, 2, 10.0, true),  // e1 B→C 100 s
        edge(&nodes, 0, 3, 10.0, false), // e2 A-D 141.42 s
        edge(&nodes, 3, 2, 10.0, false), // e3 D-C 141.42 s
        edge(&nodes, 1, 3, 10.0, false), // e4 B-D 100 s
    ];
    RoadNetwork::from_parts(nodes, edges).unwrap()
}

/// Vehicles stop where the water on the road is deeper than `limit_m`.
struct FloodCost {
    depth_m: Vec<f64>,
    limit_m: f64,
    free: FreeFlow,
}

impl EdgeCost for FloodCost {
    fn traverse_s(&self, net: &RoadNetwork, edge: u32, forward: bool) -> Option<f64> {
        if self.depth_m[edge as usize] > self.limit_m {
            return None;
        }
        self.free.traverse_s(net, edge, forward)
    }
    fn min_s_per_m(&self) -> f64 {
        self.free.min_s_per_m()
    }
}

#[test]
fn dry_network_takes_the_direct_road() {
    let net = diamond();
    let r = shortest_path(&net, 0, 2, &FreeFlow::new(&net)).unwrap();
    // A→B→C: 1000/10 + 1000/10 = 200 s, 2000 m.
    assert_eq!(r.nodes, vec![0, 1, 2]);
    assert_eq!(r.edges, vec![(0, true), (1, true)]);
    assert!(close(r.time_s, 200.0) && close(r.length_m, 2000.0));
}

#[test]
fn flooded_road_forces_the_longer_dry_route() {
    let net = diamond();
    let mut depth_m = vec![0.0; net.edges.len()];
    depth_m[1] = 0.6; // B–C under 0.6 m of water; the vehicle's limit is 0.3 m.
    let cost = FloodCost {
        depth_m,
        limit_m: 0.3,
        free: FreeFlow::new(&net),
    };
    let r = shortest_path(&net, 0, 2, &cost).unwrap();
    // A→D→C: 2 × 1414.2136 m / 10 m/s = 282.843 s (A→B→D→C would be 341.42 s).
    assert_eq!(r.nodes, vec![0, 3, 2]);
    assert_eq!(r.edges, vec![(2, true), (3, true)]);
    assert!(close(r.time_s, 2.0 * 1000.0 * SQRT2 / 10.0), "{}", r.time_s);
    assert!(close(r.length_m, 2000.0 * SQRT2));
    // The same with the road closed by an inject.
    let free = FreeFlow::new(&net);
    let closed = [false, true, false, false, false];
    let r2 = shortest_path(
        &net,
        0,
        2,
        &WithClosures {
            inner: &free,
            closed: &closed,
        },
    );
    assert_eq!(r2.unwrap().nodes, vec![0, 3, 2]);
}

#[test]
fn one_way_street_is_only_driven_forward() {
    let net = diamond();
    let r = shortest_path(&net, 2, 0, &FreeFlow::new(&net)).unwrap();
    // C→B is against the one-way: C→D→A = 282.843 s.
    assert_eq!(r.nodes, vec![2, 3, 0]);
    assert_eq!(r.edges, vec![(3, false), (2, false)]);
    assert!(close(r.time_s, 2.0 * 1000.0 * SQRT2 / 10.0));
}

#[test]
fn unreachable_and_invalid_nodes_give_none() {
    let net = diamond();
    let free = FreeFlow::new(&net);
    assert!(shortest_path(&net, 0, 4, &free).is_none());
    assert!(shortest_path(&net, 0, 99, &free).is_none());
    let r = shortest_path(&net, 3, 3, &free).unwrap();
    assert_eq!((r.nodes, r.time_s), (vec![3], 0.0));
}

#[test]
fn router_reuse_gives_the_same_routes() {
    let net = diamond();
    let free = FreeFlow::new(&net);
    let mut router = Router::new(&net);
    for _ in 0..3 {
        for (a, b) in [(0, 2), (2, 0), (1, 0), (0, 4), (3, 1)] {
            assert_eq!(
                router.route(&net, a, b, &free),
                shortest_path(&net, a, b, &free)
            );
        }
    }
}

#[test]
fn travel_times_match_dijkstra_by_hand() {
    let net = diamond();
    let free = FreeFlow::new(&net);
    // Sources A at 0 s and C at 50 s. B: A→B 100 s (from C: C→D→B 50+141.42+100).
    // C: 50 s (A→B→C would be 200). D: A→D 141.42 s (C→D 191.42). E unreachable.
    let t = travel_times(&net, &[(0, 0.0), (2, 50.0)], &free, f64::INFINITY);
    let want = [0.0, 100.0, 50.0, 100.0 * SQRT2, f64::INFINITY];
    for (got, want) in t.iter().zip(want) {
        assert!(got == &want || close(*got, want), "{t:?}");
    }
    // First arrivals: A, B and D from source 0 (A), C from source 1, E from none.
    let (_, who) = travel_times_labelled(&net, &[(0, 0.0), (2, 50.0)], &free, f64::INFINITY);
    assert_eq!(who, [0, 0, 1, 0, u32::MAX]);
    // Equal times: the lower source index wins (B is 100 s from A and from a source at B
    // starting at 100 s).
    let (_, who) = travel_times_labelled(&net, &[(1, 100.0), (0, 0.0)], &free, 1e9);
    assert_eq!(who[1], 0);
    // With a 120 s horizon D (141.42 s) is out of reach.
    let t = travel_times(&net, &[(0, 0.0), (2, 50.0)], &free, 120.0);
    assert_eq!(t[3], f64::INFINITY);
    assert_eq!(t[1], 100.0);
}

fn spec(w: usize, h: usize, cell: f64, origin: [f64; 2]) -> GridSpec {
    GridSpec {
        width: w,
        height: h,
        cell_size: cell,
        origin,
    }
}

#[test]
fn generated_grid_routes_along_the_manhattan_distance() {
    let g = spec(100, 100, 30.0, [0.0, 0.0]);
    let net = RoadNetwork::generate_grid(&g, 300.0, RoadClass::Residential, |_, _| false);
    // Lines at 150, 450, …, 2850 m: 10 × 10 nodes, 2 × 10 × 9 edges.
    assert_eq!((net.nodes.len(), net.edges.len()), (100, 180));
    let a = net.nearest_node(150.0, 150.0).unwrap();
    let b = net.nearest_node(2850.0, 2850.0).unwrap();
    let r = shortest_path(&net, a, b, &FreeFlow::new(&net)).unwrap();
    // 18 blocks of 300 m at 30 km/h: 5400 m / (30/3.6) m/s = 648 s.
    assert!(close(r.length_m, 5400.0) && close(r.time_s, 648.0));
    // Each 300 m edge along a cell boundary covers exactly 10 cells of 30 m.
    let cells = net.edge_cells(&g);
    for e in 0..net.edges.len() as u32 {
        assert_eq!(cells.of(e).len(), 10);
    }
    // Water on the band x ∈ (1000, 1400) m: no road crosses it east–west.
    let wet = RoadNetwork::generate_grid(&g, 300.0, RoadClass::Residential, |x, _| {
        x > 1000.0 && x < 1400.0
    });
    let a = wet.nearest_node(150.0, 150.0).unwrap();
    let b = wet.nearest_node(2850.0, 150.0).unwrap();
    assert!(shortest_path(&wet, a, b, &FreeFlow::new(&wet)).is_none());
}

const ORIGIN: [f64; 2] = [440_000.0, 4_420_000.0];

fn fc(features: &str) -> String {
    format!(r#"{{"type": "FeatureCollection", "features": [{features}]}}"#)
}

fn line(coords: &[(f64, f64)], props: &str) -> String {
    let c: Vec<String> = coords
        .iter()
        .map(|(x, y)| format!("[{}, {}]", ORIGIN[0] + x, ORIGIN[1] + y))
        .collect();
    format!(
        r#"{{"type": "Feature", "properties": {{{props}}}, "geometry": {{"type": "LineString", "coordinates": [{}]}}}}"#,
        c.join(", ")
    )
}

#[test]
fn geojson_shared_vertices_become_junctions_and_names_round_trip() {
    let g = spec(100, 100, 20.0, ORIGIN);
    let text = fc(&[
        line(
            &[(100.0, 1000.0), (600.0, 1000.0), (1100.0, 1000.0)],
            r#""name": "长安街", "class": "primary", "speed_kmh": 54, "lanes": 3"#,
        ),
        line(
            &[(600.0, 500.0), (600.0, 1000.0), (600.0, 1500.0)],
            r#""highway": "residential_link", "oneway": "-1", "extra": 1"#,
        ),
        // Crosses the first line at (850, 1000) without a shared vertex: a bridge.
        line(&[(850.0, 500.0), (850.0, 1500.0)], r#""highway": "track""#),
    ]
    .join(", "));
    let net = RoadNetwork::from_geojson(&text, &g).unwrap();
    // Line 1 and 2 split at their shared vertex: 2 + 2 edges; the bridge is 1 edge.
    assert_eq!((net.nodes.len(), net.edges.len()), (7, 5));
    let e0 = &net.edges[0];
    assert_eq!(e0.name, "长安街");
    assert_eq!((e0.class, e0.lanes), (RoadClass::Primary, 3));
    assert!(close(e0.speed_m_s, 15.0) && close(e0.length_m, 500.0));
    assert!(close(e0.capacity_veh_h, 3.0 * 950.0));
    assert_eq!(net.edges[0].to, net.edges[1].from);
    // oneway -1: drawn south→north, driven north→south.
    let e2 = &net.edges[2];
    assert!(e2.oneway && e2.geometry[0][1] > e2.geometry[1][1]);
    assert_eq!(e2.class, RoadClass::Residential);
    let junction = net.edges[0].to;
    assert!(net.edges[2].from == junction && net.edges[3].to == junction);
    // Serde round trip keeps the Chinese name and everything else.
    let back: RoadNetwork = serde_json::from_str(&serde_json::to_string(&net).unwrap()).unwrap();
    assert_eq!(back, net);
    // West end → south end: 500 m east on the primary, then south down the one-way
    // street; the way back is against the one-way, so there is none.
    let west = net
        .nearest_node(ORIGIN[0] + 100.0, ORIGIN[1] + 1000.0)
        .unwrap();
    let south = net
        .nearest_node(ORIGIN[0] + 600.0, ORIGIN[1] + 500.0)
        .unwrap();
    let free = FreeFlow::new(&net);
    let r = shortest_path(&net, west, south, &free).unwrap();
    // 500 m at 15 m/s + 500 m at 30 km/h = 33.333 + 60 = 93.333 s.
    assert!(close(r.time_s, 500.0 / 15.0 + 500.0 / (30.0 / 3.6)));
    assert!(shortest_path(&net, south, west, &free).is_none());
}

fn err(text: &str) -> String {
    let g = spec(100, 100, 20.0, ORIGIN);
    RoadNetwork::from_geojson(text, &g).unwrap_err().to_string()
}

#[test]
fn bad_geojson_gives_clear_errors() {
    let ok = line(&[(0.0, 0.0), (100.0, 0.0)], "");
    insta::assert_snapshot!("not_json", err("roads.shp"));
    insta::assert_snapshot!(
        "not_a_feature_collection",
        err(r#"{"type": "Feature", "geometry": null}"#)
    );
    let point = r#"{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [440000, 4420000]}}"#;
    insta::assert_snapshot!("point_feature", err(&fc(&format!("{ok}, {point}"))));
    let lonlat = r#"{"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[116.39, 39.91], [116.40, 39.91]]}}"#;
    insta::assert_snapshot!("lon_lat_coordinates", err(&fc(lonlat)));
    let neg = line(&[(0.0, 0.0), (100.0, 0.0)], r#""speed_kmh": -30"#);
    insta::assert_snapshot!("negative_speed", err(&fc(&format!("{ok}, {neg}"))));
    let class = line(&[(0.0, 0.0), (100.0, 0.0)], r#""class": "motorwya""#);
    insta::assert_snapshot!("unknown_class", err(&fc(&class)));
    insta::assert_snapshot!("empty_collection", err(&fc("")));
}

#[test]
fn grid_path_around_a_wall_equals_the_octile_length() {
    // 11 × 10 cells of 10 m, pace 0.5 s/m; wall in column 5, rows 0–4.
    let g = spec(11, 10, 10.0, [0.0, 0.0]);
    let pace = |i: usize| (!(i % 11 == 5 && i / 11 <= 4)).then_some(0.5);
    let r = grid_path(&g, pace, (1, 0), (9, 0), 6).unwrap();
    // By hand: (1,0)→(4,5) is 3 diagonal + 2 straight steps, then (5,5) and (6,5) straight
    // (diagonals past the wall's end would cut its corner), then (6,5)→(9,0) 3 diagonal +
    // 2 straight: 6 + 6√2 cells = 144.85 m, at 0.5 s/m = 72.43 s.
    let want = (6.0 + 6.0 * SQRT2) * 10.0 * 0.5;
    assert!(close(r.time_s, want), "{} vs {want}", r.time_s);
    assert_eq!(r.cells.first(), Some(&1));
    assert_eq!(r.cells.last(), Some(&9));
    assert!(r.cells.contains(&(5 * 11 + 5)));
    // A window too narrow to pass the wall's end finds nothing.
    assert!(grid_path(&g, pace, (1, 0), (9, 0), 4).is_none());
    // Impassable end cell.
    assert!(grid_path(&g, pace, (1, 0), (5, 0), 6).is_none());
}

#[test]
fn grid_path_in_open_terrain_is_octile_with_mean_pace() {
    // Uniform pace 2 s/m, 10 m cells, (0,0) → (3,5): 3 diagonal + 2 straight steps.
    let g = spec(8, 8, 10.0, [0.0, 0.0]);
    let r = grid_path(&g, |_| Some(2.0), (0, 0), (3, 5), 2).unwrap();
    assert!(close(r.time_s, (3.0 * SQRT2 + 2.0) * 10.0 * 2.0));
    assert_eq!(r.cells.len(), 6);
    // Two cells, paces 1 and 3 s/m: one 10 m step at the mean pace 2 s/m = 20 s.
    let r = grid_path(
        &g,
        |i| Some(if i == 1 { 3.0 } else { 1.0 }),
        (0, 0),
        (1, 0),
        0,
    );
    assert!(close(r.unwrap().time_s, 20.0));
}

#[test]
fn straight_line_cells_follow_the_walk() {
    let g = spec(4, 3, 10.0, [0.0, 0.0]);
    // West → east along the middle row (row 1, y = 15 m): cells 4, 5, 6, 7.
    assert_eq!(
        straight_line_cells(&g, (-5.0, 15.0), (45.0, 15.0)),
        [4, 5, 6, 7]
    );
    // South-west corner to (30, 30) through cell corners: x steps first on ties.
    assert_eq!(
        straight_line_cells(&g, (0.0, 0.0), (30.0, 30.0)),
        [8, 9, 5, 6, 2]
    );
    // Entirely outside.
    assert!(straight_line_cells(&g, (-10.0, -10.0), (-5.0, 50.0)).is_empty());
}

/// Random jittered lattice networks with random speeds, one-way and closed edges.
fn random_net() -> impl Strategy<Value = (RoadNetwork, Vec<bool>, u32, u32)> {
    (2usize..7, 2usize..7).prop_flat_map(|(w, h)| {
        let n = w * h;
        (
            prop::collection::vec((-40.0f64..40.0, -40.0f64..40.0), n),
            prop::collection::vec((1.0f64..30.0, 0u8..4, 0u8..5), 3 * n),
            0..n as u32,
            0..n as u32,
        )
            .prop_map(move |(jit, attrs, a, b)| {
                let nodes: Vec<RoadNode> = (0..n)
                    .map(|k| RoadNode {
                        x: (k % w) as f64 * 100.0 + jit[k].0,
                        y: (k / w) as f64 * 100.0 + jit[k].1,
                    })
                    .collect();
                let mut edges = Vec::new();
                let mut closed = Vec::new();
                for k in 0..n {
                    let (i, j) = (k % w, k / w);
                    let nbrs = [
                        (i + 1 < w, k + 1),
                        (j + 1 < h, k + w),
                        (i + 1 < w && j + 1 < h, k + w + 1),
                    ];
                    for (m, (ok, to)) in nbrs.into_iter().enumerate() {
                        let (speed, dir, shut) = attrs[3 * k + m];
                        if !ok || dir == 3 && m == 2 {
                            continue;
                        }
                        let (a, b) = if dir == 2 { (to, k) } else { (k, to) };
                        edges.push(edge(&nodes, a as u32, b as u32, speed, dir >= 1));
                        closed.push(shut == 0);
                    }
                }
                (RoadNetwork::from_parts(nodes, edges).unwrap(), closed, a, b)
            })
    })
}

proptest! {
    #[test]
    fn a_star_equals_dijkstra((net, closed, a, b) in random_net()) {
        let free = FreeFlow::new(&net);
        let cost = WithClosures { inner: &free, closed: &closed };
        let t = travel_times(&net, &[(a, 0.0)], &cost, f64::INFINITY);
        match shortest_path(&net, a, b, &cost) {
            None => prop_assert_eq!(t[b as usize], f64::INFINITY),
            Some(r) => {
                prop_assert!(close(r.time_s, t[b as usize]), "{} vs {}", r.time_s, t[b as usize]);
                // The route's time is the sum of its edges' times, and it is connected.
                let sum: f64 = r.edges.iter().map(|&(e, f)| cost.traverse_s(&net, e, f).unwrap()).sum();
                prop_assert!(close(sum, r.time_s));
                for (k, &(e, f)) in r.edges.iter().enumerate() {
                    let ed = &net.edges[e as usize];
                    let (u, v) = if f { (ed.from, ed.to) } else { (ed.to, ed.from) };
                    prop_assert_eq!((u, v), (r.nodes[k], r.nodes[k + 1]));
                    prop_assert!(f || !ed.oneway);
                }
            }
        }
    }
}

#[test]
fn geojson_multilinestrings_and_roads_partly_off_the_grid_are_kept() {
    let g = spec(100, 100, 20.0, ORIGIN);
    let (x, y) = (ORIGIN[0], ORIGIN[1]);
    let multi = format!(
        r#"{{"type": "Feature", "properties": {{"class": "service", "oneway": true}}, "geometry": {{"type": "MultiLineString", "coordinates": [[[{}, {}], [{}, {}]], [[{}, {}], [{}, {}]]]}}}}"#,
        x + 100.0,
        y + 100.0,
        x + 400.0,
        y + 500.0,
        x + 400.0,
        y + 500.0,
        x + 5000.0,
        y + 500.0
    );
    let net = RoadNetwork::from_geojson(&fc(&multi), &g).unwrap();
    // Two parts joined at their shared end: 3 nodes, 2 one-way service edges; the second
    // part runs 4.6 km off the 2 km grid and is kept.
    assert_eq!((net.nodes.len(), net.edges.len()), (3, 2));
    assert!(
        net.edges
            .iter()
            .all(|e| e.oneway && e.class == RoadClass::Service)
    );
    assert!(close(net.edges[0].length_m, 500.0) && close(net.edges[1].length_m, 4600.0));
    // Only the cells on the grid are listed for the off-grid part: x from 400 to 2000 m
    // along the row y = 500 m (a row boundary: the cells south of it), 80 cells.
    assert_eq!(net.edge_cells(&g).of(1).len(), 80);
}
