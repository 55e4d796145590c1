//! Ember spotting: Albini-type maximum spotting distance and stochastic spot ignitions.
//!
//! ## Model
//! Maximum spotting distance over flat terrain (Albini 1979; Chase 1981):
//! D = 0.000718 · U₂₀ · √H · (0.362 + √(z/H)/2 · ln(z/H)) mi, with U₂₀ the 20-ft wind in
//! mi/h, H the downwind cover height in ft (at least the critical height
//! 2.2 · z^0.337 − 4 ft) and z the maximum firebrand lofting height in ft. The lofting
//! height depends on the source (all in the published feet / mi/h / Btu units):
//! - **Burning pile** (Albini 1981; Chase 1981): z = 12.2 · h_f, h_f the flame height.
//! - **Wind-driven surface fire** (Albini 1983; Chase 1984): fireline intensity from the
//!   flame length, I = (L/0.45)^(1/0.46) Btu/ft/s (Byram); f = 322 · (0.474 U₂₀)^−1.01;
//!   z = 1.055 · √(f · I); the distance adds the firebrand drift
//!   0.000278 · U₂₀ · z^0.643 mi.
//! - **Torching trees** (Albini 1979; Chase 1981): steady flame height
//!   h_f = a · DBH^b · N^0.4 and duration t_f = c · DBH^d · N^−0.2 (DBH in inches, N
//!   trees, species coefficients from the published table); z = A · t_f^B · h_f + H_t/2
//!   with (A, B) = (4.24, 0.332) if H_t/h_f ≥ 1, (3.64, 0.391) if ≥ 0.5, else
//!   (2.78, 0.418) if t_f < 3.5 min, else (4.70, 0), H_t the tree height.
//! - Ridge/valley terrain (Albini 1979): with V the horizontal ridge-to-valley distance
//!   (mi), E the ridge-to-valley elevation difference (ft) and φ = k·π/2 for a source at
//!   k = 0 midslope windward, 1 valley bottom, 2 midslope leeward, 3 ridge top, the
//!   mountain distance is X = x·V with x = D/V − b·(cos(πx − φ) − cos φ), b = E/(10π·1000),
//!   solved by 6 fixed-point iterations.
//!
//! On the grid, a cell in surface fire uses the surface-fire source (its flame length at
//! arrival); a torching or crowning cell uses the torching-trees source with the
//! configured species, DBH and number of trees and the stand height of the cell. A cell
//! that ignites with flame length ≥ `min_flame_length_m` (or any crown cell) launches,
//! with probability `ember_probability` (× `torching_factor` for passive/active crown
//! fire), one firebrand landing at a distance uniformly distributed in [0.1, 1]·D
//! downwind, with a direction spread of ±`direction_spread_deg`. The firebrand ignites a
//! receptive (burnable, unburned, not wetted) cell with probability
//! `ignition_probability` after `ignition_delay_s`.
//!
//! ## Units
//! m, m/s, s at the API; the Albini/Chase formulas are evaluated in their published units
//! (ft, in, mi/h, mi, Btu/ft/s) and converted at the edges.
//!
//! ## Assumptions
//! Flat-terrain distance on the grid (the ridge/valley correction needs a ridge-to-valley
//! geometry the grid does not describe; it is available as [`mountain_spot_distance_m`]).
//! The downwind cover height is the stand height of the source cell. Active crown fire
//! uses the torching-trees source (the Albini et al. 2012 crown fire spotting model is not
//! implemented). Firebrand landing distance and direction are random; all draws come from
//! the caller's `ChaCha8Rng` in the fixed order in which cells ignite, so a seed
//! reproduces a run exactly.
//!
//! ## References
//! - Albini, F.A. 1979. Spot fire distance from burning trees — a predictive model. USDA
//!   For. Serv. Gen. Tech. Rep. INT-56.
//! - Albini, F.A. 1981. Spot fire distance from isolated sources — extensions of a
//!   predictive model. USDA For. Serv. Res. Note INT-309.
//! - Albini, F.A. 1983. Potential spotting distance from wind-driven surface fires. USDA
//!   For. Serv. Res. Pap. INT-309.
//! - Chase, C.H. 1981. Spot fire distance equations for pocket calculators. USDA For.
//!   Serv. Res. Note INT-310.
//! - Chase, C.H. 1984. Spotting distance from wind-driven surface fires — extensions of
//!   equations for pocket calculators. USDA For. Serv. Res. Note INT-346.
//! - Heinsch, F.A.; Andrews, P.L. 2010. BehavePlus fire modeling system, version 5.0:
//!   design and features. USDA For. Serv. Gen. Tech. Rep. RMRS-GTR-249 (the SPOT module;
//!   reference numbers in `tests/fire_validation.rs` are from its public-domain `behave`
//!   library test suite).

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::fuel::FT;
use super::rothermel::M_S_PER_MI_H;

