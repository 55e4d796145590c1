//! The batch folder: `manifest.json`, `journal.jsonl`, and the files derived from them —
//! `results.csv` (one row per run, in run-index order), `aggregates.csv`,
//! `aggregates_by_point.csv` (over the replications of each design point),
//! `aggregates.json`, `exceedance.csv` and per-cell exceedance-probability rasters
//! (`exceedance/<raster>_gt_<value>.tif` and `.png`). Derived files are always
//! rebuilt from the journal and written atomically (temporary file, then rename), so a
//! batch run with any number of threads, resumed, or merged from shards gives the same
//! bytes.

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::design::PlannedRun;
use super::exec::BatchContext;
use super::journal::RunRecord;
use super::stats::{Stats, exceedance, stats};
use super::sweep::{Design, RasterThreshold, Threshold};
use super::table::{Table, csv_cell, metric_names, metric_value as value};
use crate::world::grid::{Grid, GridSpec};
use crate::world::raster::{self, Ramp};

/// Identity and plan of a batch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Engine version that ran it.
    pub engine_version: String,
    /// Sweep name.
    pub sweep_name: String,
    /// Sweep file as named.
    pub sweep_file: String,
    /// FNV-1a hash of the sweep text (hex).
    pub sweep_hash: String,
    /// Base scenario file.
    pub base_scenario: String,
    /// FNV-1a hash of the base scenario text (hex).
    pub scenario_hash: String,
    /// Master seed.
    pub master_seed: u64,
    /// Design.
    pub design: Design,
    /// Runs per design point.
    pub replications: u32,
    /// Axis column names.
    pub axes: Vec<String>,
    /// Axis field paths.
    pub axis_paths: Vec<String>,
    /// `(i, n)` if this folder holds shard `i` of `n`.
    pub shard: Option<(u64, u64)>,
    /// Exceedance thresholds.
    pub exceedance: Vec<Threshold>,
    /// Raster exceedance thresholds.
    pub raster_exceedance: Vec<RasterThreshold>,
    /// Every run of the sweep (all shards).
    pub runs: Vec<ManifestRun>,
}

/// One run in the manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestRun {
    /// Run index.
    pub run: u64,
    /// Design point.
    pub point: u64,
    /// Replication.
    pub replication: u32,
    /// Seed.
    pub seed: u64,
    /// Axis values as compact JSON text.
    pub values: Vec<String>,
}

impl Manifest {
    /// The manifest of `plan` for a sweep context.
    pub fn new(ctx: &BatchContext, plan: &[PlannedRun], shard: Option<(u64, u64)>) -> Self {
        let s = &ctx.sweep.sweep;
        Self {
            engine_version: env!("CARGO_PKG_VERSION").to_owned(),
            sweep_name: s.name.clone(),
            sweep_file: ctx.sweep.file.clone(),
            sweep_hash: format!("{:016x}", ctx.sweep.hash()),
            base_scenario: ctx.base.file.clone(),
            scenario_hash: format!("{:016x}", ctx.base.text_hash()),
            master_seed: s.seed,
            design: s.design,
            replications: s.replications,
            axes: s.axes.iter().map(|a| a.column().to_owned()).collect(),
            axis_paths: s.axes.iter().map(|a| a.path.clone()).collect(),
            shard,
            exceedance: s.exceedance.clone(),
            raster_exceedance: s.raster_exceedance.clone(),
            runs: plan
                .iter()
                .map(|r| ManifestRun {
                    run: r.run,
                    point: r.point,
                    replication: r.replication,
                    seed: r.seed,
                    values: r.value_texts(),
                })
                .collect(),
        }
    }

    /// True if `other` describes the same sweep (ignoring the shard).
    pub fn same_sweep(&self, other: &Self) -> bool {
        let strip = |m: &Self| Self {
            shard: None,
            sweep_file: String::new(),
            base_scenario: String::new(),
            ..m.clone()
        };
        strip(self) == strip(other)
    }

    /// Reads `dir/manifest.json`.
    pub fn read(dir: &Path) -> Result<Self, String> {
        let p = dir.join("manifest.json");
        let text =
            fs::read_to_string(&p).map_err(|e| format!("cannot read `{}`: {e}", p.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("`{}`: {e}", p.display()))
    }

    /// Writes `dir/manifest.json` atomically.
    pub fn write(&self, dir: &Path) -> Result<(), String> {
        let text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())? + "\n";
        write_atomic(&dir.join("manifest.json"), text.as_bytes())
    }
}

