//! Gaussian puff model and a puff tracker whose puffs are advected by a caller-supplied,
//! time- and space-varying wind, so the cloud follows wind shifts.
//!
//! ## Model
//! A release is split into puffs emitted every `emit_interval_s` (mass from the source
//! profile over that interval). Puff *i* with mass Mᵢ at (xᵢ, yᵢ) and release height H
//! contributes
//! `C = M / ((2π)^{3/2} σh² σz) · exp(−r²/2σh²) · [exp(−(z−H)²/2σz²) + exp(−(z+H)²/2σz²)]`
//! with σh = σy(s), σz(s) the Briggs coefficients at the puff's travelled distance s
//! (plus a virtual distance for the initial size). Puffs move with the wind at their
//! centre (midpoint/RK2 step), scaled from 10 m to the release height by the power law.
//!
//! ## Units
//! m, s, kg, kg/m³; wind components (u east, v north) in m/s at 10 m.
//!
//! ## Assumptions
//! Horizontally isotropic puffs (σx = σy), flat terrain with total ground
//! reflection, stability class may change between steps (puff sizes then follow the new
//! class's σ at their travelled distance); contributions beyond 4.5 σh
//! (< 4e-5 of the peak) are neglected. Consecutive puffs closer than 0.25 σh are merged
//! (mass-weighted), which bounds the puff count of long releases. Passive gas, unless
//! dense-gas properties are set ([`PuffTracker::set_dense`]): puffs that meet the
//! Britter–McQuaid criterion then follow [`super::dense_puff`] until they turn passive.
//!
//! ## References
//! - Turner, D. B. (1994), Workbook of Atmospheric Dispersion Estimates, 2nd ed.
//! - Scire, J. S. et al. (2000), A User's Guide for the CALPUFF Dispersion Model
//!   (puff sampling with Briggs σ functions of travel distance).
//! - TNO Yellow Book CPR 14E (2005), §4.5.3 (Gaussian puff with reflection).

use super::dense::DenseKind;
use super::dense_puff::{DENSE_MAX_RELEASE_HEIGHT_M, DenseGas, DenseTag};
use super::source::Release;
use super::stability::{
    Stability, Terrain, briggs_sigmas, briggs_virtual_distance, wind_profile_exponent,
};
use super::{GasError, require_non_negative, require_positive};
use crate::world::Grid;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Fixed settings of a puff release.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PuffConfig {
    /// Source position (x east, y north), m.
    pub source_xy_m: [f64; 2],
    /// Release height, m.
    pub release_height_m: f64,
    /// Stability class.
    pub stability: Stability,
    /// Terrain (sigmas and wind profile).
    pub terrain: Terrain,
    /// Interval between emitted puffs, s (small enough that puffs overlap).
    pub emit_interval_s: f64,
    /// Initial horizontal size σ0 of each puff, m (source size).
    pub initial_sigma_m: f64,
}

impl PuffConfig {
    /// Validates the settings.
    pub fn validate(&self) -> Result<(), GasError> {
        require_non_negative(
            "release_height_m",
            self.release_height_m,
            "height above ground",
        )?;
        require_positive("emit_interval_s", self.emit_interval_s, "e.g. 2–10 s")?;
        require_positive("initial_sigma_m", self.initial_sigma_m, "e.g. 1–10 m")?;
        if !self.source_xy_m.iter().all(|v| v.is_finite()) {
            return Err(GasError::Invalid {
                field: "source_xy_m".into(),
                msg: "must be finite".into(),
            });
        }
        Ok(())
    }
}

/// One Gaussian puff.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Puff {
    /// Centre x (east), m.
    pub x: f64,
    /// Centre y (north), m.
    pub y: f64,
    /// Mass, kg.
    pub mass_kg: f64,
    /// Distance travelled including the virtual distance, m.
    pub travel_m: f64,
    /// Dense-gas phase (Britter–McQuaid), `None` for a passive puff.
    #[serde(default)]
    pub dense: Option<DenseTag>,
}

#[derive(Clone, Copy, Debug, Default)]
struct PuffEval {
    x: f64,
    y: f64,
    inv2s2: f64,
    amp: f64,
    reach: f64,
}

/// The state of a puff release: everything needed to continue it (serde + Clone for
/// engine snapshots; the evaluation scratch is rebuilt on demand).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PuffTracker {
    config: PuffConfig,
    release: Release,
    puffs: Vec<Puff>,
    time_s: f64,
    next_emit_s: f64,
    released_kg: f64,
    /// Dense-gas properties; `None`: always passive.
    #[serde(default)]
    dense: Option<DenseGas>,
    #[serde(skip)]
    scratch: Vec<PuffEval>,
}

