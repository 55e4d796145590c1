//! Local inertial flood solver (LISFLOOD-FP "ACC"): explicit face discharges driven by
//! the water-surface slope with semi-implicit Manning friction and θ-smoothing.
//!
//! ## Model
//! Per face between cells i → j (x: west → east; y: north → south), with
//! η = z + h and h_f = max(η_i, η_j) − max(z_i, z_j) (Bates et al. 2010, eq. 6):
//!
//! q^{n+1} = [θ q^n + (1−θ)/2 (q^n_{−} + q^n_{+}) − g h_f Δt (η_j − η_i)/Δx]
//!           / [1 + g Δt n² |q^n| / h_f^{7/3}]            (de Almeida et al. 2012, eq. 7)
//!
//! where q_± are the neighbouring faces in the same direction (q_{i−3/2}, q_{i+1/2} for
//! the face i−1/2), all at the old time level; q = 0 when h_f ≤ the dry threshold or
//! when the donor cell is empty. Then h^{n+1} = h^n + Δt/Δx Σ(q_in − q_out) + sources.
//!
//! **Time step.** Δt = C Δx / max(√(g h_max), 5/3 u_max) (Bates et al. 2010, eq. 12,
//! with the largest depth of the grid) where C = min(α, 0.9 √(θ/2)) and u_max is the
//! largest |q| / max(h, velocity_depth_m) of the last step. The u_max term matters only for thin, fast sheet
//! flow on steep slopes, where Manning speeds exceed √(g h): there the depth moves as
//! a kinematic wave of celerity 5/3 u (Lighthill & Whitham 1955), and without the
//! term such films zigzag from cell to cell (at C = 0.53 on u alone the steady
//! depth of a rain-fed plane was 10 % off Manning; tests/flood_stability.rs). The cap comes from a linear von
//! Neumann analysis of the scheme above in 2D without friction, uniform depth h:
//! with a = θ + (1−θ) cos k per direction and C = Δt √(g h)/Δx, the amplification
//! matrix of (q_x, q_y, η) has, for the checkerboard mode k = l = π, determinant
//! a = 2θ − 1 and trace 2θ − 8C²; both roots lie in the unit circle iff 8C² ≤ 4θ,
//! i.e. C ≤ √(θ/2) (in 1D the same algebra gives C ≤ √θ). With
//! θ = 0.7 that is 0.59, below the α = 0.7 of Bates et al., so without the cap the
//! deepest cells of a smooth, deep channel grow a grid-scale oscillation that only
//! friction can hold back (tests/flood_stability.rs). The 0.9 margin covers the
//! depth variation the linear analysis ignores.
//!
//! **Froude limit (optional).** With `max_froude` set, every face discharge is
//! clipped to |q| ≤ Fr_max h_f √(g h_f), as LISFLOOD-FP's `max_Froude` option does:
//! the inertial equations drop advection and are meant for subcritical flow
//! (de Almeida & Bates 2013), and the limit keeps thin sheet flow on steep slopes
//! from reaching the speeds of an unresolved supercritical jet.
//!
//! **Velocity output.** Cell speeds (maximum speed, hazard rating, point queries)
//! are (q_w + q_e)/2 and (q_n + q_s)/2 divided by the step's mean depth, and are
//! counted only where the depth exceeds `velocity_depth_m` (default 1 cm; in the
//! maximum speed, at both ends of the step): below it
//! q / h amplifies the flux error of a film without bound.
//!
//! **No negative depth, exact mass**: before the depth update each cell's total
//! outflow Δt/Δx Σ q_out is compared with its depth; when larger, all its outgoing
//! faces are scaled by (h / outflow)(1 − 10⁻⁶), so no cell is over-drawn and every
//! volume that leaves one cell enters another (or a boundary account).
//!
//! Three passes per step, each parallel over rows and each row independent:
//! (1) raw face discharges into scratch, (2) per-cell outflow scale, (3) scaled
//! discharges back into the state, depth update with rain and drainage, outputs and
//! row statistics. Results are bit-identical for any number of threads.
//!
//! ## Units
//! q in m²/s (discharge per unit width), h, z, η in m, n in s m^-1/3, Δt in s.
//!
//! ## Assumptions
//! Gradually varied, subcritical flow (no advection term); square cells. At a free
//! outflow edge the water surface is extrapolated linearly (or follows the bed if
//! steeper) and only outflow is allowed; at a fixed-level edge a ghost cell of that
//! level and the edge cell's bed drives flow both ways.
//!
//! ## References
//! - Bates, P. D., Horritt, M. S., Fewtrell, T. J. (2010). A simple inertial
//!   formulation of the shallow water equations for efficient two-dimensional flood
//!   inundation modelling. *J. Hydrology* 387, 33–45.
//! - de Almeida, G. A. M., Bates, P., Freer, J. E., Souvignet, M. (2012). Improving the
//!   stability of a simple formulation of the shallow water equations for 2-D flood
//!   modeling. *Water Resources Research* 48, W05528.
//! - de Almeida, G. A. M., Bates, P. (2013). Applicability of the local inertial
//!   approximation of the shallow water equations to flood modeling. *Water Resources
//!   Research* 49, 4833–4844.
//! - Lighthill, M. J., Whitham, G. B. (1955). On kinematic waves I. Flood movement in
//!   long rivers. *Proc. R. Soc. A* 229, 281–316.
//! - LISFLOOD-FP user manual (University of Bristol), parameter `max_Froude`.
//! - Hunter, N. M., Horritt, M. S., Bates, P. D., Wilson, M. D., Werner, M. G. F.
//!   (2005). An adaptive time step solution for raster-based storage cell modelling of
//!   floodplain inundation. *Adv. Water Resources* 28, 975–991.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::state::{Core, Edge, Forcing, G, RowStat, cbrt_pos, inv_cbrt_pos};