const MI: f64 = 1609.344;
const INCH: f64 = 0.0254;

/// Tree species of the torching-trees source (Albini 1979 / Chase 1981 table of steady
/// flame height and duration coefficients).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum TreeSpecies {
    /// Engelmann spruce.
    EngelmannSpruce,
    /// Douglas-fir.
    #[default]
    DouglasFir,
    /// Subalpine fir.
    SubalpineFir,
    /// Western hemlock.
    WesternHemlock,
    /// Ponderosa pine.
    PonderosaPine,
    /// Lodgepole pine.
    LodgepolePine,
    /// Western white pine.
    WesternWhitePine,
    /// Grand fir.
    GrandFir,
    /// Balsam fir.
    BalsamFir,
    /// Slash pine.
    SlashPine,
    /// Longleaf pine.
    LongleafPine,
    /// Pond pine.
    PondPine,
    /// Shortleaf pine.
    ShortleafPine,
    /// Loblolly pine.
    LoblollyPine,
}

impl TreeSpecies {
    /// (a, b) of the steady flame height h_f = a · DBH^b · N^0.4 (ft, DBH in inches) and
    /// (c, d) of the flame duration t_f = c · DBH^d · N^−0.2 (min) — Albini (1979)
    /// Table 1, as tabulated by Chase (1981).
    fn coefficients(self) -> ([f64; 2], [f64; 2]) {
        use TreeSpecies::*;
        match self {
            EngelmannSpruce => ([15.7, 0.451], [12.6, -0.256]),
            DouglasFir | SubalpineFir => ([15.7, 0.451], [10.7, -0.278]),
            WesternHemlock => ([15.7, 0.451], [6.30, -0.249]),
            PonderosaPine | LodgepolePine => ([12.9, 0.453], [12.6, -0.256]),
            WesternWhitePine => ([12.9, 0.453], [10.7, -0.278]),
            GrandFir | BalsamFir => ([16.5, 0.515], [10.7, -0.278]),
            SlashPine | LongleafPine => ([2.71, 1.0], [11.9, -0.389]),
            PondPine | ShortleafPine => ([2.71, 1.0], [7.91, -0.344]),
            LoblollyPine => ([2.71, 1.0], [13.5, -0.544]),
        }
    }
}

/// Spotting parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpottingConfig {
    /// Probability that an igniting cell launches a firebrand (surface fire).
    pub ember_probability: f64,
    /// Multiplier of `ember_probability` for torching/crowning cells (result capped at 1).
    #[serde(default = "default_torching")]
    pub torching_factor: f64,
    /// Minimum flame length that lofts firebrands from surface fire, m.
    #[serde(default = "default_min_flame")]
    pub min_flame_length_m: f64,
    /// Probability that a landed firebrand ignites a receptive cell.
    pub ignition_probability: f64,
    /// Delay from launch to established spot fire, s.
    #[serde(default = "default_delay")]
    pub ignition_delay_s: f64,
    /// Half-width of the landing direction spread around downwind, degrees.
    #[serde(default = "default_spread")]
    pub direction_spread_deg: f64,
    /// Species of torching trees (crown cells).
    #[serde(default)]
    pub tree_species: TreeSpecies,
    /// Diameter at breast height of torching trees, m.
    #[serde(default = "default_dbh")]
    pub tree_dbh_m: f64,
    /// Number of trees torching together.
    #[serde(default = "default_trees")]
    pub torching_trees: f64,
}

fn default_torching() -> f64 {
    5.0
}
fn default_min_flame() -> f64 {
    1.0
}
fn default_delay() -> f64 {
    300.0
}
fn default_spread() -> f64 {
    15.0
}
fn default_dbh() -> f64 {
    0.3
}
fn default_trees() -> f64 {
    5.0
}

impl SpottingConfig {
    /// Typical values: 5 % launch probability, 50 % ignition, 5 min delay.
    pub fn typical() -> Self {
        Self {
            ember_probability: 0.05,
            torching_factor: default_torching(),
            min_flame_length_m: default_min_flame(),
            ignition_probability: 0.5,
            ignition_delay_s: default_delay(),
            direction_spread_deg: default_spread(),
            tree_species: TreeSpecies::default(),
            tree_dbh_m: default_dbh(),
            torching_trees: default_trees(),
        }
    }

