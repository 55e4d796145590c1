//! The action system: teams on scene work their tasks and change the hazards and the
//! people: seal leaks, build fireline, wet the fire's edge, carry people and supplies;
//! shelters register arrivals at their intake rate.
//!
//! ## Model
//! - Leak sealing takes the preset's `stop_leak_min` once on scene; the release stops
//!   then (puffs already released keep dispersing). Labour-bound work (leaks,
//!   decontamination, sandbags) scales with the crew relative to the preset's crew.
//! - Fireline ("anchor and flank", NWCG PMS 410-1): from the anchor at the fire's origin,
//!   each crew or dozer builds a line parallel to the spread direction along alternate
//!   flanks, two cells outside the burned area, at the production rates of
//!   `assets/fireline_production.ron` through the fire model's `build_line`.
//! - Water attack: an engine empties its tank at its pump rate on the unburned cells
//!   within two cells of the nearest burning cell; they stay wet (non-burnable) for
//!   [`WET_S`] (assumed), then the engine returns to base to refill.
//! - Carrying: the preset's loading time per person; boats, buses and ambulances
//!   shuttle until the task has no one left.
//! - Supplies: loading and unloading at the depot's loading rate.
//! - Shelters admit queued people at their intake rate up to capacity.

use bevy_ecs::prelude::*;

use super::movement::{Ctx, plan_trip};
use super::state::{AgentStatic, FacilityKind, Phase, Response, TaskKind, Team};
use super::view::TeamLimits;
use crate::hazards::fire::plugin::FireHazards;
use crate::hazards::fire::suppression::FirelineTable;
use crate::hazards::flood::plugin::FloodHazards;
use crate::hazards::gas::plugin::{GasHazards, wind_uv};
use crate::sim::clock::SimClock;
use crate::sim::events::{EventKind, EventLog};
use crate::world::terrain::Terrain;
use crate::world::weather::WeatherNow;

/// How long water keeps a cell from burning, s.
pub const WET_S: f64 = 3600.0;
/// Longest fireline one crew is ordered to build at once, m.
pub const LINE_M: f64 = 3000.0;

/// Fire-side data the agents need.
#[derive(Resource)]
pub struct FireSupport {
    /// Line production rates.
    pub table: FirelineTable,
    /// Fuel catalogue of each fire (same order as the fire hazards).
    pub catalogs: Vec<crate::hazards::fire::fuel::FuelCatalog>,
}

fn go(ctx: &Ctx<'_>, st: &AgentStatic, tm: &mut Team, to: [f64; 2]) -> bool {
    let lim = TeamLimits::of(&st.presets.types[tm.preset], tm.ppe);
    match plan_trip(ctx, &lim, tm.pos, to) {
        Some(trip) => {
            tm.trip = Some(trip);
            true
        }
        None => false,
    }
}

fn line_cells(
    spec: &crate::world::GridSpec,
    fire: &crate::hazards::fire::spread::FireSim,
    anchor: [f64; 2],
    dir: [f64; 2],
    side: f64,
    t: f64,
) -> Vec<(usize, usize)> {
    let n = [-dir[1] * side, dir[0] * side];
    let burned = |p: [f64; 2]| {
        spec.cell_at(p[0], p[1])
            .is_some_and(|(c, r)| fire.arrival_s(spec.index(c, r)) <= t)
    };
    // At each station along the spread direction, two cells outside the burned area.
    let mut cells: Vec<(usize, usize)> = Vec::new();
    let steps = (LINE_M / spec.cell_size) as usize;
    for k in 0..=steps {
        let s = k as f64 * spec.cell_size;
        let a = [anchor[0] + dir[0] * s, anchor[1] + dir[1] * s];
        let mut off = 0.0;
        while off < 200.0 * spec.cell_size && burned([a[0] + n[0] * off, a[1] + n[1] * off]) {
            off += spec.cell_size;
        }
        off += 2.0 * spec.cell_size;
        let Some(c) = spec.cell_at(a[0] + n[0] * off, a[1] + n[1] * off) else {
            break;
        };
        if cells.last() != Some(&c) {
            cells.push(c);
        }
    }
    cells
}

