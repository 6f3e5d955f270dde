//! The kubelet on each node (pkg/kubelet, volumemanager): it waits for a
//! pod's volumes (claims bound, disks attached to its node), mounts them,
//! starts the containers, and on deletion stops them and removes the pod.
//! A node that is not Ready has no working kubelet: nothing happens there.
//!
//! Events: `FailedMount` after podAttachAndMountTimeout (2m3s) with the
//! volumes still waiting, and for the ReadWriteOncePod mount check; then
//! `Pulled` (images are taken to be on the node already), `Created`,
//! `Started`; `Killing` on deletion.
//!
//! Simplifications: mounting takes one second; containers start at once
//! and stop at the end of the grace period (30 s by default), as if they
//! ignored SIGTERM; there is no pod IP, no image pull and no restart.

use crate::Object;
use crate::model::{Node, Pod};
use crate::objects::node::node_ready;
use crate::objects::pod::pod_key;
use crate::objects::pod::{is_terminal, pod_claims};
use crate::objects::volume::{needs_attach, unique_name, va_name};
use crate::sim::clock::{Millis, SECOND, parse_timestamp, timestamp};
use crate::sim::store::ObjKey;
use crate::sim::{Ctx, Effect, Ops};

/// podAttachAndMountTimeout.
pub const MOUNT_TIMEOUT: Millis = 123 * SECOND;
const MOUNT_TIME: Millis = SECOND;

fn condition(kind: &str, status: &str, at: &str) -> serde_json::Value {
    serde_json::json!({"type": kind, "status": status, "lastProbeTime": null, "lastTransitionTime": at})
}

/// A pod volume the kubelet cannot mount yet, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Blocker {
    /// The claim is missing or not bound.
    Claim(String),
    /// The volume is not attached to this node.
    Attach(String),
    /// The ReadWriteOncePod volume is mounted by another pod here.
    Rwop(String),
}

/// What keeps each of a pod's volumes from being mounted on its node.
pub fn blockers(ctx: &Ctx, pod: &Pod, node: &Node) -> Vec<(String, Blocker)> {
    let mut out = Vec::new();
    let claims = pod_claims(pod);
    for (volume, (claim, _)) in pod
        .spec
        .volumes
        .iter()
        .filter(|v| v.persistent_volume_claim.is_some() || v.ephemeral.is_some())
        .zip(claims)
    {
        let name = volume.name.clone();
        let Some(pvc) = ctx.store.pvc(&pod.metadata.namespace, &claim) else {
            out.push((name, Blocker::Claim(claim)));
            continue;
        };
        let pv = pvc
            .spec
            .volume_name
            .as_deref()
            .filter(|_| pvc.status.phase == "Bound")
            .and_then(|v| ctx.store.pv(v));
        let Some(pv) = pv else {
            out.push((name, Blocker::Claim(claim)));
            continue;
        };
        if let Some(driver) = needs_attach(ctx.store, pv) {
            let handle = pv
                .spec
                .csi
                .as_ref()
                .map_or("", |c| c.volume_handle.as_str());
            let va = ctx.store.get(&ObjKey::new(
                "VolumeAttachment",
                "",
                &va_name(handle, &driver, &node.metadata.name),
            ));
            // A VolumeAttachment being deleted is detaching: not usable.
            if !matches!(va, Some(Object::VolumeAttachment(va))
                if va.status.attached && va.metadata.deletion_timestamp.is_none())
            {
                out.push((name, Blocker::Attach(pv.metadata.name.clone())));
                continue;
            }
        }
        let only_rwop = pv.spec.access_modes == ["ReadWriteOncePod"];
        let taken = only_rwop
            && ctx.store.list("Pod").any(|o| {
                matches!(o, Object::Pod(other) if other.metadata.uid != pod.metadata.uid
                    && other.spec.node_name == pod.spec.node_name
                    && other.status.phase == "Running"
                    && other.metadata.namespace == pod.metadata.namespace
                    && pod_claims(other).iter().any(|(c, _)| *c == claim))
            });
        if taken {
            out.push((name, Blocker::Rwop(pv.metadata.name.clone())));
        }
    }
    out
}

/// The attachable volumes of a pod, as node status names them.
fn attached_names(ctx: &Ctx, pod: &Pod) -> Vec<String> {
    pod_claims(pod)
        .iter()
        .filter_map(|(c, _)| ctx.store.pvc(&pod.metadata.namespace, c))
        .filter_map(|pvc| ctx.store.pv(pvc.spec.volume_name.as_deref()?))
        .filter(|pv| needs_attach(ctx.store, pv).is_some())
        .filter_map(unique_name)
        .collect()
}

