//! Validation of the chemical-accident models against published numbers (TNO Purple
//! Book, CCPS, Crowl & Louvar, Pasquill/Turner, Finney, Eisenberg, NIST). Each test cites
//! its source and states its tolerance.

use drillsim_engine::hazards::chem_fire::bleve::Fireball;
use drillsim_engine::hazards::chem_fire::bst::scaled_overpressure;
use drillsim_engine::hazards::chem_fire::effects::{eisenberg_probit, overpressure_probit};
use drillsim_engine::hazards::chemicals::{ChemicalLibrary, P_ATM};
use drillsim_engine::hazards::gas::calc::PlumeCalcInput;
use drillsim_engine::hazards::gas::plume::plume_concentration;
use drillsim_engine::hazards::gas::puff::{PuffConfig, PuffTracker};
use drillsim_engine::hazards::gas::source::{
    LiquidTankLeak, Release, gas_orifice_rate, liquid_orifice_rate,
};
use drillsim_engine::hazards::gas::stability::{Stability, Terrain, briggs_sigmas, turner_class};
use drillsim_engine::hazards::gas::toxic::{probit_to_probability, toxic_probit};
use drillsim_engine::world::{Grid, GridSpec};

const LB: f64 = 0.453_592_37; // kg per lbm
const PSI: f64 = 6_894.757; // Pa per psi
const INCH: f64 = 0.0254;

fn lib() -> ChemicalLibrary {
    ChemicalLibrary::load_builtin().expect("built-in library parses")
}

/// TNO Purple Book CPR 18E (1999), App. 6.B: CO, Q = 100 kg/s, u = 5 m/s, source and
/// receptor at 1 m, σy = 28.8 m, σz = 10.3 m → C = 21.3 g/m³; 30 min exposure with the
/// CO probit (a = −7.4, b = 1, n = 1) → Pr = 5.97, P = 0.835.
/// Tolerances: ±0.05 g/m³ (the book rounds to 3 digits), ±0.01 probit, ±0.003 P.
#[test]
fn purple_book_co_plume_and_probit() {
    let c = plume_concentration(100.0, 5.0, 28.8, 10.3, 1.0, 0.0, 1.0);
    assert!((c * 1e3 - 21.3).abs() < 0.05, "C = {} g/m³", c * 1e3);
    let co = lib().find("CO").unwrap().clone();
    let probit = co.toxicity.unwrap().probit.unwrap();
    let load = (c * 1e6) * 30.0; // (mg/m³)·min, n = 1
    let pr = toxic_probit(&probit, load);
    assert!((pr - 5.97).abs() < 0.01, "Pr = {pr}");
    let p = probit_to_probability(pr);
    assert!((p - 0.835).abs() < 0.003, "P = {p}");
}

/// Briggs (1973) rural and McElroy–Pooler urban formulas as tabulated in CCPS (2000)
/// (§2.1, dispersion coefficients), hand-evaluated at x = 1000 m. Tolerance 1e-6 relative (same formula,
/// checks coefficients and branches).
#[test]
fn briggs_sigmas_by_hand() {
    let cases = [
        (Stability::A, Terrain::Rural, 220.0 / 1.1f64.sqrt(), 200.0),
        (
            Stability::D,
            Terrain::Rural,
            80.0 / 1.1f64.sqrt(),
            60.0 / 2.5f64.sqrt(),
        ),
        (
            Stability::F,
            Terrain::Rural,
            40.0 / 1.1f64.sqrt(),
            16.0 / 1.3,
        ),
        (
            Stability::D,
            Terrain::Urban,
            160.0 / 1.4f64.sqrt(),
            140.0 / 1.3f64.sqrt(),
        ),
        (
            Stability::A,
            Terrain::Urban,
            320.0 / 1.4f64.sqrt(),
            240.0 * 2.0f64.sqrt(),
        ),
        (
            Stability::F,
            Terrain::Urban,
            110.0 / 1.4f64.sqrt(),
            80.0 / 2.5f64.sqrt(),
        ),
    ];
    for (s, t, sy, sz) in cases {
        let (a, b) = briggs_sigmas(s, t, 1000.0);
        assert!(
            (a / sy - 1.0).abs() < 1e-6 && (b / sz - 1.0).abs() < 1e-6,
            "{s:?} {t:?}"
        );
    }
}

