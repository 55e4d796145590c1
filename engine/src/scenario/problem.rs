//! A problem found while checking a scenario's values: where (a field path), what was
//! expected, and a hint. The loader turns paths into file line:column locations.

use std::fmt;

/// One invalid value in a scenario, located by its field path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Field path from the scenario root, e.g. `map.cell_size_m` or
    /// `hazards[0].inflows[1].hydrograph[3]`.
    pub path: String,
    /// What was expected, e.g. "a cell size > 0 m".
    pub expected: String,
    /// What was found, e.g. "-5".
    pub found: String,
    /// How to fix it.
    pub hint: String,
}

impl Problem {
    /// A problem at `path`.
    pub fn new(
        path: impl Into<String>,
        expected: impl Into<String>,
        found: impl fmt::Display,
        hint: impl Into<String>,
    ) -> Self {
        Self {
            path: path.into(),
            expected: expected.into(),
            found: found.to_string(),
            hint: hint.into(),
        }
    }
}

impl fmt::Display for Problem {
    /// `path: expected E, found F (hint)`, one line (the loader's file:line:column
    /// rendering is [`crate::scenario::load`]'s job).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: expected {}, found {}",
            self.path, self.expected, self.found
        )?;
        if !self.hint.is_empty() {
            write!(f, " ({})", self.hint)?;
        }
        Ok(())
    }
}

/// Joins a parent path and a field name (`join("a.b", "c") == "a.b.c"`).
pub fn join(parent: &str, field: &str) -> String {
    if parent.is_empty() {
        field.to_owned()
    } else {
        format!("{parent}.{field}")
    }
}

/// Joins a parent path and a list index (`index("a.b", 2) == "a.b[2]"`).
pub fn index(parent: &str, i: usize) -> String {
    format!("{parent}[{i}]")
}

/// Ids seen so far in a scenario section, to report the second use of one.
#[derive(Default)]
pub struct UniqueIds {
    seen: Vec<(String, String)>,
}

impl UniqueIds {
    /// Records `id` at `path`, or reports it if an earlier path already used it.
    pub fn check(&mut self, id: &str, path: String, out: &mut Vec<Problem>) {
        if let Some((_, first)) = self.seen.iter().find(|(x, _)| x == id) {
            out.push(Problem::new(
                path,
                "a unique id",
                format!("\"{id}\""),
                format!("the id is already used at {first}"),
            ));
        } else {
            self.seen.push((id.to_owned(), path));
        }
    }
}

/// Reports a problem unless `value` is finite and within `[lo, hi]`.
pub fn check_range(
    out: &mut Vec<Problem>,
    path: &str,
    value: f64,
    lo: f64,
    hi: f64,
    unit: &str,
    hint: &str,
) {
    if !(value.is_finite() && value >= lo && value <= hi) {
        out.push(Problem::new(
            path,
            format!("a number from {lo} to {hi} {unit}")
                .trim_end()
                .to_owned(),
            value,
            hint,
        ));
    }
}

/// Reports a problem unless `value` is finite and strictly positive.
pub fn check_positive(out: &mut Vec<Problem>, path: &str, value: f64, unit: &str, hint: &str) {
    if !(value.is_finite() && value > 0.0) {
        out.push(Problem::new(
            path,
            format!("a number > 0 {unit}").trim_end().to_owned(),
            value,
            hint,
        ));
    }
}

/// Reports a problem unless `value` is finite and not negative.
pub fn check_non_negative(out: &mut Vec<Problem>, path: &str, value: f64, unit: &str, hint: &str) {
    if !(value.is_finite() && value >= 0.0) {
        out.push(Problem::new(
            path,
            format!("a number ≥ 0 {unit}").trim_end().to_owned(),
            value,
            hint,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_displays_on_one_line_with_its_hint() {
        let p = Problem::new("map.cell_size_m", "a cell size > 0 m", -5, "use e.g. 10");
        assert_eq!(
            p.to_string(),
            "map.cell_size_m: expected a cell size > 0 m, found -5 (use e.g. 10)"
        );
        let p = Problem::new("a", "b", "c", "");
        assert_eq!(p.to_string(), "a: expected b, found c");
    }
}
