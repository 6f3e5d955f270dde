// What the playground tests share: the stories from the scenario suite,
// pasting YAML as a person would, and moving through the timeline.
import { readFileSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from '@playwright/test';

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..');

export function story(name) {
  return readFileSync(join(root, 'tests', 'scenarios', 'stories', `${name}.yaml`), 'utf8');
}

/// Where screenshots and measured figures go (kept as CI artifacts).
export const artifacts = join(root, 'test-results', 'playground');

export async function shot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

/// Records a measured figure in test-results/playground/figures.json.
export function figure(name, value) {
  mkdirSync(artifacts, { recursive: true });
  const file = join(artifacts, 'figures.json');
  const all = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  all[name] = value;
  writeFileSync(file, JSON.stringify(all, null, 2) + '\n');
  console.log(`figure ${name}: ${JSON.stringify(value)}`);
}

/// The picture: an SVG with the ARIA graphics role `graphics-document`.
/// Playwright's role engine does not know the graphics roles (it sees an
/// img), so the picture and its objects are found by the role attribute
/// and the accessible name (aria-label) instead.
export function picture(page) {
  return page.locator('[role="graphics-document"]');
}

/// Opens the page and waits for the first picture and the editor.
export async function open(page, path = '/') {
  await page.goto(path);
  await expect(picture(page)).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('[data-editor="codemirror"]')).toBeAttached({ timeout: 15_000 });
}

/// The manifest's editor, found as a person finds it.
export function editor(page) {
  return page.getByRole('textbox', { name: 'Kubernetes YAML' });
}

/// Replaces the manifest as a paste does: everything selected, then the
/// clipboard's text dropped in.
export async function setManifest(page, yaml) {
  const box = editor(page);
  await box.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await box.evaluate((el, text) => {
    if (el.tagName === 'TEXTAREA') {
      el.value = text;
      el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
      return;
    }
    const data = new DataTransfer();
    data.setData('text/plain', text);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, yaml);
}

/// Replaces the manifest and simulates it.
export async function paste(page, yaml) {
  await setManifest(page, yaml);
  await page.getByRole('button', { name: 'Apply' }).click();
}

export function scrubber(page) {
  return page.getByRole('slider', { name: 'Step' });
}

/// Pauses playback, if it plays.
export async function pause(page) {
  const button = page.getByRole('button', { name: 'Pause' });
  if (await button.isVisible()) await button.click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
}

/// Starts playback, if it is paused.
export async function play(page) {
  const button = page.getByRole('button', { name: 'Play' });
  if (await button.isVisible()) await button.click();
}

/// Pauses playback and moves to the last step.
export async function toEnd(page) {
  await pause(page);
  const slider = scrubber(page);
  await slider.focus();
  await page.keyboard.press('End');
  const max = await slider.getAttribute('max');
  await expect(slider).toHaveValue(max);
}

/// An object in the picture (role `graphics-symbol`), by its accessible
/// name (`Pod web-0, Running`): a string matches exactly, or a RegExp.
export function object(page, name) {
  return picture(page)
    .locator('[role="graphics-symbol"]')
    .and(page.getByLabel(name, { exact: typeof name === 'string' }));
}
