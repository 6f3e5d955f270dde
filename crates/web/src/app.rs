//! The playground: the YAML on the left, the picture and its timeline in
//! the middle, the panels under them.
//!
//! The page holds no simulation. It sends the YAML to the worker (see
//! `bridge.rs`) and keeps what the worker answers: the diagnostics, the
//! timeline's steps, the scene at the current step and the text of the
//! open panel. It asks for at most one scene and one panel text at a
//! time, always for the current step, so scrubbing fast never queues a
//! backlog. Playback asks for the next step only once the current one is
//! drawn, and waits [`delay_ms`] before it.

use std::collections::BTreeMap;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use pvsim_engine::cluster::profile::PROFILES;
use pvsim_engine::{Diagnostic, KUBERNETES_VERSION, Severity};
use pvsim_scene::edit::with_step;
use pvsim_scene::protocol::{ObjectRef, Request, Response};
use pvsim_scene::{Layout, Scene, StepInfo, next_settled, previous_settled};
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use crate::actions::{Act, ActionBar, ActionMenu, Form};
use crate::bridge::Bridge;
use crate::components::{Editor, Mark};
use crate::panels::{Panels, Printed, Tab};
use crate::picture::{Pick, Picture};
use crate::sample::STATIC_PROVISIONING;
use crate::saved;
use crate::share::{self, Shared};
use crate::timeline::{Command, Speed, Timeline, delay_ms, value_text};

const FILE: &str = "manifest.yaml";

/// Steps faster than this snap instead of sliding.
const SLIDE_MIN_MS: u32 = 450;
/// While playing, the live region speaks at most this often.
const ANNOUNCE_EVERY_MS: f64 = 5_000.0;

/// What a request to the worker was for.
#[derive(Clone, Debug, PartialEq)]
pub enum Tag {
    Check(u32),
    Simulate(u32),
    Steps(u32),
    Scene,
    Printed(Tab, usize, Option<Pick>),
}

/// Which part of the page a narrow screen shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Manifest,
    Cluster,
    Panels,
}

pub enum Msg {
    Edit(String),
    Check(u32),
    Apply,
    Reset,
    Profile(String),
    Answer(Option<Tag>, Response),
    Command(Command),
    Tick(u32),
    Select(Option<Pick>),
    PickUid(String),
    Hover(Option<String>),
    Tab(Tab),
    Jump((u32, u32)),
    View(View),
    Key(KeyboardEvent),
    Act(Act),
    Gallery(bool),
    GalleryFailed(String),
    /// Opens a manifest from the gallery (empty: a blank start).
    Open(String),
    Menu(Option<(Pick, i32, i32)>),
    Form(Option<Form>),
    /// Opens the Share dialog, or (false) hears it closed.
    Share(bool),
    /// What the link the page was opened with holds, or why it cannot.
    Shared(Result<Shared, String>),
    /// A chosen or dropped file: its name and text.
    File(Result<(String, String), String>),
    Notice(Option<String>),
    /// Opens or closes the compare view.
    Compare(bool),
}

struct Run {
    /// The steps received so far; more come while `steps.len() < total`.
    steps: Rc<Vec<StepInfo>>,
    total: usize,
    extent: BTreeMap<String, usize>,
    profile: String,
    seed: u64,
    title: String,
    description: String,
}

struct Drawn {
    step: usize,
    scene: Rc<Scene>,
    layout: Rc<Layout>,
}

/// The callbacks the page hands its components, made once: a component
/// whose props are unchanged (the same callbacks included) is not drawn
/// again, so a keystroke in the editor does not redraw the picture.
struct Callbacks {
    edit: Callback<String>,
    select: Callback<Option<Pick>>,
    hover: Callback<Option<String>>,
    command: Callback<Command>,
    tab: Callback<Tab>,
    jump: Callback<(u32, u32)>,
    pick: Callback<String>,
    act: Callback<Act>,
    menu: Callback<(Pick, i32, i32)>,
    form: Callback<Option<Form>>,
}

pub struct App {
    bridge: Bridge<Tag>,
    callbacks: Callbacks,
    yaml: String,
    applied: String,
    profile: String,
    check: u32,
    check_timer: Option<Timeout>,
    diagnostics: Rc<Vec<Diagnostic>>,
    refused: Rc<Vec<String>>,
    simulation: u32,
    simulating: bool,
    failure: Option<String>,
    run: Option<Run>,
    step: usize,
    drawn: Option<Drawn>,
    scene_in_flight: bool,
    playing: bool,
    speed: Speed,
    skip_idle: bool,
    animate: bool,
    /// Whether the last move may slide (a step forward at a calm pace).
    sliding: bool,
    play: u32,
    play_timer: Option<Timeout>,
    selected: Option<Pick>,
    highlighted: Option<String>,
    tab: Tab,
    printed: Option<Printed>,
    print_in_flight: bool,
    jump: Option<(u32, u32)>,
    /// Whether the editor may load CodeMirror: once a picture is drawn.
    editor_wanted: bool,
    /// An object's context menu, open at (x, y).
    menu: Option<(Pick, i32, i32)>,
    /// The form an action asks for.
    form: Option<Form>,
    /// What the last action did, or why it could not.
    act_note: Option<String>,
    /// Whether the gallery (`www/gallery/gallery.js`) is open.
    gallery: bool,
    /// The file the manifest came from, as diagnostics name it.
    file: String,
    /// The seed a share link asked for (else the Scenario's, or 0).
    seed: Option<u64>,
    /// The step a share link opens at, until the timeline has it.
    restore: Option<usize>,
    /// A message about the page itself: a link or a file that could not
    /// be opened.
    notice: Option<String>,
    /// Whether the compare view is shown instead of the playground.
    compare: bool,
    view: View,
    announcement: String,
    announced_at: f64,
}

