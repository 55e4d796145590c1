//! Wildland fire: Rothermel surface spread, artefact-free grid spread, crown fire,
//! spotting and suppression effects — a pure model (no ECS), driven by [`FireSim::advance`].
//!
//! Files: [`fuel`] (fuel models), [`rothermel`] (point surface fire), [`wind`] (midflame
//! wind), [`crown`] (Van Wagner / Rothermel 1991), [`stencil`] + [`spread`] (minimum travel
//! time on the grid), [`perimeter`] (marching squares, GeoJSON), [`spotting`] (Albini
//! lofting), [`suppression`] (fireline, water drops), [`calc`] (BehavePlus-style quick
//! calculation). Each model file has its own `## Model / Units / Assumptions / References`.

pub mod calc;
mod cell;
pub mod crown;
pub mod error;
pub mod fuel;
pub mod landscape;
pub mod moisture;
pub mod perimeter;
pub mod rothermel;
pub mod spotting;
pub mod spread;
pub mod stencil;
pub mod suppression;
pub mod wind;

pub use crown::{Canopy, FireType};
pub use error::FireError;
pub use fuel::{FuelCatalog, FuelModel};
pub use landscape::{CanopyGrids, FireConfig, Landscape};
pub use rand_chacha::ChaCha8Rng;
pub use rothermel::{FuelBed, FuelMoisture, SurfaceSpread};
pub use spotting::SpottingConfig;
pub use spread::{FireSim, StepReport};

/// A `ChaCha8Rng` seeded from `seed` (for tests, benches and tools; the engine passes its
/// own seeded stream to [`FireSim::advance`]).
pub fn seeded_rng(seed: u64) -> ChaCha8Rng {
    use rand_chacha::rand_core::SeedableRng;
    ChaCha8Rng::seed_from_u64(seed)
}
pub use suppression::{FirelineTable, LinePlan};
