//! "Why is this claim Pending?": the PV controller's own rules, applied to
//! every volume, plus the provisioning path the claim's class takes. "Why
//! is this pod not running?": the scheduler's filters on every node, or the
//! volumes a scheduled pod waits for, with the pod and node that hold a
//! volume elsewhere and whether that ends. [`problems`] does both for every
//! claim and pod that is not where it should be.
//!
//! A volume that belongs to another claim is never offered as a fix: the
//! explanation names the claim that holds it, and says how to release it
//! only when that claim is gone.
//!
//! The per-volume verdicts come from [`matching::check`], the
//! function the controller's index uses, so an explanation cannot disagree
//! with the simulation.

use serde::Serialize;

use crate::Object;
use crate::cluster::backends;
use crate::model::{PersistentVolume, PersistentVolumeClaim};
use crate::objects::matching::{self, Mismatch};
use crate::objects::volume::{ANN_SELECTED_NODE, HOST_PATH_PROVISIONER, NO_PROVISIONER};
use crate::objects::volume::{claim_class, claim_has_class, is_bound_to};
use crate::objects::{node, pod, volume};
use crate::sim::{Ctx, Sim};

/// One volume the binder looked at, and what it found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub volume: String,
    /// `None` when the volume can serve the claim.
    pub excluded_by: Option<String>,
}

/// The explanation of one claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimExplanation {
    pub namespace: String,
    pub name: String,
    pub phase: String,
    /// What the claim asks for: `8Gi, ReadWriteOnce, Filesystem, class "silver"`.
    pub asks_for: String,
    /// One sentence on where the claim stands.
    pub summary: String,
    /// Every volume, with the first rule that excluded it (Pending claims).
    pub candidates: Vec<Candidate>,
    /// What dynamic provisioning does for this claim.
    pub provisioning: String,
    /// What would unblock the claim.
    pub fixes: Vec<String>,
}

fn volumes(sim: &Sim) -> impl Iterator<Item = &PersistentVolume> {
    sim.store()
        .list("PersistentVolume")
        .filter_map(|o| match o {
            Object::PersistentVolume(pv) => Some(pv),
            _ => None,
        })
}

fn asks_for(pvc: &PersistentVolumeClaim) -> String {
    let size = pvc
        .spec
        .resources
        .requests
        .get("storage")
        .map_or_else(|| "no size".to_owned(), ToString::to_string);
    let class = if claim_has_class(pvc) {
        format!("class {:?}", claim_class(pvc))
    } else {
        "no class".to_owned()
    };
    format!(
        "{size}, {}, {}, {class}",
        pvc.spec.access_modes.join(" "),
        volume::volume_mode(pvc.spec.volume_mode.as_ref())
    )
}

