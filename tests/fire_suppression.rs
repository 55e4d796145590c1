//! Fireline production rates against the published NWCG tables, and scripted line
//! construction on the fire grid through the public API (line along a polyline in
//! metres, completion times from the rates, the line holding or not by flame length).
//!
//! Sources: NWCG Incident Response Pocket Guide (PMS 461), "Sustained line production
//! rates of 20-person crews … in chains/hour" (= Fireline Handbook PMS 410-1 App. B);
//! NWCG "Dozer fireline construction rates (single pass) in chains per hour". Rates are
//! table values: tolerance 1e-9 (exact up to unit conversion).

use drillsim_engine::hazards::fire::suppression::anderson_equivalent;
use drillsim_engine::hazards::fire::{
    FireConfig, FireSim, FirelineTable, FuelCatalog, FuelMoisture, Landscape, polyline_cells,
    seeded_rng,
};
use drillsim_engine::world::grid::{Grid, GridSpec};

const CHAIN_M: f64 = 20.1168;

fn ch_h(t: &FirelineTable, kind: &str, fm: u16, slope_pct: f64, uphill: bool) -> f64 {
    t.rate_anderson_m_s(kind, fm, slope_pct, uphill).unwrap() * 3600.0 / CHAIN_M
}

#[test]
fn crew_rates_reproduce_references_and_pocket_guide() {
    // REFERENCES.md: Type 1 / Type 2 crews FM1 30/18, FM2 24/16, FM4 5/3, FM8 7/5,
    // FM10 6/4 ch/h; the rest of the PMS 461 table (general rows).
    let t = FirelineTable::load_builtin().unwrap();
    let published: [(u16, f64, f64); 13] = [
        (1, 30.0, 18.0),
        (2, 24.0, 16.0),
        (3, 5.0, 3.0),
        (4, 5.0, 3.0),
        (5, 6.0, 4.0),
        (6, 6.0, 4.0),
        (7, 4.0, 2.0),
        (8, 7.0, 5.0),
        (9, 28.0, 16.0),
        (10, 6.0, 4.0),
        (11, 15.0, 9.0),
        (12, 7.0, 4.0),
        (13, 5.0, 3.0),
    ];
    for (fm, t1, t2) in published {
        let (a, b) = (
            ch_h(&t, "hand_crew_type1", fm, 0.0, true),
            ch_h(&t, "hand_crew_type2", fm, 0.0, true),
        );
        assert!(
            (a - t1).abs() < 1e-9 && (b - t2).abs() < 1e-9,
            "FM{fm}: {a}/{b}"
        );
    }
    assert!(t.resource("hand_crew_type1").unwrap().verified);
    // Scott & Burgan models use their carrier's Anderson model: GR2 → FM1, TL3 → FM8.
    assert_eq!(anderson_equivalent("GR2", 102), 1);
    assert_eq!(anderson_equivalent("TL3", 183), 8);
    let gr2 = t.rate_m_s("hand_crew_type1", "GR2", 102, 0.0).unwrap();
    assert!((gr2 * 3600.0 / CHAIN_M - 30.0).abs() < 1e-9);
}

#[test]
fn type3_dozer_rates_are_the_published_ranges() {
    // Type 3 dozer, mid-range of the published (low, high) by slope class:
    // FM1/2 up 55–90, 30–55, 8–30, 0–8; down 90–110, 90–110, 20–90, 0–20.
    // FM4 up 20–35 (class 1); FM10/13 up 8–15 (class 1). Above 74 %: no dozer line.
    let t = FirelineTable::load_builtin().unwrap();
    let k = "dozer_type3";
    for (slope, up, down) in [
        (10.0, 72.5, 100.0),
        (30.0, 42.5, 100.0),
        (50.0, 19.0, 55.0),
        (70.0, 4.0, 10.0),
    ] {
        assert!(
            (ch_h(&t, k, 1, slope, true) - up).abs() < 1e-9,
            "up {slope}"
        );
        assert!(
            (ch_h(&t, k, 2, slope, false) - down).abs() < 1e-9,
            "down {slope}"
        );
    }
    assert!((ch_h(&t, k, 4, 20.0, true) - 27.5).abs() < 1e-9);
    assert!((ch_h(&t, k, 13, 20.0, true) - 11.5).abs() < 1e-9);
    assert_eq!(ch_h(&t, k, 1, 80.0, true), 0.0);
    // Honest flags: Type 3 published; engines and Type 1 dozers provisional.
    assert!(t.resource(k).unwrap().verified);
    assert!(!t.resource("engine").unwrap().verified);
    assert!(!t.resource("dozer_type1").unwrap().verified);
    let t2 = t.resource("dozer_type2").unwrap();
    assert!(t2.slope_rates[0].verified && !t2.slope_rates[1].verified);
}

