//! Loading a scenario file: parse the RON, turn `ron` errors into located diagnostics with
//! hints, run the semantic checks of [`super::check`], and locate their problems.

use std::path::{Path, PathBuf};

use ron::error::{Error as RonError, SpannedError};
use ron::extensions::Extensions;

use super::check::check_scenario;
use super::diagnostic::{Diagnostic, ScenarioError, closest};
use super::problem::Problem;
use super::spans::{Pos, SpanIndex};
use super::types::Scenario;

/// A parsed and checked scenario with where it came from.
#[derive(Clone, Debug)]
pub struct LoadedScenario {
    /// The scenario values.
    pub scenario: Scenario,
    /// The file as the user named it (for messages).
    pub file: String,
    /// Folder that relative paths in the scenario are resolved against.
    pub base_dir: PathBuf,
    /// The RON text.
    pub text: String,
}

impl LoadedScenario {
    /// Resolves a path written in the scenario against the scenario's folder.
    pub fn resolve(&self, path: &str) -> PathBuf {
        self.base_dir.join(path)
    }

    /// Turns problems found later (e.g. while reading rasters) into located diagnostics.
    pub fn diagnose(&self, problems: Vec<Problem>) -> ScenarioError {
        locate_problems(&self.file, &self.text, problems)
    }

    /// FNV-1a hash of the scenario text (identifies the scenario in manifests/snapshots).
    pub fn text_hash(&self) -> u64 {
        fnv1a(self.text.as_bytes())
    }
}

/// FNV-1a 64-bit hash.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Memory the grid may use: `DRILLSIM_MEMORY_LIMIT` (bytes) if set, else the machine's
/// total memory, else 8 GiB.
pub fn memory_limit() -> u64 {
    if let Some(v) = std::env::var("DRILLSIM_MEMORY_LIMIT")
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        return v;
    }
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(8 << 30, |kib| kib * 1024)
}

/// Reads, parses and checks the scenario at `path`.
pub fn load(path: &Path) -> Result<LoadedScenario, ScenarioError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        let hint = match e.kind() {
            std::io::ErrorKind::NotFound => {
                "check the path; shipped scenarios are in scenarios/ (try `drillsim run scenarios/default.ron`)"
            }
            std::io::ErrorKind::InvalidData => "scenario files must be UTF-8 text",
            _ => "",
        };
        ScenarioError::one(
            Diagnostic::new(&file, format!("cannot read the scenario file: {e}")).hint(hint),
        )
    })?;
    let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    parse(&text, &file, base_dir)
}

/// Parses and checks scenario `text`; `file` names it in messages and `base_dir` is where
/// its relative paths point.
pub fn parse(text: &str, file: &str, base_dir: PathBuf) -> Result<LoadedScenario, ScenarioError> {
    let options = ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME);
    let scenario: Scenario = options
        .from_str(text)
        .map_err(|e| ScenarioError::one(ron_diagnostic(&e, file, text)))?;
    let problems = check_scenario(&scenario, memory_limit());
    if !problems.is_empty() {
        return Err(locate_problems(file, text, problems));
    }
    Ok(LoadedScenario {
        scenario,
        file: file.to_owned(),
        base_dir,
        text: text.to_owned(),
    })
}

/// Locates `problems` in `text` and renders them as diagnostics in file order.
pub fn locate_problems(file: &str, text: &str, problems: Vec<Problem>) -> ScenarioError {
    let index = SpanIndex::new(text);
    let mut diagnostics: Vec<Diagnostic> = problems
        .into_iter()
        .map(|p| {
            Diagnostic::new(file, format!("invalid value for `{}`", p.path))
                .at(index.locate(&p.path), text)
                .detail(format!("expected {}, found {}", p.expected, p.found))
                .hint(p.hint)
        })
        .collect();
    diagnostics.sort_by_key(|d| d.pos);
    ScenarioError { diagnostics }
}

fn list(names: &[&str]) -> String {
    if names.is_empty() {
        return "nothing here yet".to_owned();
    }
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    format!("one of {}", quoted.join(", "))
}

