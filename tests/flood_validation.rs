//! Flood solvers validated against analytic solutions and published reference numbers
//! (see `/work/shared/REFERENCES.md`, Flood). Each test states its tolerance and why.
//!
//! Sources: SWASHES (Delestre et al. 2013, "SWASHES: a compilation of shallow water
//! analytic solutions for hydraulic and environmental studies", Int. J. Numer. Meth.
//! Fluids 72, 269–300) for Ritter, Stoker and Thacker; Hunter et al. (2005) and Bates
//! et al. (2010) for the planar wetting front; Audusse et al. (2004) for lake at rest.

use drillsim_engine::hazards::flood::{
    Drainage, EdgeBoundary, FloodModel, FloodSolver, FloodSpec, Inflow, InflowLocation,
    InitialWater, Region, TimeSeries,
};
use drillsim_engine::world::{Grid, GridSpec};

const G: f64 = 9.81;

fn grid(w: usize, h: usize, dx: f64) -> GridSpec {
    GridSpec {
        width: w,
        height: h,
        cell_size: dx,
        origin: [0.0, 0.0],
    }
}

fn raster(g: GridSpec, f: impl Fn(f64, f64) -> f64) -> Grid<f32> {
    Grid::from_fn(g, |c, r| {
        let [x, y] = g.cell_center(c, r);
        f(x, y) as f32
    })
}

/// Depth profile along the middle row of a 1D case.
fn profile(m: &FloodModel) -> Vec<f64> {
    let g = *m.grid();
    let d = m.depth();
    d.row(g.height / 2).iter().map(|&v| f64::from(v)).collect()
}

fn uneven(x: f64, y: f64) -> f64 {
    // Smooth hills plus an island that stands above the lake (wet/dry edge).
    let island = 1.6 - 0.1 * ((x - 30.0).powi(2) + (y - 20.0).powi(2)).sqrt();
    (0.4 + 0.3 * (x / 7.0).sin() * (y / 5.0).cos()).max(island)
}

fn lake_at_rest(solver: FloodSolver) {
    let g = grid(60, 40, 1.0);
    let mut spec = FloodSpec {
        solver,
        ..FloodSpec::default()
    };
    spec.initial_water.push(InitialWater {
        region: Region::All,
        level_m: 1.0,
    });
    let z = raster(g, uneven);
    let n = Grid::filled(g, 0.03);
    let mut m = FloodModel::new(spec, &z, &n).unwrap();
    let h0 = m.depth();
    m.advance(0.0, 60.0, 0.0).unwrap();
    assert!(m.steps() > 200, "{}", m.steps());
    let (eta, u, v) = (m.water_surface(), m.velocity_u(), m.velocity_v());
    let mut worst = (0.0_f64, 0.0_f64);
    for i in 0..g.len() {
        if h0.data()[i] > 0.0 {
            worst.0 = worst.0.max((f64::from(eta.data()[i]) - 1.0).abs());
        } else {
            // Dry cells (the island) stay exactly dry.
            assert_eq!(m.depth().data()[i], 0.0, "cell {i} got wet");
        }
        worst.1 = worst.1.max(f64::from(u.data()[i].hypot(v.data()[i])));
    }
    // Well balanced: the surface stays flat and the water still to f32 round-off of the
    // initial state (h = f32(1 − z) does not give z + h = 1 exactly): 1e-5 m, 1e-5 m/s.
    assert!(
        worst.0 < 1e-5 && worst.1 < 1e-5,
        "{solver:?}: |Δη| {}, |v| {}",
        worst.0,
        worst.1
    );
}

#[test]
fn lake_at_rest_local_inertial() {
    lake_at_rest(FloodSolver::LocalInertial);
}

#[test]
fn lake_at_rest_finite_volume() {
    lake_at_rest(FloodSolver::FiniteVolume);
}

