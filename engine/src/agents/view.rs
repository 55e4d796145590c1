//! What agents see of the hazards: a read-only, per-cell view over the flood, gas and
//! fire resources of the tick, and the travel cost of a team through it.
//!
//! Hazard models never import agents; this module reads their public queries only.
//!
//! ## Model
//! A cell is passable for a team unless (see [`super::presets`] for sources):
//! - it is burning now, or burned with a flame length above the team's limit while
//!   still burning (hand crews 1.2 m);
//! - water is deeper than the vehicle's wading depth (on roads) — boats instead need
//!   at least their minimum depth off road;
//! - the gas concentration inside the team's respirator, C / APF, is above the level of
//!   concern the team must stay under (AEGL-2, 60 min, of each released chemical).
//!
//! Road speed in shallow water follows Pregnolato et al. (2017).
//!
//! ## Units
//! Depth m, concentration kg/m³, speeds m/s, times s.

use super::presets::{PpeLevel, TeamType, flooded_road_speed_factor};
use super::roads::{EdgeCells, RoadNetwork};
use super::routing::EdgeCost;
use crate::hazards::fire::plugin::FireHazards;
use crate::hazards::flood::plugin::FloodHazards;
use crate::hazards::gas::plugin::GasHazards;
use crate::world::GridSpec;

/// Concentration field of one release and its limits.
pub struct GasLayer<'a> {
    /// Concentration, kg/m³, per cell.
    pub field: &'a [f32],
    /// Level a team must stay under (AEGL-2 or the middle level), kg/m³; infinite when
    /// the chemical has no levels of concern.
    pub limit_kg_m3: f64,
}

/// The hazards of the tick, cell by cell.
#[derive(Default)]
pub struct HazardView<'a> {
    /// Grid of all layers.
    pub spec: Option<GridSpec>,
    /// Water depth, m, per cell (first flood).
    pub depth: Option<&'a [f32]>,
    /// Gas layers, one per release whose model was built, in scenario order.
    pub gas: Vec<GasLayer<'a>>,
    /// Burning cells now (bit per cell).
    pub burning: Option<&'a [u64]>,
    /// Cells too close to the fire to pass (bit per cell).
    pub danger: Option<&'a [u64]>,
}

/// Bits of burning cells, and of the cells too close to them to pass ("danger"): within
/// four flame lengths of a burning cell (the NWCG safety-zone separation, 4 × flame
/// height; Butler & Cohen 1998), at least one cell. Refreshed each tick.
pub fn burning_mask(
    fires: &FireHazards,
    spec: &GridSpec,
    burning: &mut Vec<u64>,
    danger: &mut Vec<u64>,
) {
    let n = spec.len();
    for m in [&mut *burning, &mut *danger] {
        m.clear();
        m.resize(n.div_ceil(64), 0);
    }
    for f in &fires.fires {
        for &c in &f.burning {
            let c = c as usize;
            if c >= n {
                continue;
            }
            burning[c / 64] |= 1 << (c % 64);
            let reach = 4.0 * f.sim.flame_length_at_m(c);
            let k = (reach / spec.cell_size).ceil().clamp(1.0, 10.0) as i64;
            let (c0, r0) = ((c % spec.width) as i64, (c / spec.width) as i64);
            for dr in -k..=k {
                for dc in -k..=k {
                    let (cc, rr) = (c0 + dc, r0 + dr);
                    if cc < 0 || rr < 0 || cc >= spec.width as i64 || rr >= spec.height as i64 {
                        continue;
                    }
                    if (dc * dc + dr * dr) as f64 > (k * k) as f64 + 0.5 {
                        continue;
                    }
                    let i = spec.index(cc as usize, rr as usize);
                    danger[i / 64] |= 1 << (i % 64);
                }
            }
        }
    }
}

/// The level of concern a team must stay under for a release: the one whose name ends
/// in "-2" (AEGL-2, ERPG-2, PAC-2), else the middle one.
pub fn team_limit(levels: &[crate::hazards::gas::zones::ZoneLevel]) -> Option<f64> {
    levels
        .iter()
        .find(|l| l.name.trim().ends_with("-2"))
        .or_else(|| levels.get(levels.len() / 2))
        .map(|l| l.threshold)
}

