//! Node lifecycle (pkg/controller/nodelifecycle), taint-based eviction
//! (pkg/controller/tainteviction), pod garbage collection (podgc), and the
//! node steps of a scenario.
//!
//! A failed node's kubelet stops reporting. After the node-monitor grace
//! period (50 s since 1.32) the node lifecycle controller sets its Ready
//! condition to Unknown and adds the `node.kubernetes.io/unreachable`
//! NoSchedule and NoExecute taints. Pods that do not tolerate a NoExecute
//! taint are evicted (deleted) when their toleration runs out: 300 s by
//! default, from admission. On an unreachable node a deleted pod stays
//! Terminating, since no kubelet confirms it, until the node comes back, is
//! deleted (pod GC removes its pods after 40 s), or gets the
//! `node.kubernetes.io/out-of-service` taint (pod GC force-deletes them).
//!
//! `drain` cordons the node and evicts its pods through the eviction API,
//! which refuses an eviction that would break a PodDisruptionBudget; as
//! `kubectl drain` does, refused pods are tried again every 5 s. pvsim shows
//! kubectl's message as a Warning event `EvictionBlocked` on the pod (an
//! event of pvsim's own: kubectl prints it, the API server records none).
//!
//! Simplification: a recovered node keeps the pods that were running.

use crate::Object;
use crate::model::{Node, Pod, Taint};
use crate::objects::node::OUT_OF_SERVICE_TAINT;
use crate::objects::node::UNSCHEDULABLE_TAINT;
use crate::objects::node::node_ready;
use crate::objects::node::{NOT_READY_TAINT, UNREACHABLE_TAINT, node_key};
use crate::objects::pod::pod_key;
use crate::objects::pod::{is_terminal, tolerates};
use crate::objects::{pod, selector};
use crate::sim::clock::{Millis, SECOND, parse_timestamp, timestamp};
use crate::sim::queue::Controller;
use crate::sim::store::ObjKey;
use crate::sim::{Ctx, Effect, Ops};

/// --node-monitor-grace-period.
pub const NODE_MONITOR_GRACE: Millis = 50 * SECOND;
/// PodGC's quarantine before removing pods of a deleted node.
const ORPHAN_QUARANTINE: Millis = 40 * SECOND;

fn pods_on<'a>(ctx: &Ctx<'a>, node: &'a str) -> impl Iterator<Item = &'a Pod> + 'a {
    ctx.store.list("Pod").filter_map(move |o| match o {
        Object::Pod(p) if p.spec.node_name == node => Some(p),
        _ => None,
    })
}

/// The NoSchedule and NoExecute taints the controller puts on a node that
/// is not Ready, where they are missing; NoExecute carries the time.
fn add_taints(node: &mut Node, key: &str, now: Millis) {
    for effect in ["NoSchedule", "NoExecute"] {
        if !node
            .spec
            .taints
            .iter()
            .any(|t| t.key == key && t.effect == effect)
        {
            node.spec.taints.push(Taint {
                key: key.into(),
                value: String::new(),
                effect: effect.into(),
                time_added: (effect == "NoExecute").then(|| timestamp(now)),
            });
        }
    }
}

fn is_not_ready_taint(t: &Taint) -> bool {
    t.key == UNREACHABLE_TAINT || t.key == NOT_READY_TAINT
}

fn node_event(key: &ObjKey, status: &str) -> Effect {
    Effect::Event {
        key: key.clone(),
        type_: "Normal",
        reason: match status {
            "NodeNotReady" => "NodeNotReady",
            "NodeReady" => "NodeReady",
            "NodeNotSchedulable" => "NodeNotSchedulable",
            _ => "NodeSchedulable",
        },
        message: format!("Node {} status is now: {status}", key.name),
        source: Some("node-controller".into()),
    }
}

