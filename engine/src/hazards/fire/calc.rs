//! Quick point calculation for `drillsim calc fire`: BehavePlus-style surface fire
//! outputs for one fuel model, moisture, wind and slope, plus the elliptical fire size
//! after an elapsed time.
//!
//! ## Model
//! [`super::rothermel`] for the head fire; ellipse size from the head, back and flank
//! rates (Anderson 1983): semi-axes a = (R_head + R_back) t / 2, b = R_flank t;
//! area π a b; perimeter by Ramanujan's approximation
//! π (a + b)(1 + 3h/(10 + √(4 − 3h))), h = ((a − b)/(a + b))².
//!
//! ## Units
//! Inputs SI (m/s, %, m, s); outputs SI plus the customary US units fire crews use
//! (ch/h, ft, Btu/ft/s).
//!
//! ## Assumptions
//! Point-source ignition, constant conditions over the elapsed time (no acceleration).
//! Suppression interpretation per the NWCG haul chart: hand crews can hold the head when
//! flame length ≤ 4 ft (1.2 m); above 8 ft (2.4 m) no direct attack.
//!
//! ## References
//! - Andrews, P.L. 2014. Current status and future needs of the BehavePlus Fire Modeling
//!   System. Int. J. Wildland Fire 23: 21–33.
//! - Anderson, H.E. 1983. INT-305. Ramanujan, S. 1914. Q. J. Math. 45: 350–372.
//! - NWCG 2021. Incident Response Pocket Guide (PMS 461), fire behaviour hauling chart.

use serde::{Deserialize, Serialize};

use super::error::FireError;
use super::fuel::{FT, FuelCatalog};
use super::rothermel::{FuelBed, FuelMoisture, KW_M_PER_BTU_FT_S, SurfaceSpread};
use super::wind::wind_adjustment_factor;

/// Hand crews cannot hold the head above this flame length, m (4 ft).
pub const HAND_CREW_LIMIT_M: f64 = 4.0 * FT;
/// No direct attack above this flame length, m (8 ft).
pub const DIRECT_ATTACK_LIMIT_M: f64 = 8.0 * FT;

/// Inputs of a quick fire calculation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FireCalcInput {
    /// Fuel model code, e.g. `GR2`.
    pub fuel: String,
    /// Fuel moisture (fractions).
    pub moisture: FuelMoisture,
    /// 20-ft open wind speed, m/s (converted with the WAF).
    #[serde(default)]
    pub wind_20ft_m_s: Option<f64>,
    /// Midflame wind speed, m/s (overrides `wind_20ft_m_s`).
    #[serde(default)]
    pub midflame_wind_m_s: Option<f64>,
    /// Direction the wind blows from, degrees.
    #[serde(default)]
    pub wind_from_deg: f64,
    /// Slope, percent (rise/run × 100).
    #[serde(default)]
    pub slope_pct: f64,
    /// Aspect (direction the slope faces, downslope), degrees.
    #[serde(default)]
    pub aspect_deg: f64,
    /// Canopy cover, fraction 0–1 (sheltered WAF).
    #[serde(default)]
    pub canopy_cover: f64,
    /// Canopy height, m.
    #[serde(default)]
    pub canopy_height_m: f64,
    /// Canopy base height, m.
    #[serde(default)]
    pub canopy_base_height_m: f64,
    /// Elapsed time for fire size, s.
    #[serde(default = "default_elapsed")]
    pub elapsed_s: f64,
}

fn default_elapsed() -> f64 {
    3600.0
}

