//! Wildland fire: Rothermel surface spread, artefact-free grid spread, crown fire,
//! spotting and suppression effects — a pure model (no ECS), driven by [`FireSim::advance`].
//!
//! Files (each model file has its own `## Model / Units / Assumptions / References`):
//! [`fuel`] fuel models and loader · [`moisture`] moisture scenario · [`rothermel`] point
//! surface fire (BehavePlus) · [`wind`] midflame wind adjustment · [`crown`] Van Wagner /
//! Rothermel 1991 crown fire · [`landscape`] inputs, DEM slope, config · [`layers`] fuel
//! and canopy rasters of the scenario · [`stencil`] +
//! [`spread`] minimum-travel-time spread (why MTT: see [`spread`]) · `cell` per-cell
//! behaviour and output rasters · [`perimeter`] marching squares + GeoJSON ·
//! [`spotting`] Albini firebrands · [`suppression`] fireline and water drops ·
//! [`dispatch`] suppression orders in metres for the agents · [`calc`]
//! BehavePlus-style quick calculation · [`plugin`] scenario/ECS wiring (one resource
//! [`FireHazards`] holding every fire of a run).
//!
//! Typical use:
//! ```
//! use drillsim_engine::hazards::fire::*;
//! use drillsim_engine::world::grid::{Grid, GridSpec};
//! let cat = FuelCatalog::load_builtin().unwrap();
//! let spec = GridSpec { width: 50, height: 50, cell_size: 30.0, origin: [0.0, 0.0] };
//! let land = Landscape {
//!     fuel: Grid::filled(spec, cat.index_of("GR2").unwrap() as u16),
//!     elevation_m: None,
//!     canopy: None,
//! };
//! let cfg = FireConfig::new(FuelMoisture::from_percent(6.0, 7.0, 8.0, 60.0, 90.0));
//! let mut fire = FireSim::new(&land, &cat, cfg).unwrap();
//! fire.ignite_point(750.0, 750.0, 0.0).unwrap();
//! let mut rng = seeded_rng(7);
//! let report = fire.advance(0.0, 600.0, |_x, _y, _t| (5.0, 270.0), &mut rng).unwrap();
//! assert!(!report.ignited.is_empty());
//! let _geojson = fire.perimeter_geojson(600.0);
//! ```

pub mod calc;
mod cell;
pub mod crown;
pub mod dispatch;
pub mod error;
pub mod fuel;
pub mod landscape;
pub mod layers;
pub mod moisture;
pub mod perimeter;
pub mod plugin;
mod query;
pub mod rothermel;
pub mod spec;
pub mod spotting;
pub mod spread;
pub mod stencil;
pub mod suppression;
pub mod wind;

pub use crown::{Canopy, FireType};
pub use error::FireError;
pub use fuel::{FuelCatalog, FuelModel};
pub use landscape::{CanopyGrids, FireConfig, Landscape};
pub use layers::{CanopyLayers, FuelRasterSpec, LayerSource, RasterLayer};
pub use plugin::{FireHazards, FireInstance};
pub use rand_chacha::ChaCha8Rng;
pub use rothermel::{FuelBed, FuelMoisture, SurfaceSpread};
pub use spotting::{SpotLocation, SpotSource, SpottingConfig, TreeSpecies};
pub use spread::{FireSim, StepReport};

/// A `ChaCha8Rng` seeded from `seed` (for tests, benches and tools; the engine passes its
/// own seeded stream to [`FireSim::advance`]).
pub fn seeded_rng(seed: u64) -> ChaCha8Rng {
    use rand_chacha::rand_core::SeedableRng;
    ChaCha8Rng::seed_from_u64(seed)
}
pub use dispatch::polyline_cells;
pub use spec::{BarrierKind, BarrierSpec, IgnitionSpec, WildlandFireSpec, burn_barriers};
pub use suppression::{AttackClass, attack_class};
pub use suppression::{FirelineTable, LinePlan};