fn mass_balance(solver: FloodSolver) {
    // Rain + drainage + a point inflow + a line inflow + a free outflow edge over
    // sloping, bumpy terrain, with water initially in a pond.
    let g = grid(50, 40, 5.0);
    let z = raster(g, |x, y| {
        2.0 - 0.005 * x + 0.3 * (y / 17.0).sin() * (x / 23.0).cos()
    });
    let n = Grid::filled(g, 0.04);
    let mut spec = FloodSpec {
        solver,
        ..FloodSpec::default()
    };
    spec.initial_water.push(InitialWater {
        region: Region::Rectangle {
            min: [20.0, 20.0],
            max: [80.0, 120.0],
        },
        level_m: 2.3,
    });
    spec.inflows.push(Inflow {
        name: "culvert".into(),
        location: InflowLocation::Point([60.0, 150.0]),
        discharge_m3_s: TimeSeries(vec![(0.0, 0.0), (200.0, 3.0), (600.0, 0.5)]),
    });
    spec.inflows.push(Inflow {
        name: "stream".into(),
        location: InflowLocation::Line(vec![[10.0, 190.0], [90.0, 190.0]]),
        discharge_m3_s: TimeSeries::constant(1.0),
    });
    spec.drainage.push(Drainage {
        region: Region::Rectangle {
            min: [100.0, 0.0],
            max: [250.0, 200.0],
        },
        rate_mm_h: 20.0,
    });
    spec.boundaries.east = EdgeBoundary::FreeOutflow;
    let mut m = FloodModel::new(spec, &z, &n).unwrap();
    for k in 0..20 {
        m.advance(f64::from(k) * 30.0, 30.0, if k < 10 { 50.0 } else { 0.0 })
            .unwrap();
    }
    let b = m.mass_balance();
    assert!(
        b.rain_m3 > 0.0 && b.inflow_m3 > 0.0 && b.drainage_m3 > 0.0,
        "{b:?}"
    );
    assert!(
        b.boundary_outflow_m3 > 0.0,
        "water should leave through the east edge: {b:?}"
    );
    // REFERENCES.md: volume in − out − stored = 0 to ≤ 1e-6 relative (f64 budget;
    // f32 depths add rounding of order 1e-7 per update, averaging out).
    assert!(b.relative_error <= 1e-6, "{solver:?}: {b:?}");
    assert!(m.depth().data().iter().all(|&d| d >= 0.0 && d.is_finite()));
}

#[test]
fn mass_balance_local_inertial() {
    mass_balance(FloodSolver::LocalInertial);
}

#[test]
fn mass_balance_finite_volume() {
    mass_balance(FloodSolver::FiniteVolume);
}

#[test]
fn planar_wetting_front_local_inertial() {
    // Hunter et al. (2005), Bates et al. (2010) §3.1: flat frictional plane, a front
    // advancing at constant u; h(x,t) = [(7/3) n² u² (u t − x)]^{3/7}. REFERENCES.md:
    // n = 0.03, u = 1 m/s, t = 3600 s → front at 3600 m, h(1000 m) = 2.066 m.
    let (nn, u, t_end) = (0.03_f64, 1.0_f64, 3600.0);
    let h_exact = |x: f64, t: f64| {
        ((7.0 / 3.0) * nn * nn * u * u * (u * t - x))
            .max(0.0)
            .powf(3.0 / 7.0)
    };
    // The formula gives 2.0699 m; REFERENCES.md quotes 2.066 m (0.2 % lower): agree to
    // 0.5 % so a mistyped formula would still be caught.
    assert!((h_exact(1000.0, 3600.0) / 2.066 - 1.0).abs() < 5e-3);
    let dx = 10.0;
    let g = grid(500, 3, dx);
    let width = 3.0 * dx;
    // Inflow at x = 0 carries the exact discharge u h(0, t) over the channel width.
    let q: Vec<(f64, f64)> = (0..=360)
        .map(|k| {
            let t = f64::from(k) * 10.0;
            (t, u * h_exact(0.0, t) * width)
        })
        .collect();
    let mut spec = FloodSpec::default();
    spec.inflows.push(Inflow {
        name: "x=0".into(),
        location: InflowLocation::Line(vec![[0.5 * dx, 1.0], [0.5 * dx, 29.0]]),
        discharge_m3_s: TimeSeries(q),
    });
    let z = Grid::filled(g, 0.0);
    let n = Grid::filled(g, nn as f32);
    let mut m = FloodModel::new(spec, &z, &n).unwrap();
    m.advance(0.0, t_end, 0.0).unwrap();
    let p = profile(&m);
    // Depth at 1000 m: within 3 % (Bates et al. 2010 show the inertial model close to
    // this analytic profile away from the front; 10 m cells resolve it well).
    let i1000 = (1000.0 / dx) as usize;
    let x1000 = (i1000 as f64 + 0.5) * dx;
    let e = p[i1000] / h_exact(x1000, t_end) - 1.0;
    assert!(
        e.abs() < 0.03,
        "h(1000 m) = {} vs {}",
        p[i1000],
        h_exact(x1000, t_end)
    );
    // Whole profile from 200 m to 3000 m within 5 %.
    for (i, &d) in p.iter().enumerate().take(300).skip(20) {
        let he = h_exact((i as f64 + 0.5) * dx, t_end);
        assert!(
            (d / he - 1.0).abs() < 0.05,
            "x = {} m: {d} vs {he}",
            (i as f64 + 0.5) * dx
        );
    }
    // Front (first cell below 1 cm) within 2 % of 3600 m: the analytic depth falls to 1 cm
    // only ~1 m behind the front, so this measures the front itself.
    let front = p.iter().position(|&d| d < 0.01).unwrap() as f64 * dx;
    assert!((front / 3600.0 - 1.0).abs() < 0.02, "front at {front} m");
}

