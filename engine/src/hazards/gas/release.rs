//! A chemical release as one engine hazard: source term → puff dispersion in the
//! scenario's wind → concentration field, exposure (peak, mean, toxic load, lethality),
//! threat zones and events. This is the stateful object the ECS plugin owns; it is
//! `Clone + Serialize + Deserialize` so the engine can snapshot it.
//!
//! ## Model
//! Composition of [`super::source`] / [`super::pool`] (source term), [`super::puff`]
//! (dispersion), [`super::toxic`] (exposure) and [`super::zones`] (threat zones); see
//! those modules.
//!
//! ## Units
//! SI throughout; levels of concern given in ppm are converted to kg/m³ at the air
//! temperature.
//!
//! ## Assumptions
//! Puffs of a near-ground release that meets the Britter–McQuaid density criterion follow
//! the dense-gas workbook correlations until they turn passive ([`super::dense_puff`];
//! `dense_gas: false` forces passive puffs); otherwise Gaussian puffs. A pressurised
//! gas tank leaks at its initial (choked) rate for `duration_s` (conservative). The
//! airborne part of a flashing liquid release is `min(1, 2φ)`; the rest is not pooled.
//!
//! ## References
//! - Jones, R. et al. (2013), ALOHA 5.4.4 Technical Documentation, NOAA (overall design).
//! - See the component modules.

use super::GasError;
use super::calc::LevelPpm;
use super::dense_puff::DenseGas;
use super::pool::{PuddleSpec, simulate_puddle};
use super::puff::{PuffConfig, PuffTracker};
use super::source::{
    LiquidTankLeak, PipelineRupture, Release, airborne_fraction, flash_fraction, gas_orifice_rate,
};
use super::stability::{Stability, Terrain};
use super::toxic::{ExposureGrids, Receptor};
use super::zones::{ZoneLevel, contour_polygons, zone_raster, zones_geojson};
use crate::hazards::chemicals::{Chemical, ChemicalLibrary, P_ATM, ppm_to_kg_m3};
use crate::scenario::problem::{Problem, check_non_negative, check_positive, join};
use crate::world::{Grid, GridSpec};
use serde::{Deserialize, Serialize};

/// Where the released mass comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum SourceSpec {
    /// Gas directly to the air (continuous, instantaneous or time series).
    Direct(Release),
    /// Liquid leaking from a vertical tank; the airborne fraction flashes.
    TankLiquid {
        /// Tank and hole.
        leak: LiquidTankLeak,
        /// Storage temperature, K.
        storage_t_k: f64,
    },
    /// Pressurised gas through a hole at the initial rate for `duration_s`.
    TankGas {
        /// Absolute pressure, Pa.
        pressure_pa: f64,
        /// Temperature, K.
        temperature_k: f64,
        /// Hole area, m².
        hole_area_m2: f64,
        /// Discharge coefficient.
        cd: f64,
        /// Duration, s.
        duration_s: f64,
    },
    /// Full-bore rupture of a gas pipeline.
    Pipeline(PipelineRupture),
    /// Evaporating puddle.
    Puddle(PuddleSpec),
}

/// Scenario description of a `ChemicalRelease(...)` hazard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChemicalReleaseSpec {
    /// Label used in events and output names (default: the chemical's name).
    #[serde(default)]
    pub name: Option<String>,
    /// Chemical name or alias in the library.
    pub chemical: String,
    /// Extra chemical library (RON), path relative to the scenario file; its chemicals
    /// replace built-in ones of the same name.
    #[serde(default)]
    pub library_file: Option<String>,
    /// Source term.
    pub source: SourceSpec,
    /// Source position (x east, y north) in scenario metres.
    pub location_xy_m: [f64; 2],
    /// Release height, m.
    #[serde(default = "default_release_height")]
    pub release_height_m: f64,
    /// Time the release begins, s from the start of the run (of a dormant release: from
    /// the moment an inject or chain link starts it).
    #[serde(default)]
    pub start_s: f64,
    /// Waits for an inject or disaster-chain link to start it (`StartHazard(name)`).
    #[serde(default)]
    pub dormant: bool,
    /// Stability class; `None` takes it from the scenario's weather every tick (a fixed
    /// class or Turner's method).
    #[serde(default)]
    pub stability: Option<Stability>,
    /// Roughness length, m (≥ 0.3 m: urban sigmas).
    #[serde(default = "default_roughness")]
    pub roughness_m: f64,
    /// Height at which concentrations are reported, m (breathing height 1.5 m).
    #[serde(default = "default_receptor_height")]
    pub receptor_height_m: f64,
    /// Averaging time for the mean-concentration field and zones, s (AEGL: 3600 s).
    #[serde(default = "default_averaging")]
    pub averaging_time_s: f64,
    /// Interval between puffs, s.
    #[serde(default = "default_emit_interval")]
    pub emit_interval_s: f64,
    /// Initial puff size, m.
    #[serde(default = "default_initial_sigma")]
    pub initial_sigma_m: f64,
    /// Air temperature, K; `None` takes the scenario's temperature at the release start.
    #[serde(default)]
    pub air_t_k: Option<f64>,
    /// Levels of concern; default: the chemical's levels at 60 min.
    #[serde(default)]
    pub levels: Option<Vec<LevelPpm>>,
    /// Use the Britter–McQuaid dense-gas model for puffs that meet its density criterion
    /// (default true; false: always passive Gaussian puffs).
    #[serde(default = "default_dense_gas")]
    pub dense_gas: bool,
}

