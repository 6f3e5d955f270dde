//! pvsim's JavaScript API, for docs authors and the embeddable widget.
//!
//! A thin layer: it converts between JavaScript and the engine and holds no
//! logic of its own. `validate(yaml)` returns the same diagnostics as
//! `pvsim validate -o json`.

use wasm_bindgen::prelude::*;

/// Checks YAML as the Kubernetes API server would. Returns an array of
/// `{file, line, column, severity, kind, namespace, name, field, message}`.
#[wasm_bindgen]
pub fn validate(yaml: &str) -> Result<JsValue, JsError> {
    validate_file("input.yaml", yaml)
}

/// Like [`validate`], naming the input `file` in the diagnostics.
#[wasm_bindgen(js_name = validateFile)]
pub fn validate_file(file: &str, yaml: &str) -> Result<JsValue, JsError> {
    let loaded = pvsim_engine::load(file, yaml.as_bytes());
    let json = serde_json::to_string(&loaded.diagnostics)?;
    js_sys::JSON::parse(&json).map_err(|_| JsError::new("could not convert diagnostics"))
}

/// The Kubernetes release whose behaviour pvsim reproduces.
#[wasm_bindgen(js_name = kubernetesVersion)]
pub fn kubernetes_version() -> String {
    pvsim_engine::KUBERNETES_VERSION.to_owned()
}
