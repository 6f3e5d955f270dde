//! The PV controller (kube-controller-manager's `persistentvolume-binder`):
//! `syncClaim`, `syncVolume`, `bind`, reclaim, and the PV controller's half
//! of dynamic provisioning (pkg/controller/volume/persistentvolume/
//! pv_controller.go).
//!
//! Each function reads the store and returns the writes and events upstream
//! would make, in upstream's order. Simplifications: the controller reads
//! the store directly (upstream reads an informer cache and re-reads the API
//! server where it matters), so there are no stale reads to guard against;
//! CSI migration is complete for the in-tree names in
//! [`crate::cluster::backends::MIGRATED`]; of the in-tree provisioners only
//! `kubernetes.io/host-path` provisions, as in a cluster started with
//! `--enable-hostpath-provisioner`; the recycler runs without a recycler
//! pod, so there are no `RecyclerPod` events.

use crate::Object;
use crate::cluster::backends::{self, Op};
use crate::model::{PersistentVolume, PersistentVolumeClaim};
use crate::objects::volume::{
    ANN_BETA_STORAGE_PROVISIONER, ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_MIGRATED_TO,
    ANN_PRE_RESIZE_CAPACITY, ANN_PROVISIONED_BY, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER,
    HOST_PATH_PROVISIONER, claim_key, claim_ref, delay_binding, provisioned_volume, volume_key,
};
use crate::objects::volume::{
    claim_class, claim_has_class, is_bound_to, volume_class, volume_mode,
};
use crate::objects::{pod, volume};
use crate::sim::clock::{SECOND, timestamp};
use crate::sim::queue::{Controller, Work};
use crate::sim::store::ObjKey;
use crate::sim::{Ctx, Effect};

pub const FINALIZER_IN_TREE_DELETE: &str = "kubernetes.io/pv-controller";
/// How long the recycler takes to scrub a volume.
const RECYCLE_TIME: u64 = 5 * SECOND;

/// `syncClaim`.
pub fn sync_claim(ctx: &Ctx, key: &ObjKey) -> Vec<Effect> {
    let Some(pvc) = ctx.store.pvc(&key.namespace, &key.name) else {
        return Vec::new();
    };
    if pvc.metadata.annotations.contains_key(ANN_BIND_COMPLETED) {
        sync_bound_claim(ctx, pvc)
    } else {
        sync_unbound_claim(ctx, pvc)
    }
}

fn sync_unbound_claim(ctx: &Ctx, pvc: &PersistentVolumeClaim) -> Vec<Effect> {
    let key = claim_key(pvc);
    let volume_name = pvc.spec.volume_name.as_deref().unwrap_or("");
    if volume_name.is_empty() {
        let delay = delay_binding(ctx.store, pvc);
        let found = ctx
            .store
            .volumes
            .best_match(pvc, delay, |name| ctx.store.pv(name));
        if let Some(pv) = found {
            return bind(ctx, pv, pvc);
        }
        if !claim_has_class(pvc)
            && let Some(default) = ctx.store.default_class()
        {
            // Retroactive default class assignment; the next sync goes on.
            let mut updated = pvc.clone();
            updated.spec.storage_class_name = Some(default.metadata.name.clone());
            return vec![Effect::Write(Object::PersistentVolumeClaim(updated))];
        }
        let mut effects = Vec::new();
        if delay && !pvc.metadata.annotations.contains_key(ANN_SELECTED_NODE) {
            let waiting = unscheduled_pods(ctx, pvc);
            let (reason, message) = match waiting.as_slice() {
                [] => (
                    "WaitForFirstConsumer",
                    "waiting for first consumer to be created before binding".to_owned(),
                ),
                [one] => (
                    "WaitForPodScheduled",
                    format!("waiting for pod {one} to be scheduled"),
                ),
                many => (
                    "WaitForPodScheduled",
                    format!("waiting for pods {} to be scheduled", many.join(",")),
                ),
            };
            effects.push(Effect::event(&key, "Normal", reason, message));
            effects.extend(claim_pending(pvc));
        } else if !claim_class(pvc).is_empty() {
            return provision_claim(ctx, pvc);
        } else {
            effects.push(Effect::event(
                &key,
                "Normal",
                "FailedBinding",
                "no persistent volumes available for this claim and no storage class is set".into(),
            ));
            effects.extend(claim_pending(pvc));
        }
        return effects;
    }
    // The user pre-bound the claim to a volume by name.
    let Some(pv) = ctx.store.pv(volume_name) else {
        return claim_pending(pvc).into_iter().collect();
    };
    match &pv.spec.claim_ref {
        None => match check_volume_satisfies_claim(pv, pvc) {
            Ok(()) => bind(ctx, pv, pvc),
            Err(reason) => {
                let mut effects = vec![Effect::event(
                    &key,
                    "Warning",
                    "VolumeMismatch",
                    format!("Cannot bind to requested volume {volume_name:?}: {reason}"),
                )];
                effects.extend(claim_pending(pvc));
                effects
            }
        },
        Some(_) if is_bound_to(pv, pvc) => bind(ctx, pv, pvc),
        Some(_) => {
            let mut effects = vec![Effect::event(
                &key,
                "Warning",
                "FailedBinding",
                format!("volume {volume_name:?} already bound to a different claim."),
            )];
            if !pvc
                .metadata
                .annotations
                .contains_key(ANN_BOUND_BY_CONTROLLER)
            {
                effects.extend(claim_pending(pvc));
            }
            effects
        }
    }
}

