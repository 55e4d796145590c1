//! Rothermel (1972) surface fire spread with Albini (1976) multi-class weighting, as
//! implemented in BehavePlus.
//!
//! ## Model
//! For a fuel bed of dead (1-h, 10-h, 100-h, cured herbaceous) and live (herbaceous, woody)
//! particles: surface-area weighting factors f_ij and f_i, Albini's (1976) size-class
//! weighting of net loads (SAV class limits 1200, 192, 96, 48, 16 1/ft), live moisture of
//! extinction M_x,live = 2.9 W′ (1 − M_f,dead/M_x,dead) − 0.226 (≥ M_x,dead), moisture and
//! mineral damping, optimum reaction velocity with Albini's A = 133 σ^−0.7913, reaction
//! intensity I_R, propagating flux ratio ξ, heat sink ρ_b ε Q_ig, and
//! R = I_R ξ (1 + φ_w + φ_s)/(ρ_b ε Q_ig).
//! Dynamic models (Scott & Burgan 2005) transfer a cured fraction
//! (1.20 − M_herb)/0.90 ∈ [0, 1] of live herbaceous load to a dead herbaceous class that has
//! the herbaceous SAV and the 1-h moisture.
//! Wind and slope are combined as vectors (BehavePlus): the slope rate R₀φ_s points upslope,
//! the wind rate R₀φ_w points downwind, and their sum gives the head rate and direction;
//! the effective wind speed inverts φ_w. Length-to-breadth ratio after Anderson (1983),
//! elliptical backing and flanking rates, Byram's (1959) fireline intensity
//! I_B = H_A R with residence time t_r = 384/σ min (Anderson 1969), and flame length
//! L = 0.45 I_B^0.46 (ft, Btu/ft/s).
//!
//! ## Units
//! Inputs and outputs are SI (kg/m², 1/m, m, m/s, fraction moisture, kW/m, kJ/m²). The
//! empirical correlations were fitted in English units, so [`FuelBed::new`] converts to
//! lb/ft², 1/ft, ft, Btu/lb, ft/min internally and the accessors convert back.
//!
//! ## Assumptions
//! Total silica 0.0555, effective silica 0.01, particle density 32 lb/ft³ (standard models).
//! The wind limit (U ≤ 0.9 I_R) is off by default, following Andrews et al. (2013);
//! [`FuelBed::spread_with_limit`] applies it. Effective wind for L/W is capped so L/W ≤ 8.
//!
//! ## References
//! - Rothermel, R.C. 1972. A mathematical model for predicting fire spread in wildland
//!   fuels. USDA For. Serv. Res. Pap. INT-115.
//! - Albini, F.A. 1976. Estimating wildfire behavior and effects. USDA For. Serv. Gen.
//!   Tech. Rep. INT-30.
//! - Anderson, H.E. 1983. Predicting wind-driven wild land fire size and shape. USDA For.
//!   Serv. Res. Pap. INT-305.
//! - Byram, G.M. 1959. Combustion of forest fuels. In: Davis, K.P. Forest fire: control
//!   and use. McGraw-Hill.
//! - Scott, J.H.; Burgan, R.E. 2005. RMRS-GTR-153 (dynamic fuel models).
//! - Andrews, P.L. 2018. The Rothermel surface fire spread model and associated
//!   developments: a comprehensive explanation. USDA For. Serv. RMRS-GTR-371.
//! - Andrews, P.L.; Cruz, M.G.; Rothermel, R.C. 2013. Examination of the wind speed limit
//!   function in the Rothermel surface fire spread model. Int. J. Wildland Fire 22: 959–969.

use serde::{Deserialize, Serialize};

use super::error::FireError;
use super::fuel::{BTU_LB_TO_J_KG, FT, FuelModel, LB_FT2_TO_KG_M2, class};
pub use super::moisture::FuelMoisture;

/// ft/min per m/s.
pub const FT_MIN_PER_M_S: f64 = 60.0 / FT;
/// kW/m² per Btu/ft²/min.
pub const KW_M2_PER_BTU_FT2_MIN: f64 = 1.055_056 / (FT * FT) / 60.0;
/// kW/m per Btu/ft/s.
pub const KW_M_PER_BTU_FT_S: f64 = 1.055_056 / FT;
/// kJ/m² per Btu/ft².
pub const KJ_M2_PER_BTU_FT2: f64 = 1.055_056 / (FT * FT);
/// m/s per mi/h.
pub const M_S_PER_MI_H: f64 = 0.447_04;

