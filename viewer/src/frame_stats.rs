//! `drillsim-viewer --frame-stats N`: frame-time measurement of the map on a synthetic
//! 2000 × 2000 grid (5 m cells, procedural hills) with every layer on — a flood front
//! advancing from the north, a gas plume turning with the wind, a growing wildland fire
//! ring, thermal and overpressure zones, contours, 40 teams (a third with a route), 12
//! facilities, a street grid of 3 200 road edges (1 in 37 closed) and 12 evacuee flows. A producer
//! thread plays the part of the simulation thread (recolours the layers through
//! `LayerCache` and publishes frames every 33 ms); the UI draws N frames as fast as it
//! can, then prints the mean / p50 / p95 frame time and exits.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use drillsim_engine::agents::state::{FacilityKind, Phase};
use drillsim_engine::exercise::view::{Role, RoleView};
use drillsim_engine::world::{Grid, GridSpec};

use crate::layer_cache::{LayerCache, LayerId};
use crate::map::{Layers, MapPanel};
use crate::raster;
use crate::sim_thread::{FacilityFrame, Frame, GroupFrame, Overlays, RoadLine, TeamFrame};
use drillsim_engine::agents::roads::RoadClass;
use drillsim_engine::agents::state::GroupPhase;

/// Side of the synthetic grid, cells.
pub const SIDE: usize = 2000;

/// The synthetic grid (5 m cells).
pub fn grid() -> GridSpec {
    GridSpec {
        width: SIDE,
        height: SIDE,
        cell_size: 5.0,
        origin: [0.0, 0.0],
    }
}

/// Procedural hills (m): a few sine ridges and a central valley.
pub fn elevation(g: GridSpec) -> Vec<f32> {
    (0..g.len())
        .map(|i| {
            let (x, y) = ((i % g.width) as f32 / 200.0, (i / g.width) as f32 / 200.0);
            let valley = ((x - 5.0).abs() * 6.0).min(30.0);
            20.0 + valley + 8.0 * (x * 1.3).sin() * (y * 0.9).cos() + 4.0 * (x * 3.1 + y).sin()
        })
        .collect()
}

/// Synthetic hazard state at step `k`: fills the layer images of `cache`.
pub fn synth_step(cache: &mut LayerCache, z: &[f32], k: usize) {
    let (w, h) = (SIDE, SIDE);
    // Flood: rows north of the front hold water up to 32 m.
    let front = (k * 8) % h;
    let depth = |i: usize| {
        if i / w <= front {
            (32.0 - z[i]).max(0.0)
        } else {
            0.0
        }
    };
    cache.put(LayerId::Depth, |o| {
        for (i, px) in o.chunks_exact_mut(4).enumerate() {
            px.copy_from_slice(&raster::depth_px_fast(depth(i)));
        }
    });
    cache.put(LayerId::Hazard, |o| {
        for (i, px) in o.chunks_exact_mut(4).enumerate() {
            let d = depth(i);
            let c = if d >= raster::MIN_DEPTH_M {
                raster::hr_class(d * 1.0 + if d > 0.25 { 1.0 } else { 0.0 })
            } else {
                0
            };
            px.copy_from_slice(&raster::hr_px(c));
        }
    });
    // Gas: a plume from (1400, 600) whose axis turns 1° per step.
    let ang = (k as f32).to_radians();
    let (s, c) = ang.sin_cos();
    let mut ranks = vec![0u8; w * h];
    for r in 0..h {
        for col in 0..w {
            let (dx, dy) = (col as f32 - 1400.0, r as f32 - 600.0);
            let (a, b) = (dx * c + dy * s, -dx * s + dy * c);
            if a > 0.0 && a < 500.0 {
                let half = 0.25 * a;
                let q = b.abs() / half.max(1.0);
                ranks[r * w + col] = if q < 0.3 {
                    3
                } else if q < 0.6 {
                    2
                } else if q < 1.0 {
                    1
                } else {
                    0
                };
            }
        }
    }
    cache.put(LayerId::Gas, |o| raster::zones_rgba(&ranks, w, h, o));
    // Fire: a ring growing from (500, 1500).
    let radius = 20.0 + k as f32 * 0.7;
    cache.put(LayerId::Fire, |o| {
        for (i, px) in o.chunks_exact_mut(4).enumerate() {
            let d = ((i % w) as f32 - 500.0).hypot((i / w) as f32 - 1500.0);
            if d <= radius {
                px.copy_from_slice(&raster::fire_px(d > radius - 3.0, true, d * 10.0));
            } else {
                px.copy_from_slice(&[0; 4]);
            }
        }
    });
    // Thermal and overpressure: fixed circles around (1600, 1600).
    for (id, radii) in [
        (LayerId::Thermal, [40.0, 60.0, 90.0]),
        (LayerId::Overpressure, [60.0, 100.0, 160.0]),
    ] {
        cache.put(id, |o| {
            for (i, k) in ranks.iter_mut().enumerate() {
                let d = ((i % w) as f32 - 1600.0).hypot((i / w) as f32 - 1600.0);
                *k = radii
                    .iter()
                    .position(|&r| d <= r)
                    .map_or(0, |j| 3 - j as u8);
            }
            raster::zones_rgba(&ranks, w, h, o);
        });
    }
}

