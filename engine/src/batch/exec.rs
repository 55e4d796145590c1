//! Running one planned run: build its scenario from the base and the run's axis values,
//! simulate to the end, and extract metrics and exceedance masks.

use std::path::Path;

use serde_json::Value;

use super::design::PlannedRun;
use super::journal::{Mask, RunRecord, fmt_f64};
use super::path::{apply, to_value};
use super::sweep::LoadedSweep;
use crate::scenario::problem::index;
use crate::scenario::{Diagnostic, LoadedScenario, ScenarioError};
use crate::sim::outputs::RunOutputs;
use crate::{RunConfig, Simulation};

/// A sweep with its base scenario, ready to build runs.
#[derive(Clone, Debug)]
pub struct BatchContext {
    /// The sweep.
    pub sweep: LoadedSweep,
    /// The base scenario as loaded.
    pub base: LoadedScenario,
    base_value: Value,
}

impl BatchContext {
    /// Loads the sweep's base scenario.
    pub fn new(sweep: LoadedSweep) -> Result<Self, ScenarioError> {
        let base = crate::scenario::load(&sweep.base_path).map_err(|e| {
            let mut e = e;
            if let Some(d) = e.diagnostics.first_mut() {
                d.message = format!("{} (base scenario of {})", d.message, sweep.file);
            }
            e
        })?;
        let base_value = to_value(&base.scenario)
            .map_err(|e| ScenarioError::one(Diagnostic::new(&base.file, e.message).hint(e.hint)))?;
        Ok(Self {
            sweep,
            base,
            base_value,
        })
    }

    /// The scenario of one run, parsed and checked like a scenario file.
    pub fn scenario(&self, run: &PlannedRun) -> Result<LoadedScenario, ScenarioError> {
        let axes = &self.sweep.sweep.axes;
        let settings: Vec<(&str, Value, bool)> = axes
            .iter()
            .zip(&run.values)
            .map(|(a, v)| (a.path.as_str(), v.clone(), a.values.is_continuous()))
            .collect();
        let scenario = apply(&self.base_value, &settings).map_err(|(k, e)| {
            self.sweep_error(
                &format!("{}.path", index("axes", k)),
                format!("run {}: {}", run.run, e.message),
                e.hint,
            )
        })?;
        let text = ron::ser::to_string_pretty(&scenario, ron::ser::PrettyConfig::default())
            .map_err(|e| self.sweep_error("axes", format!("run {}: {e}", run.run), ""))?;
        let label = format!("{} (run {})", self.base.file, run.run);
        crate::scenario::parse(&text, &label, self.base.base_dir.clone()).map_err(|e| {
            let values: Vec<String> = axes
                .iter()
                .zip(run.value_texts())
                .map(|(a, v)| format!("{} = {v}", a.path))
                .collect();
            let mut out = Vec::new();
            for d in e.diagnostics {
                let k = axes
                    .iter()
                    .position(|a| d.message.contains(&a.path))
                    .map_or_else(
                        || "axes".to_owned(),
                        |k| format!("{}.values", index("axes", k)),
                    );
                let mut nd = self.sweep_error(
                    &k,
                    format!("run {} ({}): {}", run.run, values.join(", "), d.message),
                    d.hint.unwrap_or_default(),
                );
                if let (Some(first), Some(detail)) = (nd.diagnostics.first_mut(), d.detail) {
                    first.detail = Some(detail);
                }
                out.extend(nd.diagnostics);
            }
            ScenarioError { diagnostics: out }
        })
    }

    pub(super) fn sweep_error(
        &self,
        path: &str,
        message: String,
        hint: impl Into<String>,
    ) -> ScenarioError {
        let pos = crate::scenario::spans::SpanIndex::new(&self.sweep.text).locate(path);
        ScenarioError::one(
            Diagnostic::new(&self.sweep.file, message)
                .at(pos, &self.sweep.text)
                .hint(hint),
        )
    }
}

