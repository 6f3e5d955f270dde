//! The panels beside the picture, as kubectl would print them at the
//! current step: Events, Get, Describe, Explain, YAML, and the input's
//! Problems.
//!
//! Events are built here from the timeline the page already holds (one
//! row per Event object, as kubectl aggregates repeats); the other texts
//! come from the worker, which the page asks for the tab, step and
//! selection shown.

use std::rc::Rc;

use pvsim_engine::print::last_seen;
use pvsim_engine::{Diagnostic, Severity};
use pvsim_scene::StepInfo;
use yew::prelude::*;

use crate::components::DiagnosticList;
use crate::picture::Pick;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Events,
    Get,
    Describe,
    Explain,
    Yaml,
    Problems,
}

pub const TABS: &[(Tab, &str)] = &[
    (Tab::Events, "Events"),
    (Tab::Get, "Get"),
    (Tab::Describe, "Describe"),
    (Tab::Explain, "Explain"),
    (Tab::Yaml, "YAML"),
    (Tab::Problems, "Problems"),
];

impl Tab {
    /// Whether the tab shows text the worker prints.
    pub fn from_worker(self) -> bool {
        matches!(self, Tab::Get | Tab::Describe | Tab::Explain | Tab::Yaml)
    }

    /// Whether the tab is about the selected object.
    pub fn needs_selection(self) -> bool {
        matches!(self, Tab::Describe | Tab::Yaml)
    }
}

/// A text the worker printed, and what it was asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct Printed {
    pub tab: Tab,
    pub step: usize,
    pub object: Option<Pick>,
    pub text: Result<String, String>,
}

/// One row of `kubectl get events`.
#[derive(Clone, Debug, PartialEq)]
pub struct EventRow {
    pub namespace: String,
    pub last_seen: String,
    pub type_: String,
    pub reason: String,
    pub object: String,
    pub message: String,
    pub uid: String,
    /// Whether the current step emitted it.
    pub current: bool,
}

/// How often an Event record was seen in the steps done, first and last.
#[derive(Clone, Copy)]
struct Seen<'a> {
    first: u64,
    last: u64,
    count: u32,
    /// The index of the step that saw it last.
    at: usize,
    line: &'a pvsim_scene::EventLine,
}

/// The events after `step` steps, as `kubectl get events -A
/// --sort-by=.lastTimestamp` lists them.
pub fn event_rows(steps: &[StepInfo], step: usize) -> Vec<EventRow> {
    let done = &steps[..step.min(steps.len())];
    let now = done.last().map_or(0, |s| s.at);
    // Each record's sightings, by record (records count up from 0).
    let mut seen: Vec<Option<Seen>> = Vec::new();
    for (i, s) in done.iter().enumerate() {
        for e in &s.events {
            if seen.len() <= e.record {
                seen.resize(e.record + 1, None);
            }
            let r = seen[e.record].get_or_insert(Seen {
                first: s.at,
                last: s.at,
                count: 0,
                at: i,
                line: e,
            });
            (r.last, r.count, r.at, r.line) = (s.at, r.count + 1, i, e);
        }
    }
    let mut rows: Vec<(u64, usize, EventRow)> = seen
        .into_iter()
        .enumerate()
        .filter_map(|(record, r)| r.map(|r| (record, r)))
        .map(
            |(
                record,
                Seen {
                    first,
                    last,
                    count,
                    at,
                    line: e,
                },
            )| {
                (
                    last,
                    record,
                    EventRow {
                        namespace: e.namespace.clone(),
                        last_seen: last_seen(now, first, last, count),
                        type_: e.type_.clone(),
                        reason: e.reason.clone(),
                        object: e.object.clone(),
                        message: e.message.clone(),
                        uid: e.uid.clone(),
                        current: at + 1 == step,
                    },
                )
            },
        )
        .collect();
    pvsim_engine::sort::by_key(&mut rows, |(last, record, _)| (*last, *record));
    rows.into_iter().map(|(_, _, row)| row).collect()
}

#[derive(Properties, PartialEq)]
pub struct PanelsProps {
    pub tab: Tab,
    pub on_tab: Callback<Tab>,
    pub steps: Rc<Vec<StepInfo>>,
    pub step: usize,
    pub printed: Option<Printed>,
    pub selected: Option<Pick>,
    pub diagnostics: Rc<Vec<Diagnostic>>,
    pub refused: Rc<Vec<String>>,
    pub on_jump: Callback<(u32, u32)>,
    /// The element a row points at, under the pointer.
    pub highlighted: Option<String>,
    pub on_hover: Callback<Option<String>>,
    /// Select the object with this uid in the picture.
    pub on_pick: Callback<String>,
}