/// A street grid over the synthetic map: a road every 250 m each way, one edge per
/// block side (3 200 edges), primary every 2 km; every 37th edge closed.
pub fn synth_roads() -> (Arc<Vec<RoadLine>>, Vec<u64>) {
    let side = SIDE as f64 * 5.0;
    let n = (side / 250.0) as usize;
    let mut roads = Vec::new();
    for i in 0..n {
        for j in 0..n {
            let (a, b) = (i as f64 * 250.0 + 125.0, j as f64 * 250.0 + 125.0);
            for pts in [[[a, b], [a + 250.0, b]], [[b, a], [b, a + 250.0]]] {
                let class = if i % 8 == 0 {
                    RoadClass::Primary
                } else {
                    RoadClass::Residential
                };
                roads.push(RoadLine {
                    class,
                    name: String::new(),
                    bbox: [pts[0][0], pts[0][1], pts[1][0], pts[1][1]],
                    pts: pts.to_vec(),
                });
            }
        }
    }
    let mut closed = vec![0u64; roads.len().div_ceil(64)];
    for e in (0..roads.len()).step_by(37) {
        closed[e / 64] |= 1 << (e % 64);
    }
    (Arc::new(roads), closed)
}

fn frame_at(cache: &LayerCache, k: usize, roads: &(Arc<Vec<RoadLine>>, Vec<u64>)) -> Frame {
    let t = k as f64 * 10.0;
    let teams = (0..40)
        .map(|i| TeamFrame {
            id: format!("T{i}"),
            name: format!("Team {i}"),
            pos: [
                1000.0 + 200.0 * i as f64 + t,
                2000.0 + 150.0 * (i % 7) as f64,
            ],
            phase: [Phase::Idle, Phase::ToTask, Phase::Working(0.0)][i % 3].clone(),
            task: None,
            exposure: Default::default(),
            // A route to the east then north, ahead of every third team.
            route: if i % 3 == 1 {
                let p = [
                    1000.0 + 200.0 * i as f64 + t,
                    2000.0 + 150.0 * (i % 7) as f64,
                ];
                vec![p, [p[0] + 1500.0, p[1]], [p[0] + 1500.0, p[1] + 1200.0]]
            } else {
                Vec::new()
            },
            people_aboard: 0.0,
        })
        .collect();
    let facilities = (0..12)
        .map(|i| FacilityFrame {
            id: format!("F{i}"),
            name: format!("Facility {i}"),
            pos: [800.0 * i as f64 + 400.0, 9000.0 - 500.0 * (i % 3) as f64],
            kind: [
                FacilityKind::Depot,
                FacilityKind::Shelter(0),
                FacilityKind::Hospital(0),
                FacilityKind::CommandPost,
            ][i % 4]
                .clone(),
            inside: 0.0,
            queue: 0.0,
            rations: 0.0,
            sandbags: 0.0,
        })
        .collect();
    Frame {
        t_s: t,
        duration_s: 1e6,
        playing: true,
        speed: None,
        seeking: None,
        wind: (5.0, 270.0),
        rain_mm_h: 0.0,
        view: RoleView {
            role: Role::Controller,
            t_s: t,
            events: Vec::new(),
            injects: Vec::new(),
            readings: Vec::new(),
            hazard_fields: true,
        },
        teams,
        facilities,
        roads: Arc::clone(&roads.0),
        closed: roads.1.clone(),
        // Twelve groups walking south-east to the shelters, 50–600 people each.
        groups: (0..12)
            .map(|i| {
                let p = [
                    600.0 + 700.0 * i as f64 + t * 0.5,
                    8000.0 - 300.0 * i as f64,
                ];
                GroupFrame {
                    name: format!("Group {i}"),
                    pos: p,
                    people: 50.0 + 50.0 * i as f64,
                    phase: GroupPhase::Moving,
                    route: vec![p, [p[0] + 800.0, p[1]], [p[0] + 800.0, p[1] - 900.0]],
                }
            })
            .collect(),
        overlays: Some(Arc::new(Overlays {
            layers: cache.set(),
            fire_isochrone_s: None,
        })),
        overlay: cache.overlay(),
        error: None,
        snapshot_times: Vec::new(),
        history: Arc::default(),
        probe: None,
    }
}

