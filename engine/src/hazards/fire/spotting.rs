//! Ember spotting: Albini-type maximum spotting distance and stochastic spot ignitions.
//!
//! ## Model
//! Maximum spotting distance over flat terrain (Albini 1979; Chase 1981):
//! D = 0.000718 · U₂₀ · √H · (0.362 + √(z/H)/2 · ln(z/H)) mi, with U₂₀ the 20-ft wind in
//! mi/h, H the downwind cover height in ft (at least the critical height
//! 2.2 · z^0.337 − 4 ft) and z the maximum firebrand lofting height in ft. The lofting
//! height is taken as z = 12.2 · L_f (Albini 1981, firebrands from a flame of height L_f):
//! the flame of a burning cell (surface: Byram; torching/crowning: Thomas) acts as the
//! source. A cell that ignites with flame length ≥ `min_flame_length_m` launches, with
//! probability `ember_probability` (× `torching_factor` for passive/active crown fire),
//! one firebrand landing at a distance uniformly distributed in [0.1, 1]·D downwind,
//! with a direction spread of ±`direction_spread_deg`. The firebrand ignites a receptive
//! (burnable, unburned, not wetted) cell with probability `ignition_probability` after
//! `ignition_delay_s`.
//!
//! ## Units
//! m, m/s, s at the API; the Albini formula is evaluated in its published units.
//!
//! ## Assumptions
//! Flat-terrain distance (no ridge/valley correction). Firebrand landing distance and
//! direction are random; all draws come from the caller's `ChaCha8Rng` in the fixed order
//! in which cells ignite, so a seed reproduces a run exactly.
//!
//! ## References
//! - Albini, F.A. 1979. Spot fire distance from burning trees — a predictive model. USDA
//!   For. Serv. Gen. Tech. Rep. INT-56.
//! - Albini, F.A. 1981. Spot fire distance from isolated sources — extensions of a
//!   predictive model. USDA For. Serv. Res. Note INT-309.
//! - Chase, C.H. 1981. Spot fire distance equations for pocket calculators. USDA For.
//!   Serv. Res. Note INT-310.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::fuel::FT;
use super::rothermel::M_S_PER_MI_H;

/// Spotting parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpottingConfig {
    /// Probability that an igniting cell launches a firebrand (surface fire).
    pub ember_probability: f64,
    /// Multiplier of `ember_probability` for torching/crowning cells (result capped at 1).
    #[serde(default = "default_torching")]
    pub torching_factor: f64,
    /// Minimum flame length that lofts firebrands, m.
    #[serde(default = "default_min_flame")]
    pub min_flame_length_m: f64,
    /// Probability that a landed firebrand ignites a receptive cell.
    pub ignition_probability: f64,
    /// Delay from launch to established spot fire, s.
    #[serde(default = "default_delay")]
    pub ignition_delay_s: f64,
    /// Half-width of the landing direction spread around downwind, degrees.
    #[serde(default = "default_spread")]
    pub direction_spread_deg: f64,
}

fn default_torching() -> f64 {
    5.0
}
fn default_min_flame() -> f64 {
    1.0
}
fn default_delay() -> f64 {
    300.0
}
fn default_spread() -> f64 {
    15.0
}

impl SpottingConfig {
    /// Typical values: 5 % launch probability, 50 % ignition, 5 min delay.
    pub fn typical() -> Self {
        Self {
            ember_probability: 0.05,
            torching_factor: default_torching(),
            min_flame_length_m: default_min_flame(),
            ignition_probability: 0.5,
            ignition_delay_s: default_delay(),
            direction_spread_deg: default_spread(),
        }
    }

