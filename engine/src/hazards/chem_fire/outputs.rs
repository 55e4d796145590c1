//! Outputs of the chemical fires and explosions of a run: rasters of peak thermal flux
//! (kW/m²), peak overpressure (kPa) and fatality fraction, GeoJSON threat zones (thermal
//! 10/5/2 kW/m², overpressure 8/3.5/1 psi, flash fire LEL / ½ LEL) and the
//! `"chem_fire"` summary entry.

use bevy_ecs::prelude::*;

use super::event::ActiveSource;
use super::plugin::{ChemFireHazards, EventState};
use super::{OVERPRESSURE_LEVELS_PSI, PA_PER_PSI, THERMAL_LEVELS_W_M2};
use crate::hazards::gas::zones::{ZoneLevel, zones_geojson};
use crate::sim::outputs::{NamedRaster, RunOutputs};
use crate::world::Grid;
use crate::world::raster::Ramp;

/// Rasters, GeoJSON zones and the `"chem_fire"` summary.
pub fn chem_fire_outputs(world: &World, out: &mut RunOutputs) {
    let Some(hz) = world.get_resource::<ChemFireHazards>() else {
        return;
    };
    let peak_kw: Grid<f32> = hz.peak_flux.map(|&q| q / 1000.0);
    let kpa: Grid<f32> = hz.overpressure.map(|&p| p / 1000.0);
    let psi: Grid<f32> = hz.overpressure.map(|&p| (f64::from(p) / PA_PER_PSI) as f32);
    let spec = *hz.flux.spec();
    let fatal = Grid::from_fn(spec, |c, r| hz.fatality_cell(spec.index(c, r)) as f32);
    let flash: Grid<f32> = hz.flash.map(|&z| f32::from(z));
    let thermal_levels: Vec<ZoneLevel> = THERMAL_LEVELS_W_M2
        .iter()
        .map(|q| ZoneLevel {
            name: format!("{:.0} kW/m²", q / 1000.0),
            threshold: q / 1000.0,
        })
        .collect();
    let blast_levels: Vec<ZoneLevel> = OVERPRESSURE_LEVELS_PSI
        .iter()
        .map(|p| ZoneLevel {
            name: format!("{p} psi"),
            threshold: *p,
        })
        .collect();
    let flash_levels = [
        ZoneLevel {
            name: "LEL (flash fire, fatal)".into(),
            threshold: 1.5,
        },
        ZoneLevel {
            name: "½ LEL (boundary)".into(),
            threshold: 0.5,
        },
    ];
    out.files.push((
        "zones/chem_fire_thermal.geojson".into(),
        zones_geojson(&peak_kw, &thermal_levels, "kW/m2"),
    ));
    out.files.push((
        "zones/chem_fire_overpressure.geojson".into(),
        zones_geojson(&psi, &blast_levels, "psi"),
    ));
    out.files.push((
        "zones/chem_fire_flash.geojson".into(),
        zones_geojson(&flash, &flash_levels, "zone"),
    ));
    let max = |g: &Grid<f32>| g.data().iter().fold(0.0f32, |a, &b| a.max(b));
    let summary_max_flux = f64::from(max(&peak_kw));
    let summary_max_kpa = f64::from(max(&kpa));
    out.rasters.push(NamedRaster {
        name: "chem_fire_peak_flux_kw_m2".into(),
        grid: peak_kw,
        ramp: Ramp::Heat,
        range: None,
    });
    out.rasters.push(NamedRaster {
        name: "chem_fire_overpressure_kpa".into(),
        grid: kpa,
        ramp: Ramp::Heat,
        range: None,
    });
    out.rasters.push(NamedRaster {
        name: "chem_fire_fatality".into(),
        grid: fatal,
        ramp: Ramp::Heat,
        range: Some((0.0, 1.0)),
    });
    out.rasters.push(NamedRaster {
        name: "chem_fire_flash_zone".into(),
        grid: flash,
        ramp: Ramp::Heat,
        range: Some((0.0, 2.0)),
    });
    let events: Vec<serde_json::Value> = hz
        .events
        .iter()
        .map(|e| {
            let state = match e.state {
                EventState::Waiting => "waiting",
                EventState::Burning => "burning",
                EventState::Ended => "ended",
            };
            let mut v = serde_json::json!({
                "hazard_index": e.hazard_index,
                "label": e.label,
                "kind": e.spec.kind_name(),
                "chemical": e.chemical.as_ref().map(|c| c.name.clone()).unwrap_or_default(),
                "state": state,
                "origin_xy_m": e.origin_xy_m,
                "zones": e.zones,
                "model": e.source.as_ref().map(|s| match s {
                    ActiveSource::Pool { fire, .. } => serde_json::to_value(fire),
                    other => serde_json::to_value(other),
                }.unwrap_or_default()),
            });
            if e.start_s.is_finite() {
                v["start_s"] = serde_json::json!(e.start_s);
            }
            if e.end_s.is_finite() && e.state != EventState::Waiting {
                v["end_s"] = serde_json::json!(e.end_s);
            }
            if let Err(err) = &e.chemical {
                v["error"] = serde_json::json!(err);
            }
            v
        })
        .collect();
    out.summary.push((
        "chem_fire".to_owned(),
        serde_json::json!({
            "max_peak_flux_kw_m2": summary_max_flux,
            "max_overpressure_kpa": summary_max_kpa,
            "flash_fire_area_m2": hz.flash.data().iter().filter(|&&z| z >= 2).count() as f64
                * spec.cell_area(),
            "events": events,
        }),
    ));
}
