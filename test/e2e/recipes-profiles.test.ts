// The Recipes and Profiles panels as a technician uses them: the served app in
// Debian's Chromium with two simulated demo boards. A recipe that changes the
// board (profile + staged firmware) is loaded through the file input, granted
// once per board, run on one board and then on both; then a profile is saved,
// the board drifts through the Config panel, and the profile puts it back.
// Screenshots go to test-results/e2e/.
import { mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startServedApp } from '../support/served-app';
import { buildMcubootImage } from '../support/mcuboot-image';
import { loadRecipeText, filesFromMap } from '../../electron/host/recipes/recipe-source';

const SHOTS = join('test-results', 'e2e');
const B1 = 'demo:DEMO-1001';
const B2 = 'demo:DEMO-1002';
let app: Awaited<ReturnType<typeof startServedApp>>;
let browser: Browser;
let page: Page;
let recipePath: string;
let recipeText: string;
let extraFiles: string[];
let dialogsOpened = 0;

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const testId = (id: string) => page.getByTestId(id);
const waitAttr = (id: string, attr: string, value: string, timeout = 60_000) =>
  page.waitForFunction(([i, a, v]) => document.querySelector(`[data-testid="${i}"]`)?.getAttribute(a) === v, [id, attr, value], { timeout });

/** Confirms the elevation dialog that is open now (the grant the panel asked for). */
async function confirmGrant(expectScopeText: RegExp) {
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  dialogsOpened++;
  expect(await page.getByTestId('scope-allows').textContent()).toMatch(expectScopeText);
  await page.getByTestId('confirm-grant').click();
  await dialog.waitFor({ state: 'hidden' });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  app = await startServedApp(['--demo-boards', '2']);
  // The recipe changes the board: lab settings from a profile, then a small signed image staged.
  const image = join(app.home, 'app-2.2.0.bin');
  writeFileSync(image, buildMcubootImage({ version: [2, 2, 0, 3], bodySize: 24 * 1024 }));
  const profile = join(app.home, 'demo-lab.json');
  copyFileSync('examples/profiles/demo-lab.json', profile);
  extraFiles = [profile, image];
  recipeText = JSON.stringify(
    {
      'fwbench-recipe': 1,
      name: 'Demo board lab settings and staged image',
      device: { protocol: 'demo-board' },
      steps: [
        { type: 'wait-device', timeoutSeconds: 30 },
        { type: 'check', command: 'device.info', expect: [{ path: 'board', equals: 'fwbench-demo' }] },
        { type: 'apply-profile', file: '../profiles/demo-lab.json' },
        { type: 'check', name: 'Core rail at the lab set point', command: 'config.read', expect: [{ path: 'entries[key=vcore_mv].value', equals: 900 }] },
        { type: 'flash', file: 'app-2.2.0.bin', activate: false },
        { type: 'telemetry-threshold', channel: 'vin', min: 11.5, max: 12.5, seconds: 1 },
      ],
    },
    null,
    2,
  );
  recipePath = join(app.home, 'lab-settings.recipe.json');
  writeFileSync(recipePath, recipeText);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  page.on('pageerror', (e) => console.error('page error:', e));
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('Recipes panel, end to end', () => {
  it('shows an invalid recipe with the host message naming the step', async () => {
    await page.goto(app.url);
    await testId(`device-${B1}`).click();
    await testId('open-session').click();
    await testId('scope-badge').waitFor();
    await page.getByRole('tab', { name: 'Recipes' }).click();
    const bad = join(app.home, 'bad.recipe.json');
    writeFileSync(bad, JSON.stringify({ 'fwbench-recipe': 1, name: 'bad', steps: [{ type: 'wait-device' }, { type: 'expect-console', pattern: 'x', timeoutSeconds: -1 }] }));
    await page.getByLabel('Recipe file').setInputFiles(bad);
    const err = page.getByRole('alert');
    await err.waitFor();
    expect(await err.textContent()).toMatch(/bad\.recipe\.json cannot be run\. Step 2 \(expect-console\) is not valid: timeoutSeconds/);
  });

  it('loads a recipe: every step with its scope, the highest scope and the one grant, before anything runs', async () => {
    await page.getByLabel('Recipe file').setInputFiles(recipePath);
    await testId('recipe-steps').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    // What the panel shows is what the host plans (the same code, run here on the same text).
    const plan = loadRecipeText(recipeText, filesFromMap({})).plan;
    const rows = testId('recipe-steps').locator('tbody tr');
    expect(await rows.count()).toBe(6);
    for (const s of plan.steps) {
      const text = (await rows.nth(s.index).textContent()) ?? '';
      expect(text).toContain(`${s.index + 1}${s.title}${s.type}`);
    }
    expect(plan.highestScope).toBe('debug-read-only');
    expect(plan.grantScope).toBe('configuration');
    expect(await testId('recipe-scope').textContent()).toBe('Highest scope: Debug read-only — asks for one Configuration grant per board before starting.');
    expect(await rows.nth(2).textContent()).toMatch(/Configuration, changes the device/);
    expect(await rows.nth(5).textContent()).toMatch(/Debug read-only$/);
    // Both demo boards are offered, nothing else (the recipe is for demo boards).
    const boards = await page.getByRole('table', { name: 'Boards' }).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.children[1].textContent));
    expect(boards).toEqual(['Demo board 1 (simulated)', 'Demo board 2 (simulated)']);
    // Nothing can start yet: the named files are missing and no grant is held.
    const run = page.getByRole('button', { name: 'Run on 1 board' });
    expect(await run.isDisabled()).toBe(true);
    expect(await page.getByRole('status').textContent()).toMatch(/demo-lab\.json, app-2\.2\.0\.bin/);
    await page.getByLabel('Files the recipe names').setInputFiles(extraFiles);
    await page.getByText('Grant Configuration on Demo board 1 (simulated) first.').waitFor();
    expect(await run.isDisabled()).toBe(true);
    await shot('recipes-profiles-01-recipe-planned');
  });

  it('asks for the grant once, runs, and shows every step live and the result', async () => {
    await page.getByRole('button', { name: 'Grant Configuration on Demo board 1 (simulated)' }).click();
    await confirmGrant(/Change device settings/);
    expect(dialogsOpened).toBe(1);
    await page.waitForFunction((id) => document.querySelector(`[data-testid="recipe-board-${id}"]`)?.textContent === 'Configuration granted', B1);

    // Keyboard only: Tab reaches the Run button and Enter starts it.
    const run = page.getByRole('button', { name: 'Run on 1 board' });
    expect(await run.isEnabled()).toBe(true);
    await page.getByRole('checkbox', { name: 'Run on Demo board 1 (simulated)' }).focus();
    for (let i = 0; i < 10 && !(await run.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    expect(await run.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');

    // Live: the steps go through running one after the other (seen while the run is in progress).
    await testId('recipe-runs').waitFor();
    const seenRunning = new Set<number>();
    let shotTaken = false;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const states = await page.$$eval(`[data-testid^="run-step-${B1}-"]`, (els) => els.map((e) => e.getAttribute('data-state')));
      states.forEach((s, i) => s === 'running' && seenRunning.add(i + 1));
      if (!shotTaken && states.includes('running') && states.includes('done')) {
        shotTaken = true;
        await shot('recipes-profiles-02-recipe-running');
      }
      const status = await testId(`run-status-${B1}`).getAttribute('data-status');
      if (status !== 'running') break;
      await page.waitForTimeout(150);
    }
    expect(seenRunning.size).toBeGreaterThanOrEqual(2);
    await waitAttr(`run-status-${B1}`, 'data-status', 'passed');
    expect(await testId(`run-status-${B1}`).textContent()).toBe('passed: 6 of 6 steps');
    for (let n = 1; n <= 6; n++) expect(await testId(`run-step-${B1}-${n}`).getAttribute('data-state')).toBe('done');
    expect(dialogsOpened).toBe(1);
    await shot('recipes-profiles-03-recipe-passed');
  });

  it('runs on both boards at once and shows the per-board result table', async () => {
    await page.getByRole('checkbox', { name: 'Run on Demo board 2 (simulated)' }).check();
    await page.getByRole('button', { name: 'Open a session on Demo board 2 (simulated)' }).click();
    await page.getByRole('button', { name: 'Grant Configuration on Demo board 2 (simulated)' }).click();
    await confirmGrant(/Change device settings/);
    expect(dialogsOpened).toBe(2); // once per board
    await page.waitForFunction((id) => document.querySelector(`[data-testid="recipe-board-${id}"]`)?.textContent === 'Configuration granted', B2);
    await page.getByRole('button', { name: 'Run on 2 boards' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="recipe-runs"] tbody tr').length === 2);
    await waitAttr(`run-status-${B1}`, 'data-status', 'passed', 90_000);
    await waitAttr(`run-status-${B2}`, 'data-status', 'passed', 90_000);
    const table = page.getByRole('table', { name: 'Recipe runs' });
    const rows = await table.locator('tbody > tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('td')!.textContent]));
    expect(rows.sort()).toEqual([
      ['Demo board 1 (simulated)', 'passed: 6 of 6 steps'],
      ['Demo board 2 (simulated)', 'passed: 6 of 6 steps'],
    ]);
    await shot('recipes-profiles-04-recipe-two-boards');
  });
});

describe('Profiles panel, end to end', () => {
  let saved: string;

  it('saves a profile of the board as a download', async () => {
    await page.getByRole('tab', { name: 'Profiles' }).click();
    await page.getByRole('textbox', { name: 'Profile name' }).fill('bench 7 lab');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save profile' }).click()]);
    expect(download.suggestedFilename()).toBe('bench_7_lab.json');
    saved = join(app.home, 'saved-profile.json');
    await download.saveAs(saved);
    const p = JSON.parse(readFileSync(saved, 'utf8'));
    expect(p['fwbench-profile']).toBe(1);
    expect(p.name).toBe('bench 7 lab');
    expect(p.source.deviceId).toBe(B1);
    // The recipe applied the lab profile: that is what the board holds now. Read-only keys stay out.
    const lab = JSON.parse(readFileSync('examples/profiles/demo-lab.json', 'utf8'));
    expect(p.values).toEqual(lab.values);
  });

  it('finds exactly the setting changed in the Config panel, dry-runs, applies, and journals it', async () => {
    await page.getByRole('tab', { name: 'Config' }).click();
    await page.getByLabel('New value for vcore_mv').fill('870');
    await testId('config-apply').click(); // the recipe's grant is still held
    await page.waitForFunction(() => document.querySelector('[data-testid="config-device-vcore_mv"]')?.textContent?.startsWith('870'));

    await page.getByRole('tab', { name: 'Profiles' }).click();
    await page.getByLabel('Load profile').setInputFiles(saved);
    await page.getByRole('table', { name: 'Three-way difference' }).waitFor();
    const statuses = await page.$$eval('[data-testid^="profile-row-"]', (trs) => Object.fromEntries(trs.map((tr) => [tr.querySelector('th')!.textContent, tr.getAttribute('data-status')])));
    expect(Object.entries(statuses).filter(([, s]) => s !== 'same')).toEqual([['vcore_mv', 'differs-from-profile']]);
    expect(await testId('profile-row-vcore_mv').textContent()).toBe('vcore_mv870900900differs from the profile (also changed since the snapshot)');
    await shot('recipes-profiles-05-profile-diff');

    await page.getByRole('button', { name: 'Dry run' }).click();
    await testId('profile-dry-run').waitFor();
    expect(JSON.parse((await testId('profile-dry-run').textContent())!)).toEqual({ changes: { vcore_mv: 900 }, save: false });
    await shot('recipes-profiles-06-profile-dry-run');

    await page.getByRole('button', { name: 'Apply 1 change' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="profile-summary"]')?.textContent?.includes('0 differ'));
    const after = await page.$$eval('[data-testid^="profile-row-"]', (trs) => trs.map((tr) => tr.getAttribute('data-status')));
    expect(after.every((s) => s === 'same')).toBe(true);
    expect(await testId('profile-dry-run').count()).toBe(0);

    const history = testId('profile-history');
    await history.waitFor();
    const lines = await history.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children).slice(2).map((c) => c.textContent)));
    expect(lines[0]).toEqual(['profile bench 7 lab', 'vcore_mv', '870', '900', 'no']);
    // The recipe's own apply is journalled too, below it (newest first).
    expect(lines.slice(1).some((l) => /^recipe Demo board lab settings and staged image run /.test(l[0]!) && l[1] === 'vcore_mv' && l[2] === '850' && l[3] === '900')).toBe(true);
    await page.getByRole('tab', { name: 'Config' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="config-device-vcore_mv"]')?.textContent?.startsWith('900'));
    await page.getByRole('tab', { name: 'Profiles' }).click();
    await history.waitFor();
    await shot('recipes-profiles-07-profile-applied');
  });
});
