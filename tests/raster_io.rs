//! Terrain I/O on files the tests write and on real public DEMs (NASA SRTM/NASADEM, see
//! assets/README.md): ESRI ASCII and GeoTIFF round trips, located errors on malformed
//! input (never a panic), and a real-terrain check against Mount Washington's surveyed
//! summit.

use std::path::{Path, PathBuf};

use drillsim_engine::world::raster::{
    self, HillshadeParams, Ramp, RasterErrorKind, read_ascii, read_geotiff, write_ascii,
    write_geotiff,
};
use drillsim_engine::world::{Grid, GridSpec};
use proptest::prelude::*;

fn terrain(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/terrain")
        .join(name)
}

fn same_bits(a: &[f32], b: &[f32]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()))
}

#[test]
fn ascii_and_geotiff_write_read_round_trip_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let spec = GridSpec {
        width: 9,
        height: 4,
        cell_size: 2.5,
        origin: [-1234.5, 98_765.25],
    };
    let mut g = Grid::from_fn(spec, |c, r| ((c * 31 + r * 7) as f32).sin() * 1e3 + 1e-7);
    g.set(3, 2, f32::NAN);
    let asc = dir.path().join("g.asc");
    write_ascii(&asc, &g, Some(-9999.0)).unwrap();
    let back = read_ascii(&asc).unwrap();
    assert_eq!(*back.grid.spec(), spec);
    assert_eq!(back.nodata, Some(-9999.0));
    assert!(same_bits(back.grid.data(), g.data()));

    let tif = dir.path().join("g.tif");
    write_geotiff(&tif, &g, Some(-9999.0), Some(32650)).unwrap();
    let back = read_geotiff(&tif).unwrap();
    assert_eq!((*back.grid.spec(), back.epsg), (spec, Some(32650)));
    assert!(same_bits(back.grid.data(), g.data()));
    // Atomic writes leave no temporary files behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn malformed_ascii_gives_located_errors() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.asc");
    let mut text = String::from("ncols 200\nnrows 3\nxllcorner 0\nyllcorner 0\ncellsize 30\n");
    for r in 0..3 {
        let n = if r == 1 { 199 } else { 200 };
        text.push_str(&vec!["1.5"; n].join(" "));
        text.push('\n');
    }
    std::fs::write(&p, &text).unwrap();
    let e = read_ascii(&p).unwrap_err();
    assert_eq!(
        (e.kind, e.line, e.column),
        (RasterErrorKind::Size, Some(7), Some(1))
    );
    assert!(
        e.message
            .contains("the header says 200 columns but row 2 has 199 values"),
        "{e}"
    );
    let shown = e.to_string();
    assert!(
        shown.starts_with(&format!("{}:7:1: error: ", p.display())),
        "{shown}"
    );
    assert!(shown.contains("\n  = expected 600 values") && shown.contains("\n  = hint: "));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any finite f32 written by write_ascii reads back with the same bits.
    #[test]
    fn ascii_round_trip_is_bit_exact(
        bits in prop::collection::vec(any::<u32>(), 1..40),
        width in 1usize..8,
    ) {
        let vals: Vec<f32> = bits.iter().map(|&b| f32::from_bits(b))
            .map(|v| if v.is_finite() && v != -9999.0 { v } else { f32::NAN }).collect();
        let height = vals.len() / width;
        prop_assume!(height > 0);
        let spec = GridSpec { width, height, cell_size: 0.1, origin: [1e6 / 3.0, -2.0 / 7.0] };
        let g = Grid::from_vec(spec, vals[..width * height].to_vec()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.asc");
        write_ascii(&p, &g, None).unwrap();
        let back = read_ascii(&p).unwrap();
        prop_assert_eq!(*back.grid.spec(), spec);
        prop_assert!(same_bits(back.grid.data(), g.data()));
    }

    /// Random bytes, and random text built from header words and numbers, never panic.
    #[test]
    fn garbage_never_panics(
        bytes in prop::collection::vec(any::<u8>(), 0..300),
        words in prop::collection::vec(prop::sample::select(vec![
            "ncols", "NROWS", "xllcorner", "yllcenter", "cellsize", "dx", "dy",
            "NODATA_value", "2", "3", "-1", "0", "1e309", "nan", "inf", "1,5", "\n", " ",
            "\t", "99999999999999999999", "x", "\u{00e9}",
        ]), 0..40),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.asc");
        let _ = raster::parse_ascii(&path, &bytes);
        let text = words.join(" ");
        if let Err(e) = raster::parse_ascii(&path, text.as_bytes()) {
            prop_assert!(!e.hint.is_empty() && !e.expected.is_empty());
        }
        // TIFF: a valid little-endian header followed by random bytes.
        let mut tif = b"II*\x00\x08\x00\x00\x00".to_vec();
        tif.extend_from_slice(&bytes);
        std::fs::write(&path, &tif).unwrap();
        let _ = read_geotiff(&path);
        std::fs::write(&path, &bytes).unwrap();
        let _ = read_geotiff(&path);
    }
}

