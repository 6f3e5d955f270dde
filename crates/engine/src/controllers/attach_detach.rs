//! The attach/detach controller (`attachdetach-controller`,
//! pkg/controller/volume/attachdetach) and each CSI driver's
//! external-attacher.
//!
//! For every volume that needs attaching (a CSI volume whose driver
//! attaches: the block disks, or an unknown driver without a CSIDriver
//! saying otherwise) the controller compares the nodes whose pods want it
//! with the VolumeAttachments that exist. It detaches first: from a node
//! that no longer wants it once that node's kubelet no longer reports it in
//! `volumesInUse`, at once if the node has the
//! `node.kubernetes.io/out-of-service` taint, or after six minutes if the
//! node is not Ready (force detach). Then it attaches, one node at a time
//! for a volume that is ReadWriteOnce/ReadWriteOncePod only, reporting
//! `Multi-Attach error` once per (volume, node) meanwhile.
//!
//! A pod is wanted on its node until it is terminal, or it is being
//! deleted on a node that is not Ready (its kubelet cannot unmount, so the
//! controller stops waiting for it).
//!
//! Simplifications: attach and detach take a fixed time per driver; attach
//! never fails; the external-attacher's finalizer is added when it starts.

use std::collections::{BTreeMap, BTreeSet};

use crate::Object;
use crate::cluster::backends;
use crate::model::{
    AttachedVolume, Node, Pod, VolumeAttachment, VolumeAttachmentSource, VolumeAttachmentSpec,
};
use crate::objects::node::OUT_OF_SERVICE_TAINT;
use crate::objects::node::node_ready;
use crate::objects::pod::{is_terminal, pod_claims, pod_key};
use crate::objects::volume::{attacher_finalizer, needs_attach, unique_name, va_name};
use crate::sim::clock::{MINUTE, Millis};
use crate::sim::queue::Controller;
use crate::sim::store::ObjKey;
use crate::sim::{Ctx, Effect, Ops};

/// maxWaitForUnmountDuration.
pub const FORCE_DETACH_AFTER: Millis = 6 * MINUTE;

fn node<'a>(ctx: &Ctx<'a>, name: &str) -> Option<&'a Node> {
    match ctx.store.get(&ObjKey::new("Node", "", name)) {
        Some(Object::Node(n)) => Some(n),
        _ => None,
    }
}

/// Whether the controller wants this pod's volumes on its node.
fn wanted(ctx: &Ctx, pod: &Pod) -> bool {
    if pod.spec.node_name.is_empty() || is_terminal(pod) {
        return false;
    }
    pod.metadata.deletion_timestamp.is_none()
        || node(ctx, &pod.spec.node_name).is_some_and(node_ready)
}

/// The pods that use a volume, by node.
pub fn users<'a>(ctx: &Ctx<'a>, volume: &str) -> BTreeMap<String, Vec<&'a Pod>> {
    let mut out: BTreeMap<String, Vec<&Pod>> = BTreeMap::new();
    for o in ctx.store.list("Pod") {
        let Object::Pod(pod) = o else { continue };
        if !wanted(ctx, pod) {
            continue;
        }
        let uses = pod_claims(pod).iter().any(|(c, _)| {
            ctx.store
                .pvc(&pod.metadata.namespace, c)
                .is_some_and(|pvc| pvc.spec.volume_name.as_deref() == Some(volume))
        });
        if uses {
            out.entry(pod.spec.node_name.clone()).or_default().push(pod);
        }
    }
    out
}

/// The VolumeAttachments of a volume, in the order of their nodes' names.
pub fn attachments<'a>(ctx: &Ctx<'a>, volume: &str) -> Vec<&'a VolumeAttachment> {
    let mut vas: Vec<&VolumeAttachment> = ctx
        .store
        .list("VolumeAttachment")
        .filter_map(|o| match o {
            Object::VolumeAttachment(va)
                if va.spec.source.persistent_volume_name.as_deref() == Some(volume) =>
            {
                Some(va)
            }
            _ => None,
        })
        .collect();
    crate::sort::by(&mut vas, |a, b| a.spec.node_name.cmp(&b.spec.node_name));
    vas
}