/// Pasquill (1961) stability table as reproduced in Turner (1994) ch. 1 and CCPS (2000)
/// §2.1: exact class expected.
#[test]
fn turner_reproduces_pasquill_table() {
    // Strong insolation (sun > 60°), wind < 2 m/s → A.
    assert_eq!(turner_class(1.0, 65.0, 0.0, None), Stability::A);
    // Strong insolation, 5–6 m/s → C.
    assert_eq!(turner_class(5.5, 65.0, 0.0, None), Stability::C);
    // Moderate insolation (35–60°), 4 m/s → C.
    assert_eq!(turner_class(4.0, 45.0, 0.0, None), Stability::C);
    // Night, ≤ 3/8 cloud, 2–3 m/s → F.
    assert_eq!(turner_class(2.5, -10.0, 0.2, None), Stability::F);
    // Night, ≥ 4/8 cloud, 2–3 m/s → E.
    assert_eq!(turner_class(2.5, -10.0, 0.6, None), Stability::E);
    // Overcast (10/10, low ceiling), any time → D.
    assert_eq!(turner_class(3.0, 50.0, 1.0, Some(1000.0)), Stability::D);
    assert_eq!(turner_class(3.0, -20.0, 1.0, Some(1000.0)), Stability::D);
    // Strong wind (> 6 m/s) by day or night → D.
    assert_eq!(turner_class(8.0, -10.0, 0.2, None), Stability::D);
}

/// BLEVE fireball per CCPS (1994) ch. 6: D = 5.8 M^{1/3}, t = 2.6 M^{1/6} for
/// M ≥ 30 000 kg, H = 0.75 D. For 100 000 lb of propane: D = 206.8 m, t = 15.5 s.
/// Tolerance 0.1 % (closed-form).
#[test]
fn bleve_fireball_size() {
    let m = 100_000.0 * LB;
    let fb = Fireball::new(m, 46.35e6, 1.0e6);
    assert!((fb.diameter_m - 5.8 * m.cbrt()).abs() < 1e-9);
    assert!((fb.diameter_m - 206.8).abs() < 0.2, "{}", fb.diameter_m);
    assert!((fb.duration_s - 15.5).abs() < 0.05, "{}", fb.duration_s);
    assert!((fb.centre_height_m - 0.75 * fb.diameter_m).abs() < 1e-9);
    let small = Fireball::new(1000.0, 46.35e6, 1.0e6);
    assert!((small.duration_s - 0.45 * 10.0).abs() < 1e-9);
}

/// Eisenberg et al. (1975) thermal dose data behind the probit (as tabulated in CCPS
/// 2000 and Lees 2005 §16): 1 % lethality at 960, 50 % at 2380, 99 % at 5600
/// (kW/m²)^{4/3}·s. Tolerance ±0.3 percentage points at 1 % and ±2 points at 50/99 %
/// (the dose data are rounded to 2–3 digits).
#[test]
fn eisenberg_probit_matches_dose_data() {
    // q = 1 kW/m² so that t·q^{4/3} = t.
    let p1 = probit_to_probability(eisenberg_probit(1000.0, 960.0));
    let p50 = probit_to_probability(eisenberg_probit(1000.0, 2380.0));
    let p99 = probit_to_probability(eisenberg_probit(1000.0, 5600.0));
    assert!((p1 - 0.01).abs() < 0.003, "{p1}");
    assert!((p50 - 0.50).abs() < 0.02, "{p50}");
    assert!((p99 - 0.99).abs() < 0.02, "{p99}");
}

