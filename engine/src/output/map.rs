//! Composite map images of a run at one moment: shaded relief, flood depth, gas threat
//! zones, fire, roads, facilities and teams, with a scale bar, a north arrow and a
//! caption strip (elapsed time and legend). Pure CPU, no GUI dependencies; `drillsim run`
//! writes them at key moments and the after-action report embeds them.
//!
//! ## Model
//! Base layer: the analytical hillshade `H ∈ [0, 1]` of the DEM, with Horn's (1981)
//! gradient and `H = cos Z cos S + sin Z sin S cos(Az − A)` for the sun at azimuth 315°
//! and altitude 45° (Burrough & McDonnell 1998; see [`crate::world::raster::hillshade`]),
//! drawn as `round(base · (A + (1 − A) · H))` per channel with ambient light `A = 0.35` and
//! a base colour by land cover (water, built-up, forest, other). Overlays are composited
//! "over" (Porter & Duff 1984), `C = C_dst + α (C_src − C_dst)`, in this order:
//! - water depth `d`: where `d` exceeds 5 cm (or the flood's dry threshold if larger;
//!   rain on the grid leaves a thinner film everywhere), a ramp from pale to deep blue
//!   over 0–3 m, α = 0.8;
//! - gas threat zones: cells where the concentration at receptor height, averaged over
//!   the level's exposure time so far (the field of the `gas_area_*` metrics and of
//!   `zones/*.geojson`), reaches a level of concern; most severe level red, next
//!   orange, then yellow (the colours of ALOHA threat-zone plots), α = 0.45;
//! - fire: burned cells dark brown (α = 0.65), burning cells orange (α = 0.95);
//! - roads as thin grey lines (closed roads thick red), then facility and team symbols.
//!
//! Grids larger than `max_px` on their long side are sampled at pixel centres (nearest
//! cell); grids smaller than 600 px are enlarged by an integer factor.
//!
//! ## Units
//! World metres and seconds in; 8-bit sRGB out. The scale bar is a round length
//! (1, 2 or 5 × 10ⁿ m) near a fifth of the map width.
//!
//! ## Assumptions
//! North is up (rows run north → south, as in every engine grid); square pixels; no
//! reprojection. Gas zones are those of the time-averaged field (threat zones), not the
//! instantaneous cloud. Text in the image is ASCII only (a 5×7 bitmap font);
//! labels in other scripts belong in the HTML around the image.
//!
//! ## References
//! - Horn, B. K. P. (1981). Hill shading and the reflectance map. *Proc. IEEE* 69(1), 14–47.
//! - Burrough, P. A., McDonnell, R. A. (1998). *Principles of Geographical Information
//!   Systems*. Oxford University Press, pp. 190–191.
//! - Porter, T., Duff, T. (1984). Compositing digital images. *Computer Graphics* 18(3),
//!   253–259 (SIGGRAPH '84).
//! - Bresenham, J. E. (1965). Algorithm for computer control of a digital plotter. *IBM
//!   Systems Journal* 4(1), 25–30.
//! - U.S. EPA, NOAA (2016). *ALOHA User's Manual*: red / orange / yellow threat zones.

mod draw;
mod font;
mod scene;

use std::path::Path;

pub use draw::{MapImage, Rgb};
pub use scene::{FacilitySymbol, Scene, TeamMark};

use crate::scenario::types::LandCover;
use crate::sim::Simulation;
use crate::world::grid::GridSpec;
use crate::world::raster::{self, HillshadeParams, RasterError, hillshade};
use crate::world::terrain::Terrain;

/// Default long side of a map, px.
pub const DEFAULT_MAX_PX: u32 = 1200;
/// Small grids are enlarged to at least this long side, px.
const MIN_PX: usize = 600;
/// Height of the caption strip under the map, px.
pub const CAPTION_H: u32 = 30;
/// Ambient light of the hillshade.
pub const AMBIENT: f64 = 0.35;
/// Base colour of land without a special tint.
pub const LAND: Rgb = [236, 234, 228];
const WATER_BODY: Rgb = [166, 199, 222];
const BUILT_UP: Rgb = [224, 212, 206];
const FOREST: Rgb = [206, 224, 200];
/// Depth at which the water ramp reaches its deepest colour, m.
pub const DEEP_M: f32 = 3.0;
const SHALLOW: Rgb = [150, 200, 245];
const DEEP: Rgb = [10, 40, 140];
/// Gas colours, most severe level first.
pub const GAS: [Rgb; 3] = [[220, 20, 20], [255, 140, 0], [250, 215, 0]];
const BURNED: Rgb = [70, 45, 35];
const BURNING: Rgb = [255, 90, 0];
const ROAD: Rgb = [95, 95, 95];
const CLOSED: Rgb = [220, 0, 0];

