//! Flood outputs derived from depth and velocity: the FD2320 hazard rating, the
//! point query used by agents and chains, and the mass-balance report.
//!
//! ## Model
//! Hazard rating HR = d (v + 0.5) + DF with debris factor DF = 0 for d ≤ 0.25 m and
//! v ≤ 2 m/s, else 1 (the conservative urban/woodland value). Classes (FD2321/TR2
//! Table 13.1): < 0.75 low, 0.75–1.25 danger for some, 1.25–2.0 danger for most,
//! > 2.0 danger for all.
//!
//! ## Units
//! d in m, v in m/s, HR dimensionless, volumes in m³.
//!
//! ## Assumptions
//! HR is zero in dry cells (depth ≤ the dry threshold).
//!
//! ## References
//! - HR Wallingford, Flood Hazard Research Centre, Risk & Policy Analysts (2006).
//!   *Flood Risks to People, Phase 2*, Defra/EA R&D Technical Report FD2321/TR2;
//!   method in FD2320/TR2 (2005).

use serde::{Deserialize, Serialize};

/// Depth and velocity at a point, for agents, routing and hazard chains.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FloodSample {
    /// Water depth (m).
    pub depth_m: f64,
    /// Eastward velocity (m/s).
    pub u_m_s: f64,
    /// Northward velocity (m/s).
    pub v_m_s: f64,
}

impl FloodSample {
    /// Speed (m/s).
    pub fn speed_m_s(&self) -> f64 {
        self.u_m_s.hypot(self.v_m_s)
    }

    /// FD2320 hazard rating at this point.
    pub fn hazard_rating(&self) -> f64 {
        hazard_rating(self.depth_m, self.speed_m_s())
    }
}

/// FD2320 hazard rating HR = d (v + 0.5) + DF (0 for a dry point).
pub fn hazard_rating(depth_m: f64, speed_m_s: f64) -> f64 {
    if depth_m <= 0.0 {
        return 0.0;
    }
    let df = if depth_m > 0.25 || speed_m_s > 2.0 {
        1.0
    } else {
        0.0
    };
    depth_m * (speed_m_s + 0.5) + df
}

/// FD2321 hazard class of a rating.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum HazardClass {
    /// HR < 0.75: caution.
    Low,
    /// 0.75 ≤ HR < 1.25: danger for some (children, elderly, infirm).
    DangerForSome,
    /// 1.25 ≤ HR < 2.0: danger for most (the general public).
    DangerForMost,
    /// HR ≥ 2.0: danger for all (including emergency services).
    DangerForAll,
}

impl HazardClass {
    /// Class of a hazard rating.
    pub fn of(hr: f64) -> Self {
        if hr < 0.75 {
            Self::Low
        } else if hr < 1.25 {
            Self::DangerForSome
        } else if hr < 2.0 {
            Self::DangerForMost
        } else {
            Self::DangerForAll
        }
    }
}

/// The water budget since the start of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MassBalance {
    /// Water present at the start (m³).
    pub initial_m3: f64,
    /// Added by inflow hydrographs (m³).
    pub inflow_m3: f64,
    /// Added by rain (m³).
    pub rain_m3: f64,
    /// Removed by drainage sinks (m³).
    pub drainage_m3: f64,
    /// Net outflow through grid edges (m³; negative = net inflow from edges).
    pub boundary_outflow_m3: f64,
    /// Stored on the grid now (m³).
    pub stored_m3: f64,
    /// initial + inflow + rain − drainage − boundary outflow − stored (m³).
    pub error_m3: f64,
    /// |error| divided by the largest of (initial + inflow + rain, stored).
    pub relative_error: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hazard_rating_matches_fd2320_examples() {
        // FD2320/TR2: d = 0.25 m, v = 0.5 m/s → HR = 0.25 (no debris factor).
        assert!((hazard_rating(0.25, 0.5) - 0.25).abs() < 1e-12);
        // d = 0.5 m, v = 1 m/s → 0.5 × 1.5 + 1 = 1.75: danger for most.
        assert!((hazard_rating(0.5, 1.0) - 1.75).abs() < 1e-12);
        assert_eq!(HazardClass::of(1.75), HazardClass::DangerForMost);
        assert_eq!(HazardClass::of(0.3), HazardClass::Low);
        assert_eq!(hazard_rating(0.0, 3.0), 0.0);
    }
}
