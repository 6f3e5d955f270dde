//! Scenarios: a multi-document YAML file of Kubernetes objects, optionally
//! with one `apiVersion: pvsim.dev/v1alpha1`, `kind: Scenario` document that
//! sets the seed, the profile and steps run in order after the other
//! documents are applied:
//!
//! ```yaml
//! apiVersion: pvsim.dev/v1alpha1
//! kind: Scenario
//! metadata: {name: reclaim-retain}
//! spec:
//!   title: A Retain volume outlives its claim
//!   seed: 7
//!   profile: bare
//!   steps:
//!   - wait: idle
//!   - delete: PersistentVolumeClaim/default/data
//!   - wait: 30s
//!   - apply: |
//!       apiVersion: v1
//!       kind: PersistentVolumeClaim
//!       ...
//! ```
//!
//! Steps: `apply` (inline YAML, as a string or as objects), `delete`
//! (`Kind/namespace/name`, or `Kind/name` for cluster-scoped kinds), `wait`
//! (`idle` or a duration such as `30s`, `6m`, `1h`). Lines of diagnostics in
//! an `apply` step count from the step's first line of YAML.
//!
//! `spec.expect` states the outcome, checked when the run ends; a run whose
//! expectations fail exits with status 1:
//!
//! ```yaml
//!   expect:
//!   - object: PersistentVolumeClaim/default/data
//!     phase: Bound
//!     volumeName: pv1
//!     capacity: 10Gi
//!     annotations:
//!       pv.kubernetes.io/bind-completed: "yes"
//!       pv.kubernetes.io/bound-by-controller: null   # must be absent
//!   - object: PersistentVolume/pv1
//!     claimRef: default/data          # "" for none
//!   - object: PersistentVolume/old
//!     absent: true
//!   - events: [Normal FailedBinding]  # every "type reason" in the log, in order
//!   - event: Warning FailedAttachVolume   # one event of this type and reason,
//!     message: Multi-Attach error ...     # with this exact message if given
//!   - pods: app=web                       # the pods a selector matches,
//!     status: [ContainerCreating, Running] # with these kubectl STATUSes
//! ```

use crate::cluster::profile;
use crate::diagnostic::{Diagnostic, Severity};
use crate::load::{Entry, Loaded, Status};
use crate::object::kind_info;
use crate::objects::selector;
use crate::sim::clock::{Millis, parse_duration};
use crate::sim::store::{ApiError, ObjKey};
use crate::sim::{Options, Sim};
use crate::validation::invalid_message;

pub const SCENARIO_API_VERSION: &str = "pvsim.dev/v1alpha1";

/// When a run stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Until {
    /// When nothing is left to do.
    Idle,
    /// When the simulated clock reaches this time.
    Time(Millis),
}

