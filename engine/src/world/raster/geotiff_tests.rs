//! GeoTIFF reader tests on files written here with the `tiff` crate's encoder: every
//! supported sample format, strips and tiles, nodata, both georeferencing forms,
//! PixelIsPoint, geographic CRSs and the refusals (rotation, non-square cells, bands).

use std::io::Cursor;
use std::path::{Path, PathBuf};

use tiff::encoder::colortype::{self, ColorType};
use tiff::encoder::{TiffEncoder, TiffValue};
use tiff::tags::Tag;

use super::{RasterErrorKind, read_geotiff, write_geotiff};
use crate::world::grid::{Grid, GridSpec};

/// Georeferencing tags to attach.
#[derive(Clone, Default)]
struct Geo {
    scale: Option<Vec<f64>>,
    tie: Option<Vec<f64>>,
    transform: Option<Vec<f64>>,
    keys: Option<Vec<u16>>,
    nodata: Option<&'static str>,
}

/// UTM 19N, 30 m cells, upper-left corner (300000, 4900000), PixelIsArea.
fn utm() -> Geo {
    Geo {
        scale: Some(vec![30.0, 30.0, 0.0]),
        tie: Some(vec![0.0, 0.0, 0.0, 300_000.0, 4_900_000.0, 0.0]),
        keys: Some(vec![
            1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, 32619,
        ]),
        ..Geo::default()
    }
}

fn write_tags<W: std::io::Write + std::io::Seek, K: tiff::encoder::TiffKind>(
    d: &mut tiff::encoder::DirectoryEncoder<'_, W, K>,
    g: &Geo,
) {
    if let Some(s) = &g.scale {
        d.write_tag(Tag::ModelPixelScaleTag, &s[..]).unwrap();
    }
    if let Some(t) = &g.tie {
        d.write_tag(Tag::ModelTiepointTag, &t[..]).unwrap();
    }
    if let Some(m) = &g.transform {
        d.write_tag(Tag::ModelTransformationTag, &m[..]).unwrap();
    }
    if let Some(k) = &g.keys {
        d.write_tag(Tag::GeoKeyDirectoryTag, &k[..]).unwrap();
    }
    if let Some(n) = g.nodata {
        d.write_tag(Tag::GdalNodata, n).unwrap();
    }
}

fn tiff_bytes<C: ColorType>(w: u32, h: u32, data: &[C::Inner], g: &Geo) -> Vec<u8>
where
    [C::Inner]: TiffValue,
{
    let mut buf = Cursor::new(Vec::new());
    {
        let mut enc = TiffEncoder::new(&mut buf).unwrap();
        let mut img = enc.new_image::<C>(w, h).unwrap();
        img.rows_per_strip(2).unwrap();
        write_tags(img.encoder(), g);
        img.write_data(data).unwrap();
    }
    buf.into_inner()
}