fn multi_attach_message(volume: &str, pod: &Pod, holders: &[&Pod]) -> String {
    let same: Vec<&str> = holders
        .iter()
        .filter(|p| p.metadata.namespace == pod.metadata.namespace)
        .map(|p| p.metadata.name.as_str())
        .collect();
    let other = holders.len() - same.len();
    let detail = match (same.is_empty(), other) {
        (true, 0) => {
            "Volume is already exclusively attached to one node and can't be attached to another"
                .to_owned()
        }
        (true, n) => format!("Volume is already used by {n} pod(s) in different namespaces"),
        (false, 0) => format!("Volume is already used by pod(s) {}", same.join(", ")),
        (false, n) => format!(
            "Volume is already used by pod(s) {} and {n} pod(s) in different namespaces",
            same.join(", ")
        ),
    };
    format!("Multi-Attach error for volume {volume:?} {detail}")
}

/// The controller's reconcile of one volume.
pub fn sync(ctx: &Ctx, ops: &mut Ops, key: &ObjKey) -> Vec<Effect> {
    let volume = key.name.as_str();
    let pv = ctx.store.pv(volume);
    let driver = pv.and_then(|pv| needs_attach(ctx.store, pv));
    let want = if driver.is_some() {
        users(ctx, volume)
    } else {
        BTreeMap::new()
    };
    let vas = attachments(ctx, volume);
    let mut effects = Vec::new();
    // Detach first.
    for va in &vas {
        let node_name = &va.spec.node_name;
        if want.contains_key(node_name) {
            ops.detach_requested
                .remove(&(volume.to_owned(), node_name.clone()));
            continue;
        }
        if va.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let va_key = ObjKey::new("VolumeAttachment", "", &va.metadata.name);
        let Some(n) = node(ctx, node_name) else {
            effects.push(Effect::Delete(va_key));
            continue;
        };
        let in_use = pv
            .and_then(unique_name)
            .is_some_and(|u| n.status.volumes_in_use.contains(&u));
        let out_of_service = n.spec.taints.iter().any(|t| t.key == OUT_OF_SERVICE_TAINT);
        if !in_use || out_of_service {
            effects.push(Effect::Delete(va_key));
        } else if !node_ready(n) {
            let since = *ops
                .detach_requested
                .entry((volume.to_owned(), node_name.clone()))
                .or_insert(ctx.now);
            if ctx.now >= since + FORCE_DETACH_AFTER {
                effects.push(Effect::Delete(va_key));
            } else {
                effects.push(Effect::after(
                    since + FORCE_DETACH_AFTER - ctx.now,
                    Controller::AttachDetach,
                    key,
                ));
            }
        }
    }
    let (Some(pv), Some(driver)) = (pv, driver) else {
        return effects;
    };
    let exclusive = !pv.spec.access_modes.is_empty()
        && pv
            .spec
            .access_modes
            .iter()
            .all(|m| m == "ReadWriteOnce" || m == "ReadWriteOncePod");
    let handle = pv
        .spec
        .csi
        .as_ref()
        .map_or("", |c| c.volume_handle.as_str());
    // The nodes the volume is attached or attaching to, including those
    // this pass starts: two pods that want an exclusive volume on two nodes
    // in the same pass get one attachment between them, as the actual
    // state of the world would have it.
    let mut placed: Vec<&str> = vas.iter().map(|va| va.spec.node_name.as_str()).collect();
    for (node_name, pods) in &want {
        if placed.contains(&node_name.as_str()) {
            continue;
        }
        let elsewhere = placed.iter().any(|n| *n != node_name);
        if exclusive && elsewhere {
            if ops
                .multi_attach
                .insert((volume.to_owned(), node_name.clone()))
            {
                let holders: Vec<&Pod> = want
                    .iter()
                    .filter(|(n, _)| *n != node_name)
                    .flat_map(|(_, p)| p.iter().copied())
                    .collect();
                for pod in pods {
                    let key = pod_key(pod);
                    effects.push(Effect::event(
                        &key,
                        "Warning",
                        "FailedAttachVolume",
                        multi_attach_message(volume, pod, &holders),
                    ));
                }
            }
            continue;
        }
        ops.multi_attach
            .remove(&(volume.to_owned(), node_name.clone()));
        placed.push(node_name);
        let va = VolumeAttachment {
            api_version: "storage.k8s.io/v1".into(),
            kind: "VolumeAttachment".into(),
            metadata: crate::model::ObjectMeta {
                name: va_name(handle, &driver, node_name),
                ..Default::default()
            },
            spec: VolumeAttachmentSpec {
                attacher: driver.clone(),
                node_name: node_name.clone(),
                source: VolumeAttachmentSource {
                    persistent_volume_name: Some(volume.to_owned()),
                    inline_volume_spec: None,
                },
            },
            ..Default::default()
        };
        effects.push(Effect::Create(Object::VolumeAttachment(va)));
    }
    effects
}

