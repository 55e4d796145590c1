//! Loading and looking up [`Chemical`]s: the built-in `assets/chemicals.ron` and user
//! files that add chemicals or override built-in ones by name.

use super::{Chemical, VapourPressure};
use crate::scenario::diagnostic::edit_distance;
use serde::Deserialize;
use std::path::Path;

/// The built-in library source, embedded at compile time.
const BUILTIN: &str = include_str!("../../../../assets/chemicals.ron");

/// Errors of the chemical library.
#[derive(Debug, thiserror::Error)]
pub enum ChemError {
    /// The RON text could not be parsed.
    #[error("{file}:{line}:{col}: {msg}")]
    Parse {
        /// File name.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// Parser message.
        msg: String,
    },
    /// The file could not be read.
    #[error("cannot read chemical file {file}: {msg}")]
    Io {
        /// File name.
        file: String,
        /// OS message.
        msg: String,
    },
    /// A chemical has an impossible property.
    #[error("chemical `{name}`: {msg}")]
    Invalid {
        /// Chemical name.
        name: String,
        /// What is wrong.
        msg: String,
    },
    /// Lookup of an unknown name.
    #[error("unknown chemical `{name}`{hint}")]
    Unknown {
        /// Requested name.
        name: String,
        /// "; did you mean …?" or the list of known names.
        hint: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChemicalFile {
    chemicals: Vec<Chemical>,
}

/// An ordered set of chemicals (insertion order; no hash maps, so output is stable).
#[derive(Clone, Debug, Default)]
pub struct ChemicalLibrary {
    chemicals: Vec<Chemical>,
}

impl ChemicalLibrary {
    /// The built-in library (`assets/chemicals.ron`).
    pub fn load_builtin() -> Result<Self, ChemError> {
        Self::parse(BUILTIN, "assets/chemicals.ron")
    }

    /// Parses RON text `src` named `file` (for messages).
    pub fn parse(src: &str, file: &str) -> Result<Self, ChemError> {
        let parsed: ChemicalFile = ron::from_str(src).map_err(|e| ChemError::Parse {
            file: file.to_owned(),
            line: e.span.start.line,
            col: e.span.start.col,
            msg: e.code.to_string(),
        })?;
        let mut lib = Self::default();
        for c in parsed.chemicals {
            validate(&c)?;
            lib.insert(c);
        }
        Ok(lib)
    }

    /// Adds the chemicals of the user file at `path`, replacing same-named ones.
    pub fn load_file(&mut self, path: &Path) -> Result<(), ChemError> {
        let file = path.display().to_string();
        let src = std::fs::read_to_string(path).map_err(|e| ChemError::Io {
            file: file.clone(),
            msg: e.to_string(),
        })?;
        let extra = Self::parse(&src, &file)?;
        for c in extra.chemicals {
            self.insert(c);
        }
        Ok(())
    }

    /// Inserts `c`, replacing a chemical with the same canonical name.
    pub fn insert(&mut self, c: Chemical) {
        if let Some(old) = self
            .chemicals
            .iter_mut()
            .find(|o| o.name.eq_ignore_ascii_case(&c.name))
        {
            *old = c;
        } else {
            self.chemicals.push(c);
        }
    }

    /// All chemicals in order.
    pub fn chemicals(&self) -> &[Chemical] {
        &self.chemicals
    }

    /// The chemical called `name` (name or alias, case-insensitive), if any.
    pub fn get(&self, name: &str) -> Option<&Chemical> {
        self.chemicals.iter().find(|c| c.matches(name))
    }

    /// The chemical called `name`, or an error suggesting close names.
    pub fn find(&self, name: &str) -> Result<&Chemical, ChemError> {
        self.get(name).ok_or_else(|| ChemError::Unknown {
            name: name.to_owned(),
            hint: self.hint(name),
        })
    }

    fn hint(&self, name: &str) -> String {
        let q = name.trim().to_ascii_lowercase();
        let mut scored: Vec<(usize, &str)> = Vec::new();
        for c in &self.chemicals {
            let mut best = edit_distance(&q, &c.name.to_ascii_lowercase());
            for a in &c.aliases {
                best = best.min(edit_distance(&q, &a.to_ascii_lowercase()));
            }
            if c.name.contains(&q) && !q.is_empty() {
                best = 0;
            }
            scored.push((best, &c.name));
        }
        scored.sort_by_key(|&(d, _)| d);
        let close: Vec<&str> = scored
            .iter()
            .filter(|(d, _)| *d <= 3.max(q.len() / 3))
            .take(3)
            .map(|&(_, n)| n)
            .collect();
        if close.is_empty() {
            let all: Vec<&str> = self.chemicals.iter().map(|c| c.name.as_str()).collect();
            format!("; known chemicals: {}", all.join(", "))
        } else {
            format!("; did you mean {}?", close.join(", "))
        }
    }
}

fn validate(c: &Chemical) -> Result<(), ChemError> {
    let bad = |msg: String| {
        Err(ChemError::Invalid {
            name: c.name.clone(),
            msg,
        })
    };
    let pos = [
        ("molar_mass_kg_mol", c.molar_mass_kg_mol),
        ("boiling_point_k", c.boiling_point_k),
        ("liquid.density_kg_m3", c.liquid.density_kg_m3),
        (
            "liquid.heat_of_vaporisation_j_kg",
            c.liquid.heat_of_vaporisation_j_kg,
        ),
        ("liquid.heat_capacity_j_kg_k", c.liquid.heat_capacity_j_kg_k),
    ];
    for (field, v) in pos {
        if !(v.is_finite() && v > 0.0) {
            return bad(format!("{field} must be > 0, found {v}"));
        }
    }
    if !(c.gamma.is_finite() && c.gamma > 1.0 && c.gamma < 2.0) {
        return bad(format!("gamma must be in (1, 2), found {}", c.gamma));
    }
    let ranges_ok = match &c.vapour_pressure {
        VapourPressure::Antoine { ranges, .. } => !ranges.is_empty(),
        VapourPressure::Raoult { components, .. } => {
            let sum: f64 = components.iter().map(|m| m.mole_fraction).sum();
            !components.is_empty()
                && (sum - 1.0).abs() < 1e-3
                && components.iter().all(|m| !m.antoine.is_empty())
        }
    };
    if !ranges_ok {
        return bad("vapour_pressure needs ≥ 1 Antoine range (mole fractions summing to 1)".into());
    }
    if let Some(comb) = &c.combustion
        && !(comb.lel > 0.0 && comb.lel < comb.uel && comb.uel <= 1.0)
    {
        return bad(format!(
            "need 0 < lel < uel ≤ 1 (volume fractions), found {} / {}",
            comb.lel, comb.uel
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_file_overrides_and_parse_errors_have_positions() {
        let mut lib = ChemicalLibrary::load_builtin().unwrap();
        let n = lib.chemicals().len();
        let mut cl = lib.find("chlorine").unwrap().clone();
        cl.liquid.density_kg_m3 = 1400.0;
        let text = format!("(chemicals: [{}])", ron::to_string(&cl).unwrap());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mine.ron");
        std::fs::write(&path, text).unwrap();
        lib.load_file(&path).unwrap();
        assert_eq!(lib.chemicals().len(), n);
        assert_eq!(lib.find("Cl2").unwrap().liquid.density_kg_m3, 1400.0);
        std::fs::write(&path, "(chemicals: [\n  (name: \"x\", bogus: 1)\n])").unwrap();
        let e = lib.load_file(&path).unwrap_err().to_string();
        assert!(e.contains("mine.ron:2:"), "{e}");
        let bad = ChemicalLibrary::parse("(chemicals: [])", "x").unwrap();
        assert!(
            bad.find("chlorine")
                .unwrap_err()
                .to_string()
                .contains("known chemicals")
        );
    }
}
