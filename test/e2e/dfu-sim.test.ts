// The simulated USB DFU device in the served app: select it, open a session,
// grant Configuration, update with a DfuSe file in the Firmware panel, see the
// job done with its read-back verified.
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startServedApp } from '../support/served-app';
import { buildModelImage } from '../../electron/host/demo/dfu-model';
import { writeDfuSe } from '../../electron/host/firmware/formats';

const SHOTS = join('test-results', 'e2e');
let app: Awaited<ReturnType<typeof startServedApp>>;
let browser: Browser;
let page: Page;

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

describe('simulated USB DFU device, end to end', () => {
  it('opens a session on the simulated DFU device', async () => {
    await page.goto(app.url);
    const device = page.getByTestId('device-usb:sim-dfu0');
    await device.waitFor();
    await expect(device.textContent()).resolves.toMatch(/USB DFU device.*simulated/);
    await device.click();
    await page.getByTestId('open-session').click();
    await page.getByTestId('scope-badge').waitFor();
    expect(await page.getByTestId('scope-badge').getAttribute('data-scope')).toBe('read-only');
    expect(await page.getByTestId('fact-usb').textContent()).toBe('0483:df11');
    expect(await page.getByTestId('fact-dfuState').textContent()).toBe('dfuIDLE');
  });

  it('grants Configuration and updates with a DfuSe file: the job ends done, verified', async () => {
    await page.getByTestId('elevate').click();
    await page.getByRole('dialog').waitFor();
    await page.getByTestId('confirm-grant').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="scope-badge"]')?.getAttribute('data-scope') === 'configuration');

    await page.getByRole('tab', { name: 'Firmware' }).click();
    const file = join(app.home, 'app-2.0.dfu');
    const image = buildModelImage(randomBytes(96 * 1024));
    writeFileSync(file, writeDfuSe([{ alternate: 0, name: 'Internal Flash', segments: [{ address: 0x08000000, data: image }] }], { idVendor: 0x0483, idProduct: 0xdf11 }));
    await page.getByTestId('firmware-file').setInputFiles(file);
    await page.getByTestId('firmware-upload').click();
    await page.getByTestId('job-state').first().waitFor();
    await page.waitForFunction(() => {
      const s = document.querySelector('[data-testid="job-state"]')?.textContent;
      return s === 'done' || s === 'failed' || s === 'cancelled';
    }, null, { timeout: 60_000 });
    const job = page.getByTestId('job').first();
    const text = (await job.textContent()) ?? '';
    await page.screenshot({ path: join(SHOTS, 'dfu-01-update-done.png'), fullPage: true });
    expect(await page.getByTestId('job-state').first().textContent()).toBe('done');
    for (const step of ['Check image — done', 'Erase — done', 'Download — done', 'Verify — done', 'Manifest — done']) expect(text).toContain(step);
    // The simulated device jumped to the new application and came back with its runtime interface.
    await page.waitForFunction(() => document.querySelector('[data-testid="fact-mode"]')?.textContent === 'runtime (application)');
  });
});