/// Renders maps of one terrain: the shaded relief is computed once, each [`Scene`] is
/// drawn over it.
#[derive(Clone, Debug)]
pub struct MapRenderer {
    spec: GridSpec,
    map_w: usize,
    map_h: usize,
    /// Grid cells per pixel along each axis.
    cells_per_px: f64,
    /// Shaded relief, RGB per map pixel.
    base: Vec<u8>,
}

impl MapRenderer {
    /// Prepares maps of `terrain` with at most `max_px` pixels on the long side.
    pub fn new(terrain: &Terrain, max_px: u32) -> Self {
        let spec = terrain.spec;
        let long = spec.width.max(spec.height).max(1);
        let max_px = (max_px as usize).max(64);
        let cells_per_px = if long > max_px {
            long as f64 / max_px as f64
        } else {
            1.0 / (MIN_PX.min(max_px) / long).max(1) as f64
        };
        let map_w = ((spec.width as f64 / cells_per_px).round() as usize).max(1);
        let map_h = ((spec.height as f64 / cells_per_px).round() as usize).max(1);
        let mut r = Self {
            spec,
            map_w,
            map_h,
            cells_per_px,
            base: Vec::new(),
        };
        let shade = hillshade(&terrain.elevation, HillshadeParams::default());
        let cells = r.cell_map(&spec);
        r.base = Vec::with_capacity(map_w * map_h * 3);
        for &i in &cells {
            let (h, lc) = if i == u32::MAX {
                (1.0, None)
            } else {
                let i = i as usize;
                let h = f64::from(shade.data()[i]);
                let lc = terrain.land_cover.data().get(i).copied();
                (if h.is_nan() { 1.0 } else { h }, lc)
            };
            let color = match lc.and_then(LandCover::from_code) {
                Some(LandCover::Water) => WATER_BODY,
                Some(LandCover::Urban | LandCover::Road) => BUILT_UP,
                Some(LandCover::Forest) => FOREST,
                _ => LAND,
            };
            let f = AMBIENT + (1.0 - AMBIENT) * h;
            r.base
                .extend(color.iter().map(|&c| (f64::from(c) * f).round() as u8));
        }
        r
    }

    /// Size of the whole image (map and caption strip), px.
    pub fn size(&self) -> (u32, u32) {
        (self.map_w as u32, self.map_h as u32 + CAPTION_H)
    }

    /// Pixel (fractional) of world point `xy`.
    pub fn pixel_of(&self, xy: [f64; 2]) -> [f64; 2] {
        let m = self.cells_per_px * self.spec.cell_size;
        [
            (xy[0] - self.spec.origin[0]) / m,
            (self.spec.y_max() - xy[1]) / m,
        ]
    }

    /// Flat cell index of `spec` under each map pixel's centre (`u32::MAX` outside).
    fn cell_map(&self, spec: &GridSpec) -> Vec<u32> {
        let m = self.cells_per_px * self.spec.cell_size;
        let mut out = Vec::with_capacity(self.map_w * self.map_h);
        for py in 0..self.map_h {
            let y = self.spec.y_max() - (py as f64 + 0.5) * m;
            for px in 0..self.map_w {
                let x = self.spec.origin[0] + (px as f64 + 0.5) * m;
                out.push(
                    spec.cell_at(x, y)
                        .map_or(u32::MAX, |(c, r)| spec.index(c, r) as u32),
                );
            }
        }
        out
    }

    /// Draws `scene`.
    pub fn render(&self, scene: &Scene) -> MapImage {
        let (w, h) = self.size();
        let mut img = MapImage::new(w, h, [32, 32, 32]);
        for (p, rgb) in self.base.chunks_exact(3).enumerate() {
            img.rgba[p * 4..p * 4 + 3].copy_from_slice(rgb);
        }
        self.draw_water(&mut img, scene);
        self.draw_gas(&mut img, scene);
        self.draw_fire(&mut img, scene);
        self.draw_agents(&mut img, scene);
        self.draw_scale_bar(&mut img);
        self.draw_north_arrow(&mut img);
        self.draw_caption(&mut img, scene);
        img
    }

