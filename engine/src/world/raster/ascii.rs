//! ESRI ASCII grid (`.asc`) reader and writer.
//!
//! Format (ESRI "ASCII raster format", ArcGIS documentation): a header of `key value`
//! pairs — `ncols`, `nrows`, `xllcorner` or `xllcenter`, `yllcorner` or `yllcenter`,
//! `cellsize` (or equal `dx` and `dy`), optional `NODATA_value` — then `ncols × nrows`
//! values, row 0 first (north), west to east. Keys are case-insensitive, any whitespace
//! separates tokens, and values may wrap across lines. The `*center` variants give the
//! centre of the lower-left cell; they are converted to the lower-left corner.

use std::fmt::Write as _;
use std::path::Path;

use super::atomic::{write_all, write_atomically};
use super::{Raster, RasterError, RasterErrorKind};
use crate::world::grid::{Grid, GridSpec};

/// Reads an ESRI ASCII grid file.
pub fn read_ascii(path: &Path) -> Result<Raster, RasterError> {
    let bytes = std::fs::read(path).map_err(|e| RasterError::io(path, "read it", e))?;
    parse_ascii(path, &bytes)
}

/// Parses the bytes of an ESRI ASCII grid; `path` is only used in error messages.
pub fn parse_ascii(path: &Path, bytes: &[u8]) -> Result<Raster, RasterError> {
    let mut tokens = Tokens::new(bytes);
    let header = Header::parse(path, &mut tokens)?;
    let spec = header.spec(path)?;
    let data = read_values(path, &mut tokens, &header)?;
    let grid = Grid::from_vec(spec, data).ok_or_else(|| {
        RasterError::new(
            path,
            RasterErrorKind::Size,
            "internal size mismatch",
            "ncols × nrows values",
            "another count",
            "report this as a bug",
        )
    })?;
    Ok(Raster {
        grid,
        nodata: header.nodata,
        epsg: None,
        is_geographic: false,
    })
}

/// A whitespace-separated token with its 1-based line and column.
#[derive(Clone, Copy)]
struct Token<'a> {
    text: &'a [u8],
    line: usize,
    col: usize,
}

impl Token<'_> {
    fn show(&self) -> String {
        let s = String::from_utf8_lossy(self.text);
        if s.chars().count() > 40 {
            format!("`{}…`", s.chars().take(40).collect::<String>())
        } else {
            format!("`{s}`")
        }
    }

    fn err(
        &self,
        path: &Path,
        kind: RasterErrorKind,
        message: impl Into<String>,
        expected: impl Into<String>,
        hint: impl Into<String>,
    ) -> RasterError {
        RasterError::new(path, kind, message, expected, self.show(), hint).at(self.line, self.col)
    }
}

/// Splits bytes into whitespace-separated tokens, tracking line and column.
struct Tokens<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
    line_start: usize,
    peeked: Option<Token<'a>>,
}

impl<'a> Tokens<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        // Skip a UTF-8 byte-order mark (some Windows editors add one).
        let start = if bytes.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        Self {
            bytes,
            pos: start,
            line: 1,
            line_start: start,
            peeked: None,
        }
    }

    fn peek(&mut self) -> Option<Token<'a>> {
        if self.peeked.is_none() {
            self.peeked = self.scan();
        }
        self.peeked
    }

    fn next_token(&mut self) -> Option<Token<'a>> {
        self.peek();
        self.peeked.take()
    }

    fn scan(&mut self) -> Option<Token<'a>> {
        while let Some(&b) = self.bytes.get(self.pos) {
            if !b.is_ascii_whitespace() && b != 0x0b {
                break;
            }
            self.pos += 1;
            if b == b'\n' {
                self.line += 1;
                self.line_start = self.pos;
            }
        }
        let start = self.pos;
        while let Some(&b) = self.bytes.get(self.pos) {
            if b.is_ascii_whitespace() || b == 0x0b {
                break;
            }
            self.pos += 1;
        }
        (self.pos > start).then(|| Token {
            text: &self.bytes[start..self.pos],
            line: self.line,
            col: start - self.line_start + 1,
        })
    }

    /// Line and column just past the last byte (for "file ends early" errors).
    fn end_location(&self) -> (usize, usize) {
        (
            self.line,
            self.bytes.len().saturating_sub(self.line_start) + 1,
        )
    }
}

const KEYS_HINT: &str = "an ESRI ASCII grid header has ncols, nrows, xllcorner (or xllcenter), \
     yllcorner (or yllcenter), cellsize (or equal dx and dy) and optionally NODATA_value";

