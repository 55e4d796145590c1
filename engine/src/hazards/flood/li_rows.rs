//! Row kernels of the local inertial solver (see [`super::local_inertial`] for the
//! scheme): raw face discharges of one row, the outflow scale of one row's cells, and
//! the depth update of one row with its outputs and statistics.
//!
//! ## Model
//! Bates et al. (2010) face discharges with the θ smoothing and semi-implicit Manning
//! friction of de Almeida et al. (2012); outflow limited by the available volume;
//! h^{n+1} = h^n + Δt/Δx Σ(q_in − q_out). The equations are written out in the
//! header of [`super::local_inertial`]; this file only holds their per-row loops.
//!
//! ## Units
//! q in m²/s, h, z in m, n in s m^-1/3, Δt in s.
//!
//! ## Assumptions
//! Every kernel reads whole rows through slices handed in by the caller, so the caller
//! decides where each row comes from (live state or a saved copy of a neighbouring
//! band's rows); the arithmetic per cell does not depend on that choice.
//!
//! ## References
//! - Bates, P. D., Horritt, M. S., Fewtrell, T. J. (2010). *J. Hydrology* 387, 33–45.
//! - de Almeida, G. A. M., Bates, P., Freer, J. E., Souvignet, M. (2012). *Water
//!   Resources Research* 48, W05528.

use super::active::Span;
use super::state::{Edge, Forcing, G, RowStat, cbrt_pos, inv_cbrt_pos};

/// Read-only inputs of one row task.
pub(super) struct Ctx<'a> {
    pub w: usize,
    pub ht: usize,
    pub dt: f32,
    pub inv_dx: f32,
    pub dry: f32,
    pub theta: f32,
    /// Depth (m) above which a cell's speed is recorded.
    pub vel: f32,
    /// Fr_max √g (∞ without a limit): |q| ≤ this × h_f^{3/2}.
    pub fr_sqrt_g: f32,
    pub z: &'a [f32],
    pub n: &'a [f32],
    pub f: &'a Forcing,
    /// Cell size (m).
    pub dx: f64,
    pub rain_mult: Option<&'a [f32]>,
    pub drain: Option<&'a [f32]>,
    /// A row of ones (scale of the ghost cells beyond the north and south edges).
    pub ones: &'a [f32],
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
pub(super) fn edge_out(
    c: &Ctx<'_>,
    e: Edge,
    q0: f32,
    h: f32,
    z: f32,
    n: f32,
    h_in: f32,
    z_in: f32,
) -> f32 {
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

/// Old-time rows read by [`raw_row`] for row `r`.
pub(super) struct RawIn<'a> {
    /// Depth of row r − 1 (unused for row 0).
    pub h_up: &'a [f32],
    /// Depth of row r.
    pub h: &'a [f32],
    /// Depth of row r + 1 (read only for row 0, as the north edge's interior neighbour).
    pub h_dn: &'a [f32],
    /// x-face discharges of row r.
    pub qx: &'a [f32],
    /// y-face discharges of face rows r − 1, r and r + 1 (north faces of those rows).
    pub qy_prev: &'a [f32],
    pub qy_this: &'a [f32],
    pub qy_next: &'a [f32],
}

