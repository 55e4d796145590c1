//! When each hazard of the scenario starts. Most hazards run on the scenario's clock
//! (offset 0). A hazard marked `dormant` waits until an inject or a disaster-chain link
//! starts it; from then on its own times (`start_s`, ignition times, …) count from that
//! moment. Hazard plugins read [`HazardActivation::offset_s`] every tick; the exercise
//! layer writes it. Live hazards added during a run (a trainer's new release) get an
//! index past the scenario's list.

use bevy_ecs::prelude::*;
use serde::{Deserialize, Serialize};

use crate::scenario::types::HazardSpec;

/// Time offset of every hazard (snapshot state `activation`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Resource)]
pub struct HazardActivation {
    /// Per hazard index: `None` while dormant, else the run time its clock starts at, s.
    offsets: Vec<Option<f64>>,
    /// Per hazard index: the hazard's name (for references by name).
    names: Vec<String>,
}

impl HazardActivation {
    /// Offsets of the scenario's hazards: 0 for ordinary ones, dormant ones waiting.
    pub fn from_hazards(hazards: &[HazardSpec]) -> Self {
        Self {
            offsets: hazards
                .iter()
                .map(|h| (!h.dormant()).then_some(0.0))
                .collect(),
            names: HazardSpec::labels(hazards),
        }
    }

    /// Run time at which hazard `i`'s clock starts, or `None` while it is dormant.
    pub fn offset_s(&self, i: usize) -> Option<f64> {
        self.offsets.get(i).copied().flatten()
    }

    /// True once hazard `i` runs.
    pub fn is_active(&self, i: usize) -> bool {
        self.offset_s(i).is_some()
    }

    /// Starts dormant hazard `i` at run time `t_s`. Returns false (and changes nothing)
    /// if it already runs or does not exist.
    pub fn activate(&mut self, i: usize, t_s: f64) -> bool {
        match self.offsets.get_mut(i) {
            Some(slot @ None) => {
                *slot = Some(t_s);
                true
            }
            _ => false,
        }
    }

    /// Registers a hazard added during the run, active from `t_s`; returns its index.
    pub fn add_live(&mut self, name: String, t_s: f64) -> usize {
        self.offsets.push(Some(t_s));
        self.names.push(name);
        self.offsets.len() - 1
    }

    /// Index of the hazard called `name`.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Name of hazard `i`.
    pub fn name(&self, i: usize) -> Option<&str> {
        self.names.get(i).map(String::as_str)
    }

    /// Number of hazards (scenario and live).
    pub fn len(&self) -> usize {
        self.offsets.len()
    }

    /// True when there are no hazards.
    pub fn is_empty(&self) -> bool {
        self.offsets.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dormant_hazard_starts_once() {
        let mut a = HazardActivation {
            offsets: vec![Some(0.0), None],
            names: vec!["flood".into(), "氯气储罐".into()],
        };
        assert_eq!(a.offset_s(0), Some(0.0));
        assert!(!a.is_active(1));
        assert_eq!(a.index_of("氯气储罐"), Some(1));
        assert!(a.activate(1, 600.0));
        assert!(!a.activate(1, 900.0), "a second start is ignored");
        assert_eq!(a.offset_s(1), Some(600.0));
        assert!(!a.activate(7, 1.0));
        assert_eq!(a.add_live("live".into(), 30.0), 2);
        assert_eq!(a.offset_s(2), Some(30.0));
    }
}