/// Explains a claim after the simulation has run.
pub fn claim(sim: &Sim, namespace: &str, name: &str) -> Result<ClaimExplanation, String> {
    let pvc = sim.store().pvc(namespace, name).ok_or_else(|| {
        format!("persistentvolumeclaims {name:?} not found in namespace {namespace:?}")
    })?;
    let ctx = Ctx {
        now: sim.now(),
        store: sim.store(),
        queue: &crate::sim::queue::Queue::default(),
        backends: sim.backends(),
    };
    let mut out = ClaimExplanation {
        namespace: namespace.to_owned(),
        name: name.to_owned(),
        phase: pvc.status.phase.clone(),
        asks_for: asks_for(pvc),
        summary: String::new(),
        candidates: Vec::new(),
        provisioning: String::new(),
        fixes: Vec::new(),
    };
    let volume_name = pvc.spec.volume_name.clone().unwrap_or_default();
    match pvc.status.phase.as_str() {
        "Bound" => {
            out.summary = format!("Bound to volume {volume_name}.");
            if let Some(pv) = sim.store().pv(&volume_name)
                && let Some(by) = pv.metadata.annotations.get(volume::ANN_PROVISIONED_BY)
            {
                out.provisioning = format!("The volume was provisioned by {by} for this claim.");
            }
            return Ok(out);
        }
        "Lost" => {
            out.summary = match sim.store().pv(&volume_name) {
                _ if volume_name.is_empty() => "Lost: the claim was bound but its spec.volumeName is gone; the data on its volume is lost to it. Lost is final: create a new claim.".into(),
                None => format!("Lost: its volume {volume_name} no longer exists. Lost is final: create a new claim."),
                Some(_) => format!("Lost: volume {volume_name} is bound to another claim (ClaimMisbound). Lost is final: create a new claim."),
            };
            return Ok(out);
        }
        _ => {}
    }
    if pvc.metadata.deletion_timestamp.is_some() {
        out.summary = "Terminating: the claim is being deleted and waits for the pods that use it to go (kubernetes.io/pvc-protection).".into();
    }
    if !volume_name.is_empty() {
        explain_pre_bound(sim, pvc, &volume_name, &mut out);
        return Ok(out);
    }
    let delay = volume::delay_binding(ctx.store, pvc);
    // The volume that needs the fewest changes to the claim is the one
    // worth suggesting.
    let mut nearest: Vec<(&PersistentVolume, Vec<Mismatch>)> = Vec::new();
    for pv in volumes(sim) {
        let verdict = matching::check(pv, pvc, delay);
        let excluded_by = verdict.as_ref().err().map(ToString::to_string);
        if verdict.is_err() {
            let needed = needed_changes(pv, pvc, delay);
            if !needed.is_empty() {
                nearest.push((pv, needed));
            }
        }
        out.candidates.push(Candidate {
            volume: pv.metadata.name.clone(),
            excluded_by,
        });
    }
    if out.summary.is_empty() {
        out.summary = if out.candidates.is_empty() {
            "Pending: there are no PersistentVolumes at all.".into()
        } else if out.candidates.iter().all(|c| c.excluded_by.is_some()) {
            match out.candidates.len() {
                1 => "Pending: the only volume cannot serve it.".to_owned(),
                2 => "Pending: neither of the 2 volumes can serve it.".to_owned(),
                n => format!("Pending: none of the {n} volumes can serve it."),
            }
        } else {
            "Pending: a volume matches; the PV controller binds it at its next sync.".into()
        };
    }
    provisioning(sim, pvc, delay, &mut out);
    held_by_others(sim, pvc, delay, &mut out);
    let fewest = nearest.iter().map(|(_, n)| n.len()).min().unwrap_or(0);
    nearest.retain(|(_, n)| n.len() == fewest);
    crate::sort::by_key(&mut nearest, |(_, n)| n.first().map_or(9, priority));
    match nearest.as_slice() {
        [] => {}
        closest if fewest == 1 => {
            for (pv, needed) in closest.iter().take(3) {
                out.fixes.push(fix_for(pv, pvc, &needed[0]));
            }
        }
        [(pv, needed), ..] => out.fixes.push(format!(
            "The nearest volume, {}, differs in {} ways: {}.",
            pv.metadata.name,
            needed.len(),
            needed
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        )),
    }
    Ok(out)
}

/// Which single fixes to suggest first: the ones that change the least.
fn priority(m: &Mismatch) -> u8 {
    match m {
        Mismatch::TooSmall { .. } => 0,
        Mismatch::Class { .. } => 1,
        Mismatch::Selector { .. } => 2,
        Mismatch::ClaimedBy { .. } => 3,
        Mismatch::VolumeMode { .. } | Mismatch::AttributesClass { .. } => 4,
        Mismatch::AccessModes { .. } => 5,
        _ => 6,
    }
}

/// Every rule a volume fails for this claim, found by running the binder's
/// check again on a copy of the claim changed to pass each failed rule.
/// Empty when a failed rule is not the claim's to change.
fn needed_changes(
    pv: &PersistentVolume,
    pvc: &PersistentVolumeClaim,
    delay: bool,
) -> Vec<Mismatch> {
    let mut claim = pvc.clone();
    let mut needed = Vec::new();
    while let Err(m) = matching::check(pv, &claim, delay) {
        match &m {
            Mismatch::AccessModes { .. } => {
                claim.spec.access_modes.clone_from(&pv.spec.access_modes);
            }
            Mismatch::TooSmall { .. } => {
                claim.spec.resources.requests.clone_from(&pv.spec.capacity);
            }
            Mismatch::VolumeMode { volume, .. } => claim.spec.volume_mode = Some(volume.clone()),
            Mismatch::AttributesClass { volume, .. } => {
                claim.spec.volume_attributes_class_name = Some(volume.clone());
            }
            Mismatch::Selector { .. } => claim.spec.selector = None,
            Mismatch::Class { volume, .. } => {
                claim.metadata.annotations.remove(volume::ANN_BETA_CLASS);
                claim.spec.storage_class_name = Some(volume.clone());
            }
            // Another claim's volume is never this claim's to take; a
            // Released one is, once its old claimRef goes.
            Mismatch::ClaimedBy { released: None, .. } => return Vec::new(),
            Mismatch::ClaimedBy { .. }
            | Mismatch::BeingDeleted
            | Mismatch::WaitForFirstConsumer
            | Mismatch::Phase(_) => {
                return if needed.is_empty() {
                    vec![m]
                } else {
                    Vec::new()
                };
            }
        }
        needed.push(m);
    }
    needed
}

