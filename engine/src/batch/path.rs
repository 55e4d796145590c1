//! Setting a scenario value by its field path.
//!
//! The typed [`Scenario`] is serialised to a generic JSON value (enums externally tagged:
//! `{"ChemicalRelease": {...}}`, tuples as arrays, `None` as `null`), the value at the
//! path is replaced, and the result is deserialised back, so every field the format has
//! can be swept and every type rule of the format still applies. Paths use the same
//! syntax as scenario error messages: `weather.wind[0].speed_m_s`,
//! `hazards[0].ChemicalRelease.location_xy_m`, `forces[1].Team.count`.

use serde_json::Value;

use crate::scenario::Scenario;
use crate::scenario::diagnostic::closest;

/// Why a value could not be set.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PathError {
    /// What went wrong, naming the path.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

fn err(message: String, hint: impl Into<String>) -> PathError {
    PathError {
        message,
        hint: hint.into(),
    }
}

/// One step of a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// `.name`
    Field(String),
    /// `[i]`
    Index(usize),
}

/// Splits `a.b[2].c` into segments.
pub fn parse_path(path: &str) -> Result<Vec<Seg>, PathError> {
    let bad = || {
        err(
            format!("`{path}` is not a field path"),
            "write fields separated by dots and list items as [i], e.g. weather.wind[0].speed_m_s",
        )
    };
    let mut segs = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            segs.push(Seg::Field(name.to_owned()));
        } else if rest.is_empty() || segs.is_empty() && !path.starts_with('[') {
            return Err(bad());
        }
        while !rest.is_empty() {
            let close = rest.find(']').ok_or_else(bad)?;
            let i: usize = rest[1..close].trim().parse().map_err(|_| bad())?;
            segs.push(Seg::Index(i));
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return Err(bad());
            }
        }
    }
    if segs.is_empty() {
        return Err(bad());
    }
    Ok(segs)
}

/// Replaces the value at `path` inside `root`. When the old value is an integer and
/// `round_to_integer` is set (sampled values), a number is rounded to the nearest
/// integer first. Errors name the deepest part of the path that exists.
pub fn set_path(
    root: &mut Value,
    path: &str,
    new: Value,
    round_to_integer: bool,
) -> Result<(), PathError> {
    let segs = parse_path(path)?;
    let mut cur = root;
    let mut walked = String::new();
    for seg in &segs {
        let here = if walked.is_empty() {
            "the scenario".to_owned()
        } else {
            format!("`{walked}`")
        };
        cur = match seg {
            Seg::Field(name) => match cur {
                Value::Object(map) => {
                    let keys: Vec<String> = map.keys().cloned().collect();
                    match map.get_mut(name) {
                        Some(v) => v,
                        None => {
                            let hint = match closest(name, keys.iter().map(String::as_str)) {
                                Some(c) => format!("did you mean `{c}`?"),
                                None => format!("{here} has {}", quoted(&keys)),
                            };
                            return Err(err(
                                format!("`{path}`: {here} has no field `{name}`"),
                                hint,
                            ));
                        }
                    }
                }
                Value::Null => {
                    return Err(err(
                        format!("`{path}`: {here} is None in the base scenario"),
                        format!("set {here} itself, or give it a value in the base scenario"),
                    ));
                }
                other => {
                    return Err(err(
                        format!("`{path}`: {here} is {}, not a struct", kind(other)),
                        "remove the field part after it",
                    ));
                }
            },
            Seg::Index(i) => match cur {
                Value::Array(items) => {
                    let n = items.len();
                    match items.get_mut(*i) {
                        Some(v) => v,
                        None => {
                            return Err(err(
                                format!("`{path}`: {here} has {n} items, no [{i}]"),
                                format!("indices start at 0; use 0 to {}", n.saturating_sub(1)),
                            ));
                        }
                    }
                }
                other => {
                    return Err(err(
                        format!("`{path}`: {here} is {}, not a list", kind(other)),
                        "remove the [index]",
                    ));
                }
            },
        };
        match seg {
            Seg::Field(name) => {
                if !walked.is_empty() {
                    walked.push('.');
                }
                walked.push_str(name);
            }
            Seg::Index(i) => walked.push_str(&format!("[{i}]")),
        }
    }
    let new = match (&*cur, new) {
        (Value::Number(old), Value::Number(n)) if round_to_integer && !old.is_f64() => {
            let x = n.as_f64().unwrap_or(0.0).round();
            if x < 0.0 {
                Value::from(x as i64)
            } else {
                Value::from(x as u64)
            }
        }
        (old, n) => {
            let compatible = matches!(
                (old, &n),
                (Value::Null, _)
                    | (Value::Number(_), Value::Number(_))
                    | (Value::String(_), Value::String(_))
                    | (Value::Bool(_), Value::Bool(_))
                    | (Value::Array(_), Value::Array(_))
                    | (Value::Object(_), _)
                    | (Value::String(_), Value::Object(_))
            );
            if !compatible {
                return Err(err(
                    format!(
                        "`{path}` is {} in the scenario, the sweep gives {}",
                        kind(old),
                        kind(&n)
                    ),
                    format!("give values like the base scenario's: {old}"),
                ));
            }
            n
        }
    };
    *cur = new;
    Ok(())
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "None",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number",
        Value::Number(_) => "a whole number",
        Value::String(_) => "text or a unit variant",
        Value::Array(_) => "a list or tuple",
        Value::Object(_) => "a struct or enum variant",
    }
}

