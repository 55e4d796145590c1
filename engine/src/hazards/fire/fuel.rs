//! Surface fuel models (Anderson 13, Scott & Burgan 40, custom) and their loader.
//!
//! ## Model
//! A fuel model is a static description of a surface fuel bed for the Rothermel (1972)
//! spread model: oven-dry loads of five particle classes (1-h, 10-h, 100-h dead, live
//! herbaceous, live woody), their surface-area-to-volume ratios, bed depth, dead moisture of
//! extinction and heat content. Dynamic models move cured herbaceous load to the dead class
//! (see [`super::rothermel`]).
//!
//! ## Units
//! The asset file keeps the published English units (t/ac, 1/ft, ft, %, Btu/lb) so that it
//! can be checked line by line against the tables; [`FuelModel`] holds SI (kg/m², 1/m, m,
//! fraction, J/kg), converted once at load time.
//!
//! ## Assumptions
//! The 10-h and 100-h SAV ratios are the standard 109 and 30 1/ft (Anderson 1982). Codes are
//! matched case-insensitively. Custom models may not reuse a code already loaded.
//!
//! ## References
//! - Anderson, H.E. 1982. Aids to determining fuel models for estimating fire behavior.
//!   USDA For. Serv. Gen. Tech. Rep. INT-122.
//! - Scott, J.H.; Burgan, R.E. 2005. Standard fire behavior fuel models. USDA For. Serv.
//!   Gen. Tech. Rep. RMRS-GTR-153.

use crate::scenario::diagnostic::edit_distance;
use serde::{Deserialize, Serialize};

use super::error::FireError;

/// 1 US ton per acre in kg/m² (2000 lb / 43 560 ft²).
pub const T_AC_TO_KG_M2: f64 = 2000.0 / 43_560.0 * LB_FT2_TO_KG_M2;
/// 1 lb/ft² in kg/m².
pub const LB_FT2_TO_KG_M2: f64 = 0.453_592_37 / (0.3048 * 0.3048);
/// Metres per foot.
pub const FT: f64 = 0.3048;
/// 1 Btu/lb in J/kg.
pub const BTU_LB_TO_J_KG: f64 = 2326.0;
/// Standard SAV of 10-h fuel, 1/ft (Anderson 1982).
pub const SAV_10H_PER_FT: f64 = 109.0;
/// Standard SAV of 100-h fuel, 1/ft (Anderson 1982).
pub const SAV_100H_PER_FT: f64 = 30.0;

const BUILTIN_RON: &str = include_str!("../../../../assets/fuel_models.ron");

/// A fuel model record as written in `assets/fuel_models.ron` (published English units).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FuelModelRecord {
    /// Short code, e.g. `GR2`.
    pub code: String,
    /// Standard number (1–13, 91–204), or any number for custom models.
    pub number: u16,
    /// Descriptive name.
    pub name: String,
    /// Citation of the parameters.
    #[serde(default)]
    pub source: String,
    /// Dynamic herbaceous load transfer (Scott & Burgan 2005).
    pub dynamic: bool,
    /// Loads (1-h, 10-h, 100-h, live herb, live woody) in t/ac.
    pub loads_t_ac: (f64, f64, f64, f64, f64),
    /// SAV of 1-h dead fuel, 1/ft.
    pub sav_1h_per_ft: f64,
    /// SAV of live herbaceous fuel, 1/ft.
    pub sav_herb_per_ft: f64,
    /// SAV of live woody fuel, 1/ft.
    pub sav_woody_per_ft: f64,
    /// Fuel bed depth, ft.
    pub depth_ft: f64,
    /// Dead fuel moisture of extinction, %.
    pub mx_dead_pct: f64,
    /// Heat content of dead and live fuel, Btu/lb.
    pub heat_btu_lb: f64,
}

/// The file format: a list of records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FuelModelFile {
    /// The models.
    pub models: Vec<FuelModelRecord>,
}

/// Index of the five particle classes in [`FuelModel`] arrays.
pub mod class {
    /// 1-h dead.
    pub const D1: usize = 0;
    /// 10-h dead.
    pub const D10: usize = 1;
    /// 100-h dead.
    pub const D100: usize = 2;
    /// Live herbaceous.
    pub const HERB: usize = 3;
    /// Live woody.
    pub const WOODY: usize = 4;
}

