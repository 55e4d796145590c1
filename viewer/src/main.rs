//! `drillsim-viewer [scenario.ron]`: the desktop viewer (eframe, glow renderer).
//!
//! The app struct only wires panels to an engine [`drillsim_engine::Simulation`], which
//! runs on its own thread so the UI never stalls.

mod app;
mod fonts;
mod layers;
mod map;
mod panels;
mod sim_thread;
#[cfg(test)]
mod ui_tests;

use std::path::PathBuf;

fn main() -> eframe::Result {
    let scenario = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("scenarios/default.ron"), PathBuf::from);
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
            Ok(Box::new(app::ViewerApp::open(&scenario)))
        }),
    )
}
