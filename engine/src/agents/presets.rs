//! Team types ("presets"): crew, speeds, protective equipment, capabilities and
//! equipment of the response units a scenario can name (`preset: "hazmat_team"`).
//!
//! ## Model
//! A team is one unit (vehicle or boat with its crew). Its limits decide where it can go:
//! - road vehicles stop where water on the road is deeper than `max_wading_depth_m`;
//!   below it their speed falls with depth by the depth–disruption function of
//!   Pregnolato et al. (2017): v(d) = 0.0009 d² − 0.5529 d + 86.9448 km/h (d in mm),
//!   taken as a fraction of the free speed, v(0) = 86.9448 km/h;
//! - boats need water at least `min_boat_depth_m` deep off the road;
//! - no team enters a burning cell; hand crews keep off cells where the flame length
//!   exceeds 1.2 m (4 ft, NWCG: hand crews cannot hold the head above it);
//! - a team enters a gas cloud only while the concentration inside its respirator,
//!   C / APF (assigned protection factor, OSHA 29 CFR 1910.134 Table 1), stays below the
//!   chemical's AEGL-2 (60 min).
//!
//! ## Units
//! Speeds in the asset file are km/h (converted to m/s on load), depths m, volumes L,
//! rates L/s, times h or s as named.
//!
//! ## Assumptions
//! Figures are typical of the unit types named in each preset's `source`; a scenario can
//! override crew and PPE per team and add its own presets file.
//!
//! ## References
//! - Pregnolato, M., Ford, A., Wilkinson, S. M., Dawson, R. J. (2017), The impact of
//!   flooding on road transport: a depth-disruption function, Transportation Research
//!   Part D 55, 67–81.
//! - OSHA 29 CFR 1910.134, Table 1 — Assigned Protection Factors.
//! - NWCG PMS 200, Standards for Interagency Incident Resource Typing (2023): engine,
//!   crew, dozer and water-tender types.
//! - NWCG PMS 410-1, Fireline Handbook (flame-length limits for direct attack).

use serde::{Deserialize, Serialize};

const BUILTIN_RON: &str = include_str!("../../../assets/force_presets.ron");

/// Kind of response unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TeamKind {
    /// Fire and rescue engine.
    FireEngine,
    /// Hazardous-materials team.
    HazmatTeam,
    /// Water-rescue boat team.
    WaterRescue,
    /// Forest-fire hand crew.
    HandCrew,
    /// Dozer.
    Dozer,
    /// Ambulance / medical team.
    Medical,
    /// Search and rescue team.
    SearchRescue,
    /// Engineering / levee team.
    Engineering,
    /// Supply truck.
    SupplyTruck,
    /// Evacuation bus.
    EvacuationBus,
}

/// What a team can do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Capability {
    /// Attack a fire with water.
    FireAttack,
    /// Build fireline by hand or machine.
    Fireline,
    /// Stop a chemical leak (plug, valve, transfer).
    StopLeak,
    /// Decontaminate exposed people.
    Decontaminate,
    /// Rescue people from water by boat.
    WaterRescue,
    /// Rescue trapped people on land.
    Rescue,
    /// Carry casualties to hospital.
    Transport,
    /// Build sandbag walls.
    Sandbag,
    /// Deliver relief supplies.
    Supply,
    /// Move people from vulnerable sites.
    Evacuate,
}

/// Respiratory and skin protection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PpeLevel {
    /// No respirator (APF 1).
    None,
    /// Full-facepiece air-purifying respirator (APF 50).
    AirPurifying,
    /// Pressure-demand self-contained breathing apparatus (APF 10 000).
    Scba,
    /// Fully encapsulating suit with SCBA (EPA Level A; APF 10 000).
    LevelA,
}

impl PpeLevel {
    /// Assigned protection factor (OSHA 29 CFR 1910.134 Table 1).
    pub fn apf(self) -> f64 {
        match self {
            Self::None => 1.0,
            Self::AirPurifying => 50.0,
            Self::Scba | Self::LevelA => 10_000.0,
        }
    }
}