/// A surface fuel model in SI units.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FuelModel {
    /// Short code, e.g. `GR2`.
    pub code: String,
    /// Standard number.
    pub number: u16,
    /// Descriptive name.
    pub name: String,
    /// Dynamic herbaceous load transfer.
    pub dynamic: bool,
    /// Oven-dry loads per class (see [`class`]), kg/m².
    pub load_kg_m2: [f64; 5],
    /// Surface-area-to-volume ratio per class, 1/m.
    pub sav_per_m: [f64; 5],
    /// Fuel bed depth, m.
    pub depth_m: f64,
    /// Dead fuel moisture of extinction, fraction of oven-dry mass.
    pub mx_dead: f64,
    /// Heat content of dead fuel, J/kg.
    pub heat_dead_j_kg: f64,
    /// Heat content of live fuel, J/kg.
    pub heat_live_j_kg: f64,
}

impl FuelModel {
    /// True when the model carries any fuel (NB models do not).
    pub fn is_burnable(&self) -> bool {
        self.load_kg_m2.iter().sum::<f64>() > 0.0 && self.depth_m > 0.0
    }

    /// Converts a published record to SI, checking its values.
    pub fn from_record(r: &FuelModelRecord) -> Result<Self, FireError> {
        let (d1, d10, d100, h, w) = r.loads_t_ac;
        let loads = [d1, d10, d100, h, w];
        let bad = |what: &str| {
            Err(FireError::InvalidInput(format!(
                "fuel model {}: {what}",
                r.code
            )))
        };
        if r.code.trim().is_empty() {
            return bad("empty code");
        }
        if loads.iter().any(|l| !(l.is_finite() && *l >= 0.0)) {
            return bad("loads must be finite and ≥ 0 t/ac");
        }
        let savs = [r.sav_1h_per_ft, r.sav_herb_per_ft, r.sav_woody_per_ft];
        if savs.iter().any(|s| !(s.is_finite() && *s > 0.0)) {
            return bad("SAV ratios must be > 0 1/ft");
        }
        if !(r.depth_ft.is_finite() && r.depth_ft > 0.0) {
            return bad("depth must be > 0 ft");
        }
        if !(r.mx_dead_pct.is_finite() && r.mx_dead_pct > 0.0 && r.mx_dead_pct <= 100.0) {
            return bad("dead moisture of extinction must be in (0, 100] %");
        }
        if !(r.heat_btu_lb.is_finite() && r.heat_btu_lb > 0.0) {
            return bad("heat content must be > 0 Btu/lb");
        }
        let per_m = |s: f64| s / FT;
        Ok(Self {
            code: r.code.trim().to_owned(),
            number: r.number,
            name: r.name.clone(),
            dynamic: r.dynamic,
            load_kg_m2: loads.map(|l| l * T_AC_TO_KG_M2),
            sav_per_m: [
                per_m(r.sav_1h_per_ft),
                per_m(SAV_10H_PER_FT),
                per_m(SAV_100H_PER_FT),
                per_m(r.sav_herb_per_ft),
                per_m(r.sav_woody_per_ft),
            ],
            depth_m: r.depth_ft * FT,
            mx_dead: r.mx_dead_pct / 100.0,
            heat_dead_j_kg: r.heat_btu_lb * BTU_LB_TO_J_KG,
            heat_live_j_kg: r.heat_btu_lb * BTU_LB_TO_J_KG,
        })
    }
}

/// An ordered catalogue of fuel models (lookup by code; deterministic order of insertion).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FuelCatalog {
    models: Vec<FuelModel>,
}

impl FuelCatalog {
    /// The 53 standard models plus 5 non-burnable ones from `assets/fuel_models.ron`.
    pub fn load_builtin() -> Result<Self, FireError> {
        let mut c = Self { models: Vec::new() };
        c.add_ron(BUILTIN_RON, "assets/fuel_models.ron")?;
        Ok(c)
    }

