//! PersistentVolume, PersistentVolumeClaim, StorageClass and the other
//! `storage.k8s.io` and `snapshot.storage.k8s.io` kinds.

use std::collections::BTreeMap;

use super::{
    LabelSelector, NodeSelector, ObjectMeta, ObjectReference, Opaque, TypedLocalObjectReference,
};
use super::{TypedObjectReference, k8s_object, k8s_struct};
use crate::Quantity;

k8s_object! {
    pub struct PersistentVolume {
        spec: PersistentVolumeSpec,
        status: PersistentVolumeStatus,
    }
}

k8s_struct! {
    /// Every field of upstream `PersistentVolumeSpec`. The volume sources
    /// pvsim simulates are typed; the rest are kept opaque.
    pub struct PersistentVolumeSpec {
        capacity: BTreeMap<String, Quantity>,
        access_modes: Vec<String>,
        claim_ref: Option<ObjectReference>,
        persistent_volume_reclaim_policy: String,
        storage_class_name: Option<String>,
        mount_options: Vec<String>,
        volume_mode: Option<String>,
        node_affinity: Option<VolumeNodeAffinity>,
        volume_attributes_class_name: Option<String>,
        host_path: Option<HostPathVolumeSource>,
        nfs: Option<NfsVolumeSource>,
        csi: Option<CsiPersistentVolumeSource>,
        local: Option<LocalVolumeSource>,
        fc: Option<FcVolumeSource>,
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

/// The volume-source fields of a PersistentVolume, in upstream order.
pub const PV_SOURCES: &[&str] = &[
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "hostPath",
    "glusterfs",
    "nfs",
    "rbd",
    "iscsi",
    "cinder",
    "cephfs",
    "fc",
    "flocker",
    "flexVolume",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "portworxVolume",
    "scaleIO",
    "local",
    "storageos",
    "csi",
];

k8s_struct! {
    pub struct PersistentVolumeStatus {
        phase: String,
        message: String,
        reason: String,
        last_phase_transition_time: Option<String>,
    }
}

k8s_struct! {
    pub struct VolumeNodeAffinity {
        required: Option<NodeSelector>,
    }
}

k8s_struct! {
    pub struct HostPathVolumeSource {
        path: String,
        #[serde(rename = "type")]
        type_: Option<String>,
    }
}

k8s_struct! {
    pub struct NfsVolumeSource {
        server: String,
        path: String,
        read_only: bool,
    }
}

k8s_struct! {
    pub struct LocalVolumeSource {
        path: String,
        fs_type: Option<String>,
    }
}

k8s_struct! {
    pub struct FcVolumeSource {
        #[serde(rename = "targetWWNs")]
        target_wwns: Vec<String>,
        lun: Option<i32>,
        fs_type: String,
        read_only: bool,
        wwids: Vec<String>,
    }
}

k8s_struct! {
    pub struct CsiPersistentVolumeSource {
        driver: String,
        volume_handle: String,
        read_only: bool,
        fs_type: String,
        volume_attributes: BTreeMap<String, String>,
        controller_publish_secret_ref: Option<Opaque>,
        node_stage_secret_ref: Option<Opaque>,
        node_publish_secret_ref: Option<Opaque>,
        controller_expand_secret_ref: Option<Opaque>,
        node_expand_secret_ref: Option<Opaque>,
    }
}

k8s_object! {
    pub struct PersistentVolumeClaim {
        spec: PersistentVolumeClaimSpec,
        status: PersistentVolumeClaimStatus,
    }
}

k8s_struct! {
    /// Every field of upstream `PersistentVolumeClaimSpec`.
    pub struct PersistentVolumeClaimSpec {
        access_modes: Vec<String>,
        selector: Option<LabelSelector>,
        resources: VolumeResourceRequirements,
        volume_name: Option<String>,
        storage_class_name: Option<String>,
        volume_mode: Option<String>,
        data_source: Option<TypedLocalObjectReference>,
        data_source_ref: Option<TypedObjectReference>,
        volume_attributes_class_name: Option<String>,
    }
}

k8s_struct! {
    pub struct VolumeResourceRequirements {
        requests: BTreeMap<String, Quantity>,
        limits: BTreeMap<String, Quantity>,
    }
}

k8s_struct! {
    pub struct PersistentVolumeClaimStatus {
        phase: String,
        access_modes: Vec<String>,
        capacity: BTreeMap<String, Quantity>,
        conditions: Vec<Opaque>,
        allocated_resources: BTreeMap<String, Quantity>,
        allocated_resource_statuses: BTreeMap<String, String>,
        current_volume_attributes_class_name: Option<String>,
        modify_volume_status: Option<Opaque>,
    }
}

k8s_struct! {
    /// A claim template: a StatefulSet's `volumeClaimTemplates` item or a
    /// generic ephemeral volume's `volumeClaimTemplate`.
    pub struct PersistentVolumeClaimTemplate {
        api_version: String,
        kind: String,
        metadata: ObjectMeta,
        spec: PersistentVolumeClaimSpec,
        status: PersistentVolumeClaimStatus,
    }
}

k8s_object! {
    /// StorageClass: every upstream field (it has no `spec`).
    pub struct StorageClass {
        provisioner: String,
        parameters: BTreeMap<String, String>,
        reclaim_policy: Option<String>,
        mount_options: Vec<String>,
        allow_volume_expansion: Option<bool>,
        volume_binding_mode: Option<String>,
        allowed_topologies: Vec<TopologySelectorTerm>,
    }
}

k8s_struct! {
    pub struct TopologySelectorTerm {
        match_label_expressions: Vec<TopologySelectorLabelRequirement>,
    }
}

k8s_struct! {
    pub struct TopologySelectorLabelRequirement {
        key: String,
        values: Vec<String>,
    }
}

k8s_object! {
    pub struct CsiDriver {
        spec: CsiDriverSpec,
    }
}

k8s_struct! {
    pub struct CsiDriverSpec {
        attach_required: Option<bool>,
        pod_info_on_mount: Option<bool>,
        volume_lifecycle_modes: Vec<String>,
        storage_capacity: Option<bool>,
        fs_group_policy: Option<String>,
        token_requests: Vec<Opaque>,
        requires_republish: Option<bool>,
        #[serde(rename = "seLinuxMount")]
        se_linux_mount: Option<bool>,
        node_allocatable_update_period_seconds: Option<i64>,
    }
}

k8s_object! {
    pub struct VolumeAttachment {
        spec: VolumeAttachmentSpec,
        status: VolumeAttachmentStatus,
    }
}

k8s_struct! {
    pub struct VolumeAttachmentSpec {
        attacher: String,
        node_name: String,
        source: VolumeAttachmentSource,
    }
}

k8s_struct! {
    pub struct VolumeAttachmentSource {
        persistent_volume_name: Option<String>,
        inline_volume_spec: Option<Opaque>,
    }
}

k8s_struct! {
    pub struct VolumeAttachmentStatus {
        attached: bool,
        attachment_metadata: BTreeMap<String, String>,
        attach_error: Option<Opaque>,
        detach_error: Option<Opaque>,
    }
}

k8s_object! {
    pub struct VolumeSnapshot {
        spec: VolumeSnapshotSpec,
        status: Option<Opaque>,
    }
}

k8s_struct! {
    pub struct VolumeSnapshotSpec {
        source: VolumeSnapshotSource,
        volume_snapshot_class_name: Option<String>,
    }
}

k8s_struct! {
    pub struct VolumeSnapshotSource {
        persistent_volume_claim_name: Option<String>,
        volume_snapshot_content_name: Option<String>,
    }
}

k8s_object! {
    /// VolumeSnapshotClass has no `spec`.
    pub struct VolumeSnapshotClass {
        driver: String,
        deletion_policy: String,
        parameters: BTreeMap<String, String>,
    }
}