fn fix_for(pv: &PersistentVolume, pvc: &PersistentVolumeClaim, m: &Mismatch) -> String {
    let name = &pv.metadata.name;
    match m {
        Mismatch::AccessModes { lacks, .. } => format!(
            "Volume {name} lacks {lacks}: ask for access modes it offers, or provide a volume that offers {lacks}."
        ),
        Mismatch::ClaimedBy {
            released: Some(_),
            claim,
            ..
        } => format!(
            "Volume {name} still holds the data of {claim}. If that data may be reused, remove spec.claimRef from it (kubectl patch pv {name} --type json -p '[{{\"op\":\"remove\",\"path\":\"/spec/claimRef\"}}]') and it becomes Available."
        ),
        Mismatch::ClaimedBy { claim, .. } => format!("Volume {name} belongs to {claim}."),
        Mismatch::TooSmall { capacity, .. } => format!(
            "The nearest volume, {name}, holds {capacity}: request at most {capacity}, or provide a larger volume."
        ),
        Mismatch::VolumeMode { volume, .. } => {
            format!(
                "Volume {name} is a {volume} volume: set spec.volumeMode: {volume} on the claim if the pod can use it."
            )
        }
        Mismatch::Selector { .. } => format!(
            "Volume {name} would fit but lacks the labels the claim selects: label it, or change spec.selector."
        ),
        Mismatch::Class { volume, .. } => {
            let class = if volume.is_empty() {
                "\"\"".to_owned()
            } else {
                volume.clone()
            };
            if claim_has_class(pvc) {
                format!(
                    "Volume {name} has class {class:?}: set the claim's storageClassName to {class} to bind it."
                )
            } else {
                format!(
                    "Volume {name} has class {class}; the claim names none. Set storageClassName: {class} on the claim."
                )
            }
        }
        Mismatch::AttributesClass { volume, .. } => {
            format!(
                "Volume {name} has volumeAttributesClassName {volume:?}: ask for the same on the claim."
            )
        }
        Mismatch::BeingDeleted => format!("Volume {name} is being deleted."),
        Mismatch::WaitForFirstConsumer => {
            "Create a pod that uses the claim: the scheduler then picks a node and a volume.".into()
        }
        Mismatch::Phase(phase) => format!("Volume {name} is {phase}; only Available volumes bind."),
    }
}

/// Volumes that would serve the claim but belong to other claims: name
/// those claims, and say how to release a volume whose claim is gone.
fn held_by_others(sim: &Sim, pvc: &PersistentVolumeClaim, delay: bool, out: &mut ClaimExplanation) {
    let mut held = Vec::new();
    for pv in volumes(sim) {
        let Err(Mismatch::ClaimedBy {
            claim,
            released: None,
            bound,
        }) = matching::check(pv, pvc, delay)
        else {
            continue;
        };
        let mut free = pv.clone();
        free.spec.claim_ref = None;
        "Available".clone_into(&mut free.status.phase);
        if matching::check(&free, pvc, delay).is_err() {
            continue;
        }
        let (ns, name) = claim.split_once('/').unwrap_or(("", &claim));
        if !bound && sim.store().pvc(ns, name).is_none() {
            out.fixes.push(format!(
                "Volume {v} would fit but is reserved for {claim}, which does not exist. If no such claim is coming, release the volume: kubectl patch pv {v} --type json -p '[{{\"op\":\"remove\",\"path\":\"/spec/claimRef\"}}]'",
                v = pv.metadata.name
            ));
        } else {
            let how = if bound { "bound to" } else { "reserved for" };
            held.push(format!("{} ({how} {claim})", pv.metadata.name));
        }
    }
    match held.len() {
        0 => {}
        1 => out.fixes.push(format!(
            "The only volume that would fit, {}, belongs to another claim and is not this claim's to take: provide another volume, or let a StorageClass provision one.",
            held[0]
        )),
        _ => out.fixes.push(format!(
            "The volumes that would fit belong to other claims and are not this claim's to take: {}. Provide another volume, or let a StorageClass provision one.",
            held.join(", ")
        )),
    }
}