/// Runs one planned run. `run_dir`, if given, receives the run's full output folder.
pub fn run_one(
    ctx: &BatchContext,
    run: &PlannedRun,
    run_dir: Option<&Path>,
) -> Result<RunRecord, String> {
    let scenario = ctx.scenario(run).map_err(|e| e.to_string())?;
    let (png, ascii) = (
        scenario.scenario.run.outputs.png,
        scenario.scenario.run.outputs.ascii_grid,
    );
    let epsg = scenario.scenario.map.epsg;
    let mut sim = Simulation::from_scenario(
        scenario,
        RunConfig {
            seed: Some(run.seed),
            run_index: run.run,
        },
    )
    .map_err(|e| e.to_string())?;
    sim.run_to_end(|_| {});
    let outputs = sim.collect_outputs();
    let sweep = &ctx.sweep.sweep;
    let metrics = metrics_of(&sim, &outputs, sweep.metrics.as_deref());
    let mut masks = Vec::new();
    for t in &sweep.raster_exceedance {
        let Some(r) = outputs.rasters.iter().find(|r| r.name == t.raster) else {
            let names: Vec<&str> = outputs.rasters.iter().map(|r| r.name.as_str()).collect();
            return Err(format!(
                "run {}: no raster `{}` for raster_exceedance; this scenario writes {}",
                run.run,
                t.raster,
                names.join(", ")
            ));
        };
        masks.push(Mask::of(&r.grid, t.above, epsg));
    }
    if let Some(dir) = run_dir {
        crate::output::write_run(&sim, dir, png, ascii)
            .map_err(|e| format!("run {}: {e}", run.run))?;
    }
    Ok(RunRecord {
        run: run.run,
        seed: run.seed,
        metrics: metrics.into_iter().map(|(n, v)| (n, fmt_f64(v))).collect(),
        masks,
    })
}

/// Metrics of a finished run: `<column>_final` and `<column>_max` of each time-series
/// column, then every numeric value of the summary entries by path (e.g.
/// `gas[0].levels[1].area_m2`). `select` keeps names equal to an entry, or whose
/// time-series column is an entry.
pub fn metrics_of(
    sim: &Simulation,
    outputs: &RunOutputs,
    select: Option<&[String]>,
) -> Vec<(String, f64)> {
    let keep =
        |base: &str, full: &str| select.is_none_or(|s| s.iter().any(|m| m == base || m == full));
    let series = sim.series();
    let mut out = Vec::new();
    for (c, name) in series.columns.iter().enumerate().skip(1) {
        let last = series.rows.last().map_or(f64::NAN, |r| r[c]);
        let max = series
            .rows
            .iter()
            .map(|r| r[c])
            .filter(|v| !v.is_nan())
            .fold(f64::NAN, f64::max);
        let (f, m) = (format!("{name}_final"), format!("{name}_max"));
        if keep(name, &f) {
            out.push((f, last));
        }
        if keep(name, &m) {
            out.push((m, max));
        }
    }
    for (key, value) in &outputs.summary {
        let mut leaves = Vec::new();
        flatten(key, value, &mut leaves);
        out.extend(leaves.into_iter().filter(|(n, _)| keep(n, n)));
    }
    out
}

fn flatten(path: &str, v: &Value, out: &mut Vec<(String, f64)>) {
    match v {
        Value::Number(n) => out.push((path.to_owned(), n.as_f64().unwrap_or(f64::NAN))),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten(&format!("{path}[{i}]"), item, out);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                flatten(&format!("{path}.{k}"), item, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::sweep::parse_sweep;

    /// Every shipped scenario survives the generic-value round trip and the RON text
    /// written for a run parses back to the same value: sweeping with no axes changes
    /// nothing.
    #[test]
    fn shipped_scenarios_round_trip_through_runs() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "ron"))
            .collect();
        names.sort();
        assert!(names.len() >= 5);
        for p in names {
            let file = p.file_name().unwrap().to_string_lossy().into_owned();
            let text = format!("Sweep(base: \"{file}\")");
            let sweep = parse_sweep(&text, "s.ron", &dir).unwrap();
            let ctx = BatchContext::new(sweep).unwrap();
            let plan = crate::batch::plan(&ctx.sweep.sweep);
            let s = ctx
                .scenario(&plan[0])
                .unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(
                to_value(&s.scenario).unwrap(),
                ctx.base_value,
                "{file}: round trip"
            );
        }
    }

    #[test]
    fn bad_axis_path_is_reported_in_the_sweep() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
        let text = "Sweep(\n  base: \"chem_chlorine_park.ron\",\n  axes: [\n    (path: \"weather.wind[0].sped_m_s\", values: List([2.0])),\n  ],\n)";
        let ctx = BatchContext::new(parse_sweep(text, "s.ron", &dir).unwrap()).unwrap();
        let plan = crate::batch::plan(&ctx.sweep.sweep);
        let e = ctx.scenario(&plan[0]).unwrap_err().to_string();
        assert!(e.contains("s.ron:4:"), "{e}");
        assert!(e.contains("has no field `sped_m_s`"), "{e}");
        assert!(e.contains("did you mean `speed_m_s`?"), "{e}");
    }
}