/// The volumes a node reports attached, with one added or removed.
fn node_attached(n: &Node, name: &str, attached: bool) -> Option<Node> {
    let has = n.status.volumes_attached.iter().any(|v| v.name == name);
    if has == attached {
        return None;
    }
    let mut n = n.clone();
    if attached {
        n.status.volumes_attached.push(AttachedVolume {
            name: name.to_owned(),
            device_path: String::new(),
        });
        crate::sort::by(&mut n.status.volumes_attached, |a, b| a.name.cmp(&b.name));
    } else {
        n.status.volumes_attached.retain(|v| v.name != name);
    }
    Some(n)
}

/// A driver's external-attacher: ControllerPublishVolume for a new
/// VolumeAttachment, ControllerUnpublishVolume for a deleted one.
pub fn attacher(ctx: &Ctx, ops: &mut Ops, key: &ObjKey) -> Vec<Effect> {
    let Some(Object::VolumeAttachment(va)) = ctx.store.get(key) else {
        ops.attach_due.remove(&key.name);
        return Vec::new();
    };
    let Some(driver) = backends::find(&va.spec.attacher) else {
        return Vec::new(); // nobody runs this driver's attacher
    };
    let deleting = va.metadata.deletion_timestamp.is_some();
    if !deleting && va.status.attached {
        return Vec::new();
    }
    let latency = if deleting {
        driver.detach_latency
    } else {
        driver.attach_latency
    };
    let due = *ops
        .attach_due
        .entry(key.name.clone())
        .or_insert(ctx.now + latency);
    let finalizer = attacher_finalizer(driver.name);
    let mut effects = Vec::new();
    if !deleting && !va.metadata.finalizers.contains(&finalizer) {
        let mut v = va.clone();
        v.metadata.finalizers.push(finalizer.clone());
        effects.push(Effect::Write(Object::VolumeAttachment(v)));
    }
    if ctx.now < due {
        effects.push(Effect::after(due - ctx.now, Controller::Attacher, key));
        return effects;
    }
    ops.attach_due.remove(&key.name);
    let volume = va
        .spec
        .source
        .persistent_volume_name
        .clone()
        .unwrap_or_default();
    let unique = ctx
        .store
        .pv(&volume)
        .and_then(unique_name)
        .unwrap_or_default();
    let n = node(ctx, &va.spec.node_name);
    if deleting {
        if let Some(n) = n.and_then(|n| node_attached(n, &unique, false)) {
            effects.push(Effect::Write(Object::Node(n)));
        }
        effects.push(Effect::RemoveFinalizer(key.clone(), finalizer));
        return effects;
    }
    let mut v = va.clone();
    if !v.metadata.finalizers.contains(&finalizer) {
        v.metadata.finalizers.push(finalizer);
    }
    v.status.attached = true;
    effects.push(Effect::Write(Object::VolumeAttachment(v)));
    if let Some(n) = n.and_then(|n| node_attached(n, &unique, true)) {
        effects.push(Effect::Write(Object::Node(n)));
    }
    for pod in users(ctx, &volume)
        .get(&va.spec.node_name)
        .into_iter()
        .flatten()
    {
        effects.push(Effect::Event {
            key: pod_key(pod),
            type_: "Normal",
            reason: "SuccessfulAttachVolume",
            message: format!("AttachVolume.Attach succeeded for volume {volume:?}"),
            source: Some("attachdetach-controller".into()),
        });
    }
    effects
}

/// The volumes attached to a node, for waking the controller when the node changes.
pub fn volumes_on(ctx: &Ctx, node_name: &str) -> BTreeSet<String> {
    let mut volumes = BTreeSet::new();
    volumes.extend(ctx.store.list("VolumeAttachment").filter_map(|o| match o {
        Object::VolumeAttachment(va) if va.spec.node_name == node_name => {
            va.spec.source.persistent_volume_name.clone()
        }
        _ => None,
    }));
    volumes
}
