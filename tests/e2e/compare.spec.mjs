// Compare: static and dynamic provisioning played in lock step, each side
// with its picture, figures and events; either side replaced.
import { test, expect } from '@playwright/test';
import { open, object, shot } from './helpers.mjs';

function side(page, name) {
  return page.getByRole('region', { name: new RegExp(`\\(${name}\\)$`) });
}

/// A storage figure's value, by its term.
function figure(region, term) {
  return region.locator(`dt:text-is("${term}") + dd`);
}

test('the compare view plays both default stories to the end and shows what the static side wastes', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Compare' }).click();
  const compare = page.getByRole('region', { name: 'Compare' });
  await expect(compare.getByRole('heading', { name: 'Compare two scenarios' })).toBeFocused();
  const left = side(page, 'left');
  const right = side(page, 'right');
  await expect(left.getByRole('heading', { name: 'Static provisioning' })).toBeVisible();
  await expect(right.getByRole('heading', { name: 'Dynamic provisioning' })).toBeVisible();

  const milestone = compare.getByRole('slider', { name: 'Milestone' });
  await expect(milestone).not.toHaveAttribute('max', '0');
  const max = await milestone.getAttribute('max');
  await compare.getByRole('button', { name: 'Play', exact: true }).click();
  await expect(milestone).toHaveValue(max, { timeout: 30_000 });
  await expect(compare.getByRole('button', { name: 'Play', exact: true })).toBeVisible();

  // The static side: a 10Gi volume written by hand for a 3Gi claim.
  await expect(figure(left, 'Provisioned')).toHaveText('10Gi');
  await expect(figure(left, 'Wasted')).toHaveText('7Gi');
  await expect(figure(left, 'Written by hand')).toHaveText('3');
  await expect(figure(left, 'Made by the cluster')).toHaveText('0');
  // The dynamic side: exactly what was asked for, made by the cluster.
  await expect(figure(right, 'Provisioned')).toHaveText('3Gi');
  await expect(figure(right, 'Wasted')).toHaveText('0');
  await expect(figure(right, 'Made by the cluster')).toHaveText('1');
  await expect(object(page, /^PersistentVolumeClaim task-pv-claim, Bound/)).toHaveCount(2);
  await expect(right.getByRole('list', { name: 'Events on the right side' })).toContainText('ProvisioningSucceeded');
  await shot(page, 'compare-end');

  // One step back moves both sides together.
  await compare.getByRole('button', { name: 'Restart' }).click();
  await expect(milestone).toHaveValue('0');
  await expect(right.getByRole('list', { name: 'Events on the right side' })).toContainText('No events yet.');
  expect(page.workers().length).toBe(3);
  await page.getByRole('button', { name: 'Back to the playground' }).click();
  await expect(page.getByRole('button', { name: 'Compare' })).toBeFocused();
  // The two sides' workers end with the view; the playground's stays.
  await expect.poll(() => page.workers().length).toBe(1);
  await expect(page.getByRole('region', { name: 'Manifest' })).toBeVisible();
});

test('a side can be replaced from the gallery, by keyboard, at 375 px', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await open(page);
  await page.getByRole('button', { name: 'Compare' }).focus();
  await page.keyboard.press('Enter');
  const right = side(page, 'right');
  await expect(right.getByRole('heading', { name: 'Dynamic provisioning' })).toBeVisible();
  await right.getByRole('button', { name: 'Replace the right side from the gallery' }).focus();
  await page.keyboard.press('Enter');
  const gallery = page.getByRole('dialog', { name: 'Choose a scenario for the right side' });
  await expect(gallery.getByRole('button', { name: /^Blank start/ })).toHaveCount(0);
  await page.keyboard.type('retain');
  await gallery.getByRole('button', { name: /^Retain versus Delete/ }).first().focus();
  await page.keyboard.press('Enter');
  await expect(gallery).toBeHidden();
  await expect(side(page, 'right').getByRole('heading', { name: /^Retain versus Delete/ })).toBeVisible();
  await expect(side(page, 'right').getByRole('button', { name: 'Replace the right side from the gallery' })).toBeFocused();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await shot(page, 'compare-375');
});
