//! The simulated API server: objects by kind, namespace and name, with
//! defaulting, validation, the admission plugins storage depends on, and
//! finalizers.
//!
//! Admission: `DefaultStorageClass` (a claim with no class gets the
//! default; with several defaults the newest wins, ties by name) and
//! `StorageObjectInUseProtection` (the `kubernetes.io/pvc-protection` and
//! `kubernetes.io/pv-protection` finalizers).
//!
//! Simplifications: there is one writer at a time, so there are no
//! conflicts and controllers read the store itself instead of an informer
//! cache. On create the API server resets `status`, as upstream's create
//! strategies do, except for objects that come from a running cluster (a
//! `kubectl get -o yaml` dump: they carry a `metadata.uid` or a `status`),
//! which keep both, so that the simulation continues from the dumped state
//! instead of starting it again.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use super::clock::{Millis, timestamp};
use super::journal::Journal;
use super::rng::Rng;
use crate::model::{PersistentVolume, PersistentVolumeClaim, StorageClass};
use crate::object::kind_info;
use crate::objects::matching::VolumeIndex;
use crate::objects::volume::claim_has_class;
use crate::objects::volume::is_default_class;
use crate::objects::{node, pod};
use crate::validation::{self, FieldError};
use crate::{Object, defaults};

pub const PVC_PROTECTION: &str = "kubernetes.io/pvc-protection";
pub const PV_PROTECTION: &str = "kubernetes.io/pv-protection";
/// Names one object: kind, namespace (empty for cluster-scoped kinds), name.
/// Ordered by kind, namespace, name.
#[derive(Clone, Debug, Eq)]
pub struct ObjKey {
    pub kind: &'static str,
    pub namespace: String,
    pub name: String,
}

impl ObjKey {
    pub fn new(kind: &'static str, namespace: &str, name: &str) -> ObjKey {
        ObjKey {
            kind,
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        }
    }

    pub fn of(object: &Object) -> ObjKey {
        let meta = object.metadata();
        ObjKey::new(object.kind(), &meta.namespace, &meta.name)
    }

    /// `namespace/name`, or `name` for cluster-scoped objects.
    pub fn path(&self) -> String {
        if self.namespace.is_empty() {
            self.name.clone()
        } else {
            format!("{}/{}", self.namespace, self.name)
        }
    }
}

impl PartialEq for ObjKey {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl PartialOrd for ObjKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ObjKey {
    /// Kinds are `&'static str`s from one table, so the same pointer is the
    /// same kind: the common case skips a long string comparison.
    fn cmp(&self, other: &Self) -> Ordering {
        let kind = if std::ptr::eq(self.kind, other.kind) {
            Ordering::Equal
        } else {
            self.kind.cmp(other.kind)
        };
        kind.then_with(|| self.namespace.cmp(&other.namespace))
            .then_with(|| self.name.cmp(&other.name))
    }
}

impl fmt::Display for ObjKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind, self.path())
    }
}

/// The resource name the API server uses in messages: `persistentvolumeclaims`,
/// `storageclasses.storage.k8s.io`.
pub fn resource(kind: &str) -> String {
    let lower = kind.to_lowercase();
    let plural = if lower.ends_with('s') {
        format!("{lower}es")
    } else {
        format!("{lower}s")
    };
    match kind_info(kind).and_then(|i| i.api_version.split_once('/')) {
        Some((group, _)) => format!("{plural}.{group}"),
        None => plural,
    }
}

/// A request the API server refuses, in its words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    Invalid {
        kind: String,
        name: String,
        errors: Vec<FieldError>,
    },
    AlreadyExists {
        kind: String,
        name: String,
    },
    NotFound {
        kind: String,
        name: String,
    },
    Forbidden {
        kind: String,
        name: String,
        message: String,
    },
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Invalid { kind, name, errors } => {
                f.write_str(&validation::invalid_message(kind, name, errors))
            }
            ApiError::AlreadyExists { kind, name } => {
                write!(f, "{} {name:?} already exists", resource(kind))
            }
            ApiError::NotFound { kind, name } => {
                write!(f, "{} {name:?} not found", resource(kind))
            }
            ApiError::Forbidden {
                kind,
                name,
                message,
            } => write!(f, "{} {name:?} is forbidden: {message}", resource(kind)),
        }
    }
}

/// One stored object: the typed object and, for objects from the input,
/// the source as written (so output keeps fields pvsim does not model).
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub object: Object,
    pub raw: Rc<serde_json::Value>,
}

