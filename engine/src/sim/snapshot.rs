//! Exact snapshots of a run's dynamic state, as bytes.
//!
//! Each piece of state is a *slot* (a resource that implements serde) saved under a
//! name with `postcard`, which stores floats as their exact bits. Static data rebuilt from
//! the scenario (terrain, layers) is not stored; the snapshot records the scenario's hash
//! and refuses to restore into a run of another scenario.

use std::marker::PhantomData;

use bevy_ecs::prelude::*;
use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// Magic bytes at the start of every snapshot.
pub const MAGIC: &[u8; 8] = b"DRSIMSNP";
/// Snapshot format version.
pub const VERSION: u32 = 1;

/// Why a snapshot could not be made or restored.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// Not a drillsim snapshot or a different format version.
    #[error("not a drillsim snapshot of format version {VERSION}")]
    BadHeader,
    /// Taken from another scenario.
    #[error(
        "the snapshot belongs to another scenario (hash {found:016x}, expected {expected:016x})"
    )]
    WrongScenario {
        /// Hash in the snapshot.
        found: u64,
        /// Hash of this run's scenario.
        expected: u64,
    },
    /// A slot is missing from the snapshot.
    #[error("the snapshot has no state for `{0}`")]
    MissingSlot(&'static str),
    /// Encoding or decoding failed.
    #[error("snapshot state `{slot}` could not be encoded or decoded: {message}")]
    Codec {
        /// Slot name.
        slot: &'static str,
        /// Codec message.
        message: String,
    },
}

/// One piece of saved state.
pub trait StateSlot: Send + Sync {
    /// Unique name of the slot.
    fn name(&self) -> &'static str;
    /// Encodes the state.
    fn save(&self, world: &World) -> Result<Vec<u8>, SnapshotError>;
    /// Decodes and installs the state.
    fn load(&self, world: &mut World, bytes: &[u8]) -> Result<(), SnapshotError>;
}

/// A slot for a serde resource `R`.
pub struct ResourceSlot<R> {
    name: &'static str,
    _r: PhantomData<fn() -> R>,
}

impl<R> ResourceSlot<R> {
    /// A slot named `name`.
    pub fn new(name: &'static str) -> Self {
        Self {
            name,
            _r: PhantomData,
        }
    }
}

impl<R: Resource + Serialize + DeserializeOwned> StateSlot for ResourceSlot<R> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn save(&self, world: &World) -> Result<Vec<u8>, SnapshotError> {
        let r = world
            .get_resource::<R>()
            .ok_or(SnapshotError::MissingSlot(self.name))?;
        postcard::to_stdvec(r).map_err(|e| SnapshotError::Codec {
            slot: self.name,
            message: e.to_string(),
        })
    }

    fn load(&self, world: &mut World, bytes: &[u8]) -> Result<(), SnapshotError> {
        let r: R = postcard::from_bytes(bytes).map_err(|e| SnapshotError::Codec {
            slot: self.name,
            message: e.to_string(),
        })?;
        world.insert_resource(r);
        Ok(())
    }
}

#[derive(Serialize, Deserialize)]
struct Body {
    scenario_hash: u64,
    slots: Vec<(String, Vec<u8>)>,
}

/// Encodes the slots of `world`.
pub fn save(
    world: &World,
    slots: &[Box<dyn StateSlot>],
    scenario_hash: u64,
) -> Result<Vec<u8>, SnapshotError> {
    let mut body = Body {
        scenario_hash,
        slots: Vec::with_capacity(slots.len()),
    };
    for s in slots {
        body.slots.push((s.name().to_owned(), s.save(world)?));
    }
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&VERSION.to_le_bytes());
    let encoded = postcard::to_stdvec(&body).map_err(|e| SnapshotError::Codec {
        slot: "snapshot",
        message: e.to_string(),
    })?;
    out.extend_from_slice(&encoded);
    Ok(out)
}

/// Restores the slots of `world` from `bytes`. Nothing is changed unless every slot decodes.
pub fn load(
    world: &mut World,
    slots: &[Box<dyn StateSlot>],
    scenario_hash: u64,
    bytes: &[u8],
) -> Result<(), SnapshotError> {
    let header = MAGIC.len() + 4;
    if bytes.len() < header
        || &bytes[..MAGIC.len()] != MAGIC
        || bytes[MAGIC.len()..header] != VERSION.to_le_bytes()
    {
        return Err(SnapshotError::BadHeader);
    }
    let body: Body = postcard::from_bytes(&bytes[header..]).map_err(|e| SnapshotError::Codec {
        slot: "snapshot",
        message: e.to_string(),
    })?;
    if body.scenario_hash != scenario_hash {
        return Err(SnapshotError::WrongScenario {
            found: body.scenario_hash,
            expected: scenario_hash,
        });
    }
    // Decode everything into a scratch world first so a bad slot leaves `world` intact.
    let mut scratch = World::new();
    for s in slots {
        let data = body
            .slots
            .iter()
            .find(|(n, _)| n == s.name())
            .ok_or(SnapshotError::MissingSlot(s.name()))?;
        s.load(&mut scratch, &data.1)?;
    }
    for s in slots {
        let data = &body
            .slots
            .iter()
            .find(|(n, _)| n == s.name())
            .ok_or(SnapshotError::MissingSlot(s.name()))?
            .1;
        s.load(world, data)?;
    }
    Ok(())
}
