//! GeoJSON import of road networks: a FeatureCollection of LineString / MultiLineString
//! features in the grid's metric CRS, split into edges at shared vertices.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{RoadClass, RoadEdge, RoadError, RoadNetwork, RoadNode};
use crate::world::GridSpec;

impl RoadNetwork {
    /// Reads a GeoJSON FeatureCollection of LineString / MultiLineString roads in the
    /// grid's metric CRS. Optional properties: `class` or `highway`, `speed_kmh`, `lanes`,
    /// `oneway` (`true`/`"yes"`/`"-1"` for reversed), `name`. Other properties are ignored.
    pub fn from_geojson(text: &str, spec: &GridSpec) -> Result<RoadNetwork, RoadError> {
        let root: Value = serde_json::from_str(text).map_err(|e| {
            RoadError::new(
                None,
                "a GeoJSON document",
                format!("invalid JSON ({e})"),
                "check the file is GeoJSON (export roads as GeoJSON, not Shapefile or KML)",
            )
        })?;
        let kind = root.get("type").and_then(Value::as_str);
        let Some(features) = root
            .get("features")
            .and_then(Value::as_array)
            .filter(|_| kind == Some("FeatureCollection"))
        else {
            return Err(RoadError::new(
                None,
                "a GeoJSON FeatureCollection",
                format!("type {}", kind.unwrap_or("(none)")),
                "wrap the roads in {\"type\": \"FeatureCollection\", \"features\": [...]}",
            ));
        };
        let mut lines = Vec::new();
        for (i, f) in features.iter().enumerate() {
            let (parts, props) = parse_feature(i, f)?;
            for coords in parts {
                lines.push((i, coords, props.clone()));
            }
        }
        if lines.is_empty() {
            return Err(RoadError::new(
                None,
                "at least one LineString feature",
                "none",
                "add road features to the FeatureCollection",
            ));
        }
        check_inside(&lines, spec)?;
        Ok(build_from_lines(&lines))
    }
}

/// Attributes of one GeoJSON road feature.
#[derive(Clone, Debug)]
struct Props {
    class: RoadClass,
    speed_m_s: Option<f64>,
    lanes: Option<u8>,
    oneway: i8,
    name: String,
}

type Line = (usize, Vec<[f64; 2]>, Props);

type Parts = Vec<Vec<[f64; 2]>>;

fn parse_feature(i: usize, f: &Value) -> Result<(Parts, Props), RoadError> {
    let err = |expected: &str, found: &dyn std::fmt::Display, hint: &str| {
        RoadError::new(Some(i), expected, found, hint)
    };
    let geom = f.get("geometry").filter(|g| !g.is_null()).ok_or_else(|| {
        err(
            "a Feature with a geometry",
            &"none",
            "give every road a LineString geometry",
        )
    })?;
    let gtype = geom.get("type").and_then(Value::as_str).unwrap_or("(none)");
    let coords = geom.get("coordinates");
    let lines: Vec<&Value> = match (gtype, coords.and_then(Value::as_array)) {
        ("LineString", Some(_)) => vec![coords.unwrap_or(&Value::Null)],
        ("MultiLineString", Some(parts)) => parts.iter().collect(),
        _ => {
            return Err(err(
                "a LineString or MultiLineString geometry",
                &format!("{gtype} geometry"),
                "roads are lines; put points (bases, shelters) in the facilities file",
            ));
        }
    };
    let mut out = Vec::new();
    for l in lines {
        let pts = l.as_array().map(Vec::as_slice).unwrap_or_default();
        let mut line = Vec::with_capacity(pts.len());
        for p in pts {
            let xy = p
                .as_array()
                .and_then(|a| Some([a.first()?.as_f64()?, a.get(1)?.as_f64()?]));
            let Some(xy) = xy else {
                return Err(err(
                    "coordinates as [x, y] numbers",
                    &p,
                    "each vertex is an array of two numbers",
                ));
            };
            if line.last() != Some(&xy) {
                line.push(xy);
            }
        }
        if line.len() < 2 {
            return Err(err(
                "a line with at least 2 distinct vertices",
                &format!("{} vertices", line.len()),
                "remove degenerate lines",
            ));
        }
        out.push(line);
    }
    let props = f.get("properties").cloned().unwrap_or(Value::Null);
    let get = |k: &str| props.get(k).filter(|v| !v.is_null());
    let class = match get("class").or_else(|| get("highway")) {
        None => RoadClass::Residential,
        Some(v) => v.as_str().and_then(RoadClass::from_osm).ok_or_else(|| {
            err(
                "a road class (motorway, primary, secondary, tertiary, residential, \
                 service, track, path)",
                &v,
                &class_hint(v.as_str().unwrap_or_default()),
            )
        })?,
    };
    let speed_m_s = match get("speed_kmh") {
        None => None,
        Some(v) => match v.as_f64() {
            Some(s) if s.is_finite() && s > 0.0 && s <= 300.0 => Some(s / 3.6),
            _ => {
                return Err(err(
                    "speed_kmh between 0 (exclusive) and 300",
                    &v,
                    "give the free-flow speed in km/h, e.g. 50",
                ));
            }
        },
    };
    let lanes = match get("lanes") {
        None => None,
        Some(v) => match v
            .as_u64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        {
            Some(n @ 1..=16) => Some(n as u8),
            _ => {
                return Err(err(
                    "lanes per direction from 1 to 16",
                    &v,
                    "an integer such as 2",
                ));
            }
        },
    };
    let oneway = match get("oneway") {
        None => 0,
        Some(v) => match (v.as_bool(), v.as_str(), v.as_i64()) {
            (Some(b), _, _) => i8::from(b),
            (_, Some("yes" | "true" | "1"), _) | (_, _, Some(1)) => 1,
            (_, Some("no" | "false" | "0"), _) | (_, _, Some(0)) => 0,
            (_, Some("-1" | "reverse"), _) | (_, _, Some(-1)) => -1,
            _ => {
                return Err(err(
                    "oneway true/false, \"yes\"/\"no\" or \"-1\"",
                    &v,
                    "\"-1\" means one-way against the drawing direction",
                ));
            }
        },
    };
    let name = get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let props = Props {
        class,
        speed_m_s,
        lanes,
        oneway,
        name,
    };
    Ok((out, props))
}