const PARTICLE_DENSITY: f64 = 32.0; // lb/ft³
const TOTAL_SILICA: f64 = 0.0555;
const EFFECTIVE_SILICA: f64 = 0.01;

/// The wind-independent part of Rothermel's model for one fuel model and moisture.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FuelBed {
    /// Reaction intensity, Btu/ft²/min.
    ir: f64,
    /// No-wind, no-slope spread rate, ft/min.
    r0: f64,
    /// C (β/β_op)^−E of the wind factor.
    wind_k: f64,
    /// Exponent B of the wind factor.
    wind_b: f64,
    /// 5.275 β^−0.3 of the slope factor.
    slope_k: f64,
    /// Heat per unit area I_R t_r, Btu/ft².
    hpa: f64,
    /// Characteristic SAV, 1/ft.
    sigma: f64,
    /// Live fuel moisture of extinction (fraction), for reporting.
    mx_live: f64,
    /// Fuel bed depth, ft.
    depth_ft: f64,
}

/// Head fire behaviour at a point for given wind and slope.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurfaceSpread {
    /// Head (maximum) spread rate, m/s.
    pub ros_head_m_s: f64,
    /// Azimuth of maximum spread (toward which the head moves), degrees clockwise from north.
    pub head_azimuth_deg: f64,
    /// Effective wind speed (wind + slope), m/s at midflame.
    pub effective_wind_m_s: f64,
    /// Length-to-breadth ratio of the fire ellipse (Anderson 1983).
    pub length_to_breadth: f64,
    /// Eccentricity of the ellipse.
    pub eccentricity: f64,
    /// Backing spread rate, m/s.
    pub ros_back_m_s: f64,
    /// Flanking spread rate (semi-minor axis growth), m/s.
    pub ros_flank_m_s: f64,
    /// Byram fireline intensity at the head, kW/m.
    pub fireline_intensity_kw_m: f64,
    /// Flame length at the head (Byram), m.
    pub flame_length_m: f64,
}

impl SurfaceSpread {
    /// No fire.
    pub const NONE: Self = Self {
        ros_head_m_s: 0.0,
        head_azimuth_deg: 0.0,
        effective_wind_m_s: 0.0,
        length_to_breadth: 1.0,
        eccentricity: 0.0,
        ros_back_m_s: 0.0,
        ros_flank_m_s: 0.0,
        fireline_intensity_kw_m: 0.0,
        flame_length_m: 0.0,
    };

    /// Spread rate of a point-ignited elliptical fire in direction `azimuth_deg`, with the
    /// ignition at the rear focus: R(ψ) = R_head (1 − e)/(1 − e cos ψ), ψ measured from the
    /// head direction.
    #[inline]
    pub fn ros_toward(&self, azimuth_deg: f64) -> f64 {
        let psi = (azimuth_deg - self.head_azimuth_deg).to_radians();
        let e = self.eccentricity;
        self.ros_head_m_s * (1.0 - e) / (1.0 - e * psi.cos())
    }
}

/// Albini (1976) size classes by SAV (1/ft).
fn size_class(sav: f64) -> usize {
    match sav {
        s if s >= 1200.0 => 0,
        s if s >= 192.0 => 1,
        s if s >= 96.0 => 2,
        s if s >= 48.0 => 3,
        s if s >= 16.0 => 4,
        _ => 5,
    }
}

#[derive(Clone, Copy)]
struct Particle {
    w: f64,
    sav: f64,
    m: f64,
    h: f64,
}

/// Per-category sums (dead = 0, live = 1).
#[derive(Default, Clone, Copy)]
struct Category {
    area: f64,
    net_load: f64,
    sav: f64,
    heat: f64,
    moisture: f64,
    heat_sink: f64,
}

fn category(ps: &[Particle]) -> Category {
    let area: f64 = ps.iter().map(|p| p.w * p.sav / PARTICLE_DENSITY).sum();
    let mut c = Category {
        area,
        ..Category::default()
    };
    if area <= 0.0 {
        return c;
    }
    let frac = |p: &Particle| p.w * p.sav / PARTICLE_DENSITY / area;
    let mut class_sum = [0.0; 6];
    for p in ps {
        class_sum[size_class(p.sav)] += frac(p);
    }
    for p in ps {
        if p.w <= 0.0 {
            continue;
        }
        let fj = frac(p);
        let g = class_sum[size_class(p.sav)];
        c.net_load += g * p.w * (1.0 - TOTAL_SILICA);
        c.sav += fj * p.sav;
        c.heat += fj * p.h;
        c.moisture += fj * p.m;
        c.heat_sink += fj * (-138.0 / p.sav).exp() * (250.0 + 1116.0 * p.m);
    }
    c
}

