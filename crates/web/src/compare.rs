//! Static versus dynamic, side by side: two scenarios played in lock step,
//! each with its own picture, storage figures and events, so the case for
//! dynamic provisioning shows in numbers (capacity wasted, volumes written
//! by hand against volumes the cluster made).
//!
//! Each side has a worker of its own (a [`Bridge`]), so each runs exactly
//! as the playground would run it alone. One clock drives both: its
//! milestones are the simulated times at which either side does
//! something, and at a milestone each side shows every step it took up
//! to that time. By default the
//! left side is the static-provisioning story and the right the same
//! claim and Deployment provisioned by a StorageClass; either side can be
//! replaced by a scenario from the gallery or by the editor's YAML.
//!
//! Simplification: the steps one side takes at one simulated instant are
//! shown together, since the other side has no steps between them to
//! stand beside.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use pvsim_scene::protocol::{Request, Response};
use pvsim_scene::{Figures, Layout, Scene, StepInfo};
use yew::prelude::*;

use crate::app::{Tag, focus_when_drawn, open_gallery};
use crate::bridge::Bridge;
use crate::picture::Picture;
use crate::sample::{DYNAMIC_PROVISIONING, STATIC_PROVISIONING};
use crate::timeline::{BACK, FORWARD, PAUSE, PLAY, PREVIOUS_SETTLED, icon};

/// How long playback rests on each milestone.
const PLAY_EVERY_MS: u32 = 1_400;
const SIDE_NAMES: [&str; 2] = ["left", "right"];

/// The storage figures of a scene, as a strip of terms: the playground's
/// and each side of the compare view.
pub fn figures(f: &Figures) -> Html {
    let wasted = format!(
        "Capacity no claim uses: {} in volumes no claim holds, {} beyond what bound claims asked for",
        f.unclaimed, f.oversized
    );
    let terms: [(&str, String, &str); 7] = [
        (
            "Provisioned",
            f.provisioned.clone(),
            "Capacity of every volume",
        ),
        (
            "Requested",
            f.requested.clone(),
            "Storage every claim requests",
        ),
        ("Wasted", f.wasted.clone(), &wasted),
        (
            "Released, kept",
            f.orphaned.to_string(),
            "Released volumes that Retain keeps",
        ),
        (
            "Lost claims",
            f.lost.to_string(),
            "Claims whose volume is gone",
        ),
        (
            "Written by hand",
            f.by_hand.to_string(),
            "Volumes, claims, classes, pods and workloads a person wrote",
        ),
        (
            "Made by the cluster",
            f.by_cluster.to_string(),
            "Volumes and claims the controllers created",
        ),
    ];
    html! {
        <dl class="pv-figures" aria-label="Storage figures">
            { for terms.into_iter().map(|(label, value, about)| html! {
                <div title={about.to_owned()}><dt>{ label }</dt><dd>{ value }</dd></div>
            }) }
        </dl>
    }
}

/// Gives the keyboard back to a side's Replace button, once drawn.
fn back_to_replace(side: usize) {
    focus_when_drawn(format!("#pv-replace-{}", SIDE_NAMES[side]));
}

struct Run {
    /// Errors in the side's YAML: the objects they name did not run.
    errors: usize,
    steps: Vec<StepInfo>,
    total: usize,
    extent: std::collections::BTreeMap<String, usize>,
    title: String,
    profile: String,
}

struct Side {
    bridge: Bridge<Tag>,
    simulation: u32,
    run: Option<Run>,
    failure: Option<String>,
    /// The scene shown, and the step it is after.
    drawn: Option<(usize, Rc<Scene>, Rc<Layout>)>,
    in_flight: bool,
}

impl Side {
    fn complete(&self) -> bool {
        self.run.as_ref().is_some_and(|r| r.steps.len() == r.total)
    }
}

// Large on wasm32 only: a message lives for one update, and the page's
// own Msg carries answers the same way.
#[allow(clippy::large_enum_variant)]
pub enum Msg {
    Answer(usize, Option<Tag>, Response),
    /// Goes to a milestone.
    Go(usize),
    Play(bool),
    Tick(u32),
    /// Opens the gallery to replace a side.
    Choose(usize),
    Open(usize, String),
    /// The gallery closed without a choice for a side.
    Chose(usize),
    Failed(String),
    Key(KeyboardEvent),
}

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    /// The editor's YAML, which either side can take.
    pub editor_yaml: AttrValue,
    pub on_close: Callback<()>,
}