    /// Per-pixel reduction of layers sampled at pixel centres.
    fn per_pixel<T: Copy>(
        &self,
        layers: impl Iterator<Item = (GridSpec, impl Fn(usize) -> T)>,
        init: T,
        mut merge: impl FnMut(T, T) -> T,
    ) -> Vec<T> {
        let mut acc = vec![init; self.map_w * self.map_h];
        for (spec, value) in layers {
            for (a, &i) in acc.iter_mut().zip(&self.cell_map(&spec)) {
                if i != u32::MAX {
                    *a = merge(*a, value(i as usize));
                }
            }
        }
        acc
    }

    fn each_pixel(&self, img: &mut MapImage, mut f: impl FnMut(&mut MapImage, i64, i64, usize)) {
        for py in 0..self.map_h {
            for px in 0..self.map_w {
                f(img, px as i64, py as i64, py * self.map_w + px);
            }
        }
    }

    fn draw_water(&self, img: &mut MapImage, scene: &Scene) {
        if scene.water_depth_m.is_empty() {
            return;
        }
        let depth = self.per_pixel(
            scene.water_depth_m.iter().map(|(g, dry)| {
                (*g.spec(), move |i: usize| {
                    let d = g.data()[i];
                    if d > *dry { d } else { 0.0 }
                })
            }),
            0.0f32,
            f32::max,
        );
        self.each_pixel(img, |img, x, y, p| {
            let d = depth[p];
            if d > 0.0 {
                img.blend(x, y, water_color(d), 0.8);
            }
        });
    }

    fn draw_gas(&self, img: &mut MapImage, scene: &Scene) {
        if scene.gas_level.is_empty() {
            return;
        }
        let level = self.per_pixel(
            scene
                .gas_level
                .iter()
                .map(|g| (*g.spec(), move |i: usize| g.data()[i])),
            0u8,
            |a, b| match (a, b) {
                (0, b) => b,
                (a, 0) => a,
                (a, b) => a.min(b),
            },
        );
        self.each_pixel(img, |img, x, y, p| {
            if let Some(&c) = level[p].checked_sub(1).and_then(|k| GAS.get(k as usize)) {
                img.blend(x, y, c, 0.45);
            } else if level[p] > 0 {
                img.blend(x, y, GAS[2], 0.45);
            }
        });
    }

    fn draw_fire(&self, img: &mut MapImage, scene: &Scene) {
        if scene.fire.is_empty() {
            return;
        }
        let state = self.per_pixel(
            scene
                .fire
                .iter()
                .map(|g| (*g.spec(), move |i: usize| g.data()[i])),
            0u8,
            u8::max,
        );
        self.each_pixel(img, |img, x, y, p| match state[p] {
            1 => img.blend(x, y, BURNED, 0.65),
            2 => img.blend(x, y, BURNING, 0.95),
            _ => {}
        });
    }

    fn px(&self, xy: [f64; 2]) -> [i64; 2] {
        let p = self.pixel_of(xy);
        [p[0].floor() as i64, p[1].floor() as i64]
    }

    fn draw_agents(&self, img: &mut MapImage, scene: &Scene) {
        let thin = if self.map_w >= 900 { 2 } else { 1 };
        for closed in [false, true] {
            for (line, _) in scene.roads.iter().filter(|r| r.1 == closed) {
                for seg in line.windows(2) {
                    let (a, b) = (self.px(seg[0]), self.px(seg[1]));
                    if closed {
                        img.line(a, b, CLOSED, 1.0, thin + 2);
                    } else {
                        img.line(a, b, ROAD, 0.85, thin);
                    }
                }
            }
        }
        for &pos in &scene.sources {
            let [x, y] = self.px(pos);
            for (d, c, w) in [(7, [255, 255, 255], 5), (6, [0, 0, 0], 3)] {
                img.line([x - d, y - d], [x + d, y + d], c, 1.0, w);
                img.line([x - d, y + d], [x + d, y - d], c, 1.0, w);
            }
        }
        for &(sym, pos) in &scene.facilities {
            let [x, y] = self.px(pos);
            draw_facility(img, x, y, sym);
        }
        for &(mark, pos) in &scene.teams {
            let [x, y] = self.px(pos);
            let ring = if mark == TeamMark::Casualty {
                [255, 255, 255]
            } else {
                [0, 0, 0]
            };
            img.disc(x, y, 5, ring);
            img.disc(x, y, 4, mark.color());
        }
    }

