//! The Deployment controller (pkg/controller/deployment): one ReplicaSet per
//! pod template, rolled out by the Deployment's strategy.
//!
//! The ReplicaSet whose template (less its `pod-template-hash` label) is the
//! Deployment's is the new one; every other ReplicaSet the Deployment
//! controls is old. A changed template gets a new ReplicaSet
//! `<deployment>-<hash>`:
//!
//! - `RollingUpdate` (rolling.go): the new ReplicaSet grows while all of
//!   them together stay within `replicas + maxSurge`, and old ones shrink as
//!   long as `replicas - maxUnavailable` pods stay available, unhealthy old
//!   pods first. `maxSurge` rounds up and `maxUnavailable` down (defaults
//!   25%); if both come to 0, one pod may be unavailable.
//! - `Recreate` (recreate.go): old ReplicaSets go to 0, and the new one is
//!   scaled up once no old pod is left running (a Terminating pod still
//!   counts).
//!
//! Adoption: a `kubectl get pods -o yaml` dump rarely includes ReplicaSets.
//! When a Deployment controls no ReplicaSet yet and pods it selects name a
//! ReplicaSet that does not exist (by owner reference, or by their
//! `pod-template-hash` label), the controller recreates that ReplicaSet,
//! with its name and uid, instead of starting a new one: the owner of the
//! newest such pod carries the Deployment's template, the others become old
//! ReplicaSets with their pods' template.
//!
//! Events: `ScalingReplicaSet` (`Scaled up replica set <rs> from 0 to 1`).
//!
//! Simplifications: a pod is available as soon as it is Running
//! (`minReadySeconds`, readiness probes and `progressDeadlineSeconds` are
//! not modelled); ReplicaSet status is not written, the controller counts
//! pods itself; revision annotations and history limits are not kept;
//! `paused` is ignored.

use crate::Object;
use crate::model::{Deployment, ObjectMeta, Pod, PodTemplateSpec, ReplicaSet, ReplicaSetSpec};
use crate::objects::pod::{
    active, controller_of, is_terminal, owner_reference, pods_of, template_hash,
};
use crate::objects::selector::selector_matches;
use crate::sim::store::ObjKey;
use crate::sim::{Ctx, Effect};

const HASH_LABEL: &str = "pod-template-hash";

/// The ReplicaSets a Deployment controls, oldest first.
fn replica_sets_of<'a>(ctx: &Ctx<'a>, d: &Deployment) -> Vec<&'a ReplicaSet> {
    let mut sets: Vec<&ReplicaSet> = ctx
        .store
        .list("ReplicaSet")
        .filter_map(|o| match o {
            Object::ReplicaSet(rs)
                if rs.metadata.namespace == d.metadata.namespace
                    && controller_of(&rs.metadata).is_some_and(|o| o.uid == d.metadata.uid) =>
            {
                Some(rs)
            }
            _ => None,
        })
        .collect();
    crate::sort::by(&mut sets, |a, b| {
        (&a.metadata.creation_timestamp, &a.metadata.name)
            .cmp(&(&b.metadata.creation_timestamp, &b.metadata.name))
    });
    sets
}

fn without_hash(template: &PodTemplateSpec) -> PodTemplateSpec {
    let mut t = template.clone();
    t.metadata.labels.remove(HASH_LABEL);
    t
}

fn replicas(rs: &ReplicaSet) -> i32 {
    rs.spec.replicas.unwrap_or(1)
}

