//! Raster rendering: analytical hillshade, colour ramps, hillshade × colour blending and
//! atomic PNG output.
//!
//! ## Model
//! Surface gradient by Horn's (1981) 3×3 weighted finite differences. With `a b c / d e f /
//! g h i` the neighbourhood (row `a b c` to the north) and Δ the cell size,
//! `p = ∂z/∂x = ((c + 2f + i) − (a + 2d + g)) / 8Δ` (east) and
//! `q = ∂z/∂y = ((a + 2b + c) − (g + 2h + i)) / 8Δ` (north), both scaled by the z-factor.
//! Slope `S = atan √(p² + q²)`; aspect `A` = compass azimuth of the downslope direction
//! `(−p, −q)`. Illumination (Burrough & McDonnell 1998; ESRI "How Hillshade works"):
//! `H = cos Z cos S + sin Z sin S cos(Az − A)`, `Z = 90° − altitude`, `Az` the sun's
//! azimuth, clamped to [0, 1] (self-shadowed slopes are 0). Evaluated in the equivalent
//! trigonometry-free form `H = (cos Z − sin Z (p sin Az + q cos Az)) / √(1 + p² + q²)`.
//! Edge cells use one-sided differences over the neighbours that exist (the divisor
//! follows the actual span), so a plane is shaded exactly up to the border; nodata
//! neighbours are replaced by the centre value; nodata centres stay `NaN`.
//!
//! ## Units
//! Elevation and cell size in metres (or both in any one unit; the z-factor converts
//! elevation units to horizontal units). Angles in degrees at the API, radians inside.
//! Hillshade is dimensionless in [0, 1]; colours are 8-bit sRGB + alpha.
//!
//! ## Assumptions
//! Square cells; no cast shadows (only the local incidence angle); colour ramps are
//! linear interpolation between table stops in sRGB space.
//!
//! ## References
//! - Horn, B. K. P. (1981). Hill shading and the reflectance map. *Proc. IEEE* 69(1), 14–47.
//! - Burrough, P. A., McDonnell, R. A. (1998). *Principles of Geographical Information
//!   Systems*. Oxford University Press, pp. 190–191.
//! - ESRI, ArcGIS Pro documentation, "How Hillshade works" (azimuth 315°, altitude 45°).
//! - ESA WorldCover 10 m 2020 v100 Product User Manual (class codes and colours of the
//!   land-cover palette).
//! - van der Walt, S., Smith, N. (2015). matplotlib colormaps "viridis" (perceptually
//!   uniform ramp; stops sampled at tenths).

use std::path::Path;

use rayon::prelude::*;

use super::atomic::write_atomically;
use super::{RasterError, RasterErrorKind};
use crate::world::grid::Grid;

/// Sun position and vertical exaggeration for [`hillshade`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HillshadeParams {
    /// Compass azimuth of the sun, degrees clockwise from north (default 315 = north-west).
    pub azimuth_deg: f64,
    /// Sun altitude above the horizon, degrees (default 45).
    pub altitude_deg: f64,
    /// Multiplier converting elevation units to horizontal units (default 1).
    pub z_factor: f64,
}

impl Default for HillshadeParams {
    fn default() -> Self {
        Self {
            azimuth_deg: 315.0,
            altitude_deg: 45.0,
            z_factor: 1.0,
        }
    }
}

