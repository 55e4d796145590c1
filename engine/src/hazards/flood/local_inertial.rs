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
//! volume that leaves one cell enters another (or a boundary account). The depth
//! update itself is compensated (Kahan 1965): h + residual + Δt/Δx Σq is formed in
//! f64 from the f32 discharges, rounded to the f32 depth, and the rounding error is
//! kept per cell as the residual for the next step (the stored volume counts it). A
//! plain f32 update rounds away every per-step change below half an ulp of h — with
//! tiny steps or steady through-flow the same error repeats every step, and a
//! frictionless case of 870 000 steps drifted from its f64 budget by 4e-4.
//!
//! **One fused pass per step**, parallel over bands of rows. Within a band one sweep
//! computes the raw face discharges of row k + 2, the outflow scales of row k + 1 and
//! then the scaled discharges, depth update, outputs and row statistics of row k, so
//! each row's state is read from memory once and its raw faces and scales live in
//! small ring buffers that stay in cache. Each band recomputes the faces and scales
//! of the rows just outside it from copies of its neighbours' old rows taken before
//! the sweep, so bands are independent. Every cell sees exactly the floating-point
//! operations of the three separate passes (raw faces, outflow scales, update), in
//! the same order: results are bit-identical for any number of threads or bands. The
//! row loops are in [`super::li_rows`]; they are branch-free so they compile to packed
//! SIMD, and on x86-64 CPUs with AVX2 (checked at run time) the band pass runs a copy
//! compiled for AVX2 (8 f32 lanes instead of SSE2's 4). That copy performs the same
//! IEEE-754 operations in the same order (no fused multiply-add), so its results are
//! bit-identical to the portable build (unit test below).
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
//! - Kahan, W. (1965). Further remarks on reducing truncation errors. *Comm. ACM*
//!   8(1), 40.
//! - Hunter, N. M., Horritt, M. S., Bates, P. D., Wilson, M. D., Werner, M. G. F.
//!   (2005). An adaptive time step solution for raster-based storage cell modelling of
//!   floodplain inundation. *Adv. Water Resources* 28, 975–991.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::active::Span;
use super::li_rows::{Ctx, RawIn, RowOut, UpdIn, raw_row, scale_row, south_row, update_row};
use super::state::{Core, Forcing, G, RowStat};

/// Safety factor on the linear stability bound √(θ/2) of the Courant number (the
/// bound is for uniform depth without friction; depth varies in real runs).
const STABILITY_MARGIN: f64 = 0.9;

/// Kinematic-wave celerity over flow speed for Manning friction, c = (5/3) u
/// (Lighthill & Whitham 1955).
const KINEMATIC_CELERITY: f64 = 5.0 / 3.0;

/// Rows per band of the fused pass (each band recomputes up to three rows of faces
/// and two rows of scales beyond its edges).
const BAND_ROWS: usize = 64;

/// Scratch data of the local inertial solver.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LocalInertial {
    /// x-face discharges (m²/s), `height × (width + 1)`, positive eastward.
    pub(super) qx: Vec<f32>,
    /// y-face discharges (m²/s), `(height + 1) × width`, positive southward.
    pub(super) qy: Vec<f32>,
    /// θ of de Almeida et al. (2012).
    theta: f32,
    /// α of the CFL condition.
    pub alpha: f64,
    /// Largest Froude number of a face discharge (`None` = no limit).
    max_froude: Option<f32>,
    #[serde(skip)]
    bands: Vec<Band>,
    #[serde(skip)]
    ones: Vec<f32>,
    /// Never take the AVX2 build of the kernel (tests compare the two builds).
    #[serde(skip)]
    pub(super) portable_only: bool,
}

/// One band of rows `[b0, b1)`: ring buffers of raw faces and scales (row k in slot
/// k mod 4) and copies of the old-time rows of the neighbouring bands it reads.
#[derive(Clone, Debug, Default)]
struct Band {
    b0: usize,
    b1: usize,
    /// Raw x faces, 4 × (w + 1).
    xr: Vec<f32>,
    /// Raw north y faces, 4 × w.
    yr: Vec<f32>,
    /// Outflow scales, 4 × w.
    s: Vec<f32>,
    /// Old depth of rows b0 − 2, b0 − 1, b1, b1 + 1.
    hh: Vec<f32>,
    /// Old x faces of rows b0 − 1, b1.
    hqx: Vec<f32>,
    /// Old y faces of face rows b0 − 2, b0 − 1, b1, b1 + 1, b1 + 2.
    hqy: Vec<f32>,
}

