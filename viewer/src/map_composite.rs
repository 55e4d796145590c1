//! The hazard overlay as ONE texture: the layer images (and the contours) shown are
//! alpha-composited on the CPU into a persistent buffer, only over the rows that changed
//! since the last frame (the union of the layers' dirty bands), and only that band is
//! uploaded (`TextureHandle::set_partial`). Software GL (llvmpipe) pays per textured
//! full-map quad, so one overlay quad instead of seven keeps the frame time low; a layer
//! toggle recomposites the whole overlay once.

use std::sync::Arc;

use egui::TextureHandle;

use crate::layer_cache::{LAYERS, LayerId, LayerSet};
use crate::map::Layers;

/// Drawing order, bottom to top: fills first, zone outlines on top.
const ORDER: [LayerId; LAYERS] = [
    LayerId::Depth,
    LayerId::Hazard,
    LayerId::Fire,
    LayerId::Overpressure,
    LayerId::Thermal,
    LayerId::Gas,
];

/// The composited overlay.
pub struct Composite {
    w: usize,
    h: usize,
    seen: [Option<u64>; LAYERS],
    imgs: [Option<Arc<Vec<u8>>>; LAYERS],
    /// Contour image (RGBA) and interval, m.
    pub contours: Option<(Vec<u8>, f64)>,
    shown: Option<Layers>,
    rgba: Vec<u8>,
    /// The overlay texture.
    pub tex: Option<TextureHandle>,
    /// Rows uploaded by the last update.
    pub uploaded_rows: usize,
}

/// `src` over `dst` (unmultiplied RGBA).
fn over(dst: &mut [u8], src: &[u8]) {
    let sa = u32::from(src[3]);
    if sa == 0 {
        return;
    }
    let da = u32::from(dst[3]);
    if sa == 255 || da == 0 {
        dst.copy_from_slice(src);
        return;
    }
    // a = sa + da (1 − sa); c = (s sa + d da (1 − sa)) / a, in 0–255 fixed point.
    let dw = da * (255 - sa) / 255;
    let a = sa + dw;
    for k in 0..3 {
        dst[k] = ((u32::from(src[k]) * sa + u32::from(dst[k]) * dw) / a.max(1)) as u8;
    }
    dst[3] = a as u8;
}

impl Composite {
    /// An empty overlay for a `w` × `h` grid.
    pub fn new(w: usize, h: usize) -> Self {
        Self {
            w,
            h,
            seen: [None; LAYERS],
            imgs: Default::default(),
            contours: None,
            shown: None,
            rgba: Vec::new(),
            tex: None,
            uploaded_rows: 0,
        }
    }

    /// Brings the overlay up to date with `set` and the layers shown.
    pub fn update(&mut self, ctx: &egui::Context, set: Option<&LayerSet>, layers: Layers) {
        self.uploaded_rows = 0;
        let (w, h) = (self.w, self.h);
        let on = |id: LayerId| match id {
            LayerId::Depth => layers.depth,
            LayerId::Hazard => layers.hazard,
            LayerId::Gas => layers.gas,
            LayerId::Fire => layers.fire,
            LayerId::Thermal => layers.thermal,
            LayerId::Overpressure => layers.overpressure,
        };
        let mut band: Option<(usize, usize)> = None;
        let mut grow = |b: (usize, usize)| {
            band = Some(band.map_or(b, |(lo, hi)| (lo.min(b.0), hi.max(b.1))));
        };
        let full = (0, h.saturating_sub(1));
        if self.shown != Some(layers) || self.rgba.len() != w * h * 4 {
            grow(full);
        }
        for id in ORDER {
            let i = id as usize;
            let img = set
                .and_then(|s| s[i].as_ref())
                .filter(|im| im.rgba.len() == w * h * 4);
            match img {
                None => {
                    if self.imgs[i].take().is_some() && on(id) {
                        grow(full);
                    }
                    self.seen[i] = None;
                }
                Some(im) => {
                    match im.band_since(self.seen[i]) {
                        Some(None) => {}
                        Some(Some(b)) => {
                            if on(id) {
                                grow(b);
                            }
                        }
                        None => {
                            if on(id) {
                                grow(full);
                            }
                        }
                    }
                    self.seen[i] = Some(im.version);
                    self.imgs[i] = Some(Arc::clone(&im.rgba));
                }
            }
        }
        self.shown = Some(layers);
        let Some((lo, hi)) = band else {
            return;
        };
        self.rgba.resize(w * h * 4, 0);
        let (a, b) = (lo * w * 4, (hi + 1) * w * 4);
        let out = &mut self.rgba[a..b];
        out.fill(0);
        let mut srcs: Vec<&[u8]> = Vec::with_capacity(LAYERS + 1);
        if layers.contours
            && let Some((c, _)) = &self.contours
        {
            srcs.push(&c[a..b]);
        }
        for id in ORDER {
            if on(id)
                && let Some(im) = &self.imgs[id as usize]
            {
                srcs.push(&im[a..b]);
            }
        }
        for s in srcs {
            for (d, p) in out.chunks_exact_mut(4).zip(s.chunks_exact(4)) {
                over(d, p);
            }
        }
        let image = egui::ColorImage::from_rgba_unmultiplied([w, hi + 1 - lo], out);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_blends_like_porter_duff() {
        // Porter & Duff (1984) "over": opaque source wins, clear source leaves dst.
        let mut d = [10, 20, 30, 255];
        over(&mut d, &[0, 0, 0, 0]);
        assert_eq!(d, [10, 20, 30, 255]);
        over(&mut d, &[200, 0, 0, 255]);
        assert_eq!(d, [200, 0, 0, 255]);
        // Half-transparent white over opaque black: mid grey, opaque (±1 rounding).
        let mut d = [0, 0, 0, 255];
        over(&mut d, &[255, 255, 255, 128]);
        assert!((i32::from(d[0]) - 128).abs() <= 1 && d[3] == 255, "{d:?}");
    }
}
