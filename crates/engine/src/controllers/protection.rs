//! The PVC and PV protection controllers
//! (pkg/controller/volume/pvcprotection, pvprotection): a claim in use by a
//! scheduled pod, and a volume that is still Bound, keep their finalizer
//! while being deleted.

use crate::Object;
use crate::objects::pod::claims_of;
use crate::sim::store::{ObjKey, PV_PROTECTION, PVC_PROTECTION};
use crate::sim::{Ctx, Effect};

/// Removes `kubernetes.io/pvc-protection` from a deleted claim once no
/// scheduled pod uses it. Pod phase does not matter, as upstream.
pub fn sync_claim(ctx: &Ctx, key: &ObjKey) -> Vec<Effect> {
    let Some(pvc) = ctx.store.pvc(&key.namespace, &key.name) else {
        return Vec::new();
    };
    if pvc.metadata.deletion_timestamp.is_none()
        || !pvc.metadata.finalizers.iter().any(|f| f == PVC_PROTECTION)
    {
        return Vec::new();
    }
    let in_use = ctx.store.list("Pod").any(|o| {
        matches!(o, Object::Pod(p) if p.metadata.namespace == key.namespace
            && !p.spec.node_name.is_empty()
            && claims_of(p).contains(&key.name))
    });
    if in_use {
        return Vec::new();
    }
    vec![Effect::RemoveFinalizer(key.clone(), PVC_PROTECTION.into())]
}

/// Removes `kubernetes.io/pv-protection` from a deleted volume once it is
/// no longer Bound.
pub fn sync_volume(ctx: &Ctx, key: &ObjKey) -> Vec<Effect> {
    let Some(pv) = ctx.store.pv(&key.name) else {
        return Vec::new();
    };
    if pv.metadata.deletion_timestamp.is_none()
        || !pv.metadata.finalizers.iter().any(|f| f == PV_PROTECTION)
        || pv.status.phase == "Bound"
    {
        return Vec::new();
    }
    vec![Effect::RemoveFinalizer(key.clone(), PV_PROTECTION.into())]
}
