//! Teams through the hazards: routing around water, re-planning mid-trip, protective
//! equipment, dispatch of the nearest capable team, exposure along a path.

use drillsim_engine::agents::movement::{Ctx, Leg, Moved, advance, plan_trip};
use drillsim_engine::agents::presets::{PpeLevel, Presets};
use drillsim_engine::agents::roads::{RoadClass, RoadNetwork};
use drillsim_engine::agents::view::{GasLayer, HazardView, TeamLimits};
use drillsim_engine::world::GridSpec;

mod common;

/// 500 × 500 m, 10 m cells, streets every 100 m (nodes at 50, 150, …, 450 m).
fn town() -> (GridSpec, RoadNetwork) {
    let spec = GridSpec {
        width: 50,
        height: 50,
        cell_size: 10.0,
        origin: [0.0, 0.0],
    };
    let net = RoadNetwork::generate_grid(&spec, 100.0, RoadClass::Residential, |_, _| false);
    (spec, net)
}

fn ambulance() -> TeamLimits {
    let p = Presets::load_builtin().unwrap();
    TeamLimits::of(p.get("ambulance").unwrap(), PpeLevel::None)
}

/// Depth 0.5 m on the cells of the bottom street between x = 200 and 300 m.
fn flood_bottom_street(spec: &GridSpec) -> Vec<f32> {
    let mut d = vec![0.0f32; spec.len()];
    for c in 20..30 {
        let (_, r) = spec.cell_at(c as f64 * 10.0 + 5.0, 50.0).unwrap();
        d[spec.index(c, r)] = 0.5;
    }
    d
}

fn road_length(net: &RoadNetwork, legs: &[Leg]) -> f64 {
    legs.iter()
        .map(|l| match l {
            Leg::Road { edge, .. } => net.edges[*edge as usize].length_m,
            Leg::Free { .. } => 0.0,
        })
        .sum()
}

fn speed(net: &RoadNetwork, lim: &TeamLimits) -> f64 {
    lim.road_speed_m_s.min(net.edges[0].speed_m_s)
}

#[test]
fn route_avoids_a_flooded_road_and_takes_the_longer_dry_one() {
    let (spec, net) = town();
    let lim = ambulance();
    let dry = vec![0.0f32; spec.len()];
    let wet = flood_bottom_street(&spec);
    let closed = vec![0u64; net.edges.len().div_ceil(64)];
    let cells = net.edge_cells(&spec);
    let (a, b) = ([50.0, 50.0], [450.0, 50.0]);
    let plan = |depth: &[f32]| {
        let view = HazardView {
            spec: Some(spec),
            depth: Some(depth),
            ..HazardView::default()
        };
        let ctx = Ctx {
            spec,
            net: &net,
            cells: &cells,
            view: &view,
            closed: &closed,
            memo: Default::default(),
        };
        plan_trip(&ctx, &lim, a, b).unwrap()
    };
    let direct = plan(&dry);
    let around = plan(&wet);
    // Hand sums: the bottom street is 400 m; around the flooded block is 400 + 2 × 100 m.
    assert!((road_length(&net, &direct.legs) - 400.0).abs() < 1e-6);
    assert!((road_length(&net, &around.legs) - 600.0).abs() < 1e-6);
    let v = speed(&net, &lim);
    assert!(
        (direct.planned_s - 400.0 / v).abs() < 1e-6,
        "{}",
        direct.planned_s
    );
    assert!(
        (around.planned_s - 600.0 / v).abs() < 1e-6,
        "{}",
        around.planned_s
    );
    // No piece of the chosen route touches the water.
    for l in &around.legs {
        if let Leg::Road { edge, .. } = l {
            assert!(cells.of(*edge).iter().all(|&c| wet[c as usize] == 0.0));
        }
    }
}

