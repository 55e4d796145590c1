//! Summary statistics over runs, in a fixed order of operations so results are identical
//! whatever the thread count or sharding (runs are always taken in run-index order).
//!
//! ## Model
//! - mean `x̄ = Σx / n`; sample standard deviation `s = sqrt(Σ(x − x̄)² / (n − 1))`.
//! - Quantiles by linear interpolation between order statistics, Hyndman & Fan (1996)
//!   definition 7 (the default of R and NumPy): `h = (n − 1)p`,
//!   `Q(p) = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎)` with 0-based order statistics.
//! - Exceedance probability `P(X > a)` = (runs with x > a) / (runs with a value).
//!
//! ## Units
//! Those of the metric.
//!
//! ## Assumptions
//! Runs whose value is NaN (metric undefined) are left out of every statistic.
//!
//! ## References
//! - Hyndman, R. J. & Fan, Y. (1996). Sample quantiles in statistical packages. The
//!   American Statistician 50(4), 361–365.

/// Statistics of one metric over runs.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Stats {
    /// Runs with a value.
    pub n: usize,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation (NaN for n < 2).
    pub std: f64,
    /// Minimum.
    pub min: f64,
    /// 5 % quantile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95 % quantile.
    pub p95: f64,
    /// Maximum.
    pub max: f64,
}

/// Quantile `p ∈ [0, 1]` of ascending `sorted` (Hyndman & Fan definition 7).
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * p;
            let lo = (h.floor() as usize).min(n - 1);
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// Statistics of `values` (NaN values skipped).
pub fn stats(values: &[f64]) -> Stats {
    let x: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    let n = x.len();
    let mean = if n == 0 {
        f64::NAN
    } else {
        x.iter().sum::<f64>() / n as f64
    };
    let std = if n < 2 {
        f64::NAN
    } else {
        (x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64).sqrt()
    };
    let mut sorted = x;
    sorted.sort_by(f64::total_cmp);
    Stats {
        n,
        mean,
        std,
        min: sorted.first().copied().unwrap_or(f64::NAN),
        p5: quantile(&sorted, 0.05),
        p50: quantile(&sorted, 0.5),
        p95: quantile(&sorted, 0.95),
        max: sorted.last().copied().unwrap_or(f64::NAN),
    }
}

/// `(count, n, P(X > above))` over the values that are not NaN.
pub fn exceedance(values: &[f64], above: f64) -> (usize, usize, f64) {
    let n = values.iter().filter(|v| !v.is_nan()).count();
    let k = values.iter().filter(|&&v| v > above).count();
    let p = if n == 0 {
        f64::NAN
    } else {
        k as f64 / n as f64
    };
    (k, n, p)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand computation: x = 1, 2, 3, 4, 10. Mean 4; deviations −3, −2, −1, 0, 6 give
    /// Σ² = 50, s = sqrt(50/4) = 3.5355…; p5: h = 0.2 → 1.2; p50 = 3; p95: h = 3.8 →
    /// 4 + 0.8·6 = 8.8. Tolerance 1e-12 (a few rounding steps of f64).
    #[test]
    fn stats_by_hand() {
        let s = stats(&[4.0, 1.0, f64::NAN, 10.0, 3.0, 2.0]);
        assert_eq!(s.n, 5);
        assert!((s.mean - 4.0).abs() < 1e-12);
        assert!((s.std - 12.5f64.sqrt()).abs() < 1e-12);
        assert!((s.p5 - 1.2).abs() < 1e-12);
        assert_eq!(s.p50, 3.0);
        assert!((s.p95 - 8.8).abs() < 1e-12);
        assert_eq!((s.min, s.max), (1.0, 10.0));
        assert_eq!(
            exceedance(&[0.0, 1.0, 2.0, f64::NAN], 0.5),
            (2, 3, 2.0 / 3.0)
        );
    }
}
