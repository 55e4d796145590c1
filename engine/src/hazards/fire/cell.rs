//! Per-cell fire behaviour of the grid model (surface + crown spread parameters for the
//! current epoch, ignition bookkeeping, spot fires) and the output rasters. The model,
//! units, assumptions and references are those of [`super::spread`], [`super::crown`] and
//! [`super::spotting`].

use rand_chacha::ChaCha8Rng;

use super::crown::{FireType, crown_fire, rothermel_active_ros_m_s, thomas_flame_length_m};
use super::error::FireError;
use super::rothermel::byram_flame_length_m;
use super::spotting::{SpotSource, sample_spot};
use super::spread::{CellParams, Event, FireSim, NO_EDGE};
use crate::world::grid::Grid;

impl FireSim {
    pub(super) fn flame_from(&self, p: &CellParams, ros: f64) -> f64 {
        let i = f64::from(p.hpa) * ros;
        if p.crown > 0 {
            thomas_flame_length_m(i)
        } else {
            byram_flame_length_m(i)
        }
    }

    #[inline]
    pub(super) fn refresh<W: Fn(f64, f64, f64) -> (f64, f64)>(&mut self, i: usize, wind: &W) {
        if self.params[i].epoch != self.epoch {
            self.params[i] = self.compute_params(i, self.epoch_t, wind);
        }
    }

    /// Fire behaviour of cell `i` at time `t` (not stored).
    pub(super) fn compute_params<W: Fn(f64, f64, f64) -> (f64, f64)>(
        &self,
        i: usize,
        t: f64,
        wind: &W,
    ) -> CellParams {
        let (c, r) = (i % self.spec.width, i / self.spec.width);
        let [x, y] = self.spec.cell_center(c, r);
        let (u20, from) = wind(x, y, t);
        let u20 = if u20.is_finite() { u20.max(0.0) } else { 0.0 };
        let from = if from.is_finite() { from } else { 0.0 };
        let bed = &self.beds[usize::from(self.fuel[i])];
        let mut p = CellParams {
            wind: u20 as f32,
            wind_from: from as f32,
            epoch: self.epoch,
            ..CellParams::default()
        };
        if !bed.burns() {
            return p;
        }
        let slope = f64::from(self.slope[i]);
        let up = f64::from(self.upslope_deg[i]);
        let s = bed.spread_with_limit(
            u20 * f64::from(self.waf[i]),
            from,
            slope,
            up,
            self.config.wind_limit,
        );
        let mut head = s.ros_head_m_s;
        let mut ecc = s.eccentricity;
        let mut hpa = bed.heat_per_unit_area_kj_m2();
        if let Some(cg) = &self.canopy {
            let canopy = cg.at(i);
            if canopy.has_crown_fuel() {
                let active = rothermel_active_ros_m_s(&self.fm10, u20);
                let cf = crown_fire(
                    &s,
                    hpa,
                    &canopy,
                    self.config.foliar_moisture_pct,
                    active,
                    u20,
                );
                if cf.fire_type != FireType::Surface {
                    p.crown = if cf.fire_type == FireType::Active {
                        2
                    } else {
                        1
                    };
                    head = cf.ros_m_s;
                    let lw = cf.length_to_breadth;
                    ecc = (lw * lw - 1.0).max(0.0).sqrt() / lw;
                    hpa = cf.fireline_intensity_kw_m / cf.ros_m_s.max(1e-12);
                }
            }
        }
        // Active crown fire runs downwind: Rothermel's (1991) correlation is for
        // wind-driven crown fire and carries no slope term, so its head points where the
        // wind blows. (The surface head direction may point upslope *into* the wind on lee
        // slopes, where the sheltered midflame wind is weak; using it made an active crown
        // fire back downwind at ~2 % of its rate.)
        let head_az = if p.crown == 2 {
            from + 180.0
        } else {
            s.head_azimuth_deg
        };
        let az = head_az.to_radians();
        p.head = head as f32;
        p.ecc = ecc as f32;
        p.hx = az.sin() as f32;
        p.hy = az.cos() as f32;
        p.hpa = hpa as f32;
        p
    }

    pub(super) fn burn<W: Fn(f64, f64, f64) -> (f64, f64)>(&mut self, i: usize, t: f64, wind: &W) {
        self.arrival[i] = t;
        self.refresh(i, wind);
        let p = self.params[i];
        let ros = match self.via[i] {
            NO_EDGE => f64::from(p.head),
            e => {
                let ed = self.stencil.edges[usize::from(e)];
                p.ros(ed.ux, ed.uy)
            }
        };
        let inten = f64::from(p.hpa) * ros;
        self.intensity[i] = inten as f32;
        self.flame[i] = self.flame_from(&p, ros) as f32;
        self.fire_type[i] = p.crown;
        self.front.push(i as u32);
    }