fn dam_break(hl: f64, hr: f64, x0: f64, len: f64, dx: f64, t: f64) -> FloodModel {
    let w = (len / dx).round() as usize;
    let g = grid(w, 3, dx);
    let mut spec = FloodSpec {
        solver: FloodSolver::FiniteVolume,
        ..FloodSpec::default()
    };
    spec.initial_water.push(InitialWater {
        region: Region::Rectangle {
            min: [0.0, 0.0],
            max: [x0, 3.0 * dx],
        },
        level_m: hl,
    });
    if hr > 0.0 {
        spec.initial_water.push(InitialWater {
            region: Region::Rectangle {
                min: [x0, 0.0],
                max: [len, 3.0 * dx],
            },
            level_m: hr,
        });
    }
    spec.numerics.dry_depth_m = 1e-6;
    let z = Grid::filled(g, 0.0);
    let n = Grid::filled(g, 0.0);
    let mut m = FloodModel::new(spec, &z, &n).unwrap();
    m.advance(0.0, t, 0.0).unwrap();
    m
}

#[test]
fn ritter_dry_dam_break_finite_volume() {
    // SWASHES §4.1.2 (Ritter 1892), REFERENCES.md: h_l = 1 m, t = 10 s, front at
    // x0 + 2√(g h_l) t = x0 + 62.64 m; depth at the dam 4 h_l / 9;
    // h = (4/9g)(√(g h_l) − (x − x0)/2t)² inside the rarefaction.
    let (hl, x0, t, dx) = (1.0, 100.0, 10.0, 0.1);
    let c0 = (G * hl).sqrt();
    assert!((2.0 * c0 * t - 62.64).abs() < 0.01);
    let exact = |x: f64| {
        let xi = (x - x0) / t;
        if xi <= -c0 {
            hl
        } else if xi >= 2.0 * c0 {
            0.0
        } else {
            (4.0 / (9.0 * G)) * (c0 - 0.5 * xi).powi(2)
        }
    };
    let m = dam_break(hl, 0.0, x0, 200.0, dx, t);
    let p = profile(&m);
    // Depth at the dam: 4/9 m within 1 % (smooth part of the rarefaction, where a
    // first-order scheme at 0.25 m cells is accurate to a few mm).
    let at_dam = 0.5 * (p[(x0 / dx) as usize - 1] + p[(x0 / dx) as usize]);
    assert!(
        (at_dam / (4.0 / 9.0) - 1.0).abs() < 0.01,
        "h(x0) = {at_dam}"
    );
    // Profile L1 error over [x0 − 40, x0 + 60] below 1 cm mean: numerical diffusion of
    // a first-order scheme is concentrated at the rarefaction corners and the tip.
    let (a, b) = (((x0 - 40.0) / dx) as usize, ((x0 + 60.0) / dx) as usize);
    let l1: f64 = (a..b)
        .map(|i| (p[i] - exact((i as f64 + 0.5) * dx)).abs())
        .sum::<f64>()
        / (b - a) as f64;
    assert!(l1 < 0.01, "mean |h − h_exact| = {l1}");
    // Front: the analytic depth is 1 cm at x0 + 2t(c0 − √(9 g 0.01 / 4)) = x0 + 53.24 m.
    // First-order schemes lag in the thin tip and converge slowly there (front error
    // 2.8, 2.4, 1.2, 0.5 m at Δx = 0.4, 0.2, 0.1, 0.05 m, measured while writing this
    // test, i.e. it converges): allow 2 m (3 % of the 62.64 m run-out).
    let x_1cm = x0 + 2.0 * t * (c0 - (9.0 * G * 1e-2 / 4.0).sqrt());
    let front = (p.iter().rposition(|&d| d > 1e-2).unwrap() as f64 + 1.0) * dx;
    assert!(
        (front - x_1cm).abs() < 2.0,
        "1 cm front at {front}, exact {x_1cm}"
    );
    // Nothing beyond the exact front x0 + 62.64 m + smearing.
    assert!(p.iter().rposition(|&d| d > 0.0).unwrap() as f64 * dx < x0 + 62.64 + 5.0);
}

