//! Routing throughput on a generated 2000 × 2000-cell map (30 m cells, 60 km square) with
//! a Manhattan road network every 300 m (200 × 200 = 40,000 nodes, ~80,000 edges; every
//! 5th line a primary road, the others residential): 1000 A* queries between
//! pseudo-random node pairs with a reused `Router`, 1000 dispatch-like queries to a node
//! within ±3 km, one full `travel_times` from one
//! source, the edge → cell table, 1000 nearest-node queries, and one off-road `grid_path`
//! across a 300 × 300-cell window.
//!
//! Run: `cargo bench --bench routing -- --warm-up-time 1 --measurement-time 3`.
//! Measured 2026-11-23 on the shared 2-core box (load ≈ 7): 1000 long random routes
//! 4.57 s (4.6 ms each), 1000 routes within 3 km 37.7 ms, full travel_times 21.3 ms,
//! edge_cells 45.6 ms, 1000 nearest_node 0.24 ms, grid_path 300 × 300 window 9.0 ms.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use drillsim_engine::agents::offroad::grid_path;
use drillsim_engine::agents::roads::{RoadClass, RoadNetwork};
use drillsim_engine::agents::routing::{FreeFlow, Router, travel_times};
use drillsim_engine::world::GridSpec;

const N: usize = 2000;

fn spec() -> GridSpec {
    GridSpec {
        width: N,
        height: N,
        cell_size: 30.0,
        origin: [0.0, 0.0],
    }
}

/// Deterministic pseudo-random pairs (SplitMix64), no RNG dependency needed.
fn pairs(n: u32, count: usize) -> Vec<(u32, u32)> {
    let mut s = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = || {
        s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % u64::from(n)) as u32
    };
    (0..count).map(|_| (next(), next())).collect()
}

fn bench(c: &mut Criterion) {
    let g = spec();
    let net = RoadNetwork::generate_arterials(
        &g,
        300.0,
        5,
        RoadClass::Primary,
        RoadClass::Residential,
        |_, _| false,
    );
    let free = FreeFlow::new(&net);
    let queries = pairs(net.nodes.len() as u32, 1000);
    let mut router = Router::new(&net);
    let mut group = c.benchmark_group("routing");
    group.sample_size(10);
    group.bench_function("1000_astar_routes_40k_nodes", |b| {
        b.iter(|| {
            let mut total = 0.0;
            for &(a, z) in &queries {
                if let Some(r) = router.route(&net, a, z, &free) {
                    total += r.time_s;
                }
            }
            black_box(total)
        });
    });
    // Dispatch-like queries: destination within ±10 blocks (±3 km) of the origin.
    let local: Vec<(u32, u32)> = queries
        .iter()
        .map(|&(a, z)| {
            let p = net.nodes[a as usize];
            let (di, dj) = (f64::from(z % 21) - 10.0, f64::from((z / 21) % 21) - 10.0);
            (
                a,
                net.nearest_node(p.x + 300.0 * di, p.y + 300.0 * dj)
                    .unwrap_or(a),
            )
        })
        .collect();
    group.bench_function("1000_astar_routes_within_3km", |b| {
        b.iter(|| {
            let mut total = 0.0;
            for &(a, z) in &local {
                if let Some(r) = router.route(&net, a, z, &free) {
                    total += r.time_s;
                }
            }
            black_box(total)
        });
    });
    group.bench_function("travel_times_40k_nodes", |b| {
        b.iter(|| black_box(travel_times(&net, &[(0, 0.0)], &free, f64::INFINITY)));
    });
    group.bench_function("edge_cells_80k_edges", |b| {
        b.iter(|| black_box(net.edge_cells(&g)));
    });
    group.bench_function("1000_nearest_node", |b| {
        b.iter(|| {
            let mut s = 0u64;
            for k in 0..1000u32 {
                let (x, y) = (
                    f64::from(k) * 59.3 % 60_000.0,
                    f64::from(k) * 37.7 % 60_000.0,
                );
                s += u64::from(net.nearest_node(x, y).unwrap_or(0));
            }
            black_box(s)
        });
    });
    group.bench_function("grid_path_300x300_window", |b| {
        b.iter(|| {
            black_box(grid_path(
                &g,
                |i| Some(if i % 7 == 0 { 2.0 } else { 1.0 }),
                (500, 500),
                (800, 760),
                20,
            ))
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