fn explain_pre_bound(
    sim: &Sim,
    pvc: &PersistentVolumeClaim,
    volume: &str,
    out: &mut ClaimExplanation,
) {
    let Some(pv) = sim.store().pv(volume) else {
        out.summary = format!(
            "Pending: the claim asks for volume {volume} by name (spec.volumeName), and no such volume exists."
        );
        out.fixes.push(format!(
            "Create PersistentVolume {volume}, or remove spec.volumeName from the claim."
        ));
        return;
    };
    if let Some(r) = &pv.spec.claim_ref
        && !is_bound_to(pv, pvc)
    {
        out.summary = format!(
            "Pending: the claim asks for volume {volume} by name, but that volume is bound to {}/{}.",
            r.namespace, r.name
        );
        out.fixes.push(format!("Choose another volume, or free {volume} (remove its spec.claimRef once its data may be reused)."));
        return;
    }
    let verdict = matching::check(pv, pvc, false);
    out.candidates.push(Candidate {
        volume: volume.to_owned(),
        excluded_by: verdict.err().map(|m| m.to_string()),
    });
    out.summary = format!(
        "Pending: the claim asks for volume {volume} by name (spec.volumeName); the controller checks only size, class, volumeMode and access modes for it."
    );
}

fn provisioning(sim: &Sim, pvc: &PersistentVolumeClaim, delay: bool, out: &mut ClaimExplanation) {
    use std::fmt::Write as _;
    let store = sim.store();
    let class = claim_class(pvc);
    if class.is_empty() {
        if claim_has_class(pvc) {
            out.provisioning = "None: storageClassName is \"\", which asks for a volume without a class; such a claim is never provisioned.".into();
        } else {
            out.provisioning =
                "None: the claim names no StorageClass and the cluster has no default one.".into();
            out.fixes.push("Name a StorageClass in spec.storageClassName, or mark one default (storageclass.kubernetes.io/is-default-class: \"true\"); the claim then gets it at the next resync.".into());
        }
        return;
    }
    let Some(sc) = store.class(class) else {
        let names: Vec<String> = store
            .list("StorageClass")
            .map(|o| o.metadata().name.clone())
            .collect();
        out.provisioning = format!("Fails: StorageClass {class:?} does not exist.");
        out.fixes.push(if names.is_empty() {
            format!("Create StorageClass {class:?}.")
        } else {
            format!(
                "Create StorageClass {class:?}, or use one that exists: {}.",
                names.join(", ")
            )
        });
        return;
    };
    let provisioner = sc.provisioner.as_str();
    if delay && !pvc.metadata.annotations.contains_key(ANN_SELECTED_NODE) {
        out.provisioning = format!(
            "Waiting: class {class} binds on first consumer (WaitForFirstConsumer); nothing is bound or provisioned until a pod that uses the claim is scheduled."
        );
        if provisioner == NO_PROVISIONER {
            out.provisioning.push_str(" Its provisioner is kubernetes.io/no-provisioner, so only a pre-made volume of the class can serve it.");
        }
        let pinned = store.list("Pod").find_map(|o| match o {
            Object::Pod(p)
                if p.metadata.namespace == pvc.metadata.namespace
                    && !p.spec.node_name.is_empty()
                    && pod::pod_claims(p)
                        .iter()
                        .any(|(c, _)| *c == pvc.metadata.name) =>
            {
                Some(p)
            }
            _ => None,
        });
        if let Some(p) = pinned {
            let _ = write!(
                out.provisioning,
                " Pod {} uses it but sets spec.nodeName, so the scheduler never sees that pod and the claim waits for ever.",
                p.metadata.name
            );
            out.fixes.push(format!(
                "Replace spec.nodeName: {node} in pod {pod} with a nodeSelector (kubernetes.io/hostname: {node}).",
                node = p.spec.node_name,
                pod = p.metadata.name
            ));
        }
        return;
    }
    if provisioner == NO_PROVISIONER {
        out.provisioning = format!(
            "None: class {class} uses kubernetes.io/no-provisioner, which cannot create volumes; only pre-made volumes of the class can bind."
        );
        out.fixes.push(format!(
            "Create a PersistentVolume of class {class} that fits the claim."
        ));
        return;
    }
    if provisioner == HOST_PATH_PROVISIONER {
        out.provisioning = format!("In-tree: kubernetes.io/host-path provisions class {class}.");
        return;
    }
    let external = backends::migrated(provisioner).unwrap_or(provisioner);
    if provisioner.starts_with("kubernetes.io/") && backends::migrated(provisioner).is_none() {
        out.provisioning = format!("Fails: no in-tree volume plugin is named {provisioner}.");
        return;
    }
    let last_failure = sim
        .events()
        .records()
        .iter()
        .rev()
        .find(|e| {
            e.reason == "ProvisioningFailed"
                && e.involved.name == pvc.metadata.name
                && e.involved.namespace == pvc.metadata.namespace
        })
        .map(|e| e.message.clone());
    out.provisioning = match (backends::find(external), last_failure) {
        (None, _) => {
            out.fixes.push(format!("Check the provisioner name in StorageClass {class}: nothing in this cluster answers to {external:?} (pvsim runs {}).", backends::CATALOG.iter().map(|d| d.name).collect::<Vec<_>>().join(", ")));
            format!(
                "Waiting: the external provisioner {external:?} is not running in this cluster, so the claim waits with ExternalProvisioning forever."
            )
        }
        (Some(_), Some(failure)) => format!("Fails: {external} answered: {failure}"),
        (Some(_), None) => format!("External: {external} provisions class {class}."),
    };
}