/// The measuring app.
pub struct StatsApp {
    frames: usize,
    shared: Arc<Mutex<Arc<Frame>>>,
    map: Option<MapPanel>,
    terrain: Vec<u8>,
    z: Vec<f32>,
    last: Option<Instant>,
    times: Vec<f64>,
    rows: usize,
    cpu: Vec<f64>,
    terrain_only: bool,
    /// Producer: recolourings done and their total cost, ns.
    counters: Arc<[AtomicU64; 2]>,
    started: Instant,
}

impl StatsApp {
    /// Starts the producer thread; measures `frames` frames.
    pub fn new(frames: usize) -> Self {
        let g = grid();
        let z = elevation(g);
        let terrain = drillsim_engine::output::terrain_rgba(
            &Grid::from_vec(g, z.clone()).unwrap_or_else(|| Grid::filled(g, 0.0)),
        );
        // Diagnostics: DRILLSIM_FRAME_STATS=static keeps the fields fixed (no uploads),
        // =terrain draws the terrain only.
        let mode = std::env::var("DRILLSIM_FRAME_STATS").unwrap_or_default();
        let mut cache = LayerCache::new(g);
        cache.set_contours(&z);
        cache.set_mask(if mode == "terrain" {
            0
        } else {
            Layers::all().mask()
        });
        synth_step(&mut cache, &z, 0);
        cache.compose(true);
        let roads = synth_roads();
        let shared = Arc::new(Mutex::new(Arc::new(frame_at(&cache, 0, &roads))));
        let out = Arc::clone(&shared);
        let zz = z.clone();
        let every = mode == "every";
        // Recolourings done and their total cost, ns.
        let counters = Arc::new([AtomicU64::new(0), AtomicU64::new(0)]);
        let prod = Arc::clone(&counters);
        let frozen = mode == "static" || mode == "terrain";
        std::thread::spawn(move || {
            for k in 1.. {
                if frozen {
                    std::thread::sleep(Duration::from_millis(33));
                    if Arc::strong_count(&out) == 1 {
                        return;
                    }
                    continue;
                }
                let t0 = Instant::now();
                // The same policy as the simulation thread: recolour at a bounded share
                // of this thread's time (`=every`: on every step, for comparison).
                if every || cache.refresh_due() {
                    cache.timed(|c| synth_step(c, &zz, k));
                    prod[0].fetch_add(1, Ordering::Relaxed);
                    prod[1].fetch_add(t0.elapsed().as_nanos() as u64, Ordering::Relaxed);
                }
                cache.compose(true);
                let f = Arc::new(frame_at(&cache, k, &roads));
                match out.lock() {
                    Ok(mut s) => *s = f,
                    Err(_) => return,
                }
                if let Some(rest) = Duration::from_millis(33).checked_sub(t0.elapsed()) {
                    std::thread::sleep(rest);
                }
                if Arc::strong_count(&out) == 1 {
                    return;
                }
            }
        });
        Self {
            frames,
            shared,
            map: None,
            terrain,
            z,
            last: None,
            times: Vec::with_capacity(frames),
            rows: 0,
            cpu: Vec::with_capacity(frames),
            terrain_only: mode == "terrain",
            counters,
            started: Instant::now(),
        }
    }
}