    pub(super) fn try_spot(&mut self, i: usize, t: f64, rng: &mut ChaCha8Rng) -> Option<u32> {
        let cfg = self.config.spotting.as_ref()?;
        let p = self.params[i];
        let cover = self
            .canopy
            .as_ref()
            .map_or(0.0, |c| f64::from(c.height_m.data()[i]));
        let source = if p.crown > 0 {
            SpotSource::Torching {
                tree_height_m: cover,
            }
        } else {
            SpotSource::Surface {
                flame_length_m: f64::from(self.flame[i]),
            }
        };
        let (dx, dy) = sample_spot(
            cfg,
            source,
            cover,
            f64::from(p.wind),
            f64::from(p.wind_from),
            rng,
        )?;
        let delay = cfg.ignition_delay_s;
        let (c, r) = (i % self.spec.width, i / self.spec.width);
        let [x, y] = self.spec.cell_center(c, r);
        let (tc, tr) = self.spec.cell_at(x + dx, y + dy)?;
        let w = self.spec.index(tc, tr);
        let ts = t + delay;
        if self.arrival[w].is_finite() || self.blocked_now(w, ts) || ts >= self.tentative[w] {
            return None;
        }
        self.tentative[w] = ts;
        self.via[w] = NO_EDGE;
        let ev = Event {
            t: ts,
            idx: w as u32,
        };
        self.heap.push(ev);
        self.spots.push(ev);
        Some(w as u32)
    }

    /// Binary snapshot of the whole state (postcard), for rewind and checkpoints.
    pub fn snapshot(&self) -> Result<Vec<u8>, FireError> {
        postcard::to_allocvec(self).map_err(|e| FireError::Parse {
            what: "fire snapshot".into(),
            message: e.to_string(),
        })
    }

    /// Restores a state written by [`FireSim::snapshot`].
    pub fn restore(bytes: &[u8]) -> Result<Self, FireError> {
        postcard::from_bytes(bytes).map_err(|e| FireError::Parse {
            what: "fire snapshot".into(),
            message: e.to_string(),
        })
    }

    /// Arrival time raster, s (`+∞` where unburned).
    pub fn arrival_time_s(&self) -> Grid<f64> {
        Grid::from_vec(self.spec, self.arrival.clone())
            .unwrap_or_else(|| Grid::filled(self.spec, f64::INFINITY))
    }

    /// Fireline intensity at arrival, kW/m (0 where unburned).
    pub fn fireline_intensity_kw_m(&self) -> Grid<f32> {
        Grid::from_vec(self.spec, self.intensity.clone())
            .unwrap_or_else(|| Grid::filled(self.spec, 0.0))
    }

    /// Flame length at arrival, m (0 where unburned).
    pub fn flame_length_m(&self) -> Grid<f32> {
        Grid::from_vec(self.spec, self.flame.clone())
            .unwrap_or_else(|| Grid::filled(self.spec, 0.0))
    }

    /// Fire type at arrival (0 surface, 1 passive crown, 2 active crown).
    pub fn fire_type(&self) -> Grid<u8> {
        Grid::from_vec(self.spec, self.fire_type.clone())
            .unwrap_or_else(|| Grid::filled(self.spec, 0))
    }

    /// Arrival time of cell (col, row), s (`+∞` if unburned).
    pub fn arrival_at(&self, col: usize, row: usize) -> f64 {
        self.arrival[self.spec.index(col, row)]
    }

    /// True while cell (col, row) is in flaming combustion at time `t_s`: from arrival
    /// for the residence time of its fuel bed (384/σ, Anderson 1969).
    pub fn burning_at(&self, col: usize, row: usize, t_s: f64) -> bool {
        let i = self.spec.index(col, row);
        let a = self.arrival[i];
        let tr = self.beds[usize::from(self.fuel[i])].residence_time_s();
        a <= t_s && t_s < a + tr.max(1.0)
    }

    /// Burned area at the current time, m².
    pub fn burned_area_m2(&self) -> f64 {
        self.arrival.iter().filter(|a| a.is_finite()).count() as f64 * self.spec.cell_area()
    }

    /// True if cell (col, row) has burned.
    pub fn is_burned(&self, col: usize, row: usize) -> bool {
        self.arrival_at(col, row).is_finite()
    }
}
