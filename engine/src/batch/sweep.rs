//! The sweep file format (RON) and its loader with located errors.
//!
//! ```ron
//! Sweep(
//!     name: "chlorine under varied weather",
//!     base: "../chem_chlorine_park.ron",      // relative to the sweep file
//!     seed: 2026,                             // master seed
//!     design: LatinHypercube(40),             // or FullGrid, Random(n)
//!     replications: 1,
//!     axes: [
//!         (path: "weather.wind[0].speed_m_s", values: Uniform(lo: 1.0, hi: 6.0)),
//!         (path: "weather.wind[0].from_deg", values: List([200.0, 250.0, 300.0])),
//!     ],
//!     metrics: Some(["gas_area_aegl2_m2"]),   // None: every metric
//!     exceedance: [(metric: "gas_area_aegl2_m2_max", above: 100000.0)],
//!     raster_exceedance: [(raster: "gas0_tank_T-101_peak_ppm", above: 2.0)],
//! )
//! ```

use std::path::{Path, PathBuf};

use ron::extensions::Extensions;
use serde::{Deserialize, Serialize};

use crate::scenario::diagnostic::closest;
use crate::scenario::load::{fnv1a, locate_problems};
use crate::scenario::problem::{Problem, index, join};
use crate::scenario::spans::Pos;
use crate::scenario::{Diagnostic, ScenarioError};

/// A batch experiment over one base scenario.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sweep {
    /// Short name for manifests and messages.
    #[serde(default)]
    pub name: String,
    /// Base scenario, relative to the sweep file.
    pub base: String,
    /// Master seed; run `i` uses `seed::run_seed(seed, i)`.
    #[serde(default)]
    pub seed: u64,
    /// How axis values are combined into design points.
    #[serde(default)]
    pub design: Design,
    /// Runs per design point (each with its own seed).
    #[serde(default = "one")]
    pub replications: u32,
    /// Parameters that vary.
    #[serde(default)]
    pub axes: Vec<Axis>,
    /// Metrics in `results.csv`: time-series columns (giving `<col>_final` and
    /// `<col>_max`) or summary values (e.g. `gas[0].max_peak_ppm`); `None` keeps all.
    #[serde(default)]
    pub metrics: Option<Vec<String>>,
    /// Probabilities `P(metric > above)` to report over all runs.
    #[serde(default)]
    pub exceedance: Vec<Threshold>,
    /// Per-cell probabilities `P(raster > above)` over all runs, written as rasters.
    #[serde(default)]
    pub raster_exceedance: Vec<RasterThreshold>,
    /// Also write each run's full output folder under `runs/<index>/`.
    #[serde(default)]
    pub run_outputs: bool,
}

fn one() -> u32 {
    1
}

/// Experimental design.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Design {
    /// Every combination of the axes' values (first axis varies slowest); needs
    /// `List` or `Range` axes.
    #[default]
    FullGrid,
    /// `n` points, each axis sampled independently.
    Random(u32),
    /// `n` points in a Latin hypercube (McKay, Beckman & Conover 1979): each axis's range
    /// is cut into `n` equal-probability strata and every stratum is used once.
    LatinHypercube(u32),
}

/// One varied parameter.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Axis {
    /// Field path in the scenario, e.g. `weather.wind[0].speed_m_s` or
    /// `hazards[0].ChemicalRelease.location_xy_m`.
    pub path: String,
    /// Column name in `results.csv` (default: the path).
    #[serde(default)]
    pub name: Option<String>,
    /// The values.
    pub values: Values,
}

impl Axis {
    /// Column name.
    pub fn column(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.path)
    }
}

/// Values of an axis.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Values {
    /// Explicit values of any type the field takes (numbers, tuples such as
    /// `(500100.0, 3450900.0)`, strings; enum values in their JSON form, e.g.
    /// `{"Class": "D"}`).
    List(Vec<serde_json::Value>),
    /// `steps` evenly spaced numbers from `from` to `to` inclusive.
    Range {
        /// First value.
        from: f64,
        /// Last value.
        to: f64,
        /// Number of values (≥ 1; 1 gives `from`).
        steps: u32,
    },
    /// Uniform on `[lo, hi]` (random and Latin hypercube designs only).
    Uniform {
        /// Lower bound.
        lo: f64,
        /// Upper bound.
        hi: f64,
    },
    /// Triangular on `[lo, hi]` with peak at `mode` (random and Latin hypercube only).
    Triangular {
        /// Lower bound.
        lo: f64,
        /// Most likely value.
        mode: f64,
        /// Upper bound.
        hi: f64,
    },
}

impl Values {
    /// The discrete values, if the axis is discrete.
    pub fn discrete(&self) -> Option<Vec<serde_json::Value>> {
        match self {
            Self::List(v) => Some(v.clone()),
            Self::Range { from, to, steps } => Some(
                (0..*steps)
                    .map(|k| {
                        let x = if *steps <= 1 {
                            *from
                        } else {
                            from + (to - from) * f64::from(k) / f64::from(steps - 1)
                        };
                        serde_json::Value::from(x)
                    })
                    .collect(),
            ),
            Self::Uniform { .. } | Self::Triangular { .. } => None,
        }
    }

