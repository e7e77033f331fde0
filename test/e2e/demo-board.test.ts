// The whole app as a technician uses it: the served app in Debian's Chromium,
// on the demo board over a real pty. Screenshots go to test-results/e2e/.
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startServedApp } from '../support/served-app';
import { buildMcubootImage } from '../support/mcuboot-image';
import { verifyJournal } from '../../electron/host/audit/journal';

const SHOTS = join('test-results', 'e2e');
let app: Awaited<ReturnType<typeof startServedApp>>;
let browser: Browser;
let page: Page;

async function shot(name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  app = await startServedApp(['--demo-boards', '1']);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('demo board, end to end', () => {
  it('shows the simulated demo board and opens a read-only session', async () => {
    await page.goto(app.url);
    const device = page.getByTestId('device-demo:DEMO-1001');
    await device.waitFor();
    await expect(device.textContent()).resolves.toMatch(/simulated/);
    await device.click();
    await page.getByTestId('open-session').click();
    await page.getByTestId('scope-badge').waitFor();
    expect(await page.getByTestId('scope-badge').getAttribute('data-scope')).toBe('read-only');
    expect(await page.getByTestId('fact-firmware').textContent()).toBe('1.0.0+0');
  });

  it('streams telemetry whose values change', async () => {
    const cell = page.getByTestId('telemetry-temp_cpu');
    await cell.waitFor({ timeout: 10_000 });
    const seen = new Set<string>();
    for (let i = 0; i < 30 && seen.size < 3; i++) {
      seen.add((await cell.textContent()) ?? '');
      await page.waitForTimeout(200);
    }
    expect(seen.size).toBeGreaterThanOrEqual(3);
    for (const ch of ['temp_board', 'vin', 'v3v3', 'vcore', 'iin']) expect(Number(await page.getByTestId(`telemetry-${ch}`).textContent())).not.toBeNaN();
    await shot('01-telemetry');
  });

  it('refuses a setting change at the default scope, then accepts it after elevation', async () => {
    await page.getByRole('tab', { name: 'Config' }).click();
    const input = page.getByLabel('New value for vcore_mv');
    await input.fill('900');
    await page.getByTestId('config-apply').click();
    const alert = page.locator('.notice.error[data-code="grant-required"]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/needs a Configuration grant/);
    expect(await page.getByTestId('config-device-vcore_mv').textContent()).toMatch(/^850/);
    await shot('02-config-refused');

    await page.getByTestId('elevate').click();
    await page.getByRole('dialog').waitFor();
    expect(await page.getByTestId('scope-allows').textContent()).toMatch(/Change device settings/);
    await page.getByTestId('confirm-grant').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="scope-badge"]')?.getAttribute('data-scope') === 'configuration');
    await page.getByLabel('New value for vcore_mv').fill('900');
    await page.getByTestId('config-apply').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="config-device-vcore_mv"]')?.textContent?.startsWith('900'));
    await shot('03-config-applied');
  });

  it('updates firmware with visible progress and runs the new version after reset', async () => {
    await page.getByRole('tab', { name: 'Firmware' }).click();
    const image = buildMcubootImage({ version: [2, 1, 0, 7], bodySize: 512 * 1024 });
    const file = join(app.home, 'demo-app-2.1.0.bin');
    writeFileSync(file, image);
    await page.getByTestId('firmware-file').setInputFiles(file);
    await page.getByTestId('firmware-upload').click();
    const progress = page.getByTestId('job-progress').first();
    await progress.waitFor();
    await page.waitForFunction(() => {
      const p = document.querySelector('[data-testid="job-progress"]') as HTMLProgressElement | null;
      return p !== null && p.value > 0 && p.value < 100;
    });
    await shot('04-firmware-progress');
    await page.waitForFunction(() => document.querySelector('[data-testid="job-state"]')?.textContent === 'done', null, { timeout: 120_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="running-version"]')?.textContent === '2.1.0+7');
    await shot('05-firmware-done');
  });

  it('finds all of it in the Audit panel and the journal verifies', async () => {
    await page.getByRole('tab', { name: 'Audit' }).click();
    const table = page.getByTestId('audit-table');
    await table.waitFor();
    const text = (await table.textContent()) ?? '';
    expect(text).toMatch(/config\.write.*denied/s);
    expect(text).toMatch(/grant.*configuration.*ok/s);
    expect(text).toMatch(/firmware\.upload/);
    expect(text).toMatch(/Transfer: done/);
    await page.getByRole('button', { name: 'Verify journal' }).click();
    await page.getByText(/Intact: \d+ records/).waitFor();
    await shot('06-audit');
    const journal = join(app.home, 'state', 'fwbench', 'audit.jsonl');
    const lines = readFileSync(journal, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((r) => r.commandId === 'config.write').map((r) => r.outcome)).toEqual(['denied', 'started', 'ok']);
    expect(verifyJournal(journal, join(app.home, 'state', 'fwbench', 'audit.head')).ok).toBe(true);
  });
});
