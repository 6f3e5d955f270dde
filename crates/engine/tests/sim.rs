//! The simulation core as a user of the engine sees it: steps and
//! snapshots for the timeline, intermediate states (Terminating), the API
//! server's admission, resource versions, uids and timestamps.
#![allow(clippy::disallowed_methods)]

use pvsim_engine::scenario::{self, RunOptions, Until};
use pvsim_engine::sim::clock::SECOND;
use pvsim_engine::sim::queue::Controller;
use pvsim_engine::{Object, load, print};

fn scenario_file(path: &str) -> pvsim_engine::Loaded {
    let full = format!(
        "{}/../../tests/scenarios/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    load(path, &std::fs::read(full).unwrap())
}

const STATIC: &str = "\
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv1}
spec:
  capacity: {storage: 10Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  hostPath: {path: /mnt/data}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: claim1}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  resources: {requests: {storage: 3Gi}}
";

#[test]
fn every_step_names_its_controller_and_keeps_a_snapshot() {
    let loaded = load("static.yaml", STATIC.as_bytes());
    let options = RunOptions {
        snapshots: true,
        ..RunOptions::default()
    };
    let run = scenario::run(&loaded, &options).unwrap();
    let steps = run.sim.steps();
    // First the volume becomes Available, then the claim's sync binds both,
    // volume first, in four writes.
    assert_eq!(steps[0].controller, Controller::VolumeSync);
    assert_eq!(steps[0].writes, ["update PersistentVolume/pv1"]);
    let bind = steps
        .iter()
        .find(|s| s.controller == Controller::ClaimSync)
        .unwrap();
    assert_eq!(
        bind.writes,
        [
            "update PersistentVolume/pv1",
            "update PersistentVolume/pv1",
            "update PersistentVolumeClaim/default/claim1",
            "update PersistentVolumeClaim/default/claim1"
        ]
    );
    assert_eq!(bind.controller.component(), "persistentvolume-controller");
    let snapshot = steps[0].snapshot.as_ref().unwrap();
    let pv = snapshot
        .iter()
        .find(|(k, _)| k.kind == "PersistentVolume")
        .unwrap();
    match &pv.1.object {
        Object::PersistentVolume(pv) => assert_eq!(pv.status.phase, "Available"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn uids_timestamps_and_resource_versions_come_from_the_simulation() {
    let loaded = load("static.yaml", STATIC.as_bytes());
    let run = scenario::run(&loaded, &RunOptions::default()).unwrap();
    let pvc = run.sim.store().pvc("default", "claim1").unwrap();
    assert_eq!(
        pvc.metadata.creation_timestamp.as_deref(),
        Some("2026-01-01T00:00:00Z")
    );
    assert_eq!(pvc.metadata.uid.len(), 36);
    assert_eq!(pvc.metadata.finalizers, ["kubernetes.io/pvc-protection"]);
    let pv = run.sim.store().pv("pv1").unwrap();
    assert_eq!(pv.metadata.finalizers, ["kubernetes.io/pv-protection"]);
    let (pv_rv, pvc_rv): (u64, u64) = (
        pv.metadata.resource_version.parse().unwrap(),
        pvc.metadata.resource_version.parse().unwrap(),
    );
    assert!(pvc_rv > pv_rv, "the claim is written last when binding");
    let uid = |options: &RunOptions| {
        let run = scenario::run(&loaded, options).unwrap();
        run.sim
            .store()
            .pvc("default", "claim1")
            .unwrap()
            .metadata
            .uid
            .clone()
    };
    assert_eq!(uid(&RunOptions::default()), pvc.metadata.uid);
    let seeded = RunOptions {
        seed: Some(9),
        ..RunOptions::default()
    };
    assert_ne!(uid(&seeded), pvc.metadata.uid);
}

#[test]
fn a_bound_volume_being_deleted_shows_terminating() {
    // The scenario's objects without its steps, then the deletion by hand,
    // so that the clock can stop while the volume is still Terminating.
    let mut prefix = scenario_file("protection/delete-bound-volume-first.yaml");
    prefix.entries.retain(|e| e.kind != "Scenario");
    let options = RunOptions {
        profile: Some("bare".into()),
        ..RunOptions::default()
    };
    let mut sim = scenario::run(&prefix, &options).unwrap().sim;
    sim.delete(&pvsim_engine::sim::store::ObjKey::new(
        "PersistentVolume",
        "",
        "pv1",
    ))
    .unwrap();
    sim.run_for(10 * SECOND);
    let pv = sim.store().pv("pv1").unwrap();
    assert!(pv.metadata.deletion_timestamp.is_some());
    assert_eq!(pv.status.phase, "Bound");
    let tables = print::tables(&sim, false);
    assert!(
        tables.contains("Retain           Terminating   default/claim1"),
        "{tables}"
    );
}

#[test]
fn a_claim_in_use_waits_terminating_until_its_pod_goes() {
    let loaded = scenario_file("protection/claim-in-use-by-a-pod.yaml");
    let mut objects = loaded.clone();
    objects.entries.retain(|e| e.kind != "Scenario");
    let mut sim = scenario::run(&objects, &RunOptions::default()).unwrap().sim;
    let claim = pvsim_engine::sim::store::ObjKey::new("PersistentVolumeClaim", "default", "data");
    sim.delete(&claim).unwrap();
    sim.run_for(60 * SECOND);
    let pvc = sim.store().pvc("default", "data").unwrap();
    assert!(pvc.metadata.deletion_timestamp.is_some());
    assert_eq!(pvc.status.phase, "Bound");
    assert!(print::tables(&sim, false).contains("persistentvolumeclaim/data   Terminating"));
    sim.delete(&pvsim_engine::sim::store::ObjKey::new(
        "Pod", "default", "db",
    ))
    .unwrap();
    sim.run_until_idle();
    assert!(sim.store().pvc("default", "data").is_none());
    assert_eq!(
        sim.store().list("PersistentVolume").count(),
        0,
        "the Delete volume went with it"
    );
}

#[test]
fn the_newest_default_class_wins() {
    let yaml = "\
apiVersion: pvsim.dev/v1alpha1
kind: Scenario
metadata: {name: defaults}
spec:
  profile: bare
  steps:
  - wait: 10s
  - apply: |
      apiVersion: storage.k8s.io/v1
      kind: StorageClass
      metadata:
        name: aaa-newer
        annotations: {storageclass.kubernetes.io/is-default-class: \"true\"}
      provisioner: kubernetes.io/host-path
  - apply: |
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: {name: data}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: zzz-older
  annotations: {storageclass.kubernetes.io/is-default-class: \"true\"}
provisioner: kubernetes.io/host-path
";
    let run = scenario::run(&load("d.yaml", yaml.as_bytes()), &RunOptions::default()).unwrap();
    let pvc = run.sim.store().pvc("default", "data").unwrap();
    assert_eq!(pvc.spec.storage_class_name.as_deref(), Some("aaa-newer"));
}

#[test]
fn repeated_events_fold_into_one_with_a_count() {
    let yaml = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  accessModes: [ReadWriteOnce]\n  storageClassName: \"\"\n  resources: {requests: {storage: 1Gi}}\n";
    let options = RunOptions {
        until: Some(Until::Time(60 * SECOND)),
        ..RunOptions::default()
    };
    let run = scenario::run(&load("e.yaml", yaml.as_bytes()), &options).unwrap();
    let records = run.sim.events().records();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].count, 5, "at creation and at each 15 s resync");
    assert_eq!(
        print::events(&run.sim),
        "NAMESPACE   LAST SEEN          TYPE     REASON          OBJECT                       MESSAGE\n\
default     0s (x5 over 60s)   Normal   FailedBinding   persistentvolumeclaim/data   no persistent volumes available for this claim and no storage class is set\n"
    );
    let event = records[0].to_event();
    assert_eq!(event.source.component, "persistentvolume-controller");
    assert_eq!(
        event.first_timestamp.as_deref(),
        Some("2026-01-01T00:00:00Z")
    );
    assert_eq!(
        event.last_timestamp.as_deref(),
        Some("2026-01-01T00:01:00Z")
    );
    assert!(event.metadata.name.starts_with("data."));
}

/// A runner advanced one timeline step at a time ends where `run` ends,
/// having stopped at every recorded step.
#[test]
fn a_runner_stops_at_every_step_and_ends_where_run_ends() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/scenarios/stories/drain-moves-the-disk.yaml"
    );
    let loaded = pvsim_engine::load("drain.yaml", &std::fs::read(path).unwrap());
    let options = pvsim_engine::scenario::RunOptions::default();
    let mut runner = pvsim_engine::scenario::Runner::new(&loaded, &options).unwrap();
    let mut seen = 0;
    while runner.advance() {
        // One step, or the few a person's action records at one instant.
        let now = runner.sim().steps().len();
        assert!(now > seen, "advance recorded nothing");
        assert!(
            now - seen == 1
                || runner.sim().steps()[seen].controller
                    == pvsim_engine::sim::queue::Controller::User
        );
        seen = now;
    }
    let stepped = runner.finish();
    let whole = pvsim_engine::scenario::run(&loaded, &options).unwrap();
    assert_eq!(seen, whole.sim.steps().len());
    assert_eq!(
        pvsim_engine::print::events(&stepped.sim),
        pvsim_engine::print::events(&whole.sim)
    );
    assert!(stepped.unmet.is_empty(), "{:?}", stepped.unmet);
}
