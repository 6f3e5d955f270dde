//! The scheduler (`default-scheduler`): the filters that decide storage
//! stories, the volume binding of WaitForFirstConsumer claims, and the
//! `Scheduled` and `FailedScheduling` events (pkg/scheduler/framework/
//! plugins/{nodeunschedulable,tainttoleration,nodeaffinity,
//! volumerestrictions,volumebinding,volumezone} and framework/types.go).
//!
//! Filters run in the default profile's order and a node's first failing
//! filter gives its reason; VolumeBinding may give several. The chosen node
//! is the feasible one with the fewest pods, ties broken by the seed. For
//! WaitForFirstConsumer claims the scheduler reserves a matching volume
//! (pre-binding its claimRef) or asks for provisioning (the
//! `volume.kubernetes.io/selected-node` annotation), then waits, checking
//! every second for up to 600 s, until every claim is bound before it binds
//! the pod.
//!
//! NodeVolumeLimits reads a node's attach limit per CSI driver from its
//! allocatable `attachable-volumes-csi-<driver>` (upstream reads CSINode).
//! InterPodAffinity checks the incoming pod's required affinity and
//! anti-affinity terms (filtering.go's `satisfyPodAffinity` and
//! `satisfyPodAntiAffinity`), including the first pod of a group with
//! affinity to its own labels, which may start anywhere. A term's
//! `namespaceSelector`, `matchLabelKeys` and `mismatchLabelKeys` are not
//! read.
//!
//! Simplifications: CPU, memory and ports are not modelled
//! (NodeResourcesFit and NodePorts always pass); existing pods'
//! anti-affinity is not checked against the incoming pod; scoring is
//! "fewest pods";
//! preemption never finds victims; an unschedulable pod is retried when a
//! node, volume, claim, class or pod changes (at most once a second) and
//! every five minutes.

use std::collections::{BTreeMap, BTreeSet};

use crate::Object;
use crate::model::{Node, PersistentVolume, PersistentVolumeClaim, Pod, PodAffinityTerm, Taint};
use crate::objects::matching;
use crate::objects::node::UNSCHEDULABLE_TAINT;
use crate::objects::pod::{is_terminal, pod_claims, pod_key, tolerates, wants_scheduling};
use crate::objects::selector::node_selector_matches;
use crate::objects::volume::claim_class;
use crate::objects::volume::{
    ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_SELECTED_NODE, NO_PROVISIONER, claim_ref,
    delay_binding,
};
use crate::objects::{selector, volume};
use crate::sim::clock::{MINUTE, Millis, SECOND};
use crate::sim::queue::Controller;
use crate::sim::rng::Rng;
use crate::sim::store::ObjKey;
use crate::sim::{Ctx, Effect, Ops};

const BIND_TIMEOUT: Millis = 600 * SECOND;
const RETRY_UNSCHEDULABLE: Millis = 5 * MINUTE;
/// How soon a pod that failed may be tried again.
pub const BACKOFF: Millis = SECOND;

const NODE_CONFLICT: &str = "node(s) didn't match PersistentVolume's node affinity";
const BIND_CONFLICT: &str = "node(s) didn't find available persistent volumes to bind";
const PV_NOT_EXIST: &str =
    "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";
const RWOP_CONFLICT: &str =
    "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode";

/// A pod the scheduler has placed, waiting for its volumes to bind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assumed {
    pub node: String,
    pub deadline: Millis,
}

/// One node's reasons for refusing the pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    pub node: String,
    pub reasons: Vec<String>,
    /// `UnschedulableAndUnresolvable`: preemption cannot help.
    pub unresolvable: bool,
}

/// What the scheduler concluded for a pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Rejected before looking at nodes (a PreFilter message).
    PreFilter(String),
    /// Every node rejected it.
    Filter(Vec<Rejection>),
    /// Feasible nodes, with what each would need done to the pod's claims.
    Feasible(Vec<(String, Vec<ClaimPlan>)>),
}

/// What binding a WaitForFirstConsumer claim on a node takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClaimPlan {
    /// Pre-bind this existing volume to the claim.
    Volume { claim: ObjKey, volume: String },
    /// Provision a volume for the claim on this node.
    Provision { claim: ObjKey },
}