    /// Scenario check.
    pub fn check(&self, path: &str, out: &mut Vec<crate::scenario::problem::Problem>) {
        use crate::scenario::problem::{check_non_negative, check_range, join};
        let p = "a probability from 0 to 1";
        check_range(
            out,
            &join(path, "ember_probability"),
            self.ember_probability,
            0.0,
            1.0,
            "",
            p,
        );
        check_range(
            out,
            &join(path, "ignition_probability"),
            self.ignition_probability,
            0.0,
            1.0,
            "",
            p,
        );
        check_non_negative(
            out,
            &join(path, "torching_factor"),
            self.torching_factor,
            "",
            "≥ 0",
        );
        check_non_negative(
            out,
            &join(path, "min_flame_length_m"),
            self.min_flame_length_m,
            "m",
            "≥ 0",
        );
        check_non_negative(
            out,
            &join(path, "ignition_delay_s"),
            self.ignition_delay_s,
            "s",
            "≥ 0",
        );
        check_range(
            out,
            &join(path, "direction_spread_deg"),
            self.direction_spread_deg,
            0.0,
            90.0,
            "°",
            "0–90°",
        );
        check_range(
            out,
            &join(path, "tree_dbh_m"),
            self.tree_dbh_m,
            0.0254,
            3.0,
            "m",
            "stem diameter at breast height, typ. 0.1–1 m",
        );
        check_range(
            out,
            &join(path, "torching_trees"),
            self.torching_trees,
            1.0,
            30.0,
            "",
            "trees torching together (Albini 1979: 1–30)",
        );
    }
}

/// Albini (1979) maximum spotting distance over flat terrain, m.
///
/// `lofting_height_m`: maximum firebrand height; `cover_height_m`: downwind vegetation
/// height; `wind_20ft_m_s`: 20-ft wind.
pub fn max_spot_distance_m(lofting_height_m: f64, cover_height_m: f64, wind_20ft_m_s: f64) -> f64 {
    let z = lofting_height_m / FT;
    let u = wind_20ft_m_s / M_S_PER_MI_H;
    if !(z > 0.0 && u > 0.0) {
        return 0.0;
    }
    flat_distance_mi(z, cover_height_m / FT, u) * MI
}

/// Flat-terrain distance in mi for lofting height `z` ft, cover `h` ft, wind `u` mi/h.
fn flat_distance_mi(z: f64, h: f64, u: f64) -> f64 {
    let critical = 2.2 * z.powf(0.337) - 4.0;
    let h = h.max(critical);
    if h <= 1e-7 {
        return 0.0;
    }
    let ratio = z / h;
    (0.000718 * u * h.sqrt() * (0.362 + ratio.sqrt() / 2.0 * ratio.ln())).max(0.0)
}

/// Firebrand lofting height of a burning pile with flame height `flame_height_m`
/// (Albini 1981; Chase 1981): z = 12.2 h_f, m.
pub fn lofting_height_m(flame_height_m: f64) -> f64 {
    12.2 * flame_height_m.max(0.0)
}

/// Maximum spotting distance from a burning pile over flat terrain, m.
pub fn burning_pile_spot_distance_m(
    flame_height_m: f64,
    cover_height_m: f64,
    wind_20ft_m_s: f64,
) -> f64 {
    max_spot_distance_m(
        lofting_height_m(flame_height_m),
        cover_height_m,
        wind_20ft_m_s,
    )
}

/// Maximum spotting distance from a wind-driven surface fire with flame length
/// `flame_length_m` over flat terrain (Albini 1983; Chase 1984), m.
pub fn surface_fire_spot_distance_m(
    flame_length_m: f64,
    cover_height_m: f64,
    wind_20ft_m_s: f64,
) -> f64 {
    let l = flame_length_m / FT;
    let u = wind_20ft_m_s / M_S_PER_MI_H;
    if !(l > 0.0 && u > 0.0) {
        return 0.0;
    }
    let intensity = (l / 0.45).powf(1.0 / 0.46);
    let f = 322.0 * (0.474 * u).powf(-1.01);
    let z = 1.055 * (f * intensity).sqrt();
    let drift = 0.000278 * u * z.powf(0.643);
    (flat_distance_mi(z, cover_height_m / FT, u) + drift) * MI
}

/// Maximum spotting distance from `trees` torching trees of `species`, diameter
/// `dbh_m` and height `tree_height_m`, over flat terrain (Albini 1979; Chase 1981), m.
pub fn torching_trees_spot_distance_m(
    species: TreeSpecies,
    dbh_m: f64,
    tree_height_m: f64,
    trees: f64,
    cover_height_m: f64,
    wind_20ft_m_s: f64,
) -> f64 {
    let dbh = dbh_m / INCH;
    let u = wind_20ft_m_s / M_S_PER_MI_H;
    if !(dbh > 0.0 && u > 0.0 && trees >= 1.0) {
        return 0.0;
    }
    let ([a, b], [c, d]) = species.coefficients();
    let flame = a * dbh.powf(b) * trees.powf(0.4);
    let duration = c * dbh.powf(d) * trees.powf(-0.2);
    let ht = tree_height_m.max(0.0) / FT;
    let ratio = ht / flame;
    let (k, p) = if ratio >= 1.0 {
        (4.24, 0.332)
    } else if ratio >= 0.5 {
        (3.64, 0.391)
    } else if duration < 3.5 {
        (2.78, 0.418)
    } else {
        (4.70, 0.0)
    };
    let z = k * duration.powf(p) * flame + ht / 2.0;
    flat_distance_mi(z, cover_height_m / FT, u) * MI
}