fn quoted(keys: &[String]) -> String {
    let q: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    if q.is_empty() {
        "no fields".to_owned()
    } else {
        format!("fields {}", q.join(", "))
    }
}

/// The scenario as a generic value.
pub fn to_value(scenario: &Scenario) -> Result<Value, PathError> {
    serde_json::to_value(scenario).map_err(|e| {
        err(
            format!("the scenario cannot be represented for sweeping: {e}"),
            "",
        )
    })
}

/// Applies `(path, value, round)` settings to `base` and returns the typed scenario.
pub fn apply(
    base: &Value,
    settings: &[(&str, Value, bool)],
) -> Result<Scenario, (usize, PathError)> {
    let mut v = base.clone();
    for (i, (path, value, round)) in settings.iter().enumerate() {
        set_path(&mut v, path, value.clone(), *round).map_err(|e| (i, e))?;
    }
    serde_json::from_value(v).map_err(|e| {
        (
            settings.len().saturating_sub(1),
            err(
                format!("the swept values do not fit the scenario format: {e}"),
                "check the type of each axis's values against scenarios/README.md",
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sets_nested_values() {
        let mut v =
            json!({"weather": {"wind": [{"speed_m_s": 3.0}]}, "forces": [{"Team": {"count": 2}}]});
        set_path(&mut v, "weather.wind[0].speed_m_s", json!(5.5), false).unwrap();
        set_path(&mut v, "forces[0].Team.count", json!(3.6), true).unwrap();
        assert_eq!(v["weather"]["wind"][0]["speed_m_s"], json!(5.5));
        assert_eq!(v["forces"][0]["Team"]["count"], json!(4));
    }

    #[test]
    fn errors_name_the_path() {
        let mut v = json!({"weather": {"wind": [{"speed_m_s": 3.0}]}});
        let e = set_path(&mut v, "weather.wnd[0]", json!(1.0), false).unwrap_err();
        assert!(e.message.contains("`weather` has no field `wnd`"), "{e:?}");
        assert_eq!(e.hint, "did you mean `wind`?");
        let e = set_path(&mut v, "weather.wind[3].speed_m_s", json!(1.0), false).unwrap_err();
        assert!(e.message.contains("has 1 items, no [3]"), "{e:?}");
        let e = set_path(&mut v, "weather.wind[0].speed_m_s", json!("fast"), false).unwrap_err();
        assert!(e.message.contains("is a number in the scenario"), "{e:?}");
        assert!(parse_path("a..b").is_err());
        assert_eq!(
            parse_path("a[1][2].b").unwrap(),
            vec![
                Seg::Field("a".into()),
                Seg::Index(1),
                Seg::Index(2),
                Seg::Field("b".into())
            ]
        );
    }
}
