// The playground as a newcomer uses it: the default story plays on three
// nodes; pasted stories simulate; the timeline steps back exactly; the
// panels print what kubectl would; broken YAML says where it is broken.
import { test, expect } from '@playwright/test';
import { open, paste, pause, story, toEnd, object, scrubber, shot } from './helpers.mjs';

test('the default story plays until the claim is Bound and the binding is drawn', async ({ page }) => {
  await open(page);
  await expect(object(page, /^Node node-a, Ready/)).toBeVisible();
  await expect(object(page, /^Node node-c, Ready/)).toBeVisible();
  // It plays by itself.
  await expect(object(page, 'PersistentVolumeClaim task-pv-claim, Bound')).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('.pv-binding.pv-link-bound')).toHaveCount(1);
  await expect(object(page, /^Pod web-.*, Running$/)).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('caption')).toContainText('kubelet');
  // Playback stops at the end and says so.
  await expect(page.getByTestId('end')).toContainText('End of the run', { timeout: 15_000 });
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await expect(page.getByTestId('profile')).toContainText('profile auto: added 3 nodes');
  await shot(page, 'default-story-end');
});

test('a pasted dynamic-provisioning story shows the volume appear on its backend', async ({ page }) => {
  await open(page);
  await paste(page, story('dynamic-provisioning'));
  await expect(page.getByTestId('profile')).toContainText('profile bare');
  // Step to the first settled state: the claim is bound to a new volume.
  await pause(page);
  await page.getByRole('button', { name: 'Next settled state' }).click();
  await expect(object(page, 'PersistentVolumeClaim ebs-claim, Bound')).toBeVisible();
  const volume = object(page, /^PersistentVolume pvc-.*, Bound$/);
  await expect(volume).toBeVisible();
  // It sits inside the zone's disk pool.
  const pool = await page.locator('.pv-pool').boundingBox();
  const box = await volume.boundingBox();
  expect(box.y).toBeGreaterThan(pool.y);
  expect(box.y + box.height).toBeLessThanOrEqual(pool.y + pool.height + 1);
  await page.getByRole('tab', { name: 'Events' }).click();
  await expect(page.getByTestId('events')).toContainText('ProvisioningSucceeded');
  await shot(page, 'dynamic-provisioning-bound');
});

test('the drain story ends with the pod on another node and its file read back', async ({ page }) => {
  await open(page);
  await paste(page, story('drain-moves-the-disk'));
  await toEnd(page);
  await expect(object(page, /^Node node-c, Ready,SchedulingDisabled/)).toBeVisible();
  const pod = object(page, /^Pod shop-.*, Running$/);
  await expect(pod).toHaveCount(1);
  // The pod runs inside node-a now.
  const node = await object(page, /^Node node-a,/).boundingBox();
  const box = await pod.boundingBox();
  expect(box.x).toBeGreaterThanOrEqual(node.x);
  expect(box.x + box.width).toBeLessThanOrEqual(node.x + node.width + 1);
  await expect(page.getByTestId('events')).toContainText('read "2 espressos" from /data/cart.txt');
  await expect(object(page, /^file \/cart\.txt/)).toBeVisible();
  await shot(page, 'drain-end');
});

test('the node-failure story: NotReady, the Multi-Attach wait, the pod running elsewhere', async ({ page }) => {
  await open(page);
  await paste(page, story('statefulset-node-failure'));
  await pause(page);
  const slider = scrubber(page);
  // Walk forward until the Multi-Attach wait, then to the end.
  const events = page.getByTestId('events');
  await slider.focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('ArrowRight');
    if ((await slider.getAttribute('aria-valuetext')).includes('another node still has it')) break;
  }
  await expect(events).toContainText('Multi-Attach error for volume');
  await expect(object(page, /^Node node-c, NotReady/)).toBeVisible();
  await shot(page, 'node-failure-multi-attach');
  await toEnd(page);
  await expect(object(page, /^Pod web-0, Running$/)).toBeVisible();
  await expect(events).toContainText('read "hello from web-0"');
  await shot(page, 'node-failure-end');
});

test('step back restores the earlier picture and events', async ({ page }) => {
  await open(page);
  await toEnd(page);
  await expect(object(page, 'PersistentVolumeClaim task-pv-claim, Bound')).toBeVisible();
  const rowsAtEnd = await page.getByTestId('events').getByRole('row').count();
  await page.keyboard.press('Home');
  await expect(object(page, 'PersistentVolumeClaim task-pv-claim, Pending')).toBeVisible();
  await expect(page.getByText('No events yet.')).toBeVisible();
  await page.keyboard.press('End');
  await expect(object(page, 'PersistentVolumeClaim task-pv-claim, Bound')).toBeVisible();
  await expect(page.getByTestId('events').getByRole('row')).toHaveCount(rowsAtEnd);
  // One step back from the end: the last step's events are no longer current.
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(scrubber(page)).toHaveValue(String(Number(await scrubber(page).getAttribute('max')) - 1));
});

test('a click on the tracks goes to that step', async ({ page }) => {
  await open(page);
  await pause(page);
  const tracks = await page.locator('.pv-tracks').boundingBox();
  await page.mouse.click(tracks.x + tracks.width - 1, tracks.y + tracks.height / 2);
  const max = await scrubber(page).getAttribute('max');
  await expect(scrubber(page)).toHaveValue(max);
  await page.mouse.click(tracks.x + 1, tracks.y + tracks.height / 2);
  await expect(scrubber(page)).toHaveValue('1');
});

test('the panels print kubectl get, describe, explain and YAML for a selected object', async ({ page }) => {
  await open(page);
  await toEnd(page);
  await page.getByRole('tab', { name: 'Get' }).click();
  await expect(page.getByTestId('printed')).toContainText('persistentvolumeclaim/task-pv-claim');
  await object(page, 'PersistentVolumeClaim task-pv-claim, Bound').click();
  await expect(page.getByRole('tab', { name: 'Describe' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('printed')).toContainText('Name:          task-pv-claim');
  await expect(page.getByTestId('printed')).toContainText('Status:        Bound');
  await page.getByRole('tab', { name: 'YAML' }).click();
  await expect(page.getByTestId('printed')).toContainText('kind: PersistentVolumeClaim');
  await page.getByRole('tab', { name: 'Explain' }).click();
  await expect(page.getByTestId('printed')).toContainText('task-pv-claim');
});

test('broken YAML shows its problem with the line, and the rest still simulates', async ({ page }) => {
  await open(page);
  // The claim loses its access modes (line 48 is its spec.storageClassName).
  const broken = story('static-provisioning').replace('  accessModes:\n    - ReadWriteOnce\n  resources:', '  resources:');
  await paste(page, broken + '\n---\nkind: [\n');
  await page.getByRole('tab', { name: /^Problems/ }).click();
  const problems = page.getByTestId('diagnostics');
  await expect(problems).toContainText('PersistentVolumeClaim "task-pv-claim"');
  await expect(problems).toContainText('spec.accessModes: Required value: at least 1 access mode is required');
  await expect(problems).toContainText('line 46, column 1');
  await expect(page.getByTestId('summary')).toContainText('error');
  // The valid objects still run.
  await expect(object(page, /^Node node-a/)).toBeVisible();
  await shot(page, 'broken-yaml');
});

test('names with markup are shown as text', async ({ page }) => {
  await open(page);
  const yaml = story('static-provisioning').replaceAll('task-pv-claim', '"<b id=injected>x</b>"');
  await paste(page, yaml);
  await page.getByRole('tab', { name: /^Problems/ }).click();
  await expect(page.locator('#injected')).toHaveCount(0);
});
