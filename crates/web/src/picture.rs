//! The picture: one scene of the simulation drawn as SVG.
//!
//! The component draws what [`Scene`] says where [`Layout`] puts it and
//! computes nothing about Kubernetes. Each kind of element has one flat
//! layer, and every element is keyed by its identity and placed only by a
//! CSS `transform`, so a pod moving from the tray into a node, or from a
//! failed node to a healthy one, is the same DOM node sliding across, and
//! nothing else moves. Links are paths whose `d` is a CSS property, so
//! they follow their ends. With `animate` off (reduced motion, scrubbing,
//! stepping back, fast playback) everything snaps.
//!
//! Status is never colour alone: every state has a glyph, a word and an
//! outline style. Names are always drawn (long ones shortened in the
//! middle, whole in the card and the accessible name). The SVG is one tab
//! stop; ← and → move between objects in reading order, ↑ and ↓ to the
//! nearest object above or below, Enter selects, and a short card shows
//! for the object under the pointer or the keyboard.

use std::rc::Rc;

use pvsim_scene::{
    BackendKind, ClaimCard, Folded, Layout, LinkKind, NodeBox, PodTile, Rect, Scene, VolumeCard,
};
use yew::prelude::*;

/// An object the picture shows, as the panels need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pick {
    /// The element's identity in the scene (the object's uid).
    pub id: String,
    pub kind: &'static str,
    pub namespace: String,
    pub name: String,
}

impl Pick {
    fn pod(p: &PodTile) -> Pick {
        Pick {
            id: p.id.clone(),
            kind: "Pod",
            namespace: p.namespace.clone(),
            name: p.name.clone(),
        }
    }

    fn node(n: &NodeBox) -> Pick {
        Pick {
            id: n.id.clone(),
            kind: "Node",
            namespace: String::new(),
            name: n.name.clone(),
        }
    }

    fn claim(c: &ClaimCard) -> Pick {
        Pick {
            id: c.id.clone(),
            kind: "PersistentVolumeClaim",
            namespace: c.namespace.clone(),
            name: c.name.clone(),
        }
    }

    fn volume(v: &VolumeCard) -> Pick {
        Pick {
            id: v.id.clone(),
            kind: "PersistentVolume",
            namespace: String::new(),
            name: v.name.clone(),
        }
    }

    /// The object with this uid in the scene, drawn or folded away.
    pub fn find(scene: &Scene, uid: &str) -> Option<Pick> {
        let nodes = || scene.zones.iter().flat_map(|z| &z.nodes);
        scene
            .tray
            .iter()
            .chain(nodes().flat_map(|n| &n.pods))
            .find(|p| p.id == uid)
            .map(Pick::pod)
            .or_else(|| nodes().find(|n| n.id == uid).map(Pick::node))
            .or_else(|| scene.claims.iter().find(|c| c.id == uid).map(Pick::claim))
            .or_else(|| scene.volumes.iter().find(|v| v.id == uid).map(Pick::volume))
    }
}

#[derive(Properties, PartialEq)]
pub struct PictureProps {
    pub scene: Rc<Scene>,
    pub layout: Rc<Layout>,
    /// The selected element's id.
    #[prop_or_default]
    pub selected: Option<String>,
    /// An element to highlight (hovered in a panel).
    #[prop_or_default]
    pub highlighted: Option<String>,
    #[prop_or_default]
    pub on_select: Callback<Option<Pick>>,
    /// The element under the pointer or the keyboard, or none.
    #[prop_or_default]
    pub on_hover: Callback<Option<String>>,
    /// Whether changes slide into place (off: they snap).
    #[prop_or(true)]
    pub animate: bool,
    /// What the picture shows, in one sentence: its accessible caption.
    pub caption: AttrValue,
    /// Open an object's context menu at (x, y) in the viewport: a right
    /// click on it, or the context-menu key or Shift+F10 while it has the
    /// keyboard.
    #[prop_or_default]
    pub on_menu: Callback<(Pick, i32, i32)>,
}

/// One object of the picture, in reading order, for the keyboard, the
/// card and the accessible names.
#[derive(Clone, Debug, PartialEq)]
struct Item {
    pick: Pick,
    /// `Running`, `Bound`, `NotReady`.
    state: String,
    /// The one line that explains the state.
    line: String,
    rect: Rect,
}

