// Share: a link that opens exactly what a person sees, the same as
// Markdown for an issue or a forum answer, the scenario as a file, the
// cluster's state as `kubectl get -o yaml` prints it, and a script that
// runs the scenario on a real kind cluster.
//
// The link's fragment holds the YAML, compressed with the browser's own
// CompressionStream (deflate-raw) and written in base64url, with the
// profile, the seed and the timeline's step, as the TypeScript
// playground keeps its code:
//
//   #v=1&profile=auto&seed=0&step=12&yaml=<base64url of deflate-raw>
//
// The page imports this module when Share is opened, or at start when
// the address has such a fragment (see crates/web/src/share.rs). Nothing
// read from a fragment is ever markup or code: the YAML goes to the
// editor as text and every text here goes in with textContent.

import { el, openDialog, style } from '../dialog/dialog.js';

/// Longer fragments are offered as a file instead: chats, forums and
/// some browsers cut long addresses.
export const LINK_LIMIT = 8 * 1024;
/// The longest fragment read at all, and the most YAML it may inflate to.
const READ_LIMIT = 512 * 1024;
const YAML_LIMIT = 4 * 1024 * 1024;
const FORMAT = '1';

const STYLE = `
.pv-share h3 { margin: 8px 0 2px; font-size: 14px; }
.pv-share p { margin: 0; font-size: 13px; color: var(--pv-dim); }
.pv-share-row { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.pv-share-row input { flex: 1 1 240px; min-width: 0; font: 12px var(--pv-mono); padding: 5px 8px; border: 1px solid var(--pv-border); border-radius: 6px; background: var(--pv-surface-2); color: var(--pv-text); }
.pv-share textarea, .pv-share pre { width: 100%; box-sizing: border-box; height: 140px; margin: 0; font: 12px/1.45 var(--pv-mono); padding: 6px 8px; border: 1px solid var(--pv-border); border-radius: 6px; background: var(--pv-surface-2); color: var(--pv-text); resize: vertical; overflow: auto; white-space: pre; }
.pv-share-warning { padding: 6px 8px; border-radius: 6px; background: var(--pv-warning-bg); color: var(--pv-text) !important; }
.pv-share-warning::before { content: "⚠ "; color: var(--pv-warning); }
.pv-share-status { font-size: 13px; color: var(--pv-dim); }
.pv-share code { font: 12px var(--pv-mono); }
.pv-share-primary { background: var(--pv-accent); color: var(--pv-accent-text); border-color: var(--pv-accent); }
`;

function kb(n) {
  return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`;
}

async function deflate(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/// Inflates at most YAML_LIMIT bytes; a truncated or altered stream
/// rejects.
async function inflate(bytes) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > YAML_LIMIT) {
      reader.cancel();
      throw new Error(`The link's YAML is larger than pvsim opens from a link (${kb(YAML_LIMIT)}).`);
    }
    parts.push(value);
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(await new Blob(parts).arrayBuffer());
}

function base64url(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function unbase64url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
    throw new Error('The link\'s YAML is not valid base64url: the link was cut or changed after it was made.');
  }
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/// What a share link's fragment holds: `{yaml, profile, seed, step}`,
/// the last three as the link wrote them (the page checks them). Rejects
/// with a message for the person when the fragment cannot be read.
export async function read(hash) {
  if (hash.length > READ_LIMIT) {
    throw new Error(`The link is too long: its fragment is ${kb(hash.length)}, and pvsim reads at most ${kb(READ_LIMIT)}.`);
  }
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const format = params.get('v') ?? FORMAT;
  if (format !== FORMAT) {
    throw new Error(`The link was made by a newer pvsim (link format ${format}); this page reads format ${FORMAT}.`);
  }
  const packed = params.get('yaml');
  if (!packed) throw new Error('The link holds no YAML.');
  let yaml;
  try {
    yaml = await inflate(unbase64url(packed));
  } catch (e) {
    if (e.message.startsWith('The link')) throw e;
    throw new Error('The link is incomplete or damaged: its YAML could not be decompressed. It may have been cut off when it was copied.');
  }
  return {
    yaml,
    profile: params.get('profile') ?? '',
    seed: params.get('seed') ?? '',
    step: params.get('step') ?? '',
  };
}