/// Opens the gallery: a module of its own, imported the first time, that
/// draws its dialog and answers with a scenario's YAML (see
/// `www/gallery/gallery.js`). `label` names it when it chooses a side of
/// the compare view.
pub fn open_gallery(
    on_open: Callback<String>,
    on_close: Callback<()>,
    failed: Callback<String>,
    label: Option<&str>,
) {
    let on_open = Closure::once_into_js(move |yaml: String| on_open.emit(yaml));
    let on_close = Closure::once_into_js(move || on_close.emit(()));
    let label = label.map_or(JsValue::UNDEFINED, JsValue::from);
    wasm_bindgen_futures::spawn_local(async move {
        if crate::js::call("gallery.js", "open", &[on_open, on_close, label])
            .await
            .is_err()
        {
            failed.emit("The gallery could not be loaded.".into());
        }
    });
}

/// The manifest of a blank start.
const BLANK: &str = "# A blank start: the cluster the profile picker beside the picture gives.\n# Paste or write Kubernetes YAML here, then Apply (Ctrl+Enter).\n";

/// Gives the first element `selector` finds the keyboard (by the DOM's
/// own `focus`, which SVG elements have too).
pub fn focus(selector: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
        && let Ok(focus) = js_sys::Reflect::get(&el, &"focus".into())
    {
        let _ = js_sys::Function::from(focus).call0(&el);
    }
}

/// [`focus`], once the page has drawn what this update changed (the
/// element may not exist yet).
pub fn focus_when_drawn(selector: String) {
    Timeout::new(0, move || focus(&selector)).forget();
}

/// Opens the browser's file chooser for a manifest.
fn choose_file() {
    if let Some(input) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("pv-file-input"))
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
    {
        input.click();
    }
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Whether a CSS media query matches.
fn media_matches(query: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.match_media(query).ok().flatten())
        .is_some_and(|m| m.matches())
}

fn theme_toggle() -> Html {
    let onclick = Callback::from(|_: MouseEvent| {
        let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        else {
            return;
        };
        let dark = match root.get_attribute("data-theme").as_deref() {
            Some("dark") => false,
            Some(_) => true,
            None => !media_matches("(prefers-color-scheme: dark)"),
        };
        let theme = if dark { "dark" } else { "light" };
        let _ = root.set_attribute("data-theme", theme);
        saved::set(saved::THEME, theme);
    });
    html! {
        <button class="pv-icon-button" type="button" title="Switch light and dark mode" aria-label="Switch light and dark mode" {onclick}>
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                <path d="M12 3a9 9 0 1 0 9 9 7 7 0 0 1-9-9z" fill="currentColor"/>
            </svg>
        </button>
    }
}

fn line_sample(class: &'static str) -> Html {
    html! {
        <svg width="28" height="8" viewBox="0 0 28 8" aria-hidden="true">
            <path class={classes!("pv-link", class)} pathLength="1" d="M1 4 H27"/>
        </svg>
    }
}

/// What the picture's lines mean.
fn legend() -> Html {
    html! {
        <p class="pv-legend pv-picture-legend" aria-label="What the lines mean">
            <span>{ line_sample("pv-mount") }{ "pod mounts claim" }</span>
            <span>{ line_sample("pv-binding") }{ "claim bound to volume" }</span>
            <span>{ line_sample("pv-attachment") }{ "volume attached to node" }</span>
            <span>{ line_sample("pv-mount pv-link-waiting") }{ "dashed: not yet (waiting, pending, attaching)" }</span>
            <span>{ line_sample("pv-acting-link") }{ "the controller acting now" }</span>
        </p>
    }
}

/// What the picture shows, in one sentence.
fn describe_scene(scene: &Scene) -> String {
    let nodes: usize = scene.zones.iter().map(|z| z.nodes.len()).sum();
    let pods: usize = scene.tray.len()
        + scene
            .zones
            .iter()
            .flat_map(|z| &z.nodes)
            .map(|n| n.pods.len())
            .sum::<usize>();
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "The cluster at {}: {} in {}, {} ({} not on a node), {}, {}",
        scene.clock,
        count(nodes, "node", "nodes"),
        count(scene.zones.len(), "zone", "zones"),
        count(pods, "pod", "pods"),
        scene.tray.len(),
        count(scene.claims.len(), "claim", "claims"),
        count(scene.volumes.len(), "volume", "volumes"),
    )
}

