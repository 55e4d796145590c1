//! Tests of the simulation thread: seeking and rewind, snapshots, commands, the frame's
//! overlay, roads, routes, flows and crew exposure against the engine.

use super::*;
use crate::fixtures::flagship;
use drillsim_engine::exercise::spec::Effect;

/// Goes to `t_s` and checks the state equals a fresh run to `t_s` (events and, with
/// `exact`, the whole snapshot).
fn assert_at_like_fresh_run(core: &mut Core, t_s: f64, exact: bool) {
    core.seek(t_s);
    let mut fresh = flagship();
    fresh.run_until(t_s);
    assert!((core.sim().time_s() - fresh.time_s()).abs() < 1e-9);
    assert_eq!(core.sim().events(), fresh.events());
    if exact {
        assert!(core.sim().snapshot().unwrap() == fresh.snapshot().unwrap());
    }
}

#[test]
fn seek_back_matches_a_fresh_run() {
    let mut core = Core::new(flagship(), 120.0, 100);
    core.seek(900.0);
    assert_at_like_fresh_run(&mut core, 350.0, true);
    // Forward again from the rewound state reaches the same state as a fresh run.
    assert_at_like_fresh_run(&mut core, 900.0, false);
}

#[test]
fn pause_interrupts_a_seek() {
    let mut core = Core::new(flagship(), 300.0, 10);
    core.apply(Command::SeekTo(3000.0));
    assert_eq!(core.frame().seeking, Some(3000.0));
    assert!(core.advance_seek() && core.advance_seek());
    core.apply(Command::Pause);
    let f = core.frame();
    assert_eq!(f.seeking, None);
    assert!(f.t_s > 0.0 && f.t_s < 3000.0);
    assert!(!core.advance_seek());
}

#[test]
fn snapshot_memory_is_bounded() {
    let mut core = Core::new(flagship(), 30.0, 4);
    core.seek(600.0);
    assert!(core.snaps.len() <= 4, "{} snapshots", core.snaps.len());
    assert_eq!(core.snaps[0].0, 0.0);
    assert_at_like_fresh_run(&mut core, 100.0, false);
}

#[test]
fn snapshot_bytes_are_bounded() {
    let mut core = Core::new(flagship(), 30.0, 1000);
    let one = core.snaps[0].1.len();
    core.max_bytes = one * 5;
    core.seek(900.0);
    let total: usize = core.snaps.iter().map(|s| s.1.len()).sum();
    assert!(total <= core.max_bytes, "{total} bytes > 5 × {one}");
    assert!(core.snaps.len() >= 2);
    assert_at_like_fresh_run(&mut core, 200.0, false);
}

#[test]
fn step_pause_play_and_role() {
    let mut core = Core::new(flagship(), 300.0, 10);
    core.apply(Command::Play);
    assert!(core.playing);
    core.apply(Command::Step);
    assert!(!core.playing);
    assert!(core.frame().t_s > 0.0);
    assert!(
        core.frame()
            .view
            .injects
            .iter()
            .any(|i| i.fired_s.is_none())
    );
    core.apply(Command::SetRole(Role::Player));
    let f = core.frame();
    assert!(!f.view.hazard_fields);
    assert!(f.overlays.is_none());
    assert!(f.view.injects.iter().all(|i| i.fired_s.is_some()));
    assert!(f.view.injects.iter().all(|i| i.notes.is_empty()));
    core.apply(Command::SetRole(Role::Controller));
    let f = core.frame();
    assert!(f.view.hazard_fields);
    let o = f.overlays.as_ref().unwrap();
    let n = core.sim().terrain().spec.width * core.sim().terrain().spec.height;
    let len =
        |id: crate::layer_cache::LayerId| o.layers[id as usize].as_ref().map(|l| l.rgba.len());
    assert_eq!(
        len(crate::layer_cache::LayerId::Depth),
        Some(n * 4),
        "flagship has a flood"
    );
    assert_eq!(
        len(crate::layer_cache::LayerId::Gas),
        Some(n * 4),
        "and a chlorine release"
    );
}

