//! Atmospheric stability (Pasquill–Gifford classes, Turner's method), Briggs dispersion
//! coefficients for open country and urban terrain, and the power-law wind profile.
//!
//! ## Model
//! - Turner (1964) net-radiation index from solar elevation, cloud cover and ceiling,
//!   combined with the 10 m wind speed in Turner's table to a class A–F (G folded to F).
//! - Briggs (1973) σy, σz as fitted by Gifford (1976): rural (open country) and urban
//!   (McElroy–Pooler St Louis data) formulas in x (m) downwind.
//! - Wind profile `u(z) = u_ref (z / z_ref)^p` with Irwin's (1979) exponents.
//!
//! ## Units
//! m, m/s, degrees for solar elevation, cloud cover as a fraction 0–1.
//!
//! ## Assumptions
//! Briggs formulas are used from x = 1 m (below 100 m they extrapolate). The terrain is
//! urban when the roughness length z0 ≥ 0.3 m (ALOHA's "urban or forest" choice), else
//! rural. The wind profile is evaluated at z ≥ 1 m.
//!
//! ## References
//! - Turner, D. B. (1964), A diffusion model for an urban area, J. Appl. Meteor. 3, 83–91.
//! - Turner, D. B. (1994), Workbook of Atmospheric Dispersion Estimates, 2nd ed., Lewis.
//! - Briggs, G. A. (1973), Diffusion estimation for small emissions, ATDL-106, NOAA.
//! - Gifford, F. A. (1976), Turbulent diffusion-typing schemes: a review, Nucl. Saf. 17.
//! - Irwin, J. S. (1979), A theoretical variation of the wind profile power-law exponent
//!   as a function of surface roughness and stability, Atmos. Environ. 13, 191–194.
//! - CCPS (2000), Guidelines for Chemical Process Quantitative Risk Analysis, 2nd ed., §2.1.

use serde::{Deserialize, Serialize};

/// Pasquill–Gifford stability class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Stability {
    /// Very unstable.
    A,
    /// Unstable.
    B,
    /// Slightly unstable.
    C,
    /// Neutral.
    D,
    /// Slightly stable.
    E,
    /// Stable.
    F,
}

impl Stability {
    /// Class from index 0..=5 (A..F), clamped.
    pub fn from_index(i: usize) -> Self {
        [Self::A, Self::B, Self::C, Self::D, Self::E, Self::F][i.min(5)]
    }

