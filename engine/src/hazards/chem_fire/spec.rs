//! Scenario description of a `ChemicalFire(...)` hazard: a pool fire, jet fire, BLEVE
//! fireball, vapour-cloud explosion, or the ignition of a `ChemicalRelease`'s current
//! cloud (flash fire or explosion), at a place and time (or dormant until an inject or
//! disaster-chain link starts it).

use crate::hazards::chemicals::ChemicalLibrary;
use crate::scenario::problem::{Problem, check_non_negative, check_positive, check_range, join};
use serde::{Deserialize, Serialize};

use super::bst::MF_RANGE;

/// Minimum thickness of an unconfined pool on smooth ground, m (TNO Yellow Book CPR 14E
/// §3.5.4: 5 mm), used when a pool fire is given by its spilled amount only.
pub const DEFAULT_MIN_POOL_THICKNESS_M: f64 = 0.005;

fn default_min_thickness() -> f64 {
    DEFAULT_MIN_POOL_THICKNESS_M
}
fn default_efficiency() -> f64 {
    0.03
}
fn default_jet_height() -> f64 {
    1.0
}

/// Blast model of an explosion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum BlastSpec {
    /// TNT equivalence (Kinney–Graham curve) with explosion efficiency (CCPS: 0.01–0.10).
    Tnt {
        /// Fraction of the combustion energy that drives the blast (default 0.03).
        #[serde(default = "default_efficiency")]
        efficiency: f64,
    },
    /// Baker–Strehlow–Tang blast curves.
    Bst {
        /// Flame Mach number 0.2–5.2 (CCPS 2010 table by fuel reactivity, congestion,
        /// confinement; 5.2 = detonation).
        flame_mach: f64,
        /// Congested volume filled with stoichiometric mixture, m³ (E = 3.5 MJ/m³ × V,
        /// at most the cloud's combustion energy); `None`: the whole flammable mass.
        #[serde(default)]
        congested_volume_m3: Option<f64>,
    },
}

/// What ignites a released cloud does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum IgnitionMode {
    /// Flash fire over the cloud's footprint (≥ LEL fatal, ½ LEL boundary zone).
    FlashFire,
    /// Vapour-cloud explosion by Baker–Strehlow–Tang at the cloud's centroid.
    Explosion {
        /// Flame Mach number 0.2–5.2.
        flame_mach: f64,
        /// Congested volume, m³ (see [`BlastSpec::Bst`]).
        #[serde(default)]
        congested_volume_m3: Option<f64>,
    },
}

/// The kind of fire or explosion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum ChemFireKind {
    /// A burning liquid pool. Give `diameter_m` (a bund), or the spilled `mass_kg` or
    /// `volume_m3` (unconfined: spreads to `min_thickness_m`). The fire burns for
    /// `duration_s`, else until the inventory (`mass_kg`/`volume_m3`) is consumed at the
    /// burning rate, else to the end of the run.
    PoolFire {
        /// Pool (bund) diameter, m.
        #[serde(default)]
        diameter_m: Option<f64>,
        /// Liquid inventory in the pool, kg.
        #[serde(default)]
        mass_kg: Option<f64>,
        /// Liquid inventory in the pool, m³.
        #[serde(default)]
        volume_m3: Option<f64>,
        /// Thickness an unconfined spill spreads to, m (default 5 mm).
        #[serde(default = "default_min_thickness")]
        min_thickness_m: f64,
        /// Burn duration, s (overrides the inventory).
        #[serde(default)]
        duration_s: Option<f64>,
    },
    /// A jet fire from a pressurised leak.
    JetFire {
        /// Release rate, kg/s.
        rate_kg_s: f64,
        /// Jet exit velocity, m/s.
        exit_velocity_m_s: f64,
        /// Release height, m.
        #[serde(default = "default_jet_height")]
        height_m: f64,
        /// Burn duration, s (default: `inventory_kg / rate_kg_s`, else to the end).
        #[serde(default)]
        duration_s: Option<f64>,
        /// Inventory feeding the jet, kg.
        #[serde(default)]
        inventory_kg: Option<f64>,
    },
    /// A BLEVE fireball of `mass_kg` of fuel.
    Fireball {
        /// Fuel mass in the fireball, kg (CCPS 1994: the whole inventory).
        mass_kg: f64,
        /// Absolute vessel pressure at burst, Pa (default: vapour pressure at the air
        /// temperature).
        #[serde(default)]
        burst_pressure_pa: Option<f64>,
    },
    /// A vapour-cloud explosion of `mass_kg` of flammable gas.
    Explosion {
        /// Flammable mass, kg.
        mass_kg: f64,
        /// Blast model.
        method: BlastSpec,
    },
    /// Ignition of the current cloud of the `ChemicalRelease` named `release`.
    CloudIgnition {
        /// Name of a `ChemicalRelease` hazard of the scenario.
        release: String,
        /// Flash fire or explosion.
        mode: IgnitionMode,
    },
}