impl Until {
    /// `idle`, or a duration of at most a week (`30s`, `6m`, `1h30m`).
    pub fn parse(s: &str) -> Result<Until, String> {
        if s == "idle" {
            return Ok(Until::Idle);
        }
        let d = parse_duration(s)?;
        if d > crate::sim::IDLE_LIMIT {
            return Err(format!(
                "duration {s:?} is longer than pvsim simulates at once (168h)"
            ));
        }
        Ok(Until::Time(d))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Applies the objects loaded for this step (entries whose `step` is
    /// the step's index).
    Apply(usize),
    Delete(ObjKey),
    Wait(Until),
    /// failNode, recoverNode, cordon, uncordon, drain, taintOutOfService, deleteNode.
    Node(NodeVerb, NodeTarget),
    Scale(ObjKey, i32),
    /// writeData (`write: true`) or readData.
    Data(DataStep),
}

/// A `writeData` or `readData` step.
#[derive(Clone, Debug, PartialEq)]
pub struct DataStep {
    pub write: bool,
    pub pod: Option<String>,
    pub selector: Option<crate::model::LabelSelector>,
    pub namespace: String,
    pub path: String,
    pub content: String,
}

fn read_data_step(verb: &str, arg: &serde_json::Value) -> Result<Step, String> {
    let text = |k: &str| {
        arg.get(k)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    let write = verb == "writeData";
    let path =
        text("path").ok_or_else(|| format!("{verb}: expected a path, such as /data/hello.txt"))?;
    let content = text("content").unwrap_or_default();
    if write && arg.get("content").is_none() {
        return Err(format!("{verb}: expected content"));
    }
    let pod = text("pod");
    let selector = arg.get("selector").map(read_selector).transpose()?;
    if pod.is_none() == selector.is_none() {
        return Err(format!(
            "{verb}: expected either pod: <namespace>/<name> or selector: <label selector>"
        ));
    }
    Ok(Step::Data(DataStep {
        write,
        pod,
        selector,
        namespace: text("namespace").unwrap_or_else(|| crate::DEFAULT_NAMESPACE.into()),
        path,
        content,
    }))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeVerb {
    Fail,
    Recover,
    Cordon,
    Uncordon,
    Drain,
    TaintOutOfService,
    Delete,
}

/// Which node a node step acts on.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeTarget {
    Name(String),
    /// The node of a pod, `namespace/name`.
    NodeOf(String, String),
    /// The node of the first running pod (by name) matching a selector.
    NodeOfSelected(String, crate::model::LabelSelector),
}

/// A label selector written as `app=web,tier=db` or as `{matchLabels: ...}`.
pub fn read_selector(v: &serde_json::Value) -> Result<crate::model::LabelSelector, String> {
    if let Some(text) = v.as_str() {
        let mut selector = crate::model::LabelSelector::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, val) = part
                .split_once('=')
                .ok_or_else(|| format!("selector {text:?}: expected key=value pairs"))?;
            selector
                .match_labels
                .insert(k.trim().into(), val.trim().into());
        }
        return Ok(selector);
    }
    serde_json::from_value(v.clone()).map_err(|e| format!("selector: {e}"))
}

fn read_node_target(v: &serde_json::Value) -> Result<NodeTarget, String> {
    if let Some(name) = v.as_str() {
        return Ok(NodeTarget::Name(name.to_owned()));
    }
    let of = v
        .get("nodeOf")
        .ok_or("expected a node name, {nodeOf: <namespace>/<pod>} or {nodeOf: {selector: ..., namespace: ...}}")?;
    if let Some(pod) = of.as_str() {
        let (ns, name) = pod.split_once('/').unwrap_or(("default", pod));
        return Ok(NodeTarget::NodeOf(ns.into(), name.into()));
    }
    let selector = read_selector(
        of.get("selector")
            .ok_or("nodeOf: expected a pod or a selector")?,
    )?;
    let ns = of
        .get("namespace")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("default");
    Ok(NodeTarget::NodeOfSelected(ns.into(), selector))
}

/// The node a target names, now.
fn resolve_node(sim: &Sim, target: &NodeTarget) -> Result<String, String> {
    use crate::Object;
    match target {
        NodeTarget::Name(n) => Ok(n.clone()),
        NodeTarget::NodeOf(ns, name) => match sim.store().get(&ObjKey::new("Pod", ns, name)) {
            Some(Object::Pod(p)) if !p.spec.node_name.is_empty() => Ok(p.spec.node_name.clone()),
            Some(_) => Err(format!("pod {ns}/{name} is not on a node")),
            None => Err(format!("pods {name:?} not found")),
        },
        NodeTarget::NodeOfSelected(ns, selector) => sim
            .store()
            .list("Pod")
            .find_map(|o| match o {
                Object::Pod(p)
                    if p.metadata.namespace == *ns
                        && p.status.phase == "Running"
                        && selector::selector_matches(selector, &p.metadata.labels) =>
                {
                    Some(p.spec.node_name.clone())
                }
                _ => None,
            })
            .ok_or_else(|| {
                format!(
                    "no running pod in {ns} matches the selector {}",
                    selector::selector_text(selector)
                )
            }),
    }
}

/// A scenario read from its documents.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scenario {
    pub title: String,
    pub description: String,
    pub seed: Option<u64>,
    pub profile: Option<String>,
    pub steps: Vec<Step>,
    /// `spec.expect`, as written.
    pub expect: Vec<serde_json::Value>,
}

/// What the caller overrides.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    pub profile: Option<String>,
    pub seed: Option<u64>,
    pub until: Option<Until>,
    pub snapshots: bool,
}

/// The outcome of a run.
pub struct Run {
    pub sim: Sim,
    pub scenario: Scenario,
    /// Which profile was used and what it added, in one line.
    pub profile: String,
    /// Everything found wrong, in the input and along the way.
    pub diagnostics: Vec<Diagnostic>,
    /// Requests the API server refused, in its words, with where they came from.
    pub refused: Vec<String>,
    /// Whether the run reached idle (or its end time) within the limits.
    pub settled: bool,
    /// Expectations of `spec.expect` that the end state does not meet.
    pub unmet: Vec<String>,
}

impl Run {
    /// Exit status 1: some object was refused or the input did not parse.
    pub fn failed(&self) -> bool {
        !self.refused.is_empty()
            || !self.unmet.is_empty()
            || self
                .diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error)
    }
}