fn ron_diagnostic(e: &SpannedError, file: &str, text: &str) -> Diagnostic {
    let start = e.span.start;
    let pos = (start.line > 0).then_some(Pos {
        line: start.line,
        col: start.col.max(1),
    });
    let d = |message: String| Diagnostic::new(file, message).at(pos, text);
    match &e.code {
        RonError::NoSuchStructField {
            expected,
            found,
            outer,
        } => {
            let hint = match closest(found, expected.iter().copied()) {
                Some(c) => format!("did you mean `{c}`?"),
                None => "remove it: unknown fields are never ignored".to_owned(),
            };
            d(format!(
                "unknown field `{found}`{}",
                outer.as_ref().map(|o| format!(" in `{o}`")).unwrap_or_default()
            ))
            .detail(format!("expected {}", list(expected)))
            .hint(hint)
        }
        RonError::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => {
            let hint = if expected.is_empty() {
                "this version of drillsim has no entries of this kind yet; leave the list empty"
                    .to_owned()
            } else {
                match closest(found, expected.iter().copied()) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => "scenarios/README.md lists every kind with its fields".to_owned(),
                }
            };
            d(format!(
                "unknown variant `{found}`{}",
                outer.as_ref().map(|o| format!(" of `{o}`")).unwrap_or_default()
            ))
            .detail(format!("expected {}", list(expected)))
            .hint(hint)
        }
        RonError::MissingStructField { field, outer } => d(format!(
            "missing field `{field}`{}",
            outer.as_ref().map(|o| format!(" in `{o}`")).unwrap_or_default()
        ))
        .hint(format!(
            "add `{field}: …` before the closing parenthesis; see scenarios/README.md for the format"
        )),
        RonError::DuplicateStructField { field, outer } => d(format!(
            "field `{field}` given twice{}",
            outer.as_ref().map(|o| format!(" in `{o}`")).unwrap_or_default()
        ))
        .hint("keep one of them"),
        RonError::InvalidValueForType { expected, found } => d("wrong type of value".to_owned())
            .detail(format!("expected {expected}, found {found}"))
            .hint(type_hint(expected)),
        RonError::ExpectedDifferentLength { expected, found } => {
            d("wrong number of elements".to_owned())
                .detail(format!("expected {expected}, found {found} elements"))
        }
        RonError::Eof => d("the file ended early".to_owned())
            .hint("a parenthesis or bracket is not closed, or the file is truncated"),
        RonError::ExpectedComma => d(format!("syntax error: {}", e.code))
            .hint("separate fields and list items with commas"),
        RonError::ExpectedMapColon => {
            d(format!("syntax error: {}", e.code)).hint("write fields as `name: value`")
        }
        RonError::TrailingCharacters => d("unexpected text after the scenario".to_owned())
            .hint("the file must hold exactly one Scenario(...); check for an extra parenthesis"),
        RonError::ExpectedFloat => d(format!("wrong type of value: {}", e.code))
            .hint("numbers are written without quotes or units, e.g. 10.0"),
        RonError::ExpectedInteger => d(format!("wrong type of value: {}", e.code))
            .hint("whole numbers are written without quotes, units or a decimal point, e.g. 200"),
        RonError::ExpectedString | RonError::ExpectedStringEnd => {
            d(format!("wrong type of value: {}", e.code))
                .hint("text goes in double quotes, e.g. \"scenarios/dem.asc\"")
        }
        RonError::Message(m) => d(m.clone()),
        RonError::ExpectedDifferentStructName { .. } | RonError::ExpectedNamedStructLike(_) => {
            d(format!("syntax error: {}", e.code)).hint(
                "a scenario file holds one `Scenario( ... )` in RON; see scenarios/default.ron",
            )
        }
        other => d(format!("syntax error: {other}")),
    }
}

fn type_hint(expected: &str) -> String {
    if expected.contains("integer") {
        "write a whole number without a decimal point, e.g. 200".to_owned()
    } else if expected.contains("f64") || expected.contains("float") {
        "write a number, e.g. 10.0".to_owned()
    } else if expected.contains("string") {
        "text goes in double quotes".to_owned()
    } else {
        String::new()
    }
}
