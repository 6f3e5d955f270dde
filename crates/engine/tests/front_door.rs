//! The front door as a user meets it: YAML in, objects and diagnostics out.

use pvsim_engine::{Diagnostic, Object, Severity, Status, load};

fn diags(src: &str) -> Vec<String> {
    load("t.yaml", src.as_bytes())
        .diagnostics
        .iter()
        .map(Diagnostic::to_string)
        .collect()
}

fn names(src: &str) -> Vec<String> {
    load("t.yaml", src.as_bytes())
        .entries
        .iter()
        .map(|e| format!("{}/{}", e.kind, e.name))
        .collect()
}

const PVC: &str = "apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
";

#[test]
fn a_valid_claim_loads_with_defaults() {
    let loaded = load("pvc.yaml", PVC.as_bytes());
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let entry = &loaded.entries[0];
    assert_eq!(
        (entry.status, entry.namespace.as_str(), entry.line),
        (Status::Accepted, "default", 1)
    );
    let Some(Object::PersistentVolumeClaim(pvc)) = entry.object.as_deref() else {
        panic!()
    };
    assert_eq!(pvc.spec.volume_mode.as_deref(), Some("Filesystem"));
    assert_eq!(pvc.status.phase, "Pending");
    assert_eq!(pvc.spec.storage_class_name, None);
}

#[test]
fn missing_access_modes_points_at_spec() {
    let src = PVC.replace("  accessModes: [ReadWriteOnce]\n", "");
    assert_eq!(
        diags(&src),
        [
            r#"t.yaml:5:1: error: PersistentVolumeClaim "data": spec.accessModes: Required value: at least 1 access mode is required"#
        ]
    );
}

#[test]
fn claim_validation_wording() {
    let src = PVC
        .replace("[ReadWriteOnce]", "[ReadWriteAll, ReadWriteOncePod]")
        .replace("1Gi", "0");
    assert_eq!(
        diags(&src),
        [
            r#"t.yaml:6:3: error: PersistentVolumeClaim "data": spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes"#,
            r#"t.yaml:6:17: error: PersistentVolumeClaim "data": spec.accessModes: Unsupported value: "ReadWriteAll": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod""#,
            r#"t.yaml:9:16: error: PersistentVolumeClaim "data": spec.resources[storage]: Invalid value: "0": must be greater than zero"#,
        ]
    );
    let no_storage = PVC.replace("    requests:\n      storage: 1Gi\n", "");
    assert_eq!(
        diags(&no_storage),
        [
            r#"t.yaml:7:3: error: PersistentVolumeClaim "data": spec.resources[storage]: Required value"#
        ]
    );
}

#[test]
fn an_unsupported_access_mode_points_at_its_list_item() {
    let src = PVC.replace(
        "  accessModes: [ReadWriteOnce]\n",
        "  accessModes:\n  - ReadWriteAll\n",
    );
    assert_eq!(
        diags(&src),
        [
            r#"t.yaml:7:5: error: PersistentVolumeClaim "data": spec.accessModes: Unsupported value: "ReadWriteAll": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod""#
        ]
    );
}

#[test]
fn a_volume_access_mode_error_points_at_the_second_item() {
    let pv = "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: p}\nspec:\n  capacity: {storage: 1Gi}\n  accessModes:\n    - ReadWriteOnce\n    - ReadWriteSome\n  hostPath: {path: /data}\n";
    assert_eq!(
        diags(pv),
        [
            r#"t.yaml:8:7: error: PersistentVolume "p": spec.accessModes: Unsupported value: "ReadWriteSome": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod""#
        ]
    );
    // In a flow sequence the item is the place too (an anchored item's span
    // starts at its anchor), and an alias points at the alias, not at the
    // node it repeats.
    let flow = pv.replace(
        "  accessModes:\n    - ReadWriteOnce\n    - ReadWriteSome\n",
        "  accessModes: [ReadWriteOnce, &m ReadWriteSome, *m]\n",
    );
    let d = diags(&flow);
    assert_eq!(d.len(), 2, "{d:?}");
    assert!(d[0].starts_with("t.yaml:6:32: error: "), "{d:?}");
    assert!(d[1].starts_with("t.yaml:6:50: error: "), "{d:?}");
}

