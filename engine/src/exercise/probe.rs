//! Reads hazard fields at places for conditions and sensors: the largest value over the
//! cells whose centres lie within a radius of the place (the place's own cell for radius
//! 0). Units are those of [`Field::unit`]; a hazard that is not in the run reads 0.

use bevy_ecs::prelude::*;

use super::spec::Field;
use crate::hazards::chem_fire::plugin::ChemFireHazards;
use crate::hazards::chemicals::kg_m3_to_ppm;
use crate::hazards::fire::plugin::FireHazards;
use crate::hazards::flood::plugin::FloodHazards;
use crate::hazards::gas::plugin::GasHazards;
use crate::world::GridSpec;

/// The hazard resources a probe reads (each absent when the run has no such hazard).
pub struct Fields<'a> {
    /// Grid of the run.
    pub spec: GridSpec,
    /// Run time, s.
    pub t_s: f64,
    /// Floods.
    pub flood: Option<&'a FloodHazards>,
    /// Chemical releases.
    pub gas: Option<&'a GasHazards>,
    /// Wildland fires.
    pub fire: Option<&'a FireHazards>,
    /// Chemical fires and explosions.
    pub chem_fire: Option<&'a ChemFireHazards>,
}

impl<'a> Fields<'a> {
    /// The fields of `world` at run time `t_s`.
    pub fn of(world: &'a World, t_s: f64) -> Self {
        Self {
            spec: world.resource::<crate::world::terrain::Terrain>().spec,
            t_s,
            flood: world.get_resource::<FloodHazards>(),
            gas: world.get_resource::<GasHazards>(),
            fire: world.get_resource::<FireHazards>(),
            chem_fire: world.get_resource::<ChemFireHazards>(),
        }
    }

    /// Value of `field` at the point `(x, y)`.
    pub fn at_point(&self, field: &Field, x: f64, y: f64) -> f64 {
        match field {
            Field::FloodDepth | Field::FloodSpeed | Field::FloodHazardRating => {
                let Some(f) = self.flood else { return 0.0 };
                f.instances
                    .iter()
                    .filter_map(|i| i.model.as_ref()?.sample(x, y))
                    .map(|s| match field {
                        Field::FloodDepth => s.depth_m,
                        Field::FloodSpeed => s.speed_m_s(),
                        _ => s.hazard_rating(),
                    })
                    .fold(0.0, f64::max)
            }
            Field::GasPpm | Field::GasPpmOf(_) => {
                let Some(g) = self.gas else { return 0.0 };
                let only = match field {
                    Field::GasPpmOf(name) => Some(name.as_str()),
                    _ => None,
                };
                g.releases
                    .iter()
                    .filter(|r| only.is_none_or(|n| r.label == n))
                    .filter_map(|r| r.model.as_ref().ok())
                    .map(|m| {
                        let s = m.spec();
                        let c = m.concentration_at(x, y, s.receptor_height_m);
                        kg_m3_to_ppm(
                            c,
                            m.chemical().molar_mass_kg_mol,
                            s.air_t_k.unwrap_or(293.15),
                        )
                    })
                    .fold(0.0, f64::max)
            }
            Field::FireArrived => {
                let Some(f) = self.fire else { return 0.0 };
                let Some((c, r)) = self.spec.cell_at(x, y) else {
                    return 0.0;
                };
                let i = self.spec.index(c, r);
                let arrived = f.fires.iter().any(|fi| fi.sim.arrival_s(i) <= self.t_s);
                if arrived { 1.0 } else { 0.0 }
            }
            Field::ThermalFlux => self
                .chem_fire
                .map_or(0.0, |c| c.thermal_flux_at_w_m2(x, y) / 1000.0),
            Field::Overpressure => self
                .chem_fire
                .map_or(0.0, |c| c.overpressure_at_pa(x, y) / 1000.0),
        }
    }

    /// Largest value of `field` over the cells within `radius_m` of `(x, y)`.
    pub fn max_near(&self, field: &Field, x: f64, y: f64, radius_m: f64) -> f64 {
        let mut best = self.at_point(field, x, y);
        if radius_m <= 0.0 {
            return best;
        }
        let h = self.spec.cell_size;
        let n = (radius_m / h).ceil() as i64;
        for dy in -n..=n {
            for dx in -n..=n {
                let (ox, oy) = (dx as f64 * h, dy as f64 * h);
                if ox.hypot(oy) <= radius_m && (dx, dy) != (0, 0) {
                    best = best.max(self.at_point(field, x + ox, y + oy));
                }
            }
        }
        best
    }
}
