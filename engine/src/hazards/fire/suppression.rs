//! Suppression effects on the fire grid: fireline built at production rates by fuel and
//! slope, water drops that wet cells, and the flame-length limits of direct attack.
//!
//! ## Model
//! A resource builds fireline along an ordered list of cells; each cell takes
//! (distance from the previous cell centre) / (rate(fuel, slope, up/down)) to complete,
//! so completion times accumulate along the line. Hand crews and engines have one rate
//! per fuel model (flat ground) times a slope multiplier; dozers have the published rate
//! ranges per fuel-model group, slope class (0–25, 26–40, 41–55, 56–74 %) and direction
//! (up/down slope; the middle of each range is used; > 74 % is unworkable). A step counts
//! as uphill when the direction of work has a component along the cell's upslope
//! direction. A completed line
//! cell stops fire crossing it when the flame length of the approaching fire (in its
//! actual direction of travel) does not exceed the resource's holding limit: 4 ft (1.2 m)
//! for hand line, 8 ft (2.4 m) for engine and dozer line (NWCG hauling chart); hotter
//! fire breaches the line. A water drop makes cells non-burnable until it dries.
//!
//! ## Units
//! Rates in the asset are chains/h (1 ch = 20.1168 m), converted to m/s; times s; slope
//! in percent at the table API; flame length m.
//!
//! ## Assumptions
//! Scott & Burgan models use the rates of their Anderson equivalent carrier. A cell that
//! burns before its line is complete keeps burning (work stops there). What is published
//! and what is provisional is flagged per resource and per dozer row (`verified`) in
//! `assets/fireline_production.ron`: hand-crew rates and Type 3 dozer rates are the
//! published tables; crew/engine slope multipliers, engine rates and most Type 1/2 dozer
//! rows are provisional.
//!
//! ## References
//! - NWCG 2022. Incident Response Pocket Guide, PMS 461: "Sustained line production rates
//!   of 20-person crews" (same table as the Fireline Handbook PMS 410-1, Appendix B), and
//!   the flame-length / attack limits.
//! - NWCG. Dozer typing and "Dozer fireline construction rates (single pass) in chains
//!   per hour" (nwcg.gov, Equipment Technology Committee), after Phillips, C.B.; George,
//!   C.W.; Nelson, D.K. 1988. Bulldozer fireline production rates — 1988 update. USDA For.
//!   Serv. Res. Pap. INT-392.
//! - Broyles, G. 2011. Fireline production rates. USDA For. Serv. SDTDC 1151-1805 (not
//!   used: tables not available to check).

use serde::{Deserialize, Serialize};

use super::error::FireError;
use super::fuel::FuelCatalog;
use super::spread::{FireSim, LINE, NONBURN, WET};

const CHAIN_M: f64 = 20.1168;
const BUILTIN_RON: &str = include_str!("../../../../assets/fireline_production.ron");

/// Published single-pass rates of a group of fuel models by slope class, as (low, high)
/// ranges in chains/h for working up and down slope.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlopeRates {
    /// Anderson fuel models of the row.
    pub models: Vec<u16>,
    /// Whether this row is the published table (false: provisional).
    pub verified: bool,
    /// (low, high) chains/h working upslope, per slope class.
    pub up_ch_h: Vec<(f64, f64)>,
    /// (low, high) chains/h working downslope, per slope class.
    pub down_ch_h: Vec<(f64, f64)>,
}

/// Production rates of one resource kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceRates {
    /// Kind, e.g. `hand_crew_type1`, `engine`, `dozer_type3`.
    pub kind: String,
    /// Flame length up to which its line holds, m.
    pub hold_flame_length_m: f64,
    /// Whether the rates are the cited published table (false: provisional).
    pub verified: bool,
    /// (Anderson fuel model, chains per hour) on flat ground, scaled on slopes by the
    /// table's `slope_multipliers` (crews, engines).
    #[serde(default)]
    pub rates_ch_h: Vec<(u16, f64)>,
    /// Rates by slope class and direction (dozers); when present they replace
    /// `rates_ch_h` and the slope multipliers.
    #[serde(default)]
    pub slope_rates: Vec<SlopeRates>,
}