/// Writes `bytes` to `path` through a temporary sibling and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    fs::write(&tmp, bytes)
        .and_then(|()| fs::File::open(&tmp)?.sync_all())
        .and_then(|()| fs::rename(&tmp, path))
        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))
}

/// Records sorted by run index with duplicates removed; a duplicate that differs is an
/// error (two different results for one run).
pub fn dedup(mut records: Vec<RunRecord>) -> Result<Vec<RunRecord>, String> {
    records.sort_by_key(|r| r.run);
    let mut out: Vec<RunRecord> = Vec::with_capacity(records.len());
    for r in records {
        match out.last() {
            Some(last) if last.run == r.run => {
                if *last != r {
                    return Err(format!("run {} has two different results", r.run));
                }
            }
            _ => out.push(r),
        }
    }
    Ok(out)
}

/// `results.csv`: `run,point,replication,seed,<axes…>,<metrics…>`; `records` sorted
/// (the text form of [`Table`]).
pub fn results_csv(manifest: &Manifest, records: &[RunRecord]) -> String {
    Table::of(manifest, records).to_csv()
}

/// Aggregates over the runs.
#[derive(Clone, Debug, Serialize)]
pub struct Aggregates {
    /// Runs aggregated.
    pub runs: usize,
    /// Runs in the sweep.
    pub planned_runs: usize,
    /// Per metric.
    pub metrics: Vec<(String, Stats)>,
    /// Per exceedance threshold.
    pub exceedance: Vec<Exceedance>,
}

/// One exceedance probability.
#[derive(Clone, Debug, Serialize)]
pub struct Exceedance {
    /// Metric.
    pub metric: String,
    /// Threshold.
    pub above: f64,
    /// Runs above.
    pub count: usize,
    /// Runs with a value.
    pub n: usize,
    /// `count / n`.
    pub probability: f64,
}

/// Computes the aggregates of sorted `records`.
pub fn aggregates(manifest: &Manifest, records: &[RunRecord]) -> Aggregates {
    let names = metric_names(records);
    let column = |n: &str| -> Vec<f64> { records.iter().map(|r| value(r, n)).collect() };
    Aggregates {
        runs: records.len(),
        planned_runs: manifest.runs.len(),
        metrics: names
            .iter()
            .map(|n| (n.clone(), stats(&column(n))))
            .collect(),
        exceedance: manifest
            .exceedance
            .iter()
            .map(|t| {
                let (count, n, probability) = exceedance(&column(&t.metric), t.above);
                Exceedance {
                    metric: t.metric.clone(),
                    above: t.above,
                    count,
                    n,
                    probability,
                }
            })
            .collect(),
    }
}

fn num(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else {
        v.to_string()
    }
}

impl Aggregates {
    /// `aggregates.csv`: `metric,n,mean,std,min,p5,p50,p95,max`.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("metric,n,mean,std,min,p5,p50,p95,max\n");
        for (name, s) in &self.metrics {
            let cells = [s.mean, s.std, s.min, s.p5, s.p50, s.p95, s.max].map(num);
            out.push_str(&format!("{},{},{}\n", csv_cell(name), s.n, cells.join(",")));
        }
        out
    }

    /// `exceedance.csv`: `metric,above,count,n,probability`.
    pub fn exceedance_csv(&self) -> String {
        let mut out = String::from("metric,above,count,n,probability\n");
        for e in &self.exceedance {
            out.push_str(&format!(
                "{},{},{},{},{}\n",
                csv_cell(&e.metric),
                e.above,
                e.count,
                e.n,
                num(e.probability)
            ));
        }
        out
    }
}