/// Overpressure lethality probit Pr = −77.1 + 6.91 ln p (Eisenberg 1975, CCPS 2000
/// §2.3.1): 50 % at p = exp(82.1/6.91) = 144.6 kPa; 1 % at 103 kPa (≈ 15 psi, the
/// lung-damage threshold quoted by CCPS). Tolerance ±1 kPa (rounding of the constants).
#[test]
fn overpressure_probit_points() {
    assert!((overpressure_probit(144_600.0) - 5.0).abs() < 0.01);
    let p1 = ((2.674_f64 + 77.1) / 6.91).exp();
    assert!((p1 - 103_000.0).abs() < 1_000.0, "{p1}");
    assert!((probit_to_probability(overpressure_probit(p1)) - 0.01).abs() < 1e-3);
    assert!(overpressure_probit(15.0 * PSI) > overpressure_probit(1.0 * PSI));
}

/// Probit ↔ probability table (Finney 1971, Table I; reproduced in Crowl & Louvar ch. 2):
/// 10 % ↔ 3.72, 50 % ↔ 5.00, 90 % ↔ 6.28, 99 % ↔ 7.33. Tolerance ±0.002.
#[test]
#[allow(clippy::approx_constant)] // 6.28 is the tabulated probit for 90 %, not τ
fn probit_table() {
    for (pr, p) in [
        (3.72, 0.10),
        (5.0, 0.5),
        (6.28, 0.90),
        (7.33, 0.99),
        (2.67, 0.01),
    ] {
        assert!((probit_to_probability(pr) - p).abs() < 0.002, "{pr} → {p}");
    }
}

/// Crowl & Louvar, Chemical Process Safety (2nd ed. 2002), ch. 4 worked example on
/// liquid flow through a hole. The book page was not reachable to confirm the printed
/// numbers, so they were re-derived by hand from the book's eq. (4-6)
/// `Qm = A C0 √(2 ρ gc Pg)`: A = π/4 (0.25/12)² = 3.41e-4 ft², ρ = 0.8794 · 62.4 =
/// 54.9 lbm/ft³, Pg = 14 400 lbf/ft² → 1.483 lbm/s; × 5400 s = 7990 lbm. Benzene
/// (SG 0.8794) leaks from a 1/4-in hole in a pipeline at 100 psig, C0 = 0.61:
/// Qm = 1.48 lbm/s; over 90 min about 8000 lbm are spilled. Tolerance 1 %.
#[test]
fn crowl_louvar_benzene_pipe_leak() {
    let area = std::f64::consts::PI * (0.25 * INCH).powi(2) / 4.0;
    let q = liquid_orifice_rate(100.0 * PSI, 0.0, area, 0.61, 879.4);
    assert!((q / LB - 1.48).abs() < 0.015, "{} lbm/s", q / LB);
    let total = q * 90.0 * 60.0 / LB;
    assert!((total - 8000.0).abs() < 80.0, "{total} lbm");
}

/// Crowl & Louvar (2nd ed.), ch. 4 worked example on tank draining, re-derived by hand
/// from the book's closed form `t = (At/(C0 g A)) [√(2(gc Pg/ρ + g h0)) − √(2 gc Pg/ρ)]`
/// (the printed page was not reachable): At/A = 96², gc Pg/ρ = 1240 ft²/s², g h0 = 386
/// ft²/s² → t = 3391 s; volume π/4 · 8² · 12 ft³ = 4512 gal. Benzene tank, 8 ft diameter, liquid 12 ft
/// above a 1-in hole, padded at 1 atm gauge, C0 = 0.61: 4512 gal spilled, drained in
/// 3394 s (56.6 min; the book's closed-form result). Our RK4 integration of the falling
/// head must match within 0.5 %.
#[test]
fn crowl_louvar_tank_drain() {
    let ft: f64 = 0.3048;
    let leak = LiquidTankLeak {
        tank_area_m2: std::f64::consts::PI * (8.0 * ft).powi(2) / 4.0,
        head_m: 12.0 * ft,
        overpressure_pa: P_ATM,
        hole_area_m2: std::f64::consts::PI * INCH.powi(2) / 4.0,
        cd: 0.61,
        density_kg_m3: 879.4,
    };
    let r = leak.outflow(1.0, 1e5).unwrap();
    let gallons = r.total_mass() / 879.4 / 0.003_785_41;
    assert!((gallons - 4512.0).abs() < 0.005 * 4512.0, "{gallons} gal");
    let t_end = r.end_s();
    assert!(
        (t_end / 60.0 - 56.6).abs() < 0.005 * 56.6,
        "{} min",
        t_end / 60.0
    );
}

