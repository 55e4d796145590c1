//! Flash fire footprint and flammable mass of a cloud.
//!
//! ## Model
//! The flash-fire footprint is the region where the concentration reaches 60 % of the
//! LEL (the ALOHA "flame pockets" level, which accounts for concentration fluctuations)
//! and 10 % LEL (a safety margin). The flammable mass for a vapour-cloud explosion is
//! `∫ C dV` over the volume with LEL ≤ C ≤ UEL, integrated numerically.
//!
//! ## Units
//! kg/m³, m, kg; explosive limits as volume fractions.
//!
//! ## Assumptions
//! Ideal gas at the air temperature and 101 325 Pa for LEL ↔ kg/m³.
//!
//! ## References
//! - Jones, R. et al. (2013), ALOHA 5.4.4 Technical Documentation, NOAA TM NOS OR&R 43,
//!   §4.4 (60 % and 10 % LEL).
//! - CCPS (1994), Guidelines for Evaluating the Characteristics of VCEs, Flash Fires and
//!   BLEVEs, ch. 5.

use crate::hazards::chemicals::{Chemical, ppm_to_kg_m3};
use crate::hazards::gas::plume::GaussianPlume;
use crate::hazards::gas::zones::ZoneLevel;

/// Flash-fire threat levels (60 % and 10 % LEL) in kg/m³, or `None` if not flammable.
pub fn flash_fire_levels(chem: &Chemical, air_t_k: f64) -> Option<[ZoneLevel; 2]> {
    let lel = chem.combustion.as_ref()?.lel;
    let kg = |f: f64| ppm_to_kg_m3(f * 1e6, chem.molar_mass_kg_mol, air_t_k);
    Some([
        ZoneLevel {
            name: "60% LEL".into(),
            threshold: kg(0.6 * lel),
        },
        ZoneLevel {
            name: "10% LEL".into(),
            threshold: kg(0.1 * lel),
        },
    ])
}

/// Mass (kg) of a steady plume between the LEL and UEL (kg/m³), integrated on a grid of
/// `n` × `n` × `n` points over the flammable box.
pub fn plume_flammable_mass(
    plume: &GaussianPlume,
    lel_kg_m3: f64,
    uel_kg_m3: f64,
    n: usize,
) -> f64 {
    let Some(x_max) = plume.distance_to(lel_kg_m3, plume.height_m) else {
        return 0.0;
    };
    let n = n.max(8);
    let (sy, sz) =
        crate::hazards::gas::stability::briggs_sigmas(plume.stability, plume.terrain, x_max);
    let y_max = 4.0 * sy;
    let z_max = plume.height_m + 4.0 * sz;
    let (dx, dy, dz) = (x_max / n as f64, 2.0 * y_max / n as f64, z_max / n as f64);
    let mut m = 0.0;
    for i in 0..n {
        let x = (i as f64 + 0.5) * dx;
        for j in 0..n {
            let y = -y_max + (j as f64 + 0.5) * dy;
            for k in 0..n {
                let z = (k as f64 + 0.5) * dz;
                let c = plume.concentration(x, y, z);
                if c >= lel_kg_m3 && c <= uel_kg_m3 {
                    m += c;
                }
            }
        }
    }
    m * dx * dy * dz
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazards::gas::stability::{Stability, Terrain};

    #[test]
    fn flammable_mass_is_below_airborne_mass_to_lel() {
        // All mass within x_LEL was released in the last x_LEL/u seconds: the flammable
        // part can only be a fraction of Q·x_LEL/u.
        let lel = 0.05 * 101_325.0 * 0.016 / (8.314 * 293.15);
        let uel = 3.0 * lel;
        let p = GaussianPlume::new(10.0, 2.0, 0.0, Stability::F, Terrain::Rural, None).unwrap();
        let x = p.distance_to(lel, 0.0).unwrap();
        let m = plume_flammable_mass(&p, lel, uel, 48);
        assert!(m > 0.0 && m < 10.0 * x / 2.0, "{m} vs {}", 10.0 * x / 2.0);
    }
}
