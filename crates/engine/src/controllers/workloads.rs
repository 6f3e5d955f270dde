//! Workload controllers: ReplicaSet → Pods (pkg/controller/replicaset;
//! the Deployment above it is in `deployment.rs`), StatefulSet with its claims
//! (pkg/controller/statefulset), generic ephemeral volumes
//! (pkg/controller/volume/ephemeral) and the garbage collector.
//!
//! Simplifications: the ReplicaSet name's hash is FNV-32a of the pod
//! template, encoded as upstream does; pods are "ready" when Running;
//! a StatefulSet creates pods OrderedReady (Parallel acts the same) and
//! scales down from the highest ordinal; the garbage collector deletes
//! dependents in the background as soon as their owner is gone.

use crate::Object;
use crate::model::{
    ObjectMeta, PersistentVolumeClaim, Pod, PodTemplateSpec, ReplicaSet, StatefulSet,
};
use crate::objects::pod::{
    active, controller_of, owned_by, owner_reference, pod_key, pods_of, template_hash,
};
use crate::objects::selector::selector_matches;
use crate::sim::rng::Rng;
use crate::sim::store::ObjKey;
use crate::sim::{Ctx, Effect};

fn pod_from(template: &PodTemplateSpec, meta: ObjectMeta) -> Pod {
    let mut metadata = meta;
    for (k, v) in &template.metadata.labels {
        metadata
            .labels
            .entry(k.clone())
            .or_insert_with(|| v.clone());
    }
    metadata
        .annotations
        .extend(template.metadata.annotations.clone());
    Pod {
        api_version: "v1".into(),
        kind: "Pod".into(),
        metadata,
        spec: template.spec.clone(),
        status: crate::model::PodStatus::default(),
    }
}

/// Pods a ReplicaSet's selector matches that no controller owns.
fn orphans_of<'a>(ctx: &Ctx<'a>, rs: &ReplicaSet) -> Vec<&'a Pod> {
    let Some(selector) = &rs.spec.selector else {
        return Vec::new();
    };
    ctx.store
        .list("Pod")
        .filter_map(|o| match o {
            Object::Pod(p)
                if p.metadata.namespace == rs.metadata.namespace
                    && controller_of(&p.metadata).is_none()
                    && p.metadata.deletion_timestamp.is_none()
                    && selector_matches(selector, &p.metadata.labels) =>
            {
                Some(p)
            }
            _ => None,
        })
        .collect()
}

/// A ReplicaSet keeps its number of active pods: new ones replace pods that
/// are gone or being deleted; extra ones are deleted, newest first.
pub fn replica_set(ctx: &Ctx, rng: &mut Rng, key: &ObjKey) -> Vec<Effect> {
    let Some(Object::ReplicaSet(rs)) = ctx.store.get(key) else {
        return Vec::new();
    };
    if rs.metadata.deletion_timestamp.is_some() {
        return Vec::new();
    }
    let want = usize::try_from(rs.spec.replicas.unwrap_or(1).max(0)).unwrap_or(0);
    // Orphans the selector matches are adopted (a dump's pods without an
    // owner reference); they count at once.
    let orphans = orphans_of(ctx, rs);
    let mut effects: Vec<Effect> = orphans
        .iter()
        .map(|p| {
            let mut adopted = (*p).clone();
            adopted.metadata.owner_references.push(owner_reference(
                "apps/v1",
                "ReplicaSet",
                &rs.metadata,
            ));
            Effect::Write(Object::Pod(adopted))
        })
        .collect();
    let mut pods: Vec<&Pod> = pods_of(ctx.store, &rs.metadata.namespace, &rs.metadata.uid)
        .into_iter()
        .chain(orphans)
        .filter(|p| active(p))
        .collect();
    if pods.len() < want {
        for _ in pods.len()..want {
            let name = format!("{}-{}", rs.metadata.name, rng.alphanumeric(5));
            let meta = ObjectMeta {
                name: name.clone(),
                generate_name: format!("{}-", rs.metadata.name),
                namespace: rs.metadata.namespace.clone(),
                owner_references: vec![owner_reference("apps/v1", "ReplicaSet", &rs.metadata)],
                ..ObjectMeta::default()
            };
            effects.push(Effect::Create(Object::Pod(pod_from(
                &rs.spec.template,
                meta,
            ))));
            effects.push(Effect::event(
                key,
                "Normal",
                "SuccessfulCreate",
                format!("Created pod: {name}"),
            ));
        }
    } else if pods.len() > want {
        // Pods not yet running go first, then the newest.
        crate::sort::by(&mut pods, |a, b| {
            (
                a.status.phase == "Running",
                &b.metadata.creation_timestamp,
                &b.metadata.name,
            )
                .cmp(&(
                    b.status.phase == "Running",
                    &a.metadata.creation_timestamp,
                    &a.metadata.name,
                ))
        });
        for pod in pods.iter().take(pods.len() - want) {
            effects.push(Effect::Delete(pod_key(pod)));
            effects.push(Effect::event(
                key,
                "Normal",
                "SuccessfulDelete",
                format!("Deleted pod: {}", pod.metadata.name),
            ));
        }
    }
    effects
}

