//! The kinds pvsim models, their API groups, and decoding a document into
//! the right typed object.

use crate::model::{
    CsiDriver, Deployment, Event, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod,
    StatefulSet, StorageClass, VolumeAttachment, VolumeSnapshot, VolumeSnapshotClass,
};
use crate::yaml::{DeError, Document, Ignored, NodeId, from_node};

/// An object of a kind pvsim simulates. Variants differ in size (a Pod is
/// large); objects are few and held once, so they are not boxed.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Object {
    PersistentVolume(PersistentVolume),
    PersistentVolumeClaim(PersistentVolumeClaim),
    StorageClass(StorageClass),
    Pod(Pod),
    Deployment(Deployment),
    StatefulSet(StatefulSet),
    Node(Node),
    Namespace(Namespace),
    CsiDriver(CsiDriver),
    VolumeSnapshot(VolumeSnapshot),
    VolumeSnapshotClass(VolumeSnapshotClass),
    VolumeAttachment(VolumeAttachment),
    Event(Event),
}

/// What pvsim knows of a kind.
#[derive(Clone, Copy, Debug)]
pub struct KindInfo {
    pub kind: &'static str,
    /// The served `apiVersion`.
    pub api_version: &'static str,
    pub namespaced: bool,
    /// Older versions read as this one, with `(apiVersion, deprecated, removed)`.
    pub old_versions: &'static [(&'static str, &'static str, &'static str)],
}

const APPS_OLD: &[(&str, &str, &str)] = &[
    ("apps/v1beta1", "v1.9", "v1.16"),
    ("apps/v1beta2", "v1.9", "v1.16"),
];
const STORAGE_OLD: &[(&str, &str, &str)] = &[("storage.k8s.io/v1beta1", "v1.19", "v1.22")];
const SNAPSHOT_OLD: &[(&str, &str, &str)] = &[("snapshot.storage.k8s.io/v1beta1", "", "")];

pub const KINDS: &[KindInfo] = &[
    KindInfo {
        kind: "PersistentVolume",
        api_version: "v1",
        namespaced: false,
        old_versions: &[],
    },
    KindInfo {
        kind: "PersistentVolumeClaim",
        api_version: "v1",
        namespaced: true,
        old_versions: &[],
    },
    KindInfo {
        kind: "StorageClass",
        api_version: "storage.k8s.io/v1",
        namespaced: false,
        old_versions: STORAGE_OLD,
    },
    KindInfo {
        kind: "Pod",
        api_version: "v1",
        namespaced: true,
        old_versions: &[],
    },
    KindInfo {
        kind: "Deployment",
        api_version: "apps/v1",
        namespaced: true,
        old_versions: &[
            ("apps/v1beta1", "v1.9", "v1.16"),
            ("apps/v1beta2", "v1.9", "v1.16"),
            ("extensions/v1beta1", "v1.8", "v1.16"),
        ],
    },
    KindInfo {
        kind: "StatefulSet",
        api_version: "apps/v1",
        namespaced: true,
        old_versions: APPS_OLD,
    },
    KindInfo {
        kind: "Node",
        api_version: "v1",
        namespaced: false,
        old_versions: &[],
    },
    KindInfo {
        kind: "Namespace",
        api_version: "v1",
        namespaced: false,
        old_versions: &[],
    },
    KindInfo {
        kind: "CSIDriver",
        api_version: "storage.k8s.io/v1",
        namespaced: false,
        old_versions: STORAGE_OLD,
    },
    KindInfo {
        kind: "VolumeSnapshot",
        api_version: "snapshot.storage.k8s.io/v1",
        namespaced: true,
        old_versions: SNAPSHOT_OLD,
    },
    KindInfo {
        kind: "VolumeSnapshotClass",
        api_version: "snapshot.storage.k8s.io/v1",
        namespaced: false,
        old_versions: SNAPSHOT_OLD,
    },
    KindInfo {
        kind: "VolumeAttachment",
        api_version: "storage.k8s.io/v1",
        namespaced: false,
        old_versions: STORAGE_OLD,
    },
    KindInfo {
        kind: "Event",
        api_version: "v1",
        namespaced: true,
        old_versions: &[],
    },
];

pub fn kind_info(kind: &str) -> Option<&'static KindInfo> {
    KINDS.iter().find(|k| k.kind == kind)
}

/// The deprecation warning for reading `api_version` as the served version,
/// in the API server's words, or `None` when `api_version` is the served one.
/// `Err` when the version is not one pvsim can read.
pub fn version_warning(info: &KindInfo, api_version: &str) -> Result<Option<String>, ()> {
    if api_version == info.api_version {
        return Ok(None);
    }
    let Some(&(old, deprecated, removed)) =
        info.old_versions.iter().find(|(v, _, _)| *v == api_version)
    else {
        return Err(());
    };
    let kind = info.kind;
    let served = info.api_version;
    Ok(Some(if deprecated.is_empty() {
        format!("{old} {kind} is deprecated; use {served} {kind} (pvsim reads it as {served})")
    } else {
        format!(
            "{old} {kind} is deprecated in {deprecated}+, unavailable in {removed}+; use {served} {kind} (pvsim reads it as {served}; Kubernetes 1.34 rejects it)"
        )
    }))
}

