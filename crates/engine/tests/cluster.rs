//! The simulated cluster: explain on pods mid-failover, and the invariants
//! that hold at every step of any sequence of workloads and node steps.
#![allow(clippy::disallowed_methods)]

use std::collections::BTreeMap;
use std::fmt::Write as _;

use proptest::prelude::*;
use pvsim_engine::scenario::{self, RunOptions};
use pvsim_engine::sim::clock::{MINUTE, SECOND};
use pvsim_engine::sim::store::ObjKey;
use pvsim_engine::{Object, explain, load};

fn scenario_objects(path: &str) -> pvsim_engine::Loaded {
    let full = format!(
        "{}/../../tests/scenarios/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut loaded = load(path, &std::fs::read(full).unwrap());
    loaded
        .entries
        .retain(|e| e.kind != "Scenario" && e.step.is_none());
    loaded
}

#[test]
fn explain_names_the_multi_attach_and_the_force_detach_time() {
    let loaded = scenario_objects("failover/deployment-node-failure.yaml");
    let mut sim = scenario::run(&loaded, &RunOptions::default()).unwrap().sim;
    let node = match sim.store().list("Pod").next() {
        Some(Object::Pod(p)) => p.spec.node_name.clone(),
        _ => panic!("the Deployment's pod runs"),
    };
    let failed_at = sim.now();
    sim.fail_node(&node).unwrap();
    // NotReady after 50 s, eviction 300 s later, then the replacement waits.
    sim.run_for(7 * MINUTE);
    let replacement = sim
        .store()
        .list("Pod")
        .find_map(|o| match o {
            Object::Pod(p) if p.metadata.deletion_timestamp.is_none() => {
                Some(p.metadata.name.clone())
            }
            _ => None,
        })
        .unwrap();
    let e = explain::pod(&sim, "default", &replacement).unwrap();
    assert_eq!(e.status, "ContainerCreating");
    assert_eq!(e.volumes.len(), 1);
    let waiting = &e.volumes[0].waiting_for;
    assert!(
        waiting.contains(&format!("to be detached from {node} first (Multi-Attach)")),
        "{waiting}"
    );
    // The eviction came 350 s after the failure; the force detach is six minutes later.
    let evicted = failed_at + 350 * SECOND;
    let due = pvsim_engine::sim::clock::timestamp(evicted + 6 * MINUTE);
    assert!(
        waiting.contains(&format!("force-detached at {due}")),
        "{waiting}"
    );
    let old = sim
        .store()
        .list("Pod")
        .find_map(|o| match o {
            Object::Pod(p) if p.metadata.deletion_timestamp.is_some() => {
                Some(p.metadata.name.clone())
            }
            _ => None,
        })
        .unwrap();
    let stuck = explain::pod(&sim, "default", &old).unwrap();
    assert_eq!(stuck.status, "Terminating");
    assert!(
        stuck.summary.contains("out-of-service"),
        "{}",
        stuck.summary
    );
}

#[test]
fn explain_lists_each_node_with_its_filter() {
    let loaded = scenario_objects("stories/zone-trap.yaml");
    let options = RunOptions {
        profile: Some("eks".into()),
        ..RunOptions::default()
    };
    let mut sim = scenario::run(&loaded, &options).unwrap().sim;
    let node = match sim.store().list("Pod").next() {
        Some(Object::Pod(p)) => p.spec.node_name.clone(),
        _ => panic!(),
    };
    sim.fail_node(&node).unwrap();
    sim.run_for(10 * MINUTE);
    let pending = sim
        .store()
        .list("Pod")
        .find_map(|o| match o {
            Object::Pod(p) if p.spec.node_name.is_empty() => Some(p.metadata.name.clone()),
            _ => None,
        })
        .unwrap();
    let e = explain::pod(&sim, "default", &pending).unwrap();
    let reasons: BTreeMap<String, Vec<String>> = e
        .nodes
        .iter()
        .map(|n| (n.node.clone(), n.rejected_by.clone()))
        .collect();
    assert_eq!(
        reasons[&node],
        ["node(s) had untolerated taint {node.kubernetes.io/unreachable: }"]
    );
    assert_eq!(
        reasons
            .values()
            .filter(|r| r.as_slice() == ["node(s) didn't match PersistentVolume's node affinity"])
            .count(),
        2
    );
}

#[test]
fn replicas_with_affinity_to_their_own_label_share_a_node() {
    let path = "binding/affinity-to-own-labels-lets-the-first-pod-start.yaml";
    let full = format!(
        "{}/../../tests/scenarios/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    let loaded = load(path, &std::fs::read(full).unwrap());
    let run = scenario::run(&loaded, &RunOptions::default()).unwrap();
    assert!(run.unmet.is_empty(), "{:?}", run.unmet);
    let nodes: Vec<String> = run
        .sim
        .store()
        .list("Pod")
        .filter_map(|o| match o {
            Object::Pod(p) => Some(p.spec.node_name.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(nodes.len(), 2);
    assert!(!nodes[0].is_empty() && nodes[0] == nodes[1], "{nodes:?}");
}

/// A pod that requires a pod of another group next to it waits, unresolvably,
/// until one runs; its own labels do not satisfy a term they do not match.
/// (pvsim retries it on its five-minute timer: a pod being bound does not
/// wake the pods that want to be near it.)
#[test]
fn affinity_to_another_group_waits_for_a_pod_of_that_group() {
    let yaml = "\
apiVersion: pvsim.dev/v1alpha1
kind: Scenario
metadata: {name: s}
spec:
  profile: bare
  steps:
  - wait: 30s
  - apply:
      apiVersion: v1
      kind: Pod
      metadata: {name: db, labels: {app: db}}
      spec: {containers: [{name: c, image: postgres:17}]}
  - wait: 6m
  expect:
  - event: Warning FailedScheduling
    message: \"0/3 nodes are available: 3 node(s) didn't match pod affinity rules. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.\"
  - pods: app=web
    status: [Running]
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector: {matchLabels: {app: db}}
        topologyKey: kubernetes.io/hostname
  containers: [{name: c, image: nginx:1.27}]
";
    let run = scenario::run(&load("a.yaml", yaml.as_bytes()), &RunOptions::default()).unwrap();
    assert!(run.unmet.is_empty(), "{:?}", run.unmet);
    let node_of = |name: &str| match run.sim.store().get(&ObjKey::new("Pod", "default", name)) {
        Some(Object::Pod(p)) => p.spec.node_name.clone(),
        _ => panic!("{name} exists"),
    };
    assert!(!node_of("db").is_empty());
    assert_eq!(node_of("web"), node_of("db"));
}

const STEPS: [&str; 7] = [
    "failNode: {nodeOf: {selector: app=a}}",
    "recoverNode: node-a",
    "recoverNode: node-b",
    "drain: {nodeOf: {selector: app=b}}",
    "uncordon: node-b",
    "taintOutOfService: {nodeOf: {selector: app=a}}",
    "wait: 7m",
];

/// A Deployment on a ReadWriteOnce disk (app=a), with one replica or with
/// two kept on different nodes by pod anti-affinity (so that two nodes want
/// the disk at once), a StatefulSet (app=b), a ReadWriteOncePod claim with
/// two pods (app=c), and random node steps.
fn workload(steps: &[usize], waits: &[u8], replicas: u8) -> String {
    let mut y = String::from(
        "apiVersion: pvsim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: prop}\nspec:\n  steps:\n  - wait: idle\n  - writeData: {selector: app=a, path: /data/f, content: kept}\n",
    );
    for (s, w) in steps.iter().zip(waits) {
        let _ = writeln!(y, "  - {}\n  - wait: {}s", STEPS[*s], u32::from(*w) * 10);
    }
    y.push_str("  - wait: 20m\n");
    y.push_str(
        "---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: a}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: a}
spec:
  replicas: REPLICAS
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: a}}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - {labelSelector: {matchLabels: {app: a}}, topologyKey: kubernetes.io/hostname}
      containers: [{name: a, image: busybox, volumeMounts: [{name: d, mountPath: /data}]}]
      volumes: [{name: d, persistentVolumeClaim: {claimName: a}}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: b}
spec:
  replicas: 2
  selector: {matchLabels: {app: b}}
  template:
    metadata: {labels: {app: b}}
    spec:
      containers: [{name: b, image: busybox, volumeMounts: [{name: d, mountPath: /data}]}]
  volumeClaimTemplates:
  - metadata: {name: d}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: c}
spec: {accessModes: [ReadWriteOncePod], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: c1, labels: {app: c}}
spec:
  containers: [{name: c, image: busybox, volumeMounts: [{name: d, mountPath: /data}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: c}}]
---
apiVersion: v1
kind: Pod
metadata: {name: c2, labels: {app: c}}
spec:
  containers: [{name: c, image: busybox, volumeMounts: [{name: d, mountPath: /data}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: c}}]
",
    );
    y.replace("REPLICAS", &replicas.to_string())
}

/// The invariants over one state of the cluster.
fn check(
    objects: &BTreeMap<ObjKey, std::rc::Rc<pvsim_engine::sim::store::Record>>,
) -> Result<(), String> {
    let mut attached: BTreeMap<String, usize> = BTreeMap::new();
    let mut vas: BTreeMap<(String, String), bool> = BTreeMap::new();
    let mut rwop_users: BTreeMap<String, usize> = BTreeMap::new();
    for r in objects.values() {
        if let Object::VolumeAttachment(va) = &r.object {
            let pv = va
                .spec
                .source
                .persistent_volume_name
                .clone()
                .unwrap_or_default();
            if va.status.attached {
                *attached.entry(pv.clone()).or_default() += 1;
            }
            vas.insert((pv, va.spec.node_name.clone()), va.status.attached);
        }
    }
    for (pv, n) in &attached {
        if *n > 1 {
            return Err(format!("ReadWriteOnce volume {pv} attached to {n} nodes"));
        }
    }
    for r in objects.values() {
        let Object::Pod(pod) = &r.object else {
            continue;
        };
        // A pod being deleted on a dead node still says Running; it is not.
        if pod.status.phase != "Running" || pod.metadata.deletion_timestamp.is_some() {
            continue;
        }
        for (claim, _) in pvsim_engine::objects::pod::pod_claims(pod) {
            let key = ObjKey::new("PersistentVolumeClaim", &pod.metadata.namespace, &claim);
            let Some(Object::PersistentVolumeClaim(pvc)) = objects.get(&key).map(|r| &r.object)
            else {
                return Err(format!(
                    "running pod {} has no claim {claim}",
                    pod.metadata.name
                ));
            };
            if pvc.status.phase != "Bound" {
                return Err(format!(
                    "running pod {} uses unbound claim {claim}",
                    pod.metadata.name
                ));
            }
            let pv = pvc.spec.volume_name.clone().unwrap_or_default();
            if !vas
                .get(&(pv.clone(), pod.spec.node_name.clone()))
                .copied()
                .unwrap_or(false)
            {
                return Err(format!(
                    "running pod {} on {} but {pv} is not attached there",
                    pod.metadata.name, pod.spec.node_name
                ));
            }
            if pvc
                .spec
                .access_modes
                .iter()
                .any(|m| m == "ReadWriteOncePod")
            {
                *rwop_users.entry(claim.clone()).or_default() += 1;
            }
        }
    }
    if let Some((claim, n)) = rwop_users.iter().find(|(_, n)| **n > 1) {
        return Err(format!(
            "ReadWriteOncePod claim {claim} used by {n} running pods"
        ));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn volumes_attach_where_pods_run_and_data_survives(
        steps in proptest::collection::vec(0..STEPS.len(), 0..5),
        waits in proptest::collection::vec(1u8..40, 5),
        replicas in 1u8..=2,
    ) {
        let yaml = workload(&steps, &waits, replicas);
        let loaded = load("prop.yaml", yaml.as_bytes());
        prop_assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        let options = RunOptions { snapshots: true, ..RunOptions::default() };
        let run = scenario::run(&loaded, &options).unwrap();
        for step in run.sim.steps() {
            if let Some(snapshot) = &step.snapshot
                && let Err(e) = check(snapshot)
            {
                prop_assert!(false, "at {} ms after {:?} on {}: {e}", step.at, step.controller, step.key);
            }
        }
        // Two runs, one history.
        let again = scenario::run(&loaded, &options).unwrap();
        prop_assert_eq!(pvsim_engine::print::list(&run.sim), pvsim_engine::print::list(&again.sim));
        // The file on the network disk is still there for a running pod of app=a.
        let mut sim = run.sim;
        let down = &sim.ops().nodes_down;
        let reader = sim.store().list("Pod").find_map(|o| match o {
            Object::Pod(p) if p.status.phase == "Running"
                && p.metadata.deletion_timestamp.is_none()
                && !down.contains_key(&p.spec.node_name)
                && p.metadata.labels.get("app").is_some_and(|a| a == "a") => Some(p.metadata.name.clone()),
            _ => None,
        });
        if let Some(pod) = reader {
            let target = format!("default/{pod}");
            sim.data(false, Some(&target), None, "default", "/data/f", "").unwrap();
            let last = sim.events().records().iter().max_by_key(|r| r.last).unwrap();
            prop_assert_eq!(last.reason, "DataRead", "{}", last.message);
        }
    }
}

/// WaitForFirstConsumer: the disk is made in the zone of the node the
/// scheduler chose for the pod.
#[test]
fn a_late_bound_disk_is_made_in_the_pods_zone() {
    let dir = format!(
        "{}/../../../shared/corpus/aws-ebs-dynamic-provisioning",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut all = pvsim_engine::Loaded::default();
    for f in ["storageclass.yaml", "claim.yaml", "pod.yaml"] {
        all.extend(load(f, &std::fs::read(format!("{dir}/{f}")).unwrap()));
    }
    for seed in 0..5 {
        let options = RunOptions {
            profile: Some("eks".into()),
            seed: Some(seed),
            ..RunOptions::default()
        };
        let sim = scenario::run(&all, &options).unwrap().sim;
        let Some(Object::Pod(pod)) = sim.store().get(&ObjKey::new("Pod", "default", "app")) else {
            panic!()
        };
        assert_eq!(pod.status.phase, "Running");
        let Some(Object::Node(node)) =
            sim.store()
                .get(&ObjKey::new("Node", "", &pod.spec.node_name))
        else {
            panic!()
        };
        let pvc = sim.store().pvc("default", "ebs-claim").unwrap();
        let pv = sim
            .store()
            .pv(pvc.spec.volume_name.as_deref().unwrap())
            .unwrap();
        let term = &pv
            .spec
            .node_affinity
            .as_ref()
            .unwrap()
            .required
            .as_ref()
            .unwrap()
            .node_selector_terms[0];
        assert_eq!(term.match_expressions[0].key, "topology.kubernetes.io/zone");
        assert_eq!(
            term.match_expressions[0].values,
            [node.metadata.labels["topology.kubernetes.io/zone"].clone()]
        );
    }
}