/// The parsed header.
#[derive(Default)]
struct Header {
    ncols: Option<usize>,
    nrows: Option<usize>,
    /// (value, is_center)
    x: Option<(f64, bool)>,
    y: Option<(f64, bool)>,
    cellsize: Option<f64>,
    dx: Option<f64>,
    dy: Option<f64>,
    nodata: Option<f64>,
    /// Location of the first data token (or end of file), for "missing key" errors.
    data_at: (usize, usize),
}

impl Header {
    fn parse(path: &Path, tokens: &mut Tokens<'_>) -> Result<Self, RasterError> {
        let mut h = Self::default();
        let mut seen: Vec<&'static str> = Vec::new();
        while let Some(tok) = tokens.peek() {
            if !tok.text[0].is_ascii_alphabetic() {
                break;
            }
            let key = String::from_utf8_lossy(tok.text).to_ascii_lowercase();
            let Some(canon) = canonical_key(&key) else {
                if h.complete() {
                    break; // a non-numeric data value; reported by the value reader
                }
                return Err(tok.err(
                    path,
                    RasterErrorKind::Header,
                    format!("unknown header key {}", tok.show()),
                    "one of ncols, nrows, xllcorner, xllcenter, yllcorner, yllcenter, \
                     cellsize, dx, dy, NODATA_value",
                    KEYS_HINT,
                ));
            };
            tokens.next_token();
            if seen.contains(&canon) {
                return Err(tok.err(
                    path,
                    RasterErrorKind::Header,
                    format!("header key `{key}` is given twice"),
                    "each header key once",
                    "remove the repeated line",
                ));
            }
            seen.push(canon);
            let Some(val) = tokens.next_token() else {
                let (line, col) = tokens.end_location();
                return Err(RasterError::new(
                    path,
                    RasterErrorKind::Header,
                    format!("header key `{key}` has no value"),
                    format!("a value after `{key}`"),
                    "end of file",
                    KEYS_HINT,
                )
                .at(line, col));
            };
            h.set(path, canon, &key, val)?;
        }
        h.data_at = tokens
            .peek()
            .map_or_else(|| tokens.end_location(), |t| (t.line, t.col));
        Ok(h)
    }

    fn complete(&self) -> bool {
        self.ncols.is_some()
            && self.nrows.is_some()
            && self.x.is_some()
            && self.y.is_some()
            && (self.cellsize.is_some() || (self.dx.is_some() && self.dy.is_some()))
    }

    fn set(
        &mut self,
        path: &Path,
        canon: &'static str,
        key: &str,
        val: Token<'_>,
    ) -> Result<(), RasterError> {
        let number = || -> Result<f64, RasterError> {
            let v = std::str::from_utf8(val.text)
                .ok()
                .and_then(|s| s.parse::<f64>().ok())
                .filter(|v| v.is_finite());
            v.ok_or_else(|| {
                val.err(
                    path,
                    RasterErrorKind::Header,
                    format!("the value of `{key}` is not a number"),
                    "a finite number",
                    number_hint(val.text),
                )
            })
        };
        let count = || -> Result<usize, RasterError> {
            let v = std::str::from_utf8(val.text)
                .ok()
                .and_then(|s| s.parse::<usize>().ok())
                .filter(|&v| v > 0);
            v.ok_or_else(|| {
                val.err(
                    path,
                    RasterErrorKind::Header,
                    format!("the value of `{key}` is not a positive whole number"),
                    "a whole number ≥ 1",
                    "ncols and nrows count cells, e.g. `ncols 200`",
                )
            })
        };
        let positive = || -> Result<f64, RasterError> {
            let v = number()?;
            if v > 0.0 {
                Ok(v)
            } else {
                Err(val.err(
                    path,
                    RasterErrorKind::Header,
                    format!("`{key}` must be positive"),
                    "a cell size > 0",
                    "the cell size is the side of a square cell in map units (metres)",
                ))
            }
        };
        let both = |other: &str| {
            val.err(
                path,
                RasterErrorKind::Header,
                format!("both `{key}` and `{other}` are given"),
                "only one of them",
                "*corner gives the outer corner of the lower-left cell, *center its centre; \
                 keep one",
            )
        };
        match canon {
            "ncols" => self.ncols = Some(count()?),
            "nrows" => self.nrows = Some(count()?),
            "xllcorner" | "xllcenter" => {
                if self.x.is_some() {
                    return Err(both(if canon == "xllcorner" {
                        "xllcenter"
                    } else {
                        "xllcorner"
                    }));
                }
                self.x = Some((number()?, canon == "xllcenter"));
            }
            "yllcorner" | "yllcenter" => {
                if self.y.is_some() {
                    return Err(both(if canon == "yllcorner" {
                        "yllcenter"
                    } else {
                        "yllcorner"
                    }));
                }
                self.y = Some((number()?, canon == "yllcenter"));
            }
            "cellsize" => {
                if self.dx.is_some() || self.dy.is_some() {
                    return Err(both("dx/dy"));
                }
                self.cellsize = Some(positive()?);
            }
            "dx" | "dy" => {
                if self.cellsize.is_some() {
                    return Err(both("cellsize"));
                }
                let v = positive()?;
                if canon == "dx" {
                    self.dx = Some(v);
                } else {
                    self.dy = Some(v);
                }
                if let (Some(dx), Some(dy)) = (self.dx, self.dy)
                    && (dx - dy).abs() > 1e-9 * dx.max(dy)
                {
                    return Err(val.err(
                        path,
                        RasterErrorKind::Georeference,
                        format!("cells are not square: dx = {dx}, dy = {dy}"),
                        "square cells (dx = dy)",
                        format!("resample to square cells, e.g. `gdalwarp -tr {dx} {dx} in out`"),
                    ));
                }
            }
            _ => {
                let v = std::str::from_utf8(val.text)
                    .ok()
                    .and_then(|s| s.parse::<f64>().ok())
                    .filter(|v| !v.is_infinite());
                self.nodata = Some(v.ok_or_else(|| {
                    val.err(
                        path,
                        RasterErrorKind::Header,
                        "the NODATA_value is not a number",
                        "a number such as -9999",
                        number_hint(val.text),
                    )
                })?);
            }
        }
        Ok(())
    }

