//! External provisioners: kubernetes-csi/external-provisioner on
//! sig-storage-lib-external-provisioner, one per CSI driver of the backend
//! catalog, and rancher's local-path-provisioner.
//!
//! A provisioner takes a claim whose `volume.kubernetes.io/storage-provisioner`
//! annotation names it (and, for WaitForFirstConsumer classes, that has a
//! selected node), says `Provisioning`, asks its backend, and after the
//! backend's latency creates the PV `pvc-<claim uid>` pre-bound to the claim;
//! the PV controller then binds them. It deletes Released volumes it made
//! whose policy is Delete.
//!
//! Simplifications: failures are retried with the library's exponential
//! backoff (15 s doubling up to 1000 s) and given up after 15 attempts;
//! a provisioner runs one operation per claim at a time; a CSI driver's
//! capacity is its size rounding (see [`crate::cluster::backends`]).

use crate::Object;
use crate::cluster::backends::{self, Driver, Family, HOSTNAME_LABEL, Op, ZONE_LABEL};
use crate::model::{
    CsiPersistentVolumeSource, HostPathVolumeSource, NodeSelector, NodeSelectorRequirement,
    NodeSelectorTerm, PersistentVolume, PersistentVolumeClaim, StorageClass, VolumeNodeAffinity,
};
use crate::objects::volume;
use crate::objects::volume::claim_class;
use crate::objects::volume::{
    ANN_BETA_STORAGE_PROVISIONER, ANN_PROVISIONED_BY, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER,
    delay_binding, provisioned_volume,
};
use crate::quantity::binary_quantity;
use crate::sim::clock::SECOND;
use crate::sim::queue::{Controller, Work};
use crate::sim::rng::Rng;
use crate::sim::store::ObjKey;
use crate::sim::{Ctx, Effect, Ops};

pub const FINALIZER_EXTERNAL: &str = "external-provisioner.volume.kubernetes.io/finalizer";
const FAILURE_THRESHOLD: usize = 15;

/// The driver that should provision this claim now, if any.
fn should_provision<'a>(
    ctx: &Ctx<'a>,
    pvc: &PersistentVolumeClaim,
) -> Option<(&'static Driver, &'a StorageClass)> {
    if pvc
        .spec
        .volume_name
        .as_deref()
        .is_some_and(|v| !v.is_empty())
        || pvc.metadata.deletion_timestamp.is_some()
    {
        return None;
    }
    let anns = &pvc.metadata.annotations;
    let name = anns
        .get(ANN_STORAGE_PROVISIONER)
        .or_else(|| anns.get(ANN_BETA_STORAGE_PROVISIONER))?;
    let driver = backends::find(name)?;
    let class = ctx.store.class(claim_class(pvc))?;
    if delay_binding(ctx.store, pvc) && !anns.contains_key(ANN_SELECTED_NODE) {
        return None;
    }
    Some((driver, class))
}

/// A provisioner notices a claim (to provision) or a volume (to delete).
pub fn sync(ctx: &Ctx, ops: &mut Ops, key: &ObjKey) -> Vec<Effect> {
    if key.kind == "PersistentVolume" {
        return sync_volume(ctx, key);
    }
    let Some(pvc) = ctx.store.pvc(&key.namespace, &key.name) else {
        return Vec::new();
    };
    let Some((driver, _)) = should_provision(ctx, pvc) else {
        return Vec::new();
    };
    let in_flight = Work {
        controller: Controller::ProvisionDone,
        key: key.clone(),
    };
    if ctx.queue.contains(&in_flight)
        || ctx.store.pv(&format!("pvc-{}", pvc.metadata.uid)).is_some()
        || ops
            .provision_failures
            .get(&pvc.metadata.uid)
            .is_some_and(|&n| n >= FAILURE_THRESHOLD)
    {
        return Vec::new();
    }
    vec![
        Effect::Event {
            key: key.clone(),
            type_: "Normal",
            reason: "Provisioning",
            message: format!(
                "External provisioner is provisioning volume for claim \"{}\"",
                key.path()
            ),
            source: Some(ctx.backends.identity(driver.name)),
        },
        Effect::after(driver.create_latency, Controller::ProvisionDone, key),
    ]
}