/// Hillshade of `dem` in [0, 1] (`NaN` where the DEM is `NaN`). Rows are computed in
/// parallel; each cell depends only on its inputs, so the result is independent of the
/// thread count.
pub fn hillshade(dem: &Grid<f32>, params: HillshadeParams) -> Grid<f32> {
    let w = dem.width();
    let zenith = (90.0 - params.altitude_deg).to_radians();
    let az = params.azimuth_deg.to_radians();
    let (cos_z, sin_z) = (zenith.cos(), zenith.sin());
    let (sin_az, cos_az) = (az.sin(), az.cos());
    let mut out = Grid::filled(*dem.spec(), f32::NAN);
    if w == 0 {
        return out;
    }
    out.data_mut()
        .par_chunks_mut(w)
        .enumerate()
        .for_each(|(r, row_out)| {
            for (c, o) in row_out.iter_mut().enumerate() {
                if dem.get(c, r).is_nan() {
                    continue;
                }
                let [gx, gy] = horn_gradient(dem, c, r);
                let (p, q) = (gx * params.z_factor, gy * params.z_factor);
                let shade =
                    (cos_z - sin_z * (p * sin_az + q * cos_az)) / (1.0 + p * p + q * q).sqrt();
                *o = shade.clamp(0.0, 1.0) as f32;
            }
        });
    out
}

/// Surface gradient `[∂z/∂x (east), ∂z/∂y (north)]` in m/m at cell `(c, r)` by Horn's
/// (1981) 3×3 weighted differences. Edge cells use one-sided differences divided by the
/// actual span, so planes have exact gradients up to the border; `NaN` neighbours take the
/// centre value. Shared by hillshading and terrain slope (fire spread).
pub fn horn_gradient(dem: &Grid<f32>, c: usize, r: usize) -> [f64; 2] {
    let (w, h) = (dem.width(), dem.height());
    let d = dem.cell_size();
    let e = *dem.get(c, r);
    let (rn, rs) = (r.saturating_sub(1), (r + 1).min(h - 1));
    let (cw, ce) = (c.saturating_sub(1), (c + 1).min(w - 1));
    let (span_x, span_y) = ((ce - cw) as f64, (rs - rn) as f64);
    let z = |cc: usize, rr: usize| {
        let v = *dem.get(cc, rr);
        f64::from(if v.is_nan() { e } else { v })
    };
    let gx = if span_x > 0.0 {
        let east = z(ce, rn) + 2.0 * z(ce, r) + z(ce, rs);
        let west = z(cw, rn) + 2.0 * z(cw, r) + z(cw, rs);
        (east - west) / (4.0 * span_x * d)
    } else {
        0.0
    };
    let gy = if span_y > 0.0 {
        let north = z(cw, rn) + 2.0 * z(c, rn) + z(ce, rn);
        let south = z(cw, rs) + 2.0 * z(c, rs) + z(ce, rs);
        (north - south) / (4.0 * span_y * d)
    } else {
        0.0
    };
    [gx, gy]
}

/// A continuous colour ramp: a table of `(position in [0, 1], sRGB)` stops, linearly
/// interpolated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ramp {
    /// Hypsometric tints: green lowlands → yellow → brown → grey → white summits.
    Terrain,
    /// Water depth: pale cyan (shallow) → deep navy.
    WaterDepth,
    /// Heat / fire intensity: black → red → orange → yellow → white.
    Heat,
    /// Concentration: yellow (low) → orange → red → dark red (high).
    Concentration,
    /// Perceptually uniform, colour-blind safe (matplotlib viridis stops).
    Viridis,
}

type Stops = &'static [(f32, [u8; 3])];