/// The production table (`assets/fireline_production.ron`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirelineTable {
    /// All resource kinds.
    pub resources: Vec<ResourceRates>,
    /// Upper slope (%) of each class of `SlopeRates`; steeper ground is unworkable.
    pub dozer_slope_classes_pct: Vec<f64>,
    /// (upper slope %, multiplier), ascending, for resources without `slope_rates`.
    pub slope_multipliers: Vec<(f64, f64)>,
}

/// Anderson (1982) equivalent of a Scott & Burgan code by carrier (for production rates).
pub fn anderson_equivalent(code: &str, number: u16) -> u16 {
    if (1..=13).contains(&number) {
        return number;
    }
    let c = code.to_ascii_uppercase();
    let carrier = c.get(..2).unwrap_or("");
    match (carrier, number) {
        ("GR", n) if n >= 104 => 3,
        ("GR", _) => 1,
        ("GS", _) => 2,
        ("SH", n) if n >= 145 => 4,
        ("SH", _) => 5,
        ("TU", _) => 10,
        ("TL", 182 | 186 | 189) => 9,
        ("TL", _) => 8,
        ("SB", n) => 11 + (n.saturating_sub(201) / 2).min(2),
        _ => 1,
    }
}

impl FirelineTable {
    /// The built-in table.
    pub fn load_builtin() -> Result<Self, FireError> {
        Self::from_ron(BUILTIN_RON, "assets/fireline_production.ron")
    }

    /// Parses a table.
    pub fn from_ron(text: &str, what: &str) -> Result<Self, FireError> {
        ron::from_str(text).map_err(|e| FireError::Parse {
            what: what.into(),
            message: e.to_string(),
        })
    }

    /// The rates of `kind`.
    pub fn resource(&self, kind: &str) -> Result<&ResourceRates, FireError> {
        self.resources
            .iter()
            .find(|r| r.kind == kind)
            .ok_or_else(|| {
                let kinds: Vec<&str> = self.resources.iter().map(|r| r.kind.as_str()).collect();
                FireError::InvalidInput(format!(
                    "unknown resource kind `{kind}` (known: {})",
                    kinds.join(", ")
                ))
            })
    }

    /// Line production of `kind` in a fuel model and slope (%), working upslope
    /// (the conservative direction), m/s (0 = cannot work).
    pub fn rate_m_s(
        &self,
        kind: &str,
        code: &str,
        number: u16,
        slope_pct: f64,
    ) -> Result<f64, FireError> {
        self.rate_dir_m_s(kind, code, number, slope_pct, true)
    }

    /// Line production of `kind` in a fuel model and slope (%), working up or down the
    /// slope, m/s (0 = cannot work). Ranged (dozer) rates use the middle of the range.
    pub fn rate_dir_m_s(
        &self,
        kind: &str,
        code: &str,
        number: u16,
        slope_pct: f64,
        uphill: bool,
    ) -> Result<f64, FireError> {
        self.rate_anderson_m_s(kind, anderson_equivalent(code, number), slope_pct, uphill)
    }

    /// Line production of `kind` in Anderson fuel model `fm` (1–13), m/s.
    pub fn rate_anderson_m_s(
        &self,
        kind: &str,
        fm: u16,
        slope_pct: f64,
        uphill: bool,
    ) -> Result<f64, FireError> {
        let r = self.resource(kind)?;
        let slope_pct = if slope_pct.is_finite() {
            slope_pct.abs()
        } else {
            f64::INFINITY
        };
        let ch_h = if r.slope_rates.is_empty() {
            let flat = r
                .rates_ch_h
                .iter()
                .find(|(m, _)| *m == fm)
                .map_or(0.0, |(_, v)| *v);
            let mult = self
                .slope_multipliers
                .iter()
                .find(|(hi, _)| slope_pct <= *hi)
                .map_or(0.0, |(_, m)| *m);
            flat * mult
        } else {
            let class = self
                .dozer_slope_classes_pct
                .iter()
                .position(|hi| slope_pct <= *hi);
            let row = r.slope_rates.iter().find(|row| row.models.contains(&fm));
            match (class, row) {
                (Some(k), Some(row)) => {
                    let ranges = if uphill { &row.up_ch_h } else { &row.down_ch_h };
                    ranges.get(k).map_or(0.0, |(lo, hi)| 0.5 * (lo + hi))
                }
                _ => 0.0,
            }
        };
        Ok(ch_h * CHAIN_M / 3600.0)
    }
}