/// `checkVolumeSatisfyClaim`, for a claim pre-bound by name.
fn check_volume_satisfies_claim(
    pv: &PersistentVolume,
    pvc: &PersistentVolumeClaim,
) -> Result<(), String> {
    if pv.metadata.deletion_timestamp.is_some() {
        return Err(format!(
            "the volume is marked for deletion {:?}",
            pv.metadata.name
        ));
    }
    let (cap, req) = (volume::capacity(pv), volume::request(pvc));
    if let (Some(cap), Some(req)) = (cap, req)
        && cap.value() < req.value()
    {
        return Err("requested PV is too small".into());
    }
    if volume_class(pv) != claim_class(pvc) {
        return Err("storageClassName does not match".into());
    }
    if volume_mode(pv.spec.volume_mode.as_ref()) != volume_mode(pvc.spec.volume_mode.as_ref()) {
        return Err("incompatible volumeMode".into());
    }
    if !pvc
        .spec
        .access_modes
        .iter()
        .all(|m| pv.spec.access_modes.contains(m))
    {
        return Err("incompatible accessMode".into());
    }
    Ok(())
}

fn sync_bound_claim(ctx: &Ctx, pvc: &PersistentVolumeClaim) -> Vec<Effect> {
    let volume_name = pvc.spec.volume_name.as_deref().unwrap_or("");
    if volume_name.is_empty() {
        return claim_lost(
            pvc,
            "ClaimLost",
            "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!",
        );
    }
    let Some(pv) = ctx.store.pv(volume_name) else {
        return claim_lost(
            pvc,
            "ClaimLost",
            "Bound claim has lost its PersistentVolume. Data on the volume is lost!",
        );
    };
    match &pv.spec.claim_ref {
        None => bind(ctx, pv, pvc),
        Some(r) if r.uid == pvc.metadata.uid => bind(ctx, pv, pvc),
        Some(_) => claim_lost(
            pvc,
            "ClaimMisbound",
            "Two claims are bound to the same volume, this one is bound incorrectly",
        ),
    }
}

/// Phase Lost, with its event, only when the phase changes.
fn claim_lost(pvc: &PersistentVolumeClaim, reason: &'static str, message: &str) -> Vec<Effect> {
    if pvc.status.phase == "Lost" {
        return Vec::new();
    }
    let mut lost = pvc.clone();
    lost.status.phase = "Lost".into();
    lost.status.access_modes.clear();
    lost.status.capacity.clear();
    vec![
        Effect::Write(Object::PersistentVolumeClaim(lost)),
        Effect::event(&claim_key(pvc), "Warning", reason, message.into()),
    ]
}

/// Phase Pending with no access modes or capacity, if that is a change.
fn claim_pending(pvc: &PersistentVolumeClaim) -> Option<Effect> {
    let s = &pvc.status;
    if s.phase == "Pending" && s.access_modes.is_empty() && s.capacity.is_empty() {
        return None;
    }
    let mut pending = pvc.clone();
    pending.status.phase = "Pending".into();
    pending.status.access_modes.clear();
    pending.status.capacity.clear();
    Some(Effect::Write(Object::PersistentVolumeClaim(pending)))
}

