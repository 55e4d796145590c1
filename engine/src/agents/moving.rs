//! The movement system: teams and evacuating groups move along their trips through the
//! hazards of the tick; every piece of path adds to their exposure.
//!
//! ## Model
//! Evacuating groups drive (2.5 people per car; `on_foot` groups walk at 1.2 m/s) along
//! the roads. On a road edge their speed follows Greenshields (1935):
//! v = v_f (1 − k / k_j), k = cars on the edge per metre of lane, jam density
//! k_j = 1 / 7.5 m (HCM 2010), never below 5 % of v_f; with v_f = 50 km/h the largest
//! flow v_f k_j / 4 ≈ 1670 cars/h per lane is the HCM-order lane capacity, so road
//! capacity emerges from the density model. A group moves as one platoon; a platoon
//! adds at most the critical density k_j / 2 to an edge (a longer platoon stretches over
//! the edges behind it), so alone it drives at least at v_f / 2 and several platoons on
//! one edge slow each other toward the jam.
//!
//! ## References
//! - Greenshields, B. D. (1935), A study of traffic capacity, Highway Research Board
//!   Proceedings 14, 448–477.
//! - TRB (2010), Highway Capacity Manual, ch. 4 (jam density ≈ 130–160 veh/km/lane).

use bevy_ecs::prelude::*;

use super::exposure::Setting;
use super::movement::{Ctx, Leg, Moved, advance, plan_trip, position};
use super::presets::PpeLevel;
use super::state::{AgentStatic, FacilityKind, Group, GroupPhase, Phase, Response};
use super::view::TeamLimits;
use crate::hazards::fire::plugin::FireHazards;
use crate::hazards::flood::plugin::FloodHazards;
use crate::hazards::gas::plugin::GasHazards;
use crate::sim::clock::SimClock;
use crate::sim::events::{EventKind, EventLog};
use crate::world::terrain::Terrain;

/// People per car when evacuating by car.
pub const PEOPLE_PER_CAR: f64 = 2.5;
/// Walking speed of evacuees, m/s.
pub const WALK_M_S: f64 = 1.2;
/// Free speed of evacuating cars, m/s (50 km/h).
pub const CAR_M_S: f64 = 50.0 / 3.6;
/// Jam density, cars per metre of lane.
pub const JAM_PER_M: f64 = 1.0 / 7.5;

/// How an evacuating group travels.
pub fn group_limits(g: &Group) -> TeamLimits {
    TeamLimits {
        road_speed_m_s: if g.on_foot { WALK_M_S } else { CAR_M_S },
        offroad_speed_m_s: WALK_M_S,
        water_speed_m_s: 0.0,
        max_wading_depth_m: if g.on_foot { 0.5 } else { 0.3 },
        min_boat_depth_m: 0.5,
        ppe: PpeLevel::None,
    }
}

/// Shelter a group heads for: its own, else the nearest with room left.
pub fn shelter_for(st: &AgentStatic, r: &Response, g: &Group) -> Option<usize> {
    g.shelter.or_else(|| {
        super::dispatch::nearest_facility(st, r, g.pos, |k, s| match k {
            FacilityKind::Shelter(cap) => s.inside + s.queue < f64::from(*cap),
            _ => false,
        })
    })
}

/// Speed on a flooded grid cell, m/s (for the hazard rating).
fn flood_speed(flood: Option<&FloodHazards>, spec: &crate::world::GridSpec, i: usize) -> f64 {
    flood
        .and_then(|f| f.first())
        .and_then(|m| m.cell(i % spec.width, i / spec.width))
        .map_or(0.0, |s| s.speed_m_s())
}

/// Takes team `i` off its task (it falls back).
fn release_task(tasks: &mut [super::state::Task], tm: &mut super::state::Team, i: usize) {
    if let Some(k) = tm.task.take()
        && let Some(task) = tasks.get_mut(k)
    {
        task.teams.retain(|&x| x != i);
    }
    tm.drop_at = None;
    tm.load = 0.0;
}