/// Errors if no vertex of any line lies on the grid, hinting at lon/lat degrees.
fn check_inside(lines: &[Line], spec: &GridSpec) -> Result<(), RoadError> {
    let inside = |p: &[f64; 2]| {
        p[0] >= spec.origin[0]
            && p[0] <= spec.origin[0] + spec.extent_x()
            && p[1] >= spec.origin[1]
            && p[1] <= spec.y_max()
    };
    if lines.iter().any(|l| l.1.iter().any(inside)) {
        return Ok(());
    }
    let (i, line, _) = &lines[0];
    let p = line[0];
    let degrees = lines.iter().all(|l| {
        l.1.iter()
            .all(|p| p[0].abs() <= 180.0 && p[1].abs() <= 90.0)
    });
    let hint = if degrees {
        "these look like longitude/latitude degrees: reproject to the scenario's metric \
         CRS (the grid's, e.g. UTM EPSG:326xx or CGCS2000 Gauss-Krüger EPSG:45xx), e.g. \
         `ogr2ogr -t_srs EPSG:<code> out.geojson in.geojson`"
    } else {
        "no road touches the grid: check the file's CRS and the grid origin"
    };
    Err(RoadError::new(
        Some(*i),
        &format!(
            "coordinates on the grid (x {}..{} m, y {}..{} m)",
            spec.origin[0],
            spec.origin[0] + spec.extent_x(),
            spec.origin[1],
            spec.y_max()
        ),
        format!("({}, {})", p[0], p[1]),
        hint,
    ))
}

fn snap(p: [f64; 2]) -> (i64, i64) {
    ((p[0] * 100.0).round() as i64, (p[1] * 100.0).round() as i64)
}

/// Splits lines at shared vertices and builds the network (deterministic: nodes are
/// numbered in order of first appearance, edges in file order).
fn build_from_lines(lines: &[Line]) -> RoadNetwork {
    let mut uses: BTreeMap<(i64, i64), u32> = BTreeMap::new();
    for (_, l, _) in lines {
        for (k, p) in l.iter().enumerate() {
            // Endpoints count twice so they are always junctions.
            let w = if k == 0 || k == l.len() - 1 { 2 } else { 1 };
            *uses.entry(snap(*p)).or_insert(0) += w;
        }
    }
    let mut ids: BTreeMap<(i64, i64), u32> = BTreeMap::new();
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    let mut node_of = |p: [f64; 2], nodes: &mut Vec<RoadNode>| {
        *ids.entry(snap(p)).or_insert_with(|| {
            nodes.push(RoadNode { x: p[0], y: p[1] });
            (nodes.len() - 1) as u32
        })
    };
    for (_, l, pr) in lines {
        let mut piece = vec![l[0]];
        for (k, p) in l.iter().enumerate().skip(1) {
            piece.push(*p);
            if k + 1 < l.len() && uses[&snap(*p)] < 2 {
                continue;
            }
            let mut g = std::mem::replace(&mut piece, vec![*p]);
            if pr.oneway < 0 {
                g.reverse();
            }
            let a = node_of(g[0], &mut nodes);
            let b = node_of(g[g.len() - 1], &mut nodes);
            // Ends exactly on the nodes, so lengths bound node-to-node distances (A*).
            let last = g.len() - 1;
            g[0] = [nodes[a as usize].x, nodes[a as usize].y];
            g[last] = [nodes[b as usize].x, nodes[b as usize].y];
            let mut e = RoadEdge::new(a, b, g, pr.class);
            if e.length_m <= 0.0 {
                continue;
            }
            if let Some(s) = pr.speed_m_s {
                e.speed_m_s = s;
            }
            if let Some(n) = pr.lanes {
                e.lanes = n;
                e.capacity_veh_h = f64::from(n) * pr.class.lanes_capacity_veh_h();
            }
            e.oneway = pr.oneway != 0;
            e.name.clone_from(&pr.name);
            edges.push(e);
        }
    }
    let mut net = RoadNetwork {
        nodes,
        edges,
        ..RoadNetwork::default()
    };
    net.rebuild_index();
    net
}

/// "did you mean …?" for a misspelt class, else a general hint.
fn class_hint(found: &str) -> String {
    let distance = |a: &str, b: &str| {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let next = (row[j + 1] + 1)
                    .min(row[j] + 1)
                    .min(prev + usize::from(ca != *cb));
                prev = row[j + 1];
                row[j + 1] = next;
            }
        }
        row[b.len()]
    };
    let found = found.to_ascii_lowercase();
    let names = [
        "motorway",
        "primary",
        "secondary",
        "tertiary",
        "residential",
        "service",
        "track",
        "path",
    ];
    match names.iter().map(|n| (distance(&found, n), *n)).min() {
        Some((d, n)) if d <= 2 => format!("did you mean `{n}`?"),
        _ => "use an OSM highway=* value".to_owned(),
    }
}
