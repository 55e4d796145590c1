//! egui_kittest logic tests of the shell: start screen, file browser, recent files,
//! bookmarks, charts, language, shortcuts. State is saved in a temporary folder.

use std::path::Path;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use crate::settings::Store;
use crate::shell::Shell;
use crate::sim_thread::Frame;

fn harness(dir: &Path) -> Harness<'static, Shell> {
    let shell = Shell::new(Some(Store {
        dir: dir.to_path_buf(),
    }));
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_accessibility_check(false)
        .with_context_setup(|ctx| {
            crate::fonts::install_cjk_font(ctx);
        })
        .allow_missing_glyphs()
        .build_ui_state(|ui, s: &mut Shell| s.show(ui), shell)
}

fn frame(h: &Harness<'_, Shell>) -> std::sync::Arc<Frame> {
    h.state()
        .app
        .as_ref()
        .unwrap()
        .loaded()
        .unwrap()
        .sim
        .frame()
}

fn wait_for(h: &mut Harness<'_, Shell>, what: &str, ok: impl Fn(&Frame) -> bool) {
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

fn flagship_name(h: &Harness<'_, Shell>) -> String {
    h.state()
        .start
        .entries
        .iter()
        .find(|e| e.path.ends_with("flagship_flood_chlorine.ron"))
        .expect("flagship on the start screen")
        .name
        .clone()
}

/// Opens the flagship by clicking its name on the start screen.
/// Steps until the scenario being opened has loaded (or failed).
fn wait_loaded(h: &mut Harness<'_, Shell>) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while h.state().loading.is_some() {
        assert!(Instant::now() < deadline, "timed out loading");
        h.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    h.run_steps(2);
}

fn open_flagship(h: &mut Harness<'_, Shell>) {
    h.run_steps(2);
    let name = flagship_name(h);
    h.get_by_label(&name).click();
    h.run_steps(1);
    wait_loaded(h);
    assert!(h.state().app.is_some(), "flagship not opened");
}

#[test]
fn start_screen_opens_a_scenario_and_remembers_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run_steps(2);
    h.get_by_label("Shipped scenarios");
    h.get_by_label("No recent files.");
    open_flagship(&mut h);
    h.get_by_label("▶ Play");
    let recent = h.state().recent.clone();
    assert_eq!(recent.len(), 1);
    assert!(recent[0].ends_with("flagship_flood_chlorine.ron"));
    // Saved: a new shell on the same folder lists it.
    assert_eq!(
        Shell::new(Some(Store {
            dir: dir.path().into()
        }))
        .recent,
        *recent
    );
    // Back to the start screen: the recent file is listed and opens again.
    h.get_by_label("File").click();
    h.run_steps(3);
    h.get_by_label("Start screen").click();
    h.run_steps(2);
    assert!(h.state().app.is_none());
    let shown = recent[0].display().to_string();
    h.get_by_label(&shown).click();
    h.run_steps(1);
    wait_loaded(&mut h);
    assert!(h.state().app.is_some());
}

#[test]
fn opening_does_not_block_and_can_be_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run_steps(2);
    let name = flagship_name(&h);
    h.get_by_label(&name).click();
    // The frame that asked for the scenario returned without it: it loads on a worker.
    h.step();
    assert!(h.state().loading.is_some() && h.state().app.is_none());
    // Escape cancels: back on the start screen, and the late result is dropped.
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert!(h.state().loading.is_none());
    std::thread::sleep(Duration::from_millis(1500));
    h.run_steps(3);
    assert!(h.state().app.is_none(), "a cancelled load must not open");
    h.get_by_label("Shipped scenarios");
    // Opened again, it loads; the loading screen names the file meanwhile.
    h.state_mut().open(&crate::fixtures::scenario_path(
        "flagship_flood_chlorine.ron",
    ));
    h.run_steps(1);
    if h.state().loading.is_some() {
        h.get_by_label("Loading flagship_flood_chlorine.ron…");
    }
    wait_loaded(&mut h);
    assert!(h.state().app.is_some());
}

#[test]
fn a_bad_scenario_shows_its_error_on_the_start_screen() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, "(meta: (name: \"x\"),\n nope: 1)").unwrap();
    let mut h = harness(&dir.path().join("cfg"));
    h.run_steps(3);
    h.state_mut().open(&bad);
    wait_loaded(&mut h);
    assert!(h.state().app.is_none());
    h.get_by_label("Could not open the scenario");
    let (_, e) = h.state().start.error.clone().unwrap();
    assert!(e.contains("bad.ron:2:"), "line and column of `nope`: {e}");
    assert!(h.state().recent.is_empty(), "a failed open is not recent");
}

