//! `calc plume`, `calc pool-fire`, `calc bleve`, `calc vce`: flags with units in their
//! names map onto the engine's calc inputs (converted to SI here, at the edge).

use std::io::Write as _;
use std::path::PathBuf;

use clap::Args;
use drillsim_engine::hazards::chem_fire::calc::{
    BleveCalcInput, BleveCalcResult, PoolFireCalcInput, PoolFireCalcResult, VceCalcInput,
    VceCalcResult, VceMethod,
};
use drillsim_engine::hazards::chemicals::ChemicalLibrary;
use drillsim_engine::hazards::gas::GasError;
use drillsim_engine::hazards::gas::calc::{CalcError, PlumeCalcInput, PlumeCalcResult};
use drillsim_engine::hazards::gas::stability::Stability;
use serde::Serialize;

use crate::EXIT_INVALID;

/// Options every calculation shares.
#[derive(Args)]
pub struct Common {
    /// Chemical name or alias (e.g. chlorine, NH3, propane).
    #[arg(long)]
    chemical: String,
    /// Extra chemical library (RON) whose chemicals replace built-in ones.
    #[arg(long, value_name = "FILE")]
    chemicals_file: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Arguments of `calc plume`.
#[derive(Args)]
pub struct PlumeArgs {
    #[command(flatten)]
    common: Common,
    /// Continuous release rate, kg/s (or give --mass-kg).
    #[arg(long)]
    rate_kg_s: Option<f64>,
    /// Instantaneous release mass, kg (or give --rate-kg-s).
    #[arg(long)]
    mass_kg: Option<f64>,
    /// Release duration, s.
    #[arg(long, default_value_t = 3600.0)]
    duration_s: f64,
    /// Wind speed at 10 m, m/s.
    #[arg(long)]
    wind_m_s: f64,
    /// Pasquill–Gifford class A–F; without it, Turner's method from
    /// --solar-elevation-deg and --cloud-cover-oktas.
    #[arg(long)]
    stability: Option<String>,
    /// Solar elevation, degrees (≤ 0 at night), for Turner's method.
    #[arg(long)]
    solar_elevation_deg: Option<f64>,
    /// Total cloud cover, oktas 0–8, for Turner's method.
    #[arg(long)]
    cloud_cover_oktas: Option<f64>,
    /// Roughness length, m (0.03 open country; ≥ 0.3 urban or forest).
    #[arg(long, default_value_t = 0.03)]
    roughness_m: f64,
    /// Release height, m.
    #[arg(long, default_value_t = 0.0)]
    release_height_m: f64,
    /// Receptor (breathing) height, m.
    #[arg(long, default_value_t = 1.5)]
    receptor_height_m: f64,
    /// Air temperature, °C.
    #[arg(long, default_value_t = 20.0)]
    air_temperature_c: f64,
}

/// Arguments of `calc pool-fire`.
#[derive(Args)]
pub struct PoolFireArgs {
    #[command(flatten)]
    common: Common,
    /// Pool diameter, m.
    #[arg(long)]
    diameter_m: f64,
    /// Wind speed, m/s.
    #[arg(long, default_value_t = 0.0)]
    wind_m_s: f64,
    /// Air temperature, °C.
    #[arg(long, default_value_t = 20.0)]
    air_temperature_c: f64,
    /// Relative humidity, %.
    #[arg(long, default_value_t = 70.0)]
    relative_humidity_pct: f64,
}

/// Arguments of `calc bleve`.
#[derive(Args)]
pub struct BleveArgs {
    #[command(flatten)]
    common: Common,
    /// Flammable inventory of the vessel, kg.
    #[arg(long)]
    mass_kg: f64,
    /// Absolute burst pressure, bar (default: vapour pressure at storage temperature).
    #[arg(long)]
    burst_pressure_bar: Option<f64>,
    /// Storage temperature, °C (default: air temperature).
    #[arg(long)]
    storage_temperature_c: Option<f64>,
    /// Fireball mass = inventory × min(1, 3 × flash fraction) instead of all of it.
    #[arg(long)]
    flash_fraction_mass: bool,
    /// Air temperature, °C.
    #[arg(long, default_value_t = 20.0)]
    air_temperature_c: f64,
    /// Relative humidity, %.
    #[arg(long, default_value_t = 70.0)]
    relative_humidity_pct: f64,
}

/// Arguments of `calc vce`.
#[derive(Args)]
pub struct VceArgs {
    #[command(flatten)]
    common: Common,
    /// Flammable mass in the cloud, kg.
    #[arg(long)]
    mass_kg: f64,
    /// Explosion efficiency, fraction 0–1 (TNT equivalence; 0.01–0.10, typically 0.03).
    #[arg(long, default_value_t = 0.03)]
    efficiency: f64,
    /// Blast model: `tnt` (TNT equivalence) or `bst` (Baker–Strehlow–Tang curves).
    #[arg(long, default_value = "tnt")]
    method: String,
    /// Flame Mach number for --method bst (0.2–5.2; 5.2 = detonation).
    #[arg(long)]
    flame_mach: Option<f64>,
    /// Congested volume, m³, for --method bst: energy = 3.5 MJ/m³ × volume (default:
    /// mass × heat of combustion).
    #[arg(long)]
    congested_volume_m3: Option<f64>,
}

const K0: f64 = 273.15;

fn library(c: &Common) -> Result<ChemicalLibrary, String> {
    let mut lib = ChemicalLibrary::load_builtin().map_err(|e| e.to_string())?;
    if let Some(p) = &c.chemicals_file {
        lib.load_file(p).map_err(|e| e.to_string())?;
    }
    Ok(lib)
}

fn parse_stability(s: &str) -> Result<Stability, String> {
    match s.trim().to_ascii_uppercase().as_str() {
        "A" => Ok(Stability::A),
        "B" => Ok(Stability::B),
        "C" => Ok(Stability::C),
        "D" => Ok(Stability::D),
        "E" => Ok(Stability::E),
        "F" => Ok(Stability::F),
        _ => Err(format!(
            "invalid value of --stability: expected a Pasquill–Gifford class A–F, found \"{s}\""
        )),
    }
}

/// Prints the result (text or JSON) or the error; returns the exit code.
fn finish<R: Serialize>(common: &Common, result: Result<R, String>, text: fn(&R) -> String) -> u8 {
    match result {
        Ok(r) => {
            if common.json {
                match serde_json::to_string_pretty(&r) {
                    Ok(s) => {
                        let _ = writeln!(std::io::stdout(), "{s}");
                    }
                    Err(e) => {
                        eprintln!("error: {e}");
                        return crate::EXIT_FAILURE;
                    }
                }
            } else {
                let _ = write!(std::io::stdout(), "{}", text(&r));
            }
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_INVALID
        }
    }
}

/// Names the offending flag the way the user typed it (`--mass-kg`), with unit
/// suffixes matching the CLI (°C and % flags are converted before the engine sees them).
fn err(e: CalcError) -> String {
    match e {
        CalcError::Input(GasError::Invalid { field, msg }) => {
            let flag = match field.as_str() {
                "air_temperature_k" => "air-temperature-c".to_owned(),
                "storage_temperature_k" => "storage-temperature-c".to_owned(),
                "burst_pressure_pa" => "burst-pressure-bar".to_owned(),
                "relative_humidity" => "relative-humidity-pct".to_owned(),
                f => f.replace('_', "-"),
            };
            if flag.contains(' ') {
                format!("invalid input ({flag}): {msg}")
            } else {
                format!("invalid value of --{flag}: {msg}")
            }
        }
        other => other.to_string(),
    }
}

/// `calc plume`.
pub fn plume(a: &PlumeArgs) -> u8 {
    let result = (|| {
        let lib = library(&a.common)?;
        let stability = a.stability.as_deref().map(parse_stability).transpose()?;
        if stability.is_none() && a.solar_elevation_deg.is_none() {
            return Err("give --stability A–F, or --solar-elevation-deg (and \
                        --cloud-cover-oktas) to derive it by Turner's method"
                .to_owned());
        }
        if let Some(o) = a.cloud_cover_oktas
            && !(0.0..=8.0).contains(&o)
        {
            return Err(format!(
                "invalid value of --cloud-cover-oktas: must be 0–8 oktas, found {o}"
            ));
        }
        let input = PlumeCalcInput {
            chemical: a.common.chemical.clone(),
            rate_kg_s: a.rate_kg_s,
            mass_kg: a.mass_kg,
            duration_s: a.duration_s,
            wind_m_s: a.wind_m_s,
            stability,
            solar_elevation_deg: a.solar_elevation_deg,
            cloud_cover: a.cloud_cover_oktas.map(|o| o / 8.0),
            roughness_m: a.roughness_m,
            release_height_m: a.release_height_m,
            receptor_height_m: a.receptor_height_m,
            air_temperature_k: a.air_temperature_c + K0,
            release_temperature_k: None,
            levels: None,
        };
        input.run(&lib).map_err(err)
    })();
    finish(&a.common, result, PlumeCalcResult::to_text)
}

/// `calc pool-fire`.
pub fn pool_fire(a: &PoolFireArgs) -> u8 {
    let result = (|| {
        let lib = library(&a.common)?;
        PoolFireCalcInput {
            chemical: a.common.chemical.clone(),
            diameter_m: a.diameter_m,
            wind_m_s: a.wind_m_s,
            air_temperature_k: a.air_temperature_c + K0,
            relative_humidity: a.relative_humidity_pct / 100.0,
        }
        .run(&lib)
        .map_err(err)
    })();
    finish(&a.common, result, PoolFireCalcResult::to_text)
}

/// `calc bleve`.
pub fn bleve(a: &BleveArgs) -> u8 {
    let result = (|| {
        let lib = library(&a.common)?;
        BleveCalcInput {
            chemical: a.common.chemical.clone(),
            mass_kg: a.mass_kg,
            burst_pressure_pa: a.burst_pressure_bar.map(|b| b * 1e5),
            storage_temperature_k: a.storage_temperature_c.map(|c| c + K0),
            flash_fraction_mass: a.flash_fraction_mass,
            air_temperature_k: a.air_temperature_c + K0,
            relative_humidity: a.relative_humidity_pct / 100.0,
        }
        .run(&lib)
        .map_err(err)
    })();
    finish(&a.common, result, BleveCalcResult::to_text)
}

/// `calc vce`.
pub fn vce(a: &VceArgs) -> u8 {
    let result = (|| {
        let lib = library(&a.common)?;
        let method = match (a.method.trim().to_ascii_lowercase().as_str(), a.flame_mach) {
            ("tnt", None) if a.congested_volume_m3.is_none() => VceMethod::TntEquivalence,
            ("tnt", _) => {
                return Err("--flame-mach and --congested-volume-m3 need --method bst".to_owned());
            }
            ("bst", Some(m)) => VceMethod::BakerStrehlowTang {
                flame_mach: m,
                congested_volume_m3: a.congested_volume_m3,
            },
            ("bst", None) => {
                return Err(
                    "--method bst needs --flame-mach (0.2–5.2; CCPS 2010 table by \
                            fuel reactivity, congestion and confinement)"
                        .to_owned(),
                );
            }
            (m, _) => {
                return Err(format!(
                    "invalid value of --method: expected tnt or bst, found \"{m}\""
                ));
            }
        };
        VceCalcInput {
            chemical: a.common.chemical.clone(),
            mass_kg: a.mass_kg,
            efficiency: a.efficiency,
            method,
        }
        .run(&lib)
        .map_err(err)
    })();
    finish(&a.common, result, VceCalcResult::to_text)
}
