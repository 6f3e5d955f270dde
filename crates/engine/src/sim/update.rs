//! A user's update of an existing object (`kubectl apply` to something that
//! exists): what is taken from the new manifest, and the API server's
//! update validation and resize admission (§7.2–§7.4 of the reference).
//!
//! Simplifications: apply's three-way merge is reduced to "fields the new
//! manifest does not mention keep their current value" for the fields the
//! controllers write (`spec.volumeName`, `spec.storageClassName`,
//! `spec.claimRef`, `metadata.finalizers`); a field written as `null` is
//! removed, as `kubectl apply` does. The spec-immutable error ends after its
//! first line, without upstream's go-cmp diff.

use super::store::{ApiError, Store};
use crate::Object;
use crate::objects::volume;
use crate::validation::{FieldError, forbidden, invalid};

/// Whether the manifest as written mentions a field (even as `null`).
fn mentions(raw: &serde_json::Value, path: &[&str]) -> bool {
    let mut v = raw;
    for p in path {
        match v.get(p) {
            Some(next) => v = next,
            None => return false,
        }
    }
    true
}

/// The object a user's apply produces: `new`'s labels, annotations and
/// spec over `old`'s system fields and status. `raw` is the manifest as
/// written.
pub fn merge(old: &Object, new: Object, raw: &serde_json::Value) -> Object {
    let mut out = old.clone();
    {
        let (meta, new_meta) = (out.metadata_mut(), new.metadata());
        meta.labels = new_meta.labels.clone();
        meta.annotations = new_meta.annotations.clone();
        if mentions(raw, &["metadata", "finalizers"]) {
            meta.finalizers.clone_from(&new_meta.finalizers);
        }
    }
    match (&mut out, new) {
        (Object::PersistentVolumeClaim(o), Object::PersistentVolumeClaim(n)) => {
            let mut spec = n.spec;
            if spec.volume_name.as_deref().unwrap_or("").is_empty() {
                spec.volume_name.clone_from(&o.spec.volume_name);
            }
            if spec.storage_class_name.is_none() {
                spec.storage_class_name
                    .clone_from(&o.spec.storage_class_name);
            }
            o.spec = spec;
        }
        (Object::PersistentVolume(o), Object::PersistentVolume(n)) => {
            let mut spec = n.spec;
            if !mentions(raw, &["spec", "claimRef"]) {
                spec.claim_ref.clone_from(&o.spec.claim_ref);
            }
            o.spec = spec;
        }
        (Object::StorageClass(o), Object::StorageClass(n)) => {
            let metadata = std::mem::take(&mut o.metadata);
            *o = crate::model::StorageClass { metadata, ..n };
        }
        (Object::Pod(o), Object::Pod(n)) => o.spec = n.spec,
        (Object::Deployment(o), Object::Deployment(n)) => o.spec = n.spec,
        (Object::StatefulSet(o), Object::StatefulSet(n)) => o.spec = n.spec,
        (Object::Node(o), Object::Node(n)) => o.spec = n.spec,
        (Object::CsiDriver(o), Object::CsiDriver(n)) => o.spec = n.spec,
        (Object::VolumeSnapshot(o), Object::VolumeSnapshot(n)) => o.spec = n.spec,
        (other, new) => {
            let metadata = other.metadata().clone();
            *other = new;
            *other.metadata_mut() = metadata;
        }
    }
    out
}

