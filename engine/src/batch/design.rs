//! Expanding a sweep into numbered runs.
//!
//! Design points are numbered from 0; point `p`, replication `r` is run
//! `p · replications + r`. Full grids list combinations with the first axis varying
//! slowest. Random and Latin-hypercube designs draw from one `ChaCha8Rng` seeded by
//! [`super::seed::design_seed`], axis after axis, so the plan is a pure function of the
//! sweep. Latin hypercube sampling follows McKay, Beckman & Conover (1979): for each axis
//! a random permutation π of 0..n and `u_k = (π(k) + U_k) / n`.
//!
//! References: McKay, M. D., Beckman, R. J. & Conover, W. J. (1979). A comparison of
//! three methods for selecting values of input variables in the analysis of output from
//! a computer code. Technometrics 21(2), 239–245.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

use super::seed::{design_seed, run_seed};
use super::sweep::{Design, Sweep};

/// One run of a batch.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedRun {
    /// Run index (0-based, over the whole sweep).
    pub run: u64,
    /// Design point.
    pub point: u64,
    /// Replication within the point.
    pub replication: u32,
    /// Seed of the run.
    pub seed: u64,
    /// One value per axis.
    pub values: Vec<Value>,
}

impl PlannedRun {
    /// The values as compact JSON text (the exact text written to results and manifests).
    pub fn value_texts(&self) -> Vec<String> {
        self.values.iter().map(Value::to_string).collect()
    }
}

/// The design points: one value per axis each.
pub fn points(sweep: &Sweep) -> Vec<Vec<Value>> {
    let axes = &sweep.axes;
    match sweep.design {
        Design::FullGrid => {
            let lists: Vec<Vec<Value>> = axes
                .iter()
                .map(|a| a.values.discrete().unwrap_or_default())
                .collect();
            let mut out: Vec<Vec<Value>> = vec![Vec::new()];
            for list in &lists {
                let mut next = Vec::with_capacity(out.len() * list.len());
                for prefix in &out {
                    for v in list {
                        let mut p = prefix.clone();
                        p.push(v.clone());
                        next.push(p);
                    }
                }
                out = next;
            }
            out
        }
        Design::Random(n) => {
            let mut rng = ChaCha8Rng::seed_from_u64(design_seed(sweep.seed));
            let n = n as usize;
            let mut out = vec![Vec::with_capacity(axes.len()); n];
            for a in axes {
                for p in &mut out {
                    p.push(a.values.quantile(rng.random::<f64>()));
                }
            }
            out
        }
        Design::LatinHypercube(n) => {
            let mut rng = ChaCha8Rng::seed_from_u64(design_seed(sweep.seed));
            let n = n as usize;
            let mut out = vec![Vec::with_capacity(axes.len()); n];
            for a in axes {
                // Fisher–Yates shuffle of the strata (Knuth, TAOCP vol. 2, Algorithm P).
                let mut perm: Vec<usize> = (0..n).collect();
                for i in (1..n).rev() {
                    let j = rng.random_range(0..=i);
                    perm.swap(i, j);
                }
                for (k, p) in out.iter_mut().enumerate() {
                    let u = (perm[k] as f64 + rng.random::<f64>()) / n as f64;
                    p.push(a.values.quantile(u));
                }
            }
            out
        }
    }
}

/// Every run of the sweep, in run-index order.
pub fn plan(sweep: &Sweep) -> Vec<PlannedRun> {
    let reps = u64::from(sweep.replications.max(1));
    let mut runs = Vec::new();
    for (p, values) in points(sweep).into_iter().enumerate() {
        for r in 0..reps {
            let run = p as u64 * reps + r;
            runs.push(PlannedRun {
                run,
                point: p as u64,
                replication: r as u32,
                seed: run_seed(sweep.seed, run),
                values: values.clone(),
            });
        }
    }
    runs
}

/// Runs of shard `i` of `n` (0-based): run indices `≡ i (mod n)`.
pub fn in_shard(run: u64, shard: Option<(u64, u64)>) -> bool {
    shard.is_none_or(|(i, n)| run % n == i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::sweep::parse_sweep;
    use std::path::Path;

    fn sweep(text: &str) -> Sweep {
        parse_sweep(text, "t.ron", Path::new("")).unwrap().sweep
    }

    #[test]
    fn full_grid_is_the_cartesian_product_first_axis_slowest() {
        let s = sweep(
            r#"Sweep(base: "b.ron", replications: 2, axes: [
                (path: "a", values: List([1, 2])),
                (path: "b", values: Range(from: 0.0, to: 1.0, steps: 3)),
            ])"#,
        );
        let runs = plan(&s);
        assert_eq!(runs.len(), 2 * 3 * 2);
        assert_eq!(runs[0].value_texts(), ["1", "0.0"]);
        assert_eq!(runs[2].value_texts(), ["1", "0.5"]);
        assert_eq!(runs[6].value_texts(), ["2", "0.0"]);
        assert_eq!((runs[7].point, runs[7].replication), (3, 1));
        assert_ne!(runs[6].seed, runs[7].seed);
    }

    /// Every one of the n strata of each axis holds exactly one point.
    #[test]
    fn latin_hypercube_fills_every_stratum_once() {
        let s = sweep(
            r#"Sweep(base: "b.ron", design: LatinHypercube(10), axes: [
                (path: "a", values: Uniform(lo: 0.0, hi: 10.0)),
                (path: "b", values: Uniform(lo: -1.0, hi: 0.0)),
            ])"#,
        );
        let pts = points(&s);
        assert_eq!(pts.len(), 10);
        for (axis, lo) in [(0, 0.0), (1, -1.0)] {
            let width = if axis == 0 { 1.0 } else { 0.1 };
            let mut strata: Vec<usize> = pts
                .iter()
                .map(|p| ((p[axis].as_f64().unwrap() - lo) / width) as usize)
                .collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..10).collect::<Vec<_>>());
        }
        assert_eq!(points(&s), pts, "the plan is reproducible");
    }

    #[test]
    fn shards_partition_the_runs() {
        let mut all: Vec<u64> = (0..3)
            .flat_map(|i| (0..20).filter(move |&r| in_shard(r, Some((i, 3)))))
            .collect();
        all.sort_unstable();
        assert_eq!(all, (0..20).collect::<Vec<_>>());
    }
}