fn nodes<'a>(ctx: &Ctx<'a>) -> Vec<&'a Node> {
    ctx.store
        .list("Node")
        .filter_map(|o| match o {
            Object::Node(n) => Some(n),
            _ => None,
        })
        .collect()
}

fn pods<'a>(ctx: &Ctx<'a>) -> impl Iterator<Item = &'a Pod> {
    ctx.store.list("Pod").filter_map(|o| match o {
        Object::Pod(p) => Some(p),
        _ => None,
    })
}

/// Whether a bound claim is complete: a volume name and bind-completed.
fn is_bound(pvc: &PersistentVolumeClaim) -> bool {
    pvc.spec
        .volume_name
        .as_deref()
        .is_some_and(|v| !v.is_empty())
        && pvc.metadata.annotations.contains_key(ANN_BIND_COMPLETED)
}

/// The claims of a pod, split as VolumeBinding's PreFilter does.
struct Claims<'a> {
    bound: Vec<&'a PersistentVolumeClaim>,
    delayed: Vec<&'a PersistentVolumeClaim>,
}

fn prefilter<'a>(ctx: &Ctx<'a>, pod: &Pod) -> Result<Claims<'a>, String> {
    let mut claims = Claims {
        bound: Vec::new(),
        delayed: Vec::new(),
    };
    let mut immediate = false;
    for (name, ephemeral) in pod_claims(pod) {
        let Some(pvc) = ctx.store.pvc(&pod.metadata.namespace, &name) else {
            return Err(if ephemeral {
                format!(
                    "waiting for ephemeral volume controller to create the persistentvolumeclaim {name:?}"
                )
            } else {
                format!("persistentvolumeclaim {name:?} not found")
            });
        };
        if pvc.status.phase == "Lost" {
            return Err(format!(
                "persistentvolumeclaim {name:?} bound to non-existent persistentvolume {:?}",
                pvc.spec.volume_name.clone().unwrap_or_default()
            ));
        }
        if pvc.metadata.deletion_timestamp.is_some() {
            return Err(format!("persistentvolumeclaim {name:?} is being deleted"));
        }
        if is_bound(pvc) {
            claims.bound.push(pvc);
        } else if pvc.spec.volume_name.as_deref().unwrap_or("").is_empty()
            && delay_binding(ctx.store, pvc)
        {
            claims.delayed.push(pvc);
        } else {
            immediate = true;
        }
    }
    if immediate {
        return Err("pod has unbound immediate PersistentVolumeClaims".into());
    }
    Ok(claims)
}

/// Whether another scheduled pod already uses one of this pod's
/// ReadWriteOncePod claims.
fn rwop_conflict(ctx: &Ctx, pod: &Pod) -> bool {
    // A set built by `extend`: `collect` would sort first, a copy of the
    // sort code for this type.
    let mut mine = BTreeSet::new();
    mine.extend(pod_claims(pod).into_iter().map(|(c, _)| c).filter(|c| {
        ctx.store
            .pvc(&pod.metadata.namespace, c)
            .is_some_and(|p| p.spec.access_modes.iter().any(|m| m == "ReadWriteOncePod"))
    }));
    !mine.is_empty()
        && pods(ctx).any(|other| {
            other.metadata.uid != pod.metadata.uid
                && other.metadata.namespace == pod.metadata.namespace
                && !other.spec.node_name.is_empty()
                && !is_terminal(other)
                && pod_claims(other).iter().any(|(c, _)| mine.contains(c))
        })
}

fn pv_fits_node(pv: &PersistentVolume, node: &Node) -> bool {
    pv.spec
        .node_affinity
        .as_ref()
        .and_then(|a| a.required.as_ref())
        .is_none_or(|sel| node_selector_matches(sel, &node.metadata.name, &node.metadata.labels))
}