/// Update validation of `new` against `old`, then the resize admission
/// plugin, which answers with Forbidden instead of Invalid.
pub fn validate(old: &Object, new: &Object, store: &Store) -> Result<Vec<FieldError>, ApiError> {
    let mut errs = Vec::new();
    match (old, new) {
        (Object::PersistentVolumeClaim(o), Object::PersistentVolumeClaim(n)) => {
            let bound = o.status.phase == "Bound";
            let (old_req, new_req) = (volume::request(o), volume::request(n));
            // What may change: volumeName once, storageClassName from nil
            // once, requests while bound, volumeAttributesClassName.
            let mut comparable = n.spec.clone();
            if o.spec.volume_name.as_deref().unwrap_or("").is_empty() {
                comparable.volume_name.clone_from(&o.spec.volume_name);
            }
            if o.spec.storage_class_name.is_none() {
                comparable
                    .storage_class_name
                    .clone_from(&o.spec.storage_class_name);
            }
            if bound {
                comparable
                    .resources
                    .requests
                    .clone_from(&o.spec.resources.requests);
            }
            comparable
                .volume_attributes_class_name
                .clone_from(&o.spec.volume_attributes_class_name);
            if comparable != o.spec {
                errs.push(forbidden(
                    "spec",
                    "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
                ));
            } else if let (Some(old_req), Some(new_req)) = (old_req, new_req) {
                if new_req < old_req {
                    errs.push(forbidden(
                        "spec.resources.requests.storage",
                        "field can not be less than previous value",
                    ));
                } else if new_req > old_req {
                    resize_admission(o, n, store)?;
                }
            }
            if o.spec.volume_mode != n.spec.volume_mode {
                let mode = n.spec.volume_mode.clone().unwrap_or_default();
                errs.push(
                    invalid("volumeMode", &mode, "field is immutable").located("spec.volumeMode"),
                );
            }
        }
        (Object::StorageClass(o), Object::StorageClass(n)) => {
            if o.parameters != n.parameters {
                errs.push(forbidden(
                    "parameters",
                    "updates to parameters are forbidden.",
                ));
            }
            if o.provisioner != n.provisioner {
                errs.push(forbidden(
                    "provisioner",
                    "updates to provisioner are forbidden.",
                ));
            }
            if o.reclaim_policy != n.reclaim_policy {
                errs.push(forbidden(
                    "reclaimPolicy",
                    "updates to reclaimPolicy are forbidden.",
                ));
            }
            if o.volume_binding_mode != n.volume_binding_mode {
                let mode = n.volume_binding_mode.clone().unwrap_or_default();
                errs.push(invalid("volumeBindingMode", &mode, "field is immutable"));
            }
        }
        (Object::PersistentVolume(o), Object::PersistentVolume(n)) => {
            let source = |pv: &crate::model::PersistentVolume| {
                let mut s = serde_json::to_value(&pv.spec).unwrap_or_default();
                if let Some(map) = s.as_object_mut() {
                    map.retain(|k, _| crate::model::PV_SOURCES.contains(&k.as_str()));
                }
                s
            };
            if source(o) != source(n) {
                errs.push(
                    forbidden(
                        "spec.persistentvolumesource",
                        "spec.persistentvolumesource is immutable after creation",
                    )
                    .located("spec"),
                );
            }
            if o.spec.volume_mode != n.spec.volume_mode {
                let mode = n.spec.volume_mode.clone().unwrap_or_default();
                errs.push(
                    invalid("volumeMode", &mode, "field is immutable").located("spec.volumeMode"),
                );
            }
        }
        _ => {}
    }
    Ok(errs)
}

/// Admission plugin `PersistentVolumeClaimResize`: only a bound claim whose
/// class allows expansion may grow.
fn resize_admission(
    old: &crate::model::PersistentVolumeClaim,
    new: &crate::model::PersistentVolumeClaim,
    store: &Store,
) -> Result<(), ApiError> {
    let refuse = |message: &str| ApiError::Forbidden {
        kind: "PersistentVolumeClaim".into(),
        name: new.metadata.name.clone(),
        message: message.into(),
    };
    if old.status.phase != "Bound" {
        return Err(refuse(
            "Only bound persistent volume claims can be expanded",
        ));
    }
    let class = volume::claim_class(new);
    let expandable = !class.is_empty()
        && class == volume::claim_class(old)
        && store
            .class(class)
            .is_some_and(|sc| sc.allow_volume_expansion == Some(true));
    if !expandable {
        return Err(refuse(
            "only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize",
        ));
    }
    Ok(())
}