/// Safety factor on the linear stability bound √(θ/2) of the Courant number (the
/// bound is for uniform depth without friction; depth varies in real runs).
const STABILITY_MARGIN: f64 = 0.9;

/// Kinematic-wave celerity over flow speed for Manning friction, c = (5/3) u
/// (Lighthill & Whitham 1955).
const KINEMATIC_CELERITY: f64 = 5.0 / 3.0;

/// Scratch and face state of the local inertial solver.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LocalInertial {
    /// x-face discharges (m²/s), `height × (width + 1)`, positive eastward.
    qx: Vec<f32>,
    /// y-face discharges (m²/s), `(height + 1) × width`, positive southward.
    qy: Vec<f32>,
    /// θ of de Almeida et al. (2012).
    theta: f32,
    /// α of the CFL condition.
    pub alpha: f64,
    /// Largest Froude number of a face discharge (`None` = no limit).
    max_froude: Option<f32>,
    #[serde(skip)]
    qx_raw: Vec<f32>,
    #[serde(skip)]
    qy_raw: Vec<f32>,
    #[serde(skip)]
    scale: Vec<f32>,
    #[serde(skip)]
    ones: Vec<f32>,
}

/// Read-only inputs of one row task.
struct Ctx<'a> {
    w: usize,
    ht: usize,
    dt: f32,
    inv_dx: f32,
    dry: f32,
    theta: f32,
    /// Depth (m) above which a cell's speed is recorded.
    vel: f32,
    /// Fr_max √g (∞ without a limit): |q| ≤ this × h_f^{3/2}.
    fr_sqrt_g: f32,
    h: &'a [f32],
    z: &'a [f32],
    n: &'a [f32],
    f: &'a Forcing,
}

/// max for non-NaN inputs that compiles to a single SIMD max (f32::max adds NaN
/// handling that costs several instructions per lane without AVX).
#[inline(always)]
fn fmax(a: f32, b: f32) -> f32 {
    if a > b { a } else { b }
}

/// min for non-NaN inputs (see [`fmax`]).
#[inline(always)]
fn fmin(a: f32, b: f32) -> f32 {
    if a < b { a } else { b }
}

