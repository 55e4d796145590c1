//! Exposure and casualties of people and responders, accumulated along the path each
//! group or team actually took (every piece of path a tick crossed, with its time).
//!
//! ## Model
//! - **Toxic**: toxic load ∫Cⁿdt per released chemical with the probit
//!   `Pr = a + b ln(∫Cⁿdt)` (C mg/m³, t min; TNO Purple Book CPR 18E §5). Indoors the
//!   breathed concentration follows `dCi/dt = λ(Co − Ci)` (Wilson 1987); a responder
//!   breathes C / APF of the respirator (OSHA 29 CFR 1910.134). *Injured* are those whose
//!   load reached the load of the chemical's AEGL-2 held for 60 min, minus the dead.
//! - **Flood**: mortality of people who stay in flooded buildings by the Jonkman (2007)
//!   function for the "remaining zone", F(h) = Φ((ln h − 7.60) / 2.75), h in m, and F = 1
//!   in the breach zone (h·v ≥ 7 m²/s and v ≥ 2 m/s). It is applied to the largest depth
//!   a group met. People are counted *in danger* when the FD2320 hazard rating
//!   HR = d(v + 0.5) + DF reached 1.25 ("danger for most").
//! - **Wildland fire**: thermal dose ∫I^(4/3)dt while in a burning cell with the flame's
//!   emissive power taken as 100 kW/m² (assumed, the order measured at wildland flame
//!   fronts), and the Eisenberg et al. (1975) probit `Pr = −14.9 + 2.56 ln(∫I^(4/3)dt)`
//!   (I kW/m², t s).
//!
//! Expected values: fatalities = people × P. Under Monte Carlo the batch layer samples
//! from these probabilities.
//!
//! ## Units
//! kg/m³ in code, mg/m³ and min inside the probits; depth m; time s.
//!
//! ## References
//! - TNO (1999), Guidelines for quantitative risk assessment (Purple Book), CPR 18E.
//! - Wilson, D. J. (1987), Stay indoors or evacuate to avoid exposure to toxic gas?
//! - Jonkman, S. N. (2007), Loss of life estimation in flood risk assessment, PhD
//!   thesis, TU Delft, ch. 7 (mortality functions).
//! - Defra/EA (2006), FD2320/TR2 Flood risks to people, Phase 2 — hazard rating.
//! - Eisenberg, N. A., Lynch, C. J., Breeding, R. J. (1975), Vulnerability model,
//!   CG-D-136-75, US Coast Guard.

use serde::{Deserialize, Serialize};

use super::view::HazardView;
use crate::hazards::chemicals::ToxicProbit;
use crate::hazards::gas::erf;
use crate::hazards::gas::toxic::{probit_to_probability, toxic_probit};

/// Toxic load of one chemical breathed by one group or team.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Dose {
    /// Breathed concentration now, kg/m³.
    pub c_kg_m3: f64,
    /// Peak breathed concentration, kg/m³.
    pub peak_kg_m3: f64,
    /// Toxic load, (mg/m³)ⁿ·min.
    pub load: f64,
}

impl Dose {
    /// Breathes outdoor concentration `c_out` (the mean over the piece of path) for `dt`
    /// s, indoors with `ach` air changes per hour or outdoors (`None`).
    pub fn breathe(&mut self, c_out: f64, dt: f64, ach: Option<f64>, n: f64) {
        let c_out = c_out.max(0.0);
        match ach {
            Some(ach) => {
                let c1 = c_out + (self.c_kg_m3 - c_out) * (-ach / 3600.0 * dt).exp();
                let (a, b) = ((self.c_kg_m3 * 1e6).powf(n), (c1 * 1e6).powf(n));
                self.load += 0.5 * (a + b) * dt / 60.0;
                self.c_kg_m3 = c1;
            }
            None => {
                self.load += (c_out * 1e6).powf(n) * dt / 60.0;
                self.c_kg_m3 = c_out;
            }
        }
        self.peak_kg_m3 = self.peak_kg_m3.max(self.c_kg_m3);
    }
}

/// Emissive power of wildland flames used for people caught in a burning cell, W/m².
pub const FIRE_EMISSIVE_W_M2: f64 = 100_000.0;

/// Toxic data of one release needed for casualties.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ToxicData {
    /// Probit, if published.
    pub probit: Option<ToxicProbit>,
    /// Probit exponent n (1 when no probit).
    pub n: f64,
    /// AEGL-2 (or the middle level), kg/m³; infinite if none.
    pub injury_kg_m3: f64,
    /// Least severe level (AEGL-1), kg/m³: people are warned when it reaches them.
    pub warn_kg_m3: f64,
}

