//! Read-only view of the current hazard fields for viewers (map layers, click details):
//! flood depth, velocity and FD2320 hazard rating; gas concentration per release with
//! its levels of concern; wildland fire arrival time, intensity and burning cells;
//! chemical-fire thermal flux and peak overpressure. Nothing here changes the run: the
//! views borrow the hazard resources of the ECS world and derive values on demand.
//!
//! The hazard rating is `hazards::flood::hazard_rating` (HR = d (v + 0.5) + DF,
//! FD2320/TR2); ppm conversion is `hazards::chemicals::kg_m3_to_ppm` at the release's
//! air temperature (ideal gas, 101 325 Pa).

use crate::Simulation;
use crate::hazards::chem_fire::plugin::ChemFireHazards;
use crate::hazards::chemicals::kg_m3_to_ppm;
use crate::hazards::fire::{FireHazards, FireSim};
use crate::hazards::flood::plugin::FloodHazards;
use crate::hazards::flood::{FloodModel, hazard_rating};
use crate::hazards::gas::plugin::GasHazards;
use crate::hazards::gas::zones::ZoneLevel;
use crate::world::{Grid, GridSpec};

/// All hazard fields of the current moment (borrowed from the simulation).
#[derive(Debug)]
pub struct HazardLayers<'a> {
    /// The terrain grid (the viewer's raster).
    pub grid: GridSpec,
    /// Floods (usually one).
    pub floods: Vec<FloodLayer<'a>>,
    /// Gas releases that have a model.
    pub gas: Vec<GasLayer<'a>>,
    /// Wildland fires.
    pub fires: Vec<FireLayer<'a>>,
    /// Chemical fires and explosions, if the run has any.
    pub chem: Option<ChemLayer<'a>>,
}

/// One flood.
#[derive(Debug, Clone, Copy)]
pub struct FloodLayer<'a> {
    model: &'a FloodModel,
}

impl<'a> FloodLayer<'a> {
    /// Grid of the flood.
    pub fn grid(&self) -> &GridSpec {
        self.model.grid()
    }

    /// Depth, m (row-major, borrowed).
    pub fn depth_m(&self) -> &'a [f32] {
        self.model.depth_slice()
    }

    /// Depth (m), speed (m/s) and hazard rating of flat cell `i` (zeros off the grid).
    pub fn cell(&self, i: usize) -> (f64, f64, f64) {
        let g = self.model.grid();
        if g.width == 0 || i >= g.len() {
            return (0.0, 0.0, 0.0);
        }
        match self.model.cell(i % g.width, i / g.width) {
            Some(s) => {
                let v = s.speed_m_s();
                (s.depth_m, v, hazard_rating(s.depth_m, v))
            }
            None => (0.0, 0.0, 0.0),
        }
    }
}

/// One gas release.
#[derive(Debug, Clone, Copy)]
pub struct GasLayer<'a> {
    /// Release name.
    pub label: &'a str,
    /// Instantaneous concentration, kg/m³.
    pub concentration: &'a Grid<f32>,
    /// Levels of concern (kg/m³), most severe first (e.g. AEGL-3, AEGL-2, AEGL-1).
    pub levels: &'a [ZoneLevel],
    molar_mass_kg_mol: f64,
    air_t_k: f64,
}

impl GasLayer<'_> {
    /// Converts a concentration of this release from kg/m³ to ppm.
    pub fn ppm(&self, c_kg_m3: f64) -> f64 {
        kg_m3_to_ppm(c_kg_m3, self.molar_mass_kg_mol, self.air_t_k)
    }
}

/// One wildland fire.
#[derive(Debug, Clone, Copy)]
pub struct FireLayer<'a> {
    /// Fire id.
    pub id: &'a str,
    sim: &'a FireSim,
    /// Flat indices (in the fire grid) of the cells burning now: the live perimeter.
    pub burning: &'a [u32],
}

impl FireLayer<'_> {
    /// Grid of the fire (may differ from the terrain grid).
    pub fn grid(&self) -> &GridSpec {
        self.sim.spec()
    }

    /// Arrival time of fire-grid cell `i`, s (infinite if not reached).
    pub fn arrival_s(&self, i: usize) -> f64 {
        self.sim.arrival_s(i)
    }

    /// Fireline intensity at arrival of fire-grid cell `i`, kW/m (0 if unburned).
    pub fn intensity_kw_m(&self, i: usize) -> f64 {
        self.sim.intensity_at_kw_m(i)
    }
}

/// Chemical fires and explosions.
#[derive(Debug, Clone, Copy)]
pub struct ChemLayer<'a> {
    /// Thermal flux of the current tick, W/m².
    pub flux_w_m2: &'a Grid<f32>,
    /// Peak side-on overpressure so far, Pa.
    pub overpressure_pa: &'a Grid<f32>,
    hz: &'a ChemFireHazards,
}

/// Fire state of a point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FireState {
    /// No wildland fire here.
    Unburned,
    /// Burning now (arrival time, s; intensity, kW/m).
    Burning(f64, f64),
    /// Burned out (arrival time, s; intensity, kW/m).
    Burned(f64, f64),
}

/// Gas at a point, one per release.
#[derive(Clone, Debug, PartialEq)]
pub struct GasPoint {
    /// Release name.
    pub label: String,
    /// Concentration, ppm.
    pub ppm: f64,
    /// Most severe level exceeded, if any.
    pub level: Option<String>,
}

