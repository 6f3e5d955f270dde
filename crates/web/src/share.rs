//! Sharing, the page's side: the link a page is opened with, the Share
//! dialog, and opening a `.yaml` file.
//!
//! The link's format and the dialog (link, Markdown, export, the script
//! for a kind cluster) live in `www/share/share.js`, a module imported
//! only when Share is opened or the page is opened with a share link, so
//! the first load does not carry them. This module hands it what the
//! page knows and checks what a link says before the page uses it: a
//! link is input from anyone, so its profile, seed and step are read as
//! values and its YAML only ever reaches the editor as text.

use pvsim_engine::cluster::profile::PROFILES;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;
use yew::Callback;

use crate::js;

const MODULE: &str = "share.js";
/// The largest file the page opens.
const FILE_LIMIT: f64 = 5.0 * 1024.0 * 1024.0;

/// What a share link holds, checked.
#[derive(Debug, PartialEq)]
pub struct Shared {
    pub yaml: String,
    /// `None` for auto.
    pub profile: Option<String>,
    pub seed: Option<u64>,
    pub step: usize,
    /// What the link said that the page could not use, and what it used
    /// instead.
    pub problems: Vec<String>,
}

impl Shared {
    /// Checks the values share.js read from a fragment.
    fn check(yaml: String, profile: &str, seed: &str, step: &str) -> Shared {
        let mut problems = Vec::new();
        let profile = match profile {
            "" | "auto" => None,
            p if PROFILES.iter().any(|(name, _)| *name == p) => Some(p.to_owned()),
            p => {
                problems.push(format!(
                    "The link's cluster profile {p:?} is not one pvsim has; it opens with auto."
                ));
                None
            }
        };
        let seed = match seed {
            "" => None,
            s => s.parse().ok().or_else(|| {
                problems.push(format!(
                    "The link's seed {s:?} is not a whole number from 0 to 18446744073709551615; the scenario's own seed is used."
                ));
                None
            }),
        };
        let step = match step {
            "" => 0,
            s => s.parse().unwrap_or_else(|_| {
                problems.push(format!(
                    "The link's step {s:?} is not a whole number; it opens at the start."
                ));
                0
            }),
        };
        Shared {
            yaml,
            profile,
            seed,
            step,
            problems,
        }
    }
}

/// The address's fragment, when it is a share link.
pub fn fragment() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    hash.contains("yaml=").then_some(hash)
}

/// Takes the fragment off the address (keeping the history entry), so a
/// reload opens what the person has edited since, not the link again.
pub fn forget_fragment() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let (Ok(path), Ok(search)) = (location.pathname(), location.search()) else {
        return;
    };
    if let Ok(history) = window.history() {
        let _ =
            history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{search}")));
    }
}

fn text(object: &JsValue, key: &str) -> String {
    js_sys::Reflect::get(object, &key.into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Reads a share link's fragment; answers with what it holds or why it
/// cannot be opened, in words for the person.
pub fn read(hash: String, done: Callback<Result<Shared, String>>) {
    wasm_bindgen_futures::spawn_local(async move {
        let answer = js::call(MODULE, "read", &[hash.into()]).await.map(|o| {
            Shared::check(
                text(&o, "yaml"),
                &text(&o, "profile"),
                &text(&o, "seed"),
                &text(&o, "step"),
            )
        });
        done.emit(answer);
    });
}

/// A plain JavaScript object with these fields.
pub fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (key, value) in fields {
        let _ = js_sys::Reflect::set(&o, &(*key).into(), value);
    }
    o.into()
}

/// Opens the Share dialog with `data` (see `open` in share.js).
pub fn open(data: JsValue, on_close: Callback<()>, failed: Callback<String>) {
    let on_close = Closure::once_into_js(move || on_close.emit(()));
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = js::call(MODULE, "open", &[data, on_close]).await {
            failed.emit(format!("Share could not be opened: {e}"));
        }
    });
}

/// Reads a chosen or dropped file as text: its name and content.
pub fn read_file(file: web_sys::File, done: Callback<Result<(String, String), String>>) {
    let name = file.name();
    if file.size() > FILE_LIMIT {
        done.emit(Err(format!(
            "{name} is {:.1} MB; pvsim opens files up to 5 MB.",
            file.size() / 1024.0 / 1024.0
        )));
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|t| t.as_string())
            .ok_or_else(|| format!("{name} could not be read as text."));
        done.emit(text.map(|t| (name, t)));
    });
}

#[cfg(test)]
mod tests {
    use super::Shared;

    #[test]
    fn a_link_says_what_it_could_not_use() {
        let s = Shared::check("a: 1\n".into(), "kind", "7", "12");
        assert_eq!(
            (s.profile.as_deref(), s.seed, s.step),
            (Some("kind"), Some(7), 12)
        );
        assert!(s.problems.is_empty());
        let s = Shared::check(String::new(), "<b>x</b>", "-1", "1e3");
        assert_eq!((s.profile, s.seed, s.step), (None, None, 0));
        assert_eq!(s.problems.len(), 3);
        assert!(s.problems[0].contains(r#""<b>x</b>""#), "{:?}", s.problems);
    }
}
