//! Time series of run metrics, one row per output interval, written to `timeseries.csv`.
//!
//! Systems in [`super::SimSet::Metrics`] add their values to the current [`MetricsRow`];
//! the last system of the set, [`record_row`], appends the row when an output time is
//! reached. Column order is the order the systems run in, which the schedule fixes.

use bevy_ecs::prelude::*;
use serde::{Deserialize, Serialize};

use super::clock::SimClock;
use crate::world::weather::WeatherNow;

/// Values collected during the current tick.
#[derive(Debug, Default, Resource)]
pub struct MetricsRow {
    values: Vec<(&'static str, f64)>,
}

impl MetricsRow {
    /// Adds a named value (SI units; the name carries the unit, e.g. `flooded_area_m2`).
    pub fn set(&mut self, name: &'static str, value: f64) {
        self.values.push((name, value));
    }

    /// The values set so far this tick.
    pub fn values(&self) -> Vec<(String, f64)> {
        self.values
            .iter()
            .map(|(n, v)| ((*n).to_owned(), *v))
            .collect()
    }
}

/// The recorded series.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Resource)]
pub struct TimeSeries {
    /// Column names (the first is `t_s`).
    pub columns: Vec<String>,
    /// Rows of values, one per output time.
    pub rows: Vec<Vec<f64>>,
    /// Output interval, s.
    pub interval_s: f64,
    /// Next output time, s.
    pub next_t_s: f64,
}

impl TimeSeries {
    /// An empty series written every `interval_s`.
    pub fn new(interval_s: f64) -> Self {
        Self {
            interval_s,
            next_t_s: interval_s,
            ..Self::default()
        }
    }

    /// The series as CSV text (values printed in shortest round-trip form).
    pub fn to_csv(&self) -> String {
        let mut out = self.columns.join(",");
        out.push('\n');
        for row in &self.rows {
            let cells: Vec<String> = row.iter().map(f64::to_string).collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        out
    }

    /// Last value of a column.
    pub fn last(&self, column: &str) -> Option<f64> {
        let i = self.columns.iter().position(|c| c == column)?;
        self.rows.last().map(|r| r[i])
    }
}

/// Adds the weather columns.
pub fn weather_metrics(weather: Res<'_, WeatherNow>, mut row: ResMut<'_, MetricsRow>) {
    row.set("wind_speed_m_s", weather.wind_speed_m_s);
    row.set("wind_from_deg", weather.wind_from_deg);
    row.set("temperature_c", weather.temperature_c);
    row.set("rain_mm_h", weather.rain_mm_h);
    if let Some(e) = weather.solar_elevation_deg {
        row.set("solar_elevation_deg", e);
    }
    if let Some(c) = weather.cloud_cover_oktas {
        row.set("cloud_cover_oktas", c);
    }
}

/// Appends the current row at output times (every interval and the end of the run), then
/// clears it. A row at time `t` holds the state at `t` and the weather that was in force
/// during the tick ending at `t`.
pub fn record_row(
    clock: Res<'_, SimClock>,
    mut row: ResMut<'_, MetricsRow>,
    mut series: ResMut<'_, TimeSeries>,
) {
    let t = clock.t_end_s();
    let due = t + 1e-9 >= series.next_t_s || t >= clock.duration_s;
    if due {
        if series.columns.is_empty() {
            series.columns.push("t_s".to_owned());
            series
                .columns
                .extend(row.values.iter().map(|(n, _)| (*n).to_owned()));
        }
        let mut values = Vec::with_capacity(row.values.len() + 1);
        values.push(t);
        values.extend(row.values.iter().map(|(_, v)| *v));
        series.rows.push(values);
        while series.next_t_s <= t + 1e-9 {
            series.next_t_s += series.interval_s;
        }
    }
    row.values.clear();
}
