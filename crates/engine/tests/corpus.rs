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
    assert_eq!((accepted, rejected, ignored), (123, 5, 18));
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