    fn draw_scale_bar(&self, img: &mut MapImage) {
        let m_per_px = self.cells_per_px * self.spec.cell_size;
        let (len_m, label) = nice_length(self.map_w as f64 * m_per_px / 5.0);
        let bar = ((len_m / m_per_px).round() as i64).max(2);
        let (x, y) = (8, self.map_h as i64 - 38);
        let text_w = font::text_width(&label, 1) as i64;
        img.fill_rect(x, y, bar.max(text_w) + 12, 30, [255, 255, 255], 0.8);
        img.text(x + 6, y + 4, &label, 1, [0, 0, 0]);
        let half = bar / 2;
        img.fill_rect(x + 6, y + 18, half, 6, [0, 0, 0], 1.0);
        img.fill_rect(x + 6 + half, y + 18, bar - half, 6, [255, 255, 255], 1.0);
        img.stroke_rect(x + 6, y + 18, bar, 6, [0, 0, 0]);
    }

    fn draw_north_arrow(&self, img: &mut MapImage) {
        let (x, y) = (self.map_w as i64 - 36, 8);
        img.fill_rect(x, y, 28, 42, [255, 255, 255], 0.8);
        let cx = (x + 14) as f64;
        let top = (y + 4) as f64;
        img.fill_polygon(
            &[[cx, top], [cx + 8.0, top + 18.0], [cx - 8.0, top + 18.0]],
            [0, 0, 0],
        );
        img.text(x + 9, y + 26, "N", 2, [0, 0, 0]);
    }

    fn draw_caption(&self, img: &mut MapImage, scene: &Scene) {
        let y = self.map_h as i64;
        let time = format_hhmm(scene.t_s);
        img.text(8, y + 8, &time, 2, [255, 255, 255]);
        let mut items: Vec<(Rgb, String)> = Vec::new();
        if !scene.water_depth_m.is_empty() {
            items.push((water_color(1.0), "WATER > 5 CM".into()));
        }
        if !scene.gas_level.is_empty() {
            for (k, c) in GAS.iter().enumerate() {
                let name = scene
                    .gas_level_names
                    .get(k)
                    .filter(|n| n.is_ascii())
                    .cloned()
                    .unwrap_or_else(|| format!("GAS L{}", k + 1));
                items.push((*c, name));
            }
        }
        if !scene.fire.is_empty() {
            items.push((BURNING, "FIRE".into()));
            items.push((BURNED, "BURNED".into()));
        }
        if scene.roads.iter().any(|r| r.1) {
            items.push((CLOSED, "CLOSED ROAD".into()));
        }
        let mut x = 8 + font::text_width(&time, 2) as i64 + 20;
        for (c, label) in items {
            let w = 14 + font::text_width(&label, 1) as i64 + 12;
            if x + w > self.map_w as i64 {
                break;
            }
            img.fill_rect(x, y + 10, 10, 10, c, 1.0);
            img.text(x + 14, y + 12, &label, 1, [230, 230, 230]);
            x += w;
        }
    }
}

fn draw_facility(img: &mut MapImage, x: i64, y: i64, sym: FacilitySymbol) {
    let (xf, yf) = (x as f64 + 0.5, y as f64 + 0.5);
    match sym {
        FacilitySymbol::Base => {
            img.fill_rect(x - 6, y - 6, 13, 13, [255, 255, 255], 1.0);
            img.fill_rect(x - 5, y - 5, 11, 11, [30, 60, 160], 1.0);
        }
        FacilitySymbol::Depot => {
            let d = |r: f64| [[xf, yf - r], [xf + r, yf], [xf, yf + r], [xf - r, yf]];
            img.fill_polygon(&d(8.0), [255, 255, 255]);
            img.fill_polygon(&d(6.5), [150, 95, 40]);
        }
        FacilitySymbol::Shelter => {
            let t = |r: f64| [[xf, yf - r], [xf + r, yf + r * 0.8], [xf - r, yf + r * 0.8]];
            img.fill_polygon(&t(8.5), [255, 255, 255]);
            img.fill_polygon(&t(6.5), [30, 150, 60]);
        }
        FacilitySymbol::Hospital => {
            img.fill_rect(x - 6, y - 6, 13, 13, [200, 0, 0], 1.0);
            img.fill_rect(x - 5, y - 5, 11, 11, [255, 255, 255], 1.0);
            img.fill_rect(x - 1, y - 4, 3, 9, [220, 0, 0], 1.0);
            img.fill_rect(x - 4, y - 1, 9, 3, [220, 0, 0], 1.0);
        }
        FacilitySymbol::CommandPost => {
            img.disc(x, y, 7, [255, 255, 255]);
            img.disc(x, y, 6, [130, 40, 160]);
            img.disc(x, y, 2, [255, 255, 255]);
        }
    }
}

