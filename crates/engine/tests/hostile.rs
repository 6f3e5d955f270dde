//! The worst inputs end quickly, with a clear message naming the limit, and
//! never with a panic or a stack overflow.

use std::fmt::Write as _;

use pvsim_engine::{Severity, Status, load};

fn only_error(src: &[u8]) -> String {
    let loaded = load("h.yaml", src);
    let errors: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{:?}", loaded.diagnostics);
    errors[0].message.clone()
}

#[test]
fn deep_block_nesting() {
    let src = format!("{}x\n", "- ".repeat(10_000));
    assert!(only_error(src.as_bytes()).contains("deeper than 100 levels"));
    let mut mapping = String::new();
    for depth in 0..1_000 {
        mapping.push_str(&" ".repeat(depth));
        mapping.push_str("a:\n");
    }
    assert!(only_error(mapping.as_bytes()).contains("deeper than 100 levels"));
}

#[test]
fn deep_flow_nesting() {
    let src = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(only_error(src.as_bytes()).contains("nesting is deeper than"));
}

#[test]
fn billion_laughs() {
    let mut src = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        let _ = writeln!(src, "a{i}: &a{i} [{}]", vec![prev; 9].join(", "));
    }
    assert!(only_error(src.as_bytes()).contains("limit on alias expansion"));
}

/// `n` small claims, 172 bytes each, one document apiece: the size limit
/// bounds the work, not the number of documents.
fn claims(n: usize) -> String {
    let mut src = String::new();
    for i in 0..n {
        let _ = write!(
            src,
            "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: claim-{i:05}, namespace: team-{}}}\nspec: {{accessModes: [ReadWriteOnce], resources: {{requests: {{storage: 1Gi}}}}}}\n",
            i % 10
        );
    }
    src
}

#[test]
fn forty_thousand_documents_load() {
    let src = claims(40_000);
    assert!(
        src.len() > 6_000_000 && src.len() < 16 * 1024 * 1024,
        "{}",
        src.len()
    );
    let loaded = load("h.yaml", src.as_bytes());
    assert!(
        loaded.diagnostics.is_empty(),
        "{:?}",
        &loaded.diagnostics[..1]
    );
    assert_eq!(loaded.entries.len(), 40_000);
    assert!(loaded.entries.iter().all(|e| e.status == Status::Accepted));
    assert_eq!(loaded.entries[39_999].name, "claim-39999");
}

#[test]
fn many_documents_past_the_size_limit_are_refused() {
    let src = claims(120_000);
    assert!(src.len() > 16 * 1024 * 1024);
    assert!(only_error(src.as_bytes()).contains("limit of 16777216 bytes"));
}

#[test]
fn a_ten_megabyte_file_loads() {
    let one = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  k: \""
        .to_owned()
        + &"x".repeat(1_000_000)
        + "\"\n";
    let src = one.repeat(10);
    assert!(src.len() > 10_000_000);
    let loaded = load("h.yaml", src.as_bytes());
    assert_eq!(loaded.entries.len(), 10);
    assert!(!loaded.has_errors());
}

#[test]
fn oversized_input_is_refused() {
    let src = "#".repeat(17 * 1024 * 1024);
    assert!(only_error(src.as_bytes()).contains("limit of 16777216 bytes"));
}

#[test]
fn invalid_utf8_names_the_byte_and_line() {
    let loaded = load("h.yaml", b"apiVersion: v1\nkind: \xff\n");
    let d = &loaded.diagnostics[0];
    assert_eq!((d.line, d.column), (2, 7));
    assert!(d.message.contains("not valid UTF-8"));
}

#[test]
fn nul_byte() {
    let loaded = load("h.yaml", b"apiVersion: v1\nkind: Pod\x00\n");
    assert_eq!(
        (loaded.diagnostics[0].line, loaded.diagnostics[0].column),
        (2, 10)
    );
    assert!(loaded.diagnostics[0].message.contains("NUL"));
}

#[test]
fn recursive_alias() {
    let loaded = load("h.yaml", b"a: &x [*x]\n");
    assert!(loaded.has_errors());
}
