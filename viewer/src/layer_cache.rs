//! Hazard layer images built on the simulation thread, versioned so the UI re-uploads
//! only what changed: each layer keeps its RGBA image (one pixel per terrain cell), a
//! version counter bumped when the image changes, and the dirty row band of each recent
//! version. The layers shown (and the terrain contours) are then composited into one
//! overlay image on this thread too (`composite`), so the UI only uploads the rows of
//! that overlay changed since the version it shows (`TextureHandle::set_partial`).
//! Buffers are recycled: a new image is written into the spare buffer once the UI has
//! dropped it, so steady playback allocates no full-grid buffers.
//!
//! The wildland-fire layer shows the live perimeter (burning cells), burned cells by
//! fireline-intensity class, and arrival-time isochrones: the boundaries between cells
//! whose arrival times fall in different multiples of an interval chosen from the
//! elapsed time (see [`isochrone_interval_s`]).

use std::sync::Arc;

use drillsim_engine::sim::layers::HazardLayers;
use drillsim_engine::world::GridSpec;

use crate::composite::{CONTOURS, Compositor, Mask, Overlay};
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
    /// Publishes `rgba` into `slot`: the first version, or the next one with dirty rows
    /// `lo..=hi`. Returns the buffer it replaces and the version that buffer held.
    pub fn publish(
        slot: &mut Option<LayerImage>,
        rgba: Arc<Vec<u8>>,
        (lo, hi): (usize, usize),
    ) -> Option<(Arc<Vec<u8>>, u64)> {
        let Some(img) = slot else {
            *slot = Some(LayerImage {
                version: 0,
                bands: Vec::new(),
                rgba,
            });
            return None;
        };
        img.version += 1;
        if img.bands.len() >= BANDS_KEPT {
            img.bands.remove(0);
        }
        img.bands.push((img.version, lo, hi));
        Some((std::mem::replace(&mut img.rgba, rgba), img.version - 1))
    }

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
    bands: Vec<i64>,
    /// Rows changed per layer since the last composite.
    changed: [Option<(usize, usize)>; LAYERS],
    contours: Option<Vec<u8>>,
    mask: Mask,
    compositor: Compositor,
    fire_isochrone_s: Option<f64>,
    /// When the layers were last recoloured, and what it cost.
    last_refresh: Option<(std::time::Instant, std::time::Duration)>,
}

/// Shortest wall time between two recolourings of the layers while the run plays.
pub const REFRESH_MIN: std::time::Duration = std::time::Duration::from_millis(33);

/// While the run plays, the layers are recoloured at most once per this many times the
/// cost of the last recolouring, so the overlay takes at most 1/3 of the simulation
/// thread's time on very large grids (the map then refreshes less often, the run and
/// the UI do not slow down).
pub const REFRESH_COST_FACTOR: u32 = 3;

impl LayerCache {
    /// An empty cache for terrain grid `grid`.
    pub fn new(grid: GridSpec) -> Self {
        Self {
            grid,
            slots: Default::default(),
            ranks: Vec::new(),
            flags: Vec::new(),
            bands: Vec::new(),
            changed: [None; LAYERS],
            contours: None,
            mask: 0,
            compositor: Compositor::default(),
            fire_isochrone_s: None,
            last_refresh: None,
        }
    }

    /// Whether the layers should be recoloured now while the run plays (see
    /// [`REFRESH_COST_FACTOR`]); a paused run is always recoloured.
    pub fn refresh_due(&self) -> bool {
        self.last_refresh
            .is_none_or(|(at, cost)| at.elapsed() >= REFRESH_MIN.max(cost * REFRESH_COST_FACTOR))
    }

    /// Runs `recolour` (an update of the layers) and records its cost for
    /// [`LayerCache::refresh_due`].
    pub fn timed<R>(&mut self, recolour: impl FnOnce(&mut Self) -> R) -> R {
        let t0 = std::time::Instant::now();
        let r = recolour(self);
        self.last_refresh = Some((t0, t0.elapsed()));
        r
    }

    /// Forgets the last recolouring (the next one is due at once).
    pub fn refresh_now(&mut self) {
        self.last_refresh = None;
    }

