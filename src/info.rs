//! `drillsim info`.

use std::path::PathBuf;

use clap::Args;
use drillsim_engine::scenario::check::{BYTES_PER_CELL, human_bytes};
use drillsim_engine::scenario::types::{StabilitySpec, TerrainSource};
use drillsim_engine::world::build::build_terrain;
use serde::Serialize;

use crate::EXIT_INVALID;

/// Arguments of `drillsim info`.
#[derive(Args)]
pub struct InfoArgs {
    /// Scenario file (.ron).
    scenario: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Info {
    name: String,
    description: String,
    language: String,
    width: usize,
    height: usize,
    cell_size_m: f64,
    origin: [f64; 2],
    epsg: Option<u32>,
    terrain: String,
    elevation_range_m: [f32; 2],
    memory_estimate_bytes: u64,
    duration_s: f64,
    tick_s: f64,
    ticks: u64,
    seed: u64,
    wind: String,
    stability: String,
    hazards: usize,
    forces: usize,
    facilities: usize,
    population: usize,
    injects: usize,
    chains: usize,
    objectives: usize,
}

/// Runs the command; returns the exit code.
pub fn info(args: &InfoArgs) -> u8 {
    let (loaded, terrain) = match drillsim_engine::scenario::load(&args.scenario)
        .and_then(|s| build_terrain(&s).map(|t| (s, t)))
    {
        Ok(v) => v,
        Err(e) => {
            eprintln!("{e}");
            return EXIT_INVALID;
        }
    };
    let s = &loaded.scenario;
    let spec = terrain.spec;
    let (lo, hi) = terrain.elevation.finite_range().unwrap_or((0.0, 0.0));
    let terrain_desc = match &s.map.terrain {
        TerrainSource::AsciiGrid(p) => format!("ESRI ASCII grid {p}"),
        TerrainSource::GeoTiff(p) => format!("GeoTIFF {p}"),
        TerrainSource::Flat { .. } => "procedural: flat".into(),
        TerrainSource::Slope { .. } => "procedural: slope".into(),
        TerrainSource::Valley(v) => format!(
            "procedural: valley{}{}",
            if v.river.is_some() { " with river" } else { "" },
            if v.levees.is_some() {
                " and levees"
            } else {
                ""
            }
        ),
        TerrainSource::Hills(h) => format!("procedural: {} hills", h.count),
    };
    let wind = s
        .weather
        .wind
        .iter()
        .map(|w| {
            format!(
                "{:.0} s: {:.1} m/s from {:.0}°",
                w.t_s, w.speed_m_s, w.from_deg
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let info = Info {
        name: s.meta.name.clone(),
        description: s.meta.description.clone(),
        language: s.meta.language.clone(),
        width: spec.width,
        height: spec.height,
        cell_size_m: spec.cell_size,
        origin: spec.origin,
        epsg: terrain.epsg,
        terrain: terrain_desc,
        elevation_range_m: [lo, hi],
        memory_estimate_bytes: spec.len() as u64 * BYTES_PER_CELL,
        duration_s: s.run.duration_s,
        tick_s: s.run.tick_s,
        ticks: (s.run.duration_s / s.run.tick_s).ceil() as u64,
        seed: s.run.seed,
        wind,
        stability: match &s.weather.stability {
            StabilitySpec::Class(c) => format!("Pasquill class {c:?}"),
            StabilitySpec::Turner { .. } => "derived by Turner's method".into(),
        },
        hazards: s.hazards.len(),
        forces: s.forces.len(),
        facilities: s.facilities.len(),
        population: s.population.len(),
        injects: s.injects.len(),
        chains: s.chains.len(),
        objectives: s.objectives.len(),
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&info).unwrap_or_default()
        );
        return 0;
    }
    println!("{}", info.name);
    if !info.description.is_empty() {
        println!("  {}", info.description);
    }
    println!(
        "grid:      {}×{} cells of {} m ({:.1} × {:.1} km), origin ({}, {}){}",
        info.width,
        info.height,
        info.cell_size_m,
        spec.extent_x() / 1000.0,
        spec.extent_y() / 1000.0,
        info.origin[0],
        info.origin[1],
        info.epsg.map(|e| format!(", EPSG:{e}")).unwrap_or_default()
    );
    println!("terrain:   {} ({:.1} to {:.1} m)", info.terrain, lo, hi);
    println!(
        "memory:    about {} at most",
        human_bytes(info.memory_estimate_bytes)
    );
    println!(
        "time:      {} s in {} ticks of {} s, seed {}",
        info.duration_s, info.ticks, info.tick_s, info.seed
    );
    println!("weather:   wind {}; {}", info.wind, info.stability);
    println!(
        "simulated: {} hazards, {} forces, {} facilities, {} population groups",
        info.hazards, info.forces, info.facilities, info.population
    );
    if info.injects + info.chains + info.objectives > 0 {
        println!(
            "exercise:  {} injects, {} chain links, {} objectives",
            info.injects, info.chains, info.objectives
        );
    }
    0
}