/// The kubelet's work on one pod.
pub fn sync(ctx: &Ctx, ops: &mut Ops, key: &ObjKey) -> Vec<Effect> {
    let Some(Object::Pod(pod)) = ctx.store.get(key) else {
        return Vec::new();
    };
    let Some(Object::Node(node)) = ctx.store.get(&ObjKey::new("Node", "", &pod.spec.node_name))
    else {
        return Vec::new();
    };
    if !node_ready(node) || ops.nodes_down.contains_key(&node.metadata.name) {
        return Vec::new();
    }
    if pod.metadata.deletion_timestamp.is_some() {
        return terminate(ctx, ops, pod, node);
    }
    if pod.status.phase == "Running" {
        return expand_filesystems(ctx, pod, node);
    }
    if is_terminal(pod) {
        return Vec::new();
    }
    let mut effects = Vec::new();
    let now = timestamp(ctx.now);
    let mut waiting = pod.clone();
    if waiting.status.container_statuses.is_empty() {
        waiting.status.container_statuses = pod
            .spec
            .containers
            .iter()
            .map(|c| serde_json::json!({
                "name": c.name, "image": c.image, "imageID": "", "ready": false, "restartCount": 0,
                "started": false, "state": {"waiting": {"reason": "ContainerCreating"}},
            }))
            .collect();
        waiting.status.start_time = Some(now.clone());
        effects.push(Effect::Write(Object::Pod(waiting.clone())));
    }
    let blocked = blockers(ctx, pod, node);
    if blocked.is_empty() {
        let ready_at = *ops
            .mount_ready
            .entry(pod.metadata.uid.clone())
            .or_insert(ctx.now + MOUNT_TIME);
        if ctx.now < ready_at {
            effects.push(Effect::after(
                ready_at - ctx.now,
                crate::sim::queue::Controller::Kubelet,
                key,
            ));
            return effects;
        }
        ops.mount_ready.remove(&pod.metadata.uid);
        ops.mount_wait.remove(&pod.metadata.uid);
        effects.extend(start(ctx, &waiting, node));
        return effects;
    }
    ops.mount_ready.remove(&pod.metadata.uid);
    for (_, b) in &blocked {
        if let Blocker::Rwop(pv) = b
            && !ops.mount_wait.contains_key(&pod.metadata.uid)
        {
            effects.push(Effect::event(key, "Warning", "FailedMount", format!(
                "MountVolume.SetUp failed for volume {pv:?} : volume uses the ReadWriteOncePod access mode and is already in use by another pod"
            )));
        }
    }
    let since = *ops
        .mount_wait
        .entry(pod.metadata.uid.clone())
        .or_insert(ctx.now);
    let due = since + MOUNT_TIMEOUT;
    if ctx.now >= due {
        let unmounted: Vec<&str> = blocked.iter().map(|(v, _)| v.as_str()).collect();
        let all: Vec<&str> = pod.spec.volumes.iter().map(|v| v.name.as_str()).collect();
        effects.push(Effect::event(key, "Warning", "FailedMount", format!(
            "Unable to attach or mount volumes: unmounted volumes=[{}], unattached volumes=[{}]: timed out waiting for the condition",
            unmounted.join(" "),
            all.join(" ")
        )));
        ops.mount_wait.insert(pod.metadata.uid.clone(), ctx.now);
        effects.push(Effect::After {
            delay: MOUNT_TIMEOUT,
            controller: crate::sim::queue::Controller::Kubelet,
            key: key.clone(),
            blocking: false,
        });
    } else {
        effects.push(Effect::After {
            delay: due - ctx.now,
            controller: crate::sim::queue::Controller::Kubelet,
            key: key.clone(),
            blocking: false,
        });
    }
    effects
}

/// NodeExpandVolume: a claim of this running pod that waits in
/// FileSystemResizePending gets its file system grown, and its capacity.
fn expand_filesystems(ctx: &Ctx, pod: &Pod, node: &Node) -> Vec<Effect> {
    let mut effects = Vec::new();
    for (claim, _) in pod_claims(pod) {
        let Some(pvc) = ctx.store.pvc(&pod.metadata.namespace, &claim) else {
            continue;
        };
        let pending = pvc.status.conditions.iter().any(|c| {
            c.get("type").and_then(serde_json::Value::as_str) == Some("FileSystemResizePending")
        });
        let Some(pv) = pvc
            .spec
            .volume_name
            .as_deref()
            .and_then(|v| ctx.store.pv(v))
        else {
            continue;
        };
        if !pending {
            continue;
        }
        let mut grown = pvc.clone();
        grown.status.conditions.clear();
        grown.status.allocated_resource_statuses.clear();
        if let Some(size) = pv.spec.capacity.get("storage") {
            grown.status.capacity.insert("storage".into(), size.clone());
        }
        let message = format!(
            "MountVolume.NodeExpandVolume succeeded for volume {:?} {}",
            pv.metadata.name, node.metadata.name
        );
        effects.push(Effect::Write(Object::PersistentVolumeClaim(grown)));
        effects.push(Effect::event(
            &pod_key(pod),
            "Normal",
            "FileSystemResizeSuccessful",
            message.clone(),
        ));
        let claim_key = ObjKey::new("PersistentVolumeClaim", &pod.metadata.namespace, &claim);
        effects.push(Effect::event(
            &claim_key,
            "Normal",
            "FileSystemResizeSuccessful",
            message,
        ));
    }
    effects
}

