//! Acting on the cluster: what a person can do to the object they picked
//! (fail or drain a node, write a file in a pod, delete a claim, scale a
//! Deployment) or to the cluster (add a claim, add a pod).
//!
//! Every action is a step of the Scenario (`failNode: node-a`,
//! `writeData: {...}`, `apply: {...}`); the page adds it to the YAML at
//! the timeline's position (`pvsim_scene::edit`) and simulates again, so
//! the YAML stays the one source of truth. The same actions come from the
//! bar under the picture (which is the menu on a phone), from a context
//! menu on the object (right click, the context-menu key or Shift+F10 on
//! the focused object), and each names the step it adds.

use std::fmt::Write as _;
use std::rc::Rc;

use pvsim_scene::Scene;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::picture::Pick;

/// What an action does.
#[derive(Clone, Debug, PartialEq)]
pub enum Act {
    /// Adds this step to the Scenario.
    Step(String),
    /// Shows the Explain panel for the picked object.
    Explain,
    /// Opens a form that asks for the rest (a file's path, a count).
    Ask(Form),
}

/// An action that needs a few words or numbers first.
#[derive(Clone, Debug, PartialEq)]
pub enum Form {
    Write {
        namespace: String,
        pod: String,
        path: String,
    },
    Read {
        namespace: String,
        pod: String,
        path: String,
    },
    Scale {
        target: String,
        replicas: i32,
    },
    AddClaim,
    AddPod,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    pub label: String,
    pub act: Act,
}

/// `text` as a double-quoted YAML scalar (the JSON escapes, which YAML
/// reads the same way): names and contents with markup or quotes stay
/// text.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The path a new file goes to: in the pod's first mount.
fn file_path(mounts: &[String]) -> String {
    let dir = mounts.first().map_or("/data", String::as_str);
    format!("{}/note.txt", dir.trim_end_matches('/'))
}

/// What can be done to `pick` in `scene`.
pub fn actions(pick: &Pick, scene: &Scene) -> Vec<Action> {
    let step = |label: &str, step: String| Action {
        label: label.to_owned(),
        act: Act::Step(step),
    };
    let name = &pick.name;
    match pick.kind {
        "Node" => {
            let node = scene
                .zones
                .iter()
                .flat_map(|z| &z.nodes)
                .find(|n| n.id == pick.id);
            let failed = node.is_some_and(|n| n.kubelet_stopped);
            let cordoned = node.is_some_and(|n| n.cordoned);
            let mut out = vec![if failed {
                step("Recover the node", format!("recoverNode: {name}"))
            } else {
                step("Fail the node", format!("failNode: {name}"))
            }];
            out.push(step("Drain", format!("drain: {name}")));
            out.push(if cordoned {
                step("Uncordon", format!("uncordon: {name}"))
            } else {
                step("Cordon", format!("cordon: {name}"))
            });
            if node.is_some_and(|n| !n.out_of_service) {
                out.push(step(
                    "Add the out-of-service taint",
                    format!("taintOutOfService: {name}"),
                ));
            }
            out.push(step("Delete the node", format!("deleteNode: {name}")));
            out
        }
        "Pod" => {
            let tile = scene
                .tray
                .iter()
                .chain(
                    scene
                        .zones
                        .iter()
                        .flat_map(|z| &z.nodes)
                        .flat_map(|n| &n.pods),
                )
                .find(|p| p.id == pick.id);
            let path = file_path(tile.map_or(&[][..], |t| &t.mounts));
            let (namespace, pod) = (pick.namespace.clone(), name.clone());
            let mut out = vec![
                Action {
                    label: "Write a file…".into(),
                    act: Act::Ask(Form::Write {
                        namespace: namespace.clone(),
                        pod: pod.clone(),
                        path: path.clone(),
                    }),
                },
                Action {
                    label: "Read a file…".into(),
                    act: Act::Ask(Form::Read {
                        namespace,
                        pod,
                        path,
                    }),
                },
            ];
            if let Some(w) = tile.and_then(|t| t.workload.as_ref()) {
                let short = w
                    .target
                    .split('/')
                    .next()
                    .unwrap_or_default()
                    .to_lowercase();
                let workload = w.target.rsplit('/').next().unwrap_or_default();
                out.push(Action {
                    label: format!("Scale {short}/{workload}…"),
                    act: Act::Ask(Form::Scale {
                        target: w.target.clone(),
                        replicas: w.replicas,
                    }),
                });
            }
            out.push(step(
                "Delete the pod",
                format!("delete: Pod/{}/{name}", pick.namespace),
            ));
            out
        }
        "PersistentVolumeClaim" => vec![
            Action {
                label: "Explain".into(),
                act: Act::Explain,
            },
            step(
                "Delete the claim",
                format!("delete: PersistentVolumeClaim/{}/{name}", pick.namespace),
            ),
        ],
        "PersistentVolume" => vec![step(
            "Delete the volume",
            format!("delete: PersistentVolume/{name}"),
        )],
        _ => Vec::new(),
    }
}

