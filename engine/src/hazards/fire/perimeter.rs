//! Fire perimeter at time t: marching squares on the arrival-time raster, rings linked
//! into polygons with holes, exported as GeoJSON.
//!
//! ## Model
//! The burned region at time t is {arrival ≤ t}. Arrival times live at cell centres; the
//! contour arrival = t is traced with the shared marching-squares contourer
//! ([`crate::world::contour`]) on the field t − arrival at level 0, with crossings placed
//! by linear interpolation of arrival time along lattice edges. Outer rings are
//! counter-clockwise and holes (unburned islands) clockwise.
//!
//! ## Units
//! Coordinates in metres of the grid's CRS; time in s.
//!
//! ## Assumptions
//! Cells outside the grid count as unburned, so rings always close.
//!
//! ## References
//! - Lorensen, W.E.; Cline, H.E. 1987. Marching cubes: a high resolution 3D surface
//!   construction algorithm. SIGGRAPH Comput. Graph. 21(4): 163–169.
//! - Butler, H. et al. 2016. The GeoJSON Format. IETF RFC 7946.

use serde_json::{Value, json};

use super::spread::FireSim;
use crate::world::contour::{polygons_where, signed_area};

/// A polygon: outer ring (counter-clockwise) and holes (clockwise), closed (first point
/// repeated last), coordinates in m.
#[derive(Clone, Debug, PartialEq)]
pub struct Polygon {
    /// Outer ring.
    pub outer: Vec<[f64; 2]>,
    /// Unburned islands.
    pub holes: Vec<Vec<[f64; 2]>>,
}

impl FireSim {
    /// Perimeter polygons of the area burned by time `t_s`.
    pub fn perimeter(&self, t_s: f64) -> Vec<Polygon> {
        let s = *self.spec();
        // Burned by t ⇔ t − arrival ≥ 0; unknown arrival (+∞) gives −∞, outside.
        let value = |c: usize, r: usize| {
            let i = r * s.width + c;
            t_s - self.arrival[i].min(self.tentative[i])
        };
        polygons_where(&s, value, 0.0)
            .into_iter()
            .map(|mut rings| {
                let outer = rings.remove(0);
                Polygon {
                    outer,
                    holes: rings,
                }
            })
            .collect()
    }

    /// The perimeter at `t_s` as a GeoJSON `FeatureCollection` (one `MultiPolygon`
    /// feature with properties `time_s` and `burned_area_m2`).
    pub fn perimeter_geojson(&self, t_s: f64) -> String {
        let polys = self.perimeter(t_s);
        let ring = |r: &Vec<[f64; 2]>| -> Value {
            Value::Array(r.iter().map(|p| json!([p[0], p[1]])).collect())
        };
        let coords: Vec<Value> = polys
            .iter()
            .map(|p| {
                let mut rings = vec![ring(&p.outer)];
                rings.extend(p.holes.iter().map(ring));
                Value::Array(rings)
            })
            .collect();
        let area: f64 = polys
            .iter()
            .map(|p| signed_area(&p.outer) + p.holes.iter().map(|h| signed_area(h)).sum::<f64>())
            .sum();
        json!({
            "type": "FeatureCollection",
            "features": [{
                "type": "Feature",
                "properties": { "time_s": t_s, "burned_area_m2": area },
                "geometry": { "type": "MultiPolygon", "coordinates": coords }
            }]
        })
        .to_string()
    }
}

/// Area enclosed by a polygon with holes, m².
pub fn polygon_area_m2(p: &Polygon) -> f64 {
    signed_area(&p.outer) + p.holes.iter().map(|h| signed_area(h)).sum::<f64>()
}