/// VolumeBinding's Filter for one node: reasons, or the plan for the
/// pod's WaitForFirstConsumer claims.
fn volume_binding(ctx: &Ctx, claims: &Claims, node: &Node) -> Result<Vec<ClaimPlan>, Vec<String>> {
    let (mut node_conflict, mut bind_conflict, mut missing) = (false, false, false);
    for pvc in &claims.bound {
        match ctx.store.pv(pvc.spec.volume_name.as_deref().unwrap_or("")) {
            None => missing = true,
            Some(pv) if !pv_fits_node(pv, node) => node_conflict = true,
            Some(_) => {}
        }
    }
    let mut plan = Vec::new();
    let mut chosen: BTreeSet<String> = BTreeSet::new();
    let mut delayed = claims.delayed.clone();
    crate::sort::by_key(&mut delayed, |c| volume::request(c).map(|r| r.nanos()));
    for pvc in delayed {
        let key = ObjKey::new(
            "PersistentVolumeClaim",
            &pvc.metadata.namespace,
            &pvc.metadata.name,
        );
        if let Some(selected) = pvc.metadata.annotations.get(ANN_SELECTED_NODE)
            && *selected != node.metadata.name
        {
            bind_conflict = true;
            continue;
        }
        let class = claim_class(pvc);
        let candidates = ctx.store.list("PersistentVolume").filter_map(|o| match o {
            Object::PersistentVolume(pv)
                if volume::volume_class(pv) == class
                    && !chosen.contains(&pv.metadata.name)
                    && pv_fits_node(pv, node) =>
            {
                Some(pv)
            }
            _ => None,
        });
        let mut best: Option<&PersistentVolume> = None;
        for pv in candidates {
            match matching::check(pv, pvc, false) {
                Ok(true) => {
                    best = Some(pv);
                    break;
                }
                Ok(false) if best.is_none_or(|b| volume::capacity(pv) < volume::capacity(b)) => {
                    best = Some(pv);
                }
                _ => {}
            }
        }
        if let Some(pv) = best {
            chosen.insert(pv.metadata.name.clone());
            plan.push(ClaimPlan::Volume {
                claim: key,
                volume: pv.metadata.name.clone(),
            });
            continue;
        }
        let provisionable = ctx.store.class(class).is_some_and(|sc| {
            !sc.provisioner.is_empty()
                && sc.provisioner != NO_PROVISIONER
                && (sc.allowed_topologies.is_empty()
                    || sc.allowed_topologies.iter().any(|term| {
                        term.match_label_expressions.iter().all(|e| {
                            node.metadata
                                .labels
                                .get(&e.key)
                                .is_some_and(|v| e.values.contains(v))
                        })
                    }))
        });
        if provisionable {
            plan.push(ClaimPlan::Provision { claim: key });
        } else {
            bind_conflict = true;
        }
    }
    let reasons: Vec<String> = [
        (node_conflict, NODE_CONFLICT),
        (bind_conflict, BIND_CONFLICT),
        (missing, PV_NOT_EXIST),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, r)| (*r).to_owned())
    .collect();
    if reasons.is_empty() {
        Ok(plan)
    } else {
        Err(reasons)
    }
}

/// VolumeZone: the zone and region labels of bound volumes must be the node's.
fn volume_zone(ctx: &Ctx, claims: &Claims, node: &Node) -> bool {
    const KEYS: [&str; 4] = [
        "failure-domain.beta.kubernetes.io/zone",
        "failure-domain.beta.kubernetes.io/region",
        "topology.kubernetes.io/zone",
        "topology.kubernetes.io/region",
    ];
    let node_has_zone = KEYS.iter().any(|k| node.metadata.labels.contains_key(*k));
    if !node_has_zone {
        return true;
    }
    claims.bound.iter().all(|pvc| {
        let Some(pv) = ctx.store.pv(pvc.spec.volume_name.as_deref().unwrap_or("")) else {
            return true;
        };
        pv.metadata.labels.iter().all(|(k, v)| {
            let Some(i) = KEYS.iter().position(|x| x == k) else {
                return true;
            };
            // The beta label also matches the GA node label.
            let node_value = node
                .metadata
                .labels
                .get(KEYS[i])
                .or_else(|| node.metadata.labels.get(KEYS[i % 2 + 2]));
            node_value.is_some_and(|nv| v.split("__").any(|z| z == nv))
        })
    })
}

