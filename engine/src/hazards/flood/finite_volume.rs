//! Finite-volume shallow-water solver: first-order Godunov scheme with HLL fluxes and
//! the hydrostatic reconstruction of Audusse et al. (2004); well balanced, positivity
//! preserving, semi-implicit Manning friction.
//!
//! ## Model
//! Conserved U = (h, hu, hv). At each face the bed is z* = max(z_L, z_R) and the
//! reconstructed depths h*_{L,R} = max(0, η_{L,R} − z*) (Audusse et al. 2004, eq. 2.4);
//! the HLL flux (Harten, Lax & van Leer 1983) uses those states with the dry-bed wave
//! speeds of Toro (2001, §10.5): s_L = min(u_L − c_L, u_R − c_R), s_R = max(u_L + c_L,
//! u_R + c_R), and u_R − 2c_R or u_L + 2c_L next to a dry cell. The tangential
//! momentum flux is upwinded with the mass flux. A cell sees its face momentum flux
//! minus ½ g h*² on its own side (the hydrostatic correction), so a lake at rest
//! produces exactly zero momentum change in floating point. Friction is applied
//! semi-implicitly: (hu, hv) ← (hu, hv) / (1 + Δt g n² |u| / h^{4/3}).
//! Δt = C Δx / max(|u|, |v|) + √(g h) with C ≤ 0.5 (positivity, Audusse et al. 2004,
//! Prop. 2.1 for the 2D unsplit scheme).
//!
//! As in the local inertial solver, each cell's outgoing mass fluxes are scaled down if
//! they would over-draw it (a guard against round-off only; under the CFL condition
//! the scheme is positive), so depths are never negative and mass is exact. The depth
//! update is compensated (formed in f64, the f32 rounding kept per cell as a residual
//! for the next step; Kahan 1965), see [`super::local_inertial`].
//!
//! ## Units
//! h in m, hu and hv in m²/s, g = 9.81 m/s².
//!
//! ## Assumptions
//! Hydrostatic pressure, first order in space and time, square cells. Velocities are
//! zero in cells shallower than 10⁻⁶ m. Closed edges reflect; free edges are
//! transmissive for outgoing flow (a ghost with the edge cell's depth and velocity on
//! a bed that continues the fall from the interior, so a sloping channel passes its
//! normal flow) and closed to incoming flow; fixed-level edges use a ghost cell at
//! that level whose normal velocity keeps the outgoing Riemann invariant u + 2c.
//!
//! ## References
//! - Audusse, E., Bouchut, F., Bristeau, M.-O., Klein, R., Perthame, B. (2004). A fast
//!   and stable well-balanced scheme with hydrostatic reconstruction for shallow water
//!   flows. *SIAM J. Sci. Comput.* 25(6), 2050–2065.
//! - Harten, A., Lax, P. D., van Leer, B. (1983). On upstream differencing and
//!   Godunov-type schemes for hyperbolic conservation laws. *SIAM Review* 25, 35–61.
//! - Kahan, W. (1965). Further remarks on reducing truncation errors. *Comm. ACM*
//!   8(1), 40.
//! - Toro, E. F. (2001). *Shock-Capturing Methods for Free-Surface Shallow Flows*.
//!   Wiley.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::active::Span;
use super::state::{Core, Edge, Forcing, G, RowStat, cbrt_pos};

/// Depth (m) below which velocities are zero.
const EPS_H: f32 = 1e-6;

/// Face flux: mass, tangential momentum, normal momentum minus own-side pressure for
/// the left/up cell and for the right/down cell.
#[derive(Clone, Copy, Debug, Default)]
struct Flux {
    h: f32,
    t: f32,
    dl: f32,
    dr: f32,
}

/// Momentum state of the finite-volume solver plus its face scratch.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FiniteVolume {
    /// x momentum hu (m²/s), eastward.
    hu: Vec<f32>,
    /// Row-direction momentum (m²/s), positive southward.
    hv: Vec<f32>,
    /// Courant number.
    pub cfl: f64,
    #[serde(skip)]
    fx: Vec<Flux>,
    #[serde(skip)]
    fy: Vec<Flux>,
    #[serde(skip)]
    scale: Vec<f32>,
}

