//! Suppression orders in world coordinates, for the agents layer: build fireline along a
//! polyline in metres with a resource kind of `assets/fireline_production.ron`, drop
//! water on a circle, and read the attack class (NWCG flame-length limits) at a point.
//! The fire-side effects and their physics are in [`super::suppression`].
//!
//! ## Model
//! A polyline is turned into the ordered list of grid cells its segments pass through
//! (sampled every quarter cell, consecutive duplicates removed); the resource then works
//! cell by cell at its production rate ([`FireSim::build_line_anderson`]). Consecutive
//! cells may touch only at a corner: fire cannot pass between them because an MTT edge
//! that touches a held line cell at a corner is blocked ([`super::spread`]). A water drop
//! wets every cell whose centre lies within the radius.
//!
//! ## Units
//! Coordinates m (scenario CRS), times s from scenario start, radius m.
//!
//! ## Assumptions
//! One order is one resource working continuously from `t_start_s`; the caller (agents)
//! decides when a crew arrives and which kind it is.
//!
//! ## References
//! See [`super::suppression`] (NWCG PMS 461; NWCG dozer rates).

use super::error::FireError;
use super::plugin::{FireHazards, FireInstance};
use super::spread::FireSim;
use super::suppression::{AttackClass, FirelineTable, LinePlan, attack_class};
use crate::world::grid::GridSpec;

/// The cells (col, row) a polyline in metres passes through, in order along it.
pub fn polyline_cells(
    spec: &GridSpec,
    path_m: &[[f64; 2]],
) -> Result<Vec<(usize, usize)>, FireError> {
    if path_m.is_empty() {
        return Err(FireError::InvalidInput("an empty fireline path".into()));
    }
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut push = |x: f64, y: f64| -> Result<(), FireError> {
        let cell = spec.cell_at(x, y).ok_or_else(|| {
            FireError::InvalidInput(format!(
                "fireline point ({x:.1}, {y:.1}) is outside the grid"
            ))
        })?;
        if out.last() != Some(&cell) {
            out.push(cell);
        }
        Ok(())
    };
    push(path_m[0][0], path_m[0][1])?;
    for w in path_m.windows(2) {
        let (a, b) = (w[0], w[1]);
        let len = (b[0] - a[0]).hypot(b[1] - a[1]);
        if !len.is_finite() {
            return Err(FireError::InvalidInput(
                "a fireline point is not finite".into(),
            ));
        }
        let n = (len / (0.25 * spec.cell_size)).ceil().max(1.0) as usize;
        for k in 1..=n {
            let f = k as f64 / n as f64;
            push(a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]))?;
        }
    }
    Ok(out)
}

impl FireInstance {
    /// Orders a resource of `kind` (e.g. `hand_crew_type1`, `engine`, `dozer_type2`) to
    /// build fireline along `path_m` from `t_start_s`. Returns when each cell is done;
    /// work stops at the first cell the resource cannot work or that has burned.
    pub fn build_line_m(
        &mut self,
        path_m: &[[f64; 2]],
        kind: &str,
        t_start_s: f64,
        table: &FirelineTable,
    ) -> Result<LinePlan, FireError> {
        let cells = polyline_cells(&self.sim.spec, path_m)?;
        self.sim
            .build_line_anderson(&cells, kind, t_start_s, table, &self.anderson_models)
    }

    /// Stops work on a line along `path_m` at `t_s` (crew re-tasked or withdrawn): cells
    /// of that path whose line would only be finished after `t_s` lose it; finished line
    /// stays. Returns the number of cells cancelled.
    pub fn cancel_line_m(&mut self, path_m: &[[f64; 2]], t_s: f64) -> Result<usize, FireError> {
        let cells = polyline_cells(&self.sim.spec, path_m)?;
        Ok(self.sim.cancel_unfinished_line(&cells, t_s))
    }

    /// A water drop on the circle (`centre_m`, `radius_m`) at `t_s`, wet for
    /// `duration_s`. Returns the number of cells wetted (at least the centre cell).
    pub fn drop_water_m(
        &mut self,
        centre_m: [f64; 2],
        radius_m: f64,
        t_s: f64,
        duration_s: f64,
    ) -> Result<usize, FireError> {
        let s = self.sim.spec;
        let centre = s.cell_at(centre_m[0], centre_m[1]).ok_or_else(|| {
            FireError::InvalidInput(format!(
                "drop centre ({:.1}, {:.1}) is outside the grid",
                centre_m[0], centre_m[1]
            ))
        })?;
        if !(radius_m.is_finite() && radius_m >= 0.0) {
            return Err(FireError::InvalidInput(format!(
                "bad drop radius {radius_m} m"
            )));
        }
        let reach = (radius_m / s.cell_size).ceil() as usize + 1;
        let (c0, r0) = centre;
        let mut cells = vec![centre];
        for r in r0.saturating_sub(reach)..(r0 + reach + 1).min(s.height) {
            for c in c0.saturating_sub(reach)..(c0 + reach + 1).min(s.width) {
                let [x, y] = s.cell_center(c, r);
                if (c, r) != centre && (x - centre_m[0]).hypot(y - centre_m[1]) <= radius_m {
                    cells.push((c, r));
                }
            }
        }
        self.sim.drop_water(&cells, t_s, duration_s)?;
        Ok(cells.len())
    }

    /// What attack the fire allows at (x, y): from the flame length with which fire
    /// arrived in that cell (`None` outside the grid or where it has not burned).
    pub fn attack_class_at_m(&self, x: f64, y: f64) -> Option<AttackClass> {
        let (c, r) = self.sim.spec.cell_at(x, y)?;
        if !self.sim.is_burned(c, r) {
            return None;
        }
        let i = self.sim.spec.index(c, r);
        Some(attack_class(f64::from(self.sim.flame[i])))
    }

    /// The grid fire model (read-only).
    pub fn model(&self) -> &FireSim {
        &self.sim
    }
}

impl FireHazards {
    /// The fire named `id` (the scenario's `name`, or `fire<k>`).
    pub fn fire_mut(&mut self, id: &str) -> Option<&mut FireInstance> {
        self.fires.iter_mut().find(|f| f.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polyline_cells_follow_the_line_in_order() {
        let spec = GridSpec {
            width: 10,
            height: 10,
            cell_size: 10.0,
            origin: [0.0, 0.0],
        };
        // West to east along y = 55 m (row 4), then north to y = 95 m.
        let cells = polyline_cells(&spec, &[[5.0, 55.0], [95.0, 55.0], [95.0, 95.0]]).unwrap();
        let mut want: Vec<(usize, usize)> = (0..10).map(|c| (c, 4)).collect();
        want.extend([(9, 3), (9, 2), (9, 1), (9, 0)]);
        assert_eq!(cells, want);
        assert!(polyline_cells(&spec, &[[5.0, 5.0], [150.0, 5.0]]).is_err());
        assert!(polyline_cells(&spec, &[]).is_err());
    }
}