/// 60 × 60 grid of 10 m cells of `code` on a plane rising `gradient` toward the north.
fn sim(code: &str, gradient: f64) -> (FireSim, FuelCatalog) {
    let cat = FuelCatalog::load_builtin().unwrap();
    let spec = GridSpec {
        width: 60,
        height: 60,
        cell_size: 10.0,
        origin: [0.0, 0.0],
    };
    let land = Landscape {
        fuel: Grid::filled(spec, cat.index_of(code).unwrap() as u16),
        elevation_m: Some(Grid::from_fn(spec, |c, r| {
            (gradient * spec.cell_center(c, r)[1]) as f32
        })),
        canopy: None,
    };
    let m = FuelMoisture::from_percent(4.0, 5.0, 6.0, 30.0, 60.0);
    (FireSim::new(&land, &cat, FireConfig::new(m)).unwrap(), cat)
}

#[test]
fn dozer_line_up_and_down_a_slope_takes_the_published_time() {
    // GR2 (FM1) on a 30 % slope (class 2): a Type 3 dozer pushes 500 m of line straight
    // downhill (north → south) at 100 ch/h and uphill at 42.5 ch/h. The first cell counts
    // one cell length, each next one the 10 m between centres: 50 cells = 500 m.
    let table = FirelineTable::load_builtin().unwrap();
    let (mut s, cat) = sim("GR2", 0.3);
    let down = polyline_cells(s.spec(), &[[105.0, 555.0], [105.0, 65.0]]).unwrap();
    assert_eq!(down.len(), 50);
    let plan = s
        .build_line(&down, "dozer_type3", 0.0, &table, &cat)
        .unwrap();
    let want = 500.0 / (100.0 * CHAIN_M / 3600.0);
    assert!(
        (plan.finish_s - want).abs() < 1e-6,
        "{} vs {want}",
        plan.finish_s
    );
    let up: Vec<_> = down.iter().rev().map(|&(c, r)| (c + 20, r)).collect();
    let plan = s.build_line(&up, "dozer_type3", 0.0, &table, &cat).unwrap();
    let want = 500.0 / (42.5 * CHAIN_M / 3600.0);
    assert!(
        (plan.finish_s - want).abs() < 1e-6,
        "{} vs {want}",
        plan.finish_s
    );
    // On 80 % the dozer cannot start.
    let (mut steep, cat) = sim("GR2", 0.8);
    let plan = steep
        .build_line(&down, "dozer_type3", 0.0, &table, &cat)
        .unwrap();
    assert_eq!(plan.stopped_at, Some(0));
}

#[test]
fn scripted_hand_line_across_the_head_holds_a_litter_fire() {
    // FM8 litter fire heading north under a light wind (flames < 1.2 m, the NWCG hand
    // line limit). A Type 1 crew cuts 600 m of line across the grid at y = 395 m from
    // t = 0 at 7 ch/h (≈ 4.3 h); the fire reaches the line after it is done and stops.
    let table = FirelineTable::load_builtin().unwrap();
    let (mut s, cat) = sim("FM8", 0.0);
    let cells = polyline_cells(s.spec(), &[[0.0, 395.0], [599.9, 395.0]]).unwrap();
    assert_eq!(cells.len(), 60);
    let plan = s
        .build_line(&cells, "hand_crew_type1", 0.0, &table, &cat)
        .unwrap();
    assert!((plan.finish_s - 600.0 / (7.0 * CHAIN_M / 3600.0)).abs() < 1e-6);
    s.ignite_cell(30, 50, 0.0).unwrap();
    let mut rng = seeded_rng(0);
    let mut t = 0.0;
    while t < 40.0 * 3600.0 {
        s.advance(t, 600.0, |_, _, _| (2.0, 180.0), &mut rng)
            .unwrap();
        t += 600.0;
    }
    assert!(s.is_burned(30, 21), "the fire should reach the line");
    assert!(
        (0..60).all(|c| (0..20).all(|r| !s.is_burned(c, r))),
        "the hand line was crossed"
    );
}

#[test]
fn cancelled_line_keeps_only_the_finished_part() {
    // A Type 2 crew (5 ch/h in FM8, 35.8 s/m) starts a 600 m line at t = 0 and is
    // withdrawn after 1 h: 100.6 m (10 cells) are finished and stay, the rest is gone.
    let table = FirelineTable::load_builtin().unwrap();
    let (mut s, cat) = sim("FM8", 0.0);
    let cells = polyline_cells(s.spec(), &[[0.0, 395.0], [599.9, 395.0]]).unwrap();
    let plan = s
        .build_line(&cells, "hand_crew_type2", 0.0, &table, &cat)
        .unwrap();
    let done = plan.cells.iter().filter(|(_, t)| *t <= 3600.0).count();
    assert_eq!(done, (3600.0 * 5.0 * CHAIN_M / 3600.0 / 10.0) as usize);
    let cancelled = s.cancel_unfinished_line(&cells, 3600.0);
    assert_eq!(cancelled, cells.len() - done);
    assert_eq!(s.cancel_unfinished_line(&cells, 3600.0), 0);
}