#[test]
fn team_replans_when_its_road_floods_mid_trip() {
    let (spec, net) = town();
    let lim = ambulance();
    let cells = net.edge_cells(&spec);
    let closed = vec![0u64; net.edges.len().div_ceil(64)];
    let dry = vec![0.0f32; spec.len()];
    let wet = flood_bottom_street(&spec);
    let view = HazardView {
        spec: Some(spec),
        depth: Some(&dry),
        ..HazardView::default()
    };
    let ctx = Ctx {
        spec,
        net: &net,
        cells: &cells,
        view: &view,
        closed: &closed,
        memo: Default::default(),
    };
    let mut trip = plan_trip(&ctx, &lim, [50.0, 50.0], [450.0, 50.0]).unwrap();
    let mut samples = Vec::new();
    // 6 s along the bottom street, still dry.
    let (m, d) = advance(&ctx, &lim, &mut trip, 6.0, |_| f64::INFINITY, &mut samples);
    assert_eq!(m, Moved::Moving);
    let v = speed(&net, &lim);
    assert!((d - 6.0 * v).abs() < 1e-6 && d < 100.0, "{d}");
    // The street floods ahead; the next piece is refused and a new plan goes around.
    let view_wet = HazardView {
        spec: Some(spec),
        depth: Some(&wet),
        ..HazardView::default()
    };
    let ctx_wet = Ctx {
        view: &view_wet,
        memo: Default::default(),
        ..ctx
    };
    let mut moved = Moved::Moving;
    for _ in 0..100 {
        let (m, _) = advance(
            &ctx_wet,
            &lim,
            &mut trip,
            1.0,
            |_| f64::INFINITY,
            &mut samples,
        );
        moved = m;
        if m != Moved::Moving {
            break;
        }
    }
    assert_eq!(moved, Moved::Blocked, "the team must stop before the water");
    let here = drillsim_engine::agents::movement::position(&net, &trip);
    assert!(here[0] <= 200.0 + 1e-6, "stopped at {here:?}");
    let replanned = plan_trip(&ctx_wet, &lim, here, [450.0, 50.0]).unwrap();
    for l in &replanned.legs {
        if let Leg::Road { edge, .. } = l {
            assert!(cells.of(*edge).iter().all(|&c| wet[c as usize] == 0.0));
        }
    }
    let (m, _) = advance(
        &ctx_wet,
        &lim,
        &mut replanned.clone(),
        1e9,
        |_| f64::INFINITY,
        &mut samples,
    );
    assert_eq!(
        m,
        Moved::Arrived,
        "the new route reaches the destination dry"
    );
}

#[test]
fn hazmat_team_enters_a_cloud_that_stops_an_unprotected_team() {
    let (spec, net) = town();
    let p = Presets::load_builtin().unwrap();
    let hazmat = TeamLimits::of(p.get("hazmat_team").unwrap(), PpeLevel::LevelA);
    let amb = TeamLimits::of(p.get("ambulance").unwrap(), PpeLevel::None);
    let cells = net.edge_cells(&spec);
    let closed = vec![0u64; net.edges.len().div_ceil(64)];
    // A cloud of 1e-3 kg/m³ over the east half, around the destination; the limit
    // (AEGL-2 of chlorine, 2 ppm ≈ 5.9e-6 kg/m³) is exceeded 170× for the bare face and
    // is 0.017× of it inside a respirator of APF 10 000.
    let mut field = vec![0.0f32; spec.len()];
    for r in 0..spec.height {
        for c in 30..spec.width {
            field[spec.index(c, r)] = 1e-3;
        }
    }
    let view = HazardView {
        spec: Some(spec),
        gas: vec![GasLayer {
            field: &field,
            limit_kg_m3: 5.9e-6,
        }],
        ..HazardView::default()
    };
    let ctx = Ctx {
        spec,
        net: &net,
        cells: &cells,
        view: &view,
        closed: &closed,
        memo: Default::default(),
    };
    let (a, b) = ([50.0, 250.0], [450.0, 250.0]);
    assert!(plan_trip(&ctx, &hazmat, a, b).is_some());
    assert!(plan_trip(&ctx, &amb, a, b).is_none());
}

