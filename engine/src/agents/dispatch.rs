//! Incidents become tasks, and one place decides which team takes which task.
//!
//! ## Policies
//! - `NearestCapable`: tasks in the order they became known; each gets the idle team
//!   with the needed capability and the shortest *planned travel time* (routes through
//!   the current hazards; the few nearest teams by distance are routed).
//! - `PriorityWeighted`: the same, with tasks ordered by priority first (3 life safety,
//!   2 hazard control, 1 logistics), then by time known.
//!
//! A task becomes dispatchable `call_processing_s` after it became known.

use bevy_ecs::prelude::*;

use super::movement::{Ctx, plan_trip};
use super::presets::Capability;
use super::spec::DispatchPolicy;
use super::state::{AgentStatic, FacilityKind, GroupPhase, Phase, Response, Task, TaskKind};
use super::view::TeamLimits;
use crate::hazards::fire::plugin::FireHazards;
use crate::hazards::flood::plugin::FloodHazards;
use crate::hazards::gas::plugin::GasHazards;
use crate::sim::clock::SimClock;
use crate::sim::events::{EventKind, EventLog};
use crate::world::terrain::Terrain;

/// Distance from a facility at which approaching water calls for a sandbag wall, m.
pub const SANDBAG_WARN_M: f64 = 100.0;
/// Height of a sandbag wall, m (one foot).
pub const SANDBAG_WALL_M: f64 = 0.3;
/// Bags per metre of a one-foot wall: 600 bags per 100 ft (USACE, "Sandbagging
/// techniques", Northwestern Division flood-fight guidance).
pub const BAGS_PER_M: f64 = 600.0 / 30.48;

/// The ring of cells a sandbag wall around a facility at `p` occupies (radius 1.5 cells,
/// at least 20 m) and the bags it needs.
pub fn sandbag_ring(spec: &crate::world::GridSpec, p: [f64; 2]) -> (Vec<usize>, f64) {
    let r = (1.5 * spec.cell_size).max(20.0);
    let k = (r / spec.cell_size).ceil() as i64 + 1;
    let mut cells = Vec::new();
    if let Some((c0, r0)) = spec.cell_at(p[0], p[1]) {
        for dr in -k..=k {
            for dc in -k..=k {
                let (c, rr) = (c0 as i64 + dc, r0 as i64 + dr);
                if c < 0 || rr < 0 || c as usize >= spec.width || rr as usize >= spec.height {
                    continue;
                }
                let q = spec.cell_center(c as usize, rr as usize);
                let d = (q[0] - p[0]).hypot(q[1] - p[1]);
                if (d - r).abs() <= 0.5 * spec.cell_size {
                    cells.push(spec.index(c as usize, rr as usize));
                }
            }
        }
    }
    (cells, (2.0 * std::f64::consts::PI * r * BAGS_PER_M).ceil())
}

/// Wait before dispatch looks again at a task no team could take, s.
pub const RETRY_S: f64 = 60.0;

/// Teams routed per task when choosing the fastest (nearest by distance first).
pub const CANDIDATES: usize = 4;

/// Depth from which people must be carried by boat, m.
pub const BOAT_DEPTH_M: f64 = 0.3;

fn has_task(r: &Response, kind: &TaskKind) -> bool {
    r.tasks
        .iter()
        .any(|t| t.done_s.is_none() && &t.kind == kind)
}

#[allow(clippy::too_many_arguments)] // one call site per task kind; a struct adds nothing
fn new_task(
    r: &mut Response,
    log: &mut EventLog,
    t: f64,
    kind: TaskKind,
    label: String,
    pos: [f64; 2],
    needs: Capability,
    priority: u8,
    max_teams: usize,
    remaining: f64,
) {
    log.push_at(
        t,
        EventKind::TaskCreated,
        label.clone(),
        format!("Task \"{label}\" was created ({needs:?})."),
        pos,
    );
    r.tasks.push(Task {
        kind,
        label,
        pos,
        needs,
        priority,
        known_s: t,
        max_teams,
        teams: Vec::new(),
        dispatched_s: None,
        arrived_s: None,
        done_s: None,
        remaining,
        retry_s: 0.0,
    });
}

