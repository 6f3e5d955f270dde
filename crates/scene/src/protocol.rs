//! The one protocol between the page and the worker that holds the
//! simulation: a [`Request`] enum the page sends and a [`Response`] enum
//! the worker answers with, both serde, versioned by [`PROTOCOL_VERSION`].
//! [`Session`] is the worker's side without the worker: it owns the run
//! and answers every request, so the whole exchange is tested natively and
//! the worker itself only moves messages.
//!
//! On the wire, messages are [`encode`]d with postcard, a compact binary
//! serde format, and posted as bytes. Its decoder is a fraction of the
//! size of a JSON one, and the page and its worker are the same build, so
//! they never disagree on the shapes; [`PROTOCOL_VERSION`] is checked all
//! the same.
//!
//! Every request about a moment names its step: the number of timeline
//! steps done (0 is before any). The page never guesses the worker's
//! state; every answer says which step it describes.

use pvsim_engine::scenario::RunOptions;
use pvsim_engine::sim::store::ObjKey;
use pvsim_engine::{Diagnostic, explain, load, print};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::{CHECKPOINT_EVERY, Scene, StepInfo, Timeline};

/// Bumped whenever a message changes shape.
pub const PROTOCOL_VERSION: u32 = 4;

/// A message as the page and the worker send it.
pub fn encode<T: Serialize>(message: &T) -> Result<Vec<u8>, String> {
    postcard::to_allocvec(message).map_err(|e| e.to_string())
}

/// A message from the bytes [`encode`] made.
pub fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, String> {
    postcard::from_bytes(bytes).map_err(|e| e.to_string())
}

/// The most steps one message carries.
pub const STEPS_PER_MESSAGE: usize = 500;

fn chunk(steps: &[StepInfo], from: usize) -> Vec<StepInfo> {
    steps
        .iter()
        .skip(from)
        .take(STEPS_PER_MESSAGE)
        .cloned()
        .collect()
}

/// What the page asks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Request {
    /// Read YAML as the API server would, without simulating: the
    /// diagnostics the editor shows while a person types.
    Check {
        file: String,
        yaml: String,
    },
    /// Read YAML and simulate it; replaces the session's run.
    Simulate {
        file: String,
        yaml: String,
        profile: Option<String>,
        seed: Option<u64>,
    },
    /// More of the timeline's steps, from `from` on (the first ones come
    /// with [`Response::Simulated`]).
    Steps {
        from: usize,
    },
    /// The scene after `step` steps.
    Scene {
        step: usize,
    },
    /// `kubectl get ... -o wide` and `kubectl get events` after `step` steps.
    Tables {
        step: usize,
    },
    Events {
        step: usize,
    },
    /// An object as the API server returns it, as YAML.
    Object {
        step: usize,
        object: ObjectRef,
    },
    /// An object as `kubectl describe` prints it.
    Describe {
        step: usize,
        object: ObjectRef,
    },
    /// Why a claim or pod is where it is, or (no object) every problem.
    Explain {
        step: usize,
        object: Option<ObjectRef>,
    },
}

/// An object by kind (`PersistentVolumeClaim`, `Pod`, ...), namespace
/// (empty for cluster-scoped kinds) and name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectRef {
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

/// What the worker answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Response {
    /// The worker has started and answers requests from now on.
    Ready {
        version: u32,
    },
    /// What reading the YAML found.
    Checked {
        diagnostics: Vec<Diagnostic>,
    },
    /// The run is ready: what the input said about itself, the profile's
    /// line, and every step of the timeline.
    Simulated {
        version: u32,
        diagnostics: Vec<Diagnostic>,
        refused: Vec<String>,
        profile: String,
        /// The seed the run used: the request's, the Scenario's, or 0.
        seed: u64,
        /// The Scenario's title and description, if the input has one.
        title: String,
        description: String,
        /// The first steps of the timeline, at most [`STEPS_PER_MESSAGE`];
        /// the page asks for the rest with [`Request::Steps`], so no
        /// message takes long to read.
        steps: Vec<StepInfo>,
        /// How many steps the timeline has in all.
        total_steps: usize,
        /// How many slots each container needs over the whole run: what
        /// [`crate::Layout::of`] sizes the picture by.
        extent: BTreeMap<String, usize>,
    },
    /// Steps of the timeline from `from` on, at most
    /// [`STEPS_PER_MESSAGE`].
    Steps {
        from: usize,
        steps: Vec<StepInfo>,
    },
    Scene {
        step: usize,
        scene: Box<Scene>,
    },
    /// Text as kubectl (or `pvsim explain`) prints it.
    Text {
        step: usize,
        text: String,
    },
    /// The request could not be answered: why, in words for the person.
    Failed {
        message: String,
    },
}