#[inline(always)]
fn vel(h: f32, q: f32) -> f32 {
    if h > EPS_H { q / h } else { 0.0 }
}

/// HLL flux across a face with normal velocity `un` and tangential `ut`, bed levels
/// z_L, z_R, from states (h, un, ut) on each side.
#[inline(always)]
fn hll(l: (f32, f32, f32, f32), r: (f32, f32, f32, f32)) -> Flux {
    let (hl, ul, tl, zl) = l;
    let (hr, ur, tr, zr) = r;
    let zs = zl.max(zr);
    let a = (hl + zl - zs).max(0.0);
    let b = (hr + zr - zs).max(0.0);
    let (pl, pr) = (0.5 * G * a * a, 0.5 * G * b * b);
    if a <= 0.0 && b <= 0.0 {
        return Flux::default();
    }
    let (cl, cr) = ((G * a).sqrt(), (G * b).sqrt());
    let (sl, sr) = if a <= 0.0 {
        (ur - 2.0 * cr, ur + cr)
    } else if b <= 0.0 {
        (ul - cl, ul + 2.0 * cl)
    } else {
        ((ul - cl).min(ur - cr), (ul + cl).max(ur + cr))
    };
    let (fl_h, fl_m) = (a * ul, a * ul * ul + pl);
    let (fr_h, fr_m) = (b * ur, b * ur * ur + pr);
    let (fh, fm) = if sl >= 0.0 {
        (fl_h, fl_m)
    } else if sr <= 0.0 {
        (fr_h, fr_m)
    } else {
        let k = sl / (sr - sl);
        (
            fl_h - k * ((fr_h - fl_h) - sr * (b - a)),
            fl_m - k * ((fr_m - fl_m) - sr * (b * ur - a * ul)),
        )
    };
    let fh = if (fh > 0.0 && hl <= 0.0) || (fh < 0.0 && hr <= 0.0) {
        0.0
    } else {
        fh
    };
    Flux {
        h: fh,
        t: fh * if fh > 0.0 { tl } else { tr },
        dl: fm - pl,
        dr: fm - pr,
    }
}

/// Flux through an edge face; `cell` is (h, un, ut, z) with `un` positive outward,
/// returned in the outward orientation (the cell is the left state); `drop` (m, ≥ 0)
/// is how far the bed continues to fall beyond a free edge (see [`free_drop`]).
#[inline]
fn edge_flux(e: Edge, cell: (f32, f32, f32, f32), drop: f32) -> Flux {
    let (h, un, ut, z) = cell;
    match e {
        Edge::Closed => {
            let f = hll(cell, (h, -un, ut, z));
            Flux {
                h: 0.0,
                t: 0.0,
                ..f
            }
        }
        Edge::Free => {
            // Transmissive for outgoing flow: a ghost cell with the edge cell's depth
            // and velocity, on a bed that continues the slope below the edge cell by
            // `drop` (the larger of the bed and water-surface falls from the interior
            // neighbour, as the local inertial free edge). A ghost on the edge cell's
            // own bed (plain zero gradient) leaves the water surface flat across the
            // edge face: on a sloping channel the edge cell then feels only part of the
            // bed-slope force and backs water up. Water never enters through a free
            // edge (an inward-moving cell would otherwise draw unbounded inflow).
            let f = hll(cell, (h, un, ut, z - drop));
            if f.h > 0.0 { f } else { Flux::default() }
        }
        Edge::Level(l) => {
            // Subcritical ghost: depth from the level, normal velocity from the
            // outgoing Riemann invariant u + 2c (Toro 2001, §10.3).
            let hg = (l - z).max(0.0);
            let ug = un + 2.0 * ((G * h).sqrt() - (G * hg).sqrt());
            hll(cell, (hg, ug, ut, z))
        }
    }
}

/// Fall (m) of the bed beyond a free edge: the larger of the bed and water-surface
/// falls from the interior neighbour (`h_in`, `z_in`) to the edge cell (`h`, `z`), at
/// least 0; the same extrapolation as the local inertial free edge.
#[inline]
fn free_drop(h: f32, z: f32, h_in: f32, z_in: f32) -> f32 {
    ((z_in + h_in) - (z + h)).max(z_in - z).max(0.0)
}

