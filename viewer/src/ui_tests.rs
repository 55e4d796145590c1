//! Logic tests of the whole window with `egui_kittest` (no GPU: the harness is driven
//! through egui's accessibility tree and never renders). The simulation runs on its own
//! thread, so each test waits (bounded) for the published frame to change.

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use crate::app::ViewerApp;
use crate::sim_thread::Frame;

/// The flagship opened in a viewer under egui_kittest.
pub fn flagship() -> Harness<'static, ViewerApp> {
    let app = ViewerApp::open(&crate::fixtures::scenario_path(
        "flagship_flood_chlorine.ron",
    ));
    assert!(app.loaded().is_ok(), "flagship failed to open");
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_accessibility_check(false)
        // The scenario labels are Chinese: use the system CJK font when there is one
        // (as the app does) and draw tofu rather than fail on machines without one.
        .with_context_setup(|ctx| {
            crate::fonts::install_cjk_font(ctx);
        })
        .allow_missing_glyphs()
        .build_ui_state(|ui, app: &mut ViewerApp| app.show(ui), app)
}

fn frame(h: &Harness<'_, ViewerApp>) -> std::sync::Arc<Frame> {
    h.state().loaded().map(|l| l.sim.frame()).unwrap()
}

/// Steps the UI until `ok` holds for the published frame (at most 60 s).
fn wait_for(h: &mut Harness<'_, ViewerApp>, what: &str, ok: impl Fn(&Frame) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        h.step();
        if ok(&frame(h)) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn opens_the_flagship_with_its_panels() {
    let mut h = flagship();
    h.run_steps(2);
    assert!(!h.state().title().is_empty());
    h.get_by_label("▶ Play");
    h.get_by_label("Controller");
    h.get_by_label("timeline");
    // The MSEL lists the scripted injects, pending ones with a "fire now" button.
    h.get_by_label("I-07");
    assert!(h.query_all_by_label("fire now").count() >= 10);
}

#[test]
fn play_pause_and_step() {
    let mut h = flagship();
    h.run_steps(2);
    h.get_by_label("max").click();
    h.get_by_label("▶ Play").click();
    wait_for(&mut h, "playing", |f| f.playing && f.t_s >= 60.0);
    h.get_by_label("‖ Pause").click();
    wait_for(&mut h, "paused", |f| !f.playing);
    let t = frame(&h).t_s;
    h.step();
    assert!((frame(&h).t_s - t).abs() < 1e-9, "time moved while paused");
    h.get_by_label("Step ›").click();
    wait_for(&mut h, "one tick", |f| f.t_s > t);
}

#[test]
fn click_on_the_timeline_rewinds() {
    let mut h = flagship();
    h.run_steps(2);
    h.get_by_label("max").click();
    h.get_by_label("▶ Play").click();
    wait_for(&mut h, "run past 15 min", |f| f.t_s >= 900.0);
    h.get_by_label("‖ Pause").click();
    wait_for(&mut h, "paused", |f| !f.playing);
    let rect = h.get_by_label("timeline").rect();
    let d = frame(&h).duration_s;
    // 2 % of the 4 h run: 288 s.
    let pos = egui::pos2(rect.left() + rect.width() * 0.02, rect.center().y);
    h.event(egui::Event::PointerMoved(pos));
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::default(),
        });
    }
    wait_for(&mut h, "rewound", |f| f.t_s < 900.0 && f.seeking.is_none());
    let t = frame(&h).t_s;
    // Within one tick of the clicked moment (the harness rect is in points, as is `pos`).
    assert!((t - 0.02 * d).abs() <= 10.0 + 1.0, "rewound to {t} s");
}

#[test]
fn fire_an_inject_now() {
    let mut h = flagship();
    h.run_steps(2);
    let pending = |f: &Frame| {
        f.view
            .injects
            .iter()
            .filter(|i| i.fired_s.is_none())
            .count()
    };
    let before = pending(&frame(&h));
    h.get_all_by_label("fire now").next().unwrap().click();
    h.run_steps(1);
    h.get_by_label("Step ›").click();
    wait_for(&mut h, "the inject to fire", |f| pending(f) < before);
}

