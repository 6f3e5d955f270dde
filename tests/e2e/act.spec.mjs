// Acting on the picture: every action becomes a step of the Scenario in
// the YAML, at the timeline's position, and the run goes on from there.
import { test, expect } from '@playwright/test';
import { open, story, paste, editor, object, picture, pause, toEnd, shot } from './helpers.mjs';

test('failing a node by clicking it adds a failNode step and the node goes NotReady', async ({ page }) => {
  await open(page);
  await pause(page);
  await object(page, /^Node node-b,/).click();
  await page.getByRole('group', { name: 'Act on the cluster' }).getByRole('button', { name: 'Fail the node' }).click();
  await expect(page.getByTestId('action-note')).toContainText('failNode: node-b');
  await expect(editor(page)).toContainText('- failNode: node-b');
  await toEnd(page);
  await expect(object(page, /^Node node-b, NotReady/)).toBeVisible();
  await shot(page, 'act-fail-node');
});

test('a context menu by keyboard: Shift+F10 on the focused object, arrows, Enter', async ({ page }) => {
  await open(page);
  await pause(page);
  await picture(page).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+F10');
  const menu = page.getByRole('menu', { name: 'Actions for Node node-a' });
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem', { name: 'Fail the node' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Drain' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(menu).toBeHidden();
  await expect(editor(page)).toContainText('- cordon: node-a');
  // Escape closes a menu and gives the picture the keyboard back.
  await picture(page).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+F10');
  await expect(page.getByRole('menu')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toBeHidden();
  await expect(picture(page)).toBeFocused();
});

test('acting at an earlier moment drops the steps after it', async ({ page }) => {
  await open(page);
  await paste(page, story('drain-moves-the-disk'));
  await pause(page);
  // Back to the start: the drain and what followed are dropped.
  await page.getByRole('slider', { name: 'Step' }).focus();
  await page.keyboard.press('Home');
  await object(page, /^Node node-c,/).click();
  await page.getByRole('button', { name: 'Cordon' }).click();
  await expect(editor(page)).toContainText('- cordon: node-c');
  await expect(editor(page)).not.toContainText('drain:');
  await expect(editor(page)).not.toContainText('readData:');
});

test('writing a file from a pod, through its form', async ({ page }) => {
  await open(page);
  await paste(page, story('drain-moves-the-disk'));
  await toEnd(page);
  const pod = object(page, /^Pod shop-/).first();
  await pod.click({ button: 'right' });
  await page.getByRole('menu').getByRole('menuitem', { name: 'Write a file…' }).click();
  const form = page.getByRole('form', { name: /^Write a file in pod / });
  await expect(form.getByLabel('Path')).toBeFocused();
  await form.getByLabel('Content').fill('<b>not markup</b>');
  await form.getByRole('button', { name: 'Write' }).click();
  await expect(editor(page)).toContainText('content: "<b>not markup</b>"');
  await toEnd(page);
  // The file is on the claim's volume, beside the one the story wrote.
  await expect(object(page, 'file /note.txt: <b>not markup</b>')).toBeVisible();
  await shot(page, 'act-write-file');
});

test('adding a claim from its form, and the bar at 375 px', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await open(page);
  await pause(page);
  const bar = page.getByRole('group', { name: 'Act on the cluster' });
  await bar.getByRole('button', { name: 'Add a claim…' }).click();
  const form = page.getByRole('form', { name: 'Add a claim' });
  await expect(form.getByLabel('Name')).toBeFocused();
  await form.getByLabel('Name').fill('scratch');
  await form.getByLabel('Size').fill('2Gi');
  await form.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByTestId('action-note')).toContainText('kind: PersistentVolumeClaim');
  await toEnd(page);
  await expect(object(page, /^PersistentVolumeClaim scratch, Bound/)).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
  await shot(page, 'act-add-claim-narrow');
  await page.getByRole('tablist', { name: 'Show' }).getByRole('tab', { name: 'Manifest' }).click();
  await expect(editor(page)).toContainText('metadata: {name: "scratch"}');
});
