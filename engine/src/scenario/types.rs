//! Serde types of the RON scenario format. Field names carry their SI unit where it is
//! not obvious (`cell_size_m`, `duration_s`, `from_deg`). Every struct denies unknown
//! fields: a misspelt field is an error, never silently ignored.
//!
//! Sections that later capabilities fill in (`hazards`, `forces`, `facilities`,
//! `population`, `injects`) are typed lists; a kind that the engine does not know yet is
//! an "unknown variant" error rather than an ignored entry.

use serde::{Deserialize, Serialize};

/// A whole scenario file.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Name, description and label language.
    pub meta: Meta,
    /// Duration, tick, seed and outputs.
    pub run: RunSettings,
    /// Grid geometry and terrain.
    pub map: MapSpec,
    /// Land cover, roughness and fuel layers.
    #[serde(default)]
    pub layers: Layers,
    /// Wind, stability, temperature, humidity and rain.
    #[serde(default)]
    pub weather: Weather,
    /// Hazard sources (flood, gas release, fire, …).
    #[serde(default)]
    pub hazards: Vec<HazardSpec>,
    /// Response teams.
    #[serde(default)]
    pub forces: Vec<ForceSpec>,
    /// Bases, depots, shelters, hospitals, command posts.
    #[serde(default)]
    pub facilities: Vec<FacilitySpec>,
    /// Population groups and vulnerable sites.
    #[serde(default)]
    pub population: Vec<PopulationSpec>,
    /// Road network (GeoJSON or generated).
    #[serde(default)]
    pub roads: Option<crate::agents::spec::RoadsSpec>,
    /// Dispatch policy and response settings.
    #[serde(default)]
    pub response: Option<crate::agents::spec::ResponseSpec>,
    /// Master scenario events list (MSEL).
    #[serde(default)]
    pub injects: Vec<InjectSpec>,
    /// Disaster-chain (natech) links.
    #[serde(default)]
    pub chains: Vec<crate::exercise::spec::ChainSpec>,
    /// Exercise objectives with critical tasks.
    #[serde(default)]
    pub objectives: Vec<crate::exercise::spec::ObjectiveSpec>,
    /// Roles, sensors and named places of the exercise.
    #[serde(default)]
    pub exercise: Option<crate::exercise::spec::ExerciseSettings>,
}

/// Hazard sources. Each hazard capability adds its variant here, and an arm to
/// [`HazardSpec::check`] and to `crate::hazards::install`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum HazardSpec {
    /// A flood: solver, initial water, inflows, drainage, boundaries, breaches, weirs.
    Flood(crate::hazards::flood::FloodSpec),
    /// A wildland (forest or grassland) fire.
    WildlandFire(crate::hazards::fire::WildlandFireSpec),
    /// A toxic or flammable gas release dispersing in the scenario's wind.
    ChemicalRelease(crate::hazards::gas::release::ChemicalReleaseSpec),
    /// A pool fire, jet fire, BLEVE fireball, explosion or ignition of a release's cloud.
    ChemicalFire(crate::hazards::chem_fire::spec::ChemicalFireSpec),
}

impl HazardSpec {
    /// Reports out-of-range values of this hazard at `path` (e.g. `hazards[2]`).
    pub fn check(&self, path: &str, out: &mut Vec<super::problem::Problem>) {
        match self {
            Self::Flood(spec) => spec.check(path, out),
            Self::WildlandFire(s) => s.check(path, out),
            Self::ChemicalRelease(s) => s.check(path, out),
            Self::ChemicalFire(s) => s.check(path, out),
        }
    }

    /// True when the hazard waits for an inject or chain link to start it.
    pub fn dormant(&self) -> bool {
        match self {
            Self::Flood(_) => false,
            Self::WildlandFire(s) => s.dormant,
            Self::ChemicalRelease(s) => s.dormant,
            Self::ChemicalFire(s) => s.dormant,
        }
    }