/// The step a filled form adds.
fn form_step(form: &Form, fields: &[String]) -> String {
    let field = |i: usize| fields.get(i).map_or("", String::as_str).trim();
    match form {
        Form::Write { namespace, pod, .. } => format!(
            "writeData: {{pod: {}, namespace: {}, path: {}, content: {}}}",
            quote(pod),
            quote(namespace),
            quote(field(0)),
            quote(field(1))
        ),
        Form::Read { namespace, pod, .. } => format!(
            "readData: {{pod: {}, namespace: {}, path: {}}}",
            quote(pod),
            quote(namespace),
            quote(field(0))
        ),
        Form::Scale { target, .. } => format!(
            "scale: {{target: {}, replicas: {}}}",
            quote(target),
            field(0).parse::<u32>().unwrap_or(0)
        ),
        Form::AddClaim => {
            let class = field(2);
            let class = if class.is_empty() {
                String::new()
            } else {
                format!(", storageClassName: {}", quote(class))
            };
            format!(
                "apply: {{apiVersion: v1, kind: PersistentVolumeClaim, metadata: {{name: {}}}, spec: {{accessModes: [ReadWriteOnce], resources: {{requests: {{storage: {}}}}}{class}}}}}",
                quote(field(0)),
                quote(field(1))
            )
        }
        Form::AddPod => format!(
            "apply: {{apiVersion: v1, kind: Pod, metadata: {{name: {}}}, spec: {{containers: [{{name: app, image: busybox, volumeMounts: [{{name: data, mountPath: /data}}]}}], volumes: [{{name: data, persistentVolumeClaim: {{claimName: {}}}}}]}}}}",
            quote(field(0)),
            quote(field(1))
        ),
    }
}