fn moisture_damping(m: f64, mx: f64) -> f64 {
    if mx <= 0.0 {
        return 0.0;
    }
    let r = m / mx;
    if r >= 1.0 {
        return 0.0;
    }
    (1.0 - 2.59 * r + 5.11 * r * r - 3.52 * r * r * r).max(0.0)
}

/// Anderson (1983) length-to-breadth ratio for an effective wind in mi/h, capped at 8.
pub fn length_to_breadth(effective_wind_mi_h: f64) -> f64 {
    let u = effective_wind_mi_h.max(0.0);
    (0.936 * (0.1147 * u).exp() + 0.461 * (-0.0692 * u).exp() - 0.397).clamp(1.0, 8.0)
}

/// Byram (1959) flame length in m from fireline intensity in kW/m.
pub fn byram_flame_length_m(intensity_kw_m: f64) -> f64 {
    let i_btu = intensity_kw_m.max(0.0) / KW_M_PER_BTU_FT_S;
    0.45 * i_btu.powf(0.46) * FT
}

impl FuelBed {
    /// A bed that never burns.
    pub const NON_BURNABLE: Self = Self {
        ir: 0.0,
        r0: 0.0,
        wind_k: 0.0,
        wind_b: 1.0,
        slope_k: 0.0,
        hpa: 0.0,
        sigma: 0.0,
        mx_live: 0.0,
        depth_ft: 0.0,
    };

    /// Builds the fuel bed for `model` at `moisture` (validated).
    pub fn new(model: &FuelModel, moisture: &FuelMoisture) -> Result<Self, FireError> {
        moisture.validate()?;
        if !model.is_burnable() {
            return Ok(Self::NON_BURNABLE);
        }
        let w = model.load_kg_m2.map(|l| l / LB_FT2_TO_KG_M2);
        let sav = model.sav_per_m.map(|s| s * FT);
        let hd = model.heat_dead_j_kg / BTU_LB_TO_J_KG;
        let hl = model.heat_live_j_kg / BTU_LB_TO_J_KG;
        let depth = model.depth_m / FT;
        let mut herb_live = w[class::HERB];
        let mut herb_dead = 0.0;
        if model.dynamic && herb_live > 0.0 {
            let cured = ((1.20 - moisture.live_herb) / 0.90).clamp(0.0, 1.0);
            herb_dead = herb_live * cured;
            herb_live -= herb_dead;
        }
        let dead = [
            Particle {
                w: w[class::D1],
                sav: sav[class::D1],
                m: moisture.dead_1h,
                h: hd,
            },
            Particle {
                w: w[class::D10],
                sav: sav[class::D10],
                m: moisture.dead_10h,
                h: hd,
            },
            Particle {
                w: w[class::D100],
                sav: sav[class::D100],
                m: moisture.dead_100h,
                h: hd,
            },
            Particle {
                w: herb_dead,
                sav: sav[class::HERB],
                m: moisture.dead_1h,
                h: hd,
            },
        ];
        let live = [
            Particle {
                w: herb_live,
                sav: sav[class::HERB],
                m: moisture.live_herb,
                h: hl,
            },
            Particle {
                w: w[class::WOODY],
                sav: sav[class::WOODY],
                m: moisture.live_woody,
                h: hl,
            },
        ];
        let total_load: f64 = dead.iter().chain(&live).map(|p| p.w).sum();
        let cd = category(&dead);
        let cl = category(&live);
        let area = cd.area + cl.area;
        if area <= 0.0 || total_load <= 0.0 {
            return Ok(Self::NON_BURNABLE);
        }
        let (fd, fl) = (cd.area / area, cl.area / area);
        let sigma = fd * cd.sav + fl * cl.sav;

        // Live moisture of extinction (Albini 1976, as in BehavePlus).
        let mx_dead = model.mx_dead;
        let fine = |p: &Particle, k: f64| {
            if p.w > 0.0 {
                p.w * (-k / p.sav).exp()
            } else {
                0.0
            }
        };
        let fine_dead: f64 = dead.iter().map(|p| fine(p, 138.0)).sum();
        let fine_live: f64 = live.iter().map(|p| fine(p, 500.0)).sum();
        let mf_dead = if fine_dead > 0.0 {
            dead.iter().map(|p| fine(p, 138.0) * p.m).sum::<f64>() / fine_dead
        } else {
            0.0
        };
        let mx_live = if fine_live > 0.0 {
            let wr = fine_dead / fine_live;
            (2.9 * wr * (1.0 - mf_dead / mx_dead) - 0.226).max(mx_dead)
        } else {
            mx_dead
        };

        let rho_b = total_load / depth;
        let beta = rho_b / PARTICLE_DENSITY;
        let beta_op = 3.348 * sigma.powf(-0.8189);
        let ratio = beta / beta_op;
        let s15 = sigma.powf(1.5);
        let gamma_max = s15 / (495.0 + 0.0594 * s15);
        let a = 133.0 * sigma.powf(-0.7913);
        let gamma = gamma_max * ratio.powf(a) * (a * (1.0 - ratio)).exp();
        let eta_s = (0.174 * EFFECTIVE_SILICA.powf(-0.19)).min(1.0);
        let ir = gamma
            * eta_s
            * (cd.net_load * cd.heat * moisture_damping(cd.moisture, mx_dead)
                + cl.net_load * cl.heat * moisture_damping(cl.moisture, mx_live));
        let xi = ((0.792 + 0.681 * sigma.sqrt()) * (beta + 0.1)).exp() / (192.0 + 0.2595 * sigma);
        let heat_sink = rho_b * (fd * cd.heat_sink + fl * cl.heat_sink);
        let r0 = if heat_sink > 0.0 {
            ir * xi / heat_sink
        } else {
            0.0
        };
        let c = 7.47 * (-0.133 * sigma.powf(0.55)).exp();
        let b = 0.02526 * sigma.powf(0.54);
        let e = 0.715 * (-3.59e-4 * sigma).exp();
        Ok(Self {
            ir,
            r0,
            wind_k: c * ratio.powf(-e),
            wind_b: b,
            slope_k: 5.275 * beta.powf(-0.3),
            hpa: ir * 384.0 / sigma,
            sigma,
            mx_live,
            depth_ft: depth,
        })
    }