#[test]
fn player_view_hides_pending_injects() {
    let mut h = flagship();
    h.run_steps(2);
    assert!(h.query_all_by_label("fire now").count() > 0);
    h.get_by_label("Player").click();
    wait_for(&mut h, "player view", |f| {
        f.view.role == drillsim_engine::exercise::view::Role::Player
    });
    h.run_steps(2);
    assert_eq!(h.query_all_by_label("fire now").count(), 0);
    assert!(h.query_by_label("Live inject").is_none());
    assert!(!frame(&h).view.hazard_fields);
    h.get_by_label("Controller").click();
    wait_for(&mut h, "controller view", |f| f.view.hazard_fields);
    h.run_steps(2);
    assert!(h.query_all_by_label("fire now").count() > 0);
}

#[test]
fn legend_toggles_layers_and_player_sees_no_hazards() {
    let mut h = flagship();
    h.run_steps(2);
    assert_eq!(h.state().map_layers().map(|l| l.depth), Some(true));
    h.get_by_label("Water depth (5 cm – 3 m)").click();
    h.run_steps(1);
    assert_eq!(h.state().map_layers().map(|l| l.depth), Some(false));
    h.get_by_label("Teams").click();
    h.run_steps(1);
    assert_eq!(h.state().map_layers().map(|l| l.teams), Some(false));
    h.get_by_label("Player").click();
    wait_for(&mut h, "player view", |f| f.overlays.is_none());
    h.run_steps(2);
    h.get_by_label("Hazard fields hidden (player view)");
}

#[test]
fn legend_toggles_reach_the_overlay_and_the_vector_layers() {
    let mut h = flagship();
    h.run_steps(2);
    let depth = 1u8 << crate::layer_cache::LayerId::Depth as u8;
    wait_for(&mut h, "overlay with water", |f| {
        f.overlay.as_ref().is_some_and(|o| o.mask & depth != 0)
    });
    h.get_by_label("Water depth (5 cm – 3 m)").click();
    // The toggle goes to the simulation thread, which composites a new overlay.
    wait_for(&mut h, "overlay without water", |f| {
        f.overlay.as_ref().is_some_and(|o| o.mask & depth == 0)
    });
    let layers = |h: &Harness<'_, ViewerApp>| h.state().map_layers().unwrap();
    assert!(layers(&h).roads && layers(&h).routes && layers(&h).flows);
    for label in ["Roads (closed: red cross)", "Team routes", "Evacuee flows"] {
        h.get_by_label(label).click();
        h.run_steps(1);
    }
    assert!(!layers(&h).roads && !layers(&h).routes && !layers(&h).flows);
    // The symbol key is folded until asked for.
    assert!(h.query_by_label("Road closed").is_none());
    h.get_by_label("Symbols").click();
    h.run_steps(2);
    h.get_by_label("Command post");
}

/// Moves the pointer to `pos` and clicks there (press and release), then runs 2 steps.
pub fn click_at<S>(h: &mut Harness<'_, S>, pos: egui::Pos2) {
    h.event(egui::Event::PointerMoved(pos));
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::default(),
        });
    }
    h.run_steps(2);
}

#[test]
fn legend_toggles_hazard_rating_and_contours() {
    let mut h = flagship();
    h.run_steps(2);
    let layers = |h: &Harness<'_, ViewerApp>| h.state().map_layers().unwrap();
    assert!(!layers(&h).hazard && !layers(&h).contours);
    h.get_by_label("Flood hazard rating (FD2320)").click();
    h.run_steps(1);
    assert!(layers(&h).hazard);
    // The FD2320 class key appears with the layer.
    h.get_by_label("Danger for all (≥ 2)");
    h.get_by_label_contains("Contours every").click();
    h.run_steps(1);
    assert!(layers(&h).contours);
    h.get_by_label("Gas: AEGL-3 / 2 / 1").click();
    h.run_steps(1);
    assert!(!layers(&h).gas);
}

