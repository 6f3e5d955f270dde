//! Data on volumes: the files pods write, kept where they really live.
//!
//! A network disk or file share keeps its files on the backend (they follow
//! the volume from node to node and survive a node's loss); a local or
//! local-path volume and a hostPath directory keep them on one node's disk
//! (only pods on that node see them; deleting the node loses them); an
//! emptyDir keeps them in the pod's sandbox (shared by its containers, gone
//! with the pod). Deleting a volume through reclaim policy Delete deletes
//! its files; Retain keeps them; Recycle scrubs them.
//!
//! The `writeData` and `readData` steps report what the pod saw as events on
//! the pod, from `pvsim`: `DataWritten`, `DataRead`, `DataMissing`,
//! `DataUnavailable`. These events are pvsim's own, not upstream's.

use std::collections::BTreeMap;

use crate::Object;
use crate::model::{PersistentVolume, Pod};
use crate::objects::pod::pod_claims;
use crate::objects::selector;
use crate::sim::journal::Journal;
use crate::sim::store::{ObjKey, Store};

/// Where a volume's files live, and how to say so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The key of the file store.
    pub key: String,
    /// "the network disk pvc-…", "node-a's disk at /mnt/data", ...
    pub describe: String,
}

/// Every file, by place, then path.
#[derive(Clone, Debug, Default)]
pub struct Files {
    places: BTreeMap<String, BTreeMap<String, String>>,
    /// Which places changed, for views that follow the simulation.
    changes: Journal<String>,
}

impl Files {
    pub fn write(&mut self, place: &str, path: &str, content: &str) {
        self.changes.note(&place.to_owned());
        self.places
            .entry(place.to_owned())
            .or_default()
            .insert(path.to_owned(), content.to_owned());
    }

    pub fn read(&self, place: &str, path: &str) -> Option<&str> {
        self.places.get(place)?.get(path).map(String::as_str)
    }

    /// Every file: (place, path, content), ordered by place and path.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.places.iter().flat_map(|(place, files)| {
            files
                .iter()
                .map(move |(path, content)| (place.as_str(), path.as_str(), content.as_str()))
        })
    }

    /// The files of one place: (path, content), ordered by path.
    pub fn at(&self, place: &str) -> impl Iterator<Item = (&str, &str)> {
        self.places
            .get(place)
            .into_iter()
            .flatten()
            .map(|(path, content)| (path.as_str(), content.as_str()))
    }

    /// Which places gained or lost files.
    pub fn changes(&self) -> &Journal<String> {
        &self.changes
    }

    /// Loses every file of a place (a deleted or scrubbed volume).
    pub fn forget(&mut self, place: &str) {
        self.forget_where(|k| k == place);
    }

    /// Loses every file of the places whose key ends with `suffix` (a
    /// deleted or scrubbed volume, named by its handle or path).
    pub fn forget_suffix(&mut self, suffix: &str) {
        if !suffix.is_empty() {
            self.forget_where(|k| k.ends_with(suffix));
        }
    }

    /// Loses every file whose place starts with `prefix` (a node's disk).
    pub fn forget_prefix(&mut self, prefix: &str) {
        self.forget_where(|k| k.starts_with(prefix));
    }

    fn forget_where(&mut self, gone: impl Fn(&str) -> bool) {
        let places: Vec<String> = self.places.keys().filter(|k| gone(k)).cloned().collect();
        for place in places {
            self.places.remove(&place);
            self.changes.note(&place);
        }
    }
}

/// Where a persistent volume's files live, on a given node.
pub fn pv_place(pv: &PersistentVolume, node: &str) -> Place {
    let name = &pv.metadata.name;
    if let Some(csi) = &pv.spec.csi {
        let kind = match crate::cluster::backends::find(&csi.driver).map(|d| d.family) {
            Some(crate::cluster::backends::Family::FileShare) => "file share",
            Some(crate::cluster::backends::Family::NodeLocal) => {
                return Place {
                    key: format!("node/{node}/csi/{}", csi.volume_handle),
                    describe: format!("{node}'s disk (volume {name})"),
                };
            }
            _ => "network disk",
        };
        return Place {
            key: volume_key(pv),
            describe: format!("the {kind} of volume {name}"),
        };
    }
    if let Some(nfs) = &pv.spec.nfs {
        return Place {
            key: volume_key(pv),
            describe: format!("the NFS share {}:{} (volume {name})", nfs.server, nfs.path),
        };
    }
    let local_path = pv
        .spec
        .local
        .as_ref()
        .map(|l| l.path.clone())
        .or_else(|| pv.spec.host_path.as_ref().map(|h| h.path.clone()));
    if let Some(path) = local_path {
        return Place {
            key: format!("node/{node}/{path}"),
            describe: format!("{node}'s disk at {path} (volume {name})"),
        };
    }
    Place {
        key: volume_key(pv),
        describe: format!("volume {name}"),
    }
}

