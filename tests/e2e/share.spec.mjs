// Share: a link that restores the YAML and the step in a fresh page, a
// broken link that shows why and the default story, Markdown with the
// events as a table, the export, and opening a file.
import { test, expect } from '@playwright/test';
import { open, editor, object, paste, pause, scrubber, shot, story } from './helpers.mjs';

async function shareDialog(page) {
  await page.getByRole('button', { name: 'Share' }).click();
  const dialog = page.getByRole('dialog', { name: 'Share' });
  await expect(dialog).toBeVisible();
  return dialog;
}

test('a share link opened in a fresh page restores the YAML, the profile and the step', async ({ page, browser }) => {
  await open(page);
  await paste(page, story('drain-moves-the-disk'));
  await expect(page.getByTestId('story')).toContainText('Draining a node moves the pod and its disk');
  await pause(page);
  const slider = scrubber(page);
  await slider.focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight');
  await expect(slider).toHaveValue('7');
  await page.getByRole('combobox', { name: 'Cluster profile' }).selectOption('eks');
  await expect(page.getByTestId('profile')).toContainText('eks');
  await expect(slider).toHaveValue('7');
  await expect(slider).toHaveAttribute('aria-valuetext', /^step 7 of 26, /);
  const moment = await slider.getAttribute('aria-valuetext');

  const dialog = await shareDialog(page);
  const link = await dialog.getByRole('textbox', { name: 'Share link' }).inputValue();
  expect(link).toMatch(/#v=1&profile=eks&seed=\d+&step=7&yaml=[A-Za-z0-9_-]+$/);
  await shot(page, 'share-dialog');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Share' })).toBeFocused();

  const fresh = await (await browser.newContext()).newPage();
  await fresh.goto(link);
  await expect(fresh.getByTestId('story')).toContainText('Draining a node moves the pod and its disk');
  await expect(scrubber(fresh)).toHaveValue('7');
  await expect(scrubber(fresh)).toHaveAttribute('aria-valuetext', moment);
  await expect(fresh.getByRole('combobox', { name: 'Cluster profile' })).toHaveValue('eks');
  await expect(editor(fresh)).toContainText('name: drain-moves-the-disk');
  await expect(fresh.getByRole('alert')).toHaveCount(0);
  // The fragment is taken off the address, so a reload opens the edits.
  expect(new URL(fresh.url()).hash).toBe('');
});

test('a malformed or truncated link shows why, and the default story', async ({ page }) => {
  await page.goto('/#v=1&step=3&yaml=%%%not-base64');
  await expect(page.getByRole('alert')).toContainText('The shared link could not be opened. The link\'s YAML is not valid base64url');
  await expect(page.getByTestId('story')).toContainText('Static provisioning');
  await expect(object(page, /^PersistentVolumeClaim task-pv-claim,/)).toBeVisible();

  // A real link, cut in the middle of its YAML.
  await open(page, '/');
  const link = await (await shareDialog(page)).getByRole('textbox', { name: 'Share link' }).inputValue();
  await page.goto(link.slice(0, link.length - 40));
  await page.reload();
  await expect(page.getByRole('alert')).toContainText('The link is incomplete or damaged');
  await expect(page.getByTestId('story')).toContainText('Static provisioning');
  await shot(page, 'share-broken-link');
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);

  // Oversized: refused before anything is decompressed.
  await page.goto('about:blank');
  await page.goto(`/#v=1&yaml=${'A'.repeat(600_000)}`);
  await expect(page.getByRole('alert')).toContainText('The link is too long: its fragment is 586 KB, and pvsim reads at most 512 KB.');
  await expect(page.getByTestId('story')).toContainText('Static provisioning');
});