impl PuffTracker {
    /// A tracker for `release` with `config`, starting at t = 0.
    pub fn new(config: PuffConfig, release: Release) -> Result<Self, GasError> {
        config.validate()?;
        let mut problems = Vec::new();
        release.check("release", &mut problems);
        if let Some(p) = problems.first() {
            return Err(GasError::Invalid {
                field: p.path.clone(),
                msg: format!("expected {}, found {}", p.expected, p.found),
            });
        }
        Ok(Self {
            config,
            release,
            puffs: Vec::new(),
            time_s: 0.0,
            next_emit_s: 0.0,
            released_kg: 0.0,
            dense: None,
            scratch: Vec::new(),
        })
    }

    /// Lets puffs emitted from now on follow the Britter–McQuaid dense-gas correlations
    /// when the density criterion holds ([`super::dense_puff`]); `None` keeps every puff
    /// passive. Releases higher than [`DENSE_MAX_RELEASE_HEIGHT_M`] stay passive.
    pub fn set_dense(&mut self, dense: Option<DenseGas>) {
        self.dense = dense.filter(|_| self.config.release_height_m <= DENSE_MAX_RELEASE_HEIGHT_M);
    }

    /// The dense-gas properties in use, if any.
    pub fn dense(&self) -> Option<&DenseGas> {
        self.dense.as_ref()
    }

    /// The puffs (oldest first).
    pub fn puffs(&self) -> &[Puff] {
        &self.puffs
    }

    /// Model time, s.
    pub fn time_s(&self) -> f64 {
        self.time_s
    }

    /// Mass released so far, kg.
    pub fn released_kg(&self) -> f64 {
        self.released_kg
    }

    /// Changes the stability class for the following steps.
    pub fn set_stability(&mut self, stability: Stability) {
        self.config.stability = stability;
    }

    /// The settings.
    pub fn config(&self) -> &PuffConfig {
        &self.config
    }

    fn wind_factor(&self) -> f64 {
        let p = wind_profile_exponent(self.config.stability, self.config.terrain);
        (self.config.release_height_m.max(1.0) / 10.0).powf(p)
    }

    fn step_puff(
        p: &mut Puff,
        t: f64,
        dt: f64,
        f: f64,
        wind: &impl Fn(f64, f64, f64) -> (f64, f64),
    ) {
        let (u1, v1) = wind(p.x, p.y, t);
        let (xm, ym) = (p.x + 0.5 * dt * f * u1, p.y + 0.5 * dt * f * v1);
        let (u2, v2) = wind(xm, ym, t + 0.5 * dt);
        let (u2, v2) = (f * u2, f * v2);
        p.x += u2 * dt;
        p.y += v2 * dt;
        p.travel_m += (u2 * u2 + v2 * v2).sqrt() * dt;
    }

    /// Advances the model from its current time by `dt_s`: emits puffs for the release
    /// in that interval and moves all puffs with `wind(x, y, t) -> (u, v)` (10 m wind).
    pub fn advance(&mut self, dt_s: f64, wind: impl Fn(f64, f64, f64) -> (f64, f64)) {
        if !(dt_s.is_finite() && dt_s > 0.0) {
            return;
        }
        let f = self.wind_factor();
        let end = self.time_s + dt_s;
        let x0 = briggs_virtual_distance(
            self.config.stability,
            self.config.terrain,
            self.config.initial_sigma_m,
        );
        while self.time_s < end {
            // Sub-step to the next emission time (or the end of the step).
            let t = self.time_s;
            let t_next = self.next_emit_s.max(t).min(end);
            let h = t_next - t;
            if h > 0.0 {
                for p in &mut self.puffs {
                    Self::step_puff(p, t, h, f, &wind);
                }
                self.time_s = t_next;
            }
            if self.time_s >= self.next_emit_s {
                let a = self.next_emit_s;
                let b = a + self.config.emit_interval_s;
                let mass = if a <= 0.0 {
                    self.release.mass_between(f64::NEG_INFINITY, b)
                } else {
                    self.release.mass_between(a, b)
                };
                if mass > 0.0 {
                    let [sx, sy] = self.config.source_xy_m;
                    let dense = self.dense.and_then(|d| {
                        let (u, v) = wind(sx, sy, self.time_s);
                        if matches!(self.release, Release::Instantaneous { .. }) {
                            d.tag(DenseKind::Puff, mass, u.hypot(v), x0)
                        } else {
                            let rate = mass / self.config.emit_interval_s;
                            d.tag(DenseKind::Plume, rate, u.hypot(v), x0)
                        }
                    });
                    self.puffs.push(Puff {
                        x: sx,
                        y: sy,
                        mass_kg: mass,
                        travel_m: x0,
                        dense,
                    });
                    self.released_kg += mass;
                }
                self.next_emit_s = b;
            }
        }
        self.end_dense_phases(f);
        self.merge_close_puffs();
    }