/// Where the firebrand source sits on a ridge/valley cross-section (Albini 1979).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SpotLocation {
    /// Midslope, windward side.
    MidslopeWindward,
    /// Valley bottom.
    ValleyBottom,
    /// Midslope, leeward side.
    MidslopeLeeward,
    /// Ridge top.
    RidgeTop,
}

/// Albini (1979) spotting distance over ridge/valley terrain from the flat distance, m.
/// `ridge_to_valley_m`: horizontal ridge-to-valley distance; `relief_m`: ridge-to-valley
/// elevation difference.
pub fn mountain_spot_distance_m(
    flat_m: f64,
    location: SpotLocation,
    ridge_to_valley_m: f64,
    relief_m: f64,
) -> f64 {
    if !(ridge_to_valley_m > 0.0 && relief_m > 0.0) {
        return flat_m;
    }
    let v = ridge_to_valley_m / MI;
    let e = relief_m / FT;
    let a1 = flat_m / MI / v;
    let b1 = e / (10.0 * std::f64::consts::PI) / 1000.0;
    let phi = f64::from(location as u8) * std::f64::consts::FRAC_PI_2;
    let mut x = a1;
    for _ in 0..6 {
        x = a1 - b1 * ((std::f64::consts::PI * x - phi).cos() - phi.cos());
    }
    x * v * MI
}

/// Source of firebrands of a burning cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SpotSource {
    /// Wind-driven surface fire with this flame length, m.
    Surface {
        /// Flame length at arrival, m.
        flame_length_m: f64,
    },
    /// Torching or crowning trees of this height, m (species, DBH and count from the
    /// configuration).
    Torching {
        /// Stand height, m.
        tree_height_m: f64,
    },
}

impl SpottingConfig {
    /// Maximum spotting distance from `source` over flat terrain, m.
    pub fn max_distance_m(
        &self,
        source: SpotSource,
        cover_height_m: f64,
        wind_20ft_m_s: f64,
    ) -> f64 {
        match source {
            SpotSource::Surface { flame_length_m } => {
                surface_fire_spot_distance_m(flame_length_m, cover_height_m, wind_20ft_m_s)
            }
            SpotSource::Torching { tree_height_m } => torching_trees_spot_distance_m(
                self.tree_species,
                self.tree_dbh_m,
                tree_height_m,
                self.torching_trees,
                cover_height_m,
                wind_20ft_m_s,
            ),
        }
    }
}

/// A firebrand landing: displacement (east, north) in m, or `None` if no firebrand was
/// launched or it did not ignite. Draws from `rng` in a fixed order.
pub fn sample_spot(
    cfg: &SpottingConfig,
    source: SpotSource,
    cover_height_m: f64,
    wind_20ft_m_s: f64,
    wind_from_deg: f64,
    rng: &mut ChaCha8Rng,
) -> Option<(f64, f64)> {
    let crowning = match source {
        SpotSource::Surface { flame_length_m } => {
            if flame_length_m < cfg.min_flame_length_m {
                return None;
            }
            false
        }
        SpotSource::Torching { .. } => true,
    };
    if wind_20ft_m_s <= 0.0 {
        return None;
    }
    let p = if crowning {
        (cfg.ember_probability * cfg.torching_factor).min(1.0)
    } else {
        cfg.ember_probability
    };
    // Always draw the same number of variates per candidate so the stream stays aligned.
    let (u_launch, u_dist, u_dir, u_ign) = (
        rng.random::<f64>(),
        rng.random::<f64>(),
        rng.random::<f64>(),
        rng.random::<f64>(),
    );
    if u_launch >= p || u_ign >= cfg.ignition_probability {
        return None;
    }
    let dmax = cfg.max_distance_m(source, cover_height_m, wind_20ft_m_s);
    let d = (0.1 + 0.9 * u_dist) * dmax;
    let az = (wind_from_deg + 180.0 + (2.0 * u_dir - 1.0) * cfg.direction_spread_deg).to_radians();
    Some((d * az.sin(), d * az.cos()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn albini_distance_grows_with_wind_and_height() {
        let d1 = max_spot_distance_m(30.0, 10.0, 5.0);
        let d2 = max_spot_distance_m(30.0, 10.0, 10.0);
        let d3 = max_spot_distance_m(60.0, 10.0, 10.0);
        assert!(d1 > 0.0 && (d2 / d1 - 2.0).abs() < 1e-9 && d3 > d2);
        assert_eq!(max_spot_distance_m(30.0, 10.0, 0.0), 0.0);
    }
}
