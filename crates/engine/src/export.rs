//! `pvsim export kind`: a scenario as one POSIX shell script that runs it
//! on a real cluster made with kind (Kubernetes in Docker), for a person
//! who has seen it in pvsim and wants to see it for real.
//!
//! The script writes a kind configuration with a control-plane node and one
//! worker per simulated worker node (with its zone and region labels), and
//! the input's documents as they were written, less the Scenario; the
//! objects of each `apply` step go in a file of their own. It creates the
//! cluster, applies the manifests and replays each step with kubectl, or
//! with docker for a node that fails or recovers (a kind node is a
//! container). It ends with what a real cluster does differently.
//!
//! pvsim runs the scenario once to write the script: a `wait: idle` becomes
//! a sleep as long as pvsim's wait took, then a `kubectl wait` for the pods
//! when pvsim had every pod Running there (a `sleep` of at least 30 s
//! otherwise); a data step carries what pvsim wrote or read as a comment; a
//! step pvsim refused does not stop the script.
//!
//! Simplifications: pvsim's clock is simulated, so the sleeps are pvsim's
//! durations, not the real cluster's. kind names its nodes itself, so a
//! manifest that names a simulated node must be edited by hand (the script
//! says which names it found, by a plain search of the text). Node labels
//! other than zone and region are not carried over. kind's only
//! provisioner is `rancher.io/local-path`: classes on other provisioners are
//! named in the notes, not installed. A node or pod picked by a selector is
//! the first Running pod by name, terminating or not. Without the input's
//! text, its objects are written anew from what was parsed, without
//! comments.

use std::fmt::Write as _;

use serde_json::Value;

use crate::cluster::backends::ZONE_LABEL;
use crate::controllers::attach_detach::FORCE_DETACH_AFTER;
use crate::controllers::node_lifecycle::NODE_MONITOR_GRACE;
use crate::diagnostic::{Diagnostic, Severity};
use crate::load::{Entry, Loaded};
use crate::model::StorageClass;
use crate::object::Object;
use crate::objects::volume::is_default_class;
use crate::scenario::{
    DataStep, NodeTarget, NodeVerb, RunOptions, Runner, Step, Until, is_scenario, read_step,
};
use crate::sim::Sim;
use crate::sim::clock::{Millis, SECOND, human};
use crate::sim::store::ObjKey;
use crate::yaml::to_yaml;

/// The kind cluster's name; kind derives its node names from it.
const CLUSTER: &str = "pvsim";
const REGION_LABEL: &str = "topology.kubernetes.io/region";
const LOCAL_PATH: &str = "rancher.io/local-path";
/// Provisioners a kind cluster has: its default class's, and the name of
/// classes whose volumes an administrator makes.
const KIND_PROVISIONERS: [&str; 2] = [LOCAL_PATH, "kubernetes.io/no-provisioner"];
/// The default toleration of the unreachable and not-ready taints.
const EVICTION_AFTER: Millis = 300 * SECOND;

/// A script, with what pvsim found on the way.
#[derive(Clone, Debug)]
pub struct Script {
    /// The shell script.
    pub text: String,
    /// Which profile pvsim simulated on and what it added, in one line.
    pub profile: String,
    /// The input's diagnostics, and the runner's own about it.
    pub diagnostics: Vec<Diagnostic>,
    /// Requests pvsim's API server refused, in its words.
    pub refused: Vec<String>,
}

impl Script {
    /// Exit status 1: some object or step was refused, or the input did not
    /// parse.
    pub fn failed(&self) -> bool {
        !self.refused.is_empty()
            || self
                .diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error)
    }
}

