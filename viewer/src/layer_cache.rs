//! Hazard layer images built on the simulation thread, versioned so the UI re-uploads
//! only what changed: each layer keeps its RGBA image (one pixel per terrain cell), a
//! version counter bumped when the image changes, and the dirty row band of each recent
//! version, so the UI uploads the union band since the version it last showed
//! (`TextureHandle::set_partial`). Buffers are recycled: a new image is written into the
//! spare buffer once the UI has dropped it, so steady playback allocates no full-grid
//! buffers.

use std::sync::Arc;

use drillsim_engine::sim::layers::HazardLayers;
use drillsim_engine::world::GridSpec;

use crate::raster;

/// The hazard layers drawn from images.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LayerId {
    /// Water depth.
    Depth = 0,
    /// Flood hazard rating classes.
    Hazard = 1,
    /// Gas threat zones.
    Gas = 2,
    /// Wildland fire.
    Fire = 3,
    /// Thermal flux zones.
    Thermal = 4,
    /// Overpressure zones.
    Overpressure = 5,
}

/// Number of image layers.
pub const LAYERS: usize = 6;

/// How many recent dirty bands are kept per layer.
const BANDS_KEPT: usize = 64;

/// One layer image as published.
#[derive(Clone, Debug)]
pub struct LayerImage {
    /// Bumped each time the image changes.
    pub version: u64,
    /// Dirty row band (inclusive) of recent versions: (version, first row, last row).
    pub bands: Vec<(u64, usize, usize)>,
    /// RGBA, 4 bytes per cell, row 0 = north.
    pub rgba: Arc<Vec<u8>>,
}

impl LayerImage {
    /// Rows to upload to go from version `seen` to this one, or `None` when the whole
    /// image must be uploaded (too old or never seen); `Some(None)` when nothing changed.
    pub fn band_since(&self, seen: Option<u64>) -> Option<Option<(usize, usize)>> {
        let seen = seen?;
        if seen == self.version {
            return Some(None);
        }
        if seen > self.version {
            return None;
        }
        let mut band: Option<(usize, usize)> = None;
        for v in seen + 1..=self.version {
            let &(_, lo, hi) = self.bands.iter().find(|b| b.0 == v)?;
            band = Some(band.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))));
        }
        Some(band)
    }
}

/// The images of every layer present in the run.
pub type LayerSet = [Option<LayerImage>; LAYERS];

/// Per-layer state on the simulation thread.
#[derive(Default)]
struct Slot {
    image: Option<LayerImage>,
    spare: Option<Arc<Vec<u8>>>,
}

/// Builds and versions the layer images.
pub struct LayerCache {
    grid: GridSpec,
    slots: [Slot; LAYERS],
    ranks: Vec<u8>,
    flags: Vec<u8>,
}

impl LayerCache {
    /// An empty cache for terrain grid `grid`.
    pub fn new(grid: GridSpec) -> Self {
        Self {
            grid,
            slots: Default::default(),
            ranks: Vec::new(),
            flags: Vec::new(),
        }
    }

    /// The current images.
    pub fn set(&self) -> LayerSet {
        std::array::from_fn(|i| self.slots[i].image.clone())
    }

    /// Writes layer `id` with `fill` (for synthetic fields: frame-time runs and benches).
    pub fn put(&mut self, id: LayerId, fill: impl FnOnce(&mut [u8])) {
        write(&mut self.slots[id as usize], self.grid, true, fill);
    }

