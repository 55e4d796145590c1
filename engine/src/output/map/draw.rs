//! Raster drawing primitives on an RGBA image: alpha blending ("over" compositing),
//! rectangles, lines (Bresenham), discs, polygons and bitmap text.

use super::font::{GLYPH_W, glyph};

/// An 8-bit sRGB colour.
pub type Rgb = [u8; 3];

/// An RGBA image, row-major, top row first.
#[derive(Clone, Debug, PartialEq)]
pub struct MapImage {
    /// Width, px.
    pub width: u32,
    /// Height, px.
    pub height: u32,
    /// 4 bytes per pixel.
    pub rgba: Vec<u8>,
}

impl MapImage {
    /// An opaque image filled with `color`.
    pub fn new(width: u32, height: u32, color: Rgb) -> Self {
        let n = width as usize * height as usize;
        let mut rgba = Vec::with_capacity(n * 4);
        for _ in 0..n {
            rgba.extend_from_slice(&[color[0], color[1], color[2], 255]);
        }
        Self {
            width,
            height,
            rgba,
        }
    }

    /// The pixel at `(x, y)` (`None` outside).
    pub fn pixel(&self, x: u32, y: u32) -> Option<[u8; 4]> {
        if x >= self.width || y >= self.height {
            return None;
        }
        let i = (y as usize * self.width as usize + x as usize) * 4;
        Some([
            self.rgba[i],
            self.rgba[i + 1],
            self.rgba[i + 2],
            self.rgba[i + 3],
        ])
    }

    /// Composites `color` with opacity `alpha` (0–1) over pixel `(x, y)`; ignores
    /// points outside the image.
    pub fn blend(&mut self, x: i64, y: i64, color: Rgb, alpha: f32) {
        if x < 0 || y < 0 || x >= i64::from(self.width) || y >= i64::from(self.height) {
            return;
        }
        let i = (y as usize * self.width as usize + x as usize) * 4;
        let a = alpha.clamp(0.0, 1.0);
        for (k, &c) in color.iter().enumerate() {
            let old = f32::from(self.rgba[i + k]);
            self.rgba[i + k] = (old + (f32::from(c) - old) * a).round() as u8;
        }
        self.rgba[i + 3] = 255;
    }

    /// Sets pixel `(x, y)` to the opaque `color`.
    pub fn put(&mut self, x: i64, y: i64, color: Rgb) {
        self.blend(x, y, color, 1.0);
    }

    /// Fills the rectangle with corner `(x, y)` and size `w × h`.
    pub fn fill_rect(&mut self, x: i64, y: i64, w: i64, h: i64, color: Rgb, alpha: f32) {
        for yy in y..y + h {
            for xx in x..x + w {
                self.blend(xx, yy, color, alpha);
            }
        }
    }

    /// Outlines the rectangle with corner `(x, y)` and size `w × h`.
    pub fn stroke_rect(&mut self, x: i64, y: i64, w: i64, h: i64, color: Rgb) {
        for xx in x..x + w {
            self.put(xx, y, color);
            self.put(xx, y + h - 1, color);
        }
        for yy in y..y + h {
            self.put(x, yy, color);
            self.put(x + w - 1, yy, color);
        }
    }

    /// A line from `a` to `b` (Bresenham), `thick` pixels wide (square pen).
    pub fn line(&mut self, a: [i64; 2], b: [i64; 2], color: Rgb, alpha: f32, thick: i64) {
        let (mut x, mut y) = (a[0], a[1]);
        let (dx, dy) = ((b[0] - x).abs(), -(b[1] - y).abs());
        let (sx, sy) = (if x < b[0] { 1 } else { -1 }, if y < b[1] { 1 } else { -1 });
        let mut err = dx + dy;
        let off = (thick - 1) / 2;
        // Guard against huge coordinates far off the image.
        let limit = 4 * (i64::from(self.width) + i64::from(self.height)) + dx - dy;
        for _ in 0..=limit {
            for oy in 0..thick {
                for ox in 0..thick {
                    self.blend(x + ox - off, y + oy - off, color, alpha);
                }
            }
            if x == b[0] && y == b[1] {
                break;
            }
            let e2 = 2 * err;
            if e2 >= dy {
                err += dy;
                x += sx;
            }
            if e2 <= dx {
                err += dx;
                y += sy;
            }
        }
    }