impl Ramp {
    fn stops(self) -> Stops {
        match self {
            Self::Terrain => &[
                (0.0, [0x3a, 0x7d, 0x44]),
                (0.2, [0x8f, 0xb8, 0x5a]),
                (0.4, [0xe8, 0xd8, 0x8a]),
                (0.6, [0xc2, 0x8e, 0x55]),
                (0.8, [0x99, 0x88, 0x7a]),
                (1.0, [0xfa, 0xfa, 0xfa]),
            ],
            Self::WaterDepth => &[
                (0.0, [0xc6, 0xee, 0xfa]),
                (0.3, [0x6b, 0xb8, 0xe8]),
                (0.6, [0x21, 0x71, 0xb5]),
                (1.0, [0x08, 0x1d, 0x58]),
            ],
            Self::Heat => &[
                (0.0, [0x00, 0x00, 0x00]),
                (0.35, [0xb0, 0x10, 0x10]),
                (0.6, [0xf0, 0x70, 0x10]),
                (0.85, [0xff, 0xe0, 0x30]),
                (1.0, [0xff, 0xff, 0xff]),
            ],
            Self::Concentration => &[
                (0.0, [0xff, 0xf5, 0x9d]),
                (0.35, [0xfe, 0xb2, 0x4c]),
                (0.7, [0xe3, 0x1a, 0x1c]),
                (1.0, [0x80, 0x00, 0x26]),
            ],
            Self::Viridis => &[
                (0.0, [0x44, 0x01, 0x54]),
                (0.111, [0x48, 0x28, 0x78]),
                (0.222, [0x3e, 0x49, 0x89]),
                (0.333, [0x31, 0x68, 0x8e]),
                (0.444, [0x26, 0x82, 0x8e]),
                (0.556, [0x1f, 0x9e, 0x89]),
                (0.667, [0x35, 0xb7, 0x79]),
                (0.778, [0x6e, 0xce, 0x58]),
                (0.889, [0xb5, 0xde, 0x2b]),
                (1.0, [0xfd, 0xe7, 0x25]),
            ],
        }
    }

    /// Opaque colour at `t` (clamped to [0, 1]); fully transparent for `NaN`.
    pub fn color(self, t: f32) -> [u8; 4] {
        if t.is_nan() {
            return [0; 4];
        }
        let t = t.clamp(0.0, 1.0);
        let stops = self.stops();
        let i = stops
            .iter()
            .position(|s| s.0 >= t)
            .unwrap_or(stops.len() - 1);
        if i == 0 {
            let [r, g, b] = stops[0].1;
            return [r, g, b, 255];
        }
        let ((t0, c0), (t1, c1)) = (stops[i - 1], stops[i]);
        let f = (t - t0) / (t1 - t0);
        let mix = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * f).round() as u8;
        [mix(c0[0], c1[0]), mix(c0[1], c1[1]), mix(c0[2], c1[2]), 255]
    }
}

/// RGBA bytes (row-major, 4 per cell) of `grid` through `ramp`, mapping `lo..=hi` to the
/// ramp's ends. `NaN` cells are transparent. A degenerate range maps everything to 0.
pub fn colorize(grid: &Grid<f32>, ramp: Ramp, lo: f32, hi: f32) -> Vec<u8> {
    let span = hi - lo;
    let scale = if span > 0.0 && span.is_finite() {
        1.0 / span
    } else {
        0.0
    };
    grid.data()
        .iter()
        .flat_map(|&v| {
            ramp.color(if v.is_nan() {
                f32::NAN
            } else {
                (v - lo) * scale
            })
        })
        .collect()
}

/// Colour of an ESA WorldCover land-cover class code (10 tree cover, 20 shrubland,
/// 30 grassland, 40 cropland, 50 built-up, 60 bare/sparse, 70 snow and ice, 80 permanent
/// water, 90 herbaceous wetland, 95 mangroves, 100 moss and lichen). Code 0 (no data) is
/// transparent; unknown codes are magenta so they stand out.
pub fn land_cover_color(code: u8) -> [u8; 4] {
    let rgb = match code {
        0 => return [0; 4],
        10 => [0x00, 0x64, 0x00],
        20 => [0xff, 0xbb, 0x22],
        30 => [0xff, 0xff, 0x4c],
        40 => [0xf0, 0x96, 0xff],
        50 => [0xfa, 0x00, 0x00],
        60 => [0xb4, 0xb4, 0xb4],
        70 => [0xf0, 0xf0, 0xf0],
        80 => [0x00, 0x64, 0xc8],
        90 => [0x00, 0x96, 0xa0],
        95 => [0x00, 0xcf, 0x75],
        100 => [0xfa, 0xe6, 0xa0],
        _ => [0xff, 0x00, 0xff],
    };
    [rgb[0], rgb[1], rgb[2], 255]
}

/// RGBA bytes of a land-cover class grid (see [`land_cover_color`]).
pub fn land_cover_rgba(grid: &Grid<u8>) -> Vec<u8> {
    grid.data()
        .iter()
        .flat_map(|&c| land_cover_color(c))
        .collect()
}

