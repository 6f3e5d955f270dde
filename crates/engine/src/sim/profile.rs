//! Cluster profiles: the nodes and StorageClasses a simulated cluster
//! starts with.
//!
//! `generic` (the default): three nodes in one zone and a default class
//! `standard` on a simulated network block disk (`disk.csi.pvsim.dev`),
//! Immediate binding, so that a lone claim shows dynamic provisioning.
//! `bare`: the same nodes and no StorageClass, for static provisioning only.

use std::collections::BTreeMap;

use super::backends::{HOSTNAME_LABEL, ZONE_LABEL};
use crate::Object;
use crate::model::{Node, NodeCondition, ObjectMeta, StorageClass};

/// Every profile, with a one-line description.
pub const PROFILES: &[(&str, &str)] = &[
    (
        "generic",
        "three nodes in one zone; default StorageClass \"standard\" (network block disk, Immediate)",
    ),
    ("bare", "three nodes in one zone; no StorageClass"),
];

pub const NODE_NAMES: [&str; 3] = ["node-a", "node-b", "node-c"];
pub const KUBELET_VERSION: &str = "v1.34.0";

fn node(name: &str, zone: &str) -> Object {
    let labels: BTreeMap<String, String> = [
        ("kubernetes.io/arch", "amd64"),
        (HOSTNAME_LABEL, name),
        ("kubernetes.io/os", "linux"),
        (ZONE_LABEL, zone),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
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
    Object::Node(n)
}

fn class(name: &str, provisioner: &str, default: bool, mode: &str) -> Object {
    let mut annotations = BTreeMap::new();
    if default {
        annotations.insert(
            super::store::ANN_DEFAULT_CLASS.to_owned(),
            "true".to_owned(),
        );
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
        _ => None,
    }
}

/// `unknown profile "x": pvsim knows generic, bare`.
pub fn unknown(profile: &str) -> String {
    let names: Vec<&str> = PROFILES.iter().map(|(n, _)| *n).collect();
    format!(
        "unknown profile {profile:?}: pvsim knows {}",
        names.join(", ")
    )
}
