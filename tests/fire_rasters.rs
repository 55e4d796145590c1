//! Fuel and canopy rasters in the `WildlandFire` scenario section: small ESRI ASCII grids
//! written to a temporary folder next to a scenario file that names them by relative
//! path. The fuel raster decides where fire can go (LANDFIRE FBFM40 numbers: 102 = GR2,
//! 98 = NB8 water, 165 = TU5), canopy layers decide where crown fire occurs, and bad
//! rasters (wrong size, unknown codes, values out of range) are reported at the scenario
//! field that named them.

use std::path::Path;

use drillsim_engine::hazards::fire::FireHazards;
use drillsim_engine::world::grid::{Grid, GridSpec};
use drillsim_engine::world::raster::write_ascii;
use drillsim_engine::{RunConfig, Simulation};

const N: usize = 40;
const CELL: f64 = 30.0;

fn spec(w: usize, h: usize) -> GridSpec {
    GridSpec {
        width: w,
        height: h,
        cell_size: CELL,
        origin: [0.0, 0.0],
    }
}

fn write(dir: &Path, name: &str, w: usize, h: usize, f: impl FnMut(usize, usize) -> f32) {
    write_ascii(
        &dir.join(name),
        &Grid::from_fn(spec(w, h), f),
        Some(-9999.0),
    )
    .unwrap();
}

/// A 40 × 40 flat scenario with a west wind of `wind` m/s and the given fire section body,
/// run to the end.
fn scenario(dir: &Path, duration_s: f64, wind: f64, fire: &str) -> Simulation {
    let mut sim = build(dir, duration_s, wind, fire).unwrap();
    sim.run_to_end(|_| {});
    sim
}

/// The located error of a scenario whose fire inputs are refused when the run is built
/// (and by `drillsim validate`).
fn refused(dir: &Path, fire: &str) -> String {
    match build(dir, 600.0, 5.0, fire) {
        Ok(_) => panic!("the scenario should be refused"),
        Err(e) => e.to_string(),
    }
}

fn build(
    dir: &Path,
    duration_s: f64,
    wind: f64,
    fire: &str,
) -> Result<Simulation, drillsim_engine::scenario::ScenarioError> {
    let text = format!(
        r#"Scenario(
    meta: (name: "fire rasters", description: "test", language: "en"),
    run: (duration_s: {duration_s}, tick_s: 60.0, seed: 1, outputs: (timeseries_interval_s: 600.0)),
    map: (width: {N}, height: {N}, cell_size_m: {CELL}, terrain: Flat(elevation_m: 100.0)),
    layers: (land_cover: Uniform(Grassland)),
    weather: (
        wind: [(t_s: 0.0, speed_m_s: {wind}, from_deg: 270.0)],
        temperature_c: Constant(30.0),
        relative_humidity_pct: Constant(20.0),
    ),
    hazards: [
        WildlandFire((
            name: "f",
            ignitions: [(x_m: 300.0, y_m: 600.0)],
            moisture: (dead_1h: 0.04, dead_10h: 0.05, dead_100h: 0.07, live_herb: 0.6, live_woody: 0.8),
{fire}
        )),
    ],
)"#
    );
    let loaded =
        drillsim_engine::scenario::parse(&text, "fire_rasters.ron", dir.to_path_buf()).unwrap();
    Simulation::from_scenario(loaded, RunConfig::default())
}

fn fires(sim: &Simulation) -> &FireHazards {
    sim.world().resource::<FireHazards>()
}

#[test]
fn fuel_raster_decides_where_fire_goes() {
    // Columns 0–24 grass (FBFM40 102 = GR2), 25–39 open water (98 = NB8); one nodata cell.
    // A west wind drives the fire east: it burns up to the water and never beyond.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "fuel.asc", N, N, |c, r| match (c, r) {
        (3, 3) => f32::NAN,
        (c, _) if c < 25 => 102.0,
        _ => 98.0,
    });
    let sim = scenario(
        dir.path(),
        3600.0,
        8.0,
        r#"fuel_raster: Some((path: "fuel.asc")),"#,
    );
    let f = &fires(&sim).fires[0].sim;
    assert!(f.is_burned(22, 20), "grass next to the water should burn");
    for r in 0..N {
        for c in 25..N {
            assert!(!f.is_burned(c, r), "water cell ({c}, {r}) burned");
        }
    }
    assert!(!f.is_burned(3, 3), "a nodata cell is non-burnable");
}

