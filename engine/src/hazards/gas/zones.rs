//! Threat zones: rasters of the highest level of concern exceeded per cell, iso-contour
//! polygons by marching squares, and GeoJSON export.
//!
//! ## Model
//! Marching squares on cell-centre values with linear interpolation along square edges;
//! saddles resolved by the mean of the four corners; the grid is padded with values
//! below every level so all contours close. Rings are classified as outer boundaries or
//! holes by their nesting depth (even = outer) and emitted as GeoJSON MultiPolygons.
//!
//! ## Units
//! Coordinates in the scenario's metric CRS (m); values in the field's unit.
//!
//! ## Assumptions
//! GeoJSON coordinates are the scenario's projected metres (RFC 7946 expects WGS84; the
//! caller reprojects if needed).
//!
//! ## References
//! - Lorensen, W. E., Cline, H. E. (1987), Marching cubes, SIGGRAPH '87 (2D case).
//! - RFC 7946, The GeoJSON Format (2016).

use crate::world::Grid;
pub use crate::world::contour::{contour_polygons, contour_rings};
use serde::{Deserialize, Serialize};

/// A threat level: name and threshold in the field's unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZoneLevel {
    /// e.g. "AEGL-3".
    pub name: String,
    /// Threshold in the field's unit.
    pub threshold: f64,
}

/// Per-cell zone index: 0 where no level is exceeded, else `levels.len() − i` for the
/// most severe exceeded level `i` (`levels` ordered most severe first), so a larger
/// index means a more severe zone.
pub fn zone_raster(field: &Grid<f32>, levels: &[ZoneLevel]) -> Grid<u8> {
    field.map(|&v| {
        let v = f64::from(v);
        let mut z = 0u8;
        for (i, l) in levels.iter().enumerate() {
            if v >= l.threshold {
                z = z.max((levels.len() - i) as u8);
            }
        }
        z
    })
}

/// GeoJSON FeatureCollection text with one MultiPolygon feature per level (properties
/// `name`, `threshold`, plus `unit`).
pub fn zones_geojson(field: &Grid<f32>, levels: &[ZoneLevel], unit: &str) -> String {
    let features: Vec<serde_json::Value> = levels
        .iter()
        .map(|l| {
            let polys = contour_polygons(field, l.threshold);
            serde_json::json!({
                "type": "Feature",
                "properties": { "name": l.name, "threshold": l.threshold, "unit": unit },
                "geometry": { "type": "MultiPolygon", "coordinates": polys },
            })
        })
        .collect();
    serde_json::json!({ "type": "FeatureCollection", "features": features }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::GridSpec;
    use crate::world::contour::signed_area;

    #[test]
    fn circle_contour_has_circle_area() {
        // Field = distance-based cone; the 0.5 contour is a circle of radius 20 m.
        let spec = GridSpec {
            width: 101,
            height: 101,
            cell_size: 1.0,
            origin: [-50.5, -50.5],
        };
        let g = Grid::from_fn(spec, |c, r| {
            let [x, y] = spec.cell_center(c, r);
            (1.0 - (x * x + y * y).sqrt() / 40.0) as f32
        });
        let polys = contour_polygons(&g, 0.5);
        assert_eq!(polys.len(), 1);
        let a = signed_area(&polys[0][0]);
        let expect = std::f64::consts::PI * 400.0;
        assert!((a / expect - 1.0).abs() < 0.01, "{a} vs {expect}");
    }

    #[test]
    fn annulus_gives_a_hole() {
        let spec = GridSpec {
            width: 81,
            height: 81,
            cell_size: 1.0,
            origin: [-40.5, -40.5],
        };
        let g = Grid::from_fn(spec, |c, r| {
            let [x, y] = spec.cell_center(c, r);
            let d = (x * x + y * y).sqrt();
            if (10.0..25.0).contains(&d) { 1.0 } else { 0.0 }
        });
        let polys = contour_polygons(&g, 0.5);
        assert_eq!(polys.len(), 1);
        assert_eq!(polys[0].len(), 2, "outer ring and one hole");
        let json = zones_geojson(
            &g,
            &[ZoneLevel {
                name: "x".into(),
                threshold: 0.5,
            }],
            "1",
        );
        assert!(json.contains("MultiPolygon"));
    }
}