/// Stoker's intermediate state: root of −8 g h_r c_m² (√(g h_l) − c_m)²
/// + (c_m² − g h_r)² (c_m² + g h_r) = 0 between √(g h_r) and √(g h_l) (SWASHES §4.1.1).
fn stoker_cm(hl: f64, hr: f64) -> f64 {
    let f = |c: f64| {
        -8.0 * G * hr * c * c * ((G * hl).sqrt() - c).powi(2)
            + (c * c - G * hr).powi(2) * (c * c + G * hr)
    };
    let (mut a, mut b) = ((G * hr).sqrt(), (G * hl).sqrt());
    for _ in 0..200 {
        let mid = 0.5 * (a + b);
        if f(a) * f(mid) <= 0.0 {
            b = mid;
        } else {
            a = mid;
        }
    }
    0.5 * (a + b)
}

#[test]
fn stoker_wet_dam_break_finite_volume() {
    // SWASHES §4.1.1, REFERENCES.md: h_l = 0.005, h_r = 0.001 m, x0 = 5 m, L = 10 m,
    // t = 6 s → h_m = 0.002539 m, shock at x = 6.2598 m.
    let (hl, hr, x0, t, dx) = (0.005, 0.001, 5.0, 6.0, 0.01);
    let cm = stoker_cm(hl, hr);
    let hm = cm * cm / G;
    let um = 2.0 * ((G * hl).sqrt() - cm);
    let shock = x0 + t * hm * um / (hm - hr);
    assert!(
        (hm - 0.002539).abs() < 5e-7 && (shock - 6.2598).abs() < 1e-3,
        "{hm} {shock}"
    );
    let m = dam_break(hl, hr, x0, 10.0, dx, t);
    let p = profile(&m);
    // Plateau between the rarefaction tail x0 + (u_m − c_m) t and the shock: depth
    // within 1 % of h_m (first-order schemes capture the constant state exactly away
    // from the waves).
    let tail = x0 + (um - cm) * t;
    let mid = (0.5 * (tail + shock) / dx) as usize;
    assert!(
        (p[mid] / hm - 1.0).abs() < 0.01,
        "plateau {} vs {hm} at {} m",
        p[mid],
        mid as f64 * dx
    );
    // Shock: where the depth crosses (h_m + h_r)/2, within 5 cells (0.05 m): HLL smears
    // a shock over 2–4 cells.
    let half = 0.5 * (hm + hr);
    let xs = (p.iter().rposition(|&d| d > half).unwrap() as f64 + 1.0) * dx;
    assert!((xs - shock).abs() < 0.05, "shock at {xs}, exact {shock}");
}