/// The place of a volume that lives off the nodes (deleted with it).
pub fn volume_key(pv: &PersistentVolume) -> String {
    match (&pv.spec.csi, &pv.spec.nfs) {
        (Some(csi), _) => format!("csi/{}/{}", csi.driver, csi.volume_handle),
        (None, Some(nfs)) => format!("nfs/{}{}", nfs.server, nfs.path),
        _ => format!("pv/{}", pv.metadata.name),
    }
}

/// Where the file at `path` lives for this pod: the place, the path
/// inside it, and a description, or why there is none.
pub fn locate(store: &Store, pod: &Pod, path: &str) -> Result<(Place, String), String> {
    let mount = pod
        .spec
        .containers
        .iter()
        .flat_map(|c| &c.volume_mounts)
        .filter(|m| {
            path == m.mount_path
                || path.starts_with(&format!("{}/", m.mount_path.trim_end_matches('/')))
        })
        .max_by_key(|m| m.mount_path.len())
        .ok_or_else(|| {
            format!(
                "no volume is mounted at {path} in pod {}",
                pod.metadata.name
            )
        })?;
    let inside = format!(
        "{}/{}",
        mount.sub_path.trim_matches('/'),
        path[mount.mount_path.len()..].trim_start_matches('/')
    );
    let volume = pod
        .spec
        .volumes
        .iter()
        .find(|v| v.name == mount.name)
        .ok_or_else(|| {
            format!(
                "pod {} mounts volume {:?}, which it does not declare",
                pod.metadata.name, mount.name
            )
        })?;
    let node = &pod.spec.node_name;
    if volume.empty_dir.is_some() {
        return Ok((
            Place {
                key: format!("pod/{}/{}", pod.metadata.uid, volume.name),
                describe: format!("the pod's emptyDir {:?}", volume.name),
            },
            inside,
        ));
    }
    if let Some(hp) = &volume.host_path {
        return Ok((
            Place {
                key: format!("node/{node}/{}", hp.path),
                describe: format!("{node}'s directory {}", hp.path),
            },
            inside,
        ));
    }
    if let Some(nfs) = &volume.nfs {
        return Ok((
            Place {
                key: format!("nfs/{}{}", nfs.server, nfs.path),
                describe: format!("the NFS share {}:{}", nfs.server, nfs.path),
            },
            inside,
        ));
    }
    let index = pod
        .spec
        .volumes
        .iter()
        .filter(|v| v.persistent_volume_claim.is_some() || v.ephemeral.is_some())
        .position(|v| v.name == volume.name)
        .ok_or_else(|| {
            format!(
                "volume {:?} of pod {} is not one pvsim keeps data for",
                volume.name, pod.metadata.name
            )
        })?;
    let (claim, _) = pod_claims(pod).swap_remove(index);
    let pv = store
        .pvc(&pod.metadata.namespace, &claim)
        .and_then(|c| store.pv(c.spec.volume_name.as_deref()?))
        .ok_or_else(|| format!("claim {claim} has no volume"))?;
    Ok((pv_place(pv, node), inside))
}

/// The pod a data step means: `namespace/name`, or the first running pod
/// (by name) that matches a selector.
pub fn target<'a>(
    store: &'a Store,
    pod: Option<&str>,
    selector: Option<&crate::model::LabelSelector>,
    namespace: &str,
) -> Option<&'a Pod> {
    if let Some(p) = pod {
        let (ns, name) = p.split_once('/').unwrap_or((namespace, p));
        return match store.get(&ObjKey::new("Pod", ns, name)) {
            Some(Object::Pod(p)) => Some(p),
            _ => None,
        };
    }
    let selector = selector?;
    store.list("Pod").find_map(|o| match o {
        Object::Pod(p)
            if p.metadata.namespace == namespace
                && p.status.phase == "Running"
                && p.metadata.deletion_timestamp.is_none()
                && selector::selector_matches(selector, &p.metadata.labels) =>
        {
            Some(p)
        }
        _ => None,
    })
}
