//! One chemical fire or explosion as it runs: the point model of its kind built when it
//! starts, evaluated at any ground point as thermal flux (W/m²) or peak overpressure
//! (Pa).
//!
//! ## Model
//! The point models of [`super::pool_fire`], [`super::jet_fire`], [`super::bleve`],
//! [`super::vce`] and [`super::bst`]. A pool fire's flux depends on the bearing from the
//! downwind axis (flame tilt); it is tabulated on a polar grid (64 geometric distances
//! from the pool edge to `r_max`, 19 bearings 0–180° every 10°) and interpolated
//! log-linearly in flux along distance and linearly across bearing, rebuilt when the
//! wind speed changes (tilt); the wind direction only rotates the table.
//! Beyond `r_max` the flux decays as 1/r² (far-field view factor). A flash fire has no
//! radiation outside its footprint (CCPS 1994): it sets the footprint rasters only.
//!
//! ## Units
//! m, s, W/m², Pa.
//!
//! ## Assumptions
//! Every model is steady for the whole burn (fireball at full size for its duration).
//!
//! ## References
//! - CCPS (1994), Guidelines for Evaluating the Characteristics of Vapor Cloud
//!   Explosions, Flash Fires, and BLEVEs.
//! - See the point-model modules.

use super::bleve::Fireball;
use super::bst::BstVce;
use super::jet_fire::JetFire;
use super::pool_fire::PoolFire;
use super::vce::TntEquivalentVce;
use serde::{Deserialize, Serialize};

const N_R: usize = 64;
const N_B: usize = 19;

/// Pool-fire flux on a polar grid relative to the downwind axis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PolarFlux {
    /// Distances from the pool centre, m (geometric).
    pub r_m: Vec<f64>,
    /// Flux, W/m², `[bearing][distance]`, bearings 0, 10, …, 180° from downwind.
    pub q: Vec<Vec<f64>>,
}

impl PolarFlux {
    /// Tabulates `fire` from its edge to `r_max_m`.
    pub fn new(fire: &PoolFire, r_max_m: f64) -> Self {
        let r0 = (0.5 * fire.diameter_m).max(0.5);
        let r1 = r_max_m.max(2.0 * r0);
        let ratio = (r1 / r0).powf(1.0 / (N_R - 1) as f64);
        let r_m: Vec<f64> = (0..N_R).map(|k| r0 * ratio.powi(k as i32)).collect();
        let q = (0..N_B)
            .map(|b| {
                let bearing = (b as f64 * 10.0).to_radians();
                r_m.iter().map(|&r| fire.flux_at(r, bearing)).collect()
            })
            .collect();
        Self { r_m, q }
    }

    fn along(&self, b: usize, r: f64) -> f64 {
        let q = &self.q[b];
        let n = self.r_m.len();
        if r <= self.r_m[0] {
            return q[0];
        }
        if r >= self.r_m[n - 1] {
            let rl = self.r_m[n - 1];
            return q[n - 1] * rl * rl / (r * r);
        }
        let k = self.r_m.partition_point(|&x| x <= r).clamp(1, n - 1);
        let (ra, rb) = (self.r_m[k - 1], self.r_m[k]);
        let t = (r - ra) / (rb - ra);
        let (qa, qb) = (q[k - 1], q[k]);
        if qa > 0.0 && qb > 0.0 {
            (qa.ln() + t * (qb.ln() - qa.ln())).exp()
        } else {
            qa + t * (qb - qa)
        }
    }

    /// Flux at distance `r_m` and bearing `bearing_rad` (0 = downwind, any sign).
    pub fn flux(&self, r_m: f64, bearing_rad: f64) -> f64 {
        let deg = bearing_rad.to_degrees().abs().rem_euclid(360.0);
        let deg = if deg > 180.0 { 360.0 - deg } else { deg };
        let f = deg / 10.0;
        let b = (f.floor() as usize).min(N_B - 2);
        let t = f - b as f64;
        (1.0 - t) * self.along(b, r_m) + t * self.along(b + 1, r_m)
    }
}

