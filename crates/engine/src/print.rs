//! Output as kubectl 1.34 prints it: `kubectl get` tables, `kubectl get
//! events`, `-o json` / `-o yaml` lists, and `kubectl describe`
//! ([`describe`]).
//!
//! Tables are those of `kubectl get sc,pv,pvc,pods,nodes -A`: one per kind
//! that has objects, names prefixed with the resource, ages in simulated
//! time. Events are listed oldest first, as `kubectl get events -A
//! --sort-by=.lastTimestamp` lists them.

use std::fmt::Write as _;

mod describe;
pub use describe::{describe, resource_kind};

use crate::Object;
use crate::objects::volume::is_default_class;
use crate::objects::volume::{claim_class, short_mode, volume_class};
use crate::sim::Sim;
use crate::sim::clock::{Millis, human, parse_timestamp};

/// Text aligned as Go's `text/tabwriter` aligns it with no minimum width,
/// spaces for padding and no flags, as kubectl's describers use it.
///
/// A cell is text ended by a tab; the text after a line's last tab is not a
/// cell and is written as it is. Column `c` is aligned over each block of
/// consecutive lines that all have a cell `c` (a line with fewer cells ends
/// the block), to the widest cell of the block plus `padding`; an empty
/// cell is padded too, so an empty value leaves trailing spaces, as kubectl
/// prints them. Widths count characters.
fn tabwrite(text: &str, padding: usize) -> String {
    let lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
    // The number of tab-ended cells of each line, and their widths.
    let cells = |line: usize| lines[line].len() - 1;
    let mut widths: Vec<Vec<usize>> = (0..lines.len()).map(|l| vec![0; cells(l)]).collect();
    // Blocks still to measure: (column, first line, end). A stack rather
    // than recursion, so that a value with many tabs cannot overflow it.
    let mut blocks = vec![(0, 0, lines.len())];
    while let Some((column, from, to)) = blocks.pop() {
        let mut line = from;
        while line < to {
            if cells(line) <= column {
                line += 1;
                continue;
            }
            let start = line;
            let mut width = 0;
            while line < to && cells(line) > column {
                width = width.max(lines[line][column].chars().count() + padding);
                line += 1;
            }
            for w in &mut widths[start..line] {
                w[column] = width;
            }
            blocks.push((column + 1, start, line));
        }
    }
    let mut out = String::with_capacity(text.len());
    for (i, (line, widths)) in lines.iter().zip(&widths).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for (cell, width) in line.iter().zip(widths) {
            let _ = write!(out, "{cell:<width$}");
        }
        out.push_str(line[line.len() - 1]);
    }
    out
}

/// Columns padded like kubectl's tabwriter: three spaces between columns.
fn tabulate(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c + 1 == row.len() {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:<w$}   ", w = widths[c]);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn age(sim: &Sim, object: &Object) -> String {
    let created = object
        .metadata()
        .creation_timestamp
        .as_deref()
        .and_then(parse_timestamp)
        .unwrap_or(0);
    human(sim.now().saturating_sub(created))
}

fn modes(list: &[String]) -> String {
    list.iter()
        .map(|m| short_mode(m))
        .collect::<Vec<_>>()
        .join(",")
}

fn storage(map: &std::collections::BTreeMap<String, crate::Quantity>) -> String {
    map.get("storage")
        .map(ToString::to_string)
        .unwrap_or_default()
}

fn phase_or_terminating(object: &Object, phase: &str) -> String {
    if object.metadata().deletion_timestamp.is_some() {
        "Terminating".into()
    } else {
        phase.into()
    }
}

/// A volume's claim as kubectl shows it: `namespace/name`, or nothing.
fn claim_of(pv: &crate::model::PersistentVolume) -> String {
    pv.spec
        .claim_ref
        .as_ref()
        .map(|r| format!("{}/{}", r.namespace, r.name))
        .unwrap_or_default()
}

/// A pod's STATUS as `kubectl get pods` shows it: Terminating, a waiting
/// container's reason (ContainerCreating), or the phase.
pub fn pod_status(pod: &crate::model::Pod) -> String {
    if pod.metadata.deletion_timestamp.is_some() {
        return "Terminating".into();
    }
    let waiting = pod.status.container_statuses.iter().find_map(|c| {
        c.pointer("/state/waiting/reason")
            .and_then(serde_json::Value::as_str)
    });
    match (pod.status.phase.as_str(), waiting) {
        ("" | "Pending", Some(reason)) => reason.into(),
        ("", None) => "Pending".into(),
        (phase, _) => phase.into(),
    }
}

