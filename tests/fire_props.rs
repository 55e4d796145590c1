//! Property tests of the wildland fire model: no NaN for any valid input, arrival times
//! monotone away from the ignition, deterministic runs.

use drillsim_engine::hazards::fire::{
    FireConfig, FireSim, FuelBed, FuelCatalog, FuelMoisture, Landscape, seeded_rng,
};
use drillsim_engine::world::grid::{Grid, GridSpec};
use proptest::prelude::*;

fn moisture() -> impl Strategy<Value = FuelMoisture> {
    (
        1.0..40.0f64,
        1.0..40.0f64,
        1.0..40.0f64,
        30.0..300.0f64,
        30.0..300.0f64,
    )
        .prop_map(|(a, b, c, d, e)| FuelMoisture::from_percent(a, b, c, d, e))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn rothermel_never_nan(fuel in 0usize..58, m in moisture(), u in 0.0..30.0f64,
                           from in -360.0..720.0f64, slope in 0.0..2.0f64, up in 0.0..360.0f64) {
        let cat = FuelCatalog::load_builtin().unwrap();
        let bed = FuelBed::new(&cat.models()[fuel], &m).unwrap();
        let s = bed.spread(u, from, slope, up);
        for v in [s.ros_head_m_s, s.ros_back_m_s, s.ros_flank_m_s, s.fireline_intensity_kw_m,
                  s.flame_length_m, s.length_to_breadth, s.eccentricity, s.head_azimuth_deg,
                  s.effective_wind_m_s] {
            prop_assert!(v.is_finite() && v >= 0.0, "{v} in {s:?}");
        }
        prop_assert!(s.ros_back_m_s <= s.ros_head_m_s + 1e-12);
        prop_assert!(s.length_to_breadth >= 1.0 && s.length_to_breadth <= 8.0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn arrival_monotone_from_ignition(fuel in prop::sample::select(vec!["GR2", "GS2", "SH5", "TU1", "TL3", "FM1", "FM10"]),
                                      u in 0.0..12.0f64, from in 0.0..360.0f64, seed in 0u64..1000) {
        let cat = FuelCatalog::load_builtin().unwrap();
        let spec = GridSpec { width: 41, height: 41, cell_size: 10.0, origin: [0.0, 0.0] };
        let land = Landscape {
            fuel: Grid::filled(spec, cat.index_of(fuel).unwrap() as u16),
            elevation_m: None,
            canopy: None,
        };
        let m = FuelMoisture::from_percent(5.0, 6.0, 7.0, 60.0, 90.0);
        let mut sim = FireSim::new(&land, &cat, FireConfig::new(m)).unwrap();
        sim.ignite_cell(20, 20, 100.0).unwrap();
        let mut rng = seeded_rng(seed);
        let mut t = 100.0;
        for _ in 0..40 {
            sim.advance(t, 900.0, |_, _, _| (u, from), &mut rng).unwrap();
            t += 900.0;
        }
        let arr = sim.arrival_time_s();
        prop_assert_eq!(*arr.get(20, 20), 100.0);
        for v in arr.data() {
            prop_assert!(!v.is_nan() && *v >= 100.0);
        }
        // Along the 8 grid rays from the ignition, arrival never decreases.
        for (dc, dr) in [(1i64, 0i64), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1)] {
            let mut last = 100.0;
            for k in 1..=20i64 {
                let a = *arr.get((20 + k * dc) as usize, (20 + k * dr) as usize);
                prop_assert!(a >= last, "ray ({dc},{dr}) step {k}: {a} < {last}");
                last = a;
            }
        }
        for v in sim.flame_length_m().data().iter().chain(sim.fireline_intensity_kw_m().data()) {
            prop_assert!(v.is_finite() && *v >= 0.0);
        }
    }
}

#[test]
fn runs_are_bit_identical() {
    let run = || {
        let cat = FuelCatalog::load_builtin().unwrap();
        let spec = GridSpec {
            width: 60,
            height: 60,
            cell_size: 10.0,
            origin: [0.0, 0.0],
        };
        let gr2 = cat.index_of("GR2").unwrap() as u16;
        let land = Landscape {
            fuel: Grid::filled(spec, gr2),
            elevation_m: None,
            canopy: None,
        };
        let mut cfg = FireConfig::new(FuelMoisture::from_percent(4.0, 5.0, 6.0, 30.0, 60.0));
        cfg.spotting = Some(drillsim_engine::hazards::fire::SpottingConfig::typical());
        let mut sim = FireSim::new(&land, &cat, cfg).unwrap();
        sim.ignite_cell(30, 30, 0.0).unwrap();
        let mut rng = seeded_rng(42);
        for k in 0..20 {
            let t = f64::from(k) * 300.0;
            sim.advance(
                t,
                300.0,
                |x, _, t| (6.0 + x * 1e-3, if t < 2400.0 { 180.0 } else { 270.0 }),
                &mut rng,
            )
            .unwrap();
        }
        let bits: Vec<u64> = sim
            .arrival_time_s()
            .data()
            .iter()
            .map(|v| v.to_bits())
            .collect();
        (bits, sim)
    };
    let (a, sim) = run();
    let (b, _) = run();
    assert_eq!(a, b);
    // The state snapshots and restores (postcard round trip), and continues identically.
    let back = FireSim::restore(&sim.snapshot().unwrap()).unwrap();
    let bits: Vec<u64> = back
        .arrival_time_s()
        .data()
        .iter()
        .map(|v| v.to_bits())
        .collect();
    assert_eq!(bits, a);
    assert!(a.iter().any(|&v| f64::from_bits(v).is_finite()));
    // Flaming at arrival, out after the residence time.
    let t_a = back.arrival_at(30, 30);
    assert!(back.burning_at(30, 30, t_a) && !back.burning_at(30, 30, t_a + 3600.0));
}

fn uniform_sim(spec: GridSpec, lake: bool) -> FireSim {
    let cat = FuelCatalog::load_builtin().unwrap();
    let gr2 = cat.index_of("GR2").unwrap() as u16;
    let water = cat.index_of("NB8").unwrap() as u16;
    let fuel = Grid::from_fn(spec, |c, r| {
        let (dc, dr) = (c as f64 - 30.0, r as f64 - 22.0);
        if lake && dc.hypot(dr) < 5.0 {
            water
        } else {
            gr2
        }
    });
    let land = Landscape {
        fuel,
        elevation_m: None,
        canopy: None,
    };
    FireSim::new(
        &land,
        &cat,
        FireConfig::new(FuelMoisture::from_percent(4.0, 5.0, 6.0, 30.0, 60.0)),
    )
    .unwrap()
}

fn run_to(sim: &mut FireSim, t_end: f64, u: f64, from: f64) {
    let mut rng = seeded_rng(0);
    let mut t = 0.0;
    while t < t_end {
        sim.advance(t, 600.0, |_, _, _| (u, from), &mut rng)
            .unwrap();
        t += 600.0;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// Minimum travel time with several sources: in constant conditions the arrival time
    /// of every cell is the minimum over the single-ignition runs (Finney 2002).
    #[test]
    fn multiple_ignitions_are_the_minimum_of_single_runs(c1 in 5usize..55, r1 in 5usize..40,
            c2 in 5usize..55, r2 in 5usize..40, t2 in 0.0..1800.0f64, u in 0.0..10.0f64, from in 0.0..360.0f64) {
        let spec = GridSpec { width: 60, height: 45, cell_size: 10.0, origin: [0.0, 0.0] };
        let mut both = uniform_sim(spec, false);
        let mut a = uniform_sim(spec, false);
        let mut b = uniform_sim(spec, false);
        both.ignite_cell(c1, r1, 0.0).unwrap();
        both.ignite_cell(c2, r2, t2).unwrap();
        a.ignite_cell(c1, r1, 0.0).unwrap();
        b.ignite_cell(c2, r2, t2).unwrap();
        for s in [&mut both, &mut a, &mut b] {
            run_to(s, 4.0 * 3600.0, u, from);
        }
        let (ab, aa, ba) = (both.arrival_time_s(), a.arrival_time_s(), b.arrival_time_s());
        for i in 0..spec.len() {
            let want = aa.data()[i].min(ba.data()[i]);
            let got = ab.data()[i];
            prop_assert!(got == want || (got - want).abs() < 1e-6 * want.abs().max(1.0), "cell {i}: {got} vs {want}");
        }
    }
}

#[test]
fn lake_becomes_a_hole_in_the_perimeter() {
    let spec = GridSpec {
        width: 60,
        height: 45,
        cell_size: 10.0,
        origin: [0.0, 0.0],
    };
    let mut sim = uniform_sim(spec, true);
    sim.ignite_cell(12, 22, 0.0).unwrap();
    run_to(&mut sim, 12.0 * 3600.0, 0.0, 0.0);
    let t = sim.time_s();
    let polys = sim.perimeter(t);
    assert_eq!(polys.len(), 1);
    let east_of_lake = sim.is_burned(40, 22);
    assert!(east_of_lake, "fire must surround the lake");
    assert_eq!(polys[0].holes.len(), 1, "the unburned lake must be a hole");
}