/// Raw x faces of row `r` (when `do_x`) and the row's north y faces.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub(super) fn raw_row<const LIMIT: bool>(
    c: &Ctx<'_>,
    fs: Span,
    r: usize,
    do_x: bool,
    i: &RawIn<'_>,
    qxr: &mut [f32],
    qyr: &mut [f32],
) {
    if fs.is_empty() {
        return;
    }
    let w = c.w;
    let h = &i.h[..w];
    let (z, n) = (&c.z[r * w..(r + 1) * w], &c.n[r * w..(r + 1) * w]);
    let (lo, hi) = (fs.lo as usize, fs.hi as usize);
    if do_x {
        let qx0 = &i.qx[..w + 1];
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
    }
    // North y faces of row r.
    if r == 0 {
        for k in fs.range() {
            let (hin, zin) = if c.ht > 1 {
                (i.h_dn[k], c.z[w + k])
            } else {
                (h[k], z[k])
            };
            qyr[k] = -edge_out(
                c,
                c.f.edges.north,
                -i.qy_this[k],
                h[k],
                z[k],
                n[k],
                hin,
                zin,
            );
        }
    } else {
        let up = (r - 1) * w;
        let (zu, nu) = (&c.z[up..up + w], &c.n[up..up + w]);
        let rg = fs.range();
        let (a, len) = (rg.start, rg.len());
        let qprev = &i.qy_prev[a..a + len];
        let qthis = &i.qy_this[a..a + len];
        let qnext = &i.qy_next[a..a + len];
        let (hu, zu, nu) = (&i.h_up[a..a + len], &zu[a..a + len], &nu[a..a + len]);
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

/// Raw south edge faces (face row `ht`) from the last row `h_last`, the row above it
/// `h_in` (the last row itself on a one-row grid) and the old edge discharges `qy0`.
#[inline(always)]
pub(super) fn south_row(
    c: &Ctx<'_>,
    fs: Span,
    h_last: &[f32],
    h_in: &[f32],
    qy0: &[f32],
    out: &mut [f32],
) {
    let (w, last) = (c.w, c.ht - 1);
    for k in fs.range() {
        let i = last * w + k;
        let z_in = if c.ht > 1 { c.z[i - w] } else { c.z[i] };
        out[k] = edge_out(
            c,
            c.f.edges.south,
            qy0[k],
            h_last[k],
            c.z[i],
            c.n[i],
            h_in[k],
            z_in,
        );
    }
}

/// Outflow scale of the cells `cs` of one row from its raw x faces `xr`, its raw north
/// faces `yn`, the raw north faces of the next row `ys` and its depth `h`.
#[inline(always)]
pub(super) fn scale_row(
    c: &Ctx<'_>,
    cs: Span,
    xr: &[f32],
    yn: &[f32],
    ys: &[f32],
    h: &[f32],
    srow: &mut [f32],
) {
    let k = c.dt * c.inv_dx;
    let rg = cs.range();
    let (a, len) = (rg.start, rg.len());
    let (xw, xe) = (&xr[a..a + len], &xr[a + 1..a + 1 + len]);
    let (yn, ys) = (&yn[a..a + len], &ys[a..a + len]);
    let (h, out) = (&h[a..a + len], &mut srow[a..a + len]);
    for j in 0..len {
        let o = k * (fmax(xe[j], 0.0) + fmax(-xw[j], 0.0) + fmax(ys[j], 0.0) + fmax(-yn[j], 0.0));
        out[j] = if o > h[j] {
            h[j] / o * (1.0 - 1e-6)
        } else {
            1.0
        };
    }
}

/// Scaled face discharges `q × (q > 0 ? s_pos : s_neg)`: each face takes the scale
/// of its donor cell. Written as max(q, 0) s_pos + min(q, 0) s_neg (the same value:
/// one product is exactly zero) because a select between two loads compiles to a
/// select of addresses and a scalar loop, while this form packs into SIMD.
#[inline(always)]
fn scale_faces(out: &mut [f32], q: &[f32], s_pos: &[f32], s_neg: &[f32]) {
    let n = out.len();
    let (q, s_pos, s_neg) = (&q[..n], &s_pos[..n], &s_neg[..n]);
    for j in 0..n {
        out[j] = donor_scaled(q[j], s_pos[j], s_neg[j]);
    }
}

/// `q × (q > 0 ? s_pos : s_neg)` as max(q, 0) s_pos + min(q, 0) s_neg (see
/// [`scale_faces`]).
#[inline(always)]
fn donor_scaled(q: f32, s_pos: f32, s_neg: f32) -> f32 {
    fmax(q, 0.0) * s_pos + fmin(q, 0.0) * s_neg
}

/// Raw faces and outflow scales read by [`update_row`] for row `r`.
pub(super) struct UpdIn<'a> {
    /// Raw x faces of row r.
    pub qx: &'a [f32],
    /// Raw north faces of row r.
    pub qn: &'a [f32],
    /// Raw north faces of row r + 1 (the south faces of row r).
    pub qs: &'a [f32],
    /// Outflow scales of rows r − 1, r and r + 1 (ones beyond the grid).
    pub s_up: &'a [f32],
    pub s: &'a [f32],
    pub s_dn: &'a [f32],
}

/// Mutable per-row outputs of the update.
pub(super) struct RowOut<'a> {
    pub hrow: &'a mut [f32],
    /// Rounding residuals of the row's depths (see [`super::state::Core::h_res`]).
    pub rrow: &'a mut [f32],
    pub qxa: &'a mut [f32],
    pub qya: &'a mut [f32],
    pub mdr: &'a mut [f32],
    pub msr: &'a mut [f32],
    pub arr: &'a mut [f32],
    pub st: &'a mut RowStat,
}