fn default_dense_gas() -> bool {
    true
}

fn default_release_height() -> f64 {
    1.0
}
fn default_roughness() -> f64 {
    0.1
}
fn default_receptor_height() -> f64 {
    1.5
}
fn default_averaging() -> f64 {
    3600.0
}
fn default_emit_interval() -> f64 {
    10.0
}
fn default_initial_sigma() -> f64 {
    3.0
}

impl ChemicalReleaseSpec {
    /// Reports out-of-range values under `path` (chemical existence is checked by
    /// [`ChemicalReleaseModel::new`] against the library).
    pub fn check(&self, path: &str, out: &mut Vec<Problem>) {
        let p = |f: &str| join(path, f);
        if self.library_file.is_none()
            && let Ok(lib) = ChemicalLibrary::load_builtin()
            && let Err(e) = lib.find(&self.chemical)
        {
            out.push(Problem::new(
                p("chemical"),
                "a chemical of the built-in library",
                format!("\"{}\"", self.chemical),
                e.to_string(),
            ));
        }
        if let SourceSpec::Direct(r) = &self.source {
            r.check(&join(&p("source"), "Direct"), out);
        }
        check_non_negative(
            out,
            &p("release_height_m"),
            self.release_height_m,
            "m",
            "height above ground",
        );
        check_positive(
            out,
            &p("roughness_m"),
            self.roughness_m,
            "m",
            "0.03 open country, 1 urban",
        );
        check_non_negative(
            out,
            &p("receptor_height_m"),
            self.receptor_height_m,
            "m",
            "e.g. 1.5",
        );
        check_positive(
            out,
            &p("averaging_time_s"),
            self.averaging_time_s,
            "s",
            "e.g. 3600",
        );
        check_positive(
            out,
            &p("emit_interval_s"),
            self.emit_interval_s,
            "s",
            "e.g. 5–20 s",
        );
        check_positive(
            out,
            &p("initial_sigma_m"),
            self.initial_sigma_m,
            "m",
            "source size",
        );
        check_non_negative(out, &p("start_s"), self.start_s, "s", "release start time");
        if let Some(t) = self.air_t_k {
            check_positive(out, &p("air_t_k"), t, "K", "air temperature");
        }
        if let Some(levels) = &self.levels {
            for (i, l) in levels.iter().enumerate() {
                let q = crate::scenario::problem::index(&p("levels"), i);
                check_positive(out, &join(&q, "ppm"), l.ppm, "ppm", "level of concern");
            }
        }
    }
}

/// Something that happened during a step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ChemEvent {
    /// A level of concern was exceeded (mean field) for the first time somewhere.
    LevelFirstExceeded {
        /// Level name.
        level: String,
        /// Model time, s.
        time_s: f64,
        /// Area above the level, m².
        area_m2: f64,
    },
    /// The source stopped releasing.
    ReleaseEnded {
        /// Model time, s.
        time_s: f64,
        /// Total mass released, kg.
        released_kg: f64,
    },
}

/// The running state of one release.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChemicalReleaseModel {
    chemical: Chemical,
    spec: ChemicalReleaseSpec,
    tracker: PuffTracker,
    exposure: ExposureGrids,
    field: Grid<f32>,
    levels: Vec<ZoneLevel>,
    reached: Vec<bool>,
    ended: bool,
    end_s: f64,
    receptors: Vec<Receptor>,
}

