//! Typed models of the Kubernetes objects pvsim simulates, with the
//! upstream field names (`spec.storageClassName`, `persistentVolumeReclaimPolicy`).
//!
//! These are pvsim's own slim types rather than `k8s-openapi`'s (see
//! ARCHITECTURE.md for the measured sizes). They model the fields that
//! storage behaviour depends on. Fields they do not model are not lost:
//! every loaded object keeps its source document as a JSON value
//! ([`crate::Entry::raw`]), and [`crate::merge_raw`] writes the typed object
//! back over it. Kubernetes enumerations (access modes, reclaim policies)
//! are plain strings, because the API server accepts any string at decode
//! time and names the bad value in validation (`Unsupported value: ...`).
//!
//! Every struct deserializes with `default`: a missing field is empty here
//! and reported by validation, in the API server's words, not by serde.

mod cluster;
mod meta;
mod pod;
mod storage;
mod workloads;

pub use cluster::*;
pub use meta::*;
pub use pod::*;
pub use storage::*;
pub use workloads::*;

/// An opaque value: a part of an object pvsim keeps but does not model.
pub type Opaque = serde_json::Value;

/// Used by `skip_serializing_if`, so that written objects stay as short as
/// the ones people write.
pub(crate) fn is_default<T: Default + PartialEq>(t: &T) -> bool {
    *t == T::default()
}

/// Declares a Kubernetes struct: camelCase field names, every field
/// optional on input, empty fields left out on output.
macro_rules! k8s_struct {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* $field:ident : $ty:ty,)* }) => {
        $(#[$m])*
        #[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "camelCase", default)]
        pub struct $name {
            $($(#[$fm])* #[serde(skip_serializing_if = "crate::model::is_default")] pub $field: $ty,)*
        }
    };
}
pub(crate) use k8s_struct;

/// A top-level object: `apiVersion`, `kind`, `metadata`, then the body.
macro_rules! k8s_object {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* $field:ident : $ty:ty,)* }) => {
        crate::model::k8s_struct! {
            $(#[$m])*
            pub struct $name {
                api_version: String,
                kind: String,
                metadata: crate::model::ObjectMeta,
                $($(#[$fm])* $field: $ty,)*
            }
        }
    };
}
pub(crate) use k8s_object;
