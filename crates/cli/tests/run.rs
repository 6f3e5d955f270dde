//! `pvsim run`, `pvsim explain` and `pvsim describe` as people use them:
//! the two stories of the product brief on real manifests, refusals in the
//! API server's words, exit codes, output formats and determinism.

use assert_cmd::Command;

fn pvsim() -> Command {
    Command::cargo_bin("pvsim").unwrap()
}

fn corpus(path: &str) -> String {
    format!(
        "{}/../../../shared/corpus/{path}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn scenario(path: &str) -> String {
    format!(
        "{}/../../tests/scenarios/{path}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = pvsim().args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn static_story_binds_the_admins_volume_and_the_pod_starts() {
    let (pv, pvc, pod) = (
        corpus("k8s-website-pods-storage/pv-volume.yaml"),
        corpus("k8s-website-pods-storage/pv-claim.yaml"),
        corpus("k8s-website-pods-storage/pv-pod.yaml"),
    );
    let (code, out, err) = run(&["run", &pv, &pvc, &pod]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.contains(&"persistentvolume/task-pv-volume   10Gi       RWO            Retain           Bound    default/task-pv-claim   manual         <unset>                          15s"), "{out}");
    assert!(lines.contains(&"default     persistentvolumeclaim/task-pv-claim   Bound    task-pv-volume   10Gi       RWO            manual         <unset>                 15s"), "{out}");
    assert!(
        lines.contains(&"default     pod/task-pv-pod   1/1     Running   0          15s"),
        "{out}"
    );
    assert!(
        out.ends_with(
            "\
default     15s         Normal   Scheduled   pod/task-pv-pod   Successfully assigned default/task-pv-pod to node-c
default     14s         Normal   Pulled      pod/task-pv-pod   Container image \"nginx\" already present on machine
default     14s         Normal   Created     pod/task-pv-pod   Created container: task-pv-container
default     14s         Normal   Started     pod/task-pv-pod   Started container task-pv-container
"
        ),
        "{out}"
    );
}

#[test]
fn dynamic_story_prints_the_provisioners_events() {
    let (code, out, err) = run(&[
        "run",
        &scenario("stories/dynamic-provisioning.yaml"),
        "-o",
        "events",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "NAMESPACE   LAST SEEN           TYPE     REASON                  OBJECT                            MESSAGE\n\
default     30s (x2 over 30s)   Normal   ExternalProvisioning    persistentvolumeclaim/ebs-claim   Waiting for a volume to be created either by the external provisioner 'ebs.csi.aws.com' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.\n\
default     30s                 Normal   Provisioning            persistentvolumeclaim/ebs-claim   External provisioner is provisioning volume for claim \"default/ebs-claim\"\n\
default     26s                 Normal   ProvisioningSucceeded   persistentvolumeclaim/ebs-claim   Successfully provisioned volume pvc-8028f8e1-aac3-4919-90e3-1052acf748a0\n"
    );
}

#[test]
fn refused_objects_are_reported_and_the_rest_still_run() {
    let input = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: bad\nspec:\n  resources:\n    requests:\n      storage: 1Gi\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: good\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n";
    let out = pvsim()
        .args(["run", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err,
        "profile auto: added 3 nodes (node-a, node-b, node-c) and StorageClass \"standard\" (default)\n\
<stdin>:1:1: The PersistentVolumeClaim \"bad\" is invalid: spec.accessModes: Required value: at least 1 access mode is required\n"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("persistentvolumeclaim/good   Bound"),
        "{stdout}"
    );
    assert!(!stdout.contains("persistentvolumeclaim/bad"), "{stdout}");
}

#[test]
fn usage_errors_exit_2() {
    let file = scenario("stories/lone-claim-default-class.yaml");
    assert_eq!(run(&["run", "--profile", "eks-ish", &file]).0, 2);
    assert_eq!(run(&["run", "--until", "soon", &file]).0, 2);
    assert_eq!(run(&["run", "/nonexistent.yaml"]).0, 2);
    assert_eq!(run(&["explain", "pod-without-slash", &file]).0, 2);
}

#[test]
fn json_and_yaml_are_v1_lists_with_events() {
    let file = scenario("stories/lone-claim-default-class.yaml");
    let (code, out, _) = run(&["run", "-o", "json", &file]);
    assert_eq!(code, 0);
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(list["kind"], "List");
    let items = list["items"].as_array().unwrap();
    let kinds: Vec<&str> = items.iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.first(), Some(&"PersistentVolume"));
    assert_eq!(kinds.last(), Some(&"Event"));
    let claim = items
        .iter()
        .find(|i| i["kind"] == "PersistentVolumeClaim")
        .unwrap();
    assert_eq!(claim["status"]["phase"], "Bound");
    assert_eq!(
        claim["metadata"]["finalizers"][0],
        "kubernetes.io/pvc-protection"
    );
    assert_eq!(
        claim["metadata"]["annotations"]["pv.kubernetes.io/bind-completed"],
        "yes"
    );
    let (_, yaml, _) = run(&["run", "-o", "yaml", &file]);
    assert!(
        yaml.starts_with("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: PersistentVolume\n"),
        "{yaml}"
    );
}

#[test]
fn same_seed_same_bytes_other_seed_other_uids() {
    let file = scenario("stories/lone-claim-default-class.yaml");
    let a = run(&["run", "-o", "json", "--seed", "42", &file]).1;
    let b = run(&["run", "-o", "json", "--seed", "42", &file]).1;
    let c = run(&["run", "-o", "json", "--seed", "43", &file]).1;
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn until_a_time_stops_the_clock_there() {
    let file = scenario("stories/lone-claim-default-class.yaml");
    let (_, out, _) = run(&["run", "--until", "1s", &file]);
    assert!(
        out.contains("persistentvolumeclaim/data   Pending"),
        "{out}"
    );
    assert!(out.contains("Provisioning"), "{out}");
    assert!(!out.contains("ProvisioningSucceeded"), "{out}");
}

const PENDING: &str = "\
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-small}
spec:
  capacity: {storage: 5Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: silver
  nfs: {server: nfs.example.com, path: /small}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-gold}
spec:
  capacity: {storage: 50Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: gold
  nfs: {server: nfs.example.com, path: /gold}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-ro}
spec:
  capacity: {storage: 50Gi}
  accessModes: [ReadOnlyMany]
  storageClassName: silver
  nfs: {server: nfs.example.com, path: /ro}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-old}
spec:
  capacity: {storage: 50Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: silver
  claimRef: {namespace: default, name: old, uid: 7d2c1a9e-0000-4000-8000-000000000001}
  nfs: {server: nfs.example.com, path: /old}
status: {phase: Released}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: silver
  resources:
    requests: {storage: 8Gi}
";

#[test]
fn explain_names_each_volume_and_the_rule_that_excluded_it() {
    let out = pvsim()
        .args(["explain", "pvc/data", "-", "--profile", "bare"])
        .write_stdin(PENDING)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "PersistentVolumeClaim default/data is Pending.
Asks for: 8Gi, ReadWriteOnce, Filesystem, class \"silver\"
Pending: none of the 4 volumes can serve it.

Volumes considered (4):
  pv-gold    class \"gold\" != \"silver\"
  pv-old     phase Released: reclaim policy Retain keeps the old claimRef default/old; remove spec.claimRef to reuse it
  pv-ro      access modes [ReadOnlyMany] lack ReadWriteOnce
  pv-small   capacity 5Gi < request 8Gi

Provisioning: Fails: StorageClass \"silver\" does not exist.

Fix: Create StorageClass \"silver\".

Fix: The nearest volume, pv-small, holds 5Gi: request at most 5Gi, or provide a larger volume.

Fix: Volume pv-gold has class \"gold\": set the claim's storageClassName to gold to bind it.

Fix: Volume pv-old still holds the data of default/old. If that data may be reused, remove spec.claimRef from it (kubectl patch pv pv-old --type json -p '[{\"op\":\"remove\",\"path\":\"/spec/claimRef\"}]') and it becomes Available.
"
    );
    let json = pvsim()
        .args([
            "explain",
            "pvc/data",
            "-",
            "--profile",
            "bare",
            "-o",
            "json",
        ])
        .write_stdin(PENDING)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["candidates"][3]["volume"], "pv-small");
    assert_eq!(
        v["candidates"][3]["excludedBy"],
        "capacity 5Gi < request 8Gi"
    );
    let missing = pvsim()
        .args(["explain", "pvc/nope", "-"])
        .write_stdin(PENDING)
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
}

#[test]
fn explain_without_a_target_explains_every_problem_of_a_dump() {
    let dump = scenario("dumps/notready-node-multi-attach.yaml");
    let (code, out, err) = run(&["explain", &dump]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        "profile auto: added nothing (the input brings its nodes and comes from a running cluster)\n"
    );
    // By default, one minute after the dump was taken: the Multi-Attach,
    // its holder and when it ends.
    assert!(
        out.starts_with("Pod default/mysql-6c9d8f7b5d-q4w9z is ContainerCreating.\n"),
        "{out}"
    );
    assert!(
        out.contains("pod mysql-6c9d8f7b5d-x7k2p holds it on ip-10-0-1-12.ec2.internal; ip-10-0-1-12.ec2.internal is not Ready, so the volume is force-detached at 2026-01-01T00:06:00Z (in 5m)"),
        "{out}"
    );
    // Once everything has happened, only the pod on the dead node is left.
    let (_, out, _) = run(&["explain", "--until", "idle", &dump]);
    assert!(
        out.starts_with("Pod default/mysql-6c9d8f7b5d-x7k2p is Terminating.\n"),
        "{out}"
    );
    assert!(!out.contains("q4w9z"), "{out}");
}

#[test]
fn explain_says_when_nothing_is_wrong() {
    let file = scenario("stories/static-provisioning.yaml");
    let (code, out, _) = run(&["explain", &file]);
    assert_eq!(code, 0);
    assert_eq!(out, "Every claim is Bound and every pod is Running.\n");
}

#[test]
fn describe_prints_the_claim_as_kubectl_does_a_minute_in() {
    let file = scenario("stories/static-provisioning.yaml");
    let (code, out, err) = run(&["describe", "pvc/task-pv-claim", &file]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "\
Name:          task-pv-claim
Namespace:     default
StorageClass:  manual
Status:        Bound
Volume:        task-pv-volume
Labels:        <none>
Annotations:   pv.kubernetes.io/bind-completed: yes
               pv.kubernetes.io/bound-by-controller: yes
Finalizers:    [kubernetes.io/pvc-protection]
Capacity:      10Gi
Access Modes:  RWO
VolumeMode:    Filesystem
Used By:       task-pv-pod
Events:        <none>
"
    );
    // A minute in by default: the pod's events are a minute old.
    let (_, out, _) = run(&["describe", "po/task-pv-pod", "-n", "default", &file]);
    assert!(
        out.contains("\n  Normal  Scheduled  60s   default-scheduler  Successfully assigned default/task-pv-pod to node-c\n"),
        "{out}"
    );
}

#[test]
fn describe_of_a_missing_object_is_the_api_servers_not_found() {
    let file = scenario("stories/static-provisioning.yaml");
    let (code, out, err) = run(&["describe", "pvc/task-pv-claim", "-n", "prod", &file]);
    assert_eq!(code, 1);
    assert_eq!(out, "");
    assert_eq!(
        err,
        "profile auto: added 3 nodes (node-a, node-b, node-c) and StorageClass \"standard\" (default)\n\
Error from server (NotFound): persistentvolumeclaims \"task-pv-claim\" not found\n"
    );
    let (code, _, err) = run(&["describe", "deploy/web", &file]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: the server doesn't have a resource type \"deploy\"\n"
    );
    assert_eq!(run(&["describe", &file]).0, 2);
    assert_eq!(run(&["describe", "pvc/task-pv-claim"]).0, 2);
}
