//! Choosing new facility sites: maximal covering (MCLP) and p-median, with existing
//! sites locked open.
//!
//! ## Model
//! Demand points i with weights wᵢ (people), sites j with travel times tᵢⱼ (s, from the
//! site to the demand over the road network). With the open set S (locked sites plus
//! the K chosen candidates):
//! - MCLP (Church & ReVelle 1974): maximise Σᵢ wᵢ·[minⱼ∈S tᵢⱼ ≤ T].
//! - p-median (Hakimi 1964; ReVelle & Swain 1970): minimise Σᵢ wᵢ·minⱼ∈S tᵢⱼ, where a
//!   demand no open site reaches costs `unreachable_s`.
//!
//! Both are solved greedily (add the candidate with the best marginal value, lowest index
//! on ties) and, when the number of K-subsets is at most a limit, exactly by enumerating
//! every subset in lexicographic order (first best kept). Greedy MCLP is within
//! (1 − 1/e) of the optimum (Nemhauser, Wolsey & Fisher 1978). Above the limit,
//! [`super::bounds`] improves the greedy choice by vertex substitution (Teitz & Bart
//! 1968) and states the optimality gap from Lagrangian bounds (Beasley 1993).
//!
//! ## Units
//! Times s, weights people.
//!
//! ## Assumptions
//! Travel times are free-flow road times (see [`super::coverage`]); candidates are road
//! nodes or given points snapped to their nearest node.
//!
//! ## References
//! - Church, R. & ReVelle, C. (1974). The maximal covering location problem. Papers of
//!   the Regional Science Association 32, 101–118.
//! - Hakimi, S. L. (1964). Optimum locations of switching centers and the absolute
//!   centers and medians of a graph. Operations Research 12(3), 450–459.
//! - ReVelle, C. S. & Swain, R. W. (1970). Central facilities location. Geographical
//!   Analysis 2(1), 30–42.
//! - Teitz, M. B. & Bart, P. (1968). Heuristic methods for estimating the generalized
//!   vertex median of a weighted graph. Operations Research 16(5), 955–961.
//! - Beasley, J. E. (1993). Lagrangean heuristics for location problems. European
//!   Journal of Operational Research 65, 383–399.
//! - Nemhauser, G. L., Wolsey, L. A. & Fisher, M. L. (1978). An analysis of
//!   approximations for maximizing submodular set functions — I. Mathematical
//!   Programming 14, 265–294.

use crate::Simulation;
use crate::agents::routing::{FreeFlow, travel_times};
use crate::agents::state::{AgentStatic, FacilityKind, Response};

/// A location problem: `times[j][i]` from site j to demand i.
#[derive(Clone, Debug)]
pub struct Instance {
    /// Demand weights.
    pub weights: Vec<f64>,
    /// Travel times, one row per site.
    pub times: Vec<Vec<f64>>,
    /// Sites always open.
    pub locked: Vec<usize>,
    /// Sites that may be opened.
    pub candidates: Vec<usize>,
}

impl Instance {
    fn best_times(&self, open: &[usize]) -> Vec<f64> {
        let mut best = vec![f64::INFINITY; self.weights.len()];
        for &j in open {
            for (b, &t) in best.iter_mut().zip(&self.times[j]) {
                if t < *b {
                    *b = t;
                }
            }
        }
        best
    }

    /// People reached within `t_max` by the open sites.
    pub fn covered(&self, open: &[usize], t_max: f64) -> f64 {
        self.best_times(open)
            .iter()
            .zip(&self.weights)
            .filter(|(t, _)| **t <= t_max)
            .map(|(_, w)| w)
            .sum::<f64>()
            + 0.0
    }

    /// Σ weight × time to the nearest open site (`unreachable_s` if none reaches).
    pub fn weighted_time(&self, open: &[usize], unreachable_s: f64) -> f64 {
        self.best_times(open)
            .iter()
            .zip(&self.weights)
            .map(|(t, w)| w * if t.is_finite() { *t } else { unreachable_s })
            .sum::<f64>()
            + 0.0
    }
}

/// Chosen candidates and the objective value (larger is better).
#[derive(Clone, Debug, PartialEq)]
pub struct Solution {
    /// Chosen sites (indices into the instance's sites), in choice order.
    pub chosen: Vec<usize>,
    /// Objective value of locked + chosen.
    pub value: f64,
}

/// Greedy choice of `k` candidates maximising `value(open)`.
pub fn greedy(inst: &Instance, k: usize, value: impl Fn(&[usize]) -> f64) -> Solution {
    let mut open = inst.locked.clone();
    let mut chosen = Vec::new();
    for _ in 0..k.min(inst.candidates.len()) {
        let mut best: Option<(f64, usize)> = None;
        for &c in &inst.candidates {
            if open.contains(&c) {
                continue;
            }
            open.push(c);
            let v = value(&open);
            open.pop();
            if best.is_none_or(|(bv, _)| v > bv) {
                best = Some((v, c));
            }
        }
        let Some((_, c)) = best else { break };
        open.push(c);
        chosen.push(c);
    }
    Solution {
        value: value(&open),
        chosen,
    }
}

/// Number of k-subsets of n, saturating.
pub fn n_choose_k(n: usize, k: usize) -> u64 {
    if k > n {
        return 0;
    }
    let k = k.min(n - k);
    let mut c: u64 = 1;
    for i in 0..k {
        c = c.saturating_mul((n - i) as u64) / (i as u64 + 1);
    }
    c
}

