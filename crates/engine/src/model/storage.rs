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
        /// The volume's size, as storage: 10Gi; a claim binds only if it asks for no more.
        capacity: BTreeMap<String, Quantity>,
        /// How the volume can be mounted: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod.
        access_modes: Vec<String>,
        /// The claim this volume is bound or reserved to; set it to pre-bind the volume to one claim.
        claim_ref: Option<ObjectReference>,
        /// What happens when its claim is deleted: Retain (keep it, Released) or Delete; Recycle is deprecated.
        persistent_volume_reclaim_policy: String,
        /// The class this volume belongs to; only claims of the same class bind to it (empty: claims without a class).
        storage_class_name: Option<String>,
        /// Options passed to mount, such as nfsvers=4.1; not validated.
        mount_options: Vec<String>,
        /// Filesystem (the default) or Block, a raw device.
        volume_mode: Option<String>,
        /// The nodes the volume can be used from (a zone, or one node for a local disk).
        node_affinity: Option<VolumeNodeAffinity>,
        /// The VolumeAttributesClass this volume belongs to.
        volume_attributes_class_name: Option<String>,
        /// A directory on the node's own disk; for single-node tests only.
        host_path: Option<HostPathVolumeSource>,
        /// An NFS export, shared by pods on any node.
        nfs: Option<NfsVolumeSource>,
        /// A volume handled by an external CSI driver.
        csi: Option<CsiPersistentVolumeSource>,
        /// A disk or directory on one node; needs nodeAffinity to that node.
        local: Option<LocalVolumeSource>,
        /// A Fibre Channel disk.
        fc: Option<FcVolumeSource>,
        /// Deprecated in-tree AWS EBS disk; migrated to the ebs.csi.aws.com driver.
        aws_elastic_block_store: Option<Opaque>,
        /// Deprecated in-tree GCE persistent disk; migrated to pd.csi.storage.gke.io.
        gce_persistent_disk: Option<Opaque>,
        /// Deprecated in-tree Azure disk; migrated to disk.csi.azure.com.
        azure_disk: Option<Opaque>,
        /// Deprecated in-tree Azure file share; migrated to file.csi.azure.com.
        azure_file: Option<Opaque>,
        /// An iSCSI disk.
        iscsi: Option<Opaque>,
        /// Removed in-tree CephFS volume.
        cephfs: Option<Opaque>,
        /// Removed in-tree Ceph RBD disk.
        rbd: Option<Opaque>,
        /// Deprecated in-tree OpenStack Cinder disk; migrated to cinder.csi.openstack.org.
        cinder: Option<Opaque>,
        /// A FlexVolume driver's volume (deprecated).
        flex_volume: Option<Opaque>,
        /// Removed in-tree Flocker volume.
        flocker: Option<Opaque>,
        /// Removed in-tree GlusterFS volume.
        glusterfs: Option<Opaque>,
        /// Removed in-tree Photon disk.
        photon_persistent_disk: Option<Opaque>,
        /// Deprecated in-tree Portworx volume; migrated to pxd.portworx.com.
        portworx_volume: Option<Opaque>,
        /// Removed in-tree Quobyte volume.
        quobyte: Option<Opaque>,
        /// Removed in-tree ScaleIO volume.
        #[serde(rename = "scaleIO")]
        scale_io: Option<Opaque>,
        /// Removed in-tree StorageOS volume.
        storageos: Option<Opaque>,
        /// Deprecated in-tree vSphere disk; migrated to csi.vsphere.vmware.com.
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
        /// Node selector terms; a node must match one of them.
        required: Option<NodeSelector>,
    }
}

k8s_struct! {
    pub struct HostPathVolumeSource {
        /// The directory (or file) on the node.
        path: String,
        /// What must be at path: "", DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice, BlockDevice.
        #[serde(rename = "type")]
        type_: Option<String>,
    }
}

k8s_struct! {
    pub struct NfsVolumeSource {
        /// The NFS server's host name or address.
        server: String,
        /// The exported path on the server.
        path: String,
        /// Mount the export read-only.
        read_only: bool,
    }
}

k8s_struct! {
    pub struct LocalVolumeSource {
        /// The disk or directory on the node.
        path: String,
        /// The filesystem, when path is a block device.
        fs_type: Option<String>,
    }
}