fn problems_count(diagnostics: &[Diagnostic], refused: &[String]) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .count()
        + refused.len()
}

#[component]
pub fn Panels(props: &PanelsProps) -> Html {
    let problems = problems_count(&props.diagnostics, &props.refused);
    // Keep the current step's events in view: scroll the panel (only the
    // panel, never the page) to the first highlighted row.
    let panel = use_node_ref();
    {
        let panel = panel.clone();
        use_effect_with((props.step, props.tab), move |_| {
            let Some(panel) = panel.cast::<web_sys::HtmlElement>() else {
                return;
            };
            let Some(row) = panel
                .query_selector(".pv-current")
                .ok()
                .flatten()
                .and_then(|r| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(r).ok())
            else {
                return;
            };
            let top = row.offset_top();
            let (shown, height) = (panel.scroll_top(), panel.client_height());
            if top < shown + 30 || top > shown + height - 40 {
                panel.set_scroll_top((top - height / 3).max(0));
            }
        });
    }
    let tabs = TABS.iter().map(|(tab, label)| {
        let selected = *tab == props.tab;
        let onclick = props.on_tab.reform({
            let tab = *tab;
            move |_: MouseEvent| tab
        });
        let text = if *tab == Tab::Problems && problems > 0 {
            format!("{label} ({problems})")
        } else {
            (*label).to_owned()
        };
        html! {
            <button type="button" role="tab" id={format!("pv-tab-{label}")} aria-selected={selected.to_string()}
                aria-controls="pv-tabpanel" tabindex={if selected { "0" } else { "-1" }}
                class={classes!("pv-tab", selected.then_some("pv-tab-selected"))} {onclick}>{ text }</button>
        }
    });
    // Arrow keys move between tabs, as in every tab list.
    let onkeydown = {
        let on_tab = props.on_tab.clone();
        let current = props.tab;
        Callback::from(move |e: KeyboardEvent| {
            let at = TABS.iter().position(|(t, _)| *t == current).unwrap_or(0);
            let next = match e.key().as_str() {
                "ArrowRight" => (at + 1) % TABS.len(),
                "ArrowLeft" => (at + TABS.len() - 1) % TABS.len(),
                "Home" => 0,
                "End" => TABS.len() - 1,
                _ => return,
            };
            e.prevent_default();
            e.stop_propagation();
            on_tab.emit(TABS[next].0);
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&format!("pv-tab-{}", TABS[next].1)))
                .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok())
            {
                let _ = el.focus();
            }
        })
    };
    let label = TABS
        .iter()
        .find(|(t, _)| *t == props.tab)
        .map_or("Events", |(_, l)| *l);

    let body = match props.tab {
        Tab::Events => events(props),
        Tab::Problems => html! {
            <>
                <DiagnosticList diagnostics={props.diagnostics.clone()} on_jump={props.on_jump.clone()} />
                if !props.refused.is_empty() {
                    <h3 class="pv-subhead">{ "Requests the API server refused during the run" }</h3>
                    <ul class="pv-refused">
                        { for props.refused.iter().map(|r| html! { <li><code>{ r }</code></li> }) }
                    </ul>
                }
            </>
        },
        tab => printed(props, tab),
    };

    html! {
        <section class="pv-panels" aria-labelledby="pv-panels-title">
            <h2 id="pv-panels-title" class="pv-visually-hidden">{ "Panels" }</h2>
            <div class="pv-tabs" role="tablist" aria-label="Panels" {onkeydown}>{ for tabs }</div>
            <div ref={panel} class="pv-tabpanel" id="pv-tabpanel" role="tabpanel" aria-labelledby={format!("pv-tab-{label}")} tabindex="0">
                { body }
            </div>
        </section>
    }
}

/// The most event rows the tab draws: the latest ones.
const EVENT_ROWS: usize = 200;

