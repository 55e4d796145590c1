//! Dense-gas puffs in the time-stepped field: a release whose Britter–McQuaid density
//! criterion holds is carried by the same advected puffs as a passive one, but each
//! puff's ground-level contribution follows the Britter–McQuaid workbook correlation
//! along its travelled distance until the correlation ends, where it turns passive.
//!
//! ## Model
//! - Criterion (Britter & McQuaid 1988, §3.1/§4.1, as in [`super::dense`]): a puff emitted
//!   by a continuous release of volume flux q in 10 m wind u is dense when
//!   `(g0' q / (u³ D))^{1/3} ≥ 0.15`, `D = √(q/u)`; an instantaneous release of volume
//!   V0 when `√(g0' V0^{1/3}) / u ≥ 0.2`. Evaluated when the puff is emitted (wind at the
//!   source at that time, release rate of that interval).
//! - Dense phase: the target centreline concentration at travelled distance x is
//!   `C(x) = c(x) ρ_g(Ta)` with c the workbook ratio ([`BmCurves`], corrected for a cold
//!   release) and `ρ_g(Ta)` the gas density at air temperature. A puff of mass M keeps its
//!   passive horizontal σh (instantaneous: at least the gravity-spread radius over √2,
//!   `R² = R0² + 1.2 √(g0' V0) t`, t = x / (0.4 u), workbook §4.2) and gets the vertical
//!   scale that makes the sum of a continuous puff train (spacing U Δt, U the puff speed)
//!   equal C on the centreline: `σz = ṁ / (π U σh C)`; for a single puff
//!   `σz = 2M / ((2π)^{3/2} σh² C)`. The dense layer's concentration is reported at any
//!   receptor height (the layer is taken to cover breathing height).
//! - Transition: beyond the last workbook curve the puff becomes an ordinary passive
//!   puff whose travelled distance is moved to the virtual distance at which the passive
//!   centreline value equals the dense value at the transition (virtual-source matching,
//!   CCPS 1999 §2.3.2), so the field is continuous.
//!
//! ## Units
//! m, s, kg, kg/m³, K.
//!
//! ## Assumptions
//! Near-ground releases only (height ≤ [`DENSE_MAX_RELEASE_HEIGHT_M`]); flat terrain;
//! wind ≥ 0.5 m/s (calmer: passive); liquid aerosol in the cloud ignored (gas density
//! at the release temperature); the continuous plume's lateral spread is the passive σy
//! (dense plumes are wider near the source: zone widths there are under-estimated).
//!
//! ## References
//! - Britter, R. E., McQuaid, J. (1988), Workbook on the Dispersion of Dense Gases, HSE
//!   Contract Research Report 17/1988.
//! - CCPS (1999), Guidelines for Consequence Analysis of Chemical Releases, §2.3.2.
//! - Turner, D. B. (1994), Workbook of Atmospheric Dispersion Estimates (puff train ≡
//!   plume: `C = ṁ / (π U σy σz)` on the ground centreline).

use super::dense::{
    BmCurves, DenseKind, is_dense_continuous, is_dense_instantaneous, non_isothermal,
    reduced_gravity,
};
use super::stability::{Stability, Terrain, briggs_sigmas};
use crate::hazards::chemicals::{Chemical, P_ATM, R_GAS};
use serde::{Deserialize, Serialize};

/// Releases above this height are never treated as dense (the workbook is for ground
/// releases; 2 m is about the initial depth of a slumping cloud).
pub const DENSE_MAX_RELEASE_HEIGHT_M: f64 = 2.0;
/// Minimum 10 m wind for the workbook correlations, m/s.
const MIN_WIND_M_S: f64 = 0.5;
/// Molar mass of air, kg/mol.
const M_AIR: f64 = 0.028_96;

/// Properties of the released gas that decide and shape dense dispersion.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DenseGas {
    /// Gas density at the release temperature, kg/m³.
    pub rho_gas_kg_m3: f64,
    /// Air density, kg/m³.
    pub rho_air_kg_m3: f64,
    /// Release temperature, K.
    pub t_release_k: f64,
    /// Air temperature, K.
    pub t_air_k: f64,
}

