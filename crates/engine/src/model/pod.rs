//! Pod, its volumes, containers' mounts and scheduling constraints.

use std::collections::BTreeMap;

use super::{FcVolumeSource, HostPathVolumeSource, NfsVolumeSource};
use super::{
    LabelSelector, NodeSelector, ObjectMeta, Opaque, PersistentVolumeClaimTemplate, k8s_object,
    k8s_struct,
};
use crate::Quantity;

k8s_object! {
    pub struct Pod {
        spec: PodSpec,
        status: PodStatus,
    }
}

k8s_struct! {
    /// The pod fields storage and scheduling depend on; other fields are
    /// kept in the object's source.
    pub struct PodSpec {
        volumes: Vec<Volume>,
        init_containers: Vec<Container>,
        containers: Vec<Container>,
        node_name: String,
        node_selector: BTreeMap<String, String>,
        affinity: Option<Affinity>,
        tolerations: Vec<Toleration>,
        scheduler_name: String,
        restart_policy: String,
        termination_grace_period_seconds: Option<i64>,
        priority_class_name: String,
        service_account_name: String,
    }
}

k8s_struct! {
    pub struct PodStatus {
        phase: String,
        conditions: Vec<Opaque>,
        host_ip: String,
        pod_ip: String,
        start_time: Option<String>,
        container_statuses: Vec<Opaque>,
    }
}

k8s_struct! {
    pub struct PodTemplateSpec {
        metadata: ObjectMeta,
        spec: PodSpec,
    }
}

k8s_struct! {
    /// A pod volume: its name and one source. Every upstream source is a
    /// field, so a misspelled one is caught; the sources pvsim simulates
    /// are typed.
    pub struct Volume {
        name: String,
        persistent_volume_claim: Option<PersistentVolumeClaimVolumeSource>,
        ephemeral: Option<EphemeralVolumeSource>,
        host_path: Option<HostPathVolumeSource>,
        empty_dir: Option<EmptyDirVolumeSource>,
        nfs: Option<NfsVolumeSource>,
        csi: Option<CsiVolumeSource>,
        fc: Option<FcVolumeSource>,
        config_map: Option<Opaque>,
        secret: Option<Opaque>,
        projected: Option<Opaque>,
        #[serde(rename = "downwardAPI")]
        downward_api: Option<Opaque>,
        git_repo: Option<Opaque>,
        image: Option<Opaque>,
        aws_elastic_block_store: Option<Opaque>,
        gce_persistent_disk: Option<Opaque>,
        azure_disk: Option<Opaque>,
        azure_file: Option<Opaque>,
        iscsi: Option<Opaque>,
        cephfs: Option<Opaque>,
        rbd: Option<Opaque>,
        cinder: Option<Opaque>,
        flex_volume: Option<Opaque>,
        flocker: Option<Opaque>,
        glusterfs: Option<Opaque>,
        photon_persistent_disk: Option<Opaque>,
        portworx_volume: Option<Opaque>,
        quobyte: Option<Opaque>,
        #[serde(rename = "scaleIO")]
        scale_io: Option<Opaque>,
        storageos: Option<Opaque>,
        vsphere_volume: Option<Opaque>,
    }
}

k8s_struct! {
    pub struct PersistentVolumeClaimVolumeSource {
        claim_name: String,
        read_only: bool,
    }
}

k8s_struct! {
    pub struct EphemeralVolumeSource {
        volume_claim_template: Option<PersistentVolumeClaimTemplate>,
    }
}

k8s_struct! {
    pub struct EmptyDirVolumeSource {
        medium: String,
        size_limit: Option<Quantity>,
    }
}

k8s_struct! {
    /// An inline (ephemeral) CSI volume.
    pub struct CsiVolumeSource {
        driver: String,
        read_only: Option<bool>,
        fs_type: Option<String>,
        volume_attributes: BTreeMap<String, String>,
        node_publish_secret_ref: Option<Opaque>,
    }
}

k8s_struct! {
    /// A container: only its name and what it mounts are modelled.
    pub struct Container {
        name: String,
        image: String,
        volume_mounts: Vec<VolumeMount>,
        volume_devices: Vec<VolumeDevice>,
    }
}

k8s_struct! {
    pub struct VolumeMount {
        name: String,
        mount_path: String,
        sub_path: String,
        sub_path_expr: String,
        read_only: bool,
        recursive_read_only: Option<String>,
        mount_propagation: Option<String>,
    }
}

k8s_struct! {
    pub struct VolumeDevice {
        name: String,
        device_path: String,
    }
}

k8s_struct! {
    pub struct Affinity {
        node_affinity: Option<NodeAffinity>,
        pod_affinity: Option<PodAffinity>,
        pod_anti_affinity: Option<PodAffinity>,
    }
}

k8s_struct! {
    pub struct NodeAffinity {
        required_during_scheduling_ignored_during_execution: Option<NodeSelector>,
        preferred_during_scheduling_ignored_during_execution: Vec<Opaque>,
    }
}

k8s_struct! {
    /// `podAffinity` and `podAntiAffinity` have the same shape.
    pub struct PodAffinity {
        required_during_scheduling_ignored_during_execution: Vec<PodAffinityTerm>,
        preferred_during_scheduling_ignored_during_execution: Vec<Opaque>,
    }
}

k8s_struct! {
    pub struct PodAffinityTerm {
        label_selector: Option<LabelSelector>,
        namespaces: Vec<String>,
        topology_key: String,
        namespace_selector: Option<LabelSelector>,
        match_label_keys: Vec<String>,
        mismatch_label_keys: Vec<String>,
    }
}

k8s_struct! {
    pub struct Toleration {
        key: String,
        operator: String,
        value: String,
        effect: String,
        toleration_seconds: Option<i64>,
    }
}
