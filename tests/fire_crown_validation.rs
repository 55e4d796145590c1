//! Crown fire validation: Rothermel (1991) crown fireline intensity, Thomas flame length
//! and Van Wagner fire type against the public-domain `behave` library's crown test case
//! (BehavePlus 6, `testCrownModuleRothermel`), and the direction of active crown spread on
//! the grid (downwind, also where the surface head points upslope into the wind).

use drillsim_engine::hazards::fire::crown::{
    Canopy, FireType, crown_fire, crown_fireline_intensity_kw_m, rothermel_active_ros_m_s,
    thomas_flame_length_m,
};
use drillsim_engine::hazards::fire::fuel::FT;
use drillsim_engine::hazards::fire::rothermel::{KW_M_PER_BTU_FT_S, M_S_PER_MI_H};
use drillsim_engine::hazards::fire::wind::wind_adjustment_factor;
use drillsim_engine::hazards::fire::{
    CanopyGrids, FireConfig, FireSim, FuelBed, FuelCatalog, FuelMoisture, Landscape, seeded_rng,
};
use drillsim_engine::world::grid::{Grid, GridSpec};

fn close(what: &str, got: f64, want: f64, rel: f64) {
    let err = (got - want).abs() / want.abs();
    assert!(
        err <= rel,
        "{what}: got {got}, expected {want} (rel. error {err:.4} > {rel})"
    );
}

fn bed(code: &str, m: FuelMoisture) -> FuelBed {
    let c = FuelCatalog::load_builtin().unwrap();
    FuelBed::new(c.get(code).unwrap(), &m).unwrap()
}

/// behave's "GS4 low moisture scenario": 6/7/8 % dead, 60 % herb, 90 % woody.
fn gs4_moisture() -> FuelMoisture {
    FuelMoisture::from_percent(6.0, 7.0, 8.0, 60.0, 90.0)
}

/// behave's sheltered WAF for canopy cover 50 %, canopy height 30 ft, crown ratio 0.5.
fn gs4_waf() -> f64 {
    wind_adjustment_factor(2.1 * FT, 0.5, 30.0 * FT, 15.0 * FT)
}

/// Distance from (x0, y0) along azimuth `az` to where the bilinear arrival time
/// (between cell centres) reaches `t`.
fn contour_distance(sim: &FireSim, x0: f64, y0: f64, az_deg: f64, t: f64) -> f64 {
    let arr = sim.arrival_time_s();
    let s = *arr.spec();
    let at = |d: f64| -> f64 {
        let (x, y) = (
            x0 + d * az_deg.to_radians().sin(),
            y0 + d * az_deg.to_radians().cos(),
        );
        let fx = (x - s.origin[0]) / s.cell_size - 0.5;
        let fy = (s.y_max() - y) / s.cell_size - 0.5;
        let (c0, r0) = (fx.floor() as usize, fy.floor() as usize);
        let (tx, ty) = (fx - c0 as f64, fy - r0 as f64);
        let v = |c: usize, r: usize| *arr.get(c, r);
        let top = v(c0, r0) * (1.0 - tx) + v(c0 + 1, r0) * tx;
        let bot = v(c0, r0 + 1) * (1.0 - tx) + v(c0 + 1, r0 + 1) * tx;
        top * (1.0 - ty) + bot * ty
    };
    let step = s.cell_size * 0.25;
    let mut d = 0.0;
    while at(d + step) <= t {
        d += step;
    }
    let (mut lo, mut hi) = (d, d + step);
    for _ in 0..40 {
        let m = 0.5 * (lo + hi);
        if at(m) <= t { lo = m } else { hi = m }
    }
    0.5 * (lo + hi)
}