/// The best `k`-subset of the candidates by enumeration, or `None` when there are more
/// than `limit` subsets.
pub fn exact(
    inst: &Instance,
    k: usize,
    limit: u64,
    value: impl Fn(&[usize]) -> f64,
) -> Option<Solution> {
    let n = inst.candidates.len();
    let k = k.min(n);
    if n_choose_k(n, k) > limit {
        return None;
    }
    let mut idx: Vec<usize> = (0..k).collect();
    let mut open = inst.locked.clone();
    let base = open.len();
    let mut best: Option<Solution> = None;
    loop {
        open.truncate(base);
        open.extend(idx.iter().map(|&i| inst.candidates[i]));
        let v = value(&open);
        if best.as_ref().is_none_or(|b| v > b.value) {
            best = Some(Solution {
                chosen: open[base..].to_vec(),
                value: v,
            });
        }
        // Next combination in lexicographic order.
        let Some(i) = (0..k).rev().find(|&i| idx[i] != i + n - k) else {
            break;
        };
        idx[i] += 1;
        for j in i + 1..k {
            idx[j] = idx[j - 1] + 1;
        }
    }
    best
}

/// A location problem built from a scenario: sites with their positions and names.
#[derive(Clone, Debug)]
pub struct SiteProblem {
    /// The instance (locked sites first, then candidates).
    pub instance: Instance,
    /// Position of every site, m.
    pub pos: Vec<[f64; 2]>,
    /// Name of every site (facility id, or `candidate-<k>`).
    pub names: Vec<String>,
}

/// Builds the problem for a scenario: demands are the population groups (at their
/// nearest road node), locked sites the existing bases, candidates the given points
/// (`None`: every road node). Points are snapped to their nearest road node.
pub fn site_problem(sim: &Simulation, candidates: Option<&[[f64; 2]]>) -> Option<SiteProblem> {
    let world = sim.world();
    let st = world.get_resource::<AgentStatic>()?;
    let resp = world.get_resource::<Response>()?;
    let net = &st.net;
    if net.nodes.is_empty() {
        return None;
    }
    let cost = FreeFlow::new(net);
    let demand_nodes: Vec<Option<u32>> = resp
        .groups
        .iter()
        .map(|g| net.nearest_node(g.pos[0], g.pos[1]))
        .collect();
    let mut pos = Vec::new();
    let mut names = Vec::new();
    for f in &st.facilities {
        if matches!(f.kind, FacilityKind::Base(_)) {
            pos.push(f.pos);
            names.push(f.id.clone());
        }
    }
    let locked: Vec<usize> = (0..pos.len()).collect();
    let locked_nodes: Vec<Option<u32>> = pos.iter().map(|p| net.nearest_node(p[0], p[1])).collect();
    let cand: Vec<[f64; 2]> = match candidates {
        Some(c) => c.to_vec(),
        None => net.nodes.iter().map(|n| [n.x, n.y]).collect(),
    };
    for (k, c) in cand.iter().enumerate() {
        // A candidate on an existing base's road node adds nothing.
        if locked_nodes.contains(&net.nearest_node(c[0], c[1])) {
            continue;
        }
        pos.push(*c);
        names.push(format!("candidate-{k}"));
    }
    let times = pos
        .iter()
        .map(|p| {
            let t = net
                .nearest_node(p[0], p[1])
                .map(|n| travel_times(net, &[(n, 0.0)], &cost, f64::INFINITY));
            demand_nodes
                .iter()
                .map(|d| match (&t, d) {
                    (Some(t), Some(d)) => t[*d as usize],
                    _ => f64::INFINITY,
                })
                .collect()
        })
        .collect();
    Some(SiteProblem {
        instance: Instance {
            weights: resp.groups.iter().map(|g| g.people_0).collect(),
            times,
            candidates: (locked.len()..pos.len()).collect(),
            locked,
        },
        pos,
        names,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook case where greedy covering is not optimal: site 0 covers demands
    /// {a, b, c, d}, site 1 {a, b, e}, site 2 {c, d, f}, all weights 1, K = 2. Greedy
    /// takes site 0 (4) then adds 1 (total 5); the optimum {1, 2} covers all 6.
    #[test]
    fn exact_beats_greedy_on_the_textbook_case() {
        let (near, far) = (60.0, 1000.0);
        let row = |cov: &[usize]| -> Vec<f64> {
            (0..6)
                .map(|i| if cov.contains(&i) { near } else { far })
                .collect()
        };
        let inst = Instance {
            weights: vec![1.0; 6],
            times: vec![row(&[0, 1, 2, 3]), row(&[0, 1, 4]), row(&[2, 3, 5])],
            locked: Vec::new(),
            candidates: vec![0, 1, 2],
        };
        let f = |open: &[usize]| inst.covered(open, 300.0);
        let g = greedy(&inst, 2, f);
        assert_eq!((g.chosen.clone(), g.value), (vec![0, 1], 5.0));
        let e = exact(&inst, 2, 1000, f).unwrap();
        assert_eq!((e.chosen, e.value), (vec![1, 2], 6.0));
        assert_eq!(n_choose_k(3, 2), 3);
        assert_eq!(n_choose_k(40, 3), 9880);
        assert!(exact(&inst, 2, 2, f).is_none());
    }
}