impl ToxicData {
    /// Load of the injury level held for 60 min, (mg/m³)ⁿ·min.
    pub fn injury_load(&self) -> f64 {
        if self.injury_kg_m3.is_finite() {
            (self.injury_kg_m3 * 1e6).powf(self.n) * 60.0
        } else {
            f64::INFINITY
        }
    }
}

/// Accumulated exposure of one group or team.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Exposure {
    /// One dose per release (same order as the view's gas layers).
    pub toxic: Vec<Dose>,
    /// Largest water depth met, m.
    pub max_depth_m: f64,
    /// Largest hazard rating met.
    pub max_hr: f64,
    /// Water depth × speed at the largest depth, m²/s.
    pub max_hv: f64,
    /// Speed at the largest depth, m/s.
    pub v_at_max_m_s: f64,
    /// Thermal dose ∫I^(4/3)dt, (kW/m²)^(4/3)·s.
    pub thermal_dose: f64,
}

/// Where the exposed are.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Setting {
    /// Indoor air changes per hour (`None` = outdoors).
    pub ach: Option<f64>,
    /// Respirator protection factor (1 for the public).
    pub apf: f64,
    /// Counts flood depth (false for people on upper floors or in boats).
    pub flood: bool,
}

/// FD2320 hazard rating for depth `d` and speed `v`.
pub fn hazard_rating(d: f64, v: f64) -> f64 {
    let df = if d > 0.25 || v > 2.0 { 1.0 } else { 0.0 };
    if d <= 0.0 { 0.0 } else { d * (v + 0.5) + df }
}

/// Jonkman (2007) flood mortality for depth `h` and speed `v`.
pub fn flood_mortality(h: f64, v: f64) -> f64 {
    if h <= 0.0 {
        return 0.0;
    }
    if h * v >= 7.0 && v >= 2.0 {
        return 1.0;
    }
    let z = (h.ln() - 7.60) / 2.75;
    0.5 * (1.0 + erf(z / std::f64::consts::SQRT_2))
}

impl Exposure {
    /// Adds the path pieces `samples` (cell, seconds) under the hazards of `view`, with
    /// flood speeds `speed(cell)`.
    pub fn accumulate(
        &mut self,
        samples: &[(u32, f64)],
        view: &HazardView<'_>,
        toxic: &[ToxicData],
        setting: Setting,
        speed: impl Fn(usize) -> f64,
    ) {
        let layers = view.gas.len().min(toxic.len());
        if self.toxic.len() < layers {
            self.toxic.resize(layers, Dose::default());
        }
        for &(cell, dt) in samples {
            let i = cell as usize;
            for ((d, g), t) in self.toxic.iter_mut().zip(&view.gas).zip(toxic) {
                let c = g.field.get(i).map_or(0.0, |&c| f64::from(c)) / setting.apf;
                d.breathe(c, dt, setting.ach, t.n);
            }
            if setting.flood {
                let d = view.depth(i);
                if d > 0.0 {
                    let v = speed(i);
                    self.max_hr = self.max_hr.max(hazard_rating(d, v));
                    if d > self.max_depth_m {
                        self.max_depth_m = d;
                        self.v_at_max_m_s = v;
                    }
                    self.max_hv = self.max_hv.max(d * v);
                }
            }
            if view.burning(i) {
                self.thermal_dose += dt * (FIRE_EMISSIVE_W_M2 / 1000.0).powf(4.0 / 3.0);
            }
        }
    }

    /// Probability of death from the toxic loads (independent causes combined).
    pub fn toxic_lethality(&self, toxic: &[ToxicData]) -> f64 {
        let mut survive = 1.0;
        for (r, t) in self.toxic.iter().zip(toxic) {
            if let Some(p) = &t.probit {
                survive *= 1.0 - probit_to_probability(toxic_probit(p, r.load));
            }
        }
        1.0 - survive
    }

    /// Probability of an injury (AEGL-2 load reached) from any chemical.
    pub fn toxic_injury(&self, toxic: &[ToxicData]) -> f64 {
        let hit = self
            .toxic
            .iter()
            .zip(toxic)
            .any(|(r, t)| r.load >= t.injury_load());
        if hit { 1.0 } else { 0.0 }
    }

    /// Probability of death by drowning.
    pub fn flood_lethality(&self) -> f64 {
        if self.max_hv >= 7.0 && self.v_at_max_m_s >= 2.0 {
            return 1.0;
        }
        flood_mortality(self.max_depth_m, self.v_at_max_m_s)
    }

    /// Probability of death by fire.
    pub fn fire_lethality(&self) -> f64 {
        if self.thermal_dose <= 0.0 {
            return 0.0;
        }
        probit_to_probability(-14.9 + 2.56 * self.thermal_dose.ln())
    }
}

