//! What the page keeps in the browser's `localStorage`: the theme and the
//! manifest being edited, so that a reload opens where the person left
//! off. Storage may be missing or full (private windows, quotas): then
//! nothing is kept and nothing fails.

const MANIFEST: &str = "pvsim-manifest";
pub const THEME: &str = "pvsim-theme";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

pub fn set(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

pub fn remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// The manifest saved by the last edit, if any.
pub fn manifest() -> Option<String> {
    get(MANIFEST).filter(|m| !m.trim().is_empty())
}

/// Keeps the manifest; `None` forgets it (back to the example).
pub fn save_manifest(text: Option<&str>) {
    match text {
        Some(t) => set(MANIFEST, t),
        None => remove(MANIFEST),
    }
}
