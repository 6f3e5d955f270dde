// pvsim's YAML editor: CodeMirror 6 with YAML highlighting, the engine's
// diagnostics as lint marks, search, undo, and completion of Kubernetes
// field names from pvsim's own model (fields.json, written by the engine's
// tests). esbuild bundles this file into one ES module that the page
// imports once its first picture is drawn (see crates/web/src/components/
// code_editor.rs); until then, and if it cannot load, the page keeps its
// plain textarea.

import { basicSetup } from 'codemirror';
import { EditorView, keymap } from '@codemirror/view';
import { Compartment, EditorState, Prec } from '@codemirror/state';
import { indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { setDiagnostics, lintGutter } from '@codemirror/lint';
import { autocompletion } from '@codemirror/autocomplete';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import schema from './fields.json';

/// The keys on the way from a document's root to the mapping a new key at
/// `indent` on line `lineNo` would join, with `kind:` of the document, and
/// the keys that mapping has already. Reads block-style YAML by its
/// indentation, which is what people write and what stays readable while
/// a line is half typed.
export function context(lines, lineNo, indent) {
  // The document around the line: between `---` markers.
  let start = lineNo;
  while (start > 0 && !/^---/.test(lines[start - 1])) start--;
  let end = lineNo;
  while (end + 1 < lines.length && !/^---/.test(lines[end + 1])) end++;

  let kind = null;
  for (let i = start; i <= end; i++) {
    const m = /^kind:\s*["']?([A-Za-z]+)/.exec(lines[i]);
    if (m) kind = m[1];
  }

  // Each line's key (if any) and the column it starts at; `- key:` counts
  // as a key two columns in, the start of a list item.
  const keyAt = (text) => {
    const m = /^(\s*)((?:- +)*)([A-Za-z0-9_.\/-]+)\s*:(\s|$)/.exec(text);
    if (!m) return null;
    return { column: m[1].length + m[2].length, key: m[3], item: m[2].length > 0 };
  };

  const path = [];
  let column = indent;
  for (let i = lineNo - 1; i >= start && column > 0; i--) {
    const k = keyAt(lines[i]);
    if (k && k.column < column) {
      path.unshift(k.key);
      column = k.column;
    }
  }

  // The keys already in the mapping: same column, same parent.
  const siblings = new Set();
  const scan = (from, step) => {
    for (let i = from; i >= start && i <= end; i += step) {
      const text = lines[i];
      if (!text.trim() || /^\s*#/.test(text)) continue;
      const k = keyAt(text);
      const lead = /^\s*/.exec(text)[0].length;
      if (k && k.column === indent) {
        // A list item's first key starts the item: above, it is ours and
        // the last; below, it is the next item's.
        if (k.item && step > 0) break;
        siblings.add(k.key);
        if (k.item) break;
        continue;
      }
      if (lead < indent || (k && k.column < indent)) break;
    }
  };
  scan(lineNo - 1, -1);
  scan(lineNo + 1, 1);
  return { kind, path, siblings };
}

/// The struct at `path` in `kind`, if pvsim's model knows it.
export function typeAt(kind, path) {
  let type = schema.kinds[kind];
  for (const key of path) {
    const t = schema.types[type];
    if (!t) return null;
    const field = t.fields.find((f) => f.name === key);
    if (!field) return null;
    type = field.type.replace(/^(\[\])+/, '');
  }
  return schema.types[type] ? type : null;
}

function complete(ctx) {
  const line = ctx.state.doc.lineAt(ctx.pos);
  const before = line.text.slice(0, ctx.pos - line.from);
  const m = /^(\s*)((?:- +)*)([A-Za-z0-9]*)$/.exec(before);
  if (!m) return null;
  if (!ctx.explicit && m[3] === '') return null;
  const indent = m[1].length + m[2].length;
  const lines = ctx.state.doc.toString().split('\n');
  const { kind, path, siblings } = context(lines, line.number - 1, indent);
  let fields;
  if (path.length === 0) {
    fields = kind && schema.types[schema.kinds[kind]]
      ? schema.types[schema.kinds[kind]].fields
      : [
          { name: 'apiVersion', type: 'string', doc: 'The API group and version of the kind, such as v1 or storage.k8s.io/v1.' },
          { name: 'kind', type: 'string', doc: 'The kind of object.' },
        ];
  } else {
    const type = typeAt(kind, path);
    if (!type || !schema.types[type].complete) return null;
    fields = schema.types[type].fields;
  }
  const options = fields
    .filter((f) => !siblings.has(f.name) || f.name === m[3])
    .map((f) => ({
      label: f.name,
      type: 'property',
      detail: f.type,
      info: f.doc,
      apply: `${f.name}: `,
    }));
  return { from: ctx.pos - m[3].length, options, validFor: /^[A-Za-z0-9]*$/ };
}

/// Colours from the page's palette (style.css), so that light and dark
/// themes both read well.
const highlight = HighlightStyle.define([
  { tag: tags.definition(tags.propertyName), color: 'var(--pv-code-key)' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--pv-code-string)' },
  { tag: tags.lineComment, color: 'var(--pv-dim)', fontStyle: 'italic' },
  { tag: [tags.meta, tags.keyword], color: 'var(--pv-accent)', fontWeight: '600' },
  { tag: [tags.labelName, tags.typeName, tags.attributeValue], color: 'var(--pv-code-special)' },
  { tag: [tags.separator, tags.punctuation, tags.squareBracket, tags.brace], color: 'var(--pv-dim)' },
]);

/// Where (line, column), both from 1, is in the document, clamped.
function offset(doc, line, column) {
  const l = doc.line(Math.min(Math.max(line, 1), doc.lines));
  return l.from + Math.min(Math.max(column - 1, 0), l.length);
}

/// Past this many characters (about 3,000 lines) the YAML is not parsed
/// for highlighting and folding: parsing a paste of thousands of objects
/// takes the main thread for 100 ms at a time, and typing must stay quick.
/// Completion and the engine's diagnostics go on working.
const LARGE = 100_000;

function language(large) {
  return large ? [] : [yaml(), syntaxHighlighting(highlight)];
}

/// Opens an editor in `parent`. `onChange(text)` hears every edit,
/// `onApply()` Ctrl/Cmd+Enter. Returns what the page drives it with.
export function create(parent, doc, label, onChange, onApply) {
  const syntax = new Compartment();
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => { onApply(); return true; } }])),
        basicSetup,
        keymap.of([indentWithTab]),
        // A dropped file opens as the manifest (the page's own drop
        // handler, on the editor's panel, reads it); CodeMirror would
        // insert its text at the drop point instead.
        EditorView.domEventHandlers({ drop: (e) => e.dataTransfer?.files?.length > 0 }),
        syntax.of(language(doc.length > LARGE)),
        // Crossing the size switches the syntax in the same transaction, so
        // a large paste is never parsed.
        EditorState.transactionExtender.of((tr) => {
          const large = tr.newDoc.length > LARGE;
          if (!tr.docChanged || large === tr.startState.doc.length > LARGE) return null;
          return { effects: syntax.reconfigure(language(large)) };
        }),
        lintGutter(),
        autocompletion({ override: [complete] }),
        EditorView.contentAttributes.of({ 'aria-label': label }),
        // On a phone, long lines wrap rather than scroll sideways.
        window.matchMedia('(max-width: 700px)').matches ? EditorView.lineWrapping : [],
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    /// Replaces the text (a reset, a story), unless it is already there.
    setDoc(text) {
      if (view.state.doc.toString() === text) return;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    /// The engine's diagnostics: [{line, column, severity, message}].
    setMarks(marks) {
      const doc = view.state.doc;
      const diagnostics = marks.map((m) => {
        const from = offset(doc, m.line, m.column);
        const lineEnd = doc.lineAt(from);
        const to = lineEnd.from + lineEnd.text.trimEnd().length;
        return { from, to: Math.max(from, to), severity: m.severity, message: m.message };
      });
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    /// Puts the cursor at (line, column) and shows it.
    jump(line, column) {
      const at = offset(view.state.doc, line, column);
      view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
      view.focus();
    },
    destroy() {
      view.destroy();
    },
  };
}
