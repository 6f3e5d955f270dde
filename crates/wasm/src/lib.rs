//! pvsim's JavaScript API, for docs authors and the embeddable widget.
//!
//! A thin layer: it converts between JavaScript and the engine and holds no
//! logic of its own. `validate(yaml)` returns the same diagnostics as
//! `pvsim validate -o json`; `run(yaml, options)` the same simulation as
//! `pvsim run`.

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

/// Simulates YAML (objects, optionally with a `pvsim.dev/v1alpha1`
/// Scenario) as `pvsim run` does. `options` may set `profile`, `seed` and
/// `until` (`"idle"` or a duration such as `"30s"`). Returns
/// `{tables, events, list, refused, unmet, diagnostics}`: the kubectl
/// tables and events as text, the `v1 List` of every object and event, the
/// API server's refusals, unmet expectations, and the input's diagnostics.
#[wasm_bindgen]
pub fn run(yaml: &str, options: &JsValue) -> Result<JsValue, JsError> {
    use pvsim_engine::scenario::{RunOptions, Until};
    let options: serde_json::Value = if options.is_undefined() || options.is_null() {
        serde_json::Value::Null
    } else {
        let text = js_sys::JSON::stringify(options)
            .map_err(|_| JsError::new("options must be a plain object"))?;
        serde_json::from_str(&String::from(text))?
    };
    let until = match options.get("until").and_then(serde_json::Value::as_str) {
        Some(text) => Until::parse(text).map_err(|e| JsError::new(&e))?,
        None => Until::Idle,
    };
    let run_options = RunOptions {
        profile: options
            .get("profile")
            .and_then(serde_json::Value::as_str)
            .map(String::from),
        seed: options.get("seed").and_then(serde_json::Value::as_u64),
        until: Some(until),
        snapshots: false,
    };
    let loaded = pvsim_engine::load("input.yaml", yaml.as_bytes());
    let outcome =
        pvsim_engine::scenario::run(&loaded, &run_options).map_err(|e| JsError::new(&e))?;
    let sim = &outcome.sim;
    let result = serde_json::json!({
        "tables": pvsim_engine::print::tables(sim, false),
        "events": pvsim_engine::print::events(sim),
        "list": pvsim_engine::print::list(sim),
        "profile": outcome.profile,
        "refused": outcome.refused,
        "unmet": outcome.unmet,
        "diagnostics": outcome.diagnostics,
    });
    js_sys::JSON::parse(&result.to_string())
        .map_err(|_| JsError::new("could not convert the result"))
}