    /// Turns dense puffs past the Britter–McQuaid transition into passive puffs at the
    /// matching virtual travelled distance.
    fn end_dense_phases(&mut self, f: f64) {
        let Some(d) = self.dense else { return };
        let (st, tr) = (self.config.stability, self.config.terrain);
        for p in &mut self.puffs {
            if let Some(tag) = p.dense {
                let speed = f * tag.u10_m_s;
                if d.sigmas(&tag, p.travel_m, p.mass_kg, speed, st, tr)
                    .is_none()
                {
                    p.travel_m =
                        d.passive_travel_at_transition(&tag, p.travel_m, p.mass_kg, speed, st, tr);
                    p.dense = None;
                }
            }
        }
    }

    /// Merges consecutive puffs whose centres are closer than `MERGE_FRACTION` × their
    /// horizontal σ into one puff (mass-weighted centre and travel), keeping the puff
    /// count bounded for long releases. Mass is conserved exactly; the merged puff's
    /// variance differs from the pair's by ≤ (d/2)² ≤ 1.6 % of σ².
    fn merge_close_puffs(&mut self) {
        const MERGE_FRACTION: f64 = 0.25;
        let (st, tr) = (self.config.stability, self.config.terrain);
        let mut out: Vec<Puff> = Vec::with_capacity(self.puffs.len());
        for p in self.puffs.drain(..) {
            if let Some(q) = out.last_mut()
                && q.dense.is_some() == p.dense.is_some()
            {
                let sigma = briggs_sigmas(st, tr, q.travel_m.min(p.travel_m)).0;
                let d2 = (q.x - p.x).powi(2) + (q.y - p.y).powi(2);
                if d2 < (MERGE_FRACTION * sigma).powi(2) {
                    let m = q.mass_kg + p.mass_kg;
                    let (wq, wp) = (q.mass_kg / m, p.mass_kg / m);
                    q.x = wq * q.x + wp * p.x;
                    q.y = wq * q.y + wp * p.y;
                    q.travel_m = wq * q.travel_m + wp * p.travel_m;
                    q.mass_kg = m;
                    continue;
                }
            }
            out.push(p);
        }
        self.puffs = out;
    }

    /// Concentration (kg/m³) at point (x, y) and height z.
    pub fn concentration_at(&self, x: f64, y: f64, z: f64) -> f64 {
        let mut c = 0.0;
        for p in &self.puffs {
            let e = self.eval(p, z);
            let r2 = (x - e.x).powi(2) + (y - e.y).powi(2);
            if r2 < e.reach * e.reach {
                c += e.amp * (-r2 * e.inv2s2).exp();
            }
        }
        c
    }

    fn eval(&self, p: &Puff, z: f64) -> PuffEval {
        if let (Some(d), Some(tag)) = (self.dense, p.dense) {
            let (st, tr) = (self.config.stability, self.config.terrain);
            let speed = self.wind_factor() * tag.u10_m_s;
            if let Some((sh, sz)) = d.sigmas(&tag, p.travel_m, p.mass_kg, speed, st, tr) {
                // Dense layer: ground-reflected value, reported at every receptor height.
                let norm = (2.0 * std::f64::consts::PI).powf(1.5) * sh * sh * sz;
                return PuffEval {
                    x: p.x,
                    y: p.y,
                    inv2s2: 1.0 / (2.0 * sh * sh),
                    amp: 2.0 * p.mass_kg / norm,
                    reach: 4.5 * sh,
                };
            }
        }
        let (sh, sz) = briggs_sigmas(self.config.stability, self.config.terrain, p.travel_m);
        let h = self.config.release_height_m;
        let vert =
            (-(z - h).powi(2) / (2.0 * sz * sz)).exp() + (-(z + h).powi(2) / (2.0 * sz * sz)).exp();
        let norm = (2.0 * std::f64::consts::PI).powf(1.5) * sh * sh * sz;
        PuffEval {
            x: p.x,
            y: p.y,
            inv2s2: 1.0 / (2.0 * sh * sh),
            amp: p.mass_kg / norm * vert,
            reach: 4.5 * sh,
        }
    }