impl App {
    fn simulate(&mut self) {
        self.simulation += 1;
        self.simulating = true;
        self.failure = None;
        self.applied = self.yaml.clone();
        self.bridge.send(
            Tag::Simulate(self.simulation),
            &Request::Simulate {
                file: self.file.clone(),
                yaml: self.yaml.clone(),
                profile: self.profile_asked(),
                seed: self.seed,
            },
        );
    }

    /// The profile the page asks for: "auto" leaves the choice to a
    /// pasted Scenario's own profile.
    fn profile_asked(&self) -> Option<String> {
        Some(self.profile.clone()).filter(|p| p != "auto")
    }

    /// Opens a manifest (from the gallery, a file or a link) in the editor,
    /// to play from its start once simulated.
    fn open(&mut self, yaml: String, file: &str) {
        (self.gallery, self.compare) = (false, false);
        self.yaml = if yaml.is_empty() {
            BLANK.to_owned()
        } else {
            yaml
        };
        file.clone_into(&mut self.file);
        saved::save_manifest(Some(&self.yaml));
        (self.selected, self.menu, self.form, self.act_note) = (None, None, None, None);
        (self.step, self.playing, self.seed, self.restore) = (0, true, None, None);
        self.run = None;
        self.view = View::Cluster;
    }

    /// Opens the Share dialog (`www/share/share.js`) with what the page
    /// shows: the YAML applied, where the timeline stands, its events.
    fn share(&mut self, ctx: &Context<Self>) {
        let Some(run) = &self.run else {
            self.notice = Some("Nothing to share yet: the scenario has not been simulated.".into());
            return;
        };
        let events: js_sys::Array = run.steps[..self.step.min(run.steps.len())]
            .iter()
            .flat_map(|s| {
                s.events.iter().map(|e| {
                    [&s.clock, &e.type_, &e.reason, &e.object, &e.message]
                        .iter()
                        .map(|t| JsValue::from(t.as_str()))
                        .collect::<js_sys::Array>()
                })
            })
            .collect();
        let data = share::object(&[
            ("file", self.file.as_str().into()),
            ("yaml", self.applied.as_str().into()),
            ("profile", self.profile.as_str().into()),
            ("seed", run.seed.to_string().into()),
            ("step", self.step.into()),
            ("total", run.total.into()),
            ("clock", self.clock().into()),
            ("title", run.title.as_str().into()),
            ("edited", (self.yaml != self.applied).into()),
            ("events", events.into()),
        ]);
        let link = ctx.link();
        share::open(
            data,
            link.callback(|()| Msg::Share(false)),
            link.callback(|m| Msg::Notice(Some(m))),
        );
    }

    /// Takes an action: a step added to the Scenario where the timeline
    /// stands, then the run again from there.
    fn act(&mut self, act: Act) {
        self.menu = None;
        match act {
            Act::Explain => {
                self.tab = Tab::Explain;
                self.view = View::Panels;
                self.want_printed();
            }
            Act::Ask(form) => self.form = Some(form),
            Act::Step(step) => {
                self.form = None;
                let replay = self.done_step().map(|s| s.replay).unwrap_or_default();
                match with_step(&self.yaml, replay, &step) {
                    Ok(yaml) => {
                        self.yaml = yaml;
                        saved::save_manifest(Some(&self.yaml));
                        self.act_note = Some(format!(
                            "Added the step “{step}” to the Scenario, at {}.",
                            self.clock()
                        ));
                        self.playing = true;
                        self.simulate();
                        self.view = View::Cluster;
                    }
                    Err(message) => self.act_note = Some(message),
                }
            }
        }
    }

    /// Goes to the step a share link opened at, once the timeline has it.
    fn restore_step(&mut self) {
        let Some(run) = &self.run else { return };
        match self.restore {
            Some(step) if step <= run.steps.len() || run.steps.len() == run.total => {
                self.restore = None;
                self.go(step, false);
            }
            _ => {}
        }
    }

    /// The simulated time at the timeline's position.
    fn clock(&self) -> String {
        self.done_step()
            .map_or_else(|| "the start".into(), |s| s.clock.clone())
    }

    /// The step the timeline's position comes after, if any.
    fn done_step(&self) -> Option<&StepInfo> {
        let run = self.run.as_ref()?;
        run.steps.get(self.step.checked_sub(1)?)
    }

    fn total(&self) -> usize {
        self.run.as_ref().map_or(0, |r| r.steps.len())
    }

    /// Asks for the scene at the current step, unless one is on its way.
    fn want_scene(&mut self) {
        if self.scene_in_flight || self.run.is_none() {
            return;
        }
        if self.drawn.as_ref().is_some_and(|d| d.step == self.step) {
            return;
        }
        self.scene_in_flight = true;
        self.bridge
            .send(Tag::Scene, &Request::Scene { step: self.step });
    }