/// Runs the filters for one node, in the default profile's order.
fn filter(
    ctx: &Ctx,
    pod: &Pod,
    claims: &Claims,
    rwop: bool,
    node: &Node,
) -> Result<Vec<ClaimPlan>, Rejection> {
    let reject = |reasons: Vec<String>, unresolvable: bool| Rejection {
        node: node.metadata.name.clone(),
        reasons,
        unresolvable,
    };
    if node.spec.unschedulable {
        let taint = Taint {
            key: UNSCHEDULABLE_TAINT.into(),
            effect: "NoSchedule".into(),
            ..Taint::default()
        };
        if !tolerates(&pod.spec.tolerations, &taint) {
            return Err(reject(vec!["node(s) were unschedulable".into()], true));
        }
    }
    if let Some(taint) = node.spec.taints.iter().find(|t| {
        matches!(t.effect.as_str(), "NoSchedule" | "NoExecute")
            && !tolerates(&pod.spec.tolerations, t)
    }) {
        return Err(reject(
            vec![format!(
                "node(s) had untolerated taint {{{}: {}}}",
                taint.key, taint.value
            )],
            true,
        ));
    }
    let labels = &node.metadata.labels;
    let selector_ok = pod
        .spec
        .node_selector
        .iter()
        .all(|(k, v)| labels.get(k) == Some(v));
    let affinity_ok = pod
        .spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|a| {
            a.required_during_scheduling_ignored_during_execution
                .as_ref()
        })
        .is_none_or(|sel| node_selector_matches(sel, &node.metadata.name, labels));
    if !(selector_ok && affinity_ok) {
        return Err(reject(
            vec!["node(s) didn't match Pod's node affinity/selector".into()],
            true,
        ));
    }
    if rwop {
        return Err(reject(vec![RWOP_CONFLICT.into()], false));
    }
    if exceeds_volume_limits(ctx, pod, node) {
        return Err(reject(
            vec!["node(s) exceed max volume count".into()],
            false,
        ));
    }
    let plan = volume_binding(ctx, claims, node).map_err(|reasons| reject(reasons, true))?;
    if !volume_zone(ctx, claims, node) {
        return Err(reject(
            vec!["node(s) had no available volume zone".into()],
            true,
        ));
    }
    if let Some((reason, unresolvable)) = inter_pod_affinity(ctx, pod, node) {
        return Err(reject(vec![reason.into()], unresolvable));
    }
    Ok(plan)
}

/// The attachable CSI volumes a pod uses, by driver, as unique names.
fn attachable(ctx: &Ctx, pod: &Pod) -> Vec<(String, String)> {
    pod_claims(pod)
        .iter()
        .filter_map(|(c, _)| ctx.store.pvc(&pod.metadata.namespace, c))
        .filter_map(|pvc| ctx.store.pv(pvc.spec.volume_name.as_deref()?))
        .filter_map(|pv| {
            let driver = volume::needs_attach(ctx.store, pv)?;
            Some((driver, volume::unique_name(pv)?))
        })
        .collect()
}

/// NodeVolumeLimits: the node's attach limit per CSI driver (its
/// allocatable `attachable-volumes-csi-<driver>`), counting the volumes its
/// pods use and this pod's new ones.
fn exceeds_volume_limits(ctx: &Ctx, pod: &Pod, node: &Node) -> bool {
    let mine = attachable(ctx, pod);
    if mine.is_empty() {
        return false;
    }
    let mut on_node: BTreeSet<(String, String)> = BTreeSet::new();
    on_node.extend(
        pods(ctx)
            .filter(|p| p.spec.node_name == node.metadata.name && !is_terminal(p))
            .flat_map(|p| attachable(ctx, p)),
    );
    on_node.extend(mine.iter().cloned());
    mine.iter().any(|(driver, _)| {
        let limit = node
            .status
            .allocatable
            .get(&format!("attachable-volumes-csi-{driver}"))
            .map(|q| q.parsed().value());
        let used = on_node.iter().filter(|(d, _)| d == driver).count();
        limit.is_some_and(|l| i128::try_from(used).unwrap_or(i128::MAX) > l)
    })
}

const AFFINITY_RULES: &str = "node(s) didn't match pod affinity rules";
const ANTI_AFFINITY_RULES: &str = "node(s) didn't match pod anti-affinity rules";