#[test]
fn dispatch_picks_the_nearest_capable_team() {
    // Two hazmat teams (near and far) and a fire engine even nearer, which cannot seal
    // a leak: the near hazmat team must be sent.
    let dir = tempfile::tempdir().unwrap();
    let scn = dir.path().join("d.ron");
    std::fs::write(
        &scn,
        r#"Scenario(
    meta: (name: "dispatch test"),
    run: (duration_s: 600.0, tick_s: 10.0, seed: 1),
    map: (width: 100, height: 100, cell_size_m: 20.0, terrain: Flat(elevation_m: 10.0)),
    weather: (wind: [(t_s: 0.0, speed_m_s: 3.0, from_deg: 0.0)], stability: Class(D)),
    hazards: [ChemicalRelease((chemical: "ammonia",
        source: Direct(Continuous(rate_kg_s: 0.5, duration_s: 3600.0)),
        location_xy_m: (1000.0, 1000.0)))],
    roads: Some(Grid(spacing_m: 200.0)),
    facilities: [
        Base(site: (id: "near", location_xy_m: (1100.0, 1700.0)), kind: HazmatRescueBase),
        Base(site: (id: "far", location_xy_m: (100.0, 1900.0)), kind: HazmatRescueBase),
        Base(site: (id: "station", location_xy_m: (1100.0, 1300.0)), kind: FireStation),
    ],
    forces: [
        Team((id: "hz-far", preset: "hazmat_team", base: "far")),
        Team((id: "engine", preset: "fire_engine", base: "station")),
        Team((id: "hz-near", preset: "hazmat_team", base: "near")),
    ],
)"#,
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = common::drillsim(
        &[
            "run",
            scn.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "-q",
        ],
        &[],
    );
    assert!(o.status.success(), "{}", common::text(&o).1);
    let events = std::fs::read_to_string(out.join("events.jsonl")).unwrap();
    let first = events
        .lines()
        .find(|l| l.contains("\"TeamDispatched\""))
        .expect("a dispatch");
    assert!(first.contains("\"subject\":\"hz-near\""), "{first}");
    assert!(!events.contains("\"subject\":\"engine\""));
}

/// A flood spreading over a flat plain toward a clinic; an engineering crew rings the
/// clinic with a 0.3 m sandbag wall before the water (0.25 m deep at the source) arrives.
/// Without the crew the clinic floods.
#[test]
fn sandbag_wall_keeps_a_facility_dry() {
    use drillsim_engine::hazards::flood::plugin::FloodHazards;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("crew.ron"),
        r#"[(id: "big_levee_crew", kind: Engineering, crew: 60, road_speed_kmh: 40.0,
            offroad_speed_kmh: 3.0, max_wading_depth_m: 0.6, ppe: None,
            capabilities: [Sandbag], sandbags_h: 20000.0, shift_h: 12.0, source: "test")]"#,
    )
    .unwrap();
    let scenario = |forces: &str| {
        format!(
            r#"Scenario(
    meta: (name: "sandbag test"),
    run: (duration_s: 3600.0, tick_s: 10.0, seed: 1),
    map: (width: 80, height: 40, cell_size_m: 10.0, terrain: Flat(elevation_m: 10.0)),
    hazards: [Flood((solver: LocalInertial,
        initial_water: [(region: Rectangle(min: (0.0, 0.0), max: (150.0, 400.0)), level_m: 10.25)]))],
    roads: Some(Grid(spacing_m: 100.0)),
    response: Some((preset_file: Some("crew.ron"), call_processing_s: 0.0)),
    facilities: [
        Hospital(site: (id: "clinic", location_xy_m: (450.0, 200.0)), beds: 10),
        Base(site: (id: "depot", location_xy_m: (750.0, 200.0)), kind: EngineeringBase),
    ],
    forces: [{forces}],
)"#
        )
    };
    let depth_at_clinic = |text: &str| {
        let loaded =
            drillsim_engine::scenario::parse(text, "sandbag.ron", dir.path().to_path_buf())
                .unwrap();
        let mut sim =
            drillsim_engine::Simulation::from_scenario(loaded, Default::default()).unwrap();
        let mut wall = false;
        let mut max_d: f64 = 0.0;
        while sim.step() {
            let f = sim.world().resource::<FloodHazards>();
            let d = f.depth_at(455.0, 205.0);
            max_d = max_d.max(d);
            wall |= sim
                .events()
                .iter()
                .any(|e| e.message.contains("finished a sandbag wall"));
        }
        (max_d, wall)
    };
    let (bare, _) = depth_at_clinic(&scenario(""));
    let (walled, built) = depth_at_clinic(&scenario(
        r#"Team((id: "levee", preset: "big_levee_crew", count: 3, base: "depot"))"#,
    ));
    assert!(bare > 0.02, "without a wall the clinic floods ({bare} m)");
    assert!(built, "the wall was finished");
    assert!(walled < 1e-3, "the wall keeps the clinic dry ({walled} m)");
}