pub struct Compare {
    sides: [Side; 2],
    /// Milestones: a simulated time in ms and its clock (`2m5s`).
    milestones: Vec<(u64, String)>,
    /// 0 is before any step; n is the nth milestone.
    at: usize,
    playing: bool,
    play: u32,
    timer: Option<Timeout>,
    /// Why the gallery could not open.
    note: Option<String>,
}

impl Compare {
    fn simulate(&mut self, side: usize, yaml: &str) {
        let s = &mut self.sides[side];
        s.simulation += 1;
        (s.run, s.failure, s.drawn, s.in_flight) = (None, None, None, false);
        s.bridge.send(
            Tag::Simulate(s.simulation),
            &Request::Simulate {
                file: format!("{}.yaml", SIDE_NAMES[side]),
                yaml: yaml.to_owned(),
                profile: None,
                seed: None,
            },
        );
        self.milestones.clear();
        self.at = 0;
    }

    /// The steps a side has taken at the current milestone.
    fn step_of(&self, side: usize) -> usize {
        let Some(run) = &self.sides[side].run else {
            return 0;
        };
        match self.at.checked_sub(1).and_then(|i| self.milestones.get(i)) {
            None => 0,
            Some((t, _)) => run.steps.partition_point(|s| s.at <= *t),
        }
    }

    /// Once both runs are complete: every simulated time at which either
    /// side changes.
    fn find_milestones(&mut self) {
        if !self.sides.iter().all(Side::complete) {
            return;
        }
        let mut all: Vec<(u64, String)> = Vec::new();
        for run in self.sides.iter().filter_map(|s| s.run.as_ref()) {
            all.extend(run.steps.iter().map(|s| (s.at, s.clock.clone())));
        }
        pvsim_engine::sort::stable(&mut all);
        all.dedup_by_key(|m| m.0);
        self.milestones = all;
    }

    fn want_scenes(&mut self) {
        for side in 0..2 {
            let step = self.step_of(side);
            let s = &mut self.sides[side];
            if s.in_flight || s.run.is_none() || s.drawn.as_ref().is_some_and(|d| d.0 == step) {
                continue;
            }
            s.in_flight = true;
            s.bridge.send(Tag::Scene, &Request::Scene { step });
        }
    }

    fn schedule(&mut self, ctx: &Context<Self>) {
        if !self.playing || self.sides.iter().any(|s| s.in_flight) {
            return;
        }
        if self.at >= self.milestones.len() {
            self.playing = false;
            return;
        }
        let (link, play) = (ctx.link().clone(), self.play);
        self.timer = Some(Timeout::new(PLAY_EVERY_MS, move || {
            link.send_message(Msg::Tick(play));
        }));
    }

    fn answer(&mut self, side: usize, tag: Option<Tag>, response: Response) {
        let s = &mut self.sides[side];
        match (tag, response) {
            (
                Some(Tag::Simulate(n)),
                Response::Simulated {
                    steps,
                    total_steps,
                    extent,
                    title,
                    profile,
                    diagnostics,
                    ..
                },
            ) if n == s.simulation => {
                if steps.len() < total_steps {
                    s.bridge
                        .send(Tag::Steps(n), &Request::Steps { from: steps.len() });
                }
                s.run = Some(Run {
                    errors: diagnostics
                        .iter()
                        .filter(|d| d.severity == pvsim_engine::Severity::Error)
                        .count(),
                    steps,
                    total: total_steps,
                    extent,
                    title,
                    profile,
                });
                self.find_milestones();
            }
            (Some(Tag::Steps(n)), Response::Steps { from, steps }) if n == s.simulation => {
                let Some(run) = s.run.as_mut().filter(|r| r.steps.len() == from) else {
                    return;
                };
                run.steps.extend(steps);
                if run.steps.len() < run.total {
                    s.bridge.send(
                        Tag::Steps(n),
                        &Request::Steps {
                            from: run.steps.len(),
                        },
                    );
                }
                self.find_milestones();
            }
            (Some(Tag::Scene), Response::Scene { step, scene }) => {
                s.in_flight = false;
                if let Some(run) = &s.run {
                    let layout = Layout::of(&scene, &run.extent);
                    s.drawn = Some((step, Rc::from(scene), Rc::new(layout)));
                }
            }
            (Some(Tag::Simulate(n)), Response::Failed { message }) if n == s.simulation => {
                s.failure = Some(message);
            }
            (tag, Response::Failed { message }) => {
                // A scene that failed, or a worker that died, owes nothing more.
                if matches!(tag, None | Some(Tag::Scene)) {
                    s.in_flight = false;
                }
                s.failure = Some(message);
            }
            _ => {}
        }
    }