    /// Scenario check.
    pub fn check(&self, path: &str, out: &mut Vec<crate::scenario::problem::Problem>) {
        use crate::scenario::problem::{check_non_negative, check_range, join};
        let p = "a probability from 0 to 1";
        check_range(
            out,
            &join(path, "ember_probability"),
            self.ember_probability,
            0.0,
            1.0,
            "",
            p,
        );
        check_range(
            out,
            &join(path, "ignition_probability"),
            self.ignition_probability,
            0.0,
            1.0,
            "",
            p,
        );
        check_non_negative(
            out,
            &join(path, "torching_factor"),
            self.torching_factor,
            "",
            "≥ 0",
        );
        check_non_negative(
            out,
            &join(path, "min_flame_length_m"),
            self.min_flame_length_m,
            "m",
            "≥ 0",
        );
        check_non_negative(
            out,
            &join(path, "ignition_delay_s"),
            self.ignition_delay_s,
            "s",
            "≥ 0",
        );
        check_range(
            out,
            &join(path, "direction_spread_deg"),
            self.direction_spread_deg,
            0.0,
            90.0,
            "°",
            "0–90°",
        );
    }
}

/// Albini (1979) maximum spotting distance over flat terrain, m.
///
/// `lofting_height_m`: maximum firebrand height; `cover_height_m`: downwind vegetation
/// height; `wind_20ft_m_s`: 20-ft wind.
pub fn max_spot_distance_m(lofting_height_m: f64, cover_height_m: f64, wind_20ft_m_s: f64) -> f64 {
    let z = lofting_height_m / FT;
    let u = wind_20ft_m_s / M_S_PER_MI_H;
    if !(z > 0.0 && u > 0.0) {
        return 0.0;
    }
    let critical = 2.2 * z.powf(0.337) - 4.0;
    let h = (cover_height_m / FT).max(critical).max(1.0);
    let ratio = z / h;
    let d_mi = 0.000718 * u * h.sqrt() * (0.362 + ratio.sqrt() / 2.0 * ratio.ln());
    (d_mi * 1609.344).max(0.0)
}

/// Lofting height from a flame length (Albini 1981): z = 12.2 L_f.
pub fn lofting_height_m(flame_length_m: f64) -> f64 {
    12.2 * flame_length_m.max(0.0)
}

/// A firebrand landing: displacement (east, north) in m, or `None` if no firebrand was
/// launched or it did not ignite. Draws from `rng` in a fixed order.
pub fn sample_spot(
    cfg: &SpottingConfig,
    flame_length_m: f64,
    crowning: bool,
    cover_height_m: f64,
    wind_20ft_m_s: f64,
    wind_from_deg: f64,
    rng: &mut ChaCha8Rng,
) -> Option<(f64, f64)> {
    if flame_length_m < cfg.min_flame_length_m || wind_20ft_m_s <= 0.0 {
        return None;
    }
    let p = if crowning {
        (cfg.ember_probability * cfg.torching_factor).min(1.0)
    } else {
        cfg.ember_probability
    };
    // Always draw the same number of variates per candidate so the stream stays aligned.
    let (u_launch, u_dist, u_dir, u_ign) = (
        rng.random::<f64>(),
        rng.random::<f64>(),
        rng.random::<f64>(),
        rng.random::<f64>(),
    );
    if u_launch >= p || u_ign >= cfg.ignition_probability {
        return None;
    }
    let dmax = max_spot_distance_m(
        lofting_height_m(flame_length_m),
        cover_height_m,
        wind_20ft_m_s,
    );
    let d = (0.1 + 0.9 * u_dist) * dmax;
    let az = (wind_from_deg + 180.0 + (2.0 * u_dir - 1.0) * cfg.direction_spread_deg).to_radians();
    Some((d * az.sin(), d * az.cos()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn albini_distance_grows_with_wind_and_height() {
        let d1 = max_spot_distance_m(30.0, 10.0, 5.0);
        let d2 = max_spot_distance_m(30.0, 10.0, 10.0);
        let d3 = max_spot_distance_m(60.0, 10.0, 10.0);
        assert!(d1 > 0.0 && (d2 / d1 - 2.0).abs() < 1e-9 && d3 > d2);
        assert_eq!(max_spot_distance_m(30.0, 10.0, 0.0), 0.0);
    }
}
