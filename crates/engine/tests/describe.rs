//! `describe` prints what `kubectl describe` shows, byte for byte (trailing
//! spaces included): each kind on a story at a moment, compared with a
//! snapshot that was read line by line against kubectl 1.34's describers.
#![allow(clippy::disallowed_methods)]

use pvsim_engine::load;
use pvsim_engine::print::describe;
use pvsim_engine::scenario::{self, RunOptions, Until};
use pvsim_engine::sim::Sim;
use pvsim_engine::sim::clock::MINUTE;

fn story(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../../tests/scenarios/stories/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn sim_at(name: &str, yaml: &str, until: Until) -> Sim {
    let options = RunOptions {
        until: Some(until),
        ..RunOptions::default()
    };
    scenario::run(&load(name, yaml.as_bytes()), &options)
        .unwrap()
        .sim
}

/// The static story one minute after it is applied, the moment `pvsim
/// describe` shows by default.
fn static_story() -> Sim {
    let name = "static-provisioning.yaml";
    sim_at(name, &story(name), Until::Time(MINUTE))
}

/// The dynamic story before its claim is deleted: the provisioned volume
/// still there.
fn dynamic_story() -> Sim {
    let name = "dynamic-provisioning.yaml";
    let steps = "  steps:\n  - wait: idle\n  - delete: PersistentVolumeClaim/default/ebs-claim\n  - wait: idle\n";
    let yaml = story(name);
    assert!(yaml.contains(steps));
    sim_at(name, &yaml.replace(steps, ""), Until::Idle)
}

/// The node-failure story six minutes after web-0's node fails: the pod is
/// evicted and stays Terminating on the unreachable node.
fn failed_node_story() -> Sim {
    let name = "statefulset-node-failure.yaml";
    let rest = "  - wait: 10m\n  - taintOutOfService: {nodeOf: default/web-0}\n  - wait: idle\n  - readData: {pod: default/web-0, path: /usr/share/nginx/html/index.html}\n";
    let yaml = story(name);
    assert!(yaml.contains(rest));
    sim_at(name, &yaml.replace(rest, "  - wait: 6m\n"), Until::Idle)
}

/// Describes an object and compares the text with its snapshot.
fn check(snapshot: &str, sim: &Sim, kind: &str, namespace: &str, name: &str) {
    insta::assert_snapshot!(snapshot, describe(sim, kind, namespace, name).unwrap());
}

#[test]
fn a_static_volume_shows_its_claim_and_host_path() {
    let sim = static_story();
    check("pv_static", &sim, "pv", "", "task-pv-volume");
}

#[test]
fn a_bound_claim_shows_its_volume_and_the_pod_that_uses_it() {
    let sim = static_story();
    check("pvc_static", &sim, "pvc", "default", "task-pv-claim");
}

#[test]
fn a_running_pod_shows_its_container_volumes_and_events() {
    let sim = static_story();
    check("pod_static", &sim, "pod", "default", "task-pv-pod");
}

#[test]
fn a_node_shows_its_labels_allocatable_and_pods() {
    let sim = static_story();
    check("node_static", &sim, "node", "", "node-c");
}

#[test]
fn a_provisioned_volume_shows_its_csi_source_and_zone() {
    let sim = dynamic_story();
    check(
        "pv_dynamic",
        &sim,
        "persistentvolume",
        "",
        "pvc-8028f8e1-aac3-4919-90e3-1052acf748a0",
    );
}

#[test]
fn a_provisioned_claim_shows_the_provisioners_events() {
    let sim = dynamic_story();
    check(
        "pvc_dynamic",
        &sim,
        "PersistentVolumeClaims",
        "default",
        "ebs-claim",
    );
}

#[test]
fn a_class_shows_its_provisioner_and_parameters() {
    let sim = dynamic_story();
    check("sc_dynamic", &sim, "sc", "default", "ebs-sc");
}

#[test]
fn an_evicted_pod_on_a_failed_node_is_terminating() {
    let sim = failed_node_story();
    check("pod_failed_node", &sim, "po", "default", "web-0");
}

#[test]
fn a_failed_node_shows_its_taints_and_unknown_condition() {
    let sim = failed_node_story();
    check("node_failed", &sim, "no", "", "node-c");
}

#[test]
fn a_missing_object_is_the_api_servers_not_found() {
    let sim = static_story();
    assert_eq!(
        describe(&sim, "pvc", "other", "task-pv-claim"),
        Err("persistentvolumeclaims \"task-pv-claim\" not found".into())
    );
    assert_eq!(
        describe(&sim, "sc", "", "gold"),
        Err("storageclasses.storage.k8s.io \"gold\" not found".into())
    );
    assert_eq!(
        describe(&sim, "deployment", "default", "web"),
        Err("the server doesn't have a resource type \"deployment\"".into())
    );
}