fn bad(field: &str, msg: String) -> GasError {
    GasError::Invalid {
        field: field.to_owned(),
        msg,
    }
}

/// Converts a source description into the airborne release profile.
pub fn airborne_release(chem: &Chemical, source: &SourceSpec) -> Result<Release, GasError> {
    Ok(match source {
        SourceSpec::Direct(r) => r.clone(),
        SourceSpec::TankLiquid { leak, storage_t_k } => {
            let f = airborne_fraction(flash_fraction(chem, *storage_t_k));
            match leak.outflow(10.0, 86_400.0)? {
                Release::TimeSeries {
                    times_s,
                    rates_kg_s,
                } => Release::TimeSeries {
                    times_s,
                    rates_kg_s: rates_kg_s.iter().map(|q| q * f).collect(),
                },
                other => other,
            }
        }
        SourceSpec::TankGas {
            pressure_pa,
            temperature_k,
            hole_area_m2,
            cd,
            duration_s,
        } => {
            let (q, _) = gas_orifice_rate(
                *pressure_pa,
                *temperature_k,
                P_ATM,
                *hole_area_m2,
                *cd,
                chem.gamma,
                chem.molar_mass_kg_mol,
            )?;
            Release::Continuous {
                rate_kg_s: q,
                duration_s: *duration_s,
            }
        }
        SourceSpec::Pipeline(p) => p.outflow(chem, 5.0, 3600.0)?,
        SourceSpec::Puddle(p) => simulate_puddle(chem, p, 10.0, 86_400.0)?.vapour,
    })
}

impl ChemicalReleaseModel {
    /// Builds the model on the scenario grid `grid`.
    pub fn new(
        spec: &ChemicalReleaseSpec,
        lib: &ChemicalLibrary,
        grid: GridSpec,
    ) -> Result<Self, GasError> {
        let chemical = lib
            .find(&spec.chemical)
            .map_err(|e| bad("chemical", e.to_string()))?
            .clone();
        let mut problems = Vec::new();
        spec.check("", &mut problems);
        if let Some(p) = problems.first() {
            return Err(bad(
                &p.path,
                format!("expected {}, found {}", p.expected, p.found),
            ));
        }
        let release = airborne_release(&chemical, &spec.source)?;
        let end_s = release.end_s();
        let mut tracker = PuffTracker::new(
            PuffConfig {
                source_xy_m: spec.location_xy_m,
                release_height_m: spec.release_height_m,
                stability: spec.stability.unwrap_or(Stability::D),
                terrain: Terrain::from_roughness(spec.roughness_m),
                emit_interval_s: spec.emit_interval_s,
                initial_sigma_m: spec.initial_sigma_m,
            },
            release,
        )?;
        let air_t_k = spec.air_t_k.unwrap_or(293.15);
        tracker.set_dense(
            spec.dense_gas
                .then(|| DenseGas::for_chemical(&chemical, air_t_k)),
        );
        let ppm: Vec<(String, f64)> = match &spec.levels {
            Some(l) => l.iter().map(|l| (l.name.clone(), l.ppm)).collect(),
            None => chemical.default_levels_ppm(),
        };
        let levels: Vec<ZoneLevel> = ppm
            .into_iter()
            .map(|(name, v)| ZoneLevel {
                name,
                threshold: ppm_to_kg_m3(v, chemical.molar_mass_kg_mol, air_t_k),
            })
            .collect();
        let n = chemical
            .toxicity
            .as_ref()
            .and_then(|t| t.probit)
            .map_or(1.0, |p| p.n);
        Ok(Self {
            reached: vec![false; levels.len()],
            levels,
            exposure: ExposureGrids::new(grid, n),
            field: Grid::filled(grid, 0.0),
            tracker,
            chemical,
            spec: spec.clone(),
            ended: false,
            end_s,
            receptors: Vec::new(),
        })
    }