    fn side(&self, ctx: &Context<Self>, index: usize) -> Html {
        let link = ctx.link();
        let s = &self.sides[index];
        let name = SIDE_NAMES[index];
        let step = self.step_of(index);
        let title = s
            .run
            .as_ref()
            .map(|r| r.title.clone())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "Untitled scenario".into());
        // Newest first: what just happened is at the top.
        let mut events = Vec::new();
        if let Some(r) = &s.run {
            for st in r.steps[..step.min(r.steps.len())].iter().rev() {
                for e in st.events.iter().rev() {
                    let warning = e.type_ == "Warning";
                    events.push(html! {
                        <li class={classes!(warning.then_some("pv-row-warning"))}>
                            <span>{ format!("{} {}", st.clock, if warning { "! Warning" } else { "Normal" }) }</span>
                            <strong>{ &e.reason }</strong>
                            <span>{ &e.object }</span>
                            <span class="pv-message">{ &e.message }</span>
                        </li>
                    });
                }
            }
        }
        let count = events.len();
        let body = match (&s.failure, &s.drawn) {
            (Some(message), _) => html! {
                <div class="pv-picture-empty" role="alert"><p>{ message }</p></div>
            },
            (None, Some((_, scene, layout))) => html! {
                <>
                    { figures(&scene.figures) }
                    <Picture scene={scene.clone()} layout={layout.clone()} animate={false}
                        caption={AttrValue::from(format!("The {name} cluster at {}", scene.clock))} />
                    <p class="pv-scroll-hint" aria-hidden="true">{ "Swipe the picture sideways to see all of it." }</p>
                </>
            },
            (None, None) => html! { <div class="pv-picture-empty"><p>{ "Simulating…" }</p></div> },
        };
        html! {
            <section class="pv-compare-side" aria-label={format!("{title} ({name})")}>
                <div class="pv-compare-head">
                    <h3>{ &title }</h3>
                    <div class="pv-compare-choose">
                        <button type="button" class="pv-button" id={format!("pv-replace-{name}")} onclick={link.callback(move |_| Msg::Choose(index))}
                            aria-label={format!("Replace the {name} side from the gallery")}>{ "Replace…" }</button>
                        <button type="button" class="pv-button"
                            onclick={
                                let yaml = ctx.props().editor_yaml.to_string();
                                link.callback(move |_| Msg::Open(index, yaml.clone()))
                            }
                            aria-label={format!("Put the editor's YAML on the {name} side")}>{ "Editor's YAML" }</button>
                    </div>
                </div>
                <p class="pv-profile-line">{ s.run.as_ref().map(|r| r.profile.clone()).unwrap_or_default() }</p>
                if let Some(errors) = s.run.as_ref().map(|r| r.errors).filter(|e| *e > 0) {
                    <p class="pv-notice" role="alert">{ format!(
                        "This YAML has {} the API server refuses: the objects they name are not here. The playground's Problems tab lists them.",
                        if errors == 1 { "an error".to_owned() } else { format!("{errors} errors") }
                    ) }</p>
                }
                { body }
                <h4>{ format!("Events ({count})") }</h4>
                <ol class="pv-compare-events" aria-label={format!("Events on the {name} side")} tabindex="0">
                    if events.is_empty() { <li class="pv-empty">{ "No events yet." }</li> }
                    { for events }
                </ol>
            </section>
        }
    }
}

impl Component for Compare {
    type Message = Msg;
    type Properties = CompareProps;

