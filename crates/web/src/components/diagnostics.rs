//! The diagnostics list: each finding with its line, object, field and
//! message; a click puts the editor's cursor on it.

use std::rc::Rc;

use pvsim_engine::{Diagnostic, Severity};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DiagnosticListProps {
    pub diagnostics: Rc<Vec<Diagnostic>>,
    pub on_jump: Callback<(u32, u32)>,
}

#[component]
pub fn DiagnosticList(props: &DiagnosticListProps) -> Html {
    let shown: Vec<_> = props
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .collect();
    if shown.is_empty() {
        return html! {
            <p class="pv-empty pv-ok" data-testid="no-problems">
                <span class="pv-ok-mark" aria-hidden="true">{"✓"}</span>
                {"No problems found: the API server would accept every object."}
            </p>
        };
    }
    html! {
        <ul class="pv-diagnostics" data-testid="diagnostics">
            { for shown.into_iter().map(|d| {
                let at = (d.line, d.column);
                let onclick = props.on_jump.reform(move |_: MouseEvent| at);
                let (class, label) = match d.severity {
                    Severity::Error => ("pv-diag pv-diag-error", "error"),
                    Severity::Warning => ("pv-diag pv-diag-warning", "warning"),
                    Severity::Info => ("pv-diag", "info"),
                };
                html! {
                    <li {class}>
                        <button type="button" class="pv-diag-button" {onclick} title="Show in the editor">
                            <span class="pv-diag-head">
                                <span class="pv-sev">{ label }</span>
                                <span class="pv-loc">{ format!("line {}, column {}", d.line, d.column) }</span>
                                if !d.kind.is_empty() {
                                    <span class="pv-obj">{ format!("{} {:?}", d.kind, d.name) }</span>
                                }
                            </span>
                            <span class="pv-msg">
                                if !d.field.is_empty() {
                                    <code class="pv-field">{ &d.field }</code>{": "}
                                }
                                { &d.message }
                            </span>
                        </button>
                    </li>
                }
            }) }
        </ul>
    }
}
