// The gallery: the suite's scenarios, searched and filtered, each opening
// in the editor and playing; and a blank start.
import { test, expect } from '@playwright/test';
import { open, editor, object, picture, shot } from './helpers.mjs';

test('the gallery finds the drain story by a word and opens it', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Gallery' }).click();
  const gallery = page.getByRole('dialog', { name: 'Gallery' });
  const search = gallery.getByRole('searchbox', { name: 'Search the gallery' });
  await expect(search).toBeFocused();
  await expect(gallery.getByRole('heading', { name: 'Upstream test tables' })).toBeVisible();
  await search.fill('drain');
  await expect(gallery.getByRole('heading', { name: 'Upstream test tables' })).toBeHidden();
  await shot(page, 'gallery-drain');
  await gallery.getByRole('button', { name: /^Draining a node moves the pod and its disk/ }).click();
  await expect(gallery).toBeHidden();
  await expect(editor(page)).toContainText('name: drain-moves-the-disk');
  await expect(page.getByTestId('story')).toContainText('Draining a node moves the pod and its disk');
  await expect(object(page, /^PersistentVolumeClaim cart,/)).toBeVisible();
});

test('tags filter the gallery, Escape closes it, and a blank start is empty', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Gallery' }).click();
  const gallery = page.getByRole('dialog', { name: 'Gallery' });
  const tag = gallery.getByRole('group', { name: 'Tags' }).getByRole('button', { name: 'StatefulSet' });
  await tag.click();
  await expect(tag).toHaveAttribute('aria-pressed', 'true');
  await expect(gallery.getByText(/^\d+ of \d+ scenarios$/)).toHaveText(/^[1-9] of 100 scenarios$/);
  await page.keyboard.press('Escape');
  await expect(gallery).toBeHidden();
  await expect(page.getByRole('button', { name: 'Gallery' })).toBeFocused();
  await page.getByRole('button', { name: 'Gallery' }).click();
  await gallery.getByRole('button', { name: /^Blank start/ }).click();
  await expect(editor(page)).toContainText('# A blank start');
  await expect(object(page, /^Node node-a,/)).toBeVisible();
  await expect(picture(page).locator('[role="graphics-symbol"]').and(page.getByLabel(/^PersistentVolumeClaim /))).toHaveCount(0);
});