#[test]
fn canopy_layers_give_crown_fire_only_under_canopy() {
    // TU5 everywhere (165); canopy cover 60 % in the north half (rows 0–19), none in the
    // south half. Stand height 15 m (constant), base height 0.5 m stored as dm (scale 0.1,
    // LANDFIRE style), bulk density 0.2 kg/m³. Strong west wind: Van Wagner's criteria
    // give crown fire under the canopy; without canopy there is none.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "fuel.asc", N, N, |_, _| 165.0);
    write(
        dir.path(),
        "cc.asc",
        N,
        N,
        |_, r| if r < 20 { 60.0 } else { 0.0 },
    );
    write(dir.path(), "cbh.asc", N, N, |_, _| 5.0);
    let sim = scenario(
        dir.path(),
        2400.0,
        12.0,
        r#"fuel_raster: Some((path: "fuel.asc")),
            canopy_layers: Some((
                cover_pct: Raster((path: "cc.asc")),
                height_m: Constant(15.0),
                base_height_m: Raster((path: "cbh.asc", scale: 0.1)),
                bulk_density_kg_m3: Constant(0.2),
            )),"#,
    );
    let f = &fires(&sim).fires[0].sim;
    let types = f.fire_type();
    let (mut crown_north, mut crown_south, mut burned_south) = (0, 0, 0);
    for r in 0..N {
        for c in 0..N {
            if !f.is_burned(c, r) {
                continue;
            }
            let crown = *types.get(c, r) > 0;
            if r < 20 {
                crown_north += usize::from(crown);
            } else {
                crown_south += usize::from(crown);
                burned_south += 1;
            }
        }
    }
    assert!(crown_north > 0, "no crown fire under the canopy");
    assert!(burned_south > 0, "the fire should also burn the open half");
    assert_eq!(crown_south, 0, "crown fire without canopy");
}

#[test]
fn wrong_size_is_reported_at_the_field() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "fuel.asc", 30, N, |_, _| 102.0);
    let msg = refused(dir.path(), r#"fuel_raster: Some((path: "fuel.asc")),"#);
    assert!(msg.contains("hazards[0].fuel_raster.path"), "{msg}");
    assert!(msg.contains("30×40 cells"), "{msg}");
    assert!(msg.contains("fire_rasters.ron:"), "not located: {msg}");
}

#[test]
fn unknown_fuel_codes_are_reported_with_their_cells() {
    // 57 is no fuel model number; the message names it, how often and where.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "fuel.asc", N, N, |c, r| {
        if c == 7 && r > 30 { 57.0 } else { 102.0 }
    });
    let msg = refused(dir.path(), r#"fuel_raster: Some((path: "fuel.asc")),"#);
    insta::assert_snapshot!(msg);
    // An explicit legend entry fixes it.
    let sim = scenario(
        dir.path(),
        600.0,
        5.0,
        r#"fuel_raster: Some((path: "fuel.asc", codes: [(57, "GR1")])),"#,
    );
    assert_eq!(fires(&sim).fires.len(), 1);
}

#[test]
fn canopy_values_out_of_range_and_missing_files_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "cc.asc", N, N, |c, _| {
        if c == 5 { 150.0 } else { 50.0 }
    });
    let msg = refused(
        dir.path(),
        r#"canopy_layers: Some((
                cover_pct: Raster((path: "cc.asc")),
                height_m: Raster((path: "missing.asc")),
                base_height_m: Constant(2.0),
                bulk_density_kg_m3: Constant(0.1),
            )),"#,
    );
    assert!(
        msg.contains("hazards[0].canopy_layers.cover_pct.Raster.path"),
        "{msg}"
    );
    assert!(msg.contains("150 at column 5"), "{msg}");
    assert!(msg.contains("missing.asc"), "{msg}");
}