/// What kind of attack a flame length allows (NWCG hauling chart).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttackClass {
    /// Flame ≤ 4 ft (1.2 m): hand crews can attack the head and hold line.
    HandCrews,
    /// 4–8 ft (1.2–2.4 m): too intense for hand line; engines, dozers, aircraft.
    Mechanized,
    /// > 8 ft (2.4 m): no direct attack on the head; indirect attack and flanks.
    IndirectOnly,
}

/// Attack class for a flame length in m.
pub fn attack_class(flame_length_m: f64) -> AttackClass {
    use super::calc::{DIRECT_ATTACK_LIMIT_M, HAND_CREW_LIMIT_M};
    if flame_length_m <= HAND_CREW_LIMIT_M {
        AttackClass::HandCrews
    } else if flame_length_m <= DIRECT_ATTACK_LIMIT_M {
        AttackClass::Mechanized
    } else {
        AttackClass::IndirectOnly
    }
}

/// Result of a line construction order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinePlan {
    /// (flat cell index, completion time s) for each cell that will be built, in order.
    pub cells: Vec<(u32, f64)>,
    /// Time the whole line is complete, s (or when work stopped).
    pub finish_s: f64,
    /// Index in the requested list where work stopped (unworkable cell), if any.
    pub stopped_at: Option<usize>,
}

impl FireSim {
    /// Orders `kind` to build fireline along `cells` (col, row) starting at `t_start_s`.
    /// Work stops at the first cell the resource cannot work (rate 0, e.g. dozer on a
    /// steep slope, or the cell is already burned). Returns the completion schedule.
    pub fn build_line(
        &mut self,
        cells: &[(usize, usize)],
        kind: &str,
        t_start_s: f64,
        table: &FirelineTable,
        catalog: &FuelCatalog,
    ) -> Result<LinePlan, FireError> {
        let anderson: Vec<u16> = catalog
            .models()
            .iter()
            .map(|m| anderson_equivalent(&m.code, m.number))
            .collect();
        self.build_line_anderson(cells, kind, t_start_s, table, &anderson)
    }

    /// As [`FireSim::build_line`], with the Anderson model of each catalogue index given
    /// directly (`anderson[fuel index]`).
    pub fn build_line_anderson(
        &mut self,
        cells: &[(usize, usize)],
        kind: &str,
        t_start_s: f64,
        table: &FirelineTable,
        anderson: &[u16],
    ) -> Result<LinePlan, FireError> {
        let hold = table.resource(kind)?.hold_flame_length_m;
        let s = *self.spec();
        let mut t = t_start_s;
        let mut plan = LinePlan {
            cells: Vec::with_capacity(cells.len()),
            finish_s: t,
            stopped_at: None,
        };
        let mut prev: Option<[f64; 2]> = None;
        for (k, &(c, r)) in cells.iter().enumerate() {
            if c >= s.width || r >= s.height {
                return Err(FireError::InvalidInput(format!(
                    "line cell ({c}, {r}) is outside the grid"
                )));
            }
            let i = s.index(c, r);
            let fm = *anderson
                .get(usize::from(self.fuel[i]))
                .ok_or_else(|| FireError::InvalidInput("fuel index not in catalogue".into()))?;
            let here = s.cell_center(c, r);
            // Working uphill when the direction of work (from the previous cell, or toward
            // the next one for the first cell) has a component along the upslope
            // direction; a single cell counts as uphill, the slower case.
            let step = match (prev, cells.get(k + 1)) {
                (Some(p), _) => Some([here[0] - p[0], here[1] - p[1]]),
                (None, Some(&(nc, nr))) if nc < s.width && nr < s.height => {
                    let n = s.cell_center(nc, nr);
                    Some([n[0] - here[0], n[1] - here[1]])
                }
                _ => None,
            };
            let uphill = step.is_none_or(|d| {
                d[0] * f64::from(self.up_x[i]) + d[1] * f64::from(self.up_y[i]) >= 0.0
            });
            let rate =
                table.rate_anderson_m_s(kind, fm, f64::from(self.slope[i]) * 100.0, uphill)?;
            let dist = prev.map_or(s.cell_size, |p| (here[0] - p[0]).hypot(here[1] - p[1]));
            prev = Some(here);
            if self.flags[i] & NONBURN != 0 {
                continue; // natural barrier: nothing to build
            }
            if rate <= 0.0 || self.arrival[i] <= t {
                plan.stopped_at = Some(k);
                break;
            }
            t += dist / rate;
            self.flags[i] |= LINE;
            self.line_hold_m[i] = self.line_hold_m[i].max(hold as f32);
            self.line_ready_s[i] = if self.line_hold_m[i] > hold as f32 {
                self.line_ready_s[i].min(t as f32)
            } else {
                t as f32
            };
            plan.cells.push((i as u32, t));
        }
        plan.finish_s = t;
        self.barrier_times
            .extend(plan.cells.iter().map(|&(_, tc)| tc));
        self.dirty = true;
        Ok(plan)
    }