/// One team type as written in the presets file.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamType {
    /// Preset id, e.g. `"hazmat_team"`.
    pub id: String,
    /// Kind of unit.
    pub kind: TeamKind,
    /// Crew size.
    pub crew: u32,
    /// Free speed on roads, km/h (capped by each road's speed).
    pub road_speed_kmh: f64,
    /// Speed off road on foot or tracks, km/h (0 = cannot leave the road).
    pub offroad_speed_kmh: f64,
    /// Speed on flood water by boat, km/h (0 = no boat).
    #[serde(default)]
    pub water_speed_kmh: f64,
    /// Deepest water on a road the vehicle can drive through, m.
    pub max_wading_depth_m: f64,
    /// Least water depth a boat needs, m.
    #[serde(default = "default_boat_depth")]
    pub min_boat_depth_m: f64,
    /// Protective equipment.
    pub ppe: PpeLevel,
    /// What it can do.
    pub capabilities: Vec<Capability>,
    /// Water carried, L.
    #[serde(default)]
    pub water_l: f64,
    /// Pump rate, L/s.
    #[serde(default)]
    pub pump_l_s: f64,
    /// Fuel tank, L.
    #[serde(default = "default_fuel")]
    pub fuel_l: f64,
    /// Fuel use, L/km.
    #[serde(default = "default_fuel_use")]
    pub fuel_l_per_km: f64,
    /// People it can carry besides the crew (boat seats, bus seats, stretchers).
    #[serde(default)]
    pub carry_people: u32,
    /// Time to load or unload one person, s (boats and stretchers about a minute;
    /// buses a few seconds per boarding passenger).
    #[serde(default = "default_load_s")]
    pub load_s_per_person: f64,
    /// Ration packs it can carry.
    #[serde(default)]
    pub cargo_rations: f64,
    /// Sandbags it can place per hour.
    #[serde(default)]
    pub sandbags_h: f64,
    /// Time to stop a leak once on scene, min.
    #[serde(default)]
    pub stop_leak_min: f64,
    /// People it decontaminates per hour.
    #[serde(default)]
    pub decon_people_h: f64,
    /// Fireline resource in `assets/fireline_production.ron` (e.g. `"crew_type1"`).
    #[serde(default)]
    pub fireline_resource: Option<String>,
    /// Shift limit, h; the team returns to base and rests after it.
    pub shift_h: f64,
    /// Where the figures come from.
    pub source: String,
}

fn default_boat_depth() -> f64 {
    0.5
}

fn default_load_s() -> f64 {
    60.0
}

fn default_fuel() -> f64 {
    200.0
}

fn default_fuel_use() -> f64 {
    0.35
}

impl TeamType {
    /// True if the team can do `c`.
    pub fn can(&self, c: Capability) -> bool {
        self.capabilities.contains(&c)
    }

    /// Free road speed, m/s.
    pub fn road_speed_m_s(&self) -> f64 {
        self.road_speed_kmh / 3.6
    }

    fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        for (name, v) in [
            ("road_speed_kmh", self.road_speed_kmh),
            ("offroad_speed_kmh", self.offroad_speed_kmh),
            ("water_speed_kmh", self.water_speed_kmh),
            ("max_wading_depth_m", self.max_wading_depth_m),
            ("min_boat_depth_m", self.min_boat_depth_m),
            ("water_l", self.water_l),
            ("pump_l_s", self.pump_l_s),
            ("fuel_l", self.fuel_l),
            ("fuel_l_per_km", self.fuel_l_per_km),
            ("cargo_rations", self.cargo_rations),
            ("sandbags_h", self.sandbags_h),
            ("stop_leak_min", self.stop_leak_min),
            ("decon_people_h", self.decon_people_h),
            ("load_s_per_person", self.load_s_per_person),
        ] {
            if !v.is_finite() || v < 0.0 {
                p.push(format!("{name} must be a number ≥ 0, found {v}"));
            }
        }
        if !(self.shift_h.is_finite() && self.shift_h > 0.0) {
            p.push(format!("shift_h must be > 0, found {}", self.shift_h));
        }
        if self.crew == 0 {
            p.push("crew must be at least 1".into());
        }
        if self.road_speed_kmh <= 0.0
            && self.offroad_speed_kmh <= 0.0
            && self.water_speed_kmh <= 0.0
        {
            p.push("the team needs a speed > 0 on road, off road or on water".into());
        }
        p
    }
}

/// Why presets could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PresetError {
    /// RON syntax or type error.
    #[error("{what}:{line}:{col}: {message}")]
    Parse {
        /// File name.
        what: String,
        /// Line.
        line: usize,
        /// Column.
        col: usize,
        /// Parser message.
        message: String,
    },
    /// A value is out of range.
    #[error("{what}: preset `{id}`: {message}")]
    Invalid {
        /// File name.
        what: String,
        /// Preset id.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// The file could not be read.
    #[error("cannot read {path}: {message}")]
    Io {
        /// Path.
        path: String,
        /// OS message.
        message: String,
    },
}

