// The first page as a user meets it: the static-provisioning story opens
// clean; a broken claim typed into the editor shows the API server's
// diagnostic with its line, marks that line, and leaves the rest alone.
import { test, expect } from '@playwright/test';

const BROKEN_CLAIM = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  storageClassName: fast
  resources:
    requests:
      storage: 5Gi
`;

test('opens with the static-provisioning story and no problems', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'pvsim' })).toBeVisible();
  await expect(page.getByText('Kubernetes 1.34')).toBeVisible();
  const objects = page.getByTestId('objects');
  await expect(objects.getByRole('row')).toHaveCount(4);
  await expect(objects).toContainText('task-pv-volume');
  await expect(objects).toContainText('task-pv-claim');
  await expect(objects).toContainText('Deployment');
  await expect(page.getByTestId('no-problems')).toBeVisible();
});

test('a broken claim shows the diagnostic with its line', async ({ page }) => {
  await page.goto('/');
  const editor = page.getByLabel('Kubernetes YAML');
  await editor.fill('');
  await editor.pressSequentially(BROKEN_CLAIM, { delay: 0 });
  const diagnostics = page.getByTestId('diagnostics');
  await expect(diagnostics).toContainText('line 5, column 1');
  await expect(diagnostics).toContainText('PersistentVolumeClaim "data"');
  await expect(diagnostics).toContainText('spec.accessModes: Required value: at least 1 access mode is required');
  await expect(page.getByTestId('summary')).toHaveText('1 error, 0 warnings');
  // The offending line is marked in the gutter.
  await expect(page.locator('.pv-ln-error')).toHaveText('5');
  await expect(page.getByTestId('objects')).toContainText('rejected');

  // Fixing it clears the diagnostic.
  await editor.fill(BROKEN_CLAIM.replace('spec:\n', 'spec:\n  accessModes: [ReadWriteOnce]\n'));
  await expect(page.getByTestId('no-problems')).toBeVisible();
});

test('clicking a diagnostic puts the cursor on its line', async ({ page }) => {
  await page.goto('/');
  const editor = page.getByLabel('Kubernetes YAML');
  await editor.fill(BROKEN_CLAIM.replace('storage: 5Gi', 'storage: 5GB').replace('spec:\n', 'spec:\n  accessModes: [ReadWriteOnce]\n'));
  await page.getByTestId('diagnostics').getByRole('button').first().click();
  const line = await editor.evaluate((el) => el.value.slice(0, el.selectionStart).split('\n').length);
  expect(line).toBe(10);
});

test('markup in names is shown as text', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Kubernetes YAML').fill(BROKEN_CLAIM.replace('name: data', 'name: "<b id=injected>x</b>"'));
  await expect(page.getByTestId('diagnostics')).toContainText('<b id=injected>x</b>');
  await expect(page.locator('#injected')).toHaveCount(0);
});