k8s_struct! {
    pub struct FcVolumeSource {
        /// Fibre Channel target world wide names.
        #[serde(rename = "targetWWNs")]
        target_wwns: Vec<String>,
        /// The target's logical unit number.
        lun: Option<i32>,
        /// The filesystem to mount, such as ext4.
        fs_type: String,
        /// Mount the disk read-only.
        read_only: bool,
        /// World wide identifiers, instead of targetWWNs and lun.
        wwids: Vec<String>,
    }
}

k8s_struct! {
    pub struct CsiPersistentVolumeSource {
        /// The CSI driver's name, as in its CSIDriver object (ebs.csi.aws.com).
        driver: String,
        /// The driver's own ID for the volume.
        volume_handle: String,
        /// Publish the volume read-only.
        read_only: bool,
        /// The filesystem to mount, such as ext4.
        fs_type: String,
        /// Driver-specific attributes of the volume.
        volume_attributes: BTreeMap<String, String>,
        /// A Secret the driver needs to attach the volume.
        controller_publish_secret_ref: Option<Opaque>,
        /// A Secret the driver needs to stage the volume on a node.
        node_stage_secret_ref: Option<Opaque>,
        /// A Secret the driver needs to mount the volume for a pod.
        node_publish_secret_ref: Option<Opaque>,
        /// A Secret the driver needs to expand the volume.
        controller_expand_secret_ref: Option<Opaque>,
        /// A Secret the driver needs to expand the filesystem on a node.
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
        /// How the pods will mount it: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod.
        access_modes: Vec<String>,
        /// Labels a volume must have to bind; a claim with a selector is not provisioned dynamically.
        selector: Option<LabelSelector>,
        /// requests.storage: the least size wanted; limits.storage: the most.
        resources: VolumeResourceRequirements,
        /// Bind to this PersistentVolume by name, and no other.
        volume_name: Option<String>,
        /// The StorageClass that provisions the volume; "" asks for a volume without a class; left out, the default class.
        storage_class_name: Option<String>,
        /// Filesystem (the default) or Block, a raw device.
        volume_mode: Option<String>,
        /// Fill the new volume from a VolumeSnapshot or another claim.
        data_source: Option<TypedLocalObjectReference>,
        /// Fill the new volume from any populator's object, possibly in another namespace.
        data_source_ref: Option<TypedObjectReference>,
        /// The VolumeAttributesClass to apply to the volume.
        volume_attributes_class_name: Option<String>,
    }
}

k8s_struct! {
    pub struct VolumeResourceRequirements {
        /// The least the claim needs: storage: 5Gi.
        requests: BTreeMap<String, Quantity>,
        /// The most the claim may have: storage: 10Gi.
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
        /// Not used in a template.
        api_version: String,
        /// Not used in a template.
        kind: String,
        /// Labels and annotations for the claims made from it.
        metadata: ObjectMeta,
        /// The claims' spec: access modes, size, class.
        spec: PersistentVolumeClaimSpec,
        /// Not used in a template.
        status: PersistentVolumeClaimStatus,
    }
}

k8s_object! {
    /// StorageClass: every upstream field (it has no `spec`).
    pub struct StorageClass {
        /// The driver that creates its volumes (ebs.csi.aws.com, rancher.io/local-path, kubernetes.io/no-provisioner).
        provisioner: String,
        /// Settings passed to the provisioner (type: gp3); each driver has its own.
        parameters: BTreeMap<String, String>,
        /// Given to the volumes it creates: Delete (the default) or Retain.
        reclaim_policy: Option<String>,
        /// Given to the volumes it creates.
        mount_options: Vec<String>,
        /// Whether claims of this class may grow by raising requests.storage.
        allow_volume_expansion: Option<bool>,
        /// Immediate (the default) or WaitForFirstConsumer: provision only once a pod is scheduled, in its zone.
        volume_binding_mode: Option<String>,
        /// Where its volumes may be created (zones); empty means anywhere.
        allowed_topologies: Vec<TopologySelectorTerm>,
    }
}

k8s_struct! {
    pub struct TopologySelectorTerm {
        /// Topology label requirements, all of which must hold.
        match_label_expressions: Vec<TopologySelectorLabelRequirement>,
    }
}

k8s_struct! {
    pub struct TopologySelectorLabelRequirement {
        /// The topology label, such as topology.kubernetes.io/zone.
        key: String,
        /// The values allowed.
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
