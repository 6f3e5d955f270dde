//! The timeline: every step of a run, and the exact scene after any of
//! them, forwards or backwards.
//!
//! The run is played once, step by step, keeping a summary of each step
//! and, every few steps, a checkpoint: the runner (the whole simulation)
//! and the slots as they were. The scene after step `n` is rebuilt from
//! the last checkpoint at or before `n` by replaying the steps in between;
//! the simulation is deterministic, so the replay is exact, and memory
//! grows with the number of checkpoints rather than with objects × steps.
//!
//! A person's action (a scenario step) can record a few steps at one
//! instant; the timeline cannot stop between those, and the scene after
//! any of them shows the action done.

use pvsim_engine::scenario::{RunOptions, Runner};
use pvsim_engine::sim::Sim;
use pvsim_engine::sim::clock::human;
use std::collections::BTreeMap;

use pvsim_engine::{Diagnostic, Loaded};
use serde::{Deserialize, Serialize};

use crate::observer::Observer;
use crate::{Scene, Slots, controller_slot, object_name};

/// One step of the timeline, as its caption and the scrubber's mark show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StepInfo {
    /// Simulated time in milliseconds, and as kubectl writes ages.
    pub at: u64,
    pub clock: String,
    /// The component that acted (`persistentvolume-controller`) and its
    /// slot in the picture's control plane.
    pub component: String,
    pub slot: String,
    /// `persistentvolumeclaim/default/data`.
    pub object: String,
    /// `update PersistentVolume/pv1`, `create ...`, `delete ...`.
    pub writes: Vec<String>,
    pub events: Vec<EventLine>,
    /// What the step did, in one line of plain English.
    pub gloss: String,
    /// Whether the simulation came to rest after this step, with nothing in
    /// flight until a timer or a person acts (a settled state: upstream's
    /// scheduler simulator calls the stretch up to it a major step).
    pub settled: bool,
    /// How the scenario gets back to this moment: what acting here keeps.
    pub replay: Replay,
}

/// The scenario's first `steps` steps, then a wait (see
/// [`pvsim_engine::scenario::Replay`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Replay {
    pub steps: u32,
    pub wait: Wait,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Wait {
    #[default]
    None,
    Idle,
    Millis(u64),
}

