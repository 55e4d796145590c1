//! Checks the output names a sweep refers to — `raster_exceedance[].raster`,
//! `exceedance[].metric` and `metrics` — against the base scenario before the first run,
//! so a typo fails in a second with a located error and a did-you-mean, not after
//! hours of runs.
//!
//! The base scenario is built and run up to its first time-series output (one output
//! interval of simulated time, which names the columns) and its outputs collected: raster
//! names are fixed by then, as is the shape of the summary. A metric path into a summary
//! array that is still shorter then than the index asked for is accepted (the array may fill during the run); the per-run check in
//! [`super::exec::run_one`] still applies.

use serde_json::Value;

use super::exec::BatchContext;
use crate::scenario::ScenarioError;
use crate::scenario::diagnostic::closest;
use crate::scenario::problem::{index, join};
use crate::{RunConfig, Simulation};

/// Result of looking a metric path up in the early summary.
enum Lookup {
    /// The path exists.
    Found,
    /// It may appear during the run (an array still too short at tick 0).
    Maybe,
    /// It cannot exist; candidates at the level where it failed.
    Missing(Vec<String>),
}

/// One path segment: an object key or an array index.
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

fn segments(path: &str) -> Option<Vec<Seg<'_>>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if !key.is_empty() {
            out.push(Seg::Key(key));
        }
        while let Some(r) = rest.strip_prefix('[') {
            let (n, after) = r.split_once(']')?;
            out.push(Seg::Index(n.parse().ok()?));
            rest = after;
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(out)
}

fn lookup(summary: &[(String, Value)], path: &str) -> Lookup {
    let keys = || summary.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
    let Some(segs) = segments(path) else {
        return Lookup::Missing(keys());
    };
    let Some(Seg::Key(first)) = segs.first() else {
        return Lookup::Missing(keys());
    };
    let Some(mut v) = summary.iter().find(|(k, _)| k == first).map(|(_, v)| v) else {
        return Lookup::Missing(keys());
    };
    let mut prefix = (*first).to_owned();
    for s in &segs[1..] {
        match (s, v) {
            (Seg::Index(i), Value::Array(items)) => match items.get(*i) {
                Some(x) => v = x,
                None => return Lookup::Maybe,
            },
            (Seg::Key(k), Value::Object(map)) => match map.get(*k) {
                Some(x) => v = x,
                None => {
                    return Lookup::Missing(map.keys().map(|k| format!("{prefix}.{k}")).collect());
                }
            },
            _ => return Lookup::Missing(vec![prefix]),
        }
        prefix = match s {
            Seg::Key(k) => format!("{prefix}.{k}"),
            Seg::Index(i) => format!("{prefix}[{i}]"),
        };
    }
    Lookup::Found
}

