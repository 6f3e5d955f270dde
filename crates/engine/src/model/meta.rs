//! Metadata and references shared by every object.

use std::collections::BTreeMap;

use super::{Opaque, k8s_struct};

k8s_struct! {
    /// `metadata`: every field of upstream `ObjectMeta`, so that a typo in
    /// one is caught.
    pub struct ObjectMeta {
        name: String,
        generate_name: String,
        namespace: String,
        self_link: String,
        uid: String,
        resource_version: String,
        generation: Option<i64>,
        creation_timestamp: Option<String>,
        deletion_timestamp: Option<String>,
        deletion_grace_period_seconds: Option<i64>,
        labels: BTreeMap<String, String>,
        annotations: BTreeMap<String, String>,
        owner_references: Vec<OwnerReference>,
        finalizers: Vec<String>,
        managed_fields: Vec<Opaque>,
    }
}

k8s_struct! {
    pub struct OwnerReference {
        api_version: String,
        kind: String,
        name: String,
        uid: String,
        controller: Option<bool>,
        block_owner_deletion: Option<bool>,
    }
}

k8s_struct! {
    /// `ObjectReference`, as in a PV's `claimRef` or an Event's `involvedObject`.
    pub struct ObjectReference {
        api_version: String,
        kind: String,
        namespace: String,
        name: String,
        uid: String,
        resource_version: String,
        field_path: String,
    }
}

k8s_struct! {
    pub struct LocalObjectReference {
        name: String,
    }
}

k8s_struct! {
    /// `dataSource` of a claim.
    pub struct TypedLocalObjectReference {
        api_group: Option<String>,
        kind: String,
        name: String,
    }
}

k8s_struct! {
    /// `dataSourceRef` of a claim.
    pub struct TypedObjectReference {
        api_group: Option<String>,
        kind: String,
        name: String,
        namespace: Option<String>,
    }
}

k8s_struct! {
    pub struct LabelSelector {
        match_labels: BTreeMap<String, String>,
        match_expressions: Vec<LabelSelectorRequirement>,
    }
}

k8s_struct! {
    pub struct LabelSelectorRequirement {
        key: String,
        operator: String,
        values: Vec<String>,
    }
}

k8s_struct! {
    /// A node selector, as in a PV's `nodeAffinity.required`.
    pub struct NodeSelector {
        node_selector_terms: Vec<NodeSelectorTerm>,
    }
}

k8s_struct! {
    pub struct NodeSelectorTerm {
        match_expressions: Vec<NodeSelectorRequirement>,
        match_fields: Vec<NodeSelectorRequirement>,
    }
}

k8s_struct! {
    pub struct NodeSelectorRequirement {
        key: String,
        operator: String,
        values: Vec<String>,
    }
}
