//! The run journal: one JSON line per finished run, appended and synced to disk before
//! the next, so a killed batch loses at most the run it was writing. A torn last line
//! (no newline, or not valid JSON) is dropped when the journal is read and cut off
//! before a resumed batch appends.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::world::grid::Grid;

/// What one finished run contributes to the results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRecord {
    /// Run index.
    pub run: u64,
    /// Seed used.
    pub seed: u64,
    /// Metric name and value in shortest round-trip decimal form (`NaN` if undefined).
    pub metrics: Vec<(String, String)>,
    /// Exceedance masks, one per `raster_exceedance` entry.
    #[serde(default)]
    pub masks: Vec<Mask>,
}

/// Shortest decimal text that parses back to exactly `v`.
pub fn fmt_f64(v: f64) -> String {
    v.to_string()
}

/// Cells of one raster above a threshold, as a bit set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mask {
    /// Columns.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// Cell size, m.
    pub cell_size_m: f64,
    /// Lower-left corner, m.
    pub origin: [f64; 2],
    /// EPSG code of the scenario's CRS.
    pub epsg: Option<u32>,
    /// Row-major bits (cell `k` is bit `k % 8` of byte `k / 8`), as hex.
    pub bits: String,
}

impl Mask {
    /// Cells of `grid` strictly above `above` (NaN cells are not).
    pub fn of(grid: &Grid<f32>, above: f64, epsg: Option<u32>) -> Self {
        let spec = grid.spec();
        let mut bytes = vec![0u8; spec.len().div_ceil(8)];
        for (k, &v) in grid.data().iter().enumerate() {
            if f64::from(v) > above {
                bytes[k / 8] |= 1 << (k % 8);
            }
        }
        let bits = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Self {
            width: spec.width,
            height: spec.height,
            cell_size_m: spec.cell_size,
            origin: spec.origin,
            epsg,
            bits,
        }
    }

    /// Whether cell `k` is set.
    pub fn get(&self, k: usize) -> bool {
        let byte = self
            .bits
            .get(2 * (k / 8)..2 * (k / 8) + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .unwrap_or(0);
        byte & (1 << (k % 8)) != 0
    }
}

/// Reads the complete records of a journal. Returns the records and the byte length of
/// the valid prefix (a torn last line is not part of it). A missing file is empty.
pub fn read(path: &Path) -> Result<(Vec<RunRecord>, u64), String> {
    let text = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
        Err(e) => return Err(format!("cannot read `{}`: {e}", path.display())),
    };
    let mut records = Vec::new();
    let mut valid = 0usize;
    let mut start = 0usize;
    while let Some(nl) = text[start..].iter().position(|&b| b == b'\n') {
        let line = &text[start..start + nl];
        match serde_json::from_slice::<RunRecord>(line) {
            Ok(r) => records.push(r),
            Err(e) => {
                let rest_is_torn = text[start + nl + 1..].iter().all(|&b| b != b'\n');
                if rest_is_torn && text.len() == start + nl + 1 {
                    // A broken final line (e.g. killed while writing): drop it.
                    break;
                }
                return Err(format!(
                    "`{}`: line {} is not a run record: {e}",
                    path.display(),
                    records.len() + 1
                ));
            }
        }
        start += nl + 1;
        valid = start;
    }
    Ok((records, valid as u64))
}

/// An open journal for appending.
#[derive(Debug)]
pub struct Journal {
    file: File,
}

impl Journal {
    /// Opens (creating) the journal and cuts it to `valid_len` bytes (dropping a torn
    /// last line).
    pub fn open(path: &Path, valid_len: u64) -> Result<Self, String> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| format!("cannot open `{}`: {e}", path.display()))?;
        file.set_len(valid_len)
            .map_err(|e| format!("cannot truncate `{}`: {e}", path.display()))?;
        let mut file = file;
        std::io::Seek::seek(&mut file, std::io::SeekFrom::End(0))
            .map_err(|e| format!("cannot seek `{}`: {e}", path.display()))?;
        Ok(Self { file })
    }

    /// Appends one record as a line and syncs it to disk.
    pub fn append(&mut self, record: &RunRecord) -> Result<(), String> {
        let mut line = serde_json::to_string(record).map_err(|e| e.to_string())?;
        line.push('\n');
        self.file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.sync_data())
            .map_err(|e| format!("cannot write the journal: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(run: u64) -> RunRecord {
        RunRecord {
            run,
            seed: run * 7,
            metrics: vec![("a".into(), fmt_f64(0.1 + run as f64))],
            masks: Vec::new(),
        }
    }

    #[test]
    fn torn_last_line_is_dropped_and_cut() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("journal.jsonl");
        let mut j = Journal::open(&p, 0).unwrap();
        j.append(&rec(0)).unwrap();
        j.append(&rec(1)).unwrap();
        drop(j);
        let full = std::fs::read(&p).unwrap();
        std::fs::write(&p, &full[..full.len() - 5]).unwrap();
        let (records, valid) = read(&p).unwrap();
        assert_eq!(records, vec![rec(0)]);
        let mut j = Journal::open(&p, valid).unwrap();
        j.append(&rec(1)).unwrap();
        assert_eq!(read(&p).unwrap().0, vec![rec(0), rec(1)]);
    }

    #[test]
    fn masks_round_trip() {
        let spec = crate::world::grid::GridSpec {
            width: 3,
            height: 3,
            cell_size: 1.0,
            origin: [0.0, 0.0],
        };
        let g = Grid::from_fn(spec, |c, r| (c + 3 * r) as f32);
        let m = Mask::of(&g, 4.5, None);
        let set: Vec<usize> = (0..9).filter(|&k| m.get(k)).collect();
        assert_eq!(set, vec![5, 6, 7, 8]);
    }
}
