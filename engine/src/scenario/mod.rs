//! The RON scenario format: serde types, loading, validation and error reporting.

pub mod problem;