pub(crate) fn is_scenario(kind: &str, api_version: &str) -> bool {
    kind == "Scenario" && api_version == SCENARIO_API_VERSION
}

/// Reads the Scenario document of a loaded input, if there is one.
fn read_scenario(loaded: &Loaded, diagnostics: &mut Vec<Diagnostic>) -> Scenario {
    let mut scenario = Scenario::default();
    let mut found = false;
    for entry in &loaded.entries {
        if !is_scenario(&entry.kind, &entry.api_version) {
            continue;
        }
        let mut report_at = |at: Option<(u32, u32)>, message: String| {
            let (line, column) = at.unwrap_or((entry.line, entry.column));
            diagnostics.push(Diagnostic {
                file: entry.file.clone(),
                line,
                column,
                severity: Severity::Error,
                kind: entry.kind.clone(),
                namespace: String::new(),
                name: entry.name.clone(),
                field: String::new(),
                message,
            });
        };
        let mut report = |message: String| report_at(None, message);
        if found {
            report("a file holds at most one Scenario; this one is ignored".into());
            continue;
        }
        found = true;
        let spec = entry.raw.get("spec").cloned().unwrap_or_default();
        let text = |key: &str| spec.get(key).and_then(|v| v.as_str()).map(String::from);
        scenario.title = text("title").unwrap_or_default();
        scenario.description = text("description").unwrap_or_default();
        scenario.profile = text("profile");
        match spec.get("seed") {
            None | Some(serde_json::Value::Null) => {}
            Some(v) => match v.as_u64() {
                Some(seed) => scenario.seed = Some(seed),
                None => report(format!(
                    "spec.seed: Invalid value: {v}: must be a whole number from 0 to 18446744073709551615"
                )),
            },
        }
        scenario.expect = spec
            .get("expect")
            .and_then(|e| e.as_array())
            .cloned()
            .unwrap_or_default();
        let steps = spec
            .get("steps")
            .and_then(|s| s.as_array())
            .cloned()
            .unwrap_or_default();
        for (i, step) in steps.iter().enumerate() {
            match read_step(step, i) {
                Ok(step) => scenario.steps.push(step),
                Err(message) => {
                    let path = format!("spec.steps[{i}]");
                    let at = entry
                        .anchors
                        .iter()
                        .find(|(p, _, _)| *p == path)
                        .map(|(_, l, c)| (*l, *c));
                    report_at(at, format!("{path}: {message}"));
                }
            }
        }
    }
    scenario
}

pub(crate) fn read_step(step: &serde_json::Value, i: usize) -> Result<Step, String> {
    let map = step
        .as_object()
        .filter(|m| m.len() == 1)
        .ok_or("a step is a mapping with one key: apply, delete or wait")?;
    let (verb, arg) = map.iter().next().expect("one key");
    match verb.as_str() {
        // The front door has read the step's objects already, in place.
        "apply" if arg.is_string() || arg.is_object() || arg.is_array() => Ok(Step::Apply(i)),
        "apply" => Err("apply: expected objects, or YAML in a string".into()),
        "delete" => {
            let target = arg
                .as_str()
                .ok_or("delete: expected Kind/namespace/name or Kind/name")?;
            parse_target(target).map(Step::Delete)
        }
        "wait" => {
            let text = arg
                .as_str()
                .ok_or("wait: expected idle or a duration such as 30s")?;
            Until::parse(text).map(Step::Wait)
        }
        "failNode" | "recoverNode" | "cordon" | "uncordon" | "drain" | "taintOutOfService"
        | "deleteNode" => {
            let v = match verb.as_str() {
                "failNode" => NodeVerb::Fail,
                "recoverNode" => NodeVerb::Recover,
                "cordon" => NodeVerb::Cordon,
                "uncordon" => NodeVerb::Uncordon,
                "drain" => NodeVerb::Drain,
                "taintOutOfService" => NodeVerb::TaintOutOfService,
                _ => NodeVerb::Delete,
            };
            read_node_target(arg)
                .map(|t| Step::Node(v, t))
                .map_err(|e| format!("{verb}: {e}"))
        }
        "writeData" | "readData" => read_data_step(verb, arg),
        "scale" => {
            let target = arg
                .get("target")
                .and_then(serde_json::Value::as_str)
                .ok_or("scale: expected {target: StatefulSet/<namespace>/<name>, replicas: N}")?;
            let replicas = arg
                .get("replicas")
                .and_then(serde_json::Value::as_i64)
                .and_then(|n| i32::try_from(n).ok())
                .filter(|n| *n >= 0)
                .ok_or("scale: replicas must be a whole number, 0 or more")?;
            let key = parse_target(target).map_err(|e| e.replace("delete:", "scale:"))?;
            Ok(Step::Scale(key, replicas))
        }
        other => Err(format!(
            "unknown step {other:?}: pvsim knows apply, delete, wait, scale, writeData, readData, failNode, recoverNode, cordon, uncordon, drain, taintOutOfService and deleteNode"
        )),
    }
}

