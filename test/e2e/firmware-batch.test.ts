// Updating several boards at once from the Firmware panel: each board gets
// its own session, grant and job; the panel shows per-board status and a summary.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startServedApp } from '../support/served-app';
import { buildMcubootImage } from '../support/mcuboot-image';

let app: Awaited<ReturnType<typeof startServedApp>>;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(join('test-results', 'e2e'), { recursive: true });
  app = await startServedApp(['--demo-boards', '2']);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('batch firmware update', () => {
  it('updates two boards with one confirmation and reports each', async () => {
    await page.goto(app.url);
    await page.getByTestId('device-demo:DEMO-1001').click();
    await page.getByTestId('open-session').click();
    await page.getByRole('tab', { name: 'Firmware' }).click();
    const file = join(app.home, 'app-3.0.0.bin');
    writeFileSync(file, buildMcubootImage({ version: [3, 0, 0, 1], bodySize: 16 * 1024 }));
    await page.getByTestId('firmware-file').setInputFiles(file);
    await page.getByTestId('batch-toggle').click();
    await page.getByTestId('batch-pick-demo:DEMO-1002').check();
    await page.getByTestId('batch-grant-confirm').check();
    await page.getByTestId('batch-start').click();
    await page.waitForFunction(() => /^2 of 2 updated$/.test(document.querySelector('[data-testid="batch-summary"]')?.textContent?.trim() ?? ''), null, { timeout: 120_000 });
    const rows = (await page.getByTestId('batch-status').textContent()) ?? '';
    expect(rows).toMatch(/Demo board 1 \(simulated\)done/);
    expect(rows).toMatch(/Demo board 2 \(simulated\)done/);
    await page.screenshot({ path: join('test-results', 'e2e', '40-firmware-batch.png'), fullPage: true });
    // The second board really runs the new image.
    await page.getByTestId('device-demo:DEMO-1002').click();
    await page.getByRole('tab', { name: 'Firmware' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="running-version"]')?.textContent === '3.0.0+1');
  });
});
