//! What the response learns each tick: which cells burn, who is warned, who is trapped,
//! and the expected casualties of the exposure so far.
//!
//! ## Model
//! A group without a scheduled warning is warned when a hazard reaches its place: water
//! deeper than [`WARN_DEPTH_M`], a gas concentration at the chemical's least severe level
//! of concern (AEGL-1), or a burning cell within [`WARN_FIRE_M`]. It acts after its
//! reaction delay. People still at home where the water is deeper than [`TRAPPED_DEPTH_M`]
//! cannot walk out (FD2320: adults lose stability in 0.5 m of moving water) and call for
//! rescue.

use bevy_ecs::prelude::*;

use super::exposure::Casualties;
use super::state::{AgentStatic, GroupPhase, Phase, Response};
use super::view::{HazardView, burning_mask};
use crate::hazards::fire::plugin::FireHazards;
use crate::hazards::flood::plugin::FloodHazards;
use crate::hazards::gas::plugin::GasHazards;
use crate::sim::clock::SimClock;
use crate::sim::events::{EventKind, EventLog};
use crate::world::terrain::Terrain;

/// Water depth at a home that warns its people, m.
pub const WARN_DEPTH_M: f64 = 0.05;
/// Distance of a burning cell that warns people, m.
pub const WARN_FIRE_M: f64 = 1000.0;
/// Water depth that traps people at home, m.
pub const TRAPPED_DEPTH_M: f64 = 0.5;

/// The sense system (in `SimSet::Exposure`).
#[allow(clippy::too_many_arguments)]
pub fn sense(
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
    let spec = terrain.spec;
    let r = &mut *r;
    let mut burning_cells: Vec<u32> = Vec::new();
    if let Some(f) = &fire {
        burning_mask(f, &spec, &mut r.burning, &mut r.danger);
        for fi in &f.fires {
            burning_cells.extend_from_slice(&fi.burning);
        }
    }
    let view = HazardView::new(
        spec,
        flood.as_deref(),
        gas.as_deref(),
        fire.is_some()
            .then_some((r.burning.as_slice(), r.danger.as_slice())),
    );
    let near_fire = |p: [f64; 2]| {
        burning_cells.iter().any(|&c| {
            let (col, row) = (c as usize % spec.width, c as usize / spec.width);
            let q = spec.cell_center(col, row);
            (q[0] - p[0]).hypot(q[1] - p[1]) <= WARN_FIRE_M
        })
    };
    for g in &mut r.groups {
        let cell = spec
            .cell_at(g.pos[0], g.pos[1])
            .map(|(c, rr)| spec.index(c, rr));
        if g.phase == GroupPhase::Home && g.trapped_from_s.is_none() && g.warned_s.is_none() {
            let threatened = match g.warning_s {
                Some(w) => t >= w,
                None => cell.is_some_and(|i| {
                    view.depth(i) > WARN_DEPTH_M
                        || view.gas.iter().zip(&st.toxic).any(|(l, d)| {
                            l.field
                                .get(i)
                                .is_some_and(|&c| f64::from(c) >= d.warn_kg_m3)
                        })
                        || near_fire(g.pos)
                }),
            };
            if threatened {
                g.warned_s = Some(t);
                r.warned += g.people;
                let what = if g.evacuate {
                    "to evacuate"
                } else {
                    "to shelter in place"
                };
                log.push_at(
                    t,
                    EventKind::PeopleWarned,
                    g.id.clone(),
                    format!(
                        "{} people at {} were warned {what}.",
                        g.people.round(),
                        g.name
                    ),
                    g.pos,
                );
            }
        }
        // Trapped by water at home (or a scenario call falls due).
        if g.phase == GroupPhase::Home && g.people > 0.0 {
            let scheduled = g.trapped_from_s.is_some_and(|s| t >= s);
            let flooded =
                g.trapped_from_s.is_none() && cell.is_some_and(|i| view.depth(i) > TRAPPED_DEPTH_M);
            if scheduled || flooded {
                g.trapped_from_s = Some(g.trapped_from_s.unwrap_or(t));
                g.phase = GroupPhase::Waiting;
                log.push_at(
                    t,
                    EventKind::PeopleTrapped,
                    g.id.clone(),
                    format!(
                        "{} people at {} are trapped and called for rescue.",
                        g.people.round(),
                        g.name
                    ),
                    g.pos,
                );
                continue;
            }
        }
        // Acting on the warning after the reaction delay.
        if g.phase == GroupPhase::Home
            && let Some(w) = g.warned_s
            && t >= w + g.delay_s
        {
            g.phase = if !g.evacuate {
                GroupPhase::InPlace
            } else if g.vulnerable.is_some() {
                GroupPhase::Waiting
            } else {
                GroupPhase::Moving
            };
        }
        // Expected casualties: only the people still in the group accrue new risk.
        let now = Casualties::of(1.0, &g.exposure, &st.toxic);
        let prev = g.casualties_per_person;
        let add = |a: f64, b: f64| (a - b).max(0.0) * g.people;
        g.casualties.toxic_dead += add(now.toxic_dead, prev.toxic_dead);
        g.casualties.toxic_injured += add(now.toxic_injured, prev.toxic_injured);
        g.casualties.flood_dead += add(now.flood_dead, prev.flood_dead);
        g.casualties.fire_dead += add(now.fire_dead, prev.fire_dead);
        g.casualties_per_person = Casualties {
            toxic_dead: now.toxic_dead.max(prev.toxic_dead),
            toxic_injured: now.toxic_injured.max(prev.toxic_injured),
            flood_dead: now.flood_dead.max(prev.flood_dead),
            fire_dead: now.fire_dead.max(prev.fire_dead),
        };
    }
    // Responders beyond their protection are out of action.
    for (i, tm) in r.teams.iter_mut().enumerate() {
        if tm.phase == Phase::Casualty {
            continue;
        }
        let e = &tm.exposure;
        if e.toxic_injury(&st.toxic) > 0.0
            || e.fire_lethality() > 0.01
            || e.flood_lethality() > 0.01
        {
            tm.phase = Phase::Casualty;
            tm.trip = None;
            r.team_casualties.push((i, t));
            log.push_at(
                t,
                EventKind::TeamCasualty,
                tm.id.clone(),
                format!(
                    "{} was exposed beyond its protection and is out of action.",
                    tm.name
                ),
                tm.pos,
            );
        }
    }
}
