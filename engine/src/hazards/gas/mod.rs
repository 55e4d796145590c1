//! Gas release and dispersion: source terms, Gaussian plume and puff models with
//! Pasquill–Gifford stability, a puff tracker advected by a time- and space-varying wind,
//! a Britter–McQuaid dense-gas model, toxic dose, probit and threat zones, and the
//! `calc plume` quick calculation. Pure models over [`crate::world::Grid`]s, no ECS.

pub mod calc;
pub mod dense;
pub mod dense_puff;
pub mod plugin;
pub mod plume;
pub mod pool;
pub mod puff;
pub mod release;
pub mod source;
pub mod stability;
pub mod toxic;
pub mod zones;

/// Gravitational acceleration, m/s².
pub const G: f64 = 9.80665;

/// Errors of the gas models (invalid inputs; nothing here panics on bad input).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GasError {
    /// An input is out of its physical range.
    #[error("invalid input `{field}`: {msg}")]
    Invalid {
        /// Field name.
        field: String,
        /// What is wrong and how to fix it.
        msg: String,
    },
}

/// Returns `Err(GasError::Invalid)` unless `v` is finite and > 0.
pub(crate) fn require_positive(field: &str, v: f64, hint: &str) -> Result<(), GasError> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(GasError::Invalid {
            field: field.to_owned(),
            msg: format!("must be a number > 0, found {v}; {hint}"),
        })
    }
}

/// Returns `Err(GasError::Invalid)` unless `v` is finite and ≥ 0.
pub(crate) fn require_non_negative(field: &str, v: f64, hint: &str) -> Result<(), GasError> {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        Err(GasError::Invalid {
            field: field.to_owned(),
            msg: format!("must be a number ≥ 0, found {v}; {hint}"),
        })
    }
}

/// Error function, Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7).
pub fn erf(x: f64) -> f64 {
    let s = x.signum();
    let x = x.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let y = 1.0
        - (((((1.061_405_429 * t - 1.453_152_027) * t) + 1.421_413_741) * t - 0.284_496_736) * t
            + 0.254_829_592)
            * t
            * (-x * x).exp();
    s * y
}

#[cfg(test)]
mod tests {
    #[test]
    fn erf_matches_tabulated_values() {
        // Abramowitz & Stegun Table 7.1: erf(0.5) = 0.5204999, erf(1) = 0.8427008.
        assert!((super::erf(0.5) - 0.520_499_9).abs() < 2e-7);
        assert!((super::erf(1.0) - 0.842_700_8).abs() < 2e-7);
        assert!((super::erf(-1.0) + 0.842_700_8).abs() < 2e-7);
    }
}
