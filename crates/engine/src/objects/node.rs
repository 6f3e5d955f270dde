//! Queries on Nodes, and the taints the control plane puts on them.

use crate::model::{Node, NodeCondition};
use crate::sim::store::ObjKey;

pub fn node_ready(node: &Node) -> bool {
    node.status
        .conditions
        .iter()
        .any(|c| c.type_ == "Ready" && c.status == "True")
}
/// A fresh Ready condition, for nodes from the input that have none.
pub fn ready_condition() -> NodeCondition {
    NodeCondition {
        type_: "Ready".into(),
        status: "True".into(),
        reason: "KubeletReady".into(),
        message: "kubelet is posting ready status".into(),
        ..NodeCondition::default()
    }
}

pub const NOT_READY_TAINT: &str = "node.kubernetes.io/not-ready";
pub const UNREACHABLE_TAINT: &str = "node.kubernetes.io/unreachable";
pub const UNSCHEDULABLE_TAINT: &str = "node.kubernetes.io/unschedulable";
pub const OUT_OF_SERVICE_TAINT: &str = "node.kubernetes.io/out-of-service";

/// The store key of a node.
pub fn node_key(name: &str) -> ObjKey {
    ObjKey::new("Node", "", name)
}
