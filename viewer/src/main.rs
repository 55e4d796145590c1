//! `drillsim-viewer [scenario.ron] [--at SECONDS] [--play]`: the desktop viewer (eframe,
//! glow renderer). `--at` opens the run at that simulated time, `--play` starts playing.
//! `drillsim-viewer --frame-stats N` measures the map's frame time (see `frame_stats`).
//!
//! The app struct only wires panels to an engine [`drillsim_engine::Simulation`], which
//! runs on its own thread so the UI never stalls.

mod app;
mod fonts;
mod frame_stats;
mod layer_cache;
mod map;
mod map_composite;
mod map_details;
mod map_symbols;
mod panels;
mod raster;
mod sim_thread;
#[cfg(test)]
mod ui_tests;

use std::path::PathBuf;

/// Command line: scenario path, start time (s), play at once.
#[derive(Debug, PartialEq)]
struct Args {
    scenario: PathBuf,
    at_s: Option<f64>,
    play: bool,
}

fn parse_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> Result<Args, String> {
    let mut out = Args {
        scenario: PathBuf::from("scenarios/default.ron"),
        at_s: None,
        play: false,
    };
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.to_str() {
            Some("--play") => out.play = true,
            Some("--at") => {
                let v = it.next().ok_or("--at needs a time in seconds")?;
                let t = v
                    .to_str()
                    .and_then(|s| s.parse::<f64>().ok())
                    .filter(|t| t.is_finite() && *t >= 0.0)
                    .ok_or_else(|| format!("--at: not a time in seconds: {}", v.display()))?;
                out.at_s = Some(t);
            }
            _ => out.scenario = PathBuf::from(a),
        }
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
            fonts::install_cjk_font(&cc.egui_ctx);
            let app = app::ViewerApp::open(&args.scenario);
            app.start(args.at_s, args.play);
            Ok(Box::new(app))
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line() {
        let a = parse_args(["s.ron", "--at", "5400", "--play"].map(Into::into)).unwrap();
        assert_eq!(
            a,
            Args {
                scenario: "s.ron".into(),
                at_s: Some(5400.0),
                play: true
            }
        );
        assert!(parse_args(["--at", "x"].map(Into::into)).is_err());
        assert!(parse_args(["--at"].map(Into::into)).is_err());
    }
}