    /// Adds the terrain contours of elevation `z` (m, one value per cell) at an interval
    /// chosen from the relief; returns the interval, m.
    pub fn set_contours(&mut self, z: &[f32]) -> Option<f64> {
        let (w, h) = (self.grid.width, self.grid.height);
        if z.len() != w * h {
            return None;
        }
        let interval = raster::contour_interval(raster::relief(z));
        let mut marks = vec![0u8; w * h];
        raster::contour_cells(z, w, h, interval, &mut marks);
        self.contours = Some(
            marks
                .iter()
                .flat_map(|&m| match m {
                    2 => [60, 35, 10, 220],
                    1 => [90, 60, 30, 130],
                    _ => [0; 4],
                })
                .collect(),
        );
        Some(interval)
    }

    /// Chooses the layers the overlay shows (applied by the next [`LayerCache::compose`]).
    pub fn set_mask(&mut self, mask: Mask) {
        self.mask = mask;
    }

    /// Composites the shown layers into the overlay; with `hazards` false (a view that
    /// may not see hazard fields) only the contours are shown.
    pub fn compose(&mut self, hazards: bool) {
        let mask = if hazards {
            self.mask
        } else {
            self.mask & CONTOURS
        };
        let g = self.grid;
        let layers = std::array::from_fn(|i| self.slots[i].image.as_ref().map(|im| &im.rgba[..]));
        self.compositor.compose(
            (g.width, g.height),
            mask,
            layers,
            self.contours.as_deref(),
            &self.changed,
        );
        self.changed = [None; LAYERS];
    }

    /// The composited overlay (after [`LayerCache::compose`]).
    pub fn overlay(&self) -> Option<Overlay> {
        self.compositor.overlay()
    }

    /// Interval of the fire arrival isochrones drawn by the last update, s.
    pub fn fire_isochrone_s(&self) -> Option<f64> {
        self.fire_isochrone_s
    }

    fn write(&mut self, id: LayerId, present: bool, fill: impl FnOnce(&mut [u8])) {
        let i = id as usize;
        if let Some((lo, hi)) = write(&mut self.slots[i], self.grid, present, fill) {
            self.changed[i] =
                Some(self.changed[i].map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))));
        }
    }

    /// The current images.
    pub fn set(&self) -> LayerSet {
        std::array::from_fn(|i| self.slots[i].image.clone())
    }

    /// Writes layer `id` with `fill` (for synthetic fields: frame-time runs and benches).
    pub fn put(&mut self, id: LayerId, fill: impl FnOnce(&mut [u8])) {
        self.write(id, true, fill);
    }

    /// Recolours every layer from `layers` at run time `t_s`.
    pub fn update(&mut self, layers: &HazardLayers<'_>, t_s: f64) {
        let g = self.grid;
        let n = g.len();
        let mut ranks = std::mem::take(&mut self.ranks);
        let mut flags = std::mem::take(&mut self.flags);
        let mut bands = std::mem::take(&mut self.bands);
        // Flood depth and hazard rating (the first flood on the terrain grid).
        let flood = layers.floods.iter().find(|f| f.depth_m().len() == n);
        self.write(LayerId::Depth, flood.is_some(), |out| {
            if let Some(f) = flood {
                for (px, &d) in out.chunks_exact_mut(4).zip(f.depth_m()) {
                    px.copy_from_slice(&raster::depth_px_fast(d));
                }
            }
        });
        self.write(LayerId::Hazard, flood.is_some(), |out| {
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
        });
        // Gas: most severe level over the releases.
        self.write(LayerId::Gas, !layers.gas.is_empty(), |out| {
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
            raster::zones_rgba(&ranks, g.width, g.height, out);
        });
        // Wildland fire: perimeter, burned area by intensity, arrival isochrones.
        let has_fire = !layers.fires.is_empty();
        let iv = isochrone_interval_s(t_s);
        self.fire_isochrone_s = has_fire.then_some(iv);
        self.write(LayerId::Fire, has_fire, |out| {
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
                bands.clear();
                bands.resize(n, -1);
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
                    let burning = flags[j] == 1;
                    if burned || burning {
                        let p = raster::fire_px(burning, burned, f.intensity_kw_m(j) as f32);
                        px.copy_from_slice(&p);
                    }
                    if burned && !burning {
                        bands[i] = (a / iv).floor() as i64;
                    }
                }
                flags.clear();
                flags.resize(n, 0);
                raster::isochrone_cells(&bands, g.width, g.height, &mut flags);
                for (px, &m) in out.chunks_exact_mut(4).zip(flags.iter()) {
                    if m == 1 {
                        px.copy_from_slice(&raster::ISOCHRONE_PX);
                    }
                }
            }
        });
        // Chemical fires: thermal flux now and peak overpressure.
        let chem = layers.chem.filter(|c| c.flux_w_m2.data().len() == n);
        for (id, levels) in [
            (LayerId::Thermal, raster::THERMAL_W_M2),
            (LayerId::Overpressure, raster::OVERPRESSURE_PA),
        ] {
            self.write(id, chem.is_some(), |out| {
                if let Some(c) = chem {
                    let field = if id == LayerId::Thermal {
                        c.flux_w_m2
                    } else {
                        c.overpressure_pa
                    };
                    ranks.clear();
                    ranks.extend(field.data().iter().map(|&v| raster::rank(v, &levels)));
                    raster::zones_rgba(&ranks, g.width, g.height, out);
                }
            });
        }
        (self.ranks, self.flags, self.bands) = (ranks, flags, bands);
    }
}

