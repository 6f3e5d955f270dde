//! `pvsim validate` as a CI job runs it: output format and exit codes.

use std::io::Write;

use assert_cmd::Command;

fn pvsim() -> Command {
    Command::cargo_bin("pvsim").unwrap()
}

fn temp(name: &str, content: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("pvsim-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(content)
        .unwrap();
    path
}

const BROKEN: &str = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  resources:\n    requests:\n      storage: 1Gi\n";

#[test]
fn text_output_and_exit_status_1_on_errors() {
    let file = temp("pvc.yaml", BROKEN.as_bytes());
    let out = pvsim()
        .current_dir(file.parent().unwrap())
        .args(["validate", "pvc.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "pvc.yaml:5:1: error: PersistentVolumeClaim \"data\": spec.accessModes: Required value: at least 1 access mode is required\n\
         1 error, 0 warnings (1 object in 1 file, checked as Kubernetes 1.34)\n"
    );
}

#[test]
fn json_output() {
    let out = pvsim()
        .args(["validate", "-o", "json", "-"])
        .write_stdin(BROKEN)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!([{
            "file": "<stdin>", "line": 5, "column": 1, "severity": "error",
            "kind": "PersistentVolumeClaim", "namespace": "default", "name": "data",
            "field": "spec.accessModes", "message": "Required value: at least 1 access mode is required"
        }])
    );
}

#[test]
fn warnings_alone_exit_0() {
    let warn = BROKEN.replace(
        "spec:\n",
        "spec:\n  accessModes: [ReadWriteOnce]\n  storageclassName: x\n",
    );
    let out = pvsim()
        .args(["validate", "-"])
        .write_stdin(warn)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            ": warning: PersistentVolumeClaim \"data\": spec.storageclassName: unknown field"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("0 errors, 1 warning (1 object in 1 file, checked as Kubernetes 1.34)\n"),
        "{text}"
    );
}

#[test]
fn unreadable_file_and_usage_errors_exit_2() {
    let out = pvsim()
        .args(["validate", "/nonexistent/pv.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("cannot read /nonexistent/pv.yaml")
    );
    assert_eq!(
        pvsim().args(["validate"]).output().unwrap().status.code(),
        Some(2)
    );
    assert_eq!(
        pvsim().args(["frobnicate"]).output().unwrap().status.code(),
        Some(2)
    );
    assert_eq!(
        pvsim()
            .args(["validate", "-o", "xml", "-"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn version_names_the_kubernetes_release() {
    let out = pvsim().arg("--version").output().unwrap();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("simulates Kubernetes 1.34")
    );
}

#[test]
fn every_corpus_file_validates_without_a_crash() {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let mut files: Vec<String> = Vec::new();
    for dir in std::fs::read_dir(&corpus)
        .expect("the corpus sits at ../shared/corpus beside the repository")
    {
        let dir = dir.unwrap().path();
        if dir.is_dir() {
            for f in std::fs::read_dir(dir).unwrap() {
                files.push(f.unwrap().path().display().to_string());
            }
        }
    }
    files.sort();
    let out = pvsim().arg("validate").args(&files).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "the corpus has known mistakes");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.ends_with(
            "8 errors, 2 warnings (146 objects in 118 files, checked as Kubernetes 1.34)\n"
        ),
        "{text}"
    );
    // Every diagnostic names file:line:col.
    for line in text
        .lines()
        .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
    {
        let mut parts = line.splitn(4, ':');
        let (_, l, c) = (parts.next(), parts.next().unwrap(), parts.next().unwrap());
        assert!(
            l.parse::<u32>().is_ok() && c.parse::<u32>().is_ok(),
            "{line}"
        );
    }
}