/// Scaled discharges of row `r` into the state, depth update, outputs.
#[inline(always)]
pub(super) fn update_row(
    c: &Ctx<'_>,
    i: &UpdIn<'_>,
    fs: Span,
    cs: Span,
    r: usize,
    o: &mut RowOut<'_>,
) {
    let w = c.w;
    *o.st = RowStat::default();
    if fs.is_empty() {
        return;
    }
    let row = r * w;
    let qx = &i.qx[..w + 1];
    let (s, s_up, s_dn) = (&i.s[..w], &i.s_up[..w], &i.s_dn[..w]);
    let (lo, hi) = (fs.lo as usize, fs.hi as usize);
    // Scaled x faces: the donor is the upstream cell; ghosts beyond the edges give 1.
    let (a, b) = (lo.max(1), hi.min(w - 1));
    if a <= b {
        let len = b + 1 - a;
        let (q, out) = (&qx[a..a + len], &mut o.qxa[a..a + len]);
        let (sl, sr) = (&s[a - 1..a - 1 + len], &s[a..a + len]);
        scale_faces(out, q, sl, sr);
    }
    if lo == 0 {
        o.qxa[0] = qx[0] * if qx[0] > 0.0 { 1.0 } else { s[0] };
    }
    if hi == w {
        o.qxa[w] = qx[w] * if qx[w] > 0.0 { s[w - 1] } else { 1.0 };
    }
    {
        let len = hi - lo;
        let (q, out) = (&i.qn[lo..lo + len], &mut o.qya[lo..lo + len]);
        let (su, sd) = (&s_up[lo..lo + len], &s[lo..lo + len]);
        scale_faces(out, q, su, sd);
    }
    // Δt/Δx in f64: the depth change of a cell is summed in f64 from the f32 face
    // discharges, so every face moves the same volume out of one cell and into the
    // other (to 1e-16) and the budget's edge fluxes, also f64, match the cells' losses.
    let k_dt = f64::from(c.dt) / c.dx;
    let rain = c.f.rain_m_s * c.dt;
    let (t_end, dry, vel) = (c.f.t_end, c.dry, c.vel);
    let (clo, len) = (cs.range().start, cs.range().len());
    let mut bout = 0.0_f64;
    let mut umax = 0_u32;
    let (mut rain_v, mut drain_v) = (0.0_f64, 0.0_f64);
    if len > 0 {
        let hrow = &mut o.hrow[clo..clo + len];
        let rrow = &mut o.rrow[clo..clo + len];
        let (fw, fe) = (&o.qxa[clo..clo + len], &o.qxa[clo + 1..clo + 1 + len]);
        let fn_ = &o.qya[clo..clo + len];
        let qs = &i.qs[clo..clo + len];
        let (ss, sdn) = (&s[clo..clo + len], &s_dn[clo..clo + len]);
        let (md, ms, ar) = (
            &mut o.mdr[clo..clo + len],
            &mut o.msr[clo..clo + len],
            &mut o.arr[clo..clo + len],
        );
        for j in 0..len {
            let fs_ = donor_scaled(qs[j], ss[j], sdn[j]);
            let h_old = hrow[j];
            // Compensated update: the new depth in f64 (old depth, the residual the f32
            // depth could not hold, the net inflow), rounded to f32; what the rounding
            // drops is kept as the new residual. Without it a cell whose per-step change
            // is below half an ulp of its depth (tiny steps, steady through-flow) loses
            // or gains that change every step while the f64 budget counts it: the
            // budget drifted by 4e-4 over 870 000 steps of a frictionless case.
            let net = (f64::from(fw[j]) - f64::from(fe[j])) + (f64::from(fn_[j]) - f64::from(fs_));
            let s64 = f64::from(h_old) + f64::from(rrow[j]) + k_dt * net;
            let s64 = if s64 > 0.0 { s64 } else { 0.0 };
            let h = s64 as f32;
            rrow[j] = (s64 - f64::from(h)) as f32;
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
            // Running maxima and arrival are written back unconditionally, in forms
            // the vectoriser cannot turn into a conditional (masked) store, which is
            // slow on AMD CPUs: an integer max on the bits (depth and speed are ≥ +0
            // and not NaN, so their bits order like their values) and, for the
            // arrival, `a + 0.0` in the keep branch (the same value: arrivals are
            // never −0).
            md[j] = f32::from_bits(md[j].to_bits().max(h.to_bits()));
            ms[j] = f32::from_bits(ms[j].to_bits().max(speed.to_bits()));
            let a = ar[j];
            ar[j] = if wet & (a < 0.0) { t_end } else { a + 0.0 };
        }
        if rain > 0.0 || c.drain.is_some() {
            for (j, hj) in hrow.iter_mut().enumerate() {
                let ci = row + clo + j;
                let mut h = *hj;
                if rain > 0.0 {
                    let add = rain * c.rain_mult.map_or(1.0, |m| m[ci]);
                    let before = h;
                    h += add;
                    rain_v += f64::from(h) - f64::from(before);
                }
                if let Some(d) = c.drain {
                    let take = (d[ci] * c.dt).min(h);
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
                let fs_ = donor_scaled(qs[j], ss[j], sdn[j]);
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
            o.st.wet = Span {
                lo: (clo + l) as u32,
                hi: (clo + h + 1) as u32,
            };
        }
        // Depths are ≥ +0 and never NaN (the update clamps with fmax), so their bits
        // order like their values: an integer max that vectorises, same result as a
        // float max.
        o.st.max_h = f32::from_bits(hrow.iter().fold(0_u32, |m, &d| m.max(d.to_bits())));
        o.st.max_wave = f32::from_bits(umax);
    }
    o.st.boundary_out = bout * f64::from(c.dt) * c.dx;
    o.st.rain = rain_v * c.dx * c.dx;
    o.st.drain = drain_v * c.dx * c.dx;
}
