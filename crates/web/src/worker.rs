//! The worker's side: the simulation, off the page's main thread.
//!
//! The page and its worker run the same wasm module, so the engine ships
//! once (see `bridge.rs` for how the page starts it). In the worker,
//! [`worker_start`] listens for [`Request`]s and answers each with one
//! [`Response`], in order, both as the protocol's bytes. When it has
//! started it says [`Response::Ready`], and the page sends nothing before
//! that. Every answer comes from [`Session`], which is tested natively;
//! this file only moves messages.

use std::cell::RefCell;

use pvsim_scene::protocol::{PROTOCOL_VERSION, Request, Response, Session, decode, encode};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn post(scope: &DedicatedWorkerGlobalScope, response: &Response) {
    let bytes = encode(response).unwrap_or_else(|e| {
        encode(&Response::Failed {
            message: format!("the simulator cannot encode its answer: {e}"),
        })
        .unwrap_or_default()
    });
    let _ = scope.post_message(&js_sys::Uint8Array::from(bytes.as_slice()));
}

/// Starts answering the page. Called by the worker's bootstrap script
/// once the module is loaded; does nothing outside a worker.
#[wasm_bindgen]
pub fn worker_start() {
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return;
    };
    let session = RefCell::new(Session::default());
    let reply_to = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let response = match event.data().dyn_into::<js_sys::Uint8Array>() {
            Ok(bytes) => match decode::<Request>(&bytes.to_vec()) {
                Ok(request) => session.borrow_mut().handle(request),
                Err(e) => Response::Failed {
                    message: format!("the simulator cannot read the request: {e}"),
                },
            },
            Err(_) => Response::Failed {
                message: "the simulator reads requests as bytes".into(),
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