/// One `kubectl get` table for a kind, or `None` when there are none.
fn table(sim: &Sim, kind: &'static str, wide: bool) -> Option<String> {
    let objects: Vec<&Object> = sim.store().list(kind).collect();
    if objects.is_empty() {
        return None;
    }
    let (prefix, header): (&str, &[&str]) = match kind {
        "StorageClass" => (
            "storageclass.storage.k8s.io",
            &[
                "NAME",
                "PROVISIONER",
                "RECLAIMPOLICY",
                "VOLUMEBINDINGMODE",
                "ALLOWVOLUMEEXPANSION",
                "AGE",
            ],
        ),
        "PersistentVolume" => (
            "persistentvolume",
            &[
                "NAME",
                "CAPACITY",
                "ACCESS MODES",
                "RECLAIM POLICY",
                "STATUS",
                "CLAIM",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "REASON",
                "AGE",
            ],
        ),
        "PersistentVolumeClaim" => (
            "persistentvolumeclaim",
            &[
                "NAMESPACE",
                "NAME",
                "STATUS",
                "VOLUME",
                "CAPACITY",
                "ACCESS MODES",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "AGE",
            ],
        ),
        "Pod" => (
            "pod",
            &["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"],
        ),
        "Node" => ("node", &["NAME", "STATUS", "ROLES", "AGE", "VERSION"]),
        "VolumeAttachment" => (
            "volumeattachment.storage.k8s.io",
            &["NAME", "ATTACHER", "PV", "NODE", "ATTACHED", "AGE"],
        ),
        _ => return None,
    };
    let mut rows = vec![header.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>()];
    if wide && matches!(kind, "PersistentVolume" | "PersistentVolumeClaim") {
        rows[0].push("VOLUMEMODE".into());
    }
    for object in objects {
        let name = format!("{prefix}/{}", object.metadata().name);
        let ns = object.metadata().namespace.clone();
        let vac = |v: &Option<String>| v.clone().unwrap_or_else(|| "<unset>".into());
        let row = match object {
            Object::StorageClass(sc) => {
                let shown = if is_default_class(sc) {
                    format!("{name} (default)")
                } else {
                    name
                };
                vec![
                    shown,
                    sc.provisioner.clone(),
                    sc.reclaim_policy.clone().unwrap_or_default(),
                    sc.volume_binding_mode.clone().unwrap_or_default(),
                    sc.allow_volume_expansion.unwrap_or(false).to_string(),
                    age(sim, object),
                ]
            }
            Object::PersistentVolume(pv) => {
                let mut row = vec![
                    name,
                    storage(&pv.spec.capacity),
                    modes(&pv.spec.access_modes),
                    pv.spec.persistent_volume_reclaim_policy.clone(),
                    phase_or_terminating(object, &pv.status.phase),
                    claim_of(pv),
                    volume_class(pv).to_owned(),
                    vac(&pv.spec.volume_attributes_class_name),
                    pv.status.reason.clone(),
                    age(sim, object),
                ];
                if wide {
                    row.push(pv.spec.volume_mode.clone().unwrap_or_default());
                }
                row
            }
            Object::PersistentVolumeClaim(pvc) => {
                let mut row = vec![
                    ns,
                    name,
                    phase_or_terminating(object, &pvc.status.phase),
                    pvc.spec.volume_name.clone().unwrap_or_default(),
                    storage(&pvc.status.capacity),
                    modes(&pvc.status.access_modes),
                    claim_class(pvc).to_owned(),
                    vac(&pvc.spec.volume_attributes_class_name),
                    age(sim, object),
                ];
                if wide {
                    row.push(pvc.spec.volume_mode.clone().unwrap_or_default());
                }
                row
            }
            Object::Pod(pod) => {
                let total = pod.spec.containers.len();
                let ready = pod
                    .status
                    .container_statuses
                    .iter()
                    .filter(|c| c.get("ready").and_then(serde_json::Value::as_bool) == Some(true))
                    .count();
                vec![
                    ns,
                    name,
                    format!("{ready}/{total}"),
                    pod_status(pod),
                    "0".into(),
                    age(sim, object),
                ]
            }
            Object::Node(node) => {
                let ready = node
                    .status
                    .conditions
                    .iter()
                    .find(|c| c.type_ == "Ready")
                    .map_or("Unknown", |c| {
                        if c.status == "True" {
                            "Ready"
                        } else {
                            "NotReady"
                        }
                    });
                let mut status = ready.to_owned();
                if node.spec.unschedulable {
                    status.push_str(",SchedulingDisabled");
                }
                let roles: Vec<&str> = node
                    .metadata
                    .labels
                    .keys()
                    .filter_map(|k| k.strip_prefix("node-role.kubernetes.io/"))
                    .collect();
                let version = node
                    .status
                    .node_info
                    .as_ref()
                    .and_then(|i| i.get("kubeletVersion"))
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                vec![
                    name,
                    status,
                    if roles.is_empty() {
                        "<none>".into()
                    } else {
                        roles.join(",")
                    },
                    age(sim, object),
                    version,
                ]
            }
            Object::VolumeAttachment(va) => vec![
                name,
                va.spec.attacher.clone(),
                va.spec
                    .source
                    .persistent_volume_name
                    .clone()
                    .unwrap_or_default(),
                va.spec.node_name.clone(),
                va.status.attached.to_string(),
                age(sim, object),
            ],
            _ => return None,
        };
        rows.push(row);
    }
    Some(tabulate(&rows))
}

