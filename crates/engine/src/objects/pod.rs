//! Queries on Pods, and on the owner references every object carries.

use crate::Object;
use crate::model::{ObjectMeta, OwnerReference, Pod, PodTemplateSpec, Taint, Toleration};
use crate::sim::store::{ObjKey, Store};

/// The scheduler pods name when they leave `spec.schedulerName` empty.
/// The names of the claims a pod's volumes refer to, with whether they are
/// generic ephemeral volumes.
pub fn pod_claims(pod: &Pod) -> Vec<(String, bool)> {
    pod.spec
        .volumes
        .iter()
        .filter_map(|v| {
            if let Some(c) = &v.persistent_volume_claim {
                Some((c.claim_name.clone(), false))
            } else {
                v.ephemeral
                    .as_ref()
                    .map(|_| (format!("{}-{}", pod.metadata.name, v.name), true))
            }
        })
        .collect()
}

pub fn is_terminal(pod: &Pod) -> bool {
    matches!(pod.status.phase.as_str(), "Succeeded" | "Failed")
}

/// Whether the scheduler should place this pod.
pub fn wants_scheduling(pod: &Pod) -> bool {
    pod.spec.node_name.is_empty()
        && pod.metadata.deletion_timestamp.is_none()
        && !is_terminal(pod)
        && (pod.spec.scheduler_name.is_empty() || pod.spec.scheduler_name == SCHEDULER)
}

pub fn tolerates(tolerations: &[Toleration], taint: &Taint) -> bool {
    tolerations.iter().any(|t| {
        let key = t.key.is_empty() && t.operator == "Exists" || t.key == taint.key;
        let value = t.operator == "Exists" || t.value == taint.value;
        let effect = t.effect.is_empty() || t.effect == taint.effect;
        key && value && effect
    })
}

pub const SCHEDULER: &str = "default-scheduler";
/// The owner whose controller should hear about a change to this object.
pub fn controller_of(meta: &ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references
        .iter()
        .find(|o| o.controller == Some(true))
}
/// Names of the claims a pod uses: its `persistentVolumeClaim` volumes and
/// the claims of its generic ephemeral volumes (`<pod>-<volume>`).
pub fn claims_of(pod: &Pod) -> Vec<String> {
    pod_claims(pod)
        .into_iter()
        .map(|(claim, _)| claim)
        .collect()
}

/// The store key of a pod.
pub fn pod_key(pod: &Pod) -> ObjKey {
    ObjKey::new("Pod", &pod.metadata.namespace, &pod.metadata.name)
}

/// The alphabet of upstream's `rand.SafeEncodeString`.
const SAFE: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// `pod-template-hash`: FNV-32a of the template, as upstream's
/// `rand.SafeEncodeString` writes it. pvsim simplifies what is hashed:
/// upstream hashes the Go struct as `spew` prints it, pvsim the template's
/// JSON with its keys sorted. The value differs from a real cluster's, but
/// changes exactly when the template does.
pub fn template_hash(template: &PodTemplateSpec) -> String {
    let text = serde_json::to_value(template)
        .unwrap_or_default()
        .to_string();
    let mut h: u32 = 0x811c_9dc5;
    for b in text.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h.to_string()
        .bytes()
        .map(|d| SAFE[usize::from(d) % SAFE.len()] as char)
        .collect()
}

/// A controlling owner reference to an object.
pub fn owner_reference(api_version: &str, kind: &str, meta: &ObjectMeta) -> OwnerReference {
    OwnerReference {
        api_version: api_version.into(),
        kind: kind.into(),
        name: meta.name.clone(),
        uid: meta.uid.clone(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// Whether an object has an owner reference to this uid.
pub fn owned_by(meta: &ObjectMeta, uid: &str) -> bool {
    meta.owner_references.iter().any(|o| o.uid == uid)
}

/// Pods that count toward a controller's replicas: not terminal, not
/// being deleted.
pub fn active(pod: &Pod) -> bool {
    !is_terminal(pod) && pod.metadata.deletion_timestamp.is_none()
}

/// The pods of a namespace that an owner (by uid) holds.
pub fn pods_of<'a>(store: &'a Store, namespace: &str, uid: &str) -> Vec<&'a Pod> {
    store
        .list("Pod")
        .filter_map(|o| match o {
            Object::Pod(p) if p.metadata.namespace == namespace && owned_by(&p.metadata, uid) => {
                Some(p)
            }
            _ => None,
        })
        .collect()
}
