//! Metadata and references shared by every object.

use std::collections::BTreeMap;

use super::{Opaque, k8s_struct};

k8s_struct! {
    /// `metadata`: every field of upstream `ObjectMeta`, so that a typo in
    /// one is caught.
    pub struct ObjectMeta {
        /// The object's name, unique among objects of its kind (and namespace).
        name: String,
        /// A prefix the API server completes into a unique name when name is empty.
        generate_name: String,
        /// The namespace of a namespaced object; default when left out.
        namespace: String,
        /// Deprecated; the API server leaves it empty.
        self_link: String,
        /// Set by the API server: the identity of this object for its whole life.
        uid: String,
        /// Set by the API server: changes whenever the object does.
        resource_version: String,
        /// Set by the API server: counts changes to the spec.
        generation: Option<i64>,
        /// Set by the API server when the object is created.
        creation_timestamp: Option<String>,
        /// Set by the API server when deletion is requested; the object goes once its finalizers are done.
        deletion_timestamp: Option<String>,
        /// How long the object has to shut down once deletion is requested.
        deletion_grace_period_seconds: Option<i64>,
        /// Key/value pairs that selectors match (a Deployment's pods, a PV for a claim's selector).
        labels: BTreeMap<String, String>,
        /// Key/value pairs for tools and controllers; not used for selection.
        annotations: BTreeMap<String, String>,
        /// The objects this one belongs to; the garbage collector deletes it after them.
        owner_references: Vec<OwnerReference>,
        /// Names that hold deletion until each controller removes its own (kubernetes.io/pvc-protection).
        finalizers: Vec<String>,
        /// Set by the API server: which manager wrote which field.
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
        /// The object's API group (snapshot.storage.k8s.io); empty for the core group.
        api_group: Option<String>,
        /// The object's kind: VolumeSnapshot or PersistentVolumeClaim.
        kind: String,
        /// The object's name, in the claim's namespace.
        name: String,
    }
}

k8s_struct! {
    /// `dataSourceRef` of a claim.
    pub struct TypedObjectReference {
        /// The object's API group; empty for the core group.
        api_group: Option<String>,
        /// The object's kind.
        kind: String,
        /// The object's name.
        name: String,
        /// The object's namespace, when not the claim's (needs a ReferenceGrant).
        namespace: Option<String>,
    }
}

k8s_struct! {
    pub struct LabelSelector {
        /// Labels an object must have, each with this value.
        match_labels: BTreeMap<String, String>,
        /// Requirements on labels, all of which must hold.
        match_expressions: Vec<LabelSelectorRequirement>,
    }
}

k8s_struct! {
    pub struct LabelSelectorRequirement {
        /// The label to test.
        key: String,
        /// In, NotIn, Exists or DoesNotExist.
        operator: String,
        /// The values for In and NotIn.
        values: Vec<String>,
    }
}

k8s_struct! {
    /// A node selector, as in a PV's `nodeAffinity.required`.
    pub struct NodeSelector {
        /// A node matches if it matches any one term.
        node_selector_terms: Vec<NodeSelectorTerm>,
    }
}

k8s_struct! {
    pub struct NodeSelectorTerm {
        /// Requirements on node labels, all of which must hold.
        match_expressions: Vec<NodeSelectorRequirement>,
        /// Requirements on node fields (metadata.name), all of which must hold.
        match_fields: Vec<NodeSelectorRequirement>,
    }
}

k8s_struct! {
    pub struct NodeSelectorRequirement {
        /// The label (or field) to test, such as topology.kubernetes.io/zone.
        key: String,
        /// In, NotIn, Exists, DoesNotExist, Gt or Lt.
        operator: String,
        /// The values the operator compares with.
        values: Vec<String>,
    }
}
