// What the page's lazily loaded dialogs (the gallery, share) have in
// common: building elements as text, the dialog frame with its focus
// trap and Escape, and the frame's styles. esbuild bundles it into each
// of them, so each stays one file fetched when first opened.

/// The frame's styles, in the page's palette (style.css's variables);
/// added when a dialog first opens, so the first load does not carry them.
const STYLE = `
.pv-dialog-backdrop { position: fixed; inset: 0; z-index: 30; background: rgba(10, 15, 25, 0.45); display: flex; justify-content: center; align-items: flex-start; padding: 40px 16px; }
.pv-dialog {
  width: min(760px, 100%); max-height: calc(100vh - 80px); display: flex; flex-direction: column; gap: 10px;
  padding: 16px; background: var(--pv-surface); color: var(--pv-text); border: 1px solid var(--pv-border);
  border-radius: 10px; box-shadow: 0 12px 40px rgba(0, 0, 0, 0.3);
}
.pv-dialog-head { display: flex; align-items: center; justify-content: space-between; gap: 8px; }
.pv-dialog-head h2 { margin: 0; font-size: 18px; }
.pv-dialog-body { overflow: auto; display: flex; flex-direction: column; gap: 6px; }
.pv-dialog-body > * { flex-shrink: 0; }
@media (max-width: 600px) { .pv-dialog-backdrop { padding: 12px 8px; } .pv-dialog { max-height: calc(100vh - 24px); padding: 12px; } }
`;

/// An element with attributes, listeners (`on…`) and children; children
/// that are strings go in as text, never as markup.
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

/// Adds a stylesheet once, by id.
export function style(id, css) {
  if (!document.getElementById(id)) document.head.append(el('style', { id }, css));
}

/// Opens a modal dialog named `label` with a Close button and `body`'s
/// elements;
/// Escape or Close calls `onClose`. Tab stays inside while it is open.
/// Returns `close`, which removes it without calling `onClose`.
export function openDialog(label, onClose, ...body) {
  style('pv-dialog-style', STYLE);
  const close = () => backdrop.remove();
  const dismiss = () => { close(); onClose(); };
  const dialog = el('div', {
    class: 'pv-dialog',
    role: 'dialog',
    'aria-modal': 'true',
    'aria-label': label,
    onkeydown: (e) => {
      if (e.key === 'Escape') { e.stopPropagation(); dismiss(); }
      if (e.key !== 'Tab') return;
      const all = [...dialog.querySelectorAll('button, input, textarea, a[href], select, [tabindex="0"]')]
        .filter((x) => !x.disabled && x.offsetParent !== null);
      const [first, last] = [all[0], all[all.length - 1]];
      if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
      else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
    },
  },
  el('div', { class: 'pv-dialog-head' },
    el('h2', {}, label),
    el('button', { type: 'button', class: 'pv-button', onclick: dismiss }, 'Close')),
  ...body);
  const backdrop = el('div', { class: 'pv-dialog-backdrop' }, dialog);
  document.body.append(backdrop);
  return close;
}