    /// Asks for the open panel's text at the current step.
    fn want_printed(&mut self) {
        if self.print_in_flight || self.run.is_none() || !self.tab.from_worker() {
            return;
        }
        let object = self.selected.clone();
        if self.printed.as_ref().is_some_and(|p| {
            p.tab == self.tab
                && p.step == self.step
                && (!matches!(self.tab, Tab::Describe | Tab::Yaml | Tab::Explain)
                    || p.object == object)
        }) {
            return;
        }
        let reference = object.as_ref().map(|p| ObjectRef {
            kind: p.kind.to_owned(),
            namespace: p.namespace.clone(),
            name: p.name.clone(),
        });
        let step = self.step;
        let request = match (self.tab, reference) {
            (Tab::Get, _) => Request::Tables { step },
            (Tab::Describe, Some(object)) => Request::Describe { step, object },
            (Tab::Yaml, Some(object)) => Request::Object { step, object },
            (Tab::Explain, object) => Request::Explain {
                step,
                object: object
                    .filter(|o| matches!(o.kind.as_str(), "Pod" | "PersistentVolumeClaim")),
            },
            _ => return,
        };
        self.print_in_flight = true;
        self.bridge
            .send(Tag::Printed(self.tab, step, object), &request);
    }

    fn go(&mut self, step: usize, slide: bool) {
        let step = step.min(self.total());
        self.sliding = slide;
        self.step = step;
        self.want_scene();
        self.want_printed();
    }

    fn announce(&mut self, playing: bool) {
        let Some(run) = &self.run else { return };
        let now = now_ms();
        if playing && now - self.announced_at < ANNOUNCE_EVERY_MS {
            return;
        }
        self.announced_at = now;
        self.announcement = value_text(&run.steps, self.step);
    }

    fn schedule_tick(&mut self, ctx: &Context<Self>) {
        let Some(run) = &self.run else { return };
        if !self.playing {
            return;
        }
        let wait = delay_ms(&run.steps, self.step, self.speed, self.skip_idle);
        let play = self.play;
        let link = ctx.link().clone();
        self.play_timer = Some(Timeout::new(wait, move || {
            link.send_message(Msg::Tick(play));
        }));
    }

    fn pause(&mut self) {
        self.playing = false;
        self.play += 1;
        self.play_timer = None;
    }