/// Raw discharge through an interior face from cell i to cell j (branch-free so the
/// row loops vectorise).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn face<const LIMIT: bool>(
    c: &Ctx<'_>,
    q0: f32,
    qsum: f32,
    hi: f32,
    zi: f32,
    hj: f32,
    zj: f32,
    nf: f32,
) -> f32 {
    let (ei, ej) = (zi + hi, zj + hj);
    let hf = fmax(ei, ej) - fmax(zi, zj);
    let hs = fmax(hf, c.dry);
    let y = inv_cbrt_pos(hs);
    let y2 = y * y;
    let hm73 = y2 * y2 * y2 * y;
    let qa = c.theta * q0 + (1.0 - c.theta) * 0.5 * qsum;
    let mut q =
        (qa - G * hs * c.dt * (ej - ei) * c.inv_dx) / (1.0 + G * c.dt * nf * nf * q0.abs() * hm73);
    if LIMIT {
        let qmax = c.fr_sqrt_g * hs * hs.sqrt();
        q = fmax(-qmax, if q < qmax { q } else { qmax });
    }
    let donor_empty = (q > 0.0) & (hi <= 0.0) | (q < 0.0) & (hj <= 0.0);
    if (hf > c.dry) & !donor_empty { q } else { 0.0 }
}

/// Outward discharge (m²/s) through an edge face of a cell (h, z, n) whose interior
/// neighbour is (h_in, z_in); `q0` is the previous outward discharge.
#[inline]
#[allow(clippy::too_many_arguments)]
fn edge_out(c: &Ctx<'_>, e: Edge, q0: f32, h: f32, z: f32, n: f32, h_in: f32, z_in: f32) -> f32 {
    let (hf, slope) = match e {
        Edge::Closed => return 0.0,
        Edge::Free => {
            let s = ((z_in + h_in) - (z + h)).max(z_in - z).max(0.0);
            (h, s * c.inv_dx)
        }
        Edge::Level(l) => ((z + h).max(l) - z, ((z + h) - l) * c.inv_dx),
    };
    if hf <= c.dry {
        return 0.0;
    }
    let h73 = hf * hf * cbrt_pos(hf);
    let q = (q0 + G * hf * c.dt * slope) / (1.0 + G * c.dt * n * n * q0.abs() / h73);
    let qmax = c.fr_sqrt_g * hf * hf.sqrt();
    let q = q.clamp(-qmax, qmax);
    match e {
        Edge::Free => q.max(0.0),
        _ if q > 0.0 && h <= 0.0 => 0.0,
        _ => q,
    }
}

impl LocalInertial {
    /// Zero discharges for a `width × height` grid.
    pub fn new(
        width: usize,
        height: usize,
        theta: f64,
        alpha: f64,
        max_froude: Option<f64>,
    ) -> Self {
        Self {
            qx: vec![0.0; height * (width + 1)],
            qy: vec![0.0; (height + 1) * width],
            theta: theta as f32,
            alpha,
            max_froude: max_froude.map(|f| f as f32),
            qx_raw: Vec::new(),
            qy_raw: Vec::new(),
            scale: Vec::new(),
            ones: Vec::new(),
        }
    }

    fn ensure_scratch(&mut self, cells: usize) {
        if self.qx_raw.len() != self.qx.len() {
            self.qx_raw = vec![0.0; self.qx.len()];
            self.qy_raw = vec![0.0; self.qy.len()];
            self.scale = vec![1.0; cells];
            self.ones = vec![1.0; self.qy.len() - cells];
        }
    }

    /// The Courant number actually used: α, but at most 0.9 √(θ/2), the 2D stability
    /// bound of the θ scheme's checkerboard mode (see the module header).
    pub fn courant(&self) -> f64 {
        self.alpha
            .min(STABILITY_MARGIN * (0.5 * f64::from(self.theta)).sqrt())
    }

    /// Stable time step (s) for the current largest depth `h_max` (m) and largest
    /// transport speed `u_max` (m/s, from the last step).
    pub fn stable_dt(&self, dx: f64, h_max: f32, u_max: f32) -> f64 {
        let speed = (f64::from(G) * f64::from(h_max))
            .sqrt()
            .max(KINEMATIC_CELERITY * f64::from(u_max));
        if speed <= 0.0 {
            f64::INFINITY
        } else {
            self.courant() * dx / speed
        }
    }

