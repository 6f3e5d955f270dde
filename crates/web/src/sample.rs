//! The manifest the page opens with: the static-provisioning story. An
//! administrator made a PersistentVolume in advance; a developer asks for
//! storage with a claim; a Deployment mounts the claim.

pub const STATIC_PROVISIONING: &str = r"# Static provisioning: an administrator creates a volume in advance,
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
---
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
";