    /// Writes the concentration field (kg/m³) at height `z` into `out`, rows in parallel.
    /// Each cell sums the puffs in a fixed order, so the result is bit-identical for any
    /// number of threads.
    pub fn concentration_field(&mut self, z: f64, out: &mut Grid<f32>) {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        scratch.extend(self.puffs.iter().map(|p| self.eval(p, z)));
        let spec = *out.spec();
        let w = spec.width;
        let cs = spec.cell_size;
        let x0 = spec.origin[0] + 0.5 * cs;
        let puffs = &scratch;
        out.data_mut()
            .par_chunks_mut(w.max(1))
            .enumerate()
            .for_each(|(row, cells)| {
                cells.fill(0.0);
                let yc = spec.y_max() - (row as f64 + 0.5) * cs;
                for e in puffs {
                    let dy = yc - e.y;
                    if dy.abs() >= e.reach || e.amp <= 0.0 {
                        continue;
                    }
                    let half = (e.reach * e.reach - dy * dy).sqrt();
                    let c_lo = ((e.x - half - x0) / cs).ceil().max(0.0);
                    let c_hi = ((e.x + half - x0) / cs).floor().min(w as f64 - 1.0);
                    if c_hi < c_lo {
                        continue;
                    }
                    let wy = e.amp * (-dy * dy * e.inv2s2).exp();
                    let (lo, hi) = (c_lo as usize, c_hi as usize);
                    for (k, cell) in cells[lo..=hi].iter_mut().enumerate() {
                        let dx = x0 + (lo + k) as f64 * cs - e.x;
                        *cell += (wy * (-dx * dx * e.inv2s2).exp()) as f32;
                    }
                }
            });
        self.scratch = scratch;
    }
}

impl PuffTracker {
    /// Stops the source at model time `t_s` (puffs already released keep moving).
    pub fn stop_release_at(&mut self, t_s: f64) {
        self.release = self.release.stopped_at(t_s);
    }

    /// The current 3-D shape of every puff (read-only, oldest first): each puff's
    /// concentration is `M/((2π)^{3/2} σh² σz) e^{−r²/2σh²} [e^{−(z−H)²/2σz²} + e^{−(z+H)²/2σz²}]`
    /// with `H` = [`PuffShape::height_m`] (0 for a dense ground-hugging puff, whose
    /// ground-reflected layer this formula reproduces). Used to integrate a cloud's mass
    /// between concentration bounds (flammable mass of a cloud at ignition).
    pub fn puff_shapes(&self) -> Vec<PuffShape> {
        let (st, tr) = (self.config.stability, self.config.terrain);
        self.puffs
            .iter()
            .map(|p| {
                let dense = match (self.dense, p.dense) {
                    (Some(d), Some(tag)) => {
                        let speed = self.wind_factor() * tag.u10_m_s;
                        d.sigmas(&tag, p.travel_m, p.mass_kg, speed, st, tr)
                    }
                    _ => None,
                };
                let (sh, sz, h) = match dense {
                    Some((sh, sz)) => (sh, sz, 0.0),
                    None => {
                        let (sh, sz) = briggs_sigmas(st, tr, p.travel_m);
                        (sh, sz, self.config.release_height_m)
                    }
                };
                PuffShape {
                    x: p.x,
                    y: p.y,
                    mass_kg: p.mass_kg,
                    sigma_h_m: sh,
                    sigma_z_m: sz,
                    height_m: h,
                }
            })
            .collect()
    }
}

/// The 3-D Gaussian shape of one puff (see [`PuffTracker::puff_shapes`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PuffShape {
    /// Centre x (east), m.
    pub x: f64,
    /// Centre y (north), m.
    pub y: f64,
    /// Mass, kg.
    pub mass_kg: f64,
    /// Horizontal σ, m.
    pub sigma_h_m: f64,
    /// Vertical σ, m.
    pub sigma_z_m: f64,
    /// Effective centre height (ground reflection about z = 0), m.
    pub height_m: f64,
}

