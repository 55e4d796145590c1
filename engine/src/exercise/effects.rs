//! Applying an inject's or chain link's effects to the running simulation. Each effect
//! returns what it did in words (for the log and the after-action report), or why it
//! could not be applied; a failed effect never stops the run.

use bevy_ecs::prelude::*;

use super::spec::{Effect, RoadRef};
use super::state::ExerciseState;
use crate::agents::state::{AgentStatic, Phase, Response};
use crate::hazards::fire::plugin::FireHazards;
use crate::hazards::gas::plugin::GasHazards;
use crate::sim::ScenarioRes;
use crate::sim::activation::HazardActivation;
use crate::sim::events::{EventKind, EventLog};
use crate::sim::inputs::WeatherOverride;
use crate::world::terrain::Terrain;

/// The effect in words (before it is applied).
pub fn describe(e: &Effect) -> String {
    match e {
        Effect::Message => "message only".into(),
        Effect::StartHazard(h) => format!("starts hazard \"{h}\""),
        Effect::Weather {
            wind_speed_m_s,
            wind_from_deg,
            rain_mm_h,
            temperature_c,
            for_s,
        } => {
            let mut parts = Vec::new();
            if wind_speed_m_s.is_some() || wind_from_deg.is_some() {
                parts.push(format!(
                    "wind {} from {}",
                    wind_speed_m_s.map_or("unchanged".into(), |v| format!("{v:.1} m/s")),
                    wind_from_deg.map_or("unchanged".into(), |v| format!("{v:.0}°"))
                ));
            }
            if let Some(r) = rain_mm_h {
                parts.push(format!("rain {r:.1} mm/h"));
            }
            if let Some(c) = temperature_c {
                parts.push(format!("{c:.1} °C"));
            }
            let dur = for_s.map_or(String::new(), |s| format!(" for {:.0} min", s / 60.0));
            format!("weather: {}{dur}", parts.join(", "))
        }
        Effect::CloseRoad(r) => format!("closes {}", road(r)),
        Effect::OpenRoad(r) => format!("reopens {}", road(r)),
        Effect::TeamUnavailable(t, d) => format!(
            "team {t} stands down{}",
            d.map_or(String::new(), |s| format!(" for {:.0} min", s / 60.0))
        ),
        Effect::AddTrapped { people, at, .. } => {
            format!("{people} people trapped at ({:.0}, {:.0})", at.0, at.1)
        }
        Effect::AddRelease(s) => format!(
            "new release of {} at ({:.0}, {:.0})",
            s.chemical, s.location_xy_m[0], s.location_xy_m[1]
        ),
        Effect::Ignite { at, .. } => format!("fire ignites at ({:.0}, {:.0})", at.0, at.1),
    }
}

fn road(r: &RoadRef) -> String {
    match r {
        RoadRef::Named(n) => format!("road \"{n}\""),
        RoadRef::Near(x, y) => format!("the road nearest ({x:.0}, {y:.0})"),
    }
}

/// Distance from a point to a polyline, m.
fn dist_to_polyline(p: [f64; 2], line: &[[f64; 2]]) -> f64 {
    line.windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
            let l2 = dx * dx + dy * dy;
            let s = if l2 > 0.0 {
                (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            (p[0] - a[0] - s * dx).hypot(p[1] - a[1] - s * dy)
        })
        .fold(f64::INFINITY, f64::min)
}

/// Road edges a reference names (first in index order for `Near`).
pub fn edges_of(st: &AgentStatic, r: &RoadRef) -> Vec<u32> {
    match r {
        RoadRef::Named(n) => (0..st.net.edges.len() as u32)
            .filter(|&e| st.net.edges[e as usize].name == *n)
            .collect(),
        RoadRef::Near(x, y) => {
            let mut best: Option<(f64, u32)> = None;
            for (e, edge) in st.net.edges.iter().enumerate() {
                let d = dist_to_polyline([*x, *y], &edge.geometry);
                if best.is_none_or(|(bd, _)| d < bd) {
                    best = Some((d, e as u32));
                }
            }
            best.map(|(_, e)| vec![e]).unwrap_or_default()
        }
    }
}

/// Indices of the teams an id names: the exact id, or all `id#k` of a counted team.
pub fn teams_of(r: &Response, id: &str) -> Vec<usize> {
    r.teams
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            t.id == id
                || t.id
                    .strip_prefix(id)
                    .is_some_and(|rest| rest.starts_with('#'))
        })
        .map(|(i, _)| i)
        .collect()
}

/// Stands team `i` down now: it leaves its task and waits where it is until `until_s`.
pub fn stand_down_now(r: &mut Response, i: usize, t_s: f64, until_s: Option<f64>) {
    let tm = &mut r.teams[i];
    if tm.phase == Phase::Casualty {
        return;
    }
    if let Some(k) = tm.task.take()
        && let Some(task) = r.tasks.get_mut(k)
    {
        task.teams.retain(|&x| x != i);
    }
    let tm = &mut r.teams[i];
    tm.trip = None;
    tm.at_dest = false;
    tm.phase = Phase::OffDuty;
    tm.available_s = until_s.unwrap_or(f64::INFINITY).max(t_s);
}