    fn spec(&self, path: &Path) -> Result<GridSpec, RasterError> {
        let (line, col) = self.data_at;
        let missing = |key: &str| {
            RasterError::new(
                path,
                RasterErrorKind::Header,
                format!("the header has no `{key}`"),
                format!("a `{key}` line before the values"),
                "the first value (or end of file)",
                KEYS_HINT,
            )
            .at(line, col)
        };
        let ncols = self.ncols.ok_or_else(|| missing("ncols"))?;
        let nrows = self.nrows.ok_or_else(|| missing("nrows"))?;
        let (x, x_center) = self.x.ok_or_else(|| missing("xllcorner"))?;
        let (y, y_center) = self.y.ok_or_else(|| missing("yllcorner"))?;
        let cell = match (self.cellsize, self.dx, self.dy) {
            (Some(c), _, _) | (None, Some(c), Some(_)) => c,
            (None, None, _) => return Err(missing("cellsize")),
            (None, Some(_), None) => return Err(missing("dy")),
        };
        if ncols.checked_mul(nrows).is_none() {
            return Err(RasterError::new(
                path,
                RasterErrorKind::Header,
                "ncols × nrows is too large to address",
                "a grid whose cell count fits in memory",
                format!("{ncols} × {nrows}"),
                "check ncols and nrows",
            )
            .at(line, col));
        }
        let half = |center: bool| if center { 0.5 * cell } else { 0.0 };
        Ok(GridSpec {
            width: ncols,
            height: nrows,
            cell_size: cell,
            origin: [x - half(x_center), y - half(y_center)],
        })
    }
}

fn canonical_key(key: &str) -> Option<&'static str> {
    Some(match key {
        "ncols" => "ncols",
        "nrows" => "nrows",
        "xllcorner" => "xllcorner",
        "xllcenter" => "xllcenter",
        "yllcorner" => "yllcorner",
        "yllcenter" => "yllcenter",
        "cellsize" => "cellsize",
        "dx" => "dx",
        "dy" => "dy",
        "nodata_value" | "nodata" => "nodata_value",
        _ => return None,
    })
}

fn number_hint(text: &[u8]) -> String {
    if text.contains(&b',') {
        "use a dot as the decimal separator (e.g. 12.5, not 12,5)".to_owned()
    } else {
        "write plain decimal numbers such as 412.5 or -1.2e3".to_owned()
    }
}