impl Item {
    fn label(&self) -> String {
        format!("{} {}, {}", self.pick.kind, self.pick.name, self.state)
    }
}

/// `shop-77c4879cd7-…-c5tv7`: at most `max` characters, the middle cut.
pub fn shorten(name: &str, max: usize) -> String {
    let count = name.chars().count();
    if count <= max {
        return name.to_owned();
    }
    let keep = max.saturating_sub(1);
    let head = keep.div_ceil(2);
    let tail = keep - head;
    let start: String = name.chars().take(head).collect();
    let end: String = name.chars().skip(count - tail).collect();
    format!("{start}…{end}")
}

/// How many characters of a name fit in `width` pixels: a name at 11.5 px
/// bold takes up to 7.6 px a character (uids are all wide digits). 6 to 26.
fn name_room(width: i32) -> usize {
    usize::try_from(width * 10 / 76).map_or(6, |n| n.clamp(6, 26))
}

/// The pixels an attach count (`⛁ 0/15`, at 10 px) takes beside a name.
fn count_width(count: &str) -> i32 {
    i32::try_from(count.chars().count()).unwrap_or(0) * 6
}

/// A DOM id for an element id (uids, `zone/a`, `file/pod/x/data`).
fn dom_id(id: &str) -> String {
    let clean: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("pv-el-{clean}")
}

fn place(r: Rect) -> String {
    format!("transform: translate({}px, {}px)", r.x, r.y)
}

/// Glyph and style class of a pod's status.
fn pod_look(p: &PodTile) -> (&'static str, &'static str) {
    if p.leaving {
        return ("↓", "pv-leaving");
    }
    match p.status.as_str() {
        "Running" => ("✓", "pv-ok"),
        "Completed" | "Succeeded" => ("✓", "pv-done"),
        "Failed" | "Error" | "CrashLoopBackOff" => ("✕", "pv-bad"),
        _ if p.waiting.is_some() => ("!", "pv-warn"),
        _ => ("…", "pv-wait"),
    }
}

fn claim_look(phase: &str) -> (&'static str, &'static str) {
    match phase {
        "Bound" => ("✓", "pv-ok"),
        "Lost" => ("✕", "pv-bad"),
        _ => ("…", "pv-wait"),
    }
}

fn volume_look(phase: &str) -> (&'static str, &'static str) {
    match phase {
        "Bound" => ("✓", "pv-ok"),
        "Available" => ("○", "pv-free"),
        "Released" => ("!", "pv-warn"),
        "Failed" => ("✕", "pv-bad"),
        _ => ("…", "pv-wait"),
    }
}

fn node_look(n: &NodeBox) -> (&'static str, &'static str) {
    if n.state.contains("NotReady") || n.kubelet_stopped {
        ("✕", "pv-bad")
    } else if n.cordoned || n.out_of_service {
        ("⊘", "pv-warn")
    } else {
        ("✓", "pv-ok")
    }
}

/// A node's STATUS as `kubectl get nodes` prints it
/// (`Ready,SchedulingDisabled`), and what else the picture knows.
fn node_status(n: &NodeBox) -> String {
    let mut status = n.state.clone();
    if n.cordoned {
        status.push_str(",SchedulingDisabled");
    }
    if n.out_of_service {
        status.push_str(" · out-of-service");
    }
    if n.kubelet_stopped && !n.state.contains("NotReady") {
        status.push_str(" · kubelet stopped");
    }
    status
}

fn pod_line(p: &PodTile) -> String {
    match &p.waiting {
        Some(why) => why.clone(),
        None if p.leaving => "Terminating: the kubelet is stopping its containers".into(),
        None => format!("{} in namespace {}", p.status, p.namespace),
    }
}

fn claim_line(c: &ClaimCard) -> String {
    let modes = c.access_modes.join(",");
    let class = if c.class.is_empty() {
        "no class".to_owned()
    } else {
        format!("class {}", c.class)
    };
    match (&c.volume, c.phase.as_str()) {
        (Some(v), "Bound") => format!("bound to volume {v} · {} {modes} · {class}", c.size),
        _ => format!("asks for {} {modes} · {class}", c.size),
    }
}