    /// Name by which injects, chains and events refer to hazard `i` of the scenario:
    /// its `name` (always given for chemical fires), else the chemical (releases), `fire<k>` (fires, k counting fires)
    /// or `flood` (`flood<k>` after the first).
    pub fn labels(hazards: &[Self]) -> Vec<String> {
        let (mut fires, mut floods) = (0usize, 0usize);
        hazards
            .iter()
            .map(|h| match h {
                Self::Flood(_) => {
                    floods += 1;
                    if floods == 1 {
                        "flood".to_owned()
                    } else {
                        format!("flood{}", floods - 1)
                    }
                }
                Self::WildlandFire(s) => {
                    fires += 1;
                    s.name
                        .clone()
                        .unwrap_or_else(|| format!("fire{}", fires - 1))
                }
                Self::ChemicalRelease(s) => s.name.clone().unwrap_or_else(|| s.chemical.clone()),
                Self::ChemicalFire(s) => s.name.clone(),
            })
            .collect()
    }
}

pub use crate::agents::spec::{FacilitySpec, ForceSpec, PopulationSpec};

pub use crate::exercise::spec::InjectSpec;

/// Descriptive metadata.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Short name; any language (e.g. "化工园区氯气泄漏").
    pub name: String,
    /// Longer description for trainers.
    #[serde(default)]
    pub description: String,
    /// BCP 47 tag of the labels' language, e.g. "zh-CN" or "en".
    #[serde(default = "default_language")]
    pub language: String,
}

fn default_language() -> String {
    "en".to_owned()
}

/// How long and how finely to simulate, and what to write.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSettings {
    /// Simulated duration in seconds.
    pub duration_s: f64,
    /// Agent tick in seconds; hazards sub-step inside each tick.
    #[serde(default = "default_tick")]
    pub tick_s: f64,
    /// Master seed; every random stream derives from (seed, run index, purpose).
    #[serde(default)]
    pub seed: u64,
    /// Outputs written by `drillsim run`.
    #[serde(default)]
    pub outputs: Outputs,
}

fn default_tick() -> f64 {
    10.0
}

/// Output settings.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outputs {
    /// Interval of the CSV time series in seconds.
    #[serde(default = "default_series_interval")]
    pub timeseries_interval_s: f64,
    /// Write final rasters as PNG images.
    #[serde(default = "yes")]
    pub png: bool,
    /// Write final rasters as ESRI ASCII grids.
    #[serde(default = "yes")]
    pub ascii_grid: bool,
}

impl Default for Outputs {
    fn default() -> Self {
        Self {
            timeseries_interval_s: default_series_interval(),
            png: true,
            ascii_grid: true,
        }
    }
}

fn default_series_interval() -> f64 {
    60.0
}

fn yes() -> bool {
    true
}

/// Grid geometry and terrain source.
///
/// For procedural terrain `width`, `height` and `cell_size_m` are required. For terrain
/// read from a file they come from the file; if given they must match it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapSpec {
    /// Columns (west → east).
    #[serde(default)]
    pub width: Option<usize>,
    /// Rows (north → south).
    #[serde(default)]
    pub height: Option<usize>,
    /// Square cell size in metres.
    #[serde(default)]
    pub cell_size_m: Option<f64>,
    /// Lower-left corner in metres of the projected CRS (default 0, 0).
    #[serde(default)]
    pub origin: Option<Origin>,
    /// EPSG code of the projected CRS (e.g. 32650 for UTM 50N); metadata only.
    #[serde(default)]
    pub epsg: Option<u32>,
    /// Where the elevation comes from.
    pub terrain: TerrainSource,
}

/// Lower-left corner of the grid.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Origin {
    /// Easting in metres.
    pub x: f64,
    /// Northing in metres.
    pub y: f64,
}

/// Elevation source: a raster file or a procedural generator.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum TerrainSource {
    /// ESRI ASCII grid (`.asc`), path relative to the scenario file.
    AsciiGrid(String),
    /// Single-band GeoTIFF in a projected CRS, path relative to the scenario file.
    GeoTiff(String),
    /// Level ground.
    Flat {
        /// Elevation in metres.
        elevation_m: f64,
    },
    /// A uniform plane.
    Slope {
        /// Elevation at the grid centre in metres.
        elevation_m: f64,
        /// Rise per metre (0.05 = 5 %).
        gradient: f64,
        /// Azimuth the ground rises toward, degrees clockwise from north.
        uphill_toward_deg: f64,
    },
    /// A straight valley with side slopes, an optional river channel and levees.
    Valley(ValleySpec),
    /// Smooth Gaussian hills on a base level, placed by their own seed.
    Hills(HillsSpec),
}

