//! Scenario files as people write them, mistakes included: every
//! diagnostic inside a step points at the line and column in the file.

use pvsim_engine::scenario::{self, RunOptions, Step};
use pvsim_engine::{Severity, load};

fn errors(yaml: &str) -> Vec<String> {
    let loaded = load("s.yaml", yaml.as_bytes());
    let (_, diagnostics) = scenario::prepare(&loaded);
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(ToString::to_string)
        .collect()
}

#[test]
fn yaml_in_a_block_string_is_located_in_the_file() {
    let yaml = "\
apiVersion: pvsim.dev/v1alpha1
kind: Scenario
metadata: {name: s}
spec:
  steps:
  - wait: idle
  - apply: |
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
      spec:
        accessModes: [ReadWriteAll]
        resources:
          requests:
            storage: 1Gi
";
    assert_eq!(
        errors(yaml),
        [
            "s.yaml:13:23: error: PersistentVolumeClaim \"data\": spec.accessModes: Unsupported value: \"ReadWriteAll\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\""
        ]
    );
    let loaded = load("s.yaml", yaml.as_bytes());
    let claim = loaded
        .entries
        .iter()
        .find(|e| e.kind == "PersistentVolumeClaim")
        .unwrap();
    assert_eq!((claim.step, claim.line, claim.column), (Some(1), 8, 7));
}

#[test]
fn inline_objects_in_a_step_keep_their_positions() {
    let yaml = "\
apiVersion: pvsim.dev/v1alpha1
kind: Scenario
metadata: {name: s}
spec:
  steps:
  - apply:
      apiVersion: v1
      kind: PersistentVolume
      metadata: {name: pv1}
      spec:
        capacity: {storage: 0}
        accessModes: [ReadWriteOnce]
        hostPath: {path: /tmp/x}
";
    assert_eq!(
        errors(yaml),
        [
            "s.yaml:11:29: error: PersistentVolume \"pv1\": spec.capacity[storage]: Invalid value: \"0\": must be greater than zero"
        ]
    );
}

#[test]
fn step_mistakes_point_at_the_step() {
    let yaml = "\
apiVersion: pvsim.dev/v1alpha1
kind: Scenario
metadata: {name: s}
spec:
  seed: -3
  steps:
  - wait: idle
  - explode: node-a
  - delete: PersistentVolumeClaim/data
  - wait: forever
  - apply: 42
";
    assert_eq!(
        errors(yaml),
        [
            "s.yaml:1:1: error: Scenario \"s\": spec.seed: Invalid value: -3: must be a whole number from 0 to 18446744073709551615",
            "s.yaml:8:5: error: Scenario \"s\": spec.steps[1]: unknown step \"explode\": pvsim knows apply, delete, wait, scale, writeData, readData, failNode, recoverNode, cordon, uncordon, drain, taintOutOfService and deleteNode",
            "s.yaml:9:5: error: Scenario \"s\": spec.steps[2]: delete: expected PersistentVolumeClaim/<namespace>/<name>, got \"PersistentVolumeClaim/data\"",
            "s.yaml:10:5: error: Scenario \"s\": spec.steps[3]: invalid duration \"forever\": expected a number with a unit, as in 30s, 6m, 1h30m",
            "s.yaml:11:5: error: Scenario \"s\": spec.steps[4]: apply: expected objects, or YAML in a string",
        ]
    );
    // The steps that could be read still run, in order.
    let loaded = load("s.yaml", yaml.as_bytes());
    let (scenario, _) = scenario::prepare(&loaded);
    assert_eq!(scenario.steps, [Step::Wait(scenario::Until::Idle)]);
    let run = scenario::run(&loaded, &RunOptions::default()).unwrap();
    assert!(run.failed());
}

#[test]
fn a_step_cannot_hold_a_scenario() {
    let yaml = "\
apiVersion: pvsim.dev/v1alpha1
kind: Scenario
metadata: {name: outer}
spec:
  steps:
  - apply: |
      apiVersion: pvsim.dev/v1alpha1
      kind: Scenario
      metadata: {name: inner}
";
    assert_eq!(
        errors(yaml),
        [
            "s.yaml:7:7: error: Scenario \"inner\": a Scenario cannot be applied by a step; put its steps in the file's own Scenario"
        ]
    );
}