#[test]
fn click_a_team_shows_its_details() {
    let mut h = flagship();
    h.run_steps(3);
    // Fold the legend away so that it does not cover the symbols.
    h.get_by_label("Legend (hide)").click();
    h.run_steps(2);
    let f = frame(&h);
    // The team symbol nearest the map's middle (away from the legend, top left).
    let centre = h.state().map_rect().unwrap().center();
    let team = f
        .teams
        .iter()
        .min_by(|a, b| {
            let d = |t: &crate::sim_thread::TeamFrame| {
                h.state().map_screen_pos(t.pos).unwrap().distance(centre)
            };
            d(a).total_cmp(&d(b))
        })
        .expect("teams")
        .clone();
    // No other team symbol within the pick radius (else the click is ambiguous).
    let p0 = h.state().map_screen_pos(team.pos).unwrap();
    assert!(
        h.state().map_rect().unwrap().shrink(20.0).contains(p0),
        "{p0:?}"
    );
    assert!(
        f.teams
            .iter()
            .filter(|t| h.state().map_screen_pos(t.pos).unwrap().distance(p0) < 10.0)
            .count()
            >= 1
    );
    click_at(&mut h, p0);
    // Teams parked together share a spot: the box shows one of the teams there.
    let here: Vec<_> = f
        .teams
        .iter()
        .filter(|t| t.pos == team.pos)
        .map(|t| format!("Team: {}", t.name))
        .collect();
    assert_eq!(h.query_all_by_label_contains("Team: ").count(), 1);
    assert!(
        here.iter().any(|l| h.query_by_label(l).is_some()),
        "none of {here:?} shown at {p0:?}"
    );
    h.get_by_label("Close details").click();
    h.run_steps(2);
    assert_eq!(h.query_all_by_label_contains("Team: ").count(), 0);
}

#[test]
fn click_a_flooded_cell_shows_depth_and_hazard_rating() {
    let t = 1800.0;
    let mut h = flagship();
    h.run_steps(2);
    h.state()
        .loaded()
        .unwrap()
        .sim
        .send(crate::sim_thread::Command::SeekTo(t));
    wait_for(&mut h, "seek", |f| {
        (f.t_s - t).abs() < 1e-6 && f.seeking.is_none()
    });
    h.run_steps(2);
    // An independent run to the same moment gives the reference values.
    let mut sim = crate::fixtures::flagship();
    sim.run_until(t);
    let layers = sim.hazard_layers();
    let g = layers.grid;
    let depth = layers.floods[0].depth_m();
    h.get_by_label("Legend (hide)").click();
    h.run_steps(2);
    // The flooded cell (≥ 30 cm) nearest the map's middle on screen.
    let centre = h.state().map_rect().unwrap().center();
    let (p, _) = (0..depth.len())
        .filter(|&i| depth[i] >= 0.3)
        .map(|i| {
            let w = g.cell_center(i % g.width, i / g.width);
            (w, h.state().map_screen_pos(w).unwrap().distance(centre))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("flooded cells at 30 min");
    let screen = h.state().map_screen_pos(p).unwrap();
    click_at(&mut h, screen);
    wait_for(&mut h, "the probe", |f| f.probe.is_some());
    h.run_steps(2);
    let probed = frame(&h).probe.clone().unwrap().0;
    let want = layers.at(probed[0], probed[1]);
    assert!(want.depth_m >= 0.25, "clicked a dry spot: {want:?}");
    h.get_by_label(&format!("Water depth: {:.2} m", want.depth_m));
    h.get_by_label_contains(&format!("Hazard rating: {:.2}", want.hazard_rating));
}