#[test]
fn a_storage_class_topology_error_points_at_the_expression_item() {
    let sc = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: s}\nprovisioner: example.com/csi\nvolumeBindingMode: WaitForFirstConsumer\nallowedTopologies:\n- matchLabelExpressions:\n  - key: topology.kubernetes.io/zone\n    values: [a]\n  - key: topology.kubernetes.io/zone\n    values: [b]\n  - {key: ''}\n";
    assert_eq!(
        diags(sc),
        [
            r#"t.yaml:10:10: error: StorageClass "s": allowedTopologies[0].matchLabelExpressions[1].key: Duplicate value: "topology.kubernetes.io/zone""#,
            r#"t.yaml:12:5: error: StorageClass "s": allowedTopologies[0].matchLabelExpressions[2].values: Required value: must specify as least one value"#,
            r#"t.yaml:12:11: error: StorageClass "s": allowedTopologies[0].matchLabelExpressions[2].key: Required value"#,
        ]
    );
}

#[test]
fn bad_names_get_the_rfc1123_message() {
    let d = diags(&PVC.replace("name: data", "name: Data_1"));
    assert_eq!(d.len(), 1);
    assert!(d[0].starts_with(r#"t.yaml:4:9: error: PersistentVolumeClaim "Data_1": metadata.name: Invalid value: "Data_1": a lowercase RFC 1123 subdomain"#), "{d:?}");
}

#[test]
fn type_errors_keep_path_and_location() {
    let d = diags(&PVC.replace("[ReadWriteOnce]", "5"));
    assert_eq!(
        d,
        [
            r#"t.yaml:6:16: error: PersistentVolumeClaim "data": spec.accessModes: invalid type: integer `5`, expected a sequence"#
        ]
    );
}

#[test]
fn quantity_errors_are_decode_errors_at_the_value() {
    let d = diags(&PVC.replace("1Gi", "1GB"));
    assert_eq!(
        d,
        [format!(
            r#"t.yaml:9:16: error: PersistentVolumeClaim "data": spec.resources.requests.storage: {}"#,
            pvsim_engine::ERR_FORMAT
        )]
    );
    let d = diags(&PVC.replace("1Gi", "1K"));
    assert!(d[0].ends_with("unable to parse quantity's suffix"), "{d:?}");
    let d = diags(&PVC.replace("storage: 1Gi", "storage: [1Gi]"));
    assert_eq!(
        d,
        [
            r#"t.yaml:9:7: error: PersistentVolumeClaim "data": spec.resources.requests.storage: invalid type: sequence, expected a quantity such as 5Gi"#
        ]
    );
    // A bare number is a quantity too, as in Go.
    assert!(diags(&PVC.replace("1Gi", "1073741824")).is_empty());
}

#[test]
fn misspelled_class_warns_and_suggests() {
    let src = PVC.replace("spec:\n", "spec:\n  storageclassName: fast\n");
    let d = diags(&src);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].starts_with(r#"t.yaml:6:3: warning: PersistentVolumeClaim "data": spec.storageclassName: unknown field "spec.storageclassName"; did you mean "storageClassName"?"#),
        "{d:?}"
    );
    assert!(d[0].contains("default StorageClass"));
    // A warning does not reject the object.
    assert_eq!(
        load("t.yaml", src.as_bytes()).entries[0].status,
        Status::Accepted
    );
}

#[test]
fn unknown_fields_outside_storage_parts_are_quiet() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers:\n  - name: c\n    image: nginx\n    ports: [{containerPort: 80}]\n    volumeMounts:\n    - {name: v, mountpath: /data}\n  volumes:\n  - name: v\n    emptyDir: {}\n";
    let d = diags(pod);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].contains(r#"spec.containers[0].volumeMounts[0].mountpath: unknown field "spec.containers[0].volumeMounts[0].mountpath"; did you mean "mountPath"?"#), "{d:?}");
}

#[test]
fn multi_document_streams() {
    let src = "---\n# a comment\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n...\n";
    assert_eq!(names(src), ["Namespace/a", "Namespace/b"]);
}