/// Ring slot of row `k` (k ≥ −1).
#[inline]
fn slot(k: isize) -> usize {
    k.rem_euclid(4) as usize
}

impl Band {
    fn new(b0: usize, b1: usize, w: usize) -> Self {
        Self {
            b0,
            b1,
            xr: vec![0.0; 4 * (w + 1)],
            yr: vec![0.0; 4 * w],
            s: vec![1.0; 4 * w],
            hh: vec![0.0; 4 * w],
            hqx: vec![0.0; 2 * (w + 1)],
            hqy: vec![0.0; 5 * w],
        }
    }

    /// Saves the neighbouring bands' old rows this band reads (only around rows with
    /// faces to update, so dry bands copy nothing).
    fn save_halo(&mut self, faces: &[Span], h: &[f32], qx: &[f32], qy: &[f32]) {
        let ht = faces.len();
        let w = h.len() / ht;
        let busy = |lo: isize, hi: isize| {
            (lo.max(0)..=hi.min(ht as isize - 1)).any(|k| !faces[k as usize].is_empty())
        };
        let (b0, b1) = (self.b0 as isize, self.b1 as isize);
        let copy = |dst: &mut [f32], src: &[f32], rows: &[isize], lim: isize, len: usize| {
            for (s, &k) in rows.iter().enumerate() {
                if (0..lim).contains(&k) {
                    let k = k as usize;
                    dst[s * len..(s + 1) * len].copy_from_slice(&src[k * len..(k + 1) * len]);
                }
            }
        };
        let (ht_i, w1) = (ht as isize, w + 1);
        if busy(b0 - 1, b0) {
            copy(&mut self.hh[..2 * w], h, &[b0 - 2, b0 - 1], ht_i, w);
            copy(&mut self.hqx[..w1], qx, &[b0 - 1], ht_i, w1);
            copy(&mut self.hqy[..2 * w], qy, &[b0 - 2, b0 - 1], ht_i + 1, w);
        }
        if busy(b1 - 1, b1 + 1) {
            copy(&mut self.hh[2 * w..], h, &[b1, b1 + 1], ht_i, w);
            copy(&mut self.hqx[w1..], qx, &[b1], ht_i, w1);
            copy(
                &mut self.hqy[2 * w..],
                qy,
                &[b1, b1 + 1, b1 + 2],
                ht_i + 1,
                w,
            );
        }
    }
}

