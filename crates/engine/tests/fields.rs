//! The editor's field list (`www/editor/fields.json`, bundled with the
//! editor) is the model's: this test fails when the two differ, and
//! rewrites the file when run with `PVSIM_UPDATE_FIELDS=1`.
#![allow(clippy::disallowed_methods)]

#[test]
fn the_editors_field_list_is_the_models() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/editor/fields.json");
    let want = pvsim_engine::model::schema::fields_json();
    if std::env::var_os("PVSIM_UPDATE_FIELDS").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "www/editor/fields.json is not the model's field list: run\n  PVSIM_UPDATE_FIELDS=1 cargo test -p pvsim-engine --test fields"
    );
}
