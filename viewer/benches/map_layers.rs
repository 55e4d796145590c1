//! CPU side of the map layers on a 2000 × 2000 grid: colourising a field (depth ramp,
//! graded zones with outlines), the dirty-row scan, and a versioned layer update
//! (`LayerCache::put`: recolour into the recycled buffer + diff + band bookkeeping), and
//! the overlay composite of all six layers and contours (the 8-row band of a moving
//! flood front, and the whole map after a layer toggle).
//! Run: `cargo bench -p drillsim-viewer --bench map_layers -- --warm-up-time 1 --measurement-time 3`.

#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use drillsim_engine::world::GridSpec;
use std::hint::black_box;

#[allow(dead_code, unused_imports)]
#[path = "../src/raster.rs"]
mod raster;

#[allow(dead_code, unused_imports)]
#[path = "../src/layer_cache.rs"]
mod layer_cache;

#[allow(dead_code, unused_imports)]
#[path = "../src/composite.rs"]
mod composite;

const SIDE: usize = 2000;

fn depth_field(front: usize) -> Vec<f32> {
    (0..SIDE * SIDE)
        .map(|i| {
            if i / SIDE <= front {
                ((i % SIDE) as f32 / 400.0).sin().abs() * 2.0
            } else {
                0.0
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let n = SIDE * SIDE;
    let d = depth_field(1000);
    let mut out = vec![0u8; n * 4];
    c.bench_function("colourise depth 2000x2000", |b| {
        b.iter(|| {
            for (px, &v) in out.chunks_exact_mut(4).zip(&d) {
                px.copy_from_slice(&raster::depth_px(v));
            }
            black_box(&out);
        });
    });
    c.bench_function("colourise depth 2000x2000 (table)", |b| {
        b.iter(|| {
            for (px, &v) in out.chunks_exact_mut(4).zip(&d) {
                px.copy_from_slice(&raster::depth_px_fast(v));
            }
            black_box(&out);
        });
    });
    let ranks: Vec<u8> = (0..n)
        .map(|i| {
            let r = ((i % SIDE) as f32 - 1000.0).hypot((i / SIDE) as f32 - 1000.0);
            raster::rank(-r, &[-100.0, -300.0, -600.0])
        })
        .collect();
    c.bench_function("zones + outlines 2000x2000", |b| {
        b.iter(|| {
            raster::zones_rgba(&ranks, SIDE, SIDE, &mut out);
            black_box(&out);
        });
    });
    let other = out.clone();
    c.bench_function("dirty-row scan 2000x2000 (equal)", |b| {
        b.iter(|| black_box(raster::dirty_rows(&out, &other, SIDE * 4)));
    });
    let g = GridSpec {
        width: SIDE,
        height: SIDE,
        cell_size: 5.0,
        origin: [0.0, 0.0],
    };
    let mut cache = layer_cache::LayerCache::new(g);
    let fields = [depth_field(1000), depth_field(1008)];
    let mut k = 0;
    // Moves the flood front by 8 rows (alternating between two fields).
    let mut move_front = |cache: &mut layer_cache::LayerCache| {
        k ^= 1;
        let f = &fields[k];
        cache.put(layer_cache::LayerId::Depth, |o| {
            for (px, &v) in o.chunks_exact_mut(4).zip(f) {
                px.copy_from_slice(&raster::depth_px_fast(v));
            }
        });
    };
    c.bench_function("LayerCache::put depth (8-row front move)", |b| {
        b.iter(|| {
            move_front(&mut cache);
            black_box(cache.set());
        });
    });
    // Every layer present (the same zones image stands in for gas, fire, thermal and
    // overpressure), contours on; all shown.
    let zones = out.clone();
    for id in [
        layer_cache::LayerId::Hazard,
        layer_cache::LayerId::Gas,
        layer_cache::LayerId::Fire,
        layer_cache::LayerId::Thermal,
        layer_cache::LayerId::Overpressure,
    ] {
        cache.put(id, |o| o.copy_from_slice(&zones));
    }
    let z: Vec<f32> = (0..n)
        .map(|i| ((i % SIDE) as f32 / 37.0).sin() * 20.0)
        .collect();
    cache.set_contours(&z);
    let all = (1u8 << (layer_cache::LAYERS + 1)) - 1;
    cache.set_mask(all);
    cache.compose(true);
    c.bench_function(
        "put depth + overlay composite (8-row band, 7 images)",
        |b| {
            b.iter(|| {
                move_front(&mut cache);
                cache.compose(true);
                black_box(cache.overlay());
            });
        },
    );
    let mut m = all;
    c.bench_function("overlay composite, whole map (layer toggle)", |b| {
        b.iter(|| {
            m ^= 1 << layer_cache::LayerId::Hazard as u8;
            cache.set_mask(m);
            cache.compose(true);
            black_box(cache.overlay());
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