/// The address that opens `state` ({yaml, profile, seed, step}).
export async function link(state) {
  const fragment = `v=${FORMAT}&profile=${encodeURIComponent(state.profile)}&seed=${state.seed}&step=${state.step}&yaml=${base64url(await deflate(state.yaml))}`;
  return `${location.origin}${location.pathname}${location.search}#${fragment}`;
}

/// A table cell: one line, no pipe to end it early, no markup.
function cell(text) {
  return String(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n/g, ' ');
}

/// The fence for a code block: longer than any run of backticks inside.
function fence(text) {
  const longest = Math.max(2, ...(text.match(/`+/g) || []).map((r) => r.length));
  return '`'.repeat(longest + 1);
}

/// The scenario for an issue or a forum answer: a title, the link, the
/// YAML and the events up to the step shown, as a table.
export function markdown(data, address) {
  const title = data.title || 'A pvsim scenario';
  const where = `at ${data.clock}, step ${data.step} of ${data.total}, on cluster profile ${data.profile}, seed ${data.seed}`;
  const open = address.length - address.indexOf('#') - 1 <= LINK_LIMIT
    ? `[Open it in pvsim](${address}) ${where}.`
    : `Simulated in pvsim ${where} (the link is too long to paste; the YAML is below).`;
  const f = fence(data.yaml);
  const lines = [`### ${cell(title)}`, '', open, '', `${f}yaml`, data.yaml.replace(/\n$/, ''), f, ''];
  if (data.events.length === 0) {
    lines.push('No events yet.');
  } else {
    lines.push('| Time | Type | Reason | Object | Message |', '| --- | --- | --- | --- | --- |');
    for (const e of data.events) lines.push(`| ${e.map(cell).join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

let exporter = null;

/// The export worker (crates/export-worker): a wasm of its own, with the
/// simulator and the exporters, started the first time Share opens.
/// Messages that come before its wasm is ready wait in a queue.
function exportWorker() {
  if (!exporter) {
    const at = (name) => JSON.stringify(new URL(name, document.baseURI).href);
    const source = `const queue = []; self.onmessage = (e) => queue.push(e);
importScripts(${at('pvsim-export.js')});
wasm_bindgen({ module_or_path: ${at('pvsim-export_bg.wasm')} }).then(() => { for (const e of queue) self.onmessage(e); });`;
    exporter = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
  }
  return exporter;
}

/// The kind script and the export for `data`, from the export worker:
/// `[script, export]`.
function exports(data) {
  return new Promise((resolve, reject) => {
    const worker = exportWorker();
    worker.onmessage = (e) => resolve(e.data);
    worker.onerror = (e) => {
      exporter = null;
      reject(new Error(e.message || 'the export worker stopped'));
    };
    worker.postMessage([data.file, data.yaml, data.profile, String(data.seed), String(data.step)]);
  });
}

function download(name, text, type = 'application/yaml') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/// A name for files: the scenario's title in lower case, words joined by
/// dashes.
function slug(title) {
  return (title || 'scenario').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'scenario';
}

/// Opens the Share dialog. `data`: {file, yaml, profile, seed, step,
/// total, clock, title, edited, events: [[time, type, reason, object,
/// message]]}; `onClose()` hears it closed. The export and the script
/// come from the export worker, and their buttons wait for it.
export async function open(data, onClose) {
  style('pv-share-style', STYLE);
  const address = await link(data);
  const fragment = address.length - address.indexOf('#') - 1;
  const long = fragment > LINK_LIMIT;
  // Each row of buttons says what its last button did; the others fall
  // silent, so no message outlives the action it reports.
  const say = (text, row) => {
    for (const s of body.querySelectorAll('.pv-share-status')) s.textContent = '';
    row.querySelector('.pv-share-status').textContent = text;
  };
  const row = (...buttons) => el('div', { class: 'pv-share-row' }, ...buttons, el('span', { class: 'pv-share-status', role: 'status' }));
  const copy = async (text, what, fallback, row) => {
    try {
      await navigator.clipboard.writeText(text);
      say(`Copied ${what}.`, row);
    } catch {
      fallback.focus();
      fallback.select?.();
      say(`The browser did not allow copying: ${what} is selected, press Ctrl+C (⌘C) to copy it.`, row);
    }
  };
  const save = (file, text, row, type) => {
    download(file, text, type);
    say(`Downloaded ${file}.`, row);
  };
  const name = slug(data.title);
  const md = markdown(data, address);

  const linkBox = el('input', { type: 'text', readonly: true, value: address, 'aria-label': 'Share link' });
  const mdBox = el('textarea', { readonly: true, 'aria-label': 'Markdown', rows: '6' });
  mdBox.value = md;
  const script = el('pre', { tabindex: '0', 'aria-label': 'Script for a kind cluster' }, 'Making the script…');
  let made = null;
  const button = (label, onclick, primary) => el('button', {
    type: 'button',
    class: primary ? 'pv-button pv-share-primary' : 'pv-button',
    onclick: (e) => onclick(e.currentTarget.parentElement),
  }, label);
  const code = (text) => el('code', {}, text);

  const body = el('div', { class: 'pv-dialog-body pv-share' },
    el('h3', {}, 'Link'),
    el('p', {}, `Opens this scenario at ${data.clock} (step ${data.step} of ${data.total}), on the same cluster profile and seed.${data.edited ? ' It holds the YAML last applied, not the edits since.' : ''}`),
    long ? el('p', { class: 'pv-share-warning' }, `This link is ${kb(fragment)} long, more than the ${kb(LINK_LIMIT)} that chats and forums reliably keep. Download the scenario file and share that instead.`) : null,
    row(linkBox,
      button('Copy link', (row) => copy(address, 'the link', linkBox, row), !long),
      button('Download scenario', (row) => save(`${name}.yaml`, data.yaml, row), long)),
    el('h3', {}, 'Markdown'),
    el('p', {}, 'The link, the YAML and the events up to this step as a table, ready for an issue or a forum answer.'),
    mdBox,
    row(button('Copy as Markdown', (row) => copy(md, 'the Markdown', mdBox, row))),
    el('h3', {}, 'Export'),
    el('p', {}, `The cluster at ${data.clock} (step ${data.step}): every object as `, code('kubectl get -o yaml'), ' prints it, then the events.'),
    row(button('Export as YAML', async (row) => save(`${name}-at-step-${data.step}.yaml`, (await made)[1], row))),
    el('h3', {}, 'Run it for real'),
    el('p', {}, 'A shell script for a kind cluster with the same nodes and zones: the manifests without the Scenario document, the kubectl commands that replay its steps, and what a real cluster does differently. Download it and run it with ', code(`sh ${name}-kind.sh`), '; it needs docker, kind and kubectl.'),
    script,
    row(
      button('Copy script', async (row) => copy((await made)[0], 'the script', script, row)),
      button('Download script', async (row) => save(`${name}-kind.sh`, (await made)[0], row, 'text/x-shellscript'))));
  openDialog('Share', onClose, body);
  if (long) {
    body.querySelector('.pv-share-primary').focus();
  } else {
    linkBox.focus();
    linkBox.select();
  }
  made = exports(data);
  made.then(([kind]) => { script.textContent = kind; }, (e) => {
    script.textContent = `The script and the export could not be made: ${e.message}.`;
  });
}