/// The node lifecycle controller and pod GC for one node.
pub fn lifecycle(ctx: &Ctx, ops: &Ops, key: &ObjKey) -> Vec<Effect> {
    let Some(Object::Node(node)) = ctx.store.get(key) else {
        return orphans(ctx, ops, &key.name);
    };
    let mut effects = Vec::new();
    let down = ops.nodes_down.get(&node.metadata.name).copied();
    match down {
        Some(since) if node_ready(node) => {
            let due = since + NODE_MONITOR_GRACE;
            if ctx.now < due {
                return vec![Effect::after(due - ctx.now, Controller::NodeLifecycle, key)];
            }
            let mut n = node.clone();
            for c in &mut n.status.conditions {
                if c.type_ == "Ready" {
                    c.status = "Unknown".into();
                    c.reason = "NodeStatusUnknown".into();
                    c.message = "Kubelet stopped posting node status.".into();
                    c.last_transition_time = Some(timestamp(ctx.now));
                }
            }
            add_taints(&mut n, UNREACHABLE_TAINT, ctx.now);
            effects.push(Effect::Write(Object::Node(n)));
            effects.push(node_event(key, "NodeNotReady"));
            for pod in pods_on(ctx, &node.metadata.name).filter(|p| !is_terminal(p)) {
                effects.push(Effect::Event {
                    key: pod_key(pod),
                    type_: "Warning",
                    reason: "NodeNotReady",
                    message: "Node is not ready".into(),
                    source: Some("node-controller".into()),
                });
            }
        }
        // A node that was NotReady when pvsim met it (a dump) and lacks the
        // taints the controller would have put on it gets them now:
        // not-ready when its kubelet said so, unreachable when it went
        // silent.
        Some(_)
            if !node
                .spec
                .taints
                .iter()
                .any(|t| is_not_ready_taint(t) && t.effect == "NoExecute") =>
        {
            let silent = node
                .status
                .conditions
                .iter()
                .any(|c| c.type_ == "Ready" && c.status == "Unknown");
            let key_name = if silent {
                UNREACHABLE_TAINT
            } else {
                NOT_READY_TAINT
            };
            let mut n = node.clone();
            add_taints(&mut n, key_name, ctx.now);
            effects.push(Effect::Write(Object::Node(n)));
        }
        None if !node_ready(node) => {
            // The kubelet reports again.
            let mut n = node.clone();
            for c in &mut n.status.conditions {
                if c.type_ == "Ready" {
                    c.status = "True".into();
                    c.reason = "KubeletReady".into();
                    c.message = "kubelet is posting ready status".into();
                    c.last_transition_time = Some(timestamp(ctx.now));
                }
            }
            n.spec.taints.retain(|t| !is_not_ready_taint(t));
            effects.push(Effect::Write(Object::Node(n)));
            effects.push(node_event(key, "NodeReady"));
        }
        _ => {}
    }
    // Pod GC: with the out-of-service taint, pods being deleted on a node
    // that is not Ready are removed at once.
    let out_of_service = node
        .spec
        .taints
        .iter()
        .any(|t| t.key == OUT_OF_SERVICE_TAINT);
    if out_of_service && (!node_ready(node) || down.is_some()) {
        for pod in pods_on(ctx, &node.metadata.name) {
            if pod.metadata.deletion_timestamp.is_some() || is_terminal(pod) {
                effects.push(Effect::ForceDelete(pod_key(pod)));
            }
        }
    }
    effects
}

/// Pod GC for a node that no longer exists: its pods go after a quarantine.
fn orphans(ctx: &Ctx, ops: &Ops, node: &str) -> Vec<Effect> {
    let Some(&deleted) = ops.nodes_deleted.get(node) else {
        return Vec::new();
    };
    let due = deleted + ORPHAN_QUARANTINE;
    if ctx.now < due {
        return vec![Effect::after(
            due - ctx.now,
            Controller::NodeLifecycle,
            &node_key(node),
        )];
    }
    pods_on(ctx, node)
        .map(|p| Effect::ForceDelete(pod_key(p)))
        .collect()
}

/// Taint-based eviction of one pod: a NoExecute taint it does not
/// tolerate evicts it now; one it tolerates for a while, when that ends.
pub fn taint_eviction(ctx: &Ctx, key: &ObjKey) -> Vec<Effect> {
    let Some(Object::Pod(pod)) = ctx.store.get(key) else {
        return Vec::new();
    };
    if pod.spec.node_name.is_empty()
        || pod.metadata.deletion_timestamp.is_some()
        || is_terminal(pod)
    {
        return Vec::new();
    }
    let Some(Object::Node(node)) = ctx.store.get(&node_key(&pod.spec.node_name)) else {
        return Vec::new();
    };
    let mut due: Option<Millis> = None;
    for taint in node.spec.taints.iter().filter(|t| t.effect == "NoExecute") {
        let added = taint
            .time_added
            .as_deref()
            .and_then(parse_timestamp)
            .unwrap_or(ctx.now);
        let tolerated = pod
            .spec
            .tolerations
            .iter()
            .filter(|t| tolerates(std::slice::from_ref(t), taint));
        let until = if tolerates(&pod.spec.tolerations, taint) {
            // The shortest tolerationSeconds among matching tolerations; none means forever.
            let seconds = tolerated.filter_map(|t| t.toleration_seconds).min();
            match seconds {
                Some(s) => added + s.max(0).cast_unsigned() * SECOND,
                None => continue,
            }
        } else {
            ctx.now
        };
        due = Some(due.map_or(until, |d| d.min(until)));
    }
    let Some(due) = due else {
        return Vec::new();
    };
    if ctx.now < due {
        return vec![Effect::after(due - ctx.now, Controller::TaintEviction, key)];
    }
    vec![
        Effect::Event {
            key: key.clone(),
            type_: "Normal",
            reason: "TaintManagerEviction",
            message: format!(
                "Marking for deletion Pod {}/{}",
                pod.metadata.namespace, pod.metadata.name
            ),
            source: Some("taint-eviction-controller".into()),
        },
        Effect::Delete(key.clone()),
    ]
}

