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

/// The dialog's styles, in the page's palette (style.css's variables);
/// added when the gallery first opens, so the first load does not carry
/// them.
const STYLE = `
.pv-dialog-backdrop { position: fixed; inset: 0; z-index: 30; background: rgba(10, 15, 25, 0.45); display: flex; justify-content: center; align-items: flex-start; padding: 40px 16px; }
.pv-dialog {
  width: min(760px, 100%); max-height: calc(100vh - 80px); display: flex; flex-direction: column; gap: 10px;
  padding: 16px; background: var(--pv-surface); color: var(--pv-text); border: 1px solid var(--pv-border);
  border-radius: 10px; box-shadow: 0 12px 40px rgba(0, 0, 0, 0.3);
}
.pv-dialog-head { display: flex; align-items: center; justify-content: space-between; }
.pv-dialog-head h2 { margin: 0; font-size: 18px; }
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

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function load() {
  items ??= fetch(new URL('gallery.json', document.baseURI)).then((r) => {
    if (!r.ok) throw new Error(`${r.status} ${r.statusText}`);
    return r.json();
  });
  return items;
}

/// Opens the gallery. `onOpen(yaml)` opens a scenario ("" for a blank
/// start); `onClose()` hears it closed without a choice.
export function open(onOpen, onClose) {
  const chosen = new Set();
  let query = '';
  const close = (yaml) => {
    backdrop.remove();
    if (yaml === undefined) onClose();
    else onOpen(yaml);
  };
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
  const blank = el('button', { type: 'button', class: 'pv-gallery-item pv-gallery-blank', onclick: () => close('') },
    el('strong', {}, 'Blank start'),
    el('span', {}, 'An empty manifest on the cluster the profile picker beside the picture gives.'));
  const dialog = el('div', {
    class: 'pv-dialog',
    role: 'dialog',
    'aria-modal': 'true',
    'aria-label': 'Gallery',
    onkeydown: (e) => {
      if (e.key === 'Escape') { e.stopPropagation(); close(); }
      if (e.key !== 'Tab') return;
      // The keyboard stays in the dialog while it is open.
      const all = [...dialog.querySelectorAll('button, input')];
      const [first, last] = [all[0], all[all.length - 1]];
      if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
      else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
    },
  },
  el('div', { class: 'pv-dialog-head' },
    el('h2', {}, 'Gallery'),
    el('button', { type: 'button', class: 'pv-button', onclick: () => close() }, 'Close')),
  search, tagbar,
  el('div', { class: 'pv-gallery-list' }, blank, count, groups));
  const backdrop = el('div', { class: 'pv-dialog-backdrop' }, dialog);

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
          el('button', { type: 'button', class: 'pv-gallery-item', onclick: () => close(i.yaml) },
            el('strong', {}, i.title),
            el('span', {}, i.description),
            el('span', { class: 'pv-gallery-tags' }, i.tags.join(' · ')))))))));
    }, (error) => {
      count.setAttribute('role', 'alert');
      count.textContent = `The gallery could not be loaded (${error.message}).`;
    });
  }

  if (!document.getElementById('pv-gallery-style')) {
    document.head.append(el('style', { id: 'pv-gallery-style' }, STYLE));
  }
  document.body.append(backdrop);
  search.focus();
  render();
}
