//! The objects found in the input: kind, namespace, name and whether the
//! API server would accept them.

use std::rc::Rc;

use pvsim_engine::{Loaded, Status};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ObjectTableProps {
    pub loaded: Rc<Loaded>,
    pub on_jump: Callback<(u32, u32)>,
}

/// A kind name with break points between its words, so that
/// `PersistentVolumeClaim` can wrap on a phone.
fn breakable(kind: &str) -> Html {
    if kind.is_empty() {
        return html! { "?" };
    }
    let mut parts: Vec<String> = Vec::new();
    for c in kind.chars() {
        match parts.last_mut() {
            Some(last)
                if !c.is_ascii_uppercase() || last.chars().all(|l| l.is_ascii_uppercase()) =>
            {
                last.push(c);
            }
            _ => parts.push(c.to_string()),
        }
    }
    let pieces = parts.into_iter().enumerate().map(|(i, p)| {
        html! { <>{ if i > 0 { html! { <wbr/> } } else { html! {} } }{ p }</> }
    });
    html! { <>{ for pieces }</> }
}

#[component]
pub fn ObjectTable(props: &ObjectTableProps) -> Html {
    if props.loaded.entries.is_empty() {
        return html! { <p class="pv-empty">{"No Kubernetes objects yet. Paste some YAML."}</p> };
    }
    html! {
        <div class="pv-table-wrap">
        <table class="pv-objects" data-testid="objects">
            <thead><tr><th>{"Kind"}</th><th class="pv-col-ns">{"Namespace"}</th><th>{"Name"}</th><th>{"Status"}</th></tr></thead>
            <tbody>
                { for props.loaded.entries.iter().map(|e| {
                    let at = (e.line, e.column);
                    let onclick = props.on_jump.reform(move |_: MouseEvent| at);
                    let (class, label, title) = match e.status {
                        Status::Accepted => ("pv-pill pv-pill-ok", "accepted", "The API server would accept this object"),
                        Status::Rejected => ("pv-pill pv-pill-error", "rejected", "The API server would reject this object: see the diagnostics"),
                        Status::Ignored => ("pv-pill pv-pill-muted", "ignored", "pvsim does not simulate this kind"),
                    };
                    html! {
                        <tr>
                            <td><button type="button" class="pv-link" {onclick}>{ breakable(&e.kind) }</button></td>
                            <td class="pv-dim pv-col-ns">{ if e.namespace.is_empty() { "–" } else { &e.namespace } }</td>
                            <td class="pv-name">
                                if !e.namespace.is_empty() {
                                    <span class="pv-ns-inline">{ format!("{}/", e.namespace) }</span>
                                }
                                { &e.name }
                            </td>
                            <td><span {class} {title}>{ label }</span></td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
        </div>
    }
}