fn volume_line(v: &VolumeCard) -> String {
    let claim = v
        .claim
        .as_ref()
        .map_or_else(|| "no claim".to_owned(), |c| format!("claim {c}"));
    format!(
        "{} {} · {claim} · reclaim {}",
        v.capacity,
        v.access_modes.join(","),
        v.reclaim_policy
    )
}

/// Every object of the scene in reading order (top to bottom, then left
/// to right).
fn items(scene: &Scene, layout: &Layout) -> Vec<Item> {
    let mut out = Vec::new();
    let mut push = |pick: Pick, state: String, line: String| {
        if let Some(rect) = layout.rects.get(&pick.id).copied() {
            out.push(Item {
                pick,
                state,
                line,
                rect,
            });
        }
    };
    let pod_state = |p: &PodTile| {
        if p.leaving {
            "Terminating".to_owned()
        } else {
            p.status.clone()
        }
    };
    for p in &scene.tray {
        push(Pick::pod(p), pod_state(p), pod_line(p));
    }
    for z in &scene.zones {
        for n in &z.nodes {
            let limit = n.attach_limit.map_or(String::new(), |l| format!(" of {l}"));
            push(
                Pick::node(n),
                node_status(n),
                format!(
                    "zone {} · {} pods · {} volumes attached{limit}",
                    if z.name.is_empty() { "none" } else { &z.name },
                    n.pods.len(),
                    n.attached
                ),
            );
            for p in &n.pods {
                push(Pick::pod(p), pod_state(p), pod_line(p));
            }
        }
    }
    for c in &scene.claims {
        push(Pick::claim(c), c.phase.clone(), claim_line(c));
    }
    for v in &scene.volumes {
        push(Pick::volume(v), v.phase.clone(), volume_line(v));
    }
    pvsim_engine::sort::by_key(&mut out, |i| (i.rect.y, i.rect.x));
    out
}

/// The object nearest below (or above) item `at`: the closest row, then
/// the closest to it sideways; `at` itself when there is none.
fn nearest(items: &[Item], at: usize, below: bool) -> usize {
    let here = items[at].rect;
    let centre = |r: Rect| r.x + r.w / 2;
    items
        .iter()
        .enumerate()
        .filter(|(_, i)| {
            if below {
                i.rect.y >= here.y + here.h
            } else {
                i.rect.y + i.rect.h <= here.y
            }
        })
        .min_by_key(|(_, i)| {
            let dy = if below {
                i.rect.y - (here.y + here.h)
            } else {
                here.y - (i.rect.y + i.rect.h)
            };
            (dy / 8, (centre(i.rect) - centre(here)).abs())
        })
        .map_or(at, |(n, _)| n)
}

/// The path of a link between two rectangles: from the bottom of the
/// upper one to the top of the lower one.
fn link_path(a: Rect, b: Rect) -> String {
    let (top, bottom) = if a.y <= b.y { (a, b) } else { (b, a) };
    let (x1, y1) = (top.x + top.w / 2, top.y + top.h);
    let (x2, y2) = (bottom.x + bottom.w / 2, bottom.y);
    let mid = i32::midpoint(y1, y2);
    format!("path('M {x1} {y1} C {x1} {mid}, {x2} {mid}, {x2} {y2}')")
}

