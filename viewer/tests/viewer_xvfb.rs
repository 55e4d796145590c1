//! The real viewer under Xvfb: starts `drillsim-viewer` on the flagship drill at T+1:30
//! (`--at 5400 --play`), lets it draw, saves a screenshot (`--screenshot`) and checks it:
//! window-sized, not blank, with flood water on the map; and the map alone (the crop of
//! the map export), mostly water.
//!
//! Needs `xvfb-run` (Debian: xvfb, xauth) and Mesa's software OpenGL (libgl1-mesa-dri);
//! `.ci/run` installs them. Without them the test is skipped with a message, except when
//! `CI` is set, where it fails. `DRILLSIM_UPDATE_SCREENSHOTS=1` copies the screenshot to
//! `docs/viewer_screenshot.png` (shown in the README).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(tool).is_file()))
}

/// RGBA pixels and size of a PNG.
fn read_png(path: &Path) -> (u32, u32, Vec<u8>) {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut decoder = png::Decoder::new(file);
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(
        info.color_type,
        png::ColorType::Rgba,
        "the viewer writes RGBA"
    );
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// Water on the map: blue clearly above red and green (the depth ramp runs from light
/// to dark blue; terrain is brown/grey, UI panels grey).
fn is_water(p: &[u8]) -> bool {
    let (r, g, b) = (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]));
    b >= 110 && b > r + 40 && b > g + 10
}

#[test]
fn real_viewer_under_xvfb_shows_the_flooded_flagship() {
    if !on_path("xvfb-run") || !on_path("Xvfb") {
        let msg = "xvfb-run/Xvfb not found (Debian: apt-get install xvfb xauth libgl1-mesa-dri)";
        assert!(std::env::var_os("CI").is_none(), "CI: {msg}");
        eprintln!("skipped: {msg}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let shot = dir.path().join("viewer.png");
    let scenario = root().join("scenarios/flagship_flood_chlorine.ron");
    let mut child = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1600x1000x24"])
        .arg(env!("CARGO_BIN_EXE_drillsim-viewer"))
        .arg(&scenario)
        .args(["--at", "5400", "--play", "--frames", "20", "--screenshot"])
        .arg(&shot)
        .env("XDG_CONFIG_HOME", dir.path().join("cfg"))
        .env("LIBGL_ALWAYS_SOFTWARE", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xvfb-run starts");
    // Seeking to T+1:30 in a debug build takes about 30 s on one core.
    let deadline = Instant::now() + Duration::from_secs(600);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the viewer did not finish within 600 s");
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(status.success(), "viewer failed ({status}): {stderr}");
    assert!(shot.is_file(), "no screenshot written: {stderr}");

    let (w, h, rgba) = read_png(&shot);
    // The window opens at 1280 × 800 points (1 px per point under Xvfb).
    assert!(w >= 800 && h >= 600, "{w} × {h}");
    let pixels: Vec<&[u8]> = rgba.chunks_exact(4).collect();
    let mut colours: Vec<[u8; 3]> = pixels.iter().map(|p| [p[0], p[1], p[2]]).collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(
        colours.len() > 200,
        "only {} colours: blank window?",
        colours.len()
    );
    // At T+1:30 the levee breach has flooded most of the plain: the map (about half
    // the window) is mostly water. 5 % of the window is a loose floor that UI accents
    // (selected buttons, links) cannot reach alone.
    let water = pixels.iter().filter(|p| is_water(p)).count();
    let share = water as f64 / pixels.len() as f64;
    assert!(
        share > 0.05,
        "water on {:.1} % of the window",
        share * 100.0
    );

    // The map alone (the crop File ▸ Export map PNG uses): smaller than the window and
    // mostly water (the plain between the levees is flooded at T+1:30).
    let (mw, mh, map) = read_png(&dir.path().join("viewer_map.png"));
    assert!(
        mw < w && mh < h && mw >= 300 && mh >= 200,
        "map {mw} × {mh}"
    );
    let map_px: Vec<&[u8]> = map.chunks_exact(4).collect();
    let map_water = map_px.iter().filter(|p| is_water(p)).count() as f64 / map_px.len() as f64;
    assert!(
        map_water > 0.3,
        "water on {:.1} % of the map",
        map_water * 100.0
    );

    if std::env::var_os("DRILLSIM_UPDATE_SCREENSHOTS").is_some() {
        let dest = root().join("docs/viewer_screenshot.png");
        std::fs::copy(&shot, &dest).unwrap();
        eprintln!("updated {}", dest.display());
    }
}