fn save(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Expected cell values: v(c, r) = 10 r + c, with cell (1, 2) = nodata.
fn values(w: usize, h: usize) -> Vec<f64> {
    (0..w * h).map(|i| (10 * (i / w) + i % w) as f64).collect()
}

fn check_read(path: &Path, w: usize, h: usize, nodata_cell: Option<usize>) {
    let r = read_geotiff(path).unwrap();
    let s = r.grid.spec();
    assert_eq!((s.width, s.height, s.cell_size), (w, h, 30.0));
    // Lower-left corner = upper-left y − height × cell.
    assert_eq!(s.origin, [300_000.0, 4_900_000.0 - 30.0 * h as f64]);
    assert_eq!((r.epsg, r.is_geographic), (Some(32619), false));
    for (i, (&got, want)) in r.grid.data().iter().zip(values(w, h)).enumerate() {
        if Some(i) == nodata_cell {
            assert!(got.is_nan(), "cell {i} should be nodata");
        } else {
            assert_eq!(f64::from(got), want, "cell {i}");
        }
    }
}

#[test]
fn every_sample_format_reads_back_with_nodata() {
    let dir = tempfile::tempdir().unwrap();
    let (w, h) = (5usize, 4usize);
    let v = values(w, h);
    let nd_cell = 2 * w + 1;
    let mut g = utm();
    g.nodata = Some("250");
    // Each format stores v, with the nodata cell set to 250 (the GDAL_NODATA value).
    let with_nd = |i: usize| if i == nd_cell { 250.0 } else { v[i] };
    let n = w * h;
    let (wu, hu) = (w as u32, h as u32);
    let files = [
        (
            "f32",
            tiff_bytes::<colortype::Gray32Float>(
                wu,
                hu,
                &(0..n).map(|i| with_nd(i) as f32).collect::<Vec<_>>(),
                &g,
            ),
        ),
        (
            "f64",
            tiff_bytes::<colortype::Gray64Float>(
                wu,
                hu,
                &(0..n).map(with_nd).collect::<Vec<_>>(),
                &g,
            ),
        ),
        (
            "i16",
            tiff_bytes::<colortype::GrayI16>(
                wu,
                hu,
                &(0..n).map(|i| with_nd(i) as i16).collect::<Vec<_>>(),
                &g,
            ),
        ),
        (
            "u16",
            tiff_bytes::<colortype::Gray16>(
                wu,
                hu,
                &(0..n).map(|i| with_nd(i) as u16).collect::<Vec<_>>(),
                &g,
            ),
        ),
        (
            "i32",
            tiff_bytes::<colortype::GrayI32>(
                wu,
                hu,
                &(0..n).map(|i| with_nd(i) as i32).collect::<Vec<_>>(),
                &g,
            ),
        ),
        (
            "u8",
            tiff_bytes::<colortype::Gray8>(
                wu,
                hu,
                &(0..n).map(|i| with_nd(i) as u8).collect::<Vec<_>>(),
                &g,
            ),
        ),
    ];
    for (name, bytes) in files {
        let p = save(dir.path(), &format!("{name}.tif"), &bytes);
        check_read(&p, w, h, Some(nd_cell));
        assert_eq!(read_geotiff(&p).unwrap().nodata, Some(250.0), "{name}");
    }
}

#[test]
fn negative_i16_nodata_like_srtm() {
    let dir = tempfile::tempdir().unwrap();
    let mut g = utm();
    g.nodata = Some("-32768");
    let data = [-32768i16, -5, 0, 1908];
    let p = save(
        dir.path(),
        "s.tif",
        &tiff_bytes::<colortype::GrayI16>(2, 2, &data, &g),
    );
    let r = read_geotiff(&p).unwrap();
    assert!(r.grid.data()[0].is_nan());
    assert_eq!(&r.grid.data()[1..], &[-5.0, 0.0, 1908.0]);
}

/// A tiled f32 TIFF (16×16 tiles over a 20×20 image), assembled tag by tag.
fn tiled_bytes(w: u32, h: u32, g: &Geo) -> Vec<u8> {
    let t = 16u32;
    let v = values(w as usize, h as usize);
    let mut buf = Cursor::new(Vec::new());
    {
        let mut enc = TiffEncoder::new(&mut buf).unwrap();
        let mut d = enc.image_directory().unwrap();
        let (mut offsets, mut counts) = (Vec::new(), Vec::new());
        for ty in 0..h.div_ceil(t) {
            for tx in 0..w.div_ceil(t) {
                let mut tile = vec![0f32; (t * t) as usize];
                for r in 0..t {
                    for c in 0..t {
                        let (x, y) = (tx * t + c, ty * t + r);
                        if x < w && y < h {
                            tile[(r * t + c) as usize] = v[(y * w + x) as usize] as f32;
                        }
                    }
                }
                offsets.push(d.write_data(&tile[..]).unwrap() as u32);
                counts.push(t * t * 4);
            }
        }
        d.write_tag(Tag::ImageWidth, w).unwrap();
        d.write_tag(Tag::ImageLength, h).unwrap();
        d.write_tag(Tag::BitsPerSample, 32u16).unwrap();
        d.write_tag(Tag::SampleFormat, 3u16).unwrap();
        d.write_tag(Tag::SamplesPerPixel, 1u16).unwrap();
        d.write_tag(Tag::Compression, 1u16).unwrap();
        d.write_tag(Tag::PhotometricInterpretation, 1u16).unwrap();
        d.write_tag(Tag::TileWidth, t).unwrap();
        d.write_tag(Tag::TileLength, t).unwrap();
        d.write_tag(Tag::TileOffsets, &offsets[..]).unwrap();
        d.write_tag(Tag::TileByteCounts, &counts[..]).unwrap();
        write_tags(&mut d, g);
        d.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn tiled_layout_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let p = save(dir.path(), "tiled.tif", &tiled_bytes(20, 20, &utm()));
    check_read(&p, 20, 20, None);
}

#[test]
fn pixel_is_point_shifts_half_a_cell_and_transformation_matches_tiepoint() {
    let dir = tempfile::tempdir().unwrap();
    let mut g = utm();
    // Same tie point, but raster (0,0) now means the centre of the first pixel.
    g.keys = Some(vec![
        1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 2, 3072, 0, 1, 32619,
    ]);
    let data = vec![1f32; 6];
    let p = save(
        dir.path(),
        "pt.tif",
        &tiff_bytes::<colortype::Gray32Float>(3, 2, &data, &g),
    );
    let s = *read_geotiff(&p).unwrap().grid.spec();
    assert_eq!(s.origin, [300_000.0 - 15.0, 4_900_000.0 + 15.0 - 60.0]);

    let mut m = utm();
    m.scale = None;
    m.tie = None;
    let mut t = vec![0.0; 16];
    (t[0], t[3], t[5], t[7], t[15]) = (30.0, 300_000.0, -30.0, 4_900_000.0, 1.0);
    m.transform = Some(t.clone());
    let p = save(
        dir.path(),
        "mt.tif",
        &tiff_bytes::<colortype::Gray32Float>(3, 2, &data, &m),
    );
    assert_eq!(
        read_geotiff(&p).unwrap().grid.spec().origin,
        [300_000.0, 4_899_940.0]
    );

    t[1] = 2.0; // shear / rotation term
    m.transform = Some(t);
    let p = save(
        dir.path(),
        "rot.tif",
        &tiff_bytes::<colortype::Gray32Float>(3, 2, &data, &m),
    );
    let e = read_geotiff(&p).unwrap_err();
    assert_eq!(e.kind, RasterErrorKind::Georeference);
    assert!(e.message.contains("rotated"), "{e}");
}

#[test]
fn geographic_rasters_are_flagged_and_refused_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let g = Geo {
        scale: Some(vec![1.0 / 1200.0, 1.0 / 1200.0, 0.0]),
        tie: Some(vec![0.0, 0.0, 0.0, -72.0, 45.0, 0.0]),
        keys: Some(vec![1, 1, 0, 2, 1024, 0, 1, 2, 2048, 0, 1, 4326]),
        ..Geo::default()
    };
    let p = save(
        dir.path(),
        "geo.tif",
        &tiff_bytes::<colortype::GrayI16>(2, 2, &[1, 2, 3, 4], &g),
    );
    let r = read_geotiff(&p).unwrap();
    assert_eq!((r.epsg, r.is_geographic), (Some(4326), true));
    let e = r.require_projected(&p).unwrap_err();
    assert!(e.hint.contains("gdalwarp"), "{e}");
}

#[test]
fn refusals_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let data = vec![0f32; 4];
    let mut g = utm();
    g.scale = Some(vec![30.0, 20.0, 0.0]);
    let p = save(
        dir.path(),
        "ns.tif",
        &tiff_bytes::<colortype::Gray32Float>(2, 2, &data, &g),
    );
    let e = read_geotiff(&p).unwrap_err();
    assert!(e.message.contains("not square"), "{e}");

    let p = save(
        dir.path(),
        "nogeo.tif",
        &tiff_bytes::<colortype::Gray32Float>(2, 2, &data, &Geo::default()),
    );
    assert_eq!(
        read_geotiff(&p).unwrap_err().kind,
        RasterErrorKind::Georeference
    );

    let p = save(
        dir.path(),
        "rgb.tif",
        &tiff_bytes::<colortype::RGB8>(2, 2, &[0u8; 12], &utm()),
    );
    let e = read_geotiff(&p).unwrap_err();
    assert_eq!(e.kind, RasterErrorKind::Unsupported);
    assert!(e.hint.contains("-b 1"), "{e}");

    let mut feet = utm();
    feet.keys = Some(vec![1, 1, 0, 2, 1024, 0, 1, 1, 3076, 0, 1, 9002]);
    let p = save(
        dir.path(),
        "ft.tif",
        &tiff_bytes::<colortype::Gray32Float>(2, 2, &data, &feet),
    );
    assert!(read_geotiff(&p).unwrap_err().message.contains("metres"));

    let good = tiff_bytes::<colortype::Gray32Float>(2, 2, &data, &utm());
    for cut in [0, 7, 20, good.len() / 2, good.len() - 3] {
        let p = save(dir.path(), "cut.tif", &good[..cut]);
        assert!(read_geotiff(&p).is_err(), "truncated at {cut}");
    }
    let e = read_geotiff(&dir.path().join("missing.tif")).unwrap_err();
    assert_eq!(e.kind, RasterErrorKind::Io);
}