impl ClaimExplanation {
    /// The explanation as plain text.
    pub fn text(&self) -> String {
        use std::fmt::Write as _;
        let mut s = format!(
            "PersistentVolumeClaim {}/{} is {}.\nAsks for: {}\n{}\n",
            self.namespace, self.name, self.phase, self.asks_for, self.summary
        );
        if !self.candidates.is_empty() {
            let width = self
                .candidates
                .iter()
                .map(|c| c.volume.len())
                .max()
                .unwrap_or(0);
            let _ = writeln!(s, "\nVolumes considered ({}):", self.candidates.len());
            for c in &self.candidates {
                let verdict = c.excluded_by.as_deref().unwrap_or("matches");
                let _ = writeln!(s, "  {:<width$}   {verdict}", c.volume);
            }
        }
        if !self.provisioning.is_empty() {
            let _ = writeln!(s, "\nProvisioning: {}", self.provisioning);
        }
        for fix in &self.fixes {
            let _ = writeln!(s, "\nFix: {fix}");
        }
        s
    }
}

/// The explanation of one pod.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodExplanation {
    pub namespace: String,
    pub name: String,
    /// As `kubectl get pods` shows it (Pending, ContainerCreating, Running, Terminating).
    pub status: String,
    pub node: String,
    pub summary: String,
    /// For a pod not yet scheduled: each node and the filters that reject it.
    pub nodes: Vec<NodeVerdict>,
    /// For a scheduled pod that does not run: each volume and what it waits for.
    pub volumes: Vec<VolumeWait>,
    pub fixes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeVerdict {
    pub node: String,
    /// Empty when the node would do.
    pub rejected_by: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeWait {
    pub volume: String,
    pub waiting_for: String,
}

/// Explains a pod after the simulation has run: why it is Pending, stuck
/// in ContainerCreating, or Terminating.
pub fn pod(sim: &Sim, namespace: &str, name: &str) -> Result<PodExplanation, String> {
    use crate::controllers::scheduler::{self, Verdict};
    use crate::sim::clock::timestamp;
    use crate::sim::store::ObjKey;
    let Some(Object::Pod(pod)) = sim.store().get(&ObjKey::new("Pod", namespace, name)) else {
        return Err(format!(
            "pods {name:?} not found in namespace {namespace:?}"
        ));
    };
    let ctx = sim.ctx();
    let mut out = PodExplanation {
        namespace: namespace.into(),
        name: name.into(),
        status: crate::print::pod_status(pod),
        node: pod.spec.node_name.clone(),
        summary: String::new(),
        nodes: Vec::new(),
        volumes: Vec::new(),
        fixes: Vec::new(),
    };
    let node = match sim
        .store()
        .get(&ObjKey::new("Node", "", &pod.spec.node_name))
    {
        Some(Object::Node(n)) => Some(n),
        _ => None,
    };
    let node_up = node.is_some_and(|n| {
        node::node_ready(n) && !sim.ops().nodes_down.contains_key(&n.metadata.name)
    });
    if pod.metadata.deletion_timestamp.is_some() {
        out.summary = if node_up {
            "Terminating: its kubelet stops the containers and removes the pod when the grace period ends.".into()
        } else {
            "Terminating on a node that is down: no kubelet can confirm the deletion, so the pod stays until the node returns, is deleted, or gets the node.kubernetes.io/out-of-service taint.".into()
        };
        if !node_up {
            out.fixes.push(format!(
                "If {} is really gone, taint it out of service (kubectl taint nodes {} node.kubernetes.io/out-of-service=nodeshutdown:NoExecute) or delete the Node.",
                pod.spec.node_name, pod.spec.node_name
            ));
        }
        return Ok(out);
    }
    if pod.status.phase == "Running" {
        out.summary = format!("Running on {}.", pod.spec.node_name);
        return Ok(out);
    }
    if pod.spec.node_name.is_empty() {
        let total = sim.store().list("Node").count();
        match scheduler::evaluate(&ctx, pod) {
            Verdict::PreFilter(message) => {
                out.summary = format!(
                    "Pending: the scheduler rejects it before looking at nodes: {message}."
                );
                for (claim, _) in pod::pod_claims(pod) {
                    if let Ok(c) = self::claim(sim, namespace, &claim)
                        && c.phase != "Bound"
                    {
                        out.fixes.push(format!(
                            "Claim {claim} is {}: {} (pvsim explain pvc/{claim})",
                            c.phase, c.summary
                        ));
                    }
                }
            }
            Verdict::Filter(rejections) => {
                let verdict = Verdict::Filter(rejections.clone());
                out.summary = format!("Pending: {}", scheduler::fit_message(total, &verdict));
                out.nodes = rejections
                    .iter()
                    .map(|r| NodeVerdict {
                        node: r.node.clone(),
                        rejected_by: r.reasons.clone(),
                    })
                    .collect();
                if rejections.iter().any(|r| {
                    r.reasons
                        .iter()
                        .any(|x| x.contains("PersistentVolume's node affinity"))
                }) {
                    out.fixes.push("Its volume can only be used from the nodes its node affinity names (a zone or a node): bring such a node back, or restore the data into a new volume where the pod can run.".into());
                }
            }
            Verdict::Feasible(nodes) => {
                out.summary = "Pending: nodes can take it; the scheduler is placing it (or waiting for its volumes to bind).".into();
                out.nodes = nodes
                    .iter()
                    .map(|(n, _)| NodeVerdict {
                        node: n.clone(),
                        rejected_by: Vec::new(),
                    })
                    .collect();
            }
        }
        return Ok(out);
    }
    let Some(node) = node else {
        out.summary = format!(
            "Pending on node {}, which does not exist.",
            pod.spec.node_name
        );
        return Ok(out);
    };
    if !node_up {
        out.summary = format!(
            "{}: its node {} is down, so its kubelet does nothing.",
            out.status, node.metadata.name
        );
        return Ok(out);
    }
    for (volume, blocker) in crate::controllers::kubelet::blockers(&ctx, pod, node) {
        use crate::controllers::kubelet::Blocker;
        let waiting_for = match blocker {
            Blocker::Rwop(pv) => format!(
                "volume {pv} (ReadWriteOncePod) to be released by the other pod on this node"
            ),
            Blocker::Attach(pv) => attach_wait(sim, pod, node, &pv, &mut out.fixes),
            Blocker::Claim(c) => claim_wait(sim, pod, &c, &mut out.fixes),
        };
        out.volumes.push(VolumeWait {
            volume,
            waiting_for,
        });
    }
    out.summary = if out.volumes.is_empty() {
        format!(
            "{} on {}: its volumes are ready; the containers start next.",
            out.status, node.metadata.name
        )
    } else {
        format!(
            "{} on {}: waiting for {}.",
            out.status,
            node.metadata.name,
            match out.volumes.len() {
                1 => "1 volume".to_owned(),
                n => format!("{n} volumes"),
            }
        )
    };
    if let Some(due) = crate::controllers::kubelet::mount_deadline(sim.ops(), pod) {
        out.fixes.push(format!(
            "The kubelet reports FailedMount every 2m3s while it waits (next at {}).",
            timestamp(due)
        ));
    }
    Ok(out)
}

/// What a volume that must first leave another node waits for: the pod
/// that holds it there, and whether (and when) that ends.
fn attach_wait(
    sim: &Sim,
    pod: &crate::model::Pod,
    node: &crate::model::Node,
    pv: &str,
    fixes: &mut Vec<String>,
) -> String {
    use std::fmt::Write as _;

    use crate::controllers::attach_detach::{FORCE_DETACH_AFTER, attachments};
    use crate::sim::clock::{human, timestamp};
    let ctx = sim.ctx();
    let others: Vec<String> = attachments(&ctx, pv)
        .iter()
        .map(|va| va.spec.node_name.clone())
        .filter(|n| *n != node.metadata.name)
        .collect();
    if others.is_empty() {
        return format!("volume {pv} to be attached to {}", node.metadata.name);
    }
    let mut text = format!(
        "volume {pv} to be detached from {} first (Multi-Attach)",
        others.join(", ")
    );
    for other in &others {
        let holders = holders_on(sim, pv, other);
        let names: Vec<&str> = holders.iter().map(|p| p.metadata.name.as_str()).collect();
        let other_up = matches!(sim.store().get(&node::node_key(other)),
            Some(Object::Node(n)) if node::node_ready(n))
            && !sim.ops().nodes_down.contains_key(other);
        let held = match names.as_slice() {
            [] => format!("; no pod on {other} uses it any more"),
            [one] => format!("; pod {one} holds it on {other}"),
            many => format!("; pods {} hold it on {other}", many.join(", ")),
        };
        text.push_str(&held);
        if let Some(since) = sim
            .ops()
            .detach_requested
            .get(&(pv.to_owned(), other.clone()))
        {
            let due = since + FORCE_DETACH_AFTER;
            let _ = write!(
                text,
                "; {other} is not Ready, so the volume is force-detached at {} (in {})",
                timestamp(due),
                human(due.saturating_sub(sim.now()))
            );
            fixes.push(format!(
                "To detach at once, taint {other} out of service if it is really gone: kubectl taint nodes {other} node.kubernetes.io/out-of-service=nodeshutdown:NoExecute"
            ));
        } else if !other_up {
            let _ = write!(
                text,
                "; {other} is down: once its pods are evicted (after their 300 s toleration of the unreachable taint), the volume is force-detached 6 minutes later"
            );
            fixes.push(format!(
                "To detach sooner, taint {other} out of service if it is really gone: kubectl taint nodes {other} node.kubernetes.io/out-of-service=nodeshutdown:NoExecute"
            ));
        } else if holders
            .iter()
            .all(|p| p.metadata.deletion_timestamp.is_some())
            && !holders.is_empty()
        {
            text.push_str(
                "; it is terminating, so the volume detaches once its containers stop and the kubelet unmounts it",
            );
        } else if let Some(deployment) = rolling_update_of(sim, pod, &holders) {
            let _ = write!(
                text,
                "; this never ends: Deployment {deployment} rolls out with RollingUpdate, which keeps the old pod until this new one is ready, and this one cannot start without the volume"
            );
            fixes.push(format!(
                "Set strategy: {{type: Recreate}} on Deployment {deployment}, so the old pod goes before the new one starts, or use a ReadWriteMany StorageClass so both can mount the volume."
            ));
        } else if !holders.is_empty() {
            text.push_str(
                "; this lasts as long as it runs there: a ReadWriteOnce volume attaches to one node at a time",
            );
            fixes.push(
                "Keep the pods that share a ReadWriteOnce claim on one node (pod affinity), give each its own claim (a StatefulSet's volumeClaimTemplates), or use a ReadWriteMany StorageClass.".into(),
            );
        }
    }
    text
}

/// The pods on a node whose claims name a volume.
fn holders_on<'a>(sim: &'a Sim, pv: &str, node_name: &str) -> Vec<&'a crate::model::Pod> {
    sim.store()
        .list("Pod")
        .filter_map(|o| match o {
            Object::Pod(p)
                if p.spec.node_name == node_name
                    && !pod::is_terminal(p)
                    && pod::pod_claims(p).iter().any(|(c, _)| {
                        sim.store()
                            .pvc(&p.metadata.namespace, c)
                            .and_then(|pvc| pvc.spec.volume_name.as_deref())
                            == Some(pv)
                    }) =>
            {
                Some(p)
            }
            _ => None,
        })
        .collect()
}

