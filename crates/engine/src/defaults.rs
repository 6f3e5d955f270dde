//! Defaulting, as the API server applies it before validation.
//!
//! Upstream: kubernetes/kubernetes `pkg/apis/core/v1/defaults.go`,
//! `pkg/apis/storage/v1/defaults.go`, `pkg/apis/apps/v1/defaults.go`.
//! Simplification: only the defaults storage behaviour depends on.

use crate::model::{PersistentVolumeClaimSpec, PodSpec};
use crate::object::Object;

pub const DEFAULT_NAMESPACE: &str = "default";

fn claim_spec(spec: &mut PersistentVolumeClaimSpec) {
    spec.volume_mode.get_or_insert_with(|| "Filesystem".into());
}

fn pod_spec(spec: &mut PodSpec) {
    if spec.restart_policy.is_empty() {
        spec.restart_policy = "Always".into();
    }
    if spec.scheduler_name.is_empty() {
        spec.scheduler_name = "default-scheduler".into();
    }
    spec.termination_grace_period_seconds.get_or_insert(30);
    for volume in &mut spec.volumes {
        if let Some(template) = volume
            .ephemeral
            .as_mut()
            .and_then(|e| e.volume_claim_template.as_mut())
        {
            claim_spec(&mut template.spec);
        }
    }
}

/// Applies the API server's defaults to a newly created object.
pub fn apply(object: &mut Object) {
    let namespaced = object.namespaced();
    let meta = object.metadata_mut();
    if namespaced && meta.namespace.is_empty() {
        meta.namespace = DEFAULT_NAMESPACE.into();
    }
    match object {
        Object::PersistentVolume(pv) => {
            if pv.status.phase.is_empty() {
                pv.status.phase = "Pending".into();
            }
            if pv.spec.persistent_volume_reclaim_policy.is_empty() {
                pv.spec.persistent_volume_reclaim_policy = "Retain".into();
            }
            pv.spec
                .volume_mode
                .get_or_insert_with(|| "Filesystem".into());
        }
        Object::PersistentVolumeClaim(pvc) => {
            if pvc.status.phase.is_empty() {
                pvc.status.phase = "Pending".into();
            }
            claim_spec(&mut pvc.spec);
        }
        Object::StorageClass(sc) => {
            sc.reclaim_policy.get_or_insert_with(|| "Delete".into());
            sc.volume_binding_mode
                .get_or_insert_with(|| "Immediate".into());
        }
        Object::Pod(pod) => pod_spec(&mut pod.spec),
        Object::Deployment(d) => {
            d.spec.replicas.get_or_insert(1);
            let strategy = d.spec.strategy.get_or_insert_with(Default::default);
            if strategy.type_.is_empty() {
                strategy.type_ = "RollingUpdate".into();
            }
            pod_spec(&mut d.spec.template.spec);
        }
        Object::ReplicaSet(r) => {
            r.spec.replicas.get_or_insert(1);
            pod_spec(&mut r.spec.template.spec);
        }
        Object::StatefulSet(s) => {
            s.spec.replicas.get_or_insert(1);
            if s.spec.pod_management_policy.is_empty() {
                s.spec.pod_management_policy = "OrderedReady".into();
            }
            let policy = s
                .spec
                .persistent_volume_claim_retention_policy
                .get_or_insert_with(Default::default);
            for rule in [&mut policy.when_deleted, &mut policy.when_scaled] {
                if rule.is_empty() {
                    *rule = "Retain".into();
                }
            }
            for template in &mut s.spec.volume_claim_templates {
                claim_spec(&mut template.spec);
            }
            pod_spec(&mut s.spec.template.spec);
        }
        _ => {}
    }
}
