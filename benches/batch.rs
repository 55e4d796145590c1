//! Batch throughput: a 12-run chemical-release sweep (tests/fixtures/batch/wind.ron,
//! 40 × 30 cells, 10 simulated minutes each) and an 8-run flash-flood sweep
//! (tests/fixtures/batch/flood_peak.ron, 60 × 21 cells, finite-volume solver, 10
//! minutes each), each on a rayon pool of 1 and of 2 threads. Runs/s = runs per sweep /
//! time per iteration. Journal and CSV writing are not included (they take well under a
//! millisecond per run).
//!
//! Run: `cargo bench --bench batch -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use drillsim_engine::batch::exec::BatchContext;
use drillsim_engine::batch::{load_sweep, plan, run_one};
use rayon::prelude::*;

fn context(sweep: &str) -> BatchContext {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(sweep);
    BatchContext::new(load_sweep(&path).expect("sweep loads")).expect("base loads")
}

fn sweep_bench(c: &mut Criterion, name: &str, sweep: &str) {
    let ctx = context(sweep);
    let runs = plan(&ctx.sweep.sweep);
    let mut group = c.benchmark_group(format!("batch_{name}_{}_runs", runs.len()));
    group.sample_size(10);
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        group.bench_function(format!("{threads}_threads"), |b| {
            b.iter(|| {
                let records: Vec<_> = pool.install(|| {
                    runs.par_iter()
                        .map(|r| run_one(&ctx, r, None).expect("run"))
                        .collect()
                });
                black_box(records)
            });
        });
    }
    group.finish();
}

fn benches(c: &mut Criterion) {
    sweep_bench(c, "chem", "tests/fixtures/batch/wind.ron");
    sweep_bench(c, "flood", "tests/fixtures/batch/flood_peak.ron");
}

criterion_group!(batch, benches);
criterion_main!(batch);
