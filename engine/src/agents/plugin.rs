//! Builds the response (roads, teams, facilities, people) from the scenario and adds
//! its systems to the run, one per phase of the tick:
//!
//! `Exposure: sense → Command: tasks → dispatch → Movement: move → Actions: act →
//! Metrics: agent_metrics`.

use bevy_ecs::prelude::*;

use super::act::FireSupport;
use super::exposure::ToxicData;
use super::presets::Presets;
use super::roads::RoadNetwork;
use super::spec::{FacilitySpec, ForceSpec, PopulationSpec, Protective, RoadsSpec};
use super::state::{
    AgentStatic, FacilityInfo, FacilityKind, Group, Phase, Response, SiteState, Team,
};
use super::view::team_limit;
use super::{act, dispatch, metrics, sense};
use crate::hazards::fire::fuel::FuelCatalog;
use crate::hazards::fire::plugin::FireHazards;
use crate::hazards::fire::suppression::FirelineTable;
use crate::hazards::gas::plugin::GasHazards;
use crate::scenario::ScenarioError;
use crate::scenario::diagnostic::closest;
use crate::scenario::problem::{Problem, index};
use crate::sim::{MetricsSet, SimBuilder, SimSet};
use crate::world::terrain::Terrain;

/// True if the scenario has anything for the agents capability.
pub fn wanted(s: &crate::scenario::types::Scenario) -> bool {
    !(s.forces.is_empty() && s.facilities.is_empty() && s.population.is_empty())
}

fn facility_info(f: &FacilitySpec) -> FacilityInfo {
    let s = f.site();
    let (kind, service, rate) = match f {
        FacilitySpec::Base {
            kind,
            service_radius_m,
            ..
        } => (FacilityKind::Base(*kind), *service_radius_m, 0.0),
        FacilitySpec::Depot {
            loading_rations_h, ..
        } => (FacilityKind::Depot, None, loading_rations_h / 3600.0),
        FacilitySpec::Shelter {
            capacity,
            intake_people_h,
            ..
        } => (
            FacilityKind::Shelter(*capacity),
            None,
            intake_people_h / 3600.0,
        ),
        FacilitySpec::Hospital { beds, .. } => (FacilityKind::Hospital(*beds), None, 0.0),
        FacilitySpec::CommandPost { .. } => (FacilityKind::CommandPost, None, 0.0),
    };
    FacilityInfo {
        id: s.id.clone(),
        name: s.name.clone().unwrap_or_else(|| s.id.clone()),
        pos: [s.location_xy_m.0, s.location_xy_m.1],
        kind,
        service_radius_m: service,
        rate_per_s: rate,
    }
}

fn problem(path: String, expected: &str, found: impl std::fmt::Display, hint: String) -> Problem {
    Problem::new(path, expected, found, hint)
}

fn internal(loaded: &crate::scenario::LoadedScenario, e: &dyn std::fmt::Display) -> ScenarioError {
    ScenarioError::one(crate::scenario::Diagnostic::new(
        loaded.file.clone(),
        format!("the fire data needed by the response could not be loaded: {e}"),
    ))
}