/// Colour of water `depth_m` deep: linear from pale to deep blue over 0–[`DEEP_M`].
pub fn water_color(depth_m: f32) -> Rgb {
    let f = (depth_m / DEEP_M).clamp(0.0, 1.0);
    let mix = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * f).round() as u8;
    [
        mix(SHALLOW[0], DEEP[0]),
        mix(SHALLOW[1], DEEP[1]),
        mix(SHALLOW[2], DEEP[2]),
    ]
}

/// Largest 1, 2 or 5 × 10ⁿ m not above `target_m` (at least 1 m), with its label.
pub fn nice_length(target_m: f64) -> (f64, String) {
    let t = target_m.max(1.0);
    let p = 10f64.powf(t.log10().floor());
    let len = [5.0, 2.0, 1.0]
        .iter()
        .map(|k| k * p)
        .find(|&l| l <= t * (1.0 + 1e-9))
        .unwrap_or(p);
    let label = if len >= 1000.0 {
        format!("{} KM", len / 1000.0)
    } else {
        format!("{len} M")
    };
    (len, label)
}

/// Elapsed time as `T+hh:mm` (whole minutes, hours may exceed 24).
pub fn format_hhmm(t_s: f64) -> String {
    let min = (t_s.max(0.0) / 60.0).floor() as u64;
    format!("T+{:02}:{:02}", min / 60, min % 60)
}

/// Why a map could not be encoded.
#[derive(Debug, thiserror::Error)]
#[error("cannot encode the map as PNG: {0}")]
pub struct MapError(String);

impl MapImage {
    /// The image as PNG bytes.
    pub fn encode_png(&self) -> Result<Vec<u8>, MapError> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, self.width, self.height);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let err = |e: png::EncodingError| MapError(e.to_string());
        let mut w = enc.write_header().map_err(err)?;
        w.write_image_data(&self.rgba).map_err(err)?;
        w.finish().map_err(err)?;
        Ok(out)
    }

    /// Writes the image as a PNG file, atomically (temporary file, then rename).
    pub fn write_png(&self, path: &Path) -> Result<(), RasterError> {
        raster::write_png(path, self.width, self.height, &self.rgba)
    }
}

/// Reads PNG bytes (8-bit grey, grey-alpha, RGB or RGBA; 16-bit stripped) into an
/// RGBA image — to check written maps and screenshots.
pub fn decode_png(bytes: &[u8]) -> Result<MapImage, MapError> {
    let err = |e: png::DecodingError| MapError(e.to_string());
    let mut dec = png::Decoder::new(std::io::Cursor::new(bytes));
    dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = dec.read_info().map_err(err)?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| MapError("the image is too large".into()))?;
    let mut buf = vec![0; size];
    let info = reader.next_frame(&mut buf).map_err(err)?;
    buf.truncate(info.buffer_size());
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return Err(MapError("palette not expanded".into())),
    };
    let mut rgba = Vec::with_capacity(info.width as usize * info.height as usize * 4);
    for px in buf.chunks_exact(channels) {
        let (rgb, a) = match channels {
            1 => ([px[0]; 3], 255),
            2 => ([px[0]; 3], px[1]),
            3 => ([px[0], px[1], px[2]], 255),
            _ => ([px[0], px[1], px[2]], px[3]),
        };
        rgba.extend_from_slice(&[rgb[0], rgb[1], rgb[2], a]);
    }
    Ok(MapImage {
        width: info.width,
        height: info.height,
        rgba,
    })
}

/// A map of the current state of `sim` (one-off; use [`MapRenderer`] for a series).
pub fn render_map(sim: &Simulation, max_px: u32) -> MapImage {
    MapRenderer::new(sim.terrain(), max_px).render(&Scene::from_sim(sim))
}

#[cfg(test)]
mod tests;