/// A form's title, its fields (label, starting value, input type) and
/// its button.
fn form_fields(
    form: &Form,
    scene: Option<&Scene>,
) -> (
    String,
    Vec<(&'static str, String, &'static str)>,
    &'static str,
) {
    match form {
        Form::Write { pod, path, .. } => (
            format!("Write a file in pod {pod}"),
            vec![
                ("Path", path.clone(), "text"),
                ("Content", "hello".into(), "text"),
            ],
            "Write",
        ),
        Form::Read { pod, path, .. } => (
            format!("Read a file in pod {pod}"),
            vec![("Path", path.clone(), "text")],
            "Read",
        ),
        Form::Scale { target, replicas } => (
            format!("Scale {target}"),
            vec![("Replicas", replicas.to_string(), "number")],
            "Scale",
        ),
        Form::AddClaim => {
            let n = scene.map_or(0, |s| s.claims.len()) + 1;
            (
                "Add a claim".into(),
                vec![
                    ("Name", format!("claim-{n}"), "text"),
                    ("Size", "1Gi".into(), "text"),
                    ("StorageClass (empty: the default)", String::new(), "text"),
                ],
                "Add",
            )
        }
        Form::AddPod => {
            let claim = scene
                .and_then(|s| s.claims.first())
                .map(|c| c.name.clone())
                .unwrap_or_default();
            (
                "Add a pod that mounts a claim".into(),
                vec![("Name", "app".into(), "text"), ("Claim", claim, "text")],
                "Add",
            )
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ActionBarProps {
    pub selected: Option<Pick>,
    pub scene: Option<Rc<Scene>>,
    pub form: Option<Form>,
    /// What the last action did, or why it could not.
    pub note: Option<String>,
    pub on_act: Callback<Act>,
    pub on_form: Callback<Option<Form>>,
}

/// The actions for the picked object, and for the cluster, under the
/// picture; with the form an action asks for.
#[component]
pub fn ActionBar(props: &ActionBarProps) -> Html {
    let list = match (&props.selected, &props.scene) {
        (Some(pick), Some(scene)) => actions(pick, scene),
        _ => Vec::new(),
    };
    let button = |a: &Action| {
        let (on_act, act) = (props.on_act.clone(), a.act.clone());
        let title = match &a.act {
            Act::Step(step) => format!("Adds the step {step}"),
            _ => String::new(),
        };
        html! {
            <button type="button" class="pv-button pv-small" {title}
                onclick={Callback::from(move |_| on_act.emit(act.clone()))}>{ &a.label }</button>
        }
    };
    let ask = |label: &'static str, form: Form| {
        let on_form = props.on_form.clone();
        html! {
            <button type="button" class="pv-button pv-small"
                onclick={Callback::from(move |_| on_form.emit(Some(form.clone())))}>{ label }</button>
        }
    };
    let what = props.selected.as_ref().map_or_else(
        || "Pick a node, pod, claim or volume in the picture to act on it.".to_owned(),
        |p| format!("{} {}:", p.kind, p.name),
    );
    html! {
        <div class="pv-actions" role="group" aria-label="Act on the cluster">
            <div class="pv-actions-row">
                <span class="pv-actions-what">{ what }</span>
                { for list.iter().map(button) }
                <span class="pv-actions-sep" aria-hidden="true"></span>
                { ask("Add a claim…", Form::AddClaim) }
                { ask("Add a pod…", Form::AddPod) }
            </div>
            if let Some(form) = &props.form {
                <ActionForm form={form.clone()} scene={props.scene.clone()}
                    on_act={props.on_act.clone()} on_cancel={props.on_form.reform(|()| None)} />
            }
            if let Some(note) = &props.note {
                <p class="pv-actions-note" data-testid="action-note">{ note }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ActionFormProps {
    form: Form,
    scene: Option<Rc<Scene>>,
    on_act: Callback<Act>,
    on_cancel: Callback<()>,
}

#[component]
fn ActionForm(props: &ActionFormProps) -> Html {
    let (title, fields, submit) = form_fields(&props.form, props.scene.as_deref());
    let refs = use_memo(props.form.clone(), |_| {
        (0..4).map(|_| NodeRef::default()).collect::<Vec<_>>()
    });
    {
        // The first field takes the focus when the form opens.
        let first = refs[0].clone();
        use_effect_with(props.form.clone(), move |_| {
            if let Some(input) = first.cast::<HtmlInputElement>() {
                let _ = input.focus();
                input.select();
            }
        });
    }
    let onsubmit = {
        let (refs, form, on_act) = (refs.clone(), props.form.clone(), props.on_act.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let values: Vec<String> = refs
                .iter()
                .filter_map(NodeRef::cast::<HtmlInputElement>)
                .map(|i| i.value())
                .collect();
            on_act.emit(Act::Step(form_step(&form, &values)));
        })
    };
    let onkeydown = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.stop_propagation();
                on_cancel.emit(());
            }
        })
    };
    let on_cancel = props.on_cancel.clone();
    html! {
        <form class="pv-action-form" aria-label={title.clone()} {onsubmit} {onkeydown}>
            <strong>{ title }</strong>
            { for fields.into_iter().enumerate().map(|(i, (label, value, kind))| html! {
                <label class="pv-field">
                    <span>{ label }</span>
                    <input ref={refs[i].clone()} type={kind} {value} min={(kind == "number").then_some("0")}
                        spellcheck="false" autocomplete="off" />
                </label>
            }) }
            <button type="submit" class="pv-button pv-primary pv-small">{ submit }</button>
            <button type="button" class="pv-button pv-small" onclick={Callback::from(move |_| on_cancel.emit(()))}>{ "Cancel" }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub struct ActionMenuProps {
    pub pick: Pick,
    pub scene: Rc<Scene>,
    /// Where the menu opens, in the viewport.
    pub x: i32,
    pub y: i32,
    pub on_act: Callback<Act>,
    pub on_close: Callback<()>,
}

/// The context menu of an object: its actions, by pointer or keyboard
/// (↑ ↓ move, Enter acts, Escape closes).
#[component]
pub fn ActionMenu(props: &ActionMenuProps) -> Html {
    let list = actions(&props.pick, &props.scene);
    let menu = use_node_ref();
    {
        let menu = menu.clone();
        use_effect_with((props.pick.id.clone(), props.x, props.y), move |_| {
            if let Some(first) = menu
                .cast::<web_sys::Element>()
                .and_then(|m| m.query_selector("[role=menuitem]").ok().flatten())
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
            {
                let _ = first.focus();
            }
        });
    }
    let onkeydown = {
        let (menu, on_close) = (menu.clone(), props.on_close.clone());
        Callback::from(move |e: KeyboardEvent| {
            let step: i32 = match e.key().as_str() {
                "ArrowDown" => 1,
                "ArrowUp" => -1,
                "Escape" | "Tab" => {
                    e.prevent_default();
                    e.stop_propagation();
                    on_close.emit(());
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            e.stop_propagation();
            let Some(m) = menu.cast::<web_sys::Element>() else {
                return;
            };
            let Ok(items) = m.query_selector_all("[role=menuitem]") else {
                return;
            };
            let n = i32::try_from(items.length()).unwrap_or(0);
            let active = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element());
            let at = (0..n)
                .find(|i| {
                    items
                        .get(u32::try_from(*i).unwrap_or(0))
                        .map(wasm_bindgen::JsValue::from)
                        == active.clone().map(wasm_bindgen::JsValue::from)
                })
                .unwrap_or(-1);
            let next = (at + step).rem_euclid(n.max(1));
            if let Some(el) = items
                .get(u32::try_from(next).unwrap_or(0))
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
            {
                let _ = el.focus();
            }
        })
    };
    let style = format!("left: {}px; top: {}px", props.x, props.y);
    let label = format!("Actions for {} {}", props.pick.kind, props.pick.name);
    html! {
        <div ref={menu} class="pv-menu" role="menu" aria-label={label} {style} {onkeydown}>
            { for list.iter().map(|a| {
                let (on_act, act) = (props.on_act.clone(), a.act.clone());
                html! {
                    <button type="button" role="menuitem" class="pv-menu-item" tabindex="-1"
                        onclick={Callback::from(move |_| on_act.emit(act.clone()))}>{ &a.label }</button>
                }
            }) }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_text_stays_text() {
        assert_eq!(quote("a \"b\" <i>\\"), "\"a \\\"b\\\" <i>\\\\\"");
        assert_eq!(quote("two\nlines"), "\"two\\nlines\"");
    }

    #[test]
    fn a_form_becomes_one_step() {
        let write = Form::Write {
            namespace: "default".into(),
            pod: "web-1".into(),
            path: "/data/note.txt".into(),
        };
        assert_eq!(
            form_step(&write, &["/data/a.txt".into(), "hello".into()]),
            "writeData: {pod: \"web-1\", namespace: \"default\", path: \"/data/a.txt\", content: \"hello\"}"
        );
        assert_eq!(
            form_step(&Form::AddClaim, &["c".into(), "2Gi".into(), String::new()]),
            "apply: {apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: \"c\"}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: \"2Gi\"}}}}"
        );
    }
}