/// Expected casualties of a group by cause.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Casualties {
    /// Toxic fatalities.
    pub toxic_dead: f64,
    /// Toxic injuries.
    pub toxic_injured: f64,
    /// Flood fatalities.
    pub flood_dead: f64,
    /// Fire fatalities.
    pub fire_dead: f64,
}

impl Casualties {
    /// Expected casualties of `people` with exposure `e`.
    pub fn of(people: f64, e: &Exposure, toxic: &[ToxicData]) -> Self {
        let pt = e.toxic_lethality(toxic);
        let pf = e.flood_lethality();
        let pb = e.fire_lethality();
        Self {
            toxic_dead: people * pt,
            toxic_injured: people * (e.toxic_injury(toxic) - pt).max(0.0),
            flood_dead: people * (1.0 - pt) * pf,
            fire_dead: people * (1.0 - pt) * (1.0 - pf) * pb,
        }
    }

    /// All fatalities.
    pub fn dead(&self) -> f64 {
        self.toxic_dead + self.flood_dead + self.fire_dead
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agents::view::GasLayer;

    #[test]
    fn jonkman_remaining_zone_values() {
        // Jonkman (2007): F(h) = Φ((ln h − 7.60)/2.75). By hand: h = 1 m → Φ(−2.7636) =
        // 0.00286; h = 5 m → Φ(−2.1784) = 0.01469. Tolerance 2 % (erf approximation).
        assert!((flood_mortality(1.0, 0.0) / 0.002858 - 1.0).abs() < 0.02);
        assert!((flood_mortality(5.0, 0.0) / 0.014688 - 1.0).abs() < 0.02);
        assert_eq!(flood_mortality(4.0, 2.0), 1.0); // h·v = 8 ≥ 7, v ≥ 2: breach zone
    }

    #[test]
    fn hazard_rating_fd2320() {
        // FD2320: d = 0.5 m, v = 1 m/s → 0.5·1.5 + 1 = 1.75; d = 0.2, v = 0.5 → 0.2.
        assert!((hazard_rating(0.5, 1.0) - 1.75).abs() < 1e-12);
        assert!((hazard_rating(0.2, 0.5) - 0.2).abs() < 1e-12);
    }

    /// A walk across a strip of constant concentration: the load is Cⁿ·(time in strip).
    #[test]
    fn load_along_a_path_equals_the_integral() {
        let field = vec![0.0f32, 2e-3, 2e-3, 2e-3, 0.0];
        let view = HazardView {
            gas: vec![GasLayer {
                field: &field,
                limit_kg_m3: 1e-3,
            }],
            ..HazardView::default()
        };
        let toxic = [ToxicData {
            probit: None,
            n: 2.0,
            injury_kg_m3: 1e-3,
            warn_kg_m3: 1e-4,
        }];
        let mut e = Exposure::default();
        // 10 m cells, walking 1 m/s: 10 s in each cell.
        let samples: Vec<(u32, f64)> = (0..5).map(|c| (c, 10.0)).collect();
        let setting = Setting {
            ach: None,
            apf: 1.0,
            flood: false,
        };
        e.accumulate(&samples, &view, &toxic, setting, |_| 0.0);
        // Hand integral: 2e-3 kg/m³ = 2000 mg/m³ for 30 s (three cells × 10 s):
        // 2000² × 30 / 60 = 2e6 (mg/m³)²·min, with the field's f32 value of 2e-3.
        // Tolerance 1e-9 relative: a few f64 operations.
        let c = f64::from(2e-3f32) * 1e6;
        let expect = c * c * 30.0 / 60.0;
        assert!(
            (e.toxic[0].load / expect - 1.0).abs() < 1e-9,
            "{}",
            e.toxic[0].load
        );
        // The AEGL-2 load is 1000² × 60 = 6e7 > 2e6: not injured.
        assert_eq!(e.toxic_injury(&toxic), 0.0);
    }

    #[test]
    fn respirator_divides_the_breathed_concentration() {
        let field = vec![1e-2f32];
        let view = HazardView {
            gas: vec![GasLayer {
                field: &field,
                limit_kg_m3: 1e-3,
            }],
            ..HazardView::default()
        };
        let toxic = [ToxicData {
            probit: None,
            n: 1.0,
            injury_kg_m3: 1e-3,
            warn_kg_m3: 1e-4,
        }];
        let mut bare = Exposure::default();
        let mut scba = Exposure::default();
        for (e, apf) in [(&mut bare, 1.0), (&mut scba, 10_000.0)] {
            let s = Setting {
                ach: None,
                apf,
                flood: false,
            };
            e.accumulate(&[(0, 1e-9), (0, 600.0)], &view, &toxic, s, |_| 0.0);
        }
        assert!((bare.toxic[0].load / scba.toxic[0].load - 10_000.0).abs() < 1e-6);
    }
}