/// The Deployment that is rolling `pod` out with RollingUpdate while it
/// keeps one of `holders` (a pod of an older ReplicaSet), if any.
fn rolling_update_of(
    sim: &Sim,
    pod: &crate::model::Pod,
    holders: &[&crate::model::Pod],
) -> Option<String> {
    use crate::sim::store::ObjKey;
    let deployment_of = |p: &crate::model::Pod| {
        let rs = pod::controller_of(&p.metadata).filter(|o| o.kind == "ReplicaSet")?;
        let Some(Object::ReplicaSet(rs)) =
            sim.store()
                .get(&ObjKey::new("ReplicaSet", &p.metadata.namespace, &rs.name))
        else {
            return None;
        };
        let d = pod::controller_of(&rs.metadata).filter(|o| o.kind == "Deployment")?;
        Some((d.name.clone(), rs.metadata.name.clone()))
    };
    let (deployment, rs) = deployment_of(pod)?;
    let Some(Object::Deployment(d)) = sim.store().get(&ObjKey::new(
        "Deployment",
        &pod.metadata.namespace,
        &deployment,
    )) else {
        return None;
    };
    let rolling = d
        .spec
        .strategy
        .as_ref()
        .is_none_or(|s| s.type_ != "Recreate");
    let old_holder = holders
        .iter()
        .any(|h| deployment_of(h).is_some_and(|(dd, hrs)| dd == deployment && hrs != rs));
    (rolling && old_holder).then_some(deployment)
}

