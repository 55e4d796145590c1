//! [`RasterError`]: a located, explained failure to read or write a raster file.

use std::fmt;
use std::path::{Path, PathBuf};

/// What kind of problem a [`RasterError`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RasterErrorKind {
    /// The file could not be opened, read, written or renamed.
    Io,
    /// The header is missing a key, has an unknown or repeated key, or a bad value.
    Header,
    /// A cell value is not a number (or not a finite `f32`).
    Value,
    /// The number of values does not match the header's size.
    Size,
    /// The georeferencing is missing, rotated, flipped or has non-square cells.
    Georeference,
    /// The file uses a feature this reader does not support (several bands, a sample
    /// format other than the listed ones, ...).
    Unsupported,
    /// The TIFF structure itself is broken.
    Format,
    /// The data handed to a writer cannot be written faithfully.
    Data,
}

/// A failure to read or write a raster, located in the file where possible. A boxed
/// [`RasterErrorDetail`] (so `Result`s stay small); its fields read through `Deref`,
/// e.g. `err.line`, `err.hint`.
///
/// Rendered as `file:line:col: error: message` followed by `= expected ..., found ...`
/// and `= hint: ...` lines (line and column are 1-based; omitted when unknown, e.g. for
/// binary GeoTIFFs).
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct RasterError(Box<RasterErrorDetail>);

/// The content of a [`RasterError`].
#[derive(Debug, thiserror::Error)]
pub struct RasterErrorDetail {
    /// The file being read or written.
    pub path: PathBuf,
    /// 1-based line, when known (text formats).
    pub line: Option<usize>,
    /// 1-based column (in bytes), when known (text formats).
    pub column: Option<usize>,
    /// Category of the problem.
    pub kind: RasterErrorKind,
    /// One-line statement of what is wrong.
    pub message: String,
    /// What the reader expected, e.g. "40000 values (200 columns × 200 rows)".
    pub expected: String,
    /// What it found, e.g. "39999 values".
    pub found: String,
    /// How to fix it.
    pub hint: String,
    /// Underlying I/O or TIFF error, if any.
    #[source]
    pub source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl RasterError {
    /// A new error about `path` (no location, no source).
    pub(crate) fn new(
        path: &Path,
        kind: RasterErrorKind,
        message: impl Into<String>,
        expected: impl Into<String>,
        found: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self(Box::new(RasterErrorDetail {
            path: path.to_path_buf(),
            line: None,
            column: None,
            kind,
            message: message.into(),
            expected: expected.into(),
            found: found.into(),
            hint: hint.into(),
            source: None,
        }))
    }

    /// Sets the 1-based line and column.
    pub(crate) fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Attaches the underlying error.
    pub(crate) fn caused_by(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// An I/O failure while `doing` something with `path`.
    pub(crate) fn io(path: &Path, doing: &str, err: std::io::Error) -> Self {
        let hint = match err.kind() {
            std::io::ErrorKind::NotFound => {
                "check the path; paths in a scenario are relative to the scenario file"
            }
            std::io::ErrorKind::PermissionDenied => "check the file and folder permissions",
            _ => "check that the file is complete and the disk is not full",
        };
        Self::new(
            path,
            RasterErrorKind::Io,
            format!("could not {doing}"),
            "a readable and writable file",
            err.to_string(),
            hint,
        )
        .caused_by(err)
    }
}

impl std::ops::Deref for RasterError {
    type Target = RasterErrorDetail;

    fn deref(&self) -> &RasterErrorDetail {
        &self.0
    }
}

impl std::ops::DerefMut for RasterError {
    fn deref_mut(&mut self) -> &mut RasterErrorDetail {
        &mut self.0
    }
}

impl fmt::Display for RasterErrorDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": error: {}", self.message)?;
        write!(f, "\n  = expected {}, found {}", self.expected, self.found)?;
        write!(f, "\n  = hint: {}", self.hint)
    }
}