    /// Cell-centred velocity (u east, v north) in m/s at cell index `i`.
    pub fn velocity(&self, core: &Core, i: usize) -> (f32, f32) {
        let w = core.grid.width;
        let (r, c) = (i / w, i % w);
        let h = core.h[i];
        if h <= core.velocity_depth {
            return (0.0, 0.0);
        }
        let qx = 0.5 * (self.qx[r * (w + 1) + c] + self.qx[r * (w + 1) + c + 1]);
        let qy = 0.5 * (self.qy[r * w + c] + self.qy[(r + 1) * w + c]);
        (qx / h, -qy / h)
    }

    /// Advances `core` by one step; returns (max depth, max transport speed).
    pub fn step(&mut self, core: &mut Core, f: &Forcing) -> (f32, f32) {
        let (w, ht) = (core.grid.width, core.grid.height);
        self.ensure_scratch(w * ht);
        let everything = f.rain_m_s > 0.0;
        core.plan(everything);
        let fr_sqrt_g = self.max_froude.map_or(f32::INFINITY, |f| f * G.sqrt());
        let limit = self.max_froude.is_some();
        let ctx = Ctx {
            w,
            ht,
            dt: f.dt,
            inv_dx: (1.0 / core.grid.cell_size) as f32,
            dry: core.dry_depth,
            theta: self.theta,
            fr_sqrt_g,
            vel: core.velocity_depth,
            h: &core.h,
            z: &core.z,
            n: &core.n,
            f,
        };
        let faces = &core.active.faces;
        let cells = &core.active.cells;

        // Pass 1: raw discharges.
        let (qyr_main, qyr_south) = self.qy_raw.split_at_mut(ht * w);
        let (qx, qy) = (&self.qx, &self.qy);
        self.qx_raw
            .par_chunks_mut(w + 1)
            .zip(qyr_main.par_chunks_mut(w))
            .enumerate()
            .for_each(|(r, (qxr, qyr))| {
                if limit {
                    raw_row::<true>(&ctx, qx, qy, faces[r], r, qxr, qyr);
                } else {
                    raw_row::<false>(&ctx, qx, qy, faces[r], r, qxr, qyr);
                }
            });
        let last = ht - 1;
        for c in faces[last].range() {
            let i = last * w + c;
            let (h_in, z_in) = if ht > 1 {
                (ctx.h[i - w], ctx.z[i - w])
            } else {
                (ctx.h[i], ctx.z[i])
            };
            let e = f.edges.south;
            qyr_south[c] = edge_out(
                &ctx,
                e,
                qy[ht * w + c],
                ctx.h[i],
                ctx.z[i],
                ctx.n[i],
                h_in,
                z_in,
            );
        }

        // Pass 2: outflow scale per cell.
        let (qxr, qyr) = (&self.qx_raw, &self.qy_raw);
        self.scale
            .par_chunks_mut(w)
            .enumerate()
            .for_each(|(r, srow)| {
                let k = ctx.dt * ctx.inv_dx;
                let rg = cells[r].range();
                let (a, len) = (rg.start, rg.len());
                let (xb, yb) = (r * (w + 1) + a, r * w + a);
                let (xw, xe) = (&qxr[xb..xb + len], &qxr[xb + 1..xb + 1 + len]);
                let (yn, ys) = (&qyr[yb..yb + len], &qyr[yb + w..yb + w + len]);
                let (h, out) = (&ctx.h[yb..yb + len], &mut srow[a..a + len]);
                for j in 0..len {
                    let o = k
                        * (fmax(xe[j], 0.0)
                            + fmax(-xw[j], 0.0)
                            + fmax(ys[j], 0.0)
                            + fmax(-yn[j], 0.0));
                    out[j] = if o > h[j] {
                        h[j] / o * (1.0 - 1e-6)
                    } else {
                        1.0
                    };
                }
            });

        // Pass 3: scaled discharges, depth update, outputs.
        let (scale, ones) = (&self.scale, &self.ones);
        let (qya_main, qya_south) = self.qy.split_at_mut(ht * w);
        let dx = core.grid.cell_size;
        let (rain_mult, drain) = (core.rain_mult.as_deref(), core.drain_m_s.as_deref());
        let ctx3 = Ctx {
            w,
            ht,
            dt: f.dt,
            inv_dx: ctx.inv_dx,
            dry: ctx.dry,
            theta: ctx.theta,
            fr_sqrt_g,
            vel: ctx.vel,
            h: &[],
            z: &core.z,
            n: &core.n,
            f,
        };
        core.h
            .par_chunks_mut(w)
            .zip(self.qx.par_chunks_mut(w + 1))
            .zip(qya_main.par_chunks_mut(w))
            .zip(core.max_depth.par_chunks_mut(w))
            .zip(core.max_speed.par_chunks_mut(w))
            .zip(core.arrival.par_chunks_mut(w))
            .zip(core.rows.par_iter_mut())
            .enumerate()
            .for_each(|(r, ((((((hrow, qxa), qya), mdr), msr), arr), st))| {
                let mut rows = RowOut {
                    hrow,
                    qxa,
                    qya,
                    mdr,
                    msr,
                    arr,
                    st,
                };
                update_row(
                    &ctx3, qxr, qyr, scale, ones, faces[r], cells[r], r, rain_mult, drain, dx,
                    &mut rows,
                );
            });
        // South edge faces: scale by their donor and store.
        for c in faces[last].range() {
            let q = qyr[ht * w + c];
            let s = if q > 0.0 { scale[last * w + c] } else { 1.0 };
            qya_south[c] = q * s;
        }
        core.reduce_rows(everything)
    }
}

