//! Validation of the fire models against published worked examples with printed answers.
//! Each test names where the example and its numbers were found and states its tolerance.

use drillsim_engine::hazards::chem_fire::bleve::Fireball;

/// Propane tank-truck BLEVE worked example (the CCPS fireball correlations applied to a
/// 22.7 m³ truck, 90 % full of propane at 585.3 kg/m³, all of it in the fireball), as
/// printed in A. Srivastava, "BLEVE Fireball Diameter & Duration and Radiation
/// Estimation" (worked example sheet, scribd.com/document/529343808, found with the
/// project's page search; it cites CCPS): m_f = 11 957.7 kg, D_c = 132.6 m,
/// t_c = 10.3 s. Tolerance ±0.05 m / ±0.05 s plus 1e-3 relative: the sheet prints one
/// decimal. (Its radiation answer, 89.1 kW/m² at 100 m, uses a fixed 350 kW/m² emissive
/// power and a ground-level view factor, not this model's geometry, so it is not used.)
#[test]
fn srivastava_ccps_propane_truck_fireball() {
    let mass: f64 = 22.7 * 585.3 * 0.9;
    assert!((mass - 11_957.7).abs() < 0.05, "{mass}");
    // Heat of combustion and burst pressure set the emissive power only, not D or t.
    let fb = Fireball::new(mass, 46.35e6, 1.0e6);
    assert!(
        (fb.diameter_m - 132.6).abs() < 0.05 + 1e-3 * 132.6,
        "{}",
        fb.diameter_m
    );
    assert!(
        (fb.duration_s - 10.3).abs() < 0.05 + 1e-3 * 10.3,
        "{}",
        fb.duration_s
    );
}

/// Closed-form view factor from a vertical cylinder (radius R, height h·R) to a vertical
/// element at ground level facing its axis at distance S·R (Sparrow & Cess; as printed
/// for pool fires in Mudan (1984), "Thermal radiation hazards from hydrocarbon pool
/// fires", Prog. Energy Combust. Sci. 10, 59–80, and in NUREG-1805 (2004) ch. 5, the
/// solid-flame model's F_{12,V}). Written out here, independently of the engine.
fn mudan_vertical_view_factor(s: f64, h: f64) -> f64 {
    use std::f64::consts::PI;
    let a = (h * h + s * s + 1.0) / (2.0 * s);
    (1.0 / (PI * s)) * (h / (s * s - 1.0).sqrt()).atan()
        - (h / (PI * s)) * ((s - 1.0) / (s + 1.0)).sqrt().atan()
        + (a * h / (PI * s * (a * a - 1.0).sqrt()))
            * ((a + 1.0) * (s - 1.0) / ((a - 1.0) * (s + 1.0)))
                .sqrt()
                .atan()
}

/// The pool fire's numerically integrated view factor (48 × 96 surface patches, target
/// 1 m above ground) against the closed form for an upright flame. The target height is
/// handled by superposition: the part of the cylinder above the target and the part
/// below each have the target in their base plane, so F = F_V(S, (L − 1)/R) + F_V(S, 1/R).
/// Tolerance 1 %: the midpoint rule over the silhouette edge errs by ≤ 0.4 % at S = 1.1
/// and ≤ 0.05 % beyond S = 1.5 (measured by refining the same rule to 400 × 800).
#[test]
fn pool_fire_view_factor_matches_mudan_closed_form() {
    use drillsim_engine::hazards::chem_fire::pool_fire::PoolFire;
    for (d, l, x) in [
        (10.0, 20.0, 5.5),
        (10.0, 20.0, 8.0),
        (10.0, 20.0, 15.0),
        (10.0, 20.0, 30.0),
        (20.0, 30.0, 25.0),
        (20.0, 30.0, 60.0),
        (5.0, 12.0, 100.0),
    ] {
        let pf = PoolFire {
            diameter_m: d,
            burning_rate_kg_m2_s: 0.05,
            flame_length_m: l,
            tilt_rad: 0.0,
            emissive_power_w_m2: 1e5,
            air_t_k: 293.15,
            rh: 0.5,
        };
        let r = 0.5 * d;
        let s = x / r;
        let expect =
            mudan_vertical_view_factor(s, (l - 1.0) / r) + mudan_vertical_view_factor(s, 1.0 / r);
        for bearing in [0.0, 1.0, 2.5] {
            let f = pf.view_factor(x, bearing);
            assert!(
                (f / expect - 1.0).abs() < 0.01,
                "D {d} L {l} x {x} bearing {bearing}: {f} vs {expect}"
            );
        }
    }
    // The closed form itself tends to the projected-area limit D·L/(π x²) far away; the
    // leading correction is O(1/S) (the visible half of the flame is nearer than its
    // axis), 0.2 % at S = 400.
    let far = mudan_vertical_view_factor(400.0, 4.0);
    assert!((far / (2.0 * 4.0 / (std::f64::consts::PI * 400.0 * 400.0)) - 1.0).abs() < 5e-3);
}
