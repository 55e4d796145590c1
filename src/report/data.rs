//! Reading a run folder: every file the report uses, with errors that name the file,
//! what is wrong and what to do. Only `summary.json` is required; the rest fills the
//! sections that apply.

use std::fmt;
use std::path::{Path, PathBuf};

use drillsim_engine::exercise::record::ExerciseRecord;
use drillsim_engine::scenario::types::Scenario;
use drillsim_engine::sim::events::SimEvent;

/// Why a report cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportError {
    /// The file or folder concerned.
    pub path: PathBuf,
    /// What is wrong with it.
    pub problem: String,
    /// What to do.
    pub hint: String,
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "error: cannot build the report: `{}` {}\n  hint: {}",
            self.path.display(),
            self.problem,
            self.hint
        )
    }
}

const RUN_FIRST: &str =
    "pass the folder written by `drillsim run <scenario.ron> --out DIR` (run it first)";

fn err(path: &Path, problem: impl Into<String>, hint: &str) -> ReportError {
    ReportError {
        path: path.to_path_buf(),
        problem: problem.into(),
        hint: hint.to_owned(),
    }
}

/// The CSV time series.
#[derive(Clone, Debug, Default)]
pub struct Series {
    /// Column names; the first is the time, s.
    pub columns: Vec<String>,
    /// Rows (empty cells are NaN).
    pub rows: Vec<Vec<f64>>,
}

impl Series {
    /// `(t_s, value)` of column `name`, if it exists.
    pub fn column(&self, name: &str) -> Option<Vec<(f64, f64)>> {
        let i = self.columns.iter().position(|c| c == name)?;
        Some(
            self.rows
                .iter()
                .filter_map(|r| Some((*r.first()?, *r.get(i)?)))
                .collect(),
        )
    }
}

/// One row of `agents/tasks.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskRow {
    /// Label.
    pub task: String,
    /// Capability needed.
    pub needs: String,
    /// Known at, s.
    pub known_s: f64,
    /// First dispatch, s.
    pub dispatched_s: Option<f64>,
    /// First team on scene, s.
    pub arrived_s: Option<f64>,
    /// Completed, s.
    pub done_s: Option<f64>,
}

/// One map of `maps/index.json`.
#[derive(Clone, Debug, PartialEq)]
pub struct MapEntry {
    /// File name inside `maps/`.
    pub file: String,
    /// Simulated time, s.
    pub t_s: f64,
    /// Why it was taken.
    pub reason: String,
}

/// Everything the report reads from a run folder.
#[derive(Debug)]
pub struct RunData {
    /// The run folder.
    pub dir: PathBuf,
    /// `summary.json`.
    pub summary: serde_json::Value,
    /// `scenario.ron`, parsed.
    pub scenario: Option<Scenario>,
    /// Why `scenario.ron` could not be used.
    pub scenario_note: Option<String>,
    /// `timeseries.csv`.
    pub series: Option<Series>,
    /// `events.jsonl`.
    pub events: Vec<SimEvent>,
    /// `exercise.json`.
    pub exercise: Option<ExerciseRecord>,
    /// `maps/index.json` (entries whose file exists).
    pub maps: Vec<MapEntry>,
    /// `agents/tasks.csv`.
    pub tasks: Option<Vec<TaskRow>>,
}

fn read_optional(path: &Path) -> Result<Option<String>, ReportError> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| {
            err(
                path,
                "is not UTF-8 text",
                "run outputs are UTF-8; run `drillsim run` again",
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(err(
            path,
            format!("cannot be read: {e}"),
            "check the permissions",
        )),
    }
}

impl RunData {
    /// Reads the run folder `dir`.
    pub fn load(dir: &Path) -> Result<Self, ReportError> {
        if !dir.is_dir() {
            let problem = if dir.exists() {
                "is not a folder"
            } else {
                "does not exist"
            };
            return Err(err(dir, problem, RUN_FIRST));
        }
        let summary_path = dir.join("summary.json");
        let Some(text) = read_optional(&summary_path)? else {
            return Err(err(
                &summary_path,
                "is missing, so this is not a drillsim run folder",
                RUN_FIRST,
            ));
        };
        let summary = serde_json::from_str(&text).map_err(|e| {
            err(
                &summary_path,
                format!("is not valid JSON: {e}"),
                "the run may have been interrupted; run `drillsim run` again",
            )
        })?;
        let (scenario, scenario_note) = match read_optional(&dir.join("scenario.ron"))? {
            None => (None, Some("scenario.ron is missing".to_owned())),
            Some(text) => {
                match drillsim_engine::scenario::parse(&text, "scenario.ron", dir.to_path_buf()) {
                    Ok(s) => (Some(s.scenario), None),
                    Err(e) => {
                        let first = e.to_string().lines().next().unwrap_or_default().to_owned();
                        (
                            None,
                            Some(format!("scenario.ron could not be read: {first}")),
                        )
                    }
                }
            }
        };
        let series_path = dir.join("timeseries.csv");
        let series = read_optional(&series_path)?
            .map(|t| parse_series(&t, &series_path))
            .transpose()?;
        let events_path = dir.join("events.jsonl");
        let mut events = Vec::new();
        if let Some(text) = read_optional(&events_path)? {
            for (n, line) in text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
            {
                events.push(serde_json::from_str(line).map_err(|e| {
                    err(
                        &events_path,
                        format!("line {}: not an event: {e}", n + 1),
                        "each line is one JSON event as written by `drillsim run`",
                    )
                })?);
            }
        }
        let ex_path = dir.join("exercise.json");
        let exercise = read_optional(&ex_path)?
            .map(|t| {
                serde_json::from_str::<ExerciseRecord>(&t).map_err(|e| {
                    err(
                        &ex_path,
                        format!("is not a valid exercise record: {e}"),
                        "it is written by `drillsim run` for scenarios with injects, chains or objectives; run it again",
                    )
                })
            })
            .transpose()?;
        let maps = read_maps(dir)?;
        let tasks_path = dir.join("agents").join("tasks.csv");
        let tasks = read_optional(&tasks_path)?
            .map(|t| parse_tasks(&t, &tasks_path))
            .transpose()?;
        Ok(Self {
            dir: dir.to_path_buf(),
            summary,
            scenario,
            scenario_note,
            series,
            events,
            exercise,
            maps,
            tasks,
        })
    }