#[test]
fn kubectl_list_output() {
    let src = "apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: PersistentVolumeClaim\n  metadata: {name: a, namespace: x}\n  spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s}\nkind: List\nmetadata:\n  resourceVersion: \"\"\n";
    let loaded = load("t.yaml", src.as_bytes());
    let got: Vec<_> = loaded
        .entries
        .iter()
        .map(|e| (e.kind.as_str(), e.namespace.as_str(), e.status))
        .collect();
    assert_eq!(
        got,
        [
            ("PersistentVolumeClaim", "x", Status::Accepted),
            ("Service", "", Status::Ignored)
        ]
    );
    assert_eq!(loaded.entries[1].line, 7);
}

#[test]
fn flow_style_with_trailing_commas_crlf_bom_and_no_final_newline() {
    let flow = "{\r\n  apiVersion: \"v1\",\r\n  kind: \"PersistentVolumeClaim\",\r\n  metadata: {name: \"x\",},\r\n  spec: {accessModes: [\"ReadWriteOnce\",], resources: {requests: {storage: \"3\",},},},\r\n}";
    let with_bom = format!("\u{feff}{flow}");
    let loaded = load("t.yaml", with_bom.as_bytes());
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert_eq!(loaded.entries[0].status, Status::Accepted);
    // Errors on CRLF input still name the right line.
    let bad = flow.replace("\"ReadWriteOnce\",", "\"Nope\",");
    assert!(diags(&bad)[0].starts_with("t.yaml:5:"), "{:?}", diags(&bad));
}

#[test]
fn documents_indented_as_a_whole() {
    let src = "    apiVersion: storage.k8s.io/v1\n    kind: StorageClass\n    metadata:\n      name: fast\n    provisioner: kubernetes.io/vsphere-volume\n    parameters:\n        diskformat: zeroedthick\n";
    assert_eq!(names(src), ["StorageClass/fast"]);
    assert!(diags(src).is_empty());
}

#[test]
fn quoted_numbers_are_strings_and_bare_numbers_are_not() {
    let sc = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: s}\nprovisioner: ebs.csi.aws.com\nparameters:\n  iopsPerGB: \"50\"\n";
    assert!(diags(sc).is_empty());
    let bare = sc.replace("\"50\"", "50");
    assert_eq!(
        diags(&bare),
        [
            r#"t.yaml:6:14: error: StorageClass "s": parameters.iopsPerGB: invalid type: integer `50`, expected a string"#
        ]
    );
}

#[test]
fn yaml11_booleans_only_in_boolean_fields() {
    let sc = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: s}\nprovisioner: ebs.csi.aws.com\nallowVolumeExpansion: yes\nparameters: {encrypted: yes}\n";
    let loaded = load("t.yaml", sc.as_bytes());
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let Some(Object::StorageClass(sc)) = loaded.entries[0].object.as_deref() else {
        panic!()
    };
    assert_eq!(sc.allow_volume_expansion, Some(true));
    assert_eq!(sc.parameters["encrypted"], "yes");
    assert_eq!(sc.reclaim_policy.as_deref(), Some("Delete"));
    assert_eq!(sc.volume_binding_mode.as_deref(), Some("Immediate"));
}

#[test]
fn old_api_versions_read_as_v1_with_a_warning() {
    let src = "apiVersion: apps/v1beta2\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: x}]\n";
    let loaded = load("t.yaml", src.as_bytes());
    assert_eq!(loaded.entries[0].status, Status::Accepted);
    assert_eq!(
        loaded.diagnostics[0].to_string(),
        r#"t.yaml:1:13: warning: Deployment "d": apiVersion: apps/v1beta2 Deployment is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 Deployment (pvsim reads it as apps/v1; Kubernetes 1.34 rejects it)"#
    );
}

#[test]
fn unknown_kinds_are_listed_as_ignored() {
    let src = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n";
    let loaded = load("t.yaml", src.as_bytes());
    assert!(loaded.entries.iter().all(|e| e.status == Status::Ignored));
    assert!(
        loaded
            .diagnostics
            .iter()
            .all(|d| d.severity == Severity::Info)
    );
    assert!(!loaded.has_errors());
}

#[test]
fn missing_kind_and_non_objects() {
    assert_eq!(
        diags("metadata: {name: x}\n"),
        ["t.yaml:1:1: error: apiVersion: apiVersion not set, kind not set"]
    );
    assert_eq!(
        diags("- a\n- b\n"),
        [
            "t.yaml:1:1: error: this document is not a Kubernetes object: expected a mapping with apiVersion and kind"
        ]
    );
}