/// `PersistentVolumeClaim/default/data` or `PersistentVolume/pv1`.
pub fn parse_target(target: &str) -> Result<ObjKey, String> {
    let parts: Vec<&str> = target.split('/').collect();
    let info = kind_info(parts[0])
        .ok_or_else(|| format!("delete: unknown kind {:?} in {target:?}", parts[0]))?;
    match (info.namespaced, parts.as_slice()) {
        (true, [_, ns, name]) => Ok(ObjKey::new(info.kind, ns, name)),
        (false, [_, name]) => Ok(ObjKey::new(info.kind, "", name)),
        (true, _) => Err(format!(
            "delete: expected {}/<namespace>/<name>, got {target:?}",
            info.kind
        )),
        (false, _) => Err(format!(
            "delete: expected {}/<name>, got {target:?}",
            info.kind
        )),
    }
}

/// Loads a scenario: the objects, and the Scenario document if any.
pub fn prepare(loaded: &Loaded) -> (Scenario, Vec<Diagnostic>) {
    let mut diagnostics: Vec<Diagnostic> = loaded.diagnostics.clone();
    let scenario = read_scenario(loaded, &mut diagnostics);
    crate::sort::by(&mut diagnostics, |a, b| {
        (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column))
    });
    (scenario, diagnostics)
}

/// Runs loaded input: profile, then the objects the API server accepts,
/// then the steps, then until idle (or `until`). A StorageClass or Node in
/// the input replaces the profile's object of the same name.
pub fn run(loaded: &Loaded, options: &RunOptions) -> Result<Run, String> {
    let mut runner = Runner::new(loaded, options)?;
    while runner.advance() {}
    Ok(runner.finish())
}

/// Where a [`Runner`] is.
#[derive(Clone, Copy, Debug)]
enum Phase {
    /// Between scenario steps: the next one runs.
    Steps,
    /// Inside a `wait: idle` (until the time limit) or `wait: 30s` (until
    /// the end time).
    Idle(Millis),
    Until(Millis),
    /// After the steps: until idle or `until`.
    FinalIdle(Millis),
    FinalUntil(Millis),
    Done,
}

/// A scenario run one timeline step at a time: [`Runner::advance`] goes on
/// until the simulation records its next step (a controller's writes or
/// events, or a person's action), so a timeline can stop at any step and
/// show the cluster as it is there. [`run`] is a runner driven to the end.
#[derive(Clone)]
pub struct Runner {
    /// The objects of the scenario's `apply` steps, with their errors.
    step_input: Loaded,
    options: RunOptions,
    scenario: Scenario,
    sim: Sim,
    profile: String,
    diagnostics: Vec<Diagnostic>,
    refused: Vec<String>,
    settled: bool,
    /// The next scenario step.
    cursor: usize,
    phase: Phase,
    /// Whether the simulation had nothing in flight at some point between
    /// the step before the last [`Runner::advance`] and the one it stopped at.
    rested: bool,
    /// How many scenario steps are complete, when the last completed, and
    /// how many simulation steps had been recorded then.
    done: usize,
    done_at: Millis,
    done_steps: usize,
}

/// How a run gets back to a moment: the scenario's first `steps` steps,
/// then a wait. What the page needs to act at that moment: the action
/// goes after them (see `pvsim_scene::edit`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Replay {
    pub steps: usize,
    /// `None` when the moment is right after those steps.
    pub wait: Option<Until>,
}

