//! Toxic effects: probit lethality, toxic load ∫Cⁿdt and peak / time-averaged
//! concentration per grid cell and per point receptor, and indoor concentration for
//! shelter in place with a single-zone air-exchange model.
//!
//! ## Model
//! - Probit `Pr = a + b ln(∫ Cⁿ dt)` (C in mg/m³, t in min, TNO Purple Book §5) and
//!   `P = ½ [1 + erf((Pr − 5)/√2)]` (Finney 1971).
//! - Indoor air: `dCi/dt = λ (Co − Ci)`, λ = ACH / 3600 s⁻¹, solved exactly over a step
//!   with Co held constant (Wilson 1987; ALOHA's infiltration model uses the same form).
//! - Load accumulation by the trapezoid rule between field updates.
//!
//! ## Units
//! Concentrations kg/m³ in code (mg/m³ only inside the probit), time s (min in the probit).
//!
//! ## Assumptions
//! Exposure at a fixed height; the building is one well-mixed zone; no deposition indoors.
//!
//! ## References
//! - TNO Purple Book CPR 18E (1999), §5.2 (toxic probits) and App. 6.B (CO example).
//! - Finney, D. J. (1971), Probit Analysis, 3rd ed., Cambridge.
//! - Wilson, D. J. (1987), Stay indoors or evacuate to avoid exposure to toxic gas?,
//!   Emergency Preparedness Digest 14(1), 19–24.

use super::erf;
use crate::hazards::chemicals::ToxicProbit;
use crate::world::{Grid, GridSpec};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Probability (0–1) for a probit value.
pub fn probit_to_probability(pr: f64) -> f64 {
    if pr.is_nan() {
        return 0.0;
    }
    0.5 * (1.0 + erf((pr - 5.0) / std::f64::consts::SQRT_2))
}

/// Probit for a toxic load in (mg/m³)ⁿ·min; −∞ for a zero load.
pub fn toxic_probit(p: &ToxicProbit, load_mg_n_min: f64) -> f64 {
    if load_mg_n_min > 0.0 {
        p.a + p.b * load_mg_n_min.ln()
    } else {
        f64::NEG_INFINITY
    }
}

/// Toxic load (mg/m³)ⁿ·min of a constant concentration `c_kg_m3` for `t_s` seconds.
pub fn constant_load(c_kg_m3: f64, n: f64, t_s: f64) -> f64 {
    (c_kg_m3 * 1e6).max(0.0).powf(n) * t_s / 60.0
}

/// Per-cell exposure accumulators over a run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExposureGrids {
    /// Probit exponent n used for the toxic load.
    pub n: f64,
    /// Peak concentration, kg/m³.
    pub peak: Grid<f32>,
    /// ∫ C dt, kg·s/m³.
    pub integral: Grid<f64>,
    /// ∫ Cⁿ dt, (mg/m³)ⁿ·min.
    pub load: Grid<f64>,
    /// Field at the previous update (for the trapezoid rule).
    last: Grid<f32>,
    /// Accumulated time, s.
    pub time_s: f64,
}

impl ExposureGrids {
    /// Zeroed accumulators on `spec` for probit exponent `n` (use 1 without a probit).
    pub fn new(spec: GridSpec, n: f64) -> Self {
        Self {
            n,
            peak: Grid::filled(spec, 0.0),
            integral: Grid::filled(spec, 0.0),
            load: Grid::filled(spec, 0.0),
            last: Grid::filled(spec, 0.0),
            time_s: 0.0,
        }
    }

    /// Adds the interval `dt_s` ending with concentration field `c` (kg/m³). Rows are
    /// independent, so the result is identical for any thread count.
    pub fn accumulate(&mut self, c: &Grid<f32>, dt_s: f64) {
        let w = c.width().max(1);
        let n = self.n;
        let dt_min = dt_s / 60.0;
        self.peak
            .data_mut()
            .par_chunks_mut(w)
            .zip(self.integral.data_mut().par_chunks_mut(w))
            .zip(self.load.data_mut().par_chunks_mut(w))
            .zip(self.last.data_mut().par_chunks_mut(w))
            .zip(c.data().par_chunks(w))
            .for_each(|((((pk, int), ld), last), cur)| {
                for i in 0..cur.len() {
                    let (c0, c1) = (f64::from(last[i]), f64::from(cur[i]).max(0.0));
                    pk[i] = pk[i].max(c1 as f32);
                    int[i] += 0.5 * (c0 + c1) * dt_s;
                    if c0 > 0.0 || c1 > 0.0 {
                        ld[i] += 0.5 * ((c0 * 1e6).powf(n) + (c1 * 1e6).powf(n)) * dt_min;
                    }
                    last[i] = c1 as f32;
                }
            });
        self.time_s += dt_s;
    }

