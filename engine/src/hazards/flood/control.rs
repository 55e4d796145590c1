//! Controls other capabilities apply to a running flood (response teams).

use super::FloodModel;

impl FloodModel {
    /// Raises the ground of the dry cells among `cells` (flat indices) by `dz_m` — a
    /// sandbag wall. Wet cells are left alone (bags are laid in the dry), so no water is
    /// created or destroyed. Returns the number of cells raised.
    pub fn raise_ground(&mut self, cells: &[usize], dz_m: f32) -> usize {
        let core = &mut self.core;
        let mut raised = 0;
        for &i in cells {
            if i < core.z.len() && core.h[i] <= core.dry_depth {
                core.z[i] += dz_m;
                core.z_base[i] += dz_m;
                raised += 1;
            }
        }
        raised
    }
}