/// Interval between fire arrival isochrones at run time `t_s`, s: the smallest of
/// 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6 h that leaves at most six lines.
pub fn isochrone_interval_s(t_s: f64) -> f64 {
    const STEPS: [f64; 10] = [
        60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 10800.0, 21600.0,
    ];
    STEPS
        .iter()
        .copied()
        .find(|&s| s * 6.0 >= t_s)
        .unwrap_or(STEPS[STEPS.len() - 1])
}

/// Recolours one slot with `fill` (into a recycled buffer) and bumps its version with
/// the dirty band when the image changed; clears the slot when the layer is absent.
/// Returns the rows changed (all of them when the layer appears or disappears).
fn write(
    slot: &mut Slot,
    g: GridSpec,
    present: bool,
    fill: impl FnOnce(&mut [u8]),
) -> Option<(usize, usize)> {
    let all = (0, g.height.saturating_sub(1));
    if !present {
        return slot.image.take().map(|_| all);
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
        return None;
    };
    if let Some((old, _)) = LayerImage::publish(&mut slot.image, buf, (lo, hi)) {
        slot.spare = Some(old);
    }
    Some((lo, hi))
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

#[cfg(test)]
mod composite_tests {
    //! The incremental overlay (dirty bands, recycled buffers, partial uploads) must
    //! always equal the overlay composited from scratch.
    use super::*;
    use crate::composite::{ORDER, over_premultiplied};
    use proptest::prelude::*;

    const W: usize = 5;
    const H: usize = 7;

    #[derive(Clone, Debug)]
    enum Op {
        /// Paint rows `r0..=r1` of layer `l` with a colour.
        Paint(usize, usize, usize, [u8; 4]),
        /// The layer disappears.
        Remove(usize),
        Mask(u8),
        Compose(bool),
        /// The UI uploads what changed (and keeps the image or not).
        Ui(bool),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0..LAYERS, 0..H, 0..H, any::<[u8; 4]>())
                .prop_map(|(l, a, b, c)| Op::Paint(l, a.min(b), a.max(b), c)),
            1 => (0..LAYERS).prop_map(Op::Remove),
            1 => (0u8..128).prop_map(Op::Mask),
            3 => any::<bool>().prop_map(Op::Compose),
            2 => any::<bool>().prop_map(Op::Ui),
        ]
    }

    /// The overlay from scratch: contours, then the layers in drawing order.
    fn reference(truth: &[Option<Vec<u8>>], contours: &[u8], mask: u8) -> Vec<u8> {
        let mut out = vec![0u8; W * H * 4];
        if mask & CONTOURS != 0 {
            for (d, s) in out.chunks_exact_mut(4).zip(contours.chunks_exact(4)) {
                over_premultiplied(d, s);
            }
        }
        for id in ORDER {
            if mask & (1 << id as u8) != 0
                && let Some(img) = &truth[id as usize]
            {
                for (d, s) in out.chunks_exact_mut(4).zip(img.chunks_exact(4)) {
                    over_premultiplied(d, s);
                }
            }
        }
        out
    }

    proptest! {
        #[test]
        fn incremental_overlay_equals_full_recomposite(ops in prop::collection::vec(op(), 1..60)) {
            let g = GridSpec { width: W, height: H, cell_size: 1.0, origin: [0.0, 0.0] };
            let mut cache = LayerCache::new(g);
            // Contours on a ramp: a line every 2 m across 0–6 m.
            let z: Vec<f32> = (0..W * H).map(|i| (i / W) as f32).collect();
            cache.set_contours(&z);
            let contours = cache.contours.clone().unwrap();
            let mut truth: Vec<Option<Vec<u8>>> = vec![None; LAYERS];
            let mut mask = 0u8;
            let mut ui: Option<(u64, Vec<u8>)> = None;
            let mut held = None;
            for op in ops {
                match op {
                    Op::Paint(l, r0, r1, c) => {
                        let img = truth[l].get_or_insert_with(|| vec![0; W * H * 4]);
                        for px in img[r0 * W * 4..(r1 + 1) * W * 4].chunks_exact_mut(4) {
                            px.copy_from_slice(&c);
                        }
                        let src = img.clone();
                        let id = ORDER.into_iter().find(|&id| id as usize == l).unwrap();
                        cache.put(id, |o| o.copy_from_slice(&src));
                    }
                    Op::Remove(l) => {
                        truth[l] = None;
                        let id = ORDER.into_iter().find(|&id| id as usize == l).unwrap();
                        cache.write(id, false, |_| {});
                    }
                    Op::Mask(m) => {
                        mask = m;
                        cache.set_mask(m);
                    }
                    Op::Compose(hazards) => {
                        cache.compose(hazards);
                        let o = cache.overlay().unwrap();
                        prop_assert_eq!(o.mask, if hazards { mask } else { mask & CONTOURS });
                        let want = reference(&truth, &contours, o.mask);
                        prop_assert_eq!(&o.image.rgba[..], &want[..]);
                    }
                    Op::Ui(keep) => {
                        let Some(o) = cache.overlay() else { continue };
                        let img = &o.image;
                        let buf = ui.get_or_insert_with(|| (u64::MAX, vec![0; W * H * 4]));
                        let seen = (buf.0 != u64::MAX).then_some(buf.0);
                        match img.band_since(seen) {
                            Some(None) => {}
                            Some(Some((lo, hi))) => buf.1[lo * W * 4..(hi + 1) * W * 4]
                                .copy_from_slice(&img.rgba[lo * W * 4..(hi + 1) * W * 4]),
                            None => buf.1.copy_from_slice(&img.rgba),
                        }
                        buf.0 = img.version;
                        prop_assert_eq!(&buf.1[..], &img.rgba[..], "UI copy after partial uploads");
                        // The UI may keep the image it drew (the compositor must then not
                        // recycle that buffer).
                        held = keep.then(|| Arc::clone(&img.rgba));
                    }
                }
            }
            drop(held);
        }
    }

    #[test]
    fn fire_isochrone_interval_leaves_at_most_six_lines() {
        assert_eq!(isochrone_interval_s(0.0), 60.0);
        assert_eq!(isochrone_interval_s(360.0), 60.0);
        assert_eq!(isochrone_interval_s(361.0), 120.0);
        assert_eq!(isochrone_interval_s(3.0 * 3600.0), 1800.0);
        for t in [100.0, 5000.0, 40_000.0, 100_000.0] {
            let iv = isochrone_interval_s(t);
            assert!(t / iv <= 6.0 || iv == 21_600.0, "{t} s → {iv} s");
        }
    }
}
