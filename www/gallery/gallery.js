// The gallery: every scenario of pvsim's suite that has a title and a
// description (gallery.json, built by build.mjs), searchable by word and
// filtered by tag, each opening with its YAML in the editor and playing;
// and a blank start.
//
// Like the editor, it is not part of the first load: the page imports
// this module when the gallery is first opened (see Msg::Gallery in
// crates/web/src/app.rs), and it fetches gallery.json then. It is plain
// DOM code so that the page's WebAssembly, which every reader downloads
// first, does not carry a dialog most never open. Every text goes in as
// text (textContent), never as markup.

const TAGS = ['static', 'dynamic', 'topology', 'node failure', 'data', 'reclaim', 'StatefulSet', 'upstream test'];

let items = null;

import { el, openDialog, style } from '../dialog/dialog.js';

/// The gallery's own styles (the frame's come with openDialog).
const STYLE = `
.pv-gallery-search { font: inherit; padding: 8px 10px; border: 1px solid var(--pv-border); border-radius: 6px; background: var(--pv-surface); color: var(--pv-text); }
.pv-gallery-search:focus-visible { outline: 2px solid var(--pv-accent); outline-offset: 1px; }
.pv-gallery-tagbar { display: flex; flex-wrap: wrap; gap: 6px; }
.pv-tag { font: inherit; font-size: 13px; padding: 3px 10px; border-radius: 999px; border: 1px solid var(--pv-border); background: var(--pv-surface); color: var(--pv-text); cursor: pointer; }
.pv-tag[aria-pressed="true"] { background: var(--pv-accent); color: var(--pv-accent-text); border-color: var(--pv-accent); }
.pv-tag[aria-pressed="true"]::before { content: "✓ "; }
.pv-gallery-list { overflow: auto; display: flex; flex-direction: column; gap: 6px; }
.pv-gallery-count { margin: 0; font-size: 13px; color: var(--pv-dim); }
.pv-gallery-group h3 { margin: 10px 0 6px; font-size: 13px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--pv-dim); }
.pv-gallery-group ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
.pv-gallery-item {
  width: 100%; display: flex; flex-direction: column; gap: 2px; text-align: left; font: inherit; font-size: 14px;
  padding: 8px 10px; border: 1px solid var(--pv-border); border-radius: 6px; background: var(--pv-surface-2); color: var(--pv-text); cursor: pointer;
}
.pv-gallery-item:hover, .pv-gallery-item:focus-visible { border-color: var(--pv-accent); outline: none; box-shadow: 0 0 0 1px var(--pv-accent); }
.pv-gallery-item span { color: var(--pv-dim); font-size: 13px; }
.pv-gallery-tags { font-size: 12px !important; }
.pv-gallery-blank { border-style: dashed; }
`;

function load() {
  items ??= fetch(new URL('gallery.json', document.baseURI)).then((r) => {
    if (!r.ok) throw new Error(`${r.status} ${r.statusText}`);
    return r.json();
  });
  return items;
}

/// Opens the gallery. `onOpen(yaml)` opens a scenario ("" for a blank
/// start); `onClose()` hears it closed without a choice. `label` names
/// the dialog when it chooses for something else than the editor (a side
/// of the compare view), and then it offers no blank start.
export function open(onOpen, onClose, label) {
  const chosen = new Set();
  let query = '';
  const choose = (yaml) => { close(); onOpen(yaml); };
  const search = el('input', {
    type: 'search',
    class: 'pv-gallery-search',
    'aria-label': 'Search the gallery',
    placeholder: 'Search: drain, zone, Retain, StatefulSet…',
    oninput: (e) => { query = e.target.value; render(); },
  });
  const tagbar = el('div', { class: 'pv-gallery-tagbar', role: 'group', 'aria-label': 'Tags' },
    ...TAGS.map((tag) => el('button', {
      type: 'button',
      class: 'pv-tag',
      'aria-pressed': 'false',
      onclick: (e) => {
        if (chosen.has(tag)) chosen.delete(tag); else chosen.add(tag);
        e.currentTarget.setAttribute('aria-pressed', String(chosen.has(tag)));
        render();
      },
    }, tag)));
  const count = el('p', { class: 'pv-gallery-count', 'aria-live': 'polite' }, 'Loading the gallery…');
  const groups = el('div');
  const blank = label ? null : el('button', { type: 'button', class: 'pv-gallery-item pv-gallery-blank', onclick: () => choose('') },
    el('strong', {}, 'Blank start'),
    el('span', {}, 'An empty manifest on the cluster the profile picker beside the picture gives.'));
  style('pv-gallery-style', STYLE);
  const close = openDialog(label || 'Gallery', onClose,
    search, tagbar, el('div', { class: 'pv-gallery-list' }, blank, count, groups));

  function render() {
    load().then((all) => {
      const words = query.toLowerCase().split(/\s+/).filter(Boolean);
      const shown = all.filter((i) => {
        const text = `${i.title} ${i.description} ${i.file} ${i.tags.join(' ')}`.toLowerCase();
        return words.every((w) => text.includes(w)) && [...chosen].every((t) => i.tags.includes(t));
      });
      count.textContent = `${shown.length} of ${all.length} scenarios`;
      const names = [...new Set(shown.map((i) => i.group))];
      groups.replaceChildren(...names.map((group) => el('section', { class: 'pv-gallery-group', 'aria-label': group },
        el('h3', {}, group),
        el('ul', {}, ...shown.filter((i) => i.group === group).map((i) => el('li', {},
          el('button', { type: 'button', class: 'pv-gallery-item', onclick: () => choose(i.yaml) },
            el('strong', {}, i.title),
            el('span', {}, i.description),
            el('span', { class: 'pv-gallery-tags' }, i.tags.join(' · ')))))))));
    }, (error) => {
      count.setAttribute('role', 'alert');
      count.textContent = `The gallery could not be loaded (${error.message}).`;
    });
  }

  search.focus();
  render();
}
