//! Fuel moisture scenario of the Rothermel model: dead 1-h, 10-h, 100-h and live
//! herbaceous and woody moisture contents, with the input ranges BehavePlus accepts.
//!
//! ## Model
//! Moisture content is the mass of water per oven-dry mass of fuel, per size class
//! (Rothermel 1972). No drying model: the values hold for the whole run.
//!
//! ## Units
//! Fractions (0.06 = 6 %); [`FuelMoisture::from_percent`] converts from percent.
//!
//! ## Assumptions
//! Dead 1–80 %, live 10–400 % are accepted; live herbaceous ≤ 30 % means fully cured for
//! dynamic models (Scott & Burgan 2005).
//!
//! ## References
//! - Rothermel, R.C. 1972. INT-115.
//! - Andrews, P.L. 2009. BehavePlus fire modeling system, version 5.0: variables. USDA For.
//!   Serv. Gen. Tech. Rep. RMRS-GTR-213 (input ranges).

use serde::{Deserialize, Serialize};

use super::error::FireError;

/// Fuel moisture contents as fractions of oven-dry mass (0.06 = 6 %).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FuelMoisture {
    /// 1-h dead fuel moisture.
    pub dead_1h: f64,
    /// 10-h dead fuel moisture.
    pub dead_10h: f64,
    /// 100-h dead fuel moisture.
    pub dead_100h: f64,
    /// Live herbaceous moisture.
    pub live_herb: f64,
    /// Live woody moisture.
    pub live_woody: f64,
}

impl FuelMoisture {
    /// From percentages (BehavePlus inputs).
    pub fn from_percent(d1: f64, d10: f64, d100: f64, herb: f64, woody: f64) -> Self {
        Self {
            dead_1h: d1 / 100.0,
            dead_10h: d10 / 100.0,
            dead_100h: d100 / 100.0,
            live_herb: herb / 100.0,
            live_woody: woody / 100.0,
        }
    }

    /// Refuses values outside 1–80 % (dead) and 10–400 % (live), the ranges of
    /// BehavePlus input checks.
    pub fn validate(&self) -> Result<(), FireError> {
        let items: [(&'static str, f64, f64, f64); 5] = [
            ("1-h dead", self.dead_1h, 0.01, 0.80),
            ("10-h dead", self.dead_10h, 0.01, 0.80),
            ("100-h dead", self.dead_100h, 0.01, 0.80),
            ("live herbaceous", self.live_herb, 0.10, 4.0),
            ("live woody", self.live_woody, 0.10, 4.0),
        ];
        for (what, v, lo, hi) in items {
            if !(v.is_finite() && v >= lo && v <= hi) {
                return Err(FireError::MoistureOutOfRange {
                    what,
                    value_pct: v * 100.0,
                    lo_pct: lo * 100.0,
                    hi_pct: hi * 100.0,
                });
            }
        }
        Ok(())
    }

    /// Scenario check: reports each out-of-range class as a [`Problem`](crate::scenario::problem::Problem).
    pub fn check(&self, path: &str, out: &mut Vec<crate::scenario::problem::Problem>) {
        use crate::scenario::problem::{check_range, join};
        let hint = "moisture is a fraction of oven-dry mass, e.g. 0.06 for 6 %";
        check_range(
            out,
            &join(path, "dead_1h"),
            self.dead_1h,
            0.01,
            0.8,
            "",
            hint,
        );
        check_range(
            out,
            &join(path, "dead_10h"),
            self.dead_10h,
            0.01,
            0.8,
            "",
            hint,
        );
        check_range(
            out,
            &join(path, "dead_100h"),
            self.dead_100h,
            0.01,
            0.8,
            "",
            hint,
        );
        check_range(
            out,
            &join(path, "live_herb"),
            self.live_herb,
            0.1,
            4.0,
            "",
            hint,
        );
        check_range(
            out,
            &join(path, "live_woody"),
            self.live_woody,
            0.1,
            4.0,
            "",
            hint,
        );
    }
}
