//! drillsim engine: scenario format, world rasters, hazard models, agents, the exercise
//! layer and outputs, with no GUI dependency.
//!
//! Dependency direction inside the crate (see `ARCHITECTURE.md`):
//! `scenario`, `world` → `hazards` → `sim` → `output`.
//!
//! **Determinism is part of the contract**: a run is a pure function of (scenario, seed).
//! Model code uses only the seeded streams of [`world::rng`], never iterates a
//! `std::collections::HashMap`, and reduces in a fixed order, so results are bit-identical
//! whatever the number of rayon threads.

pub mod agents;
pub mod batch;
pub mod exercise;
pub mod hazards;
pub mod output;
pub mod scenario;
pub mod sim;
pub mod world;

pub use scenario::{LoadedScenario, ScenarioError};
pub use sim::{RunConfig, Simulation};