    /// True when this bed can carry fire at its moisture.
    #[inline]
    pub fn burns(&self) -> bool {
        self.r0 > 0.0
    }

    /// Reaction intensity, kW/m².
    pub fn reaction_intensity_kw_m2(&self) -> f64 {
        self.ir * KW_M2_PER_BTU_FT2_MIN
    }

    /// Flame residence time 384/σ, s.
    pub fn residence_time_s(&self) -> f64 {
        if self.sigma > 0.0 {
            384.0 / self.sigma * 60.0
        } else {
            0.0
        }
    }

    /// Heat per unit area I_R t_r, kJ/m².
    pub fn heat_per_unit_area_kj_m2(&self) -> f64 {
        self.hpa * KJ_M2_PER_BTU_FT2
    }

    /// No-wind, no-slope spread rate, m/s.
    pub fn ros_no_wind_m_s(&self) -> f64 {
        self.r0 / FT_MIN_PER_M_S
    }

    /// Characteristic SAV ratio, 1/m.
    pub fn sigma_per_m(&self) -> f64 {
        self.sigma / FT
    }

    /// Live fuel moisture of extinction (fraction).
    pub fn live_extinction_moisture(&self) -> f64 {
        self.mx_live
    }

    /// Fuel bed depth, m.
    pub fn depth_m(&self) -> f64 {
        self.depth_ft * FT
    }

    /// Head fire for a midflame wind (m/s) blowing *from* `wind_from_deg`, on a slope with
    /// rise/run `slope_tan` whose upslope direction is `upslope_azimuth_deg`. Wind and
    /// slope are combined as vectors; no wind limit.
    pub fn spread(
        &self,
        midflame_wind_m_s: f64,
        wind_from_deg: f64,
        slope_tan: f64,
        upslope_azimuth_deg: f64,
    ) -> SurfaceSpread {
        self.spread_with_limit(
            midflame_wind_m_s,
            wind_from_deg,
            slope_tan,
            upslope_azimuth_deg,
            false,
        )
    }