/// `AffinityTerm.Matches`: `other` is in the term's namespaces (the
/// incoming pod's own when the term names none) and matches its label
/// selector (a term without one matches no pod).
fn term_matches(pod: &Pod, term: &PodAffinityTerm, other: &Pod) -> bool {
    let namespaces_ok = if term.namespaces.is_empty() {
        other.metadata.namespace == pod.metadata.namespace
    } else {
        term.namespaces.contains(&other.metadata.namespace)
    };
    namespaces_ok
        && term
            .label_selector
            .as_ref()
            .is_some_and(|s| selector::selector_matches(s, &other.metadata.labels))
}

/// A node's value of a term's topology key: the term's domain there.
fn domain<'n>(node: &'n Node, term: &PodAffinityTerm) -> Option<&'n String> {
    node.metadata.labels.get(&term.topology_key)
}

fn required_terms(a: Option<&crate::model::PodAffinity>) -> &[PodAffinityTerm] {
    a.map(|a| {
        a.required_during_scheduling_ignored_during_execution
            .as_slice()
    })
    .unwrap_or_default()
}

/// InterPodAffinity's Filter for the incoming pod's required terms, in
/// upstream's order: `satisfyPodAffinity` (UnschedulableAndUnresolvable),
/// then `satisfyPodAntiAffinity` (Unschedulable). Returns the reason and
/// whether it is unresolvable.
///
/// Affinity: the node has every term's topology label, and in each term's
/// domain runs a pod that matches all the terms. When no pod anywhere
/// matches them all and the pod matches its own terms, it may go to any
/// node with the labels: the first pod of a group that wants to be
/// together can start. Anti-affinity: no pod matching a term runs in that
/// term's domain.
fn inter_pod_affinity(ctx: &Ctx, pod: &Pod, node: &Node) -> Option<(&'static str, bool)> {
    let affinity = pod.spec.affinity.as_ref()?;
    let affinity_terms = required_terms(affinity.pod_affinity.as_ref());
    let anti_terms = required_terms(affinity.pod_anti_affinity.as_ref());
    if affinity_terms.is_empty() && anti_terms.is_empty() {
        return None;
    }
    // The scheduler's snapshot: scheduled pods still running, on their node.
    let existing: Vec<(&Pod, &Node)> = pods(ctx)
        .filter(|o| {
            o.metadata.uid != pod.metadata.uid && !o.spec.node_name.is_empty() && !is_terminal(o)
        })
        .filter_map(
            |o| match ctx.store.get(&ObjKey::new("Node", "", &o.spec.node_name)) {
                Some(Object::Node(n)) => Some((o, n)),
                _ => None,
            },
        )
        .collect();

    if !affinity_terms.is_empty() {
        if affinity_terms.iter().any(|t| domain(node, t).is_none()) {
            return Some((AFFINITY_RULES, true));
        }
        // topologyToMatchedTermCount: the nodes of the pods that match every term.
        let matching: Vec<&Node> = existing
            .iter()
            .filter(|(o, _)| affinity_terms.iter().all(|t| term_matches(pod, t, o)))
            .map(|&(_, n)| n)
            .collect();
        let pods_exist = affinity_terms
            .iter()
            .all(|t| matching.iter().any(|n| domain(n, t) == domain(node, t)));
        if !pods_exist {
            let counted_anywhere = affinity_terms
                .iter()
                .any(|t| matching.iter().any(|n| domain(n, t).is_some()));
            let matches_itself = affinity_terms.iter().all(|t| term_matches(pod, t, pod));
            if counted_anywhere || !matches_itself {
                return Some((AFFINITY_RULES, true));
            }
        }
    }

    let anti_conflict = anti_terms.iter().any(|t| {
        domain(node, t).is_some_and(|d| {
            existing
                .iter()
                .any(|(o, n)| term_matches(pod, t, o) && domain(n, t) == Some(d))
        })
    });
    if anti_conflict {
        return Some((ANTI_AFFINITY_RULES, false));
    }
    None
}

/// The scheduler's verdict for a pod, node by node.
pub fn evaluate(ctx: &Ctx, pod: &Pod) -> Verdict {
    let claims = match prefilter(ctx, pod) {
        Ok(c) => c,
        Err(message) => return Verdict::PreFilter(message),
    };
    let rwop = rwop_conflict(ctx, pod);
    let mut feasible = Vec::new();
    let mut rejected = Vec::new();
    for node in nodes(ctx) {
        match filter(ctx, pod, &claims, rwop, node) {
            Ok(plan) => feasible.push((node.metadata.name.clone(), plan)),
            Err(r) => rejected.push(r),
        }
    }
    if feasible.is_empty() {
        Verdict::Filter(rejected)
    } else {
        Verdict::Feasible(feasible)
    }
}