/// Darkens `rgba` (4 bytes per cell of `shade`'s grid) by the hillshade:
/// `rgb ← rgb · (ambient + (1 − ambient) · shade)`. `ambient` in [0, 1] keeps shadows
/// from going black (0.35–0.5 reads well). Cells with `NaN` shade, and transparent
/// pixels, are left unchanged. Extra or missing bytes are ignored.
pub fn blend_hillshade(rgba: &mut [u8], shade: &Grid<f32>, ambient: f32) {
    let ambient = ambient.clamp(0.0, 1.0);
    for (px, &s) in rgba.chunks_exact_mut(4).zip(shade.data()) {
        if s.is_nan() || px[3] == 0 {
            continue;
        }
        let f = ambient + (1.0 - ambient) * s.clamp(0.0, 1.0);
        for ch in &mut px[..3] {
            *ch = (f32::from(*ch) * f).round() as u8;
        }
    }
}

/// Shaded relief of a DEM as RGBA bytes: [`Ramp::Terrain`] over the DEM's finite range,
/// darkened by the default [`hillshade`] with ambient light 0.4. Nodata is transparent.
pub fn shaded_relief(dem: &Grid<f32>) -> Vec<u8> {
    let (lo, hi) = dem.finite_range().unwrap_or((0.0, 1.0));
    let mut rgba = colorize(dem, Ramp::Terrain, lo, hi);
    blend_hillshade(&mut rgba, &hillshade(dem, HillshadeParams::default()), 0.4);
    rgba
}