/// The ordinal of a pod named `<set>-<n>`.
fn member_ordinal(set: &str, pod: &str) -> Option<usize> {
    let n = pod.strip_prefix(set)?.strip_prefix('-')?;
    if n.len() > 1 && n.starts_with('0') {
        return None;
    }
    n.parse().ok()
}

fn claim_name(template: &str, set: &str, ordinal: usize) -> String {
    format!("{template}-{set}-{ordinal}")
}

/// A StatefulSet: ordinal pods, each with its claims from the templates,
/// created in order, each once the one before runs; scaled down from the
/// top; a pod that is gone is created again under the same name.
pub fn stateful_set(ctx: &Ctx, key: &ObjKey) -> Vec<Effect> {
    let Some(Object::StatefulSet(set)) = ctx.store.get(key) else {
        return Vec::new();
    };
    if set.metadata.deletion_timestamp.is_some() {
        return Vec::new();
    }
    let want = usize::try_from(set.spec.replicas.unwrap_or(1).max(0)).unwrap_or(0);
    let ns = &set.metadata.namespace;
    let pod_at = |i: usize| match ctx.store.get(&ObjKey::new(
        "Pod",
        ns,
        &format!("{}-{i}", set.metadata.name),
    )) {
        Some(Object::Pod(p)) => Some(p),
        _ => None,
    };
    // Members a dump brings whose owner reference names this set by name
    // but not by uid (the set was pasted without its uid), or no
    // controller at all: the set adopts them.
    let strays: Vec<Effect> = ctx
        .store
        .list("Pod")
        .filter_map(|o| match o {
            Object::Pod(p)
                if p.metadata.namespace == *ns
                    && member_ordinal(&set.metadata.name, &p.metadata.name).is_some()
                    && controller_of(&p.metadata).is_none_or(|c| {
                        c.kind == "StatefulSet"
                            && c.name == set.metadata.name
                            && c.uid != set.metadata.uid
                    }) =>
            {
                let mut adopted = p.clone();
                adopted
                    .metadata
                    .owner_references
                    .retain(|o| o.controller != Some(true));
                adopted.metadata.owner_references.push(owner_reference(
                    "apps/v1",
                    "StatefulSet",
                    &set.metadata,
                ));
                Some(Effect::Write(Object::Pod(adopted)))
            }
            _ => None,
        })
        .collect();
    if !strays.is_empty() {
        return strays;
    }
    // Scale down: the highest ordinal above the wanted count goes first,
    // once nothing else is terminating.
    let existing: Vec<(usize, &Pod)> = pods_of(ctx.store, ns, &set.metadata.uid)
        .into_iter()
        .filter_map(|p| {
            let ordinal = p.metadata.name.rsplit('-').next()?.parse::<usize>().ok()?;
            Some((ordinal, p))
        })
        .collect();
    if existing
        .iter()
        .any(|(_, p)| p.metadata.deletion_timestamp.is_some())
    {
        return Vec::new();
    }
    if let Some((_, extra)) = existing
        .iter()
        .filter(|(i, _)| *i >= want)
        .max_by_key(|(i, _)| *i)
    {
        let mut effects = vec![
            Effect::Delete(pod_key(extra)),
            Effect::event(
                key,
                "Normal",
                "SuccessfulDelete",
                format!(
                    "delete Pod {} in StatefulSet {} successful",
                    extra.metadata.name, set.metadata.name
                ),
            ),
        ];
        effects.extend(scale_down_claims(ctx, set, &extra.metadata.name));
        return effects;
    }
    for i in 0..want {
        match pod_at(i) {
            Some(p) if p.status.phase == "Running" => {}
            Some(_) => return Vec::new(), // OrderedReady: wait for it
            None => return create_member(ctx, set, key, i),
        }
    }
    Vec::new()
}

