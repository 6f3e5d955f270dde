//! Cluster profiles: the nodes and StorageClasses a simulated cluster
//! starts with.
//!
//! `generic` (the default): three nodes in one zone and a default class
//! `standard` on a simulated network block disk (`disk.csi.pvsim.dev`),
//! Immediate binding, so that a lone claim shows dynamic provisioning.
//! `bare`: the same nodes and no StorageClass, for static provisioning only.
//! `kind`: a control-plane node and two workers, as `kind create cluster`
//! with two workers makes them, and kind's default class `standard` on
//! `rancher.io/local-path` (WaitForFirstConsumer, node-local volumes).
//! `eks`: three nodes in us-west-2a/b/c and the classes of an EKS cluster:
//! `gp2` (the in-tree `kubernetes.io/aws-ebs` name, default) and `gp3` on
//! `ebs.csi.aws.com`, both WaitForFirstConsumer. `gke`: three nodes in
//! us-central1-a/b/c with `standard-rwo` (default, pd-balanced),
//! `premium-rwo` (pd-ssd) on `pd.csi.storage.gke.io` and the in-tree
//! `standard`.
//!
//! Attach limits per CSI driver are in each node's allocatable
//! (`attachable-volumes-csi-<driver>`): 16 for the generic disk, 25 for EBS
//! on m5.large, 15 for PD on e2-medium.
//!
//! Simplification: node names, labels and classes follow each platform's
//! documentation, but there is one node per zone.

use std::collections::BTreeMap;

use crate::Object;
use crate::cluster::backends::{HOSTNAME_LABEL, ZONE_LABEL};
use crate::model::{Node, NodeCondition, ObjectMeta, StorageClass};
use crate::objects::volume;

/// Every profile, with a one-line description.
pub const PROFILES: &[(&str, &str)] = &[
    (
        "auto",
        "the input's own nodes and classes; \"generic\" fills in what it lacks (nodes when it has none, the class when it is not from a running cluster)",
    ),
    ("none", "nothing: only what the input holds"),
    (
        "generic",
        "three nodes in one zone; default StorageClass \"standard\" (network block disk, Immediate)",
    ),
    ("bare", "three nodes in one zone; no StorageClass"),
    (
        "kind",
        "a control-plane node and two workers; default StorageClass \"standard\" (rancher.io/local-path, WaitForFirstConsumer)",
    ),
    (
        "eks",
        "three nodes in us-west-2a/b/c; default StorageClass \"gp2\" and \"gp3\" (EBS, WaitForFirstConsumer)",
    ),
    (
        "gke",
        "three nodes in us-central1-a/b/c; default StorageClass \"standard-rwo\", \"premium-rwo\" (PD CSI) and in-tree \"standard\"",
    ),
];

pub const NODE_NAMES: [&str; 3] = ["node-a", "node-b", "node-c"];
pub const KUBELET_VERSION: &str = "v1.34.0";

fn node(name: &str, zone: &str) -> Object {
    let mut n = node_with(name, &[(ZONE_LABEL, zone)], "10.0.0.1");
    attach_limit(&mut n, "disk.csi.pvsim.dev", 16);
    n
}

/// A node's attach limit for a CSI driver, as its allocatable reports it.
fn attach_limit(node: &mut Object, driver: &str, limit: u32) {
    if let Object::Node(n) = node {
        n.status.allocatable.insert(
            format!("attachable-volumes-csi-{driver}"),
            crate::Quantity::new(&limit.to_string()).expect("a count is a quantity"),
        );
    }
}

