//! The page: header, editor, objects and diagnostics.

use std::rc::Rc;

use pvsim_engine::{KUBERNETES_VERSION, Loaded, Severity, load};
use yew::prelude::*;

use crate::components::{DiagnosticList, Editor, Mark, ObjectTable};
use crate::sample::STATIC_PROVISIONING;

const FILE: &str = "manifest.yaml";

fn theme_toggle() -> Html {
    let onclick = Callback::from(|_: MouseEvent| {
        let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        else {
            return;
        };
        let dark = match root.get_attribute("data-theme").as_deref() {
            Some("dark") => false,
            Some(_) => true,
            None => !web_sys::window()
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                .is_some_and(|m| m.matches()),
        };
        let theme = if dark { "dark" } else { "light" };
        let _ = root.set_attribute("data-theme", theme);
        if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            let _ = storage.set_item("pvsim-theme", theme);
        }
    });
    html! {
        <button class="pv-icon-button" type="button" title="Switch light and dark mode" aria-label="Switch light and dark mode" {onclick}>
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                <path d="M12 3a9 9 0 1 0 9 9 7 7 0 0 1-9-9z" fill="currentColor"/>
            </svg>
        </button>
    }
}

#[component]
pub fn App() -> Html {
    let yaml = use_state(|| STATIC_PROVISIONING.to_owned());
    let loaded: Rc<Loaded> = use_memo((*yaml).clone(), |text| load(FILE, text.as_bytes()));
    let jump = use_state(|| None::<(u32, u32)>);

    let on_change = {
        let yaml = yaml.clone();
        Callback::from(move |text: String| yaml.set(text))
    };
    let on_jump = {
        let jump = jump.clone();
        Callback::from(move |at: (u32, u32)| jump.set(Some(at)))
    };
    let reset = {
        let yaml = yaml.clone();
        Callback::from(move |_: MouseEvent| yaml.set(STATIC_PROVISIONING.to_owned()))
    };

    let marks: Vec<Mark> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .map(|d| Mark {
            line: d.line,
            error: d.severity == Severity::Error,
        })
        .collect();
    let errors = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();

    html! {
        <div class="pv-app">
            <header class="pv-header">
                <div class="pv-brand">
                    <svg class="pv-logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
                        <rect x="3" y="6" width="26" height="7" rx="2"/>
                        <rect x="3" y="15" width="26" height="7" rx="2"/>
                        <circle cx="24" cy="9.5" r="1.5" class="pv-logo-led"/>
                        <circle cx="24" cy="18.5" r="1.5" class="pv-logo-led"/>
                        <path d="M8 25v3h16v-3" fill="none" stroke-width="2"/>
                    </svg>
                    <div>
                        <h1>{"pvsim"}</h1>
                        <p class="pv-tagline">{"Kubernetes storage playground"}</p>
                    </div>
                </div>
                <div class="pv-header-actions">
                    <span class="pv-badge" title="pvsim reproduces the behaviour of this Kubernetes release">
                        {format!("Kubernetes {KUBERNETES_VERSION}")}
                    </span>
                    { theme_toggle() }
                </div>
            </header>
            <main class="pv-main">
                <section class="pv-panel pv-editor-panel" aria-label="Manifest">
                    <div class="pv-panel-head">
                        <h2>{"Manifest"}</h2>
                        <span class="pv-hint">{"Paste PersistentVolumes, claims, StorageClasses, Pods, Deployments, StatefulSets, or a kubectl get -o yaml dump"}</span>
                        <button class="pv-button" type="button" onclick={reset}>{"Reset example"}</button>
                    </div>
                    <Editor value={(*yaml).clone()} {on_change} {marks} jump={*jump} />
                </section>
                <div class="pv-side">
                    <section class="pv-panel" aria-label="Diagnostics">
                        <div class="pv-panel-head">
                            <h2>{"Diagnostics"}</h2>
                            <span class={classes!("pv-count", (errors > 0).then_some("pv-count-error"))} data-testid="summary">
                                { pvsim_engine::summary(&loaded.diagnostics) }
                            </span>
                        </div>
                        <DiagnosticList loaded={loaded.clone()} on_jump={on_jump.clone()} />
                    </section>
                    <section class="pv-panel" aria-label="Objects">
                        <div class="pv-panel-head">
                            <h2>{"Objects"}</h2>
                            <span class="pv-count">{ loaded.entries.len() }</span>
                        </div>
                        <ObjectTable loaded={loaded.clone()} {on_jump} />
                    </section>
                </div>
            </main>
            <footer class="pv-footer">
                {"pvsim checks manifests with the Kubernetes API server's rules and wording. The cluster simulation comes next."}
            </footer>
        </div>
    }
}
