//! Simulation time: a fixed agent tick. Time is `tick × tick_s` (never accumulated), so
//! runs of any length and restored snapshots agree to the bit.

use serde::{Deserialize, Serialize};

/// The clock of one run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, bevy_ecs::resource::Resource)]
pub struct SimClock {
    /// Ticks completed.
    pub tick: u64,
    /// Agent tick length, s.
    pub tick_s: f64,
    /// Run length, s.
    pub duration_s: f64,
}

impl SimClock {
    /// A clock at time 0.
    pub fn new(tick_s: f64, duration_s: f64) -> Self {
        Self {
            tick: 0,
            tick_s,
            duration_s,
        }
    }

    /// Start of the current tick, s.
    pub fn t_s(&self) -> f64 {
        (self.tick as f64 * self.tick_s).min(self.duration_s)
    }

    /// Length of the current tick, s (the last one may be shorter).
    pub fn dt_s(&self) -> f64 {
        (self.duration_s - self.t_s()).clamp(0.0, self.tick_s)
    }

    /// End of the current tick, s.
    pub fn t_end_s(&self) -> f64 {
        ((self.tick + 1) as f64 * self.tick_s).min(self.duration_s)
    }

    /// True once the whole duration has been simulated.
    pub fn finished(&self) -> bool {
        self.t_s() >= self.duration_s
    }

    /// Number of ticks in the run.
    pub fn total_ticks(&self) -> u64 {
        (self.duration_s / self.tick_s).ceil() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_tick_is_shortened() {
        let mut c = SimClock::new(10.0, 25.0);
        assert_eq!(c.total_ticks(), 3);
        c.tick = 2;
        assert_eq!((c.t_s(), c.dt_s(), c.t_end_s()), (20.0, 5.0, 25.0));
        c.tick = 3;
        assert!(c.finished());
        assert_eq!(c.dt_s(), 0.0);
    }
}