/// The backend has answered a CreateVolume call.
pub fn provision_done(ctx: &Ctx, ops: &mut Ops, rng: &mut Rng, key: &ObjKey) -> Vec<Effect> {
    let Some(pvc) = ctx.store.pvc(&key.namespace, &key.name) else {
        return Vec::new();
    };
    let Some((driver, class)) = should_provision(ctx, pvc) else {
        return Vec::new();
    };
    let source = Some(ctx.backends.identity(driver.name));
    match create_volume(ctx, rng, driver, class, pvc) {
        Ok((volume, pv)) => {
            ops.provision_failures.remove(&pvc.metadata.uid);
            let name = pv.metadata.name.clone();
            vec![
                Effect::Backend(Op::Create(volume)),
                Effect::Create(Object::PersistentVolume(pv)),
                Effect::Event {
                    key: key.clone(),
                    type_: "Normal",
                    reason: "ProvisioningSucceeded",
                    message: format!("Successfully provisioned volume {name}"),
                    source,
                },
            ]
        }
        Err(err) => {
            let failures = ops
                .provision_failures
                .entry(pvc.metadata.uid.clone())
                .or_default();
            *failures += 1;
            let backoff = ((15 * SECOND) << (*failures - 1).min(10)).min(1000 * SECOND);
            vec![
                Effect::Event {
                    key: key.clone(),
                    type_: "Warning",
                    reason: "ProvisioningFailed",
                    message: format!(
                        "failed to provision volume with StorageClass {:?}: {err}",
                        class.metadata.name
                    ),
                    source,
                },
                Effect::After {
                    delay: backoff,
                    controller: Controller::Provisioner,
                    key: key.clone(),
                    blocking: false,
                },
            ]
        }
    }
}

fn node_affinity(key: &str, value: &str) -> VolumeNodeAffinity {
    VolumeNodeAffinity {
        required: Some(NodeSelector {
            node_selector_terms: vec![NodeSelectorTerm {
                match_expressions: vec![NodeSelectorRequirement {
                    key: key.into(),
                    operator: "In".into(),
                    values: vec![value.into()],
                }],
                match_fields: Vec::new(),
            }],
        }),
    }
}

/// A node's label value.
fn node_label<'a>(ctx: &Ctx<'a>, node: &str, label: &str) -> Option<&'a str> {
    match ctx.store.get(&ObjKey::new("Node", "", node)) {
        Some(Object::Node(n)) => n.metadata.labels.get(label).map(String::as_str),
        _ => None,
    }
}

