// The manifest's editor: CodeMirror with the engine's diagnostics as lint
// marks, completion of Kubernetes field names, Ctrl+Enter, autosave, the
// way out by keyboard, and the plain textarea when CodeMirror cannot load.
import { test, expect } from '@playwright/test';
import { open, story, paste, setManifest, editor, picture, object, shot } from './helpers.mjs';

test('the editor marks a broken line with its message', async ({ page }) => {
  await open(page);
  // The claim loses its access modes; line 46 is its `spec:`.
  const broken = story('static-provisioning').replace('  accessModes:\n    - ReadWriteOnce\n  resources:', '  resources:');
  await paste(page, broken);
  await expect(page.getByTestId('summary')).toContainText('1 error');
  // The lint panel lists the diagnostic, in the API server's words...
  await editor(page).focus();
  await page.keyboard.press('ControlOrMeta+Shift+M');
  const list = page.getByRole('listbox', { name: 'Diagnostics' });
  const item = list.getByRole('option', { name: /spec.accessModes: Required value: at least 1 access mode is required/ });
  await expect(item).toBeVisible();
  await shot(page, 'editor-lint');
  // ...and choosing it puts the cursor on its line.
  await item.click();
  await page.keyboard.press('Enter');
  await expect(page.locator('.cm-lineNumbers .cm-activeLineGutter')).toHaveText('46');
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(1);
});

test('completion offers the fields of a claim spec, with their docs', async ({ page }) => {
  await open(page);
  await setManifest(page, 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n');
  await editor(page).press('ControlOrMeta+End');
  await page.keyboard.insertText('  ');
  await page.keyboard.type('stor');
  const options = page.getByRole('listbox').getByRole('option');
  await expect(options.filter({ hasText: 'storageClassName' })).toBeVisible();
  // A field already there is not offered again.
  await expect(options.filter({ hasText: 'accessModes' })).toHaveCount(0);
  await expect(page.locator('.cm-completionInfo')).toContainText('The StorageClass that provisions the volume');
  await shot(page, 'editor-completion');
  await page.keyboard.press('Enter');
  await page.keyboard.type('fast');
  await expect(editor(page)).toContainText('storageClassName: fast');
  // In a pod's volumes, the volume sources.
  await page.keyboard.insertText('\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  volumes:\n    - name: data\n      ');
  await page.keyboard.type('persistentV');
  await expect(options.filter({ hasText: 'persistentVolumeClaim' })).toBeVisible();
});

test('Ctrl+Enter applies, and an edit is kept across a reload', async ({ page }) => {
  await open(page);
  await setManifest(page, story('dynamic-provisioning'));
  await editor(page).press('ControlOrMeta+Enter');
  await expect(page.getByTestId('profile')).toContainText('profile');
  await expect(object(page, /^PersistentVolumeClaim /).first()).toBeVisible();
  // The manifest is saved as it is edited.
  await page.waitForTimeout(600);
  await page.reload();
  await expect(picture(page)).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('[data-editor="codemirror"]')).toBeVisible();
  await expect(editor(page)).toContainText('Dynamic provisioning');
  // Reset brings the example back, and forgets the edit.
  await page.getByRole('button', { name: 'Reset example' }).click();
  await expect(editor(page)).toContainText('task-pv-volume');
  await page.reload();
  await expect(page.locator('[data-editor="codemirror"]')).toBeVisible({ timeout: 15_000 });
  await expect(editor(page)).toContainText('task-pv-volume');
});

test('Escape then Tab leaves the editor', async ({ page }) => {
  await open(page);
  await editor(page).focus();
  await page.keyboard.press('Tab');
  // Tab indents inside the editor...
  await expect(editor(page)).toBeFocused();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  // ...and after Escape it moves on.
  await expect(editor(page)).not.toBeFocused();
  await expect(page.getByRole('button', { name: 'Apply' })).toBeFocused();
});

test('without CodeMirror the plain editor stays and works', async ({ page }) => {
  await page.route('**/editor.js', (route) => route.abort());
  await page.goto('/');
  await expect(picture(page)).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('[data-editor="textarea"]')).toBeVisible({ timeout: 15_000 });
  await paste(page, story('dynamic-provisioning'));
  await expect(page.getByTestId('profile')).toContainText('profile');
  await expect(editor(page)).toHaveValue(/Dynamic provisioning/);
});

test('search and undo, by keyboard', async ({ page }) => {
  await open(page);
  await editor(page).focus();
  await page.keyboard.press('ControlOrMeta+f');
  const find = page.getByRole('textbox', { name: 'Find' });
  await expect(find).toBeFocused();
  await find.fill('task-pv-claim');
  await page.keyboard.press('Enter');
  await expect(page.locator('.cm-searchMatch').first()).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(editor(page)).toBeFocused();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.insertText('\n# a note');
  await expect(editor(page)).toContainText('# a note');
  await page.keyboard.press('ControlOrMeta+z');
  await expect(editor(page)).not.toContainText('# a note');
});
