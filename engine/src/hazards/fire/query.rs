//! Read-only per-cell queries of a grid fire for other capabilities (agents, chains).

use super::spread::FireSim;

impl FireSim {
    /// Fire arrival time of flat cell `i`, s (`f64::INFINITY` if not reached).
    pub fn arrival_s(&self, i: usize) -> f64 {
        self.arrival.get(i).copied().unwrap_or(f64::INFINITY)
    }

    /// Flame length at arrival of flat cell `i`, m (0 if not burned).
    pub fn flame_length_at_m(&self, i: usize) -> f64 {
        self.flame.get(i).map_or(0.0, |&f| f64::from(f))
    }

    /// Fireline intensity at arrival of flat cell `i`, kW/m (0 if not burned).
    pub fn intensity_at_kw_m(&self, i: usize) -> f64 {
        self.intensity.get(i).map_or(0.0, |&f| f64::from(f))
    }
}