/// Volumes mounted: the containers start and the pod runs.
fn start(ctx: &Ctx, pod: &Pod, node: &Node) -> Vec<Effect> {
    let key = pod_key(pod);
    let now = timestamp(ctx.now);
    let mut running = pod.clone();
    running.status.phase = "Running".into();
    node.status
        .addresses
        .iter()
        .find(|a| a.get("type").and_then(serde_json::Value::as_str) == Some("InternalIP"))
        .and_then(|a| a.get("address")?.as_str())
        .unwrap_or_default()
        .clone_into(&mut running.status.host_ip);
    let scheduled = pod
        .status
        .conditions
        .iter()
        .find(|c| c.get("type").and_then(serde_json::Value::as_str) == Some("PodScheduled"))
        .cloned()
        .unwrap_or_else(|| condition("PodScheduled", "True", &now));
    running.status.conditions = vec![
        condition("PodReadyToStartContainers", "True", &now),
        condition("Initialized", "True", &now),
        condition("Ready", "True", &now),
        condition("ContainersReady", "True", &now),
        scheduled,
    ];
    running.status.container_statuses = pod
        .spec
        .containers
        .iter()
        .map(|c| {
            serde_json::json!({
                "name": c.name, "image": c.image, "imageID": "", "ready": true, "restartCount": 0,
                "started": true, "state": {"running": {"startedAt": now}},
            })
        })
        .collect();
    let mut effects = Vec::new();
    let in_use = attached_names(ctx, pod);
    if in_use
        .iter()
        .any(|v| !node.status.volumes_in_use.contains(v))
    {
        let mut n = node.clone();
        for v in in_use {
            if !n.status.volumes_in_use.contains(&v) {
                n.status.volumes_in_use.push(v);
            }
        }
        crate::sort::stable(&mut n.status.volumes_in_use);
        effects.push(Effect::Write(Object::Node(n)));
    }
    effects.push(Effect::Write(Object::Pod(running)));
    for c in &pod.spec.containers {
        effects.push(Effect::event(
            &key,
            "Normal",
            "Pulled",
            format!("Container image {:?} already present on machine", c.image),
        ));
        effects.push(Effect::event(
            &key,
            "Normal",
            "Created",
            format!("Created container: {}", c.name),
        ));
        effects.push(Effect::event(
            &key,
            "Normal",
            "Started",
            format!("Started container {}", c.name),
        ));
    }
    effects
}

/// A deleted pod: stop its containers, unmount, and remove the object at
/// the end of its grace period.
fn terminate(ctx: &Ctx, ops: &mut Ops, pod: &Pod, node: &Node) -> Vec<Effect> {
    let key = pod_key(pod);
    // Running containers get their grace period; a pod that never started
    // has nothing to stop.
    let end = if pod.status.phase == "Running" {
        pod.metadata
            .deletion_timestamp
            .as_deref()
            .and_then(parse_timestamp)
            .unwrap_or(ctx.now)
    } else {
        ctx.now
    };
    let mut effects = Vec::new();
    if ops.killing.insert(pod.metadata.uid.clone()) && pod.status.phase == "Running" {
        for c in &pod.spec.containers {
            effects.push(Effect::event(
                &key,
                "Normal",
                "Killing",
                format!("Stopping container {}", c.name),
            ));
        }
    }
    if ctx.now < end {
        effects.push(Effect::after(
            end - ctx.now,
            crate::sim::queue::Controller::Kubelet,
            &key,
        ));
        return effects;
    }
    ops.killing.remove(&pod.metadata.uid);
    ops.mount_wait.remove(&pod.metadata.uid);
    ops.mount_ready.remove(&pod.metadata.uid);
    // Unmount what no other running pod on the node still uses.
    let still_used: Vec<String> = ctx
        .store
        .list("Pod")
        .filter_map(|o| match o {
            Object::Pod(p)
                if p.metadata.uid != pod.metadata.uid
                    && p.spec.node_name == node.metadata.name
                    && p.status.phase == "Running" =>
            {
                Some(attached_names(ctx, p))
            }
            _ => None,
        })
        .flatten()
        .collect();
    let mine = attached_names(ctx, pod);
    if mine
        .iter()
        .any(|v| node.status.volumes_in_use.contains(v) && !still_used.contains(v))
    {
        let mut n = node.clone();
        n.status
            .volumes_in_use
            .retain(|v| !mine.contains(v) || still_used.contains(v));
        effects.push(Effect::Write(Object::Node(n)));
    }
    effects.push(Effect::ForceDelete(key));
    effects
}

/// When the kubelet last looked (for tests and explain).
pub fn mount_deadline(ops: &Ops, pod: &Pod) -> Option<Millis> {
    ops.mount_wait
        .get(&pod.metadata.uid)
        .map(|s| s + MOUNT_TIMEOUT)
}