    /// Advances from model time `t_s` (must equal [`Self::time_s`]; otherwise the step
    /// is skipped and nothing is returned) by `dt_s` in `wind(x, y, t) -> (u, v)` at 10 m.
    /// Updates the field, exposure and receptors and returns the events of the step.
    pub fn advance(
        &mut self,
        t_s: f64,
        dt_s: f64,
        wind: impl Fn(f64, f64, f64) -> (f64, f64),
    ) -> Vec<ChemEvent> {
        let mut events = Vec::new();
        if (t_s - self.tracker.time_s()).abs() > 1e-6 || !(dt_s.is_finite() && dt_s > 0.0) {
            return events;
        }
        self.tracker.advance(dt_s, &wind);
        let z = self.spec.receptor_height_m;
        self.tracker.concentration_field(z, &mut self.field);
        self.exposure.accumulate(&self.field, dt_s);
        for r in &mut self.receptors {
            let c = self.tracker.concentration_at(r.xy_m[0], r.xy_m[1], r.z_m);
            r.update(c, dt_s);
        }
        let now = self.tracker.time_s();
        // Mean over the averaging time = ∫C dt / T, compared cell by cell without
        // building the mean grid (no per-step allocation); the f32 rounding matches
        // `time_averaged`, so events agree with the zone rasters.
        let avg = self.spec.averaging_time_s.max(1e-9);
        let integral = &self.exposure.integral;
        let cell_area = integral.spec().cell_area();
        for (i, l) in self.levels.iter().enumerate() {
            if self.reached[i] {
                continue;
            }
            let cells = integral
                .data()
                .iter()
                .filter(|&&v| f64::from((v / avg) as f32) >= l.threshold)
                .count();
            if cells > 0 {
                self.reached[i] = true;
                events.push(ChemEvent::LevelFirstExceeded {
                    level: l.name.clone(),
                    time_s: now,
                    area_m2: cells as f64 * cell_area,
                });
            }
        }
        if !self.ended && now >= self.release_end_s() {
            self.ended = true;
            events.push(ChemEvent::ReleaseEnded {
                time_s: now,
                released_kg: self.tracker.released_kg(),
            });
        }
        events
    }

    fn release_end_s(&self) -> f64 {
        self.end_s
    }

    /// Sets the stability class used from now on (the scenario's weather may change it
    /// between ticks; puff sizes follow the new class at their travelled distance).
    pub fn set_stability(&mut self, stability: Stability) {
        self.tracker.set_stability(stability);
    }

    /// The spec this model was built from.
    pub fn spec(&self) -> &ChemicalReleaseSpec {
        &self.spec
    }

    /// Model time at which the source stops releasing, s.
    pub fn release_end_time_s(&self) -> f64 {
        self.release_end_s()
    }

    /// Adds a point receptor (person/sensor); returns its index.
    pub fn add_receptor(&mut self, xy_m: [f64; 2], z_m: f64, ach: Option<f64>) -> usize {
        self.receptors
            .push(Receptor::new(xy_m, z_m, ach, self.exposure.n));
        self.receptors.len() - 1
    }

    /// Moves receptor `i` (people walking an evacuation path).
    pub fn move_receptor(&mut self, i: usize, xy_m: [f64; 2]) {
        if let Some(r) = self.receptors.get_mut(i) {
            r.xy_m = xy_m;
        }
    }

    /// The receptors.
    pub fn receptors(&self) -> &[Receptor] {
        &self.receptors
    }
    /// Model time, s.
    pub fn time_s(&self) -> f64 {
        self.tracker.time_s()
    }
    /// The chemical.
    pub fn chemical(&self) -> &Chemical {
        &self.chemical
    }
    /// The puff state.
    pub fn tracker(&self) -> &PuffTracker {
        &self.tracker
    }
    /// Instantaneous concentration at the receptor height, kg/m³.
    pub fn concentration(&self) -> &Grid<f32> {
        &self.field
    }
    /// Peak concentration so far, kg/m³.
    pub fn peak(&self) -> &Grid<f32> {
        &self.exposure.peak
    }
    /// Exposure accumulators (∫C dt, toxic load).
    pub fn exposure(&self) -> &ExposureGrids {
        &self.exposure
    }
    /// Mean concentration over the averaging time, kg/m³.
    pub fn time_averaged(&self) -> Grid<f32> {
        self.exposure.time_averaged(self.spec.averaging_time_s)
    }
    /// Lethality 0–1 per cell, if the chemical has a probit.
    pub fn lethality(&self) -> Option<Grid<f32>> {
        let p = self.chemical.toxicity.as_ref()?.probit?;
        Some(self.exposure.lethality(&p))
    }
    /// The threat levels (kg/m³), most severe first.
    pub fn levels(&self) -> &[ZoneLevel] {
        &self.levels
    }
    /// Threat-zone raster of the mean field (0 = none, larger = more severe).
    pub fn zones(&self) -> Grid<u8> {
        zone_raster(&self.time_averaged(), &self.levels)
    }
    /// Threat-zone polygons of level `i` of the mean field.
    pub fn zone_polygons(&self, i: usize) -> Vec<Vec<Vec<[f64; 2]>>> {
        self.levels
            .get(i)
            .map(|l| contour_polygons(&self.time_averaged(), l.threshold))
            .unwrap_or_default()
    }
    /// Threat zones of the mean field as GeoJSON text.
    pub fn zones_geojson(&self) -> String {
        zones_geojson(&self.time_averaged(), &self.levels, "kg/m3")
    }
}