    /// Index 0..=5 (A..F).
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Terrain type for the dispersion coefficients.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Terrain {
    /// Open country (Briggs rural).
    Rural,
    /// Urban or forest (Briggs urban).
    Urban,
}

impl Terrain {
    /// Terrain class from a roughness length z0 (m).
    pub fn from_roughness(z0_m: f64) -> Self {
        if z0_m >= 0.3 {
            Self::Urban
        } else {
            Self::Rural
        }
    }
}

/// Turner's stability class from the 10 m wind speed (m/s), solar elevation (deg, ≤ 0
/// at night), total cloud cover (fraction 0–1) and cloud ceiling (m, `None` = unknown or
/// no clouds).
pub fn turner_class(
    wind_10m_m_s: f64,
    solar_elevation_deg: f64,
    cloud_cover: f64,
    ceiling_m: Option<f64>,
) -> Stability {
    let cover = cloud_cover.clamp(0.0, 1.0);
    let ceiling_ft = ceiling_m.map(|m| m / 0.3048);
    // Net radiation index (Turner 1964, Table 1 procedure).
    let nri: i32 = if cover >= 0.999 && ceiling_ft.is_none_or(|c| c < 7000.0) {
        0
    } else if solar_elevation_deg <= 0.0 {
        if cover <= 0.4 { -2 } else { -1 }
    } else {
        let insolation = if solar_elevation_deg > 60.0 {
            4
        } else if solar_elevation_deg > 35.0 {
            3
        } else if solar_elevation_deg > 15.0 {
            2
        } else {
            1
        };
        if cover > 0.5 {
            let mut n = insolation;
            match ceiling_ft {
                Some(c) if c < 7000.0 => n -= 2,
                Some(c) if c < 16000.0 => n -= 1,
                Some(_) => {
                    if cover >= 0.999 {
                        n -= 1;
                    }
                }
                None => n -= 1,
            }
            n.max(1)
        } else {
            insolation
        }
    };
    // Turner's table: rows = wind speed classes (knots), columns NRI 4..-2.
    const TABLE: [[u8; 7]; 9] = [
        [1, 1, 2, 3, 4, 6, 7], // 0–1 kt
        [1, 2, 2, 3, 4, 6, 7], // 2–3
        [1, 2, 3, 4, 4, 5, 6], // 4–5
        [2, 2, 3, 4, 4, 5, 6], // 6
        [2, 2, 3, 4, 4, 4, 5], // 7
        [2, 3, 3, 4, 4, 4, 5], // 8–9
        [3, 3, 4, 4, 4, 4, 5], // 10
        [3, 3, 4, 4, 4, 4, 4], // 11
        [3, 4, 4, 4, 4, 4, 4], // ≥ 12
    ];
    let kt = (wind_10m_m_s.max(0.0) / 0.514_444).round() as i64;
    let row = match kt {
        0..=1 => 0,
        2..=3 => 1,
        4..=5 => 2,
        6 => 3,
        7 => 4,
        8..=9 => 5,
        10 => 6,
        11 => 7,
        _ => 8,
    };
    let col = (4 - nri).clamp(0, 6) as usize;
    Stability::from_index(usize::from(TABLE[row][col]) - 1)
}

/// Solar elevation angle in degrees from latitude (deg), day of year (1–366) and local
/// solar time (h). Cooper's declination; adequate for Turner's coarse classes.
pub fn solar_elevation_deg(latitude_deg: f64, day_of_year: u32, solar_hour: f64) -> f64 {
    let decl = 23.45_f64.to_radians()
        * ((360.0 * (284.0 + f64::from(day_of_year)) / 365.0).to_radians()).sin();
    let hour_angle = (15.0 * (solar_hour - 12.0)).to_radians();
    let lat = latitude_deg.to_radians();
    let s = lat.sin() * decl.sin() + lat.cos() * decl.cos() * hour_angle.cos();
    s.clamp(-1.0, 1.0).asin().to_degrees()
}

/// Briggs dispersion coefficients (σy, σz) in m at downwind distance `x_m` (≥ 1 m).
pub fn briggs_sigmas(class: Stability, terrain: Terrain, x_m: f64) -> (f64, f64) {
    let x = x_m.max(1.0);
    match terrain {
        Terrain::Rural => {
            let ay = [0.22, 0.16, 0.11, 0.08, 0.06, 0.04][class.index()];
            let sy = ay * x / (1.0 + 1e-4 * x).sqrt();
            let sz = match class {
                Stability::A => 0.20 * x,
                Stability::B => 0.12 * x,
                Stability::C => 0.08 * x / (1.0 + 2e-4 * x).sqrt(),
                Stability::D => 0.06 * x / (1.0 + 1.5e-3 * x).sqrt(),
                Stability::E => 0.03 * x / (1.0 + 3e-4 * x),
                Stability::F => 0.016 * x / (1.0 + 3e-4 * x),
            };
            (sy, sz)
        }
        Terrain::Urban => {
            let ay = [0.32, 0.32, 0.22, 0.16, 0.11, 0.11][class.index()];
            let sy = ay * x / (1.0 + 4e-4 * x).sqrt();
            let sz = match class {
                Stability::A | Stability::B => 0.24 * x * (1.0 + 1e-3 * x).sqrt(),
                Stability::C => 0.20 * x,
                Stability::D => 0.14 * x / (1.0 + 3e-4 * x).sqrt(),
                Stability::E | Stability::F => 0.08 * x / (1.0 + 1.5e-3 * x).sqrt(),
            };
            (sy, sz)
        }
    }
}

/// Inverse of the Briggs σy: the distance (m) at which σy equals `sigma_m` (bisection).
pub fn briggs_virtual_distance(class: Stability, terrain: Terrain, sigma_m: f64) -> f64 {
    let (mut lo, mut hi) = (0.0_f64, 1e6_f64);
    for _ in 0..80 {
        let mid = 0.5 * (lo + hi);
        if briggs_sigmas(class, terrain, mid).0 < sigma_m {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Power-law exponent p (Irwin 1979) for the class and terrain.
pub fn wind_profile_exponent(class: Stability, terrain: Terrain) -> f64 {
    match terrain {
        Terrain::Rural => [0.07, 0.07, 0.10, 0.15, 0.35, 0.55][class.index()],
        Terrain::Urban => [0.15, 0.15, 0.20, 0.25, 0.30, 0.30][class.index()],
    }
}

/// Wind speed at height `z_m` from the speed `u_ref` at `z_ref_m` (power law, z ≥ 1 m).
pub fn wind_at_height(u_ref: f64, z_ref_m: f64, z_m: f64, class: Stability, t: Terrain) -> f64 {
    u_ref * (z_m.max(1.0) / z_ref_m.max(1.0)).powf(wind_profile_exponent(class, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigmas_grow_with_distance_and_instability() {
        for t in [Terrain::Rural, Terrain::Urban] {
            for c in 0..6 {
                let s = Stability::from_index(c);
                let (a, b) = briggs_sigmas(s, t, 100.0);
                let (a2, b2) = briggs_sigmas(s, t, 1000.0);
                assert!(a2 > a && b2 > b);
            }
        }
        let (ya, _) = briggs_sigmas(Stability::A, Terrain::Rural, 500.0);
        let (yf, _) = briggs_sigmas(Stability::F, Terrain::Rural, 500.0);
        assert!(ya > yf);
    }

    #[test]
    fn virtual_distance_inverts_sigma() {
        let x = briggs_virtual_distance(Stability::D, Terrain::Rural, 10.0);
        let (sy, _) = briggs_sigmas(Stability::D, Terrain::Rural, x);
        assert!((sy - 10.0).abs() < 1e-6);
    }

    #[test]
    fn noon_equinox_at_equator_is_overhead() {
        // Day 80 ≈ March equinox: declination ≈ 0, so the sun is near the zenith.
        let e = solar_elevation_deg(0.0, 81, 12.0);
        assert!(e > 88.0, "{e}");
    }
}