#[test]
fn writer_round_trips_bit_exact() {
    let dir = tempfile::tempdir().unwrap();
    let spec = GridSpec {
        width: 6,
        height: 3,
        cell_size: 12.5,
        origin: [277_620.0, 4_893_480.0],
    };
    let mut g = Grid::from_fn(spec, |c, r| (c as f32 * 0.1 - r as f32 * 1.7e-3).exp());
    g.set(2, 1, f32::NAN);
    for nodata in [Some(-9999.0), None] {
        let p = dir.path().join("w.tif");
        write_geotiff(&p, &g, nodata, Some(32619)).unwrap();
        let r = read_geotiff(&p).unwrap();
        assert_eq!(*r.grid.spec(), spec);
        assert_eq!((r.epsg, r.is_geographic), (Some(32619), false));
        for (a, b) in r.grid.data().iter().zip(g.data()) {
            assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()));
        }
    }
}

mod mutation {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("RASTER_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
            ..ProptestConfig::default()
        })]

        /// Valid GeoTIFFs (strips and tiles) with a few bytes overwritten, or cut short,
        /// read as a Raster or as an error, never a panic.
        #[test]
        fn mutated_geotiffs_never_panic(
            tiled in any::<bool>(),
            edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
            cut in any::<prop::sample::Index>(),
            truncate in any::<bool>(),
        ) {
            let mut g = utm();
            g.nodata = Some("-9999");
            let mut bytes = if tiled {
                tiled_bytes(20, 20, &g)
            } else {
                let data: Vec<f32> = (0..35).map(|i| i as f32).collect();
                tiff_bytes::<colortype::Gray32Float>(7, 5, &data, &g)
            };
            for (at, b) in edits {
                let i = at.index(bytes.len());
                bytes[i] = b;
            }
            if truncate {
                bytes.truncate(cut.index(bytes.len()));
            }
            let dir = tempfile::tempdir().unwrap();
            let p = save(dir.path(), "m.tif", &bytes);
            if let Ok(r) = read_geotiff(&p) {
                prop_assert_eq!(r.grid.data().len(), r.grid.spec().len());
            }
        }
    }
}