/// `aggregates_by_point.csv`: the statistics of every metric over the replications of
/// each design point: `point,<axes…>,metric,n,mean,std,min,p5,p50,p95,max`.
pub fn by_point_csv(manifest: &Manifest, records: &[RunRecord]) -> String {
    let names = metric_names(records);
    let mut header = vec!["point".to_owned()];
    header.extend(manifest.axes.iter().map(|a| csv_cell(a)));
    header.push("metric,n,mean,std,min,p5,p50,p95,max".to_owned());
    let mut out = header.join(",") + "\n";
    let mut start = 0;
    while start < records.len() {
        let point_of = |r: &RunRecord| manifest.runs.get(r.run as usize).map(|m| m.point);
        let p = point_of(&records[start]);
        let end = start
            + records[start..]
                .iter()
                .take_while(|r| point_of(r) == p)
                .count();
        let group = &records[start..end];
        if let Some(m) = manifest.runs.get(group[0].run as usize) {
            let values: Vec<String> = m.values.iter().map(|v| csv_cell(v)).collect();
            for n in &names {
                let x: Vec<f64> = group.iter().map(|r| value(r, n)).collect();
                let st = stats(&x);
                let cells = [st.mean, st.std, st.min, st.p5, st.p50, st.p95, st.max].map(num);
                out.push_str(&format!(
                    "{},{}{}{},{},{}\n",
                    m.point,
                    values.join(","),
                    if values.is_empty() { "" } else { "," },
                    csv_cell(n),
                    st.n,
                    cells.join(",")
                ));
            }
        }
        start = end;
    }
    out
}

/// A per-cell probability raster: file stem, grid, EPSG code.
pub type ProbabilityRaster = (String, Grid<f32>, Option<u32>);

/// Per-cell `P(raster > above)` over the runs, one grid per raster threshold.
pub fn exceedance_rasters(
    manifest: &Manifest,
    records: &[RunRecord],
) -> Result<Vec<ProbabilityRaster>, String> {
    let mut out = Vec::new();
    for (i, t) in manifest.raster_exceedance.iter().enumerate() {
        let masks: Vec<_> = records.iter().filter_map(|r| r.masks.get(i)).collect();
        let Some(first) = masks.first() else { continue };
        let spec = GridSpec {
            width: first.width,
            height: first.height,
            cell_size: first.cell_size_m,
            origin: first.origin,
        };
        if masks
            .iter()
            .any(|m| (m.width, m.height) != (spec.width, spec.height))
        {
            return Err(format!(
                "raster `{}` has different sizes in different runs; a sweep must not change the grid",
                t.raster
            ));
        }
        let n = masks.len() as f32;
        let mut counts = vec![0u32; spec.len()];
        for m in &masks {
            for (k, c) in counts.iter_mut().enumerate() {
                *c += u32::from(m.get(k));
            }
        }
        let grid = Grid::from_vec(spec, counts.iter().map(|&c| c as f32 / n).collect())
            .ok_or("internal error: mask size")?;
        out.push((format!("{}_gt_{}", t.raster, t.above), grid, first.epsg));
    }
    Ok(out)
}

/// Rebuilds every derived file of `dir` from `manifest` and `records` (sorted, unique).
pub fn write_results(
    dir: &Path,
    manifest: &Manifest,
    records: &[RunRecord],
) -> Result<Aggregates, String> {
    write_atomic(
        &dir.join("results.csv"),
        results_csv(manifest, records).as_bytes(),
    )?;
    let agg = aggregates(manifest, records);
    write_atomic(&dir.join("aggregates.csv"), agg.to_csv().as_bytes())?;
    write_atomic(
        &dir.join("aggregates_by_point.csv"),
        by_point_csv(manifest, records).as_bytes(),
    )?;
    write_atomic(&dir.join("exceedance.csv"), agg.exceedance_csv().as_bytes())?;
    let json = serde_json::to_string_pretty(&agg).map_err(|e| e.to_string())? + "\n";
    write_atomic(&dir.join("aggregates.json"), json.as_bytes())?;
    let rasters = exceedance_rasters(manifest, records)?;
    if !rasters.is_empty() {
        let ex = dir.join("exceedance");
        fs::create_dir_all(&ex).map_err(|e| format!("cannot create `{}`: {e}", ex.display()))?;
        for (name, grid, epsg) in rasters {
            let e = |e: raster::RasterError| e.to_string();
            raster::write_geotiff(&ex.join(format!("{name}.tif")), &grid, None, epsg).map_err(e)?;
            let rgba = raster::colorize(&grid, Ramp::Concentration, 0.0, 1.0);
            raster::write_png(
                &ex.join(format!("{name}.png")),
                grid.width() as u32,
                grid.height() as u32,
                &rgba,
            )
            .map_err(e)?;
        }
    }
    Ok(agg)
}
