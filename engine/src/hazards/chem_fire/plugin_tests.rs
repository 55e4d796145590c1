//! Plugin-level tests of the chemical-fire system on a tiny World + Schedule.

use super::plugin::{ChemFireHazards, EventState, add_live_fire, advance_chem_fire, build_event};
use super::spec::{ChemFireKind, ChemicalFireSpec};
use crate::scenario::types::HazardSpec;
use crate::sim::activation::HazardActivation;
use crate::sim::clock::SimClock;
use crate::sim::events::{EventKind, EventLog};
use crate::world::GridSpec;
use crate::world::weather::WeatherNow;
use bevy_ecs::prelude::*;

#[test]
fn dormant_fire_starts_only_when_activated() {
    let spec = ChemicalFireSpec {
        name: "tank fire".into(),
        dormant: true,
        start_s: 15.0,
        location_xy_m: [100.0, 100.0],
        chemical: "benzene".into(),
        kind: ChemFireKind::PoolFire {
            diameter_m: Some(8.0),
            mass_kg: None,
            volume_m3: None,
            min_thickness_m: 0.005,
            duration_s: Some(60.0),
        },
    };
    let grid = GridSpec {
        width: 40,
        height: 40,
        cell_size: 5.0,
        origin: [0.0, 0.0],
    };
    let mut world = World::new();
    world.insert_resource(SimClock::new(10.0, 600.0));
    world.insert_resource(WeatherNow {
        t_s: 0.0,
        wind_speed_m_s: 3.0,
        wind_from_deg: 180.0,
        temperature_c: 20.0,
        relative_humidity_pct: 50.0,
        rain_mm_h: 0.0,
        solar_elevation_deg: None,
        cloud_cover_oktas: None,
    });
    world.insert_resource(HazardActivation::from_hazards(&[HazardSpec::ChemicalFire(
        spec.clone(),
    )]));
    world.insert_resource(EventLog::default());
    world.insert_resource(ChemFireHazards::new(grid, vec![build_event(0, &spec)]));
    let mut schedule = Schedule::default();
    schedule.add_systems(advance_chem_fire);
    let mut tick = |world: &mut World, n: usize| {
        for _ in 0..n {
            schedule.run(world);
            world.resource_mut::<SimClock>().tick += 1;
        }
    };
    tick(&mut world, 10);
    let started = |w: &World| {
        w.resource::<EventLog>()
            .events
            .iter()
            .filter(|e| e.kind == EventKind::HazardStarted)
            .map(|e| e.t_s)
            .collect::<Vec<_>>()
    };
    assert!(started(&world).is_empty(), "dormant: nothing for 100 s");
    assert_eq!(
        world
            .resource::<ChemFireHazards>()
            .flux
            .data()
            .iter()
            .sum::<f32>(),
        0.0
    );
    // The exercise layer starts it at 100 s; its own start_s (15 s) counts from then.
    assert!(world.resource_mut::<HazardActivation>().activate(0, 100.0));
    tick(&mut world, 2);
    assert_eq!(started(&world), vec![115.0]);
    let hz = world.resource::<ChemFireHazards>();
    assert_eq!(hz.events[0].state, EventState::Burning);
    assert!(hz.thermal_flux_at_w_m2(100.0, 110.0) > 0.0);
    assert!((hz.events[0].end_s - 175.0).abs() < 1e-12);
}

#[test]
fn live_fire_starts_after_its_delay_and_bad_chemicals_are_refused() {
    let grid = GridSpec {
        width: 20,
        height: 20,
        cell_size: 10.0,
        origin: [0.0, 0.0],
    };
    let mut hz = ChemFireHazards::new(grid, Vec::new());
    let mut spec = ChemicalFireSpec {
        name: "live".into(),
        dormant: true,
        start_s: 5.0,
        location_xy_m: [100.0, 100.0],
        chemical: "propane".into(),
        kind: ChemFireKind::Fireball {
            mass_kg: 1000.0,
            burst_pressure_pa: None,
        },
    };
    assert!(add_live_fire(&mut hz, 3, &spec, 40.0).is_ok());
    assert_eq!(hz.events[0].start_s, 45.0);
    spec.chemical = "chlorine".into();
    let e = add_live_fire(&mut hz, 4, &spec, 40.0).unwrap_err();
    assert!(e.contains("not flammable"), "{e}");
    assert_eq!(hz.events.len(), 1);
}
