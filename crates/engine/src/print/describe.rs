//! `kubectl describe` of a PersistentVolume, PersistentVolumeClaim,
//! StorageClass, Pod or Node, as kubectl 1.34 prints it.
//!
//! Upstream: kubernetes/kubectl `pkg/describe/describe.go` (release 1.34):
//! `describePersistentVolume`, `describePersistentVolumeClaim`,
//! `describeStorageClass`, `describePod`, `describeNode` and
//! `DescribeEvents`, with the field labels, their order and the
//! placeholders (`<none>`, `<unset>`) kubectl uses.
//!
//! The describers write each field as `label:`, a tab and the value, two
//! spaces of indent per level, and a tabwriter (padding 2) aligns each run
//! of consecutive lines that have the same cell. [`Out`] writes the same
//! text and [`super::tabwrite`] aligns it the same way, so the quirks come
//! out as kubectl's do: an empty value leaves trailing spaces (`Claim:` of
//! an unbound volume), `Events:  <none>` aligns with the lines above it,
//! and a claim template inside a pod's ephemeral volume indents every
//! write, not every line. Events are the object's own (same kind, name,
//! namespace and uid; a node's also by name), oldest first, with ages as
//! `kubectl get events` prints them. Times are in UTC (`+0000`), where
//! kubectl uses the local zone.
//!
//! Simplifications: what pvsim does not model is printed as kubectl prints
//! it when it is empty.
//! - Pods: pvsim's admission sets neither `spec.priority` nor
//!   `spec.serviceAccountName`, so the `Priority` and `Service Account`
//!   lines a real cluster shows are absent; so are runtime class, seccomp
//!   profile, nominated node, pod-level resources, ephemeral containers,
//!   readiness gates and topology spread constraints. Containers show no
//!   ports (`Port: <none>`), command, probes, resources or environment
//!   (`Environment: <none>`), and the QoS class is therefore `BestEffort`.
//!   `IPs` lists `status.podIP`, which pvsim's kubelet does not set.
//! - Volume sources pvsim keeps opaque show only their `Type:` line, except
//!   the common ones: secret, configMap, projected, downwardAPI,
//!   gcePersistentDisk and awsElasticBlockStore. pvsim does not default
//!   `hostPath.type` to `""` as the API server does, so a hostPath volume
//!   written without one shows `HostPathType: <none>` where a cluster
//!   shows it empty.
//! - Nodes: pvsim keeps no Leases; the `Lease` section names the node as
//!   holder and leaves the times `<unset>`. Capacity and allocatable are
//!   what the node has (a profile's nodes only have attach limits, and
//!   conditions without heartbeat times, which print as Go's zero time); pods'
//!   requests and limits are 0, and a percentage of an allocatable that
//!   has no cpu or memory is 0% (kubectl divides by zero there).

use std::collections::BTreeMap;

use super::{claim_of, last_seen, tabwrite};
use crate::model::{
    Container, CsiPersistentVolumeSource, EphemeralVolumeSource, FcVolumeSource,
    HostPathVolumeSource, NfsVolumeSource, Node, NodeSelectorRequirement, ObjectMeta, Opaque,
    PersistentVolume, PersistentVolumeClaim, PersistentVolumeSpec, Pod, StorageClass, Toleration,
    Volume, VolumeNodeAffinity,
};
use crate::objects::pod::{controller_of, is_terminal};
use crate::objects::volume::{
    ACCESS_MODES, claim_class, is_default_class, short_mode, volume_class,
};
use crate::sim::Sim;
use crate::sim::clock::{Millis, human, parse_timestamp, rfc1123z};
use crate::sim::store::{ApiError, ObjKey};
use crate::{Object, Quantity, kind_info};

/// Go's zero `time.Time` in `RFC1123Z`: kubectl's text for an unset time
/// in a conditions table.
const ZERO_TIME: &str = "Mon, 01 Jan 0001 00:00:00 +0000";

/// Annotations longer than this are folded, as kubectl folds them.
const MAX_ANNOTATION: usize = 140;

/// The annotation kubectl leaves out of `Annotations:`.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// The kind a resource name stands for, as kubectl reads `KIND/NAME`: the
/// kind, its plural, its short name or its name with the API group, in
/// any case (`pvc`, `persistentvolumeclaims`, `storageclass.storage.k8s.io`).
pub fn resource_kind(resource: &str) -> Option<&'static str> {
    let kind = match resource.to_lowercase().as_str() {
        "pv" | "persistentvolume" | "persistentvolumes" => "PersistentVolume",
        "pvc" | "persistentvolumeclaim" | "persistentvolumeclaims" => "PersistentVolumeClaim",
        "sc"
        | "storageclass"
        | "storageclasses"
        | "storageclass.storage.k8s.io"
        | "storageclasses.storage.k8s.io" => "StorageClass",
        "po" | "pod" | "pods" => "Pod",
        "no" | "node" | "nodes" => "Node",
        _ => return None,
    };
    Some(kind)
}

/// `kubectl describe KIND/NAME -n NAMESPACE` of the simulated cluster as it
/// stands; the namespace is ignored for cluster-scoped kinds. `Err` holds
/// the API server's NotFound message (`persistentvolumeclaims "data" not
/// found`), or kubectl's for a kind it does not know.
pub fn describe(sim: &Sim, kind: &str, namespace: &str, name: &str) -> Result<String, String> {
    let Some(kind) = resource_kind(kind) else {
        return Err(format!("the server doesn't have a resource type {kind:?}"));
    };
    let namespaced = kind_info(kind).is_some_and(|i| i.namespaced);
    let key = ObjKey::new(kind, if namespaced { namespace } else { "" }, name);
    let object = sim.store().get(&key).ok_or_else(|| {
        ApiError::NotFound {
            kind: kind.into(),
            name: name.into(),
        }
        .to_string()
    })?;
    let mut w = Out::default();
    match object {
        Object::PersistentVolume(pv) => volume(&mut w, sim, pv),
        Object::PersistentVolumeClaim(pvc) => claim(&mut w, sim, pvc),
        Object::StorageClass(sc) => class(&mut w, sc),
        Object::Pod(p) => pod(&mut w, sim, p),
        Object::Node(n) => node(&mut w, sim, n),
        _ => unreachable!("resource_kind names only the kinds above"),
    }
    events(&mut w, sim, object);
    Ok(w.finish())
}