test('nothing in a link runs as script: names with markup stay text', async ({ page }) => {
  await open(page);
  const yaml = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  annotations:
    note: "<img src=x onerror=window.pwned=1><script>window.pwned=2</script>"
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
`;
  await paste(page, yaml);
  await expect(object(page, /^PersistentVolumeClaim data,/)).toBeVisible();
  const link = await (await shareDialog(page)).getByRole('textbox', { name: 'Share link' }).inputValue();
  await page.goto('about:blank');
  await page.goto(link);
  await expect(object(page, /^PersistentVolumeClaim data,/)).toBeVisible();
  await expect(editor(page)).toContainText('<img src=x onerror=window.pwned=1>');
  expect(await page.evaluate(() => window.pwned)).toBeUndefined();
  await expect(page.locator('main img')).toHaveCount(0);
});

test('Copy as Markdown holds the link, the YAML and the events as a table; Export downloads the state', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await open(page);
  await paste(page, story('dynamic-provisioning'));
  await pause(page);
  const slider = scrubber(page);
  await slider.focus();
  await page.keyboard.press('End');
  const dialog = await shareDialog(page);
  await dialog.getByRole('button', { name: 'Copy as Markdown' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: /\S/ })).toHaveText('Copied the Markdown.');
  const markdown = await page.evaluate(() => navigator.clipboard.readText());
  expect(markdown).toContain('### Dynamic provisioning');
  expect(markdown).toMatch(/\[Open it in pvsim\]\(http[^)]+#v=1&profile=auto&seed=0&step=\d+&yaml=/);
  expect(markdown).toContain('```yaml\napiVersion: pvsim.dev/v1alpha1');
  expect(markdown).toContain('| Time | Type | Reason | Object | Message |');
  expect(markdown).toMatch(/\n\| [^|]+ \| Normal \| ProvisioningSucceeded \| persistentvolumeclaim\/ebs-claim \| Successfully provisioned volume pvc-/);
  expect(await dialog.getByRole('textbox', { name: 'Markdown' }).inputValue()).toBe(markdown);

  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export as YAML' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^dynamic-provisioning-at-step-\d+\.yaml$/);
  const text = await (await file.createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8'));
  expect(text).toContain('kind: List');
  expect(text).toContain('kind: StorageClass');
  expect(text).toContain('name: ebs-sc');
});

test('a chosen .yaml file opens in the editor and plays, named in its diagnostics', async ({ page }) => {
  await open(page);
  await page.locator('#pv-file-input').setInputFiles({
    name: 'mine.yaml',
    mimeType: 'application/yaml',
    buffer: Buffer.from(`${story('zone-trap')}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: broken\nspec:\n  resources: {}\n`),
  });
  await expect(page.getByTestId('story')).toContainText(/zone/i);
  await expect(page.getByRole('region', { name: 'Manifest' }).getByText('mine.yaml', { exact: true })).toBeVisible();
  await page.getByRole('tab', { name: 'Problems' }).click();
  await expect(page.getByText(/^mine\.yaml:\d+:\d+/).first()).toBeVisible();
});

test('a .yaml file dropped on the editor replaces the manifest', async ({ page }) => {
  await open(page);
  const yaml = story('hostpath-stays-behind');
  const transfer = await page.evaluateHandle((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], 'dropped.yaml', { type: 'application/yaml' }));
    return data;
  }, yaml);
  await page.locator('.cm-content').dispatchEvent('drop', { dataTransfer: transfer });
  await expect(editor(page)).toContainText('name: hostpath-stays-behind');
  await expect(editor(page)).not.toContainText('name: static-provisioning');
  await expect(page.getByTestId('story')).toContainText(/hostPath/i);
});

test('Share works by keyboard and fits a 375 px screen', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await open(page);
  const button = page.getByRole('button', { name: 'Share' });
  await button.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Share' });
  await expect(dialog.getByRole('textbox', { name: 'Share link' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Copy link' })).toBeFocused();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  const box = await dialog.boundingBox();
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(375);
  await shot(page, 'share-375');
  await page.keyboard.press('Escape');
  await expect(button).toBeFocused();
});

test('Run it for real gives a kind script that replays the steps', async ({ page }) => {
  await open(page);
  await paste(page, story('drain-moves-the-disk'));
  await expect(page.getByTestId('story')).toContainText('Draining a node moves the pod and its disk');
  const dialog = await shareDialog(page);
  const script = dialog.getByLabel('Script for a kind cluster');
  await expect(script).toContainText('kind create cluster --name pvsim --config kind-config.yaml');
  await expect(script).toContainText('kubectl apply -f manifests.yaml');
  await expect(script).toContainText('kubectl drain "$node" --ignore-daemonsets --delete-emptydir-data');
  await expect(script).not.toContainText('kind: Scenario');
  await expect(script).toContainText('What a real cluster does differently');
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download script' }).click();
  expect((await download).suggestedFilename()).toBe('draining-a-node-moves-the-pod-and-its-disk-kind.sh');
});

test('a scenario whose link is over 8 KB is offered as a file', async ({ page }) => {
  await open(page);
  // Text that does not compress: a long annotation of random words.
  const words = Array.from({ length: 2500 }, (_, i) => ((i * 2654435761) % 4294967296).toString(36)).join(' ');
  await paste(page, `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: big\n  annotations:\n    note: "${words}"\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n`);
  await expect(object(page, /^PersistentVolumeClaim big,/)).toBeVisible();
  const dialog = await shareDialog(page);
  await expect(dialog.getByText(/^This link is [\d.]+ KB long, more than the 8\.0 KB/)).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Download scenario' })).toBeFocused();
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download scenario' }).click();
  expect((await download).suggestedFilename()).toBe('scenario.yaml');
});
