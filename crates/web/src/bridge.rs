//! The page's side of the worker that holds the simulation.
//!
//! The page never runs the engine itself: it sends [`Request`]s to a Web
//! Worker and hears the answers through a callback. The worker runs the
//! page's own wasm module (so the engine ships once, and the browser
//! fetches it once): a small module script, made here, imports the
//! page's JavaScript and wasm by the URLs trunk put in the page's
//! `<link rel=modulepreload>` and `<link rel=preload>`, then calls
//! `worker_start` (see `worker.rs`). Requests sent before the worker says it is
//! ready wait in a queue. The worker answers in order, so each answer is
//! matched with the tag the page sent its request with.
//!
//! If the worker dies (a wasm trap, a script that cannot load), the
//! callback hears a [`Response::Failed`] with no tag and the bridge
//! starts a fresh worker for the next request.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use pvsim_scene::protocol::{Request, Response, decode, encode};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{
    Blob, BlobPropertyBag, ErrorEvent, HtmlLinkElement, MessageEvent, Url, Worker, WorkerOptions,
    WorkerType,
};
use yew::Callback;

/// The absolute URL of the page's own link of `selector`.
fn link_href(selector: &str) -> Option<String> {
    let link = web_sys::window()?
        .document()?
        .query_selector(selector)
        .ok()??
        .dyn_into::<HtmlLinkElement>()
        .ok()?;
    Some(link.href())
}

/// A module script that loads the page's wasm in the worker and starts
/// the simulator there.
fn bootstrap() -> Result<String, String> {
    let js =
        link_href("link[rel=modulepreload]").ok_or("the page does not say where its script is")?;
    let wasm = link_href("link[rel=preload][as=fetch]")
        .ok_or("the page does not say where its wasm is")?;
    let source = format!(
        "import init, {{ worker_start }} from {js:?};\n\
         await init({{ module_or_path: {wasm:?} }});\n\
         worker_start();\n"
    );
    let parts = js_sys::Array::of1(&JsValue::from_str(&source));
    let options = BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob =
        Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|e| format!("{e:?}"))?;
    Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))
}

struct Live<T> {
    worker: Worker,
    ready: bool,
    queue: Vec<Vec<u8>>,
    pending: VecDeque<T>,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(ErrorEvent)>,
}

/// A worker nobody holds stops: the compare view's two workers end with
/// the view. (A worker that died is forgotten without this, see `start`.)
impl<T> Drop for Live<T> {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// A handle on the worker; clones share it.
pub struct Bridge<T: 'static> {
    live: Rc<RefCell<Option<Live<T>>>>,
    on_answer: Callback<(Option<T>, Response)>,
}

impl<T> Clone for Bridge<T> {
    fn clone(&self) -> Self {
        Bridge {
            live: self.live.clone(),
            on_answer: self.on_answer.clone(),
        }
    }
}

impl<T> PartialEq for Bridge<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.live, &other.live)
    }
}

impl<T: 'static> Bridge<T> {
    /// A bridge whose answers, with the tag each request was sent with,
    /// go to `on_answer`. The worker starts with the first request.
    pub fn new(on_answer: Callback<(Option<T>, Response)>) -> Bridge<T> {
        Bridge {
            live: Rc::new(RefCell::new(None)),
            on_answer,
        }
    }

    /// Sends a request; its answer comes to the callback with `tag`.
    pub fn send(&self, tag: T, request: &Request) {
        let Ok(text) = encode(request) else {
            return;
        };
        if self.live.borrow().is_none() {
            match self.start() {
                Ok(live) => *self.live.borrow_mut() = Some(live),
                Err(message) => {
                    self.on_answer
                        .emit((Some(tag), Response::Failed { message }));
                    return;
                }
            }
        }
        let mut guard = self.live.borrow_mut();
        let Some(live) = guard.as_mut() else { return };
        live.pending.push_back(tag);
        if live.ready {
            let _ = live
                .worker
                .post_message(&js_sys::Uint8Array::from(text.as_slice()));
        } else {
            live.queue.push(text);
        }
    }

    fn start(&self) -> Result<Live<T>, String> {
        let script = bootstrap().map_err(|e| format!("the simulator cannot start: {e}"))?;
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(&script, &options)
            .map_err(|e| format!("the simulator cannot start: {e:?}"))?;
        let live = Rc::downgrade(&self.live);
        let on_answer = self.on_answer.clone();
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let Some(live) = live.upgrade() else { return };
            let response = event
                .data()
                .dyn_into::<js_sys::Uint8Array>()
                .ok()
                .and_then(|bytes| decode::<Response>(&bytes.to_vec()).ok())
                .unwrap_or_else(|| Response::Failed {
                    message: "the simulator answered something the page cannot read".into(),
                });
            let tag = {
                let mut guard = live.borrow_mut();
                let Some(l) = guard.as_mut() else { return };
                if matches!(response, Response::Ready { .. }) {
                    l.ready = true;
                    for text in l.queue.drain(..) {
                        let _ = l
                            .worker
                            .post_message(&js_sys::Uint8Array::from(text.as_slice()));
                    }
                    return;
                }
                l.pending.pop_front()
            };
            on_answer.emit((tag, response));
        });
        let live = Rc::downgrade(&self.live);
        let on_answer = self.on_answer.clone();
        let on_error = Closure::<dyn Fn(ErrorEvent)>::new(move |event: ErrorEvent| {
            let Some(live) = live.upgrade() else { return };
            // The worker is gone: forget it and everything it owed.
            let dead = live.borrow_mut().take();
            if let Some(l) = dead {
                l.worker.terminate();
                // This handler is one of the closures `l` owns: dropping
                // them while it runs would free the code that is running.
                // A dead worker is rare; its two closures are leaked.
                std::mem::forget(l);
            }
            on_answer.emit((
                None,
                Response::Failed {
                    message: format!("the simulator stopped: {}", event.message()),
                },
            ));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Live {
            worker,
            ready: false,
            queue: Vec::new(),
            pending: VecDeque::new(),
            _on_message: on_message,
            _on_error: on_error,
        })
    }
}
