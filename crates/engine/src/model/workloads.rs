//! Deployment, its ReplicaSets, StatefulSet, and PodDisruptionBudget.

use super::{
    LabelSelector, Opaque, PersistentVolumeClaimTemplate, PodTemplateSpec, k8s_object, k8s_struct,
};

k8s_object! {
    pub struct Deployment {
        spec: DeploymentSpec,
        status: Option<Opaque>,
    }
}

k8s_struct! {
    pub struct DeploymentSpec {
        replicas: Option<i32>,
        selector: Option<LabelSelector>,
        template: PodTemplateSpec,
        strategy: Option<DeploymentStrategy>,
        min_ready_seconds: Option<i32>,
        revision_history_limit: Option<i32>,
        paused: bool,
        progress_deadline_seconds: Option<i32>,
    }
}

k8s_struct! {
    pub struct DeploymentStrategy {
        #[serde(rename = "type")]
        type_: String,
        rolling_update: Option<Opaque>,
    }
}

k8s_object! {
    /// The ReplicaSets a Deployment makes; pvsim creates them, people rarely do.
    pub struct ReplicaSet {
        spec: ReplicaSetSpec,
        status: Option<Opaque>,
    }
}

k8s_struct! {
    pub struct ReplicaSetSpec {
        replicas: Option<i32>,
        selector: Option<LabelSelector>,
        template: PodTemplateSpec,
        min_ready_seconds: Option<i32>,
    }
}

k8s_object! {
    pub struct StatefulSet {
        spec: StatefulSetSpec,
        status: Option<Opaque>,
    }
}

k8s_struct! {
    pub struct StatefulSetSpec {
        replicas: Option<i32>,
        selector: Option<LabelSelector>,
        template: PodTemplateSpec,
        volume_claim_templates: Vec<PersistentVolumeClaimTemplate>,
        service_name: String,
        pod_management_policy: String,
        update_strategy: Option<Opaque>,
        revision_history_limit: Option<i32>,
        min_ready_seconds: Option<i32>,
        persistent_volume_claim_retention_policy: Option<StatefulSetPersistentVolumeClaimRetentionPolicy>,
        ordinals: Option<Opaque>,
    }
}

k8s_struct! {
    pub struct StatefulSetPersistentVolumeClaimRetentionPolicy {
        when_deleted: String,
        when_scaled: String,
    }
}

k8s_object! {
    pub struct PodDisruptionBudget {
        spec: PodDisruptionBudgetSpec,
        status: Option<Opaque>,
    }
}

k8s_struct! {
    /// `minAvailable` and `maxUnavailable` are an int or a percentage.
    pub struct PodDisruptionBudgetSpec {
        min_available: Option<Opaque>,
        max_unavailable: Option<Opaque>,
        selector: Option<LabelSelector>,
        unhealthy_pod_eviction_policy: Option<String>,
    }
}
