//! The coverage worker: builds a `Simulation` of the scenario with a layout's site
//! positions and runs `drillsim_engine::batch::coverage` on its own thread, so the UI
//! never waits. Requests are coalesced: only the newest request of each layout slot is
//! analysed.
//!
//! With a hazard time, the original scenario is run once up to that time and
//! snapshotted; each layout is then built fresh and restored from that snapshot, so its
//! travel times go through the hazards of that moment (the hazard history is the
//! original layout's: site positions do not change where water or gas goes).

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

use drillsim_engine::agents::state::{AgentStatic, Response};
use drillsim_engine::batch::coverage::{Coverage, coverage, minutes_grid};
use drillsim_engine::scenario::LoadedScenario;
use drillsim_engine::{RunConfig, Simulation};

use super::layout::{Layout, Site, apply};

/// Coverage thresholds, minutes.
pub const MINUTES: [f64; 3] = [5.0, 15.0, 30.0];
/// Supply horizon, s (4 h).
pub const HORIZON_S: f64 = 4.0 * 3600.0;

/// Which layout a request is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// The saved layout A.
    A,
    /// The layout being edited (B).
    B,
}

/// Hazard conditions of an analysis.
#[derive(Clone, Debug, PartialEq)]
pub struct HazardAt {
    /// Simulated time, s.
    pub t_s: f64,
    /// Team preset whose limits apply (e.g. `fire_engine`).
    pub vehicle: String,
}

/// One analysis to run.
#[derive(Clone, Debug)]
pub struct Request {
    /// Layout slot.
    pub slot: Slot,
    /// Increasing request number.
    pub generation: u64,
    /// Site positions.
    pub layout: Layout,
    /// Hazard conditions, or free flow.
    pub hazard: Option<HazardAt>,
}

/// Roads and people of the scenario (for drawing).
#[derive(Debug, Default)]
pub struct Geometry {
    /// Road polylines, m, with the edge's end nodes.
    pub roads: Vec<(u32, u32, Vec<[f64; 2]>)>,
    /// Groups: position (m), people, evacuating.
    pub groups: Vec<([f64; 2], f64, bool)>,
}

/// The result of a request.
#[derive(Debug)]
pub struct Analysis {
    /// Slot of the request.
    pub slot: Slot,
    /// Generation of the request.
    pub generation: u64,
    /// Layout analysed.
    pub layout: Layout,
    /// Hazard conditions used.
    pub hazard: Option<HazardAt>,
    /// Coverage, or why it could not be computed.
    pub coverage: Result<Coverage, String>,
    /// Minutes from the nearest base per cell (row-major, row 0 north; NaN = none).
    pub minutes: Vec<f32>,
    /// Roads and people.
    pub geometry: Arc<Geometry>,
}

/// Handle to the worker thread.
pub struct Worker {
    tx: Sender<Request>,
    rx: Receiver<Analysis>,
}

impl Worker {
    /// Starts the worker for `loaded`'s `sites`; `wake` is called after each result.
    pub fn spawn(
        loaded: Arc<LoadedScenario>,
        sites: Arc<Vec<Site>>,
        wake: impl Fn() + Send + 'static,
    ) -> Self {
        let (tx, req_rx) = channel::<Request>();
        let (res_tx, rx) = channel::<Analysis>();
        std::thread::Builder::new()
            .name("planner".into())
            .spawn(move || {
                let mut cache: Option<(f64, Result<Vec<u8>, String>)> = None;
                while let Ok(first) = req_rx.recv() {
                    // Newest request per slot.
                    let mut latest: [Option<Request>; 2] = [None, None];
                    let mut put = |r: Request| {
                        let i = usize::from(r.slot == Slot::B);
                        latest[i] = Some(r);
                    };
                    put(first);
                    loop {
                        match req_rx.try_recv() {
                            Ok(r) => put(r),
                            Err(TryRecvError::Empty) => break,
                            Err(TryRecvError::Disconnected) => return,
                        }
                    }
                    for r in latest.into_iter().flatten() {
                        let a = analyse(&loaded, &sites, r, &mut cache);
                        if res_tx.send(a).is_err() {
                            return;
                        }
                        wake();
                    }
                }
            })
            .expect("cannot start the planner thread");
        Self { tx, rx }
    }

    /// Queues a request.
    pub fn send(&self, r: Request) {
        let _ = self.tx.send(r);
    }

    /// Results that arrived since the last call.
    pub fn poll(&self) -> Vec<Analysis> {
        self.rx.try_iter().collect()
    }
}

/// Snapshot of the original scenario at `t_s`.
fn hazard_snapshot(loaded: &LoadedScenario, t_s: f64) -> Result<Vec<u8>, String> {
    let mut sim = Simulation::from_scenario(loaded.clone(), RunConfig::default())
        .map_err(|e| e.to_string())?;
    sim.run_until(t_s);
    sim.snapshot().map_err(|e| e.to_string())
}