    /// A filled disc of radius `r` centred on `(cx, cy)`.
    pub fn disc(&mut self, cx: i64, cy: i64, r: i64, color: Rgb) {
        for dy in -r..=r {
            for dx in -r..=r {
                if dx * dx + dy * dy <= r * r + r {
                    self.put(cx + dx, cy + dy, color);
                }
            }
        }
    }

    /// A filled convex polygon (even-odd scanline fill at pixel centres).
    pub fn fill_polygon(&mut self, pts: &[[f64; 2]], color: Rgb) {
        if pts.len() < 3 {
            return;
        }
        let y0 = pts
            .iter()
            .map(|p| p[1])
            .fold(f64::INFINITY, f64::min)
            .floor() as i64;
        let y1 = pts
            .iter()
            .map(|p| p[1])
            .fold(f64::NEG_INFINITY, f64::max)
            .ceil() as i64;
        for y in y0..=y1 {
            let yc = y as f64 + 0.5;
            let mut xs = Vec::with_capacity(4);
            for k in 0..pts.len() {
                let (p, q) = (pts[k], pts[(k + 1) % pts.len()]);
                if (p[1] <= yc) != (q[1] <= yc) {
                    xs.push(p[0] + (yc - p[1]) / (q[1] - p[1]) * (q[0] - p[0]));
                }
            }
            xs.sort_by(f64::total_cmp);
            for pair in xs.chunks_exact(2) {
                let (a, b) = (
                    (pair[0] - 0.5).ceil() as i64,
                    (pair[1] - 0.5).floor() as i64,
                );
                for x in a..=b {
                    self.put(x, y, color);
                }
            }
        }
    }

    /// Draws `text` with its top-left corner at `(x, y)`, each font pixel `scale` image
    /// pixels wide.
    pub fn text(&mut self, x: i64, y: i64, text: &str, scale: usize, color: Rgb) {
        let s = scale.max(1) as i64;
        for (k, c) in text.chars().enumerate() {
            let gx = x + k as i64 * (GLYPH_W as i64 + 1) * s;
            for (row, bits) in glyph(c).iter().enumerate() {
                for col in 0..GLYPH_W {
                    if bits >> (GLYPH_W - 1 - col) & 1 == 1 {
                        let (px, py) = (gx + col as i64 * s, y + row as i64 * s);
                        self.fill_rect(px, py, s, s, color, 1.0);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "Over" compositing: C = C_dst + α (C_src − C_dst) (Porter & Duff 1984).
    #[test]
    fn blend_is_porter_duff_over() {
        let mut img = MapImage::new(2, 1, [100, 100, 100]);
        img.blend(0, 0, [200, 0, 100], 0.5);
        assert_eq!(img.pixel(0, 0), Some([150, 50, 100, 255]));
        img.blend(-1, 0, [0, 0, 0], 1.0); // outside: ignored
        assert_eq!(img.pixel(1, 0), Some([100, 100, 100, 255]));
    }

    #[test]
    fn line_reaches_both_ends_and_polygon_fills_inside() {
        let mut img = MapImage::new(10, 10, [255, 255, 255]);
        img.line([1, 1], [8, 5], [0, 0, 0], 1.0, 1);
        assert_eq!(img.pixel(1, 1), Some([0, 0, 0, 255]));
        assert_eq!(img.pixel(8, 5), Some([0, 0, 0, 255]));
        let mut img = MapImage::new(10, 10, [255, 255, 255]);
        img.fill_polygon(
            &[[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]],
            [9, 9, 9],
        );
        assert!(img.rgba.chunks(4).all(|p| p[0] == 9));
    }
}
