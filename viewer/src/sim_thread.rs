//! The simulation on its own thread. The UI sends commands and reads the latest
//! published frame; it never waits for a tick.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use drillsim_engine::Simulation;

/// Commands from the UI.
pub enum Command {
    /// Run continuously at `speed` simulated seconds per wall second (`None` = as fast
    /// as possible).
    Play(Option<f64>),
    /// Stop running.
    Pause,
    /// One tick.
    Step,
}

/// What the UI shows of the simulation.
#[derive(Clone, Debug, Default)]
pub struct Frame {
    /// Simulated time, s.
    pub t_s: f64,
    /// Duration, s.
    pub duration_s: f64,
    /// Wind speed, m/s, and direction from, degrees.
    pub wind: (f64, f64),
    /// Rain, mm/h.
    pub rain_mm_h: f64,
    /// Latest event messages (time, text), newest last.
    pub events: Vec<(f64, String)>,
    /// Running or paused.
    pub playing: bool,
}

/// Handle to the simulation thread.
pub struct SimThread {
    tx: Sender<Command>,
    frame: Arc<Mutex<Frame>>,
}

impl SimThread {
    /// Starts the thread with `sim`.
    pub fn spawn(sim: Simulation) -> Self {
        let (tx, rx) = channel();
        let frame = Arc::new(Mutex::new(publish(&sim, false)));
        let shared = Arc::clone(&frame);
        thread::spawn(move || run(sim, &rx, &shared));
        Self { tx, frame }
    }

    /// Sends a command (ignored if the thread has stopped).
    pub fn send(&self, c: Command) {
        let _ = self.tx.send(c);
    }

    /// The latest frame.
    pub fn frame(&self) -> Frame {
        self.frame.lock().map(|f| f.clone()).unwrap_or_default()
    }
}

fn publish(sim: &Simulation, playing: bool) -> Frame {
    let w = sim.weather();
    Frame {
        t_s: sim.time_s(),
        duration_s: sim.clock().duration_s,
        wind: (w.wind_speed_m_s, w.wind_from_deg),
        rain_mm_h: w.rain_mm_h,
        events: sim
            .events()
            .iter()
            .rev()
            .take(50)
            .rev()
            .map(|e| (e.t_s, e.message.clone()))
            .collect(),
        playing,
    }
}

fn run(mut sim: Simulation, rx: &Receiver<Command>, shared: &Mutex<Frame>) {
    let mut speed: Option<Option<f64>> = None;
    loop {
        let command = if speed.is_some() {
            rx.try_recv().ok()
        } else {
            rx.recv().ok()
        };
        match command {
            Some(Command::Play(s)) => speed = Some(s),
            Some(Command::Pause) => speed = None,
            Some(Command::Step) => {
                sim.step();
            }
            None if speed.is_none() => return, // the UI is gone
            None => {}
        }
        if let Some(s) = speed {
            if !sim.step() {
                speed = None;
            }
            if let Some(s) = s {
                thread::sleep(Duration::from_secs_f64((sim.clock().tick_s / s).min(1.0)));
            }
        }
        if let Ok(mut f) = shared.lock() {
            *f = publish(&sim, speed.is_some());
        }
    }
}
