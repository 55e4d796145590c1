//! The RON scenario format: serde types ([`types`]), loading and error reporting
//! ([`load`], [`diagnostic`], [`spans`]) and semantic checks ([`check`]).
//!
//! Paths inside a scenario are relative to the scenario file.

pub mod check;
pub mod diagnostic;
pub mod load;
pub mod problem;
pub mod spans;
pub mod types;

pub use diagnostic::{Diagnostic, ScenarioError};
pub use load::{LoadedScenario, load, parse};
pub use types::*;
