//! Located, human-readable scenario errors, rendered like compiler diagnostics:
//!
//! ```text
//! error: invalid value for `map.cell_size_m`
//!   --> scenarios/broken.ron:6:22
//!    |
//!  6 |         cell_size_m: -5.0,
//!    |                      ^ expected a number > 0 m, found -5
//!    = hint: the side of a square grid cell, e.g. 10.0
//! ```

use std::fmt;

use super::spans::Pos;

/// One error in a scenario file.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// The file as the user named it.
    pub file: String,
    /// Where in the file, if known.
    pub pos: Option<Pos>,
    /// One-line summary.
    pub message: String,
    /// What was expected and what was found, if applicable.
    pub detail: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
    /// The source line at `pos`, for display.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// A diagnostic without position.
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            pos: None,
            message: message.into(),
            detail: None,
            hint: None,
            source_line: None,
        }
    }

    /// Sets the position and copies the source line from `text`.
    pub fn at(mut self, pos: Option<Pos>, text: &str) -> Self {
        self.pos = pos;
        self.source_line = pos.and_then(|p| text.lines().nth(p.line - 1).map(str::to_owned));
        self
    }

    /// Sets the expected/found detail.
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// Sets the hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        let hint = hint.into();
        if !hint.is_empty() {
            self.hint = Some(hint);
        }
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        match self.pos {
            Some(p) => writeln!(f, "  --> {}:{}:{}", self.file, p.line, p.col)?,
            None => writeln!(f, "  --> {}", self.file)?,
        }
        if let (Some(p), Some(line)) = (self.pos, &self.source_line) {
            let num = p.line.to_string();
            let pad = " ".repeat(num.len());
            writeln!(f, " {pad} |")?;
            writeln!(f, " {num} | {}", line.replace('\t', " "))?;
            let caret_pad = " ".repeat(p.col.saturating_sub(1));
            match &self.detail {
                Some(d) => writeln!(f, " {pad} | {caret_pad}^ {d}")?,
                None => writeln!(f, " {pad} | {caret_pad}^")?,
            }
        } else if let Some(d) = &self.detail {
            writeln!(f, "   = {d}")?;
        }
        if let Some(h) = &self.hint {
            writeln!(f, "   = hint: {h}")?;
        }
        Ok(())
    }
}

/// All errors found in one scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioError {
    /// The errors, in file order where known.
    pub diagnostics: Vec<Diagnostic>,
}

impl ScenarioError {
    /// A single diagnostic.
    pub fn one(d: Diagnostic) -> Self {
        Self {
            diagnostics: vec![d],
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        let n = self.diagnostics.len();
        write!(
            f,
            "\nerror: the scenario has {n} error{}",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for ScenarioError {}

/// The closest candidate to `word` by edit distance, if it is close enough to be a
/// likely misspelling.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let c = ["cell_size_m", "width", "height", "terrain"];
        assert_eq!(closest("cellsize_m", c), Some("cell_size_m"));
        assert_eq!(closest("heigth", c), Some("height"));
        assert_eq!(closest("colour", c), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
