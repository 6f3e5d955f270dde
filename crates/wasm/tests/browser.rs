//! The JavaScript API, called in headless Chromium.

use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

#[wasm_bindgen_test]
fn a_broken_claim_gets_the_cli_diagnostic() {
    let yaml = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  resources:\n    requests:\n      storage: 1Gi\n";
    let result = pvsim_wasm::validate_file("pvc.yaml", yaml).unwrap();
    let list: js_sys::Array = result.into();
    assert_eq!(list.length(), 1);
    let d = list.get(0);
    assert_eq!(get(&d, "file"), "pvc.yaml");
    assert_eq!(get(&d, "line").as_f64(), Some(5.0));
    assert_eq!(get(&d, "column").as_f64(), Some(1.0));
    assert_eq!(get(&d, "severity"), "error");
    assert_eq!(get(&d, "kind"), "PersistentVolumeClaim");
    assert_eq!(get(&d, "namespace"), "default");
    assert_eq!(get(&d, "name"), "data");
    assert_eq!(get(&d, "field"), "spec.accessModes");
    assert_eq!(
        get(&d, "message"),
        "Required value: at least 1 access mode is required"
    );
}

#[wasm_bindgen_test]
fn hostile_input_does_not_trap_in_wasm() {
    // The wasm stack is 1 MB: deep nesting must end in a limit error.
    let deep = format!("{}x\n", "- ".repeat(10_000));
    let list: js_sys::Array = pvsim_wasm::validate(&deep).unwrap().into();
    let msg = get(&list.get(0), "message").as_string().unwrap();
    assert!(msg.contains("deeper than 100 levels"), "{msg}");
}

#[wasm_bindgen_test]
fn version() {
    assert_eq!(pvsim_wasm::kubernetes_version(), "1.34");
}

#[wasm_bindgen_test]
fn the_static_story_binds_in_the_browser() {
    let yaml = "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: task-pv-volume\nspec:\n  storageClassName: manual\n  capacity:\n    storage: 10Gi\n  accessModes: [ReadWriteOnce]\n  hostPath:\n    path: /mnt/data\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: task-pv-claim\nspec:\n  storageClassName: manual\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 3Gi\n";
    let result = pvsim_wasm::run(yaml, &JsValue::UNDEFINED).unwrap();
    let tables = get(&result, "tables").as_string().unwrap();
    assert!(
        tables.contains("persistentvolumeclaim/task-pv-claim   Bound    task-pv-volume   10Gi"),
        "{tables}"
    );
    assert_eq!(
        get(&result, "events").as_string().unwrap(),
        "No events found.\n"
    );
    let refused: js_sys::Array = get(&result, "refused").into();
    assert_eq!(refused.length(), 0);
    assert_eq!(
        get(&result, "profile").as_string().unwrap(),
        "profile auto: added 3 nodes (node-a, node-b, node-c) and StorageClass \"standard\" (default)"
    );
    let bad = pvsim_wasm::run(yaml, &js_sys::JSON::parse("{\"until\": \"soon\"}").unwrap());
    assert!(bad.is_err());
}
