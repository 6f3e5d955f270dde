//! Queries on PersistentVolumes, claims and StorageClasses: the classes
//! they name, their sizes, the annotations the controllers write, and how a
//! volume is named once attached.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use crate::Object;
use crate::cluster::backends::{self, Family};
use crate::model::{ObjectReference, PersistentVolume, PersistentVolumeClaim, StorageClass};
use crate::quantity::Parsed;
use crate::sim::store::{ObjKey, Store};

pub const ANN_BETA_CLASS: &str = "volume.beta.kubernetes.io/storage-class";

/// The access modes in the order upstream's index key lists them.
pub const ACCESS_MODES: [&str; 4] = [
    "ReadWriteOnce",
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOncePod",
];

/// kubectl's short form of an access mode (`RWO`).
pub fn short_mode(mode: &str) -> &str {
    match mode {
        "ReadWriteOnce" => "RWO",
        "ReadOnlyMany" => "ROX",
        "ReadWriteMany" => "RWX",
        "ReadWriteOncePod" => "RWOP",
        other => other,
    }
}

/// The class a claim asks for: the beta annotation when present (even
/// empty), else `spec.storageClassName`, else `""`.
pub fn claim_class(pvc: &PersistentVolumeClaim) -> &str {
    match pvc.metadata.annotations.get(ANN_BETA_CLASS) {
        Some(class) => class,
        None => pvc.spec.storage_class_name.as_deref().unwrap_or(""),
    }
}

/// Whether a claim names a class at all; an explicit `""` does, a missing
/// `storageClassName` does not.
pub fn claim_has_class(pvc: &PersistentVolumeClaim) -> bool {
    pvc.metadata.annotations.contains_key(ANN_BETA_CLASS) || pvc.spec.storage_class_name.is_some()
}

pub fn volume_class(pv: &PersistentVolume) -> &str {
    match pv.metadata.annotations.get(ANN_BETA_CLASS) {
        Some(class) => class,
        None => pv.spec.storage_class_name.as_deref().unwrap_or(""),
    }
}

pub fn volume_mode(mode: Option<&String>) -> &str {
    mode.map_or("Filesystem", String::as_str)
}

pub fn capacity(pv: &PersistentVolume) -> Option<Parsed> {
    pv.spec.capacity.get("storage").map(crate::Quantity::parsed)
}

pub fn request(pvc: &PersistentVolumeClaim) -> Option<Parsed> {
    pvc.spec
        .resources
        .requests
        .get("storage")
        .map(crate::Quantity::parsed)
}

/// Whether a volume is bound, or pre-bound, to this claim: `claimRef` names
/// it, with no uid or the claim's uid.
pub fn is_bound_to(pv: &PersistentVolume, pvc: &PersistentVolumeClaim) -> bool {
    pv.spec.claim_ref.as_ref().is_some_and(|r| {
        r.name == pvc.metadata.name
            && r.namespace == pvc.metadata.namespace
            && (r.uid.is_empty() || r.uid == pvc.metadata.uid)
    })
}
pub const ANN_BIND_COMPLETED: &str = "pv.kubernetes.io/bind-completed";

pub const ANN_BOUND_BY_CONTROLLER: &str = "pv.kubernetes.io/bound-by-controller";

pub const ANN_SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";

pub const ANN_PROVISIONED_BY: &str = "pv.kubernetes.io/provisioned-by";

pub const ANN_MIGRATED_TO: &str = "pv.kubernetes.io/migrated-to";

pub const ANN_STORAGE_PROVISIONER: &str = "volume.kubernetes.io/storage-provisioner";

pub const ANN_BETA_STORAGE_PROVISIONER: &str = "volume.beta.kubernetes.io/storage-provisioner";

pub const ANN_PRE_RESIZE_CAPACITY: &str = "volume.alpha.kubernetes.io/pre-resize-capacity";

pub const NO_PROVISIONER: &str = "kubernetes.io/no-provisioner";

pub const HOST_PATH_PROVISIONER: &str = "kubernetes.io/host-path";

/// The full reference a bound volume keeps to its claim.
pub fn claim_ref(pvc: &PersistentVolumeClaim) -> ObjectReference {
    ObjectReference {
        api_version: "v1".into(),
        kind: "PersistentVolumeClaim".into(),
        namespace: pvc.metadata.namespace.clone(),
        name: pvc.metadata.name.clone(),
        uid: pvc.metadata.uid.clone(),
        resource_version: pvc.metadata.resource_version.clone(),
        field_path: String::new(),
    }
}