#[component]
pub fn Picture(props: &PictureProps) -> Html {
    let scene = &props.scene;
    let layout = &props.layout;
    let items = use_memo((scene.clone(), layout.clone()), |(s, l)| items(s, l));
    // The element under the keyboard, and under the pointer.
    let focused = use_state(|| None::<String>);
    let pointed = use_state(|| None::<String>);

    let rect = |id: &str| layout.rects.get(id).copied();
    let mark = |id: &str| {
        classes!(
            (props.selected.as_deref() == Some(id)).then_some("pv-selected"),
            (props.highlighted.as_deref() == Some(id)).then_some("pv-highlighted"),
            (focused.as_deref() == Some(id)).then_some("pv-focused"),
        )
    };
    let label_of = |id: &str| {
        items
            .iter()
            .find(|i| i.pick.id == id)
            .map(Item::label)
            .unwrap_or_default()
    };
    let hover = |id: String| {
        let pointed = pointed.clone();
        let on_hover = props.on_hover.clone();
        (
            Callback::from({
                let pointed = pointed.clone();
                let on_hover = on_hover.clone();
                let id = id.clone();
                move |_: MouseEvent| {
                    pointed.set(Some(id.clone()));
                    on_hover.emit(Some(id.clone()));
                }
            }),
            Callback::from(move |_: MouseEvent| {
                pointed.set(None);
                on_hover.emit(None);
            }),
        )
    };
    let context_menu = |id: &str| {
        let pick = items
            .iter()
            .find(|i| i.pick.id == id)
            .map(|i| i.pick.clone());
        let (on_menu, focused) = (props.on_menu.clone(), focused.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(p) = &pick else { return };
            e.prevent_default();
            e.stop_propagation();
            focused.set(Some(p.id.clone()));
            on_menu.emit((p.clone(), e.client_x(), e.client_y()));
        })
    };
    let click = |id: &str| {
        let pick = items
            .iter()
            .find(|i| i.pick.id == id)
            .map(|i| i.pick.clone());
        let on_select = props.on_select.clone();
        let focused = focused.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            if let Some(p) = &pick {
                focused.set(Some(p.id.clone()));
            }
            on_select.emit(pick.clone());
        })
    };

    // Zones and the tray.
    let zones = scene.zones.iter().filter_map(|z| {
        let id = format!("zone/{}", z.name);
        let r = rect(&id)?;
        let title = if z.name.is_empty() {
            "no zone".to_owned()
        } else {
            format!("zone {}", z.name)
        };
        Some(html! {
            <g key={id} class="pv-zone" style={place(r)}>
                <rect width={r.w.to_string()} height={r.h.to_string()} rx="10"/>
                <text x="12" y="17" class="pv-box-title">{ title }</text>
            </g>
        })
    });
    let tray = rect("tray").map(|r| {
        html! {
            <g key="tray" class="pv-tray" style={place(r)}>
                <rect width={r.w.to_string()} height={r.h.to_string()} rx="10"/>
                <text x="12" y="17" class="pv-box-title">{ "Pods not yet on a node" }</text>
            </g>
        }
    });

    // Storage: pools, shares and host directories under the zones, a
    // node's own disk inside the node (drawn over it).
    let backend = |b: &pvsim_scene::Backend| {
        let r = rect(&b.id)?;
        let class = match b.kind {
            BackendKind::DiskPool { .. } => "pv-backend pv-pool",
            BackendKind::FileShare => "pv-backend pv-share",
            BackendKind::NodeDisk { .. } => "pv-backend pv-node-disk",
            BackendKind::HostPath => "pv-backend pv-hostpath",
        };
        Some(html! {
            <g key={b.id.clone()} {class} style={place(r)}>
                <rect width={r.w.to_string()} height={r.h.to_string()} rx="8"/>
                <text x="10" y="16" class="pv-box-title">{ shorten(&b.label, usize::try_from(r.w / 7).unwrap_or(8).max(8)) }</text>
            </g>
        })
    };
    let in_node = |b: &&pvsim_scene::Backend| matches!(b.kind, BackendKind::NodeDisk { .. });
    let storage = scene
        .storage
        .iter()
        .filter(|b| !in_node(b))
        .filter_map(backend);
    let node_disks = scene.storage.iter().filter(in_node).filter_map(backend);

    // An object: a keyed group placed by its transform, named for
    // assistive technology, with its card on hover and selection on click.
    let symbol = |id: &str, kind: &'static str, look: &'static str, r: Rect, body: Html| {
        let (enter, leave) = hover(id.to_owned());
        html! {
            <g key={id.to_owned()} id={dom_id(id)} class={classes!(kind, look, mark(id))}
               style={place(r)} role="graphics-symbol" aria-label={label_of(id)}
               onmouseenter={enter} onmouseleave={leave} onclick={click(id)}
               oncontextmenu={context_menu(id)}>
                <rect class="pv-shape" width={r.w.to_string()} height={r.h.to_string()}
                      rx={if kind == "pv-node" { "8" } else { "6" }}/>
                { body }
            </g>
        }
    };
    // Its state: a glyph, then words.
    let state_line = |x: i32, y: i32, glyph: &'static str, words: String| {
        html! {
            <text x={x.to_string()} y={y.to_string()} class="pv-state">
                <tspan class="pv-glyph">{ glyph }</tspan>{ format!(" {words}") }
            </text>
        }
    };

    // Nodes.
    let nodes = scene.zones.iter().flat_map(|z| &z.nodes).filter_map(|n| {
        let r = rect(&n.id)?;
        let (glyph, look) = node_look(n);
        let attached = match n.attach_limit {
            Some(limit) => format!("⛁ {}/{limit}", n.attached),
            None => format!("⛁ {}", n.attached),
        };
        Some(symbol(
            &n.id,
            "pv-node",
            look,
            r,
            html! {
                <>
                    <text x="10" y="18" class="pv-name">{ shorten(&n.name, name_room(r.w - 28 - count_width(&attached))) }</text>
                    { state_line(10, 34, glyph, node_status(n)) }
                    <text x={(r.w - 10).to_string()} y="18" class="pv-meta" text-anchor="end">
                        <title>{ "volumes attached, of the node's limit" }</title>{ attached }
                    </text>
                </>
            },
        ))
    });

    // Pods, and the counts drawn for what full containers fold away.
    let all_pods = scene.tray.iter().chain(
        scene
            .zones
            .iter()
            .flat_map(|z| &z.nodes)
            .flat_map(|n| &n.pods),
    );
    let pod_tiles = all_pods.filter_map(|p| {
        let r = rect(&p.id)?;
        let (glyph, look) = pod_look(p);
        let state = if p.leaving {
            "Terminating"
        } else {
            p.status.as_str()
        };
        Some(symbol(
            &p.id,
            "pv-pod",
            look,
            r,
            html! {
                <>
                    <text x="8" y="14" class="pv-name">{ shorten(&p.name, 26) }</text>
                    { state_line(8, 29, glyph, state.to_owned()) }
                </>
            },
        ))
    });
    let folded = layout.folds.iter().map(|f| {
        let what = match (f.what, f.hidden) {
            (Folded::Pods, 1) => "pod",
            (Folded::Pods, _) => "pods",
            (Folded::Claims, 1) => "claim",
            (Folded::Claims, _) => "claims",
            (Folded::Volumes, 1) => "volume",
            (Folded::Volumes, _) => "volumes",
        };
        let r = f.rect;
        let text = format!("+{} more {what}", f.hidden);
        html! {
            <g key={format!("fold/{}/{}", r.x, r.y)} class="pv-more" style={place(r)}
               role="graphics-symbol" aria-label={text.clone()}>
                <rect class="pv-shape" width={r.w.to_string()} height={r.h.to_string()} rx="6"/>
                <text x="8" y={(r.h / 2 + 4).to_string()} class="pv-name">{ text }</text>
            </g>
        }
    });

    // Claims and volumes.
    let claims = scene.claims.iter().filter_map(|c| {
        let r = rect(&c.id)?;
        let (glyph, look) = claim_look(&c.phase);
        let state = format!("{} · {} {}", c.phase, c.size, c.access_modes.join(","));
        Some(symbol(
            &c.id,
            "pv-claim",
            look,
            r,
            html! {
                <>
                    <text x="8" y="15" class="pv-kind">{ "PVC" }</text>
                    <text x="36" y="15" class="pv-name">{ shorten(&c.name, name_room(r.w - 44)) }</text>
                    { state_line(8, 31, glyph, state) }
                </>
            },
        ))
    });
    let volumes = scene.volumes.iter().filter_map(|v| {
        let r = rect(&v.id)?;
        let (glyph, look) = volume_look(&v.phase);
        Some(symbol(&v.id, "pv-volume", look, r, html! {
            <>
                <text x="8" y="15" class="pv-kind">{ "PV" }</text>
                <text x="30" y="15" class="pv-name">{ shorten(&v.name, name_room(r.w - 38)) }</text>
                { state_line(8, 31, glyph, format!("{} · {}", v.phase, v.capacity)) }
            </>
        }))
    });

    // Files, where they live.
    let files = scene.files.iter().filter_map(|f| {
        let r = rect(&f.id)?;
        let (enter, leave) = hover(f.id.clone());
        let name = f.path.rsplit('/').next().unwrap_or(&f.path).to_owned();
        Some(html! {
            <g key={f.id.clone()} class={classes!("pv-file", mark(&f.id))} style={place(r)}
               role="graphics-symbol" aria-label={format!("file {}: {}", f.path, f.content)}
               onmouseenter={enter} onmouseleave={leave}>
                <title>{ format!("{}: {}", f.path, f.content) }</title>
                <path class="pv-shape" d="M1 1h8l4 4v8H1z"/>
                <text x="-3" y="11" class="pv-file-name" text-anchor="end">{ shorten(&name, 12) }</text>
            </g>
        })
    });

    // Links.
    let links = scene.links.iter().filter_map(|l| {
        let (a, b) = (rect(&l.from)?, rect(&l.to)?);
        let kind = match l.kind {
            LinkKind::Mount => "pv-mount",
            LinkKind::Binding => "pv-binding",
            LinkKind::Attachment => "pv-attachment",
        };
        let key = format!("{kind}/{}/{}", l.from, l.to);
        Some(html! {
            <path key={key} class={classes!("pv-link", kind, format!("pv-link-{}", l.state))}
                  pathLength="1" style={format!("d: {}", link_path(a, b))}/>
        })
    });

    // The control plane, and the acting controller's line to its object.
    let controllers = scene.controllers.iter().filter_map(|c| {
        let r = rect(&c.name)?;
        let (first, second) = match c.label.rsplit_once(' ') {
            Some((a, b)) if c.label.len() > 16 => (a.to_owned(), Some(b.to_owned())),
            _ => (c.label.clone(), None),
        };
        Some(html! {
            <g key={c.name.clone()} class={classes!("pv-controller", c.acting.then_some("pv-acting"))} style={place(r)}>
                <rect class="pv-shape" width={r.w.to_string()} height={r.h.to_string()} rx="6"/>
                if c.acting { <text x={(r.w - 8).to_string()} y="13" class="pv-glyph" text-anchor="end">{ "▶" }</text> }
                if let Some(second) = second {
                    <text x="8" y="14" class="pv-controller-name">{ first }</text>
                    <text x="8" y="27" class="pv-controller-name">{ second }</text>
                } else {
                    <text x="8" y="21" class="pv-controller-name">{ first }</text>
                }
            </g>
        })
    });
    let acting_link = scene.acting.as_ref().and_then(|a| {
        let from = rect(&a.slot)?;
        let to = rect(a.target.as_deref()?)?;
        Some(html! {
            <path key={format!("acting/{}", a.slot)} class={classes!("pv-link", "pv-acting-link", a.warning.then_some("pv-warning"))}
                  pathLength="1" style={format!("d: {}", link_path(from, to))}/>
        })
    });

    // The card for the element under the pointer, else the keyboard.
    let carded = pointed.as_ref().or(focused.as_ref()).cloned();
    // The card is always in the DOM (hidden when there is nothing to
    // show), so the picture's children never change in number: Yew
    // matches unkeyed children by position, and a child appearing
    // beside the SVG would make it rebuild the SVG and lose its focus.
    let shown = carded.and_then(|id| items.iter().find(|i| i.pick.id == id));
    let card = {
        let style = shown.map_or_else(String::new, |item| {
            let r = item.rect;
            // In hundredths of a percent: no float formatting in the page.
            let left = r.x * 10_000 / layout.width.max(1);
            let top = (r.y + r.h) * 10_000 / layout.height.max(1);
            format!(
                "left: {}.{:02}%; top: {}.{:02}%",
                left / 100,
                left % 100,
                top / 100,
                top % 100
            )
        });
        let text = |f: fn(&Item) -> String| shown.map(f).unwrap_or_default();
        html! {
            <div class="pv-card" role="tooltip" {style} hidden={shown.is_none()}>
                <div class="pv-card-kind">{ text(|i| i.pick.kind.to_owned()) }</div>
                <div class="pv-card-name">{ text(|i| i.pick.name.clone()) }</div>
                <div class="pv-card-state">{ text(|i| i.state.clone()) }</div>
                <div class="pv-card-line">{ text(|i| i.line.clone()) }</div>
            </div>
        }
    };

    let onkeydown = {
        let items = items.clone();
        let focused = focused.clone();
        let on_select = props.on_select.clone();
        let on_hover = props.on_hover.clone();
        let on_menu = props.on_menu.clone();
        Callback::from(move |e: KeyboardEvent| {
            let at = focused
                .as_ref()
                .and_then(|id| items.iter().position(|i| &i.pick.id == id));
            let next = match e.key().as_str() {
                "ArrowRight" => at.map_or(0, |i| (i + 1).min(items.len().saturating_sub(1))),
                "ArrowLeft" => at.map_or(0, |i| i.saturating_sub(1)),
                "ArrowDown" => at.map_or(0, |i| nearest(&items, i, true)),
                "ArrowUp" => at.map_or(0, |i| nearest(&items, i, false)),
                "Home" => 0,
                "End" => items.len().saturating_sub(1),
                "Enter" | " " => {
                    e.prevent_default();
                    e.stop_propagation();
                    on_select.emit(at.map(|i| items[i].pick.clone()));
                    return;
                }
                "Escape" => {
                    focused.set(None);
                    on_hover.emit(None);
                    on_select.emit(None);
                    return;
                }
                "ContextMenu" | "F10" if e.key() == "ContextMenu" || e.shift_key() => {
                    let Some(item) = at.map(|i| &items[i]) else {
                        return;
                    };
                    e.prevent_default();
                    e.stop_propagation();
                    // The menu opens at the object's lower left corner.
                    let (x, y) = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.get_element_by_id(&dom_id(&item.pick.id)))
                        .map_or((0, 0), |el| {
                            let r = el.get_bounding_client_rect();
                            (r.left() as i32, r.bottom() as i32)
                        });
                    on_select.emit(Some(item.pick.clone()));
                    on_menu.emit((item.pick.clone(), x, y));
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            e.stop_propagation();
            if let Some(item) = items.get(next) {
                focused.set(Some(item.pick.id.clone()));
                on_hover.emit(Some(item.pick.id.clone()));
            }
        })
    };
    let onblur = {
        let focused = focused.clone();
        Callback::from(move |_: FocusEvent| focused.set(None))
    };
    let background_click = {
        let on_select = props.on_select.clone();
        Callback::from(move |_: MouseEvent| on_select.emit(None))
    };
    let active = focused.as_ref().map(|id| dom_id(id));
    let view_box = format!("0 0 {} {}", layout.width, layout.height);
    // Never drawn larger than its natural size.
    let aspect = format!("max-width: {}px", layout.width.max(1));

    html! {
        <div class={classes!("pv-picture", (!props.animate).then_some("pv-snap"))} style={aspect}>
            <svg viewBox={view_box} role="graphics-document" tabindex="0"
                 aria-roledescription="cluster picture" aria-label={props.caption.clone()}
                 aria-activedescendant={active} {onkeydown} {onblur} onclick={background_click}
                 data-testid="picture">
                <defs>
                    <pattern id="pv-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <rect width="8" height="8" class="pv-hatch-bg"/>
                        <line x1="0" y1="0" x2="0" y2="8" class="pv-hatch-line"/>
                    </pattern>
                </defs>
                <g class="pv-layer-zones">{ for zones }{ for tray }</g>
                <g class="pv-layer-storage">{ for storage }</g>
                // Links run under the nodes, so a pod's line leaves from
                // its node's edge instead of crossing the other pods.
                <g class="pv-layer-links">{ for links }</g>
                <g class="pv-layer-nodes">{ for nodes }</g>
                <g class="pv-layer-node-disks">{ for node_disks }</g>
                <g class="pv-layer-controllers">{ for controllers }</g>
                <g class="pv-layer-acting">{ for acting_link }</g>
                <g class="pv-layer-claims">{ for claims }</g>
                <g class="pv-layer-volumes">{ for volumes }</g>
                <g class="pv-layer-pods">{ for pod_tiles }</g>
                <g class="pv-layer-folds">{ for folded }</g>
                <g class="pv-layer-files">{ for files }</g>
            </svg>
            { card }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn a_node_name_leaves_room_for_its_count() {
        // A 180 px node box with "⛁ 0/15" beside the name.
        assert_eq!(
            super::name_room(180 - 28 - super::count_width("⛁ 0/15")),
            15
        );
        assert_eq!(super::name_room(1000), 26);
        assert_eq!(super::name_room(-40), 6);
    }

    #[test]
    fn shortens_in_the_middle() {
        assert_eq!(shorten("web-0", 10), "web-0");
        assert_eq!(shorten("shop-77c4879cd7-c5tv7", 12), "shop-7…c5tv7");
        assert_eq!(shorten("shop-77c4879cd7-c5tv7", 12).chars().count(), 12);
    }
}