#[test]
fn crown_fire_behave_intensity_flame_and_type() {
    // behave testCrownModuleRothermel (inputs as above): crown fireline intensity
    // 1775.061222 Btu/ft/s, crown flame length 29.320557 ft (Thomas); fire type surface
    // with 1-h moisture 20 %, crowning (active) at a 20-ft wind of 10 mi/h. Tol 1 % (the
    // surface heat per unit area comes from our GS4 bed, validated to 1 % above).
    let fm10 = bed("FM10", gs4_moisture());
    let canopy = Canopy {
        cover: 0.5,
        height_m: 30.0 * FT,
        base_height_m: 6.0 * FT,
        bulk_density_kg_m3: 0.03 * 16.018_463,
    };
    let gs4 = bed("GS4", gs4_moisture());
    let r = rothermel_active_ros_m_s(&fm10, 5.0 * M_S_PER_MI_H);
    let i = crown_fireline_intensity_kw_m(gs4.heat_per_unit_area_kj_m2(), &canopy, 1.0, r);
    close("crown I Btu/ft/s", i / KW_M_PER_BTU_FT_S, 1775.061222, 0.01);
    close(
        "crown flame ft",
        thomas_flame_length_m(i) / FT,
        29.320557,
        0.01,
    );
    let kind = |m: FuelMoisture, mph: f64| {
        let (s_bed, f10) = (bed("GS4", m), bed("FM10", m));
        let u20 = mph * M_S_PER_MI_H;
        let s = s_bed.spread(u20 * gs4_waf(), 0.0, 0.30, 180.0);
        let ra = rothermel_active_ros_m_s(&f10, u20);
        crown_fire(
            &s,
            s_bed.heat_per_unit_area_kj_m2(),
            &canopy,
            120.0,
            ra,
            u20,
        )
        .fire_type
    };
    let wet = FuelMoisture::from_percent(20.0, 7.0, 8.0, 60.0, 90.0);
    assert_eq!(kind(wet, 5.0), FireType::Surface);
    assert_eq!(kind(gs4_moisture(), 10.0), FireType::Active);
}

#[test]
fn active_crown_fire_runs_downwind_on_a_lee_slope() {
    // Same stand and wind as above (wind from the south), on a plane rising 60 % toward
    // the south, i.e. the wind blows downslope. Under the sheltered midflame wind the
    // surface head points upslope, into the wind; Rothermel's (1991) crown correlation is
    // wind-driven with no slope term, so the active crown fire must still run north at
    // R_active (horizontal distance R_active·t/√(1 + tan²θ) on the plane). Tol 5 %.
    let (u20, tan) = (10.0, 0.6);
    let canopy = Canopy {
        cover: 0.6,
        height_m: 15.0,
        base_height_m: 0.5,
        bulk_density_kg_m3: 0.2,
    };
    let sp = GridSpec {
        width: 200,
        height: 200,
        cell_size: 10.0,
        origin: [0.0, 0.0],
    };
    let cat = FuelCatalog::load_builtin().unwrap();
    let mut land = Landscape {
        fuel: Grid::filled(sp, cat.index_of("TU5").unwrap() as u16),
        elevation_m: None,
        canopy: None,
    };
    land.canopy = Some(CanopyGrids::uniform(sp, &canopy));
    land.elevation_m = Some(Grid::from_fn(sp, |c, r| {
        (-tan * sp.cell_center(c, r)[1]) as f32
    }));
    let m = FuelMoisture::from_percent(4.0, 5.0, 6.0, 30.0, 60.0);
    let tu5 = FuelBed::new(cat.get("TU5").unwrap(), &m).unwrap();
    let waf = wind_adjustment_factor(tu5.depth_m(), 0.6, 15.0, 0.5);
    let s = tu5.spread(u20 * waf, 180.0, tan, 180.0);
    assert!(
        (s.head_azimuth_deg.rem_euclid(360.0) - 180.0).abs() < 1.0,
        "surface head should point upslope here: {}",
        s.head_azimuth_deg
    );
    let fm10 = FuelBed::new(cat.get("FM10").unwrap(), &m).unwrap();
    let r_active = rothermel_active_ros_m_s(&fm10, u20);
    let cf = crown_fire(
        &s,
        tu5.heat_per_unit_area_kj_m2(),
        &canopy,
        100.0,
        r_active,
        u20,
    );
    assert_eq!(cf.fire_type, FireType::Active, "{cf:?}");
    let mut sim = FireSim::new(&land, &cat, FireConfig::new(m)).unwrap();
    sim.ignite_cell(100, 170, 0.0).unwrap();
    let mut rng = seeded_rng(0);
    let t_obs = 1500.0;
    let mut t = 0.0;
    while t < t_obs * 1.2 {
        sim.advance(t, 300.0, |_, _, _| (u20, 180.0), &mut rng)
            .unwrap();
        t += 300.0;
    }
    let [x0, y0] = sp.cell_center(100, 170);
    let head = contour_distance(&sim, x0, y0, 0.0, t_obs);
    let want = cf.ros_m_s * t_obs / (1.0 + tan * tan).sqrt();
    assert!((head - want).abs() / want < 0.05, "{head} vs {want}");
}