/// Reads the `ncols × nrows` values after the header.
fn read_values(path: &Path, tokens: &mut Tokens<'_>, h: &Header) -> Result<Vec<f32>, RasterError> {
    let (ncols, nrows) = (h.ncols.unwrap_or(0), h.nrows.unwrap_or(0));
    let n = ncols * nrows;
    // Every value takes at least two bytes (digit + separator): never allocate more than
    // the file could hold, whatever the header claims.
    let mut data = Vec::with_capacity(n.min(tokens.bytes.len() / 2 + 1));
    // (line, column of first value, values on the line) of each line holding values.
    let mut lines: Vec<(usize, usize, usize)> = Vec::new();
    while let Some(tok) = tokens.next_token() {
        if data.len() == n {
            return Err(tok.err(
                path,
                RasterErrorKind::Size,
                format!("more values than the header's {ncols} × {nrows} cells"),
                format!("{n} values"),
                "check ncols and nrows, or remove trailing data",
            ));
        }
        match lines.last_mut() {
            Some(last) if last.0 == tok.line => last.2 += 1,
            _ => lines.push((tok.line, tok.col, 1)),
        }
        data.push(parse_value(path, &tok, h.nodata)?);
    }
    if data.len() < n {
        let (line, col) = tokens.end_location();
        let mut err = RasterError::new(
            path,
            RasterErrorKind::Size,
            format!("the file ends after {} of {n} values", data.len()),
            format!("{n} values ({ncols} columns × {nrows} rows)"),
            format!("{} values", data.len()),
            "check ncols and nrows against the data, or whether the file was truncated",
        )
        .at(line, col);
        // One row per line is the usual layout; then name the first short or long row.
        let full = lines.iter().filter(|l| l.2 == ncols).count();
        if full * 2 >= lines.len()
            && let Some((row, &(line, col, count))) =
                lines.iter().enumerate().find(|(_, l)| l.2 != ncols)
        {
            err.message = format!(
                "the header says {ncols} columns but row {} has {count} values",
                row + 1
            );
            err.found = format!(
                "{count} values on row {} ({} values in all)",
                row + 1,
                data.len()
            );
            err.line = Some(line);
            err.column = Some(col);
        }
        return Err(err);
    }
    Ok(data)
}

fn parse_value(path: &Path, tok: &Token<'_>, nodata: Option<f64>) -> Result<f32, RasterError> {
    let text = std::str::from_utf8(tok.text).ok();
    let wide = text.and_then(|s| s.parse::<f64>().ok());
    let Some(wide) = wide else {
        return Err(tok.err(
            path,
            RasterErrorKind::Value,
            format!("{} is not a number", tok.show()),
            "a number",
            number_hint(tok.text),
        ));
    };
    if let Some(nd) = nodata
        && (wide == nd || (nd.is_nan() && wide.is_nan()))
    {
        return Ok(f32::NAN);
    }
    // Parse the text directly as f32 (correctly rounded; no double rounding via f64).
    let narrow = text.and_then(|s| s.parse::<f32>().ok()).unwrap_or(f32::NAN);
    if !narrow.is_finite() {
        return Err(tok.err(
            path,
            RasterErrorKind::Value,
            format!("{} is not a finite 32-bit value", tok.show()),
            "a finite number within ±3.4e38",
            "mark missing cells with the NODATA_value instead",
        ));
    }
    Ok(narrow)
}

/// Writes `grid` as an ESRI ASCII grid, atomically. `NaN` cells are written as `nodata`
/// (default −9999). Values are written with the shortest decimal text that reads back
/// to the same `f32`, so a write→read round trip is bit-exact.
pub fn write_ascii(path: &Path, grid: &Grid<f32>, nodata: Option<f64>) -> Result<(), RasterError> {
    let has_nan = grid.data().iter().any(|v| v.is_nan());
    let nd = nodata.unwrap_or(-9999.0);
    let data_err = |msg: String, expected: &str, found: String, hint: &str| {
        RasterError::new(path, RasterErrorKind::Data, msg, expected, found, hint)
    };
    if !nd.is_finite() {
        return Err(data_err(
            "the nodata value is not finite".into(),
            "a finite nodata value",
            nd.to_string(),
            "use a value outside the data range, e.g. -9999",
        ));
    }
    for (i, &v) in grid.data().iter().enumerate() {
        let (col, row) = (i % grid.width(), i / grid.width());
        if v.is_infinite() {
            return Err(data_err(
                format!("cell (col {col}, row {row}) is infinite"),
                "finite values or NaN (nodata)",
                v.to_string(),
                "clamp or mask the values before writing",
            ));
        }
        if f64::from(v) == nd {
            return Err(data_err(
                format!("cell (col {col}, row {row}) equals the nodata value"),
                "no data value equal to the nodata marker",
                v.to_string(),
                "pick a nodata value outside the data range",
            ));
        }
    }
    let spec = grid.spec();
    write_atomically(path, |out| {
        let mut text = format!(
            "ncols {}\nnrows {}\nxllcorner {}\nyllcorner {}\ncellsize {}\n",
            spec.width, spec.height, spec.origin[0], spec.origin[1], spec.cell_size
        );
        if has_nan || nodata.is_some() {
            let _ = writeln!(text, "NODATA_value {nd}");
        }
        write_all(out, path, text.as_bytes())?;
        let nd32 = nd.to_string();
        for row in 0..spec.height {
            text.clear();
            for (c, &v) in grid.row(row).iter().enumerate() {
                if c > 0 {
                    text.push(' ');
                }
                if v.is_nan() {
                    text.push_str(&nd32);
                } else {
                    let _ = write!(text, "{v}");
                }
            }
            text.push('\n');
            write_all(out, path, text.as_bytes())?;
        }
        Ok(())
    })
}

#[cfg(test)]
#[path = "ascii_tests.rs"]
mod tests;