/// Pass 1 for row `r`: raw x faces of the row and the row's north y faces.
fn raw_row<const LIMIT: bool>(
    c: &Ctx<'_>,
    qx: &[f32],
    qy: &[f32],
    fs: super::active::Span,
    r: usize,
    qxr: &mut [f32],
    qyr: &mut [f32],
) {
    if fs.is_empty() {
        return;
    }
    let w = c.w;
    let (h, z, n) = (
        &c.h[r * w..(r + 1) * w],
        &c.z[r * w..(r + 1) * w],
        &c.n[r * w..(r + 1) * w],
    );
    let qx0 = &qx[r * (w + 1)..(r + 1) * (w + 1)];
    let (lo, hi) = (fs.lo as usize, fs.hi as usize);
    // Interior x faces k between cells k-1 and k, on equal-length slices.
    let (a, b) = (lo.max(1), hi.min(w - 1));
    if a <= b {
        let len = b + 1 - a;
        let out = &mut qxr[a..a + len];
        let (ql, q0, qr) = (
            &qx0[a - 1..a - 1 + len],
            &qx0[a..a + len],
            &qx0[a + 1..a + 1 + len],
        );
        let (hl, hr) = (&h[a - 1..a - 1 + len], &h[a..a + len]);
        let (zl, zr) = (&z[a - 1..a - 1 + len], &z[a..a + len]);
        let (nl, nr) = (&n[a - 1..a - 1 + len], &n[a..a + len]);
        for j in 0..len {
            out[j] = face::<LIMIT>(
                c,
                q0[j],
                ql[j] + qr[j],
                hl[j],
                zl[j],
                hr[j],
                zr[j],
                0.5 * (nl[j] + nr[j]),
            );
        }
    }
    if lo == 0 {
        let (hin, zin) = if w > 1 { (h[1], z[1]) } else { (h[0], z[0]) };
        qxr[0] = -edge_out(c, c.f.edges.west, -qx0[0], h[0], z[0], n[0], hin, zin);
    }
    if hi == w {
        let (hin, zin) = if w > 1 {
            (h[w - 2], z[w - 2])
        } else {
            (h[0], z[0])
        };
        qxr[w] = edge_out(
            c,
            c.f.edges.east,
            qx0[w],
            h[w - 1],
            z[w - 1],
            n[w - 1],
            hin,
            zin,
        );
    }
    // North y faces of row r.
    if r == 0 {
        for k in fs.range() {
            let (hin, zin) = if c.ht > 1 {
                (c.h[w + k], c.z[w + k])
            } else {
                (h[k], z[k])
            };
            qyr[k] = -edge_out(c, c.f.edges.north, -qy[k], h[k], z[k], n[k], hin, zin);
        }
    } else {
        let up = (r - 1) * w;
        let (hu, zu, nu) = (&c.h[up..up + w], &c.z[up..up + w], &c.n[up..up + w]);
        let rg = fs.range();
        let (a, len) = (rg.start, rg.len());
        let qprev = &qy[up + a..up + a + len];
        let qthis = &qy[r * w + a..r * w + a + len];
        let qnext = &qy[(r + 1) * w + a..(r + 1) * w + a + len];
        let (hu, zu, nu) = (&hu[a..a + len], &zu[a..a + len], &nu[a..a + len]);
        let (hd, zd, nd) = (&h[a..a + len], &z[a..a + len], &n[a..a + len]);
        let out = &mut qyr[a..a + len];
        for k in 0..len {
            out[k] = face::<LIMIT>(
                c,
                qthis[k],
                qprev[k] + qnext[k],
                hu[k],
                zu[k],
                hd[k],
                zd[k],
                0.5 * (nu[k] + nd[k]),
            );
        }
    }
}