/// The worker's state: the run it simulated last.
#[derive(Debug, Default)]
pub struct Session {
    timeline: Option<Timeline>,
}

impl Session {
    /// Answers one request.
    pub fn handle(&mut self, request: Request) -> Response {
        if let Request::Simulate {
            file,
            yaml,
            profile,
            seed,
        } = request
        {
            return self.simulate(&file, &yaml, profile, seed);
        }
        if let Request::Check { file, yaml } = request {
            return Response::Checked {
                diagnostics: load(&file, yaml.as_bytes()).diagnostics,
            };
        }
        let Some(timeline) = &self.timeline else {
            return Response::Failed {
                message: "nothing has been simulated yet".into(),
            };
        };
        match request {
            Request::Simulate { .. } | Request::Check { .. } => unreachable!("answered above"),
            Request::Steps { from } => Response::Steps {
                from,
                steps: chunk(timeline.steps(), from),
            },
            Request::Scene { step } => Response::Scene {
                step,
                scene: Box::new(timeline.scene(step)),
            },
            Request::Tables { step } => Response::Text {
                step,
                text: print::tables(&timeline.sim_at(step), true),
            },
            Request::Events { step } => Response::Text {
                step,
                text: print::events(&timeline.sim_at(step)),
            },
            Request::Object { step, object } => {
                let sim = timeline.sim_at(step);
                let Some(key) = key_of(&object) else {
                    return not_found(&object);
                };
                match sim.store().get(&key) {
                    Some(o) => Response::Text {
                        step,
                        text: pvsim_engine::yaml::to_yaml(&o.to_json()),
                    },
                    None => not_found(&object),
                }
            }
            Request::Describe { step, object } => {
                let sim = timeline.sim_at(step);
                match print::describe(&sim, &object.kind, &object.namespace, &object.name) {
                    Ok(text) => Response::Text { step, text },
                    Err(message) => Response::Failed { message },
                }
            }
            Request::Explain { step, object } => {
                let sim = timeline.sim_at(step);
                let text = match &object {
                    None => Ok(explain::problems_text(&explain::problems(&sim))),
                    Some(o) if o.kind == "PersistentVolumeClaim" => {
                        explain::claim(&sim, &o.namespace, &o.name).map(|e| e.text())
                    }
                    Some(o) if o.kind == "Pod" => {
                        explain::pod(&sim, &o.namespace, &o.name).map(|e| e.text())
                    }
                    Some(o) => Err(format!(
                        "explain knows claims and pods; {} is neither",
                        o.kind
                    )),
                };
                match text {
                    Ok(text) => Response::Text { step, text },
                    Err(message) => Response::Failed { message },
                }
            }
        }
    }

    fn simulate(
        &mut self,
        file: &str,
        yaml: &str,
        profile: Option<String>,
        seed: Option<u64>,
    ) -> Response {
        let loaded = load(file, yaml.as_bytes());
        let options = RunOptions {
            profile,
            seed,
            ..RunOptions::default()
        };
        match Timeline::new(&loaded, &options, CHECKPOINT_EVERY) {
            Ok(timeline) => {
                let response = Response::Simulated {
                    version: PROTOCOL_VERSION,
                    diagnostics: timeline.diagnostics().to_vec(),
                    refused: timeline.refused().to_vec(),
                    profile: timeline.profile().to_owned(),
                    seed: timeline.seed(),
                    title: timeline.story().0.to_owned(),
                    description: timeline.story().1.to_owned(),
                    steps: chunk(timeline.steps(), 0),
                    total_steps: timeline.steps().len(),
                    extent: timeline.extent().clone(),
                };
                self.timeline = Some(timeline);
                response
            }
            Err(message) => {
                self.timeline = None;
                Response::Failed { message }
            }
        }
    }
}

fn key_of(o: &ObjectRef) -> Option<ObjKey> {
    let kind = pvsim_engine::KINDS
        .iter()
        .find(|k| k.kind == o.kind)
        .map(|k| k.kind)?;
    Some(ObjKey::new(kind, &o.namespace, &o.name))
}

fn not_found(o: &ObjectRef) -> Response {
    Response::Failed {
        message: format!(
            "{} {:?} not found{}",
            o.kind,
            o.name,
            if o.namespace.is_empty() {
                String::new()
            } else {
                format!(" in namespace {:?}", o.namespace)
            }
        ),
    }
}
