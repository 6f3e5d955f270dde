//! The plain editor: a YAML textarea with line numbers and marked lines.
//! It is what the page shows until CodeMirror has loaded (see
//! `editor.rs`), and what stays if CodeMirror cannot load.
//!
//! The textarea does not wrap, so each source line is one row; a gutter
//! and a backdrop behind the (transparent) textarea draw the line numbers
//! and the bands of lines with diagnostics, and follow its scrolling. The
//! numbers are one text node holding only the lines around the view, and
//! only marked lines get a band, so a paste of thousands of lines adds a
//! handful of DOM nodes, not thousands.

use std::rc::Rc;

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// The height of a line, in pixels (`--pv-line` in the page's CSS).
const LINE: i32 = 20;
/// How many line numbers the gutter holds: more than any screen shows.
const GUTTER_LINES: usize = 160;

use super::Mark;

#[derive(Properties, PartialEq)]
pub struct TextareaProps {
    pub value: String,
    pub on_change: Callback<String>,
    pub marks: Rc<Vec<Mark>>,
    /// Put the cursor at this (line, column) and scroll to it.
    pub jump: Option<(u32, u32)>,
}

/// The UTF-16 offset of (line, column), as the textarea counts.
fn offset_of(text: &str, line: u32, column: u32) -> u32 {
    let mut offset = 0u32;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line as usize {
            let col: u32 = l
                .chars()
                .take(column.saturating_sub(1) as usize)
                .map(|c| c.len_utf16() as u32)
                .sum();
            return offset + col;
        }
        offset += l.encode_utf16().count() as u32 + 1;
    }
    offset
}

/// `base`, plus `base-error` or `base-warning`.
fn mark_class(base: &str, error: bool) -> String {
    let kind = if error { "error" } else { "warning" };
    format!("{base} {base}-{kind}")
}

#[component]
pub fn Textarea(props: &TextareaProps) -> Html {
    let textarea = use_node_ref();
    let scroll = use_state(|| (0, 0));

    {
        let textarea = textarea.clone();
        let value = props.value.clone();
        use_effect_with(props.jump, move |jump| {
            if let (Some((line, column)), Some(el)) = (jump, textarea.cast::<HtmlTextAreaElement>())
            {
                let at = offset_of(&value, *line, *column);
                let _ = el.focus();
                let _ = el.set_selection_range(at, at);
                let top = (i32::try_from(*line).unwrap_or(0) - 3).max(0) * LINE;
                el.set_scroll_top(top);
            }
        });
    }

    // The textarea is not bound to `value`: setting a long text back into
    // it after every keystroke would make the browser lay it out again.
    // The text is written only when it differs from what the textarea
    // holds (a reset, a jump to a story).
    {
        let textarea = textarea.clone();
        use_effect_with(props.value.clone(), move |value| {
            if let Some(el) = textarea.cast::<HtmlTextAreaElement>()
                && el.value() != *value
            {
                el.set_value(value);
            }
        });
    }

    let oninput = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlTextAreaElement = e.target_unchecked_into();
            on_change.emit(el.value());
        })
    };
    let onscroll = {
        let scroll = scroll.clone();
        let textarea = textarea.clone();
        Callback::from(move |_: Event| {
            if let Some(el) = textarea.cast::<HtmlTextAreaElement>() {
                scroll.set((el.scroll_top(), el.scroll_left()));
            }
        })
    };

    // Marked lines: Some(false) for a warning, Some(true) for an error.
    let lines = props.value.split('\n').count().max(1);
    let mut marked: std::collections::BTreeMap<u32, bool> = std::collections::BTreeMap::new();
    for m in props.marks.iter() {
        if (1..=lines).contains(&(m.line as usize)) {
            let error = marked.entry(m.line).or_insert(false);
            *error = *error || m.error;
        }
    }
    let (top, left) = *scroll;
    // Only the numbers around what is in view: a paste of thousands of
    // lines keeps the gutter small.
    let first = usize::try_from(top / LINE).unwrap_or(0).saturating_sub(20) + 1;
    let last = (first + GUTTER_LINES).min(lines);
    let numbers = (first..=last).fold(String::with_capacity(GUTTER_LINES * 5), |mut text, i| {
        if i > first {
            text.push('\n');
        }
        text.push_str(&i.to_string());
        text
    });
    let numbers_at = format!("top: calc({} * var(--pv-line))", first - 1);
    let shift = format!("transform: translate(0, {}px)", -top);
    let shift_both = format!("transform: translate({}px, {}px)", -left, -top);
    let row = |line: u32| format!("top: calc({} * var(--pv-line))", line - 1);

    html! {
        <div class="pv-editor">
            <div class="pv-gutter" aria-hidden="true">
                <div class="pv-gutter-lines" style={shift}>
                    <pre class="pv-numbers" style={numbers_at}>{ numbers }</pre>
                    { for marked.iter().map(|(&line, &error)| html! {
                        <div class={mark_class("pv-ln", error)} style={row(line)}>{ line }</div>
                    }) }
                </div>
            </div>
            <div class="pv-code">
                <div class="pv-backdrop" aria-hidden="true">
                    <div class="pv-backdrop-lines" style={shift_both}>
                        { for marked.iter().map(|(&line, &error)| html! {
                            <div class={mark_class("pv-band", error)} style={row(line)}></div>
                        }) }
                    </div>
                </div>
                <textarea
                    ref={textarea}
                    class="pv-textarea"
                    aria-label="Kubernetes YAML"
                    spellcheck="false"
                    autocapitalize="off"
                    autocomplete="off"
                    wrap="off"
                    {oninput}
                    {onscroll}
                />
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::offset_of;

    #[test]
    fn offsets_count_utf16_units() {
        let text = "a: 1\nb: \u{1F600}x\nc";
        assert_eq!(offset_of(text, 1, 1), 0);
        assert_eq!(offset_of(text, 2, 1), 5);
        assert_eq!(offset_of(text, 2, 5), 5 + 3 + 2);
        assert_eq!(offset_of(text, 3, 1), 5 + 7);
    }
}