/// A `ChemicalFire(...)` hazard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChemicalFireSpec {
    /// Name used by injects, chains, events and output names.
    pub name: String,
    /// Waits for an inject or chain link (`StartHazard(name)`) to start it.
    #[serde(default)]
    pub dormant: bool,
    /// Start time, s from the start of the run (of a dormant hazard: from its activation).
    #[serde(default)]
    pub start_s: f64,
    /// Position (x east, y north), m: pool or fireball centre, jet or blast origin, or the
    /// ignition source of a `CloudIgnition`.
    pub location_xy_m: [f64; 2],
    /// Chemical (library name or alias); for a `CloudIgnition`, the release's chemical is
    /// used and this must name the same substance.
    pub chemical: String,
    /// What burns or explodes.
    pub kind: ChemFireKind,
}

impl ChemicalFireSpec {
    /// Reports out-of-range values under `path` (references to other hazards are checked
    /// by [`check_references`]).
    pub fn check(&self, path: &str, out: &mut Vec<Problem>) {
        let p = |f: &str| join(path, f);
        if self.name.trim().is_empty() {
            out.push(Problem::new(
                p("name"),
                "a non-empty name",
                "\"\"",
                "injects and chains start hazards by name, e.g. \"tanker fireball\"",
            ));
        }
        check_non_negative(out, &p("start_s"), self.start_s, "s", "start time");
        if !self.location_xy_m.iter().all(|v| v.is_finite()) {
            out.push(Problem::new(
                p("location_xy_m"),
                "finite coordinates in metres",
                format!("{:?}", self.location_xy_m),
                "x east, y north in the scenario's metres",
            ));
        }
        if let Ok(lib) = ChemicalLibrary::load_builtin() {
            match lib.find(&self.chemical) {
                Err(e) => out.push(Problem::new(
                    p("chemical"),
                    "a chemical of the built-in library",
                    format!("\"{}\"", self.chemical),
                    e.to_string(),
                )),
                Ok(c) if c.combustion.is_none() => out.push(Problem::new(
                    p("chemical"),
                    "a flammable chemical (with a heat of combustion)",
                    format!("\"{}\"", self.chemical),
                    "e.g. propane, methane, benzene, hydrogen",
                )),
                Ok(_) => {}
            }
        }
        let k = join(&p("kind"), self.kind_name());
        let q = |f: &str| join(&k, f);
        let opt_pos = |out: &mut Vec<Problem>, f: &str, v: Option<f64>, unit: &str| {
            if let Some(v) = v {
                check_positive(out, &q(f), v, unit, "");
            }
        };
        match &self.kind {
            ChemFireKind::PoolFire {
                diameter_m,
                mass_kg,
                volume_m3,
                min_thickness_m,
                duration_s,
            } => {
                opt_pos(out, "diameter_m", *diameter_m, "m");
                opt_pos(out, "mass_kg", *mass_kg, "kg");
                opt_pos(out, "volume_m3", *volume_m3, "m³");
                opt_pos(out, "duration_s", *duration_s, "s");
                check_positive(out, &q("min_thickness_m"), *min_thickness_m, "m", "5 mm");
                if diameter_m.is_none() && mass_kg.is_none() && volume_m3.is_none() {
                    out.push(Problem::new(
                        k.clone(),
                        "`diameter_m`, `mass_kg` or `volume_m3`",
                        "none of them",
                        "give the bund diameter or the spilled amount",
                    ));
                }
                if mass_kg.is_some() && volume_m3.is_some() {
                    out.push(Problem::new(
                        q("volume_m3"),
                        "either `mass_kg` or `volume_m3`, not both",
                        "both",
                        "remove one",
                    ));
                }
            }
            ChemFireKind::JetFire {
                rate_kg_s,
                exit_velocity_m_s,
                height_m,
                duration_s,
                inventory_kg,
            } => {
                check_positive(out, &q("rate_kg_s"), *rate_kg_s, "kg/s", "leak rate");
                check_positive(
                    out,
                    &q("exit_velocity_m_s"),
                    *exit_velocity_m_s,
                    "m/s",
                    "sonic gas jets: 200–400 m/s",
                );
                check_non_negative(out, &q("height_m"), *height_m, "m", "release height");
                opt_pos(out, "duration_s", *duration_s, "s");
                opt_pos(out, "inventory_kg", *inventory_kg, "kg");
            }
            ChemFireKind::Fireball {
                mass_kg,
                burst_pressure_pa,
            } => {
                check_positive(out, &q("mass_kg"), *mass_kg, "kg", "fuel in the fireball");
                opt_pos(out, "burst_pressure_pa", *burst_pressure_pa, "Pa");
            }
            ChemFireKind::Explosion { mass_kg, method } => {
                check_positive(out, &q("mass_kg"), *mass_kg, "kg", "flammable mass");
                match method {
                    BlastSpec::Tnt { efficiency } => check_range(
                        out,
                        &join(&q("method"), "Tnt.efficiency"),
                        *efficiency,
                        1e-4,
                        1.0,
                        "",
                        "typically 0.01–0.10 (CCPS)",
                    ),
                    BlastSpec::Bst {
                        flame_mach,
                        congested_volume_m3,
                    } => check_bst(
                        out,
                        &join(&q("method"), "Bst"),
                        *flame_mach,
                        *congested_volume_m3,
                    ),
                }
            }
            ChemFireKind::CloudIgnition { release, mode } => {
                if release.trim().is_empty() {
                    out.push(Problem::new(
                        q("release"),
                        "the name of a ChemicalRelease hazard",
                        "\"\"",
                        "the cloud that is ignited",
                    ));
                }
                if let IgnitionMode::Explosion {
                    flame_mach,
                    congested_volume_m3,
                } = mode
                {
                    check_bst(
                        out,
                        &join(&q("mode"), "Explosion"),
                        *flame_mach,
                        *congested_volume_m3,
                    );
                }
            }
        }
    }