impl Runner {
    /// Sets the cluster up: the profile's objects, then the input's.
    pub fn new(loaded: &Loaded, options: &RunOptions) -> Result<Runner, String> {
        let (scenario, diagnostics) = prepare(loaded);
        let mut diagnostics = diagnostics;
        let profile_name = options
            .profile
            .clone()
            .or_else(|| scenario.profile.clone())
            .unwrap_or_else(|| "auto".into());
        let input = input_shape(loaded);
        let mut profile_objects = profile::objects_for(&profile_name, input)
            .ok_or_else(|| profile::unknown(&profile_name))?;
        let mut sim = Sim::new(Options {
            seed: options.seed.or(scenario.seed).unwrap_or(0),
            snapshots: options.snapshots,
        });
        let mut refused = Vec::new();
        // The input's own StorageClasses and Nodes replace the profile's of
        // the same name: a pasted class "standard" is the user's, not a
        // conflict.
        let given: Vec<ObjKey> = loaded
            .entries
            .iter()
            .filter(|e| e.step.is_none())
            .filter_map(|e| e.object.as_deref().map(ObjKey::of))
            .collect();
        profile_objects.retain(|o| !given.contains(&ObjKey::of(o)));
        let profile_line = profile::summary(&profile_name, &profile_objects, input);
        let implied = implied_nodes(loaded, &given, &profile_objects, &mut diagnostics);
        crate::sort::by(&mut diagnostics, |a, b| {
            (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column))
        });
        for object in profile_objects.into_iter().chain(implied) {
            sim.apply(object, serde_json::Value::Null)
                .expect("profile objects are valid");
        }
        apply_loaded(&mut sim, loaded, None, &mut refused);
        sim.restore_attachments();
        let mut step_input = Loaded::default();
        for entry in loaded.entries.iter().filter(|e| e.step.is_some()) {
            step_input
                .diagnostics
                .extend(errors_of(loaded, entry).cloned());
            step_input.entries.push(entry.clone());
        }
        Ok(Runner {
            step_input,
            options: options.clone(),
            scenario,
            sim,
            profile: profile_line,
            diagnostics,
            refused,
            settled: true,
            cursor: 0,
            phase: Phase::Steps,
            rested: false,
            done: 0,
            done_at: 0,
            done_steps: 0,
        })
    }

    /// The simulation as it stands.
    pub fn sim(&self) -> &Sim {
        &self.sim
    }

    /// Which profile the run uses and what it added, in one line.
    pub fn profile(&self) -> &str {
        &self.profile
    }

    /// The seed the run uses: the options', else the Scenario's, else 0.
    pub fn seed(&self) -> u64 {
        self.sim.seed()
    }

    /// The input's Scenario (empty when it has none).
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The input's diagnostics, and the runner's own about it.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Requests the API server refused so far, in its words.
    pub fn refused(&self) -> &[String] {
        &self.refused
    }

    /// Goes on until the simulation records one more step (a person's action
    /// may record a few at one instant); `false` once the run is over.
    pub fn advance(&mut self) -> bool {
        let before = self.sim.steps().len();
        self.rested = self.sim.in_flight() == 0;
        while self.sim.steps().len() == before {
            if !self.tick() {
                return false;
            }
            if self.sim.steps().len() == before {
                self.rested |= self.sim.in_flight() == 0;
            }
        }
        true
    }

    /// How to get back to this moment. A `wait: idle` the run is inside
    /// counts as done once nothing is in flight; a wait cut short becomes
    /// the time it has run; after the last step, the run's own final wait
    /// is `wait: idle` when the cluster is at rest.
    pub fn replay(&self) -> Replay {
        let now = self.sim.now();
        let resting = self.sim.in_flight() == 0;
        // Work done since the last step completed needs a wait to happen
        // again, even one of no time (`wait: 0s` runs what is due now).
        let moved = now > self.done_at || self.sim.steps().len() > self.done_steps;
        let since = moved.then_some(Until::Time(now - self.done_at));
        match self.phase {
            Phase::Idle(_) if resting => Replay {
                steps: self.cursor,
                wait: None,
            },
            // Inside a wait, or between steps: what is done, then the time
            // since.
            Phase::Idle(_) | Phase::Until(_) | Phase::Steps => Replay {
                steps: self.done,
                wait: since,
            },
            Phase::FinalIdle(_) | Phase::FinalUntil(_) | Phase::Done => Replay {
                steps: self.done,
                wait: if resting && moved {
                    Some(Until::Idle)
                } else {
                    since
                },
            },
        }
    }

    /// Goes on until the next scenario step is complete (a `wait` once its
    /// time has passed or the cluster is idle); after the last step, to the
    /// end of the run. `false` once the run is over.
    pub fn complete_step(&mut self) -> bool {
        let done = self.done;
        while self.done == done {
            if !self.tick() {
                return false;
            }
        }
        true
    }

    /// Notes that the scenario steps before the cursor are complete, now.
    fn completed(&mut self) {
        (self.done, self.done_at, self.done_steps) =
            (self.cursor, self.sim.now(), self.sim.steps().len());
    }

    /// Whether the simulation came to rest (nothing in flight, as at the
    /// end of a `wait: idle`) after the step before the last
    /// [`Runner::advance`]: that step ended a settled stretch.
    pub fn rested(&self) -> bool {
        self.rested
    }

    /// One unit of work: a scenario step, or one queued item inside a wait.
    /// `false` once the run is over.
    fn tick(&mut self) -> bool {
        let sim = &mut self.sim;
        match self.phase {
            Phase::Steps => {
                let Some(step) = self.scenario.steps.get(self.cursor) else {
                    self.phase = match self.options.until.unwrap_or(Until::Idle) {
                        Until::Idle => Phase::FinalIdle(sim.now() + crate::sim::IDLE_LIMIT),
                        Until::Time(end) if end > sim.now() => Phase::FinalUntil(end),
                        Until::Time(_) => Phase::Done,
                    };
                    return true;
                };
                self.cursor += 1;
                let (loaded, refused) = (&self.step_input, &mut self.refused);
                match step {
                    Step::Wait(Until::Idle) => {
                        self.phase = Phase::Idle(sim.now() + crate::sim::IDLE_LIMIT);
                    }
                    Step::Wait(Until::Time(d)) => self.phase = Phase::Until(sim.now() + *d),
                    step => {
                        act(sim, loaded, step, refused);
                        self.completed();
                    }
                }
            }
            Phase::Idle(limit) => {
                if let Some(idle) = sim.idle_step(limit) {
                    self.settled &= idle;
                    self.phase = Phase::Steps;
                    self.completed();
                }
            }
            Phase::Until(end) => {
                if !sim.timed_step(end) {
                    self.phase = Phase::Steps;
                    self.completed();
                }
            }
            Phase::FinalIdle(limit) => {
                if let Some(idle) = sim.idle_step(limit) {
                    self.settled &= idle;
                    self.phase = Phase::Done;
                }
            }
            Phase::FinalUntil(end) => {
                if !sim.timed_step(end) {
                    self.phase = Phase::Done;
                }
            }
            Phase::Done => return false,
        }
        true
    }

    /// Runs to the end and checks the scenario's expectations.
    pub fn finish(mut self) -> Run {
        while self.tick() {}
        let settled = self.settled && !self.sim.out_of_steps();
        let unmet = self
            .scenario
            .expect
            .iter()
            .flat_map(|e| check_expectation(&self.sim, e))
            .collect();
        Run {
            sim: self.sim,
            scenario: self.scenario,
            profile: self.profile,
            diagnostics: self.diagnostics,
            refused: self.refused,
            settled,
            unmet,
        }
    }
}