/// What a claim that is not bound yet means for a pod on a node.
fn claim_wait(sim: &Sim, pod: &crate::model::Pod, claim: &str, fixes: &mut Vec<String>) -> String {
    let Some(pvc) = sim.store().pvc(&pod.metadata.namespace, claim) else {
        return format!("claim {claim}, which does not exist");
    };
    let late = volume::delay_binding(sim.store(), pvc)
        && !pvc.metadata.annotations.contains_key(ANN_SELECTED_NODE);
    if late {
        fixes.push(format!(
            "Replace spec.nodeName: {node} with a nodeSelector (kubernetes.io/hostname: {node}): the scheduler then places the pod there and the claim is bound or provisioned for that node.",
            node = pod.spec.node_name
        ));
        return format!(
            "claim {claim} to be bound, which never happens: its class {:?} binds on first consumer, but this pod sets spec.nodeName, so the scheduler never sees it and never selects a node for the claim",
            claim_class(pvc)
        );
    }
    format!("claim {claim} to be bound")
}

impl PodExplanation {
    pub fn text(&self) -> String {
        use std::fmt::Write as _;
        let mut s = format!(
            "Pod {}/{} is {}.\n{}\n",
            self.namespace, self.name, self.status, self.summary
        );
        if !self.nodes.is_empty() {
            let width = self.nodes.iter().map(|n| n.node.len()).max().unwrap_or(0);
            let _ = writeln!(s, "\nNodes ({}):", self.nodes.len());
            for n in &self.nodes {
                let verdict = if n.rejected_by.is_empty() {
                    "fits".to_owned()
                } else {
                    n.rejected_by.join("; ")
                };
                let _ = writeln!(s, "  {:<width$}   {verdict}", n.node);
            }
        }
        if !self.volumes.is_empty() {
            let width = self
                .volumes
                .iter()
                .map(|v| v.volume.len())
                .max()
                .unwrap_or(0);
            let _ = writeln!(s, "\nVolumes:");
            for v in &self.volumes {
                let _ = writeln!(s, "  {:<width$}   waiting for {}", v.volume, v.waiting_for);
            }
        }
        for fix in &self.fixes {
            let _ = writeln!(s, "\nNote: {fix}");
        }
        s
    }
}

