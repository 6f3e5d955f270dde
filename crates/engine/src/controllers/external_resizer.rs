//! Volume expansion: kubernetes-csi/external-resizer for the CSI drivers of
//! the backend catalog.
//!
//! A bound claim whose request grows (the API server's resize admission has
//! already checked the class allows it) gets the `Resizing` condition; after
//! the backend's latency the volume and its PV grow. A file share is then
//! done (`VolumeResizeSuccessful`, the claim's capacity grows). A block disk
//! mounted as a filesystem also needs the kubelet to grow the filesystem: the
//! claim waits in `FileSystemResizePending` until a pod using it runs on a
//! node, whose kubelet then reports `FileSystemResizeSuccessful` and the
//! new capacity (see [`super::kubelet`]).
//!
//! Simplification: recovery from failed expansion (shrinking back to a size
//! above `status.capacity`) is not modelled.

use crate::Object;
use crate::cluster::backends::{self, Family, Op};
use crate::model::{PersistentVolume, PersistentVolumeClaim};
use crate::objects::volume;
use crate::quantity::binary_quantity;
use crate::sim::clock::timestamp;
use crate::sim::queue::Controller;
use crate::sim::store::ObjKey;
use crate::sim::{Ctx, Effect};

const RESIZING: &str = "Resizing";
const FS_RESIZE_PENDING: &str = "FileSystemResizePending";

fn allocated(pvc: &PersistentVolumeClaim) -> Option<crate::Parsed> {
    pvc.status
        .allocated_resources
        .get("storage")
        .or_else(|| pvc.status.capacity.get("storage"))
        .map(crate::Quantity::parsed)
}

/// Whether a bound claim asks for more than has been allocated to it.
pub fn wants_resize(pvc: &PersistentVolumeClaim) -> bool {
    pvc.status.phase == "Bound"
        && matches!((volume::request(pvc), allocated(pvc)), (Some(r), Some(a)) if r > a)
}

fn has_condition(pvc: &PersistentVolumeClaim, kind: &str) -> bool {
    pvc.status
        .conditions
        .iter()
        .any(|c| c.get("type").and_then(serde_json::Value::as_str) == Some(kind))
}

fn condition(ctx: &Ctx, kind: &str, message: &str) -> serde_json::Value {
    let mut c = serde_json::json!({
        "type": kind,
        "status": "True",
        "lastProbeTime": null,
        "lastTransitionTime": timestamp(ctx.now),
    });
    if !message.is_empty() {
        c["message"] = message.into();
    }
    c
}

/// The claim's volume and the driver that serves it, when pvsim runs one.
fn volume_of<'a>(
    ctx: &Ctx<'a>,
    pvc: &PersistentVolumeClaim,
) -> Option<(&'a PersistentVolume, &'static backends::Driver)> {
    let pv = ctx.store.pv(pvc.spec.volume_name.as_deref()?)?;
    let driver = backends::find(&pv.spec.csi.as_ref()?.driver)?;
    Some((pv, driver))
}

/// The event source, as the resizer reports it.
fn source(driver: &backends::Driver) -> String {
    format!("external-resizer {}", driver.name)
}

/// The resizer notices a claim that asks for more.
pub fn sync(ctx: &Ctx, key: &ObjKey) -> Vec<Effect> {
    let Some(pvc) = ctx.store.pvc(&key.namespace, &key.name) else {
        return Vec::new();
    };
    if !wants_resize(pvc) || has_condition(pvc, RESIZING) {
        return Vec::new();
    }
    let Some((pv, driver)) = volume_of(ctx, pvc) else {
        return Vec::new();
    };
    let mut claim = pvc.clone();
    claim.status.conditions = vec![condition(ctx, RESIZING, "")];
    if let Some(request) = pvc.spec.resources.requests.get("storage") {
        claim
            .status
            .allocated_resources
            .insert("storage".into(), request.clone());
    }
    claim
        .status
        .allocated_resource_statuses
        .insert("storage".into(), "ControllerResizeInProgress".into());
    vec![
        Effect::Write(Object::PersistentVolumeClaim(claim)),
        Effect::Event {
            key: key.clone(),
            type_: "Normal",
            reason: "Resizing",
            message: format!("External resizer is resizing volume {}", pv.metadata.name),
            source: Some(source(driver)),
        },
        Effect::after(driver.create_latency, Controller::ResizeDone, key),
    ]
}

/// ControllerExpandVolume has returned: the volume is bigger.
pub fn resize_done(ctx: &Ctx, key: &ObjKey) -> Vec<Effect> {
    let Some(pvc) = ctx.store.pvc(&key.namespace, &key.name) else {
        return Vec::new();
    };
    let Some((pv, driver)) = volume_of(ctx, pvc) else {
        return Vec::new();
    };
    let request = volume::request(pvc).map_or(0, |r| r.value());
    let bytes = driver.size_for(request);
    let size = binary_quantity(bytes);
    let mut volume = pv.clone();
    volume.spec.capacity.insert("storage".into(), size.clone());
    let handle = pv
        .spec
        .csi
        .as_ref()
        .map(|c| c.volume_handle.clone())
        .unwrap_or_default();
    let mut claim = pvc.clone();
    let node_expansion = driver.family == Family::BlockDisk
        && volume::volume_mode(pvc.spec.volume_mode.as_ref()) == "Filesystem";
    let (reason, message) = if node_expansion {
        claim.status.conditions = vec![condition(
            ctx,
            FS_RESIZE_PENDING,
            "Waiting for user to (re-)start a pod to finish file system resize of volume on node.",
        )];
        claim
            .status
            .allocated_resource_statuses
            .insert("storage".into(), "NodeResizePending".into());
        (
            "FileSystemResizeRequired",
            "Require file system resize of volume on node",
        )
    } else {
        claim.status.conditions.clear();
        claim.status.allocated_resource_statuses.clear();
        claim.status.capacity.insert("storage".into(), size);
        ("VolumeResizeSuccessful", "Resize volume succeeded")
    };
    vec![
        Effect::Backend(Op::Resize(handle, bytes)),
        Effect::Write(Object::PersistentVolume(volume)),
        Effect::Write(Object::PersistentVolumeClaim(claim)),
        Effect::Event {
            key: key.clone(),
            type_: "Normal",
            reason,
            message: message.into(),
            source: Some(source(driver)),
        },
    ]
}
