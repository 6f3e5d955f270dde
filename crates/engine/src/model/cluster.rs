//! Node, Namespace and Event.

use std::collections::BTreeMap;

use super::{ObjectReference, Opaque, k8s_object, k8s_struct};
use crate::Quantity;

k8s_object! {
    pub struct Node {
        spec: NodeSpec,
        status: NodeStatus,
    }
}

k8s_struct! {
    pub struct NodeSpec {
        unschedulable: bool,
        taints: Vec<Taint>,
        #[serde(rename = "podCIDR")]
        pod_cidr: String,
        #[serde(rename = "providerID")]
        provider_id: String,
    }
}

k8s_struct! {
    pub struct Taint {
        key: String,
        value: String,
        effect: String,
        time_added: Option<String>,
    }
}

k8s_struct! {
    pub struct NodeStatus {
        conditions: Vec<NodeCondition>,
        capacity: BTreeMap<String, Quantity>,
        allocatable: BTreeMap<String, Quantity>,
        volumes_attached: Vec<AttachedVolume>,
        volumes_in_use: Vec<String>,
        node_info: Option<Opaque>,
        addresses: Vec<Opaque>,
    }
}

k8s_struct! {
    pub struct NodeCondition {
        #[serde(rename = "type")]
        type_: String,
        status: String,
        reason: String,
        message: String,
        last_heartbeat_time: Option<String>,
        last_transition_time: Option<String>,
    }
}

k8s_struct! {
    pub struct AttachedVolume {
        name: String,
        device_path: String,
    }
}

k8s_object! {
    pub struct Namespace {
        spec: Option<Opaque>,
        status: Option<Opaque>,
    }
}

k8s_object! {
    /// A core v1 Event, as `kubectl get events` reads it.
    pub struct Event {
        involved_object: ObjectReference,
        reason: String,
        message: String,
        source: EventSource,
        first_timestamp: Option<String>,
        last_timestamp: Option<String>,
        count: Option<i32>,
        #[serde(rename = "type")]
        type_: String,
        event_time: Option<String>,
        reporting_component: String,
        reporting_instance: String,
        action: String,
        series: Option<Opaque>,
        related: Option<ObjectReference>,
    }
}

k8s_struct! {
    pub struct EventSource {
        component: String,
        host: String,
    }
}
