use super::*;
use crate::scenario::types::LandCover;
use crate::world::grid::Grid;

/// 60 × 60 cells of 10 m: enlarged 10× to 600 px, so cell (c, r) covers pixels
/// 10c..10c+9 × 10r..10r+9.
fn terrain(z: impl FnMut(usize, usize) -> f32) -> Terrain {
    let spec = GridSpec {
        width: 60,
        height: 60,
        cell_size: 10.0,
        origin: [1000.0, 2000.0],
    };
    Terrain {
        spec,
        epsg: None,
        elevation: Grid::from_fn(spec, z),
        land_cover: Grid::filled(spec, LandCover::Grassland.code()),
        manning: Grid::filled(spec, 0.03),
        fuel: Grid::filled(spec, 0),
    }
}

fn rgb(img: &MapImage, x: u32, y: u32) -> [u8; 3] {
    let p = img.pixel(x, y).unwrap_or_default();
    [p[0], p[1], p[2]]
}

fn over(dst: [u8; 3], src: [u8; 3], a: f32) -> [u8; 3] {
    let m = |d: u8, s: u8| (f32::from(d) + (f32::from(s) - f32::from(d)) * a).round() as u8;
    [m(dst[0], src[0]), m(dst[1], src[1]), m(dst[2], src[2])]
}

/// Flat ground: slope 0, so H = cos Z = cos 45° for the default sun (Burrough &
/// McDonnell 1998, hillshade formula); grey = round(base · (A + (1 − A) cos 45°)).
/// Exact up to the 8-bit rounding (tolerance 0).
fn flat_grey() -> [u8; 3] {
    let h = 45f64.to_radians().cos();
    LAND.map(|c| (f64::from(c) * (AMBIENT + (1.0 - AMBIENT) * h)).round() as u8)
}

#[test]
fn flat_dry_cell_is_the_analytic_hillshade_grey() {
    let t = terrain(|_, _| 50.0);
    let r = MapRenderer::new(&t, DEFAULT_MAX_PX);
    assert_eq!(r.size(), (600, 600 + CAPTION_H));
    let img = r.render(&Scene::default());
    assert_eq!(rgb(&img, 205, 205), flat_grey());
    assert_eq!(flat_grey(), [191, 189, 185]); // 236 · 0.8096 …
}

/// A 45° slope facing the sun (downslope towards the north-west, azimuth 315°) is lit
/// head-on: S = Z and A = Az give H = cos²Z + sin²Z = 1, so the pixel is the full base
/// colour (tolerance 0).
#[test]
fn slope_facing_the_sun_is_fully_lit() {
    // z rises to the east and to the south by 1/√2 m per m: |∇z| = 1 (45°), downslope NW.
    let k = 10.0 / std::f32::consts::SQRT_2;
    let t = terrain(|c, r| 100.0 + k * (c as f32 + r as f32));
    let img = MapRenderer::new(&t, DEFAULT_MAX_PX).render(&Scene::default());
    assert_eq!(rgb(&img, 205, 205), LAND);
}

#[test]
fn flooded_cell_is_blue_and_dry_cell_is_not() {
    let t = terrain(|_, _| 50.0);
    let mut depth = Grid::filled(t.spec, 0.0f32);
    depth.set(20, 20, 1.5);
    depth.set(30, 20, 0.0005); // below the dry threshold
    let scene = Scene {
        water_depth_m: vec![(depth, 0.001)],
        ..Scene::default()
    };
    let img = MapRenderer::new(&t, DEFAULT_MAX_PX).render(&scene);
    // Halfway along the ramp: (150+10)/2, (200+40)/2, (245+140)/2 → [80, 120, 193].
    assert_eq!(water_color(1.5), [80, 120, 193]);
    let wet = rgb(&img, 205, 205);
    assert_eq!(wet, over(flat_grey(), [80, 120, 193], 0.8));
    assert!(wet[2] > wet[0] + 60, "blue dominates: {wet:?}");
    assert_eq!(rgb(&img, 305, 205), flat_grey());
}