impl<'a> HazardView<'a> {
    /// A view of the run's hazard resources.
    pub fn new(
        spec: GridSpec,
        flood: Option<&'a FloodHazards>,
        gas: Option<&'a GasHazards>,
        burning: Option<(&'a [u64], &'a [u64])>,
    ) -> Self {
        let depth = flood
            .and_then(|f| f.first())
            .map(crate::hazards::flood::FloodModel::depth_slice);
        let gas = gas
            .map(|g| {
                g.releases
                    .iter()
                    .filter_map(|r| r.model.as_ref().ok())
                    .map(|m| GasLayer {
                        field: m.concentration().data(),
                        limit_kg_m3: team_limit(m.levels()).unwrap_or(f64::INFINITY),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Self {
            spec: Some(spec),
            depth,
            gas,
            burning: burning.map(|b| b.0),
            danger: burning.map(|b| b.1),
        }
    }

    /// Water depth in cell `i`, m.
    pub fn depth(&self, i: usize) -> f64 {
        self.depth
            .and_then(|d| d.get(i))
            .map_or(0.0, |&d| f64::from(d))
    }

    /// True if cell `i` is burning now.
    pub fn burning(&self, i: usize) -> bool {
        self.burning
            .and_then(|b| b.get(i / 64))
            .is_some_and(|w| w >> (i % 64) & 1 == 1)
    }

    /// True if cell `i` is too close to the fire to pass.
    pub fn near_fire(&self, i: usize) -> bool {
        self.danger
            .or(self.burning)
            .and_then(|b| b.get(i / 64))
            .is_some_and(|w| w >> (i % 64) & 1 == 1)
    }

    /// Largest ratio of the respirator concentration (C / APF) to each release's limit.
    pub fn gas_ratio(&self, i: usize, ppe: PpeLevel) -> f64 {
        let apf = ppe.apf();
        self.gas
            .iter()
            .filter_map(|g| g.field.get(i).map(|&c| f64::from(c) / apf / g.limit_kg_m3))
            .fold(0.0, f64::max)
    }
}

/// How a team moves through a cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Passage {
    /// Cannot enter.
    Blocked,
    /// Speed factor on roads (1 = free speed).
    Road(f64),
}

/// The limits of one team.
#[derive(Clone, Copy, Debug)]
pub struct TeamLimits {
    /// Free road speed, m/s.
    pub road_speed_m_s: f64,
    /// Off-road speed, m/s.
    pub offroad_speed_m_s: f64,
    /// Boat speed on water, m/s (0 = no boat).
    pub water_speed_m_s: f64,
    /// Wading depth, m.
    pub max_wading_depth_m: f64,
    /// Least boat depth, m.
    pub min_boat_depth_m: f64,
    /// Protection.
    pub ppe: PpeLevel,
}

impl TeamLimits {
    /// Limits of a preset with protection `ppe`.
    pub fn of(t: &TeamType, ppe: PpeLevel) -> Self {
        Self {
            road_speed_m_s: t.road_speed_kmh / 3.6,
            offroad_speed_m_s: t.offroad_speed_kmh / 3.6,
            water_speed_m_s: t.water_speed_kmh / 3.6,
            max_wading_depth_m: t.max_wading_depth_m,
            min_boat_depth_m: t.min_boat_depth_m,
            ppe,
        }
    }

    /// Passage through cell `i` on a road.
    pub fn road_cell(&self, view: &HazardView<'_>, i: usize) -> Passage {
        if view.near_fire(i) || view.gas_ratio(i, self.ppe) > 1.0 {
            return Passage::Blocked;
        }
        let d = view.depth(i);
        if d > self.max_wading_depth_m {
            return Passage::Blocked;
        }
        // Pregnolato's curve is for cars; trucks keep the same fraction of their speed.
        let f = flooded_road_speed_factor(d * 0.3 / self.max_wading_depth_m.max(1e-3));
        if f <= 0.0 {
            Passage::Blocked
        } else {
            Passage::Road(f)
        }
    }

    /// Speed off road through cell `i` (on foot, tracks or by boat), m/s; `None` blocked.
    pub fn offroad_speed(&self, view: &HazardView<'_>, i: usize) -> Option<f64> {
        if view.near_fire(i) || view.gas_ratio(i, self.ppe) > 1.0 {
            return None;
        }
        let d = view.depth(i);
        if self.water_speed_m_s > 0.0 && d >= self.min_boat_depth_m {
            return Some(self.water_speed_m_s);
        }
        if d > self.max_wading_depth_m.min(0.5) || self.offroad_speed_m_s <= 0.0 {
            return None;
        }
        Some(self.offroad_speed_m_s)
    }
}

/// Speed factors of road edges already worked out this tick, per kind of team (its
/// wading depth and protection decide the factor): NaN = not yet, negative = blocked.
#[derive(Default)]
pub struct EdgeMemo {
    slots: std::cell::RefCell<Vec<MemoSlot>>,
}

/// Factors of one kind of team: (wading depth bits, protection) and one value per edge.
type MemoSlot = ((u64, PpeLevel), Vec<f32>);

impl EdgeMemo {
    fn get(
        &self,
        lim: &TeamLimits,
        edge: usize,
        n: usize,
        f: impl FnOnce() -> Option<f64>,
    ) -> Option<f64> {
        let key = (lim.max_wading_depth_m.to_bits(), lim.ppe);
        let k = {
            let mut slots = self.slots.borrow_mut();
            match slots.iter().position(|s| s.0 == key) {
                Some(k) => k,
                None => {
                    slots.push((key, vec![f32::NAN; n]));
                    slots.len() - 1
                }
            }
        };
        let v = self.slots.borrow()[k]
            .1
            .get(edge)
            .copied()
            .unwrap_or(f32::NAN);
        if !v.is_nan() {
            return (v >= 0.0).then_some(f64::from(v));
        }
        let r = f().map(|x| x as f32);
        if let Some(slot) = self.slots.borrow_mut()[k].1.get_mut(edge) {
            *slot = r.unwrap_or(-1.0);
        }
        r.map(f64::from)
    }
}

/// Travel cost of a team on the road network under the hazards of the tick.
pub struct TeamCost<'a> {
    /// Hazards.
    pub view: &'a HazardView<'a>,
    /// Cells of each edge.
    pub cells: &'a EdgeCells,
    /// Team limits.
    pub limits: TeamLimits,
    /// Closed edges (bit per edge).
    pub closed: &'a [u64],
    /// Factors worked out earlier in the tick, if shared.
    pub memo: Option<&'a EdgeMemo>,
}

impl TeamCost<'_> {
    /// Speed factor along `edge` (smallest over its cells, rounded to f32 so memoised
    /// and fresh look-ups agree), `None` if blocked.
    pub fn edge_factor(&self, edge: u32) -> Option<f64> {
        match self.memo {
            Some(m) => m.get(&self.limits, edge as usize, self.cells.len(), || {
                self.edge_factor_now(edge)
            }),
            None => self.edge_factor_now(edge).map(|x| f64::from(x as f32)),
        }
    }

    fn edge_factor_now(&self, edge: u32) -> Option<f64> {
        let e = edge as usize;
        if self
            .closed
            .get(e / 64)
            .is_some_and(|w| w >> (e % 64) & 1 == 1)
        {
            return None;
        }
        let mut f = 1.0f64;
        for &c in self.cells.of(edge) {
            match self.limits.road_cell(self.view, c as usize) {
                Passage::Blocked => return None,
                Passage::Road(x) => f = f.min(x),
            }
        }
        Some(f)
    }
}

impl EdgeCost for TeamCost<'_> {
    fn traverse_s(&self, net: &RoadNetwork, edge: u32, _forward: bool) -> Option<f64> {
        if self.limits.road_speed_m_s <= 0.0 {
            return None;
        }
        let e = &net.edges[edge as usize];
        let f = self.edge_factor(edge)?;
        let v = self.limits.road_speed_m_s.min(e.speed_m_s) * f;
        (v > 0.0).then(|| e.length_m / v)
    }

    fn min_s_per_m(&self) -> f64 {
        1.0 / self.limits.road_speed_m_s.max(1e-6)
    }
}