/// Creates the tasks the hazards and people call for (in `SimSet::Command`).
#[allow(clippy::too_many_arguments)]
pub fn generate_tasks(
    clock: Res<'_, SimClock>,
    st: Res<'_, AgentStatic>,
    terrain: Res<'_, Terrain>,
    weather: Res<'_, crate::world::weather::WeatherNow>,
    flood: Option<Res<'_, FloodHazards>>,
    gas: Option<Res<'_, GasHazards>>,
    fire: Option<Res<'_, FireHazards>>,
    mut r: ResMut<'_, Response>,
    mut log: ResMut<'_, EventLog>,
) {
    let t = clock.t_s();
    let r = &mut *r;
    let spec = terrain.spec;
    // Hazmat crews approach a leak from upwind (ERG 2024, "approach from upwind") and
    // work two cells upwind of the source.
    let (wu, wv) = crate::hazards::gas::plugin::wind_uv(1.0, weather.wind_from_deg);
    let upwind = |p: [f64; 2]| {
        [
            p[0] - 2.0 * spec.cell_size * wu,
            p[1] - 2.0 * spec.cell_size * wv,
        ]
    };
    if let Some(g) = &gas {
        for (k, rel) in g.releases.iter().enumerate() {
            let Ok(m) = &rel.model else { continue };
            for task in &mut r.tasks {
                if task.done_s.is_none() && task.kind == TaskKind::StopLeak(k) {
                    task.pos = upwind(m.spec().location_xy_m);
                }
            }
            let active = rel.started && m.release_end_time_s() > t - rel.start_s;
            let kind = TaskKind::StopLeak(k);
            if active
                && !has_task(r, &kind)
                && !r.tasks.iter().any(|x| x.kind == kind)
                && !r.leaks_stopped.iter().any(|s| s.0 == k)
            {
                new_task(
                    r,
                    &mut log,
                    t,
                    kind,
                    format!("stop leak: {}", rel.label),
                    upwind(m.spec().location_xy_m),
                    Capability::StopLeak,
                    2,
                    1,
                    1.0,
                );
            }
        }
    }
    if let Some(f) = &fire {
        let (u, v) = crate::hazards::gas::plugin::wind_uv(1.0, weather.wind_from_deg);
        for (k, fi) in f.fires.iter().enumerate() {
            let c = fi.ignition_cells.first().copied().unwrap_or(0) as usize;
            let origin = spec.cell_center(c % spec.width, c / spec.width);
            let anchor = fire_anchor(&spec, &fi.sim, origin, [u, v], t);
            for task in &mut r.tasks {
                if task.done_s.is_none()
                    && matches!(task.kind, TaskKind::Fireline(j) | TaskKind::FireAttack(j) if j == k)
                {
                    task.pos = anchor;
                }
            }
            if fi.ended {
                if !r.fires_contained.iter().any(|c| c.0 == k) && fi.started {
                    r.fires_contained.push((k, t));
                    log.push(
                        t,
                        EventKind::FireContained,
                        fi.id.clone(),
                        format!("Fire {} stopped spreading.", fi.id),
                    );
                    for task in &mut r.tasks {
                        if matches!(task.kind, TaskKind::Fireline(j) | TaskKind::FireAttack(j) if j == k)
                            && task.done_s.is_none()
                        {
                            task.done_s = Some(t);
                        }
                    }
                }
                continue;
            }
            if !fi.started || r.tasks.iter().any(|x| x.kind == TaskKind::Fireline(k)) {
                continue;
            }
            let pos = anchor;
            new_task(
                r,
                &mut log,
                t,
                TaskKind::Fireline(k),
                format!("fireline: {}", fi.id),
                pos,
                Capability::Fireline,
                2,
                8,
                1.0,
            );
            new_task(
                r,
                &mut log,
                t,
                TaskKind::FireAttack(k),
                format!("fire attack: {}", fi.id),
                pos,
                Capability::FireAttack,
                2,
                4,
                1.0,
            );
        }
    }
    let depth_at = |p: [f64; 2]| flood.as_ref().map_or(0.0, |f| f.depth_at(p[0], p[1]));
    let has_hospital = st
        .facilities
        .iter()
        .any(|f| matches!(f.kind, FacilityKind::Hospital(_)));
    for gi in 0..r.groups.len() {
        let g = &r.groups[gi];
        if g.phase == GroupPhase::Waiting && g.people > 0.5 && !has_task(r, &TaskKind::Carry(gi)) {
            let needs = if depth_at(g.pos) >= BOAT_DEPTH_M {
                Capability::WaterRescue
            } else if g.vulnerable.is_some() && g.trapped_from_s.is_none() {
                Capability::Evacuate
            } else {
                Capability::Rescue
            };
            let (label, pos, people) = (format!("carry people: {}", g.name), g.pos, g.people);
            new_task(
                r,
                &mut log,
                t,
                TaskKind::Carry(gi),
                label,
                pos,
                needs,
                3,
                3,
                people,
            );
        }
        let g = &r.groups[gi];
        let injured = g.casualties.toxic_injured - g.injured_moved;
        if has_hospital && injured >= 1.0 && !has_task(r, &TaskKind::Transport(gi)) {
            let (label, pos) = (format!("transport injured: {}", g.name), g.pos);
            new_task(
                r,
                &mut log,
                t,
                TaskKind::Transport(gi),
                label,
                pos,
                Capability::Transport,
                3,
                4,
                injured.floor(),
            );
        }
    }
    // Sandbag walls around facilities the water is about to reach (site dry, water
    // within SANDBAG_WARN_M), when any team can build them.
    let can_sandbag = r
        .teams
        .iter()
        .any(|tm| st.presets.types[tm.preset].can(Capability::Sandbag));
    if can_sandbag && let Some(fl) = flood.as_ref().and_then(|f| f.first()) {
        let d = fl.depth_slice();
        for (fi, f) in st.facilities.iter().enumerate() {
            if matches!(f.kind, FacilityKind::CommandPost)
                || r.tasks.iter().any(|x| x.kind == TaskKind::Sandbag(fi))
            {
                continue;
            }
            let Some((c0, r0)) = spec.cell_at(f.pos[0], f.pos[1]) else {
                continue;
            };
            if f64::from(d[spec.index(c0, r0)]) > 0.01 {
                continue; // already wet: too late
            }
            let k = (SANDBAG_WARN_M / spec.cell_size).ceil() as i64;
            let mut near = false;
            for dr in -k..=k {
                for dc in -k..=k {
                    let (c, rr) = (c0 as i64 + dc, r0 as i64 + dr);
                    if c >= 0 && rr >= 0 && (c as usize) < spec.width && (rr as usize) < spec.height
                    {
                        near |= f64::from(d[spec.index(c as usize, rr as usize)]) > 0.05;
                    }
                }
            }
            if near {
                let bags = sandbag_ring(&spec, f.pos).1;
                new_task(
                    r,
                    &mut log,
                    t,
                    TaskKind::Sandbag(fi),
                    format!("sandbag: {}", f.name),
                    f.pos,
                    Capability::Sandbag,
                    2,
                    3,
                    bags,
                );
            }
        }
    }
    for (fi, f) in st.facilities.iter().enumerate() {
        if !matches!(f.kind, FacilityKind::Shelter(_)) {
            continue;
        }
        let s = &mut r.sites[fi];
        let dirty = s.exposed_arrivals - s.decon_planned;
        if dirty >= 1.0 {
            s.decon_planned += dirty;
            new_task(
                r,
                &mut log,
                t,
                TaskKind::Decontaminate(fi),
                format!("decontaminate at: {}", f.name),
                f.pos,
                Capability::Decontaminate,
                2,
                1,
                dirty.floor(),
            );
        }
        let s = &r.sites[fi];
        let need = (s.inside + s.queue) * st.rations_per_day - s.rations;
        let planned: f64 = r
            .tasks
            .iter()
            .filter(|x| x.done_s.is_none() && x.kind == TaskKind::Supply(fi))
            .map(|x| x.remaining)
            .sum::<f64>()
            + r.teams
                .iter()
                .filter(|tm| tm.drop_at == Some(fi))
                .map(|tm| tm.load)
                .sum::<f64>();
        if need - planned >= 1.0 {
            new_task(
                r,
                &mut log,
                t,
                TaskKind::Supply(fi),
                format!("supply shelter: {}", f.name),
                f.pos,
                Capability::Supply,
                1,
                4,
                (need - planned).ceil(),
            );
        }
    }
}