/// The text kubectl's describers write before the tabwriter aligns it.
#[derive(Default)]
struct Out {
    text: String,
    /// Levels a nested section adds to every write.
    nest: usize,
}

impl Out {
    /// `text`, indented two spaces a level (the section's levels included).
    fn write(&mut self, level: usize, text: &str) {
        for _ in 0..level + self.nest {
            self.text.push_str("  ");
        }
        self.text.push_str(text);
    }

    /// One field: `label:`, a tab, the value.
    fn field(&mut self, level: usize, label: &str, value: &str) {
        self.write(level, label);
        self.text.push_str(":\t");
        self.text.push_str(value);
        self.text.push('\n');
    }

    /// Ends a line begun by `write` (kubectl's `WriteLine`).
    fn end(&mut self, text: &str) {
        self.write(0, text);
        self.text.push('\n');
    }

    /// Aligned, with terminal escapes made harmless as kubectl does.
    fn finish(self) -> String {
        tabwrite(&self.text.replace('\x1b', "^[").replace('\r', "\\r"), 2)
    }
}

// ---------------------------------------------------------------------
// PersistentVolume

fn volume(w: &mut Out, sim: &Sim, pv: &PersistentVolume) {
    let meta = &pv.metadata;
    w.field(0, "Name", &meta.name);
    labels(w, "Labels", &meta.labels);
    annotations(w, "Annotations", &meta.annotations);
    w.field(0, "Finalizers", &go_list(&meta.finalizers));
    w.field(0, "StorageClass", volume_class(pv));
    w.field(0, "Status", &phase(sim, meta, &pv.status.phase));
    w.field(0, "Claim", &claim_of(pv));
    w.field(
        0,
        "Reclaim Policy",
        &pv.spec.persistent_volume_reclaim_policy,
    );
    w.field(0, "Access Modes", &access_modes(&pv.spec.access_modes));
    if let Some(mode) = &pv.spec.volume_mode {
        w.field(0, "VolumeMode", mode);
    }
    w.field(0, "Capacity", &storage(&pv.spec.capacity));
    node_affinity(w, pv.spec.node_affinity.as_ref());
    w.field(0, "Message", &pv.status.message);
    w.write(0, "Source:\n");
    volume_source(w, &pv.spec);
}

/// The phase, or `Terminating (lasts 2m)` once deletion has begun.
fn phase(sim: &Sim, meta: &ObjectMeta, phase: &str) -> String {
    match &meta.deletion_timestamp {
        Some(at) => format!("Terminating (lasts {})", since(sim.now(), at)),
        None => phase.to_owned(),
    }
}

fn node_affinity(w: &mut Out, affinity: Option<&VolumeNodeAffinity>) {
    w.write(0, "Node Affinity:\t");
    let Some(required) = affinity.and_then(|a| a.required.as_ref()) else {
        w.end("<none>");
        return;
    };
    w.end("");
    w.write(1, "Required Terms:\t");
    if required.node_selector_terms.is_empty() {
        w.end("<none>");
        return;
    }
    w.end("");
    for (i, term) in required.node_selector_terms.iter().enumerate() {
        let expressions: Vec<String> = term
            .match_expressions
            .iter()
            .map(|r: &NodeSelectorRequirement| {
                requirement(&r.key, &r.operator.to_lowercase(), &r.values)
            })
            .collect();
        terms(w, 2, &format!("Term {i}"), &expressions);
    }
}

/// `key in [a, b]`, `key exists`.
fn requirement(key: &str, operator: &str, values: &[String]) -> String {
    if values.is_empty() {
        format!("{key} {operator}")
    } else {
        format!("{key} {operator} [{}]", values.join(", "))
    }
}

/// A selector term: its title, then one expression a line, the first
/// beside the title.
fn terms(w: &mut Out, level: usize, title: &str, expressions: &[String]) {
    w.write(level, &format!("{title}:\t"));
    if expressions.is_empty() {
        w.end("<none>");
        return;
    }
    for (i, expression) in expressions.iter().enumerate() {
        if i > 0 {
            w.write(level, "\t");
        }
        w.end(expression);
    }
}

/// A PersistentVolume's source (a valid volume has exactly one).
fn volume_source(w: &mut Out, spec: &PersistentVolumeSpec) {
    if let Some(s) = &spec.host_path {
        host_path(w, s);
    } else if let Some(s) = &spec.gce_persistent_disk {
        gce_persistent_disk(w, s);
    } else if let Some(s) = &spec.aws_elastic_block_store {
        aws_elastic_block_store(w, s);
    } else if let Some(s) = &spec.nfs {
        nfs(w, s);
    } else if let Some(s) = &spec.local {
        w.field(
            2,
            "Type",
            "LocalVolume (a persistent volume backed by local storage on a node)",
        );
        w.field(2, "Path", &s.path);
    } else if let Some(s) = &spec.fc {
        fc(w, s);
    } else if let Some(s) = &spec.csi {
        csi(w, s);
    } else if let Some(kind) = opaque_source_type(&[
        (spec.iscsi.is_some(), ISCSI),
        (spec.glusterfs.is_some(), GLUSTERFS),
        (spec.rbd.is_some(), RBD),
        (spec.quobyte.is_some(), QUOBYTE),
        (spec.vsphere_volume.is_some(), VSPHERE),
        (spec.cinder.is_some(), CINDER),
        (spec.azure_disk.is_some(), AZURE_DISK),
        (spec.photon_persistent_disk.is_some(), PHOTON),
        (spec.portworx_volume.is_some(), PORTWORX),
        (spec.scale_io.is_some(), SCALE_IO),
        (spec.cephfs.is_some(), CEPHFS),
        (spec.storageos.is_some(), STORAGEOS),
        (spec.azure_file.is_some(), AZURE_FILE),
        (spec.flex_volume.is_some(), FLEX),
        (spec.flocker.is_some(), FLOCKER),
    ]) {
        w.field(2, "Type", kind);
    } else {
        w.write(1, "<unknown>\n");
    }
}

