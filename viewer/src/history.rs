//! Metrics history for the charts: the engine's time-series rows (one per output
//! interval, see `drillsim_engine::sim::metrics`) as the run produces them, plus a few
//! values the viewer derives from the response state at the same moments (people in
//! flood danger, response times of tasks).
//!
//! Incremental: after each tick the sim thread calls [`MetricsHistory::observe`], which
//! copies only the rows added since the last call. Bounded: past [`MAX_POINTS`] points,
//! every other point is dropped (the first one stays), halving the resolution of the
//! past, as the rewind snapshots do. A rewind drops the points after the restored time
//! ([`MetricsHistory::rewind_to`]); the engine's own series is restored with the
//! snapshot, so observing again continues from there.

use drillsim_engine::Simulation;
use drillsim_engine::agents::state::Response;

/// Most points kept per series.
pub const MAX_POINTS: usize = 2048;

/// Hazard rating from which people are counted in danger (FD2320 "danger for most",
/// the threshold the engine's exposure model uses).
pub const DANGER_HR: f64 = 1.25;

/// Column names read from the engine's series, in [`Sample::values`] order.
pub const COLUMNS: [&str; 18] = [
    "flooded_area_m2",
    "max_depth_m",
    "people_evacuated",
    "people_in_shelters",
    "people_waiting_rescue",
    "people_warned",
    "expected_fatalities",
    "expected_injuries",
    "gas_area_aegl3_m2",
    "gas_area_aegl2_m2",
    "gas_area_aegl1_m2",
    "teams_out_of_action",
    "fire_burned_area_m2",
    "fire_max_flame_length_m",
    "chem_fire_thermal_area_10kw_m2",
    "chem_fire_thermal_area_5kw_m2",
    "chem_fire_thermal_area_2kw_m2",
    // Derived by the viewer (not an engine column; kept last).
    "people_in_flood_danger",
];

/// Index of a column in [`COLUMNS`].
pub fn column(name: &str) -> Option<usize> {
    COLUMNS.iter().position(|c| *c == name)
}

/// One moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    /// Simulated time, s.
    pub t_s: f64,
    /// Values of [`COLUMNS`] (NaN where the run has no such column).
    pub values: [f64; COLUMNS.len()],
}

/// The history published with each frame.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MetricsHistory {
    /// Samples in time order (decimated past [`MAX_POINTS`]).
    pub samples: Vec<Sample>,
    /// Tasks reached so far: (arrival time, s; response time dispatch → arrival, s).
    pub response_times: Vec<(f64, f64)>,
    /// Engine rows consumed so far.
    rows_seen: usize,
    /// Keep one engine row in `stride` (doubles at each decimation).
    stride: usize,
    /// The last sample is off the stride (kept only as the newest).
    tail_off_stride: bool,
}

impl MetricsHistory {
    /// Which columns the run has at all (false: the chart says so instead of plotting).
    pub fn has(&self, col: usize) -> bool {
        self.samples.iter().any(|s| s.values[col].is_finite())
    }

    /// The points of one column as `[hours, value × scale]`.
    pub fn points(&self, col: usize, scale: f64) -> Vec<[f64; 2]> {
        self.samples
            .iter()
            .filter(|s| s.values[col].is_finite())
            .map(|s| [s.t_s / 3600.0, s.values[col] * scale])
            .collect()
    }

    /// True if the engine has rows not yet copied.
    pub fn is_behind(&self, sim: &Simulation) -> bool {
        sim.series().rows.len() != self.rows_seen
    }