/// Names of pods that use the claim and wait for the scheduler.
fn unscheduled_pods(ctx: &Ctx, pvc: &PersistentVolumeClaim) -> Vec<String> {
    ctx.store
        .list("Pod")
        .filter_map(|o| match o {
            Object::Pod(p) => Some(p),
            _ => None,
        })
        .filter(|p| {
            p.metadata.namespace == pvc.metadata.namespace
                && p.spec.node_name.is_empty()
                && !matches!(p.status.phase.as_str(), "Succeeded" | "Failed")
                && pod::claims_of(p).contains(&pvc.metadata.name)
        })
        .map(|p| p.metadata.name.clone())
        .collect()
}

/// `bind`: volume first (claimRef, then phase), then the claim (volumeName
/// and annotations, then status). Writes only what changes.
pub fn bind(ctx: &Ctx, pv: &PersistentVolume, pvc: &PersistentVolumeClaim) -> Vec<Effect> {
    let mut effects = Vec::new();
    let mut volume = pv.clone();
    let reference = claim_ref(pvc);
    let same_ref = pv.spec.claim_ref.as_ref().is_some_and(|r| {
        r.name == reference.name && r.namespace == reference.namespace && r.uid == reference.uid
    });
    if !same_ref {
        if !is_bound_to(pv, pvc) {
            volume
                .metadata
                .annotations
                .insert(ANN_BOUND_BY_CONTROLLER.into(), "yes".into());
        }
        volume.spec.claim_ref = Some(reference);
        effects.push(Effect::Write(Object::PersistentVolume(volume.clone())));
    }
    if let Some(e) = volume_phase(ctx, &volume, "Bound", "") {
        effects.push(e);
    }
    let mut claim = pvc.clone();
    let mut changed = false;
    if claim.spec.volume_name.as_deref() != Some(pv.metadata.name.as_str()) {
        claim.spec.volume_name = Some(pv.metadata.name.clone());
        claim
            .metadata
            .annotations
            .insert(ANN_BOUND_BY_CONTROLLER.into(), "yes".into());
        changed = true;
    }
    if !claim.metadata.annotations.contains_key(ANN_BIND_COMPLETED) {
        claim
            .metadata
            .annotations
            .insert(ANN_BIND_COMPLETED.into(), "yes".into());
        changed = true;
    }
    if changed {
        effects.push(Effect::Write(Object::PersistentVolumeClaim(claim.clone())));
    }
    let mut status_changed = false;
    if claim.status.access_modes != pv.spec.access_modes {
        claim.status.access_modes.clone_from(&pv.spec.access_modes);
        status_changed = true;
    }
    if claim.status.phase != "Bound" {
        let capacity = match pv.metadata.annotations.get(ANN_PRE_RESIZE_CAPACITY) {
            Some(text) => crate::Quantity::new(text).ok().map(|q| {
                let mut capacity = std::collections::BTreeMap::new();
                capacity.insert("storage".to_owned(), q);
                capacity
            }),
            None => Some(pv.spec.capacity.clone()),
        };
        if let Some(capacity) = capacity
            && claim.status.capacity != capacity
        {
            claim.status.capacity = capacity;
        }
        claim.status.phase = "Bound".into();
        status_changed = true;
    }
    if status_changed {
        effects.push(Effect::Write(Object::PersistentVolumeClaim(claim)));
    }
    effects
}

/// A volume's phase and message, written only when the phase changes.
fn volume_phase(ctx: &Ctx, pv: &PersistentVolume, phase: &str, message: &str) -> Option<Effect> {
    with_phase(ctx, pv, phase, message).map(|v| Effect::Write(Object::PersistentVolume(v)))
}

/// The volume in a new phase, or `None` when it is in that phase already.
fn with_phase(
    ctx: &Ctx,
    pv: &PersistentVolume,
    phase: &str,
    message: &str,
) -> Option<PersistentVolume> {
    if pv.status.phase == phase {
        return None;
    }
    let mut updated = pv.clone();
    updated.status.phase = phase.into();
    updated.status.message = message.into();
    updated.status.last_phase_transition_time = Some(timestamp(ctx.now));
    Some(updated)
}