/// Crowl & Louvar (2nd ed.), ch. 4 worked example on choked gas flow, re-derived by hand
/// from the book's eq. (4-50) (printed page not reachable): P0 = 214.7 psia, T = 540 °R,
/// A = 5.45e-5 ft² → Qm = 0.0379 lbm/s. Nitrogen at 200 psig and 80 °F through a
/// 0.1-in hole (C0 = 1, γ = 1.4): choked, Qm ≈ 0.038 lbm/s. Tolerance 2 % (the book
/// rounds intermediate values).
#[test]
fn crowl_louvar_choked_nitrogen() {
    let area = std::f64::consts::PI * (0.1 * INCH).powi(2) / 4.0;
    let p0 = 200.0 * PSI + P_ATM;
    let t0 = (80.0 - 32.0) / 1.8 + 273.15;
    let (q, choked) = gas_orifice_rate(p0, t0, P_ATM, area, 1.0, 1.4, 0.028_013).unwrap();
    assert!(choked);
    assert!((q / LB / 0.038 - 1.0).abs() < 0.02, "{} lbm/s", q / LB);
}

/// CCPS (1999), Guidelines for Consequence Analysis of Chemical Releases, ch. 2 worked
/// examples of discharge through a 10-mm hole, with inputs and answers as reproduced in
/// the test suite of the GasDispersion.jl package (A. Farrell,
/// test/source_models/jet_source_tests.jl, which cites CCPS 1999 pp. 40 and 47):
/// - p. 40, liquid (ρ = 490 kg/m³) at 120.935 kPa absolute (19.61 kPa gauge), C_d = 0.63:
///   0.2169 kg/s (hand check: 0.63 · π/4 · 0.01² · √(2 · 490 · 19 610) = 0.2169);
/// - p. 47, propane gas at 501 kPa absolute and 298 K (ρ = 8.90 kg/m³), γ = 1.15,
///   C_d = 0.85: choked, 0.0900 kg/s.
///
/// Tolerance 0.5 %: the answers carry 3–4 digits; the molar mass is taken from the
/// example's stated density (M = ρRT/p) so the gas law cannot differ.
#[test]
fn ccps_1999_hole_discharge_examples() {
    let area = std::f64::consts::PI * 0.01_f64.powi(2) / 4.0;
    let q = liquid_orifice_rate(120_935.036_8 - P_ATM, 0.0, area, 0.63, 490.0);
    assert!((q / 0.2169 - 1.0).abs() < 0.005, "liquid {q} kg/s");
    let molar_mass = 8.90 * 8.314_462_618 * 298.0 / 501e3;
    let (q, choked) = gas_orifice_rate(501e3, 298.0, P_ATM, area, 0.85, 1.15, molar_mass).unwrap();
    assert!(choked, "4 barg into the atmosphere must be choked");
    assert!((q / 0.0900 - 1.0).abs() < 0.005, "gas {q} kg/s");
}