impl ChemicalReleaseModel {
    /// Seals the leak at model time `t_s` (a response team stopped it): the source
    /// releases nothing after it; the cloud already released disperses as before.
    pub fn stop_source_at(&mut self, t_s: f64) {
        self.tracker.stop_release_at(t_s);
        self.end_s = self.end_s.min(t_s.max(self.tracker.time_s()));
    }

    /// Concentration, kg/m³, at world point `(x, y)` and height `z_m` now.
    pub fn concentration_at(&self, x: f64, y: f64, z_m: f64) -> f64 {
        self.tracker.concentration_at(x, y, z_m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> ChemicalReleaseSpec {
        ChemicalReleaseSpec {
            name: None,
            chemical: "chlorine".into(),
            library_file: None,
            source: SourceSpec::Direct(Release::Continuous {
                rate_kg_s: 2.0,
                duration_s: 600.0,
            }),
            location_xy_m: [0.0, 0.0],
            release_height_m: 1.0,
            start_s: 0.0,
            dormant: false,
            stability: Some(Stability::D),
            roughness_m: 0.03,
            receptor_height_m: 1.5,
            averaging_time_s: 3600.0,
            emit_interval_s: 10.0,
            initial_sigma_m: 5.0,
            air_t_k: Some(293.15),
            levels: None,
            dense_gas: true,
        }
    }

    fn grid() -> GridSpec {
        GridSpec {
            width: 120,
            height: 60,
            cell_size: 25.0,
            origin: [-500.0, -750.0],
        }
    }

    #[test]
    fn events_receptors_and_snapshot_continuation() {
        let lib = ChemicalLibrary::load_builtin().unwrap();
        let mut m = ChemicalReleaseModel::new(&spec(), &lib, grid()).unwrap();
        let outdoor = m.add_receptor([500.0, 0.0], 1.5, None);
        let indoor = m.add_receptor([500.0, 0.0], 1.5, Some(0.5));
        let wind = |_: f64, _: f64, _: f64| (3.0, 0.0);
        let mut events = Vec::new();
        for k in 0..30 {
            events.extend(m.advance(f64::from(k) * 30.0, 30.0, wind));
        }
        assert!(
            events
                .iter()
                .any(|e| matches!(e, ChemEvent::LevelFirstExceeded { .. }))
        );
        assert!(
            events
                .iter()
                .any(|e| matches!(e, ChemEvent::ReleaseEnded { .. }))
        );
        let r = m.receptors();
        assert!(r[indoor].load < r[outdoor].load && r[indoor].load > 0.0);
        // A snapshot (serde round trip) continues bit-identically.
        let json = serde_json::to_string(&m).unwrap();
        let mut copy: ChemicalReleaseModel = serde_json::from_str(&json).unwrap();
        for k in 30..40 {
            m.advance(f64::from(k) * 30.0, 30.0, wind);
            copy.advance(f64::from(k) * 30.0, 30.0, wind);
        }
        assert_eq!(m.concentration().data(), copy.concentration().data());
        assert!(m.zones_geojson().contains("AEGL-3"));
        assert!(m.lethality().is_some());
    }

    #[test]
    fn unknown_chemical_and_bad_values_are_errors() {
        let lib = ChemicalLibrary::load_builtin().unwrap();
        let mut s = spec();
        s.chemical = "chlorene".into();
        let e = ChemicalReleaseModel::new(&s, &lib, grid())
            .unwrap_err()
            .to_string();
        assert!(e.contains("chlorine"), "{e}");
        let mut s = spec();
        s.emit_interval_s = 0.0;
        assert!(ChemicalReleaseModel::new(&s, &lib, grid()).is_err());
    }
}
