//! The manifest's editor: CodeMirror 6 once it has loaded, the plain
//! textarea (`textarea.rs`) before and instead.
//!
//! CodeMirror is not part of the first load. esbuild bundles it with
//! `www/editor/editor.js` into `editor.js` (a trunk hook), and this
//! component imports that module when the page asks it to (`load`, set
//! once the first picture is drawn). Until then the textarea takes the
//! typing; CodeMirror then opens on the same text. If the import fails,
//! the textarea simply stays. The editor's state says which one is in use
//! (`data-editor` on its box: `loading`, `codemirror` or `textarea`).
//!
//! The text lives in the app: every edit comes up through `on_change`,
//! and a `value` that differs from the editor's (a reset, a story) is
//! written into it. Diagnostics arrive as marks and become CodeMirror's
//! lint marks, with their messages.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use yew::prelude::*;

use super::Mark;
use super::textarea::Textarea;

#[wasm_bindgen]
extern "C" {
    /// `www/editor/editor.js`, as esbuild bundled it.
    type EditorModule;
    #[wasm_bindgen(method)]
    fn create(
        this: &EditorModule,
        parent: &web_sys::Element,
        doc: &str,
        label: &str,
        on_change: &Closure<dyn Fn(String)>,
        on_apply: &Closure<dyn Fn()>,
    ) -> Handle;

    /// One CodeMirror editor.
    type Handle;
    #[wasm_bindgen(method, js_name = setDoc)]
    fn set_doc(this: &Handle, text: &str);
    #[wasm_bindgen(method, js_name = setMarks)]
    fn set_marks(this: &Handle, marks: &js_sys::Array);
    #[wasm_bindgen(method)]
    fn jump(this: &Handle, line: u32, column: u32);
}

/// The accessible name of the editor, whichever it is.
pub const LABEL: &str = "Kubernetes YAML";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Loading,
    CodeMirror,
    Textarea,
}

/// A CodeMirror editor and the callbacks it calls, which must live as
/// long as it does.
struct Live {
    handle: Handle,
    _on_change: Closure<dyn Fn(String)>,
    _on_apply: Closure<dyn Fn()>,
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub value: String,
    pub on_change: Callback<String>,
    /// Ctrl/Cmd+Enter in the editor.
    pub on_apply: Callback<()>,
    pub marks: Rc<Vec<Mark>>,
    /// Put the cursor at this (line, column) and scroll to it.
    pub jump: Option<(u32, u32)>,
    /// Load CodeMirror now (the page sets it once its first picture is
    /// drawn).
    pub load: bool,
}

fn marks_to_js(marks: &[Mark]) -> js_sys::Array {
    marks
        .iter()
        .map(|m| {
            let o = js_sys::Object::new();
            let set = |k: &str, v: JsValue| {
                let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), &v);
            };
            set("line", m.line.into());
            set("column", m.column.into());
            set("severity", if m.error { "error" } else { "warning" }.into());
            set("message", m.message.as_str().into());
            JsValue::from(o)
        })
        .collect()
}

#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let host = use_node_ref();
    let kind = use_state(|| Kind::Loading);
    let live: Rc<RefCell<Option<Live>>> = use_mut_ref(|| None);
    // What the editor must open on: the text as it is when CodeMirror
    // arrives, not when it was asked for.
    let latest = use_mut_ref(String::new);
    latest.borrow_mut().clone_from(&props.value);

    {
        let (host, kind, live, latest) = (host.clone(), kind.clone(), live.clone(), latest.clone());
        let (on_change, on_apply) = (props.on_change.clone(), props.on_apply.clone());
        let marks = props.marks.clone();
        use_effect_with(props.load, move |load| {
            if *load && *kind == Kind::Loading {
                wasm_bindgen_futures::spawn_local(async move {
                    let module =
                        wasm_bindgen_futures::JsFuture::from(crate::js::load_module("editor.js"))
                            .await;
                    let (Ok(module), Some(parent)) = (module, host.cast::<web_sys::Element>())
                    else {
                        kind.set(Kind::Textarea);
                        return;
                    };
                    let module: EditorModule = module.unchecked_into();
                    let on_change =
                        Closure::<dyn Fn(String)>::new(move |text| on_change.emit(text));
                    let on_apply = Closure::<dyn Fn()>::new(move || on_apply.emit(()));
                    let text = latest.borrow().clone();
                    let handle = module.create(&parent, &text, LABEL, &on_change, &on_apply);
                    handle.set_marks(&marks_to_js(&marks));
                    // Whoever was typing in the textarea goes on typing here.
                    let typing = textarea_has_focus();
                    *live.borrow_mut() = Some(Live {
                        handle,
                        _on_change: on_change,
                        _on_apply: on_apply,
                    });
                    kind.set(Kind::CodeMirror);
                    if typing
                        && let Some(content) = parent.query_selector(".cm-content").ok().flatten()
                        && let Some(el) =
                            wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&content)
                    {
                        let _ = el.focus();
                    }
                });
            }
        });
    }
    {
        let live = live.clone();
        use_effect_with(props.value.clone(), move |value| {
            if let Some(l) = live.borrow().as_ref() {
                l.handle.set_doc(value);
            }
        });
    }
    {
        let live = live.clone();
        use_effect_with(props.marks.clone(), move |marks| {
            if let Some(l) = live.borrow().as_ref() {
                l.handle.set_marks(&marks_to_js(marks));
            }
        });
    }
    {
        let live = live.clone();
        use_effect_with(props.jump, move |jump| {
            if let (Some((line, column)), Some(l)) = (jump, live.borrow().as_ref()) {
                l.handle.jump(*line, *column);
            }
        });
    }

    let state = match *kind {
        Kind::Loading => "loading",
        Kind::CodeMirror => "codemirror",
        Kind::Textarea => "textarea",
    };
    html! {
        <div class="pv-editor-box" data-editor={state}>
            <div ref={host} class="pv-cm" hidden={*kind != Kind::CodeMirror}></div>
            if *kind != Kind::CodeMirror {
                <Textarea value={props.value.clone()} on_change={props.on_change.clone()}
                    jump={props.jump} />
            }
        </div>
    }
}

/// Whether the focus is in the plain editor's textarea.
fn textarea_has_focus() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .is_some_and(|e| e.tag_name() == "TEXTAREA")
}
