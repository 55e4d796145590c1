//! Flood kernel throughput: cell-updates per second of the local inertial solver on a
//! 2048 × 2048 grid fully wet and with one small wet patch, of the finite-volume
//! solver, and a STREAM-triad memory-bandwidth bound for comparison.
//!
//! Run: `cargo bench --bench flood -- --warm-up-time 1 --measurement-time 3`.
//! Criterion reports "elements/s" = cell-updates/s (all cells of the grid per step,
//! so for the dry-patch case it is the equivalent full-grid rate).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use drillsim_engine::hazards::flood::{FloodModel, FloodSolver, FloodSpec, InitialWater, Region};
use drillsim_engine::world::{Grid, GridSpec};
use rayon::prelude::*;

const N: usize = 2048;
const DX: f64 = 10.0;

fn grid(n: usize) -> GridSpec {
    GridSpec {
        width: n,
        height: n,
        cell_size: DX,
        origin: [0.0, 0.0],
    }
}

/// Gently undulating terrain under 1–2 m of tilted water: every cell wet and moving.
fn wet_model(n: usize, solver: FloodSolver) -> FloodModel {
    let g = grid(n);
    let z = Grid::from_fn(g, |c, r| {
        (0.2 * ((c as f32) * 0.05).sin() * ((r as f32) * 0.03).cos()) - 0.0005 * c as f32
    });
    let m = Grid::filled(g, 0.035);
    let mut spec = FloodSpec {
        solver,
        ..FloodSpec::default()
    };
    spec.initial_water.push(InitialWater {
        region: Region::All,
        level_m: 1.5,
    });
    FloodModel::new(spec, &z, &m).unwrap()
}

/// Dry terrain with a 64 × 64 basin (rim 5 m) holding 1 m of sloshing water.
fn patch_model(n: usize) -> FloodModel {
    let g = grid(n);
    let (a, b) = (n / 2 - 32, n / 2 + 32);
    let z = Grid::from_fn(g, |c, r| {
        if (a..b).contains(&c) && (a..b).contains(&r) {
            0.3 * (c - a) as f32 / 64.0
        } else {
            5.0
        }
    });
    let m = Grid::filled(g, 0.035);
    let mut spec = FloodSpec::default();
    let (lo, hi) = (a as f64 * DX, b as f64 * DX);
    spec.initial_water.push(InitialWater {
        region: Region::Rectangle {
            min: [lo, lo],
            max: [hi, hi],
        },
        level_m: 1.0,
    });
    FloodModel::new(spec, &z, &m).unwrap()
}

/// Advances by `dt` per iteration; `dt` is below the stable step so each iteration is
/// exactly one solver step.
fn bench_steps(c: &mut Criterion, name: &str, mut model: FloodModel, dt: f64) {
    let cells = model.grid().len() as u64;
    let mut group = c.benchmark_group("flood");
    group.sample_size(10);
    group.throughput(Throughput::Elements(cells));
    let mut t = 0.0;
    let steps0 = model.steps();
    group.bench_function(name, |b| {
        b.iter(|| {
            model.advance(t, dt, 0.0).unwrap();
            t += dt;
        });
    });
    group.finish();
    let steps = model.steps() - steps0;
    let secs = model.time_s();
    eprintln!(
        "{name}: {steps} steps, t = {secs:.1} s, active cells last step {}",
        model.active_cells()
    );
    black_box(model.volume_m3());
}

fn local_inertial(c: &mut Criterion) {
    bench_steps(
        c,
        "local_inertial_2048_wet",
        wet_model(N, FloodSolver::LocalInertial),
        1.0,
    );
    bench_steps(c, "local_inertial_2048_dry_patch", patch_model(N), 1.0);
}

fn finite_volume(c: &mut Criterion) {
    // √(g·2) + |u| ≈ 5 m/s → stable dt ≈ 0.45 × 10 / 5 = 0.9 s; 0.5 s is one step.
    bench_steps(
        c,
        "finite_volume_2048_wet",
        wet_model(N, FloodSolver::FiniteVolume),
        0.5,
    );
}

fn stream_triad(c: &mut Criterion) {
    // a = b + s c over three 64 MiB f32 arrays (McCalpin's STREAM triad), parallel.
    let n = 16 << 20;
    let (mut a, b, cc) = (vec![0.0_f32; n], vec![1.0_f32; n], vec![2.0_f32; n]);
    let mut group = c.benchmark_group("flood");
    group.sample_size(10);
    group.throughput(Throughput::Bytes((3 * 4 * n) as u64));
    group.bench_function("stream_triad_f32", |bn| {
        bn.iter(|| {
            a.par_chunks_mut(1 << 16)
                .zip(b.par_chunks(1 << 16).zip(cc.par_chunks(1 << 16)))
                .for_each(|(x, (y, z))| {
                    for i in 0..x.len() {
                        x[i] = y[i] + 3.0 * z[i];
                    }
                });
            black_box(&a);
        });
    });
    group.finish();
}

criterion_group!(benches, stream_triad, local_inertial, finite_volume);
criterion_main!(benches);