/// Applies `effect` at run time `t_s` on behalf of `by` (an inject or link id).
pub fn apply(world: &mut World, effect: &Effect, t_s: f64, by: &str) -> Result<String, String> {
    match effect {
        Effect::Message => Ok("message delivered".into()),
        Effect::StartHazard(name) => {
            let mut act = world.resource_mut::<HazardActivation>();
            let i = act
                .index_of(name)
                .ok_or_else(|| format!("no hazard called \"{name}\""))?;
            if act.activate(i, t_s) {
                Ok(format!("hazard \"{name}\" started"))
            } else {
                Err(format!("hazard \"{name}\" was already running"))
            }
        }
        Effect::Weather {
            wind_speed_m_s,
            wind_from_deg,
            rain_mm_h,
            temperature_c,
            for_s,
        } => {
            let now = world
                .resource::<crate::world::weather::WeatherNow>()
                .clone();
            let mut o = world.resource_mut::<WeatherOverride>();
            if wind_speed_m_s.is_some() || wind_from_deg.is_some() {
                let (s0, d0) = o.wind.unwrap_or((now.wind_speed_m_s, now.wind_from_deg));
                o.wind = Some((wind_speed_m_s.unwrap_or(s0), wind_from_deg.unwrap_or(d0)));
            }
            if rain_mm_h.is_some() {
                o.rain_mm_h = *rain_mm_h;
            }
            if temperature_c.is_some() {
                o.temperature_c = *temperature_c;
            }
            o.until_s = for_s.map(|d| t_s + d);
            Ok(describe(effect))
        }
        Effect::CloseRoad(rr) | Effect::OpenRoad(rr) => {
            let close = matches!(effect, Effect::CloseRoad(_));
            let Some(st) = world.get_resource::<AgentStatic>() else {
                return Err("the scenario has no roads".into());
            };
            let edges = edges_of(st, rr);
            if edges.is_empty() {
                return Err(format!("no road matches {}", road(rr)));
            }
            let at = st.net.edges[edges[0] as usize].geometry[0];
            let mut r = world.resource_mut::<Response>();
            for &e in &edges {
                r.set_road_closed(e, close);
            }
            let what = if close { "closed" } else { "reopened" };
            let msg = format!("{} ({} segments) {what}", road(rr), edges.len());
            world.resource_mut::<EventLog>().push_at(
                t_s,
                if close {
                    EventKind::RoadClosed
                } else {
                    EventKind::RoadReopened
                },
                by,
                format!("{msg}."),
                at,
            );
            Ok(msg)
        }
        Effect::TeamUnavailable(id, dur) => {
            let Some(mut r) = world.get_resource_mut::<Response>() else {
                return Err("the scenario has no forces".into());
            };
            let teams = teams_of(&r, id);
            if teams.is_empty() {
                return Err(format!("no team \"{id}\""));
            }
            let until = dur.map(|d| t_s + d);
            let mut later = Vec::new();
            for &i in &teams {
                if r.teams[i].load > 0.0 {
                    later.push((i, until));
                } else {
                    stand_down_now(&mut r, i, t_s, until);
                }
            }
            let n_later = later.len();
            world
                .resource_mut::<ExerciseState>()
                .stand_down
                .extend(later);
            let mut log = world.resource_mut::<EventLog>();
            log.push(
                t_s,
                EventKind::TeamStoodDown,
                id.clone(),
                format!(
                    "{id} stands down{} ({} team(s); {n_later} after delivering who is on board).",
                    dur.map_or(String::new(), |d| format!(" for {:.0} min", d / 60.0)),
                    teams.len()
                ),
            );
            Ok(format!("{} team(s) stood down", teams.len()))
        }
        Effect::AddTrapped {
            id,
            name,
            people,
            at,
        } => {
            let Some(mut r) = world.get_resource_mut::<Response>() else {
                return Err("the scenario has no forces to rescue them".into());
            };
            let site = crate::agents::spec::Site {
                id: id.clone(),
                name: name.clone(),
                location_xy_m: *at,
            };
            let action = crate::agents::spec::Protective::Evacuate { shelter: None };
            let mut g = crate::agents::state::Group::new(&site, f64::from(*people), &action, 0.5);
            g.delay_s = 0.0;
            g.on_foot = true;
            g.trapped_from_s = Some(t_s);
            r.groups.push(g);
            Ok(format!("{people} people trapped at {id}"))
        }
        Effect::AddRelease(spec) => {
            let loaded = std::sync::Arc::clone(&world.resource::<ScenarioRes>().0);
            let terrain = world.resource::<Terrain>().clone();
            let label = spec.name.clone().unwrap_or_else(|| spec.chemical.clone());
            let index = world
                .resource_mut::<HazardActivation>()
                .add_live(label.clone(), t_s);
            let Some(mut gas) = world.get_resource_mut::<GasHazards>() else {
                return Err("the run has no gas model (a scenario with injects has one)".into());
            };
            crate::hazards::gas::plugin::add_live_release(
                &mut gas, index, spec, t_s, &loaded, &terrain,
            )?;
            let data = gas
                .releases
                .last()
                .and_then(|r| r.model.as_ref().ok())
                .map(crate::agents::plugin::toxic_data);
            if let (Some(d), Some(mut st)) = (data, world.get_resource_mut::<AgentStatic>()) {
                st.toxic.push(d);
            }
            Ok(format!("release \"{label}\" of {} added", spec.chemical))
        }
        Effect::Ignite { fire, at } => {
            let Some(mut fires) = world.get_resource_mut::<FireHazards>() else {
                return Err("the scenario has no wildland fire model".into());
            };
            let f = match fire {
                Some(n) => fires.fires.iter_mut().find(|f| f.id == *n),
                None => fires.fires.first_mut(),
            }
            .ok_or_else(|| format!("no wildland fire \"{}\"", fire.as_deref().unwrap_or("")))?;
            f.ignite_live(at.0, at.1, t_s).map_err(|e| e.to_string())?;
            Ok(format!("ignition at ({:.0}, {:.0})", at.0, at.1))
        }
    }
}