    fn command(&mut self, ctx: &Context<Self>, c: Command) {
        let total = self.total();
        match c {
            Command::Play => {
                if self.step >= total {
                    self.go(0, false);
                }
                self.playing = true;
                self.play += 1;
                if self.drawn.as_ref().is_some_and(|d| d.step == self.step) {
                    self.schedule_tick(ctx);
                }
            }
            Command::Pause => self.pause(),
            Command::Forward => {
                self.pause();
                self.go(self.step + 1, true);
                self.announce(false);
            }
            Command::Back => {
                self.pause();
                self.go(self.step.saturating_sub(1), false);
                self.announce(false);
            }
            Command::NextSettled | Command::PreviousSettled => {
                self.pause();
                let Some(run) = &self.run else { return };
                let target = if c == Command::NextSettled {
                    next_settled(&run.steps, self.step)
                } else {
                    previous_settled(&run.steps, self.step)
                };
                self.go(target, false);
                self.announce(false);
            }
            Command::Seek(step) => {
                self.go(step, false);
                self.announce(false);
            }
            Command::Speed(speed) => self.speed = speed,
            Command::SkipIdle(on) => self.skip_idle = on,
            Command::Animate(on) => self.animate = on,
        }
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let bridge = Bridge::new(
            ctx.link()
                .callback(|(tag, response)| Msg::Answer(tag, response)),
        );
        let link = ctx.link();
        let callbacks = Callbacks {
            edit: link.callback(Msg::Edit),
            select: link.callback(Msg::Select),
            hover: link.callback(Msg::Hover),
            command: link.callback(Msg::Command),
            tab: link.callback(Msg::Tab),
            jump: link.callback(Msg::Jump),
            pick: link.callback(Msg::PickUid),
            act: link.callback(Msg::Act),
            menu: link.callback(|m| Msg::Menu(Some(m))),
            form: link.callback(Msg::Form),
        };
        let mut app = App {
            bridge,
            callbacks,
            yaml: saved::manifest().unwrap_or_else(|| STATIC_PROVISIONING.to_owned()),
            applied: String::new(),
            profile: "auto".into(),
            check: 0,
            check_timer: None,
            diagnostics: Rc::default(),
            refused: Rc::default(),
            simulation: 0,
            simulating: false,
            failure: None,
            run: None,
            step: 0,
            drawn: None,
            scene_in_flight: false,
            playing: true,
            speed: Speed::Percent(100),
            skip_idle: true,
            animate: !media_matches("(prefers-reduced-motion: reduce)"),
            sliding: true,
            play: 0,
            play_timer: None,
            selected: None,
            highlighted: None,
            tab: Tab::Events,
            printed: None,
            print_in_flight: false,
            jump: None,
            editor_wanted: false,
            menu: None,
            form: None,
            act_note: None,
            gallery: false,
            file: FILE.into(),
            seed: None,
            restore: None,
            notice: None,
            compare: false,
            view: View::Cluster,
            announcement: String::new(),
            announced_at: f64::NEG_INFINITY,
        };
        // A share link opens what it holds once share.js has read it.
        match share::fragment() {
            Some(hash) => share::read(hash, ctx.link().callback(Msg::Shared)),
            None => app.simulate(),
        }
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Edit(text) => {
                self.yaml = text;
                self.check += 1;
                let check = self.check;
                let link = ctx.link().clone();
                self.check_timer = Some(Timeout::new(250, move || {
                    link.send_message(Msg::Check(check));
                }));
            }
            Msg::Check(check) => {
                if check == self.check {
                    saved::save_manifest(Some(&self.yaml));
                    self.bridge.send(
                        Tag::Check(check),
                        &Request::Check {
                            file: self.file.clone(),
                            yaml: self.yaml.clone(),
                        },
                    );
                }
                return false;
            }
            Msg::Apply => {
                self.simulate();
                // On a narrow screen, show what Apply does.
                self.view = View::Cluster;
            }
            Msg::Reset => {
                STATIC_PROVISIONING.clone_into(&mut self.yaml);
                // The example is no file the person opened, nor a link's seed.
                FILE.clone_into(&mut self.file);
                self.seed = None;
                saved::save_manifest(None);
                self.simulate();
            }
            Msg::Profile(profile) => {
                self.profile = profile;
                self.simulate();
            }
            Msg::Answer(tag, response) => return self.answer(ctx, tag, response),
            Msg::Command(c) => self.command(ctx, c),
            Msg::Tick(play) => {
                if play != self.play || !self.playing {
                    return false;
                }
                if self.step >= self.total() {
                    self.pause();
                } else {
                    let slide = self.run.as_ref().is_some_and(|r| {
                        delay_ms(&r.steps, self.step, self.speed, self.skip_idle) >= SLIDE_MIN_MS
                    });
                    self.go(self.step + 1, slide);
                    self.announce(true);
                }
            }
            Msg::Select(pick) => {
                self.selected = pick;
                if self.selected.is_some()
                    && !matches!(self.tab, Tab::Describe | Tab::Explain | Tab::Yaml)
                {
                    self.tab = Tab::Describe;
                }
                self.want_printed();
            }
            Msg::PickUid(uid) => {
                let pick = self.drawn.as_ref().and_then(|d| Pick::find(&d.scene, &uid));
                if pick.is_some() {
                    self.selected = pick;
                    self.tab = Tab::Describe;
                    self.want_printed();
                }
            }
            Msg::Hover(id) => self.highlighted = id,
            Msg::Tab(tab) => {
                self.tab = tab;
                self.want_printed();
            }
            Msg::Jump(at) => {
                self.jump = Some(at);
                self.view = View::Manifest;
            }
            Msg::View(view) => self.view = view,
            Msg::Key(e) => return self.key(ctx, &e),
            Msg::Act(act) => self.act(act),
            Msg::Gallery(open) => {
                if open && !self.gallery {
                    let link = ctx.link();
                    open_gallery(
                        link.callback(Msg::Open),
                        link.callback(|()| Msg::Gallery(false)),
                        link.callback(Msg::GalleryFailed),
                        None,
                    );
                } else if !open && self.gallery {
                    focus("#pv-gallery-button");
                }
                self.gallery = open;
                return false;
            }
            Msg::GalleryFailed(message) => {
                self.gallery = false;
                self.act_note = Some(message);
            }
            Msg::Open(yaml) => {
                self.open(yaml, FILE);
                self.simulate();
            }
            Msg::Menu(menu) => {
                if let Some((pick, ..)) = &menu {
                    self.selected = Some(pick.clone());
                    self.want_printed();
                } else if self.menu.is_some() {
                    // Back to the picture, where the menu came from.
                    focus("[role=graphics-document]");
                }
                self.menu = menu;
            }
            Msg::Form(form) => {
                self.menu = None;
                self.form = form;
            }
            Msg::Share(true) => {
                // Share shares the playground: leave the compare view.
                self.compare = false;
                self.share(ctx);
            }
            Msg::Share(false) => {
                focus("#pv-share-button");
                return false;
            }
            Msg::Shared(shared) => {
                share::forget_fragment();
                match shared {
                    Ok(shared) => {
                        self.open(shared.yaml, FILE);
                        self.profile = shared.profile.unwrap_or_else(|| "auto".into());
                        (self.seed, self.restore) = (shared.seed, Some(shared.step));
                        self.playing = false;
                        self.notice = Some(shared.problems.join(" ")).filter(|n| !n.is_empty());
                    }
                    Err(message) => {
                        // The default story, without forgetting what the
                        // person had saved.
                        STATIC_PROVISIONING.clone_into(&mut self.yaml);
                        self.notice = Some(format!(
                            "The shared link could not be opened. {message} The default story is shown instead."
                        ));
                    }
                }
                self.simulate();
            }
            Msg::File(Ok((name, text))) => {
                self.notice = None;
                self.open(text, &name);
                self.simulate();
            }
            Msg::File(Err(message)) | Msg::Notice(Some(message)) => self.notice = Some(message),
            Msg::Notice(None) => self.notice = None,
            Msg::Compare(open) => {
                self.compare = open;
                self.pause();
                // Once drawn: the compare view's heading, or the button back.
                focus_when_drawn(
                    if open {
                        ".pv-compare h2"
                    } else {
                        "#pv-compare-button"
                    }
                    .into(),
                );
            }
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let marks: Rc<Vec<Mark>> = Rc::new(
            self.diagnostics
                .iter()
                .filter(|d| d.severity != Severity::Info)
                .map(|d| Mark {
                    line: d.line,
                    column: d.column,
                    error: d.severity == Severity::Error,
                    message: d.what().to_string(),
                })
                .collect(),
        );
        let errors = self
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let changed = self.yaml != self.applied;
        let compare = self.compare;
        let on_editor_key = link.batch_callback(|e: KeyboardEvent| {
            // CodeMirror applies on its own and marks the key handled.
            (e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) && !e.default_prevented()).then(
                || {
                    e.prevent_default();
                    Msg::Apply
                },
            )
        });
        let file_read = link.callback(Msg::File);
        let on_file = {
            let read = file_read.clone();
            Callback::from(move |e: Event| {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                if let Some(file) = input.files().and_then(|f| f.get(0)) {
                    share::read_file(file, read.clone());
                }
                input.set_value("");
            })
        };
        let on_drop = Callback::from(move |e: DragEvent| {
            if let Some(file) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0))
            {
                e.prevent_default();
                share::read_file(file, file_read.clone());
            }
        });
        let view_tab = |view: View, label: &'static str| {
            let selected = self.view == view;
            html! {
                <button type="button" role="tab" aria-selected={selected.to_string()}
                    class={classes!("pv-tab", selected.then_some("pv-tab-selected"))}
                    onclick={link.callback(move |_: MouseEvent| Msg::View(view))}>{ label }</button>
            }
        };
        let view_class = match self.view {
            View::Manifest => "pv-show-manifest",
            View::Cluster => "pv-show-cluster",
            View::Panels => "pv-show-panels",
        };

        html! {
            <div class={classes!("pv-app", view_class)}>
                <header class="pv-header">
                    <div class="pv-brand">
                        <svg class="pv-logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
                            <rect x="3" y="6" width="26" height="7" rx="2"/>
                            <rect x="3" y="15" width="26" height="7" rx="2"/>
                            <circle cx="24" cy="9.5" r="1.5" class="pv-logo-led"/>
                            <circle cx="24" cy="18.5" r="1.5" class="pv-logo-led"/>
                            <path d="M8 25v3h16v-3" fill="none" stroke-width="2"/>
                        </svg>
                        <div>
                            <h1>{"pvsim"}</h1>
                            <p class="pv-tagline">{"Kubernetes storage playground"}</p>
                        </div>
                    </div>
                    <div class="pv-header-actions">
                        <span class="pv-badge" title="pvsim reproduces the behaviour of this Kubernetes release">
                            {format!("Kubernetes {KUBERNETES_VERSION}")}
                        </span>
                        <button type="button" id="pv-gallery-button" class="pv-button"
                            onclick={link.callback(|_| Msg::Gallery(true))}>{ "Gallery" }</button>
                        <button type="button" id="pv-compare-button" class="pv-button"
                            title="Static and dynamic provisioning side by side"
                            aria-pressed={self.compare.to_string()}
                            onclick={link.callback(move |_| Msg::Compare(!compare))}>{ "Compare" }</button>
                        <button type="button" id="pv-share-button" class="pv-button"
                            title="A link, Markdown, an export, a script for a real cluster"
                            onclick={link.callback(|_| Msg::Share(true))}>{ "Share" }</button>
                        { theme_toggle() }
                    </div>
                </header>
                <nav class="pv-views" role="tablist" aria-label="Show" hidden={compare}>
                    { view_tab(View::Manifest, "Manifest") }
                    { view_tab(View::Cluster, "Cluster") }
                    { view_tab(View::Panels, "Panels") }
                </nav>
                if compare {
                    <crate::compare::Compare editor_yaml={AttrValue::from(self.yaml.clone())}
                        on_close={link.callback(|()| Msg::Compare(false))} />
                }
                <main class="pv-main" hidden={compare}>
                    <section class="pv-panel pv-editor-panel" aria-label="Manifest" onkeydown={on_editor_key}
                        ondragover={Callback::from(|e: DragEvent| e.prevent_default())} ondrop={on_drop}>
                        <div class="pv-panel-head">
                            <h2>{"Manifest"}</h2>
                            if self.file != FILE {
                                <span class="pv-file" title="The file this manifest came from">{ &self.file }</span>
                            }
                            <span class={classes!("pv-count", (errors > 0).then_some("pv-count-error"))} data-testid="summary">
                                { pvsim_engine::summary(&self.diagnostics) }
                            </span>
                        </div>
                        <Editor value={self.yaml.clone()} on_change={self.callbacks.edit.clone()}
                            on_apply={link.callback(|()| Msg::Apply)} {marks} jump={self.jump}
                            load={self.editor_wanted} />
                        <div class="pv-editor-actions">
                            <button type="button" class="pv-button pv-primary" onclick={link.callback(|_| Msg::Apply)}
                                title="Simulate this YAML (Ctrl+Enter)">
                                { if self.simulating { "Simulating…" } else { "Apply" } }
                            </button>
                            <span class="pv-hint">
                                { if changed { "Edited: Apply (Ctrl+Enter) to simulate it." } else { "Paste PersistentVolumes, claims, StorageClasses, Pods, Deployments, StatefulSets, Nodes, or a kubectl get -o yaml dump." } }
                            </span>
                            <button type="button" class="pv-button" onclick={Callback::from(|_| choose_file())}
                                title="Open a .yaml file (or drop one on the editor)">{"Open file…"}</button>
                            <input type="file" id="pv-file-input" hidden=true accept=".yaml,.yml,.json,text/yaml,application/yaml"
                                onchange={on_file} />
                            <button type="button" class="pv-button" onclick={link.callback(|_| Msg::Reset)}>{"Reset example"}</button>
                        </div>
                    </section>
                    { self.stage(ctx) }
                </main>
                <div class="pv-visually-hidden" aria-live="polite" data-testid="announcer">{ &self.announcement }</div>

            </div>
        }
    }
}