/// People per block of a population raster: (people, weighted centre), blocks with
/// people only, in row-major block order.
fn raster_blocks(
    loaded: &crate::scenario::LoadedScenario,
    r: &super::spec::PopulationRasterSpec,
    spec: &crate::world::GridSpec,
) -> Result<Vec<(f64, [f64; 2])>, Problem> {
    let at = format!("population raster {}", r.path);
    let bad = |expected: &str, found: String, hint: &str| {
        problem(
            format!("population[{}]", r.id),
            expected,
            found,
            hint.into(),
        )
    };
    let raster = crate::world::raster::read_raster(&loaded.resolve(&r.path)).map_err(|e| {
        bad(
            "a readable people-per-cell raster",
            at.clone(),
            &e.to_string(),
        )
    })?;
    let g = &raster.grid;
    let gs = g.spec();
    let same = gs.width == spec.width
        && gs.height == spec.height
        && (gs.cell_size - spec.cell_size).abs() < 1e-6 * spec.cell_size
        && (gs.origin[0] - spec.origin[0]).abs() < 1e-3 * spec.cell_size
        && (gs.origin[1] - spec.origin[1]).abs() < 1e-3 * spec.cell_size;
    if !same {
        return Err(bad(
            "a raster on the scenario grid",
            format!(
                "{}×{} cells of {} m at {:?}",
                gs.width, gs.height, gs.cell_size, gs.origin
            ),
            &format!(
                "resample it to {}×{} cells of {} m with the origin {:?}",
                spec.width, spec.height, spec.cell_size, spec.origin
            ),
        ));
    }
    let b = r.block_cells.max(1) as usize;
    let mut out = Vec::new();
    for br in (0..spec.height).step_by(b) {
        for bc in (0..spec.width).step_by(b) {
            let (mut n, mut sx, mut sy) = (0.0f64, 0.0f64, 0.0f64);
            for row in br..(br + b).min(spec.height) {
                for col in bc..(bc + b).min(spec.width) {
                    let v = f64::from(*g.get(col, row));
                    if v.is_finite() && v > 0.0 {
                        let c = spec.cell_center(col, row);
                        n += v;
                        sx += v * c[0];
                        sy += v * c[1];
                    }
                    if v.is_finite() && v < 0.0 {
                        return Err(bad(
                            "people per cell ≥ 0",
                            format!("{v} at cell ({col}, {row})"),
                            "nodata cells are skipped; counts cannot be negative",
                        ));
                    }
                }
            }
            if n > 0.0 {
                out.push((n, [sx / n, sy / n]));
            }
        }
    }
    Ok(out)
}

/// What agents need to know of a release's chemical: probit, team limit (AEGL-2) and the
/// level at which people are warned (the lowest level of concern).
pub fn toxic_data(m: &crate::hazards::gas::release::ChemicalReleaseModel) -> ToxicData {
    let probit = m.chemical().toxicity.as_ref().and_then(|t| t.probit);
    ToxicData {
        probit,
        n: probit.map_or(1.0, |p| p.n),
        injury_kg_m3: team_limit(m.levels()).unwrap_or(f64::INFINITY),
        warn_kg_m3: m.levels().last().map_or(f64::INFINITY, |l| l.threshold),
    }
}

