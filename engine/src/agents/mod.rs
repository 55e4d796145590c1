//! Agents: the road network, routing on it and off road, and (from the lead) forces,
//! facilities, population, dispatch, tasks and exposure.
//!
//! May depend on `world` (grids) and `scenario::problem`; hazard fields are read through
//! small cost traits such as [`routing::EdgeCost`], never by importing hazard models.

pub mod offroad;
pub mod roads;
pub mod routing;