/// Results of a quick fire calculation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FireCalcResult {
    /// Fuel model code.
    pub fuel: String,
    /// Fuel model name.
    pub fuel_name: String,
    /// Midflame wind, m/s.
    pub midflame_wind_m_s: f64,
    /// Wind adjustment factor used (1 when midflame wind given).
    pub wind_adjustment_factor: f64,
    /// Head spread rate, m/min.
    pub ros_m_min: f64,
    /// Head spread rate, ch/h.
    pub ros_ch_h: f64,
    /// Backing spread rate, m/min.
    pub backing_ros_m_min: f64,
    /// Flanking spread rate, m/min.
    pub flanking_ros_m_min: f64,
    /// Direction of maximum spread, degrees from north.
    pub head_azimuth_deg: f64,
    /// Effective wind speed, m/s.
    pub effective_wind_m_s: f64,
    /// Length-to-breadth ratio.
    pub length_to_breadth: f64,
    /// Fireline intensity, kW/m.
    pub fireline_intensity_kw_m: f64,
    /// Fireline intensity, Btu/ft/s.
    pub fireline_intensity_btu_ft_s: f64,
    /// Flame length, m.
    pub flame_length_m: f64,
    /// Flame length, ft.
    pub flame_length_ft: f64,
    /// Reaction intensity, kW/m².
    pub reaction_intensity_kw_m2: f64,
    /// Heat per unit area, kJ/m².
    pub heat_per_unit_area_kj_m2: f64,
    /// Flame residence time, s.
    pub residence_time_s: f64,
    /// Elapsed time for the sizes below, s.
    pub elapsed_s: f64,
    /// Head fire spread distance after the elapsed time, m.
    pub head_distance_m: f64,
    /// Fire area after the elapsed time, ha.
    pub area_ha: f64,
    /// Fire perimeter after the elapsed time, m.
    pub perimeter_m: f64,
    /// Hand crews can hold the head (flame ≤ 1.2 m).
    pub hand_crews_can_hold: bool,
    /// Direct attack on the head possible (flame ≤ 2.4 m).
    pub direct_attack_possible: bool,
}

/// Area (m²) and perimeter (m) of the fire ellipse after `t_s` seconds.
pub fn ellipse_area_perimeter(s: &SurfaceSpread, t_s: f64) -> (f64, f64) {
    let a = 0.5 * (s.ros_head_m_s + s.ros_back_m_s) * t_s;
    let b = s.ros_flank_m_s * t_s;
    if a + b <= 0.0 {
        return (0.0, 0.0);
    }
    let h = ((a - b) / (a + b)).powi(2);
    let p = std::f64::consts::PI * (a + b) * (1.0 + 3.0 * h / (10.0 + (4.0 - 3.0 * h).sqrt()));
    (std::f64::consts::PI * a * b, p)
}

/// Runs the quick calculation.
pub fn calc_fire(
    input: &FireCalcInput,
    catalog: &FuelCatalog,
) -> Result<FireCalcResult, FireError> {
    let model = catalog.get(&input.fuel)?;
    input.moisture.validate()?;
    let bad = |m: String| Err(FireError::InvalidInput(m));
    if !(input.slope_pct.is_finite() && (0.0..=400.0).contains(&input.slope_pct)) {
        return bad(format!("slope {} % must be 0–400 %", input.slope_pct));
    }
    if !(input.elapsed_s.is_finite() && input.elapsed_s >= 0.0) {
        return bad(format!("elapsed time {} s must be ≥ 0", input.elapsed_s));
    }
    if !(input.canopy_cover.is_finite() && (0.0..=1.0).contains(&input.canopy_cover)) {
        return bad(format!(
            "canopy cover {} must be a fraction 0–1",
            input.canopy_cover
        ));
    }
    let waf = wind_adjustment_factor(
        model.depth_m,
        input.canopy_cover,
        input.canopy_height_m,
        input.canopy_base_height_m,
    );
    let (mid, waf) = match (input.midflame_wind_m_s, input.wind_20ft_m_s) {
        (Some(m), _) => (m, 1.0),
        (None, Some(u)) => (u * waf, waf),
        (None, None) => (0.0, waf),
    };
    if !(mid.is_finite() && (0.0..=60.0).contains(&mid)) {
        return bad(format!("wind speed {mid} m/s must be 0–60 m/s"));
    }
    let bed = FuelBed::new(model, &input.moisture)?;
    let s = bed.spread(
        mid,
        input.wind_from_deg,
        input.slope_pct / 100.0,
        input.aspect_deg + 180.0,
    );
    let (area, perim) = ellipse_area_perimeter(&s, input.elapsed_s);
    Ok(FireCalcResult {
        fuel: model.code.clone(),
        fuel_name: model.name.clone(),
        midflame_wind_m_s: mid,
        wind_adjustment_factor: waf,
        ros_m_min: s.ros_head_m_s * 60.0,
        ros_ch_h: s.ros_head_m_s * 3600.0 / 20.1168,
        backing_ros_m_min: s.ros_back_m_s * 60.0,
        flanking_ros_m_min: s.ros_flank_m_s * 60.0,
        head_azimuth_deg: s.head_azimuth_deg,
        effective_wind_m_s: s.effective_wind_m_s,
        length_to_breadth: s.length_to_breadth,
        fireline_intensity_kw_m: s.fireline_intensity_kw_m,
        fireline_intensity_btu_ft_s: s.fireline_intensity_kw_m / KW_M_PER_BTU_FT_S,
        flame_length_m: s.flame_length_m,
        flame_length_ft: s.flame_length_m / FT,
        reaction_intensity_kw_m2: bed.reaction_intensity_kw_m2(),
        heat_per_unit_area_kj_m2: bed.heat_per_unit_area_kj_m2(),
        residence_time_s: bed.residence_time_s(),
        elapsed_s: input.elapsed_s,
        head_distance_m: s.ros_head_m_s * input.elapsed_s,
        area_ha: area / 10_000.0,
        perimeter_m: perim,
        hand_crews_can_hold: s.flame_length_m <= HAND_CREW_LIMIT_M,
        direct_attack_possible: s.flame_length_m <= DIRECT_ATTACK_LIMIT_M,
    })
}

