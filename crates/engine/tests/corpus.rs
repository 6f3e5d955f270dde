//! Every real manifest in `../shared/corpus` reads without a panic; the
//! ones with real mistakes get the diagnostic a user would expect.

// The test reads the corpus from disk; the engine itself never does.
#![allow(clippy::disallowed_methods)]

use std::path::{Path, PathBuf};

use pvsim_engine::{Severity, Status, load};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

fn files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(corpus()).expect("the corpus sits beside the repository") {
        let dir = dir.unwrap().path();
        if dir.is_dir() {
            for f in std::fs::read_dir(&dir).unwrap() {
                out.push(f.unwrap().path());
            }
        }
    }
    out.sort();
    out
}

fn errors_of(rel: &str) -> Vec<String> {
    let bytes = std::fs::read(corpus().join(rel)).unwrap();
    load(rel, &bytes)
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(ToString::to_string)
        .collect()
}

#[test]
fn every_file_reads_and_objects_are_counted() {
    let files = files();
    assert_eq!(files.len(), 118);
    let (mut accepted, mut rejected, mut ignored) = (0, 0, 0);
    for f in &files {
        let loaded = load(&f.display().to_string(), &std::fs::read(f).unwrap());
        assert!(!loaded.entries.is_empty(), "{} has no objects", f.display());
        for e in &loaded.entries {
            match e.status {
                Status::Accepted => accepted += 1,
                Status::Rejected => rejected += 1,
                Status::Ignored => ignored += 1,
            }
        }
    }
    // The zookeeper example's PodDisruptionBudget is simulated (drain respects it).
    assert_eq!((accepted, rejected, ignored), (124, 5, 17));
}

#[test]
fn a_boolean_where_parameters_need_strings() {
    assert_eq!(
        errors_of("k8s-website-docs/storage-classes-16.yaml"),
        [
            r#"k8s-website-docs/storage-classes-16.yaml:13:13: error: StorageClass "slow": parameters.readOnly: invalid type: boolean `false`, expected a string"#
        ]
    );
}

#[test]
fn a_string_where_an_integer_belongs() {
    assert_eq!(
        errors_of("k8s-examples-fibre-channel/fc.yaml"),
        [
            r#"k8s-examples-fibre-channel/fc.yaml:17:13: error: Pod "fibre-channel-example-pod": spec.volumes[0].fc.lun: invalid type: string "<ADD LUN ID Here>", expected i32"#
        ]
    );
}

#[test]
fn a_pv_fragment_without_spec() {
    let errs = errors_of("k8s-website-docs/configure-persistent-volume-storage-1.yaml");
    assert!(
        errs.iter()
            .any(|e| e.ends_with("spec: Required value: must specify a volume type")),
        "{errs:?}"
    );
}

#[test]
fn alpha_snapshot_apis_are_not_served() {
    assert_eq!(
        errors_of("k8s-website-storage/snapshot.yaml"),
        [
            r#"k8s-website-storage/snapshot.yaml:1:13: error: VolumeSnapshot "demo-snapshot-podpvc": apiVersion: no matches for kind "VolumeSnapshot" in version "snapshot.storage.k8s.io/v1alpha1""#
        ]
    );
}

#[test]
fn flow_style_reads_like_block_style() {
    let flow = load(
        "a",
        &std::fs::read(corpus().join("k8s-website-storageclass/pod-volume-binding.yaml")).unwrap(),
    );
    let block = load(
        "b",
        &std::fs::read(corpus().join("k8s-website-docs/storage-classes-2.yaml")).unwrap(),
    );
    assert_eq!(flow.entries[0].object, block.entries[0].object);
}

#[test]
fn the_static_provisioning_story_is_clean() {
    for f in ["pv-volume.yaml", "pv-claim.yaml", "pv-pod.yaml"] {
        assert!(errors_of(&format!("k8s-website-pods-storage/{f}")).is_empty());
    }
}

/// Every corpus directory applied at once, as `kubectl apply -f dir/` would,
/// on the generic profile: the simulation settles and only the objects the
/// API server would refuse are refused.
#[test]
fn every_directory_simulates_and_settles() {
    use pvsim_engine::scenario::{self, RunOptions};
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|d| d.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut claims = std::collections::BTreeMap::new();
    for dir in &dirs {
        let mut all = pvsim_engine::Loaded::default();
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|f| f.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            all.extend(load(&f.display().to_string(), &std::fs::read(&f).unwrap()));
        }
        let run = scenario::run(&all, &RunOptions::default()).unwrap();
        assert!(run.settled, "{} did not settle", dir.display());
        for o in run.sim.store().list("PersistentVolumeClaim") {
            if let pvsim_engine::Object::PersistentVolumeClaim(pvc) = o {
                let name = format!(
                    "{}/{}",
                    dir.file_name().unwrap().to_string_lossy(),
                    pvc.metadata.name
                );
                claims.insert(
                    name,
                    (
                        pvc.status.phase.clone(),
                        pvc.spec.volume_name.clone().unwrap_or_default(),
                    ),
                );
            }
        }
    }
    let phase = |k: &str| claims.get(k).map(|(p, v)| (p.as_str(), v.as_str()));
    // The static story: the administrator's volume.
    assert_eq!(
        phase("k8s-website-pods-storage/task-pv-claim"),
        Some(("Bound", "task-pv-volume"))
    );
    // A claim with no class gets the generic profile's default class.
    assert_eq!(
        phase("k8s-website-wordpress/wp-pv-claim").map(|p| p.0),
        Some("Bound")
    );
    // The static EBS example's claim names no class: on a cluster with a
    // default class, admission gives it that class, so it no longer matches
    // the classless volume and is provisioned instead.
    let static_ebs = phase("aws-ebs-static-provisioning/ebs-claim").unwrap();
    assert_eq!(static_ebs.0, "Bound");
    assert!(static_ebs.1.starts_with("pvc-"), "{static_ebs:?}");
    // The EBS example's WaitForFirstConsumer claim is provisioned once its
    // pod is scheduled.
    let ebs = phase("aws-ebs-dynamic-provisioning/ebs-claim").unwrap();
    assert_eq!(ebs.0, "Bound");
}

/// Without a default class the static EBS example binds as its README says.
#[test]
fn the_static_ebs_example_binds_its_volume_without_a_default_class() {
    use pvsim_engine::scenario::{self, RunOptions};
    let dir = corpus().join("aws-ebs-static-provisioning");
    let mut all = pvsim_engine::Loaded::default();
    for f in ["claim.yaml", "pv.yaml"] {
        all.extend(load(f, &std::fs::read(dir.join(f)).unwrap()));
    }
    let options = RunOptions {
        profile: Some("bare".into()),
        ..RunOptions::default()
    };
    let run = scenario::run(&all, &options).unwrap();
    let pvc = run.sim.store().pvc("default", "ebs-claim").unwrap();
    assert_eq!(pvc.status.phase, "Bound");
    assert_eq!(pvc.spec.volume_name.as_deref(), Some("test-pv"));
}