/// A straight valley.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValleySpec {
    /// Elevation of the valley floor at the upstream edge, metres.
    pub floor_elevation_m: f64,
    /// Azimuth the valley runs downstream toward, degrees clockwise from north.
    pub downstream_toward_deg: f64,
    /// Fall of the floor per metre along the valley (e.g. 0.001).
    pub along_slope: f64,
    /// Rise of the valley sides per metre away from the axis (e.g. 0.05).
    pub side_slope: f64,
    /// Half-width of the flat valley floor, metres.
    #[serde(default)]
    pub floor_half_width_m: f64,
    /// River channel along the axis.
    #[serde(default)]
    pub river: Option<RiverSpec>,
    /// Levees on both banks of the river.
    #[serde(default)]
    pub levees: Option<LeveeSpec>,
}

/// A rectangular river channel cut into the valley floor; its cells become water.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiverSpec {
    /// Channel width in metres.
    pub width_m: f64,
    /// Channel depth below the floor in metres.
    pub depth_m: f64,
}

/// Levee crests parallel to the river.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeveeSpec {
    /// Crest height above the floor in metres.
    pub height_m: f64,
    /// Crest width in metres.
    pub crest_width_m: f64,
    /// Distance from the river bank to the levee centre line in metres.
    #[serde(default)]
    pub setback_m: f64,
}

/// Gaussian hills.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HillsSpec {
    /// Base elevation in metres.
    pub base_elevation_m: f64,
    /// Number of hills.
    pub count: u32,
    /// Largest hill height in metres (heights are drawn from 30–100 % of it).
    pub max_height_m: f64,
    /// Smallest and largest hill radius (1σ of the Gaussian) in metres.
    pub radius_m: (f64, f64),
    /// Seed of the terrain generator (independent of the run seed, so the terrain
    /// stays the same across a batch of runs).
    #[serde(default)]
    pub seed: u64,
}

/// Land-cover classes. Each has default Manning n and fuel model, overridable in
/// [`Layers::classes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LandCover {
    /// Rivers, lakes, reservoirs.
    Water,
    /// Built-up area.
    Urban,
    /// Paved roads.
    Road,
    /// Cultivated fields.
    Cropland,
    /// Grass and pasture.
    Grassland,
    /// Brush and shrubs.
    Shrubland,
    /// Forest.
    Forest,
    /// Marsh and wetland.
    Wetland,
    /// Bare soil or rock.
    Bare,
}

impl LandCover {
    /// All classes in code order (the code of a class is its index).
    pub const ALL: [LandCover; 9] = [
        LandCover::Water,
        LandCover::Urban,
        LandCover::Road,
        LandCover::Cropland,
        LandCover::Grassland,
        LandCover::Shrubland,
        LandCover::Forest,
        LandCover::Wetland,
        LandCover::Bare,
    ];

    /// Compact code stored in rasters.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// Class of a code.
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.get(usize::from(code)).copied()
    }
}

/// Land cover, roughness and fuel layers.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layers {
    /// Land-cover raster.
    #[serde(default)]
    pub land_cover: LandCoverSource,
    /// Manning roughness n (s·m^-1/3).
    #[serde(default)]
    pub manning: ManningSource,
    /// Wildland fuel model codes (Anderson 13 as "1".."13", Scott & Burgan 40 as "GR2" …).
    #[serde(default)]
    pub fuel: FuelSource,
    /// Overrides of the per-class defaults.
    #[serde(default)]
    pub classes: Vec<ClassOverride>,
}

/// Where land cover comes from.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum LandCoverSource {
    /// One class everywhere (river cells of a procedural valley are always water).
    Uniform(LandCover),
    /// An integer raster with a legend mapping its codes to classes.
    Raster {
        /// ESRI ASCII grid or GeoTIFF, path relative to the scenario file.
        path: String,
        /// Code → class.
        legend: Vec<LegendEntry>,
    },
}

impl Default for LandCoverSource {
    fn default() -> Self {
        Self::Uniform(LandCover::Grassland)
    }
}

/// One legend row of a land-cover raster.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegendEntry {
    /// Integer value in the raster.
    pub code: i32,
    /// Class it stands for.
    pub class: LandCover,
}

