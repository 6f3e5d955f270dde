//! Acting on the cluster by editing the YAML: an action a person takes in
//! the picture (fail a node, write a file, delete a claim) becomes a step
//! of the Scenario's `spec.steps`, so the YAML stays the single source of
//! truth and a replay or a shared link includes it.
//!
//! The step goes where the timeline stands ([`Replay`]): after the steps
//! the run had done by then, with a `wait` for the time it had run since;
//! the steps after that point are dropped, as a version history drops what
//! came after an earlier point one returns to. The rest of the text is
//! kept as the person wrote it: only the lines of `spec.steps` change.
//! Without a Scenario document, one is added at the top.

use std::fmt::Write as _;

use pvsim_engine::scenario::SCENARIO_API_VERSION;
use pvsim_engine::yaml::parse::{Limits, parse_stream};
use pvsim_engine::yaml::tree::{Document, NodeId, NodeKind};

use crate::timeline::{Replay, Wait};

/// A duration as a scenario's `wait` writes it: `1m30s`, `250ms`.
pub fn duration(ms: u64) -> String {
    let mut out = String::new();
    let (h, m, s, rest) = (
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1_000 % 60,
        ms % 1_000,
    );
    for (n, unit) in [(h, "h"), (m, "m"), (s, "s"), (rest, "ms")] {
        if n > 0 {
            let _ = write!(out, "{n}{unit}");
        }
    }
    if out.is_empty() {
        out.push_str("0s");
    }
    out
}

/// The steps to write after the ones kept: the wait, then the action.
fn new_steps(replay: Replay, step: &str) -> Vec<String> {
    let mut steps = Vec::new();
    match replay.wait {
        Wait::None => {}
        Wait::Idle => steps.push("wait: idle".to_owned()),
        Wait::Millis(ms) => steps.push(format!("wait: {}", duration(ms))),
    }
    steps.push(step.to_owned());
    steps
}

/// The Scenario document of the stream, if it has one.
fn scenario(yaml: &str) -> Result<Option<Document>, String> {
    let mut found = None;
    parse_stream(yaml, &Limits::default(), |doc| {
        let Some(root) = doc.root() else { return };
        let text = |key| {
            doc.get(root, key)
                .and_then(|n| doc.scalar(n))
                .map(str::to_owned)
        };
        if found.is_none()
            && text("kind").as_deref() == Some("Scenario")
            && text("apiVersion").as_deref() == Some(SCENARIO_API_VERSION)
        {
            found = Some(doc);
        }
    })
    .map_err(|e| format!("the YAML does not parse ({}): fix it first", e.message))?;
    Ok(found)
}

/// Line `n` (from 1)'s indentation.
fn indent_of(lines: &[&str], line: u32) -> usize {
    lines
        .get(line as usize - 1)
        .map_or(0, |l| l.len() - l.trim_start().len())
}