/// A walker whose straight way is cut by deep water walks around the end of it on the
/// grid (8-neighbour A*), never through water above its wading depth.
#[test]
fn walker_detours_around_deep_water_off_road() {
    let spec = GridSpec {
        width: 30,
        height: 30,
        cell_size: 10.0,
        origin: [0.0, 0.0],
    };
    let net = RoadNetwork::default();
    let cells = net.edge_cells(&spec);
    // A 1 m deep channel along column 15 from row 0 (north) to row 24; open to the south.
    let mut depth = vec![0.0f32; spec.len()];
    for r in 0..25 {
        depth[spec.index(15, r)] = 1.0;
    }
    let view = HazardView {
        spec: Some(spec),
        depth: Some(&depth),
        ..HazardView::default()
    };
    let ctx = Ctx {
        spec,
        net: &net,
        cells: &cells,
        view: &view,
        closed: &[],
        memo: Default::default(),
    };
    let walker = TeamLimits {
        road_speed_m_s: 0.0,
        offroad_speed_m_s: 1.0,
        water_speed_m_s: 0.0,
        max_wading_depth_m: 0.4,
        min_boat_depth_m: 0.5,
        ppe: PpeLevel::None,
    };
    let (a, b) = ([55.0, 200.0], [255.0, 200.0]);
    let trip = plan_trip(&ctx, &walker, a, b).expect("a way around");
    // Row 0 is north: the channel covers y = 50–300 m at x = 150–160 m, so the walk
    // passes below (150, 50): at least |a − (150, 50)| + |(150, 50) − b| = 360.7 m, and an
    // 8-neighbour path is at most 1.0824× (octile / Euclid) plus a cell longer.
    let around = (95.0f64.hypot(150.0)) + (105.0f64.hypot(150.0));
    assert!(trip.planned_s >= around - 1e-6, "{}", trip.planned_s);
    assert!(
        trip.planned_s <= 1.0824 * around + 20.0,
        "{}",
        trip.planned_s
    );
    let mut samples = Vec::new();
    let (m, _) = advance(
        &ctx,
        &walker,
        &mut trip.clone(),
        1e6,
        |_| f64::INFINITY,
        &mut samples,
    );
    assert_eq!(m, Moved::Arrived);
    assert!(
        samples.iter().all(|&(c, _)| depth[c as usize] == 0.0),
        "walked through water"
    );
}

