//! The timeline under the picture: play, pause, step, jump between
//! settled states, speed, and a scrubber with a track per controller.
//!
//! The component only draws and reports [`Command`]s; the page owns the
//! position and the clock. A step is "settled" when the simulation came
//! to rest after it (upstream's scheduler simulator calls the stretch up
//! to it a major step).
//!
//! The tracks place the marks by step, not by simulated time: a run's
//! steps bunch into a few instants separated by long waits, and a track
//! by time would stack them. The clock beside the scrubber shows the
//! simulated time of the current step.

use std::rc::Rc;

use pvsim_scene::{CONTROLLERS, StepInfo};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// How fast playback goes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    /// A percentage of the base pace (one step every 0.8 s at 100).
    Percent(u32),
    /// Steps come as far apart as in simulated time.
    RealTime,
}

/// The speeds the picker offers, with their labels.
pub const SPEEDS: &[(&str, Speed)] = &[
    ("¼×", Speed::Percent(25)),
    ("½×", Speed::Percent(50)),
    ("1×", Speed::Percent(100)),
    ("2×", Speed::Percent(200)),
    ("4×", Speed::Percent(400)),
    ("real time", Speed::RealTime),
];

/// How long playback shows the picture after `step` steps before taking
/// the next one, in milliseconds. `skip_idle` plays a long wait (the
/// five-minute eviction timeout) in at most a second.
pub fn delay_ms(steps: &[StepInfo], step: usize, speed: Speed, skip_idle: bool) -> u32 {
    let now = if step == 0 {
        steps.first().map_or(0, |s| s.at)
    } else {
        steps.get(step - 1).map_or(0, |s| s.at)
    };
    let next = steps.get(step).map_or(now, |s| s.at);
    let gap = next.saturating_sub(now);
    let ms = match speed {
        Speed::RealTime => gap.max(40),
        Speed::Percent(pct) => {
            let wait = if skip_idle { gap.min(1_000) } else { gap };
            (800 + wait) * 100 / u64::from(pct.max(1))
        }
    };
    u32::try_from(ms).unwrap_or(u32::MAX)
}

/// What a person asked the timeline to do.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Command {
    Play,
    Pause,
    Forward,
    Back,
    NextSettled,
    PreviousSettled,
    /// Go to this many steps done.
    Seek(usize),
    Speed(Speed),
    SkipIdle(bool),
    Animate(bool),
}

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub steps: Rc<Vec<StepInfo>>,
    /// Steps done: 0 is before the first.
    pub step: usize,
    pub playing: bool,
    pub speed: Speed,
    pub skip_idle: bool,
    pub animate: bool,
    pub on_command: Callback<Command>,
}

/// `persistentvolume-controller · ProvisioningSucceeded · Successfully…`
pub fn caption(s: &StepInfo) -> String {
    match s.events.first() {
        Some(e) => format!("{} · {} · {}", s.component, e.reason, e.message),
        None => format!(
            "{} · {}",
            s.component,
            s.writes.first().map_or("no change", String::as_str)
        ),
    }
}

/// What the scrubber's `aria-valuetext` says at `step`.
pub fn value_text(steps: &[StepInfo], step: usize) -> String {
    match step.checked_sub(1).and_then(|i| steps.get(i)) {
        None => format!("start, before any of {} steps", steps.len()),
        Some(s) => format!(
            "step {step} of {}, at {}: {}",
            steps.len(),
            s.clock,
            s.gloss
        ),
    }
}

pub(crate) fn icon(path: &'static str) -> Html {
    html! {
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path d={path} fill="currentColor"/></svg>
    }
}

pub(crate) const PLAY: &str = "M7 4v16l13-8z";
pub(crate) const PAUSE: &str = "M6 4h4v16H6zm8 0h4v16h-4z";
pub(crate) const BACK: &str = "M18 5v14L8 12zM6 5h2v14H6z";
pub(crate) const FORWARD: &str = "M6 5v14l10-7zM16 5h2v14h-2z";
pub(crate) const PREVIOUS_SETTLED: &str = "M20 5v14l-7-7zM12 5v14l-7-7zM3 5h2v14H3z";
pub(crate) const NEXT_SETTLED: &str = "M4 5v14l7-7zM12 5v14l7-7zM19 5h2v14h-2z";

/// The height of one controller's track, in the tracks' own units.
const TRACK_HEIGHT: usize = 8;
/// How many columns a track has: steps that fall in one column share a
/// mark, so a run of thousands of steps draws a bounded number of marks.
const TRACK_COLUMNS: usize = 250;