#[test]
fn overlay_follows_the_layers_shown_and_the_role() {
    use crate::composite::CONTOURS;
    use crate::layer_cache::LayerId;
    let mut core = Core::new(flagship(), 300.0, 10);
    core.seek(1800.0);
    let depth = 1 << LayerId::Depth as u8;
    core.apply(Command::ShowLayers(depth));
    let f = core.frame();
    let o = f.overlay.clone().unwrap();
    assert_eq!(o.mask, depth);
    // The overlay is exactly the depth image premultiplied: wherever the depth layer
    // is clear the overlay is clear, and where it is drawn the overlay is too.
    let img = f.overlays.as_ref().unwrap().layers[LayerId::Depth as usize]
        .clone()
        .unwrap();
    let drawn = img.rgba.chunks_exact(4).filter(|p| p[3] > 0).count();
    assert!(drawn > 0, "the flagship floods by T+30 min");
    for (a, b) in img.rgba.chunks_exact(4).zip(o.image.rgba.chunks_exact(4)) {
        assert_eq!(a[3], b[3]);
    }
    // Contours only: a new version over the whole map, and no water.
    core.apply(Command::ShowLayers(CONTOURS));
    let o2 = core.frame().overlay.unwrap();
    assert_eq!((o2.mask, o2.image.version), (CONTOURS, o.image.version + 1));
    assert_eq!(
        o2.image.band_since(Some(o.image.version)),
        Some(Some((
            0,
            img.rgba.len() / 4 / core.sim().terrain().spec.width - 1
        )))
    );
    assert!(
        o2.image.rgba.chunks_exact(4).any(|p| p[3] > 0),
        "the flagship has relief"
    );
    // The player may not see hazards: depth asked for, contours only shown.
    core.apply(Command::ShowLayers(depth | CONTOURS));
    core.apply(Command::SetRole(Role::Player));
    let f = core.frame();
    assert_eq!(f.overlay.unwrap().mask, CONTOURS);
    core.apply(Command::SetRole(Role::Controller));
    assert_eq!(core.frame().overlay.unwrap().mask, depth | CONTOURS);
}

#[test]
fn crew_exposure_matches_the_engine_casualty_model() {
    use drillsim_engine::agents::exposure::{Casualties, Exposure, ToxicData};
    // The panel's probability of death must be the engine's expected deaths of one
    // person with the same exposure (independent causes).
    let toxic: Vec<ToxicData> = {
        let sim = flagship();
        sim.world()
            .get_resource::<AgentStatic>()
            .unwrap()
            .toxic
            .clone()
    };
    assert!(!toxic.is_empty(), "the flagship has a chlorine release");
    for (depth, v, load, heat) in [
        (0.0, 0.0, 0.0, 0.0),
        (1.2, 1.5, 0.0, 0.0),
        (0.3, 0.2, 1e7, 0.0),
        (0.0, 0.0, 0.0, 2000.0),
        (2.0, 2.5, 1e9, 800.0),
    ] {
        let mut e = Exposure {
            max_depth_m: depth,
            v_at_max_m_s: v,
            max_hv: depth * v,
            max_hr: drillsim_engine::agents::exposure::hazard_rating(depth, v),
            thermal_dose: heat,
            ..Exposure::default()
        };
        e.toxic = vec![Default::default(); toxic.len()];
        e.toxic[0].load = load;
        e.toxic[0].peak_kg_m3 = 1e-5;
        let c = crew_exposure(&e, &toxic);
        let want = Casualties::of(1.0, &e, &toxic).dead();
        assert!((c.p_dead - want).abs() < 1e-12, "{c:?} vs {want}");
        assert_eq!(c.toxic_injury, e.toxic_injury(&toxic) > 0.0);
        assert!((c.gas_peak_mg_m3 - 10.0).abs() < 1e-9);
    }
}

#[test]
fn a_composed_release_starts_and_shows_on_the_gas_layer() {
    use crate::panels::injects::{Composer, LiveKind};
    use drillsim_engine::sim::events::EventKind;
    let mut core = Core::new(flagship(), 300.0, 10);
    let spec = core.sim().terrain().spec;
    let centre = spec.cell_center(spec.width / 2, spec.height / 2);
    let composer = Composer {
        kind: LiveKind::NewRelease,
        chemical: "ammonia".into(),
        rate_kg_s: 20.0,
        point: Some(centre),
        ..Composer::default()
    };
    core.apply(Command::PushInject(Box::new(composer.build().unwrap())));
    assert_eq!(core.frame().error, None);
    core.seek(600.0);
    let started = core
        .sim()
        .events()
        .iter()
        .find(|e| e.kind == EventKind::HazardStarted && e.subject == "ammonia (LIVE-1)");
    let started = started.expect("the live release started");
    assert!(started.t_s <= 120.0, "{started:?}");
    // Its plume is on the map: gas drawn within 300 m of the release point.
    let f = core.frame();
    let gas = f.overlays.as_ref().unwrap().layers[crate::layer_cache::LayerId::Gas as usize]
        .clone()
        .unwrap();
    let near = (0..spec.len()).any(|i| {
        let [x, y] = spec.cell_center(i % spec.width, i / spec.width);
        gas.rgba[i * 4 + 3] > 0 && (x - centre[0]).hypot(y - centre[1]) < 300.0
    });
    assert!(near, "no gas drawn near the live release");
}