impl Object {
    /// Deserializes the mapping at `node` as `kind`, straight into the typed
    /// struct, so that a type error keeps its path and location.
    pub fn decode(
        kind: &str,
        doc: &Document,
        node: NodeId,
    ) -> Option<Result<(Object, Vec<Ignored>), DeError>> {
        fn typed<'d, T: serde::Deserialize<'d>>(
            doc: &'d Document,
            node: NodeId,
            wrap: fn(T) -> Object,
        ) -> Result<(Object, Vec<Ignored>), DeError> {
            from_node::<T>(doc, node).map(|(t, ignored)| (wrap(t), ignored))
        }
        Some(match kind {
            "PersistentVolume" => typed(doc, node, Object::PersistentVolume),
            "PersistentVolumeClaim" => typed(doc, node, Object::PersistentVolumeClaim),
            "StorageClass" => typed(doc, node, Object::StorageClass),
            "Pod" => typed(doc, node, Object::Pod),
            "Deployment" => typed(doc, node, Object::Deployment),
            "StatefulSet" => typed(doc, node, Object::StatefulSet),
            "Node" => typed(doc, node, Object::Node),
            "Namespace" => typed(doc, node, Object::Namespace),
            "CSIDriver" => typed(doc, node, Object::CsiDriver),
            "VolumeSnapshot" => typed(doc, node, Object::VolumeSnapshot),
            "VolumeSnapshotClass" => typed(doc, node, Object::VolumeSnapshotClass),
            "VolumeAttachment" => typed(doc, node, Object::VolumeAttachment),
            "Event" => typed(doc, node, Object::Event),
            _ => return None,
        })
    }

    /// The object's kind, as `kind:` spells it.
    pub fn kind(&self) -> &'static str {
        match self {
            Object::PersistentVolume(_) => "PersistentVolume",
            Object::PersistentVolumeClaim(_) => "PersistentVolumeClaim",
            Object::StorageClass(_) => "StorageClass",
            Object::Pod(_) => "Pod",
            Object::Deployment(_) => "Deployment",
            Object::StatefulSet(_) => "StatefulSet",
            Object::Node(_) => "Node",
            Object::Namespace(_) => "Namespace",
            Object::CsiDriver(_) => "CSIDriver",
            Object::VolumeSnapshot(_) => "VolumeSnapshot",
            Object::VolumeSnapshotClass(_) => "VolumeSnapshotClass",
            Object::VolumeAttachment(_) => "VolumeAttachment",
            Object::Event(_) => "Event",
        }
    }

    pub fn metadata_mut(&mut self) -> &mut crate::model::ObjectMeta {
        match self {
            Object::PersistentVolume(o) => &mut o.metadata,
            Object::PersistentVolumeClaim(o) => &mut o.metadata,
            Object::StorageClass(o) => &mut o.metadata,
            Object::Pod(o) => &mut o.metadata,
            Object::Deployment(o) => &mut o.metadata,
            Object::StatefulSet(o) => &mut o.metadata,
            Object::Node(o) => &mut o.metadata,
            Object::Namespace(o) => &mut o.metadata,
            Object::CsiDriver(o) => &mut o.metadata,
            Object::VolumeSnapshot(o) => &mut o.metadata,
            Object::VolumeSnapshotClass(o) => &mut o.metadata,
            Object::VolumeAttachment(o) => &mut o.metadata,
            Object::Event(o) => &mut o.metadata,
        }
    }

    pub fn metadata(&self) -> &crate::model::ObjectMeta {
        match self {
            Object::PersistentVolume(o) => &o.metadata,
            Object::PersistentVolumeClaim(o) => &o.metadata,
            Object::StorageClass(o) => &o.metadata,
            Object::Pod(o) => &o.metadata,
            Object::Deployment(o) => &o.metadata,
            Object::StatefulSet(o) => &o.metadata,
            Object::Node(o) => &o.metadata,
            Object::Namespace(o) => &o.metadata,
            Object::CsiDriver(o) => &o.metadata,
            Object::VolumeSnapshot(o) => &o.metadata,
            Object::VolumeSnapshotClass(o) => &o.metadata,
            Object::VolumeAttachment(o) => &o.metadata,
            Object::Event(o) => &o.metadata,
        }
    }

    /// The object as JSON, with only the fields pvsim models.
    pub fn to_json(&self) -> serde_json::Value {
        let v = match self {
            Object::PersistentVolume(o) => serde_json::to_value(o),
            Object::PersistentVolumeClaim(o) => serde_json::to_value(o),
            Object::StorageClass(o) => serde_json::to_value(o),
            Object::Pod(o) => serde_json::to_value(o),
            Object::Deployment(o) => serde_json::to_value(o),
            Object::StatefulSet(o) => serde_json::to_value(o),
            Object::Node(o) => serde_json::to_value(o),
            Object::Namespace(o) => serde_json::to_value(o),
            Object::CsiDriver(o) => serde_json::to_value(o),
            Object::VolumeSnapshot(o) => serde_json::to_value(o),
            Object::VolumeSnapshotClass(o) => serde_json::to_value(o),
            Object::VolumeAttachment(o) => serde_json::to_value(o),
            Object::Event(o) => serde_json::to_value(o),
        };
        v.expect("typed objects always serialize")
    }
}

/// Writes `typed` over `raw`: fields pvsim models take the typed value,
/// everything else keeps the source's. Sequences of equal length merge item
/// by item, so a container keeps its `image` and `ports`.
pub fn merge_raw(raw: &serde_json::Value, typed: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match (raw, typed) {
        (Value::Object(r), Value::Object(t)) => {
            let mut out = r.clone();
            for (k, tv) in t {
                let merged = match r.get(k) {
                    Some(rv) => merge_raw(rv, tv),
                    None => tv.clone(),
                };
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        (Value::Array(r), Value::Array(t)) if r.len() == t.len() => {
            Value::Array(r.iter().zip(t).map(|(rv, tv)| merge_raw(rv, tv)).collect())
        }
        _ => typed.clone(),
    }
}
