//! The one thing the page asks of JavaScript directly: importing a module
//! that is not part of the first load (the editor, the gallery), by URL
//! relative to the page.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(
    inline_js = "export function load_module(url) { return import(new URL(url, document.baseURI).href); }"
)]
extern "C" {
    /// Imports an ES module; resolves to it.
    pub fn load_module(url: &str) -> js_sys::Promise;
}
