// Record the demo board's telemetry from the Telemetry panel, add a marker,
// stop, and reopen the recording in the offline Recordings view.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startServedApp } from '../support/served-app';

let app: Awaited<ReturnType<typeof startServedApp>>;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(join('test-results', 'e2e'), { recursive: true });
  app = await startServedApp(['--demo-boards', '1']);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('telemetry recording from the UI', () => {
  it('records with a marker and reopens the recording offline', async () => {
    await page.goto(app.url);
    await page.getByTestId('device-demo:DEMO-1001').click();
    await page.getByTestId('open-session').click();
    await page.getByTestId('telemetry-vin').waitFor();
    await page.getByTestId('record-toggle').click();
    await page.getByLabel('Marker text').fill('fan unplugged');
    await page.getByRole('button', { name: 'Add marker' }).click();
    // An alarm while recording lands in the recording as a marker (the session's timeline).
    await page.getByLabel('Threshold channel').selectOption('vin');
    await page.getByLabel('Threshold direction').selectOption('above');
    await page.getByLabel('Threshold level').fill('5');
    await page.getByRole('button', { name: 'Add threshold' }).click();
    await page.waitForTimeout(1500);
    await page.getByTestId('record-toggle').click();
    await page.getByText(/Recorded \d+ samples/).waitFor();
    await page.getByRole('button', { name: 'Recordings (offline)' }).click();
    await page.getByRole('button', { name: /Demo_board_1.*\.fwtl/ }).click();
    const view = page.getByTestId('recording-view');
    await view.waitFor();
    const text = (await view.textContent()) ?? '';
    expect(text).toMatch(/fan unplugged/);
    expect(text).toMatch(/alarm: vin = 1\d\.\d+ V/);
    for (const ch of ['temp_cpu', 'vin', 'vcore', 'iin']) expect(text).toMatch(new RegExp(`${ch}\\d+ samples`));
    const counts = [...text.matchAll(/(\d+) samples/g)].map((m) => Number(m[1]));
    expect(Math.min(...counts)).toBeGreaterThan(200);
    await page.screenshot({ path: join('test-results', 'e2e', '20-recording-offline.png'), fullPage: true });
  });
});