impl App {
    fn answer(&mut self, ctx: &Context<Self>, tag: Option<Tag>, response: Response) -> bool {
        match (tag, response) {
            (Some(Tag::Check(check)), Response::Checked { diagnostics }) => {
                if check != self.check {
                    return false;
                }
                self.diagnostics = Rc::new(diagnostics);
            }
            (
                Some(Tag::Simulate(n)),
                Response::Simulated {
                    diagnostics,
                    refused,
                    profile,
                    seed,
                    title,
                    description,
                    steps,
                    total_steps,
                    extent,
                    ..
                },
            ) => {
                if n != self.simulation {
                    return false;
                }
                self.simulating = false;
                if self.yaml == self.applied {
                    self.diagnostics = Rc::new(diagnostics);
                }
                self.refused = Rc::new(refused);
                let first = self.run.is_none();
                let received = steps.len();
                self.run = Some(Run {
                    steps: Rc::new(steps),
                    total: total_steps,
                    extent,
                    profile,
                    seed,
                    title,
                    description,
                });
                if received < total_steps {
                    self.bridge
                        .send(Tag::Steps(n), &Request::Steps { from: received });
                }
                self.drawn = None;
                self.printed = None;
                // Keep the position where the new run is long enough; a
                // share link's step waits for the steps that reach it.
                let step = if first {
                    0
                } else {
                    self.step.min(self.total())
                };
                self.go(step, false);
                self.restore_step();
            }
            (Some(Tag::Simulate(n)), Response::Failed { message }) => {
                self.editor_wanted = true;
                if n == self.simulation {
                    self.simulating = false;
                    self.failure = Some(message);
                    self.run = None;
                    self.drawn = None;
                }
            }
            (Some(Tag::Steps(n)), Response::Steps { from, steps }) => {
                let Some(run) = self.run.as_mut().filter(|_| n == self.simulation) else {
                    return false;
                };
                if from != run.steps.len() || steps.is_empty() {
                    return false;
                }
                let mut all = Vec::with_capacity(run.total);
                all.extend(run.steps.iter().cloned());
                all.extend(steps);
                let received = all.len();
                run.steps = Rc::new(all);
                if received < run.total {
                    self.bridge
                        .send(Tag::Steps(n), &Request::Steps { from: received });
                }
                self.restore_step();
            }
            (Some(Tag::Scene), Response::Scene { step, scene }) => {
                self.scene_in_flight = false;
                self.editor_wanted = true;
                let Some(run) = &self.run else { return false };
                let layout = Layout::of(&scene, &run.extent);
                self.drawn = Some(Drawn {
                    step,
                    scene: Rc::from(scene),
                    layout: Rc::new(layout),
                });
                if step == self.step {
                    self.schedule_tick(ctx);
                } else {
                    self.want_scene();
                }
            }
            (Some(Tag::Printed(tab, step, object)), response) => {
                self.print_in_flight = false;
                let text = match response {
                    Response::Text { text, .. } => Ok(text),
                    Response::Failed { message } => Err(message),
                    _ => return false,
                };
                self.printed = Some(Printed {
                    tab,
                    step,
                    object,
                    text,
                });
                self.want_printed();
            }
            (Some(Tag::Scene), Response::Failed { message }) => {
                self.scene_in_flight = false;
                self.failure = Some(message);
            }
            (None, Response::Failed { message }) => {
                // The worker died: nothing it owed will come.
                self.editor_wanted = true;
                self.scene_in_flight = false;
                self.print_in_flight = false;
                self.simulating = false;
                self.pause();
                self.failure = Some(format!("{message}. Apply to start it again."));
            }
            _ => return false,
        }
        true
    }

