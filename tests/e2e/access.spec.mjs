// The playground by keyboard alone, in dark mode, and at 375 px; and the
// figures the issue asks to report: time to the first picture, and the
// longest main-thread task while a 2,000-object paste simulates.
import { test, expect } from '@playwright/test';
import { open, play, scrubber, object, picture, shot, figure, paste, editor } from './helpers.mjs';

test('keyboard only: Tab to the timeline, Space plays, arrows step', async ({ page }) => {
  await open(page);
  // Stop the autoplay first, by keyboard: Tab until the Pause button.
  const focusedLabel = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
  for (let i = 0; i < 40; i++) {
    // The editor keeps Tab for indenting; Escape first lets it go.
    if ((await focusedLabel()) === 'Kubernetes YAML') await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    if (['Pause', 'Play'].includes(await focusedLabel())) break;
  }
  const focused = await focusedLabel();
  expect(['Pause', 'Play']).toContain(focused);
  if (focused === 'Pause') await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  // Home on the scrubber, then → steps one at a time.
  await scrubber(page).focus();
  await page.keyboard.press('Home');
  await expect(scrubber(page)).toHaveValue('0');
  await page.keyboard.press('ArrowRight');
  await expect(scrubber(page)).toHaveValue('1');
  await expect(scrubber(page)).toHaveAttribute('aria-valuetext', /^step 1 of \d+, at 0s: /);
  // Space plays from the scrubber; Space again pauses.
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  // Shift+→ jumps to the next settled state.
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+ArrowRight');
  expect(Number(await scrubber(page).inputValue())).toBeGreaterThan(1);
  // The picture is one tab stop; arrows move between objects, Enter selects.
  await picture(page).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('.pv-card')).toBeVisible();
  // ↓ goes to the nearest object below: from the first node to a claim.
  const active = async () => {
    const id = await picture(page).getAttribute('aria-activedescendant');
    return page.locator(`[id="${id}"]`).getAttribute('aria-label');
  };
  expect(await active()).toMatch(/^Node node-a,/);
  await page.keyboard.press('ArrowDown');
  expect(await active()).toMatch(/^PersistentVolumeClaim task-pv-claim,/);
  await page.keyboard.press('ArrowUp');
  expect(await active()).toMatch(/^Node /);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: 'Describe' })).toHaveAttribute('aria-selected', 'true');
  // Focus moved by the keyboard shows a ring.
  await page.keyboard.press('Shift+Tab');
  const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  expect(ring).not.toBe('none');
});

test('dark mode', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await open(page);
  await expect(object(page, 'PersistentVolumeClaim task-pv-claim, Bound')).toBeVisible({ timeout: 15_000 });
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).toBe('rgb(15, 20, 29)');
  await shot(page, 'dark-wide');
});

test('at 375 px the editor, cluster and panels are tabs, with no sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await open(page);
  const views = page.getByRole('tablist', { name: 'Show' });
  await expect(views).toBeVisible();
  await expect(page.getByLabel('Kubernetes YAML')).toBeHidden();
  const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(wide).toBe(false);
  await shot(page, 'narrow-cluster');
  await views.getByRole('tab', { name: 'Manifest' }).click();
  await expect(page.getByLabel('Kubernetes YAML')).toBeVisible();
  await shot(page, 'narrow-manifest');
  await views.getByRole('tab', { name: 'Panels' }).click();
  await expect(page.getByRole('tab', { name: 'Events' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
  await shot(page, 'narrow-panels');
  await page.emulateMedia({ colorScheme: 'dark' });
  await views.getByRole('tab', { name: 'Cluster' }).click();
  await shot(page, 'narrow-cluster-dark');
});

test('figures: time to the first picture', async ({ page }) => {
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector('[data-testid=picture] .pv-node')) {
        window.__firstPicture = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await open(page);
  await page.waitForFunction(() => window.__firstPicture !== undefined);
  const ms = await page.evaluate(() => Math.round(window.__firstPicture));
  figure('first picture (ms from navigation, cold)', ms);
});

test('figures: long main-thread tasks with a 2,000-object paste', async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask', buffered: true });
  });
  await open(page);
  let yaml = '';
  for (let i = 0; i < 800; i++) {
    yaml += `---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv-${i}}\nspec:\n  capacity: {storage: ${1 + (i % 10)}Gi}\n  accessModes: [ReadWriteOnce]\n  storageClassName: manual\n  hostPath: {path: /data/${i}}\n`;
    yaml += `---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: claim-${i}}\nspec:\n  storageClassName: manual\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n`;
  }
  for (let i = 0; i < 400; i++) {
    yaml += `---\napiVersion: v1\nkind: Pod\nmetadata: {name: app-${i}}\nspec:\n  containers: [{name: app, image: nginx}]\n  volumes: [{name: data, persistentVolumeClaim: {claimName: claim-${i}}}]\n`;
  }
  const before = await page.evaluate(() => window.__longTasks.length);
  // Put the text in as one paste lands.
  await paste(page, yaml);
  await expect(page.getByTestId('profile')).toContainText('profile', { timeout: 60_000 });
  await expect(page.locator('[aria-label*="more claims"]')).toBeVisible({ timeout: 60_000 });
  await play(page);
  await page.waitForTimeout(5_000);
  await shot(page, 'large-paste');
  const simulating = await page.evaluate((from) => window.__longTasks.slice(from), before);
  // Then type into the 8,000-line manifest: a few keystrokes.
  const typingFrom = await page.evaluate(() => window.__longTasks.length);
  await editor(page).press('ControlOrMeta+End');
  await page.keyboard.type('# a note');
  await page.waitForTimeout(500);
  const typing = await page.evaluate((from) => window.__longTasks.slice(from), typingFrom);
  figure('2,000-object paste: long tasks while pasting, simulating and playing (ms each)', simulating);
  figure('2,000-object paste: long tasks while typing 8 keys into it (ms each)', typing);
});