fn geometry(sim: &Simulation) -> Geometry {
    let world = sim.world();
    let roads = world
        .get_resource::<AgentStatic>()
        .map(|st| {
            st.net
                .edges
                .iter()
                .map(|e| (e.from, e.to, e.geometry.clone()))
                .collect()
        })
        .unwrap_or_default();
    let groups = world
        .get_resource::<Response>()
        .map(|r| {
            r.groups
                .iter()
                .map(|g| (g.pos, g.people_0, g.evacuate))
                .collect()
        })
        .unwrap_or_default();
    Geometry { roads, groups }
}

/// Runs one request (on the worker thread; also callable directly in tests).
pub fn analyse(
    loaded: &LoadedScenario,
    sites: &[Site],
    r: Request,
    cache: &mut Option<(f64, Result<Vec<u8>, String>)>,
) -> Analysis {
    let mut out = Analysis {
        slot: r.slot,
        generation: r.generation,
        layout: r.layout.clone(),
        hazard: r.hazard.clone(),
        coverage: Err(String::new()),
        minutes: Vec::new(),
        geometry: Arc::new(Geometry::default()),
    };
    let moved = apply(loaded, sites, &r.layout);
    let mut sim = match Simulation::from_scenario(moved, RunConfig::default()) {
        Ok(s) => s,
        Err(e) => {
            out.coverage = Err(e.to_string());
            return out;
        }
    };
    if let Some(h) = &r.hazard {
        if cache.as_ref().is_none_or(|c| c.0 != h.t_s) {
            *cache = Some((h.t_s, hazard_snapshot(loaded, h.t_s)));
        }
        let restored = match cache.as_ref().map(|c| &c.1) {
            Some(Ok(bytes)) => sim.restore(bytes).map_err(|e| e.to_string()),
            Some(Err(e)) => Err(e.clone()),
            None => Err("no snapshot".to_owned()),
        };
        if let Err(e) = restored {
            out.coverage = Err(format!("cannot set up the hazard: {e}"));
            return out;
        }
    }
    let cov = coverage(
        &sim,
        &MINUTES,
        HORIZON_S,
        r.hazard.as_ref().map(|h| h.vehicle.as_str()),
    );
    // Cells more than 500 m (a few minutes' walk) from any road node are left blank
    // rather than given the time of a road they cannot reach.
    out.minutes = minutes_grid(&sim, &cov, 500.0).into_vec();
    out.geometry = Arc::new(geometry(&sim));
    out.coverage = Ok(cov);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planner::layout::{layout_of, sites};

    /// The snapshot route (fresh build of the layout + restore of the original run at
    /// t) must give exactly the coverage of the direct route (`drillsim plan coverage
    /// --at-s`: run the scenario to t, then analyse) when no site moved: same road
    /// times bit for bit. With the levee-breach flood of minute 60, a fire engine is
    /// never faster than free flow, so no count may exceed the free-flow one, and the
    /// flood must slow at least one road node (else the hazard did not reach the
    /// analysis).
    #[test]
    fn hazard_snapshot_route_matches_the_direct_run() {
        let path = crate::fixtures::scenario_path("flood_levee_breach.ron");
        let loaded = drillsim_engine::scenario::load(&path).unwrap();
        let s = sites(&loaded);
        let request = |hazard| Request {
            slot: Slot::B,
            generation: 1,
            layout: layout_of(&loaded, &s),
            hazard,
        };
        let h = HazardAt {
            t_s: 3600.0,
            vehicle: "fire_engine".to_owned(),
        };
        let mut cache = None;
        let with = analyse(&loaded, &s, request(Some(h)), &mut cache);
        let free = analyse(&loaded, &s, request(None), &mut cache);
        let with = with.coverage.unwrap();
        let free = free.coverage.unwrap();
        let mut sim = Simulation::from_scenario(loaded.clone(), RunConfig::default()).unwrap();
        sim.run_until(3600.0);
        let direct = coverage(&sim, &MINUTES, HORIZON_S, Some("fire_engine"));
        assert_eq!(with.bases_people_within, direct.bases_people_within);
        assert_eq!(with.node_time_s.len(), direct.node_time_s.len());
        assert!(
            with.node_time_s
                .iter()
                .zip(&direct.node_time_s)
                .all(|(a, b)| a.to_bits() == b.to_bits())
        );
        for (w, f) in with
            .bases_people_within
            .iter()
            .zip(&free.bases_people_within)
        {
            assert!(w <= f, "{w} > {f}");
        }
        assert!(
            with.node_time_s
                .iter()
                .zip(&free.node_time_s)
                .any(|(w, f)| w > f)
        );
    }
}
