//! The hazard overlay as ONE image, composited on the simulation thread: the layer
//! images that are shown (and the terrain contours) are alpha-composited ("over",
//! Porter & Duff 1984) into a premultiplied RGBA image, only over the rows that changed
//! since the last composite (the union of the shown layers' dirty bands; everything when
//! the set of shown layers changes). The result is versioned like any layer image
//! ([`LayerImage`]: version + dirty bands), so the UI uploads only the rows changed
//! since the version it shows, as premultiplied pixels egui takes without conversion.
//!
//! Double buffering: the image published last may still be read by the UI, so the
//! next one is written into the spare buffer (the one published before it, once the UI
//! has dropped it), first brought up to date by copying the rows changed in between.
//! Steady playback therefore copies a few rows and composites the dirty band only.

use std::sync::Arc;

use crate::layer_cache::{LAYERS, LayerId, LayerImage};

/// Which images the overlay shows: bit `LayerId as u8` per hazard layer, plus
/// [`CONTOURS`].
pub type Mask = u8;

/// Mask bit of the terrain contours.
pub const CONTOURS: Mask = 1 << LAYERS;

/// Drawing order, bottom to top (contours first, below every hazard): fills first,
/// zone outlines on top.
pub const ORDER: [LayerId; LAYERS] = [
    LayerId::Depth,
    LayerId::Hazard,
    LayerId::Fire,
    LayerId::Overpressure,
    LayerId::Thermal,
    LayerId::Gas,
];

/// The composited overlay as published to the UI.
#[derive(Clone, Debug)]
pub struct Overlay {
    /// Premultiplied RGBA, one pixel per terrain cell, row 0 = north.
    pub image: LayerImage,
    /// The layers it shows.
    pub mask: Mask,
}

/// `src` (unmultiplied RGBA) over `dst` (premultiplied RGBA), in 0–255 fixed point with
/// rounding: c = s·sa + d·(1 − sa), a = sa + da·(1 − sa).
pub fn over_premultiplied(dst: &mut [u8], src: &[u8]) {
    let sa = u32::from(src[3]);
    if sa == 0 {
        return;
    }
    if sa == 255 {
        dst.copy_from_slice(src);
        return;
    }
    let keep = 255 - sa;
    let mul = |a: u32, b: u32| ((a * b + 127) / 255) as u8;
    for k in 0..3 {
        dst[k] = mul(u32::from(src[k]), sa).saturating_add(mul(u32::from(dst[k]), keep));
    }
    dst[3] = (sa as u8).saturating_add(mul(u32::from(dst[3]), keep));
}

/// Builds and versions the overlay.
#[derive(Default)]
pub struct Compositor {
    image: Option<LayerImage>,
    /// The buffer published before the current one and the version it holds.
    spare: Option<(Arc<Vec<u8>>, u64)>,
    shown: Option<Mask>,
}

impl Compositor {
    /// The current overlay, if one was composited.
    pub fn overlay(&self) -> Option<Overlay> {
        Some(Overlay {
            image: self.image.clone()?,
            mask: self.shown?,
        })
    }

    /// Composites the layers of `mask` (`layers[i]`: RGBA image of layer `i`, if
    /// present; `contours`: RGBA contour image) over the rows in `changed` (per layer,
    /// the rows changed since the last call), or over every row when the mask changed.
    /// Publishes a new version only when some shown row changed.
    pub fn compose(
        &mut self,
        (w, h): (usize, usize),
        mask: Mask,
        layers: [Option<&[u8]>; LAYERS],
        contours: Option<&[u8]>,
        changed: &[Option<(usize, usize)>; LAYERS],
    ) {
        let len = w * h * 4;
        if h == 0 {
            return;
        }
        let full = (0, h - 1);
        let band = if self.shown != Some(mask) || self.image.is_none() {
            Some(full)
        } else {
            ORDER
                .iter()
                .filter(|&&id| mask & (1 << id as u8) != 0)
                .filter_map(|&id| changed[id as usize])
                .reduce(|(a, b), (c, d)| (a.min(c), b.max(d)))
        };
        self.shown = Some(mask);
        let Some((lo, hi)) = band.map(|(lo, hi)| (lo.min(h - 1), hi.min(h - 1))) else {
            return;
        };
        let mut buf = self.take_spare(len, h);
        let Some(out) = Arc::get_mut(&mut buf) else {
            return; // unreachable: the buffer is fresh or unshared
        };
        let (a, b) = (lo * w * 4, (hi + 1) * w * 4);
        let out = &mut out[a..b];
        out.fill(0);
        let srcs = std::iter::once(contours.filter(|_| mask & CONTOURS != 0)).chain(
            ORDER
                .iter()
                .map(|&id| layers[id as usize].filter(|_| mask & (1 << id as u8) != 0)),
        );
        for src in srcs.flatten().filter(|s| s.len() == len) {
            for (d, s) in out.chunks_exact_mut(4).zip(src[a..b].chunks_exact(4)) {
                over_premultiplied(d, s);
            }
        }
        if let Some(old) = LayerImage::publish(&mut self.image, buf, (lo, hi)) {
            self.spare = Some(old);
        }
    }

    /// A buffer holding the current image: the spare brought up to date when the UI has
    /// dropped it, else a fresh copy.
    fn take_spare(&mut self, len: usize, h: usize) -> Arc<Vec<u8>> {
        let Some(cur) = &self.image else {
            return Arc::new(vec![0; len]);
        };
        match self.spare.take() {
            Some((mut a, v))
                if a.len() == len && Arc::strong_count(&a) == 1 && Arc::weak_count(&a) == 0 =>
            {
                let row = len / h.max(1);
                let rows = match cur.band_since(Some(v)) {
                    Some(None) => None,
                    Some(Some(b)) => Some(b),
                    None => Some((0, h.saturating_sub(1))),
                };
                if let (Some((lo, hi)), Some(dst)) = (rows, Arc::get_mut(&mut a)) {
                    dst[lo * row..(hi + 1) * row]
                        .copy_from_slice(&cur.rgba[lo * row..(hi + 1) * row]);
                }
                a
            }
            _ => Arc::new(cur.rgba.to_vec()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_matches_porter_duff() {
        // Porter & Duff (1984) "over" on premultiplied colour: an opaque source replaces
        // the destination, a clear one leaves it.
        let mut d = [10, 20, 30, 255];
        over_premultiplied(&mut d, &[0, 0, 0, 0]);
        assert_eq!(d, [10, 20, 30, 255]);
        over_premultiplied(&mut d, &[200, 0, 0, 255]);
        assert_eq!(d, [200, 0, 0, 255]);
        // Half-transparent white over opaque black: mid grey, opaque (±1 rounding).
        let mut d = [0, 0, 0, 255];
        over_premultiplied(&mut d, &[255, 255, 255, 128]);
        assert!((i32::from(d[0]) - 128).abs() <= 1 && d[3] == 255, "{d:?}");
        // Over a clear pixel the result is the source premultiplied: 200·(100/255).
        let mut d = [0; 4];
        over_premultiplied(&mut d, &[200, 0, 0, 100]);
        assert_eq!(d, [78, 0, 0, 100]);
        // Two 50 % layers: a = 1 − (1 − ½)² = ¾ (±1).
        let mut d = [0; 4];
        over_premultiplied(&mut d, &[0, 0, 255, 128]);
        over_premultiplied(&mut d, &[255, 0, 0, 128]);
        assert!((i32::from(d[3]) - 191).abs() <= 1, "{d:?}");
    }
}
