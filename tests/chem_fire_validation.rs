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