impl FireCalcResult {
    /// Human-readable summary (BehavePlus-style table).
    pub fn to_text(&self) -> String {
        let attack = if self.hand_crews_can_hold {
            "hand crews can hold the head (flame ≤ 1.2 m / 4 ft)"
        } else if self.direct_attack_possible {
            "too hot for hand crews at the head; engines/dozers may attack directly (≤ 2.4 m / 8 ft)"
        } else {
            "no direct attack on the head (flame > 2.4 m / 8 ft): indirect attack, flanks"
        };
        format!(
            "Surface fire — fuel {} ({})\n\
             midflame wind      {:>10.2} m/s  (WAF {:.3})\n\
             spread rate (head) {:>10.2} m/min  {:>8.1} ch/h  toward {:.0}°\n\
             backing / flanking {:>10.2} / {:.2} m/min\n\
             effective wind     {:>10.2} m/s   L/W {:.2}\n\
             fireline intensity {:>10.0} kW/m  {:>8.0} Btu/ft/s\n\
             flame length       {:>10.2} m     {:>8.1} ft\n\
             reaction intensity {:>10.0} kW/m²  heat/area {:.0} kJ/m²  residence {:.0} s\n\
             after {:.0} min: head {:.0} m, area {:.2} ha, perimeter {:.0} m\n\
             suppression: {}\n",
            self.fuel,
            self.fuel_name,
            self.midflame_wind_m_s,
            self.wind_adjustment_factor,
            self.ros_m_min,
            self.ros_ch_h,
            self.head_azimuth_deg,
            self.backing_ros_m_min,
            self.flanking_ros_m_min,
            self.effective_wind_m_s,
            self.length_to_breadth,
            self.fireline_intensity_kw_m,
            self.fireline_intensity_btu_ft_s,
            self.flame_length_m,
            self.flame_length_ft,
            self.reaction_intensity_kw_m2,
            self.heat_per_unit_area_kj_m2,
            self.residence_time_s,
            self.elapsed_s / 60.0,
            self.head_distance_m,
            self.area_ha,
            self.perimeter_m,
            attack
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(fuel: &str) -> FireCalcInput {
        FireCalcInput {
            fuel: fuel.into(),
            moisture: FuelMoisture::from_percent(6.0, 7.0, 8.0, 60.0, 90.0),
            wind_20ft_m_s: Some(4.47),
            midflame_wind_m_s: None,
            wind_from_deg: 0.0,
            slope_pct: 0.0,
            aspect_deg: 0.0,
            canopy_cover: 0.0,
            canopy_height_m: 0.0,
            canopy_base_height_m: 0.0,
            elapsed_s: 3600.0,
        }
    }

    #[test]
    fn unknown_fuel_hints_and_bad_moisture_refused() {
        let c = FuelCatalog::load_builtin().unwrap();
        let e = calc_fire(&input("GR22"), &c).unwrap_err().to_string();
        assert!(e.contains("GR2"), "{e}");
        let mut i = input("GR2");
        i.moisture.dead_1h = 0.0;
        let e = calc_fire(&i, &c).unwrap_err().to_string();
        assert!(e.contains("1-h dead"), "{e}");
    }

    #[test]
    fn text_and_json() {
        let c = FuelCatalog::load_builtin().unwrap();
        let r = calc_fire(&input("GR2"), &c).unwrap();
        assert!(r.to_text().contains("GR2"));
        assert!(serde_json::to_string(&r).unwrap().contains("ros_ch_h"));
        assert!(r.area_ha > 0.0 && r.perimeter_m > 0.0);
    }
}