/// What one write did, for the watches.
#[derive(Clone, Debug)]
pub struct Change {
    pub key: ObjKey,
    pub before: Option<Rc<Record>>,
    pub after: Option<Rc<Record>>,
}

#[derive(Clone, Debug, Default)]
pub struct Store {
    objects: BTreeMap<ObjKey, Rc<Record>>,
    resource_version: u64,
    /// The PV controller's volume index, kept up to date on every write.
    pub volumes: VolumeIndex,
    /// Which objects changed, for views that follow the simulation.
    changes: Journal<ObjKey>,
}

impl Store {
    pub fn get(&self, key: &ObjKey) -> Option<&Object> {
        self.objects.get(key).map(|r| &r.object)
    }

    pub fn record(&self, key: &ObjKey) -> Option<&Rc<Record>> {
        self.objects.get(key)
    }

    /// Every object of a kind, by namespace and name.
    pub fn list(&self, kind: &'static str) -> impl Iterator<Item = &Object> {
        let from = ObjKey::new(kind, "", "");
        self.objects
            .range(from..)
            .take_while(move |(k, _)| k.kind == kind)
            .map(|(_, r)| &r.object)
    }

    /// Every object, in key order.
    pub fn all(&self) -> impl Iterator<Item = (&ObjKey, &Rc<Record>)> {
        self.objects.iter()
    }