    /// The value at cumulative probability `u ∈ [0, 1)`: inverse CDF of a continuous
    /// axis, or the `⌊u·n⌋`-th value of a discrete one.
    pub fn quantile(&self, u: f64) -> serde_json::Value {
        match self {
            Self::Uniform { lo, hi } => (lo + (hi - lo) * u).into(),
            Self::Triangular { lo, mode, hi } => triangular_inverse(*lo, *mode, *hi, u).into(),
            _ => {
                let v = self.discrete().unwrap_or_default();
                let k = ((u * v.len() as f64) as usize).min(v.len().saturating_sub(1));
                v.get(k).cloned().unwrap_or(serde_json::Value::Null)
            }
        }
    }

    /// True for continuous distributions (values may be rounded onto integer fields).
    pub fn is_continuous(&self) -> bool {
        matches!(self, Self::Uniform { .. } | Self::Triangular { .. })
    }
}

/// Inverse CDF of the triangular distribution (Johnson, Kotz & Balakrishnan 1995,
/// *Continuous Univariate Distributions* vol. 2, ch. 26 §9).
pub fn triangular_inverse(lo: f64, mode: f64, hi: f64, u: f64) -> f64 {
    let width = hi - lo;
    if width <= 0.0 {
        return lo;
    }
    let fc = (mode - lo) / width;
    if u < fc {
        lo + (u * width * (mode - lo)).sqrt()
    } else {
        hi - ((1.0 - u) * width * (hi - mode)).sqrt()
    }
}

/// `P(metric > above)` over all runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// Column of `results.csv`, e.g. `gas_area_aegl2_m2_max`.
    pub metric: String,
    /// Threshold (strictly exceeded).
    pub above: f64,
}

/// Per-cell `P(raster > above)` over all runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RasterThreshold {
    /// Raster name as in a run's `rasters/` folder, e.g. `gas0_drum_peak_ppm`.
    pub raster: String,
    /// Threshold (strictly exceeded), in the raster's unit.
    pub above: f64,
}

impl Sweep {
    /// Reports invalid values (paths are checked later against the base scenario).
    pub fn check(&self, out: &mut Vec<Problem>) {
        if self.replications == 0 {
            out.push(Problem::new(
                "replications",
                "at least 1 run per design point",
                0,
                "1 for deterministic scenarios; more to sample seeds",
            ));
        }
        match self.design {
            Design::Random(0) | Design::LatinHypercube(0) => out.push(Problem::new(
                "design",
                "at least 1 design point",
                0,
                "e.g. LatinHypercube(20)",
            )),
            _ => {}
        }
        if self.axes.is_empty() && self.design != Design::FullGrid {
            out.push(Problem::new(
                "axes",
                "at least one axis for a sampled design",
                "no axes",
                "add (path: …, values: …) or use FullGrid with replications",
            ));
        }
        for (i, axis) in self.axes.iter().enumerate() {
            let p = index("axes", i);
            let vp = join(&p, "values");
            if axis.path.trim().is_empty() {
                out.push(Problem::new(
                    join(&p, "path"),
                    "a field path",
                    "\"\"",
                    "e.g. \"weather.wind[0].speed_m_s\"",
                ));
            }
            match &axis.values {
                Values::List(v) if v.is_empty() => {
                    out.push(Problem::new(vp, "at least one value", "[]", ""));
                }
                Values::Range { from, to, steps } => {
                    if !(from.is_finite() && to.is_finite()) || *steps == 0 {
                        out.push(Problem::new(
                            vp,
                            "finite bounds and steps ≥ 1",
                            format!("from {from} to {to} in {steps} steps"),
                            "e.g. Range(from: 1.0, to: 5.0, steps: 5)",
                        ));
                    }
                }
                Values::Uniform { lo, hi } => {
                    if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
                        out.push(Problem::new(
                            vp,
                            "finite bounds with lo ≤ hi",
                            format!("lo {lo}, hi {hi}"),
                            "",
                        ));
                    }
                }
                Values::Triangular { lo, mode, hi } => {
                    if !(lo.is_finite() && hi.is_finite() && lo <= mode && mode <= hi) {
                        out.push(Problem::new(
                            vp,
                            "finite values with lo ≤ mode ≤ hi",
                            format!("lo {lo}, mode {mode}, hi {hi}"),
                            "",
                        ));
                    }
                }
                Values::List(_) => {}
            }
            if self.design == Design::FullGrid && axis.values.is_continuous() {
                out.push(Problem::new(
                    join(&p, "values"),
                    "List or Range values in a FullGrid design",
                    "a continuous distribution",
                    "use design: Random(n) or LatinHypercube(n) to sample distributions",
                ));
            }
        }
        for (i, t) in self.raster_exceedance.iter().enumerate() {
            if !t.above.is_finite() {
                out.push(Problem::new(
                    join(&index("raster_exceedance", i), "above"),
                    "a finite number",
                    t.above,
                    "",
                ));
            }
        }
    }
}

