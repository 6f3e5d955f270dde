//! The manifests the page opens with: the static-provisioning story (an
//! administrator made a PersistentVolume in advance; a developer asks for
//! storage with a claim; a Deployment mounts the claim), and beside it in
//! the compare view the same claim and Deployment provisioned on demand.

/// The Deployment both samples end with: nginx serving from the claim.
macro_rules! web_deployment {
    () => {
        r"---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  strategy:
    type: Recreate
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: nginx
          image: nginx
          volumeMounts:
            - name: content
              mountPath: /usr/share/nginx/html
      volumes:
        - name: content
          persistentVolumeClaim:
            claimName: task-pv-claim
"
    };
}

pub const STATIC_PROVISIONING: &str = concat!(
    r"# Static provisioning: an administrator creates a volume in advance,
# a developer claims storage by size, access mode and class,
# and a Deployment mounts the claim.
# The Scenario document names the story; the page shows its title.
apiVersion: pvsim.dev/v1alpha1
kind: Scenario
metadata:
  name: static-provisioning
spec:
  title: Static provisioning
  description: An administrator's 10Gi volume waits; a developer's claim asks for 3Gi of class manual; the PV controller binds them, and the Deployment's pod mounts the claim on the node the scheduler picks.
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: task-pv-volume
  labels:
    type: local
spec:
  storageClassName: manual
  capacity:
    storage: 10Gi
  accessModes:
    - ReadWriteOnce
  hostPath:
    path: /mnt/data
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: task-pv-claim
spec:
  storageClassName: manual
  accessModes:
    - ReadWriteOnce
  resources:
    requests:
      storage: 3Gi
",
    web_deployment!()
);

/// The same claim and Deployment as [`STATIC_PROVISIONING`], with no
/// volume written in advance: the cluster's default StorageClass
/// provisions one of exactly the size asked for. The right side of the
/// compare view.
pub const DYNAMIC_PROVISIONING: &str = concat!(
    r"# Dynamic provisioning: nobody writes a volume in advance. The claim
# names no class, so the cluster's default StorageClass provisions a
# volume of exactly the size asked for.
apiVersion: pvsim.dev/v1alpha1
kind: Scenario
metadata:
  name: dynamic-provisioning-deployment
spec:
  title: Dynamic provisioning
  description: The same 3Gi claim and Deployment with no volume made in advance; the default StorageClass provisions a 3Gi volume when the claim asks.
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: task-pv-claim
spec:
  accessModes:
    - ReadWriteOnce
  resources:
    requests:
      storage: 3Gi
",
    web_deployment!()
);

#[cfg(test)]
mod tests {
    use pvsim_engine::load;
    use pvsim_engine::scenario::RunOptions;
    use pvsim_scene::{Figures, Timeline};

    fn end(yaml: &str) -> Figures {
        let timeline = Timeline::new(
            &load("sample.yaml", yaml.as_bytes()),
            &RunOptions::default(),
            64,
        )
        .expect("the sample runs");
        timeline.scene(timeline.steps().len()).figures
    }

    #[test]
    fn the_compare_view_opens_on_waste_against_none() {
        let f = end(super::STATIC_PROVISIONING);
        assert_eq!((f.provisioned.as_str(), f.wasted.as_str()), ("10Gi", "7Gi"));
        assert_eq!((f.by_hand, f.by_cluster), (3, 0));
        let f = end(super::DYNAMIC_PROVISIONING);
        assert_eq!((f.provisioned.as_str(), f.wasted.as_str()), ("3Gi", "0"));
        assert_eq!((f.by_hand, f.by_cluster), (2, 1));
    }
}