    /// Scenario name (from the scenario, else the summary).
    pub fn name(&self) -> String {
        self.scenario.as_ref().map_or_else(
            || {
                self.summary["scenario"]
                    .as_str()
                    .unwrap_or("drillsim run")
                    .to_owned()
            },
            |s| s.meta.name.clone(),
        )
    }
}

fn parse_series(text: &str, path: &Path) -> Result<Series, ReportError> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let columns: Vec<String> = lines
        .next()
        .map(|h| h.split(',').map(|c| c.trim().to_owned()).collect())
        .unwrap_or_default();
    let mut rows = Vec::new();
    for (n, line) in lines.enumerate() {
        let row = line
            .split(',')
            .map(|c| {
                let c = c.trim();
                if c.is_empty() {
                    Ok(f64::NAN)
                } else {
                    c.parse::<f64>()
                }
            })
            .collect::<Result<Vec<f64>, _>>()
            .map_err(|e| {
                err(
                    path,
                    format!("line {}: not a number: {e}", n + 2),
                    "the time series holds numbers only; run `drillsim run` again",
                )
            })?;
        rows.push(row);
    }
    Ok(Series { columns, rows })
}

/// Splits one CSV line (double-quoted fields may hold commas; `""` is a quote).
fn split_csv(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                if let Some(s) = out.last_mut() {
                    s.push('"');
                }
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            _ => {
                if let Some(s) = out.last_mut() {
                    s.push(c);
                }
            }
        }
    }
    out
}

fn parse_tasks(text: &str, path: &Path) -> Result<Vec<TaskRow>, ReportError> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = split_csv(lines.next().unwrap_or_default());
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(task), Some(needs), Some(known), Some(disp), Some(arr), Some(done)) = (
        col("task"),
        col("needs"),
        col("known_s"),
        col("dispatched_s"),
        col("arrived_s"),
        col("done_s"),
    ) else {
        return Err(err(
            path,
            "lacks a column (task, needs, known_s, dispatched_s, arrived_s, done_s)",
            "run `drillsim run` again with this version",
        ));
    };
    let mut rows = Vec::new();
    for (n, line) in lines.enumerate() {
        let f = split_csv(line);
        let num = |i: usize| -> Result<Option<f64>, ReportError> {
            let c = f.get(i).map_or("", |s| s.trim());
            if c.is_empty() {
                return Ok(None);
            }
            c.parse().map(Some).map_err(|e| {
                err(
                    path,
                    format!("line {}: `{c}` is not a number: {e}", n + 2),
                    "run `drillsim run` again",
                )
            })
        };
        rows.push(TaskRow {
            task: f.get(task).cloned().unwrap_or_default(),
            needs: f.get(needs).cloned().unwrap_or_default(),
            known_s: num(known)?.unwrap_or(f64::NAN),
            dispatched_s: num(disp)?,
            arrived_s: num(arr)?,
            done_s: num(done)?,
        });
    }
    Ok(rows)
}

fn read_maps(dir: &Path) -> Result<Vec<MapEntry>, ReportError> {
    let path = dir.join("maps").join("index.json");
    let Some(text) = read_optional(&path)? else {
        return Ok(Vec::new());
    };
    let bad = |e: String| {
        err(
            &path,
            format!("is not a map index: {e}"),
            "it is written by `drillsim run`; run it again",
        )
    };
    let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    let list = doc["maps"]
        .as_array()
        .ok_or_else(|| bad("no `maps` list".into()))?;
    let mut out = Vec::new();
    for m in list {
        let (Some(file), Some(t_s)) = (m["file"].as_str(), m["t_s"].as_f64()) else {
            return Err(bad("an entry lacks `file` or `t_s`".into()));
        };
        // Only plain file names inside maps/ (never paths elsewhere).
        if file.contains(['/', '\\']) || file.starts_with('.') {
            return Err(bad(format!("`{file}` is not a file name")));
        }
        if dir.join("maps").join(file).is_file() {
            out.push(MapEntry {
                file: file.to_owned(),
                t_s,
                reason: m["reason"].as_str().unwrap_or_default().to_owned(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_with_quotes_and_commas() {
        assert_eq!(
            split_csv(r#""Leak, tank ""A""",StopLeak,10,,"#),
            vec!["Leak, tank \"A\"", "StopLeak", "10", "", ""]
        );
    }
}
