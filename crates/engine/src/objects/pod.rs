//! Queries on Pods, and on the owner references every object carries.

use crate::model::{ObjectMeta, OwnerReference, Pod, Taint, Toleration};
use crate::sim::store::ObjKey;

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