impl PuffShape {
    /// Concentration (kg/m³) of this puff at (x, y, z).
    pub fn concentration_at(&self, x: f64, y: f64, z: f64) -> f64 {
        let (sh, sz) = (self.sigma_h_m.max(1e-9), self.sigma_z_m.max(1e-9));
        let r2 = (x - self.x).powi(2) + (y - self.y).powi(2);
        let vert = (-(z - self.height_m).powi(2) / (2.0 * sz * sz)).exp()
            + (-(z + self.height_m).powi(2) / (2.0 * sz * sz)).exp();
        self.mass_kg / ((2.0 * std::f64::consts::PI).powf(1.5) * sh * sh * sz)
            * (-r2 / (2.0 * sh * sh)).exp()
            * vert
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::GridSpec;

    fn cfg() -> PuffConfig {
        PuffConfig {
            source_xy_m: [0.0, 0.0],
            release_height_m: 0.0,
            stability: Stability::D,
            terrain: Terrain::Rural,
            emit_interval_s: 2.0,
            initial_sigma_m: 2.0,
        }
    }

    #[test]
    fn field_integrates_to_released_mass() {
        // Ground-level field × (σz-integral) is hard to check; instead check that the
        // column integral ∫∫∫C dV of one puff equals its mass (z from 0 to ∞ ⇒ factor 1).
        let mut t = PuffTracker::new(cfg(), Release::Instantaneous { mass_kg: 10.0 }).unwrap();
        t.advance(60.0, |_, _, _| (3.0, 0.0));
        let spec = GridSpec {
            width: 200,
            height: 200,
            cell_size: 2.0,
            origin: [0.0, -200.0],
        };
        let mut total = 0.0;
        for k in 0..100 {
            let z = (f64::from(k) + 0.5) * 0.5;
            let mut g = Grid::filled(spec, 0.0f32);
            t.concentration_field(z, &mut g);
            total += g.data().iter().map(|&v| f64::from(v)).sum::<f64>() * 4.0 * 0.5;
        }
        assert!((total - 10.0).abs() < 0.1, "{total}");
    }

    #[test]
    fn merging_keeps_mass_and_field() {
        // A 2 h release: merging must keep the released mass exactly and the far-field
        // concentration within 2 % of the sum of unmerged puffs (analytic Gaussian sum).
        let mut t = PuffTracker::new(
            cfg(),
            Release::Continuous {
                rate_kg_s: 1.0,
                duration_s: 7200.0,
            },
        )
        .unwrap();
        t.advance(7200.0, |_, _, _| (2.0, 0.0));
        let mass: f64 = t.puffs().iter().map(|p| p.mass_kg).sum();
        assert!((mass - 7200.0).abs() < 1e-6);
        assert!(t.puffs().len() < 3600 / 2, "{} puffs", t.puffs().len());
        // Steady Gaussian plume at 2 km (D, rural, wind at 0 m height = 10 m wind × (1/10)^0.15).
        let u = 2.0 * 0.1f64.powf(0.15);
        let plume = super::super::plume::GaussianPlume::new(
            1.0,
            u,
            0.0,
            Stability::D,
            Terrain::Rural,
            None,
        )
        .unwrap();
        let c_plume = plume.concentration(2000.0, 0.0, 1.5);
        let c = t.concentration_at(2000.0, 0.0, 1.5);
        assert!((c / c_plume - 1.0).abs() < 0.03, "{c} vs {c_plume}");
    }

    #[test]
    fn thread_count_does_not_change_bits() {
        let mut t = PuffTracker::new(
            cfg(),
            Release::Continuous {
                rate_kg_s: 1.0,
                duration_s: 300.0,
            },
        )
        .unwrap();
        t.advance(200.0, |x, _, _| (3.0, 0.5 + 1e-3 * x));
        let spec = GridSpec {
            width: 97,
            height: 83,
            cell_size: 7.0,
            origin: [-50.0, -300.0],
        };
        let mut a = Grid::filled(spec, 0.0f32);
        let mut b = Grid::filled(spec, 0.0f32);
        rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| t.concentration_field(1.5, &mut a));
        rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap()
            .install(|| t.concentration_field(1.5, &mut b));
        assert!(
            a.data()
                .iter()
                .zip(b.data())
                .all(|(x, y)| x.to_bits() == y.to_bits())
        );
        assert!(a.data().iter().any(|&v| v > 0.0));
    }

    #[test]
    fn puff_shapes_reproduce_the_tracker_concentration() {
        // Same Gaussian formula evaluated two ways (tracker sum vs shapes). The tracker
        // drops puffs beyond 4.5 σ (< 4e-5 of a puff's peak), the shapes do not: 1e-4.
        let mut c = cfg();
        c.release_height_m = 2.0;
        let mut t = PuffTracker::new(
            c,
            Release::Continuous {
                rate_kg_s: 1.0,
                duration_s: 100.0,
            },
        )
        .unwrap();
        t.advance(120.0, |_, _, _| (3.0, 0.0));
        let shapes = t.puff_shapes();
        assert_eq!(shapes.len(), t.puffs().len());
        for (x, y, z) in [(100.0, 0.0, 1.5), (250.0, 5.0, 0.0), (300.0, -10.0, 4.0)] {
            let a = t.concentration_at(x, y, z);
            let b: f64 = shapes.iter().map(|s| s.concentration_at(x, y, z)).sum();
            assert!(a > 0.0 && (a / b - 1.0).abs() < 1e-4, "{a} vs {b}");
        }
    }
}