/// The ASCII and GeoTIFF versions of the White Mountains crop describe the same grid.
#[test]
fn white_mountains_ascii_and_geotiff_agree() {
    let asc = read_ascii(&terrain("white_mountains_utm19n_60m.asc")).unwrap();
    let tif = read_geotiff(&terrain("white_mountains_utm19n_60m.tif")).unwrap();
    // Geometry stated by the data's README: 500 × 500 cells of 60 m, lower-left corner
    // (277620, 4893480) in EPSG:32619 (WGS 84 / UTM 19N).
    let want = GridSpec {
        width: 500,
        height: 500,
        cell_size: 60.0,
        origin: [277_620.0, 4_893_480.0],
    };
    assert_eq!(*asc.grid.spec(), want);
    assert_eq!(*tif.grid.spec(), want);
    assert_eq!((tif.epsg, tif.is_geographic), (Some(32619), false));
    assert_eq!((asc.nodata, tif.nodata), (Some(-9999.0), Some(-9999.0)));
    // The ASCII grid holds values rounded to 0.1 m: they agree within 0.05 m plus f32
    // rounding at ≤ 2000 m (1.2e-4 m).
    let mut worst = 0.0f32;
    for (a, t) in asc.grid.data().iter().zip(tif.grid.data()) {
        assert_eq!(a.is_nan(), t.is_nan());
        if a.is_finite() {
            worst = worst.max((a - t).abs());
        }
    }
    assert!(worst <= 0.05 + 1.2e-4, "largest difference {worst} m");
    // The README's stated range, 225–1544 m (to the metre).
    let (lo, hi) = tif.grid.finite_range().unwrap();
    assert!(
        (lo - 225.0).abs() <= 1.0 && (hi - 1544.0).abs() <= 1.0,
        "{lo}..{hi}"
    );
}

/// The SRTM/NASADEM 3″ tile N44W072 holds Mount Washington, whose summit is surveyed at
/// 1916.6 m (6288.2 ft, NAVD 88; US National Geodetic Survey datasheet, also USGS GNIS)
/// at 44°16′14″ N, 71°18′12″ W.
#[test]
fn srtm_tile_peak_is_mount_washington() {
    let path = terrain("N44W072.tif");
    let r = read_geotiff(&path).unwrap();
    assert_eq!((r.epsg, r.is_geographic), (Some(4326), true));
    assert_eq!(
        r.require_projected(&path).unwrap_err().kind,
        RasterErrorKind::Georeference
    );
    let s = *r.grid.spec();
    assert_eq!((s.width, s.height), (1201, 1201));
    // SRTM tiles are PixelIsPoint: the first sample is exactly at 45° N, 72° W (SRTM
    // documentation), so the centre of cell (0, 0) must be there (1e-9° ≈ 0.1 mm).
    let [lon0, lat0] = s.cell_center(0, 0);
    assert!(
        (lon0 + 72.0).abs() < 1e-9 && (lat0 - 45.0).abs() < 1e-9,
        "{lon0}, {lat0}"
    );

    let (mut best, mut at) = (f32::MIN, (0, 0));
    for row in 0..s.height {
        for (col, &v) in r.grid.row(row).iter().enumerate() {
            if v > best {
                (best, at) = (v, (col, row));
            }
        }
    }
    // Tolerance 30 m. An SRTM height is the radar return averaged over its ~90 m
    // footprint, and the highest 3″ posting can lie up to half a spacing (46 m N–S,
    // 33 m E–W) from the summit: on Mount Washington's ~30 % summit cone that alone puts
    // it up to ~17 m below the summit. SRTM's absolute height error for North America is
    // 12.6 m at 90 % (Rodriguez, Morris & Belz 2006, Photogramm. Eng. Remote Sens.
    // 72(3):249–260). 17 + 12.6 ≈ 30 m.
    let summit = 1916.6;
    assert!(
        (f64::from(best) - summit).abs() <= 30.0,
        "tile maximum {best} m"
    );
    // The highest posting is within 150 m of the surveyed summit: the farthest a posting
    // can be is half the diagonal spacing (57 m) plus SRTM's horizontal error (≤ 20 m at
    // 90 %, Rodriguez et al. 2006), rounded up generously.
    let [lon, lat] = s.cell_center(at.0, at.1);
    let (slat, slon) = (
        44.0 + 16.0 / 60.0 + 14.0 / 3600.0,
        -(71.0 + 18.0 / 60.0 + 12.0 / 3600.0),
    );
    let dy = (lat - slat) * 111_132.0;
    let dx = (lon - slon) * 111_320.0 * slat.to_radians().cos();
    assert!(
        dx.hypot(dy) < 150.0,
        "peak {dx:.0} m E, {dy:.0} m N of the summit"
    );
}

/// Renders the White Mountains crop as a shaded-relief PNG (smoke test of the pipeline).
#[test]
fn white_mountains_renders_to_png() {
    let r = read_geotiff(&terrain("white_mountains_utm19n_60m.tif")).unwrap();
    let hs = raster::hillshade(&r.grid, HillshadeParams::default());
    let (lo, hi) = r.grid.finite_range().unwrap();
    let mut rgba = raster::colorize(&r.grid, Ramp::Terrain, lo, hi);
    raster::blend_hillshade(&mut rgba, &hs, 0.4);
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("relief.png");
    raster::write_png(&png, 500, 500, &rgba).unwrap();
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    // Real relief: shades span most of [0, 1] (steep slopes face and avoid the sun).
    let (smin, smax) = hs.finite_range().unwrap();
    assert!(smin < 0.3 && smax > 0.9, "{smin}..{smax}");
}