// The `Type:` of the sources pvsim keeps opaque and shows no more of.
const ISCSI: &str = "ISCSI (an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod)";
const GLUSTERFS: &str = "Glusterfs (a Glusterfs mount on the host that shares a pod's lifetime)";
const RBD: &str = "RBD (a Rados Block Device mount on the host that shares a pod's lifetime)";
const QUOBYTE: &str = "Quobyte (a Quobyte mount on the host that shares a pod's lifetime)";
const VSPHERE: &str = "vSphereVolume (a Persistent Disk resource in vSphere)";
const CINDER: &str = "Cinder (a Persistent Disk resource in OpenStack)";
const AZURE_DISK: &str =
    "AzureDisk (an Azure Data Disk mount on the host and bind mount to the pod)";
const PHOTON: &str = "PhotonPersistentDisk (a Persistent Disk resource in photon platform)";
const PORTWORX: &str = "PortworxVolume (a Portworx Volume resource)";
const SCALE_IO: &str = "ScaleIO (a persistent volume backed by a block device in ScaleIO)";
const CEPHFS: &str = "CephFS (a CephFS mount on the host that shares a pod's lifetime)";
const STORAGEOS: &str = "StorageOS (a StorageOS Persistent Disk resource)";
const AZURE_FILE: &str =
    "AzureFile (an Azure File Service mount on the host and bind mount to the pod)";
const FLEX: &str = "FlexVolume (a generic volume resource that is provisioned/attached using an exec based plugin)";
const FLOCKER: &str = "Flocker (a Flocker volume mounted by the Flocker agent)";
const GIT_REPO: &str = "GitRepo (a volume that is pulled from git when the pod is created)";
const IMAGE: &str = "Image (a container image or OCI artifact)";

