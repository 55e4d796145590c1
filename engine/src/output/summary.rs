//! `summary.json`: what was run and its key results. It holds no wall-clock time or
//! host-specific data, so the same scenario and seed give the same bytes.

use serde::Serialize;

use super::RunOutputs;
use crate::sim::Simulation;
use crate::sim::events::EventKind;

/// Summary of one run.
#[derive(Clone, Debug, Serialize)]
pub struct RunSummary {
    /// Engine crate version.
    pub engine_version: &'static str,
    /// Scenario name.
    pub scenario: String,
    /// FNV-1a hash of the scenario text, hex.
    pub scenario_hash: String,
    /// Master seed.
    pub seed: u64,
    /// Run index within a batch.
    pub run_index: u64,
    /// Simulated time reached, s.
    pub simulated_s: f64,
    /// Agent ticks run.
    pub ticks: u64,
    /// Grid geometry.
    pub grid: GridSummary,
    /// Number of events by kind, in first-occurrence order.
    pub events: Vec<(EventKind, usize)>,
    /// Last value of every time-series column.
    pub final_values: Vec<(String, f64)>,
    /// Raster files written (stems).
    pub rasters: Vec<String>,
    /// Extra files written (paths relative to the run folder).
    pub files: Vec<String>,
    /// Per-capability results (e.g. `"fire"` → burned area).
    pub results: Vec<(String, serde_json::Value)>,
}

/// Grid geometry in the summary.
#[derive(Clone, Debug, Serialize)]
pub struct GridSummary {
    /// Columns.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// Cell size, m.
    pub cell_size_m: f64,
    /// Lower-left corner, m.
    pub origin: [f64; 2],
    /// EPSG code.
    pub epsg: Option<u32>,
    /// Elevation range, m.
    pub elevation_range_m: [f32; 2],
}

impl RunSummary {
    /// Summarises `sim`.
    pub fn of(sim: &Simulation, outputs: &RunOutputs) -> Self {
        let t = sim.terrain();
        let mut events: Vec<(EventKind, usize)> = Vec::new();
        for e in sim.events() {
            match events.iter_mut().find(|(k, _)| *k == e.kind) {
                Some(entry) => entry.1 += 1,
                None => events.push((e.kind, 1)),
            }
        }
        let series = sim.series();
        let final_values = series
            .columns
            .iter()
            .skip(1)
            .filter_map(|c| series.last(c).map(|v| (c.clone(), v)))
            .collect();
        let (lo, hi) = t.elevation.finite_range().unwrap_or((0.0, 0.0));
        let info = sim.run_info();
        Self {
            engine_version: env!("CARGO_PKG_VERSION"),
            scenario: sim.scenario().scenario.meta.name.clone(),
            scenario_hash: format!("{:016x}", sim.scenario_hash()),
            seed: info.seed,
            run_index: info.run_index,
            simulated_s: sim.time_s(),
            ticks: sim.clock().tick,
            grid: GridSummary {
                width: t.spec.width,
                height: t.spec.height,
                cell_size_m: t.spec.cell_size,
                origin: t.spec.origin,
                epsg: t.epsg,
                elevation_range_m: [lo, hi],
            },
            events,
            final_values,
            rasters: outputs.rasters.iter().map(|r| r.name.clone()).collect(),
            files: outputs.files.iter().map(|f| f.0.clone()).collect(),
            results: outputs.summary.clone(),
        }
    }

    /// Pretty JSON text.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}