#[derive(Properties, PartialEq)]
struct TracksProps {
    steps: Rc<Vec<StepInfo>>,
}

/// One track per controller, a mark where its steps emitted events (a
/// warning mark if any of them was a warning). It renders only when the
/// steps change, not at every step.
#[component]
fn Tracks(props: &TracksProps) -> Html {
    let steps = &props.steps;
    let total = steps.len();
    let column_width = 1000 / TRACK_COLUMNS;
    let column = |i: usize| {
        if total <= 1 {
            0
        } else {
            i * (TRACK_COLUMNS - 1) / (total - 1)
        }
    };
    let tracks = CONTROLLERS.iter().enumerate().map(|(t, (slot, label))| {
        let y = t * TRACK_HEIGHT;
        // Each column's mark: (warning, first reason).
        let mut marks: Vec<Option<(bool, &str)>> = vec![None; TRACK_COLUMNS];
        for (i, s) in steps.iter().enumerate() {
            if s.slot != *slot || s.events.is_empty() {
                continue;
            }
            let warning = s.events.iter().any(|e| e.type_ == "Warning");
            let mark = marks[column(i)].get_or_insert((false, s.events[0].reason.as_str()));
            mark.0 |= warning;
        }
        let marks = marks.into_iter().enumerate().filter_map(|(c, mark)| mark.map(|m| (c, m))).map(|(c, (warning, reason))| {
            // A warning is a full-height bar, a normal event a shorter one:
            // told apart by shape as well as colour.
            let (class, top, height) = if warning {
                ("pv-mark pv-mark-warning", y, TRACK_HEIGHT)
            } else {
                ("pv-mark", y + 1, TRACK_HEIGHT - 2)
            };
            html! {
                <rect {class} x={(c * column_width).saturating_sub(2).to_string()} y={top.to_string()}
                    width={(column_width + 2).to_string()} height={height.to_string()}>
                    <title>{ format!("{label}: {reason}") }</title>
                </rect>
            }
        });
        let middle = (y + TRACK_HEIGHT / 2).to_string();
        html! {
            <g key={*slot}>
                <line class="pv-track" x1="0" x2="1000" y1={middle.clone()} y2={middle}/>
                { for marks }
            </g>
        }
    });
    html! { <g>{ for tracks }</g> }
}

