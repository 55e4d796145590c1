//! The results table of a batch with typed columns: `results.csv` is its text form and
//! `results.parquet` (root crate, feature `parquet`) its columnar form, so both hold the
//! same columns and rows by construction.
//!
//! Columns: `run`, `point`, `replication`, `seed` (unsigned integers), one column per
//! axis (integers if every value is a JSON integer, floats if every value is a number,
//! else the values' compact JSON text), then one float column per metric (missing or
//! undefined values are empty in the CSV and null in Parquet).

use serde_json::Value;

use super::journal::RunRecord;
use super::results::Manifest;

/// The cells of one column.
#[derive(Clone, Debug, PartialEq)]
pub enum Cells {
    /// Unsigned integers (run, point, replication, seed).
    UInt(Vec<u64>),
    /// Signed integers (axes whose values are all JSON integers).
    Int(Vec<i64>),
    /// Floats; `None` is an empty cell.
    Float(Vec<Option<f64>>),
    /// Text (axes with non-numeric values: their compact JSON text).
    Text(Vec<String>),
}

impl Cells {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Self::UInt(v) => v.len(),
            Self::Int(v) => v.len(),
            Self::Float(v) => v.len(),
            Self::Text(v) => v.len(),
        }
    }

    /// True if the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One named column.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// Header.
    pub name: String,
    /// Cells, one per row.
    pub cells: Cells,
}

/// A typed table; every column has the same number of rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Columns in order.
    pub columns: Vec<Column>,
    /// Axis cells exactly as written in the CSV (compact JSON text), per axis column.
    axis_text: Vec<Vec<String>>,
}

/// Metric names in the order first met, runs taken in run-index order.
pub fn metric_names(records: &[RunRecord]) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut names = Vec::new();
    for r in records {
        for (n, _) in &r.metrics {
            if seen.insert(n.clone()) {
                names.push(n.clone());
            }
        }
    }
    names
}

/// The value of metric `name` in `r` (`NaN` if absent or not a number).
pub fn metric_value(r: &RunRecord, name: &str) -> f64 {
    r.metrics
        .iter()
        .find(|(n, _)| n == name)
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(f64::NAN)
}

fn axis_cells(texts: Vec<String>) -> Cells {
    let values: Vec<Option<Value>> = texts.iter().map(|t| serde_json::from_str(t).ok()).collect();
    let ints: Option<Vec<i64>> = values
        .iter()
        .map(|v| v.as_ref().and_then(Value::as_i64))
        .collect();
    if let Some(i) = ints {
        return Cells::Int(i);
    }
    let floats: Option<Vec<Option<f64>>> = values
        .iter()
        .map(|v| v.as_ref().and_then(Value::as_f64).map(Some))
        .collect();
    floats.map_or(Cells::Text(texts), Cells::Float)
}

impl Table {
    /// The results of sorted `records` (runs missing from the manifest are skipped).
    pub fn of(manifest: &Manifest, records: &[RunRecord]) -> Self {
        let rows: Vec<_> = records
            .iter()
            .filter_map(|r| {
                manifest
                    .runs
                    .get(r.run as usize)
                    .filter(|m| m.run == r.run)
                    .map(|m| (m, r))
            })
            .collect();
        let uint = |name: &str, f: &dyn Fn(usize) -> u64| Column {
            name: name.to_owned(),
            cells: Cells::UInt((0..rows.len()).map(f).collect()),
        };
        let mut columns = vec![
            uint("run", &|k| rows[k].0.run),
            uint("point", &|k| rows[k].0.point),
            uint("replication", &|k| u64::from(rows[k].0.replication)),
            uint("seed", &|k| rows[k].0.seed),
        ];
        let mut axis_text = Vec::new();
        for (a, name) in manifest.axes.iter().enumerate() {
            let texts: Vec<String> = rows
                .iter()
                .map(|(m, _)| m.values.get(a).cloned().unwrap_or_default())
                .collect();
            columns.push(Column {
                name: name.clone(),
                cells: axis_cells(texts.clone()),
            });
            axis_text.push(texts);
        }
        let records: Vec<RunRecord> = rows.iter().map(|(_, r)| (*r).clone()).collect();
        for n in metric_names(&records) {
            let cells = records
                .iter()
                .map(|r| Some(metric_value(r, &n)).filter(|v| !v.is_nan()))
                .collect();
            columns.push(Column {
                name: n,
                cells: Cells::Float(cells),
            });
        }
        Self { columns, axis_text }
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.cells.len())
    }

    /// The CSV text: a header line, then one line per row.
    pub fn to_csv(&self) -> String {
        let header: Vec<String> = self.columns.iter().map(|c| csv_cell(&c.name)).collect();
        let mut out = header.join(",") + "\n";
        for k in 0..self.rows() {
            let mut axis = 0;
            let cells: Vec<String> = self
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    if (4..4 + self.axis_text.len()).contains(&i) {
                        axis += 1;
                        return csv_cell(&self.axis_text[axis - 1][k]);
                    }
                    match &c.cells {
                        Cells::UInt(v) => v[k].to_string(),
                        Cells::Int(v) => v[k].to_string(),
                        Cells::Float(v) => v[k].map(|x| x.to_string()).unwrap_or_default(),
                        Cells::Text(v) => csv_cell(&v[k]),
                    }
                })
                .collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        out
    }
}

/// A CSV cell, quoted when it holds a comma, a quote or a newline (RFC 4180).
pub fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_columns_are_typed_by_their_values() {
        let t = |v: &[&str]| axis_cells(v.iter().map(|s| (*s).to_owned()).collect());
        assert_eq!(t(&["1", "-2"]), Cells::Int(vec![1, -2]));
        assert_eq!(t(&["1", "2.5"]), Cells::Float(vec![Some(1.0), Some(2.5)]));
        assert_eq!(
            t(&["1", "\"D\""]),
            Cells::Text(vec!["1".into(), "\"D\"".into()])
        );
        assert_eq!(t(&["[1.0,2.0]"]), Cells::Text(vec!["[1.0,2.0]".into()]));
    }
}
