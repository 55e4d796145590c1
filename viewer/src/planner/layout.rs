//! Layouts: the positions of a scenario's bases, depots and shelters, applied to a copy
//! of the scenario in memory, and exported as a copy of the scenario file in which only
//! the moved `location_xy_m` values are rewritten (comments, formatting and Chinese
//! labels stay as they were).

use std::path::Path;

use drillsim_engine::agents::spec::FacilitySpec;
use drillsim_engine::scenario::LoadedScenario;
use drillsim_engine::scenario::spans::SpanIndex;

/// Kind of a site the planner can move.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteKind {
    /// Station or base teams start from.
    Base,
    /// Relief-supply depot.
    Depot,
    /// Evacuation shelter.
    Shelter,
}

impl SiteKind {
    /// English name for tables.
    pub fn name(self) -> &'static str {
        match self {
            Self::Base => "Base",
            Self::Depot => "Depot",
            Self::Shelter => "Shelter",
        }
    }
}

/// A movable site of the scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    /// Index in the scenario's `facilities` list (and in the engine's facilities).
    pub index: usize,
    /// Id.
    pub id: String,
    /// Display name (the id when the scenario gives none).
    pub label: String,
    /// Kind.
    pub kind: SiteKind,
}

/// Positions of the sites (same order as [`sites`]), m.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Position of each site, m.
    pub pos: Vec<[f64; 2]>,
}

/// The bases, depots and shelters of `loaded`, in scenario order.
pub fn sites(loaded: &LoadedScenario) -> Vec<Site> {
    loaded
        .scenario
        .facilities
        .iter()
        .enumerate()
        .filter_map(|(index, f)| {
            let kind = match f {
                FacilitySpec::Base { .. } => SiteKind::Base,
                FacilitySpec::Depot { .. } => SiteKind::Depot,
                FacilitySpec::Shelter { .. } => SiteKind::Shelter,
                _ => return None,
            };
            let s = f.site();
            Some(Site {
                index,
                id: s.id.clone(),
                label: s.name.clone().unwrap_or_else(|| s.id.clone()),
                kind,
            })
        })
        .collect()
}

/// The scenario's own layout.
pub fn layout_of(loaded: &LoadedScenario, sites: &[Site]) -> Layout {
    Layout {
        pos: sites
            .iter()
            .map(|s| {
                let (x, y) = loaded.scenario.facilities[s.index].site().location_xy_m;
                [x, y]
            })
            .collect(),
    }
}

fn location_mut(f: &mut FacilitySpec) -> &mut (f64, f64) {
    match f {
        FacilitySpec::Base { site, .. }
        | FacilitySpec::Depot { site, .. }
        | FacilitySpec::Shelter { site, .. }
        | FacilitySpec::Hospital { site, .. }
        | FacilitySpec::CommandPost { site } => &mut site.location_xy_m,
    }
}

/// A copy of `loaded` with the sites at `layout` (the text is left as loaded).
pub fn apply(loaded: &LoadedScenario, sites: &[Site], layout: &Layout) -> LoadedScenario {
    let mut out = loaded.clone();
    for (s, p) in sites.iter().zip(&layout.pos) {
        if let Some(f) = out.scenario.facilities.get_mut(s.index) {
            *location_mut(f) = (p[0], p[1]);
        }
    }
    out
}

/// Byte offset of a 1-based line and character column in `text`.
fn byte_offset(text: &str, line: usize, col: usize) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += text[start..].find('\n')? + 1;
    }
    let rest = &text[start..];
    let off = rest
        .char_indices()
        .nth(col - 1)
        .map_or(rest.len(), |(i, _)| i);
    Some(start + off)
}