/// Mutable per-row outputs of pass 3.
struct RowOut<'a> {
    hrow: &'a mut [f32],
    qxa: &'a mut [f32],
    qya: &'a mut [f32],
    mdr: &'a mut [f32],
    msr: &'a mut [f32],
    arr: &'a mut [f32],
    st: &'a mut RowStat,
}

/// Pass 3 for row `r`: scaled discharges into the state, depth update, outputs.
#[allow(clippy::too_many_arguments)]
fn update_row(
    c: &Ctx<'_>,
    qxr: &[f32],
    qyr: &[f32],
    scale: &[f32],
    ones: &[f32],
    fs: super::active::Span,
    cs: super::active::Span,
    r: usize,
    rain_mult: Option<&[f32]>,
    drain: Option<&[f32]>,
    dx: f64,
    o: &mut RowOut<'_>,
) {
    let w = c.w;
    *o.st = RowStat::default();
    if fs.is_empty() {
        return;
    }
    let row = r * w;
    let qx = &qxr[r * (w + 1)..(r + 1) * (w + 1)];
    let s = &scale[row..row + w];
    let s_up = if r > 0 { &scale[row - w..row] } else { ones };
    let s_dn = if r + 1 < c.ht {
        &scale[row + w..row + 2 * w]
    } else {
        ones
    };
    let (lo, hi) = (fs.lo as usize, fs.hi as usize);
    // Scaled x faces: the donor is the upstream cell; ghosts beyond the edges give 1.
    let (a, b) = (lo.max(1), hi.min(w - 1));
    if a <= b {
        let len = b + 1 - a;
        let (q, out) = (&qx[a..a + len], &mut o.qxa[a..a + len]);
        let (sl, sr) = (&s[a - 1..a - 1 + len], &s[a..a + len]);
        for j in 0..len {
            out[j] = q[j] * if q[j] > 0.0 { sl[j] } else { sr[j] };
        }
    }
    if lo == 0 {
        o.qxa[0] = qx[0] * if qx[0] > 0.0 { 1.0 } else { s[0] };
    }
    if hi == w {
        o.qxa[w] = qx[w] * if qx[w] > 0.0 { s[w - 1] } else { 1.0 };
    }
    {
        let len = hi - lo;
        let (q, out) = (&qyr[row + lo..row + lo + len], &mut o.qya[lo..lo + len]);
        let (su, sd) = (&s_up[lo..lo + len], &s[lo..lo + len]);
        for j in 0..len {
            out[j] = q[j] * if q[j] > 0.0 { su[j] } else { sd[j] };
        }
    }
    let k_dt = c.dt * c.inv_dx;
    let rain = c.f.rain_m_s * c.dt;
    let (t_end, dry, vel) = (c.f.t_end, c.dry, c.vel);
    let (clo, len) = (cs.range().start, cs.range().len());
    let mut bout = 0.0_f64;
    let mut umax = 0_u32;
    let (mut rain_v, mut drain_v) = (0.0_f64, 0.0_f64);
    if len > 0 {
        let hrow = &mut o.hrow[clo..clo + len];
        let (fw, fe) = (&o.qxa[clo..clo + len], &o.qxa[clo + 1..clo + 1 + len]);
        let fn_ = &o.qya[clo..clo + len];
        let qs = &qyr[row + w + clo..row + w + clo + len];
        let (ss, sdn) = (&s[clo..clo + len], &s_dn[clo..clo + len]);
        let (md, ms, ar) = (
            &mut o.mdr[clo..clo + len],
            &mut o.msr[clo..clo + len],
            &mut o.arr[clo..clo + len],
        );
        for j in 0..len {
            let fs_ = qs[j] * if qs[j] > 0.0 { ss[j] } else { sdn[j] };
            let h_old = hrow[j];
            let h = fmax(h_old + k_dt * (fw[j] - fe[j] + fn_[j] - fs_), 0.0);
            hrow[j] = h;
            // The step's discharges carried the water present during the step: divide
            // by the mean depth, so a cell drained to a film in one step does not report
            // q / h_film (thousands of m/s) as its speed; speeds count only while the
            // cell stays above the velocity threshold for the whole step.
            // One division serves both: when the speed counts, the mean depth exceeds
            // the velocity threshold anyway.
            let inv_h = 1.0 / fmax(0.5 * (h + h_old), vel);
            let u = 0.5 * (fw[j] + fe[j]) * inv_h;
            let v = 0.5 * (fn_[j] + fs_) * inv_h;
            let wet = h > dry;
            let speed = if fmin(h, h_old) > vel {
                (u * u + v * v).sqrt()
            } else {
                0.0
            };
            // Transport speed for the next step's CFL: largest face discharge over the
            // mean depth, floored at the velocity threshold (a cell that drains a film
            // in one step would otherwise report ~Δx/Δt and shrink the next step
            // without bound). Non-negative, so its bits order like the value: an
            // integer max that vectorises.
            let qm = fmax(
                fmax(fw[j].abs(), fe[j].abs()),
                fmax(fn_[j].abs(), fs_.abs()),
            );
            umax = umax.max((qm * inv_h).to_bits());
            md[j] = fmax(md[j], h);
            ms[j] = fmax(ms[j], speed);
            ar[j] = if wet & (ar[j] < 0.0) { t_end } else { ar[j] };
        }
        if rain > 0.0 || drain.is_some() {
            for (j, hj) in hrow.iter_mut().enumerate() {
                let i = row + clo + j;
                let mut h = *hj;
                if rain > 0.0 {
                    let add = rain * rain_mult.map_or(1.0, |m| m[i]);
                    let before = h;
                    h += add;
                    rain_v += f64::from(h) - f64::from(before);
                }
                if let Some(d) = drain {
                    let take = (d[i] * c.dt).min(h);
                    if take > 0.0 {
                        let before = h;
                        h = (h - take).max(0.0);
                        drain_v += f64::from(before) - f64::from(h);
                    }
                }
                *hj = h.max(0.0);
            }
        }
        if r + 1 == c.ht {
            // South edge outflow, recomputed here so the main loop has no reduction
            // (a sequential f32 sum would stop it vectorising).
            for j in 0..len {
                let fs_ = qs[j] * if qs[j] > 0.0 { ss[j] } else { sdn[j] };
                bout += f64::from(fs_);
            }
        }
        if clo == 0 {
            bout -= f64::from(fw[0]);
        }
        if clo + len == w {
            bout += f64::from(fe[len - 1]);
        }
        if r == 0 {
            bout -= fn_.iter().map(|&q| f64::from(q)).sum::<f64>();
        }
        let wet_lo = hrow.iter().position(|&d| d > 0.0);
        let wet_hi = hrow.iter().rposition(|&d| d > 0.0);
        if let (Some(l), Some(h)) = (wet_lo, wet_hi) {
            o.st.wet = super::active::Span {
                lo: (clo + l) as u32,
                hi: (clo + h + 1) as u32,
            };
        }
        o.st.max_h = hrow.iter().copied().fold(0.0, f32::max);
        o.st.max_wave = f32::from_bits(umax);
    }
    o.st.boundary_out = bout * f64::from(c.dt) * dx;
    o.st.rain = rain_v * dx * dx;
    o.st.drain = drain_v * dx * dx;
}
