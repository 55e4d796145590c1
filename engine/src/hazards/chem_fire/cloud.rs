//! Flammable part of a dispersing cloud of Gaussian puffs: the mass between the lower
//! and upper explosive limits and its centroid, at the moment of ignition.
//!
//! ## Model
//! `M_f = ∫ C dV` over the volume where `LEL ≤ C ≤ UEL` (CCPS 1994 ch. 5, the mass that
//! takes part in a flash fire or vapour-cloud explosion), with `C` the sum of the
//! puffs' ground-reflected Gaussians ([`PuffShape`]). Integrated by the midpoint rule on
//! a box covering every puff to 4.5 σ, with a step of a quarter of the smallest σ
//! (at most 240 × 240 × 80 points); the centroid is the `C dV`-weighted mean of the
//! flammable points.
//!
//! ## Units
//! kg/m³, m, kg.
//!
//! ## Assumptions
//! Flat ground at z = 0; contributions beyond 4.5 σ are neglected (< 4e-5 of a puff's
//! peak), as in the dispersion model.
//!
//! ## References
//! - CCPS (1994), Guidelines for Evaluating the Characteristics of Vapor Cloud
//!   Explosions, Flash Fires, and BLEVEs, ch. 5 (flammable mass of a cloud).
//! - TNO Yellow Book CPR 14E (2005), §5.5.2 (flammable mass between LFL and UFL).

use crate::hazards::gas::puff::PuffShape;
use serde::{Deserialize, Serialize};

/// The flammable part of a cloud.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlammableCloud {
    /// Mass between LEL and UEL, kg.
    pub mass_kg: f64,
    /// Centroid of that mass (x east, y north), m; the puffs' mass centre if it is zero.
    pub centroid_xy_m: [f64; 2],
    /// All airborne mass of the cloud, kg.
    pub airborne_kg: f64,
}

const REACH: f64 = 4.5;
const MAX_H: usize = 240;
const MAX_Z: usize = 80;

