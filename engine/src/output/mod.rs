//! Run outputs: the run directory (`events.jsonl`, `timeseries.csv`, `summary.json`,
//! rasters as PNG and ESRI ASCII grid, and a copy of the scenario), written atomically:
//! everything goes to a temporary sibling folder that is renamed into place at the end,
//! so a crash never leaves a half-written run behind.

pub mod map;
pub mod summary;

use std::fs;
use std::path::{Path, PathBuf};

use crate::scenario::types::LandCover;
use crate::sim::Simulation;
use crate::world::grid::Grid;
use crate::world::raster::{self, RasterError};
pub use summary::RunSummary;

/// Why outputs could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file system operation failed.
    #[error("cannot {action} `{}`: {source}", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// On which path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A raster could not be written.
    #[error(transparent)]
    Raster(#[from] RasterError),
    /// The output folder exists and is not a drillsim run.
    #[error("`{}` exists and is not a drillsim run folder (no summary.json); refusing to replace it", .0.display())]
    NotARunDir(PathBuf),
}

fn io<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> OutputError + 'a {
    move |source| OutputError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

pub use crate::sim::outputs::{NamedRaster, RunOutputs};

/// WorldCover code used to colour a land-cover class (see [`raster::land_cover_color`]).
pub fn worldcover_code(class: LandCover) -> u8 {
    match class {
        LandCover::Forest => 10,
        LandCover::Shrubland => 20,
        LandCover::Grassland => 30,
        LandCover::Cropland => 40,
        LandCover::Urban | LandCover::Road => 50,
        LandCover::Bare => 60,
        LandCover::Water => 80,
        LandCover::Wetland => 90,
    }
}

/// Hillshaded hypsometric RGBA image of the terrain.
pub fn terrain_rgba(elevation: &Grid<f32>) -> Vec<u8> {
    raster::shaded_relief(elevation)
}

/// Writes the run directory `out` for a finished (or stopped) simulation and returns its
/// summary. An existing run folder at `out` is replaced; any other existing folder is left
/// alone and reported.
pub fn write_run(
    sim: &Simulation,
    out: &Path,
    png: bool,
    ascii: bool,
) -> Result<RunSummary, OutputError> {
    if out.exists()
        && !out.join("summary.json").exists()
        && fs::read_dir(out).map_err(io("read", out))?.next().is_some()
    {
        return Err(OutputError::NotARunDir(out.to_path_buf()));
    }
    let name = out
        .file_name()
        .map_or_else(|| "run".into(), |n| n.to_string_lossy().into_owned());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(io("create", parent))?;
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    if tmp.exists() {
        fs::remove_dir_all(&tmp).map_err(io("remove", &tmp))?;
    }
    let result = write_into(sim, &tmp, png, ascii);
    let summary = match result {
        Ok(s) => s,
        Err(e) => {
            let _ = fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    if out.exists() {
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        fs::rename(out, &old).map_err(io("move aside", out))?;
        fs::rename(&tmp, out).map_err(io("rename into place", out))?;
        fs::remove_dir_all(&old).map_err(io("remove", &old))?;
    } else {
        fs::rename(&tmp, out).map_err(io("rename into place", out))?;
    }
    Ok(summary)
}

fn write_into(
    sim: &Simulation,
    dir: &Path,
    png: bool,
    ascii: bool,
) -> Result<RunSummary, OutputError> {
    let rasters_dir = dir.join("rasters");
    fs::create_dir_all(&rasters_dir).map_err(io("create", &rasters_dir))?;
    let write = |file: &str, text: &str| {
        let p = dir.join(file);
        fs::write(&p, text).map_err(io("write", &p))
    };
    write("scenario.ron", &sim.scenario().text)?;
    write(
        "events.jsonl",
        &sim.world()
            .resource::<crate::sim::events::EventLog>()
            .to_jsonl(),
    )?;
    write("timeseries.csv", &sim.series().to_csv())?;
    let outputs = sim.collect_outputs();
    let rasters = &outputs.rasters;
    let spec = sim.terrain().spec;
    let (w, h) = (spec.width as u32, spec.height as u32);
    for (rel, text) in &outputs.files {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).map_err(io("create", parent))?;
        }
        fs::write(&p, text).map_err(io("write", &p))?;
    }
    for r in rasters {
        if ascii {
            raster::write_ascii(
                &rasters_dir.join(format!("{}.asc", r.name)),
                &r.grid,
                Some(-9999.0),
            )?;
        }
        if png {
            let rgba = if r.name == "elevation_m" {
                terrain_rgba(&r.grid)
            } else {
                let (lo, hi) = r
                    .range
                    .or_else(|| r.grid.finite_range())
                    .unwrap_or((0.0, 1.0));
                raster::colorize(&r.grid, r.ramp, lo, hi)
            };
            raster::write_png(&rasters_dir.join(format!("{}.png", r.name)), w, h, &rgba)?;
        }
    }
    if png {
        let lc = sim
            .terrain()
            .land_cover
            .map(|&c| worldcover_code(LandCover::from_code(c).unwrap_or(LandCover::Bare)));
        raster::write_png(
            &rasters_dir.join("land_cover.png"),
            w,
            h,
            &raster::land_cover_rgba(&lc),
        )?;
    }
    let summary = RunSummary::of(sim, &outputs);
    write("summary.json", &summary.to_json())?;
    Ok(summary)
}
