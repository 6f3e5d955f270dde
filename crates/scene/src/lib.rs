//! What pvsim's picture shows at one step of a simulation, as plain data.
//!
//! [`Scene::build`] reads the simulation as it stands (its objects, the
//! controllers' memory, the backends and the files) and says what to draw:
//! the control plane with the controller that just acted, zones holding
//! nodes holding pods, a tray for pods not yet scheduled, claims and
//! volumes, the storage they live on, the links between them, the files
//! pods wrote where they really live, and the figures that make the case
//! for dynamic provisioning. Views render a scene and compute nothing of
//! their own; no Kubernetes rule lives outside the engine and this crate.
//!
//! Every element carries a stable identity (an object's uid, a backend's
//! or a file's place) and a slot inside its container from [`Slots`],
//! which the caller carries from one step's scene to the next, so that
//! nothing jumps: see `slots.rs`.
//!
//! Simplifications: a deleted node disappears from the picture (its state
//! before deletion is in the earlier steps); a hostPath volume belongs to
//! no node until a pod writes to it, and its files then show on the node's
//! own disk.

pub mod edit;
mod gloss;
mod layout;
mod observer;
pub mod protocol;
mod slots;
mod timeline;

use std::collections::{BTreeMap, BTreeSet};

use pvsim_engine::cluster::backends::{self, Family, HOSTNAME_LABEL, ZONE_LABEL};
use pvsim_engine::cluster::data;
use pvsim_engine::model::{Node, PersistentVolume, Pod};
use pvsim_engine::objects::{node, pod, volume};
use pvsim_engine::sim::Sim;
use pvsim_engine::sim::clock::human;
use pvsim_engine::sim::store::ObjKey;
use pvsim_engine::{Object, binary_quantity};
use serde::{Deserialize, Serialize};

pub use layout::{CARD_ROWS, Fold, Folded, Layout, POD_ROWS, Rect, TRAY_ROWS};
pub use slots::Slots;
pub use timeline::{
    CHECKPOINT_EVERY, EventLine, Replay, StepInfo, Timeline, Wait, next_settled, previous_settled,
};

/// The control plane's components, in the order the picture draws them:
/// (component name as events report it, label).
pub const CONTROLLERS: &[(&str, &str)] = &[
    ("kubectl", "you (kubectl)"),
    ("persistentvolume-controller", "PV controller"),
    ("external-provisioner", "external provisioner"),
    ("external-resizer", "external resizer"),
    ("default-scheduler", "scheduler"),
    ("attachdetach-controller", "attach/detach controller"),
    ("external-attacher", "external attacher"),
    ("kubelet", "kubelet"),
    ("node-controller", "node lifecycle"),
    ("workloads", "workload controllers"),
];

/// The components the picture draws in one slot: the workload controllers
/// and the protection controllers share theirs.
fn controller_slot(component: &str) -> &'static str {
    match component {
        "deployment-controller"
        | "replicaset-controller"
        | "statefulset-controller"
        | "ephemeral-volume-controller"
        | "garbage-collector" => "workloads",
        "pvc-protection-controller" | "pv-protection-controller" => "persistentvolume-controller",
        "taint-eviction-controller" => "node-controller",
        other => CONTROLLERS
            .iter()
            .find(|(name, _)| *name == other)
            .map_or("kubectl", |(name, _)| name),
    }
}

/// Everything the picture shows at one step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Scene {
    /// Simulated time in milliseconds, and as kubectl writes ages.
    pub at: u64,
    pub clock: String,
    /// How many steps the simulation has recorded.
    pub step: usize,
    pub controllers: Vec<ControllerSlot>,
    /// What the last step did, if it happened now.
    pub acting: Option<Acting>,
    pub zones: Vec<Zone>,
    /// Pods not scheduled yet.
    pub tray: Vec<PodTile>,
    pub claims: Vec<ClaimCard>,
    pub volumes: Vec<VolumeCard>,
    pub storage: Vec<Backend>,
    pub links: Vec<Link>,
    pub files: Vec<FileMark>,
    pub figures: Figures,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ControllerSlot {
    pub name: String,
    pub label: String,
    pub acting: bool,
}