/// All known team types, in file order (built-in first).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Presets {
    /// The types.
    pub types: Vec<TeamType>,
}

impl Presets {
    /// The built-in presets of `assets/force_presets.ron`.
    pub fn load_builtin() -> Result<Self, PresetError> {
        let mut p = Self::default();
        p.add_ron(BUILTIN_RON, "assets/force_presets.ron")?;
        Ok(p)
    }

    /// Adds (or replaces by id) the presets of a RON list.
    pub fn add_ron(&mut self, text: &str, what: &str) -> Result<(), PresetError> {
        let list: Vec<TeamType> = ron::from_str(text).map_err(|e| PresetError::Parse {
            what: what.to_owned(),
            line: e.span.start.line,
            col: e.span.start.col,
            message: e.code.to_string(),
        })?;
        for t in list {
            if let Some(m) = t.problems().into_iter().next() {
                return Err(PresetError::Invalid {
                    what: what.to_owned(),
                    id: t.id,
                    message: m,
                });
            }
            match self.types.iter_mut().find(|o| o.id == t.id) {
                Some(o) => *o = t,
                None => self.types.push(t),
            }
        }
        Ok(())
    }

    /// Adds the presets of a file.
    pub fn add_file(&mut self, path: &std::path::Path) -> Result<(), PresetError> {
        let text = std::fs::read_to_string(path).map_err(|e| PresetError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        self.add_ron(&text, &path.display().to_string())
    }

    /// The type with id `id`.
    pub fn get(&self, id: &str) -> Option<&TeamType> {
        self.types.iter().find(|t| t.id == id)
    }

    /// Ids, for hints.
    pub fn ids(&self) -> Vec<&str> {
        self.types.iter().map(|t| t.id.as_str()).collect()
    }
}

/// Fraction of free road speed left at water depth `d_m` on the road (Pregnolato et al.
/// 2017); 0 from 0.3 m.
pub fn flooded_road_speed_factor(d_m: f64) -> f64 {
    let d = (d_m * 1000.0).max(0.0);
    if d >= 300.0 {
        return 0.0;
    }
    let v = 0.0009 * d * d - 0.5529 * d + 86.9448;
    (v / 86.9448).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_presets_load_and_cover_every_kind() {
        let p = Presets::load_builtin().unwrap();
        for k in [
            TeamKind::FireEngine,
            TeamKind::HazmatTeam,
            TeamKind::WaterRescue,
            TeamKind::HandCrew,
            TeamKind::Dozer,
            TeamKind::Medical,
            TeamKind::SearchRescue,
            TeamKind::Engineering,
            TeamKind::SupplyTruck,
            TeamKind::EvacuationBus,
        ] {
            assert!(
                p.types.iter().any(|t| t.kind == k),
                "no preset of kind {k:?}"
            );
        }
    }

    #[test]
    fn pregnolato_depth_disruption_points() {
        // Pregnolato et al. (2017) eq. 1 evaluated by hand: 86.9448 km/h at 0 mm,
        // 9 − 55.29 + 86.9448 = 40.6548 km/h at 100 mm, 56.25 − 138.225 + 86.9448 =
        // 4.9698 km/h at 250 mm; vehicles stop from 300 mm (the paper's threshold).
        // Tolerance 1e-9 km/h: exact arithmetic.
        let v = |d_mm: f64| flooded_road_speed_factor(d_mm / 1000.0) * 86.9448;
        assert!((v(0.0) - 86.9448).abs() < 1e-9);
        assert!((v(100.0) - 40.6548).abs() < 1e-9, "{}", v(100.0));
        assert!((v(250.0) - 4.9698).abs() < 1e-9, "{}", v(250.0));
        assert_eq!(v(300.0), 0.0);
    }

    #[test]
    fn bad_preset_is_reported_with_its_id() {
        let mut p = Presets::default();
        let e = p
            .add_ron(
                r#"[(id: "x", kind: Dozer, crew: 1, road_speed_kmh: -5.0, offroad_speed_kmh: 3.0,
                     max_wading_depth_m: 0.5, ppe: None, capabilities: [], shift_h: 12.0, source: "")]"#,
                "test.ron",
            )
            .unwrap_err();
        assert!(e.to_string().contains("preset `x`: road_speed_kmh"), "{e}");
    }
}