/// Mean, median and 95th percentile of `t` (ms).
pub fn stats(t: &[f64]) -> (f64, f64, f64) {
    if t.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    let mut s = t.to_vec();
    s.sort_by(f64::total_cmp);
    let pct = |p: f64| s[((s.len() - 1) as f64 * p).round() as usize];
    (s.iter().sum::<f64>() / s.len() as f64, pct(0.5), pct(0.95))
}

impl eframe::App for StatsApp {
    fn ui(&mut self, ui: &mut egui::Ui, eframe_frame: &mut eframe::Frame) {
        if let Some(c) = eframe_frame.info().cpu_usage {
            self.cpu.push(f64::from(c) * 1000.0);
        }
        let ctx = ui.ctx().clone();
        let now = Instant::now();
        if let Some(l) = self.last {
            self.times
                .push(now.duration_since(l).as_secs_f64() * 1000.0);
        }
        self.last = Some(now);
        let frame = self
            .shared
            .lock()
            .map(|f| Arc::clone(&f))
            .unwrap_or_else(|p| Arc::clone(&p.into_inner()));
        egui::CentralPanel::default().show(ui, |ui| {
            let map = self.map.get_or_insert_with(|| {
                let mut m = MapPanel::new(&ctx, grid(), &self.terrain);
                m.set_contours(&self.z);
                m.layers = if self.terrain_only {
                    Layers {
                        depth: false,
                        hazard: false,
                        gas: false,
                        fire: false,
                        thermal: false,
                        overpressure: false,
                        contours: false,
                        facilities: false,
                        teams: false,
                        roads: false,
                        routes: false,
                        flows: false,
                    }
                } else {
                    // DRILLSIM_FRAME_STATS_VECTORS: which vector layers to draw, a
                    // subset of "rtf" (roads, team routes, flows); all by default.
                    let v = std::env::var("DRILLSIM_FRAME_STATS_VECTORS")
                        .unwrap_or_else(|_| "rtf".into());
                    Layers {
                        roads: v.contains('r'),
                        routes: v.contains('t'),
                        flows: v.contains('f'),
                        ..Layers::all()
                    }
                };
                m
            });
            map.ui(ui, &frame);
            self.rows += map.uploaded_rows;
        });
        if self.times.len() >= self.frames {
            let (mean, p50, p95) = stats(&self.times);
            println!(
                "frame-stats: {} frames, {SIDE}x{SIDE} grid, all layers: mean {mean:.2} ms, p50 {p50:.2} ms, p95 {p95:.2} ms ({:.1} frames/s); {:.0} texture rows uploaded per frame",
                self.times.len(),
                1000.0 / mean,
                self.rows as f64 / self.times.len() as f64
            );
            let n = self.counters[0].load(Ordering::Relaxed);
            let ns = self.counters[1].load(Ordering::Relaxed);
            println!(
                "frame-stats: layers recoloured {n} times ({:.1} per second), {:.1} ms each on the producer thread",
                n as f64 / self.started.elapsed().as_secs_f64(),
                ns as f64 / 1e6 / n.max(1) as f64
            );
            let (cmean, _, cp95) = stats(&self.cpu);
            println!(
                "frame-stats: egui+paint CPU time per frame (without buffer swap): mean {cmean:.2} ms, p95 {cp95:.2} ms"
            );
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        ctx.request_repaint();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_of_known_samples() {
        let t: Vec<f64> = (1..=100).map(f64::from).collect();
        let (mean, p50, p95) = stats(&t);
        assert!((mean - 50.5).abs() < 1e-12);
        assert!((p50 - 50.0).abs() <= 1.0 && (p95 - 95.0).abs() <= 1.0);
    }
}