#[test]
fn syntax_errors_keep_earlier_documents() {
    let src = format!("{PVC}---\nkind: [unclosed\n");
    let loaded = load("t.yaml", src.as_bytes());
    assert_eq!(loaded.entries.len(), 1);
    let d = &loaded.diagnostics[0];
    assert_eq!((d.severity, d.line), (Severity::Error, 12));
    assert!(!d.message.is_empty());
}

#[test]
fn duplicate_keys_are_refused() {
    let d = diags("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  name: b\n");
    assert_eq!(
        d,
        ["t.yaml:5:3: error: mapping key \"name\" already defined at line 4"]
    );
}

#[test]
fn merge_keys_and_aliases() {
    let src = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: m}\nspec:\n  <<: &base {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n  storageClassName: fast\n";
    let loaded = load("t.yaml", src.as_bytes());
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let Some(Object::PersistentVolumeClaim(pvc)) = loaded.entries[0].object.as_deref() else {
        panic!()
    };
    assert_eq!(pvc.spec.access_modes, ["ReadWriteOnce"]);
}

#[test]
fn persistent_volume_validation() {
    let pv = "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: p}\nspec:\n  capacity: {storage: -1Gi}\n  accessModes: [ReadWriteOnce]\n  persistentVolumeReclaimPolicy: Recycle\n  hostPath: {path: /}\n  nfs: {server: s, path: /x}\n";
    assert_eq!(
        diags(pv),
        [
            r#"t.yaml:5:23: error: PersistentVolume "p": spec.capacity[storage]: Invalid value: -1073741824: must be a valid resource quantity"#,
            r#"t.yaml:5:23: error: PersistentVolume "p": spec.capacity[storage]: Invalid value: "-1Gi": must be greater than zero"#,
            r#"t.yaml:7:34: error: PersistentVolume "p": spec.persistentVolumeReclaimPolicy: Forbidden: may not be 'recycle' for a hostPath mount of '/'"#,
            r#"t.yaml:9:3: error: PersistentVolume "p": spec.nfs: Forbidden: may not specify more than 1 volume type"#,
        ]
    );
    let local = "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: p}\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  local: {path: /mnt/disk}\n";
    assert_eq!(
        diags(local),
        [
            r#"t.yaml:4:1: error: PersistentVolume "p": spec.nodeAffinity: Required value: Local volume requires node affinity"#
        ]
    );
}

#[test]
fn storage_class_validation() {
    let sc = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: s}\nprovisioner: ''\nreclaimPolicy: Recycle\nvolumeBindingMode: Later\n";
    assert_eq!(
        diags(sc),
        [
            r#"t.yaml:4:14: error: StorageClass "s": provisioner: Required value"#,
            r#"t.yaml:5:16: error: StorageClass "s": reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain""#,
            r#"t.yaml:6:20: error: StorageClass "s": volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer""#,
        ]
    );
}

#[test]
fn names_with_markup_are_just_text() {
    let d = diags(&PVC.replace("name: data", "name: \"<img src=x onerror=alert(1)>\""));
    assert!(
        d[0].contains(
            r#"PersistentVolumeClaim "<img src=x onerror=alert(1)>": metadata.name: Invalid value"#
        ),
        "{d:?}"
    );
}

#[test]
fn round_trip_keeps_unmodelled_fields() {
    let src = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: web}}\nspec:\n  hostNetwork: true\n  containers:\n  - name: c\n    image: nginx\n    ports: [{containerPort: 80}]\n";
    let entry = &load("t.yaml", src.as_bytes()).entries[0];
    let back = pvsim_engine::merge_raw(&entry.raw, &entry.object.as_ref().unwrap().to_json());
    assert_eq!(back["spec"]["hostNetwork"], true);
    assert_eq!(
        back["spec"]["containers"][0]["ports"][0]["containerPort"],
        80
    );
    assert_eq!(back["spec"]["containers"][0]["image"], "nginx");
    // Defaults the API server adds are there too.
    assert_eq!(back["spec"]["terminationGracePeriodSeconds"], 30);
}