impl BatchContext {
    /// Checks every output name the sweep refers to against the base scenario's outputs
    /// (see the module header); all problems are reported at once, located in the sweep.
    pub fn check_output_names(&self) -> Result<(), ScenarioError> {
        let mut sim = Simulation::from_scenario(
            self.base.clone(),
            RunConfig {
                seed: Some(0),
                run_index: 0,
            },
        )?;
        // Time-series columns are named with the first output row.
        while sim.series().columns.is_empty() && sim.step() {}
        let outputs = sim.collect_outputs();
        let sweep = &self.sweep.sweep;
        let mut errors: Vec<ScenarioError> = Vec::new();
        let rasters: Vec<&str> = outputs.rasters.iter().map(|r| r.name.as_str()).collect();
        for (i, t) in sweep.raster_exceedance.iter().enumerate() {
            if !rasters.contains(&t.raster.as_str()) {
                let hint = closest(&t.raster, rasters.iter().copied()).map_or_else(
                    || format!("the base scenario writes: {}", rasters.join(", ")),
                    |c| format!("did you mean `{c}`?"),
                );
                errors.push(self.sweep_error(
                    &join(&index("raster_exceedance", i), "raster"),
                    format!("the base scenario writes no raster `{}`", t.raster),
                    hint,
                ));
            }
        }
        let columns: Vec<&str> = sim
            .series()
            .columns
            .iter()
            .skip(1)
            .map(String::as_str)
            .collect();
        let mut column_metrics: Vec<String> = Vec::new();
        for c in &columns {
            column_metrics.push(format!("{c}_final"));
            column_metrics.push(format!("{c}_max"));
        }
        // `metrics` may name a column (both statistics) or a full metric name.
        let known = |name: &str, allow_column: bool| -> Result<(), Vec<String>> {
            if column_metrics.iter().any(|m| m == name) || (allow_column && columns.contains(&name))
            {
                return Ok(());
            }
            match lookup(&outputs.summary, name) {
                Lookup::Found | Lookup::Maybe => Ok(()),
                Lookup::Missing(mut c) => {
                    c.extend(column_metrics.iter().cloned());
                    if allow_column {
                        c.extend(columns.iter().map(|s| (*s).to_owned()));
                    }
                    Err(c)
                }
            }
        };
        let unknown = |path: String, name: &str, cands: Vec<String>| {
            let hint = closest(name, cands.iter().map(String::as_str)).map_or_else(
                || "metric names are time-series columns (with _final or _max) or summary paths such as gas[0].max_peak_ppm; see a run's summary.json".to_owned(),
                |c| format!("did you mean `{c}`?"),
            );
            self.sweep_error(
                &path,
                format!("the base scenario has no metric `{name}`"),
                hint,
            )
        };
        if let Some(sel) = &sweep.metrics {
            for (i, m) in sel.iter().enumerate() {
                if let Err(c) = known(m, true) {
                    errors.push(unknown(index("metrics", i), m, c));
                }
            }
        }
        for (i, t) in sweep.exceedance.iter().enumerate() {
            let path = join(&index("exceedance", i), "metric");
            if let Err(c) = known(&t.metric, false) {
                errors.push(unknown(path, &t.metric, c));
            } else if let Some(sel) = &sweep.metrics {
                let kept = sel.iter().any(|m| {
                    m == &t.metric || [format!("{m}_final"), format!("{m}_max")].contains(&t.metric)
                });
                if !kept {
                    errors.push(self.sweep_error(
                        &path,
                        format!(
                            "metric `{}` is not among the sweep's `metrics`, so no run records it",
                            t.metric
                        ),
                        format!("add \"{}\" to metrics", t.metric),
                    ));
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ScenarioError {
                diagnostics: errors.into_iter().flat_map(|e| e.diagnostics).collect(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::batch::sweep::parse_sweep;

    fn check(body: &str) -> Result<(), String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/batch");
        let text = format!("Sweep(\n  base: \"tiny_chlorine.ron\",\n{body}\n)");
        let ctx = BatchContext::new(parse_sweep(&text, "s.ron", &dir).unwrap()).unwrap();
        ctx.check_output_names().map_err(|e| e.to_string())
    }

    #[test]
    fn good_names_pass() {
        check(
            "  metrics: Some([\"gas_area_aegl2_m2\", \"gas[0].levels[1].max_distance_m\"]),\n  exceedance: [(metric: \"gas_area_aegl2_m2_max\", above: 1.0)],\n  raster_exceedance: [(raster: \"gas0_drum_peak_ppm\", above: 2.0)],",
        )
        .unwrap();
    }

    #[test]
    fn misspelt_raster_is_located_with_a_suggestion() {
        let e =
            check("  raster_exceedance: [\n    (raster: \"gas0_drm_peak_ppm\", above: 2.0),\n  ],")
                .unwrap_err();
        assert!(e.contains("s.ron:4:"), "{e}");
        assert!(e.contains("no raster `gas0_drm_peak_ppm`"), "{e}");
        assert!(e.contains("did you mean `gas0_drum_peak_ppm`?"), "{e}");
    }

    #[test]
    fn misspelt_metrics_are_located_with_suggestions() {
        let e = check(
            "  metrics: Some([\"gas_area_aegl2_m2\", \"gas[0].levels[1].max_distnce_m\"]),\n  exceedance: [(metric: \"gas_area_aegl2_m2_mx\", above: 1.0)],",
        )
        .unwrap_err();
        assert!(e.contains("s.ron:3:"), "{e}");
        assert!(
            e.contains("did you mean `gas[0].levels[1].max_distance_m`?"),
            "{e}"
        );
        assert!(e.contains("s.ron:4:"), "{e}");
        assert!(e.contains("did you mean `gas_area_aegl2_m2_max`?"), "{e}");
    }

    #[test]
    fn exceedance_of_an_unselected_metric_is_an_error() {
        let e = check(
            "  metrics: Some([\"gas_area_aegl2_m2\"]),\n  exceedance: [(metric: \"gas_area_aegl1_m2_max\", above: 1.0)],",
        )
        .unwrap_err();
        assert!(e.contains("not among the sweep's `metrics`"), "{e}");
    }

    /// Every shipped sweep names outputs its base scenario has.
    #[test]
    fn shipped_sweeps_pass() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/sweeps");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "ron"))
            .collect();
        files.sort();
        for f in files {
            let ctx = BatchContext::new(crate::batch::load_sweep(&f).unwrap()).unwrap();
            if let Err(e) = ctx.check_output_names() {
                panic!("{}: {e}", f.display());
            }
        }
    }
}
