//! `explain` names the real cause: the pod and node that hold a volume and
//! whether that ends, the pod that pins itself past the scheduler, the
//! claims that own the volumes that would fit, and every problem of a
//! pasted cluster at once, most blocking first.
#![allow(clippy::disallowed_methods)]

use pvsim_engine::explain::{self, Problem};
use pvsim_engine::load;
use pvsim_engine::scenario::{self, RunOptions, Until};
use pvsim_engine::sim::clock::MINUTE;

fn sim_at(name: &str, yaml: &str, until: Option<Until>) -> pvsim_engine::sim::Sim {
    let options = RunOptions {
        until,
        ..RunOptions::default()
    };
    scenario::run(&load(name, yaml.as_bytes()), &options)
        .unwrap()
        .sim
}

fn repo(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn a_dump_explains_the_multi_attach_holder_and_the_force_detach() {
    let dump = repo("tests/scenarios/dumps/notready-node-multi-attach.yaml");
    let dump = &dump[..dump.find("\n---\napiVersion: pvsim.dev").unwrap()];
    let sim = sim_at("dump.yaml", dump, Some(Until::Time(MINUTE)));
    let problems = explain::problems(&sim);
    let names: Vec<String> = problems
        .iter()
        .map(|p| match p {
            Problem::Pod(p) => format!("pod/{} {}", p.name, p.status),
            Problem::PersistentVolumeClaim(c) => format!("pvc/{} {}", c.name, c.phase),
        })
        .collect();
    assert_eq!(
        names,
        [
            "pod/mysql-6c9d8f7b5d-q4w9z ContainerCreating",
            "pod/mysql-6c9d8f7b5d-x7k2p Terminating"
        ]
    );
    let Problem::Pod(stuck) = &problems[0] else {
        unreachable!()
    };
    assert_eq!(
        stuck.volumes[0].waiting_for,
        "volume pvc-5f1d3c2e-8a9b-4c7d-9e0f-1a2b3c4d5e6f to be detached from ip-10-0-1-12.ec2.internal first (Multi-Attach); pod mysql-6c9d8f7b5d-x7k2p holds it on ip-10-0-1-12.ec2.internal; ip-10-0-1-12.ec2.internal is not Ready, so the volume is force-detached at 2026-01-01T00:06:00Z (in 5m)"
    );
    assert!(
        stuck.fixes[0].contains("kubectl taint nodes ip-10-0-1-12.ec2.internal node.kubernetes.io/out-of-service=nodeshutdown:NoExecute"),
        "{:?}",
        stuck.fixes
    );
}

#[test]
fn a_rolling_update_on_a_read_write_once_disk_never_ends_and_says_so() {
    let story = repo("tests/scenarios/stories/rolling-update-stuck-on-multi-attach.yaml");
    // The story up to the stuck rollout, before it switches to Recreate.
    let cut = story.find("  - wait: 15m").unwrap();
    let objects = story.find("---\napiVersion: v1").unwrap();
    let yaml = format!("{}  - wait: 5m\n{}", &story[..cut], &story[objects..]);
    let sim = sim_at("rolling.yaml", &yaml, None);
    let problems = explain::problems(&sim);
    let [Problem::Pod(new)] = problems.as_slice() else {
        panic!("{problems:?}")
    };
    assert!(
        new.volumes[0].waiting_for.ends_with(
            "; this never ends: Deployment db rolls out with RollingUpdate, which keeps the old pod until this new one is ready, and this one cannot start without the volume"
        ),
        "{}",
        new.volumes[0].waiting_for
    );
    assert!(new.fixes[0].starts_with("Set strategy: {type: Recreate} on Deployment db"));
}

const PINNED: &str = "apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: late}
provisioner: ebs.csi.aws.com
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec: {storageClassName: late, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: pinned}
spec:
  nodeName: node-b
  containers: [{name: c, image: busybox}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
";

#[test]
fn a_pod_with_node_name_and_a_late_binding_claim_waits_for_ever() {
    let sim = sim_at("pinned.yaml", PINNED, None);
    let problems = explain::problems(&sim);
    // The claim blocks the pod, so it comes first.
    let [Problem::PersistentVolumeClaim(claim), Problem::Pod(pod)] = problems.as_slice() else {
        panic!("{problems:?}")
    };
    assert!(claim.provisioning.ends_with(
        " Pod pinned uses it but sets spec.nodeName, so the scheduler never sees that pod and the claim waits for ever."
    ));
    assert_eq!(
        pod.volumes[0].waiting_for,
        "claim data to be bound, which never happens: its class \"late\" binds on first consumer, but this pod sets spec.nodeName, so the scheduler never sees it and never selects a node for the claim"
    );
    assert_eq!(
        pod.fixes[0],
        "Replace spec.nodeName: node-b with a nodeSelector (kubernetes.io/hostname: node-b): the scheduler then places the pod there and the claim is bound or provisioned for that node."
    );
}

const HELD: &str = "apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-taken}
spec:
  capacity: {storage: 10Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  hostPath: {path: /data/taken}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-reserved}
spec:
  capacity: {storage: 10Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  claimRef: {namespace: default, name: gone}
  hostPath: {path: /data/reserved}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: first}
spec: {storageClassName: manual, accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: mine}
spec: {storageClassName: manual, accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}
";

#[test]
fn explain_never_offers_another_claims_volume_and_names_its_holder() {
    let sim = sim_at("held.yaml", HELD, None);
    let e = explain::claim(&sim, "default", "mine").unwrap();
    assert_eq!(e.summary, "Pending: neither of the 2 volumes can serve it.");
    let verdicts: Vec<(&str, &str)> = e
        .candidates
        .iter()
        .map(|c| (c.volume.as_str(), c.excluded_by.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        verdicts,
        [
            ("pv-reserved", "reserved for default/gone (spec.claimRef)"),
            ("pv-taken", "bound to default/first")
        ]
    );
    assert_eq!(
        e.fixes,
        [
            "Create StorageClass \"manual\", or use one that exists: standard.",
            "Volume pv-reserved would fit but is reserved for default/gone, which does not exist. If no such claim is coming, release the volume: kubectl patch pv pv-reserved --type json -p '[{\"op\":\"remove\",\"path\":\"/spec/claimRef\"}]'",
            "The only volume that would fit, pv-taken (bound to default/first), belongs to another claim and is not this claim's to take: provide another volume, or let a StorageClass provision one."
        ]
    );
    assert!(!e.text().contains("set spec.claimRef to this claim"));
}

#[test]
fn one_volume_reads_the_only_volume() {
    let one =
        HELD.split("---").nth(1).unwrap().to_owned() + "---" + HELD.split("---").nth(3).unwrap();
    let sim = sim_at("one.yaml", &one, None);
    let e = explain::claim(&sim, "default", "mine").unwrap();
    assert_eq!(e.summary, "Pending: the only volume cannot serve it.");
}
