//! Map export as PNG: the app asks egui for a screenshot of the window
//! (`ViewportCommand::Screenshot`), crops it to the map's rectangle and writes it with the
//! `png` crate, to a temporary file renamed into place. Also used by `--screenshot`
//! (the whole window) for the Xvfb test.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use egui::{Color32, ColorImage, Rect};

/// `<scenario-stem>_t<seconds>.png`.
pub fn default_name(scenario: &Path, t_s: f64) -> String {
    let stem = scenario
        .file_stem()
        .map_or_else(|| "map".into(), |s| s.to_string_lossy());
    format!("{stem}_t{}.png", t_s.max(0.0).round() as u64)
}

/// The part of `image` under `rect` (points, scaled by `pixels_per_point`), clamped to
/// the image; `None` if nothing is left.
pub fn crop(image: &ColorImage, rect: Rect, pixels_per_point: f32) -> Option<ColorImage> {
    let [w, h] = image.size;
    let px = |v: f32, max: usize| ((v * pixels_per_point).round().max(0.0) as usize).min(max);
    let (x0, x1) = (px(rect.min.x, w), px(rect.max.x, w));
    let (y0, y1) = (px(rect.min.y, h), px(rect.max.y, h));
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    let mut pixels = Vec::with_capacity((x1 - x0) * (y1 - y0));
    for row in y0..y1 {
        pixels.extend_from_slice(&image.pixels[row * w + x0..row * w + x1]);
    }
    Some(ColorImage::new([x1 - x0, y1 - y0], pixels))
}

/// Writes `image` as an RGBA PNG to `path` (temporary file, then rename).
pub fn write_png(path: &Path, image: &ColorImage) -> Result<(), String> {
    let [w, h] = image.size;
    let mut bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut bytes, w as u32, h as u32);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().map_err(|e| e.to_string())?;
        let rgba: Vec<u8> = image
            .pixels
            .iter()
            .flat_map(Color32::to_srgba_unmultiplied)
            .collect();
        writer.write_image_data(&rgba).map_err(|e| e.to_string())?;
        writer.finish().map_err(|e| e.to_string())?;
    }
    crate::settings::write_atomic(path, &bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// `dir/stem_map.png` for `dir/stem.png`.
pub fn map_copy_path(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map_or_else(|| "screenshot".into(), |s| s.to_string_lossy());
    path.with_file_name(format!("{stem}_map.png"))
}

/// What to do with the next screenshot.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// Where to write.
    pub path: PathBuf,
    /// Part of the window, in points (`None` = all of it).
    pub rect: Option<Rect>,
    /// Quit once written (`--screenshot`).
    pub quit: bool,
    /// Also write this part of the same image there (`--screenshot`: the map alone).
    pub map_copy: Option<(PathBuf, Rect)>,
}

/// A screenshot asked of egui and the slot its callback fills.
#[derive(Default)]
pub struct Exporter {
    /// The request in flight.
    pub pending: Option<Pending>,
    slot: Arc<Mutex<Option<Arc<ColorImage>>>>,
}

impl Exporter {
    /// Asks egui for a screenshot of the next frame.
    pub fn request(&mut self, ctx: &egui::Context, p: Pending) {
        self.pending = Some(p);
        let slot = Arc::clone(&self.slot);
        let waker = ctx.clone();
        ctx.request_screenshot(move |img| {
            if let Ok(mut s) = slot.lock() {
                *s = Some(img);
            }
            waker.request_repaint();
        });
    }

    /// Writes the screenshot once it has arrived: `Some(result)` then, with the path.
    pub fn poll(&mut self, ctx: &egui::Context) -> Option<(Pending, Result<(), String>)> {
        let img = self.slot.lock().ok()?.take()?;
        let p = self.pending.take()?;
        let ppp = ctx.pixels_per_point();
        let result = match p.rect {
            Some(r) => crop(&img, r, ppp).ok_or_else(|| "the map is not visible".to_owned()),
            None => Ok((*img).clone()),
        }
        .and_then(|cropped| write_png(&p.path, &cropped))
        .and_then(|()| match &p.map_copy {
            Some((path, r)) => crop(&img, *r, ppp)
                .ok_or_else(|| "the map is not visible".to_owned())
                .and_then(|m| write_png(path, &m)),
            None => Ok(()),
        });
        Some((p, result))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;

    #[test]
    fn crop_and_write_a_synthetic_image() {
        // 8×6 px image: left half red, right half blue; a 2-px row of green at the top.
        let mut img = ColorImage::filled([8, 6], Color32::RED);
        for y in 0..6 {
            for x in 4..8 {
                img.pixels[y * 8 + x] = Color32::BLUE;
            }
        }
        for x in 0..8 {
            img.pixels[x] = Color32::GREEN;
            img.pixels[8 + x] = Color32::GREEN;
        }
        // Points at 2 px per point: rect (2,1)–(4,3) → px (4,2)–(8,6), the blue corner.
        let c = crop(
            &img,
            Rect::from_min_max(pos2(2.0, 1.0), pos2(4.0, 3.0)),
            2.0,
        )
        .unwrap();
        assert_eq!(c.size, [4, 4]);
        assert!(c.pixels.iter().all(|p| *p == Color32::BLUE));
        // Clamped to the image; empty → None.
        let c = crop(
            &img,
            Rect::from_min_max(pos2(-5.0, -5.0), pos2(50.0, 1.0)),
            1.0,
        )
        .unwrap();
        assert_eq!(c.size, [8, 1]);
        assert!(c.pixels.iter().all(|p| *p == Color32::GREEN));
        assert!(
            crop(
                &img,
                Rect::from_min_max(pos2(9.0, 0.0), pos2(12.0, 3.0)),
                1.0
            )
            .is_none()
        );

        let dir = tempfile::tempdir().unwrap();
        let path = dir
            .path()
            .join(default_name(Path::new("a/flood.ron"), 5399.6));
        assert!(path.ends_with("flood_t5400.png"));
        assert_eq!(
            map_copy_path(Path::new("/t/shot.png")),
            Path::new("/t/shot_map.png")
        );
        write_png(&path, &img).unwrap();
        let decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&path).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (8, 6));
        assert_eq!(&buf[..4], &[0, 255, 0, 255], "top-left green");
        assert_eq!(
            &buf[(5 * 8 + 7) * 4..][..4],
            &[0, 0, 255, 255],
            "bottom-right blue"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file"
        );
    }
}
