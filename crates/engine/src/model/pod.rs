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
        /// The volume's name in this pod; volumeMounts refer to it.
        name: String,
        /// Mount the volume bound to a claim in the pod's namespace.
        persistent_volume_claim: Option<PersistentVolumeClaimVolumeSource>,
        /// A claim made for this pod from a template, deleted with the pod.
        ephemeral: Option<EphemeralVolumeSource>,
        /// A directory on the node; what is written stays on that node.
        host_path: Option<HostPathVolumeSource>,
        /// An empty directory that lives and dies with the pod.
        empty_dir: Option<EmptyDirVolumeSource>,
        /// An NFS export.
        nfs: Option<NfsVolumeSource>,
        /// An inline volume from a CSI driver, with the pod's lifetime.
        csi: Option<CsiVolumeSource>,
        /// A Fibre Channel disk.
        fc: Option<FcVolumeSource>,
        /// Files from a ConfigMap.
        config_map: Option<Opaque>,
        /// Files from a Secret.
        secret: Option<Opaque>,
        /// Files from several sources (Secrets, ConfigMaps, the downward API, tokens) in one directory.
        projected: Option<Opaque>,
        /// Files holding the pod's own fields and labels.
        #[serde(rename = "downwardAPI")]
        downward_api: Option<Opaque>,
        /// Deprecated: a directory cloned from git.
        git_repo: Option<Opaque>,
        /// The contents of a container image or OCI artifact.
        image: Option<Opaque>,
        /// Deprecated in-tree AWS EBS disk.
        aws_elastic_block_store: Option<Opaque>,
        /// Deprecated in-tree GCE persistent disk.
        gce_persistent_disk: Option<Opaque>,
        /// Deprecated in-tree Azure disk.
        azure_disk: Option<Opaque>,
        /// Deprecated in-tree Azure file share.
        azure_file: Option<Opaque>,
        /// An iSCSI disk.
        iscsi: Option<Opaque>,
        /// Removed in-tree CephFS volume.
        cephfs: Option<Opaque>,
        /// Removed in-tree Ceph RBD disk.
        rbd: Option<Opaque>,
        /// Deprecated in-tree OpenStack Cinder disk.
        cinder: Option<Opaque>,
        /// A FlexVolume driver's volume (deprecated).
        flex_volume: Option<Opaque>,
        /// Removed in-tree Flocker volume.
        flocker: Option<Opaque>,
        /// Removed in-tree GlusterFS volume.
        glusterfs: Option<Opaque>,
        /// Removed in-tree Photon disk.
        photon_persistent_disk: Option<Opaque>,
        /// Deprecated in-tree Portworx volume.
        portworx_volume: Option<Opaque>,
        /// Removed in-tree Quobyte volume.
        quobyte: Option<Opaque>,
        /// Removed in-tree ScaleIO volume.
        #[serde(rename = "scaleIO")]
        scale_io: Option<Opaque>,
        /// Removed in-tree StorageOS volume.
        storageos: Option<Opaque>,
        /// Deprecated in-tree vSphere disk.
        vsphere_volume: Option<Opaque>,
    }
}

k8s_struct! {
    pub struct PersistentVolumeClaimVolumeSource {
        /// The claim's name, in the pod's namespace.
        claim_name: String,
        /// Mount the volume read-only.
        read_only: bool,
    }
}

k8s_struct! {
    pub struct EphemeralVolumeSource {
        /// The claim to create for the pod, named <pod>-<volume>.
        volume_claim_template: Option<PersistentVolumeClaimTemplate>,
    }
}

k8s_struct! {
    pub struct EmptyDirVolumeSource {
        /// "" for the node's disk, Memory for a tmpfs.
        medium: String,
        /// The most the directory may hold; the pod is evicted beyond it.
        size_limit: Option<Quantity>,
    }
}

k8s_struct! {
    /// An inline (ephemeral) CSI volume.
    pub struct CsiVolumeSource {
        /// The CSI driver's name.
        driver: String,
        /// Mount the volume read-only.
        read_only: Option<bool>,
        /// The filesystem to mount, such as ext4.
        fs_type: Option<String>,
        /// Driver-specific attributes of the volume.
        volume_attributes: BTreeMap<String, String>,
        /// A Secret the driver needs to mount the volume.
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
        /// The pod volume to mount.
        name: String,
        /// Where in the container it is mounted.
        mount_path: String,
        /// Mount this path inside the volume instead of its root.
        sub_path: String,
        /// Like subPath, with $(VAR) expanded from the container's environment.
        sub_path_expr: String,
        /// Mount it read-only.
        read_only: bool,
        /// Disabled, IfPossible or Enabled: read-only all the way down.
        recursive_read_only: Option<String>,
        /// None, HostToContainer or Bidirectional.
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