/// NIST normal boiling points are independent of the Antoine constants: every built-in
/// pure chemical's vapour pressure at its boiling point must be 1 atm within 5 % (the
/// stated accuracy of fitted Antoine constants near the range ends).
#[test]
fn antoine_gives_one_atmosphere_at_boiling_point() {
    for c in lib().chemicals() {
        if c.name == "lpg" {
            continue; // mixture: bubble point, checked below
        }
        let p = c.vapour_pressure_pa(c.boiling_point_k);
        assert!((p / P_ATM - 1.0).abs() < 0.05, "{}: {p} Pa", c.name);
    }
    // Propane at 20 °C: 8.36 bar (NIST WebBook saturation table). Tolerance 2 %.
    let p = lib().find("propane").unwrap().vapour_pressure_pa(293.15);
    assert!((p / 8.36e5 - 1.0).abs() < 0.02, "{p}");
}

/// AEGL 60-min values (EPA; REFERENCES.md): chlorine 20 / 2.0 ppm, ammonia 1100 / 160,
/// H2S 50 / 27 (AEGL-3 / AEGL-2). Sulfur dioxide 27 / 0.75 from the final values in NRC
/// (2010), AEGLs for Selected Airborne Chemicals Vol. 8, ch. 9, summary table
/// (doi:10.17226/12770); REFERENCES.md lists 30 ppm for its AEGL-3, which does not match
/// the published final value. Exact.
#[test]
fn library_levels_of_concern() {
    let l = lib();
    for (name, a3, a2) in [
        ("chlorine", 20.0, 2.0),
        ("ammonia", 1100.0, 160.0),
        ("H2S", 50.0, 27.0),
        ("sulfur dioxide", 27.0, 0.75),
    ] {
        let lv = l.find(name).unwrap().default_levels_ppm();
        assert_eq!(lv[0], ("AEGL-3".to_owned(), a3));
        assert_eq!(lv[1], ("AEGL-2".to_owned(), a2));
    }
    // Purple Book probit constants (REFERENCES.md).
    let p = l
        .find("chlorine")
        .unwrap()
        .toxicity
        .as_ref()
        .unwrap()
        .probit
        .unwrap();
    assert_eq!((p.a, p.b, p.n), (-6.35, 0.5, 2.75));
    let err = l.find("chlorin").unwrap_err().to_string();
    assert!(err.contains("did you mean chlorine"), "{err}");
}

/// A wind that turns from west (blowing east) to south (blowing north) after 10 min:
/// puffs released after the shift must carry mass north of the source, and the cloud
/// must differ from a run without the shift (physical expectation, no tolerance beyond
/// the stated fractions).
#[test]
fn wind_shift_bends_the_cloud() {
    let cfg = PuffConfig {
        source_xy_m: [0.0, 0.0],
        release_height_m: 1.0,
        stability: Stability::D,
        terrain: Terrain::Rural,
        emit_interval_s: 5.0,
        initial_sigma_m: 2.0,
    };
    let release = Release::Continuous {
        rate_kg_s: 1.0,
        duration_s: 1800.0,
    };
    let shift = |_: f64, _: f64, t: f64| if t < 600.0 { (3.0, 0.0) } else { (0.0, 3.0) };
    let steady = |_: f64, _: f64, _: f64| (3.0, 0.0);
    let spec = GridSpec {
        width: 300,
        height: 300,
        cell_size: 10.0,
        origin: [-500.0, -500.0],
    };
    let north_fraction = |wind: &dyn Fn(f64, f64, f64) -> (f64, f64)| {
        let mut t = PuffTracker::new(cfg.clone(), release.clone()).unwrap();
        for _ in 0..120 {
            t.advance(10.0, wind);
        }
        let mut g = Grid::filled(spec, 0.0f32);
        t.concentration_field(1.5, &mut g);
        let (mut north, mut total) = (0.0, 0.0);
        for row in 0..spec.height {
            for col in 0..spec.width {
                let [x, y] = spec.cell_center(col, row);
                let c = f64::from(*g.get(col, row));
                total += c;
                if y > 100.0 && x.abs() < 300.0 {
                    north += c;
                }
            }
        }
        north / total
    };
    let bent = north_fraction(&shift);
    let straight = north_fraction(&steady);
    assert!(bent > 0.5, "fraction north after the shift: {bent}");
    assert!(
        straight < 0.01,
        "fraction north without a shift: {straight}"
    );
}