    /// Recolours every layer from `layers` at run time `t_s`.
    pub fn update(&mut self, layers: &HazardLayers<'_>, t_s: f64) {
        let g = self.grid;
        let n = g.len();
        let (ranks, flags) = (&mut self.ranks, &mut self.flags);
        // Flood depth and hazard rating (the first flood on the terrain grid).
        let flood = layers.floods.iter().find(|f| f.depth_m().len() == n);
        write(
            &mut self.slots[LayerId::Depth as usize],
            g,
            flood.is_some(),
            |out| {
                if let Some(f) = flood {
                    for (px, &d) in out.chunks_exact_mut(4).zip(f.depth_m()) {
                        px.copy_from_slice(&raster::depth_px(d));
                    }
                }
            },
        );
        write(
            &mut self.slots[LayerId::Hazard as usize],
            g,
            flood.is_some(),
            |out| {
                if let Some(f) = flood {
                    for (i, px) in out.chunks_exact_mut(4).enumerate() {
                        let c = if f.depth_m()[i] >= raster::MIN_DEPTH_M {
                            raster::hr_class(f.cell(i).2 as f32)
                        } else {
                            0
                        };
                        px.copy_from_slice(&raster::hr_px(c));
                    }
                }
            },
        );
        // Gas: most severe level over the releases.
        let has_gas = !layers.gas.is_empty();
        write(&mut self.slots[LayerId::Gas as usize], g, has_gas, |out| {
            ranks.clear();
            ranks.resize(n, 0);
            for gl in &layers.gas {
                let lv = gl.levels;
                let same = *gl.concentration.spec() == g;
                for (i, k) in ranks.iter_mut().enumerate() {
                    let c = if same {
                        gl.concentration.data()[i]
                    } else {
                        let [x, y] = g.cell_center(i % g.width, i / g.width);
                        gl.concentration.sample(x, y).copied().unwrap_or(0.0)
                    };
                    if let Some(j) = lv.iter().position(|l| f64::from(c) >= l.threshold) {
                        *k = (*k).max(3 - j.min(2) as u8);
                    }
                }
            }
            raster::zones_rgba(ranks, g.width, g.height, out);
        });
        // Wildland fire.
        let has_fire = !layers.fires.is_empty();
        write(
            &mut self.slots[LayerId::Fire as usize],
            g,
            has_fire,
            |out| {
                out.fill(0);
                for f in &layers.fires {
                    let fg = *f.grid();
                    flags.clear();
                    flags.resize(fg.len(), 0);
                    for &b in f.burning {
                        if let Some(x) = flags.get_mut(b as usize) {
                            *x = 1;
                        }
                    }
                    for (i, px) in out.chunks_exact_mut(4).enumerate() {
                        let j = if fg == g {
                            i
                        } else {
                            let [x, y] = g.cell_center(i % g.width, i / g.width);
                            match fg.cell_at(x, y) {
                                Some((c, r)) => fg.index(c, r),
                                None => continue,
                            }
                        };
                        let a = f.arrival_s(j);
                        let burned = a.is_finite() && a <= t_s;
                        if burned || flags[j] == 1 {
                            let p =
                                raster::fire_px(flags[j] == 1, burned, f.intensity_kw_m(j) as f32);
                            px.copy_from_slice(&p);
                        }
                    }
                }
            },
        );
        // Chemical fires: thermal flux now and peak overpressure.
        let chem = layers.chem.filter(|c| c.flux_w_m2.data().len() == n);
        for (id, levels) in [
            (LayerId::Thermal, raster::THERMAL_W_M2),
            (LayerId::Overpressure, raster::OVERPRESSURE_PA),
        ] {
            write(&mut self.slots[id as usize], g, chem.is_some(), |out| {
                if let Some(c) = chem {
                    let field = if id == LayerId::Thermal {
                        c.flux_w_m2
                    } else {
                        c.overpressure_pa
                    };
                    ranks.clear();
                    ranks.extend(field.data().iter().map(|&v| raster::rank(v, &levels)));
                    raster::zones_rgba(ranks, g.width, g.height, out);
                }
            });
        }
    }
}

/// Recolours one slot with `fill` (into a recycled buffer) and bumps its version with
/// the dirty band when the image changed; clears the slot when the layer is absent.
fn write(slot: &mut Slot, g: GridSpec, present: bool, fill: impl FnOnce(&mut [u8])) {
    if !present {
        slot.image = None;
        return;
    }
    let len = g.len() * 4;
    let mut buf = match slot.spare.take() {
        Some(a) if Arc::strong_count(&a) == 1 && Arc::weak_count(&a) == 0 => a,
        _ => Arc::new(Vec::new()),
    };
    let v = Arc::get_mut(&mut buf).map(|v| {
        v.resize(len, 0);
        fill(v);
    });
    debug_assert!(v.is_some());
    let band = match &slot.image {
        Some(img) => raster::dirty_rows(&img.rgba, &buf, g.width * 4),
        None => Some((0, g.height.saturating_sub(1))),
    };
    let Some((lo, hi)) = band else {
        slot.spare = Some(buf);
        return;
    };
    match &mut slot.image {
        Some(img) => {
            img.version += 1;
            if img.bands.len() >= BANDS_KEPT {
                img.bands.remove(0);
            }
            img.bands.push((img.version, lo, hi));
            slot.spare = Some(std::mem::replace(&mut img.rgba, buf));
        }
        None => {
            slot.image = Some(LayerImage {
                version: 0,
                bands: Vec::new(),
                rgba: buf,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_bands_accumulate() {
        let g = GridSpec {
            width: 3,
            height: 4,
            cell_size: 1.0,
            origin: [0.0, 0.0],
        };
        let mut slot = Slot::default();
        write(&mut slot, g, true, |o| o.fill(0));
        let img = slot.image.clone().unwrap();
        assert_eq!((img.version, img.band_since(None)), (0, None));
        // Same content: no new version, buffer recycled.
        write(&mut slot, g, true, |o| o.fill(0));
        assert_eq!(slot.image.as_ref().unwrap().version, 0);
        write(&mut slot, g, true, |o| {
            o.fill(0);
            o[3 * 4 + 1] = 9; // row 1
        });
        write(&mut slot, g, true, |o| {
            o.fill(0);
            o[3 * 4 + 1] = 9;
            o[3 * 3 * 4] = 7; // row 3
        });
        let img = slot.image.clone().unwrap();
        assert_eq!(img.version, 2);
        assert_eq!(img.band_since(Some(1)), Some(Some((3, 3))));
        assert_eq!(img.band_since(Some(0)), Some(Some((1, 3))));
        assert_eq!(img.band_since(Some(2)), Some(None));
        write(&mut slot, g, false, |_| {});
        assert!(slot.image.is_none());
    }
}