    /// The variant name of `kind` (for problem paths).
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            ChemFireKind::PoolFire { .. } => "PoolFire",
            ChemFireKind::JetFire { .. } => "JetFire",
            ChemFireKind::Fireball { .. } => "Fireball",
            ChemFireKind::Explosion { .. } => "Explosion",
            ChemFireKind::CloudIgnition { .. } => "CloudIgnition",
        }
    }
}

fn check_bst(out: &mut Vec<Problem>, path: &str, mf: f64, vol: Option<f64>) {
    check_range(
        out,
        &join(path, "flame_mach"),
        mf,
        MF_RANGE.0,
        MF_RANGE.1,
        "",
        "CCPS (2010) table: low reactivity, low congestion 0.2–0.35; high 0.7–5.2",
    );
    if let Some(v) = vol {
        check_positive(
            out,
            &join(path, "congested_volume_m3"),
            v,
            "m³",
            "volume of the congested area",
        );
    }
}

/// Checks that every `CloudIgnition` names a `ChemicalRelease` of the scenario, with a
/// did-you-mean suggestion, and that its `chemical` is the release's chemical.
/// `labels`: [`crate::scenario::types::HazardSpec::labels`]; `release_chemical[i]`: the
/// chemical of hazard i if it is a release.
pub fn check_references(
    specs: &[(usize, &ChemicalFireSpec)],
    labels: &[String],
    release_chemical: &[Option<&str>],
    out: &mut Vec<Problem>,
) {
    let releases: Vec<(&str, &str)> = labels
        .iter()
        .zip(release_chemical)
        .filter_map(|(l, c)| c.map(|c| (l.as_str(), c)))
        .collect();
    let lib = ChemicalLibrary::load_builtin().ok();
    let canonical = |name: &str| {
        lib.as_ref()
            .and_then(|l| l.find(name).ok())
            .map_or_else(|| name.to_lowercase(), |c| c.name.clone())
    };
    for (i, s) in specs {
        let ChemFireKind::CloudIgnition { release, .. } = &s.kind else {
            continue;
        };
        if let Some((_, chem)) = releases.iter().find(|(l, _)| l == release) {
            if canonical(chem) != canonical(&s.chemical) {
                out.push(Problem::new(
                    format!("hazards[{i}].chemical"),
                    format!("the chemical of release \"{release}\" (\"{chem}\")"),
                    format!("\"{}\"", s.chemical),
                    "a cloud ignition burns the release's own chemical",
                ));
            }
            continue;
        }
        let names = releases.iter().map(|(l, _)| *l);
        let hint = match crate::scenario::diagnostic::closest(release, names) {
            Some(c) => format!("did you mean \"{c}\"?"),
            None if releases.is_empty() => "the scenario has no ChemicalRelease".to_owned(),
            None => format!(
                "releases of this scenario: {}",
                releases
                    .iter()
                    .map(|(l, _)| *l)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        out.push(Problem::new(
            format!("hazards[{i}].kind.CloudIgnition.release"),
            "the name of a ChemicalRelease hazard",
            format!("\"{release}\""),
            hint,
        ));
    }
}