/// A Ready node with the usual labels plus `extra`, at an internal IP.
fn node_with(name: &str, extra: &[(&str, &str)], ip: &str) -> Object {
    let mut labels = BTreeMap::new();
    labels.extend(
        [
            ("kubernetes.io/arch", "amd64"),
            (HOSTNAME_LABEL, name),
            ("kubernetes.io/os", "linux"),
        ]
        .iter()
        .chain(extra)
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    let mut n = Node {
        api_version: "v1".into(),
        kind: "Node".into(),
        metadata: ObjectMeta {
            name: name.into(),
            labels,
            ..ObjectMeta::default()
        },
        ..Node::default()
    };
    n.status.conditions.push(NodeCondition {
        type_: "Ready".into(),
        status: "True".into(),
        reason: "KubeletReady".into(),
        message: "kubelet is posting ready status".into(),
        ..NodeCondition::default()
    });
    n.status.node_info = Some(serde_json::json!({ "kubeletVersion": KUBELET_VERSION }));
    n.status.addresses = vec![
        serde_json::json!({"type": "InternalIP", "address": ip}),
        serde_json::json!({"type": "Hostname", "address": name}),
    ];
    Object::Node(n)
}

fn class_with(
    name: &str,
    provisioner: &str,
    default: bool,
    mode: &str,
    parameters: &[(&str, &str)],
    expansion: bool,
) -> Object {
    let Object::StorageClass(mut sc) = class(name, provisioner, default, mode) else {
        unreachable!("class() makes a StorageClass")
    };
    // Extended, not collected: collecting into a map sorts with a copy of
    // the standard sort of its own (see `crate::sort`).
    sc.parameters.extend(
        parameters
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    sc.allow_volume_expansion = Some(expansion);
    Object::StorageClass(sc)
}

fn class(name: &str, provisioner: &str, default: bool, mode: &str) -> Object {
    let mut annotations = BTreeMap::new();
    if default {
        annotations.insert(volume::ANN_DEFAULT_CLASS.to_owned(), "true".to_owned());
    }
    Object::StorageClass(StorageClass {
        api_version: "storage.k8s.io/v1".into(),
        kind: "StorageClass".into(),
        metadata: ObjectMeta {
            name: name.into(),
            annotations,
            ..ObjectMeta::default()
        },
        provisioner: provisioner.into(),
        reclaim_policy: Some("Delete".into()),
        allow_volume_expansion: Some(true),
        volume_binding_mode: Some(mode.into()),
        ..StorageClass::default()
    })
}

/// The objects a profile starts with, or `None` for an unknown name.
pub fn objects(profile: &str) -> Option<Vec<Object>> {
    let nodes = || NODE_NAMES.iter().map(|n| node(n, "zone-a"));
    match profile {
        "generic" => Some(
            nodes()
                .chain([class("standard", "disk.csi.pvsim.dev", true, "Immediate")])
                .collect(),
        ),
        "bare" => Some(nodes().collect()),
        "kind" => {
            let mut control = node_with(
                "kind-control-plane",
                &[("node-role.kubernetes.io/control-plane", "")],
                "172.18.0.2",
            );
            if let Object::Node(n) = &mut control {
                n.spec.taints.push(crate::model::Taint {
                    key: "node-role.kubernetes.io/control-plane".into(),
                    effect: "NoSchedule".into(),
                    ..Default::default()
                });
            }
            Some(vec![
                control,
                node_with("kind-worker", &[], "172.18.0.3"),
                node_with("kind-worker2", &[], "172.18.0.4"),
                class_with(
                    "standard",
                    "rancher.io/local-path",
                    true,
                    "WaitForFirstConsumer",
                    &[],
                    false,
                ),
            ])
        }
        "eks" => {
            let zones = [
                ("a", "192-168-12-34", "192.168.12.34"),
                ("b", "192-168-45-67", "192.168.45.67"),
                ("c", "192-168-78-90", "192.168.78.90"),
            ];
            let mut out: Vec<Object> = zones
                .iter()
                .map(|(z, host, ip)| {
                    let zone = format!("us-west-2{z}");
                    let mut n = node_with(
                        &format!("ip-{host}.us-west-2.compute.internal"),
                        &[
                            (ZONE_LABEL, &zone),
                            ("topology.kubernetes.io/region", "us-west-2"),
                            ("topology.ebs.csi.aws.com/zone", &zone),
                            ("node.kubernetes.io/instance-type", "m5.large"),
                            ("eks.amazonaws.com/nodegroup", "default"),
                        ],
                        ip,
                    );
                    // m5.large: 28 attachments less the root volume and two network interfaces.
                    attach_limit(&mut n, "ebs.csi.aws.com", 25);
                    n
                })
                .collect();
            out.push(class_with(
                "gp2",
                "kubernetes.io/aws-ebs",
                true,
                "WaitForFirstConsumer",
                &[("type", "gp2"), ("fsType", "ext4")],
                false,
            ));
            out.push(class_with(
                "gp3",
                "ebs.csi.aws.com",
                false,
                "WaitForFirstConsumer",
                &[("type", "gp3")],
                true,
            ));
            Some(out)
        }
        "gke" => {
            let zones = [
                ("a", "7d3f", "10.128.0.2"),
                ("b", "k2m9", "10.128.0.3"),
                ("c", "p8x4", "10.128.0.4"),
            ];
            let mut out: Vec<Object> = zones
                .iter()
                .map(|(z, suffix, ip)| {
                    let zone = format!("us-central1-{z}");
                    let mut n = node_with(
                        &format!("gke-cluster-1-default-pool-{suffix}-{z}"),
                        &[
                            (ZONE_LABEL, &zone),
                            ("topology.kubernetes.io/region", "us-central1"),
                            ("topology.gke.io/zone", &zone),
                            ("cloud.google.com/gke-nodepool", "default-pool"),
                            ("node.kubernetes.io/instance-type", "e2-medium"),
                        ],
                        ip,
                    );
                    // Shared-core machines take 16 disks, the boot disk included.
                    attach_limit(&mut n, "pd.csi.storage.gke.io", 15);
                    n
                })
                .collect();
            out.push(class_with(
                "premium-rwo",
                "pd.csi.storage.gke.io",
                false,
                "WaitForFirstConsumer",
                &[("type", "pd-ssd")],
                true,
            ));
            out.push(class_with(
                "standard",
                "kubernetes.io/gce-pd",
                false,
                "Immediate",
                &[("type", "pd-standard")],
                true,
            ));
            out.push(class_with(
                "standard-rwo",
                "pd.csi.storage.gke.io",
                true,
                "WaitForFirstConsumer",
                &[("type", "pd-balanced")],
                true,
            ));
            Some(out)
        }
        _ => None,
    }
}

/// A node a pod is bound to that the input does not list: Ready, with no
/// labels but its hostname, as its kubelet would register it.
pub fn implied_node(name: &str) -> Object {
    let mut node = Node {
        api_version: "v1".into(),
        kind: "Node".into(),
        ..Node::default()
    };
    name.clone_into(&mut node.metadata.name);
    node.metadata
        .labels
        .insert(HOSTNAME_LABEL.into(), name.into());
    Object::Node(node)
}

/// What an input brings of its own, which decides what `auto` adds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InputShape {
    /// The input has Nodes: they are the cluster's nodes.
    pub has_nodes: bool,
    /// The input was taken from a running cluster (objects with a uid, a
    /// resourceVersion or a status): it has the classes it needs.
    pub from_cluster: bool,
}

/// The objects a profile adds to an input, or `None` for an unknown name.
/// `auto` is `generic` less its nodes when the input has nodes, and less
/// its classes when the input comes from a running cluster.
pub fn objects_for(profile: &str, input: InputShape) -> Option<Vec<Object>> {
    match profile {
        "auto" => {
            let mut all = objects("generic")?;
            all.retain(|o| match o {
                Object::Node(_) => !input.has_nodes,
                Object::StorageClass(_) => !input.from_cluster,
                _ => true,
            });
            Some(all)
        }
        "none" => Some(Vec::new()),
        other => objects(other),
    }
}

/// `profile auto: added 3 nodes (node-a, node-b, node-c) and StorageClass
/// "standard" (default)`: the one line that says what pvsim assumed.
pub fn summary(profile: &str, added: &[Object], input: InputShape) -> String {
    let nodes: Vec<&str> = added
        .iter()
        .filter_map(|o| match o {
            Object::Node(n) => Some(n.metadata.name.as_str()),
            _ => None,
        })
        .collect();
    let classes: Vec<String> = added
        .iter()
        .filter_map(|o| match o {
            Object::StorageClass(sc) if volume::is_default_class(sc) => {
                Some(format!("{:?} (default)", sc.metadata.name))
            }
            Object::StorageClass(sc) => Some(format!("{:?}", sc.metadata.name)),
            _ => None,
        })
        .collect();
    let mut parts = Vec::new();
    match nodes.len() {
        0 => {}
        1 => parts.push(format!("node {}", nodes[0])),
        n => parts.push(format!("{n} nodes ({})", nodes.join(", "))),
    }
    match classes.len() {
        0 => {}
        1 => parts.push(format!("StorageClass {}", classes[0])),
        _ => parts.push(format!("StorageClasses {}", classes.join(", "))),
    }
    let what = if parts.is_empty() {
        "added nothing".to_owned()
    } else {
        format!("added {}", parts.join(" and "))
    };
    let why = match (profile, input.has_nodes, input.from_cluster) {
        ("auto", true, true) => " (the input brings its nodes and comes from a running cluster)",
        ("auto", true, false) => " (the input brings its nodes)",
        ("auto", false, true) => " (the input comes from a running cluster)",
        _ => "",
    };
    format!("profile {profile}: {what}{why}")
}

/// `unknown profile "x": pvsim knows generic, bare`.
pub fn unknown(profile: &str) -> String {
    let names: Vec<&str> = PROFILES.iter().map(|(n, _)| *n).collect();
    format!(
        "unknown profile {profile:?}: pvsim knows {}",
        names.join(", ")
    )
}
