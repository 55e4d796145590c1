//! `drillsim calc …` from the command line: one numeric check per command against an
//! analytic or published value, and the messages (insta snapshots) and exit code 2 for
//! impossible inputs.

mod common;

use common::{drillsim, text};

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["calc"];
    all.extend_from_slice(args);
    all.push("--json");
    let out = drillsim(&all, &[]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    serde_json::from_str(&stdout).expect("valid JSON")
}

fn rejected(args: &[&str]) -> String {
    let mut all = vec!["calc"];
    all.extend_from_slice(args);
    let out = drillsim(&all, &[]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    stderr
}

/// Gaussian puff centre with ground reflection, source at ground, receptor at 1.5 m
/// (Turner 1994, Workbook eq. for instantaneous releases):
/// `C = M / ((2π)^{3/2} σy² σz) · 2 exp(−z²/2σz²)`, with the Briggs (1973) rural
/// class-D sigmas evaluated by hand at x = 1000 m (CCPS 2000 §2.1):
/// σy = 0.08·1000/√1.1 = 76.277 m, σz = 0.06·1000/√2.5 = 37.947 m.
/// Tolerance 1e-6 relative (closed form; only rounding differs).
#[test]
fn plume_puff_centre_matches_the_turner_formula() {
    let v = json(&[
        "plume",
        "--chemical",
        "chlorine",
        "--mass-kg",
        "500",
        "--wind-m-s",
        "3",
        "--stability",
        "D",
    ]);
    let sy = 80.0 / 1.1f64.sqrt();
    let sz = 60.0 / 2.5f64.sqrt();
    let expected = 500.0 / ((2.0 * std::f64::consts::PI).powf(1.5) * sy * sy * sz)
        * 2.0
        * (-(1.5f64.powi(2)) / (2.0 * sz * sz)).exp();
    let c = v["concentration_1km_kg_m3"].as_f64().unwrap();
    assert!((c / expected - 1.0).abs() < 1e-6, "{c} vs {expected}");
}

/// Pool fire of benzene, D = 10 m. (1) Mudan & Croce (1988) emissive power
/// `E = 140 e^{−0.12 D} + 20 (1 − e^{−0.12 D})` kW/m² = 56.15 kW/m² (closed form,
/// tolerance 1e-6 relative). (2) Burning rate vs the measured large-pool value for
/// benzene, 0.085 kg/(m²·s) (Babrauskas, SFPE Handbook, Table "burning rate data");
/// tolerance 10 % (stated accuracy of the Burgess correlation).
#[test]
fn pool_fire_emissive_power_and_burning_rate() {
    let v = json(&["pool-fire", "--chemical", "benzene", "--diameter-m", "10"]);
    let e = v["fire"]["emissive_power_w_m2"].as_f64().unwrap();
    let k = (-0.12f64 * 10.0).exp();
    let expected = (140.0 * k + 20.0 * (1.0 - k)) * 1000.0;
    assert!((e / expected - 1.0).abs() < 1e-6, "{e} vs {expected}");
    let m = v["fire"]["burning_rate_kg_m2_s"].as_f64().unwrap();
    assert!((m / 0.085 - 1.0).abs() < 0.10, "{m}");
}

/// BLEVE fireball diameter D = 5.8 M^{1/3} (CCPS 1994 ch. 6): 20 000 kg → 157.4 m.
/// Tolerance 1e-9 relative (closed form).
#[test]
fn bleve_diameter_is_5_8_cube_root_of_mass() {
    let v = json(&["bleve", "--chemical", "propane", "--mass-kg", "20000"]);
    let d = v["fireball"]["diameter_m"].as_f64().unwrap();
    assert!((d / (5.8 * 20_000f64.cbrt()) - 1.0).abs() < 1e-9, "{d}");
    assert!((d - 157.4).abs() < 0.1, "{d}");
}

/// VCE by TNT equivalence: the reported 1 psi distance R must give 1 psi on the
/// published Kinney & Graham (1985) curve
/// `p/pa = 808 [1 + (z/4.5)²] / √([1 + (z/0.048)²][1 + (z/0.32)²][1 + (z/1.35)²])`,
/// z = R / W^{1/3}, evaluated here by hand; and W = η M ΔHc / 4.68 MJ/kg (CCPS 1994).
/// Tolerance 0.5 % on the pressure (bisection of the distance).
#[test]
fn vce_one_psi_distance_is_on_the_kinney_graham_curve() {
    let v = json(&["vce", "--chemical", "propane", "--mass-kg", "1000"]);
    let w = v["vce"]["tnt_kg"].as_f64().unwrap();
    assert!(v.get("bst").is_none());
    let eta = v["vce"]["efficiency"].as_f64().unwrap();
    assert!((eta - 0.03).abs() < 1e-12);
    // Propane ΔHc ≈ 46.3 MJ/kg (NIST/CCPS): W ≈ 0.03 · 1000 · 46.3e6 / 4.68e6 ≈ 297 kg.
    assert!((w / 297.0 - 1.0).abs() < 0.01, "{w}");
    let one_psi = v["overpressure"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| (t["threshold"].as_f64().unwrap() - 6_894.757).abs() < 1.0)
        .expect("a 1 psi threshold");
    let r = one_psi["distance_m"].as_f64().unwrap();
    let z = r / w.cbrt();
    let kg = 808.0 * (1.0 + (z / 4.5).powi(2))
        / ((1.0 + (z / 0.048).powi(2)) * (1.0 + (z / 0.32).powi(2)) * (1.0 + (z / 1.35).powi(2)))
            .sqrt();
    let p = kg * 101_325.0;
    assert!((p / 6_894.757 - 1.0).abs() < 0.005, "{p} Pa at {r} m");
}

/// VCE by the Baker–Strehlow–Tang curves, wired through the CLI: the reported energy is
/// 3.5 MJ/m³ × the congested volume (van den Berg 1985; CCPS 2010 ch. 5), exact; the
/// 8 / 3.5 / 1 psi distances grow as the threshold falls and scale with E^{1/3} (Sachs
/// scaling: 8× the volume → 2× the distance, tolerance 0.5 % for the bisection).
#[test]
fn vce_bst_energy_and_sachs_scaling() {
    let run = |v: &str| {
        json(&[
            "vce",
            "--chemical",
            "propane",
            "--mass-kg",
            "1000",
            "--method",
            "bst",
            "--flame-mach",
            "0.7",
            "--congested-volume-m3",
            v,
        ])
    };
    let a = run("1000");
    let b = run("8000");
    assert!((a["bst"]["energy_j"].as_f64().unwrap() - 3.5e9).abs() < 1.0);
    assert!(a.get("vce").is_none());
    let d = |v: &serde_json::Value| -> Vec<f64> {
        v["overpressure"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["distance_m"].as_f64().unwrap())
            .collect()
    };
    let (da, db) = (d(&a), d(&b));
    assert!(da[0] < da[1] && da[1] < da[2], "{da:?}");
    for (x, y) in da.iter().zip(&db) {
        assert!((y / x / 2.0 - 1.0).abs() < 0.005, "{x} → {y}");
    }
    // Bad flame speed and a missing one are refused with the flag named.
    let e = rejected(&[
        "vce",
        "--chemical",
        "propane",
        "--mass-kg",
        "10",
        "--method",
        "bst",
        "--flame-mach",
        "9",
    ]);
    assert!(e.contains("--flame-mach"), "{e}");
    let e = rejected(&[
        "vce",
        "--chemical",
        "propane",
        "--mass-kg",
        "10",
        "--method",
        "bst",
    ]);
    assert!(e.contains("--flame-mach"), "{e}");
    let e = rejected(&[
        "vce",
        "--chemical",
        "propane",
        "--mass-kg",
        "10",
        "--method",
        "tno",
    ]);
    assert!(e.contains("--method"), "{e}");
}

#[test]
fn text_output_names_the_zones() {
    let out = drillsim(
        &[
            "calc",
            "plume",
            "--chemical",
            "ammonia",
            "--rate-kg-s",
            "2",
            "--wind-m-s",
            "3",
            "--stability",
            "D",
        ],
        &[],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    for l in ["AEGL-3", "AEGL-2", "AEGL-1"] {
        assert!(stdout.contains(l), "{stdout}");
    }
}

#[test]
fn impossible_inputs_are_rejected_with_clear_messages() {
    insta::assert_snapshot!(
        "negative_mass",
        rejected(&["bleve", "--chemical", "propane", "--mass-kg", "-5"])
    );
    insta::assert_snapshot!(
        "calm_wind_plume",
        rejected(&[
            "plume",
            "--chemical",
            "chlorine",
            "--rate-kg-s",
            "1",
            "--wind-m-s",
            "0",
            "--stability",
            "D"
        ])
    );
    insta::assert_snapshot!(
        "unknown_chemical",
        rejected(&[
            "plume",
            "--chemical",
            "chlorene",
            "--rate-kg-s",
            "1",
            "--wind-m-s",
            "3",
            "--stability",
            "D"
        ])
    );
    insta::assert_snapshot!(
        "no_stability",
        rejected(&[
            "plume",
            "--chemical",
            "chlorine",
            "--rate-kg-s",
            "1",
            "--wind-m-s",
            "3"
        ])
    );
    insta::assert_snapshot!(
        "negative_pool_diameter",
        rejected(&["pool-fire", "--chemical", "benzene", "--diameter-m", "-3"])
    );
    insta::assert_snapshot!(
        "vce_not_flammable",
        rejected(&["vce", "--chemical", "chlorine", "--mass-kg", "100"])
    );
}