#[test]
fn roads_routes_and_flows_come_from_the_engine() {
    use crate::map_details::{Selection, lines};
    use crate::map_vectors::{flows, is_closed};
    use drillsim_engine::exercise::spec::RoadRef;
    let mut core = Core::new(flagship(), 300.0, 10);
    let f0 = core.frame();
    assert!(f0.roads.len() > 10, "the flagship has a road network");
    assert!((0..f0.roads.len()).all(|e| !is_closed(&f0.closed, e)));
    // A live closure at the middle of road 7's first segment closes road 7.
    let r = &f0.roads[7];
    let mid = [
        0.5 * (r.pts[0][0] + r.pts[1][0]),
        0.5 * (r.pts[0][1] + r.pts[1][1]),
    ];
    let mut close = InjectSpec {
        id: "LIVE-1".into(),
        title: "road closed".into(),
        description: String::new(),
        at_s: None,
        when: None,
        audience: Default::default(),
        expected_actions: Vec::new(),
        effects: vec![Effect::CloseRoad(RoadRef::Near(mid[0], mid[1]))],
        notes: String::new(),
    };
    core.apply(Command::PushInject(Box::new(close.clone())));
    core.apply(Command::Step);
    let f = core.frame();
    assert!(is_closed(&f.closed, 7), "road 7 closed");
    assert_eq!(
        (0..f.roads.len())
            .filter(|&e| is_closed(&f.closed, e))
            .count(),
        1
    );
    let text = lines(&f, &Selection::Road(7, mid));
    assert!(text.iter().any(|l| l == "Status: closed"), "{text:?}");
    close.id = "LIVE-2".into();
    close.effects = vec![Effect::OpenRoad(RoadRef::Near(mid[0], mid[1]))];
    core.apply(Command::PushInject(Box::new(close)));
    core.apply(Command::Step);
    assert!(!is_closed(&core.frame().closed, 7), "reopened");
    // Through the run: routes start at the team, and the moving groups drawn as
    // flows are exactly the engine's "people_evacuating" at the same moment.
    let (mut routes, mut flowing, mut most_moving) = (0, 0, 0.0f64);
    for t in (600..=7200).step_by(600) {
        core.seek(f64::from(t));
        let f = core.frame();
        for tm in f.teams.iter().filter(|tm| !tm.route.is_empty()) {
            routes += 1;
            assert!(tm.route.len() >= 2);
            let d = (tm.route[0][0] - tm.pos[0]).hypot(tm.route[0][1] - tm.pos[1]);
            assert!(d < 1e-6, "{} route starts {d} m away", tm.id);
        }
        let series = core.sim().series();
        let col = series
            .columns
            .iter()
            .position(|c| c == "people_evacuating")
            .unwrap();
        let row = series.rows.last().unwrap();
        assert_eq!(row[0], f.t_s, "a row at the frame's time");
        // Every moving group has a route, so the group flows sum to it.
        let moving: f64 = flows(&f.groups, &[]).map(|x| x.1).sum();
        assert!((moving - row[col]).abs() < 1e-9, "{moving} vs {}", row[col]);
        most_moving = most_moving.max(moving);
        flowing += usize::from(flows(&f.groups, &f.teams).next().is_some());
    }
    assert!(
        routes > 0 && flowing > 0,
        "routes {routes}, moments with flows {flowing}"
    );
    assert!(most_moving > 0.0, "some people evacuate on their own");
}

#[test]
fn fire_and_push_injects() {
    let mut core = Core::new(flagship(), 300.0, 10);
    core.apply(Command::FireInject("I-07".into()));
    assert_eq!(core.frame().error, None);
    core.apply(Command::Step);
    let f = core.frame();
    let i07 = f.view.injects.iter().find(|i| i.id == "I-07").unwrap();
    assert!(i07.fired_s.is_some());
    core.apply(Command::FireInject("nope".into()));
    assert!(core.frame().error.is_some());
    let live = InjectSpec {
        id: "LIVE-1".into(),
        title: "wind shift".into(),
        description: String::new(),
        at_s: None,
        when: None,
        audience: Default::default(),
        expected_actions: Vec::new(),
        effects: vec![Effect::Weather {
            wind_speed_m_s: Some(9.0),
            wind_from_deg: Some(90.0),
            rain_mm_h: None,
            temperature_c: None,
            for_s: None,
        }],
        notes: String::new(),
    };
    core.apply(Command::PushInject(Box::new(live)));
    assert_eq!(core.frame().error, None);
    core.apply(Command::Step);
    let f = core.frame();
    assert!((f.wind.0 - 9.0).abs() < 1e-9 && (f.wind.1 - 90.0).abs() < 1e-9);
}

#[test]
fn thread_publishes_without_blocking() {
    let t = SimThread::spawn_core(Core::new(flagship(), 300.0, 10));
    t.send(Command::SetSpeed(None));
    t.send(Command::SeekTo(200.0));
    let deadline = Instant::now() + Duration::from_secs(60);
    while (t.frame().t_s < 200.0 || t.frame().seeking.is_some()) && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
    }
    assert!(t.frame().t_s >= 200.0);
    t.send(Command::SeekTo(50.0));
    while (t.frame().t_s > 100.0 || t.frame().seeking.is_some()) && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
    }
    assert!((t.frame().t_s - 50.0).abs() < 1e-9);
}