impl From<pvsim_engine::scenario::Replay> for Replay {
    fn from(r: pvsim_engine::scenario::Replay) -> Replay {
        use pvsim_engine::scenario::Until;
        Replay {
            steps: u32::try_from(r.steps).unwrap_or(u32::MAX),
            wait: match r.wait {
                None => Wait::None,
                Some(Until::Idle) => Wait::Idle,
                Some(Until::Time(ms)) => Wait::Millis(ms),
            },
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventLine {
    /// The event's record in the cluster's event log: a repeated event
    /// is one record seen several times, as kubectl aggregates it.
    pub record: usize,
    /// The involved object as `kubectl get events` names it
    /// (`persistentvolumeclaim/data`), its namespace and its uid.
    pub namespace: String,
    pub object: String,
    pub uid: String,
    #[serde(rename = "type")]
    pub type_: String,
    pub reason: String,
    pub message: String,
}

#[derive(Clone)]
struct Checkpoint {
    /// Steps recorded when the checkpoint was taken.
    done: usize,
    runner: Runner,
    slots: Slots,
}

/// Every step of a run, and the scene after any of them.
pub struct Timeline {
    steps: Vec<StepInfo>,
    checkpoints: Vec<Checkpoint>,
    profile: String,
    seed: u64,
    /// The Scenario's `spec.title` and `spec.description`, if any.
    title: String,
    description: String,
    diagnostics: Vec<Diagnostic>,
    refused: Vec<String>,
    /// How many slots each container needed over the whole run.
    extent: BTreeMap<String, usize>,
}

impl std::fmt::Debug for Timeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Timeline")
            .field("steps", &self.steps.len())
            .field("checkpoints", &self.checkpoints.len())
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

/// How many steps lie between two checkpoints by default.
pub const CHECKPOINT_EVERY: usize = 64;

/// A checkpoint copies the cluster as it stands (objects, queue, the
/// controllers' memory: about 1.5 KB an object on a 1,800-object paste;
/// the history is shared), so on a large cluster checkpoints are also
/// spaced by its size: at least one step for every this many objects.
/// Their memory then grows with the run's steps rather than steps ×
/// objects, and a replay runs at most `objects / 16` steps (1,800 objects:
/// 22 checkpoints instead of 41, scenes replayed in 35 to 65 ms release).
const OBJECTS_PER_CHECKPOINT_STEP: usize = 16;

fn step_info(sim: &Sim, index: usize) -> StepInfo {
    let step = &sim.steps()[index];
    let component = step.controller.component();
    let first = step.events.first().map(|i| &sim.events().records()[*i]);
    let object = object_name(&step.key);
    StepInfo {
        gloss: crate::gloss::gloss(
            component,
            &object,
            &step.writes,
            first.map(|e| (e.reason, e.message.as_str())),
        ),
        at: step.at,
        clock: human(step.at),
        component: component.to_owned(),
        slot: controller_slot(component).to_owned(),
        object,
        writes: step.writes.clone(),
        events: step
            .events
            .iter()
            .map(|i| {
                let e = &sim.events().records()[*i];
                EventLine {
                    record: *i,
                    namespace: e.namespace.clone(),
                    object: e.object(),
                    uid: e.involved.uid.clone(),
                    type_: e.type_.to_owned(),
                    reason: e.reason.to_owned(),
                    message: e.message.clone(),
                }
            })
            .collect(),
        settled: false,
        replay: Replay::default(),
    }
}

impl Timeline {
    /// Plays the whole run, keeping a checkpoint every `every` steps.
    pub fn new(loaded: &Loaded, options: &RunOptions, every: usize) -> Result<Timeline, String> {
        let mut runner = Runner::new(loaded, options)?;
        let mut slots = Slots::default();
        let mut observer = Observer::new(runner.sim(), &mut slots);
        let mut checkpoints = vec![Checkpoint {
            done: runner.sim().steps().len(),
            runner: runner.clone(),
            slots: slots.clone(),
        }];
        let mut steps: Vec<StepInfo> = Vec::new();
        while runner.advance() {
            // The step before this advance ended a settled stretch when the
            // simulation came to rest after it.
            if runner.rested()
                && let Some(last) = steps.last_mut()
            {
                last.settled = true;
            }
            let sim = runner.sim();
            let replay = Replay::from(runner.replay());
            for i in steps.len()..sim.steps().len() {
                let mut info = step_info(sim, i);
                info.replay = replay;
                steps.push(info);
            }
            observer.update(sim, &mut slots);
            let since = checkpoints.last().map_or(0, |c| c.done);
            let spacing = every
                .max(1)
                .max(sim.store().len() / OBJECTS_PER_CHECKPOINT_STEP);
            if steps.len() - since >= spacing {
                checkpoints.push(Checkpoint {
                    done: steps.len(),
                    runner: runner.clone(),
                    slots: slots.clone(),
                });
            }
        }
        // The end is settled.
        if let Some(last) = steps.last_mut() {
            last.settled = true;
        }
        Ok(Timeline {
            steps,
            checkpoints,
            profile: runner.profile().to_owned(),
            seed: runner.seed(),
            title: runner.scenario().title.clone(),
            description: runner.scenario().description.clone(),
            diagnostics: runner.diagnostics().to_vec(),
            refused: runner.refused().to_vec(),
            extent: slots.extent().clone(),
        })
    }

    /// The steps, in order.
    pub fn steps(&self) -> &[StepInfo] {
        &self.steps
    }

    /// Which profile the run used and what it added, in one line.
    pub fn profile(&self) -> &str {
        &self.profile
    }

    /// The seed the run used.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The story's title and description, from the input's Scenario
    /// (empty when it has none).
    pub fn story(&self) -> (&str, &str) {
        (&self.title, &self.description)
    }

    /// The input's diagnostics.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Every request the API server refused during the run, in its words.
    pub fn refused(&self) -> &[String] {
        &self.refused
    }

    /// How many slots each container needed over the whole run: what
    /// [`crate::Layout::of`] sizes containers by, so nothing moves.
    pub fn extent(&self) -> &BTreeMap<String, usize> {
        &self.extent
    }

    /// How many checkpoints the timeline keeps.
    pub fn checkpoints(&self) -> usize {
        self.checkpoints.len()
    }

    /// The scene after the first `n` steps (0: before any), replayed from
    /// the nearest checkpoint; `n` past the end gives the last scene.
    pub fn scene(&self, n: usize) -> Scene {
        let (runner, mut slots) = self.replay(n);
        Scene::build(runner.sim(), &mut slots)
    }

    /// The simulation after the first `n` steps, for the panels (tables,
    /// describe, explain) at that moment.
    pub fn sim_at(&self, n: usize) -> Sim {
        self.replay(n).0.sim().clone()
    }

    fn replay(&self, n: usize) -> (Runner, Slots) {
        let checkpoint = self
            .checkpoints
            .iter()
            .rev()
            .find(|c| c.done <= n)
            .unwrap_or(&self.checkpoints[0]);
        let mut runner = checkpoint.runner.clone();
        let mut slots = checkpoint.slots.clone();
        let mut observer = Observer::new(runner.sim(), &mut slots);
        while runner.sim().steps().len() < n && runner.advance() {
            observer.update(runner.sim(), &mut slots);
        }
        (runner, slots)
    }

    /// The next settled step after step `n`: see [`next_settled`].
    pub fn next_settled(&self, n: usize) -> usize {
        next_settled(&self.steps, n)
    }

    /// The settled step before step `n`: see [`previous_settled`].
    pub fn previous_settled(&self, n: usize) -> usize {
        previous_settled(&self.steps, n)
    }
}

/// The next settled step after `n` steps done (counted from 1), or the
/// last step.
pub fn next_settled(steps: &[StepInfo], n: usize) -> usize {
    steps
        .iter()
        .enumerate()
        .skip(n)
        .find(|(_, s)| s.settled)
        .map_or(steps.len(), |(i, _)| i + 1)
}

/// The settled step before `n` steps done, or 0.
pub fn previous_settled(steps: &[StepInfo], n: usize) -> usize {
    steps
        .iter()
        .enumerate()
        .take(n.saturating_sub(1))
        .rev()
        .find(|(_, s)| s.settled)
        .map_or(0, |(i, _)| i + 1)
}
