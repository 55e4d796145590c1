//! `drillsim-viewer [scenario.ron] [--at SECONDS] [--play] [--planner] [--lang en|zh]
//! [--screenshot PATH [--frames N]]`: the desktop viewer (eframe, glow renderer).
//! Without a scenario it opens on the start screen. `--at` opens the run at that
//! simulated time, `--play` starts playing, `--planner` opens in planner mode, `--lang`
//! sets the UI language,
//! `--screenshot` writes the window as PNG after N frames (default 30, counted once a
//! seek has finished), and the map alone beside it as `<name>_map.png` (the map export's
//! crop), then quits. `drillsim-viewer --frame-stats N` measures the map's frame time on
//! a synthetic 2000 × 2000 run (see `frame_stats`).
//!
//! The app struct only wires panels to an engine [`drillsim_engine::Simulation`], which
//! runs on its own thread so the UI never stalls.

mod app;
mod composite;
mod export;
mod file_browser;
#[cfg(test)]
mod fixtures;
mod fonts;
mod frame_stats;
mod history;
mod i18n;
mod layer_cache;
mod map;
mod map_composite;
mod map_details;
mod map_i18n;
mod map_symbols;
mod map_vectors;
mod panels;
mod planner;
mod raster;
mod settings;
mod shell;
#[cfg(test)]
mod shell_tests;
mod sim_thread;
mod start;
#[cfg(test)]
mod ui_tests;

use std::path::PathBuf;

/// Command line: scenario path, start time (s), play at once.
#[derive(Debug, PartialEq)]
struct Args {
    scenario: Option<PathBuf>,
    at_s: Option<f64>,
    play: bool,
    planner: bool,
    lang: Option<i18n::Lang>,
    screenshot: Option<shell::ScreenshotMode>,
}

fn parse_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> Result<Args, String> {
    let mut out = Args {
        scenario: None,
        at_s: None,
        play: false,
        planner: false,
        lang: None,
        screenshot: None,
    };
    let mut frames = 30;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.to_str() {
            Some("--play") => out.play = true,
            Some("--planner") => out.planner = true,
            Some("--at") => {
                let v = it.next().ok_or("--at needs a time in seconds")?;
                let t = v
                    .to_str()
                    .and_then(|s| s.parse::<f64>().ok())
                    .filter(|t| t.is_finite() && *t >= 0.0)
                    .ok_or_else(|| format!("--at: not a time in seconds: {}", v.display()))?;
                out.at_s = Some(t);
            }
            Some("--lang") => {
                let v = it.next().ok_or("--lang needs en or zh")?;
                let l = v.to_str().and_then(i18n::Lang::parse);
                out.lang = Some(l.ok_or_else(|| format!("--lang: en or zh, not {}", v.display()))?);
            }
            Some("--screenshot") => {
                let v = it.next().ok_or("--screenshot needs a PNG path")?;
                out.screenshot = Some(shell::ScreenshotMode {
                    path: PathBuf::from(v),
                    frames: 0,
                });
            }
            Some("--frames") => {
                let v = it.next().ok_or("--frames needs a count")?;
                frames = v
                    .to_str()
                    .and_then(|s| s.parse::<u32>().ok())
                    .ok_or_else(|| format!("--frames: not a count: {}", v.display()))?;
            }
            Some(s) if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => out.scenario = Some(PathBuf::from(a)),
        }
    }
    if let Some(s) = &mut out.screenshot {
        s.frames = frames;
    }
    Ok(out)
}

fn main() -> eframe::Result {
    // `--frame-stats N`: measure N frames of the synthetic 2000 × 2000 map and exit.
    let raw: Vec<String> = std::env::args().collect();
    if let Some(i) = raw.iter().position(|a| a == "--frame-stats") {
        let n = raw.get(i + 1).and_then(|v| v.parse().ok()).unwrap_or(300);
        let options = eframe::NativeOptions {
            renderer: eframe::Renderer::Glow,
            viewport: egui::ViewportBuilder::default()
                .with_title("drillsim frame stats")
                .with_inner_size([1280.0, 800.0]),
            ..Default::default()
        };
        return eframe::run_native(
            "drillsim-frame-stats",
            options,
            Box::new(move |_| Ok(Box::new(frame_stats::StatsApp::new(n)))),
        );
    }
    let args = match parse_args(std::env::args_os().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("drillsim-viewer: {e}");
            std::process::exit(2);
        }
    };
    let options = eframe::NativeOptions {
        renderer: eframe::Renderer::Glow,
        viewport: egui::ViewportBuilder::default()
            .with_title("drillsim")
            .with_inner_size([1280.0, 800.0]),
        ..Default::default()
    };
    eframe::run_native(
        "drillsim",
        options,
        Box::new(move |cc| {
            let cjk = fonts::install_cjk_font(&cc.egui_ctx);
            if cjk.is_none() {
                eprintln!("drillsim-viewer: {}", fonts::MISSING_HINT);
            }
            if let Some(l) = args.lang {
                i18n::set_lang(l);
            }
            let mut shell =
                shell::Shell::new(settings::default_dir().map(|dir| settings::Store { dir }));
            shell.cjk_font = cjk;
            shell.screenshot = args.screenshot;
            if let Some(path) = &args.scenario {
                shell.open_then(
                    path,
                    Some(shell::OnLoad {
                        at_s: args.at_s,
                        play: args.play,
                        planner: args.planner,
                    }),
                );
            }
            Ok(Box::new(shell))
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line() {
        let a =
            parse_args(["s.ron", "--at", "5400", "--play", "--planner"].map(Into::into)).unwrap();
        assert_eq!(
            a,
            Args {
                scenario: Some("s.ron".into()),
                at_s: Some(5400.0),
                play: true,
                planner: true,
                lang: None,
                screenshot: None,
            }
        );
        let a =
            parse_args(["--lang", "zh", "--screenshot", "o.png", "--frames", "5"].map(Into::into))
                .unwrap();
        assert_eq!(a.scenario, None);
        assert_eq!(a.lang, Some(i18n::Lang::Zh));
        assert_eq!(
            a.screenshot,
            Some(shell::ScreenshotMode {
                path: "o.png".into(),
                frames: 5
            })
        );
        assert!(parse_args(["--lang", "fr"].map(Into::into)).is_err());
        assert!(parse_args(["--frames", "-1"].map(Into::into)).is_err());
        assert!(parse_args(["--bogus"].map(Into::into)).is_err());
        assert!(parse_args(["--at", "x"].map(Into::into)).is_err());
        assert!(parse_args(["--at"].map(Into::into)).is_err());
    }
}
