//! Effect models shared by fires and explosions: Eisenberg thermal-dose and overpressure
//! lethality probits, atmospheric transmissivity, and the Kinney–Graham TNT blast curve.
//!
//! ## Model
//! - Thermal lethality (Eisenberg et al. 1975): `Pr = −14.9 + 2.56 ln(t q^{4/3})`, q in
//!   kW/m², t in s (equivalently `t q^{4/3}/10⁴` with q in W/m²).
//! - Overpressure lethality, lung haemorrhage (Eisenberg et al. 1975):
//!   `Pr = −77.1 + 6.91 ln p`, p peak side-on overpressure in Pa.
//! - Transmissivity `τ = 2.02 (p_w X)^{−0.09}` (p_w partial pressure of water in Pa, X
//!   path length in m; Pietersen & Huerta 1985, CCPS 1999 eq. 2.2.45); p_w from relative
//!   humidity and the Magnus saturation pressure (Alduchov & Eskridge 1996).
//! - TNT side-on overpressure (Kinney & Graham 1985):
//!   `p/pa = 808 [1 + (z/4.5)²] / √{[1 + (z/0.048)²][1 + (z/0.32)²][1 + (z/1.35)²]}`,
//!   z = R / W^{1/3} in m/kg^{1/3}.
//!
//! ## Units
//! Pa, W/m² (kW/m² only inside the Eisenberg probit), s, m, kg.
//!
//! ## Assumptions
//! Probits apply to unprotected people in the open.
//!
//! ## References
//! - Eisenberg, N. A., Lynch, C. J., Breeding, R. J. (1975), Vulnerability model,
//!   US Coast Guard report CG-D-136-75.
//! - CCPS (2000), Guidelines for Chemical Process Quantitative Risk Analysis, 2nd ed.,
//!   §2.3.1 (probit equations for fire and explosion effects).
//! - Kinney, G. F., Graham, K. J. (1985), Explosive Shocks in Air, 2nd ed., Springer.
//! - Crowl, D. A., Louvar, J. F. (2011), Chemical Process Safety, 3rd ed., eq. 6-23/6-24.
//! - Pietersen, C. M., Huerta, S. C. (1985), Analysis of the LPG incident in San Juanico,
//!   TNO report 85-0222.

use crate::hazards::chemicals::P_ATM;

/// Eisenberg thermal lethality probit for flux `q_w_m2` over `t_s`.
pub fn eisenberg_probit(q_w_m2: f64, t_s: f64) -> f64 {
    let dose = t_s * (q_w_m2 / 1000.0).max(0.0).powf(4.0 / 3.0);
    if dose > 0.0 {
        -14.9 + 2.56 * dose.ln()
    } else {
        f64::NEG_INFINITY
    }
}

/// Eisenberg lung-haemorrhage lethality probit for peak overpressure `p_pa`.
pub fn overpressure_probit(p_pa: f64) -> f64 {
    if p_pa > 0.0 {
        -77.1 + 6.91 * p_pa.ln()
    } else {
        f64::NEG_INFINITY
    }
}

/// Saturation pressure of water over liquid (Pa) at `t_k` (Magnus form).
pub fn water_saturation_pa(t_k: f64) -> f64 {
    let tc = t_k - 273.15;
    610.94 * (17.625 * tc / (tc + 243.04)).exp()
}

/// Atmospheric transmissivity over path `x_m` at relative humidity `rh` (0–1), `t_k`.
pub fn transmissivity(x_m: f64, rh: f64, t_k: f64) -> f64 {
    let pw = rh.clamp(0.0, 1.0) * water_saturation_pa(t_k);
    let px = (pw * x_m).max(1e-9);
    (2.02 * px.powf(-0.09)).min(1.0)
}

/// Kinney–Graham side-on peak overpressure (Pa) at distance `r_m` from `w_tnt_kg` of TNT.
pub fn tnt_overpressure_pa(w_tnt_kg: f64, r_m: f64) -> f64 {
    if w_tnt_kg <= 0.0 || r_m <= 0.0 {
        return 0.0;
    }
    let z = r_m / w_tnt_kg.cbrt();
    let num = 808.0 * (1.0 + (z / 4.5).powi(2));
    let den =
        ((1.0 + (z / 0.048).powi(2)) * (1.0 + (z / 0.32).powi(2)) * (1.0 + (z / 1.35).powi(2)))
            .sqrt();
    P_ATM * num / den
}

/// Largest distance in [0.1 m, 100 km] where a decreasing `f(x) ≥ level` (bisection on a
/// geometric scan); `None` if `f` never reaches `level`.
pub fn distance_to_level(f: impl Fn(f64) -> f64, level: f64) -> Option<f64> {
    crate::hazards::gas::plume::max_distance_where(|x| f(x) >= level)
}
