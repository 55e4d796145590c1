//! `drillsim plan coverage <scenario> [--minutes 5,15,30] [--out DIR]`: isochrones,
//! population coverage, supply reach and shelter balance of a scenario's facility layout
//! (see `drillsim_engine::batch::coverage` for the model and formulas).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use drillsim_engine::batch::coverage::{Coverage, coverage, minutes_grid};
use drillsim_engine::batch::results::write_atomic;
use drillsim_engine::world::raster::{self, Ramp};
use drillsim_engine::{RunConfig, Simulation};

use crate::{EXIT_FAILURE, EXIT_INVALID};

/// `drillsim plan` subcommands.
#[derive(Subcommand)]
pub enum PlanCommand {
    /// Travel-time coverage of bases, depots and shelters over the road network.
    Coverage {
        /// Scenario file (.ron) with roads, facilities and population.
        scenario: PathBuf,
        /// Coverage thresholds in minutes.
        #[arg(long, value_delimiter = ',', default_value = "5,15,30")]
        minutes: Vec<f64>,
        /// Supply horizon in hours.
        #[arg(long, default_value_t = 4.0)]
        horizon_h: f64,
        /// Evaluate with the hazards and road closures of the run at this simulated
        /// time, s (the scenario is run up to it first; travel times are those of
        /// --vehicle through the hazards).
        #[arg(long)]
        at_s: Option<f64>,
        /// Team preset whose hazard limits apply with --at-s.
        #[arg(long, default_value = "fire_engine")]
        vehicle: String,
        /// Walking speed off the road for the isochrone polygons, m/s (1.4: mean
        /// adult walking speed, e.g. Knoblauch, Pietrucha & Nitzburg 1996).
        #[arg(long, default_value_t = 1.4)]
        walk_m_s: f64,
        /// Output folder [default: runs/<scenario>-coverage].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Pick K new base sites (maximal covering and p-median), existing bases locked.
    Optimise {
        /// Scenario file (.ron) with roads, bases and population.
        scenario: PathBuf,
        /// Number of sites to add.
        #[arg(long)]
        add: usize,
        /// Candidate sites: `grid` (every road node) or a CSV file of `x_m,y_m` lines.
        #[arg(long, default_value = "grid")]
        candidates: String,
        /// Cover time of the maximal covering objective, minutes.
        #[arg(long, default_value_t = 15.0)]
        minutes: f64,
        /// Enumerate all K-subsets when there are at most this many (above: greedy + vertex
        /// substitution with a Lagrangian bound and the optimality gap).
        #[arg(long, default_value_t = 200_000)]
        exact_limit: u64,
        /// Output folder [default: runs/<scenario>-optimise].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
}

/// Runs the command; returns the exit code.
pub fn plan(cmd: &PlanCommand) -> u8 {
    if let PlanCommand::Optimise {
        scenario,
        add,
        candidates,
        minutes,
        exact_limit,
        out,
        quiet,
    } = cmd
    {
        return crate::plan_optimise::optimise(&crate::plan_optimise::Options {
            scenario,
            add: *add,
            candidates,
            minutes: *minutes,
            exact_limit: *exact_limit,
            out: out.as_deref(),
            quiet: *quiet,
        });
    }
    let PlanCommand::Coverage {
        scenario,
        minutes,
        horizon_h,
        at_s,
        vehicle,
        walk_m_s,
        out,
        quiet,
    } = cmd
    else {
        return EXIT_INVALID;
    };
    if minutes.iter().any(|m| !(m.is_finite() && *m > 0.0))
        || !(horizon_h.is_finite() && *horizon_h > 0.0)
        || !(walk_m_s.is_finite() && *walk_m_s > 0.0)
    {
        eprintln!("error: --minutes, --horizon-h and --walk-m-s must be positive numbers");
        return EXIT_INVALID;
    }
    let mut sim = match Simulation::from_file(scenario, RunConfig::default()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return EXIT_INVALID;
        }
    };
    if let Some(t) = at_s {
        sim.run_until(*t);
    }
    let cov = coverage(
        &sim,
        minutes,
        horizon_h * 3600.0,
        at_s.map(|_| vehicle.as_str()),
    );
    let out = out.clone().unwrap_or_else(|| {
        let stem = scenario
            .file_stem()
            .map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned());
        PathBuf::from("runs").join(format!("{stem}-coverage"))
    });
    if let Err(e) =
        write_outputs(&sim, &cov, &out).and_then(|()| write_isochrones(&sim, &cov, *walk_m_s, &out))
    {
        eprintln!("error: {e}");
        return EXIT_FAILURE;
    }
    if !quiet {
        print!("{}", report(&cov));
        println!("outputs: {}", out.display());
    }
    0
}

