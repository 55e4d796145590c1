//! The exercise layer: what makes a run a drill. Injects of the master scenario events
//! list (MSEL) fire at times or on conditions and change the simulation; disaster-chain
//! links let one hazard start another; roles filter what players see; objectives with
//! measurable critical tasks are rated met / partly met / not met with their evidence.
//!
//! ## References
//! - U.S. Department of Homeland Security (2020), *Homeland Security Exercise and
//!   Evaluation Program (HSEEP)*: MSEL, exercise evaluation guides, objectives with
//!   critical tasks, after-action report structure.
//! - Krausmann, E., Cruz, A. M. & Salzano, E. (2017), *Natech Risk Assessment and
//!   Management*, Elsevier: flood- and fire-triggered releases at hazardous installations.

pub mod probe;
pub mod record;
pub mod spec;