/// Row `k` of a band-owned array (`own` holds rows `b0..b1`) or of its halo copy
/// (`halo` holds the rows listed in `before` and `after`, in that order).
#[inline]
fn row<'a>(
    k: usize,
    (b0, b1): (usize, usize),
    len: usize,
    own: &'a [f32],
    halo: &'a [f32],
    before: usize,
) -> &'a [f32] {
    if (b0..b1).contains(&k) {
        &own[(k - b0) * len..(k - b0 + 1) * len]
    } else {
        // Halo slots: b0 − before .. b0 − 1, then b1, b1 + 1, ...
        let s = if k < b0 {
            before - (b0 - k)
        } else {
            before + k - b1
        };
        debug_assert!((s + 1) * len <= halo.len(), "row {k} outside the halo");
        &halo[s * len..(s + 1) * len]
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
            bands: Vec::new(),
            ones: Vec::new(),
            portable_only: false,
        }
    }

    fn ensure_scratch(&mut self, w: usize, ht: usize) {
        let sized = self.ones.len() == w
            && self.bands.last().is_some_and(|b| b.b1 == ht)
            && self.bands.iter().all(|b| b.yr.len() == 4 * w);
        if !sized {
            self.bands = (0..ht)
                .step_by(BAND_ROWS)
                .map(|b0| Band::new(b0, (b0 + BAND_ROWS).min(ht), w))
                .collect();
            self.ones = vec![1.0; w];
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
        self.ensure_scratch(w, ht);
        let everything = f.rain_m_s > 0.0;
        core.plan(everything);
        let limit = self.max_froude.is_some();
        let wide = !self.portable_only;
        let ctx = Ctx {
            w,
            ht,
            dt: f.dt,
            inv_dx: (1.0 / core.grid.cell_size) as f32,
            dry: core.dry_depth,
            theta: self.theta,
            vel: core.velocity_depth,
            fr_sqrt_g: self.max_froude.map_or(f32::INFINITY, |f| f * G.sqrt()),
            z: &core.z,
            n: &core.n,
            f,
            dx: core.grid.cell_size,
            rain_mult: core.rain_mult.as_deref(),
            drain: core.drain_m_s.as_deref(),
            ones: &self.ones,
        };
        let faces = &core.active.faces;
        let cells = &core.active.cells;
        {
            let (h, qx, qy) = (&core.h, &self.qx, &self.qy);
            self.bands
                .par_iter_mut()
                .for_each(|b| b.save_halo(faces, h, qx, qy));
        }
        let (qy_main, qy_south) = self.qy.split_at_mut(ht * w);
        let bw = BAND_ROWS * w;
        self.bands
            .par_iter_mut()
            .zip(core.h.par_chunks_mut(bw))
            .zip(core.h_res.par_chunks_mut(bw))
            .zip(self.qx.par_chunks_mut(BAND_ROWS * (w + 1)))
            .zip(qy_main.par_chunks_mut(bw))
            .zip(core.max_depth.par_chunks_mut(bw))
            .zip(core.max_speed.par_chunks_mut(bw))
            .zip(core.arrival.par_chunks_mut(bw))
            .zip(core.rows.par_chunks_mut(BAND_ROWS))
            .for_each(|((((((((b, h), hr), qx), qy), md), ms), ar), st)| {
                let o = Own {
                    h,
                    hr,
                    qx,
                    qy,
                    md,
                    ms,
                    ar,
                    st,
                };
                match (limit, wide) {
                    (true, false) => run_band::<true>(&ctx, faces, cells, b, o),
                    (false, false) => run_band::<false>(&ctx, faces, cells, b, o),
                    (true, true) => run_band_wide::<true>(&ctx, faces, cells, b, o),
                    (false, true) => run_band_wide::<false>(&ctx, faces, cells, b, o),
                }
            });
        // South edge faces: scale by their donor (the last row) and store.
        if let Some(b) = self.bands.last() {
            let (sl, sq) = (slot(ht as isize - 1), slot(ht as isize));
            let (s, q) = (&b.s[sl * w..(sl + 1) * w], &b.yr[sq * w..(sq + 1) * w]);
            for c in faces[ht - 1].range() {
                qy_south[c] = q[c] * if q[c] > 0.0 { s[c] } else { 1.0 };
            }
        }
        core.reduce_rows(everything)
    }
}

/// The band's own rows of the state and outputs.
struct Own<'a> {
    h: &'a mut [f32],
    hr: &'a mut [f32],
    qx: &'a mut [f32],
    qy: &'a mut [f32],
    md: &'a mut [f32],
    ms: &'a mut [f32],
    ar: &'a mut [f32],
    st: &'a mut [RowStat],
}

/// Whether this CPU can run the AVX2 build of the kernel.
fn avx2_available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// [`run_band`] compiled for AVX2 when the CPU has it (8 f32 lanes instead of SSE2's
/// 4); elsewhere the portable build. Only the code generation differs: AVX2 brings no
/// fused multiply-add unless asked for, so every lane performs the same IEEE-754
/// operations in the same order and the results are bit-identical to the portable
/// build (checked by a unit test in `flood/mod.rs`).
#[inline]
fn run_band_wide<const LIMIT: bool>(
    c: &Ctx<'_>,
    faces: &[Span],
    cells: &[Span],
    b: &mut Band,
    o: Own<'_>,
) {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx2")]
        fn avx2<const LIMIT: bool>(
            c: &Ctx<'_>,
            faces: &[Span],
            cells: &[Span],
            b: &mut Band,
            o: Own<'_>,
        ) {
            run_band::<LIMIT>(c, faces, cells, b, o);
        }
        if avx2_available() {
            // SAFETY: the CPU supports AVX2 (checked at run time just above), the only
            // requirement for calling a function compiled with that target feature.
            #[allow(unsafe_code)]
            unsafe {
                avx2::<LIMIT>(c, faces, cells, b, o);
            }
            return;
        }
    }
    run_band::<LIMIT>(c, faces, cells, b, o);
}