/// The step that just happened: who acted, on what, and the first event
/// it recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Acting {
    /// The controller's slot ([`CONTROLLERS`]) and its own component name.
    pub slot: String,
    pub component: String,
    /// `persistentvolumeclaim/default/data`.
    pub object: String,
    /// The element acted on, when the picture draws it.
    pub target: Option<String>,
    /// `ProvisioningSucceeded: Successfully provisioned volume pvc-…`.
    pub event: Option<String>,
    pub warning: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Zone {
    /// The zone label's value; empty for nodes without one.
    pub name: String,
    pub slot: u32,
    pub nodes: Vec<NodeBox>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeBox {
    pub id: String,
    pub name: String,
    pub slot: u32,
    /// `Ready` or `NotReady`, as `kubectl get nodes` says (a Ready
    /// condition of False or Unknown is NotReady).
    pub state: String,
    /// Whether its kubelet has stopped (a failed node, before and after
    /// the control plane notices).
    pub kubelet_stopped: bool,
    pub cordoned: bool,
    pub out_of_service: bool,
    /// Volumes attached, against the node's attach limit when it has one.
    pub attached: u32,
    pub attach_limit: Option<u32>,
    pub pods: Vec<PodTile>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodTile {
    pub id: String,
    pub namespace: String,
    pub name: String,
    pub slot: u32,
    /// The STATUS column of `kubectl get pods`.
    pub status: String,
    /// Being deleted (drawn leaving).
    pub leaving: bool,
    /// Why it waits: the last warning it got (FailedScheduling,
    /// FailedAttachVolume, FailedMount), while it does not run.
    pub waiting: Option<String>,
    /// Where its containers mount volumes (`/data`): where a person may
    /// write a file.
    pub mounts: Vec<String>,
    /// The Deployment or StatefulSet that owns it, to scale.
    pub workload: Option<Workload>,
}

/// A Deployment or StatefulSet, as a scale step names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Workload {
    /// `Deployment/default/web`.
    pub target: String,
    pub replicas: i32,
}

/// The workload that controls a pod: its StatefulSet, or its ReplicaSet's
/// Deployment.
fn workload_of(store: &pvsim_engine::sim::store::Store, p: &Pod) -> Option<Workload> {
    let ns = &p.metadata.namespace;
    let owner = |meta: &pvsim_engine::model::ObjectMeta| {
        meta.owner_references
            .iter()
            .find(|o| o.controller == Some(true))
            .map(|o| (o.kind.clone(), o.name.clone()))
    };
    let (mut kind, mut name) = owner(&p.metadata)?;
    if kind == "ReplicaSet"
        && let Some(Object::ReplicaSet(rs)) = store.get(&ObjKey::new("ReplicaSet", ns, &name))
    {
        (kind, name) = owner(&rs.metadata)?;
    }
    let replicas = match kind.as_str() {
        "Deployment" => match store.get(&ObjKey::new("Deployment", ns, &name)) {
            Some(Object::Deployment(d)) => d.spec.replicas.unwrap_or(1),
            _ => return None,
        },
        "StatefulSet" => match store.get(&ObjKey::new("StatefulSet", ns, &name)) {
            Some(Object::StatefulSet(s)) => s.spec.replicas.unwrap_or(1),
            _ => return None,
        },
        _ => return None,
    };
    Some(Workload {
        target: format!("{kind}/{ns}/{name}"),
        replicas,
    })
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimCard {
    pub id: String,
    pub namespace: String,
    pub name: String,
    pub slot: u32,
    pub phase: String,
    pub class: String,
    pub size: String,
    pub access_modes: Vec<String>,
    /// The bound volume's element id.
    pub volume: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeCard {
    pub id: String,
    pub name: String,
    /// Its slot on its backend.
    pub slot: u32,
    pub phase: String,
    pub class: String,
    pub capacity: String,
    pub access_modes: Vec<String>,
    pub reclaim_policy: String,
    /// The backend element it lives on.
    pub backend: String,
    /// The claim element it is bound to.
    pub claim: Option<String>,
}

/// What a volume lives on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum BackendKind {
    /// Zonal block disks (EBS, PD, Azure Disk, the generic disk) of a zone.
    DiskPool { zone: String },
    /// A file share every zone reaches (EFS, Filestore, Azure Files, NFS).
    FileShare,
    /// Disks inside one node (local-path, hostpath CSI, `local` volumes).
    NodeDisk { node: String },
    /// `hostPath` volumes: a directory on whichever node the pod runs.
    HostPath,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Backend {
    pub id: String,
    pub label: String,
    pub slot: u32,
    pub kind: BackendKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LinkKind {
    /// Pod → claim: the pod mounts the claim.
    Mount,
    /// Claim → volume: bound (solid) or one side only (pending).
    Binding,
    /// Volume → node: a VolumeAttachment.
    Attachment,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Link {
    pub kind: LinkKind,
    pub from: String,
    pub to: String,
    /// Mount: `mounted` or `waiting`; Binding: `bound` or `pending`;
    /// Attachment: `attaching`, `attached` or `detaching`.
    pub state: String,
}

/// A file a pod wrote, on the element where it really lives: a volume (a
/// network disk or share), a node (its disk or a host directory), or a
/// pod (an emptyDir, gone with the pod).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileMark {
    pub id: String,
    pub path: String,
    pub content: String,
    pub on: String,
    pub slot: u32,
}

/// The storage figures: what was provisioned against what was asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Figures {
    /// Capacity of every volume.
    pub provisioned: String,
    /// Storage every claim requests.
    pub requested: String,
    /// Capacity of volumes no claim holds (Available, Released, Failed).
    pub unclaimed: String,
    /// The unused part of bound volumes larger than their claim's request.
    pub oversized: String,
    /// Unclaimed and oversized together: capacity paid for and not used.
    pub wasted: String,
    /// Released volumes that Retain keeps, and their number.
    pub orphaned: u32,
    /// Claims whose volume is gone.
    pub lost: u32,
    /// Objects a person wrote (the input, a scenario's steps): volumes,
    /// claims, classes, pods, Deployments and StatefulSets.
    pub by_hand: u32,
    /// Volumes and claims the controllers made: provisioned volumes, a
    /// StatefulSet's claims.
    pub by_cluster: u32,
    pub provisioned_bytes: i64,
    pub requested_bytes: i64,
    pub wasted_bytes: i64,
}

fn size(bytes: i128) -> String {
    binary_quantity(bytes).to_string()
}

fn uid_of(sim: &Sim, key: &ObjKey) -> Option<String> {
    sim.store().get(key).map(|o| o.metadata().uid.clone())
}

/// The zone a node is in (its label), or "".
fn zone_of(n: &Node) -> String {
    n.metadata
        .labels
        .get(ZONE_LABEL)
        .cloned()
        .unwrap_or_default()
}

/// The value a volume's node affinity requires for a label, if any.
fn affinity_value(pv: &PersistentVolume, label: &str) -> Option<String> {
    let terms = &pv
        .spec
        .node_affinity
        .as_ref()?
        .required
        .as_ref()?
        .node_selector_terms;
    terms
        .iter()
        .flat_map(|t| &t.match_expressions)
        .find(|e| e.key == label && e.operator == "In")
        .and_then(|e| e.values.first().cloned())
}

/// Where a volume lives.
fn backend_of(sim: &Sim, pv: &PersistentVolume) -> Backend {
    let node_disk = |node: String| Backend {
        id: format!("disk/{node}"),
        label: format!("{node}'s disk"),
        slot: 0,
        kind: BackendKind::NodeDisk { node },
    };
    if let Some(csi) = &pv.spec.csi {
        let on_backend = sim.backends().volume(&csi.volume_handle);
        match backends::find(&csi.driver).map(|d| d.family) {
            Some(Family::FileShare) => {
                return Backend {
                    id: format!("share/{}", csi.driver),
                    label: format!("file share ({})", csi.driver),
                    slot: 0,
                    kind: BackendKind::FileShare,
                };
            }
            Some(Family::NodeLocal) => {
                let node = on_backend
                    .and_then(|v| v.node.clone())
                    .or_else(|| affinity_value(pv, HOSTNAME_LABEL))
                    .unwrap_or_default();
                return node_disk(node);
            }
            _ => {
                let zone = on_backend
                    .and_then(|v| v.zone.clone())
                    .or_else(|| affinity_value(pv, ZONE_LABEL))
                    .unwrap_or_default();
                return Backend {
                    id: format!("pool/{zone}"),
                    label: if zone.is_empty() {
                        "disks".into()
                    } else {
                        format!("disks in {zone}")
                    },
                    slot: 0,
                    kind: BackendKind::DiskPool { zone },
                };
            }
        }
    }
    if let Some(nfs) = &pv.spec.nfs {
        return Backend {
            id: format!("share/nfs/{}", nfs.server),
            label: format!("NFS {}", nfs.server),
            slot: 0,
            kind: BackendKind::FileShare,
        };
    }
    // A `local` volume, or a host directory pinned to one node (as
    // local-path provisions them), lives on that node's disk.
    if let Some(node) = affinity_value(pv, HOSTNAME_LABEL)
        && (pv.spec.local.is_some() || pv.spec.host_path.is_some())
    {
        return node_disk(node);
    }
    Backend {
        id: "hostpath".into(),
        label: "host directories".into(),
        slot: 0,
        kind: BackendKind::HostPath,
    }
}

/// The last warning each pod got, by `namespace/name`.
fn pod_warnings(sim: &Sim) -> BTreeMap<String, String> {
    let mut warnings = BTreeMap::new();
    let mut at: BTreeMap<String, u64> = BTreeMap::new();
    for e in sim.events().records() {
        if e.type_ != "Warning" || e.involved.kind != "Pod" {
            continue;
        }
        let key = format!("{}/{}", e.involved.namespace, e.involved.name);
        if at.get(&key).is_none_or(|t| e.last >= *t) {
            at.insert(key.clone(), e.last);
            warnings.insert(key, format!("{}: {}", e.reason, e.message));
        }
    }
    warnings
}

/// Why a pod waits: its last warning, while it does not run.
fn waiting_reason(warnings: &BTreeMap<String, String>, p: &Pod) -> Option<String> {
    if p.status.phase == "Running" && p.metadata.deletion_timestamp.is_none() {
        return None;
    }
    warnings
        .get(&format!("{}/{}", p.metadata.namespace, p.metadata.name))
        .cloned()
}

fn short_modes(modes: &[String]) -> Vec<String> {
    modes
        .iter()
        .map(|m| volume::short_mode(m).to_owned())
        .collect()
}

impl Scene {
    /// The picture of the simulation as it stands. `slots` carries every
    /// element's place from the previous step's scene (start with
    /// `Slots::default()` and pass the same one at every step).
    pub fn build(sim: &Sim, slots: &mut Slots) -> Scene {
        let store = sim.store();
        let by_age = |kind: &'static str| by_age(sim, kind);
        let mut alive: BTreeSet<String> = BTreeSet::new();
        observe(sim, slots);
        // Volumes and the storage they live on.
        let mut storage: BTreeMap<String, Backend> = BTreeMap::new();
        let mut volumes = Vec::new();
        let mut volume_ids: BTreeMap<String, String> = BTreeMap::new();
        for o in by_age("PersistentVolume") {
            let Object::PersistentVolume(pv) = o else {
                continue;
            };
            let backend = backend_of(sim, pv);
            let id = pv.metadata.uid.clone();
            alive.insert(id.clone());
            volume_ids.insert(pv.metadata.name.clone(), id.clone());
            volumes.push(VolumeCard {
                slot: slots.place(&format!("backend/{}", backend.id), &id),
                id,
                name: pv.metadata.name.clone(),
                phase: pv.status.phase.clone(),
                class: volume::volume_class(pv).to_owned(),
                capacity: pv
                    .spec
                    .capacity
                    .get("storage")
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                access_modes: short_modes(&pv.spec.access_modes),
                reclaim_policy: pv.spec.persistent_volume_reclaim_policy.clone(),
                backend: backend.id.clone(),
                claim: None,
            });
            storage.entry(backend.id.clone()).or_insert(backend);
        }

        let mut volume_at: BTreeMap<String, usize> = BTreeMap::new();
        volume_at.extend(volumes.iter().enumerate().map(|(i, v)| (v.id.clone(), i)));
        // Claims, and the binding between claims and volumes.
        let mut links = Vec::new();
        let mut claims = Vec::new();
        let mut claim_ids: BTreeMap<(String, String), String> = BTreeMap::new();
        for o in by_age("PersistentVolumeClaim") {
            let Object::PersistentVolumeClaim(pvc) = o else {
                continue;
            };
            let id = pvc.metadata.uid.clone();
            alive.insert(id.clone());
            claim_ids.insert(
                (pvc.metadata.namespace.clone(), pvc.metadata.name.clone()),
                id.clone(),
            );
            let volume = pvc
                .spec
                .volume_name
                .as_ref()
                .and_then(|v| volume_ids.get(v))
                .cloned();
            if let Some(v) = &volume {
                let bound = pvc.status.phase == "Bound";
                links.push(Link {
                    kind: LinkKind::Binding,
                    from: id.clone(),
                    to: v.clone(),
                    state: if bound { "bound" } else { "pending" }.to_owned(),
                });
                if let Some(i) = volume_at.get(v) {
                    volumes[*i].claim = Some(id.clone());
                }
            }
            claims.push(ClaimCard {
                slot: slots.place("claims", &id),
                id,
                namespace: pvc.metadata.namespace.clone(),
                name: pvc.metadata.name.clone(),
                phase: pvc.status.phase.clone(),
                class: volume::claim_class(pvc).to_owned(),
                size: pvc
                    .spec
                    .resources
                    .requests
                    .get("storage")
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                access_modes: short_modes(&pvc.spec.access_modes),
                volume,
            });
        }
        // A volume pre-bound to a claim that has not bound back yet.
        for card in &mut volumes {
            if card.claim.is_some() {
                continue;
            }
            let Some(Object::PersistentVolume(pv)) =
                store.get(&ObjKey::new("PersistentVolume", "", &card.name))
            else {
                continue;
            };
            if let Some(r) = &pv.spec.claim_ref
                && let Some(claim) = claim_ids.get(&(r.namespace.clone(), r.name.clone()))
                && (r.uid.is_empty() || r.uid == *claim)
            {
                card.claim = Some(claim.clone());
                if !links.iter().any(|l| l.from == *claim && l.to == card.id) {
                    links.push(Link {
                        kind: LinkKind::Binding,
                        from: claim.clone(),
                        to: card.id.clone(),
                        state: "pending".to_owned(),
                    });
                }
            }
        }

        // Zones and nodes.
        let mut zones: BTreeMap<String, Zone> = BTreeMap::new();
        let mut node_ids: BTreeMap<String, String> = BTreeMap::new();
        for o in by_age("Node") {
            let Object::Node(n) = o else { continue };
            let id = n.metadata.uid.clone();
            alive.insert(id.clone());
            node_ids.insert(n.metadata.name.clone(), id.clone());
            let zone = zone_of(n);
            let zone_id = format!("zone/{zone}");
            alive.insert(zone_id.clone());
            let zone_slot = slots.place("zones", &zone_id);
            let state = if node::node_ready(n) {
                "Ready"
            } else {
                "NotReady"
            };
            let attach_limit = n
                .status
                .allocatable
                .iter()
                .find(|(k, _)| k.starts_with("attachable-volumes-"))
                .and_then(|(_, q)| u32::try_from(q.parsed().value()).ok());
            let node_box = NodeBox {
                slot: slots.place(&zone_id, &id),
                id,
                name: n.metadata.name.clone(),
                state: state.to_owned(),
                kubelet_stopped: sim.ops().nodes_down.contains_key(&n.metadata.name),
                cordoned: n.spec.unschedulable,
                out_of_service: n
                    .spec
                    .taints
                    .iter()
                    .any(|t| t.key == node::OUT_OF_SERVICE_TAINT),
                attached: u32::try_from(n.status.volumes_attached.len()).unwrap_or(u32::MAX),
                attach_limit,
                pods: Vec::new(),
            };
            zones
                .entry(zone.clone())
                .or_insert_with(|| Zone {
                    name: zone,
                    slot: zone_slot,
                    nodes: Vec::new(),
                })
                .nodes
                .push(node_box);
        }

        // Pods: on their node, or in the tray.
        let warnings = pod_warnings(sim);
        let mut tray = Vec::new();
        let mut node_pods: BTreeMap<String, Vec<PodTile>> = BTreeMap::new();
        for o in by_age("Pod") {
            let Object::Pod(p) = o else { continue };
            let id = p.metadata.uid.clone();
            alive.insert(id.clone());
            let node = store
                .get(&ObjKey::new("Node", "", &p.spec.node_name))
                .and_then(|o| match o {
                    Object::Node(n) => Some(n),
                    _ => None,
                });
            let container = match node {
                Some(n) => format!("node/{}", n.metadata.uid),
                None => "tray".into(),
            };
            let tile = PodTile {
                slot: slots.place(&container, &id),
                id: id.clone(),
                namespace: p.metadata.namespace.clone(),
                name: p.metadata.name.clone(),
                status: pvsim_engine::print::pod_status(p),
                leaving: p.metadata.deletion_timestamp.is_some(),
                waiting: waiting_reason(&warnings, p),
                mounts: {
                    let mut paths: Vec<String> = p
                        .spec
                        .containers
                        .iter()
                        .flat_map(|c| c.volume_mounts.iter().map(|m| m.mount_path.clone()))
                        .collect();
                    paths.dedup();
                    paths
                },
                workload: workload_of(store, p),
            };
            let running = p.status.phase == "Running";
            for (claim, _) in pod::pod_claims(p) {
                if let Some(c) = claim_ids.get(&(p.metadata.namespace.clone(), claim)) {
                    links.push(Link {
                        kind: LinkKind::Mount,
                        from: id.clone(),
                        to: c.clone(),
                        state: if running { "mounted" } else { "waiting" }.to_owned(),
                    });
                }
            }
            match node {
                Some(n) => node_pods
                    .entry(n.metadata.name.clone())
                    .or_default()
                    .push(tile),
                None => tray.push(tile),
            }
        }

        // Attachments: volume → node.
        for o in store.list("VolumeAttachment") {
            let Object::VolumeAttachment(va) = o else {
                continue;
            };
            let (Some(v), Some(n)) = (
                va.spec
                    .source
                    .persistent_volume_name
                    .as_ref()
                    .and_then(|v| volume_ids.get(v)),
                node_ids.get(&va.spec.node_name),
            ) else {
                continue;
            };
            let state = if va.metadata.deletion_timestamp.is_some() {
                "detaching"
            } else if va.status.attached {
                "attached"
            } else {
                "attaching"
            };
            links.push(Link {
                kind: LinkKind::Attachment,
                from: v.clone(),
                to: n.clone(),
                state: state.to_owned(),
            });
        }
        pvsim_engine::sort::stable(&mut links);

        // Storage: slots, and node disks for nodes that have files.
        let files = files(sim, &volume_ids, &node_ids, slots, &mut alive);
        let mut storage: Vec<Backend> = storage.into_values().collect();
        for b in &mut storage {
            alive.insert(b.id.clone());
            b.slot = slots.place("storage", &b.id);
        }

        let acting = acting(sim, &mut |key| {
            let uid = uid_of(sim, key)?;
            alive.contains(&uid).then_some(uid)
        });
        let controllers = CONTROLLERS
            .iter()
            .map(|(name, label)| ControllerSlot {
                name: (*name).to_owned(),
                label: (*label).to_owned(),
                acting: acting.as_ref().is_some_and(|a| a.slot == *name),
            })
            .collect();

        let mut zones: Vec<Zone> = zones.into_values().collect();
        pvsim_engine::sort::by_key(&mut zones, |z| z.slot);
        for z in &mut zones {
            pvsim_engine::sort::by_key(&mut z.nodes, |n| n.slot);
            for n in &mut z.nodes {
                n.pods = node_pods.remove(&n.name).unwrap_or_default();
                pvsim_engine::sort::by_key(&mut n.pods, |p| p.slot);
            }
        }
        pvsim_engine::sort::by_key(&mut tray, |p| p.slot);
        pvsim_engine::sort::by_key(&mut claims, |c| c.slot);
        pvsim_engine::sort::by(&mut volumes, |a, b| {
            (&a.backend, a.slot).cmp(&(&b.backend, b.slot))
        });
        pvsim_engine::sort::by_key(&mut storage, |b| b.slot);
        Scene {
            at: sim.now(),
            clock: human(sim.now()),
            step: sim.steps().len(),
            controllers,
            acting,
            zones,
            tray,
            claims,
            volumes,
            storage,
            links,
            files,
            figures: figures(sim),
        }
    }
}

/// Objects of a kind in the order they came, so that new ones take slots
/// in a natural order.
fn by_age<'a>(sim: &'a Sim, kind: &'static str) -> Vec<&'a Object> {
    let mut objects: Vec<&Object> = sim.store().list(kind).collect();
    pvsim_engine::sort::by(&mut objects, |a, b| {
        let (a, b) = (a.metadata(), b.metadata());
        (&a.creation_timestamp, &a.namespace, &a.name).cmp(&(
            &b.creation_timestamp,
            &b.namespace,
            &b.name,
        ))
    });
    objects
}

/// Gives every element of the simulation as it stands its slot, and frees
/// the slots of elements that are gone: what [`Scene::build`] does first,
/// and all a timeline needs at the steps it does not draw.
pub fn observe(sim: &Sim, slots: &mut Slots) {
    let store = sim.store();
    let mut alive: BTreeSet<String> = BTreeSet::new();
    let mut backends: BTreeSet<String> = BTreeSet::new();
    let mut volume_ids: BTreeMap<String, String> = BTreeMap::new();
    for o in by_age(sim, "PersistentVolume") {
        let Object::PersistentVolume(pv) = o else {
            continue;
        };
        let backend = backend_of(sim, pv).id;
        slots.place(&format!("backend/{backend}"), &pv.metadata.uid);
        alive.insert(pv.metadata.uid.clone());
        volume_ids.insert(pv.metadata.name.clone(), pv.metadata.uid.clone());
        backends.insert(backend);
    }
    for o in by_age(sim, "PersistentVolumeClaim") {
        slots.place("claims", &o.metadata().uid);
        alive.insert(o.metadata().uid.clone());
    }
    let mut node_ids: BTreeMap<String, String> = BTreeMap::new();
    for o in by_age(sim, "Node") {
        let Object::Node(n) = o else { continue };
        let zone_id = format!("zone/{}", zone_of(n));
        slots.place("zones", &zone_id);
        slots.place(&zone_id, &n.metadata.uid);
        alive.insert(zone_id);
        alive.insert(n.metadata.uid.clone());
        node_ids.insert(n.metadata.name.clone(), n.metadata.uid.clone());
    }
    for o in by_age(sim, "Pod") {
        let Object::Pod(p) = o else { continue };
        let container = match store.get(&ObjKey::new("Node", "", &p.spec.node_name)) {
            Some(node) => format!("node/{}", node.metadata().uid),
            None => "tray".into(),
        };
        slots.place(&container, &p.metadata.uid);
        alive.insert(p.metadata.uid.clone());
    }
    files(sim, &volume_ids, &node_ids, slots, &mut alive);
    for backend in backends {
        slots.place("storage", &backend);
        alive.insert(backend);
    }
    slots.keep_only(&alive);
}

/// `persistentvolumeclaim/default/data`, `node/node-a`: a step's object.
fn object_name(key: &ObjKey) -> String {
    if key.namespace.is_empty() {
        format!("{}/{}", key.kind.to_lowercase(), key.name)
    } else {
        format!("{}/{}/{}", key.kind.to_lowercase(), key.namespace, key.name)
    }
}

/// The last step, when it happened at this moment.
fn acting(sim: &Sim, target: &mut dyn FnMut(&ObjKey) -> Option<String>) -> Option<Acting> {
    let step = sim.steps().last().filter(|s| s.at == sim.now())?;
    let component = step.controller.component();
    let event = step.events.first().map(|i| &sim.events().records()[*i]);
    Some(Acting {
        slot: controller_slot(component).to_owned(),
        component: component.to_owned(),
        object: object_name(&step.key),
        target: target(&step.key),
        event: event.map(|e| format!("{}: {}", e.reason, e.message)),
        warning: event.is_some_and(|e| e.type_ == "Warning"),
    })
}

/// Files on the element where they live.
fn files(
    sim: &Sim,
    volume_ids: &BTreeMap<String, String>,
    node_ids: &BTreeMap<String, String>,
    slots: &mut Slots,
    alive: &mut BTreeSet<String>,
) -> Vec<FileMark> {
    // Places off the nodes belong to a volume.
    let mut volume_places: BTreeMap<String, String> = BTreeMap::new();
    for o in sim.store().list("PersistentVolume") {
        if let Object::PersistentVolume(pv) = o
            && let Some(id) = volume_ids.get(&pv.metadata.name)
        {
            volume_places.insert(data::volume_key(pv), id.clone());
        }
    }
    let mut out = Vec::new();
    for (place, path, content) in sim.files().iter() {
        let on = if let Some(rest) = place.strip_prefix("node/") {
            let node = rest.split('/').next().unwrap_or_default();
            node_ids.get(node).cloned()
        } else if let Some(rest) = place.strip_prefix("pod/") {
            rest.split('/').next().map(str::to_owned)
        } else {
            volume_places.get(place).cloned()
        };
        let Some(on) = on else { continue };
        let id = format!("file/{place}{path}");
        alive.insert(id.clone());
        out.push(FileMark {
            slot: slots.place(&format!("files/{on}"), &id),
            id,
            path: path.to_owned(),
            content: content.to_owned(),
            on,
        });
    }
    out
}

fn figures(sim: &Sim) -> Figures {
    let store = sim.store();
    let bytes = |q: Option<pvsim_engine::Parsed>| q.map_or(0, |p| p.value());
    let mut f = Figures::default();
    let (mut provisioned, mut requested, mut unclaimed, mut oversized) = (0, 0, 0, 0);
    for o in store.list("PersistentVolume") {
        let Object::PersistentVolume(pv) = o else {
            continue;
        };
        let capacity = bytes(volume::capacity(pv));
        provisioned += capacity;
        match pv.status.phase.as_str() {
            "Bound" => {
                let claim = pv
                    .spec
                    .claim_ref
                    .as_ref()
                    .and_then(|r| store.pvc(&r.namespace, &r.name));
                if let Some(c) = claim {
                    oversized += (capacity - bytes(volume::request(c))).max(0);
                }
            }
            "Released" => {
                unclaimed += capacity;
                f.orphaned += 1;
            }
            _ => unclaimed += capacity,
        }
    }
    for (key, record) in store.all() {
        // What a person wrote keeps its text; what controllers made has none.
        let written = !record.raw.is_null();
        match key.kind {
            "PersistentVolume" | "PersistentVolumeClaim" if !written => f.by_cluster += 1,
            "PersistentVolume"
            | "PersistentVolumeClaim"
            | "StorageClass"
            | "Pod"
            | "Deployment"
            | "StatefulSet"
                if written =>
            {
                f.by_hand += 1;
            }
            _ => {}
        }
    }
    for o in store.list("PersistentVolumeClaim") {
        let Object::PersistentVolumeClaim(c) = o else {
            continue;
        };
        requested += bytes(volume::request(c));
        f.lost += u32::from(c.status.phase == "Lost");
    }
    let whole = |b: i128| i64::try_from(b).unwrap_or(i64::MAX);
    f.provisioned_bytes = whole(provisioned);
    f.requested_bytes = whole(requested);
    f.wasted_bytes = whole(unclaimed + oversized);
    f.provisioned = size(provisioned);
    f.requested = size(requested);
    f.unclaimed = size(unclaimed);
    f.oversized = size(oversized);
    f.wasted = size(unclaimed + oversized);
    f
}

impl Scene {
    /// The scene as indented text, every element with its slot (`#0`): the
    /// picture's text alternative, and what the tests snapshot.
    pub fn outline(&self) -> String {
        use std::fmt::Write as _;
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for z in &self.zones {
            for n in &z.nodes {
                names.insert(n.id.clone(), n.name.clone());
                for p in &n.pods {
                    names.insert(p.id.clone(), format!("{}/{}", p.namespace, p.name));
                }
            }
        }
        for p in &self.tray {
            names.insert(p.id.clone(), format!("{}/{}", p.namespace, p.name));
        }
        for c in &self.claims {
            names.insert(c.id.clone(), format!("{}/{}", c.namespace, c.name));
        }
        for v in &self.volumes {
            names.insert(v.id.clone(), v.name.clone());
        }
        let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_owned());
        let mut s = format!("at {}, step {}", self.clock, self.step);
        if let Some(a) = &self.acting {
            let _ = write!(s, ": {} acted on {}", a.component, a.object);
            if let Some(e) = &a.event {
                let _ = write!(s, " ({e})");
            }
        }
        s.push('\n');
        let pod_line = |s: &mut String, indent: &str, p: &PodTile| {
            let _ = write!(
                s,
                "{indent}pod {}/{} #{} [{}]",
                p.namespace, p.name, p.slot, p.status
            );
            if p.leaving {
                s.push_str(" leaving");
            }
            if let Some(w) = &p.waiting {
                let _ = write!(s, " waiting: {w}");
            }
            s.push('\n');
        };
        for z in &self.zones {
            let zone = if z.name.is_empty() {
                "(no zone)"
            } else {
                &z.name
            };
            let _ = writeln!(s, "zone {zone} #{}", z.slot);
            for n in &z.nodes {
                let mut state = vec![n.state.clone()];
                if n.kubelet_stopped {
                    state.push("kubelet stopped".into());
                }
                if n.cordoned {
                    state.push("cordoned".into());
                }
                if n.out_of_service {
                    state.push("out of service".into());
                }
                let limit = n.attach_limit.map_or(String::new(), |l| format!("/{l}"));
                let _ = writeln!(
                    s,
                    "  node {} #{} [{}] attached {}{limit}",
                    n.name,
                    n.slot,
                    state.join(", "),
                    n.attached
                );
                for p in &n.pods {
                    pod_line(&mut s, "    ", p);
                }
            }
        }
        if !self.tray.is_empty() {
            s.push_str("tray\n");
            for p in &self.tray {
                pod_line(&mut s, "  ", p);
            }
        }
        if !self.claims.is_empty() {
            s.push_str("claims\n");
            for c in &self.claims {
                let _ = write!(
                    s,
                    "  claim {}/{} #{} [{}] {} {} class {:?}",
                    c.namespace,
                    c.name,
                    c.slot,
                    c.phase,
                    c.size,
                    c.access_modes.join(","),
                    c.class
                );
                if let Some(v) = &c.volume {
                    let _ = write!(s, " -> {}", name(v));
                }
                s.push('\n');
            }
        }
        if !self.storage.is_empty() {
            s.push_str("storage\n");
            for b in &self.storage {
                let _ = writeln!(s, "  {} #{}", b.label, b.slot);
                for v in self.volumes.iter().filter(|v| v.backend == b.id) {
                    let _ = write!(
                        s,
                        "    volume {} #{} [{}] {} {} class {:?} {}",
                        v.name,
                        v.slot,
                        v.phase,
                        v.capacity,
                        v.access_modes.join(","),
                        v.class,
                        v.reclaim_policy
                    );
                    if let Some(c) = &v.claim {
                        let _ = write!(s, " <- {}", name(c));
                    }
                    s.push('\n');
                }
            }
        }
        if !self.links.is_empty() {
            s.push_str("links\n");
            for l in &self.links {
                let kind = match l.kind {
                    LinkKind::Mount => "mount",
                    LinkKind::Binding => "binding",
                    LinkKind::Attachment => "attachment",
                };
                let _ = writeln!(
                    s,
                    "  {kind} {} -> {} ({})",
                    name(&l.from),
                    name(&l.to),
                    l.state
                );
            }
        }
        if !self.files.is_empty() {
            s.push_str("files\n");
            for f in &self.files {
                let _ = writeln!(
                    s,
                    "  {} #{} {:?} on {}",
                    f.path,
                    f.slot,
                    f.content,
                    name(&f.on)
                );
            }
        }
        let f = &self.figures;
        let _ = writeln!(
            s,
            "figures: provisioned {}, requested {}, unclaimed {}, oversized {}, orphaned {}, lost {}, by hand {}, by the cluster {}",
            f.provisioned,
            f.requested,
            f.unclaimed,
            f.oversized,
            f.orphaned,
            f.lost,
            f.by_hand,
            f.by_cluster
        );
        s
    }
}