    /// Adds the models of a RON file (same format as the asset); returns how many were
    /// added. A code that already exists is an error.
    pub fn add_ron(&mut self, text: &str, what: &str) -> Result<usize, FireError> {
        let file: FuelModelFile = ron::from_str(text).map_err(|e| FireError::Parse {
            what: what.to_owned(),
            message: e.to_string(),
        })?;
        let n = file.models.len();
        for r in &file.models {
            self.add(FuelModel::from_record(r)?)?;
        }
        Ok(n)
    }

    /// Adds one model; a code that already exists is an error.
    pub fn add(&mut self, model: FuelModel) -> Result<usize, FireError> {
        if self.index_of(&model.code).is_some() {
            return Err(FireError::InvalidInput(format!(
                "fuel model code `{}` is already defined",
                model.code
            )));
        }
        if self.models.len() >= usize::from(u16::MAX) {
            return Err(FireError::InvalidInput("too many fuel models".into()));
        }
        self.models.push(model);
        Ok(self.models.len() - 1)
    }

    /// All models in order.
    pub fn models(&self) -> &[FuelModel] {
        &self.models
    }

    /// Position of a code (case-insensitive).
    pub fn index_of(&self, code: &str) -> Option<usize> {
        let code = code.trim();
        self.models
            .iter()
            .position(|m| m.code.eq_ignore_ascii_case(code))
    }

    /// The model with this code, or an error listing close codes.
    pub fn get(&self, code: &str) -> Result<&FuelModel, FireError> {
        match self.index_of(code) {
            Some(i) => Ok(&self.models[i]),
            None => Err(FireError::UnknownFuel {
                code: code.to_owned(),
                suggestions: self.close_codes(code),
            }),
        }
    }

    /// Model at a catalogue index.
    pub fn by_index(&self, i: usize) -> Option<&FuelModel> {
        self.models.get(i)
    }

    /// Up to five codes within edit distance 2 of `code` (or sharing its first letters).
    pub fn close_codes(&self, code: &str) -> Vec<String> {
        let q = code.trim().to_ascii_uppercase();
        let mut scored: Vec<(usize, usize, &str)> = self
            .models
            .iter()
            .enumerate()
            .map(|(i, m)| {
                (
                    edit_distance(&q, &m.code.to_ascii_uppercase()),
                    i,
                    m.code.as_str(),
                )
            })
            .filter(|(d, _, _)| *d <= 2)
            .collect();
        scored.sort_unstable();
        scored
            .into_iter()
            .take(5)
            .map(|(_, _, c)| c.to_owned())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_has_all_standard_models() {
        let c = FuelCatalog::load_builtin().unwrap();
        // 13 Anderson + 40 Scott & Burgan burnable + 5 non-burnable.
        assert_eq!(c.models().len(), 58);
        let burnable = c.models().iter().filter(|m| m.is_burnable()).count();
        assert_eq!(burnable, 53);
        for code in [
            "FM1", "fm13", "GR2", "GS4", "SH9", "TU5", "TL9", "SB4", "NB8",
        ] {
            assert!(c.get(code).is_ok(), "{code}");
        }
        // Published GR6 heat content is 9000 Btu/lb (Scott & Burgan 2005, Table 7).
        let gr6 = c.get("GR6").unwrap();
        assert!((gr6.heat_dead_j_kg - 9000.0 * 2326.0).abs() < 1e-6);
    }

    #[test]
    fn unknown_code_suggests_neighbours() {
        let c = FuelCatalog::load_builtin().unwrap();
        let e = c.get("GR22").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("GR2"), "{msg}");
    }

    #[test]
    fn custom_models_are_added_and_duplicates_refused() {
        let mut c = FuelCatalog::load_builtin().unwrap();
        let text = r#"FuelModelFile(models: [(code: "X1", number: 250, name: "test", dynamic: false,
            loads_t_ac: (1.0, 0.0, 0.0, 0.0, 0.0), sav_1h_per_ft: 2000.0, sav_herb_per_ft: 1500.0,
            sav_woody_per_ft: 1500.0, depth_ft: 1.0, mx_dead_pct: 20.0, heat_btu_lb: 8000.0)])"#;
        assert_eq!(c.add_ron(text, "custom").unwrap(), 1);
        assert!(c.get("x1").is_ok());
        assert!(c.add_ron(text, "custom").is_err());
        assert!(
            c.add_ron("FuelModelFile(models: [(code: 1)])", "bad")
                .is_err()
        );
    }
}