/// Claims of a pod removed by scale-down, deleted when the retention
/// policy says `whenScaled: Delete`.
fn scale_down_claims(ctx: &Ctx, set: &StatefulSet, pod: &str) -> Vec<Effect> {
    let delete = set
        .spec
        .persistent_volume_claim_retention_policy
        .as_ref()
        .is_some_and(|p| p.when_scaled == "Delete");
    if !delete {
        return Vec::new();
    }
    let ordinal: usize = pod
        .rsplit('-')
        .next()
        .and_then(|o| o.parse().ok())
        .unwrap_or(0);
    set.spec
        .volume_claim_templates
        .iter()
        .map(|t| claim_name(&t.metadata.name, &set.metadata.name, ordinal))
        .filter(|c| ctx.store.pvc(&set.metadata.namespace, c).is_some())
        .map(|c| {
            Effect::Delete(ObjKey::new(
                "PersistentVolumeClaim",
                &set.metadata.namespace,
                &c,
            ))
        })
        .collect()
}

fn create_member(ctx: &Ctx, set: &StatefulSet, key: &ObjKey, i: usize) -> Vec<Effect> {
    let ns = &set.metadata.namespace;
    let name = format!("{}-{i}", set.metadata.name);
    let mut effects = Vec::new();
    let when_deleted = set
        .spec
        .persistent_volume_claim_retention_policy
        .as_ref()
        .is_some_and(|p| p.when_deleted == "Delete");
    for t in &set.spec.volume_claim_templates {
        let claim = claim_name(&t.metadata.name, &set.metadata.name, i);
        if ctx.store.pvc(ns, &claim).is_some() {
            continue;
        }
        let mut labels = set
            .spec
            .selector
            .as_ref()
            .map(|s| s.match_labels.clone())
            .unwrap_or_default();
        labels.extend(t.metadata.labels.clone());
        let pvc = PersistentVolumeClaim {
            api_version: "v1".into(),
            kind: "PersistentVolumeClaim".into(),
            metadata: ObjectMeta {
                name: claim.clone(),
                namespace: ns.clone(),
                labels,
                annotations: t.metadata.annotations.clone(),
                owner_references: if when_deleted {
                    vec![owner_reference("apps/v1", "StatefulSet", &set.metadata)]
                } else {
                    Vec::new()
                },
                ..ObjectMeta::default()
            },
            spec: t.spec.clone(),
            status: crate::model::PersistentVolumeClaimStatus::default(),
        };
        effects.push(Effect::Create(Object::PersistentVolumeClaim(pvc)));
        effects.push(Effect::event(
            key,
            "Normal",
            "SuccessfulCreate",
            format!(
                "create Claim {claim} Pod {name} in StatefulSet {} success",
                set.metadata.name
            ),
        ));
    }
    let mut template = set.spec.template.clone();
    for t in &set.spec.volume_claim_templates {
        let claim = claim_name(&t.metadata.name, &set.metadata.name, i);
        if let Some(v) = template
            .spec
            .volumes
            .iter_mut()
            .find(|v| v.name == t.metadata.name)
        {
            v.persistent_volume_claim = Some(crate::model::PersistentVolumeClaimVolumeSource {
                claim_name: claim,
                read_only: false,
            });
        } else {
            template.spec.volumes.push(crate::model::Volume {
                name: t.metadata.name.clone(),
                persistent_volume_claim: Some(crate::model::PersistentVolumeClaimVolumeSource {
                    claim_name: claim,
                    read_only: false,
                }),
                ..crate::model::Volume::default()
            });
        }
    }
    let mut meta = ObjectMeta {
        name: name.clone(),
        namespace: ns.clone(),
        owner_references: vec![owner_reference("apps/v1", "StatefulSet", &set.metadata)],
        ..ObjectMeta::default()
    };
    meta.labels
        .insert("statefulset.kubernetes.io/pod-name".into(), name.clone());
    meta.labels
        .insert("apps.kubernetes.io/pod-index".into(), i.to_string());
    meta.labels.insert(
        "controller-revision-hash".into(),
        format!(
            "{}-{}",
            set.metadata.name,
            template_hash(&set.spec.template)
        ),
    );
    effects.push(Effect::Create(Object::Pod(pod_from(&template, meta))));
    effects.push(Effect::event(
        key,
        "Normal",
        "SuccessfulCreate",
        format!(
            "create Pod {name} in StatefulSet {} successful",
            set.metadata.name
        ),
    ));
    effects
}