#[test]
fn file_browser_opens_a_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run_steps(2);
    // The start screen's own "Open…" (File ▸ Open… opens the same browser).
    h.get_by_label("Open…").click();
    h.run_steps(4);
    h.get_by_label("Open scenario");
    h.get_by_label("flagship_flood_chlorine.ron").click();
    h.run_steps(3);
    h.get_by_label("Open").click();
    h.run_steps(1);
    wait_loaded(&mut h);
    assert!(h.state().browser.is_none());
    assert!(
        h.state()
            .scenario
            .as_ref()
            .is_some_and(|p| p.ends_with("flagship_flood_chlorine.ron"))
    );
}

#[test]
fn bookmark_then_seek_back_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    open_flagship(&mut h);
    h.get_by_label("max").click();
    // Space plays (no text field has focus).
    h.key_press(egui::Key::Space);
    wait_for(&mut h, "run past 10 min", |f| f.playing && f.t_s >= 600.0);
    h.key_press(egui::Key::Space);
    wait_for(&mut h, "paused", |f| !f.playing);
    let t_mark = frame(&h).t_s;
    h.state_mut()
        .app
        .as_mut()
        .and_then(crate::app::ViewerApp::loaded_mut)
        .unwrap()
        .bookmarks
        .name = "first water".into();
    h.get_by_label("Bookmark this moment").click();
    h.run_steps(3);
    let marks = h
        .state()
        .app
        .as_ref()
        .unwrap()
        .loaded()
        .unwrap()
        .bookmarks
        .marks
        .clone();
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0].t_s, t_mark);
    assert_eq!(marks[0].name, "first water");
    // Saved for this scenario.
    let store = Store {
        dir: dir.path().into(),
    };
    assert_eq!(
        store.bookmarks(h.state().scenario.as_ref().unwrap()).0,
        marks
    );
    h.get_by_label("▶ Play").click();
    wait_for(&mut h, "run on", |f| f.t_s >= t_mark + 300.0);
    h.get_by_label("‖ Pause").click();
    wait_for(&mut h, "paused", |f| !f.playing);
    h.get_by_label(&marks[0].name).click();
    wait_for(&mut h, "back at the bookmark", |f| {
        f.seeking.is_none() && (f.t_s - t_mark).abs() < 1e-6
    });
    // The bookmark is also a marker on the timeline: a click 3 points beside it goes
    // to its exact time.
    h.get_by_label("▶ Play").click();
    wait_for(&mut h, "run on again", |f| f.t_s >= t_mark + 300.0);
    h.get_by_label("‖ Pause").click();
    wait_for(&mut h, "paused again", |f| !f.playing);
    let bar = h.get_by_label("timeline").rect();
    let d = frame(&h).duration_s;
    let x = bar.left() + bar.width() * (t_mark / d) as f32 + 3.0;
    crate::ui_tests::click_at(&mut h, egui::pos2(x, bar.center().y));
    wait_for(&mut h, "at the bookmark via its marker", |f| {
        f.seeking.is_none() && (f.t_s - t_mark).abs() < 1e-6
    });
}

#[test]
fn charts_have_data_after_playing_and_history_rewinds() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    open_flagship(&mut h);
    let plotted = |h: &Harness<'_, Shell>| {
        h.state()
            .app
            .as_ref()
            .unwrap()
            .loaded()
            .unwrap()
            .charts
            .plotted
    };
    assert_eq!(plotted(&h), 0);
    h.get_by_label("No data yet: play the run.");
    h.get_by_label("max").click();
    h.get_by_label("▶ Play").click();
    wait_for(&mut h, "run past 30 min", |f| f.t_s >= 1800.0);
    h.get_by_label("‖ Pause").click();
    wait_for(&mut h, "paused", |f| !f.playing);
    h.run_steps(2);
    // One point per minute of flood (rows every 60 s), two series.
    assert!(plotted(&h) >= 30, "{} points", plotted(&h));
    h.get_by_label("Exposure").click();
    h.run_steps(2);
    assert!(plotted(&h) > 0);
    // Home rewinds to T+0: the history after it is dropped.
    h.key_press(egui::Key::Home);
    wait_for(&mut h, "rewound", |f| f.t_s == 0.0 && f.seeking.is_none());
    assert!(frame(&h).history.samples.is_empty());
}

#[test]
fn language_switch_changes_the_labels() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    open_flagship(&mut h);
    h.get_by_label("View").click();
    h.run_steps(3);
    h.get_by_label("简体中文").click();
    h.run_steps(2);
    h.get_by_label("文件");
    h.get_by_label("▶ 播放");
    assert!(h.query_by_label("▶ Play").is_none());
    h.get_by_label("视图").click();
    h.run_steps(3);
    h.get_by_label("English").click();
    h.run_steps(2);
    h.get_by_label("▶ Play");
    assert_eq!(crate::i18n::lang(), crate::i18n::Lang::En);
}

#[test]
fn help_lists_the_shortcuts() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run_steps(3);
    h.get_by_label("Help").click();
    h.run_steps(3);
    h.get_by_label("Keyboard shortcuts").click();
    h.run_steps(2);
    h.get_by_label("Space: play / pause");
}
