//! The export worker's entry: it answers the page's messages with
//! [`pvsim_export_worker::answer`] (see `lib.rs`).

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;

    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let request = js_sys::Array::from(&e.data());
            let text = |i: u32| request.get(i).as_string().unwrap_or_default();
            let step = text(4).parse().unwrap_or(0);
            let [script, state] =
                pvsim_export_worker::answer(&text(0), &text(1), &text(2), &text(3), step);
            let _ = reply.post_message(&js_sys::Array::of2(&script.into(), &state.into()));
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "pvsim-export runs in the browser; the CLI's `pvsim export kind` makes the same script."
    );
}