/// The `kubectl get` tables of every kind that has objects.
pub fn tables(sim: &Sim, wide: bool) -> String {
    const ORDER: [&str; 6] = [
        "StorageClass",
        "PersistentVolume",
        "PersistentVolumeClaim",
        "Pod",
        "Node",
        "VolumeAttachment",
    ];
    ORDER
        .iter()
        .filter_map(|k| table(sim, k, wide))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `LAST SEEN` as kubectl prints it: `5s`, or `2m (x9 over 4m)`.
pub fn last_seen(now: Millis, first: Millis, last: Millis, count: u32) -> String {
    let last_ago = human(now.saturating_sub(last));
    if count > 1 {
        format!(
            "{last_ago} (x{count} over {})",
            human(now.saturating_sub(first))
        )
    } else {
        last_ago
    }
}

/// `kubectl get events -A --sort-by=.lastTimestamp`.
pub fn events(sim: &Sim) -> String {
    let mut records: Vec<_> = sim.events().records().iter().enumerate().collect();
    if records.is_empty() {
        return "No events found.\n".into();
    }
    crate::sort::by_key(&mut records, |(i, r)| (r.last, *i));
    let mut rows = vec![
        [
            "NAMESPACE",
            "LAST SEEN",
            "TYPE",
            "REASON",
            "OBJECT",
            "MESSAGE",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for (_, r) in records {
        rows.push(vec![
            r.namespace.clone(),
            last_seen(sim.now(), r.first, r.last, r.count),
            r.type_.into(),
            r.reason.into(),
            r.object(),
            r.message.clone(),
        ]);
    }
    tabulate(&rows)
}

/// Every object as the API server returns it, then the events: a `v1 List`.
pub fn list(sim: &Sim) -> serde_json::Value {
    let mut items: Vec<serde_json::Value> = Vec::new();
    for info in crate::KINDS {
        for (key, record) in sim.store().all() {
            if key.kind == info.kind {
                items.push(crate::merge_raw(&record.raw, &record.object.to_json()));
            }
        }
    }
    for r in sim.events().records() {
        items.push(serde_json::to_value(r.to_event()).unwrap_or_default());
    }
    serde_json::json!({
        "apiVersion": "v1",
        "kind": "List",
        "items": items,
        "metadata": {"resourceVersion": ""},
    })
}

#[cfg(test)]
mod tests {
    use super::tabwrite;

    #[test]
    fn tabwrite_aligns_each_block_of_lines_as_go_does() {
        // A line without a tab ends the block: `Source:` splits the labels
        // above from those below, and each block has its own width.
        let text = "Name:\tpv\nMessage:\t\nSource:\n    Type:\tHostPath\n    Path:\t/data\nEvents:\t<none>\n";
        assert_eq!(
            tabwrite(text, 2),
            "Name:     pv\nMessage:  \nSource:\n    Type:  HostPath\n    Path:  /data\nEvents:    <none>\n"
        );
        // Text after the last tab is not a cell and is not padded; an empty
        // column is as wide as the padding.
        assert_eq!(
            tabwrite("a\tb\t\tc\nlonger\tx\t\ty\n", 2),
            "a       b    c\nlonger  x    y\n"
        );
    }

    #[test]
    fn tabwrite_takes_any_number_of_tabs() {
        let line = "\t".repeat(200_000);
        assert_eq!(tabwrite(&line, 2).len(), 2 * 200_000);
    }
}