/// `FitError.Error()`: `0/3 nodes are available: ...` with the preemption
/// post-filter's message.
pub fn fit_message(total: usize, verdict: &Verdict) -> String {
    let not_helpful = format!("{total} Preemption is not helpful for scheduling");
    match verdict {
        Verdict::PreFilter(message) => format!(
            "0/{total} nodes are available: {message}. preemption: 0/{total} nodes are available: {not_helpful}."
        ),
        Verdict::Filter(rejections) => {
            let mut histogram: BTreeMap<String, usize> = BTreeMap::new();
            for r in rejections {
                for reason in &r.reasons {
                    *histogram.entry(reason.clone()).or_default() += 1;
                }
            }
            let mut entries: Vec<String> =
                histogram.iter().map(|(r, n)| format!("{n} {r}")).collect();
            crate::sort::stable(&mut entries);
            let unresolvable = rejections.iter().filter(|r| r.unresolvable).count();
            let mut post = Vec::new();
            if total > unresolvable {
                post.push(format!(
                    "{} No preemption victims found for incoming pod",
                    total - unresolvable
                ));
            }
            if unresolvable > 0 {
                post.push(format!(
                    "{unresolvable} Preemption is not helpful for scheduling"
                ));
            }
            crate::sort::stable(&mut post);
            format!(
                "0/{total} nodes are available: {}. preemption: 0/{total} nodes are available: {}.",
                entries.join(", "),
                post.join(", ")
            )
        }
        Verdict::Feasible(_) => String::new(),
    }
}

/// The pod with its PodScheduled condition set.
fn with_scheduled_condition(
    pod: &Pod,
    status: &str,
    reason: &str,
    message: &str,
    ctx: &Ctx,
) -> Pod {
    let mut p = pod.clone();
    p.status
        .conditions
        .retain(|c| c.get("type").and_then(serde_json::Value::as_str) != Some("PodScheduled"));
    let mut c = serde_json::json!({
        "type": "PodScheduled",
        "status": status,
        "lastProbeTime": null,
        "lastTransitionTime": crate::sim::clock::timestamp(ctx.now),
    });
    if !reason.is_empty() {
        c["reason"] = reason.into();
        c["message"] = message.into();
    }
    p.status.conditions.push(c);
    p
}

fn failed(ctx: &Ctx, ops: &mut Ops, pod: &Pod, message: &str) -> Vec<Effect> {
    let key = pod_key(pod);
    ops.schedule_retry
        .insert(pod.metadata.uid.clone(), ctx.now + BACKOFF);
    let mut effects = vec![Effect::event(
        &key,
        "Warning",
        "FailedScheduling",
        message.to_owned(),
    )];
    let current = pod
        .status
        .conditions
        .iter()
        .find(|c| c.get("type").and_then(serde_json::Value::as_str) == Some("PodScheduled"));
    if current
        .and_then(|c| c.get("message"))
        .and_then(serde_json::Value::as_str)
        != Some(message)
    {
        let updated = with_scheduled_condition(pod, "False", "Unschedulable", message, ctx);
        effects.push(Effect::Write(Object::Pod(updated)));
    }
    effects.push(Effect::After {
        delay: RETRY_UNSCHEDULABLE,
        controller: Controller::Schedule,
        key,
        blocking: false,
    });
    effects
}

fn bind(ctx: &Ctx, ops: &mut Ops, pod: &Pod, node: &str) -> Vec<Effect> {
    ops.assumed.remove(&pod.metadata.uid);
    ops.schedule_retry.remove(&pod.metadata.uid);
    let mut bound = with_scheduled_condition(pod, "True", "", "", ctx);
    node.clone_into(&mut bound.spec.node_name);
    vec![
        Effect::Write(Object::Pod(bound)),
        Effect::event(
            &pod_key(pod),
            "Normal",
            "Scheduled",
            format!(
                "Successfully assigned {}/{} to {node}",
                pod.metadata.namespace, pod.metadata.name
            ),
        ),
    ]
}