/// Mirrors a flux computed in the outward orientation for a west/north edge.
#[inline]
fn flip(f: Flux) -> Flux {
    Flux {
        h: -f.h,
        t: -f.t,
        dl: f.dr,
        dr: f.dl,
    }
}

impl FiniteVolume {
    /// At rest on a `width × height` grid.
    pub fn new(width: usize, height: usize, cfl: f64) -> Self {
        Self {
            hu: vec![0.0; width * height],
            hv: vec![0.0; width * height],
            cfl,
            fx: Vec::new(),
            fy: Vec::new(),
            scale: Vec::new(),
        }
    }

    /// Cell velocity (u east, v north) in m/s.
    pub fn velocity(&self, core: &Core, i: usize) -> (f32, f32) {
        let h = core.h[i];
        if h <= core.velocity_depth {
            return (0.0, 0.0);
        }
        (vel(h, self.hu[i]), -vel(h, self.hv[i]))
    }

    /// Sets momenta (for initial conditions in tests): u east, v north (m/s).
    pub fn set_velocity(&mut self, core: &Core, i: usize, u: f32, v: f32) {
        self.hu[i] = core.h[i] * u;
        self.hv[i] = -core.h[i] * v;
    }

    /// Stable time step (s) for the largest wave speed.
    pub fn stable_dt(&self, dx: f64, max_wave: f32) -> f64 {
        if max_wave <= 0.0 {
            f64::INFINITY
        } else {
            self.cfl * dx / f64::from(max_wave)
        }
    }

    /// Largest wave speed of the current state.
    pub fn max_wave(&self, core: &Core) -> f32 {
        core.h
            .iter()
            .zip(self.hu.iter().zip(&self.hv))
            .map(|(&h, (&a, &b))| vel(h, a).abs().max(vel(h, b).abs()) + (G * h).sqrt())
            .fold(0.0, f32::max)
    }