    fn key(&mut self, ctx: &Context<Self>, e: &KeyboardEvent) -> bool {
        let target: Option<web_sys::Element> = e
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into(t).ok());
        let tag = target
            .as_ref()
            .map(|t| t.tag_name().to_ascii_lowercase())
            .unwrap_or_default();
        let kind = target
            .as_ref()
            .and_then(|t| t.get_attribute("type"))
            .unwrap_or_default();
        if matches!(tag.as_str(), "textarea" | "select") || (tag == "input" && kind != "range") {
            return false;
        }
        let range = tag == "input";
        let command = match (e.key().as_str(), e.shift_key()) {
            (" ", _) => Some(if self.playing {
                Command::Pause
            } else {
                Command::Play
            }),
            ("ArrowRight", true) => Some(Command::NextSettled),
            ("ArrowLeft", true) => Some(Command::PreviousSettled),
            // The scrubber moves itself with the plain arrows.
            ("ArrowRight", false) if !range => Some(Command::Forward),
            ("ArrowLeft", false) if !range => Some(Command::Back),
            _ => None,
        };
        let Some(command) = command else { return false };
        e.prevent_default();
        self.command(ctx, command);
        true
    }

    fn stage(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let on_profile = link.callback(|e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            Msg::Profile(select.value())
        });
        let profile_picker = html! {
            <label class="pv-field">
                <span>{ "Cluster" }</span>
                <select onchange={on_profile} aria-label="Cluster profile">
                    { for PROFILES.iter().map(|(name, about)| html! {
                        <option value={*name} title={*about} selected={*name == self.profile}>{ *name }</option>
                    }) }
                </select>
            </label>
        };
        let profile_line = self
            .run
            .as_ref()
            .map(|r| r.profile.clone())
            .unwrap_or_default();
        let drawn = self.drawn.as_ref();
        let picture = match (drawn, &self.failure) {
            (_, Some(message)) => html! {
                <div class="pv-picture-empty" role="alert">
                    <p><strong>{ "The simulation could not run." }</strong></p>
                    <p>{ message }</p>
                </div>
            },
            (Some(d), None) => {
                let animate = self.animate && self.sliding;
                html! {
                    <Picture scene={d.scene.clone()} layout={d.layout.clone()}
                        selected={self.selected.as_ref().map(|p| p.id.clone())}
                        highlighted={self.highlighted.clone()}
                        on_select={self.callbacks.select.clone()}
                        on_hover={self.callbacks.hover.clone()}
                        {animate}
                        caption={AttrValue::from(describe_scene(&d.scene))}
                        on_menu={self.callbacks.menu.clone()} />
                }
            }
            (None, None) => html! {
                <div class="pv-picture-empty"><p>{ "Simulating…" }</p></div>
            },
        };
        let figures = drawn.map(|d| crate::compare::figures(&d.scene.figures));
        let timeline = self.run.as_ref().map(|r| {
            html! {
                <Timeline steps={r.steps.clone()} step={self.step} playing={self.playing}
                    speed={self.speed} skip_idle={self.skip_idle} animate={self.animate}
                    on_command={self.callbacks.command.clone()} />
            }
        });
        let steps = self
            .run
            .as_ref()
            .map(|r| r.steps.clone())
            .unwrap_or_default();
        html! {
            <>
                <section class="pv-stage" aria-label="Cluster" onkeydown={link.callback(Msg::Key)}>
                    <div class="pv-stage-head">
                        <h2>{ "Cluster" }</h2>
                        { profile_picker }
                        <span class="pv-profile-line" data-testid="profile">{ profile_line }</span>
                    </div>
                    if let Some(run) = self.run.as_ref().filter(|r| !r.title.is_empty()) {
                        <p class="pv-story" data-testid="story">
                            <strong>{ &run.title }</strong>
                            if !run.description.is_empty() { { " · " }{ &run.description } }
                        </p>
                    }
                    if let Some(notice) = &self.notice {
                        <div class="pv-notice" role="alert">
                            <p>{ notice }</p>
                            <button type="button" class="pv-button" onclick={link.callback(|_| Msg::Notice(None))}>{ "Dismiss" }</button>
                        </div>
                    }
                    { for timeline }
                    { picture }
                    <p class="pv-scroll-hint" aria-hidden="true">{ "Swipe the picture sideways to see all of it." }</p>
                    <ActionBar selected={self.selected.clone()} scene={drawn.map(|d| d.scene.clone())}
                        form={self.form.clone()} note={self.act_note.clone()}
                        on_act={self.callbacks.act.clone()} on_form={self.callbacks.form.clone()} />
                    if let (Some((pick, x, y)), Some(d)) = (&self.menu, drawn) {
                        <div class="pv-menu-backdrop" onclick={link.callback(|_| Msg::Menu(None))}
                            oncontextmenu={link.callback(|e: MouseEvent| { e.prevent_default(); Msg::Menu(None) })}></div>
                        <ActionMenu pick={pick.clone()} scene={d.scene.clone()} x={*x} y={*y}
                            on_act={self.callbacks.act.clone()} on_close={link.callback(|()| Msg::Menu(None))} />
                    }
                    { legend() }
                    { for figures }
                </section>
                <div class="pv-panels-wrap">
                    <Panels tab={self.tab} on_tab={self.callbacks.tab.clone()} {steps} step={self.step}
                        printed={self.printed.clone()} selected={self.selected.clone()}
                        diagnostics={self.diagnostics.clone()} refused={self.refused.clone()}
                        on_jump={self.callbacks.jump.clone()} highlighted={self.highlighted.clone()}
                        on_hover={self.callbacks.hover.clone()} on_pick={self.callbacks.pick.clone()} />
                </div>
            </>
        }
    }
}