fn num(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else {
        v.to_string()
    }
}

fn report(cov: &Coverage) -> String {
    let mut s = String::new();
    for (m, p) in cov.minutes.iter().zip(&cov.bases_people_within) {
        let _ = writeln!(
            s,
            "within {m} min of a base: {p} of {} people ({:.1} %)",
            cov.total_people,
            100.0 * p / cov.total_people.max(1e-9)
        );
    }
    for d in &cov.supply {
        let _ = writeln!(
            s,
            "depot {}: {} trucks × {} loads in {} h → {} packs, {} people servable",
            d.id,
            d.trucks,
            d.loads_per_truck,
            cov.horizon_s / 3600.0,
            d.packs,
            d.people
        );
    }
    let cap: f64 = cov.shelters.iter().map(|x| x.capacity).sum();
    let dem: f64 = cov.shelters.iter().map(|x| x.demand).sum::<f64>() + cov.unassigned_evacuees;
    let _ = writeln!(s, "shelters: capacity {cap}, evacuees {dem}");
    s
}

fn write_outputs(sim: &Simulation, cov: &Coverage, out: &Path) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create `{}`: {e}", out.display()))?;
    let cols: Vec<String> = cov
        .minutes
        .iter()
        .map(|m| format!("people_within_{m}_min"))
        .collect();
    let mut csv = format!("facility,kind,x_m,y_m,snap_m,{}\n", cols.join(","));
    let row = |p: &[f64]| {
        p.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    let _ = writeln!(csv, "all_bases,base,,,,{}", row(&cov.bases_people_within));
    for f in &cov.facilities {
        let _ = writeln!(
            csv,
            "{},{},{},{},{},{}",
            f.id,
            f.kind,
            f.pos[0],
            f.pos[1],
            num(f.snap_m),
            row(&f.people_within)
        );
    }
    write_atomic(&out.join("coverage.csv"), csv.as_bytes())?;
    let mut supply = String::from(
        "depot,trucks,cargo_packs,stock_packs,load_s,one_way_s,loads_per_truck,packs_delivered,people_servable\n",
    );
    for d in &cov.supply {
        let _ = writeln!(
            supply,
            "{},{},{},{},{},{},{},{},{}",
            d.id,
            d.trucks,
            d.cargo,
            d.stock,
            num(d.load_s),
            num(d.one_way_s),
            d.loads_per_truck,
            d.packs,
            d.people
        );
    }
    write_atomic(&out.join("supply.csv"), supply.as_bytes())?;
    let mut shelters = String::from("shelter,capacity,demand,spare\n");
    for s in &cov.shelters {
        let _ = writeln!(
            shelters,
            "{},{},{},{}",
            s.id,
            s.capacity,
            s.demand,
            s.capacity - s.demand
        );
    }
    let _ = writeln!(
        shelters,
        "unassigned,0,{},{}",
        cov.unassigned_evacuees, -cov.unassigned_evacuees
    );
    write_atomic(&out.join("shelters.csv"), shelters.as_bytes())?;
    let json = serde_json::to_string_pretty(cov).map_err(|e| e.to_string())? + "\n";
    write_atomic(&out.join("coverage.json"), json.as_bytes())?;
    write_atomic(
        &out.join("isochrones.geojson"),
        geojson(sim, cov).as_bytes(),
    )?;
    let grid = minutes_grid(sim, cov, 500.0);
    // Colours from 0 to the largest threshold, or to the largest time if all are shorter.
    let max_min = cov.minutes.iter().copied().fold(0.0, f64::max) as f32;
    let max_min = grid
        .finite_range()
        .map_or(max_min, |(_, hi)| hi.min(max_min))
        .max(1e-3);
    let e = |e: raster::RasterError| e.to_string();
    raster::write_geotiff(
        &out.join("minutes_to_base.tif"),
        &grid,
        None,
        sim.scenario().scenario.map.epsg,
    )
    .map_err(e)?;
    let rgba = raster::colorize(&grid, Ramp::Viridis, 0.0, max_min);
    raster::write_png(
        &out.join("minutes_to_base.png"),
        grid.width() as u32,
        grid.height() as u32,
        &rgba,
    )
    .map_err(e)
}