/// The script that runs `loaded` on kind. `sources` holds each file's name
/// and text, so that documents are written as they were; a file without
/// its text has its objects written anew. `Err` for an unknown profile.
pub fn kind(
    loaded: &Loaded,
    sources: &[(&str, &str)],
    options: &RunOptions,
) -> Result<Script, String> {
    let options = RunOptions {
        until: None,
        snapshots: false,
        ..options.clone()
    };
    let mut runner = Runner::new(loaded, &options)?;
    let scenario = runner.scenario().clone();
    let raw_steps = loaded
        .entries
        .iter()
        .find(|e| is_scenario(&e.kind, &e.api_version))
        .and_then(|e| e.raw.pointer("/spec/steps"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let places = places(runner.sim());
    let (manifests, nodes_kept) = manifests(loaded, sources);
    let step_files: Vec<(usize, String)> = raw_steps
        .iter()
        .enumerate()
        .filter_map(|(i, raw)| {
            let apply = raw.get("apply")?;
            let objects = apply.is_string() || apply.is_object() || apply.is_array();
            objects.then(|| (i + 1, step_text(apply)))
        })
        .collect();

    let mut out = String::from("#!/bin/sh\n");
    let mut files: Vec<&str> = sources.iter().map(|(name, _)| *name).collect();
    for e in &loaded.entries {
        if !files.contains(&e.file.as_str()) {
            files.push(&e.file);
        }
    }
    let _ = writeln!(
        out,
        "# Generated by pvsim from {}.",
        one_line(&files.join(", "))
    );
    if !scenario.title.is_empty() {
        let _ = writeln!(out, "# Scenario: {}", one_line(&scenario.title));
    }
    let _ = writeln!(
        out,
        "# pvsim simulated it on {}.",
        one_line(runner.profile())
    );
    out.push_str(
        "#
# This script runs the same on a real cluster made with kind. It needs
# docker, kind and kubectl. It writes kind-config.yaml and the manifests in
# the current directory, creates the kind cluster \"pvsim\", applies the
# manifests and replays the scenario's steps. Save it to a file and run
# it with sh, for example: sh scenario.sh
# It stops at the first command that fails, such as a kubectl wait for pods
# that pvsim had Running: the cluster stays as it is, for a look. Delete it
# afterwards with: kind delete cluster --name pvsim
set -eu

# Every kubectl command below goes to the kind cluster, whatever the
# current context.
kubectl() { command kubectl --context kind-pvsim \"$@\"; }

",
    );
    node_table(&mut out, &places, &manifests, &step_files);

    let mut config = String::from("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n");
    for p in &places {
        let role = if p.control { "control-plane" } else { "worker" };
        let _ = writeln!(config, "- role: {role}");
        if !p.labels.is_empty() {
            config.push_str("  labels:\n");
            for (k, v) in &p.labels {
                let _ = writeln!(config, "    {k}: {}", crate::yaml::emit::string(v));
            }
        }
    }
    heredoc(&mut out, "kind-config.yaml", &config);
    if !manifests.is_empty() {
        heredoc(&mut out, "manifests.yaml", &manifests);
    }
    for (n, text) in &step_files {
        heredoc(&mut out, &format!("step-{n}.yaml"), text);
    }
    let _ = writeln!(
        out,
        "kind create cluster --name {CLUSTER} --config kind-config.yaml"
    );
    let mut notes = String::new();
    classes(&mut out, &mut notes, runner.sim(), loaded);
    for ns in namespaces(loaded) {
        let _ = writeln!(out, "kubectl create namespace {}", quote(ns));
    }
    out.push_str(
        "# The API server refuses pods until their namespace's default service\n\
         # account exists, a few seconds after the cluster starts.\n\
         until kubectl get serviceaccount default >/dev/null 2>&1; do sleep 1; done\n",
    );
    if loaded
        .entries
        .iter()
        .any(|e| e.kind == "Node" && e.step.is_none())
    {
        out.push_str(if nodes_kept {
            "# WARNING: manifests.yaml holds Node objects in a List with other objects:\n\
             # delete them first, since kind's own nodes stand for them.\n"
        } else {
            "# The input's Node objects are left out: kind's own nodes stand for them.\n"
        });
    }
    let from_cluster = loaded.entries.iter().any(|e| {
        e.step.is_none()
            && !left_out(e)
            && e.raw
                .pointer("/metadata/resourceVersion")
                .and_then(Value::as_str)
                .is_some_and(|v| !v.is_empty())
    });
    if from_cluster {
        out.push_str(
            "# WARNING: objects of the input carry metadata.resourceVersion, as kubectl get\n\
             # prints them, and the API server refuses to create such an object: delete\n\
             # those lines from manifests.yaml first.\n",
        );
    }
    if !manifests.is_empty() {
        let refused = runner.refused();
        if refused.is_empty() {
            out.push_str("kubectl apply -f manifests.yaml\n");
        } else {
            refusals(&mut out, refused);
            out.push_str("kubectl apply -f manifests.yaml || true\n");
        }
    }

    let data_steps = replay(&mut out, &mut runner, &raw_steps, loaded, &places);

    let start = runner.sim().now();
    while runner.complete_step() {}
    let sim = runner.sim();
    out.push_str("\n# The end, as `pvsim run` shows it.\n");
    if sim.now() > start || raw_steps.is_empty() {
        wait_idle(&mut out, sim, sim.now() - start);
    }
    out.push_str("kubectl get pv\n");
    for ns in shown_namespaces(loaded) {
        let ns = quote(ns);
        let _ = writeln!(out, "kubectl get pvc,pods -o wide -n {ns}");
        let _ = writeln!(out, "kubectl events -n {ns}");
    }

    let _ = write!(
        out,
        "
# What a real cluster does differently
#
# - Time: pvsim's clock is simulated, and the sleeps above are pvsim's
#   durations. On a real cluster pulling images, provisioning, attaching
#   and mounting take real time, so a step may come before the cluster is
#   where pvsim was. The node controller's timers are real too: a stopped
#   node is marked NotReady {} after its kubelet stops reporting, its pods
#   are evicted {} after that, and a volume still attached to a node that
#   is not Ready is detached by force {} after its pod is deleted.
# - Storage: kind has one provisioner, {LOCAL_PATH}, behind its
#   default StorageClass \"standard\": WaitForFirstConsumer, and each volume
#   is a directory on the node of the first pod that uses it, so a pod
#   cannot move to another node with its data.
{notes}# - Images are pulled from their registries for real.{}
",
        human(NODE_MONITOR_GRACE),
        human(EVICTION_AFTER),
        human(FORCE_DETACH_AFTER),
        if data_steps {
            " writeData and readData\n#   run sh and cat in the pod's first container: its image needs them."
        } else {
            ""
        },
    );
    Ok(Script {
        text: out,
        profile: runner.profile().to_owned(),
        diagnostics: runner.diagnostics().to_vec(),
        refused: runner.refused().to_vec(),
    })
}

/// Each step of the scenario as commands, run in pvsim as it goes: a
/// `wait: idle` takes as long as pvsim's, a data step carries what pvsim
/// saw, a refused step does not stop the script. `true` when a step reads
/// or writes data.
fn replay(
    out: &mut String,
    runner: &mut Runner,
    raw_steps: &[Value],
    loaded: &Loaded,
    places: &[Place],
) -> bool {
    let bare_pods = loaded.entries.iter().any(|e| {
        e.kind == "Pod"
            && e.raw
                .pointer("/metadata/ownerReferences")
                .is_none_or(|o| o.as_array().is_some_and(Vec::is_empty))
    });
    let mut data_steps = false;
    for (i, raw) in raw_steps.iter().enumerate() {
        let n = i + 1;
        let _ = writeln!(out, "\n# Step {n}: {}", step_label(raw, loaded, i));
        let step = match read_step(raw, i) {
            Ok(step) => step,
            Err(e) => {
                let _ = writeln!(
                    out,
                    "# pvsim could not read this step and skipped it: {}",
                    one_line(&e)
                );
                continue;
            }
        };
        let (start, steps, refused) = (
            runner.sim().now(),
            runner.sim().steps().len(),
            runner.refused().len(),
        );
        runner.complete_step();
        let sim = runner.sim();
        if let Step::Wait(until) = step {
            match until {
                Until::Idle => wait_idle(out, sim, sim.now() - start),
                Until::Time(d) => {
                    let _ = writeln!(out, "sleep {}", seconds(d));
                }
            }
            continue;
        }
        data_steps |= matches!(step, Step::Data(_));
        let mut commands = String::new();
        act(&mut commands, &step, n, places, bare_pods);
        // What pvsim saw: a data step's event, and any refusal.
        let events = sim.steps().get(steps).map_or(&[][..], |s| &s.events[..]);
        if matches!(step, Step::Data(_)) {
            for &e in events {
                let r = &sim.events().records()[e];
                let _ = writeln!(out, "# pvsim: {}: {}", r.reason, one_line(&r.message));
            }
        }
        let refused = &runner.refused()[refused..];
        if refused.is_empty() {
            out.push_str(&commands);
        } else {
            refusals(out, refused);
            if commands.lines().count() == 1 {
                let _ = writeln!(out, "{} || true", commands.trim_end());
            } else {
                let _ = writeln!(out, "(\n{commands}) || true");
            }
        }
    }
    data_steps
}

/// `s` as one shell word: as it is when every character is one the shell
/// takes literally, else in single quotes, each `'` written `'\''`.
fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-./:=@%+,".contains(&b));
    if plain {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// Text for a comment: one line, whatever it holds.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Whole seconds, rounded up.
fn seconds(d: Millis) -> Millis {
    d.div_ceil(SECOND)
}

/// `cat > FILE <<'EOF'`, the text, and a delimiter the text does not hold.
fn heredoc(out: &mut String, file: &str, text: &str) {
    let mut delimiter = String::from("EOF");
    let mut n = 1;
    while text.contains(&delimiter) {
        n += 1;
        delimiter = format!("EOF{n}");
    }
    let _ = writeln!(out, "cat > {file} <<'{delimiter}'");
    out.push_str(text);
    if !text.ends_with('\n') {
        out.push('\n');
    }
    let _ = writeln!(out, "{delimiter}\n");
}

/// The lines of the API server's refusals, as comments.
fn refusals(out: &mut String, refused: &[String]) {
    out.push_str("# pvsim's API server refused this; the script goes on if kind's does too:\n");
    for r in refused {
        let _ = writeln!(out, "#   {}", one_line(r));
    }
}

/// A simulated node and the kind node that stands for it.
struct Place {
    /// Empty for kind's control plane when the simulation has none.
    sim: String,
    kind: String,
    control: bool,
    labels: Vec<(&'static str, String)>,
}

/// The simulated cluster's nodes at the start, control plane first, with
/// the names kind gives them: `pvsim-control-plane`, `pvsim-worker`,
/// `pvsim-worker2`, ...
fn places(sim: &Sim) -> Vec<Place> {
    let mut control = Vec::new();
    let mut workers = Vec::new();
    for o in sim.store().list("Node") {
        let Object::Node(n) = o else { continue };
        let labels = &n.metadata.labels;
        let is_control = labels.contains_key("node-role.kubernetes.io/control-plane")
            || labels.contains_key("node-role.kubernetes.io/master");
        let place = Place {
            sim: n.metadata.name.clone(),
            kind: String::new(),
            control: is_control,
            labels: [ZONE_LABEL, REGION_LABEL]
                .into_iter()
                .filter_map(|k| Some((k, labels.get(k)?.clone())))
                .collect(),
        };
        if is_control {
            control.push(place);
        } else {
            workers.push(place);
        }
    }
    if control.is_empty() {
        control.push(Place {
            sim: String::new(),
            kind: String::new(),
            control: true,
            labels: Vec::new(),
        });
    }
    for (role, list) in [("control-plane", &mut control), ("worker", &mut workers)] {
        for (i, p) in list.iter_mut().enumerate() {
            p.kind = match i {
                0 => format!("{CLUSTER}-{role}"),
                _ => format!("{CLUSTER}-{role}{}", i + 1),
            };
        }
    }
    control.extend(workers);
    control
}

/// The comment that maps simulated nodes to kind's, and warns of the
/// simulated names the manifests hold.
fn node_table(out: &mut String, places: &[Place], manifests: &str, steps: &[(usize, String)]) {
    out.push_str("# kind names its nodes itself; the commands below use its names.\n");
    let width = places
        .iter()
        .map(|p| p.sim.len())
        .max()
        .unwrap_or(0)
        .max(14);
    let _ = writeln!(out, "#   {:<width$}  kind node", "simulated node");
    let mut named = Vec::new();
    for p in places {
        if p.sim.is_empty() {
            let _ = writeln!(out, "#   {:<width$}  {}", "(none)", p.kind);
            continue;
        }
        let _ = writeln!(out, "#   {:<width$}  {}", one_line(&p.sim), p.kind);
        let mentioned =
            mentions(manifests, &p.sim) || steps.iter().any(|(_, text)| mentions(text, &p.sim));
        if p.sim != p.kind && mentioned {
            named.push(format!("{} -> {}", one_line(&p.sim), p.kind));
        }
    }
    out.push_str(if places.iter().all(|p| p.control) {
        "# With no workers, pods run on kind's control plane.\n"
    } else {
        "# kind's control plane runs no pods while there are workers.\n"
    });
    if !named.is_empty() {
        out.push_str(
            "# WARNING: the manifests name simulated nodes (in a nodeName, a node\n\
             # affinity or a volume's node affinity, for example), and kind cannot give\n\
             # its nodes those names. Change each in the files below before running:\n",
        );
        for line in named {
            let _ = writeln!(out, "#   {line}");
        }
    }
    out.push('\n');
}

/// Whether `text` holds `name` as a whole word (not inside a longer name).
fn mentions(text: &str, name: &str) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    !name.is_empty()
        && text.match_indices(name).any(|(i, _)| {
            !word(text[..i].chars().next_back()) && !word(text[i + name.len()..].chars().next())
        })
}

/// Documents the manifests leave out: the Scenario, and Nodes, which
/// kind's own nodes stand for.
fn left_out(e: &Entry) -> bool {
    is_scenario(&e.kind, &e.api_version) || e.kind == "Node"
}

/// The input's documents as written, less those [`left_out`]: each file's
/// text cut into documents, or, for a file whose text is not given, its
/// objects written anew. `true` with it when a document kept holds a Node
/// (a `kind: List` with other objects).
fn manifests(loaded: &Loaded, sources: &[(&str, &str)]) -> (String, bool) {
    let mut files: Vec<&str> = Vec::new();
    for e in &loaded.entries {
        if e.step.is_none() && !left_out(e) && !files.contains(&&*e.file) {
            files.push(&e.file);
        }
    }
    let mut out = String::new();
    let mut nodes_kept = false;
    for file in &files {
        if !out.is_empty() {
            out.push_str("---\n");
        }
        if files.len() > 1 {
            let _ = writeln!(out, "# {}", one_line(file));
        }
        let in_file = || {
            loaded
                .entries
                .iter()
                .filter(|e| e.file == *file && e.step.is_none())
        };
        if let Some((_, text)) = sources.iter().find(|(name, _)| name == file) {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            let mut lines: Vec<(u32, bool, bool)> = in_file()
                .map(|e| (e.line, left_out(e), e.kind == "Node"))
                .collect();
            crate::sort::stable(&mut lines);
            let docs = documents(text);
            for (i, (line, doc)) in docs.iter().enumerate() {
                let end = docs.get(i + 1).map_or(u32::MAX, |(next, _)| *next);
                let from = lines.partition_point(|l| l.0 < *line);
                let to = lines.partition_point(|l| l.0 < end);
                let inside = &lines[from..to];
                if inside.is_empty() || !inside.iter().all(|l| l.1) {
                    nodes_kept |= inside.iter().any(|l| l.2);
                    out.push_str(doc);
                }
            }
        } else {
            let objects = in_file().filter(|e| !left_out(e) && !e.raw.is_null());
            for (i, e) in objects.enumerate() {
                if i > 0 {
                    out.push_str("---\n");
                }
                out.push_str(&to_yaml(&e.raw));
            }
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    (out, nodes_kept)
}

/// A YAML stream cut into its documents as written, each with the line it
/// starts on: before each `---` line and after each `...` line, markers
/// YAML allows only there (never inside a value).
fn documents(text: &str) -> Vec<(u32, &str)> {
    let marker = |l: &str, m: &str| {
        l.strip_prefix(m)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
    };
    let mut docs = Vec::new();
    let (mut start, mut start_line) = (0, 1);
    let (mut offset, mut line) = (0, 1);
    for l in text.split_inclusive('\n') {
        if marker(l, "---") && offset > start {
            docs.push((start_line, &text[start..offset]));
            (start, start_line) = (offset, line);
        }
        offset += l.len();
        line += 1;
        if marker(l, "...") {
            docs.push((start_line, &text[start..offset]));
            (start, start_line) = (offset, line);
        }
    }
    if start < text.len() {
        docs.push((start_line, &text[start..]));
    }
    docs
}

/// The objects of an `apply` step: its YAML text as written, or its
/// inline objects written anew.
fn step_text(apply: &Value) -> String {
    match apply {
        Value::String(text) => text.clone(),
        Value::Array(objects) => {
            let mut out = String::new();
            for (i, o) in objects.iter().enumerate() {
                if i > 0 {
                    out.push_str("---\n");
                }
                out.push_str(&to_yaml(o));
            }
            out
        }
        other => to_yaml(other),
    }
}

/// A step as its comment names it: `wait: idle`, `failNode: {"nodeOf":...}`.
fn step_label(raw: &Value, loaded: &Loaded, i: usize) -> String {
    let Some((verb, arg)) = raw.as_object().and_then(|m| m.iter().next()) else {
        return one_line(&raw.to_string());
    };
    if verb == "apply" {
        let n = loaded.entries.iter().filter(|e| e.step == Some(i)).count();
        let objects = if n == 1 { "object" } else { "objects" };
        return format!("apply: {n} {objects}, written to step-{}.yaml", i + 1);
    }
    match arg.as_str() {
        Some(text) => format!("{verb}: {}", one_line(text)),
        None => format!("{verb}: {arg}"),
    }
}

/// The commands of a person's step.
fn act(out: &mut String, step: &Step, n: usize, places: &[Place], bare_pods: bool) {
    match step {
        Step::Apply(_) => {
            let _ = writeln!(out, "kubectl apply -f step-{n}.yaml");
        }
        Step::Delete(key) => {
            let name = match key.kind {
                "Node" => kind_node(places, &key.name),
                _ => quote(&key.name),
            };
            let _ = writeln!(
                out,
                "kubectl delete {} {name}{} --wait=false",
                key.kind.to_ascii_lowercase(),
                namespace_flag(key)
            );
        }
        Step::Scale(key, replicas) => {
            let _ = writeln!(
                out,
                "kubectl scale {}/{} --replicas={replicas}{}",
                key.kind.to_ascii_lowercase(),
                quote(&key.name),
                namespace_flag(key)
            );
        }
        Step::Data(d) => data(out, d),
        Step::Node(verb, target) => {
            let node = node_word(out, target, places);
            let _ = match verb {
                NodeVerb::Fail => writeln!(out, "docker stop {node}"),
                NodeVerb::Recover => writeln!(out, "docker start {node}"),
                NodeVerb::Cordon => writeln!(out, "kubectl cordon {node}"),
                NodeVerb::Uncordon => writeln!(out, "kubectl uncordon {node}"),
                NodeVerb::Drain => {
                    let force = if bare_pods {
                        out.push_str(
                            "# --force: kubectl drain refuses pods no controller manages unless forced; pvsim evicts them.\n",
                        );
                        " --force"
                    } else {
                        ""
                    };
                    writeln!(
                        out,
                        "kubectl drain {node} --ignore-daemonsets --delete-emptydir-data{force}"
                    )
                }
                NodeVerb::TaintOutOfService => writeln!(
                    out,
                    "kubectl taint nodes {node} node.kubernetes.io/out-of-service=nodeshutdown:NoExecute --overwrite"
                ),
                NodeVerb::Delete => {
                    out.push_str(
                        "# A kubelet that still runs registers its node again; a stopped node's does not.\n",
                    );
                    writeln!(out, "kubectl delete node {node}")
                }
            };
        }
        Step::Wait(_) => {}
    }
}

/// ` -n NAMESPACE` for a namespaced object.
fn namespace_flag(key: &ObjKey) -> String {
    if key.namespace.is_empty() {
        String::new()
    } else {
        format!(" -n {}", quote(&key.namespace))
    }
}

/// The kind name of a simulated node, as a shell word; a name the
/// simulation does not know as it is.
fn kind_node(places: &[Place], name: &str) -> String {
    places
        .iter()
        .find(|p| p.sim == name)
        .map_or_else(|| quote(name), |p| p.kind.clone())
}

/// The shell word for a step's node; for a node found through a pod, the
/// commands that find it first.
fn node_word(out: &mut String, target: &NodeTarget, places: &[Place]) -> String {
    match target {
        NodeTarget::Name(name) => return kind_node(places, name),
        NodeTarget::NodeOf(ns, pod) => {
            let _ = writeln!(
                out,
                "node=$(kubectl get pod -n {} {} -o jsonpath='{{.spec.nodeName}}')",
                quote(ns),
                quote(pod)
            );
        }
        NodeTarget::NodeOfSelected(ns, selector) => {
            let _ = writeln!(
                out,
                "node=$(kubectl get pod -n {} -l {} --field-selector=status.phase=Running -o jsonpath='{{.items[0].spec.nodeName}}')",
                quote(ns),
                quote(&crate::objects::selector::selector_text(selector))
            );
        }
    }
    out.push_str(": \"${node:?the pod is on no node}\"\n");
    "\"$node\"".into()
}

/// writeData and readData: `kubectl exec` in the pod, named or found by
/// its selector.
fn data(out: &mut String, d: &DataStep) {
    let (namespace, pod) = match (&d.pod, &d.selector) {
        (Some(p), _) => {
            let (ns, name) = p.split_once('/').unwrap_or((&d.namespace, p));
            (ns, quote(name))
        }
        (None, selector) => {
            let selector = selector
                .as_ref()
                .map(crate::objects::selector::selector_text);
            let _ = writeln!(
                out,
                "pod=$(kubectl get pod -n {} -l {} --field-selector=status.phase=Running -o jsonpath='{{.items[0].metadata.name}}')",
                quote(&d.namespace),
                quote(&selector.unwrap_or_default())
            );
            out.push_str(": \"${pod:?no Running pod matches}\"\n");
            (d.namespace.as_str(), "\"$pod\"".into())
        }
    };
    let exec = format!("kubectl exec -n {} {pod} --", quote(namespace));
    if d.write {
        let _ = writeln!(
            out,
            "{exec} sh -c 'printf %s \"$1\" > \"$2\"' sh {} {}",
            quote(&d.content),
            quote(&d.path)
        );
    } else {
        let _ = writeln!(out, "{exec} cat {} || true", quote(&d.path));
    }
}

/// A `wait: idle`: pvsim's time, then a `kubectl wait` for the pods when
/// pvsim had them all Running, else a sleep of at least 30 s.
fn wait_idle(out: &mut String, sim: &Sim, took: Millis) {
    let mut running: Vec<&str> = Vec::new();
    let mut others: Vec<String> = Vec::new();
    for o in sim.store().list("Pod") {
        let Object::Pod(p) = o else { continue };
        let status = crate::print::pod_status(p);
        if status == "Running" {
            if !running.contains(&p.metadata.namespace.as_str()) {
                running.push(&p.metadata.namespace);
            }
        } else {
            others.push(format!(
                "{}/{} {status}",
                p.metadata.namespace, p.metadata.name
            ));
        }
    }
    let _ = write!(
        out,
        "# pvsim waited until nothing was left to do: {} of simulated time",
        human(took)
    );
    if others.is_empty() && !running.is_empty() {
        out.push_str(", with every pod Running.\n");
        if seconds(took) > 0 {
            let _ = writeln!(out, "sleep {}", seconds(took));
        }
        for ns in running {
            let _ = writeln!(
                out,
                "kubectl wait --for=condition=Ready pod --all -n {} --timeout=5m",
                quote(ns)
            );
        }
        return;
    }
    if others.is_empty() {
        out.push_str(". No pod to wait for");
    } else {
        let more = others.len().saturating_sub(5);
        others.truncate(5);
        let _ = write!(
            out,
            ". Pods not Running then: {}",
            one_line(&others.join(", "))
        );
        if more > 0 {
            let _ = write!(out, " and {more} more");
        }
    }
    out.push_str(".\n");
    let _ = writeln!(out, "sleep {}", seconds(took).max(30));
}

/// Namespaces the input uses but does not create, other than kind's own.
fn namespaces(loaded: &Loaded) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for e in &loaded.entries {
        let ns = e.namespace.as_str();
        let builtin = matches!(
            ns,
            "" | "default" | "kube-system" | "kube-public" | "kube-node-lease"
        );
        if !builtin && !out.contains(&ns) {
            out.push(ns);
        }
    }
    out.retain(|ns| {
        !loaded
            .entries
            .iter()
            .any(|e| e.kind == "Namespace" && e.name == *ns)
    });
    out
}

/// Namespaces whose claims and pods the end of the script shows.
fn shown_namespaces(loaded: &Loaded) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for e in &loaded.entries {
        if !e.namespace.is_empty() && !out.contains(&e.namespace.as_str()) {
            out.push(&e.namespace);
        }
    }
    if out.is_empty() {
        out.push(crate::DEFAULT_NAMESPACE);
    }
    out
}

/// What kind's StorageClass "standard" becomes before the manifests are
/// applied (`out`), and a note on each class of the scenario whose
/// provisioner kind lacks (`notes`).
fn classes(out: &mut String, notes: &mut String, start: &Sim, loaded: &Loaded) {
    let mut input: Vec<&StorageClass> = Vec::new();
    let mut claims: Vec<Option<String>> = Vec::new();
    for e in &loaded.entries {
        if let Some(Object::StorageClass(sc)) = e.object.as_deref()
            && !input.iter().any(|c| c.metadata.name == sc.metadata.name)
        {
            input.push(sc);
        }
        if !is_scenario(&e.kind, &e.api_version) {
            claim_classes(&e.raw, &mut claims);
        }
    }
    if input.iter().any(|c| c.metadata.name == "standard") {
        out.push_str(
            "# The input has its own StorageClass \"standard\"; kind's goes first, since\n\
             # a class's provisioner and parameters cannot be changed.\n\
             kubectl delete storageclass standard\n",
        );
    } else if start.store().default_class().is_none() {
        out.push_str(
            "# pvsim's cluster has no default StorageClass: kind's \"standard\" stops being\n\
             # the default, so that claims that name no class wait as they did in pvsim.\n\
             kubectl annotate storageclass standard storageclass.kubernetes.io/is-default-class=false --overwrite\n",
        );
    }
    for sc in &input {
        if !KIND_PROVISIONERS.contains(&sc.provisioner.as_str()) {
            let _ = writeln!(
                notes,
                "# - StorageClass {:?} uses {}, which kind does not have:\n\
                 #   claims of this class stay Pending until that driver is installed.",
                sc.metadata.name,
                one_line(&sc.provisioner)
            );
        }
    }
    for o in start.store().list("StorageClass") {
        let Object::StorageClass(sc) = o else {
            continue;
        };
        let name = sc.metadata.name.as_str();
        if input.iter().any(|c| c.metadata.name == name) || sc.provisioner == LOCAL_PATH {
            continue;
        }
        let by_name = claims.iter().any(|c| c.as_deref() == Some(name));
        let by_default = is_default_class(sc) && claims.contains(&None);
        let mode = sc.volume_binding_mode.as_deref().unwrap_or("Immediate");
        if name == "standard" && (by_name || by_default) {
            let _ = writeln!(
                notes,
                "# - StorageClass \"standard\" is kind's own here ({LOCAL_PATH},\n\
                 #   WaitForFirstConsumer), not the profile's ({}, {mode}).",
                one_line(&sc.provisioner)
            );
            continue;
        }
        if by_name {
            let _ = writeln!(
                notes,
                "# - The profile's StorageClass {name:?} does not exist on kind: claims of\n\
                 #   this class stay Pending until it is created and {} installed.",
                one_line(&sc.provisioner)
            );
        }
        if by_default {
            let _ = writeln!(
                notes,
                "# - The profile's default StorageClass {name:?} does not exist on kind:\n\
                 #   claims that name no class get kind's default \"standard\" instead."
            );
        }
    }
}

/// The class of every claim an object holds (a claim, a StatefulSet's
/// templates, a pod's ephemeral volumes): `None` for one that names no
/// class and gets the default.
fn claim_classes(v: &Value, out: &mut Vec<Option<String>>) {
    match v {
        Value::Object(m) => {
            if m.get("resources")
                .and_then(|r| r.get("requests"))
                .and_then(|r| r.get("storage"))
                .is_some()
            {
                let class = m.get("storageClassName").and_then(Value::as_str);
                out.push(class.map(str::to_owned));
            }
            for child in m.values() {
                claim_classes(child, out);
            }
        }
        Value::Array(items) => {
            for child in items {
                claim_classes(child, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_leaves_plain_words_and_quotes_the_rest() {
        assert_eq!(quote("web-0"), "web-0");
        assert_eq!(quote("/data/cart.txt"), "/data/cart.txt");
        assert_eq!(quote("app=shop"), "app=shop");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("2 espressos"), "'2 espressos'");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote("$HOME"), "'$HOME'");
        assert_eq!(quote("`id`"), "'`id`'");
        assert_eq!(quote("a\nb"), "'a\nb'");
        assert_eq!(quote("<script>"), "'<script>'");
        assert_eq!(quote("''"), "''\\'''\\'''");
    }

    /// What `sh` makes of a quoted word: it reads each back unchanged.
    #[test]
    fn sh_reads_quoted_words_back() {
        let words = [
            "it's",
            "$HOME and ${PATH}",
            "`id` $(id)",
            "two\nlines",
            "<script>alert('x')</script>",
            "\\ \"double\" ; & | * ? ~ #",
            "",
        ];
        let mut script = String::new();
        for w in words {
            let _ = writeln!(script, "printf '%s\\0' {}", quote(w));
        }
        let Ok(out) = std::process::Command::new("sh")
            .args(["-c", &script])
            .output()
        else {
            return; // no sh here
        };
        let printed = String::from_utf8(out.stdout).unwrap();
        let back: Vec<&str> = printed.split_terminator('\0').collect();
        assert_eq!(back, words);
    }

    #[test]
    fn documents_are_cut_at_markers_only() {
        let text = "# a comment\nkind: A\n---\nkind: B\nx: |\n  ---\n----\n--- # c\nkind: C\n...\nkind: D\n";
        let docs = documents(text);
        assert_eq!(
            docs,
            [
                (1, "# a comment\nkind: A\n"),
                (3, "---\nkind: B\nx: |\n  ---\n----\n"),
                (8, "--- # c\nkind: C\n...\n"),
                (11, "kind: D\n"),
            ]
        );
        assert_eq!(documents(""), []);
        assert_eq!(documents("---\nkind: A"), [(1, "---\nkind: A")]);
    }

    #[test]
    fn heredoc_picks_a_delimiter_the_text_lacks() {
        let mut out = String::new();
        heredoc(&mut out, "m.yaml", "a: EOF\nb: EOF2\n");
        assert_eq!(out, "cat > m.yaml <<'EOF3'\na: EOF\nb: EOF2\nEOF3\n\n");
    }

    #[test]
    fn mentions_whole_names_only() {
        assert!(mentions("nodeName: node-a\n", "node-a"));
        assert!(mentions("values: [node-a]", "node-a"));
        assert!(!mentions("nodeName: node-ab\n", "node-a"));
        assert!(!mentions("my-node-a", "node-a"));
    }

    fn places_abc() -> Vec<Place> {
        ["node-a", "node-b"]
            .iter()
            .enumerate()
            .map(|(i, n)| Place {
                sim: (*n).into(),
                kind: if i == 0 {
                    "pvsim-worker".into()
                } else {
                    "pvsim-worker2".into()
                },
                control: false,
                labels: Vec::new(),
            })
            .collect()
    }

    /// The commands of one step, written in a scenario's words.
    fn commands(step: &str) -> String {
        let mut raw = Value::Null;
        crate::yaml::parse_stream(step, &crate::yaml::Limits::default(), |doc| {
            let root = doc.root().unwrap();
            raw = crate::yaml::from_node::<Value>(&doc, root).unwrap().0;
        })
        .unwrap();
        let step = read_step(&raw, 0).unwrap();
        let mut out = String::new();
        act(&mut out, &step, 1, &places_abc(), false);
        out
    }

    #[test]
    fn node_steps() {
        assert_eq!(commands("failNode: node-b"), "docker stop pvsim-worker2\n");
        assert_eq!(
            commands("recoverNode: node-a"),
            "docker start pvsim-worker\n"
        );
        assert_eq!(commands("cordon: node-a"), "kubectl cordon pvsim-worker\n");
        assert_eq!(
            commands("uncordon: node-a"),
            "kubectl uncordon pvsim-worker\n"
        );
        assert_eq!(
            commands("drain: node-a"),
            "kubectl drain pvsim-worker --ignore-daemonsets --delete-emptydir-data\n"
        );
        assert_eq!(
            commands("taintOutOfService: node-a"),
            "kubectl taint nodes pvsim-worker node.kubernetes.io/out-of-service=nodeshutdown:NoExecute --overwrite\n"
        );
        assert!(commands("deleteNode: node-b").ends_with("kubectl delete node pvsim-worker2\n"));
        assert_eq!(
            commands("failNode: {nodeOf: shop/web-0}"),
            "node=$(kubectl get pod -n shop web-0 -o jsonpath='{.spec.nodeName}')\n\
             : \"${node:?the pod is on no node}\"\n\
             docker stop \"$node\"\n"
        );
        assert_eq!(
            commands("drain: {nodeOf: {selector: app=shop}}"),
            "node=$(kubectl get pod -n default -l app=shop --field-selector=status.phase=Running -o jsonpath='{.items[0].spec.nodeName}')\n\
             : \"${node:?the pod is on no node}\"\n\
             kubectl drain \"$node\" --ignore-daemonsets --delete-emptydir-data\n"
        );
        // A name the simulation does not know is kept, quoted.
        assert_eq!(commands("cordon: \"it's\""), "kubectl cordon 'it'\\''s'\n");
    }

    #[test]
    fn object_steps() {
        assert_eq!(
            commands("delete: PersistentVolumeClaim/default/data"),
            "kubectl delete persistentvolumeclaim data -n default --wait=false\n"
        );
        assert_eq!(
            commands("delete: PersistentVolume/pv1"),
            "kubectl delete persistentvolume pv1 --wait=false\n"
        );
        assert_eq!(
            commands("delete: Node/node-b"),
            "kubectl delete node pvsim-worker2 --wait=false\n"
        );
        assert_eq!(
            commands("scale: {target: StatefulSet/db/web, replicas: 3}"),
            "kubectl scale statefulset/web --replicas=3 -n db\n"
        );
        assert_eq!(
            commands("apply: 'kind: X'"),
            "kubectl apply -f step-1.yaml\n"
        );
    }

    #[test]
    fn data_steps_quote_what_the_user_wrote() {
        assert_eq!(
            commands(
                "writeData: {pod: default/web-0, path: /data/it's here.txt, content: \"$(rm -rf /) `id` <script>\\nx\"}"
            ),
            "kubectl exec -n default web-0 -- sh -c 'printf %s \"$1\" > \"$2\"' sh '$(rm -rf /) `id` <script>\nx' '/data/it'\\''s here.txt'\n"
        );
        assert_eq!(
            commands("readData: {selector: app=shop, path: /data/cart.txt}"),
            "pod=$(kubectl get pod -n default -l app=shop --field-selector=status.phase=Running -o jsonpath='{.items[0].metadata.name}')\n\
             : \"${pod:?no Running pod matches}\"\n\
             kubectl exec -n default \"$pod\" -- cat /data/cart.txt || true\n"
        );
    }
}