/// `IsDelayBindingMode`: whether the claim's class waits for a first consumer.
pub fn delay_binding(store: &Store, pvc: &PersistentVolumeClaim) -> bool {
    let class = claim_class(pvc);
    !class.is_empty()
        && store
            .class(class)
            .is_some_and(|sc| sc.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer"))
}

/// The PV a provisioner writes for a claim: pre-bound to it, with the
/// class's reclaim policy and mount options, and the provisioner's
/// finalizer when the policy is Delete.
pub fn provisioned_volume(
    pvc: &PersistentVolumeClaim,
    class: &crate::model::StorageClass,
    name: &str,
    provisioned_by: &str,
    delete_finalizer: &str,
) -> PersistentVolume {
    let policy = class
        .reclaim_policy
        .clone()
        .unwrap_or_else(|| "Delete".into());
    let mut pv = PersistentVolume {
        api_version: "v1".into(),
        kind: "PersistentVolume".into(),
        ..PersistentVolume::default()
    };
    name.clone_into(&mut pv.metadata.name);
    pv.metadata
        .annotations
        .insert(ANN_PROVISIONED_BY.into(), provisioned_by.into());
    if policy == "Delete" && !delete_finalizer.is_empty() {
        pv.metadata.finalizers.push(delete_finalizer.into());
    }
    pv.spec.capacity = pvc.spec.resources.requests.clone();
    pv.spec.capacity.retain(|k, _| k == "storage");
    pv.spec.access_modes.clone_from(&pvc.spec.access_modes);
    pv.spec.claim_ref = Some(claim_ref(pvc));
    pv.spec.persistent_volume_reclaim_policy = policy;
    pv.spec.storage_class_name = Some(claim_class(pvc).to_owned());
    pv.spec.mount_options.clone_from(&class.mount_options);
    pv.spec.volume_mode.clone_from(&pvc.spec.volume_mode);
    pv
}
pub const ANN_DEFAULT_CLASS: &str = "storageclass.kubernetes.io/is-default-class";

pub const ANN_BETA_DEFAULT_CLASS: &str = "storageclass.beta.kubernetes.io/is-default-class";

pub fn is_default_class(sc: &StorageClass) -> bool {
    [ANN_DEFAULT_CLASS, ANN_BETA_DEFAULT_CLASS]
        .iter()
        .any(|a| sc.metadata.annotations.get(*a).is_some_and(|v| v == "true"))
}
/// `csi-<sha256(volume handle + driver + node)>`, as the controller names
/// VolumeAttachments.
pub fn va_name(handle: &str, driver: &str, node: &str) -> String {
    let digest = Sha256::digest(format!("{handle}{driver}{node}").as_bytes());
    let mut name = String::from("csi-");
    for b in digest {
        let _ = write!(name, "{b:02x}");
    }
    name
}

/// `kubernetes.io/csi/<driver>^<handle>`: how node status names a volume.
pub fn unique_name(pv: &PersistentVolume) -> Option<String> {
    let csi = pv.spec.csi.as_ref()?;
    Some(format!(
        "kubernetes.io/csi/{}^{}",
        csi.driver, csi.volume_handle
    ))
}

/// The CSI driver that must attach this volume, if it needs attaching.
pub fn needs_attach(store: &Store, pv: &PersistentVolume) -> Option<String> {
    let csi = pv.spec.csi.as_ref()?;
    let declared = match store.get(&ObjKey::new("CSIDriver", "", &csi.driver)) {
        Some(Object::CsiDriver(d)) => d.spec.attach_required,
        _ => None,
    };
    let required = declared.unwrap_or_else(|| {
        backends::find(&csi.driver).is_none_or(|d| d.family == Family::BlockDisk)
    });
    required.then(|| csi.driver.clone())
}

/// The store key of a claim.
pub fn claim_key(pvc: &PersistentVolumeClaim) -> ObjKey {
    ObjKey::new(
        "PersistentVolumeClaim",
        &pvc.metadata.namespace,
        &pvc.metadata.name,
    )
}

/// The store key of a volume.
pub fn volume_key(pv: &PersistentVolume) -> ObjKey {
    ObjKey::new("PersistentVolume", "", &pv.metadata.name)
}

/// A VolumeAttachment that is attached already, as the attach/detach
/// controller rebuilds one from a node's `status.volumesAttached`.
pub fn restored_attachment(name: &str, driver: &str, volume: &str, node: &str) -> Object {
    let mut va = crate::model::VolumeAttachment {
        api_version: "storage.k8s.io/v1".into(),
        kind: "VolumeAttachment".into(),
        ..Default::default()
    };
    name.clone_into(&mut va.metadata.name);
    driver.clone_into(&mut va.spec.attacher);
    node.clone_into(&mut va.spec.node_name);
    va.spec.source.persistent_volume_name = Some(volume.to_owned());
    va.metadata.finalizers.push(attacher_finalizer(driver));
    va.status.attached = true;
    Object::VolumeAttachment(va)
}

/// The external-attacher's finalizer on a VolumeAttachment.
pub fn attacher_finalizer(driver: &str) -> String {
    format!("external-attacher/{}", driver.replace(['.', '/'], "-"))
}