/// Baker–Strehlow–Tang detonation curve (Mf = 5.2, CCPS 2010 ch. 5) against the
/// Kinney & Graham (1985) TNT curve for the same blast energy (W = E / 4.68 MJ/kg, CCPS
/// 1994): z = R' (E_TNT/p0)^{1/3} = 3.588 R'. In the far field both tend to the blast of
/// a point energy release, so they must agree within 25 % at R' = 2, 3, 5 (the spread
/// between published high-explosive and gas-detonation curves there; CCPS 2010 §5.3).
/// Closer in a gas detonation is weaker than TNT (R' = 1: lower).
#[test]
fn bst_detonation_far_field_matches_tnt() {
    let kg = |z: f64| {
        808.0 * (1.0 + (z / 4.5).powi(2))
            / ((1.0 + (z / 0.048).powi(2))
                * (1.0 + (z / 0.32).powi(2))
                * (1.0 + (z / 1.35).powi(2)))
            .sqrt()
    };
    let k = (4.68e6f64 / P_ATM).cbrt();
    for r in [2.0, 3.0, 5.0] {
        let bst = scaled_overpressure(5.2, r);
        let tnt = kg(k * r);
        assert!(
            (bst / tnt - 1.0).abs() < 0.25,
            "R' = {r}: BST {bst} vs TNT {tnt}"
        );
    }
    assert!(scaled_overpressure(5.2, 1.0) < kg(k));
}

/// `calc plume` rejects impossible inputs with clear messages.
#[test]
fn calc_rejects_impossible_inputs() {
    let l = lib();
    let mut input = PlumeCalcInput {
        chemical: "chlorine".into(),
        rate_kg_s: Some(1.0),
        mass_kg: None,
        duration_s: 600.0,
        wind_m_s: 0.0,
        stability: Some(Stability::D),
        solar_elevation_deg: None,
        cloud_cover: None,
        roughness_m: 0.03,
        release_height_m: 0.0,
        receptor_height_m: 1.5,
        air_temperature_k: 293.15,
        release_temperature_k: None,
        levels: None,
    };
    assert!(input.run(&l).unwrap_err().to_string().contains("wind"));
    input.wind_m_s = 3.0;
    input.rate_kg_s = Some(-1.0);
    assert!(input.run(&l).unwrap_err().to_string().contains("rate_kg_s"));
    input.rate_kg_s = None;
    input.mass_kg = Some(-5.0);
    assert!(input.run(&l).unwrap_err().to_string().contains("mass_kg"));
    input.mass_kg = Some(500.0);
    let puff = input.run(&l).unwrap();
    // 500 kg of chlorine at ground level in 3 m/s meets the instantaneous dense-gas
    // criterion √(g0' V0^{1/3})/u ≥ 0.2 (Britter & McQuaid 1988).
    assert_eq!(puff.model, "dense puff (Britter-McQuaid)");
    assert!(puff.zones[0].distance_m.unwrap() > 0.0);
    input.mass_kg = None;
    input.rate_kg_s = Some(1.0);
    input.chemical = "amonia".into();
    assert!(input.run(&l).unwrap_err().to_string().contains("ammonia"));
    input.chemical = "chlorine".into();
    let r = input.run(&l).unwrap();
    assert_eq!(r.model, "dense (Britter-McQuaid)");
    let d: Vec<f64> = r.zones.iter().map(|z| z.distance_m.unwrap()).collect();
    assert!(d[0] < d[1] && d[1] < d[2], "{d:?}");
    assert!(!r.to_text().is_empty());
}