/// `updateVolumePhaseWithEvent`: the event only when the phase changes.
fn volume_failed(
    ctx: &Ctx,
    pv: &PersistentVolume,
    reason: &'static str,
    message: String,
) -> Vec<Effect> {
    match volume_phase(ctx, pv, "Failed", &message) {
        Some(write) => vec![
            write,
            Effect::event(&volume_key(pv), "Warning", reason, message),
        ],
        None => Vec::new(),
    }
}

/// `syncVolume`.
pub fn sync_volume(ctx: &Ctx, key: &ObjKey) -> Vec<Effect> {
    let Some(pv) = ctx.store.pv(&key.name) else {
        return Vec::new();
    };
    let Some(r) = pv.spec.claim_ref.as_ref().filter(|r| !r.uid.is_empty()) else {
        return volume_phase(ctx, pv, "Available", "").into_iter().collect();
    };
    let claim = ctx
        .store
        .pvc(&r.namespace, &r.name)
        .filter(|c| c.metadata.uid == r.uid);
    let Some(pvc) = claim else {
        // The claim is gone: release the volume and reclaim it.
        return release(ctx, pv);
    };
    let bound_to = pvc.spec.volume_name.as_deref().unwrap_or("");
    if bound_to.is_empty() {
        let (vm, cm) = (
            volume_mode(pv.spec.volume_mode.as_ref()),
            volume_mode(pvc.spec.volume_mode.as_ref()),
        );
        if vm != cm {
            return vec![
                Effect::event(
                    key,
                    "Warning",
                    "VolumeMismatch",
                    format!(
                        "Cannot bind PersistentVolume to requested PersistentVolumeClaim {:?} due to incompatible volumeMode.",
                        pvc.metadata.name
                    ),
                ),
                Effect::event(
                    &claim_key(pvc),
                    "Warning",
                    "VolumeMismatch",
                    format!(
                        "Cannot bind PersistentVolume {:?} to requested PersistentVolumeClaim due to incompatible volumeMode.",
                        pv.metadata.name
                    ),
                ),
            ];
        }
        // Binding is not finished: the claim's sync finishes it.
        return vec![Effect::after(0, Controller::ClaimSync, &claim_key(pvc))];
    }
    if bound_to == pv.metadata.name {
        return volume_phase(ctx, pv, "Bound", "").into_iter().collect();
    }
    // The claim is bound to another volume.
    let provisioned = pv.metadata.annotations.contains_key(ANN_PROVISIONED_BY);
    if provisioned && pv.spec.persistent_volume_reclaim_policy == "Delete" {
        return release(ctx, pv);
    }
    vec![Effect::Write(Object::PersistentVolume(unbind(ctx, pv)))]
}

/// Phase Released (unless already Released or Failed), then reclaim.
fn release(ctx: &Ctx, pv: &PersistentVolume) -> Vec<Effect> {
    let mut effects = Vec::new();
    let mut released = pv.clone();
    if !matches!(pv.status.phase.as_str(), "Released" | "Failed")
        && let Some(v) = with_phase(ctx, pv, "Released", "")
    {
        released = v.clone();
        effects.push(Effect::Write(Object::PersistentVolume(v)));
    }
    effects.extend(reclaim(ctx, &released));
    effects
}

/// `unbindVolume`: a controller-made binding is undone entirely; a user's
/// pre-binding keeps the claim's name and loses only the uid.
fn unbind(ctx: &Ctx, pv: &PersistentVolume) -> PersistentVolume {
    let mut v = pv.clone();
    if v.metadata
        .annotations
        .remove(ANN_BOUND_BY_CONTROLLER)
        .is_some()
    {
        v.spec.claim_ref = None;
    } else if let Some(r) = &mut v.spec.claim_ref {
        r.uid.clear();
    }
    if v.status.phase != "Available" {
        v.status.phase = "Available".into();
        v.status.message.clear();
        v.status.last_phase_transition_time = Some(timestamp(ctx.now));
    }
    v
}