    /// Every object as it is now: the records are shared, not copied.
    pub fn snapshot(&self) -> BTreeMap<ObjKey, Rc<Record>> {
        self.objects.clone()
    }

    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// The last resourceVersion written: it moves on every write.
    pub fn resource_version(&self) -> u64 {
        self.resource_version
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// Which objects were written (created, updated or removed), for views
    /// that follow the simulation step by step.
    pub fn changes(&self) -> &Journal<ObjKey> {
        &self.changes
    }

    pub fn pv(&self, name: &str) -> Option<&PersistentVolume> {
        match self.get(&ObjKey::new("PersistentVolume", "", name)) {
            Some(Object::PersistentVolume(pv)) => Some(pv),
            _ => None,
        }
    }

    pub fn pvc(&self, namespace: &str, name: &str) -> Option<&PersistentVolumeClaim> {
        match self.get(&ObjKey::new("PersistentVolumeClaim", namespace, name)) {
            Some(Object::PersistentVolumeClaim(pvc)) => Some(pvc),
            _ => None,
        }
    }

    pub fn class(&self, name: &str) -> Option<&StorageClass> {
        match self.get(&ObjKey::new("StorageClass", "", name)) {
            Some(Object::StorageClass(sc)) => Some(sc),
            _ => None,
        }
    }

    /// The default StorageClass: of the classes marked default, the newest,
    /// ties broken by name (upstream `GetDefaultClass`).
    pub fn default_class(&self) -> Option<&StorageClass> {
        self.list("StorageClass")
            .filter_map(|o| match o {
                Object::StorageClass(sc) if is_default_class(sc) => Some(sc),
                _ => None,
            })
            .max_by(|a, b| {
                let age =
                    |sc: &StorageClass| sc.metadata.creation_timestamp.clone().unwrap_or_default();
                age(a)
                    .cmp(&age(b))
                    .then_with(|| b.metadata.name.cmp(&a.metadata.name))
            })
    }

    fn next_version(&mut self) -> String {
        self.resource_version += 1;
        self.resource_version.to_string()
    }

    fn put(&mut self, key: ObjKey, record: Record) -> Change {
        if let Object::PersistentVolume(pv) = &record.object {
            self.volumes.put(pv);
        }
        let after = Rc::new(record);
        let before = self.objects.insert(key.clone(), after.clone());
        self.changes.note(&key);
        Change {
            key,
            before,
            after: Some(after),
        }
    }

    fn remove(&mut self, key: &ObjKey) -> Change {
        if key.kind == "PersistentVolume" {
            self.volumes.remove(&key.name);
        }
        self.changes.note(key);
        Change {
            key: key.clone(),
            before: self.objects.remove(key),
            after: None,
        }
    }

    /// Creates an object as `kubectl create` would: defaults, name
    /// generation, validation, admission, then the system fields.
    pub fn create(
        &mut self,
        mut object: Object,
        raw: serde_json::Value,
        now: Millis,
        rng: &mut Rng,
    ) -> Result<Change, ApiError> {
        defaults::apply(&mut object);
        {
            let meta = object.metadata_mut();
            if meta.name.is_empty() && !meta.generate_name.is_empty() {
                meta.name = format!("{}{}", meta.generate_name, rng.alphanumeric(5));
            }
        }
        let errors = validation::object(&object);
        if !errors.is_empty() {
            return Err(ApiError::Invalid {
                kind: object.kind().into(),
                name: object.metadata().name.clone(),
                errors,
            });
        }
        let key = ObjKey::of(&object);
        if self.objects.contains_key(&key) {
            return Err(ApiError::AlreadyExists {
                kind: key.kind.into(),
                name: key.name,
            });
        }
        self.admit(&mut object);
        let snapshot = is_snapshot(&object, &raw);
        if !snapshot {
            reset_status(&mut object);
            if let Object::Pod(pod) = &mut object {
                service_account_token(pod, rng);
            }
        }
        let version = self.next_version();
        let meta = object.metadata_mut();
        if meta.uid.is_empty() {
            meta.uid = rng.uuid();
        }
        meta.resource_version = version;
        meta.creation_timestamp = Some(timestamp(now));
        // An object a dump shows Terminating stays Terminating, from now.
        if snapshot && meta.deletion_timestamp.is_some() {
            meta.deletion_timestamp = Some(timestamp(now));
        } else {
            meta.deletion_timestamp = None;
            meta.deletion_grace_period_seconds = None;
        }
        let raw = Rc::new(raw);
        Ok(self.put(key, Record { object, raw }))
    }

    /// The admission plugins that matter for storage.
    fn admit(&self, object: &mut Object) {
        match object {
            Object::PersistentVolumeClaim(pvc) => {
                if !claim_has_class(pvc)
                    && let Some(default) = self.default_class()
                {
                    pvc.spec.storage_class_name = Some(default.metadata.name.clone());
                }
                add_finalizer(&mut pvc.metadata.finalizers, PVC_PROTECTION);
            }
            Object::PersistentVolume(pv) => {
                add_finalizer(&mut pv.metadata.finalizers, PV_PROTECTION);
            }
            // A Node written by hand has no kubelet status yet; pvsim gives it
            // a kubelet that reports Ready.
            Object::Node(node) if node.status.conditions.is_empty() => {
                node.status.conditions.push(node::ready_condition());
            }
            Object::Pod(pod) => {
                // DefaultTolerationSeconds.
                for key in [
                    "node.kubernetes.io/not-ready",
                    "node.kubernetes.io/unreachable",
                ] {
                    let has = pod.spec.tolerations.iter().any(|t| {
                        (t.key == key || t.key.is_empty() && t.operator == "Exists")
                            && (t.effect.is_empty() || t.effect == "NoExecute")
                    });
                    if !has {
                        pod.spec.tolerations.push(crate::model::Toleration {
                            key: key.into(),
                            operator: "Exists".into(),
                            effect: "NoExecute".into(),
                            toleration_seconds: Some(300),
                            ..Default::default()
                        });
                    }
                }
            }
            _ => {}
        }
    }

    /// A user's change to an existing object (`kubectl apply`): labels,
    /// annotations and spec are taken from `object`, everything the system
    /// owns is kept. Validated against the old object.
    pub fn update_by_user(
        &mut self,
        mut object: Object,
        raw: serde_json::Value,
    ) -> Result<Change, ApiError> {
        defaults::apply(&mut object);
        let key = ObjKey::of(&object);
        let Some(old) = self.objects.get(&key).map(|r| r.object.clone()) else {
            return Err(ApiError::NotFound {
                kind: key.kind.into(),
                name: key.name,
            });
        };
        let mut errors = validation::object(&object);
        let merged = super::update::merge(&old, object, &raw);
        if errors.is_empty() {
            errors = super::update::validate(&old, &merged, self)?;
        }
        if !errors.is_empty() {
            return Err(ApiError::Invalid {
                kind: key.kind.into(),
                name: key.name,
                errors,
            });
        }
        let unchanged = merged == old;
        let mut merged = merged;
        if !unchanged {
            merged.metadata_mut().resource_version = self.next_version();
        }
        Ok(self.put(
            key,
            Record {
                object: merged,
                raw: Rc::new(raw),
            },
        ))
    }

    /// A controller's write of a whole object. Removing the last finalizer
    /// of an object being deleted deletes it (a pod waits for its kubelet).
    pub fn write(&mut self, mut object: Object) -> Change {
        let key = ObjKey::of(&object);
        // A pod being deleted stays until its kubelet removes it.
        let graceful = matches!(object, Object::Pod(_));
        let meta = object.metadata_mut();
        if meta.deletion_timestamp.is_some() && meta.finalizers.is_empty() && !graceful {
            return self.remove(&key);
        }
        meta.resource_version = self.next_version();
        let raw = self
            .objects
            .get(&key)
            .map(|r| r.raw.clone())
            .unwrap_or_default();
        self.put(key, Record { object, raw })
    }

    /// Removes an object at once, as a delete with grace period 0 of an
    /// object without finalizers does (the kubelet's last word on a pod).
    pub fn force_delete(&mut self, key: &ObjKey) -> Option<Change> {
        self.objects.contains_key(key).then(|| self.remove(key))
    }

    /// Deletes an object; one with finalizers only gets its
    /// `deletionTimestamp` and waits for them.
    pub fn delete(&mut self, key: &ObjKey, now: Millis) -> Result<Change, ApiError> {
        let Some(record) = self.objects.get(key) else {
            return Err(ApiError::NotFound {
                kind: key.kind.into(),
                name: key.name.clone(),
            });
        };
        // A pod on a node is deleted gracefully: the kubelet stops it and
        // then removes the object.
        let grace = match &record.object {
            Object::Pod(p) if !p.spec.node_name.is_empty() && !pod::is_terminal(p) => {
                Some(p.spec.termination_grace_period_seconds.unwrap_or(30))
            }
            _ => None,
        };
        if let Some(grace) = grace
            && record.object.metadata().deletion_timestamp.is_none()
        {
            let mut object = record.object.clone();
            let meta = object.metadata_mut();
            meta.deletion_timestamp = Some(timestamp(now + grace.max(0).cast_unsigned() * 1000));
            meta.deletion_grace_period_seconds = Some(grace);
            return Ok(self.write(object));
        }
        if record.object.metadata().finalizers.is_empty() {
            return Ok(self.remove(key));
        }
        if record.object.metadata().deletion_timestamp.is_some() {
            return Ok(Change {
                key: key.clone(),
                before: Some(record.clone()),
                after: Some(record.clone()),
            });
        }
        let mut object = record.object.clone();
        let meta = object.metadata_mut();
        meta.deletion_timestamp = Some(timestamp(now));
        meta.deletion_grace_period_seconds = Some(0);
        Ok(self.write(object))
    }
}

pub fn add_finalizer(finalizers: &mut Vec<String>, name: &str) {
    if !finalizers.iter().any(|f| f == name) {
        finalizers.push(name.to_owned());
    }
}

/// Whether an object comes from a running cluster (a `kubectl get -o yaml`
/// dump, or a test's starting state): it has a uid or a status. Such an
/// object keeps its status, so the simulation continues from that state.
fn is_snapshot(object: &Object, raw: &serde_json::Value) -> bool {
    let has_status = raw
        .get("status")
        .and_then(serde_json::Value::as_object)
        .is_some_and(|s| !s.is_empty());
    has_status || !object.metadata().uid.is_empty()
}

/// The ServiceAccount admission plugin's projected token volume,
/// `kube-api-access-<5 characters>`, mounted in every container.
fn service_account_token(pod: &mut crate::model::Pod, rng: &mut Rng) {
    if pod
        .spec
        .volumes
        .iter()
        .any(|v| v.name.starts_with("kube-api-access-"))
    {
        return;
    }
    let name = format!("kube-api-access-{}", rng.alphanumeric(5));
    pod.spec.volumes.push(crate::model::Volume {
        name: name.clone(),
        projected: Some(serde_json::json!({
            "defaultMode": 420,
            "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
            ],
        })),
        ..crate::model::Volume::default()
    });
    for c in &mut pod.spec.containers {
        c.volume_mounts.push(crate::model::VolumeMount {
            name: name.clone(),
            mount_path: "/var/run/secrets/kubernetes.io/serviceaccount".into(),
            read_only: true,
            ..crate::model::VolumeMount::default()
        });
    }
}

/// The create strategies of PVs and claims reset `status`; defaulting then
/// sets the phase to Pending.
fn reset_status(object: &mut Object) {
    match object {
        Object::PersistentVolume(pv) => {
            pv.status = crate::model::PersistentVolumeStatus {
                phase: "Pending".into(),
                ..Default::default()
            };
        }
        Object::PersistentVolumeClaim(pvc) => {
            pvc.status = crate::model::PersistentVolumeClaimStatus {
                phase: "Pending".into(),
                ..Default::default()
            };
        }
        Object::Pod(pod) => {
            pod.status = crate::model::PodStatus {
                phase: "Pending".into(),
                ..Default::default()
            };
        }
        _ => {}
    }
}