#[test]
fn thacker_planar_oscillation_finite_volume() {
    // SWASHES §4.2.2 "planar surface in a parabola" (Thacker 1981) in the frictionless
    // form of Sampson, Easton & Singh (2006): bed z = h0 (x/a)², surface
    // η = h0 − a²B²s²cos(2st)/(8g²h0) − B²/(4g) − B s cos(st) x / g, s = √(8 g h0)/(2a).
    let (a, h0, bb) = (3000.0_f64, 10.0_f64, 5.0_f64);
    let s = (8.0 * G * h0).sqrt() / a / 2.0;
    let eta = |x: f64, t: f64| {
        h0 - a * a * bb * bb * s * s * (2.0 * s * t).cos() / (8.0 * G * G * h0)
            - bb * bb / (4.0 * G)
            - bb * s * (s * t).cos() * x / G
    };
    let (dx, w) = (50.0, 200);
    let g = GridSpec {
        width: w,
        height: 3,
        cell_size: dx,
        origin: [-5000.0, 0.0],
    };
    let zb = |x: f64| h0 * (x / a).powi(2);
    let z = raster(g, |x, _| zb(x));
    let n = Grid::filled(g, 0.0);
    let mut spec = FloodSpec {
        solver: FloodSolver::FiniteVolume,
        ..FloodSpec::default()
    };
    // A sloping initial surface: give each column its own level.
    for c in 0..w {
        let x = -5000.0 + (c as f64 + 0.5) * dx;
        spec.initial_water.push(InitialWater {
            region: Region::Rectangle {
                min: [x - 0.5 * dx, 0.0],
                max: [x + 0.5 * dx, 150.0],
            },
            level_m: eta(x, 0.0),
        });
    }
    let mut m = FloodModel::new(spec, &z, &n).unwrap();
    let period = 2.0 * std::f64::consts::PI / s;
    for (k, frac) in [0.25, 0.5, 1.0].into_iter().enumerate() {
        let t0 = m.time_s();
        m.advance(t0, frac * period - t0, 0.0).unwrap();
        let p = profile(&m);
        let t = m.time_s();
        let err: f64 = (0..w)
            .map(|c| {
                let x = -5000.0 + (c as f64 + 0.5) * dx;
                (p[c] - (eta(x, t) - zb(x)).max(0.0)).abs()
            })
            .sum::<f64>()
            / w as f64;
        // Mean depth error below 1.5 % of h0 after up to one period: a first-order
        // scheme on 50 m cells damps the oscillation slowly and smears the moving
        // shoreline over a few cells; a wrong period or amplitude gives errors of
        // tens of %.
        assert!(
            err / h0 < 0.015,
            "step {k}, t = {t:.0} s: mean |Δh| = {err}"
        );
        // The velocity in the wet region follows u = B sin(s t).
        let u_mid = m.velocity_u().row(1)[w / 2];
        // Within 10 % of the amplitude B: first-order damping and phase lag.
        assert!(
            (f64::from(u_mid) - bb * (s * t).sin()).abs() < 0.1 * bb,
            "u = {u_mid} at t = {t}"
        );
    }
}

#[test]
fn snapshot_restore_is_exact() {
    let g = grid(40, 30, 2.0);
    let z = raster(g, |x, y| 0.01 * x + 0.2 * (y / 9.0).sin());
    let n = Grid::filled(g, 0.035);
    for solver in [FloodSolver::LocalInertial, FloodSolver::FiniteVolume] {
        let mut spec = FloodSpec {
            solver,
            ..FloodSpec::default()
        };
        spec.initial_water.push(InitialWater {
            region: Region::Rectangle {
                min: [0.0, 0.0],
                max: [20.0, 60.0],
            },
            level_m: 0.8,
        });
        let mut a = FloodModel::new(spec, &z, &n).unwrap();
        a.advance(0.0, 20.0, 10.0).unwrap();
        let json = serde_json::to_string(&a).unwrap();
        let mut b: FloodModel = serde_json::from_str(&json).unwrap();
        a.advance(20.0, 20.0, 10.0).unwrap();
        b.advance(20.0, 20.0, 10.0).unwrap();
        assert_eq!(a.depth(), b.depth(), "{solver:?}");
        assert_eq!(a.mass_balance(), b.mass_balance());
    }
}

#[test]
fn results_do_not_depend_on_thread_count() {
    let g = grid(64, 48, 2.0);
    let z = raster(g, |x, y| {
        0.02 * x + 0.3 * (y / 7.0).sin() * (x / 11.0).cos()
    });
    let n = Grid::filled(g, 0.03);
    for solver in [FloodSolver::LocalInertial, FloodSolver::FiniteVolume] {
        let run = |threads: usize| {
            let mut spec = FloodSpec {
                solver,
                ..FloodSpec::default()
            };
            spec.initial_water.push(InitialWater {
                region: Region::Rectangle {
                    min: [0.0, 0.0],
                    max: [30.0, 96.0],
                },
                level_m: 1.2,
            });
            spec.boundaries.east = EdgeBoundary::FreeOutflow;
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let mut m = FloodModel::new(spec, &z, &n).unwrap();
                m.advance(0.0, 30.0, 20.0).unwrap();
                (m.depth(), m.mass_balance())
            })
        };
        let one = run(1);
        assert_eq!(one, run(3), "{solver:?}");
    }
}

