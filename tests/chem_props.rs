//! Property tests of the gas models: no NaN, non-negative concentrations, mass
//! conservation of source terms and puddles, bit-identical fields.

use drillsim_engine::hazards::chemicals::ChemicalLibrary;
use drillsim_engine::hazards::gas::plume::GaussianPlume;
use drillsim_engine::hazards::gas::pool::{Ground, PuddleSpec, simulate_puddle};
use drillsim_engine::hazards::gas::puff::{PuffConfig, PuffTracker};
use drillsim_engine::hazards::gas::source::Release;
use drillsim_engine::hazards::gas::stability::{Stability, Terrain};
use drillsim_engine::hazards::gas::toxic::ExposureGrids;
use drillsim_engine::world::{Grid, GridSpec};
use proptest::prelude::*;

fn stability() -> impl Strategy<Value = Stability> {
    (0usize..6).prop_map(Stability::from_index)
}

fn terrain() -> impl Strategy<Value = Terrain> {
    prop_oneof![Just(Terrain::Rural), Just(Terrain::Urban)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn plume_is_finite_and_non_negative(
        q in 1e-3f64..1e3, u in 0.5f64..20.0, h in 0.0f64..50.0, s in stability(),
        t in terrain(), x in -100.0f64..2e4, y in -2e3f64..2e3, z in 0.0f64..100.0,
        time in 0.0f64..1e4,
    ) {
        let p = GaussianPlume::new(q, u, h, s, t, Some(600.0)).unwrap();
        let c = p.concentration(x, y, z);
        let ct = p.concentration_at(x, y, z, time);
        prop_assert!(c.is_finite() && c >= 0.0);
        prop_assert!(ct.is_finite() && ct >= 0.0 && ct <= c * (1.0 + 1e-9) + 1e-300);
    }

    #[test]
    fn puff_field_is_finite_non_negative_and_mass_bounded(
        rate in 0.01f64..10.0, dur in 10.0f64..600.0, s in stability(), t in terrain(),
        u in -8.0f64..8.0, v in -8.0f64..8.0, turn in -1e-3f64..1e-3, h in 0.0f64..20.0,
    ) {
        let cfg = PuffConfig {
            source_xy_m: [0.0, 0.0],
            release_height_m: h,
            stability: s,
            terrain: t,
            emit_interval_s: 5.0,
            initial_sigma_m: 2.0,
        };
        let release = Release::Continuous { rate_kg_s: rate, duration_s: dur };
        let mut tr = PuffTracker::new(cfg, release.clone()).unwrap();
        for _ in 0..20 {
            tr.advance(30.0, |x, y, _| (u + turn * y, v - turn * x));
        }
        prop_assert!((tr.released_kg() - release.total_mass()).abs() <= 1e-9 * release.total_mass());
        let spec = GridSpec { width: 60, height: 50, cell_size: 40.0, origin: [-1200.0, -1000.0] };
        let mut g = Grid::filled(spec, 0.0f32);
        tr.concentration_field(1.5, &mut g);
        prop_assert!(g.data().iter().all(|c| c.is_finite() && *c >= 0.0));
        let mut e = ExposureGrids::new(spec, 2.75);
        e.accumulate(&g, 60.0);
        prop_assert!(e.load.data().iter().all(|l| l.is_finite() && *l >= 0.0));
    }

    #[test]
    fn release_mass_is_additive(
        rates in proptest::collection::vec(0.0f64..5.0, 2..8), split in 0.0f64..1.0,
    ) {
        let times: Vec<f64> = (0..rates.len()).map(|i| 10.0 * i as f64).collect();
        let end = *times.last().unwrap();
        let r = Release::TimeSeries { times_s: times, rates_kg_s: rates };
        let mid = split * end;
        let a = r.mass_between(0.0, mid) + r.mass_between(mid, end);
        prop_assert!((a - r.total_mass()).abs() <= 1e-9 * (1.0 + r.total_mass()));
        prop_assert!(r.total_mass() >= 0.0);
    }

    #[test]
    fn puddle_conserves_mass_and_has_no_nan(
        mass in 1.0f64..5e4, wind in 0.5f64..15.0, ta in 250.0f64..315.0, chem_i in 0usize..14,
        bund in proptest::option::of(10.0f64..2000.0),
    ) {
        let lib = ChemicalLibrary::load_builtin().unwrap();
        let chem = &lib.chemicals()[chem_i % lib.chemicals().len()];
        let spec = PuddleSpec {
            spill: Release::Instantaneous { mass_kg: mass },
            ground: Ground::Concrete,
            ground_t_k: ta,
            air_t_k: ta,
            wind_10m_m_s: wind,
            bund_area_m2: bund,
            min_thickness_m: 0.005,
        };
        let r = simulate_puddle(chem, &spec, 10.0, 3600.0).unwrap();
        let Release::TimeSeries { rates_kg_s, .. } = &r.vapour else { unreachable!() };
        prop_assert!(rates_kg_s.iter().all(|q| q.is_finite() && *q >= 0.0));
        prop_assert!(r.area_m2.iter().all(|a| a.is_finite() && *a >= 0.0));
        // Step-averaged rates × dt sum to the evaporated mass.
        let evaporated: f64 = rates_kg_s.iter().map(|q| q * 10.0).sum();
        prop_assert!((evaporated + r.remaining_kg - mass).abs() <= 1e-6 * mass);
    }
}