/// A parsed and checked sweep with where it came from.
#[derive(Clone, Debug)]
pub struct LoadedSweep {
    /// The sweep.
    pub sweep: Sweep,
    /// The file as named by the user.
    pub file: String,
    /// The sweep text.
    pub text: String,
    /// The base scenario's path (resolved against the sweep's folder).
    pub base_path: PathBuf,
}

impl LoadedSweep {
    /// FNV-1a hash of the sweep text.
    pub fn hash(&self) -> u64 {
        fnv1a(self.text.as_bytes())
    }

    /// Turns problems into located diagnostics in the sweep file.
    pub fn diagnose(&self, problems: Vec<Problem>) -> ScenarioError {
        locate_problems(&self.file, &self.text, problems)
    }
}

/// Reads, parses and checks the sweep at `path`.
pub fn load_sweep(path: &Path) -> Result<LoadedSweep, ScenarioError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        ScenarioError::one(
            Diagnostic::new(&file, format!("cannot read the sweep file: {e}"))
                .hint("sweeps shipped with drillsim are in scenarios/sweeps/"),
        )
    })?;
    let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    parse_sweep(&text, &file, &base_dir)
}

/// Parses and checks sweep `text`; `base_dir` is where its relative paths point.
pub fn parse_sweep(text: &str, file: &str, base_dir: &Path) -> Result<LoadedSweep, ScenarioError> {
    let options = ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME);
    let sweep: Sweep = options
        .from_str(text)
        .map_err(|e| ScenarioError::one(ron_error(&e, file, text)))?;
    let mut problems = Vec::new();
    sweep.check(&mut problems);
    if !problems.is_empty() {
        return Err(locate_problems(file, text, problems));
    }
    Ok(LoadedSweep {
        base_path: base_dir.join(&sweep.base),
        sweep,
        file: file.to_owned(),
        text: text.to_owned(),
    })
}

fn ron_error(e: &ron::error::SpannedError, file: &str, text: &str) -> Diagnostic {
    use ron::error::Error as E;
    let pos = (e.span.start.line > 0).then_some(Pos {
        line: e.span.start.line,
        col: e.span.start.col.max(1),
    });
    let d = Diagnostic::new(file, format!("sweep: {}", e.code)).at(pos, text);
    match &e.code {
        E::NoSuchStructField {
            expected, found, ..
        }
        | E::NoSuchEnumVariant {
            expected, found, ..
        } => match closest(found, expected.iter().copied()) {
            Some(c) => d.hint(format!("did you mean `{c}`?")),
            None => d.hint("see the sweep format in README.md (\"Batch and planning\")"),
        },
        E::MissingStructField { field, .. } => d.hint(format!("add `{field}: …`")),
        _ => d.hint("a sweep file holds one `Sweep( ... )` in RON; see scenarios/sweeps/"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_values_include_both_ends() {
        let v = Values::Range {
            from: 1.0,
            to: 3.0,
            steps: 3,
        };
        let d = v.discrete().unwrap();
        assert_eq!(
            d,
            vec![1.0.into(), 2.0.into(), serde_json::Value::from(3.0)]
        );
    }

    /// Triangular(0, 1, 2) is symmetric: the median is the mode; u = 1/8 gives
    /// 0 + sqrt(1/8 · 2 · 1) = 0.5 (hand computation from the inverse CDF).
    #[test]
    fn triangular_inverse_by_hand() {
        assert!((triangular_inverse(0.0, 1.0, 2.0, 0.5) - 1.0).abs() < 1e-12);
        assert!((triangular_inverse(0.0, 1.0, 2.0, 0.125) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn list_values_take_any_ron_value() {
        let text = r#"Sweep(base: "x.ron", axes: [
            (path: "a", values: List([1.5, (1.0, 2.0), "text", {"Class": "D"}, 3])),
        ])"#;
        let s = parse_sweep(text, "t.ron", Path::new("")).unwrap().sweep;
        let Values::List(v) = &s.axes[0].values else {
            panic!("list expected")
        };
        assert_eq!(
            serde_json::to_string(v).unwrap(),
            r#"[1.5,[1.0,2.0],"text",{"Class":"D"},3]"#
        );
    }

    #[test]
    fn unknown_field_is_located_with_a_suggestion() {
        let text = "Sweep(\n  base: \"x.ron\",\n  replicatons: 2,\n)";
        let e = parse_sweep(text, "s.ron", Path::new("")).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("s.ron:3:"), "{msg}");
        assert!(msg.contains("did you mean `replications`"), "{msg}");
    }
}
