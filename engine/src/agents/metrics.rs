//! Response metrics: time-series columns each tick, and the run summary and files
//! (`agents/tasks.csv`, `agents/teams.geojson`, `agents/facilities.geojson`).

use bevy_ecs::prelude::*;
use serde_json::{Value, json};

use super::state::{AgentStatic, FacilityKind, GroupPhase, Phase, Response};
use crate::sim::clock::SimClock;
use crate::sim::metrics::MetricsRow;
use crate::sim::outputs::RunOutputs;

/// The 4-hour supply target of the users' plans, s.
pub const SUPPLY_TARGET_S: f64 = 4.0 * 3600.0;

/// People in shelters (inside or queued) and those of them covered by delivered rations.
pub fn shelter_totals(st: &AgentStatic, r: &Response) -> (f64, f64, f64) {
    let mut inside = 0.0;
    let mut queue = 0.0;
    let mut supplied = 0.0;
    for (i, f) in st.facilities.iter().enumerate() {
        if matches!(f.kind, FacilityKind::Shelter(_)) {
            let s = &r.sites[i];
            inside += s.inside;
            queue += s.queue;
            let per = st.rations_per_day.max(1e-9);
            supplied += (s.inside + s.queue).min(s.rations / per);
        }
    }
    (inside, queue, supplied)
}

/// Adds the response columns to the tick's row (in `MetricsSet::Agents`).
pub fn agent_metrics(
    clock: Res<'_, SimClock>,
    st: Res<'_, AgentStatic>,
    mut r: ResMut<'_, Response>,
    mut row: ResMut<'_, MetricsRow>,
) {
    let t = clock.t_s() + clock.dt_s();
    let (inside, queue, supplied) = shelter_totals(&st, &r);
    if r.supplied_at_4h.is_none() && t >= st.disaster_s + SUPPLY_TARGET_S {
        r.supplied_at_4h = Some(supplied);
    }
    let busy = r
        .teams
        .iter()
        .filter(|t| {
            !matches!(
                t.phase,
                Phase::Idle | Phase::OffDuty | Phase::Resting(_) | Phase::Casualty
            )
        })
        .count();
    let c = r.casualties();
    let waiting: f64 = r
        .groups
        .iter()
        .filter(|g| g.phase == GroupPhase::Waiting)
        .map(|g| g.people)
        .sum();
    let moving: f64 = r
        .groups
        .iter()
        .filter(|g| g.phase == GroupPhase::Moving)
        .map(|g| g.people)
        .sum();
    let dist: f64 = r.teams.iter().map(|t| t.distance_m).sum();
    let open = r.tasks.iter().filter(|t| t.done_s.is_none()).count();
    row.set("teams_busy", busy as f64);
    row.set("teams_out_of_action", r.team_casualties.len() as f64);
    row.set("tasks_open", open as f64);
    row.set("people_warned", r.warned);
    row.set("people_evacuating", moving.max(0.0));
    row.set("people_waiting_rescue", waiting.max(0.0));
    row.set("people_evacuated", r.evacuated);
    row.set("people_in_shelters", inside);
    row.set("people_queued_at_shelters", queue);
    row.set("people_supplied", supplied);
    row.set("expected_fatalities", c.dead());
    row.set("expected_injuries", c.toxic_injured);
    row.set("team_distance_m", dist);
}

fn opt(v: Option<f64>) -> Value {
    v.map_or(Value::Null, |x| json!(x))
}