/// The scenario text with every moved site's `location_xy_m` replaced by its layout
/// position; the result is parsed back and checked to hold exactly the layout.
pub fn export_text(
    loaded: &LoadedScenario,
    sites: &[Site],
    layout: &Layout,
) -> Result<String, String> {
    let text = &loaded.text;
    let index = SpanIndex::new(text);
    let original = layout_of(loaded, sites);
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for ((s, p), p0) in sites.iter().zip(&layout.pos).zip(&original.pos) {
        if p == p0 {
            continue;
        }
        let path = format!("facilities[{}].site.location_xy_m", s.index);
        let not_found = || {
            format!(
                "cannot find `{path}` of site `{}` in the scenario text",
                s.id
            )
        };
        let pos = index.locate(&path).ok_or_else(not_found)?;
        let start = byte_offset(text, pos.line, pos.col).ok_or_else(not_found)?;
        if !text[start..].starts_with('(') {
            return Err(not_found());
        }
        let end = start + text[start..].find(')').ok_or_else(not_found)? + 1;
        // The value found must be the site's current position (else the index pointed
        // at an ancestor or another value).
        let nums: Vec<f64> = text[start + 1..end - 1]
            .split(',')
            .filter_map(|v| v.trim().parse().ok())
            .collect();
        if nums != [p0[0], p0[1]] {
            return Err(not_found());
        }
        edits.push((start, end, format!("({:?}, {:?})", p[0], p[1])));
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.clone();
    for (a, b, v) in edits {
        out.replace_range(a..b, &v);
    }
    let back = drillsim_engine::scenario::parse(&out, &loaded.file, loaded.base_dir.clone())
        .map_err(|e| format!("the exported scenario does not load: {e}"))?;
    if layout_of(&back, sites) != *layout {
        return Err("the exported scenario does not hold the layout".to_owned());
    }
    Ok(out)
}

/// Writes the scenario with `layout` to `path` (a temporary file renamed into place).
pub fn export(
    loaded: &LoadedScenario,
    sites: &[Site],
    layout: &Layout,
    path: &Path,
) -> Result<(), String> {
    let text = export_text(loaded, sites, layout)?;
    drillsim_engine::batch::results::write_atomic(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flagship() -> LoadedScenario {
        drillsim_engine::scenario::load(&crate::fixtures::scenario_path(
            "flagship_flood_chlorine.ron",
        ))
        .unwrap()
    }

    #[test]
    fn byte_offsets_count_characters() {
        let t = "ab\n中文(x";
        assert_eq!(byte_offset(t, 2, 3), Some(9));
        assert_eq!(&t[9..10], "(");
        assert_eq!(byte_offset(t, 1, 1), Some(0));
    }

    #[test]
    fn sites_of_the_flagship() {
        let l = flagship();
        let s = sites(&l);
        // flagship: 4 bases, 2 shelters, 1 depot (hospital and command post are fixed).
        assert_eq!(s.len(), 7);
        assert_eq!(s[0].id, "hazmat-base");
        assert_eq!(s[0].label, "危化品救援基地");
        assert_eq!(s.iter().filter(|x| x.kind == SiteKind::Base).count(), 4);
        let lay = layout_of(&l, &s);
        assert_eq!(lay.pos[0], [500_300.0, 3_401_400.0]);
    }

    #[test]
    fn export_rewrites_only_the_moved_site_and_keeps_labels() {
        let l = flagship();
        let s = sites(&l);
        let mut lay = layout_of(&l, &s);
        lay.pos[2] = [501_234.5, 3_400_987.25];
        let out = export_text(&l, &s, &lay).unwrap();
        assert!(out.contains("location_xy_m: (501234.5, 3400987.25)"));
        assert!(out.contains("镇消防站"));
        // Exactly one line changed: the rest of the text is identical.
        let diff = out
            .lines()
            .zip(l.text.lines())
            .filter(|(a, b)| a != b)
            .count();
        assert_eq!(diff, 1);
        let back = drillsim_engine::scenario::parse(&out, "x", l.base_dir.clone()).unwrap();
        assert_eq!(layout_of(&back, &s), lay);
        // Applying the layout in memory gives the same positions.
        assert_eq!(layout_of(&apply(&l, &s, &lay), &s), lay);
    }
}