/// People per cell from an ASCII grid become one group per 5 × 5 block, at the
/// population-weighted centre of the block; the total is kept exactly.
#[test]
fn population_raster_becomes_block_groups() {
    use drillsim_engine::agents::state::Response;
    let dir = tempfile::tempdir().unwrap();
    // 10 × 10 cells of 10 m at (0, 0): 3 people in every cell of the north-west block,
    // 10 people in one cell (col 7, row 8) of the south-east block, nodata elsewhere.
    let mut asc = String::from(
        "ncols 10\nnrows 10\nxllcorner 0\nyllcorner 0\ncellsize 10\nNODATA_value -9999\n",
    );
    for r in 0..10 {
        let row: Vec<String> = (0..10)
            .map(|c| match (c, r) {
                (c, r) if c < 5 && r < 5 => "3".to_string(),
                (7, 8) => "10".to_string(),
                _ => "-9999".to_string(),
            })
            .collect();
        asc.push_str(&row.join(" "));
        asc.push('\n');
    }
    std::fs::write(dir.path().join("people.asc"), asc).unwrap();
    let text = r#"Scenario(
    meta: (name: "population raster"),
    run: (duration_s: 60.0, tick_s: 10.0),
    map: (width: 10, height: 10, cell_size_m: 10.0, terrain: Flat(elevation_m: 5.0)),
    facilities: [Shelter(site: (id: "s", location_xy_m: (50.0, 50.0)), capacity: 500)],
    population: [Raster((id: "town", path: "people.asc", block_cells: 5,
                         action: Evacuate(shelter: Some("s"))))],
)"#;
    let loaded =
        drillsim_engine::scenario::parse(text, "pop.ron", dir.path().to_path_buf()).unwrap();
    let sim = drillsim_engine::Simulation::from_scenario(loaded, Default::default()).unwrap();
    let r = sim.world().resource::<Response>();
    assert_eq!(r.groups.len(), 2);
    // Block (0, 0) is rows 0–4 (north) × cols 0–4: 25 cells × 3 = 75 people, centred at
    // x = 25 m, y = 100 − 25 = 75 m. Block (1, 1): 10 people at the centre of (7, 8):
    // x = 75 m, y = 100 − 85 = 15 m. Exact arithmetic.
    assert_eq!(r.groups[0].id, "town#1");
    assert!((r.groups[0].people - 75.0).abs() < 1e-9);
    assert!((r.groups[0].pos[0] - 25.0).abs() < 1e-9 && (r.groups[0].pos[1] - 75.0).abs() < 1e-9);
    assert!((r.groups[1].people - 10.0).abs() < 1e-9);
    assert!((r.groups[1].pos[0] - 75.0).abs() < 1e-9 && (r.groups[1].pos[1] - 15.0).abs() < 1e-9);
    assert_eq!(r.groups[1].shelter, Some(0));
}

/// A road closed by the controller (as an inject will) is avoided like a flooded one.
#[test]
fn closed_road_is_avoided() {
    let (spec, net) = town();
    let lim = ambulance();
    let cells = net.edge_cells(&spec);
    let dry = vec![0.0f32; spec.len()];
    let view = HazardView {
        spec: Some(spec),
        depth: Some(&dry),
        ..HazardView::default()
    };
    // Close the bottom-street edge between x = 250 and 350 m.
    let mut closed = vec![0u64; net.edges.len().div_ceil(64)];
    let e = (0..net.edges.len())
        .find(|&e| {
            let a = &net.nodes[net.edges[e].from as usize];
            let b = &net.nodes[net.edges[e].to as usize];
            a.y == 50.0 && b.y == 50.0 && a.x.min(b.x) == 250.0
        })
        .unwrap();
    closed[e / 64] |= 1 << (e % 64);
    let ctx = Ctx {
        spec,
        net: &net,
        cells: &cells,
        view: &view,
        closed: &closed,
        memo: Default::default(),
    };
    let trip = plan_trip(&ctx, &lim, [50.0, 50.0], [450.0, 50.0]).unwrap();
    assert!(
        trip.legs
            .iter()
            .all(|l| !matches!(l, Leg::Road { edge, .. } if *edge as usize == e))
    );
    // Hand sum: around one block, 400 + 2 × 100 m.
    assert!((road_length(&net, &trip.legs) - 600.0).abs() < 1e-6);
}