/// The anchor point of a fire: walking upwind from its origin, the first cell that has
/// not burned, two cells further out (crews start from the heel, NWCG PMS 410-1).
pub fn fire_anchor(
    spec: &crate::world::GridSpec,
    fire: &crate::hazards::fire::spread::FireSim,
    origin: [f64; 2],
    wind_to: [f64; 2],
    t: f64,
) -> [f64; 2] {
    let mut p = origin;
    let step = spec.cell_size;
    for _ in 0..2000 {
        let Some((c, r)) = spec.cell_at(p[0], p[1]) else {
            break;
        };
        if fire.arrival_s(spec.index(c, r)) > t {
            break;
        }
        p = [p[0] - wind_to[0] * step, p[1] - wind_to[1] * step];
    }
    let q = [
        p[0] - wind_to[0] * 2.0 * step,
        p[1] - wind_to[1] * 2.0 * step,
    ];
    if spec.cell_at(q[0], q[1]).is_some() {
        q
    } else {
        p
    }
}

/// Where a team first goes for a task: the depot for supplies, the heel of a fire, else
/// the task's place.
pub fn first_stop(st: &AgentStatic, r: &Response, task: &Task, from: [f64; 2]) -> Option<[f64; 2]> {
    match task.kind {
        TaskKind::Supply(_) => nearest_facility(st, r, from, |k, s| {
            matches!(k, FacilityKind::Depot) && s.rations >= 1.0
        })
        .map(|i| st.facilities[i].pos),
        TaskKind::Carry(g) | TaskKind::Transport(g) => r.groups.get(g).map(|g| g.pos),
        _ => Some(task.pos),
    }
}

