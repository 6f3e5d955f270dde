//! Pasted clusters: a `kubectl get -o yaml` dump simulates as the cluster it
//! came from (its own nodes and classes, NotReady nodes kept, ReplicaSets a
//! dump leaves out adopted), and hand-written inputs get what profile `auto`
//! fills in.
#![allow(clippy::disallowed_methods)]

use pvsim_engine::scenario::{self, RunOptions};
use pvsim_engine::{Object, Severity, load};

fn run(name: &str, yaml: &str) -> scenario::Run {
    scenario::run(&load(name, yaml.as_bytes()), &RunOptions::default()).unwrap()
}

fn names(run: &scenario::Run, kind: &'static str) -> Vec<String> {
    run.sim
        .store()
        .list(kind)
        .map(|o| o.metadata().name.clone())
        .collect()
}

fn node_ready(run: &scenario::Run, name: &str) -> bool {
    run.sim.store().list("Node").any(|o| {
        matches!(o, Object::Node(n) if n.metadata.name == name
            && pvsim_engine::objects::node::node_ready(n))
    })
}

#[test]
fn a_dump_with_a_notready_node_simulates_as_its_own_cluster() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/scenarios/dumps/notready-node-multi-attach.yaml"
    );
    let run = run("dump.yaml", &std::fs::read_to_string(path).unwrap());
    assert_eq!(
        run.profile,
        "profile auto: added nothing (the input brings its nodes and comes from a running cluster)"
    );
    assert_eq!(
        names(&run, "Node"),
        [
            "ip-10-0-1-11.ec2.internal",
            "ip-10-0-1-12.ec2.internal",
            "ip-10-0-2-13.ec2.internal"
        ]
    );
    assert_eq!(names(&run, "StorageClass"), ["gp3"]);
    assert!(!node_ready(&run, "ip-10-0-1-12.ec2.internal"));
    // The pods' ReplicaSet, adopted under its own name and uid; no new one.
    let sets: Vec<(String, String)> = run
        .sim
        .store()
        .list("ReplicaSet")
        .map(|o| (o.metadata().name.clone(), o.metadata().uid.clone()))
        .collect();
    assert_eq!(
        sets,
        [(
            "mysql-6c9d8f7b5d".to_owned(),
            "3e4f5a6b-7c8d-4e9f-0a1b-2c3d4e5f6a7b".to_owned()
        )]
    );
    let events = run.sim.events().records();
    assert!(!events.iter().any(|e| e.reason == "ScalingReplicaSet"));
    // The disk stays attached to the dead node until the force detach.
    let multi = events
        .iter()
        .find(|e| e.reason == "FailedAttachVolume")
        .unwrap();
    assert_eq!(multi.first, 0);
    assert_eq!(
        multi.message,
        "Multi-Attach error for volume \"pvc-5f1d3c2e-8a9b-4c7d-9e0f-1a2b3c4d5e6f\" Volume is already exclusively attached to one node and can't be attached to another"
    );
    let attached = events
        .iter()
        .find(|e| e.reason == "SuccessfulAttachVolume")
        .unwrap();
    assert!(attached.first >= 6 * 60 * 1000, "{}", attached.first);
}

const LONE_POD: &str = "apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: worker-7
  containers: [{name: web, image: nginx}]
";

#[test]
fn a_pod_bound_to_an_unlisted_node_implies_it_with_a_warning() {
    let run = run("pod.yaml", LONE_POD);
    assert_eq!(
        names(&run, "Node"),
        ["node-a", "node-b", "node-c", "worker-7"]
    );
    assert!(node_ready(&run, "worker-7"));
    let warning = run
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Warning)
        .unwrap();
    assert_eq!(
        warning.to_string(),
        "pod.yaml:5:13: warning: Pod \"web\": spec.nodeName: node \"worker-7\" is not in the input; pvsim adds it as a Ready node with no labels but kubernetes.io/hostname"
    );
}

const NODES: &str = "apiVersion: v1
kind: Node
metadata: {name: n1, labels: {topology.kubernetes.io/zone: z1}}
---
apiVersion: v1
kind: Node
metadata: {name: n2}
status:
  conditions:
  - {type: Ready, status: \"False\", reason: KubeletNotReady, message: container runtime is down}
";

#[test]
fn input_nodes_are_the_cluster_and_a_notready_one_stays_so() {
    let run = run("nodes.yaml", NODES);
    assert_eq!(names(&run, "Node"), ["n1", "n2"]);
    // A node with a status makes the input a running cluster's: no class.
    assert_eq!(names(&run, "StorageClass"), Vec::<String>::new());
    assert_eq!(
        run.profile,
        "profile auto: added nothing (the input brings its nodes and comes from a running cluster)"
    );
    assert!(node_ready(&run, "n1"));
    assert!(!node_ready(&run, "n2"));
    let Some(Object::Node(n2)) = run.sim.store().list("Node").nth(1) else {
        unreachable!()
    };
    let taints: Vec<(&str, &str)> = n2
        .spec
        .taints
        .iter()
        .map(|t| (t.key.as_str(), t.effect.as_str()))
        .collect();
    assert_eq!(
        taints,
        [
            ("node.kubernetes.io/not-ready", "NoSchedule"),
            ("node.kubernetes.io/not-ready", "NoExecute")
        ]
    );
}

#[test]
fn hand_written_nodes_keep_the_default_class() {
    let run = run("nodes.yaml", NODES.split("---").next().unwrap());
    assert_eq!(names(&run, "Node"), ["n1"]);
    assert_eq!(names(&run, "StorageClass"), ["standard"]);
    assert_eq!(
        run.profile,
        "profile auto: added StorageClass \"standard\" (default) (the input brings its nodes)"
    );
}

#[test]
fn profile_none_adds_nothing() {
    let options = RunOptions {
        profile: Some("none".into()),
        ..RunOptions::default()
    };
    let run = scenario::run(&load("pod.yaml", LONE_POD.as_bytes()), &options).unwrap();
    assert_eq!(run.profile, "profile none: added nothing");
    assert_eq!(names(&run, "Node"), ["worker-7"]);
    assert_eq!(names(&run, "StorageClass"), Vec::<String>::new());
}

const STATEFUL: &str = "apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata:
  name: web-0
  uid: 11111111-2222-4333-8444-555555555555
  labels: {app: web}
  ownerReferences:
  - {apiVersion: apps/v1, kind: StatefulSet, name: web, uid: 99999999-8888-4777-8666-555555555555, controller: true}
spec:
  nodeName: node-b
  containers: [{name: web, image: nginx}]
status:
  phase: Running
";

#[test]
fn a_statefulset_adopts_its_members_from_a_dump() {
    let run = run("sts.yaml", STATEFUL);
    assert_eq!(names(&run, "Pod"), ["web-0", "web-1"]);
    let set_uid = run
        .sim
        .store()
        .list("StatefulSet")
        .next()
        .unwrap()
        .metadata()
        .uid
        .clone();
    for pod in run.sim.store().list("Pod") {
        let owner = pvsim_engine::objects::pod::controller_of(pod.metadata()).unwrap();
        assert_eq!(owner.uid, set_uid, "{}", pod.metadata().name);
    }
    // web-0 kept its node; nothing created it again.
    assert!(
        !run.sim
            .events()
            .records()
            .iter()
            .any(|e| e.message.contains("create Pod web-0"))
    );
}