/// One thing that is not as it should be: a claim that is not Bound, or a
/// pod that is not Running.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind")]
pub enum Problem {
    PersistentVolumeClaim(ClaimExplanation),
    Pod(PodExplanation),
}

impl Problem {
    pub fn text(&self) -> String {
        match self {
            Problem::PersistentVolumeClaim(c) => c.text(),
            Problem::Pod(p) => p.text(),
        }
    }
}

/// Every claim that is not Bound and every pod that is not Running (and
/// not finished), most blocking first: a claim before the pods that wait
/// for it, ordered by how many pods wait for it; then pods.
pub fn problems(sim: &Sim) -> Vec<Problem> {
    let store = sim.store();
    let pods: Vec<&crate::model::Pod> = store
        .list("Pod")
        .filter_map(|o| match o {
            Object::Pod(p) if !pod::is_terminal(p) => Some(p),
            _ => None,
        })
        .collect();
    let mut ranked: Vec<(usize, u8, Problem)> = Vec::new();
    for o in store.list("PersistentVolumeClaim") {
        let Object::PersistentVolumeClaim(pvc) = o else {
            continue;
        };
        if pvc.status.phase == "Bound" {
            continue;
        }
        let waiting = pods
            .iter()
            .filter(|p| {
                p.metadata.namespace == pvc.metadata.namespace
                    && pod::pod_claims(p)
                        .iter()
                        .any(|(c, _)| *c == pvc.metadata.name)
            })
            .count();
        if let Ok(e) = claim(sim, &pvc.metadata.namespace, &pvc.metadata.name) {
            ranked.push((waiting + 1, 0, Problem::PersistentVolumeClaim(e)));
        }
    }
    for p in &pods {
        if p.status.phase == "Running" && p.metadata.deletion_timestamp.is_none() {
            continue;
        }
        if let Ok(e) = pod(sim, &p.metadata.namespace, &p.metadata.name) {
            ranked.push((1, 1, Problem::Pod(e)));
        }
    }
    // Stable: within a rank, the store's order (namespace, name).
    crate::sort::by(&mut ranked, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().map(|(_, _, p)| p).collect()
}

/// The problems as text, one paragraph each, or a sentence saying there
/// are none.
pub fn problems_text(problems: &[Problem]) -> String {
    if problems.is_empty() {
        return "Every claim is Bound and every pod is Running.\n".into();
    }
    problems
        .iter()
        .map(Problem::text)
        .collect::<Vec<_>>()
        .join("\n")
}