/// One scheduling attempt (or, for a placed pod, one check of its volumes).
pub fn sync(ctx: &Ctx, ops: &mut Ops, rng: &mut Rng, key: &ObjKey) -> Vec<Effect> {
    let Some(Object::Pod(pod)) = ctx.store.get(key) else {
        return Vec::new();
    };
    if !wants_scheduling(pod) {
        ops.assumed.remove(&pod.metadata.uid);
        return Vec::new();
    }
    if let Some(assumed) = ops.assumed.get(&pod.metadata.uid).cloned() {
        return wait_for_volumes(ctx, ops, pod, &assumed);
    }
    if let Some(&at) = ops.schedule_retry.get(&pod.metadata.uid)
        && at > ctx.now
    {
        return vec![Effect::after(at - ctx.now, Controller::Schedule, key)];
    }
    let total = ctx.store.list("Node").count();
    if total == 0 {
        return failed(ctx, ops, pod, "no nodes available to schedule pods");
    }
    let verdict = evaluate(ctx, pod);
    let Verdict::Feasible(feasible) = verdict else {
        let message = fit_message(total, &verdict);
        return failed(ctx, ops, pod, &message);
    };
    // Fewest pods first; the seed breaks ties.
    let load = |node: &str| {
        pods(ctx)
            .filter(|p| p.spec.node_name == node && !is_terminal(p))
            .count()
    };
    let least = feasible.iter().map(|(n, _)| load(n)).min().unwrap_or(0);
    let best: Vec<&(String, Vec<ClaimPlan>)> =
        feasible.iter().filter(|(n, _)| load(n) == least).collect();
    let (node, plan) = best[rng.below(best.len())].clone();
    if plan.is_empty() {
        return bind(ctx, ops, pod, &node);
    }
    // Reserve and PreBind: pre-bind volumes, ask for provisioning.
    let mut effects = Vec::new();
    for step in &plan {
        match step {
            ClaimPlan::Volume { claim, volume } => {
                let (Some(pvc), Some(pv)) = (
                    ctx.store.pvc(&claim.namespace, &claim.name),
                    ctx.store.pv(volume),
                ) else {
                    continue;
                };
                if volume::is_bound_to(pv, pvc) {
                    continue;
                }
                let mut v = pv.clone();
                v.spec.claim_ref = Some(claim_ref(pvc));
                v.metadata
                    .annotations
                    .insert(ANN_BOUND_BY_CONTROLLER.into(), "yes".into());
                effects.push(Effect::Write(Object::PersistentVolume(v)));
            }
            ClaimPlan::Provision { claim } => {
                let Some(pvc) = ctx.store.pvc(&claim.namespace, &claim.name) else {
                    continue;
                };
                let mut c = pvc.clone();
                c.metadata
                    .annotations
                    .insert(ANN_SELECTED_NODE.into(), node.clone());
                if c != *pvc {
                    effects.push(Effect::Write(Object::PersistentVolumeClaim(c)));
                }
            }
        }
    }
    ops.assumed.insert(
        pod.metadata.uid.clone(),
        Assumed {
            node,
            deadline: ctx.now + BIND_TIMEOUT,
        },
    );
    effects.push(Effect::after(SECOND, Controller::Schedule, key));
    effects
}

/// PreBind's wait: every claim bound, then the pod is bound to its node.
fn wait_for_volumes(ctx: &Ctx, ops: &mut Ops, pod: &Pod, assumed: &Assumed) -> Vec<Effect> {
    let all_bound = pod_claims(pod).iter().all(|(c, _)| {
        ctx.store
            .pvc(&pod.metadata.namespace, c)
            .is_some_and(is_bound)
    });
    if all_bound {
        return bind(ctx, ops, pod, &assumed.node);
    }
    if ctx.now >= assumed.deadline {
        ops.assumed.remove(&pod.metadata.uid);
        return failed(
            ctx,
            ops,
            pod,
            "running PreBind plugin \"VolumeBinding\": binding volumes: context deadline exceeded",
        );
    }
    vec![Effect::after(SECOND, Controller::Schedule, &pod_key(pod))]
}
