//! Planner tests: egui_kittest drives the planner (drag a base on the canvas, save and
//! compare layouts, export) on a hand-checkable scenario, and the app's mode switch.
//!
//! The scenario: a 10 km × 2 km flat town with secondary roads (50 km/h = 13.889 m/s,
//! CJJ 37-2012 design speed used by the engine's road model) every 1000 m, i.e. streets
//! at x = 500, 1500, …, 9500 m and y = 500, 1500 m. A base at (500, 500), a cluster of
//! 1000 people at (9500, 500) and 10 people at (500, 1500).
//! - Base at (500, 500): the 10 people are 1000 m away (72 s), the 1000 people 9000 m
//!   (648 s). Within 5 min (300 s): 10; within 15 min (900 s): 1010.
//! - Base moved onto the cluster at (9500, 500): the 1000 people are at 0 s, the 10 at
//!   9000 + 1000 m = 10 000 m (720 s). Within 5 min: 1000; within 15 min: 1010.
//!
//! Counts are sums of whole people: compared exactly.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use drillsim_engine::output::terrain_rgba;
use drillsim_engine::scenario::LoadedScenario;
use drillsim_engine::{RunConfig, Simulation};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::Planner;
use super::compare::metrics;

const TOWN: &str = r#"// planner test town
Scenario(
    meta: (name: "planner line", description: "planner test"),
    run: (duration_s: 60.0, tick_s: 30.0, outputs: (png: false, ascii_grid: false)),
    map: (width: 100, height: 20, cell_size_m: 100.0, terrain: Flat(elevation_m: 10.0)),
    weather: (wind: [(t_s: 0.0, speed_m_s: 3.0, from_deg: 270.0)], temperature_c: Constant(20.0)),
    roads: Some(Grid(spacing_m: 1000.0, class: secondary)),
    facilities: [
        Base(site: (id: "base", name: Some("镇消防站"), location_xy_m: (500.0, 500.0)), kind: FireStation),
        Shelter(site: (id: "hall", name: Some("东村礼堂"), location_xy_m: (500.0, 1500.0)), capacity: 100),
    ],
    population: [
        Group((site: (id: "P", location_xy_m: (9500.0, 500.0)), people: 1000, action: ShelterInPlace(ach: 0.3))),
        Group((site: (id: "Q", location_xy_m: (500.0, 1500.0)), people: 10, action: Evacuate(shelter: None))),
    ],
)
"#;

fn town() -> (LoadedScenario, Harness<'static, Planner>) {
    let loaded = drillsim_engine::scenario::parse(TOWN, "town.ron", PathBuf::new()).unwrap();
    let sim = Simulation::from_scenario(loaded.clone(), RunConfig::default()).unwrap();
    let spec = sim.terrain().spec;
    let rgba = terrain_rgba(&sim.terrain().elevation);
    let planner = Planner::new(Arc::new(loaded.clone()), spec, rgba);
    let h = Harness::builder()
        .with_size(egui::vec2(1400.0, 800.0))
        .with_accessibility_check(false)
        .with_context_setup(|ctx| {
            crate::fonts::install_cjk_font(ctx);
        })
        .allow_missing_glyphs()
        .build_ui_state(|ui, p: &mut Planner| p.ui(ui), planner);
    (loaded, h)
}