#[test]
fn gas_fire_and_symbols_have_their_colours() {
    let t = terrain(|_, _| 50.0);
    let mut gas = Grid::filled(t.spec, 0u8);
    gas.set(10, 10, 1);
    gas.set(11, 10, 3);
    let mut fire = Grid::filled(t.spec, 0u8);
    fire.set(40, 40, 1);
    fire.set(41, 40, 2);
    let centre = |c: usize, r: usize| t.spec.cell_center(c, r);
    let scene = Scene {
        gas_level: vec![gas],
        gas_level_names: vec!["AEGL-3".into(), "AEGL-2".into(), "AEGL-1".into()],
        fire: vec![fire],
        teams: vec![(TeamMark::Working, centre(25, 35))],
        facilities: vec![(FacilitySymbol::Base, centre(35, 25))],
        sources: vec![centre(50, 10)],
        ..Scene::default()
    };
    let img = MapRenderer::new(&t, DEFAULT_MAX_PX).render(&scene);
    assert_eq!(rgb(&img, 105, 105), over(flat_grey(), GAS[0], 0.45));
    assert_eq!(rgb(&img, 115, 105), over(flat_grey(), GAS[2], 0.45));
    assert_eq!(rgb(&img, 405, 405), over(flat_grey(), BURNED, 0.65));
    assert_eq!(rgb(&img, 415, 405), over(flat_grey(), BURNING, 0.95));
    assert_eq!(rgb(&img, 255, 355), TeamMark::Working.color());
    assert_eq!(rgb(&img, 355, 255), [30, 60, 160]);
    assert_eq!(rgb(&img, 505, 105), [0, 0, 0]); // release marker
}

#[test]
fn roads_are_grey_and_closed_roads_red() {
    let t = terrain(|_, _| 50.0);
    let y = t.spec.cell_center(0, 15)[1];
    let x = |c: usize| t.spec.cell_center(c, 0)[0];
    let scene = Scene {
        roads: vec![
            (vec![[x(5), y], [x(25), y]], false),
            (vec![[x(35), y], [x(55), y]], true),
        ],
        ..Scene::default()
    };
    let img = MapRenderer::new(&t, 800).render(&scene);
    assert_eq!(rgb(&img, 150, 155), over(flat_grey(), ROAD, 0.85));
    assert_eq!(rgb(&img, 450, 155), CLOSED);
}

#[test]
fn large_grids_are_downsampled_to_max_px() {
    let spec = GridSpec {
        width: 3000,
        height: 1000,
        cell_size: 5.0,
        origin: [0.0, 0.0],
    };
    let t = Terrain {
        spec,
        epsg: None,
        elevation: Grid::filled(spec, 0.0),
        land_cover: Grid::filled(spec, LandCover::Grassland.code()),
        manning: Grid::filled(spec, 0.03),
        fuel: Grid::filled(spec, 0),
    };
    let r = MapRenderer::new(&t, 1200);
    assert_eq!(r.size(), (1200, 400 + CAPTION_H));
    let img = r.render(&Scene::default());
    let png = img.encode_png().unwrap_or_default();
    let back = decode_png(&png).ok();
    assert_eq!(
        back.as_ref().map(|b| (b.width, b.height)),
        Some((1200, 400 + CAPTION_H))
    );
    assert!(back.is_some_and(|b| b == img), "PNG round trip is lossless");
}

#[test]
fn caption_and_scale_helpers() {
    assert_eq!(format_hhmm(5400.0), "T+01:30");
    assert_eq!(format_hhmm(27.0 * 3600.0 + 59.9), "T+27:00");
    assert_eq!(nice_length(1234.0), (1000.0, "1 KM".to_owned()));
    assert_eq!(nice_length(450.0), (200.0, "200 M".to_owned()));
    assert_eq!(nice_length(5000.0), (5000.0, "5 KM".to_owned()));
    // The caption strip shows the time in white on dark grey.
    let t = terrain(|_, _| 50.0);
    let img = MapRenderer::new(&t, DEFAULT_MAX_PX).render(&Scene::default());
    let strip: Vec<[u8; 3]> = (0..120).map(|x| rgb(&img, x, 600 + 12)).collect();
    assert!(strip.contains(&[255, 255, 255]) && strip.contains(&[32, 32, 32]));
}