fn events(props: &PanelsProps) -> Html {
    let mut rows = event_rows(&props.steps, props.step);
    if rows.is_empty() {
        return html! { <p class="pv-empty">{ "No events yet. Press play or step forward." }</p> };
    }
    let total = rows.len();
    let older = total.saturating_sub(EVENT_ROWS);
    rows.drain(..older);
    let row = |r: EventRow| {
        let highlighted = !r.uid.is_empty() && props.highlighted.as_deref() == Some(r.uid.as_str());
        let class = classes!(
            r.current.then_some("pv-current"),
            (r.type_ == "Warning").then_some("pv-row-warning"),
            highlighted.then_some("pv-highlighted"),
        );
        let enter = {
            let uid = r.uid.clone();
            props
                .on_hover
                .reform(move |_: MouseEvent| Some(uid.clone()))
        };
        let leave = props.on_hover.reform(|_: MouseEvent| None);
        let pick = {
            let uid = r.uid.clone();
            props.on_pick.reform(move |_: MouseEvent| uid.clone())
        };
        html! {
            <tr {class} onmouseenter={enter} onmouseleave={leave}>
                <td data-label="NAMESPACE">{ &r.namespace }</td>
                <td data-label="LAST SEEN" class="pv-nowrap">{ &r.last_seen }</td>
                <td data-label="TYPE">
                    if r.type_ == "Warning" { <span class="pv-glyph" aria-hidden="true">{"! "}</span> }
                    { &r.type_ }
                </td>
                <td data-label="REASON">{ &r.reason }</td>
                <td data-label="OBJECT">
                    <button type="button" class="pv-link-button" onclick={pick} title="Select in the picture">{ &r.object }</button>
                </td>
                <td data-label="MESSAGE" class="pv-message">{ &r.message }</td>
            </tr>
        }
    };
    html! {
        <div class="pv-table-wrap">
            <table class="pv-table" data-testid="events">
                <caption class="pv-visually-hidden">{ "kubectl get events -A --sort-by=.lastTimestamp" }</caption>
                <thead><tr>
                    <th scope="col">{"NAMESPACE"}</th><th scope="col">{"LAST SEEN"}</th><th scope="col">{"TYPE"}</th>
                    <th scope="col">{"REASON"}</th><th scope="col">{"OBJECT"}</th><th scope="col">{"MESSAGE"}</th>
                </tr></thead>
                <tbody>{ for rows.into_iter().map(row) }</tbody>
            </table>
            if older > 0 {
                <p class="pv-empty">{ format!("The latest {EVENT_ROWS} of {total} events; the Get and Describe tabs show the objects.") }</p>
            }
        </div>
    }
}

/// `kubectl describe pvc/task-pv-claim`-like command line over a text.
fn command(tab: Tab, object: Option<&Pick>) -> String {
    let name = |p: &Pick| {
        let kind = match p.kind {
            "PersistentVolumeClaim" => "pvc",
            "PersistentVolume" => "pv",
            "Pod" => "pod",
            "Node" => "node",
            other => other,
        };
        if p.namespace.is_empty() {
            format!("{kind}/{}", p.name)
        } else {
            format!("{kind}/{} -n {}", p.name, p.namespace)
        }
    };
    match (tab, object) {
        (Tab::Get, _) => "kubectl get sc,pv,pvc,pods,nodes,volumeattachments -o wide".into(),
        (Tab::Describe, Some(p)) => format!("kubectl describe {}", name(p)),
        (Tab::Yaml, Some(p)) => format!("kubectl get {} -o yaml", name(p)),
        (Tab::Explain, Some(p)) if matches!(p.kind, "Pod" | "PersistentVolumeClaim") => {
            format!("pvsim explain {}", name(p))
        }
        (Tab::Explain, _) => "pvsim explain".into(),
        _ => String::new(),
    }
}

fn printed(props: &PanelsProps, tab: Tab) -> Html {
    if tab.needs_selection() && props.selected.is_none() {
        return html! {
            <p class="pv-empty">{ "Select an object in the picture (click it, or focus the picture and use the arrow keys and Enter)." }</p>
        };
    }
    let object = props.selected.as_ref();
    let fresh = props.printed.as_ref().filter(|p| p.tab == tab);
    let line = command(tab, object);
    html! {
        <div class={classes!("pv-printed", fresh.is_none_or(|p| p.step != props.step).then_some("pv-stale"))}>
            <p class="pv-command"><span aria-hidden="true">{"$ "}</span><code>{ line }</code></p>
            {
                match fresh.map(|p| &p.text) {
                    Some(Ok(text)) => html! { <pre class="pv-pre" data-testid="printed">{ text }</pre> },
                    Some(Err(message)) => html! { <p class="pv-empty" data-testid="printed">{ message }</p> },
                    None => html! { <p class="pv-empty">{ "…" }</p> },
                }
            }
        </div>
    }
}