/// The backend's CreateVolume, and the PV the provisioner writes for it.
fn create_volume(
    ctx: &Ctx,
    rng: &mut Rng,
    driver: &'static Driver,
    class: &StorageClass,
    pvc: &PersistentVolumeClaim,
) -> Result<(backends::Volume, PersistentVolume), String> {
    if pvc.spec.selector.is_some() {
        return Err("claim Selector is not supported".into());
    }
    if let Some(mode) = pvc
        .spec
        .access_modes
        .iter()
        .find(|m| !driver.modes.contains(&m.as_str()))
    {
        return Err(driver.unsupported_mode(mode));
    }
    let block = volume::volume_mode(pvc.spec.volume_mode.as_ref()) == "Block";
    if block && driver.family == Family::FileShare {
        return Err(format!(
            "rpc error: code = InvalidArgument desc = block volume mode is not supported by {}",
            driver.name
        ));
    }
    let selected = pvc.metadata.annotations.get(ANN_SELECTED_NODE);
    let nodes: Vec<&str> = ctx
        .store
        .list("Node")
        .map(|n| n.metadata().name.as_str())
        .collect();
    let uid = &pvc.metadata.uid;
    let name = format!("pvc-{uid}");
    let (mut zone, mut node) = (None, None);
    match driver.family {
        Family::BlockDisk => {
            let mut zones: Vec<String> = match selected {
                Some(n) => node_label(ctx, n, ZONE_LABEL)
                    .map(String::from)
                    .into_iter()
                    .collect(),
                None => class
                    .allowed_topologies
                    .iter()
                    .flat_map(|t| &t.match_label_expressions)
                    .filter(|e| e.key == ZONE_LABEL || e.key.ends_with("/zone"))
                    .flat_map(|e| e.values.clone())
                    .collect(),
            };
            if zones.is_empty() && selected.is_none() {
                zones = nodes
                    .iter()
                    .filter_map(|n| node_label(ctx, n, ZONE_LABEL).map(String::from))
                    .collect();
            }
            crate::sort::stable(&mut zones);
            zones.dedup();
            if !zones.is_empty() {
                zone = Some(zones[rng.below(zones.len())].clone());
            }
        }
        Family::NodeLocal => {
            node = match (selected, driver.csi) {
                (Some(n), _) => Some(n.clone()),
                (None, true) if !nodes.is_empty() => Some(nodes[rng.below(nodes.len())].to_owned()),
                _ => return Err("configuration error, no node was specified".into()),
            };
        }
        Family::FileShare => {}
    }
    let request = volume::request(pvc).map_or(0, |r| r.value());
    let bytes = driver.size_for(request);
    let handle = match driver.family {
        _ if !driver.csi => format!(
            "/opt/local-path-provisioner/{name}_{}_{}",
            pvc.metadata.namespace, pvc.metadata.name
        ),
        Family::BlockDisk => format!("disk-{}", &uid.replace('-', "")[..17]),
        Family::FileShare => format!("share-{}/{name}", &uid[..8]),
        Family::NodeLocal => uid.clone(),
    };
    let finalizer = if driver.csi { FINALIZER_EXTERNAL } else { "" };
    let mut pv = provisioned_volume(pvc, class, &name, driver.name, finalizer);
    pv.spec
        .capacity
        .insert("storage".into(), binary_quantity(bytes));
    if let Some(z) = &zone {
        pv.spec.node_affinity = Some(node_affinity(ZONE_LABEL, z));
    }
    if let Some(n) = &node {
        pv.spec.node_affinity = Some(node_affinity(HOSTNAME_LABEL, n));
    }
    if driver.csi {
        pv.spec.csi = Some(CsiPersistentVolumeSource {
            driver: driver.name.into(),
            volume_handle: handle.clone(),
            fs_type: if driver.family == Family::FileShare || block {
                String::new()
            } else {
                class
                    .parameters
                    .get("csi.storage.k8s.io/fstype")
                    .cloned()
                    .unwrap_or_else(|| "ext4".into())
            },
            ..CsiPersistentVolumeSource::default()
        });
    } else {
        pv.spec.host_path = Some(HostPathVolumeSource {
            path: handle.clone(),
            type_: Some("DirectoryOrCreate".into()),
        });
    }
    let volume = backends::Volume {
        handle,
        driver: driver.name,
        bytes,
        zone,
        node,
    };
    Ok((volume, pv))
}

/// The driver that should delete this volume now: Released, policy Delete,
/// made by (or, for static CSI volumes, served by) a driver pvsim runs.
fn should_delete(pv: &PersistentVolume) -> Option<&'static Driver> {
    if pv.status.phase != "Released" || pv.spec.persistent_volume_reclaim_policy != "Delete" {
        return None;
    }
    let name = match pv.metadata.annotations.get(ANN_PROVISIONED_BY) {
        Some(by) => by.as_str(),
        None => pv.spec.csi.as_ref()?.driver.as_str(),
    };
    backends::find(name)
}

fn sync_volume(ctx: &Ctx, key: &ObjKey) -> Vec<Effect> {
    let Some(driver) = ctx.store.pv(&key.name).and_then(should_delete) else {
        return Vec::new();
    };
    let in_flight = Work {
        controller: Controller::DeleteDone,
        key: key.clone(),
    };
    if ctx.queue.contains(&in_flight) {
        return Vec::new();
    }
    vec![Effect::after(
        driver.delete_latency,
        Controller::DeleteDone,
        key,
    )]
}

/// The backend has deleted the volume: the provisioner deletes the PV and
/// drops its finalizer.
pub fn delete_done(ctx: &Ctx, key: &ObjKey) -> Vec<Effect> {
    let Some(pv) = ctx.store.pv(&key.name) else {
        return Vec::new();
    };
    if should_delete(pv).is_none() {
        return Vec::new();
    }
    let handle = match (&pv.spec.csi, &pv.spec.host_path) {
        (Some(csi), _) => csi.volume_handle.clone(),
        (None, Some(hp)) => hp.path.clone(),
        _ => String::new(),
    };
    vec![
        Effect::Backend(Op::Delete(handle)),
        Effect::Delete(key.clone()),
        Effect::RemoveFinalizer(key.clone(), FINALIZER_EXTERNAL.into()),
    ]
}