    /// Copies the engine rows added since the last call (returns true if any).
    pub fn observe(&mut self, sim: &Simulation) -> bool {
        let series = sim.series();
        if series.rows.len() < self.rows_seen {
            // The engine series got shorter without a rewind we were told of.
            self.rows_seen = series.rows.len();
        }
        if series.rows.len() == self.rows_seen {
            return false;
        }
        let idx: Vec<Option<usize>> = COLUMNS
            .iter()
            .map(|c| series.columns.iter().position(|s| s == c))
            .collect();
        let response = sim.world().get_resource::<Response>();
        let danger = response.map_or(f64::NAN, |r| {
            r.groups
                .iter()
                .filter(|g| g.exposure.max_hr >= DANGER_HR)
                .map(|g| g.people)
                .sum()
        });
        let stride = self.stride.max(1);
        for (i, row) in series.rows.iter().enumerate().skip(self.rows_seen) {
            let last = i + 1 == series.rows.len();
            if i % stride != 0 && !last {
                continue;
            }
            let mut values = [f64::NAN; COLUMNS.len()];
            for (v, j) in values.iter_mut().zip(&idx) {
                if let Some(j) = j {
                    *v = row.get(*j).copied().unwrap_or(f64::NAN);
                }
            }
            // The derived value is only known now, i.e. for the newest row.
            if last {
                values[COLUMNS.len() - 1] = danger;
            }
            let t_s = row.first().copied().unwrap_or(0.0);
            // The newest row is kept even off the stride, until the next one replaces it.
            if self.tail_off_stride {
                self.samples.pop();
            }
            self.samples.push(Sample { t_s, values });
            self.tail_off_stride = i % stride != 0;
        }
        self.rows_seen = series.rows.len();
        if let Some(r) = response {
            self.response_times.clear();
            self.response_times.extend(
                r.tasks
                    .iter()
                    .filter_map(|t| Some((t.arrived_s?, t.arrived_s? - t.dispatched_s?))),
            );
            self.response_times.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
        self.decimate();
        true
    }

    fn decimate(&mut self) {
        while self.samples.len() > MAX_POINTS {
            let mut i = 0;
            self.samples.retain(|_| {
                i += 1;
                i % 2 == 1
            });
            self.stride = self.stride.max(1) * 2;
        }
    }

    /// Drops what lies after `t_s` (a rewind restored the engine to that time).
    pub fn rewind_to(&mut self, t_s: f64, engine_rows: usize) {
        self.samples.retain(|s| s.t_s <= t_s + 1e-9);
        self.response_times.retain(|r| r.0 <= t_s + 1e-9);
        self.rows_seen = engine_rows.min(self.rows_seen);
        self.tail_off_stride = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::flagship;

    #[test]
    fn follows_the_engine_series_and_rewinds() {
        let mut sim = flagship();
        let mut h = MetricsHistory::default();
        for _ in 0..120 {
            sim.step();
            h.observe(&sim);
        }
        // One sample per engine row (the flagship writes a row every 60 s).
        assert_eq!(h.samples.len(), sim.series().rows.len());
        assert!(h.samples.len() >= 10);
        let flood = column("flooded_area_m2").unwrap();
        assert!(h.has(flood), "the flagship has a flood");
        assert_eq!(
            h.samples.last().unwrap().values[flood],
            sim.series().last("flooded_area_m2").unwrap()
        );
        assert!(h.samples.windows(2).all(|w| w[0].t_s < w[1].t_s));
        h.rewind_to(300.0, 5);
        assert!(h.samples.iter().all(|s| s.t_s <= 300.0));
        assert_eq!(h.samples.len(), 5);
        assert!(!h.observe(&{
            // Observing a run at the same number of rows adds nothing.
            let mut s = flagship();
            s.run_until(300.0);
            s
        }));
    }

    #[test]
    fn decimation_bounds_the_points_and_keeps_the_first() {
        let mut h = MetricsHistory::default();
        for i in 0..(MAX_POINTS + 10) {
            h.samples.push(Sample {
                t_s: i as f64,
                values: [0.0; COLUMNS.len()],
            });
        }
        h.decimate();
        assert!(h.samples.len() <= MAX_POINTS);
        assert_eq!(h.samples[0].t_s, 0.0);
        assert_eq!(h.stride, 2);
        assert_eq!(h.points(0, 2.0)[1], [2.0 / 3600.0, 0.0]);
    }
}
