//! Atomic file writes: write a temporary file in the target's folder, then rename it over
//! the target, so readers never see a half-written raster or image.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::RasterError;

/// Writes `path` atomically: `write` fills a buffered temporary file next to `path`, which
/// is flushed, synced and renamed over `path`. On any failure the temporary file is removed.
pub(crate) fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<(), RasterError>,
) -> Result<(), RasterError> {
    let tmp = temp_path(path);
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .map_err(|e| RasterError::io(path, "create a temporary file next to it", e))?;
    let mut out = BufWriter::new(file);
    let result = write(&mut out).and_then(|()| {
        let file = out
            .into_inner()
            .map_err(|e| RasterError::io(path, "write it", e.into_error()))?;
        file.sync_all()
            .map_err(|e| RasterError::io(path, "flush it to disk", e))?;
        drop(file);
        fs::rename(&tmp, path).map_err(|e| RasterError::io(path, "rename the temporary file", e))
    });
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// `folder/.name.tmp-<pid>` next to `path`.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "raster".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Maps a write error on `path` to a [`RasterError`].
pub(crate) fn write_err(path: &Path, err: std::io::Error) -> RasterError {
    RasterError::io(path, "write it", err)
}

/// Writes all of `bytes`, mapping errors.
pub(crate) fn write_all(
    out: &mut impl Write,
    path: &Path,
    bytes: &[u8],
) -> Result<(), RasterError> {
    out.write_all(bytes).map_err(|e| write_err(path, e))
}
