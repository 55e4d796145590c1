//! CJK text: scenario labels are often Chinese. egui's built-in fonts have no CJK glyphs,
//! so a system CJK font is added as a fallback when one is installed (Debian:
//! `apt-get install fonts-noto-cjk`, or `fonts-wqy-microhei`). Without one, Latin text
//! still renders and CJK characters show as boxes.

use std::sync::Arc;

/// Shown when no CJK font is installed.
pub const MISSING_HINT: &str =
    "No CJK font found: Chinese text shows as boxes (Debian: apt-get install fonts-noto-cjk).";

/// Font files tried in order.
pub const CANDIDATES: [&str; 6] = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/System/Library/Fonts/PingFang.ttc",
];

/// Adds the first CJK font found as a fallback of both font families (egui's own fonts
/// stay first, so Latin text looks the same with or without it). Returns its path, or
/// `None` with the fonts left unchanged; an unreadable candidate is skipped.
pub fn install_cjk_font(ctx: &egui::Context) -> Option<&'static str> {
    let (path, bytes) = CANDIDATES.iter().find_map(|p| {
        std::fs::read(p)
            .ok()
            .filter(|b| !b.is_empty())
            .map(|b| (*p, b))
    })?;
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "cjk".to_owned(),
        Arc::new(egui::FontData::from_owned(bytes)),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push("cjk".to_owned());
    }
    ctx.set_fonts(fonts);
    Some(path)
}