/// Nearest facility (straight line, lowest index on ties) satisfying `ok`.
pub fn nearest_facility(
    st: &AgentStatic,
    r: &Response,
    p: [f64; 2],
    ok: impl Fn(&FacilityKind, &super::state::SiteState) -> bool,
) -> Option<usize> {
    let mut best: Option<(f64, usize)> = None;
    for (i, f) in st.facilities.iter().enumerate() {
        if !ok(&f.kind, &r.sites[i]) {
            continue;
        }
        let d = (f.pos[0] - p[0]).hypot(f.pos[1] - p[1]);
        if best.is_none_or(|b| d < b.0) {
            best = Some((d, i));
        }
    }
    best.map(|b| b.1)
}

/// Assigns idle capable teams to open tasks (in `SimSet::Command`, after tasks).
#[allow(clippy::too_many_arguments)]
pub fn dispatch(
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
    let r = &mut *r;
    let masks = r.take_masks();
    let view = masks.view(
        terrain.spec,
        flood.as_deref(),
        gas.as_deref(),
        fire.is_some(),
    );
    let ctx = Ctx::new(terrain.spec, &st, &view, &masks.closed);
    let mut order: Vec<usize> = (0..r.tasks.len())
        .filter(|&k| {
            let x = &r.tasks[k];
            x.done_s.is_none()
                && x.remaining > 0.0
                && x.retry_s <= t
                && x.known_s + st.call_s <= t
                && x.teams.len() < x.max_teams
        })
        .collect();
    if st.policy == DispatchPolicy::PriorityWeighted {
        order.sort_by(|&a, &b| {
            let (x, y) = (&r.tasks[a], &r.tasks[b]);
            y.priority
                .cmp(&x.priority)
                .then(x.known_s.total_cmp(&y.known_s))
                .then(a.cmp(&b))
        });
    }
    let mut assignments = Vec::new();
    let mut retry = Vec::new();
    let mut taken = vec![false; r.teams.len()];
    for k in order {
        let task = &r.tasks[k];
        let mut slots = task.max_teams - task.teams.len();
        // Supplies: no more trucks than the rations still to load need.
        let mut committed: f64 = task
            .teams
            .iter()
            .map(|&i| st.presets.types[r.teams[i].preset].cargo_rations)
            .sum();
        while slots > 0 && (task.needs != Capability::Supply || committed < task.remaining) {
            let mut cands: Vec<(f64, usize)> = r
                .teams
                .iter()
                .enumerate()
                .filter(|(i, tm)| {
                    let ty = &st.presets.types[tm.preset];
                    !taken[*i]
                        && tm.phase == Phase::Idle
                        && tm.available_s <= t
                        && ty.can(task.needs)
                        && (task.needs != Capability::FireAttack || tm.water_l > 0.0)
                })
                .map(|(i, tm)| ((tm.pos[0] - task.pos[0]).hypot(tm.pos[1] - task.pos[1]), i))
                .collect();
            cands.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            cands.truncate(CANDIDATES);
            let mut best: Option<(f64, usize, super::movement::Trip)> = None;
            for &(dist, i) in &cands {
                let tm = &r.teams[i];
                let lim = TeamLimits::of(&st.presets.types[tm.preset], tm.ppe);
                // No faster than straight at top speed: skip teams that cannot beat the best.
                let top = lim
                    .road_speed_m_s
                    .max(lim.offroad_speed_m_s)
                    .max(lim.water_speed_m_s)
                    .max(1e-9);
                if best.as_ref().is_some_and(|b| dist / top >= b.0) {
                    continue;
                }
                let Some(dest) = first_stop(&st, r, task, tm.pos) else {
                    continue;
                };
                if let Some(trip) = plan_trip(&ctx, &lim, tm.pos, dest)
                    && best.as_ref().is_none_or(|b| trip.planned_s < b.0)
                {
                    best = Some((trip.planned_s, i, trip));
                }
            }
            let Some((eta, i, trip)) = best else {
                if !cands.is_empty() {
                    retry.push(k); // teams were free but every way is cut
                }
                break;
            };
            taken[i] = true;
            committed += st.presets.types[r.teams[i].preset].cargo_rations;
            assignments.push((k, i, trip, eta));
            slots -= 1;
        }
    }
    for k in retry {
        // Nobody could go (none free, or every way cut): look again in a minute.
        r.tasks[k].retry_s = t + RETRY_S;
    }
    for (k, i, trip, eta) in assignments {
        let task = &mut r.tasks[k];
        task.teams.push(i);
        task.dispatched_s.get_or_insert(t);
        let tm = &mut r.teams[i];
        tm.task = Some(k);
        tm.phase = Phase::ToTask;
        tm.trip = Some(trip);
        log.push_at(
            t,
            EventKind::TeamDispatched,
            tm.id.clone(),
            format!(
                "{} was dispatched to \"{}\" (planned travel {:.1} min).",
                tm.name,
                task.label,
                eta / 60.0
            ),
            tm.pos,
        );
    }
    r.put_masks(masks);
}
