//! `drillsim calc fire`: BehavePlus-style surface fire behaviour at a point
//! (see `drillsim_engine::hazards::fire::calc` for the model and its references).

use clap::Args;
use drillsim_engine::hazards::fire::calc::{FireCalcInput, calc_fire};
use drillsim_engine::hazards::fire::plugin::catalogue_code;
use drillsim_engine::hazards::fire::{FireError, FuelCatalog, FuelMoisture};

use crate::{EXIT_FAILURE, EXIT_INVALID};

/// Metres per second in one mile per hour.
const M_S_PER_MI_H: f64 = 0.447_04;

/// Arguments of `drillsim calc fire`.
#[derive(Args)]
#[command(
    after_help = "Example: drillsim calc fire --fuel GR2 --wind-mph 10 --moisture 3,4,5,30,60 --minutes 60\n\
                  Wind is the 20-ft (6.1 m) open wind; for a 10-m wind divide by 1.15."
)]
pub struct FireArgs {
    /// Fuel model code: Scott & Burgan (GR2, SH5, TU5, …) or Anderson 1–13 (or FM1–FM13).
    #[arg(long)]
    fuel: String,
    /// 20-ft open wind speed in mi/h.
    #[arg(long, conflicts_with_all = ["wind_m_s", "midflame_m_s"])]
    wind_mph: Option<f64>,
    /// 20-ft open wind speed in m/s.
    #[arg(long = "wind-m-s", conflicts_with = "midflame_m_s")]
    wind_m_s: Option<f64>,
    /// Midflame wind speed in m/s (skips the wind adjustment factor).
    #[arg(long = "midflame-m-s")]
    midflame_m_s: Option<f64>,
    /// Direction the wind blows from, degrees clockwise from north.
    #[arg(long, default_value_t = 0.0)]
    wind_from_deg: f64,
    /// Slope in percent (rise/run × 100).
    #[arg(long, default_value_t = 0.0)]
    slope_pct: f64,
    /// Aspect (direction the slope faces), degrees clockwise from north.
    #[arg(long, default_value_t = 180.0)]
    aspect_deg: f64,
    /// Fuel moisture in percent: 1-h,10-h,100-h,live herbaceous,live woody.
    #[arg(
        long,
        default_value = "6,7,8,60,90",
        value_name = "D1,D10,D100,HERB,WOODY"
    )]
    moisture: String,
    /// Canopy cover in percent (sheltered wind adjustment).
    #[arg(long, default_value_t = 0.0)]
    canopy_cover_pct: f64,
    /// Canopy height in m.
    #[arg(long, default_value_t = 0.0)]
    canopy_height_m: f64,
    /// Elapsed time for the fire size, minutes.
    #[arg(long, default_value_t = 60.0)]
    minutes: f64,
    /// Print JSON (SI and customary units) instead of the table.
    #[arg(long)]
    json: bool,
}

fn parse_moisture(text: &str) -> Result<FuelMoisture, String> {
    let v: Vec<f64> = text
        .split(',')
        .map(|s| s.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|e| format!("--moisture `{text}`: {e}"))?;
    match v[..] {
        [d1, d10, d100, herb, woody] => Ok(FuelMoisture::from_percent(d1, d10, d100, herb, woody)),
        _ => Err(format!(
            "--moisture `{text}` needs 5 percentages: 1-h,10-h,100-h,live herbaceous,live woody (e.g. 6,7,8,60,90)"
        )),
    }
}

/// Runs the command; returns the exit code.
pub fn run(a: &FireArgs) -> u8 {
    let invalid = |msg: String| {
        eprintln!("error: {msg}");
        EXIT_INVALID
    };
    let moisture = match parse_moisture(&a.moisture) {
        Ok(m) => m,
        Err(e) => return invalid(e),
    };
    let catalog = match FuelCatalog::load_builtin() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_FAILURE;
        }
    };
    let input = FireCalcInput {
        fuel: catalogue_code(a.fuel.trim()),
        moisture,
        wind_20ft_m_s: a.wind_m_s.or(a.wind_mph.map(|w| w * M_S_PER_MI_H)),
        midflame_wind_m_s: a.midflame_m_s,
        wind_from_deg: a.wind_from_deg,
        slope_pct: a.slope_pct,
        aspect_deg: a.aspect_deg,
        canopy_cover: a.canopy_cover_pct / 100.0,
        canopy_height_m: a.canopy_height_m,
        canopy_base_height_m: 0.0,
        elapsed_s: a.minutes * 60.0,
    };
    match calc_fire(&input, &catalog) {
        Ok(r) => {
            if a.json {
                match serde_json::to_string_pretty(&r) {
                    Ok(s) => println!("{s}"),
                    Err(e) => {
                        eprintln!("error: {e}");
                        return EXIT_FAILURE;
                    }
                }
            } else {
                print!("{}", r.to_text());
            }
            0
        }
        Err(e) => {
            let hint = match e {
                FireError::UnknownFuel { .. } => {
                    "fuel codes are Scott & Burgan (GR1–GR9, GS1–GS4, SH1–SH9, TU1–TU5, TL1–TL9, SB1–SB4) or Anderson 1–13 (also FM1–FM13)"
                }
                FireError::MoistureOutOfRange { .. } => {
                    "--moisture takes percentages 1-h,10-h,100-h,live herbaceous,live woody: dead 1–80 %, live 10–400 %"
                }
                _ => "see `drillsim calc fire --help` for the accepted ranges",
            };
            invalid(format!("{e}\nhint: {hint}"))
        }
    }
}
