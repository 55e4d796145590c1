//! Crown fire: Van Wagner (1977) initiation, Rothermel (1991) active crown spread rate,
//! Van Wagner (1993) surface / passive / active classification.
//!
//! ## Model
//! - Critical surface intensity for crown initiation (Van Wagner 1977):
//!   I₀ = (0.010 · CBH · (460 + 25.9 · FMC))^1.5 kW/m (CBH in m, FMC in %).
//! - Active crown spread rate (Rothermel 1991): R_active = 3.34 · R_FM10, with R_FM10 the
//!   Rothermel spread rate of fuel model 10 at the same dead/live woody moisture, midflame
//!   wind 0.4 × the 20-ft wind and no slope (the correlation is for wind-driven crown fire,
//!   as in BehavePlus).
//! - Critical active spread rate (Van Wagner 1977): R′ = 3.0 / CBD m/min (CBD in kg/m³).
//! - Classification (Van Wagner 1993; Scott & Reinhardt 2001): surface if I_B < I₀;
//!   passive (torching) if I_B ≥ I₀ and R_active < R′; active if both thresholds are met.
//! - Crown fraction burned CFB = 1 − exp(−0.23 (R − R₀)) (R, R₀ = 60·I₀/HPA in m/min,
//!   Forestry Canada Fire Danger Group 1992).
//! - Active crown fire spreads at R_active with length-to-breadth 1 + 0.125 U₂₀ (mi/h)
//!   (Rothermel 1991), its head pointing downwind (the correlation is for wind-driven
//!   crown fire and has no slope term); passive fire spreads at the surface rate in the
//!   surface head direction.
//! - Crown fireline intensity I = (HPA_surface + CFB · CBD · (H − CBH) · h) · R with
//!   h = 18 608 kJ/kg (8000 Btu/lb); crown flame length (Thomas 1963)
//!   L = 0.2 · I^(2/3) ft with I in Btu/ft/s.
//!
//! ## Units
//! SI at the API: m, m/s, kg/m³, kW/m, kJ/m², foliar moisture in percent (as published).
//!
//! ## Assumptions
//! Canopy layers are uniform in a cell. Passive crown fire does not change the spread rate
//! (as in FARSITE); it raises intensity and spotting. Heat content of canopy fuel is the
//! standard 8000 Btu/lb.
//!
//! ## References
//! - Van Wagner, C.E. 1977. Conditions for the start and spread of crown fire. Can. J.
//!   For. Res. 7: 23–34.
//! - Van Wagner, C.E. 1993. Prediction of crown fire behavior in two stands of jack pine.
//!   Can. J. For. Res. 23: 442–449.
//! - Rothermel, R.C. 1991. Predicting behavior and size of crown fires in the Northern
//!   Rocky Mountains. USDA For. Serv. Res. Pap. INT-438.
//! - Scott, J.H.; Reinhardt, E.D. 2001. Assessing crown fire potential by linking models
//!   of surface and crown fire behavior. USDA For. Serv. RMRS-RP-29.
//! - Forestry Canada Fire Danger Group 1992. Development and structure of the Canadian
//!   Forest Fire Behavior Prediction System. Inf. Rep. ST-X-3.
//! - Thomas, P.H. 1963. The size of flames from natural fires. 9th Symp. (Int.) on
//!   Combustion: 844–859.

use serde::{Deserialize, Serialize};

use super::fuel::FT;
use super::rothermel::{FuelBed, KW_M_PER_BTU_FT_S, M_S_PER_MI_H, SurfaceSpread};

/// Heat content of canopy fuel, kJ/kg (8000 Btu/lb).
pub const CANOPY_HEAT_KJ_KG: f64 = 8000.0 * 2.326;

/// Canopy layer of one cell.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Canopy {
    /// Canopy cover, fraction 0–1.
    pub cover: f64,
    /// Stand height, m.
    pub height_m: f64,
    /// Canopy base height, m.
    pub base_height_m: f64,
    /// Canopy bulk density, kg/m³.
    pub bulk_density_kg_m3: f64,
}

impl Canopy {
    /// No canopy.
    pub const NONE: Self = Self {
        cover: 0.0,
        height_m: 0.0,
        base_height_m: 0.0,
        bulk_density_kg_m3: 0.0,
    };

    /// True when there is crown fuel that can burn.
    pub fn has_crown_fuel(&self) -> bool {
        self.cover > 0.0 && self.height_m > self.base_height_m && self.bulk_density_kg_m3 > 0.0
    }
}

/// Type of fire in a cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum FireType {
    /// Surface fire only.
    #[default]
    Surface,
    /// Passive crown fire (torching).
    Passive,
    /// Active crown fire.
    Active,
}

/// Crown fire behaviour at a point.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrownFire {
    /// Fire type.
    pub fire_type: FireType,
    /// Critical surface intensity I₀, kW/m.
    pub critical_intensity_kw_m: f64,
    /// Active crown spread rate R_active (Rothermel 1991), m/s.
    pub active_ros_m_s: f64,
    /// Critical active spread rate 3/CBD, m/s.
    pub critical_active_ros_m_s: f64,
    /// Crown fraction burned, 0–1.
    pub crown_fraction_burned: f64,
    /// Spread rate of the fire (surface or crown), m/s.
    pub ros_m_s: f64,
    /// Length-to-breadth ratio of the fire.
    pub length_to_breadth: f64,
    /// Fireline intensity including canopy fuel, kW/m.
    pub fireline_intensity_kw_m: f64,
    /// Flame length, m (Byram for surface, Thomas for crown fire).
    pub flame_length_m: f64,
}

