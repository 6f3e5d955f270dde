//! The kinds pvsim models, their API groups, and decoding a document into
//! the right typed object.

use crate::model::{
    CsiDriver, Deployment, Event, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod,
    PodDisruptionBudget, ReplicaSet, StatefulSet, StorageClass, VolumeAttachment, VolumeSnapshot,
    VolumeSnapshotClass,
};
use crate::yaml::{DeError, Document, Ignored, NodeId, from_node};

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
        kind: "ReplicaSet",
        api_version: "apps/v1",
        namespaced: true,
        old_versions: &[
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
        kind: "PodDisruptionBudget",
        api_version: "policy/v1",
        namespaced: true,
        old_versions: &[("policy/v1beta1", "v1.21", "v1.25")],
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

/// Declares [`Object`] and its per-kind dispatch from one list of
/// `Variant(Type) = "kind"`, so that a new kind is added in one place.
macro_rules! objects {
    ($($variant:ident($ty:ty) = $kind:literal,)*) => {
        /// An object of a kind pvsim simulates. Variants differ in size (a Pod is
        /// large); the variants are not boxed, the front door's entries box
        /// the whole object instead.
        #[allow(clippy::large_enum_variant)]
        #[derive(Clone, Debug, PartialEq)]
        pub enum Object {
            $($variant($ty),)*
        }

        impl Object {
            /// Deserializes the mapping at `node` as `kind`, straight into the
            /// typed struct, so that a type error keeps its path and location.
            pub fn decode(
                kind: &str,
                doc: &Document,
                node: NodeId,
            ) -> Option<Result<(Object, Vec<Ignored>), DeError>> {
                match kind {
                    $($kind => Some(from_node::<$ty>(doc, node).map(|(o, ignored)| (Object::$variant(o), ignored))),)*
                    _ => None,
                }
            }

            /// The object's kind, as `kind:` spells it.
            pub fn kind(&self) -> &'static str {
                match self {
                    $(Object::$variant(_) => $kind,)*
                }
            }

            pub fn metadata(&self) -> &crate::model::ObjectMeta {
                match self {
                    $(Object::$variant(o) => &o.metadata,)*
                }
            }

            pub fn metadata_mut(&mut self) -> &mut crate::model::ObjectMeta {
                match self {
                    $(Object::$variant(o) => &mut o.metadata,)*
                }
            }

            /// Every kind with the shape of its struct (see
            /// [`crate::model::schema`]).
            pub fn shapes() -> Vec<(&'static str, crate::model::schema::Shape)> {
                vec![$(($kind, <$ty as crate::model::schema::Shaped>::shape())),*]
            }

            /// The object as JSON, with only the fields pvsim models.
            pub fn to_json(&self) -> serde_json::Value {
                let v = match self {
                    $(Object::$variant(o) => serde_json::to_value(o),)*
                };
                v.expect("typed objects always serialize")
            }
        }
    };
}

impl Object {
    /// Whether objects of this kind live in a namespace.
    pub fn namespaced(&self) -> bool {
        kind_info(self.kind()).is_some_and(|i| i.namespaced)
    }
}

objects! {
    PersistentVolume(PersistentVolume) = "PersistentVolume",
    PersistentVolumeClaim(PersistentVolumeClaim) = "PersistentVolumeClaim",
    StorageClass(StorageClass) = "StorageClass",
    Pod(Pod) = "Pod",
    Deployment(Deployment) = "Deployment",
    ReplicaSet(ReplicaSet) = "ReplicaSet",
    StatefulSet(StatefulSet) = "StatefulSet",
    PodDisruptionBudget(PodDisruptionBudget) = "PodDisruptionBudget",
    Node(Node) = "Node",
    Namespace(Namespace) = "Namespace",
    CsiDriver(CsiDriver) = "CSIDriver",
    VolumeSnapshot(VolumeSnapshot) = "VolumeSnapshot",
    VolumeSnapshotClass(VolumeSnapshotClass) = "VolumeSnapshotClass",
    VolumeAttachment(VolumeAttachment) = "VolumeAttachment",
    Event(Event) = "Event",
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