/// Adds `step` (one line of YAML, such as `failNode: node-a`) to the
/// Scenario's steps at `replay`, and returns the new text.
pub fn with_step(yaml: &str, replay: Replay, step: &str) -> Result<String, String> {
    let items = new_steps(replay, step);
    let Some(doc) = scenario(yaml)? else {
        // No Scenario yet: one at the top, with the steps.
        let mut head = format!(
            "apiVersion: {SCENARIO_API_VERSION}\nkind: Scenario\nmetadata:\n  name: playground\nspec:\n  steps:\n"
        );
        for item in &items {
            let _ = writeln!(head, "  - {item}");
        }
        head.push_str("---\n");
        head.push_str(yaml);
        return Ok(head);
    };
    let lines: Vec<&str> = yaml.split('\n').collect();
    let root = doc.root().ok_or("the Scenario document is empty")?;
    let block = |id: NodeId| {
        !matches!(doc.node(id).kind, NodeKind::Map(_) | NodeKind::Seq(_)) || {
            // A block collection starts on its own line, after its key's.
            let line = doc.node(id).span.start.line;
            lines
                .get(line as usize - 1)
                .is_some_and(|l| !l.trim_start().starts_with(['{', '[']))
        }
    };
    // The lines to replace (from, to: 0-based, `to` excluded) and the
    // indentation of the items written there.
    let (from, to, indent, prefix): (usize, usize, usize, Option<String>);
    match doc.get(root, "spec") {
        None => {
            // Add `spec:` at the end of the document.
            let end = doc_end(&doc, &lines, root);
            (from, to, indent) = (end, end, 2);
            prefix = Some("spec:\n  steps:".into());
        }
        Some(spec) => {
            let root_entries = doc.entries(root);
            let spec_at = root_entries
                .iter()
                .position(|(_, v)| *v == spec)
                .unwrap_or(0);
            let spec_end = entry_end(&doc, &root_entries, spec_at, doc_end(&doc, &lines, root));
            if !matches!(doc.node(spec).kind, NodeKind::Map(_)) || !block(spec) {
                return Err(
                    "the Scenario's spec is not a block mapping: pvsim cannot add a step to it"
                        .into(),
                );
            }
            let entries = doc.entries(spec);
            let key_indent = indent_of(&lines, doc.node(entries[0].0).span.start.line);
            let steps_at = entries
                .iter()
                .position(|(k, _)| doc.scalar(*k) == Some("steps"));
            match steps_at {
                None => {
                    // `steps:` after the spec's last field.
                    let at = before_blank_lines(&lines, spec_end, 0);
                    (from, to, indent) = (at, at, key_indent);
                    prefix = Some(format!("{}steps:", " ".repeat(key_indent)));
                }
                Some(i) => {
                    let (key, value) = entries[i];
                    let key_line = doc.node(key).span.start.line as usize;
                    // Where the steps end: the next key of spec, or the
                    // spec's end.
                    let end = entry_end(&doc, &entries, i, spec_end);
                    match &doc.node(value).kind {
                        NodeKind::Seq(seq) if !seq.is_empty() && block(value) => {
                            let first = doc.node(seq[0]).span.start.line;
                            let item_indent = dash_indent(&lines, first);
                            let keep = (replay.steps as usize).min(seq.len());
                            // Appended after the last item, not after the
                            // blank lines that follow it.
                            let cut = match seq.get(keep) {
                                Some(item) => doc.node(*item).span.start.line as usize - 1,
                                None => before_blank_lines(&lines, end, key_line),
                            };
                            (from, to, indent) = (cut.max(key_line), end, item_indent);
                            prefix = None;
                        }
                        _ => {
                            // `steps:`, `steps: []` or a flow list: written anew.
                            (from, to, indent) = (key_line - 1, end, key_indent);
                            prefix = Some(format!("{}steps:", " ".repeat(key_indent)));
                        }
                    }
                }
            }
        }
    }
    let mut out: Vec<String> = lines[..from].iter().map(|l| (*l).to_owned()).collect();
    // Blank lines and comments that ended the old list stay after it.
    let trailing: Vec<&str> = lines[from..to]
        .iter()
        .rev()
        .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        .copied()
        .collect();
    out.extend(prefix);
    for item in &items {
        out.push(format!("{}- {item}", " ".repeat(indent)));
    }
    out.extend(trailing.into_iter().rev().map(str::to_owned));
    out.extend(lines[to..].iter().map(|l| (*l).to_owned()));
    Ok(out.join("\n"))
}

/// The 0-based line where `entries[i]` of a mapping ends: where the next
/// entry's key starts, or `end` (where the mapping itself ends) after the
/// last one.
fn entry_end(doc: &Document, entries: &[(NodeId, NodeId)], i: usize, end: usize) -> usize {
    entries
        .get(i + 1)
        .map_or(end, |(k, _)| doc.node(*k).span.start.line as usize - 1)
}

/// `at`, moved back over the blank lines before it, but not above `floor`.
fn before_blank_lines(lines: &[&str], mut at: usize, floor: usize) -> usize {
    while at > floor && lines[at - 1].trim().is_empty() {
        at -= 1;
    }
    at
}

/// The column of the `-` of the item starting on `line`.
fn dash_indent(lines: &[&str], line: u32) -> usize {
    let text = lines.get(line as usize - 1).copied().unwrap_or_default();
    text.find('-').unwrap_or(0)
}