    /// Mean concentration (kg/m³) over `averaging_s` (the integral divided by it).
    pub fn time_averaged(&self, averaging_s: f64) -> Grid<f32> {
        let t = averaging_s.max(1e-9);
        self.integral.map(|&v| (v / t) as f32)
    }

    /// Lethality (0–1) per cell from the toxic load.
    pub fn lethality(&self, probit: &ToxicProbit) -> Grid<f32> {
        self.load
            .map(|&l| probit_to_probability(toxic_probit(probit, l)) as f32)
    }
}

/// A person or sensor at a fixed point, outdoors or sheltering indoors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Receptor {
    /// Position (x, y), m.
    pub xy_m: [f64; 2],
    /// Height, m.
    pub z_m: f64,
    /// Air changes per hour of the building; `None` = outdoors.
    pub ach: Option<f64>,
    /// Concentration breathed now, kg/m³.
    pub c_kg_m3: f64,
    /// Peak breathed concentration, kg/m³.
    pub peak_kg_m3: f64,
    /// Toxic load, (mg/m³)ⁿ·min.
    pub load: f64,
    /// Probit exponent n.
    pub n: f64,
}

impl Receptor {
    /// A receptor at `xy_m`, height `z_m`, outdoors (`ach = None`) or indoors.
    pub fn new(xy_m: [f64; 2], z_m: f64, ach: Option<f64>, n: f64) -> Self {
        Self {
            xy_m,
            z_m,
            ach,
            c_kg_m3: 0.0,
            peak_kg_m3: 0.0,
            load: 0.0,
            n,
        }
    }

    /// Updates with the outdoor concentration `c_out` (kg/m³) over the next `dt_s`.
    pub fn update(&mut self, c_out: f64, dt_s: f64) {
        let c_out = c_out.max(0.0);
        let c_new = match self.ach {
            Some(ach) if ach >= 0.0 => {
                let k = (-ach / 3600.0 * dt_s).exp();
                c_out + (self.c_kg_m3 - c_out) * k
            }
            _ => c_out,
        };
        let (c0, c1) = (self.c_kg_m3 * 1e6, c_new * 1e6);
        self.load += 0.5 * (c0.powf(self.n) + c1.powf(self.n)) * dt_s / 60.0;
        self.c_kg_m3 = c_new;
        self.peak_kg_m3 = self.peak_kg_m3.max(c_new);
    }

    /// Lethality (0–1) of the accumulated load.
    pub fn lethality(&self, probit: &ToxicProbit) -> f64 {
        probit_to_probability(toxic_probit(probit, self.load))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indoor_concentration_approaches_outdoor_exponentially() {
        // Analytic: Ci(t) = Co (1 − e^{−λt}), λ = 0.5 h⁻¹: after 1 h, Ci/Co = 1 − e^{−0.5}.
        let mut r = Receptor::new([0.0, 0.0], 1.5, Some(0.5), 1.0);
        for _ in 0..60 {
            r.update(1e-3, 60.0);
        }
        let expect = 1e-3 * (1.0 - (-0.5f64).exp());
        assert!((r.c_kg_m3 - expect).abs() < 1e-12);
    }

    #[test]
    fn accumulation_matches_constant_exposure() {
        let spec = GridSpec {
            width: 3,
            height: 2,
            cell_size: 1.0,
            origin: [0.0, 0.0],
        };
        let mut e = ExposureGrids::new(spec, 2.0);
        let c = Grid::filled(spec, 1e-3f32);
        e.accumulate(&c, 1e-9); // step to the constant level
        for _ in 0..30 {
            e.accumulate(&c, 60.0);
        }
        let l = *e.load.get(1, 1);
        let expect = constant_load(f64::from(1e-3f32), 2.0, 1800.0);
        assert!((l / expect - 1.0).abs() < 1e-6, "{l} {expect}");
    }
}
