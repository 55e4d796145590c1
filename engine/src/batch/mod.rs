//! Batch experiments: sweep files, experimental designs, per-run seeds, running one
//! design point, the append-only run journal, results tables and aggregates.
//!
//! A *sweep* ([`sweep::Sweep`], RON) names a base scenario, parameter axes that set any
//! scenario value by its field path, a design (full grid, random, Latin hypercube),
//! replications and a master seed. [`design::plan`] expands it into numbered runs; run
//! `i` gets the seed [`seed::run_seed`]`(master, i)`, so every run is reproducible on
//! its own and results do not depend on thread count, sharding or resumption.
//! [`exec::run_one`] runs one planned run and returns a [`journal::RunRecord`]; the
//! command line (`drillsim batch`) appends records to the journal and turns them into
//! `results.csv` and aggregates with [`results`].
//!
//! Planning lives here too: [`coverage`] (isochrones, population coverage, supply reach,
//! shelter balance of a scenario's facility layout) and [`optimise`] (new sites by
//! maximal covering and p-median).
//!
//! No GUI or terminal code lives here.

pub mod bounds;
pub mod coverage;
pub mod design;
pub mod exec;
pub mod isochrone;
pub mod journal;
pub mod names;
pub mod optimise;
pub mod path;
pub mod results;
pub mod seed;
pub mod stats;
pub mod sweep;
pub mod table;

pub use design::{PlannedRun, plan};
pub use exec::run_one;
pub use journal::RunRecord;
pub use sweep::{Sweep, load_sweep};