/// Blast model of an explosion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Blast {
    /// TNT equivalence.
    Tnt(TntEquivalentVce),
    /// Baker–Strehlow–Tang.
    Bst(BstVce),
}

impl Blast {
    /// Peak side-on overpressure (Pa) at `r_m`.
    pub fn overpressure_pa(&self, r_m: f64) -> f64 {
        match self {
            Self::Tnt(v) => v.overpressure_pa(r_m),
            Self::Bst(b) => b.overpressure_pa(r_m),
        }
    }
}

/// The model of a started event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ActiveSource {
    /// Pool fire with its tabulated flux and the wind it was built for.
    Pool {
        /// The fire.
        fire: PoolFire,
        /// Flux table.
        table: PolarFlux,
        /// Wind speed of the table, m/s.
        wind_m_s: f64,
        /// Direction the wind blows toward, unit (east, north).
        downwind: [f64; 2],
    },
    /// Jet fire.
    Jet(JetFire),
    /// BLEVE fireball (with the humidity 0–1 and air temperature K of its start).
    Fireball(Fireball, f64, f64),
    /// Explosion centred at `centre_xy_m`.
    Blast {
        /// The blast.
        blast: Blast,
        /// Centre, m.
        centre_xy_m: [f64; 2],
    },
    /// Flash fire (footprint only).
    Flash {
        /// Flammable mass burnt, kg.
        mass_kg: f64,
    },
}

impl ActiveSource {
    /// Thermal flux (W/m²) at ground point (x, y) from a fire at `at`.
    pub fn flux_at(&self, at: [f64; 2], x: f64, y: f64) -> f64 {
        let (dx, dy) = (x - at[0], y - at[1]);
        let r = dx.hypot(dy);
        match self {
            Self::Pool {
                table, downwind, ..
            } => {
                let along = dx * downwind[0] + dy * downwind[1];
                let across = dx * downwind[1] - dy * downwind[0];
                table.flux(r, across.atan2(along))
            }
            Self::Jet(j) => j.flux_at(r),
            Self::Fireball(f, rh, t) => f.flux_at(r, *rh, *t),
            Self::Blast { .. } | Self::Flash { .. } => 0.0,
        }
    }

    /// Peak overpressure (Pa) at ground point (x, y); 0 for fires.
    pub fn overpressure_at(&self, x: f64, y: f64) -> f64 {
        match self {
            Self::Blast { blast, centre_xy_m } => {
                blast.overpressure_pa((x - centre_xy_m[0]).hypot(y - centre_xy_m[1]))
            }
            _ => 0.0,
        }
    }

    /// True for a fire that radiates while it burns.
    pub fn radiates(&self) -> bool {
        matches!(self, Self::Pool { .. } | Self::Jet(_) | Self::Fireball(..))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polar_table_reproduces_the_pool_fire() {
        // Table nodes are exact model values; between them the interpolation error must
        // stay below 2 % (log-linear in a nearly power-law flux).
        let fire = PoolFire {
            diameter_m: 10.0,
            burning_rate_kg_m2_s: 0.08,
            flame_length_m: 18.0,
            tilt_rad: 0.6,
            emissive_power_w_m2: 60_000.0,
            air_t_k: 293.15,
            rh: 0.5,
        };
        let t = PolarFlux::new(&fire, 500.0);
        for (r, b) in [(23.0, 0.0), (41.0, 0.35), (77.0, 1.4), (150.0, 3.0)] {
            let exact = fire.flux_at(r, b);
            let got = t.flux(r, b);
            assert!(
                (got / exact - 1.0).abs() < 0.02,
                "r {r} b {b}: {got} vs {exact}"
            );
            assert!(
                (t.flux(r, -b) - got).abs() < 1e-12,
                "symmetric about the wind axis"
            );
        }
        let src = ActiveSource::Pool {
            fire,
            table: t,
            wind_m_s: 3.0,
            downwind: [0.0, 1.0],
        };
        // Wind toward north: a point north of the pool is downwind (flame tilts to it).
        assert!(src.flux_at([0.0, 0.0], 0.0, 40.0) > src.flux_at([0.0, 0.0], 0.0, -40.0));
    }
}