/// The action system (in `SimSet::Actions`).
#[allow(clippy::too_many_arguments)]
pub fn act(
    clock: Res<'_, SimClock>,
    st: Res<'_, AgentStatic>,
    support: Option<Res<'_, FireSupport>>,
    terrain: Res<'_, Terrain>,
    weather: Res<'_, WeatherNow>,
    mut flood: Option<ResMut<'_, FloodHazards>>,
    mut gas: Option<ResMut<'_, GasHazards>>,
    mut fire: Option<ResMut<'_, FireHazards>>,
    mut r: ResMut<'_, Response>,
    mut log: ResMut<'_, EventLog>,
) {
    let t = clock.t_s();
    let dt = clock.dt_s();
    let spec = terrain.spec;
    let r = &mut *r;

    // Shelters admit people.
    for (i, f) in st.facilities.iter().enumerate() {
        if let FacilityKind::Shelter(cap) = f.kind {
            let s = &mut r.sites[i];
            let n = s
                .queue
                .min(f.rate_per_s * dt)
                .min(f64::from(cap) - s.inside)
                .max(0.0);
            s.queue -= n;
            s.inside += n;
        }
    }

    // Effects on hazards first (they need mutable hazard access), then trips.
    let mut stops: Vec<(usize, usize)> = Vec::new(); // (team, task)
    for (i, tm) in r.teams.iter().enumerate() {
        if let (Phase::Working(until), Some(k)) = (&tm.phase, tm.task)
            && t + dt >= *until
        {
            stops.push((i, k));
        }
    }
    for &(i, k) in &stops {
        // The wall stands once every bag is placed: no bags left to take and no other team
        // still laying its share.
        let others_laying = r.tasks[k].teams.iter().any(|&j| {
            j != i && !stops.contains(&(j, k)) && matches!(r.teams[j].phase, Phase::Working(_))
        });
        if let TaskKind::Sandbag(f) = r.tasks[k].kind
            && r.tasks[k].remaining < 0.5
            && !others_laying
            && r.tasks[k].done_s.is_none()
            && let Some(fh) = flood.as_deref_mut()
        {
            // The last team on the wall finishes it: the ring of cells rises.
            let (cells, _) = super::dispatch::sandbag_ring(&spec, st.facilities[f].pos);
            let mut raised = 0;
            for inst in &mut fh.instances {
                if let Some(m) = &mut inst.model {
                    raised =
                        raised.max(m.raise_ground(&cells, super::dispatch::SANDBAG_WALL_M as f32));
                }
            }
            r.tasks[k].done_s = Some(t + dt);
            log.push_at(
                t + dt,
                EventKind::TaskCompleted,
                r.teams[i].id.clone(),
                format!(
                    "{} finished a sandbag wall around {} ({raised} cells raised {:.1} m).",
                    r.teams[i].name,
                    st.facilities[f].name,
                    super::dispatch::SANDBAG_WALL_M
                ),
                st.facilities[f].pos,
            );
        }
        if let TaskKind::StopLeak(rel) = r.tasks[k].kind
            && let Some(g) = gas.as_deref_mut()
            && let Some(rl) = g.releases.get_mut(rel)
            && let Ok(m) = &mut rl.model
        {
            let model_t = (t + dt - rl.start_s).max(0.0);
            r.tasks[k].done_s = Some(t + dt);
            if model_t < m.release_end_time_s() {
                m.stop_source_at(model_t);
                r.leaks_stopped.push((rel, t + dt));
                log.push_at(
                    t + dt,
                    EventKind::LeakStopped,
                    r.teams[i].id.clone(),
                    format!("{} sealed the leak of {}.", r.teams[i].name, rl.label),
                    r.tasks[k].pos,
                );
            } else {
                log.push_at(
                    t + dt,
                    EventKind::TaskCompleted,
                    r.teams[i].id.clone(),
                    format!(
                        "{} made {} safe; the source had already run out.",
                        r.teams[i].name, rl.label
                    ),
                    r.tasks[k].pos,
                );
            }
        }
    }

    let masks = r.take_masks();
    // Arrivals that start work on fires (mutable fire access, before the view borrows).
    for i in 0..r.teams.len() {
        let tm = &r.teams[i];
        let (Phase::ToTask, true, Some(k)) = (&tm.phase, tm.at_dest, tm.task) else {
            continue;
        };
        let (Some(fh), Some(sup)) = (fire.as_deref_mut(), support.as_deref()) else {
            continue;
        };
        let ty = &st.presets.types[tm.preset];
        if matches!(
            r.tasks[k].kind,
            TaskKind::Fireline(_) | TaskKind::FireAttack(_)
        ) && r.tasks[k].arrived_s.is_none()
        {
            r.tasks[k].arrived_s = Some(t);
        }
        match r.tasks[k].kind {
            TaskKind::Fireline(f) => {
                let Some(fi) = fh.fires.get_mut(f) else {
                    continue;
                };
                let (u, v) = wind_uv(1.0, weather.wind_from_deg);
                let side = if r.tasks[k].teams.iter().position(|&x| x == i).unwrap_or(0) % 2 == 0 {
                    1.0
                } else {
                    -1.0
                };
                let cells = line_cells(&spec, &fi.sim, r.tasks[k].pos, [u, v], side, t);
                let kind = ty.fireline_resource.clone().unwrap_or_default();
                let until = match sup
                    .catalogs
                    .get(f)
                    .map(|c| fi.sim.build_line(&cells, &kind, t, &sup.table, c))
                {
                    Some(Ok(plan)) => {
                        log.push_at(
                            t,
                            EventKind::TeamArrived,
                            r.teams[i].id.clone(),
                            format!(
                                "{} began {:.0} m of fireline on {} (done at {:.0} min).",
                                r.teams[i].name,
                                plan.cells.len() as f64 * spec.cell_size,
                                fi.id,
                                plan.finish_s / 60.0
                            ),
                            r.teams[i].pos,
                        );
                        plan.finish_s
                    }
                    _ => t,
                };
                r.teams[i].phase = Phase::Working(until.max(t + dt));
            }
            TaskKind::FireAttack(f) => {
                let Some(fi) = fh.fires.get_mut(f) else {
                    continue;
                };
                let p = r.teams[i].pos;
                let near = fi.burning.iter().copied().min_by(|&a, &b| {
                    let d = |c: u32| {
                        let q = spec.cell_center(c as usize % spec.width, c as usize / spec.width);
                        (q[0] - p[0]).hypot(q[1] - p[1])
                    };
                    d(a).total_cmp(&d(b)).then(a.cmp(&b))
                });
                if let Some(c) = near {
                    let (c0, r0) = (
                        (c as usize % spec.width) as i64,
                        (c as usize / spec.width) as i64,
                    );
                    let mut wet = Vec::new();
                    for dr in -2..=2 {
                        for dc in -2..=2 {
                            let (cc, rr) = (c0 + dc, r0 + dr);
                            if cc >= 0
                                && rr >= 0
                                && (cc as usize) < spec.width
                                && (rr as usize) < spec.height
                            {
                                let idx = spec.index(cc as usize, rr as usize);
                                if fi.sim.arrival_s(idx) > t {
                                    wet.push((cc as usize, rr as usize));
                                }
                            }
                        }
                    }
                    let _ = fi.sim.drop_water(&wet, t, WET_S);
                }
                let tm = &mut r.teams[i];
                let secs = if ty.pump_l_s > 0.0 {
                    tm.water_l / ty.pump_l_s
                } else {
                    0.0
                };
                tm.water_l = 0.0;
                tm.phase = Phase::Working(t + secs.max(dt));
            }
            _ => {}
        }
    }

    let view = masks.view(spec, flood.as_deref(), gas.as_deref(), fire.is_some());
    let ctx = Ctx::new(spec, &st, &view, &masks.closed);
    for i in 0..r.teams.len() {
        let phase = r.teams[i].phase.clone();
        let arrived = std::mem::take(&mut r.teams[i].at_dest);
        let ty = st.presets.types[r.teams[i].preset].clone();
        let task = r.teams[i].task;
        match (phase, task) {
            (Phase::ToTask, Some(k)) if arrived => {
                let first = r.tasks[k].arrived_s.is_none();
                r.tasks[k].arrived_s.get_or_insert(t);
                if first {
                    let tm = &r.teams[i];
                    log.push_at(
                        t,
                        EventKind::TeamArrived,
                        tm.id.clone(),
                        format!("{} arrived at \"{}\".", tm.name, r.tasks[k].label),
                        tm.pos,
                    );
                }
                match r.tasks[k].kind {
                    TaskKind::StopLeak(_) => {
                        let crew = crew_factor(ty.crew, r.teams[i].crew);
                        r.teams[i].phase = Phase::Working(t + ty.stop_leak_min * 60.0 / crew);
                    }
                    TaskKind::Sandbag(_) => {
                        // Bags come from the nearest depot with stock, else the team's own.
                        let depot =
                            super::dispatch::nearest_facility(&st, r, r.teams[i].pos, |k, s| {
                                matches!(k, FacilityKind::Depot) && s.sandbags >= 1.0
                            });
                        // The wall is shared among the task's teams; one session is at most
                        // four hours of bagging.
                        let total = super::dispatch::sandbag_ring(&spec, r.tasks[k].pos).1;
                        let share = (total / r.tasks[k].max_teams as f64).ceil();
                        let mut n = r.tasks[k]
                            .remaining
                            .min(ty.sandbags_h * 4.0)
                            .min(share)
                            .max(0.0);
                        if let Some(d) = depot {
                            n = n.min(r.sites[d].sandbags);
                            r.sites[d].sandbags -= n;
                        }
                        r.tasks[k].remaining -= n;
                        let rate = ty.sandbags_h * crew_factor(ty.crew, r.teams[i].crew);
                        r.teams[i].phase = Phase::Working(t + n / rate.max(1e-9) * 3600.0);
                    }
                    TaskKind::Decontaminate(_) => {
                        // Decontamination corridor: the team's rate, people per hour.
                        let n = r.tasks[k].remaining;
                        let rate = ty.decon_people_h * crew_factor(ty.crew, r.teams[i].crew);
                        let h = n / rate.max(1e-9);
                        r.teams[i].load = n;
                        r.tasks[k].remaining = 0.0;
                        r.teams[i].phase = Phase::Working(t + h * 3600.0);
                    }
                    TaskKind::Carry(g) | TaskKind::Transport(g) => {
                        let transport = matches!(r.tasks[k].kind, TaskKind::Transport(_));
                        let cap = f64::from(ty.carry_people.max(1));
                        let left = r.tasks[k].remaining.min(r.groups[g].people);
                        let n = cap.min(left).max(0.0);
                        let drop = if transport {
                            super::dispatch::nearest_facility(
                                &st,
                                r,
                                r.teams[i].pos,
                                |k, s| matches!(k, FacilityKind::Hospital(b) if s.inside < f64::from(*b)),
                            )
                        } else {
                            super::moving::shelter_for(&st, r, &r.groups[g])
                        };
                        if n < 0.5 || drop.is_none() {
                            r.tasks[k].remaining = 0.0;
                            r.tasks[k].done_s.get_or_insert(t);
                            r.teams[i].phase = Phase::Idle;
                            r.teams[i].task = None;
                            continue;
                        }
                        r.groups[g].people -= n;
                        if transport {
                            r.groups[g].injured_moved += n;
                        }
                        r.tasks[k].remaining -= n;
                        let tm = &mut r.teams[i];
                        tm.load = n;
                        tm.drop_at = drop;
                        tm.phase = Phase::Working(t + n * ty.load_s_per_person);
                    }
                    TaskKind::Supply(shelter) => {
                        let depot =
                            super::dispatch::nearest_facility(&st, r, r.teams[i].pos, |k, s| {
                                matches!(k, FacilityKind::Depot) && s.rations >= 1.0
                            });
                        let Some(d) = depot else {
                            r.teams[i].phase = Phase::Idle;
                            r.teams[i].task = None;
                            continue;
                        };
                        let n = ty
                            .cargo_rations
                            .min(r.sites[d].rations)
                            .min(r.tasks[k].remaining)
                            .max(0.0)
                            .floor();
                        if n < 1.0 {
                            // Others already loaded what the shelter needs.
                            release(r, i, k, t);
                            r.teams[i].phase = Phase::Idle;
                            continue;
                        }
                        r.sites[d].rations -= n;
                        r.tasks[k].remaining -= n;
                        let rate = st.facilities[d].rate_per_s.max(1e-6);
                        let tm = &mut r.teams[i];
                        tm.load = n;
                        tm.drop_at = Some(shelter);
                        tm.phase = Phase::Working(t + n / rate);
                    }
                    _ => {}
                }
            }
            (Phase::Working(until), Some(k)) if t + dt >= until => {
                let kind = r.tasks[k].kind.clone();
                match kind {
                    TaskKind::Carry(_) | TaskKind::Transport(_) | TaskKind::Supply(_) => {
                        let to = r.teams[i].drop_at.map(|f| st.facilities[f].pos);
                        let tm = &mut r.teams[i];
                        if let Some(to) = to
                            && go(&ctx, &st, tm, to)
                        {
                            tm.phase = Phase::Carrying;
                        } else {
                            tm.retry_s = t + 60.0;
                        }
                    }
                    TaskKind::StopLeak(_)
                    | TaskKind::Fireline(_)
                    | TaskKind::FireAttack(_)
                    | TaskKind::Sandbag(_)
                    | TaskKind::Decontaminate(_) => {
                        if let TaskKind::Decontaminate(f) = kind {
                            r.sites[f].deconned += r.teams[i].load;
                            r.teams[i].load = 0.0;
                            if r.tasks[k].remaining < 0.5 {
                                r.tasks[k].done_s.get_or_insert(t + dt);
                            }
                        }
                        release(r, i, k, t);
                        let base = st.facilities[r.teams[i].base].pos;
                        let tm = &mut r.teams[i];
                        if go(&ctx, &st, tm, base) {
                            tm.phase = Phase::Returning;
                        } else {
                            tm.phase = Phase::Idle;
                        }
                    }
                }
            }
            (Phase::Carrying, Some(k)) if arrived => {
                let n = r.teams[i].load;
                let drop = r.teams[i].drop_at;
                if let Some(f) = drop {
                    match (&r.tasks[k].kind, &st.facilities[f].kind) {
                        (TaskKind::Supply(_), _) => {
                            r.sites[f].rations += n;
                            r.sites[f].last_delivery_s = Some(t);
                        }
                        (_, FacilityKind::Hospital(_)) => {
                            r.sites[f].inside += n;
                            r.hospitalised += n;
                        }
                        (kind, _) => {
                            r.sites[f].queue += n;
                            r.carried += n;
                            r.evacuated += n;
                            if let TaskKind::Carry(g) = kind
                                && r.groups[*g].exposure.contaminated(&st.toxic)
                            {
                                r.sites[f].exposed_arrivals += n;
                            }
                        }
                    }
                    log.push_at(
                        t,
                        EventKind::PeopleSheltered,
                        r.teams[i].id.clone(),
                        format!(
                            "{} delivered {n:.0} {} to {}.",
                            r.teams[i].name,
                            if matches!(r.tasks[k].kind, TaskKind::Supply(_)) {
                                "ration packs"
                            } else {
                                "people"
                            },
                            st.facilities[f].name
                        ),
                        st.facilities[f].pos,
                    );
                }
                r.teams[i].load = 0.0;
                let more = r.tasks[k].remaining >= 0.5
                    && match r.tasks[k].kind {
                        TaskKind::Carry(g) | TaskKind::Transport(g) => r.groups[g].people >= 0.5,
                        _ => true,
                    };
                if more {
                    let dest = super::dispatch::first_stop(&st, r, &r.tasks[k], r.teams[i].pos);
                    let tm = &mut r.teams[i];
                    if let Some(d) = dest
                        && go(&ctx, &st, tm, d)
                    {
                        tm.phase = Phase::ToTask;
                        continue;
                    }
                } else {
                    r.tasks[k].done_s.get_or_insert(t);
                    log.push_at(
                        t,
                        EventKind::TaskCompleted,
                        r.tasks[k].label.clone(),
                        format!("Task \"{}\" was completed.", r.tasks[k].label),
                        r.tasks[k].pos,
                    );
                }
                release(r, i, k, t);
                r.teams[i].phase = Phase::Idle;
            }
            (Phase::Returning, _) if arrived => {
                let tm = &mut r.teams[i];
                tm.water_l = ty.water_l;
                tm.fuel_l = ty.fuel_l;
                tm.phase = if tm.duty_s >= ty.shift_h * 3600.0 {
                    let rest = tm.duty_s / 2.0;
                    tm.duty_s = 0.0;
                    Phase::Resting(t + rest)
                } else {
                    Phase::Idle
                };
            }
            (Phase::Idle, None) => {
                // Refill or refuel at base when low, or at the end of the shift.
                let tm = &r.teams[i];
                let base = st.facilities[tm.base].pos;
                let away = (tm.pos[0] - base[0]).hypot(tm.pos[1] - base[1]) > 1.0;
                let low = tm.fuel_l < 0.25 * ty.fuel_l
                    || (ty.water_l > 0.0 && tm.water_l < 0.1 * ty.water_l)
                    || tm.duty_s >= ty.shift_h * 3600.0;
                if away && low && t >= tm.retry_s {
                    let tm = &mut r.teams[i];
                    if go(&ctx, &st, tm, base) {
                        tm.phase = Phase::Returning;
                    } else {
                        tm.retry_s = t + 60.0;
                    }
                }
            }
            _ => {}
        }
    }
    r.put_masks(masks);
}

/// Work rate of a team with `crew` people relative to its preset's `preset_crew`
/// (labour-bound tasks scale with hands: leak sealing, decontamination, sandbagging).
fn crew_factor(preset_crew: u32, crew: u32) -> f64 {
    f64::from(crew.max(1)) / f64::from(preset_crew.max(1))
}

/// Takes team `i` off task `k`.
fn release(r: &mut Response, i: usize, k: usize, t: f64) {
    r.tasks[k].teams.retain(|&x| x != i);
    if matches!(r.tasks[k].kind, TaskKind::StopLeak(_)) {
        r.tasks[k].done_s.get_or_insert(t);
    }
    r.teams[i].task = None;
    r.teams[i].drop_at = None;
}