/// The response's summary entry and files.
pub fn agent_outputs(world: &World, out: &mut RunOutputs) {
    let (Some(st), Some(r), Some(clock)) = (
        world.get_resource::<AgentStatic>(),
        world.get_resource::<Response>(),
        world.get_resource::<SimClock>(),
    ) else {
        return;
    };
    let (inside, queue, supplied) = shelter_totals(st, r);
    let c = r.casualties();
    let tasks: Vec<Value> = r
        .tasks
        .iter()
        .map(|t| {
            json!({
                "label": t.label,
                "needs": format!("{:?}", t.needs),
                "known_s": t.known_s,
                "dispatched_s": opt(t.dispatched_s),
                "arrived_s": opt(t.arrived_s),
                "done_s": opt(t.done_s),
                "response_time_s": opt(t.arrived_s.zip(t.dispatched_s).map(|(a, d)| a - d)),
                "call_to_arrival_s": opt(t.arrived_s.map(|a| a - t.known_s)),
            })
        })
        .collect();
    let response_times: Vec<f64> = r
        .tasks
        .iter()
        .filter_map(|t| Some(t.arrived_s? - t.dispatched_s?))
        .collect();
    let mean_rt = if response_times.is_empty() {
        None
    } else {
        Some(response_times.iter().sum::<f64>() / response_times.len() as f64)
    };
    let teams: Vec<Value> = r
        .teams
        .iter()
        .map(|t| {
            let ty = &st.presets.types[t.preset];
            let tox: Vec<f64> = t.exposure.toxic.iter().map(|d| d.peak_kg_m3).collect();
            json!({
                "id": t.id, "name": t.name, "preset": ty.id,
                "distance_m": t.distance_m, "replans": t.replans,
                "state": format!("{:?}", t.phase),
                "peak_breathed_kg_m3": tox,
                "out_of_action": t.phase == Phase::Casualty,
            })
        })
        .collect();
    let shelters: Vec<Value> = st
        .facilities
        .iter()
        .enumerate()
        .filter_map(|(i, f)| match f.kind {
            FacilityKind::Shelter(cap) => Some(json!({
                "id": f.id, "name": f.name, "capacity": cap,
                "inside": r.sites[i].inside, "queued": r.sites[i].queue,
                "rations_delivered": r.sites[i].rations,
                "last_delivery_s": opt(r.sites[i].last_delivery_s),
            })),
            _ => None,
        })
        .collect();
    // Each release ends when a team seals it or when its source runs out.
    let mut containment: Vec<Value> = Vec::new();
    if let Some(g) = world.get_resource::<crate::hazards::gas::plugin::GasHazards>() {
        for (k, rel) in g.releases.iter().enumerate() {
            let Ok(m) = &rel.model else { continue };
            let end = rel.start_s + m.release_end_time_s();
            let (how, t) = match r.leaks_stopped.iter().find(|s| s.0 == k) {
                Some(&(_, ts)) => ("leak sealed by a team", ts),
                None if end <= clock.t_s() => ("source ran out", end),
                None => ("still releasing", f64::NAN),
            };
            containment.push(json!({"hazard": rel.label, "how": how,
                "t_s": if t.is_finite() { json!(t) } else { Value::Null }}));
        }
    }
    if let Some(f) = world.get_resource::<crate::hazards::fire::plugin::FireHazards>() {
        for (k, fi) in f.fires.iter().enumerate() {
            let t = r.fires_contained.iter().find(|c| c.0 == k).map(|c| c.1);
            containment.push(json!({"hazard": fi.id,
                "how": if t.is_some() { "stopped spreading" } else { "still spreading" },
                "t_s": opt(t)}));
        }
    }
    let four_h = r.supplied_at_4h;
    let t_end = clock.t_s();
    out.summary.push((
        "response".into(),
        json!({
            "teams": r.teams.len(),
            "tasks": tasks.len(),
            "mean_response_time_s": opt(mean_rt),
            "max_response_time_s": opt(response_times.iter().copied().reduce(f64::max)),
            "containment": containment,
            "people_warned": r.warned,
            "people_evacuated": r.evacuated,
            "people_carried_by_teams": r.carried,
            "people_in_shelters": inside,
            "people_queued_at_shelters": queue,
            "people_supplied_now": supplied,
            "people_supplied_within_4h": opt(four_h),
            "supply_window_reached": t_end >= st.disaster_s + SUPPLY_TARGET_S,
            "injured_to_hospital": r.hospitalised,
            "people_to_decontaminate": r.sites.iter().map(|s| s.exposed_arrivals).sum::<f64>(),
            "people_decontaminated": r.sites.iter().map(|s| s.deconned).sum::<f64>(),
            "expected_fatalities": {
                "toxic": c.toxic_dead, "flood": c.flood_dead, "fire": c.fire_dead,
                "total": c.dead(),
            },
            "expected_injuries": {"toxic": c.toxic_injured},
            "teams_out_of_action": r.team_casualties.len(),
            "team_distance_m": r.teams.iter().map(|t| t.distance_m).sum::<f64>(),
            "shelters": shelters,
            "team_details": teams,
            "task_details": tasks,
        }),
    ));
    let mut csv = String::from(
        "task,needs,known_s,dispatched_s,arrived_s,done_s,response_time_s,teams_now\n",
    );
    let f = |v: Option<f64>| v.map_or(String::new(), |x| format!("{x}"));
    for t in &r.tasks {
        csv.push_str(&format!(
            "\"{}\",{:?},{},{},{},{},{},{}\n",
            t.label.replace('"', "'"),
            t.needs,
            t.known_s,
            f(t.dispatched_s),
            f(t.arrived_s),
            f(t.done_s),
            f(t.arrived_s.zip(t.dispatched_s).map(|(a, d)| a - d)),
            t.teams.len()
        ));
    }
    out.files.push(("agents/tasks.csv".into(), csv));
    let features: Vec<Value> = r
        .teams
        .iter()
        .map(|t| {
            let coords: Vec<[f64; 2]> = t.track.iter().map(|p| [p[1], p[2]]).collect();
            let geometry = if coords.len() >= 2 {
                json!({"type": "LineString", "coordinates": coords})
            } else {
                json!({"type": "Point", "coordinates": t.pos})
            };
            json!({"type": "Feature", "geometry": geometry, "properties": {
                "id": t.id, "name": t.name, "preset": st.presets.types[t.preset].id,
                "state": format!("{:?}", t.phase), "distance_m": t.distance_m}})
        })
        .collect();
    out.files.push((
        "agents/teams.geojson".into(),
        json!({"type": "FeatureCollection", "features": features}).to_string(),
    ));
    let fac: Vec<Value> = st
        .facilities
        .iter()
        .map(|f| {
            json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": f.pos},
                "properties": {"id": f.id, "name": f.name, "kind": format!("{:?}", f.kind),
                "service_radius_m": f.service_radius_m}})
        })
        .collect();
    out.files.push((
        "agents/facilities.geojson".into(),
        json!({"type": "FeatureCollection", "features": fac}).to_string(),
    ));
}