/// Dense-phase state carried by one puff (set at emission).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DenseTag {
    /// Plume (continuous) or puff (instantaneous) curves.
    pub kind: DenseKind,
    /// Release rate of the emitting interval (plume) or puff mass (puff), kg/s or kg.
    pub rate_or_mass: f64,
    /// 10 m wind speed at emission, m/s.
    pub u10_m_s: f64,
    /// Travelled distance the puff started with (virtual distance of its initial size), m.
    pub start_travel_m: f64,
}

impl DenseGas {
    /// The gas of `chem` released at its boiling point if that is below the air
    /// temperature (refrigerated or flashing), else at air temperature.
    pub fn for_chemical(chem: &Chemical, t_air_k: f64) -> Self {
        let t_release_k = chem.boiling_point_k.min(t_air_k);
        Self {
            rho_gas_kg_m3: chem.vapour_density_kg_m3(t_release_k),
            rho_air_kg_m3: P_ATM * M_AIR / (R_GAS * t_air_k),
            t_release_k,
            t_air_k,
        }
    }

    fn g0(&self) -> f64 {
        reduced_gravity(self.rho_gas_kg_m3, self.rho_air_kg_m3)
    }

    /// The dense tag of a puff emitted with `rate_or_mass` (kg/s for continuous, kg for
    /// instantaneous) in 10 m wind `u10`, or `None` if the criterion says passive.
    pub fn tag(
        &self,
        kind: DenseKind,
        rate_or_mass: f64,
        u10: f64,
        start_travel_m: f64,
    ) -> Option<DenseTag> {
        if !(u10 >= MIN_WIND_M_S && rate_or_mass > 0.0) {
            return None;
        }
        let v = rate_or_mass / self.rho_gas_kg_m3;
        let dense = match kind {
            DenseKind::Plume => is_dense_continuous(self.rho_gas_kg_m3, self.rho_air_kg_m3, v, u10),
            DenseKind::Puff => {
                is_dense_instantaneous(self.rho_gas_kg_m3, self.rho_air_kg_m3, v, u10)
            }
        };
        dense.then_some(DenseTag {
            kind,
            rate_or_mass,
            u10_m_s: u10,
            start_travel_m,
        })
    }

    fn curves(&self, tag: &DenseTag) -> Option<BmCurves> {
        BmCurves::new(
            tag.kind,
            self.g0(),
            tag.rate_or_mass / self.rho_gas_kg_m3,
            tag.u10_m_s,
        )
    }

    /// Workbook centreline concentration (kg/m³) at downwind distance `x_m`, or `None`
    /// beyond the last curve (passive from there on).
    pub fn centreline_kg_m3(&self, tag: &DenseTag, x_m: f64) -> Option<f64> {
        let c_iso = self.curves(tag)?.ratio_at(x_m.max(0.0))?;
        let c = non_isothermal(c_iso, self.t_release_k, self.t_air_k);
        Some(c * self.rho_gas_kg_m3 * self.t_release_k / self.t_air_k)
    }

    /// Distance (m) of the dense → passive transition.
    pub fn transition_m(&self, tag: &DenseTag) -> f64 {
        self.curves(tag).map_or(0.0, |c| c.end_m())
    }

    /// Horizontal σ and vertical scale (m) of a dense puff of `mass_kg` at travelled
    /// distance `travel_m` moving at `puff_speed_m_s`, or `None` past the transition.
    pub fn sigmas(
        &self,
        tag: &DenseTag,
        travel_m: f64,
        mass_kg: f64,
        puff_speed_m_s: f64,
        stability: Stability,
        terrain: Terrain,
    ) -> Option<(f64, f64)> {
        let x = (travel_m - tag.start_travel_m).max(0.0);
        let c = self.centreline_kg_m3(tag, x)?;
        let sy = briggs_sigmas(stability, terrain, travel_m).0;
        Some(match tag.kind {
            DenseKind::Plume => {
                let sz =
                    tag.rate_or_mass / (std::f64::consts::PI * puff_speed_m_s.max(1e-3) * sy * c);
                (sy, sz)
            }
            DenseKind::Puff => {
                let v0 = tag.rate_or_mass / self.rho_gas_kg_m3;
                let r0 = (3.0 * v0 / (4.0 * std::f64::consts::PI)).cbrt();
                let t = x / (0.4 * tag.u10_m_s);
                let r2 = r0 * r0 + 1.2 * (self.g0() * v0).sqrt() * t;
                let sh = sy.max((0.5 * r2).sqrt());
                let sz = 2.0 * mass_kg / ((2.0 * std::f64::consts::PI).powf(1.5) * sh * sh * c);
                (sh, sz)
            }
        })
    }