/// The ephemeral volume controller: a claim `<pod>-<volume>` for each
/// generic ephemeral volume, owned by the pod.
pub fn ephemeral(ctx: &Ctx, key: &ObjKey) -> Vec<Effect> {
    let Some(Object::Pod(pod)) = ctx.store.get(key) else {
        return Vec::new();
    };
    let mut effects = Vec::new();
    for v in &pod.spec.volumes {
        let Some(template) = v
            .ephemeral
            .as_ref()
            .and_then(|e| e.volume_claim_template.as_ref())
        else {
            continue;
        };
        let name = format!("{}-{}", pod.metadata.name, v.name);
        if ctx.store.pvc(&pod.metadata.namespace, &name).is_some() {
            continue;
        }
        let pvc = PersistentVolumeClaim {
            api_version: "v1".into(),
            kind: "PersistentVolumeClaim".into(),
            metadata: ObjectMeta {
                name,
                namespace: pod.metadata.namespace.clone(),
                labels: template.metadata.labels.clone(),
                annotations: template.metadata.annotations.clone(),
                owner_references: vec![owner_reference("v1", "Pod", &pod.metadata)],
                ..ObjectMeta::default()
            },
            spec: template.spec.clone(),
            status: crate::model::PersistentVolumeClaimStatus::default(),
        };
        effects.push(Effect::Create(Object::PersistentVolumeClaim(pvc)));
    }
    effects
}

/// The garbage collector: objects whose controlling owner is gone are deleted.
pub fn collect_garbage(ctx: &Ctx, owner_uid: &str) -> Vec<Effect> {
    if owner_uid.is_empty() {
        return Vec::new();
    }
    let alive = ctx
        .store
        .all()
        .any(|(_, r)| r.object.metadata().uid == owner_uid);
    if alive {
        return Vec::new();
    }
    ctx.store
        .all()
        .filter(|(_, r)| {
            let meta = r.object.metadata();
            meta.deletion_timestamp.is_none() && owned_by(meta, owner_uid)
        })
        .map(|(k, _)| Effect::Delete(k.clone()))
        .collect()
}