    fn create(ctx: &Context<Self>) -> Self {
        let bridge = |side: usize| {
            Bridge::new(
                ctx.link()
                    .callback(move |(tag, response)| Msg::Answer(side, tag, response)),
            )
        };
        let side = |i| Side {
            bridge: bridge(i),
            simulation: 0,
            run: None,
            failure: None,
            drawn: None,
            in_flight: false,
        };
        let mut compare = Compare {
            sides: [side(0), side(1)],
            milestones: Vec::new(),
            at: 0,
            playing: false,
            play: 0,
            timer: None,
            note: None,
        };
        compare.simulate(0, STATIC_PROVISIONING);
        compare.simulate(1, DYNAMIC_PROVISIONING);
        compare
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Answer(side, tag, response) => self.answer(side, tag, response),
            Msg::Go(at) => {
                self.at = at.min(self.milestones.len());
                self.playing = false;
                self.play += 1;
            }
            Msg::Play(on) => {
                if on && self.at >= self.milestones.len() {
                    self.at = 0;
                }
                self.playing = on;
                self.play += 1;
                self.timer = None;
            }
            Msg::Tick(play) => {
                if play != self.play || !self.playing {
                    return false;
                }
                self.at = (self.at + 1).min(self.milestones.len());
            }
            Msg::Choose(side) => {
                let link = ctx.link();
                open_gallery(
                    link.callback(move |yaml| Msg::Open(side, yaml)),
                    link.callback(move |()| Msg::Chose(side)),
                    link.callback(Msg::Failed),
                    Some(&format!(
                        "Choose a scenario for the {} side",
                        SIDE_NAMES[side]
                    )),
                );
                return false;
            }
            Msg::Chose(side) => {
                back_to_replace(side);
                return false;
            }
            Msg::Failed(message) => self.note = Some(message),
            Msg::Key(e) => {
                // The playground's keys: Space plays and pauses, the arrows
                // step (the slider moves itself with them).
                let on_control = e
                    .target()
                    .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                    .is_some_and(|t| matches!(t.tag_name().as_str(), "INPUT" | "BUTTON"));
                let msg = match e.key().as_str() {
                    " " if !on_control => Msg::Play(!self.playing),
                    "ArrowLeft" if !on_control => Msg::Go(self.at.saturating_sub(1)),
                    "ArrowRight" if !on_control => Msg::Go(self.at + 1),
                    _ => return false,
                };
                e.prevent_default();
                return Component::update(self, ctx, msg);
            }
            Msg::Open(side, yaml) => {
                back_to_replace(side);
                self.playing = false;
                self.note = None;
                self.simulate(side, &yaml);
            }
        }
        self.want_scenes();
        self.schedule(ctx);
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let total = self.milestones.len();
        let at = self.at;
        let clock = at
            .checked_sub(1)
            .and_then(|i| self.milestones.get(i))
            .map_or_else(|| "the start".to_owned(), |m| m.1.clone());
        let text = format!("milestone {at} of {total}, at {clock}");
        let on_range = link.callback(|e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            Msg::Go(input.value().parse().unwrap_or(0))
        });
        html! {
            <section class="pv-compare" aria-label="Compare" onkeydown={link.callback(Msg::Key)}>
                <div class="pv-compare-bar">
                    <h2 tabindex="-1">{ "Compare two scenarios" }</h2>
                    <button type="button" class="pv-button" onclick={ctx.props().on_close.reform(|_| ())}>{ "Back to the playground" }</button>
                </div>
                if let Some(note) = &self.note { <p class="pv-notice" role="alert">{ note }</p> }
                <div class="pv-compare-controls" role="group" aria-label="Both timelines">
                    <button type="button" class="pv-icon-button" aria-label="Restart" title="Restart"
                        aria-disabled={(at == 0).to_string()} onclick={link.callback(|_| Msg::Go(0))}>{ icon(PREVIOUS_SETTLED) }</button>
                    <button type="button" class="pv-icon-button" aria-label="Previous milestone" title="Previous milestone (←)"
                        aria-disabled={(at == 0).to_string()}
                        onclick={link.callback(move |_| Msg::Go(at.saturating_sub(1)))}>{ icon(BACK) }</button>
                    if self.playing {
                        <button type="button" class="pv-icon-button pv-play" aria-label="Pause" title="Pause (Space)"
                            onclick={link.callback(|_| Msg::Play(false))}>{ icon(PAUSE) }</button>
                    } else {
                        <button type="button" class="pv-icon-button pv-play" aria-label="Play" title="Play both (Space)"
                            aria-disabled={(total == 0).to_string()} onclick={link.callback(|_| Msg::Play(true))}>{ icon(PLAY) }</button>
                    }
                    <button type="button" class="pv-icon-button" aria-label="Next milestone" title="Next milestone (→)"
                        aria-disabled={(at >= total).to_string()}
                        onclick={link.callback(move |_| Msg::Go(at + 1))}>{ icon(FORWARD) }</button>
                    <input type="range" min="0" max={total.to_string()} value={at.to_string()}
                        aria-label="Milestone" aria-valuetext={text.clone()} oninput={on_range} />
                    <span class="pv-compare-clock" aria-hidden="true">{ text }</span>
                </div>
                <p class="pv-compare-key">
                    <strong>{ "Wasted" }</strong>{ ": capacity in volumes no claim holds, and beyond what bound claims asked for. " }
                    <strong>{ "Written by hand" }</strong>{ ": volumes, claims, classes, pods and workloads a person wrote. " }
                    <strong>{ "Made by the cluster" }</strong>{ ": volumes and claims the controllers created." }
                </p>
                <div class="pv-compare-sides">
                    { self.side(ctx, 0) }
                    { self.side(ctx, 1) }
                </div>
            </section>
        }
    }
}
