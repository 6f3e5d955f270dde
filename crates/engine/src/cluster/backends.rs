//! The simulated storage backends, chosen by provisioner name, and the
//! volumes that exist on them.
//!
//! Three families, as in the clouds: zonal block disks (one node at a time,
//! `ReadWriteOnce`/`ReadWriteOncePod`, sizes rounded up to whole GiB, pinned
//! to one zone), network file shares (`ReadWriteMany`, reachable from every
//! node) and node-local storage (pinned to one node). Each CSI driver here
//! is taken to be installed and running; any other provisioner name has
//! nobody behind it, so its claims wait with `ExternalProvisioning`, as
//! upstream.
//!
//! Simplifications: zonal volumes carry node affinity on the well-known
//! `topology.kubernetes.io/zone` label for every driver (drivers also
//! publish their own keys); latencies are fixed per driver; error texts
//! follow each driver's wording but are not byte-for-byte theirs.

use std::collections::BTreeMap;

use crate::sim::clock::{MINUTE, Millis, SECOND};
use crate::sim::journal::Journal;
use crate::sim::rng::Rng;

pub const ZONE_LABEL: &str = "topology.kubernetes.io/zone";
pub const HOSTNAME_LABEL: &str = "kubernetes.io/hostname";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    BlockDisk,
    FileShare,
    NodeLocal,
}

/// One provisioner pvsim can simulate.
#[derive(Clone, Copy, Debug)]
pub struct Driver {
    pub name: &'static str,
    pub family: Family,
    /// The name of the controller Deployment, for the event source.
    pub controller: &'static str,
    pub modes: &'static [&'static str],
    /// Sizes are rounded up to a multiple of this many bytes.
    pub granularity: i128,
    /// The smallest volume the backend makes, in bytes.
    pub minimum: i128,
    pub create_latency: Millis,
    pub delete_latency: Millis,
    /// ControllerPublish/Unpublish (block disks only).
    pub attach_latency: Millis,
    pub detach_latency: Millis,
    /// Whether the volume is a CSI volume (`spec.csi`); local-path writes
    /// `hostPath` volumes.
    pub csi: bool,
}

const GI: i128 = 1 << 30;
const BLOCK_MODES: &[&str] = &["ReadWriteOnce", "ReadWriteOncePod"];
const FILE_MODES: &[&str] = &[
    "ReadWriteOnce",
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOncePod",
];

const fn driver(
    name: &'static str,
    family: Family,
    controller: &'static str,
    granularity: i128,
    minimum: i128,
    create_latency: Millis,
) -> Driver {
    Driver {
        name,
        family,
        controller,
        modes: match family {
            Family::FileShare => FILE_MODES,
            Family::BlockDisk | Family::NodeLocal => BLOCK_MODES,
        },
        granularity,
        minimum,
        create_latency,
        delete_latency: create_latency / 2,
        attach_latency: create_latency,
        detach_latency: create_latency,
        csi: true,
    }
}

/// Every backend pvsim simulates.
pub const CATALOG: &[Driver] = &[
    driver(
        "disk.csi.pvsim.dev",
        Family::BlockDisk,
        "pvsim-disk-controller",
        GI,
        GI,
        2 * SECOND,
    ),
    driver(
        "ebs.csi.aws.com",
        Family::BlockDisk,
        "ebs-csi-controller",
        GI,
        GI,
        4 * SECOND,
    ),
    driver(
        "pd.csi.storage.gke.io",
        Family::BlockDisk,
        "csi-gce-pd-controller",
        GI,
        GI,
        5 * SECOND,
    ),
    driver(
        "disk.csi.azure.com",
        Family::BlockDisk,
        "csi-azuredisk-controller",
        GI,
        GI,
        6 * SECOND,
    ),
    driver(
        "efs.csi.aws.com",
        Family::FileShare,
        "efs-csi-controller",
        1,
        1,
        3 * SECOND,
    ),
    driver(
        "filestore.csi.storage.gke.io",
        Family::FileShare,
        "filestore-csi-controller",
        GI,
        1024 * GI,
        3 * MINUTE,
    ),
    driver(
        "file.csi.azure.com",
        Family::FileShare,
        "csi-azurefile-controller",
        GI,
        GI,
        5 * SECOND,
    ),
    driver(
        "nfs.csi.k8s.io",
        Family::FileShare,
        "csi-nfs-controller",
        1,
        1,
        SECOND,
    ),
    Driver {
        csi: false,
        ..driver(
            "rancher.io/local-path",
            Family::NodeLocal,
            "local-path-provisioner",
            1,
            1,
            2 * SECOND,
        )
    },
    driver(
        "hostpath.csi.k8s.io",
        Family::NodeLocal,
        "csi-hostpathplugin",
        1,
        1,
        SECOND,
    ),
];

