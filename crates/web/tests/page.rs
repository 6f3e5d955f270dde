//! The page rendered by Yew in headless Chromium.

use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

async fn render() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    yew::Renderer::<pvsim_web::App>::with_root(host.clone()).render();
    settle().await;
    host
}

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(50)).await;
}

fn text(host: &Element, selector: &str) -> String {
    host.query_selector(selector)
        .unwrap()
        .map(|e| e.text_content().unwrap_or_default())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn opens_with_the_story_and_no_problems() {
    let host = render().await;
    let objects = text(&host, "[data-testid=objects]");
    for name in [
        "PersistentVolume",
        "task-pv-volume",
        "PersistentVolumeClaim",
        "task-pv-claim",
        "Deployment",
        "web",
    ] {
        assert!(objects.contains(name), "{objects}");
    }
    assert!(text(&host, "[data-testid=no-problems]").contains("No problems found"));
    assert_eq!(text(&host, "[data-testid=summary]"), "0 errors, 0 warnings");
}

#[wasm_bindgen_test]
async fn typing_updates_the_diagnostics_and_marks_the_line() {
    let host = render().await;
    let textarea: HtmlTextAreaElement = host
        .query_selector("textarea")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    textarea.set_value("apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: p\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteMany]\n  persistentVolumeReclaimPolicy: Keep\n  nfs: {server: s, path: /x}\n");
    let event = web_sys::InputEvent::new("input").unwrap();
    textarea.dispatch_event(&event).unwrap();
    settle().await;
    let diags = text(&host, "[data-testid=diagnostics]");
    assert!(diags.contains("line 8, column 34"), "{diags}");
    assert!(diags.contains(r#"spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain""#), "{diags}");
    assert_eq!(text(&host, ".pv-ln-error"), "8");
    assert_eq!(text(&host, "[data-testid=summary]"), "1 error, 0 warnings");
}