/// `reclaimVolume`, for a Released (or Failed) volume.
fn reclaim(ctx: &Ctx, pv: &PersistentVolume) -> Vec<Effect> {
    if pv.metadata.annotations.contains_key(ANN_MIGRATED_TO) {
        return Vec::new();
    }
    let key = volume_key(pv);
    match pv.spec.persistent_volume_reclaim_policy.as_str() {
        "Retain" => Vec::new(),
        "Recycle" => {
            let work = Work {
                controller: Controller::Recycle,
                key: key.clone(),
            };
            if ctx.queue.contains(&work) {
                return Vec::new();
            }
            if pv.spec.host_path.is_none() && pv.spec.nfs.is_none() {
                return volume_failed(
                    ctx,
                    pv,
                    "VolumeFailedRecycle",
                    "No recycler plugin found for the volume!".into(),
                );
            }
            // The recycler refuses a volume whose old claim name is still
            // used by pods, unless a new claim of that name exists.
            if let Some(r) = &pv.spec.claim_ref
                && ctx.store.pvc(&r.namespace, &r.name).is_none()
            {
                let users: Vec<String> = ctx
                    .store
                    .list("Pod")
                    .filter_map(|o| match o {
                        Object::Pod(p)
                            if p.metadata.namespace == r.namespace
                                && !matches!(p.status.phase.as_str(), "Succeeded" | "Failed")
                                && pod::claims_of(p).contains(&r.name) =>
                        {
                            Some(format!("{}/{}", p.metadata.namespace, p.metadata.name))
                        }
                        _ => None,
                    })
                    .collect();
                if !users.is_empty() {
                    return vec![Effect::event(
                        &key,
                        "Normal",
                        "VolumeFailedRecycle",
                        format!("Volume is used by pods: {}", users.join(",")),
                    )];
                }
            }
            vec![Effect::after(RECYCLE_TIME, Controller::Recycle, &key)]
        }
        "Delete" => delete_volume(ctx, pv),
        _ => volume_failed(
            ctx,
            pv,
            "VolumeUnknownReclaimPolicy",
            "Volume has unrecognized PersistentVolumeReclaimPolicy".into(),
        ),
    }
}

/// `deleteVolumeOperation` for volumes the PV controller deletes itself;
/// external and CSI volumes are left to their provisioner.
fn delete_volume(ctx: &Ctx, pv: &PersistentVolume) -> Vec<Effect> {
    let provisioned_by = pv.metadata.annotations.get(ANN_PROVISIONED_BY);
    let external = provisioned_by.is_some_and(|p| !p.starts_with("kubernetes.io/"));
    if external || pv.spec.csi.is_some() {
        return Vec::new();
    }
    let Some(host_path) = &pv.spec.host_path else {
        return volume_failed(
            ctx,
            pv,
            "VolumeFailedDelete",
            format!(
                "error getting deleter volume plugin for volume {:?}: no volume plugin matched",
                pv.metadata.name
            ),
        );
    };
    let path = &host_path.path;
    if !(path.starts_with("/tmp/") && path.len() > "/tmp/".len()) {
        return volume_failed(
            ctx,
            pv,
            "VolumeFailedDelete",
            format!("host_path deleter only supports /tmp/.+ but received provided {path}"),
        );
    }
    vec![
        Effect::Backend(Op::Delete(path.clone())),
        Effect::RemoveFinalizer(volume_key(pv), FINALIZER_IN_TREE_DELETE.into()),
        Effect::Delete(volume_key(pv)),
    ]
}

/// The recycler has scrubbed the volume: it is Available again.
pub fn recycle_done(ctx: &Ctx, key: &ObjKey) -> Vec<Effect> {
    let Some(pv) = ctx.store.pv(&key.name) else {
        return Vec::new();
    };
    if pv.status.phase != "Released" {
        return Vec::new();
    }
    let scrubbed = match (&pv.spec.nfs, &pv.spec.host_path) {
        (Some(_), _) => crate::cluster::data::volume_key(pv),
        (None, Some(hp)) => hp.path.clone(),
        _ => String::new(),
    };
    vec![
        Effect::Backend(Op::Scrub(scrubbed)),
        Effect::event(key, "Normal", "VolumeRecycled", "Volume recycled".into()),
        Effect::Write(Object::PersistentVolume(unbind(ctx, pv))),
    ]
}