    /// As [`FuelBed::spread`], optionally applying Rothermel's wind limit U ≤ 0.9 I_R.
    pub fn spread_with_limit(
        &self,
        midflame_wind_m_s: f64,
        wind_from_deg: f64,
        slope_tan: f64,
        upslope_azimuth_deg: f64,
        wind_limit: bool,
    ) -> SurfaceSpread {
        if !self.burns() {
            return SurfaceSpread::NONE;
        }
        let u = midflame_wind_m_s.max(0.0) * FT_MIN_PER_M_S;
        let phi_w = if u > 0.0 {
            self.wind_k * u.powf(self.wind_b)
        } else {
            0.0
        };
        let phi_s = self.slope_k * slope_tan * slope_tan;
        let toward = wind_from_deg + 180.0;
        let upslope = if phi_s > 0.0 {
            upslope_azimuth_deg
        } else {
            toward
        };
        let alpha = (toward - upslope).to_radians();
        let x = self.r0 * (phi_s + phi_w * alpha.cos());
        let y = self.r0 * phi_w * alpha.sin();
        let mag = x.hypot(y);
        let mut phi_e = mag / self.r0;
        let mut u_eff = if phi_e > 0.0 {
            (phi_e / self.wind_k).powf(1.0 / self.wind_b)
        } else {
            0.0
        };
        if wind_limit && u_eff > 0.9 * self.ir {
            u_eff = 0.9 * self.ir;
            phi_e = self.wind_k * u_eff.powf(self.wind_b);
        }
        let head = self.r0 * (1.0 + phi_e);
        let dir = if mag > 0.0 {
            upslope + y.atan2(x).to_degrees()
        } else {
            toward
        };
        let lw = length_to_breadth(u_eff / 88.0);
        let e = (lw * lw - 1.0).max(0.0).sqrt() / lw;
        let back = head * (1.0 - e) / (1.0 + e);
        let flank = (head + back) / (2.0 * lw);
        let i_btu = self.hpa * head / 60.0;
        SurfaceSpread {
            ros_head_m_s: head / FT_MIN_PER_M_S,
            head_azimuth_deg: dir.rem_euclid(360.0),
            effective_wind_m_s: u_eff / FT_MIN_PER_M_S,
            length_to_breadth: lw,
            eccentricity: e,
            ros_back_m_s: back / FT_MIN_PER_M_S,
            ros_flank_m_s: flank / FT_MIN_PER_M_S,
            fireline_intensity_kw_m: i_btu * KW_M_PER_BTU_FT_S,
            flame_length_m: 0.45 * i_btu.powf(0.46) * FT,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazards::fire::fuel::FuelCatalog;

    fn gs4_low() -> (FuelBed, FuelMoisture) {
        let c = FuelCatalog::load_builtin().unwrap();
        let m = FuelMoisture::from_percent(6.0, 7.0, 8.0, 60.0, 90.0);
        (FuelBed::new(c.get("GS4").unwrap(), &m).unwrap(), m)
    }

    #[test]
    fn gs4_upslope_matches_behaveplus() {
        // behave unit test (REFERENCES.md): GS4, 5 mi/h midflame upslope, 30 % slope:
        // 34.011 ch/h, 15.811 ft, 2292.68 Btu/ft/s. Tolerance 1 % (issue 4).
        let (bed, _) = gs4_low();
        let s = bed.spread(5.0 * M_S_PER_MI_H, 0.0, 0.30, 180.0);
        let ch_h = s.ros_head_m_s * 3600.0 / 20.1168;
        let fl_ft = s.flame_length_m / FT;
        let i_btu = s.fireline_intensity_kw_m / KW_M_PER_BTU_FT_S;
        assert!((ch_h - 34.011).abs() / 34.011 < 0.01, "{ch_h}");
        assert!((fl_ft - 15.811).abs() / 15.811 < 0.01, "{fl_ft}");
        assert!((i_btu - 2292.68).abs() / 2292.68 < 0.01, "{i_btu}");
        assert!((s.head_azimuth_deg - 180.0).abs() < 1e-9);
    }

    #[test]
    fn no_wind_no_slope_is_a_circle() {
        let (bed, _) = gs4_low();
        let s = bed.spread(0.0, 0.0, 0.0, 0.0);
        assert_eq!(s.length_to_breadth, 1.0);
        assert!((s.ros_back_m_s - s.ros_head_m_s).abs() < 1e-12);
        assert!((s.ros_head_m_s - bed.ros_no_wind_m_s()).abs() < 1e-12);
    }

    #[test]
    fn wet_fuel_does_not_burn() {
        let c = FuelCatalog::load_builtin().unwrap();
        let m = FuelMoisture::from_percent(30.0, 30.0, 30.0, 300.0, 300.0);
        let bed = FuelBed::new(c.get("FM1").unwrap(), &m).unwrap();
        assert!(!bed.burns());
        assert_eq!(bed.spread(5.0, 0.0, 0.0, 0.0), SurfaceSpread::NONE);
        assert!(
            FuelMoisture::from_percent(0.0, 7.0, 8.0, 60.0, 90.0)
                .validate()
                .is_err()
        );
    }
}
