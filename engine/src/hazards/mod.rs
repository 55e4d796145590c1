//! Hazard models. Each hazard is a pure model (plain structs and functions over
//! [`crate::world::Grid`]s, unit-testable without the ECS) plus a thin ECS plugin.
//! Hazard models never import agents; agents read hazard fields through small queries.
pub mod flood;
