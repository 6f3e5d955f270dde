//! The event log: v1 Events as the controllers' event recorders write them.
//!
//! Identical events (same source, object, type, reason and message) are
//! folded into one whose `count` grows and whose `lastTimestamp` moves, as
//! client-go's event correlator does; kubectl then prints `2m (x9 over 4m)`.
//! Simplification: the correlator's second stage, which merges more than
//! ten similar events with different messages into "(combined from similar
//! events)", is not modelled.

use std::collections::BTreeMap;

use super::clock::{Millis, timestamp, unix_nanos};
use super::log::Log;
use super::store::ObjKey;
use crate::DEFAULT_NAMESPACE;
use crate::model::{Event, EventSource, ObjectMeta, ObjectReference};
use crate::object::kind_info;

/// One recorded event.
#[derive(Clone, Debug, PartialEq)]
pub struct EventRecord {
    /// The Event object's own name and namespace.
    pub name: String,
    pub namespace: String,
    pub involved: ObjectReference,
    pub type_: &'static str,
    pub reason: &'static str,
    pub message: String,
    /// The component that reported it (`persistentvolume-controller`).
    pub source: String,
    pub first: Millis,
    pub last: Millis,
    pub count: u32,
}

impl EventRecord {
    /// `persistentvolumeclaim/data`: the object as `kubectl get events` names it.
    pub fn object(&self) -> String {
        format!(
            "{}/{}",
            self.involved.kind.to_lowercase(),
            self.involved.name
        )
    }

    /// The v1 Event the API server would hold.
    pub fn to_event(&self) -> Event {
        Event {
            api_version: "v1".into(),
            kind: "Event".into(),
            metadata: ObjectMeta {
                name: self.name.clone(),
                namespace: self.namespace.clone(),
                creation_timestamp: Some(timestamp(self.first)),
                ..ObjectMeta::default()
            },
            involved_object: self.involved.clone(),
            reason: self.reason.into(),
            message: self.message.clone(),
            source: EventSource {
                component: self.source.clone(),
                host: String::new(),
            },
            first_timestamp: Some(timestamp(self.first)),
            last_timestamp: Some(timestamp(self.last)),
            count: Some(i32::try_from(self.count).unwrap_or(i32::MAX)),
            type_: self.type_.into(),
            reporting_component: self.source.clone(),
            ..Event::default()
        }
    }
}

/// What identifies an event for folding.
type FoldKey = (String, ObjKey, String, &'static str, &'static str, String);

#[derive(Clone, Debug, Default)]
pub struct EventLog {
    records: Log<EventRecord>,
    folds: BTreeMap<FoldKey, usize>,
}

/// The reference an event keeps to its object.
pub fn reference(key: &ObjKey, uid: &str, resource_version: &str) -> ObjectReference {
    ObjectReference {
        api_version: kind_info(key.kind)
            .map(|i| i.api_version.to_owned())
            .unwrap_or_default(),
        kind: key.kind.into(),
        namespace: key.namespace.clone(),
        name: key.name.clone(),
        uid: uid.into(),
        resource_version: resource_version.into(),
        field_path: String::new(),
    }
}

impl EventLog {
    /// Every record, in the order first seen; clones share them (see
    /// `log.rs`).
    pub fn records(&self) -> &Log<EventRecord> {
        &self.records
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Records an event; returns its index in [`EventLog::records`].
    #[allow(clippy::too_many_arguments)]
    pub fn record(
        &mut self,
        now: Millis,
        source: &str,
        key: &ObjKey,
        involved: ObjectReference,
        type_: &'static str,
        reason: &'static str,
        message: String,
    ) -> usize {
        let fold: FoldKey = (
            source.to_owned(),
            key.clone(),
            involved.uid.clone(),
            type_,
            reason,
            message.clone(),
        );
        if let Some(&i) = self.folds.get(&fold) {
            if let Some(r) = self.records.get_mut(i) {
                r.count += 1;
                r.last = now;
            }
            return i;
        }
        let namespace = if key.namespace.is_empty() {
            DEFAULT_NAMESPACE.to_owned()
        } else {
            key.namespace.clone()
        };
        // Upstream names an event `<object>.<unix nanoseconds, hex>`; the
        // sequence number keeps two events of one millisecond apart.
        let nanos = unix_nanos(now) + self.records.len() as i128;
        self.records.push(EventRecord {
            name: format!("{}.{nanos:x}", key.name),
            namespace,
            involved,
            type_,
            reason,
            message,
            source: source.to_owned(),
            first: now,
            last: now,
            count: 1,
        });
        self.folds.insert(fold, self.records.len() - 1);
        self.records.len() - 1
    }
}
