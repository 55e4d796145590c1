//! `drillsim plan optimise <scenario> --add K [--candidates grid|FILE] [--minutes T]`:
//! new base sites by maximal covering and p-median (see
//! `drillsim_engine::batch::optimise`), existing bases locked; writes `optimise.csv` and
//! `optimise.json` and reports the gain. Methods: greedy, greedy + vertex substitution
//! with a Lagrangian bound and gap (`drillsim_engine::batch::bounds`), and exact
//! enumeration when the K-subsets are at most `--exact-limit`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use drillsim_engine::batch::bounds::{max_covering, p_median};
use drillsim_engine::batch::optimise::{Solution, exact, greedy, site_problem};
use drillsim_engine::batch::results::write_atomic;
use drillsim_engine::{RunConfig, Simulation};

use crate::{EXIT_FAILURE, EXIT_INVALID};

/// Options of `plan optimise`.
pub struct Options<'a> {
    pub scenario: &'a Path,
    pub add: usize,
    pub candidates: &'a str,
    pub minutes: f64,
    pub exact_limit: u64,
    pub out: Option<&'a Path>,
    pub quiet: bool,
}

/// A demand no open site reaches counts as this many seconds in the p-median objective.
const UNREACHABLE_S: f64 = 24.0 * 3600.0;

fn read_candidates(path: &str) -> Result<Vec<[f64; 2]>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read `{path}`: {e}"))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        match (
            cells.first().map(|c| c.parse::<f64>()),
            cells.get(1).map(|c| c.parse::<f64>()),
        ) {
            (Some(Ok(x)), Some(Ok(y))) if x.is_finite() && y.is_finite() => out.push([x, y]),
            _ if i == 0 => {} // header
            _ if line.trim().is_empty() => {}
            _ => {
                return Err(format!(
                    "{path}:{}: expected `x_m,y_m`, found `{line}`",
                    i + 1
                ));
            }
        }
    }
    if out.is_empty() {
        return Err(format!("{path}: no candidate sites"));
    }
    Ok(out)
}

/// Runs the command; returns the exit code.
pub fn optimise(o: &Options<'_>) -> u8 {
    if !(o.minutes.is_finite() && o.minutes > 0.0) || o.add == 0 {
        eprintln!("error: --add must be ≥ 1 and --minutes a positive number");
        return EXIT_INVALID;
    }
    let sim = match Simulation::from_file(o.scenario, RunConfig::default()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return EXIT_INVALID;
        }
    };
    let cands = if o.candidates == "grid" {
        None
    } else {
        match read_candidates(o.candidates) {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_INVALID;
            }
        }
    };
    let Some(p) = site_problem(&sim, cands.as_deref()) else {
        eprintln!(
            "error: {} has no road network or no population; nothing to optimise",
            o.scenario.display()
        );
        return EXIT_INVALID;
    };
    let inst = &p.instance;
    let t_max = o.minutes * 60.0;
    let cover = |open: &[usize]| inst.covered(open, t_max);
    // p-median as a maximisation: minus the weighted time.
    let median = |open: &[usize]| -inst.weighted_time(open, UNREACHABLE_S);
    let total: f64 = inst.weights.iter().sum();
    let mut rows = Vec::new();
    let mut report = String::new();
    let base_cover = cover(&inst.locked);
    let base_time = -median(&inst.locked);
    for (objective, f) in [
        ("max_covering", &cover as &dyn Fn(&[usize]) -> f64),
        ("p_median", &median),
    ] {
        let g = greedy(inst, o.add, f);
        // Greedy, vertex substitution and the Lagrangian bound (Teitz & Bart 1968;
        // Beasley 1993): the bound is a lower bound on the weighted time (p-median) or
        // an upper bound on people covered (maximal covering).
        let b = if objective == "max_covering" {
            max_covering(inst, o.add, t_max)
        } else {
            p_median(inst, o.add, UNREACHABLE_S)
        };
        let e = exact(inst, o.add, o.exact_limit, f);
        for (method, sol) in [
            ("greedy", Some(&g)),
            ("substitution", Some(&b.solution)),
            ("exact", e.as_ref()),
        ] {
            let Some(sol) = sol else { continue };
            rows.push((objective, method, sol.clone(), b.bound, b.gap));
        }
        let best: &Solution = e.as_ref().unwrap_or(&b.solution);
        let method = if e.is_some() {
            "exact".to_owned()
        } else {
            format!(
                "greedy + vertex substitution, Lagrangian gap ≤ {:.2} %",
                100.0 * b.gap
            )
        };
        let names: Vec<String> = best
            .chosen
            .iter()
            .map(|&j| format!("{} ({}, {})", p.names[j], p.pos[j][0], p.pos[j][1]))
            .collect();
        if objective == "max_covering" {
            let _ = writeln!(
                report,
                "max covering within {} min ({method}): {} → {} of {total} people (+{}); add {}",
                o.minutes,
                base_cover,
                best.value,
                best.value - base_cover,
                names.join(", ")
            );
        } else {
            let w = total.max(1e-9);
            let _ = writeln!(
                report,
                "p-median ({method}): mean time {:.1} → {:.1} min (−{:.1}); add {}",
                base_time / w / 60.0,
                -best.value / w / 60.0,
                (base_time + best.value) / w / 60.0,
                names.join(", ")
            );
        }
    }
    let out: PathBuf = o.out.map_or_else(
        || {
            let stem = o
                .scenario
                .file_stem()
                .map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned());
            PathBuf::from("runs").join(format!("{stem}-optimise"))
        },
        Path::to_path_buf,
    );
    let mut csv = String::from(
        "objective,method,rank,site,x_m,y_m,people_covered,weighted_time_s,baseline_covered,baseline_weighted_time_s,bound,gap\n",
    );
    let mut json = Vec::new();
    for (objective, method, sol, bound, gap) in &rows {
        let mut open = inst.locked.clone();
        open.extend(&sol.chosen);
        let (c, t) = (cover(&open), -median(&open));
        for (rank, &j) in sol.chosen.iter().enumerate() {
            let _ = writeln!(
                csv,
                "{objective},{method},{rank},{},{},{},{c},{t},{base_cover},{base_time},{bound},{gap}",
                p.names[j], p.pos[j][0], p.pos[j][1]
            );
        }
        json.push(serde_json::json!({
            "objective": objective, "method": method,
            "sites": sol.chosen.iter().map(|&j| serde_json::json!({"site": p.names[j], "x_m": p.pos[j][0], "y_m": p.pos[j][1]})).collect::<Vec<_>>(),
            "people_covered": c, "weighted_time_s": t,
            "baseline_covered": base_cover, "baseline_weighted_time_s": base_time,
            "bound": bound, "gap": gap,
        }));
    }
    let result = std::fs::create_dir_all(&out)
        .map_err(|e| format!("cannot create `{}`: {e}", out.display()))
        .and_then(|()| write_atomic(&out.join("optimise.csv"), csv.as_bytes()))
        .and_then(|()| {
            let text = serde_json::to_string_pretty(&serde_json::json!({
                "cover_minutes": o.minutes, "add": o.add, "total_people": total, "solutions": json,
            }))
            .map_err(|e| e.to_string())?;
            write_atomic(&out.join("optimise.json"), (text + "\n").as_bytes())
        });
    if let Err(e) = result {
        eprintln!("error: {e}");
        return EXIT_FAILURE;
    }
    if !o.quiet {
        print!("{report}");
        println!("outputs: {}", out.display());
    }
    0
}
