//! The Web Worker that holds the simulation, so the page's main thread
//! never runs the engine.
//!
//! The page sends a [`Request`] as a JSON string; the worker answers with
//! one [`Response`] as a JSON string, in the order the requests came.
//! When it has started it says [`Response::Ready`], and the page sends
//! nothing before that. Everything the answers contain comes from
//! [`Session`], which is tested natively; this file only moves messages.
//!
//! Off wasm32 the binary does nothing: it exists so that `cargo build
//! --workspace` and clippy cover it on every target.

#[cfg(target_arch = "wasm32")]
fn main() {
    use std::cell::RefCell;

    use pvsim_scene::protocol::{PROTOCOL_VERSION, Request, Response, Session};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    fn post(scope: &DedicatedWorkerGlobalScope, response: &Response) {
        let text = serde_json::to_string(response).unwrap_or_else(|e| {
            format!(r#"{{"response":"failed","message":"cannot encode the answer: {e}"}}"#)
        });
        let _ = scope.post_message(&JsValue::from_str(&text));
    }

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let session = RefCell::new(Session::default());
    let reply_to = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let response = match event.data().as_string() {
            Some(text) => match serde_json::from_str::<Request>(&text) {
                Ok(request) => session.borrow_mut().handle(request),
                Err(e) => Response::Failed {
                    message: format!("the worker cannot read the request: {e}"),
                },
            },
            None => Response::Failed {
                message: "the worker reads requests as JSON text".into(),
            },
        };
        post(&reply_to, &response);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(
        &scope,
        &Response::Ready {
            version: PROTOCOL_VERSION,
        },
    );
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