#[test]
fn weir_discharge_follows_broad_crested_formula() {
    // Henderson (1966) / Bos (1989): Q = C_d b √g H^{3/2} for a free (unsubmerged) weir.
    // Two 100 m cells separated by a 10 m wall; 1 m of head over the crest upstream,
    // dry downstream. Over 1 s the head changes by < 0.1 mm, so the moved volume must
    // equal Q × 1 s to 1e-4 (f32 depth resolution on 2 m of water).
    let g = grid(3, 1, 100.0);
    let z = Grid::from_vec(g, vec![0.0, 10.0, 0.0]).unwrap();
    let n = Grid::filled(g, 0.03);
    let mut spec = FloodSpec::default();
    spec.initial_water.push(InitialWater {
        region: Region::Rectangle {
            min: [0.0, 0.0],
            max: [100.0, 100.0],
        },
        level_m: 2.0,
    });
    spec.weirs.push(drillsim_engine::hazards::flood::Weir {
        name: "basin inlet".into(),
        from: [50.0, 50.0],
        to: [250.0, 50.0],
        crest_m: TimeSeries::constant(1.0),
        width_m: 5.0,
        discharge_coefficient: 0.51,
    });
    let mut m = FloodModel::new(spec, &z, &n).unwrap();
    m.advance(0.0, 1.0, 0.0).unwrap();
    let moved = f64::from(m.depth().data()[2]) * 1e4;
    let q = 0.51 * 5.0 * G.sqrt();
    assert!(
        (moved / q - 1.0).abs() < 1e-3,
        "moved {moved} m³, formula {q} m³"
    );
}

#[test]
fn breach_opens_over_time_and_reports_events() {
    use drillsim_engine::hazards::flood::{Breach, FloodEvent};
    // A 5 m levee across a 40 × 20 grid; the breach widens to 10 m and its bottom drops
    // from 5 m to 0.5 m between t = 60 and 120 s.
    let g = grid(40, 20, 1.0);
    let z = raster(g, |x, _| if (19.0..20.0).contains(&x) { 5.0 } else { 0.0 });
    let n = Grid::filled(g, 0.03);
    let mut spec = FloodSpec::default();
    spec.initial_water.push(InitialWater {
        region: Region::Rectangle {
            min: [0.0, 0.0],
            max: [19.0, 20.0],
        },
        level_m: 3.0,
    });
    spec.breaches.push(Breach {
        name: "levee".into(),
        polyline: vec![[19.5, 0.5], [19.5, 19.5]],
        width_m: TimeSeries(vec![(60.0, 0.0), (61.0, 2.0), (120.0, 10.0)]),
        bottom_m: TimeSeries(vec![(60.0, 5.0), (120.0, 0.5)]),
    });
    let mut m = FloodModel::new(spec, &z, &n).unwrap();
    let mut events = m.advance(0.0, 60.0, 0.0).unwrap();
    assert!(events.is_empty());
    assert_eq!(
        m.volume_m3(),
        m.mass_balance().initial_m3,
        "no flow before the breach"
    );
    events.extend(m.advance(60.0, 120.0, 0.0).unwrap());
    assert!(matches!(&events[0], FloodEvent::BreachStarted { name, .. } if name == "levee"));
    assert!(matches!(&events[1], FloodEvent::BreachCompleted { t_s, .. } if *t_s >= 120.0));
    // Bed lowered to 0.5 m over the 10 m centred on the levee's midpoint (y = 10 m).
    let zb = m.elevation();
    let lowered = (0..20).filter(|&r| *zb.get(19, r) == 0.5).count();
    assert!((9..=11).contains(&lowered), "{lowered} cells lowered");
    assert!(m.depth().row(10)[30] > 0.1, "water crossed the breach");
    assert!(m.mass_balance().relative_error < 1e-6);
}