/// Adds the agents capability to a run. Errors (unknown preset or facility, unreadable
/// roads) are located in the scenario file.
pub fn install(b: &mut SimBuilder<'_>) -> Result<(), ScenarioError> {
    let loaded = b.scenario();
    let s = &loaded.scenario;
    if !wanted(s) {
        return Ok(());
    }
    let terrain = b.world.resource::<Terrain>().clone();
    let spec = terrain.spec;
    let response = s.response.clone().unwrap_or_default();
    let mut problems = Vec::new();

    // Roads.
    let net = match &s.roads {
        None => RoadNetwork::default(),
        Some(RoadsSpec::GeoJson(path)) => {
            let file = loaded.resolve(path);
            match std::fs::read_to_string(&file) {
                Err(e) => {
                    problems.push(problem(
                        "roads".into(),
                        "a readable GeoJSON file",
                        format!("{} ({e})", file.display()),
                        "paths are relative to the scenario file".into(),
                    ));
                    RoadNetwork::default()
                }
                Ok(text) => match RoadNetwork::from_geojson(&text, &spec) {
                    Ok(n) => n,
                    Err(e) => {
                        problems.push(problem(
                            "roads".into(),
                            "a GeoJSON FeatureCollection of LineStrings",
                            path,
                            e.to_string(),
                        ));
                        RoadNetwork::default()
                    }
                },
            }
        }
        Some(RoadsSpec::Grid { spacing_m, class }) => {
            let water = |x: f64, y: f64| {
                spec.cell_at(x, y)
                    .is_some_and(|(c, r)| *terrain.land_cover.get(c, r) == 0)
            };
            RoadNetwork::generate_grid(&spec, *spacing_m, *class, water)
        }
    };
    let cells = net.edge_cells(&spec);

    // Presets.
    let mut presets = Presets::load_builtin().map_err(|e| {
        ScenarioError::one(crate::scenario::Diagnostic::new(
            loaded.file.clone(),
            format!("the built-in force presets are invalid: {e}"),
        ))
    })?;
    if let Some(f) = &response.preset_file
        && let Err(e) = presets.add_file(&loaded.resolve(f))
    {
        problems.push(problem(
            "response.preset_file".into(),
            "a valid presets file",
            f,
            e.to_string(),
        ));
    }

    // Facilities.
    let facilities: Vec<FacilityInfo> = s.facilities.iter().map(facility_info).collect();
    let ids: Vec<&str> = facilities.iter().map(|f| f.id.as_str()).collect();
    let find_facility = |id: &str| facilities.iter().position(|f| f.id == id);
    let mut sites = vec![SiteState::default(); facilities.len()];
    for (i, f) in s.facilities.iter().enumerate() {
        if let FacilitySpec::Depot { stock, .. } = f {
            sites[i].rations = stock.rations;
            sites[i].sandbags = stock.sandbags;
        }
    }

    // Teams.
    let mut teams = Vec::new();
    for (i, ForceSpec::Team(t)) in s.forces.iter().enumerate() {
        let path = index("forces", i);
        let Some(p) = presets.types.iter().position(|p| p.id == t.preset) else {
            let hint = match closest(&t.preset, presets.ids()) {
                Some(c) => format!(
                    "did you mean \"{c}\"? presets: {}",
                    presets.ids().join(", ")
                ),
                None => format!("presets: {}", presets.ids().join(", ")),
            };
            problems.push(problem(
                format!("{path}.preset"),
                "the id of a team preset",
                format!("\"{}\"", t.preset),
                hint,
            ));
            continue;
        };
        let Some(base) = find_facility(&t.base) else {
            let hint = match closest(&t.base, ids.iter().copied()) {
                Some(c) => format!("did you mean \"{c}\"?"),
                None => "name a facility id from the `facilities` list".into(),
            };
            problems.push(problem(
                format!("{path}.base"),
                "the id of a facility",
                format!("\"{}\"", t.base),
                hint,
            ));
            continue;
        };
        let ty = &presets.types[p];
        for k in 0..t.count {
            let id = if t.count > 1 {
                format!("{}#{}", t.id, k + 1)
            } else {
                t.id.clone()
            };
            let name = t.name.clone().unwrap_or_else(|| t.id.clone());
            let name = if t.count > 1 {
                format!("{name} #{}", k + 1)
            } else {
                name
            };
            teams.push(Team {
                id,
                name,
                preset: p,
                base,
                crew: t.crew.unwrap_or(ty.crew),
                ppe: t.ppe.unwrap_or(ty.ppe),
                available_s: t.available_s,
                pos: facilities[base].pos,
                phase: Phase::OffDuty,
                task: None,
                trip: None,
                at_dest: false,
                drop_at: None,
                load: 0.0,
                water_l: ty.water_l,
                fuel_l: ty.fuel_l,
                duty_s: 0.0,
                distance_m: 0.0,
                replans: 0,
                retry_s: 0.0,
                exposure: Default::default(),
                track: Vec::new(),
            });
        }
    }

    // Population.
    let mut groups = Vec::new();
    for (i, p) in s.population.iter().enumerate() {
        let path = index("population", i);
        let shelter_of = |action: &Protective, problems: &mut Vec<Problem>| match action {
            Protective::Evacuate { shelter: Some(id) } => match find_facility(id) {
                Some(f) if matches!(facilities[f].kind, FacilityKind::Shelter(_)) => Some(f),
                _ => {
                    problems.push(problem(
                        format!("{path}.action"),
                        "the id of a shelter",
                        format!("\"{id}\""),
                        "name a `Shelter` from the `facilities` list".into(),
                    ));
                    None
                }
            },
            _ => None,
        };
        match p {
            PopulationSpec::Group(g) => {
                let shelter = shelter_of(&g.action, &mut problems);
                let mut gr = Group::new(&g.site, f64::from(g.people), &g.action, g.indoor_ach);
                gr.shelter = shelter;
                gr.warning_s = g.warning_s;
                gr.delay_s = g.warning_delay_s;
                gr.on_foot = g.on_foot;
                gr.vulnerable = g.vulnerable;
                groups.push(gr);
            }
            PopulationSpec::Trapped(t) => {
                let action = Protective::Evacuate { shelter: None };
                let mut gr = Group::new(&t.site, f64::from(t.people), &action, 0.5);
                gr.delay_s = 0.0;
                gr.on_foot = true;
                gr.trapped_from_s = Some(t.call_s);
                groups.push(gr);
            }
            PopulationSpec::Raster(r) => {
                let shelter = shelter_of(&r.action, &mut problems);
                match raster_blocks(&loaded, r, &spec) {
                    Err(p) => problems.push(p),
                    Ok(blocks) => {
                        for (k, (people, pos)) in blocks.into_iter().enumerate() {
                            let site = super::spec::Site {
                                id: format!("{}#{}", r.id, k + 1),
                                name: None,
                                location_xy_m: (pos[0], pos[1]),
                            };
                            let mut gr = Group::new(&site, people, &r.action, r.indoor_ach);
                            gr.shelter = shelter;
                            gr.warning_s = r.warning_s;
                            gr.delay_s = r.warning_delay_s;
                            gr.on_foot = r.on_foot;
                            groups.push(gr);
                        }
                    }
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(loaded.diagnose(problems));
    }

    // Toxic data of the releases, in the order of the view's gas layers.
    let (toxic, first_release) =
        b.world
            .get_resource::<GasHazards>()
            .map_or((Vec::new(), f64::INFINITY), |g| {
                let toxic = g
                    .releases
                    .iter()
                    .filter_map(|r| r.model.as_ref().ok())
                    .map(toxic_data)
                    .collect();
                let first = g
                    .releases
                    .iter()
                    .map(|r| r.start_s)
                    .fold(f64::INFINITY, f64::min);
                (toxic, first)
            });
    let disaster_s = if first_release.is_finite() {
        first_release
    } else {
        0.0
    };
    let closed = vec![0u64; net.edges.len().div_ceil(64)];
    if b.world.get_resource::<FireHazards>().is_some() {
        let mut catalogs = Vec::new();
        for h in &s.hazards {
            if let crate::scenario::types::HazardSpec::WildlandFire(f) = h {
                let mut c = FuelCatalog::load_builtin().map_err(|e| internal(&loaded, &e))?;
                if let Some(path) = &f.custom_fuels
                    && let Ok(text) = std::fs::read_to_string(loaded.resolve(path))
                {
                    c.add_ron(&text, path).map_err(|e| internal(&loaded, &e))?;
                }
                catalogs.push(c);
            }
        }
        let table = FirelineTable::load_builtin().map_err(|e| internal(&loaded, &e))?;
        b.world.insert_resource(FireSupport { table, catalogs });
    }
    b.world.insert_resource(AgentStatic {
        net,
        cells,
        presets,
        facilities,
        toxic,
        policy: response.dispatch,
        call_s: response.call_processing_s,
        rations_per_day: response.rations_per_person_day,
        disaster_s,
    });
    b.world.insert_resource(Response {
        teams,
        groups,
        sites,
        closed,
        ..Response::default()
    });
    b.snapshot_resource::<Response>("agents");
    b.schedule
        .add_systems(sense::sense.in_set(SimSet::Exposure));
    b.schedule.add_systems(
        (dispatch::generate_tasks, dispatch::dispatch)
            .chain()
            .in_set(SimSet::Command),
    );
    b.schedule
        .add_systems(super::moving::move_all.in_set(SimSet::Movement));
    b.schedule.add_systems(act::act.in_set(SimSet::Actions));
    b.schedule
        .add_systems(metrics::agent_metrics.in_set(MetricsSet::Agents));
    b.add_outputs(metrics::agent_outputs);
    Ok(())
}