/// The 0-based line after the document's last line of content.
fn doc_end(doc: &Document, lines: &[&str], root: NodeId) -> usize {
    let mut end = doc.node(root).span.end.line as usize;
    // A block mapping's span ends where the next document (or the input)
    // starts; step back over a `---`, blank lines and comments.
    end = end.min(lines.len());
    while end > 0 {
        let l = lines[end - 1].trim();
        if l == "---" || l == "..." || l.is_empty() || l.starts_with('#') {
            end -= 1;
        } else {
            break;
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(steps: u32, wait: Wait) -> Replay {
        Replay { steps, wait }
    }

    #[test]
    fn durations_as_a_wait_writes_them() {
        assert_eq!(duration(0), "0s");
        assert_eq!(duration(250), "250ms");
        assert_eq!(duration(90_000), "1m30s");
        assert_eq!(duration(3_600_000 + 1_500), "1h1s500ms");
    }

    #[test]
    fn without_a_scenario_one_is_added_at_the_top() {
        let yaml = "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n";
        let out = with_step(yaml, at(0, Wait::Idle), "failNode: node-a").unwrap();
        assert_eq!(
            out,
            "apiVersion: pvsim.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: playground\nspec:\n  steps:\n  - wait: idle\n  - failNode: node-a\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"
        );
    }

    const STORY: &str = "# a story\napiVersion: pvsim.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: s\nspec:\n  title: T\n  steps:\n  - wait: idle\n  - drain: node-a\n  - wait: idle\n\n  expect:\n  - object: Node/node-a\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n";

    #[test]
    fn later_steps_are_dropped_and_the_rest_kept() {
        let out = with_step(STORY, at(1, Wait::Millis(12_000)), "failNode: node-b").unwrap();
        assert_eq!(
            out,
            "# a story\napiVersion: pvsim.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: s\nspec:\n  title: T\n  steps:\n  - wait: idle\n  - wait: 12s\n  - failNode: node-b\n\n  expect:\n  - object: Node/node-a\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"
        );
    }

    #[test]
    fn at_the_end_the_step_is_appended() {
        let out = with_step(STORY, at(3, Wait::None), "uncordon: node-a").unwrap();
        assert!(
            out.contains("  - wait: idle\n  - drain: node-a\n  - wait: idle\n  - uncordon: node-a\n\n  expect:"),
            "{out}"
        );
    }

    #[test]
    fn the_steps_end_where_the_spec_does() {
        let yaml = "apiVersion: pvsim.dev/v1alpha1\nkind: Scenario\nspec:\n  steps:\n  - wait: idle\nmetadata:\n  name: s\n";
        let out = with_step(yaml, at(1, Wait::None), "cordon: node-a").unwrap();
        assert_eq!(
            out,
            "apiVersion: pvsim.dev/v1alpha1\nkind: Scenario\nspec:\n  steps:\n  - wait: idle\n  - cordon: node-a\nmetadata:\n  name: s\n"
        );
    }

    #[test]
    fn a_scenario_without_steps_gets_them() {
        let yaml = "apiVersion: pvsim.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: s\nspec:\n  title: T\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n";
        let out = with_step(yaml, at(0, Wait::Idle), "cordon: node-a").unwrap();
        assert_eq!(
            out,
            "apiVersion: pvsim.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: s\nspec:\n  title: T\n  steps:\n  - wait: idle\n  - cordon: node-a\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"
        );
        let empty = yaml.replace("  title: T\n", "  title: T\n  steps: []\n");
        let out = with_step(&empty, at(0, Wait::None), "cordon: node-a").unwrap();
        assert!(
            out.contains("  title: T\n  steps:\n  - cordon: node-a\n---"),
            "{out}"
        );
        let no_spec =
            "apiVersion: pvsim.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: s\n---\nkind: X\n";
        let out = with_step(no_spec, at(0, Wait::None), "cordon: node-a").unwrap();
        assert!(out.starts_with("apiVersion: pvsim.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: s\nspec:\n  steps:\n  - cordon: node-a\n---\nkind: X\n"), "{out}");
    }

    #[test]
    fn broken_yaml_is_refused_with_a_reason() {
        let err = with_step("a: [\n", at(0, Wait::None), "cordon: n").unwrap_err();
        assert!(err.starts_with("the YAML does not parse"), "{err}");
    }
}