/// `provisionClaim`: the PV controller's part of dynamic provisioning.
fn provision_claim(ctx: &Ctx, pvc: &PersistentVolumeClaim) -> Vec<Effect> {
    let key = claim_key(pvc);
    let class_name = claim_class(pvc);
    let Some(class) = ctx.store.class(class_name) else {
        return vec![Effect::event(
            &key,
            "Warning",
            "ProvisioningFailed",
            format!("storageclass.storage.k8s.io {class_name:?} not found"),
        )];
    };
    let provisioner = class.provisioner.as_str();
    if provisioner == HOST_PATH_PROVISIONER {
        return provision_in_tree(ctx, pvc, class);
    }
    let (external, migrated) = match backends::migrated(provisioner) {
        Some(csi) => (csi, true),
        None if provisioner.starts_with("kubernetes.io/") => {
            return vec![Effect::event(
                &key,
                "Warning",
                "ProvisioningFailed",
                format!("no volume plugin matched name: {provisioner}"),
            )];
        }
        None => (provisioner, false),
    };
    let mut effects = Vec::new();
    let mut claim = pvc.clone();
    let anns = &mut claim.metadata.annotations;
    anns.insert(ANN_STORAGE_PROVISIONER.into(), external.into());
    anns.insert(ANN_BETA_STORAGE_PROVISIONER.into(), external.into());
    if migrated {
        anns.insert(ANN_MIGRATED_TO.into(), external.into());
    }
    if claim != *pvc {
        effects.push(Effect::Write(Object::PersistentVolumeClaim(claim)));
    }
    effects.push(Effect::event(
        &key,
        "Normal",
        "ExternalProvisioning",
        format!(
            "Waiting for a volume to be created either by the external provisioner '{external}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."
        ),
    ));
    effects
}

/// `provisionClaimOperation` with the in-tree host-path provisioner.
fn provision_in_tree(
    ctx: &Ctx,
    pvc: &PersistentVolumeClaim,
    class: &crate::model::StorageClass,
) -> Vec<Effect> {
    let key = claim_key(pvc);
    let plugin = HOST_PATH_PROVISIONER;
    let mut effects = Vec::new();
    let mut claim = pvc.clone();
    let anns = &mut claim.metadata.annotations;
    anns.insert(ANN_STORAGE_PROVISIONER.into(), plugin.into());
    anns.insert(ANN_BETA_STORAGE_PROVISIONER.into(), plugin.into());
    if claim != *pvc {
        effects.push(Effect::Write(Object::PersistentVolumeClaim(claim)));
    }
    let name = format!("pvc-{}", pvc.metadata.uid);
    if ctx.store.pv(&name).is_some() {
        return effects;
    }
    let fail = |message: String| Effect::event(&key, "Warning", "ProvisioningFailed", message);
    if !class.mount_options.is_empty() {
        effects.push(fail(format!(
            "Mount options are not supported by the provisioner but StorageClass {:?} has mount options [{}]",
            class.metadata.name,
            class.mount_options.join(" ")
        )));
        return effects;
    }
    if pvc.spec.data_source.is_some() {
        effects.push(fail(format!(
            "plugin {plugin:?} is not a CSI plugin. Only CSI plugin can provision a claim with a datasource"
        )));
        return effects;
    }
    let path = format!("/tmp/hostpath_pv/{}", pvc.metadata.uid);
    let mut pv = provisioned_volume(pvc, class, &name, plugin, FINALIZER_IN_TREE_DELETE);
    pv.metadata
        .annotations
        .insert(ANN_BOUND_BY_CONTROLLER.into(), "yes".into());
    pv.spec.host_path = Some(crate::model::HostPathVolumeSource {
        path: path.clone(),
        type_: None,
    });
    let bytes = volume::request(pvc).map_or(0, |r| r.value());
    effects.push(Effect::Backend(Op::Create(backends::Volume {
        handle: path,
        driver: plugin,
        bytes,
        zone: None,
        node: None,
    })));
    effects.push(Effect::Create(Object::PersistentVolume(pv)));
    effects.push(Effect::event(
        &key,
        "Normal",
        "ProvisioningSucceeded",
        format!("Successfully provisioned volume {name} using {plugin}"),
    ));
    effects
}
