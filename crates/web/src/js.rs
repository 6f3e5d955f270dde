//! The one thing the page asks of JavaScript directly: importing a module
//! that is not part of the first load (the editor, the gallery, share),
//! by URL relative to the page, and calling what it exports.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(
    inline_js = "export function load_module(url) { return import(new URL(url, document.baseURI).href); }"
)]
extern "C" {
    /// Imports an ES module; resolves to it.
    pub fn load_module(url: &str) -> js_sys::Promise;
}

/// Imports `url` (once: the browser keeps modules) and calls its export
/// `name` with `args`; awaits the answer when it is a promise. Errors are
/// the message of what was thrown.
pub async fn call(url: &str, name: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let message = |e: JsValue| {
        e.dyn_ref::<js_sys::Error>()
            .map_or_else(|| format!("{e:?}"), |e| String::from(e.message()))
    };
    let module = JsFuture::from(load_module(url)).await.map_err(message)?;
    let function: js_sys::Function = js_sys::Reflect::get(&module, &name.into())
        .map_err(message)?
        .dyn_into()
        .map_err(|_| format!("{url} has no {name}"))?;
    let args: js_sys::Array = args.iter().collect();
    let answer = function.apply(&JsValue::NULL, &args).map_err(message)?;
    match answer.dyn_into::<js_sys::Promise>() {
        Ok(promise) => JsFuture::from(promise).await.map_err(message),
        Err(value) => Ok(value),
    }
}