/// A node as the `cordon`/`uncordon` steps leave it.
pub fn cordoned(node: &Node, on: bool) -> Node {
    let mut n = node.clone();
    n.spec.unschedulable = on;
    n.spec.taints.retain(|t| t.key != UNSCHEDULABLE_TAINT);
    if on {
        n.spec.taints.push(Taint {
            key: UNSCHEDULABLE_TAINT.into(),
            value: String::new(),
            effect: "NoSchedule".into(),
            time_added: None,
        });
    }
    n
}

/// How many pods matching a PodDisruptionBudget may be disrupted now.
fn disruptions_allowed(
    ctx: &Ctx,
    pdb: &crate::model::PodDisruptionBudget,
    evicting: &[String],
) -> i64 {
    let selector = pdb.spec.selector.clone().unwrap_or_default();
    let matching: Vec<&Pod> = ctx
        .store
        .list("Pod")
        .filter_map(|o| match o {
            Object::Pod(p)
                if p.metadata.namespace == pdb.metadata.namespace
                    && !is_terminal(p)
                    && selector::selector_matches(&selector, &p.metadata.labels) =>
            {
                Some(p)
            }
            _ => None,
        })
        .collect();
    // As the disruption controller does: the replicas the pods' controllers
    // want, not the pods that happen to exist.
    let mut owners: std::collections::BTreeSet<(String, String)> =
        std::collections::BTreeSet::new();
    let mut bare = 0i64;
    for p in &matching {
        match pod::controller_of(&p.metadata) {
            Some(o) => {
                owners.insert((o.kind.clone(), o.name.clone()));
            }
            None => bare += 1,
        }
    }
    let expected = bare
        + owners
            .iter()
            .map(|(kind, name)| {
                let kind: &'static str = match kind.as_str() {
                    "StatefulSet" => "StatefulSet",
                    "ReplicaSet" => "ReplicaSet",
                    _ => return 0,
                };
                match ctx
                    .store
                    .get(&ObjKey::new(kind, &pdb.metadata.namespace, name))
                {
                    Some(Object::StatefulSet(s)) => i64::from(s.spec.replicas.unwrap_or(1)),
                    Some(Object::ReplicaSet(r)) => i64::from(r.spec.replicas.unwrap_or(1)),
                    _ => 0,
                }
            })
            .sum::<i64>();
    let healthy = i64::try_from(
        matching
            .iter()
            .filter(|p| {
                p.status.phase == "Running"
                    && p.metadata.deletion_timestamp.is_none()
                    && !evicting.contains(&p.metadata.name)
            })
            .count(),
    )
    .unwrap_or(0);
    let count = |v: &serde_json::Value| -> i64 {
        match v {
            serde_json::Value::Number(n) => n.as_i64().unwrap_or(0),
            serde_json::Value::String(s) => {
                let pct: i64 = s.trim_end_matches('%').parse().unwrap_or(0);
                (expected * pct + 99) / 100
            }
            _ => 0,
        }
    };
    match (&pdb.spec.min_available, &pdb.spec.max_unavailable) {
        (Some(min), _) => healthy - count(min),
        (None, Some(max)) => healthy - (expected - count(max)),
        (None, None) => healthy,
    }
}

/// One pass of `kubectl drain`'s evictions on a node: evict what the
/// disruption budgets allow, try the rest again in 5 s.
pub fn drain(ctx: &Ctx, key: &ObjKey) -> Vec<Effect> {
    let pods: Vec<&Pod> = pods_on(ctx, &key.name)
        .filter(|p| p.metadata.deletion_timestamp.is_none() && !is_terminal(p))
        .collect();
    let budgets: Vec<&crate::model::PodDisruptionBudget> = ctx
        .store
        .list("PodDisruptionBudget")
        .filter_map(|o| match o {
            Object::PodDisruptionBudget(p) => Some(p),
            _ => None,
        })
        .collect();
    let mut evicting: Vec<String> = Vec::new();
    let mut effects = Vec::new();
    let mut blocked = false;
    for pod in pods {
        let covering: Vec<_> = budgets
            .iter()
            .filter(|b| {
                b.metadata.namespace == pod.metadata.namespace
                    && b.spec
                        .selector
                        .as_ref()
                        .is_some_and(|s| selector::selector_matches(s, &pod.metadata.labels))
            })
            .collect();
        if covering
            .iter()
            .any(|b| disruptions_allowed(ctx, b, &evicting) < 1)
        {
            blocked = true;
            effects.push(Effect::Event {
                key: pod_key(pod),
                type_: "Warning",
                reason: "EvictionBlocked",
                message: format!(
                    "error when evicting pods/{:?} -n {:?} (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.",
                    pod.metadata.name, pod.metadata.namespace
                ),
                source: Some("kubectl".into()),
            });
            continue;
        }
        evicting.push(pod.metadata.name.clone());
        effects.push(Effect::Delete(pod_key(pod)));
    }
    if blocked {
        effects.push(Effect::After {
            delay: 5 * SECOND,
            controller: Controller::Drain,
            key: key.clone(),
            blocking: false,
        });
    }
    effects
}
