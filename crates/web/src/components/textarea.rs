//! The plain editor: a YAML textarea. It is what the page shows until
//! CodeMirror has loaded (see `editor.rs`), and what stays if CodeMirror
//! cannot load; the Problems panel lists the diagnostics then, each with
//! its line, and choosing one puts the cursor there.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// The height of a line, in pixels (`--pv-line` in the page's CSS).
const LINE: i32 = 20;

#[derive(Properties, PartialEq)]
pub struct TextareaProps {
    pub value: String,
    pub on_change: Callback<String>,
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

#[component]
pub fn Textarea(props: &TextareaProps) -> Html {
    let textarea = use_node_ref();

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
    html! {
        <div class="pv-editor">
            <div class="pv-code">
                <textarea
                    ref={textarea}
                    class="pv-textarea"
                    aria-label={super::editor::LABEL}
                    spellcheck="false"
                    autocapitalize="off"
                    autocomplete="off"
                    wrap="off"
                    {oninput}
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