/// Steps until the planner has no analysis outstanding and `ok` holds (at most 120 s).
fn settle(h: &mut Harness<'_, Planner>, what: &str, ok: impl Fn(&Planner) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        h.step();
        if h.state().idle() && ok(h.state()) {
            h.run_steps(2);
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn within_b(p: &Planner) -> [f64; 3] {
    let cov = p.analyses().0.unwrap().coverage.as_ref().unwrap();
    metrics(cov).within
}

/// Presses on `from`, moves in ten steps to `to` and releases there.
fn drag(h: &mut Harness<'_, Planner>, from: egui::Pos2, to: egui::Pos2) {
    h.hover_at(from);
    h.step();
    h.drag_at(from);
    h.step();
    for k in 1..=10 {
        h.hover_at(from + (to - from) * (k as f32 / 10.0));
        h.step();
    }
    h.drop_at(to);
    h.step();
}

fn drag_base_onto_cluster(h: &mut Harness<'_, Planner>) -> usize {
    let base = h.state().site("base");
    let from = h.state().screen_b(h.state().pos_b(base));
    let to = h.state().screen_b([9500.0, 500.0]);
    drag(h, from, to);
    base
}

#[test]
fn dragging_the_base_onto_the_cluster_raises_5_min_coverage() {
    let (_, mut h) = town();
    settle(&mut h, "first analysis", |p| p.analyses().0.is_some());
    assert_eq!(within_b(h.state()), [10.0, 1010.0, 1010.0]);
    assert_eq!(h.query_all_by_label("1000").count(), 0);
    let base = drag_base_onto_cluster(&mut h);
    // Dropped within a few metres of the target (a screen pixel is ~10 m here).
    let p = h.state().pos_b(base);
    assert!(
        (p[0] - 9500.0).abs() < 30.0 && (p[1] - 500.0).abs() < 30.0,
        "{p:?}"
    );
    settle(&mut h, "analysis of the moved base", |p| {
        p.analyses().0.unwrap().layout.pos[base] == p.pos_b(base)
    });
    assert_eq!(within_b(h.state()), [1000.0, 1010.0, 1010.0]);
    // The table shows the new 5-min count (base row and total row).
    assert_eq!(h.query_all_by_label("1000").count(), 2);
}

/// A site grabbed 8 px right of its centre keeps that offset: dropped 8 px right of
/// the target, it lands on the target (8 px ≈ 80 m here, far above the tolerance).
#[test]
fn a_site_grabbed_off_centre_does_not_jump() {
    let (_, mut h) = town();
    settle(&mut h, "first analysis", |p| p.analyses().0.is_some());
    let base = h.state().site("base");
    let off = egui::vec2(8.0, 0.0);
    let from = h.state().screen_b(h.state().pos_b(base)) + off;
    let to = h.state().screen_b([5500.0, 1500.0]) + off;
    drag(&mut h, from, to);
    let p = h.state().pos_b(base);
    assert!(
        (p[0] - 5500.0).abs() < 30.0 && (p[1] - 1500.0).abs() < 30.0,
        "{p:?}"
    );
}

#[test]
fn dragging_empty_ground_pans_and_moves_no_site() {
    let (_, mut h) = town();
    settle(&mut h, "first analysis", |p| p.analyses().0.is_some());
    let before = h.state().pos_b(0);
    let s0 = h.state().screen_b([5000.0, 1000.0]);
    drag(&mut h, s0, s0 + egui::vec2(100.0, 0.0));
    assert_eq!(h.state().pos_b(0), before);
    let s1 = h.state().screen_b([5000.0, 1000.0]);
    assert!(
        (s1.x - s0.x - 100.0).abs() < 1.0,
        "view did not pan: {s0:?} → {s1:?}"
    );
}

#[test]
fn compare_table_shows_both_layouts() {
    let (_, mut h) = town();
    settle(&mut h, "first analysis", |p| p.analyses().0.is_some());
    h.get_by_label("Save as layout A").click();
    settle(&mut h, "layout A", |p| p.analyses().1.is_some());
    drag_base_onto_cluster(&mut h);
    settle(&mut h, "layout B", |p| {
        let b = p.site("base");
        p.analyses().0.unwrap().layout.pos[b] == p.pos_b(b)
    });
    h.get_by_label("Compare A and B").click();
    h.run_steps(2);
    h.get_by_label("Layout A");
    h.get_by_label("Layout B");
    h.get_by_label("Change");
    // A keeps the old 5-min count (10), B has 1000: change +990; 15 min unchanged.
    let (b, a) = h.state().analyses();
    let (ma, mb) = (
        metrics(a.unwrap().coverage.as_ref().unwrap()),
        metrics(b.unwrap().coverage.as_ref().unwrap()),
    );
    assert_eq!((ma.within[0], mb.within[0]), (10.0, 1000.0));
    h.get_by_label("+990");
    assert!(h.query_all_by_label("+0").count() >= 1);
}

/// Side by side, both canvases share one view: a drag on layout A (read-only) pans
/// both maps by the same amount and moves no site, even when it starts on a base.
#[test]
fn compare_view_pans_both_maps_and_keeps_a_fixed() {
    let (_, mut h) = town();
    settle(&mut h, "first analysis", |p| p.analyses().0.is_some());
    h.get_by_label("Save as layout A").click();
    settle(&mut h, "layout A", |p| p.analyses().1.is_some());
    h.get_by_label("Compare A and B").click();
    h.run_steps(3);
    let base = h.state().site("base");
    let on_base_a = h.state().screen_a(h.state().pos_a(base)).unwrap();
    let pt = [5000.0, 1000.0];
    let (a0, b0) = (h.state().screen_a(pt).unwrap(), h.state().screen_b(pt));
    // The two canvases show the same window: the point sits at the same place in each.
    let rect_shift = b0 - a0;
    assert!(
        rect_shift.y.abs() < 1e-3 && rect_shift.x > 100.0,
        "{rect_shift:?}"
    );
    drag(&mut h, on_base_a, on_base_a + egui::vec2(0.0, 60.0));
    let (a1, b1) = (h.state().screen_a(pt).unwrap(), h.state().screen_b(pt));
    assert!(
        ((a1 - a0) - egui::vec2(0.0, 60.0)).length() < 1.0,
        "{a0:?} → {a1:?}"
    );
    assert!(
        ((b1 - b0) - egui::vec2(0.0, 60.0)).length() < 1.0,
        "{b0:?} → {b1:?}"
    );
    assert_eq!(h.state().pos_a(base), [500.0, 500.0]);
    assert_eq!(h.state().pos_b(base), [500.0, 500.0]);
}

#[test]
fn exported_scenario_loads_with_the_moved_base() {
    let (loaded, mut h) = town();
    settle(&mut h, "first analysis", |p| p.analyses().0.is_some());
    let base = drag_base_onto_cluster(&mut h);
    let moved = h.state().pos_b(base);
    // Let the moved layout's analysis land first: its tables grow the side panel, and a
    // click aimed at the button's last position could otherwise miss it.
    settle(&mut h, "analysis of the moved base", |p| {
        p.analyses().0.unwrap().layout.pos[base] == p.pos_b(base)
    });
    let dir = std::env::temp_dir().join(format!("drillsim-planner-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("town_layout.ron");
    h.state_mut().set_export_path(path.to_str().unwrap());
    h.get_by_label("Export layout B").click();
    h.run_steps(2);
    let back = drillsim_engine::scenario::load(&path).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let sites = super::layout::sites(&back);
    let lay = super::layout::layout_of(&back, &sites);
    assert_eq!(lay.pos[base], moved);
    assert_ne!(moved, [500.0, 500.0]);
    // Labels and the untouched site survive; the comment line too.
    assert_eq!(sites[base].label, "镇消防站");
    assert_eq!(lay.pos[1], [500.0, 1500.0]);
    assert!(back.text.starts_with("// planner test town"));
    assert_eq!(back.text.lines().count(), loaded.text.lines().count());
}

/// The town has no hazards: with the option on, the analysis must carry the hazard
/// time and use the vehicle's costs, which can only be slower than free flow.
#[test]
fn hazard_option_recomputes_at_the_chosen_minute() {
    let (_, mut h) = town();
    settle(&mut h, "first analysis", |p| p.analyses().0.is_some());
    assert!(h.state().analyses().0.unwrap().hazard.is_none());
    h.get_by_label("Free-flow travel times (no hazards)");
    h.get_by_label("Hazards at minute").click();
    settle(&mut h, "hazard analysis", |p| {
        p.analyses().0.unwrap().hazard.is_some()
    });
    let an = h.state().analyses().0.unwrap();
    assert_eq!(an.hazard.as_ref().unwrap().t_s, 3600.0);
    for (w, f) in within_b(h.state()).iter().zip([10.0, 1010.0, 1010.0]) {
        assert!(*w <= f);
    }
    h.get_by_label("Travel times through the hazards at minute 60");
}

#[test]
fn top_bar_switches_to_planner_mode() {
    let mut h = crate::ui_tests::flagship();
    h.run_steps(2);
    assert_eq!(h.query_all_by_label("Save as layout A").count(), 0);
    h.get_by_label("timeline");
    h.get_by_label("▶ Play");
    h.get_by_label("Planner").click();
    h.run_steps(2);
    h.get_by_label("Save as layout A");
    assert!(h.state().loaded().unwrap().planner.planner().is_some());
    // No time bar or live controls in planner mode; the top bar says where the run is.
    assert!(h.query_by_label("timeline").is_none());
    assert!(h.query_by_label("▶ Play").is_none());
    assert!(h.query_by_label("Controller").is_none());
    h.get_by_label("Live run at T+00:00:00 (paused)");
    h.get_by_label("Live").click();
    h.run_steps(2);
    assert_eq!(h.query_all_by_label("Save as layout A").count(), 0);
    h.get_by_label("Event log");
    h.get_by_label("timeline");
    h.get_by_label("▶ Play");
}