/// Where Manning n comes from.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub enum ManningSource {
    /// From the land-cover class table.
    #[default]
    FromLandCover,
    /// One value everywhere.
    Uniform(f64),
    /// A raster of n values, path relative to the scenario file.
    Raster(String),
}

/// Where fuel models come from.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub enum FuelSource {
    /// From the land-cover class table.
    #[default]
    FromLandCover,
    /// One fuel model everywhere.
    Uniform(String),
}

/// Overrides the defaults of one land-cover class.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassOverride {
    /// The class.
    pub class: LandCover,
    /// Manning n (s·m^-1/3).
    #[serde(default)]
    pub manning: Option<f64>,
    /// Fuel model code.
    #[serde(default)]
    pub fuel: Option<String>,
}

/// Weather over the run, uniform in space.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weather {
    /// Wind at 10 m, interpolated linearly in time (direction along the shorter arc).
    #[serde(default = "default_wind")]
    pub wind: Vec<WindPoint>,
    /// Atmospheric stability.
    #[serde(default)]
    pub stability: StabilitySpec,
    /// Air temperature in °C.
    #[serde(default = "default_temperature")]
    pub temperature_c: Series,
    /// Relative humidity in percent.
    #[serde(default = "default_humidity")]
    pub relative_humidity_pct: Series,
    /// Rain intensity in mm/h.
    #[serde(default = "zero_series")]
    pub rain_mm_h: Series,
    /// Local date and time at the start of the run (for solar elevation).
    #[serde(default)]
    pub start: Option<StartTime>,
    /// Site latitude and longitude in degrees (for solar elevation).
    #[serde(default)]
    pub site: Option<Site>,
}

impl Default for Weather {
    fn default() -> Self {
        Self {
            wind: default_wind(),
            stability: StabilitySpec::default(),
            temperature_c: default_temperature(),
            relative_humidity_pct: default_humidity(),
            rain_mm_h: zero_series(),
            start: None,
            site: None,
        }
    }
}

fn default_wind() -> Vec<WindPoint> {
    vec![WindPoint {
        t_s: 0.0,
        speed_m_s: 3.0,
        from_deg: 270.0,
    }]
}

fn default_temperature() -> Series {
    Series::Constant(20.0)
}

fn default_humidity() -> Series {
    Series::Constant(60.0)
}

fn zero_series() -> Series {
    Series::Constant(0.0)
}

/// Wind at one time.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindPoint {
    /// Time in seconds from the start of the run.
    pub t_s: f64,
    /// Speed at 10 m in m/s.
    pub speed_m_s: f64,
    /// Direction the wind blows FROM, degrees clockwise from north (meteorological).
    pub from_deg: f64,
}

/// A scalar that is constant or a time series of `(t_s, value)` points interpolated
/// linearly and held constant beyond its ends.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Series {
    /// The same value throughout.
    Constant(f64),
    /// `(t_s, value)` points in increasing time.
    Points(Vec<(f64, f64)>),
}

/// Pasquill–Gifford stability class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StabilityClass {
    /// Very unstable.
    A,
    /// Unstable.
    B,
    /// Slightly unstable.
    C,
    /// Neutral.
    D,
    /// Slightly stable.
    E,
    /// Stable.
    F,
}

/// How stability is set.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum StabilitySpec {
    /// A fixed class.
    Class(StabilityClass),
    /// Derived every tick from wind speed, solar elevation and cloud cover (Turner 1964);
    /// needs `weather.start` and `weather.site`.
    Turner {
        /// Total cloud cover in oktas (0–8).
        cloud_cover_oktas: Series,
        /// Cloud ceiling height in metres.
        #[serde(default = "default_ceiling")]
        ceiling_m: f64,
    },
}

impl Default for StabilitySpec {
    fn default() -> Self {
        Self::Class(StabilityClass::D)
    }
}

fn default_ceiling() -> f64 {
    3000.0
}

/// Local civil date and time.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartTime {
    /// Year.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day of month.
    pub day: u32,
    /// Hour 0–23.
    pub hour: u32,
    /// Minute 0–59.
    #[serde(default)]
    pub minute: u32,
    /// Offset of local time from UTC in hours (China: 8).
    pub utc_offset_h: f64,
}

/// Geographic position of the site.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Latitude in degrees north.
    pub latitude_deg: f64,
    /// Longitude in degrees east.
    pub longitude_deg: f64,
}
