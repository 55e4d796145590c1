//! The UI side of the hazard overlay: the simulation thread composites the shown
//! layers into one premultiplied image (`composite`), versioned with its dirty row
//! bands; here only the rows changed since the version on screen are uploaded
//! (`TextureHandle::set_partial`), without any per-pixel work on the UI thread.
//! Software GL (llvmpipe) pays per textured full-map quad, so one overlay quad instead
//! of seven keeps the frame time low.

use egui::TextureHandle;

use crate::composite::Overlay;

/// The overlay texture.
#[derive(Default)]
pub struct OverlayTexture {
    seen: Option<u64>,
    /// The texture, once an overlay was uploaded.
    pub tex: Option<TextureHandle>,
    /// Rows uploaded by the last update.
    pub uploaded_rows: usize,
}

impl OverlayTexture {
    /// Brings the texture up to date with `overlay` (`w` × `h` grid).
    pub fn update(
        &mut self,
        ctx: &egui::Context,
        overlay: Option<&Overlay>,
        (w, h): (usize, usize),
    ) {
        self.uploaded_rows = 0;
        let Some(img) = overlay
            .map(|o| &o.image)
            .filter(|im| im.rgba.len() == w * h * 4 && h > 0)
        else {
            self.tex = None;
            self.seen = None;
            return;
        };
        let seen = self.seen.filter(|_| self.tex.is_some());
        let (lo, hi) = match img.band_since(seen) {
            Some(None) => return,
            Some(Some(b)) => b,
            None => (0, h - 1),
        };
        self.seen = Some(img.version);
        let rows = &img.rgba[lo * w * 4..(hi + 1) * w * 4];
        let image = egui::ColorImage::from_rgba_premultiplied([w, hi + 1 - lo], rows);
        match &mut self.tex {
            Some(t) if lo > 0 || hi + 1 < h => {
                t.set_partial([0, lo], image, egui::TextureOptions::NEAREST);
            }
            Some(t) => t.set(image, egui::TextureOptions::NEAREST),
            None => {
                self.tex = Some(ctx.load_texture("overlay", image, egui::TextureOptions::NEAREST));
            }
        }
        self.uploaded_rows = hi + 1 - lo;
    }
}