/// Van Wagner (1977) critical surface fireline intensity, kW/m.
pub fn critical_surface_intensity_kw_m(base_height_m: f64, foliar_moisture_pct: f64) -> f64 {
    (0.010 * base_height_m.max(0.0) * (460.0 + 25.9 * foliar_moisture_pct)).powf(1.5)
}

/// Rothermel (1991) crown fire length-to-breadth ratio for a 20-ft wind in m/s.
pub fn crown_length_to_breadth(wind_20ft_m_s: f64) -> f64 {
    1.0 + 0.125 * wind_20ft_m_s.max(0.0) / M_S_PER_MI_H
}

/// Thomas (1963) flame length in m for a fireline intensity in kW/m.
pub fn thomas_flame_length_m(intensity_kw_m: f64) -> f64 {
    0.2 * (intensity_kw_m.max(0.0) / KW_M_PER_BTU_FT_S).powf(2.0 / 3.0) * FT
}

/// Rothermel (1991) active crown spread rate, m/s: 3.34 × FM10 spread at 0.4 × 20-ft wind.
pub fn rothermel_active_ros_m_s(fm10: &FuelBed, wind_20ft_m_s: f64) -> f64 {
    3.34 * fm10.spread(0.4 * wind_20ft_m_s, 0.0, 0.0, 0.0).ros_head_m_s
}

/// Crown fireline intensity, kW/m: (HPA_surface + CFB · CBD · (H − CBH) · h) · R
/// (Rothermel 1991; Scott & Reinhardt 2001) for a spread rate `ros_m_s`.
pub fn crown_fireline_intensity_kw_m(
    surface_hpa_kj_m2: f64,
    canopy: &Canopy,
    crown_fraction_burned: f64,
    ros_m_s: f64,
) -> f64 {
    let crown_load = canopy.bulk_density_kg_m3 * (canopy.height_m - canopy.base_height_m).max(0.0);
    (surface_hpa_kj_m2 + crown_fraction_burned * crown_load * CANOPY_HEAT_KJ_KG) * ros_m_s
}

/// Classifies and sizes the crown fire given the surface head fire, the surface heat per
/// unit area (kJ/m²), the canopy, foliar moisture (%) and the active crown rate (m/s).
pub fn crown_fire(
    surface: &SurfaceSpread,
    surface_hpa_kj_m2: f64,
    canopy: &Canopy,
    foliar_moisture_pct: f64,
    active_ros_m_s: f64,
    wind_20ft_m_s: f64,
) -> CrownFire {
    let i0 = critical_surface_intensity_kw_m(canopy.base_height_m, foliar_moisture_pct);
    let r_crit = if canopy.bulk_density_kg_m3 > 0.0 {
        3.0 / canopy.bulk_density_kg_m3 / 60.0
    } else {
        f64::INFINITY
    };
    let mut out = CrownFire {
        fire_type: FireType::Surface,
        critical_intensity_kw_m: i0,
        active_ros_m_s,
        critical_active_ros_m_s: r_crit,
        crown_fraction_burned: 0.0,
        ros_m_s: surface.ros_head_m_s,
        length_to_breadth: surface.length_to_breadth,
        fireline_intensity_kw_m: surface.fireline_intensity_kw_m,
        flame_length_m: surface.flame_length_m,
    };
    if !canopy.has_crown_fuel() || surface.fireline_intensity_kw_m < i0 || surface_hpa_kj_m2 <= 0.0
    {
        return out;
    }
    // Surface spread rate at initiation R₀ = I₀ / HPA (m/s), FBP CFB with rates in m/min.
    let r0 = i0 / surface_hpa_kj_m2;
    let cfb = (1.0 - (-0.23 * (surface.ros_head_m_s - r0) * 60.0).exp()).clamp(0.0, 1.0);
    let active = active_ros_m_s >= r_crit;
    let (ros, lw, cfb) = if active {
        (
            active_ros_m_s.max(surface.ros_head_m_s),
            crown_length_to_breadth(wind_20ft_m_s),
            1.0,
        )
    } else {
        (surface.ros_head_m_s, surface.length_to_breadth, cfb)
    };
    let intensity = crown_fireline_intensity_kw_m(surface_hpa_kj_m2, canopy, cfb, ros);
    out.fire_type = if active {
        FireType::Active
    } else {
        FireType::Passive
    };
    out.crown_fraction_burned = cfb;
    out.ros_m_s = ros;
    out.length_to_breadth = lw;
    out.fireline_intensity_kw_m = intensity;
    out.flame_length_m = thomas_flame_length_m(intensity);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn van_wagner_initiation_example() {
        // Van Wagner (1977): CBH 6 m, FMC 100 % → I₀ = (0.06 · 3050)^1.5 = 2475 kW/m.
        let i0 = critical_surface_intensity_kw_m(6.0, 100.0);
        assert!((i0 - (0.06f64 * 3050.0).powf(1.5)).abs() < 1e-9);
        assert!((i0 - 2475.0).abs() / 2475.0 < 0.001, "{i0}");
    }

    #[test]
    fn crown_lw_matches_rothermel_1991() {
        // behave unit tests: crown L/W 1.625 at 5 mi/h, 2.25 at 10, 2.875 at 15 (20-ft wind).
        for (u, lw) in [(5.0, 1.625), (10.0, 2.25), (15.0, 2.875)] {
            assert!((crown_length_to_breadth(u * M_S_PER_MI_H) - lw).abs() < 1e-9);
        }
    }
}