/// A person's step of a scenario: apply, delete, scale, data, node verbs.
fn act(sim: &mut Sim, loaded: &Loaded, step: &Step, refused: &mut Vec<String>) {
    match step {
        Step::Apply(i) => apply_loaded(sim, loaded, Some(*i), refused),
        Step::Delete(key) => {
            if let Err(e) = sim.delete(key) {
                refused.push(format!("Error from server (NotFound): {e}"));
            }
        }
        Step::Scale(key, replicas) => {
            if let Err(e) = sim.scale(key, *replicas) {
                refused.push(format!("Error from server (NotFound): {e}"));
            }
        }
        Step::Data(d) => {
            let done = sim.data(
                d.write,
                d.pod.as_deref(),
                d.selector.as_ref(),
                &d.namespace,
                &d.path,
                &d.content,
            );
            if let Err(e) = done {
                refused.push(format!("Error from server (NotFound): {e}"));
            }
        }
        Step::Node(verb, target) => {
            let result = resolve_node(sim, target).and_then(|node| {
                let done = match verb {
                    NodeVerb::Fail => sim.fail_node(&node),
                    NodeVerb::Recover => sim.recover_node(&node),
                    NodeVerb::Cordon => sim.cordon(&node, true),
                    NodeVerb::Uncordon => sim.cordon(&node, false),
                    NodeVerb::Drain => sim.drain(&node),
                    NodeVerb::TaintOutOfService => sim.taint_out_of_service(&node),
                    NodeVerb::Delete => sim.delete_node(&node),
                };
                done.map_err(|e| e.to_string())
            });
            if let Err(e) = result {
                refused.push(format!("Error from server (NotFound): {e}"));
            }
        }
        Step::Wait(_) => {}
    }
}

/// What the top-level input brings of its own.
fn input_shape(loaded: &Loaded) -> profile::InputShape {
    let mut shape = profile::InputShape::default();
    for entry in loaded.entries.iter().filter(|e| e.step.is_none()) {
        let Some(object) = &entry.object else {
            continue;
        };
        shape.has_nodes |= matches!(**object, crate::Object::Node(_));
        let meta = object.metadata();
        let has_status = entry
            .raw
            .get("status")
            .and_then(serde_json::Value::as_object)
            .is_some_and(|s| !s.is_empty());
        shape.from_cluster |=
            !meta.uid.is_empty() || !meta.resource_version.is_empty() || has_status;
    }
    shape
}