/// The in-tree provisioner names whose CSI migration is complete in 1.34,
/// and the CSI driver that now serves each.
pub const MIGRATED: &[(&str, &str)] = &[
    ("kubernetes.io/aws-ebs", "ebs.csi.aws.com"),
    ("kubernetes.io/gce-pd", "pd.csi.storage.gke.io"),
    ("kubernetes.io/azure-disk", "disk.csi.azure.com"),
    ("kubernetes.io/azure-file", "file.csi.azure.com"),
    ("kubernetes.io/cinder", "cinder.csi.openstack.org"),
    ("kubernetes.io/vsphere-volume", "csi.vsphere.vmware.com"),
    ("kubernetes.io/portworx-volume", "pxd.portworx.com"),
];

pub fn find(name: &str) -> Option<&'static Driver> {
    CATALOG.iter().find(|d| d.name == name)
}

pub fn migrated(provisioner: &str) -> Option<&'static str> {
    MIGRATED
        .iter()
        .find(|(in_tree, _)| *in_tree == provisioner)
        .map(|(_, csi)| *csi)
}

impl Driver {
    /// The size the backend makes for a request, in bytes.
    pub fn size_for(&self, request: i128) -> i128 {
        let rounded = (request + self.granularity - 1) / self.granularity * self.granularity;
        rounded.max(self.minimum)
    }

    /// The driver's refusal of an access mode, in its style.
    pub fn unsupported_mode(&self, mode: &str) -> String {
        let csi_mode = match mode {
            "ReadWriteMany" => "MULTI_NODE_MULTI_WRITER",
            "ReadOnlyMany" => "MULTI_NODE_READER_ONLY",
            "ReadWriteOncePod" => "SINGLE_NODE_SINGLE_WRITER",
            _ => "SINGLE_NODE_WRITER",
        };
        let desc = match self.name {
            "ebs.csi.aws.com" => format!(
                "Volume capabilities {csi_mode} not supported. Only AccessModes[ReadWriteOnce] supported."
            ),
            "pd.csi.storage.gke.io" => {
                "VolumeCapabilities is invalid: specified multi writer with mount access type"
                    .into()
            }
            _ => format!(
                "access mode {mode} ({csi_mode}) is not supported by {}",
                self.name
            ),
        };
        format!("rpc error: code = InvalidArgument desc = {desc}")
    }
}

/// A volume that exists on a backend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Volume {
    pub handle: String,
    pub driver: &'static str,
    pub bytes: i128,
    /// The zone (block disks) or node (node-local) it lives in.
    pub zone: Option<String>,
    pub node: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    Create(Volume),
    Delete(String),
    /// The recycler's scrub of a volume (by its handle or path).
    Scrub(String),
    Resize(String, i128),
}

/// The backends' state: which volumes exist.
#[derive(Clone, Debug, Default)]
pub struct Backends {
    volumes: BTreeMap<String, Volume>,
    /// Each driver's reporting identity for events (`<driver>_<pod>_<id>`).
    identities: BTreeMap<String, String>,
    /// Which volumes changed (by handle), for views that follow the
    /// simulation.
    changes: Journal<String>,
}

impl Backends {
    pub fn new(rng: &mut Rng) -> Backends {
        // Extended, not collected: see `crate::sort`.
        let mut identities = BTreeMap::new();
        identities.extend(CATALOG.iter().map(|d| {
            let pod = format!(
                "{}-{}-{}",
                d.controller,
                rng.alphanumeric(10),
                rng.alphanumeric(5)
            );
            (
                d.name.to_owned(),
                format!("{}_{pod}_{}", d.name, rng.uuid()),
            )
        }));
        Backends {
            volumes: BTreeMap::new(),
            identities,
            changes: Journal::default(),
        }
    }

    pub fn identity(&self, driver: &str) -> String {
        self.identities
            .get(driver)
            .cloned()
            .unwrap_or_else(|| driver.to_owned())
    }

    pub fn volume(&self, handle: &str) -> Option<&Volume> {
        self.volumes.get(handle)
    }

    pub fn volumes(&self) -> impl Iterator<Item = &Volume> {
        self.volumes.values()
    }

    /// Which volumes were created, deleted or resized, by handle.
    pub fn changes(&self) -> &Journal<String> {
        &self.changes
    }

    pub fn apply(&mut self, op: Op) {
        match op {
            Op::Create(v) => {
                self.changes.note(&v.handle);
                self.volumes.insert(v.handle.clone(), v);
            }
            Op::Delete(handle) => {
                self.changes.note(&handle);
                self.volumes.remove(&handle);
            }
            Op::Scrub(_) => {}
            Op::Resize(handle, bytes) => {
                self.changes.note(&handle);
                if let Some(v) = self.volumes.get_mut(&handle) {
                    v.bytes = bytes;
                }
            }
        }
    }
}