    /// Advances one step; returns (max depth, max wave speed).
    pub fn step(&mut self, core: &mut Core, f: &Forcing) -> (f32, f32) {
        let (w, ht) = (core.grid.width, core.grid.height);
        if self.fx.len() != ht * (w + 1) {
            self.fx = vec![Flux::default(); ht * (w + 1)];
            self.fy = vec![Flux::default(); (ht + 1) * w];
            self.scale = vec![1.0; w * ht];
        }
        let everything = f.rain_m_s > 0.0;
        core.plan(everything);
        let (h, z) = (&core.h, &core.z);
        let (hu, hv) = (&self.hu, &self.hv);
        let faces = &core.active.faces;
        let cells = &core.active.cells;
        let st = |i: usize| (h[i], vel(h[i], hu[i]), vel(h[i], hv[i]), z[i]);

        // Pass 1: fluxes. x faces use (h, u, v, z); y faces (h, v, u, z).
        let (fy_main, fy_south) = self.fy.split_at_mut(ht * w);
        self.fx
            .par_chunks_mut(w + 1)
            .zip(fy_main.par_chunks_mut(w))
            .enumerate()
            .for_each(|(r, (fxr, fyr))| {
                let fs = faces[r];
                if fs.is_empty() {
                    return;
                }
                let row = r * w;
                let (lo, hi) = (fs.lo as usize, fs.hi as usize);
                let a = lo.max(1);
                for (k, out) in fxr.iter_mut().enumerate().take(hi.min(w - 1) + 1).skip(a) {
                    *out = hll(st(row + k - 1), st(row + k));
                }
                // Interior neighbour of an edge cell (the cell itself on a 1-cell axis).
                let fall = |i: usize, j: usize| free_drop(h[i], z[i], h[j], z[j]);
                if lo == 0 {
                    let (a, u, v, b) = st(row);
                    let d = fall(row, row + usize::from(w > 1));
                    fxr[0] = flip(edge_flux(f.edges.west, (a, -u, v, b), d));
                }
                if hi == w {
                    let e = row + w - 1;
                    let d = fall(e, e - usize::from(w > 1));
                    fxr[w] = edge_flux(f.edges.east, st(e), d);
                }
                let sy = |i: usize| {
                    let (a, u, v, b) = st(i);
                    (a, v, u, b)
                };
                for k in fs.range() {
                    fyr[k] = if r == 0 {
                        let (a, v, u, b) = sy(k);
                        let d = fall(k, if ht > 1 { w + k } else { k });
                        flip(edge_flux(f.edges.north, (a, -v, u, b), d))
                    } else {
                        hll(sy(row - w + k), sy(row + k))
                    };
                }
            });
        let last = (ht - 1) * w;
        for k in faces[ht - 1].range() {
            let (a, u, v, b) = st(last + k);
            let i_in = if ht > 1 { last - w + k } else { last + k };
            let d = free_drop(h[last + k], z[last + k], h[i_in], z[i_in]);
            fy_south[k] = edge_flux(f.edges.south, (a, v, u, b), d);
        }

        // Pass 2: outflow scale.
        let kdt = f.dt / core.grid.cell_size as f32;
        let kdt64 = f64::from(f.dt) / core.grid.cell_size;
        let (fx, fy) = (&self.fx, &self.fy);
        self.scale
            .par_chunks_mut(w)
            .enumerate()
            .for_each(|(r, srow)| {
                for c in cells[r].range() {
                    let (xw, xe) = (fx[r * (w + 1) + c].h, fx[r * (w + 1) + c + 1].h);
                    let (yn, ys) = (fy[r * w + c].h, fy[(r + 1) * w + c].h);
                    let out = kdt * (xe.max(0.0) + (-xw).max(0.0) + ys.max(0.0) + (-yn).max(0.0));
                    let d = h[r * w + c];
                    srow[c] = if out > d { d / out * (1.0 - 1e-6) } else { 1.0 };
                }
            });

        // Pass 3: update.
        let scale = &self.scale;
        let dx = core.grid.cell_size;
        let (rain_mult, drain) = (core.rain_mult.as_deref(), core.drain_m_s.as_deref());
        let (n, dry, vdepth) = (&core.n, core.dry_depth, core.velocity_depth);
        let mut new_h = std::mem::take(&mut core.h);
        new_h
            .par_chunks_mut(w)
            .zip(self.hu.par_chunks_mut(w))
            .zip(self.hv.par_chunks_mut(w))
            .zip(core.max_depth.par_chunks_mut(w))
            .zip(core.max_speed.par_chunks_mut(w))
            .zip(core.arrival.par_chunks_mut(w))
            .zip(core.rows.par_iter_mut())
            .zip(core.h_res.par_chunks_mut(w))
            .enumerate()
            .for_each(|(r, (((((((hr, hur), hvr), mdr), msr), arr), out), rr))| {
                *out = RowStat::default();
                let cs = cells[r];
                if cs.is_empty() {
                    return;
                }
                let row = r * w;
                let sc = |i: usize| scale[i];
                let (mut wet, mut max_h, mut max_wave) = (Span::EMPTY, 0.0_f32, 0.0_f32);
                let (mut bout, mut rain_v, mut drain_v) = (0.0_f64, 0.0_f64, 0.0_f64);
                for c in cs.range() {
                    let i = row + c;
                    let mut xw = fx[r * (w + 1) + c];
                    let mut xe = fx[r * (w + 1) + c + 1];
                    let mut yn = fy[i];
                    let mut ys = fy[i + w];
                    // Donor scaling of mass and tangential fluxes.
                    let dw = if xw.h > 0.0 {
                        if c > 0 { sc(i - 1) } else { 1.0 }
                    } else {
                        sc(i)
                    };
                    let de = if xe.h > 0.0 {
                        sc(i)
                    } else if c + 1 < w {
                        sc(i + 1)
                    } else {
                        1.0
                    };
                    let dn = if yn.h > 0.0 {
                        if r > 0 { sc(i - w) } else { 1.0 }
                    } else {
                        sc(i)
                    };
                    let ds = if ys.h > 0.0 {
                        sc(i)
                    } else if r + 1 < ht {
                        sc(i + w)
                    } else {
                        1.0
                    };
                    for (fl, d) in [(&mut xw, dw), (&mut xe, de), (&mut yn, dn), (&mut ys, ds)] {
                        fl.h *= d;
                        fl.t *= d;
                    }
                    // Compensated depth update (as in the local inertial solver): the
                    // new depth in f64 with the residual the f32 depth could not hold,
                    // rounded to f32, the rounding kept as the next residual, so a
                    // steady through-flow does not repeat the same rounding every step.
                    let net =
                        (f64::from(xe.h) - f64::from(xw.h)) + (f64::from(ys.h) - f64::from(yn.h));
                    let s64 = (f64::from(hr[c]) + f64::from(rr[c]) - kdt64 * net).max(0.0);
                    let mut hn = s64 as f32;
                    rr[c] = (s64 - f64::from(hn)) as f32;
                    let mut qu = hur[c] - kdt * (xe.dl - xw.dr + ys.t - yn.t);
                    let mut qv = hvr[c] - kdt * (ys.dl - yn.dr + xe.t - xw.t);
                    if c == 0 {
                        bout -= f64::from(xw.h);
                    }
                    if c + 1 == w {
                        bout += f64::from(xe.h);
                    }
                    if r == 0 {
                        bout -= f64::from(yn.h);
                    }
                    if r + 1 == ht {
                        bout += f64::from(ys.h);
                    }
                    if f.rain_m_s > 0.0 {
                        let add = f.rain_m_s * f.dt * rain_mult.map_or(1.0, |m| m[i]);
                        let before = hn;
                        hn += add;
                        rain_v += f64::from(hn) - f64::from(before);
                    }
                    if let Some(d) = drain {
                        let take = (d[i] * f.dt).min(hn);
                        if take > 0.0 {
                            let before = hn;
                            hn = (hn - take).max(0.0);
                            drain_v += f64::from(before) - f64::from(hn);
                        }
                    }
                    let hn = hn.max(0.0);
                    if hn > EPS_H {
                        let speed = (qu * qu + qv * qv).sqrt() / hn;
                        let h43 = hn * cbrt_pos(hn);
                        let fr = 1.0 + f.dt * G * n[i] * n[i] * speed / h43;
                        qu /= fr;
                        qv /= fr;
                    } else {
                        qu = 0.0;
                        qv = 0.0;
                    }
                    hr[c] = hn;
                    hur[c] = qu;
                    hvr[c] = qv;
                    if hn > 0.0 {
                        wet.include(c as u32);
                        max_h = max_h.max(hn);
                        let (u, v) = (vel(hn, qu), vel(hn, qv));
                        max_wave = max_wave.max(u.abs().max(v.abs()) + (G * hn).sqrt());
                        let speed = if hn > vdepth {
                            (u * u + v * v).sqrt()
                        } else {
                            0.0
                        };
                        Core::track(
                            hn,
                            speed,
                            f.t_end,
                            dry,
                            &mut mdr[c],
                            &mut msr[c],
                            &mut arr[c],
                        );
                    }
                }
                *out = RowStat {
                    wet,
                    max_h,
                    max_wave,
                    boundary_out: bout * f64::from(f.dt) * dx,
                    rain: rain_v * dx * dx,
                    drain: drain_v * dx * dx,
                };
            });
        core.h = new_h;
        core.reduce_rows(everything)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lake_at_rest_flux_is_pure_pressure() {
        // η = 1 m over beds 0.2 and 0.5 m: both sides see h* = 0.5 m, u = 0.
        let f = hll((0.8, 0.0, 0.0, 0.2), (0.5, 0.0, 0.0, 0.5));
        assert_eq!((f.h, f.t, f.dl, f.dr), (0.0, 0.0, 0.0, 0.0));
        // Water below a higher dry step: no flux at all.
        let f = hll((0.3, 0.0, 0.0, 0.0), (0.0, 0.0, 0.0, 1.0));
        assert_eq!((f.h, f.dl, f.dr), (0.0, 0.0, 0.0));
    }

    #[test]
    fn hll_is_consistent() {
        // Equal states: the flux is the physical flux F(U) (Toro 2001, consistency).
        let f = hll((2.0, 1.5, 0.3, 0.0), (2.0, 1.5, 0.3, 0.0));
        assert!((f.h - 3.0).abs() < 1e-6);
        assert!((f.dl - 2.0 * 1.5 * 1.5).abs() < 1e-5);
        assert!((f.t - 0.9).abs() < 1e-6);
    }
}