/// Writes `rgba` (8-bit RGBA, row-major, top row first) as a PNG, atomically.
pub fn write_png(path: &Path, width: u32, height: u32, rgba: &[u8]) -> Result<(), RasterError> {
    let expected = u64::from(width) * u64::from(height) * 4;
    if rgba.len() as u64 != expected || width == 0 || height == 0 {
        return Err(RasterError::new(
            path,
            RasterErrorKind::Data,
            "the pixel buffer does not match the image size",
            format!("{width} × {height} × 4 = {expected} bytes (non-empty)"),
            format!("{} bytes", rgba.len()),
            "pass the grid's width and height and 4 bytes per cell",
        ));
    }
    let png_err = |e: png::EncodingError| {
        RasterError::new(
            path,
            RasterErrorKind::Io,
            "could not encode the PNG",
            "a writable PNG",
            e.to_string(),
            "check the disk space and permissions",
        )
        .caused_by(e)
    };
    write_atomically(path, |out| {
        let mut enc = png::Encoder::new(out, width, height);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().map_err(png_err)?;
        writer.write_image_data(rgba).map_err(png_err)?;
        writer.finish().map_err(png_err)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::grid::GridSpec;

    /// Closed-form illumination of a plane of slope `s` facing azimuth `a` (Burrough &
    /// McDonnell 1998): cos Z cos S + sin Z sin S cos(Az − A).
    fn closed_form(slope: f64, aspect: f64, p: HillshadeParams) -> f64 {
        let z = (90.0 - p.altitude_deg).to_radians();
        let v = z.cos() * slope.cos()
            + z.sin() * slope.sin() * (p.azimuth_deg.to_radians() - aspect).cos();
        v.max(0.0)
    }

    #[test]
    fn plane_matches_closed_form_everywhere_including_edges() {
        // Analytic plane z = z0 + gx·x + gy·y; its slope and downslope azimuth are exact.
        // Tolerance 1e-6: f32 storage of z (≤ 1e3 m, relative 6e-8) perturbs gradients by
        // < 1e-5 m/m over 10 m cells, i.e. < 1e-6 in H for these slopes.
        let spec = GridSpec {
            width: 7,
            height: 5,
            cell_size: 10.0,
            origin: [0.0, 0.0],
        };
        for &(gx, gy) in &[
            (0.3, -0.2),
            (-0.5, 0.1),
            (0.0, 0.0),
            (0.05, 0.9),
            (-1.2, -0.7),
        ] {
            let dem = Grid::from_fn(spec, |c, r| {
                let [x, y] = spec.cell_center(c, r);
                (100.0 + gx * x + gy * y) as f32
            });
            for params in [
                HillshadeParams::default(),
                HillshadeParams {
                    azimuth_deg: 120.0,
                    altitude_deg: 30.0,
                    z_factor: 1.0,
                },
            ] {
                let hs = hillshade(&dem, params);
                let slope = f64::hypot(gx, gy).atan();
                let aspect = f64::atan2(-gx, -gy);
                let want = closed_form(slope, aspect, params);
                for &v in hs.data() {
                    assert!(
                        (f64::from(v) - want).abs() < 1e-6,
                        "{v} vs {want} ({gx},{gy})"
                    );
                }
            }
        }
    }

    #[test]
    fn z_factor_scales_the_gradient_and_nodata_stays_transparent() {
        let spec = GridSpec {
            width: 4,
            height: 4,
            cell_size: 1.0,
            origin: [0.0, 0.0],
        };
        let mut dem = Grid::from_fn(spec, |c, _| c as f32);
        let doubled = Grid::from_fn(spec, |c, _| 2.0 * c as f32);
        let p2 = HillshadeParams {
            z_factor: 2.0,
            ..Default::default()
        };
        assert_eq!(
            hillshade(&dem, p2),
            hillshade(&doubled, HillshadeParams::default())
        );
        dem.set(1, 1, f32::NAN);
        let hs = hillshade(&dem, HillshadeParams::default());
        assert!(hs.get(1, 1).is_nan());
        assert!(hs.data().iter().filter(|v| v.is_nan()).count() == 1);
        let rgba = colorize(&dem, Ramp::Terrain, 0.0, 3.0);
        assert_eq!(&rgba[4 * 5..4 * 6], &[0, 0, 0, 0]);
    }

    #[test]
    fn ramps_hit_their_stops_and_interpolate_linearly() {
        for ramp in [
            Ramp::Terrain,
            Ramp::WaterDepth,
            Ramp::Heat,
            Ramp::Concentration,
            Ramp::Viridis,
        ] {
            let s = ramp.stops();
            assert_eq!((s[0].0, s[s.len() - 1].0), (0.0, 1.0));
            assert!(s.windows(2).all(|w| w[0].0 < w[1].0));
            for &(t, [r, g, b]) in s {
                assert_eq!(ramp.color(t), [r, g, b, 255]);
            }
            assert_eq!(ramp.color(-5.0), ramp.color(0.0));
            assert_eq!(ramp.color(f32::NAN), [0; 4]);
        }
        // Halfway between Heat's first two stops (0 and 0.35): half of 0xb0 and 0x10.
        assert_eq!(Ramp::Heat.color(0.175), [88, 8, 8, 255]);
        assert_eq!(land_cover_color(80), [0x00, 0x64, 0xc8, 255]);
        assert_eq!(land_cover_color(0)[3], 0);
    }

    #[test]
    fn blend_darkens_by_shade() {
        let spec = GridSpec {
            width: 2,
            height: 1,
            cell_size: 1.0,
            origin: [0.0, 0.0],
        };
        let shade = Grid::from_vec(spec, vec![0.0, 1.0]).unwrap();
        let mut px = vec![200, 100, 50, 255, 200, 100, 50, 255];
        blend_hillshade(&mut px, &shade, 0.5);
        assert_eq!(px, vec![100, 50, 25, 255, 200, 100, 50, 255]);
    }

    #[test]
    fn png_size_mismatch_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_png(&dir.path().join("a.png"), 2, 2, &[0; 15]).unwrap_err();
        assert_eq!(e.kind, RasterErrorKind::Data);
        write_png(&dir.path().join("b.png"), 2, 2, &[7; 16]).unwrap();
        assert!(dir.path().join("b.png").exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
