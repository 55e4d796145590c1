//! Errors of the wildland fire model: unknown fuels, inputs out of range, bad files.

use thiserror::Error;

/// Why a fire-model call was refused.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum FireError {
    /// A fuel model code that is not in the catalogue.
    #[error("unknown fuel model `{code}`{}", suggestion_text(.suggestions))]
    UnknownFuel {
        /// The code asked for.
        code: String,
        /// Close codes that do exist.
        suggestions: Vec<String>,
    },
    /// A moisture content outside the range the model was built for.
    #[error("{what} moisture {value_pct:.1}% is out of range ({lo_pct}–{hi_pct}%)")]
    MoistureOutOfRange {
        /// Which fuel class.
        what: &'static str,
        /// Value given, in percent of oven-dry mass.
        value_pct: f64,
        /// Lowest accepted value in percent.
        lo_pct: f64,
        /// Highest accepted value in percent.
        hi_pct: f64,
    },
    /// Any other invalid input, with an explanation.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// Problems with the scenario's fire inputs (rasters), as located diagnostics.
    #[error("{0}")]
    Scenario(String),
    /// A data file could not be parsed.
    #[error("cannot parse {what}: {message}")]
    Parse {
        /// Which file or asset.
        what: String,
        /// The parser's message.
        message: String,
    },
}

fn suggestion_text(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", s.join(", "))
    }
}