    /// Removes line that is not finished by `t_s` from `cells` (col, row); finished line
    /// stays. Returns the number of cells cancelled.
    pub fn cancel_unfinished_line(&mut self, cells: &[(usize, usize)], t_s: f64) -> usize {
        let s = *self.spec();
        let mut n = 0;
        for &(c, r) in cells {
            if c >= s.width || r >= s.height {
                continue;
            }
            let i = s.index(c, r);
            if self.flags[i] & LINE != 0 && f64::from(self.line_ready_s[i]) > t_s {
                self.flags[i] &= !LINE;
                self.line_hold_m[i] = 0.0;
                self.line_ready_s[i] = 0.0;
                n += 1;
            }
        }
        if n > 0 {
            self.barrier_times.push(t_s);
            self.dirty = true;
        }
        n
    }

    /// A water drop: cells become non-burnable from `t_s` until `t_s + duration_s`.
    pub fn drop_water(
        &mut self,
        cells: &[(usize, usize)],
        t_s: f64,
        duration_s: f64,
    ) -> Result<(), FireError> {
        if !(duration_s.is_finite() && duration_s >= 0.0 && t_s.is_finite()) {
            return Err(FireError::InvalidInput(format!(
                "bad water drop time {t_s} s / duration {duration_s} s"
            )));
        }
        let s = *self.spec();
        for &(c, r) in cells {
            if c >= s.width || r >= s.height {
                return Err(FireError::InvalidInput(format!(
                    "drop cell ({c}, {r}) is outside the grid"
                )));
            }
            let i = s.index(c, r);
            self.flags[i] |= WET;
            self.wet_until_s[i] = self.wet_until_s[i].max((t_s + duration_s) as f32);
        }
        self.barrier_times.push(t_s + duration_s);
        self.dirty = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_cited_crew_rates() {
        // REFERENCES.md (NWCG): FM1 30/18, FM2 24/16, FM4 5/3, FM8 7/5, FM10 6/4 ch/h.
        let t = FirelineTable::load_builtin().unwrap();
        for (fm, a, b) in [
            (1, 30.0, 18.0),
            (2, 24.0, 16.0),
            (4, 5.0, 3.0),
            (8, 7.0, 5.0),
            (10, 6.0, 4.0),
        ] {
            let r1 = t.rate_m_s("hand_crew_type1", "FM", fm, 0.0).unwrap() * 3600.0 / CHAIN_M;
            let r2 = t.rate_m_s("hand_crew_type2", "FM", fm, 0.0).unwrap() * 3600.0 / CHAIN_M;
            assert!((r1 - a).abs() < 1e-9 && (r2 - b).abs() < 1e-9);
        }
        assert_eq!(t.rate_m_s("dozer_type1", "FM1", 1, 80.0).unwrap(), 0.0);
        assert!(t.resource("helicopter").is_err());
        assert_eq!(anderson_equivalent("GR2", 102), 1);
        assert_eq!(anderson_equivalent("TU5", 165), 10);
        // NWCG limits: 4 ft and 8 ft.
        assert_eq!(attack_class(1.2), AttackClass::HandCrews);
        assert_eq!(attack_class(2.0), AttackClass::Mechanized);
        assert_eq!(attack_class(2.5), AttackClass::IndirectOnly);
    }

    use crate::hazards::fire::{FireConfig, FuelMoisture, Landscape, seeded_rng};
    use crate::world::grid::{Grid, GridSpec};

    /// 60×60 grid of 10 m cells in `code`, fire ignited at the south, wind from the south.
    fn setup(code: &str) -> (FireSim, FuelCatalog) {
        let cat = FuelCatalog::load_builtin().unwrap();
        let spec = GridSpec {
            width: 60,
            height: 60,
            cell_size: 10.0,
            origin: [0.0, 0.0],
        };
        let fuel = Grid::filled(spec, cat.index_of(code).unwrap() as u16);
        let land = Landscape {
            fuel,
            elevation_m: None,
            canopy: None,
        };
        let m = FuelMoisture::from_percent(4.0, 5.0, 6.0, 30.0, 60.0);
        let mut sim = FireSim::new(&land, &cat, FireConfig::new(m)).unwrap();
        sim.ignite_cell(30, 50, 0.0).unwrap();
        (sim, cat)
    }

    fn run(sim: &mut FireSim, hours: f64, wind: f64) {
        let mut rng = seeded_rng(0);
        let mut t = sim.time_s();
        while t < hours * 3600.0 {
            sim.advance(t, 120.0, |_, _, _| (wind, 180.0), &mut rng)
                .unwrap();
            t += 120.0;
        }
    }

    fn burned_north_of(sim: &FireSim, row: usize) -> bool {
        (0..60).any(|c| (0..row).any(|r| sim.is_burned(c, r)))
    }

    #[test]
    fn hand_line_holds_a_low_intensity_fire() {
        // Litter fire (FM8), light wind: flames well under 1.2 m; a hand line across the
        // whole grid at row 20 built from t = 0 by a Type 1 crew holds it.
        let (mut sim, cat) = setup("FM8");
        let table = FirelineTable::load_builtin().unwrap();
        let line: Vec<(usize, usize)> = (0..60).map(|c| (c, 20)).collect();
        let plan = sim
            .build_line(&line, "hand_crew_type1", 0.0, &table, &cat)
            .unwrap();
        // 60 cells · 10 m at 7 ch/h (FM8) ≈ 4.3 h of work.
        assert!(
            (plan.finish_s - 600.0 / (7.0 * CHAIN_M / 3600.0)).abs() < 1.0,
            "{}",
            plan.finish_s
        );
        run(&mut sim, 40.0, 2.0);
        assert!(sim.is_burned(30, 25), "fire should reach the line");
        assert!(
            !burned_north_of(&sim, 20),
            "hand line breached by a low-intensity fire"
        );
        let fl = sim.flame_length_m();
        assert!(fl.data().iter().all(|&f| f < 1.2));
    }

    #[test]
    fn hand_line_is_breached_by_flames_above_4_ft() {
        // Grass fire (GR4) in strong wind: flame length > 1.2 m, so hand line does not hold
        // the head, while dozer line (holds ≤ 2.4 m) is judged on its own limit.
        let (mut sim, cat) = setup("GR4");
        let table = FirelineTable::load_builtin().unwrap();
        let line: Vec<(usize, usize)> = (0..60).map(|c| (c, 20)).collect();
        sim.build_line(&line, "hand_crew_type1", -100_000.0, &table, &cat)
            .unwrap();
        run(&mut sim, 2.0, 10.0);
        let head_flame = sim.flame_length_m().get(30, 30).to_owned();
        assert!(head_flame > 1.2, "test needs a hot head fire: {head_flame}");
        assert!(
            burned_north_of(&sim, 20),
            "hand line held a {head_flame} m flame"
        );
    }

    #[test]
    fn water_drop_blocks_until_dry() {
        let (mut sim, _) = setup("GR2");
        let band: Vec<(usize, usize)> = (0..60)
            .flat_map(|c| (18..22).map(move |r| (c, r)))
            .collect();
        sim.drop_water(&band, 0.0, 4.0 * 3600.0).unwrap();
        run(&mut sim, 3.0, 5.0);
        assert!(
            sim.is_burned(30, 25) && !burned_north_of(&sim, 18),
            "wet band crossed"
        );
        run(&mut sim, 8.0, 5.0);
        assert!(
            burned_north_of(&sim, 18),
            "fire did not resume after the drop dried"
        );
    }
}