    /// Travelled distance (m) at which a passive puff of `mass_kg` (continuous: of a train
    /// at `puff_speed_m_s`) has the centreline value the dense puff has at the transition
    /// (bisection; clamped to [1 m, the puff's actual travelled distance]).
    pub fn passive_travel_at_transition(
        &self,
        tag: &DenseTag,
        travel_m: f64,
        mass_kg: f64,
        puff_speed_m_s: f64,
        stability: Stability,
        terrain: Terrain,
    ) -> f64 {
        let x_end = self.transition_m(tag);
        let Some(c_end) = self.curves(tag).and_then(|c| c.ratio_at(x_end)).map(|r| {
            non_isothermal(r, self.t_release_k, self.t_air_k)
                * self.rho_gas_kg_m3
                * self.t_release_k
                / self.t_air_k
        }) else {
            return travel_m;
        };
        let passive = |s: f64| {
            let (sy, sz) = briggs_sigmas(stability, terrain, s);
            match tag.kind {
                DenseKind::Plume => {
                    tag.rate_or_mass / (std::f64::consts::PI * puff_speed_m_s.max(1e-3) * sy * sz)
                }
                DenseKind::Puff => {
                    2.0 * mass_kg / ((2.0 * std::f64::consts::PI).powf(1.5) * sy * sy * sz)
                }
            }
        };
        let (mut lo, mut hi) = (1.0f64, travel_m.max(1.0));
        if passive(hi) >= c_end {
            return hi;
        }
        if passive(lo) <= c_end {
            return lo;
        }
        for _ in 0..60 {
            let mid = (lo * hi).sqrt();
            if passive(mid) > c_end {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazards::chemicals::ChemicalLibrary;

    fn chlorine() -> DenseGas {
        let lib = ChemicalLibrary::load_builtin().unwrap();
        DenseGas::for_chemical(lib.find("chlorine").unwrap(), 293.15)
    }

    #[test]
    fn chlorine_is_dense_methane_is_not() {
        let lib = ChemicalLibrary::load_builtin().unwrap();
        let cl = chlorine();
        assert!(cl.tag(DenseKind::Plume, 2.0, 3.0, 0.0).is_some());
        assert!(cl.tag(DenseKind::Puff, 1000.0, 3.0, 0.0).is_some());
        assert!(cl.tag(DenseKind::Plume, 2.0, 0.2, 0.0).is_none());
        let ch4 = DenseGas::for_chemical(lib.find("methane").unwrap(), 293.15);
        // Cold methane (111 K) is denser than air at release, but barely: check the
        // criterion decides, not the sign of the density difference alone.
        let warm = DenseGas {
            t_release_k: 293.15,
            rho_gas_kg_m3: lib.find("methane").unwrap().vapour_density_kg_m3(293.15),
            ..ch4
        };
        assert!(warm.tag(DenseKind::Plume, 2.0, 3.0, 0.0).is_none());
    }

    #[test]
    fn plume_sigmas_reproduce_the_centreline() {
        // Puff-train identity: ṁ / (π U σy σz) equals the workbook value (closed form).
        let cl = chlorine();
        let tag = cl.tag(DenseKind::Plume, 2.0, 3.0, 10.0).unwrap();
        let (sy, sz) = cl
            .sigmas(&tag, 110.0, 20.0, 2.1, Stability::D, Terrain::Rural)
            .unwrap();
        let c = cl.centreline_kg_m3(&tag, 100.0).unwrap();
        let train = 2.0 / (std::f64::consts::PI * 2.1 * sy * sz);
        assert!((train / c - 1.0).abs() < 1e-12);
        // Past the transition the puff is passive.
        let end = cl.transition_m(&tag);
        assert!(
            cl.sigmas(&tag, end + 20.0, 20.0, 2.1, Stability::D, Terrain::Rural)
                .is_none()
        );
        let s = cl.passive_travel_at_transition(
            &tag,
            end + 10.0,
            20.0,
            2.1,
            Stability::D,
            Terrain::Rural,
        );
        assert!(s >= 1.0 && s <= end + 10.0, "{s}");
    }
}