/// The movement system (in `SimSet::Movement`).
#[allow(clippy::too_many_arguments)]
pub fn move_all(
    clock: Res<'_, SimClock>,
    st: Res<'_, AgentStatic>,
    terrain: Res<'_, Terrain>,
    flood: Option<Res<'_, FloodHazards>>,
    gas: Option<Res<'_, GasHazards>>,
    fire: Option<Res<'_, FireHazards>>,
    mut r: ResMut<'_, Response>,
    mut log: ResMut<'_, EventLog>,
) {
    let t = clock.t_s();
    let dt = clock.dt_s();
    let spec = terrain.spec;
    let r = &mut *r;
    let masks = r.take_masks();
    let view = masks.view(spec, flood.as_deref(), gas.as_deref(), fire.is_some());
    let ctx = Ctx::new(spec, &st, &view, &masks.closed);
    let fl = flood.as_deref();
    let speed = |i: usize| flood_speed(fl, &spec, i);
    let cell_of = |p: [f64; 2]| {
        spec.cell_at(p[0], p[1])
            .map(|(c, rr)| spec.index(c, rr) as u32)
    };
    let mut samples = Vec::new();

    // Teams.
    let r_tasks = &mut r.tasks;
    for (i, tm) in r.teams.iter_mut().enumerate() {
        match tm.phase {
            Phase::OffDuty if t >= tm.available_s => tm.phase = Phase::Idle,
            Phase::Resting(until) if t >= until => tm.phase = Phase::Idle,
            _ => {}
        }
        if !matches!(
            tm.phase,
            Phase::Idle | Phase::OffDuty | Phase::Resting(_) | Phase::Casualty
        ) {
            tm.duty_s += dt;
        }
        let ty = &st.presets.types[tm.preset];
        let lim = TeamLimits::of(ty, tm.ppe);
        samples.clear();
        let mut dist = 0.0;
        let mut rest = dt;
        // A team cut off waits on its trip until it may try again.
        let waiting = tm.trip.is_some() && t < tm.retry_s;
        if let Some(trip) = tm.trip.as_mut().filter(|_| !waiting) {
            let (m, d) = advance(&ctx, &lim, trip, dt, |_| f64::INFINITY, &mut samples);
            dist = d;
            rest = dt - samples.iter().map(|s| s.1).sum::<f64>();
            tm.pos = position(&st.net, trip);
            match m {
                Moved::Arrived => {
                    tm.pos = trip.dest;
                    tm.trip = None;
                    tm.at_dest = true;
                }
                Moved::Blocked => {
                    let dest = trip.dest;
                    tm.replans += 1;
                    match plan_trip(&ctx, &lim, tm.pos, dest) {
                        Some(n) => {
                            log.push_at(
                                t,
                                EventKind::TeamRerouted,
                                tm.id.clone(),
                                format!(
                                    "{} found its way blocked and took another route ({:.1} min).",
                                    tm.name,
                                    n.planned_s / 60.0
                                ),
                                tm.pos,
                            );
                            tm.trip = Some(n);
                        }
                        None => {
                            // Cut off: fall back to base, or wait for the way to clear.
                            let base = st.facilities[tm.base].pos;
                            let back = if tm.load > 0.0 {
                                None // never abandon people or cargo on board
                            } else {
                                plan_trip(&ctx, &lim, tm.pos, base)
                            };
                            match back {
                                Some(n) => {
                                    log.push_at(
                                        t,
                                        EventKind::TeamRerouted,
                                        tm.id.clone(),
                                        format!("{} is cut off and falls back to base.", tm.name),
                                        tm.pos,
                                    );
                                    tm.trip = Some(n);
                                    tm.phase = Phase::Returning;
                                    release_task(r_tasks, tm, i);
                                    tm.task = None;
                                }
                                None => {
                                    log.push_at(
                                        t,
                                        EventKind::TeamRerouted,
                                        tm.id.clone(),
                                        format!(
                                            "{} is cut off and waits for the way to clear.",
                                            tm.name
                                        ),
                                        tm.pos,
                                    );
                                    tm.retry_s = t + 60.0;
                                }
                            }
                        }
                    }
                }
                Moved::Moving => {}
            }
        }
        if rest > 1e-9
            && let Some(c) = cell_of(tm.pos)
        {
            samples.push((c, rest));
        }
        tm.distance_m += dist;
        tm.fuel_l = (tm.fuel_l - dist / 1000.0 * ty.fuel_l_per_km).max(0.0);
        let setting = Setting {
            ach: None,
            apf: tm.ppe.apf(),
            flood: ty.water_speed_kmh <= 0.0,
        };
        tm.exposure
            .accumulate(&samples, &view, &st.toxic, setting, speed);
        if tm.track.last().is_none_or(|p| t + dt - p[0] >= 60.0) {
            tm.track.push([t + dt, tm.pos[0], tm.pos[1]]);
        }
    }

    // Cars per road edge (Greenshields).
    let mut on_edge: Vec<(u32, f64)> = Vec::new();
    for g in &r.groups {
        if let Some(trip) = &g.trip
            && let Some(Leg::Road { edge, .. }) = trip.legs.get(trip.leg)
        {
            let veh = if g.on_foot {
                0.0
            } else {
                g.people / PEOPLE_PER_CAR
            };
            on_edge.push((*edge, veh));
        }
    }
    on_edge.sort_by_key(|a| a.0);
    // Density on an edge, cars per metre of lane: each platoon counts at most at the
    // critical density k_j / 2 (a long platoon stretches over more than one edge).
    let density = |e: u32, lane_m: f64| -> f64 {
        let lo = on_edge.partition_point(|x| x.0 < e);
        on_edge[lo..]
            .iter()
            .take_while(|x| x.0 == e)
            .map(|x| (x.1 / lane_m).min(0.5 * JAM_PER_M))
            .sum()
    };

    // Groups.
    let mut arrivals = Vec::new();
    for gi in 0..r.groups.len() {
        let g = &r.groups[gi];
        samples.clear();
        let mut rest = dt;
        if g.phase == GroupPhase::Moving && g.people > 0.0 {
            if g.trip.is_none() && t >= g.sheltered_s.unwrap_or(0.0) {
                // `sheltered_s` doubles as the retry time while no route exists.
                let lim = group_limits(g);
                let trip = shelter_for(&st, r, g).and_then(|s| {
                    plan_trip(&ctx, &lim, g.pos, st.facilities[s].pos).map(|tr| (s, tr))
                });
                let g = &mut r.groups[gi];
                match trip {
                    Some((s, tr)) => {
                        g.shelter = Some(s);
                        g.trip = Some(tr);
                        g.sheltered_s = None;
                    }
                    None => g.sheltered_s = Some(t + 120.0),
                }
            }
            let g = &mut r.groups[gi];
            let lim = group_limits(g);
            if let Some(trip) = &mut g.trip {
                let cap = |leg: &Leg| match leg {
                    Leg::Road { edge, .. } if !g.on_foot => {
                        let e = &st.net.edges[*edge as usize];
                        let k = density(*edge, e.length_m * f64::from(e.lanes.max(1)));
                        lim.road_speed_m_s.min(e.speed_m_s) * (1.0 - k / JAM_PER_M).max(0.05)
                    }
                    _ => f64::INFINITY,
                };
                let (m, d) = advance(&ctx, &lim, trip, dt, cap, &mut samples);
                rest = dt - samples.iter().map(|s| s.1).sum::<f64>();
                g.distance_m += d;
                g.pos = position(&st.net, trip);
                match m {
                    Moved::Arrived => {
                        g.pos = trip.dest;
                        g.trip = None;
                        arrivals.push(gi);
                    }
                    Moved::Blocked => {
                        g.trip = None;
                        g.sheltered_s = Some(t + 60.0);
                    }
                    Moved::Moving => {}
                }
            }
        }
        let g = &mut r.groups[gi];
        if rest > 1e-9
            && let Some(c) = cell_of(g.pos)
        {
            samples.push((c, rest));
        }
        let setting = match g.phase {
            GroupPhase::Home | GroupPhase::Waiting => Setting {
                ach: Some(g.ach_home),
                apf: 1.0,
                flood: true,
            },
            GroupPhase::InPlace => Setting {
                ach: Some(g.ach_in_place),
                apf: 1.0,
                flood: true,
            },
            GroupPhase::Moving => Setting {
                ach: None,
                apf: 1.0,
                flood: true,
            },
            GroupPhase::Sheltered => Setting {
                ach: Some(0.5),
                apf: 1.0,
                flood: false,
            },
        };
        g.exposure
            .accumulate(&samples, &view, &st.toxic, setting, speed);
    }
    for gi in arrivals {
        let g = &mut r.groups[gi];
        g.phase = GroupPhase::Sheltered;
        g.sheltered_s = Some(t + dt);
        let people = g.people;
        let dirty = g.exposure.contaminated(&st.toxic);
        if let Some(s) = g.shelter {
            r.sites[s].queue += people;
            if dirty {
                r.sites[s].exposed_arrivals += people;
            }
        }
        r.evacuated += people;
        let g = &r.groups[gi];
        let name = g.shelter.map_or("?", |s| st.facilities[s].name.as_str());
        log.push_at(
            t + dt,
            EventKind::PeopleSheltered,
            g.id.clone(),
            format!("{} people from {} reached {name}.", people.round(), g.name),
            g.pos,
        );
    }
    r.put_masks(masks);
}