/// Pods of a ReplicaSet that are Running and not being deleted.
fn available(ctx: &Ctx, rs: &ReplicaSet) -> i32 {
    let n = pods_of(ctx.store, &rs.metadata.namespace, &rs.metadata.uid)
        .into_iter()
        .filter(|p| active(p) && p.status.phase == "Running")
        .count();
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// `maxSurge` or `maxUnavailable`: a number, or a percentage of `replicas`
/// rounded up (surge) or down (unavailable).
fn scaled_value(value: Option<&serde_json::Value>, replicas: i32, round_up: bool) -> i32 {
    match value {
        Some(serde_json::Value::Number(n)) => {
            n.as_i64().and_then(|n| i32::try_from(n).ok()).unwrap_or(0)
        }
        Some(serde_json::Value::String(s)) => {
            let Some(percent) = s.strip_suffix('%').and_then(|p| p.parse::<i64>().ok()) else {
                return 0;
            };
            let product = percent * i64::from(replicas);
            let v = if round_up {
                (product + 99).div_euclid(100)
            } else {
                product.div_euclid(100)
            };
            i32::try_from(v).unwrap_or(0)
        }
        _ => scaled_value(
            Some(&serde_json::Value::String("25%".into())),
            replicas,
            round_up,
        ),
    }
}

/// `ResolveFenceposts`: (maxSurge, maxUnavailable) in pods.
fn fenceposts(d: &Deployment, replicas: i32) -> (i32, i32) {
    let rolling = d
        .spec
        .strategy
        .as_ref()
        .and_then(|s| s.rolling_update.as_ref());
    let surge = scaled_value(rolling.and_then(|r| r.get("maxSurge")), replicas, true);
    let unavailable = scaled_value(
        rolling.and_then(|r| r.get("maxUnavailable")),
        replicas,
        false,
    );
    if surge == 0 && unavailable == 0 {
        (0, 1)
    } else {
        (surge, unavailable)
    }
}

fn scale(key: &ObjKey, rs: &ReplicaSet, to: i32) -> [Effect; 2] {
    let from = replicas(rs);
    let verb = if to > from { "up" } else { "down" };
    let mut scaled = rs.clone();
    scaled.spec.replicas = Some(to);
    [
        Effect::Write(Object::ReplicaSet(scaled)),
        Effect::event(
            key,
            "Normal",
            "ScalingReplicaSet",
            format!(
                "Scaled {verb} replica set {} from {from} to {to}",
                rs.metadata.name
            ),
        ),
    ]
}

/// A ReplicaSet for a template, controlled by the Deployment.
fn replica_set(
    d: &Deployment,
    name: &str,
    uid: &str,
    hash: &str,
    template: &PodTemplateSpec,
    replicas: i32,
) -> ReplicaSet {
    let mut template = template.clone();
    template
        .metadata
        .labels
        .insert(HASH_LABEL.into(), hash.into());
    let mut selector = d.spec.selector.clone().unwrap_or_default();
    selector.match_labels.insert(HASH_LABEL.into(), hash.into());
    ReplicaSet {
        api_version: "apps/v1".into(),
        kind: "ReplicaSet".into(),
        metadata: ObjectMeta {
            name: name.into(),
            uid: uid.into(),
            namespace: d.metadata.namespace.clone(),
            labels: template.metadata.labels.clone(),
            owner_references: vec![owner_reference("apps/v1", "Deployment", &d.metadata)],
            ..ObjectMeta::default()
        },
        spec: ReplicaSetSpec {
            replicas: Some(replicas),
            selector: Some(selector),
            template,
            min_ready_seconds: None,
        },
        status: None,
    }
}

/// The ReplicaSets a dump left out, recreated from the pods that name them.
fn adopt(ctx: &Ctx, d: &Deployment) -> Vec<Effect> {
    let Some(selector) = &d.spec.selector else {
        return Vec::new();
    };
    // (name, uid, hash, newest pod's creation time, a pod, active pods)
    let mut missing: Vec<(String, String, String, String, &Pod, i32)> = Vec::new();
    for o in ctx.store.list("Pod") {
        let Object::Pod(pod) = o else { continue };
        if pod.metadata.namespace != d.metadata.namespace
            || !selector_matches(selector, &pod.metadata.labels)
        {
            continue;
        }
        let hash = pod.metadata.labels.get(HASH_LABEL);
        let (name, uid) = match controller_of(&pod.metadata) {
            Some(owner) if owner.kind == "ReplicaSet" => {
                let key = ObjKey::new("ReplicaSet", &d.metadata.namespace, &owner.name);
                if ctx.store.get(&key).is_some() {
                    continue;
                }
                (owner.name.clone(), owner.uid.clone())
            }
            Some(_) => continue,
            None => match hash {
                Some(h) => (format!("{}-{h}", d.metadata.name), String::new()),
                None => continue,
            },
        };
        let hash = hash.cloned().unwrap_or_else(|| {
            name.strip_prefix(&format!("{}-", d.metadata.name))
                .unwrap_or(&name)
                .to_owned()
        });
        let created = pod.metadata.creation_timestamp.clone().unwrap_or_default();
        let counts = i32::from(active(pod));
        match missing.iter_mut().find(|m| m.0 == name) {
            Some(m) => {
                m.5 += counts;
                if created > m.3 {
                    m.3 = created;
                    m.4 = pod;
                }
            }
            None => missing.push((name, uid, hash, created, pod, counts)),
        }
    }
    let Some(newest) = missing
        .iter()
        .max_by(|a, b| (&a.3, &a.0).cmp(&(&b.3, &b.0)))
        .map(|m| m.0.clone())
    else {
        return Vec::new();
    };
    missing
        .iter()
        .map(|(name, uid, hash, _, pod, count)| {
            let rs = if *name == newest {
                replica_set(
                    d,
                    name,
                    uid,
                    hash,
                    &d.spec.template,
                    d.spec.replicas.unwrap_or(1),
                )
            } else {
                let mut template = PodTemplateSpec::default();
                template.metadata.labels.clone_from(&pod.metadata.labels);
                template.spec = pod.spec.clone();
                template.spec.node_name.clear();
                replica_set(d, name, uid, hash, &template, *count)
            };
            Effect::Create(Object::ReplicaSet(rs))
        })
        .collect()
}

/// The Deployment controller's sync of one Deployment.
pub fn sync(ctx: &Ctx, key: &ObjKey) -> Vec<Effect> {
    let Some(Object::Deployment(d)) = ctx.store.get(key) else {
        return Vec::new();
    };
    if d.metadata.deletion_timestamp.is_some() {
        return Vec::new();
    }
    let sets = replica_sets_of(ctx, d);
    if sets.is_empty() {
        let adopted = adopt(ctx, d);
        if !adopted.is_empty() {
            return adopted;
        }
    }
    let want = d.spec.replicas.unwrap_or(1);
    let new = sets
        .iter()
        .copied()
        .find(|rs| without_hash(&rs.spec.template) == d.spec.template);
    let old: Vec<&ReplicaSet> = sets
        .iter()
        .copied()
        .filter(|rs| new.is_none_or(|n| n.metadata.uid != rs.metadata.uid))
        .collect();
    let recreate = d
        .spec
        .strategy
        .as_ref()
        .is_some_and(|s| s.type_ == "Recreate");
    if recreate {
        recreate_sync(ctx, key, d, new, &old, want)
    } else {
        rolling_sync(ctx, key, d, new, &old, want)
    }
}

/// A new ReplicaSet for the Deployment's current template.
fn create_new(key: &ObjKey, d: &Deployment, replicas: i32) -> Vec<Effect> {
    let hash = template_hash(&d.spec.template);
    let name = format!("{}-{hash}", d.metadata.name);
    let rs = replica_set(d, &name, "", &hash, &d.spec.template, replicas);
    let mut effects = vec![Effect::Create(Object::ReplicaSet(rs))];
    if replicas > 0 {
        effects.push(Effect::event(
            key,
            "Normal",
            "ScalingReplicaSet",
            format!("Scaled up replica set {name} from 0 to {replicas}"),
        ));
    }
    effects
}

fn recreate_sync(
    ctx: &Ctx,
    key: &ObjKey,
    d: &Deployment,
    new: Option<&ReplicaSet>,
    old: &[&ReplicaSet],
    want: i32,
) -> Vec<Effect> {
    let mut effects: Vec<Effect> = old
        .iter()
        .filter(|rs| replicas(rs) > 0)
        .flat_map(|rs| scale(key, rs, 0))
        .collect();
    if !effects.is_empty() {
        return effects;
    }
    let old_running = old.iter().any(|rs| {
        pods_of(ctx.store, &rs.metadata.namespace, &rs.metadata.uid)
            .iter()
            .any(|p| !is_terminal(p))
    });
    if old_running {
        return Vec::new();
    }
    match new {
        None => effects = create_new(key, d, want),
        Some(rs) if replicas(rs) != want => effects.extend(scale(key, rs, want)),
        Some(_) => {}
    }
    effects
}

fn rolling_sync(
    ctx: &Ctx,
    key: &ObjKey,
    d: &Deployment,
    new: Option<&ReplicaSet>,
    old: &[&ReplicaSet],
    want: i32,
) -> Vec<Effect> {
    let (surge, unavailable) = fenceposts(d, want);
    let total: i32 = old.iter().map(|rs| replicas(rs)).sum::<i32>() + new.map_or(0, replicas);
    // reconcileNewReplicaSet.
    let new_count = new.map_or(0, replicas);
    let grow_to = if new_count < want {
        let room = (want + surge - total).max(0);
        new_count + room.min(want - new_count)
    } else {
        want
    };
    let Some(new) = new else {
        return create_new(key, d, grow_to);
    };
    if grow_to != new_count {
        return scale(key, new, grow_to).into();
    }
    // reconcileOldReplicaSets.
    let old_count: i32 = old.iter().map(|rs| replicas(rs)).sum();
    if old_count == 0 {
        return Vec::new();
    }
    let min_available = want - unavailable;
    let new_unavailable = (replicas(new) - available(ctx, new)).max(0);
    let max_scaled_down = total - min_available - new_unavailable;
    if max_scaled_down <= 0 {
        return Vec::new();
    }
    let mut target: Vec<i32> = old.iter().map(|rs| replicas(rs)).collect();
    // cleanupUnhealthyReplicas: old pods that are not available go first.
    let mut cleaned = 0;
    for (i, rs) in old.iter().enumerate() {
        if cleaned >= max_scaled_down {
            break;
        }
        let unhealthy = (target[i] - available(ctx, rs)).max(0);
        let down = unhealthy.min(max_scaled_down - cleaned);
        target[i] -= down;
        cleaned += down;
    }
    // scaleDownOldReplicaSetsForRollingUpdate.
    let available_now: i32 =
        old.iter().map(|rs| available(ctx, rs)).sum::<i32>() + available(ctx, new);
    let mut room = available_now - min_available;
    for (i, _) in old.iter().enumerate() {
        if room <= 0 {
            break;
        }
        let down = target[i].min(room);
        target[i] -= down;
        room -= down;
    }
    old.iter()
        .zip(target)
        .filter(|(rs, to)| replicas(rs) != *to)
        .flat_map(|(rs, to)| scale(key, rs, to))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployment(rolling: serde_json::Value) -> Deployment {
        let mut d = Deployment::default();
        d.spec.strategy = Some(crate::model::DeploymentStrategy {
            type_: "RollingUpdate".into(),
            rolling_update: Some(rolling),
        });
        d
    }

    #[test]
    fn surge_rounds_up_and_unavailable_down() {
        let defaults = deployment(serde_json::json!({}));
        assert_eq!(fenceposts(&defaults, 10), (3, 2));
        assert_eq!(fenceposts(&defaults, 4), (1, 1));
        // One replica: 25% surges one pod and keeps the old one available.
        assert_eq!(fenceposts(&defaults, 1), (1, 0));
        let numbers = deployment(serde_json::json!({"maxSurge": 2, "maxUnavailable": "50%"}));
        assert_eq!(fenceposts(&numbers, 3), (2, 1));
    }

    #[test]
    fn both_zero_allows_one_unavailable() {
        let zero = deployment(serde_json::json!({"maxSurge": 0, "maxUnavailable": 0}));
        assert_eq!(fenceposts(&zero, 5), (0, 1));
    }
}