/// The fused pass over one band: faces of row k, scales of row k − 1 and the update
/// of row k − 2 in one sweep, so each row's state is streamed from memory once.
/// Always inlined, with the row kernels, so the AVX2 build gets its own copy.
#[inline(always)]
fn run_band<const LIMIT: bool>(
    c: &Ctx<'_>,
    faces: &[Span],
    cells: &[Span],
    b: &mut Band,
    o: Own<'_>,
) {
    let (w, ht, w1) = (c.w, c.ht, c.w + 1);
    let bb = (b.b0, b.b1);
    let (b0, b1) = bb;
    for k in (b0 as isize - 1)..=(b1 as isize + 1) {
        // Raw faces of row k (x faces only up to row b1; row ht is the south edge).
        if k >= 0 && k as usize <= ht {
            let ku = k as usize;
            let (hb, qyb): (&[f32], &[f32]) = (o.h, o.qy);
            let yr = &mut b.yr[slot(k) * w..(slot(k) + 1) * w];
            if ku < ht {
                let empty: &[f32] = &[];
                let inp = RawIn {
                    h_up: if ku > 0 {
                        row(ku - 1, bb, w, hb, &b.hh, 2)
                    } else {
                        empty
                    },
                    h: row(ku, bb, w, hb, &b.hh, 2),
                    h_dn: if ku == 0 && ht > 1 {
                        row(1, bb, w, hb, &b.hh, 2)
                    } else {
                        empty
                    },
                    qx: if ku <= b1 {
                        row(ku, bb, w1, o.qx, &b.hqx, 1)
                    } else {
                        empty
                    },
                    qy_prev: if ku > 0 {
                        row(ku - 1, bb, w, qyb, &b.hqy, 2)
                    } else {
                        empty
                    },
                    qy_this: row(ku, bb, w, qyb, &b.hqy, 2),
                    qy_next: row(ku + 1, bb, w, qyb, &b.hqy, 2),
                };
                let xr = &mut b.xr[slot(k) * w1..(slot(k) + 1) * w1];
                raw_row::<LIMIT>(c, faces[ku], ku, ku <= b1, &inp, xr, yr);
            } else {
                let h_last = row(ht - 1, bb, w, hb, &b.hh, 2);
                let h_in = if ht > 1 {
                    row(ht - 2, bb, w, hb, &b.hh, 2)
                } else {
                    h_last
                };
                let qy0 = row(ht, bb, w, qyb, &b.hqy, 2);
                south_row(c, faces[ht - 1], h_last, h_in, qy0, yr);
            }
        }
        // Outflow scales of row k − 1 (old depth: its update comes next iteration).
        let j = k - 1;
        if j >= 0 && j >= b0 as isize - 1 && (j as usize) < ht {
            let ju = j as usize;
            let (sj, sj1) = (slot(j), slot(j + 1));
            scale_row(
                c,
                cells[ju],
                &b.xr[sj * w1..(sj + 1) * w1],
                &b.yr[sj * w..(sj + 1) * w],
                &b.yr[sj1 * w..(sj1 + 1) * w],
                row(ju, bb, w, o.h, &b.hh, 2),
                &mut b.s[sj * w..(sj + 1) * w],
            );
        }
        // Update of row k − 2.
        let u = k - 2;
        if u >= b0 as isize {
            let uu = u as usize;
            let (su, su1) = (slot(u), slot(u + 1));
            let s_row = |x: isize| &b.s[slot(x) * w..(slot(x) + 1) * w];
            let inp = UpdIn {
                qx: &b.xr[su * w1..(su + 1) * w1],
                qn: &b.yr[su * w..(su + 1) * w],
                qs: &b.yr[su1 * w..(su1 + 1) * w],
                s_up: if uu > 0 { s_row(u - 1) } else { c.ones },
                s: s_row(u),
                s_dn: if uu + 1 < ht { s_row(u + 1) } else { c.ones },
            };
            let l = uu - b0;
            let mut out = RowOut {
                hrow: &mut o.h[l * w..(l + 1) * w],
                rrow: &mut o.hr[l * w..(l + 1) * w],
                qxa: &mut o.qx[l * w1..(l + 1) * w1],
                qya: &mut o.qy[l * w..(l + 1) * w],
                mdr: &mut o.md[l * w..(l + 1) * w],
                msr: &mut o.ms[l * w..(l + 1) * w],
                arr: &mut o.ar[l * w..(l + 1) * w],
                st: &mut o.st[l],
            };
            update_row(c, &inp, faces[uu], cells[uu], uu, &mut out);
        }
    }
}