/// Road nodes as GeoJSON points with the minutes from the nearest base, the base id and
/// the smallest threshold band they fall in; facilities as points too.
fn geojson(sim: &Simulation, cov: &Coverage) -> String {
    let world = sim.world();
    let Some(st) = world.get_resource::<drillsim_engine::agents::state::AgentStatic>() else {
        return "{\"type\":\"FeatureCollection\",\"features\":[]}\n".to_owned();
    };
    let mut features = Vec::new();
    for (i, n) in st.net.nodes.iter().enumerate() {
        let t = cov.node_time_s.get(i).copied().unwrap_or(f64::INFINITY);
        let base = cov
            .node_base
            .get(i)
            .and_then(|&b| st.facilities.get(b as usize))
            .map(|f| f.id.clone());
        let band = cov
            .minutes
            .iter()
            .copied()
            .filter(|m| t <= m * 60.0)
            .fold(None, |a: Option<f64>, m| Some(a.map_or(m, |a| a.min(m))));
        features.push(serde_json::json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [n.x, n.y]},
            "properties": {
                "node": i,
                "minutes": if t.is_finite() { serde_json::json!(t / 60.0) } else { serde_json::Value::Null },
                "base": base,
                "within_min": band,
            }
        }));
    }
    for f in &cov.facilities {
        features.push(serde_json::json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [f.pos[0], f.pos[1]]},
            "properties": {"facility": f.id, "kind": f.kind},
        }));
    }
    serde_json::json!({"type": "FeatureCollection", "features": features}).to_string() + "\n"
}

/// `isochrone_polygons.geojson`: one MultiPolygon feature per facility and threshold
/// (the area reachable by road plus a walk at `walk_m_s`, see
/// `drillsim_engine::batch::isochrone`), and `isochrones.png`: minutes from the nearest
/// facility by road and walk, up to the largest threshold.
fn write_isochrones(
    sim: &Simulation,
    cov: &Coverage,
    walk_m_s: f64,
    out: &Path,
) -> Result<(), String> {
    use drillsim_engine::batch::isochrone::{reach_times, trace};
    use drillsim_engine::world::grid::Grid;
    let spec = sim.terrain().spec;
    let max_s = cov.minutes.iter().copied().fold(0.0, f64::max) * 60.0;
    let mut nearest = Grid::filled(spec, f32::NAN);
    let mut features = Vec::new();
    if let Some(st) = sim
        .world()
        .get_resource::<drillsim_engine::agents::state::AgentStatic>()
    {
        for (f, node_t) in cov.facilities.iter().zip(&cov.facility_node_time_s) {
            let times = reach_times(spec, &st.net, node_t, walk_m_s, max_s);
            for (n, &t) in nearest.data_mut().iter_mut().zip(times.data()) {
                let m = (t / 60.0) as f32;
                if t.is_finite() && (n.is_nan() || m < *n) {
                    *n = m;
                }
            }
            for &m in &cov.minutes {
                let polys = trace(&times, m * 60.0);
                features.push(serde_json::json!({
                    "type": "Feature",
                    "geometry": {"type": "MultiPolygon", "coordinates": polys},
                    "properties": {
                        "facility": f.id, "kind": f.kind, "minutes": m, "walk_m_s": walk_m_s,
                    },
                }));
            }
        }
    }
    let epsg = sim.scenario().scenario.map.epsg;
    let mut fc = serde_json::json!({"type": "FeatureCollection", "features": features});
    if let Some(code) = epsg {
        fc["crs"] = serde_json::json!({
            "type": "name",
            "properties": {"name": format!("urn:ogc:def:crs:EPSG::{code}")},
        });
    }
    write_atomic(
        &out.join("isochrone_polygons.geojson"),
        (fc.to_string() + "\n").as_bytes(),
    )?;
    let rgba = raster::colorize(
        &nearest,
        Ramp::Viridis,
        0.0,
        (max_s / 60.0).max(1e-3) as f32,
    );
    raster::write_png(
        &out.join("isochrones.png"),
        nearest.width() as u32,
        nearest.height() as u32,
        &rgba,
    )
    .map_err(|e| e.to_string())
}