fn opaque_source_type(sources: &[(bool, &'static str)]) -> Option<&'static str> {
    sources.iter().find(|(set, _)| *set).map(|(_, kind)| *kind)
}

fn host_path(w: &mut Out, s: &HostPathVolumeSource) {
    w.field(2, "Type", "HostPath (bare host directory volume)");
    w.field(2, "Path", &s.path);
    w.field(2, "HostPathType", s.type_.as_deref().unwrap_or("<none>"));
}

fn nfs(w: &mut Out, s: &NfsVolumeSource) {
    w.field(
        2,
        "Type",
        "NFS (an NFS mount that lasts the lifetime of a pod)",
    );
    w.field(2, "Server", &s.server);
    w.field(2, "Path", &s.path);
    w.field(2, "ReadOnly", &s.read_only.to_string());
}

fn fc(w: &mut Out, s: &FcVolumeSource) {
    w.field(2, "Type", "FC (a Fibre Channel disk)");
    w.field(2, "TargetWWNs", &s.target_wwns.join(", "));
    w.field(2, "LUN", &s.lun.map_or("<none>".into(), |l| l.to_string()));
    w.field(2, "FSType", &s.fs_type);
    w.field(2, "ReadOnly", &s.read_only.to_string());
}

const CSI: &str = "CSI (a Container Storage Interface (CSI) volume source)";

fn csi(w: &mut Out, s: &CsiPersistentVolumeSource) {
    w.field(2, "Type", CSI);
    w.field(2, "Driver", &s.driver);
    w.field(2, "FSType", &s.fs_type);
    w.field(2, "VolumeHandle", &s.volume_handle);
    w.field(2, "ReadOnly", &s.read_only.to_string());
    volume_attributes(w, &s.volume_attributes);
}

/// A CSI volume's attributes. kubectl indents each write of this list, so
/// the values sit four spaces past the column.
fn volume_attributes(w: &mut Out, attributes: &BTreeMap<String, String>) {
    w.write(2, "VolumeAttributes:\t");
    if attributes.is_empty() {
        w.end("<none>");
        return;
    }
    for (i, (key, value)) in attributes.iter().enumerate() {
        if i > 0 {
            w.write(2, "");
            w.write(2, "\t");
        }
        let line = format!("{key}={value}");
        if line.len() > MAX_ANNOTATION {
            w.write(2, &format!("{}...\n", prefix(&line, MAX_ANNOTATION)));
        } else {
            w.write(2, &format!("{line}\n"));
        }
    }
}

/// Fields of an opaque source: a string, a number or a boolean, as Go
/// prints the zero value when it is absent.
fn text(source: &Opaque, field: &str) -> String {
    match source.get(field) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => v.to_string(),
        _ => String::new(),
    }
}

fn number(source: &Opaque, field: &str) -> String {
    source
        .get(field)
        .and_then(serde_json::Value::as_i64)
        .unwrap_or(0)
        .to_string()
}

fn flag(source: &Opaque, field: &str) -> String {
    (source.get(field).and_then(serde_json::Value::as_bool) == Some(true)).to_string()
}

fn gce_persistent_disk(w: &mut Out, s: &Opaque) {
    w.field(
        2,
        "Type",
        "GCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)",
    );
    w.field(2, "PDName", &text(s, "pdName"));
    w.field(2, "FSType", &text(s, "fsType"));
    w.field(2, "Partition", &number(s, "partition"));
    w.field(2, "ReadOnly", &flag(s, "readOnly"));
}

fn aws_elastic_block_store(w: &mut Out, s: &Opaque) {
    w.field(
        2,
        "Type",
        "AWSElasticBlockStore (a Persistent Disk resource in AWS)",
    );
    w.field(2, "VolumeID", &text(s, "volumeID"));
    w.field(2, "FSType", &text(s, "fsType"));
    w.field(2, "Partition", &number(s, "partition"));
    w.field(2, "ReadOnly", &flag(s, "readOnly"));
}

// ---------------------------------------------------------------------
// PersistentVolumeClaim

fn claim(w: &mut Out, sim: &Sim, pvc: &PersistentVolumeClaim) {
    let meta = &pvc.metadata;
    w.field(0, "Name", &meta.name);
    w.field(0, "Namespace", &meta.namespace);
    w.field(0, "StorageClass", claim_class(pvc));
    w.field(0, "Status", &phase(sim, meta, &pvc.status.phase));
    claim_body(w, pvc, true);
    used_by(w, sim, pvc);
    if !pvc.status.conditions.is_empty() {
        w.write(0, "Conditions:\n");
        w.write(
            1,
            "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.write(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for c in &pvc.status.conditions {
            w.write(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    text(c, "type"),
                    text(c, "status"),
                    time(c, "lastProbeTime"),
                    time(c, "lastTransitionTime"),
                    text(c, "reason"),
                    text(c, "message"),
                ),
            );
        }
    }
}

/// What a claim and a pod's claim template share, from `Volume:` on; a
/// template has no finalizers, and no capacity or access modes until it
/// names a volume.
fn claim_body(w: &mut Out, pvc: &PersistentVolumeClaim, full: bool) {
    let (meta, spec) = (&pvc.metadata, &pvc.spec);
    let volume_name = spec.volume_name.as_deref().unwrap_or_default();
    w.field(0, "Volume", volume_name);
    labels(w, "Labels", &meta.labels);
    annotations(w, "Annotations", &meta.annotations);
    if full {
        w.field(0, "Finalizers", &go_list(&meta.finalizers));
    }
    let (capacity, modes) = if volume_name.is_empty() {
        (String::new(), String::new())
    } else {
        (
            storage(&pvc.status.capacity),
            access_modes(&pvc.status.access_modes),
        )
    };
    w.field(0, "Capacity", &capacity);
    w.field(0, "Access Modes", &modes);
    if let Some(mode) = &spec.volume_mode {
        w.field(0, "VolumeMode", mode);
    }
    if let Some(source) = &spec.data_source {
        w.write(0, "DataSource:\n");
        if let Some(group) = &source.api_group {
            w.field(1, "APIGroup", group);
        }
        w.field(1, "Kind", &source.kind);
        w.field(1, "Name", &source.name);
    }
}

/// The pods in the claim's namespace whose volumes name it (a pod naming
/// it twice is listed twice, as kubectl lists it), then the pods that own
/// it (a generic ephemeral volume's claim), by name.
fn used_by(w: &mut Out, sim: &Sim, pvc: &PersistentVolumeClaim) {
    let pods: Vec<&Pod> = sim
        .store()
        .list("Pod")
        .filter_map(|o| match o {
            Object::Pod(p) if p.metadata.namespace == pvc.metadata.namespace => Some(p),
            _ => None,
        })
        .collect();
    let mut users: Vec<&Pod> = Vec::new();
    for pod in &pods {
        for v in &pod.spec.volumes {
            if v.persistent_volume_claim
                .as_ref()
                .is_some_and(|c| c.claim_name == pvc.metadata.name)
            {
                users.push(pod);
            }
        }
    }
    for owner in &pvc.metadata.owner_references {
        if owner.kind != "Pod" {
            continue;
        }
        let Some(pod) = pods.iter().find(|p| p.metadata.uid == owner.uid) else {
            continue;
        };
        if !users.iter().any(|u| u.metadata.uid == pod.metadata.uid) {
            users.push(pod);
        }
    }
    crate::sort::by(&mut users, |a, b| a.metadata.name.cmp(&b.metadata.name));
    let names: Vec<&str> = users.iter().map(|p| p.metadata.name.as_str()).collect();
    list(w, "Used By", &names);
}

// ---------------------------------------------------------------------
// StorageClass

fn class(w: &mut Out, sc: &StorageClass) {
    w.field(0, "Name", &sc.metadata.name);
    w.field(
        0,
        "IsDefaultClass",
        if is_default_class(sc) { "Yes" } else { "No" },
    );
    w.field(0, "Annotations", &format_labels(&sc.metadata.annotations));
    w.field(0, "Provisioner", &sc.provisioner);
    w.field(0, "Parameters", &format_labels(&sc.parameters));
    w.field(
        0,
        "AllowVolumeExpansion",
        sc.allow_volume_expansion.map_or("<unset>", go_bool),
    );
    if sc.mount_options.is_empty() {
        w.field(0, "MountOptions", "<none>");
    } else {
        w.write(0, "MountOptions:\n");
        for option in &sc.mount_options {
            w.write(1, &format!("{option}\n"));
        }
    }
    if let Some(policy) = &sc.reclaim_policy {
        w.field(0, "ReclaimPolicy", policy);
    }
    if let Some(mode) = &sc.volume_binding_mode {
        w.field(0, "VolumeBindingMode", mode);
    }
    // kubectl prints an empty list as `<none>`; pvsim cannot tell an empty
    // list from a missing one, and prints neither.
    if !sc.allowed_topologies.is_empty() {
        w.write(0, "AllowedTopologies:\t");
        w.end("");
        for (i, term) in sc.allowed_topologies.iter().enumerate() {
            let expressions: Vec<String> = term
                .match_label_expressions
                .iter()
                .map(|r| requirement(&r.key, "in", &r.values))
                .collect();
            terms(w, 1, &format!("Term {i}"), &expressions);
        }
    }
}

// ---------------------------------------------------------------------
// Pod

fn pod(w: &mut Out, sim: &Sim, pod: &Pod) {
    let meta = &pod.metadata;
    w.field(0, "Name", &meta.name);
    w.field(0, "Namespace", &meta.namespace);
    if !pod.spec.priority_class_name.is_empty() {
        w.field(0, "Priority Class Name", &pod.spec.priority_class_name);
    }
    if !pod.spec.service_account_name.is_empty() {
        w.field(0, "Service Account", &pod.spec.service_account_name);
    }
    if pod.spec.node_name.is_empty() {
        w.field(0, "Node", "<none>");
    } else {
        w.field(
            0,
            "Node",
            &format!("{}/{}", pod.spec.node_name, pod.status.host_ip),
        );
    }
    if let Some(start) = &pod.status.start_time {
        w.field(0, "Start Time", &rfc1123z(start).unwrap_or_default());
    }
    labels(w, "Labels", &meta.labels);
    annotations(w, "Annotations", &meta.annotations);
    match &meta.deletion_timestamp {
        Some(at) if !is_terminal(pod) => {
            w.field(
                0,
                "Status",
                &format!("Terminating (lasts {})", since(sim.now(), at)),
            );
            let grace = meta.deletion_grace_period_seconds.unwrap_or(0);
            w.field(0, "Termination Grace Period", &format!("{grace}s"));
        }
        _ => w.field(0, "Status", &pod.status.phase),
    }
    w.field(0, "IP", &pod.status.pod_ip);
    if pod.status.pod_ip.is_empty() {
        w.field(0, "IPs", "<none>");
    } else {
        w.write(0, "IPs:\n");
        w.field(1, "IP", &pod.status.pod_ip);
    }
    if let Some(owner) = controller_of(meta) {
        w.field(
            0,
            "Controlled By",
            &format!("{}/{}", owner.kind, owner.name),
        );
    }
    if !pod.spec.init_containers.is_empty() {
        containers(w, "Init Containers", &pod.spec.init_containers, &[]);
    }
    containers(
        w,
        "Containers",
        &pod.spec.containers,
        &pod.status.container_statuses,
    );
    if !pod.status.conditions.is_empty() {
        w.write(0, "Conditions:\n  Type\tStatus\n");
        for c in &pod.status.conditions {
            w.write(
                1,
                &format!("{} \t{} \n", text(c, "type"), text(c, "status")),
            );
        }
    }
    volumes(w, &pod.spec.volumes);
    w.field(0, "QoS Class", "BestEffort");
    labels(w, "Node-Selectors", &pod.spec.node_selector);
    tolerations(w, &pod.spec.tolerations);
}

fn containers(w: &mut Out, label: &str, containers: &[Container], statuses: &[Opaque]) {
    if containers.is_empty() {
        w.write(0, &format!("{label}: <none>\n"));
    } else {
        w.write(0, &format!("{label}:\n"));
    }
    for c in containers {
        let status = statuses
            .iter()
            .find(|s| s.get("name").and_then(serde_json::Value::as_str) == Some(&c.name));
        w.write(1, &format!("{}:\n", c.name));
        if let Some(s) = status {
            w.field(2, "Container ID", &text(s, "containerID"));
        }
        w.field(2, "Image", &c.image);
        if let Some(s) = status {
            w.field(2, "Image ID", &text(s, "imageID"));
        }
        w.field(2, "Port", "<none>");
        w.field(2, "Host Port", "<none>");
        if let Some(s) = status {
            container_state(w, "State", s.get("state"));
            if let Some(last) = s.get("lastState").filter(|l| l.get("terminated").is_some()) {
                container_state(w, "Last State", Some(last));
            }
            let ready = s.get("ready").and_then(serde_json::Value::as_bool) == Some(true);
            w.field(2, "Ready", go_bool(ready));
            w.field(2, "Restart Count", &number(s, "restartCount"));
        }
        w.field(2, "Environment", "<none>");
        mounts(w, c);
    }
}

fn container_state(w: &mut Out, label: &str, state: Option<&Opaque>) {
    let state = state.unwrap_or(&serde_json::Value::Null);
    if let Some(running) = state.get("running") {
        w.field(2, label, "Running");
        w.field(3, "Started", &time(running, "startedAt"));
    } else if let Some(terminated) = state.get("terminated") {
        w.field(2, label, "Terminated");
        for field in ["reason", "message"] {
            let value = text(terminated, field);
            if !value.is_empty() {
                w.field(
                    3,
                    if field == "reason" {
                        "Reason"
                    } else {
                        "Message"
                    },
                    &value,
                );
            }
        }
        w.field(3, "Exit Code", &number(terminated, "exitCode"));
        let signal = terminated
            .get("signal")
            .and_then(serde_json::Value::as_i64)
            .unwrap_or(0);
        if signal > 0 {
            w.field(3, "Signal", &signal.to_string());
        }
        w.field(3, "Started", &time(terminated, "startedAt"));
        w.field(3, "Finished", &time(terminated, "finishedAt"));
    } else {
        w.field(2, label, "Waiting");
        let reason = state
            .get("waiting")
            .map(|s| text(s, "reason"))
            .unwrap_or_default();
        if !reason.is_empty() {
            w.field(3, "Reason", &reason);
        }
    }
}

fn mounts(w: &mut Out, c: &Container) {
    // kubectl decides `<none>` on the mounts, and uses it for devices too.
    let none = if c.volume_mounts.is_empty() {
        "\t<none>"
    } else {
        ""
    };
    w.write(2, &format!("Mounts:{none}\n"));
    let mut mounts: Vec<_> = c.volume_mounts.iter().collect();
    crate::sort::by(&mut mounts, |a, b| a.mount_path.cmp(&b.mount_path));
    for m in mounts {
        let mut flags = vec![if m.read_only { "ro" } else { "rw" }.to_owned()];
        if !m.sub_path.is_empty() {
            flags.push(format!("path={:?}", m.sub_path));
        }
        w.write(
            3,
            &format!("{} from {} ({})\n", m.mount_path, m.name, flags.join(",")),
        );
    }
    if !c.volume_devices.is_empty() {
        w.write(2, &format!("Devices:{none}\n"));
        let mut devices: Vec<_> = c.volume_devices.iter().collect();
        crate::sort::by(&mut devices, |a, b| a.device_path.cmp(&b.device_path));
        for d in devices {
            w.write(3, &format!("{} from {}\n", d.device_path, d.name));
        }
    }
}

fn volumes(w: &mut Out, volumes: &[Volume]) {
    if volumes.is_empty() {
        w.field(0, "Volumes", "<none>");
        return;
    }
    w.write(0, "Volumes:\n");
    for v in volumes {
        w.write(1, &format!("{}:\n", v.name));
        pod_volume_source(w, v);
    }
}

/// A pod volume's source, in the order kubectl looks for it.
fn pod_volume_source(w: &mut Out, v: &Volume) {
    if let Some(s) = &v.host_path {
        host_path(w, s);
    } else if let Some(s) = &v.empty_dir {
        w.field(
            2,
            "Type",
            "EmptyDir (a temporary directory that shares a pod's lifetime)",
        );
        w.field(2, "Medium", &s.medium);
        let limit = s
            .size_limit
            .as_ref()
            .filter(|q| q.parsed().is_positive())
            .map_or("<unset>".into(), canonical);
        w.field(2, "SizeLimit", &limit);
    } else if let Some(s) = &v.gce_persistent_disk {
        gce_persistent_disk(w, s);
    } else if let Some(s) = &v.aws_elastic_block_store {
        aws_elastic_block_store(w, s);
    } else if v.git_repo.is_some() {
        w.field(2, "Type", GIT_REPO);
    } else if let Some(s) = &v.secret {
        w.field(2, "Type", "Secret (a volume populated by a Secret)");
        w.field(2, "SecretName", &text(s, "secretName"));
        w.field(2, "Optional", &flag(s, "optional"));
    } else if let Some(s) = &v.config_map {
        w.field(2, "Type", "ConfigMap (a volume populated by a ConfigMap)");
        w.field(2, "Name", &text(s, "name"));
        w.field(2, "Optional", &flag(s, "optional"));
    } else if let Some(s) = &v.nfs {
        nfs(w, s);
    } else if v.iscsi.is_some() {
        w.field(2, "Type", ISCSI);
    } else if v.glusterfs.is_some() {
        w.field(2, "Type", GLUSTERFS);
    } else if let Some(s) = &v.persistent_volume_claim {
        w.field(
            2,
            "Type",
            "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
        );
        w.field(2, "ClaimName", &s.claim_name);
        w.field(2, "ReadOnly", &s.read_only.to_string());
    } else if let Some(s) = &v.ephemeral {
        ephemeral(w, s);
    } else if let Some(kind) =
        opaque_source_type(&[(v.rbd.is_some(), RBD), (v.quobyte.is_some(), QUOBYTE)])
    {
        w.field(2, "Type", kind);
    } else if let Some(s) = &v.downward_api {
        w.field(
            2,
            "Type",
            "DownwardAPI (a volume populated by information about the pod)",
        );
        w.write(2, "Items:\n");
        downward_api_items(w, s);
    } else if let Some(kind) = opaque_source_type(&[
        (v.azure_disk.is_some(), AZURE_DISK),
        (v.vsphere_volume.is_some(), VSPHERE),
        (v.cinder.is_some(), CINDER),
        (v.photon_persistent_disk.is_some(), PHOTON),
        (v.portworx_volume.is_some(), PORTWORX),
        (v.scale_io.is_some(), SCALE_IO),
        (v.cephfs.is_some(), CEPHFS),
        (v.storageos.is_some(), STORAGEOS),
    ]) {
        w.field(2, "Type", kind);
    } else if let Some(s) = &v.fc {
        fc(w, s);
    } else if let Some(kind) = opaque_source_type(&[
        (v.azure_file.is_some(), AZURE_FILE),
        (v.flex_volume.is_some(), FLEX),
        (v.flocker.is_some(), FLOCKER),
    ]) {
        w.field(2, "Type", kind);
    } else if let Some(s) = &v.projected {
        projected(w, s);
    } else if let Some(s) = &v.csi {
        w.field(2, "Type", CSI);
        w.field(2, "Driver", &s.driver);
        w.field(2, "FSType", s.fs_type.as_deref().unwrap_or_default());
        w.field(2, "ReadOnly", &(s.read_only == Some(true)).to_string());
        volume_attributes(w, &s.volume_attributes);
    } else if v.image.is_some() {
        w.field(2, "Type", IMAGE);
    } else {
        w.write(1, "<unknown>\n");
    }
}

fn downward_api_items(w: &mut Out, source: &Opaque) {
    let items = source.get("items").and_then(serde_json::Value::as_array);
    for item in items.into_iter().flatten() {
        let path = text(item, "path");
        if let Some(field) = item.get("fieldRef") {
            w.write(3, &format!("{} -> {path}\n", text(field, "fieldPath")));
        }
        if let Some(resource) = item.get("resourceFieldRef") {
            w.write(3, &format!("{} -> {path}\n", text(resource, "resource")));
        }
    }
}

fn projected(w: &mut Out, s: &Opaque) {
    w.field(
        2,
        "Type",
        "Projected (a volume that contains injected data from multiple sources)",
    );
    let sources = s.get("sources").and_then(serde_json::Value::as_array);
    for source in sources.into_iter().flatten() {
        if let Some(secret) = source.get("secret") {
            w.field(2, "SecretName", &text(secret, "name"));
            w.field(2, "Optional", &flag(secret, "optional"));
        } else if source.get("downwardAPI").is_some() {
            w.field(2, "DownwardAPI", "true");
        } else if let Some(config_map) = source.get("configMap") {
            w.field(2, "ConfigMapName", &text(config_map, "name"));
            w.field(2, "Optional", &flag(config_map, "optional"));
        } else if let Some(token) = source.get("serviceAccountToken") {
            // The API server defaults the expiry to an hour.
            let seconds = token
                .get("expirationSeconds")
                .and_then(serde_json::Value::as_i64)
                .unwrap_or(3600);
            w.field(2, "TokenExpirationSeconds", &seconds.to_string());
        }
    }
}

/// A generic ephemeral volume: its claim template, each write indented
/// two levels more.
fn ephemeral(w: &mut Out, s: &EphemeralVolumeSource) {
    w.field(
        2,
        "Type",
        "EphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)",
    );
    let Some(template) = &s.volume_claim_template else {
        return;
    };
    let pvc = PersistentVolumeClaim {
        metadata: template.metadata.clone(),
        spec: template.spec.clone(),
        ..PersistentVolumeClaim::default()
    };
    w.nest += 2;
    w.field(0, "StorageClass", claim_class(&pvc));
    claim_body(w, &pvc, false);
    w.nest -= 2;
}

fn tolerations(w: &mut Out, tolerations: &[Toleration]) {
    w.write(0, "Tolerations:\t");
    if tolerations.is_empty() {
        w.end("<none>");
        return;
    }
    let mut sorted: Vec<&Toleration> = tolerations.iter().collect();
    crate::sort::by(&mut sorted, |a, b| a.key.cmp(&b.key));
    for (i, t) in sorted.into_iter().enumerate() {
        if i > 0 {
            w.write(0, "\t");
        }
        let mut line = t.key.clone();
        if !t.value.is_empty() {
            line = format!("{line}={}", t.value);
        }
        if !t.effect.is_empty() {
            line = format!("{line}:{}", t.effect);
        }
        // `operator: Exists` with no value tolerates every value.
        if t.operator == "Exists" && t.value.is_empty() {
            line.push_str(if t.key.is_empty() && t.effect.is_empty() {
                "op=Exists"
            } else {
                " op=Exists"
            });
        }
        if let Some(seconds) = t.toleration_seconds {
            line = format!("{line} for {seconds}s");
        }
        w.end(&line);
    }
}

// ---------------------------------------------------------------------
// Node

fn node(w: &mut Out, sim: &Sim, node: &Node) {
    let meta = &node.metadata;
    w.field(0, "Name", &meta.name);
    let roles = roles(node);
    w.field(0, "Roles", if roles.is_empty() { "<none>" } else { &roles });
    labels(w, "Labels", &meta.labels);
    annotations(w, "Annotations", &meta.annotations);
    w.field(
        0,
        "CreationTimestamp",
        &meta
            .creation_timestamp
            .as_deref()
            .and_then(rfc1123z)
            .unwrap_or_else(|| ZERO_TIME.into()),
    );
    taints(w, node);
    w.field(0, "Unschedulable", &node.spec.unschedulable.to_string());
    w.write(0, "Lease:\n");
    w.field(1, "HolderIdentity", &meta.name);
    w.field(1, "AcquireTime", "<unset>");
    w.field(1, "RenewTime", "<unset>");
    if !node.status.conditions.is_empty() {
        w.write(
            0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.write(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for c in &node.status.conditions {
            let at = |t: &Option<String>| {
                t.as_deref()
                    .and_then(rfc1123z)
                    .unwrap_or_else(|| ZERO_TIME.into())
            };
            w.write(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    c.type_,
                    c.status,
                    at(&c.last_heartbeat_time),
                    at(&c.last_transition_time),
                    c.reason,
                    c.message
                ),
            );
        }
    }
    w.write(0, "Addresses:\n");
    for a in &node.status.addresses {
        w.field(1, &text(a, "type"), &text(a, "address"));
    }
    for (title, resources) in [
        ("Capacity", &node.status.capacity),
        ("Allocatable", &node.status.allocatable),
    ] {
        if !resources.is_empty() {
            w.write(0, &format!("{title}:\n"));
            for (name, quantity) in resources {
                w.field(1, name, &canonical(quantity));
            }
        }
    }
    let info = node
        .status
        .node_info
        .clone()
        .unwrap_or(serde_json::Value::Null);
    w.write(0, "System Info:\n");
    for (label, field) in [
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
        ("Kube-Proxy Version", "kubeProxyVersion"),
    ] {
        w.field(1, label, &text(&info, field));
    }
    // The API server keeps podCIDRs[0] equal to podCIDR.
    if !node.spec.pod_cidr.is_empty() {
        w.field(0, "PodCIDR", &node.spec.pod_cidr);
        w.field(0, "PodCIDRs", &node.spec.pod_cidr);
    }
    if !node.spec.provider_id.is_empty() {
        w.field(0, "ProviderID", &node.spec.provider_id);
    }
    node_pods(w, sim, node);
}

/// `node-role.kubernetes.io/<role>` labels and `kubernetes.io/role`, sorted.
fn roles(node: &Node) -> String {
    let mut roles: Vec<&str> = node
        .metadata
        .labels
        .iter()
        .filter_map(|(k, v)| match k.strip_prefix("node-role.kubernetes.io/") {
            Some(role) if !role.is_empty() => Some(role),
            _ if k == "kubernetes.io/role" && !v.is_empty() => Some(v.as_str()),
            _ => None,
        })
        .collect();
    crate::sort::stable(&mut roles);
    roles.dedup();
    roles.join(",")
}

fn taints(w: &mut Out, node: &Node) {
    w.write(0, "Taints:\t");
    if node.spec.taints.is_empty() {
        w.end("<none>");
        return;
    }
    let mut taints: Vec<_> = node.spec.taints.iter().collect();
    crate::sort::by_key(&mut taints, |t| format!("{},{}", t.effect, t.key));
    for (i, t) in taints.into_iter().enumerate() {
        if i > 0 {
            w.write(0, "\t");
        }
        let text = match (t.value.is_empty(), t.effect.is_empty()) {
            (true, true) => t.key.clone(),
            (false, true) => format!("{}={}:", t.key, t.value),
            (true, false) => format!("{}:{}", t.key, t.effect),
            (false, false) => format!("{}={}:{}", t.key, t.value, t.effect),
        };
        w.end(&text);
    }
}

/// The node's pods that have not ended, with their (unmodelled, so zero)
/// requests and limits, then the totals.
fn node_pods(w: &mut Out, sim: &Sim, node: &Node) {
    let pods: Vec<&Pod> = sim
        .store()
        .list("Pod")
        .filter_map(|o| match o {
            Object::Pod(p) if p.spec.node_name == node.metadata.name && !is_terminal(p) => Some(p),
            _ => None,
        })
        .collect();
    w.field(
        0,
        "Non-terminated Pods",
        &format!("({} in total)", pods.len()),
    );
    w.write(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.write(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    for pod in &pods {
        let created = pod.metadata.creation_timestamp.as_deref().unwrap_or("");
        w.write(
            1,
            &format!(
                "{}\t{}\t\t0 (0%)\t0 (0%)\t0 (0%)\t0 (0%)\t{}\n",
                pod.metadata.namespace,
                pod.metadata.name,
                since(sim.now(), created)
            ),
        );
    }
    w.write(
        0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    w.write(1, "Resource\tRequests\tLimits\n");
    w.write(1, "--------\t--------\t------\n");
    for resource in ["cpu", "memory", "ephemeral-storage"] {
        w.write(1, &format!("{resource}\t0 (0%)\t0 (0%)\n"));
    }
    let allocatable = if node.status.allocatable.is_empty() {
        &node.status.capacity
    } else {
        &node.status.allocatable
    };
    for name in allocatable.keys().filter(|n| n.starts_with("hugepages-")) {
        w.write(1, &format!("{name}\t0 (0%)\t0 (0%)\n"));
    }
    let extended = allocatable.keys().filter(|n| {
        !n.starts_with("hugepages-")
            && !matches!(n.as_str(), "cpu" | "memory" | "ephemeral-storage" | "pods")
    });
    for name in extended {
        w.write(1, &format!("{name}\t0\t0\n"));
    }
}

// ---------------------------------------------------------------------
// Shared parts

/// `Events:` and the object's events, oldest first, or `Events:  <none>`.
fn events(w: &mut Out, sim: &Sim, object: &Object) {
    let meta = object.metadata();
    let kind = object.kind();
    let mut records: Vec<_> = sim
        .events()
        .records()
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            let i = &r.involved;
            // kubectl asks for a pod's events without the kind, and for a
            // node's also under the node's name as uid (the kubelet's).
            i.name == meta.name
                && i.namespace == meta.namespace
                && (kind == "Pod" || i.kind == kind)
                && (meta.uid.is_empty()
                    || i.uid == meta.uid
                    || kind == "Node" && i.uid == meta.name)
        })
        .collect();
    if records.is_empty() {
        w.field(0, "Events", "<none>");
        return;
    }
    crate::sort::by_key(&mut records, |(i, r)| (r.last, *i));
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.write(1, "----\t------\t----\t----\t-------\n");
    for (_, r) in records {
        w.write(
            1,
            &format!(
                "{}\t{}\t{}\t{}\t{}\n",
                r.type_,
                r.reason,
                last_seen(sim.now(), r.first, r.last, r.count),
                r.source,
                r.message.trim()
            ),
        );
    }
}

/// Labels (or node selectors), one `key=value` a line, by key.
fn labels(w: &mut Out, title: &str, labels: &BTreeMap<String, String>) {
    w.write(0, &format!("{title}:\t"));
    if labels.is_empty() {
        w.end("<none>");
        return;
    }
    for (i, (key, value)) in labels.iter().enumerate() {
        if i > 0 {
            // Two writes, as kubectl's: inside a claim template each is
            // indented.
            w.write(0, "");
            w.write(0, "\t");
        }
        w.write(0, &format!("{key}={value}\n"));
    }
}

/// Annotations, one `key: value` a line, by key; a long or multi-line
/// value goes on lines of its own, each cut at 140 characters.
fn annotations(w: &mut Out, title: &str, annotations: &BTreeMap<String, String>) {
    w.write(0, &format!("{title}:\t"));
    let shown: Vec<(&String, &String)> = annotations
        .iter()
        .filter(|(k, _)| *k != LAST_APPLIED)
        .collect();
    if shown.is_empty() {
        w.end("<none>");
        return;
    }
    for (i, (key, value)) in shown.into_iter().enumerate() {
        if i > 0 {
            w.write(0, "\t");
        }
        let value = value.strip_suffix('\n').unwrap_or(value);
        if value.len() + key.len() + 2 > MAX_ANNOTATION || value.contains('\n') {
            w.write(0, &format!("{key}:\n"));
            for line in value.split('\n') {
                let cut = MAX_ANNOTATION - 2;
                let shown = if line.len() > cut {
                    format!("{}...", prefix(line, cut))
                } else {
                    line.to_owned()
                };
                w.write(0, &format!("\t  {shown}\n"));
            }
        } else {
            w.write(0, &format!("{key}: {value}\n"));
        }
    }
}

/// Names one a line, the first beside the title, or `<none>`.
fn list(w: &mut Out, title: &str, names: &[&str]) {
    w.write(0, &format!("{title}:\t"));
    if names.is_empty() {
        w.end("<none>");
        return;
    }
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            w.write(0, "\t");
        }
        w.end(name);
    }
}

/// The first `bytes` bytes of `s`, as Go slices a string (at a character
/// boundary here).
fn prefix(s: &str, bytes: usize) -> &str {
    let mut end = bytes.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A map as `labels.FormatLabels` prints it: `k=v,k2=v2`, or `<none>`.
fn format_labels(map: &BTreeMap<String, String>) -> String {
    if map.is_empty() {
        return "<none>".into();
    }
    map.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Access modes as kubectl lists them: `RWO,ROX,RWX,RWOP` order, once each.
fn access_modes(modes: &[String]) -> String {
    ACCESS_MODES
        .iter()
        .filter(|m| modes.iter().any(|x| x == *m))
        .map(|m| short_mode(m))
        .collect::<Vec<_>>()
        .join(",")
}

/// A list as Go's `%v` prints it: `[a b]`.
fn go_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

fn go_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

fn canonical(q: &Quantity) -> String {
    q.parsed().canonical()
}

/// The `storage` entry of a resource list, `0` when there is none.
fn storage(resources: &BTreeMap<String, Quantity>) -> String {
    resources.get("storage").map_or("0".into(), canonical)
}

/// A time field of an opaque status, in `RFC1123Z`; unset is Go's zero time.
fn time(source: &Opaque, field: &str) -> String {
    source
        .get(field)
        .and_then(serde_json::Value::as_str)
        .and_then(rfc1123z)
        .unwrap_or_else(|| ZERO_TIME.into())
}

/// How long ago a timestamp was, as kubectl's `translateTimestampSince`
/// says it: `<invalid>` for one two seconds or more ahead (a pod's
/// deletion time during its grace period), `<unknown>` for none.
fn since(now: Millis, timestamp: &str) -> String {
    match parse_timestamp(timestamp) {
        None => "<unknown>".into(),
        Some(at) if at >= now + 2_000 => "<invalid>".into(),
        Some(at) => human(now.saturating_sub(at)),
    }
}