/// Flammable mass and centroid of `puffs` for limits `lel_kg_m3` ≤ C ≤ `uel_kg_m3`.
pub fn flammable_cloud(puffs: &[PuffShape], lel_kg_m3: f64, uel_kg_m3: f64) -> FlammableCloud {
    let airborne: f64 = puffs.iter().map(|p| p.mass_kg).sum();
    let mass_centre = if airborne > 0.0 {
        let (sx, sy) = puffs.iter().fold((0.0, 0.0), |(a, b), p| {
            (a + p.mass_kg * p.x, b + p.mass_kg * p.y)
        });
        [sx / airborne, sy / airborne]
    } else {
        [0.0, 0.0]
    };
    let empty = FlammableCloud {
        mass_kg: 0.0,
        centroid_xy_m: mass_centre,
        airborne_kg: airborne,
    };
    let live: Vec<&PuffShape> = puffs
        .iter()
        .filter(|p| p.mass_kg > 0.0 && p.sigma_h_m > 0.0 && p.sigma_z_m > 0.0)
        .collect();
    if live.is_empty() || !(lel_kg_m3 > 0.0 && uel_kg_m3 >= lel_kg_m3) {
        return empty;
    }
    let (mut x0, mut x1, mut y0, mut y1, mut z1) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        0.0f64,
    );
    let (mut min_h, mut min_z) = (f64::INFINITY, f64::INFINITY);
    for p in &live {
        let r = REACH * p.sigma_h_m;
        x0 = x0.min(p.x - r);
        x1 = x1.max(p.x + r);
        y0 = y0.min(p.y - r);
        y1 = y1.max(p.y + r);
        z1 = z1.max(p.height_m + REACH * p.sigma_z_m);
        min_h = min_h.min(p.sigma_h_m);
        min_z = min_z.min(p.sigma_z_m);
    }
    let ds = (0.25 * min_h).max((x1 - x0).max(y1 - y0) / MAX_H as f64);
    let dz = (0.25 * min_z).max(z1 / MAX_Z as f64);
    let nx = ((x1 - x0) / ds).ceil() as usize;
    let ny = ((y1 - y0) / ds).ceil() as usize;
    let nz = (z1 / dz).ceil() as usize;
    let norm = (2.0 * std::f64::consts::PI).powf(1.5);
    let dv = ds * ds * dz;
    let mut plane = vec![0.0f64; nx * ny];
    let (mut m, mut mx, mut my) = (0.0, 0.0, 0.0);
    for k in 0..nz {
        let z = (k as f64 + 0.5) * dz;
        plane.fill(0.0);
        for p in &live {
            let (sh, sz) = (p.sigma_h_m, p.sigma_z_m);
            let vert = (-(z - p.height_m).powi(2) / (2.0 * sz * sz)).exp()
                + (-(z + p.height_m).powi(2) / (2.0 * sz * sz)).exp();
            let amp = p.mass_kg / (norm * sh * sh * sz) * vert;
            if amp < 1e-3 * lel_kg_m3 / live.len() as f64 {
                continue;
            }
            let r = REACH * sh;
            let inv = 1.0 / (2.0 * sh * sh);
            let j0 = (((p.y - r - y0) / ds).floor().max(0.0)) as usize;
            let j1 = (((p.y + r - y0) / ds).ceil() as usize).min(ny);
            let i0 = (((p.x - r - x0) / ds).floor().max(0.0)) as usize;
            let i1 = (((p.x + r - x0) / ds).ceil() as usize).min(nx);
            for j in j0..j1 {
                let dy = y0 + (j as f64 + 0.5) * ds - p.y;
                let wy = amp * (-dy * dy * inv).exp();
                let row = &mut plane[j * nx..(j + 1) * nx];
                for (i, cell) in row.iter_mut().enumerate().take(i1).skip(i0) {
                    let dx = x0 + (i as f64 + 0.5) * ds - p.x;
                    *cell += wy * (-dx * dx * inv).exp();
                }
            }
        }
        for j in 0..ny {
            let y = y0 + (j as f64 + 0.5) * ds;
            for (i, &c) in plane[j * nx..(j + 1) * nx].iter().enumerate() {
                if c >= lel_kg_m3 && c <= uel_kg_m3 {
                    let w = c * dv;
                    m += w;
                    mx += w * (x0 + (i as f64 + 0.5) * ds);
                    my += w * y;
                }
            }
        }
    }
    if m <= 0.0 {
        return empty;
    }
    FlammableCloud {
        mass_kg: m,
        centroid_xy_m: [mx / m, my / m],
        airborne_kg: airborne,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fraction of a 3-D Gaussian's mass within Mahalanobis radius ρ (chi distribution
    /// with 3 degrees of freedom): `erf(ρ/√2) − √(2/π) ρ e^{−ρ²/2}`.
    fn chi3_cdf(rho: f64) -> f64 {
        crate::hazards::gas::erf(rho / 2f64.sqrt())
            - (2.0 / std::f64::consts::PI).sqrt() * rho * (-rho * rho / 2.0).exp()
    }

    #[test]
    fn single_ground_puff_matches_the_chi_distribution() {
        // A ground puff (H = 0, reflected) is half of a 3-D Gaussian of twice the mass:
        // C = Cmax e^{−ρ²/2}, so the mass with LEL ≤ C ≤ UEL is
        // M [F(ρ_L) − F(ρ_U)] with ρ_X = √(2 ln(Cmax/X)) — analytic, exact.
        let p = PuffShape {
            x: 100.0,
            y: -50.0,
            mass_kg: 500.0,
            sigma_h_m: 20.0,
            sigma_z_m: 5.0,
            height_m: 0.0,
        };
        let cmax = 2.0 * p.mass_kg / ((2.0 * std::f64::consts::PI).powf(1.5) * 400.0 * 5.0);
        let (lel, uel) = (0.2 * cmax, 0.8 * cmax);
        let rho = |c: f64| (2.0 * (cmax / c).ln()).sqrt();
        let expect = p.mass_kg * (chi3_cdf(rho(lel)) - chi3_cdf(rho(uel)));
        let f = flammable_cloud(&[p], lel, uel);
        // Midpoint rule with a σ/4 step and sharp cut-offs at the limits: 1 %.
        assert!(
            (f.mass_kg / expect - 1.0).abs() < 0.01,
            "{} vs {expect}",
            f.mass_kg
        );
        // The flammable shell is symmetric about the puff centre.
        assert!(
            (f.centroid_xy_m[0] - 100.0).abs() < 0.5 && (f.centroid_xy_m[1] + 50.0).abs() < 0.5
        );
        assert!((f.airborne_kg - 500.0).abs() < 1e-12);
        // Whole cloud below the LEL: nothing flammable.
        let none = flammable_cloud(&[p], 1.01 * cmax, 2.0 * cmax);
        assert_eq!(none.mass_kg, 0.0);
        assert_eq!(flammable_cloud(&[], lel, uel).mass_kg, 0.0);
    }
}