/// Every hazard value at one point (for a click on the map).
#[derive(Clone, Debug, PartialEq)]
pub struct PointHazards {
    /// Water depth, m (largest over the floods).
    pub depth_m: f64,
    /// Water speed, m/s (of the deepest flood).
    pub speed_m_s: f64,
    /// FD2320 hazard rating.
    pub hazard_rating: f64,
    /// Gas per release.
    pub gas: Vec<GasPoint>,
    /// Wildland fire (the most advanced state over the fires).
    pub fire: FireState,
    /// Thermal flux now, W/m².
    pub flux_w_m2: f64,
    /// Peak overpressure so far, Pa.
    pub overpressure_pa: f64,
}

impl Simulation {
    /// The current hazard fields (read-only borrow of the world).
    pub fn hazard_layers(&self) -> HazardLayers<'_> {
        let world = self.world();
        let floods = world
            .get_resource::<FloodHazards>()
            .map(|f| {
                f.instances
                    .iter()
                    .filter_map(|i| i.model.as_ref())
                    .map(|model| FloodLayer { model })
                    .collect()
            })
            .unwrap_or_default();
        let gas = world
            .get_resource::<GasHazards>()
            .map(|g| {
                g.releases
                    .iter()
                    .filter_map(|r| {
                        let m = r.model.as_ref().ok()?;
                        Some(GasLayer {
                            label: &r.label,
                            concentration: m.concentration(),
                            levels: m.levels(),
                            molar_mass_kg_mol: m.chemical().molar_mass_kg_mol,
                            air_t_k: m.spec().air_t_k.unwrap_or(293.15),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let fires = world
            .get_resource::<FireHazards>()
            .map(|f| {
                f.fires
                    .iter()
                    .map(|fi| FireLayer {
                        id: &fi.id,
                        sim: &fi.sim,
                        burning: &fi.burning,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let chem = world.get_resource::<ChemFireHazards>().map(|hz| ChemLayer {
            flux_w_m2: &hz.flux,
            overpressure_pa: &hz.overpressure,
            hz,
        });
        HazardLayers {
            grid: self.terrain().spec,
            floods,
            gas,
            fires,
            chem,
        }
    }
}

impl HazardLayers<'_> {
    /// Every hazard value at world point (x, y), m.
    pub fn at(&self, x: f64, y: f64) -> PointHazards {
        let (mut depth_m, mut speed_m_s, mut hr) = (0.0, 0.0, 0.0);
        for f in &self.floods {
            if let Some((c, r)) = f.grid().cell_at(x, y) {
                let (d, v, h) = f.cell(f.grid().index(c, r));
                if d > depth_m {
                    (depth_m, speed_m_s, hr) = (d, v, h);
                }
            }
        }
        let gas = self
            .gas
            .iter()
            .map(|g| {
                let c = g.concentration.sample(x, y).map_or(0.0, |&c| f64::from(c));
                GasPoint {
                    label: g.label.to_owned(),
                    ppm: g.ppm(c),
                    level: g
                        .levels
                        .iter()
                        .find(|l| c >= l.threshold)
                        .map(|l| l.name.clone()),
                }
            })
            .collect();
        let mut fire = FireState::Unburned;
        for f in &self.fires {
            let Some((c, r)) = f.grid().cell_at(x, y) else {
                continue;
            };
            let i = f.grid().index(c, r);
            let a = f.arrival_s(i);
            if !a.is_finite() {
                continue;
            }
            let burning = f.burning.contains(&(i as u32));
            let s = if burning {
                FireState::Burning(a, f.intensity_kw_m(i))
            } else {
                FireState::Burned(a, f.intensity_kw_m(i))
            };
            if burning || fire == FireState::Unburned {
                fire = s;
            }
        }
        let (flux_w_m2, overpressure_pa) = self.chem.map_or((0.0, 0.0), |c| {
            (
                c.hz.thermal_flux_at_w_m2(x, y),
                c.hz.overpressure_at_pa(x, y),
            )
        });
        PointHazards {
            depth_m,
            speed_m_s,
            hazard_rating: hr,
            gas,
            fire,
            flux_w_m2,
            overpressure_pa,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{RunConfig, Simulation};

    fn flagship() -> Simulation {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../scenarios/flagship_flood_chlorine.ron"
        );
        Simulation::from_file(std::path::Path::new(path), RunConfig::default()).unwrap()
    }

    #[test]
    fn point_query_agrees_with_the_flood_and_gas_resources() {
        let mut sim = flagship();
        sim.run_until(1800.0);
        let layers = sim.hazard_layers();
        let f = layers.floods[0];
        // The deepest cell: the point query must return its depth and the FD2320
        // rating of its depth and speed (HR = d (v + 0.5) + DF, FD2320/TR2).
        let (i, &d) = f
            .depth_m()
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .unwrap();
        assert!(d > 0.05, "flagship floods within 30 min");
        let g = layers.grid;
        let [x, y] = g.cell_center(i % g.width, i / g.width);
        let p = layers.at(x, y);
        assert!((p.depth_m - f64::from(d)).abs() < 1e-9);
        let df = if p.depth_m > 0.25 || p.speed_m_s > 2.0 {
            1.0
        } else {
            0.0
        };
        let hr = p.depth_m * (p.speed_m_s + 0.5) + df;
        assert!((p.hazard_rating - hr).abs() < 1e-9);
        assert_eq!(p.gas.len(), layers.gas.len());
        assert!(!layers.gas.is_empty(), "flagship has a chlorine release");
        // Off the grid: nothing.
        let off = layers.at(-1e9, -1e9);
        assert_eq!(off.depth_m, 0.0);
        assert!(off.gas.iter().all(|g| g.ppm == 0.0 && g.level.is_none()));
    }
}