#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let steps = &props.steps;
    let total = steps.len();
    let send = |c: Command| props.on_command.reform(move |_: MouseEvent| c);

    let on_seek = props.on_command.reform(|e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        Command::Seek(input.value().parse().unwrap_or(0))
    });
    let on_speed = props.on_command.reform(|e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        let i: usize = select.value().parse().unwrap_or(2);
        Command::Speed(SPEEDS.get(i).map_or(Speed::Percent(100), |s| s.1))
    });
    let on_skip = props.on_command.reform(|e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        Command::SkipIdle(input.checked())
    });
    let on_animate = props.on_command.reform(|e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        Command::Animate(input.checked())
    });
    let speed_index = SPEEDS.iter().position(|s| s.1 == props.speed).unwrap_or(2);

    let width: usize = 1000;
    let cursor = props.step.checked_sub(1).map(|i| {
        if total <= 1 {
            0
        } else {
            i * width / (total - 1)
        }
    });
    let tracks_height = CONTROLLERS.len() * TRACK_HEIGHT;
    // A click on the tracks goes to the step under the pointer (the
    // slider is the keyboard's way to the same place).
    let tracks_ref = use_node_ref();
    let on_tracks = {
        let tracks_ref = tracks_ref.clone();
        let on_command = props.on_command.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(svg) = tracks_ref.cast::<web_sys::Element>() else {
                return;
            };
            let rect = svg.get_bounding_client_rect();
            let (left, w) = (rect.left(), rect.width());
            if total == 0 || w <= 0.0 {
                return;
            }
            let at = ((f64::from(e.client_x()) - left) / w).clamp(0.0, 1.0);
            // Whole steps: the fraction of the run, rounded.
            let last = u32::try_from(total - 1).unwrap_or(u32::MAX);
            // `at` is within 0..=1, so the product fits.
            let index = usize::try_from((at * f64::from(last)).round() as i64).unwrap_or(0);
            on_command.emit(Command::Seek(index + 1));
        })
    };

    let current = props.step.checked_sub(1).and_then(|i| steps.get(i));
    let clock = current.map_or_else(|| "0s".to_owned(), |s| s.clock.clone());
    let warning = current.is_some_and(|s| s.events.iter().any(|e| e.type_ == "Warning"));

    html! {
        <div class="pv-timeline" role="group" aria-label="Timeline">
            <div class="pv-caption" data-testid="caption">
                if let Some(s) = current {
                    <p class={classes!("pv-caption-main", warning.then_some("pv-warning"))} title={caption(s)}>
                        if warning { <span class="pv-glyph" aria-hidden="true">{"! "}</span> }
                        { caption(s) }
                    </p>
                    <p class="pv-gloss">
                        { &s.gloss }
                        if props.step == total && total > 0 {
                            <span class="pv-end" data-testid="end">{ " End of the run: the cluster is at rest. Step back, or scrub, to see any moment again." }</span>
                        }
                    </p>
                } else {
                    <p class="pv-caption-main">{ "Before the first step: the objects as you wrote them." }</p>
                    <p class="pv-gloss">{ "Press play, or step forward, to watch the controllers act." }</p>
                }
            </div>
            <div class="pv-controls">
                <button type="button" class="pv-icon-button" aria-label="Previous settled state" title="Previous settled state (Shift+←)"
                    aria-disabled={(props.step == 0).to_string()} onclick={send(Command::PreviousSettled)}>{ icon(PREVIOUS_SETTLED) }</button>
                <button type="button" class="pv-icon-button" aria-label="Step back" title="Step back (←)"
                    aria-disabled={(props.step == 0).to_string()} onclick={send(Command::Back)}>{ icon(BACK) }</button>
                if props.playing {
                    <button type="button" class="pv-icon-button pv-play" aria-label="Pause" title="Pause (Space)"
                        onclick={send(Command::Pause)}>{ icon(PAUSE) }</button>
                } else {
                    <button type="button" class="pv-icon-button pv-play" aria-label="Play" title="Play (Space)"
                        aria-disabled={(total == 0).to_string()} onclick={send(Command::Play)}>{ icon(PLAY) }</button>
                }
                <button type="button" class="pv-icon-button" aria-label="Step forward" title="Step forward (→)"
                    aria-disabled={(props.step >= total).to_string()} onclick={send(Command::Forward)}>{ icon(FORWARD) }</button>
                <button type="button" class="pv-icon-button" aria-label="Next settled state" title="Next settled state (Shift+→)"
                    aria-disabled={(props.step >= total).to_string()} onclick={send(Command::NextSettled)}>{ icon(NEXT_SETTLED) }</button>
                <span class="pv-clock" aria-label="Simulated time">
                    <span class="pv-clock-time">{ clock }</span>
                    <span class="pv-clock-step">{ format!("step {} of {total}", props.step) }</span>
                </span>
                <label class="pv-field">
                    <span>{ "Speed" }</span>
                    <select onchange={on_speed}>
                        { for SPEEDS.iter().enumerate().map(|(i, (label, _))| html! {
                            <option value={i.to_string()} selected={i == speed_index}>{ *label }</option>
                        }) }
                    </select>
                </label>
                <label class="pv-check" title="Play long waits (a 5-minute eviction timeout) in at most a second; the clock still shows simulated time">
                    <input type="checkbox" checked={props.skip_idle} onchange={on_skip}/>
                    <span>{ "Skip idle" }</span>
                </label>
                <label class="pv-check" title="Slide objects to their new places between steps (off: they jump)">
                    <input type="checkbox" checked={props.animate} onchange={on_animate}/>
                    <span>{ "Animate" }</span>
                </label>
            </div>
            <div class="pv-scrubber">
                <input type="range" min="0" max={total.to_string()} value={props.step.to_string()}
                    aria-label="Step" aria-valuetext={value_text(steps, props.step)} oninput={on_seek}/>
                <svg ref={tracks_ref} class="pv-tracks" viewBox={format!("-4 0 {} {tracks_height}", width + 8)} preserveAspectRatio="none"
                    aria-hidden="true" onclick={on_tracks}>
                    <Tracks steps={steps.clone()} />
                    <line class="pv-cursor" x1={cursor.unwrap_or(0).to_string()} x2={cursor.unwrap_or(0).to_string()}
                        y1="0" y2={tracks_height.to_string()} visibility={if cursor.is_some() { "visible" } else { "hidden" }}/>
                </svg>
            </div>
        </div>
    }
}