/// Nodes that pods are bound to but that neither the input nor the profile
/// has: a dump of `kubectl get pods` without its nodes. Each is added as a
/// Ready node with only its hostname label, with a warning on the pod.
fn implied_nodes(
    loaded: &Loaded,
    given: &[ObjKey],
    profile_objects: &[crate::Object],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<crate::Object> {
    let mut known: Vec<String> = given
        .iter()
        .chain(
            profile_objects
                .iter()
                .map(ObjKey::of)
                .collect::<Vec<_>>()
                .iter(),
        )
        .filter(|k| k.kind == "Node")
        .map(|k| k.name.clone())
        .collect();
    let mut nodes = Vec::new();
    for entry in loaded.entries.iter().filter(|e| e.step.is_none()) {
        let Some(crate::Object::Pod(pod)) = entry.object.as_deref() else {
            continue;
        };
        let node = &pod.spec.node_name;
        if node.is_empty() || known.contains(node) {
            continue;
        }
        known.push(node.clone());
        let (line, column) = entry
            .anchors
            .iter()
            .find(|(field, _, _)| field == "spec.nodeName")
            .map_or((entry.line, entry.column), |(_, l, c)| (*l, *c));
        diagnostics.push(Diagnostic {
            file: entry.file.clone(),
            line,
            column,
            severity: Severity::Warning,
            kind: "Pod".into(),
            namespace: entry.namespace.clone(),
            name: entry.name.clone(),
            field: "spec.nodeName".into(),
            message: format!(
                "node {node:?} is not in the input; pvsim adds it as a Ready node with no labels but kubernetes.io/hostname"
            ),
        });
        nodes.push(profile::implied_node(node));
    }
    nodes
}

/// The error diagnostics of one entry: those about its object that lie
/// between its start and the next entry's in the same file.
fn errors_of<'a>(loaded: &'a Loaded, entry: &'a Entry) -> impl Iterator<Item = &'a Diagnostic> {
    let next = loaded
        .entries
        .iter()
        .filter(|e| e.file == entry.file && (e.line, e.column) > (entry.line, entry.column))
        .map(|e| (e.line, e.column))
        .min()
        .unwrap_or((u32::MAX, u32::MAX));
    loaded.diagnostics.iter().filter(move |d| {
        d.severity == Severity::Error
            && d.file == entry.file
            && d.kind == entry.kind
            && d.name == entry.name
            && (d.line, d.column) >= (entry.line, entry.column)
            && (d.line, d.column) < next
    })
}

/// Applies every accepted object of the file (`step: None`) or of one
/// step; reports the rejected ones in the API server's words.
fn apply_loaded(sim: &mut Sim, loaded: &Loaded, step: Option<usize>, refused: &mut Vec<String>) {
    for entry in loaded.entries.iter().filter(|e| e.step == step) {
        if is_scenario(&entry.kind, &entry.api_version) {
            continue;
        }
        let here = format!("{}:{}:{}", entry.file, entry.line, entry.column);
        match (&entry.status, &entry.object) {
            (Status::Accepted, Some(object)) => {
                if let Err(e) = sim.apply((**object).clone(), entry.raw.clone()) {
                    refused.push(format!("{here}: {}", server_words(&e)));
                }
            }
            (Status::Rejected, Some(_)) => {
                let errors: Vec<_> = errors_of(loaded, entry)
                    .map(|d| crate::validation::FieldError {
                        field: d.field.clone(),
                        locate: crate::yaml::FieldPath::parse(&d.field),
                        message: d.message.clone(),
                    })
                    .collect();
                refused.push(format!(
                    "{here}: {}",
                    invalid_message(&entry.kind, &entry.name, &errors)
                ));
            }
            // Not even decoded: the diagnostic says where and why.
            (Status::Rejected, None) => {
                refused.extend(errors_of(loaded, entry).map(ToString::to_string));
            }
            _ => {}
        }
    }
}

fn server_words(e: &ApiError) -> String {
    match e {
        ApiError::Invalid { .. } => e.to_string(),
        ApiError::AlreadyExists { .. } => format!("Error from server (AlreadyExists): {e}"),
        ApiError::NotFound { .. } => format!("Error from server (NotFound): {e}"),
        ApiError::Forbidden { .. } => format!("Error from server (Forbidden): {e}"),
    }
}

/// What one expectation finds wrong with the end state.
fn check_expectation(sim: &Sim, expect: &serde_json::Value) -> Vec<String> {
    use serde_json::Value;
    let mut unmet = Vec::new();
    if let Some(events) = expect.get("events").and_then(Value::as_array) {
        let mut seen: Vec<String> = Vec::new();
        for r in sim.events().records() {
            let text = format!("{} {}", r.type_, r.reason);
            if !seen.contains(&text) {
                seen.push(text);
            }
        }
        let wanted: Vec<String> = events
            .iter()
            .map(|e| e.as_str().unwrap_or_default().to_owned())
            .collect();
        if seen != wanted {
            unmet.push(format!("events are {seen:?}, expected {wanted:?}"));
        }
    }
    if let Some(wanted) = expect.get("event").and_then(Value::as_str) {
        let message = expect.get("message").and_then(Value::as_str);
        let found = sim.events().records().iter().any(|r| {
            format!("{} {}", r.type_, r.reason) == wanted && message.is_none_or(|m| r.message == m)
        });
        if !found {
            unmet.push(match message {
                Some(m) => format!("no {wanted} event with message {m:?}"),
                None => format!("no {wanted} event"),
            });
        }
    }
    if let Some(selector) = expect.get("pods") {
        match read_selector(selector) {
            Ok(selector) => {
                let mut seen: Vec<String> = sim
                    .store()
                    .list("Pod")
                    .filter_map(|o| match o {
                        crate::Object::Pod(p)
                            if selector::selector_matches(&selector, &p.metadata.labels) =>
                        {
                            Some(crate::print::pod_status(p))
                        }
                        _ => None,
                    })
                    .collect();
                crate::sort::stable(&mut seen);
                let mut wanted: Vec<String> = expect
                    .get("status")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|s| s.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                crate::sort::stable(&mut wanted);
                if seen != wanted {
                    unmet.push(format!(
                        "pods {selector:?}: statuses are {seen:?}, expected {wanted:?}",
                        selector = crate::objects::selector::selector_text(&selector)
                    ));
                }
            }
            Err(e) => unmet.push(e),
        }
    }
    let Some(target) = expect.get("object").and_then(Value::as_str) else {
        return unmet;
    };
    let key = match parse_target(target) {
        Ok(key) => key,
        Err(e) => return vec![format!("{target}: {e}")],
    };
    let object = sim.store().record(&key).map(|r| r.object.to_json());
    let absent = expect.get("absent").and_then(Value::as_bool) == Some(true);
    let Some(object) = object else {
        if !absent {
            unmet.push(format!("{target}: not found"));
        }
        return unmet;
    };
    if absent {
        unmet.push(format!("{target}: exists, expected it gone"));
    }
    let text_at = |path: &[&str]| {
        let mut v = &object;
        for p in path {
            match v.get(p) {
                Some(next) => v = next,
                None => return String::new(),
            }
        }
        v.as_str().unwrap_or_default().to_owned()
    };
    let claim_ref = || {
        let ns = text_at(&["spec", "claimRef", "namespace"]);
        let name = text_at(&["spec", "claimRef", "name"]);
        if name.is_empty() {
            String::new()
        } else {
            format!("{ns}/{name}")
        }
    };
    let checks: [(&str, String); 5] = [
        ("phase", text_at(&["status", "phase"])),
        ("volumeName", text_at(&["spec", "volumeName"])),
        ("storageClassName", text_at(&["spec", "storageClassName"])),
        ("capacity", {
            let c = text_at(&["status", "capacity", "storage"]);
            if c.is_empty() {
                text_at(&["spec", "capacity", "storage"])
            } else {
                c
            }
        }),
        ("claimRef", claim_ref()),
    ];
    for (field, actual) in checks {
        if let Some(wanted) = expect.get(field).and_then(Value::as_str)
            && actual != wanted
        {
            unmet.push(format!(
                "{target}: {field} is {actual:?}, expected {wanted:?}"
            ));
        }
    }
    if let Some(Value::Object(wanted)) = expect.get("annotations") {
        let actual = object.pointer("/metadata/annotations");
        for (k, v) in wanted {
            let have = actual.and_then(|a| a.get(k)).and_then(Value::as_str);
            match (v.as_str(), have) {
                (None, Some(h)) => {
                    unmet.push(format!("{target}: annotation {k} is {h:?}, expected none"));
                }
                (Some(w), h) if Some(w) != h => unmet.push(format!(
                    "{target}: annotation {k} is {}, expected {w:?}",
                    h.map_or("absent".to_owned(), |h| format!("{h:?}"))
                )),
                _ => {}
            }
        }
    }
    unmet
}
