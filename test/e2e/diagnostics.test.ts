// Export a diagnostics bundle from the Diagnostics view (progress bar to 100%,
// a download offered), open that same file through the file input and see it
// intact with its audit records, then open a tampered copy and see the file named.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startServedApp } from '../support/served-app';

let app: Awaited<ReturnType<typeof startServedApp>>;
let browser: Browser;
let page: Page;
const out = join('test-results', 'e2e');
let exported = '';

beforeAll(async () => {
  mkdirSync(out, { recursive: true });
  app = await startServedApp(['--demo-boards', '1']);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('diagnostics bundles in the app', () => {
  it('exports with a progress bar reaching 100% and offers the .tar.gz as a download', async () => {
    await page.goto(app.url);
    // A session with a command run, so the bundle has a console transcript and journal records.
    await page.getByTestId('device-demo:DEMO-1001').click();
    await page.getByTestId('open-session').click();
    await page.getByTestId('telemetry-vin').waitFor();

    await page.getByRole('button', { name: 'Diagnostics', exact: true }).click();
    for (const label of ['Serial numbers', 'MAC addresses', 'Host names']) expect(await page.getByLabel(label).isChecked()).toBe(true);
    // Record every progress text the page shows, to prove the bar moved through the steps.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __progress: string[] }).__progress = seen;
      new MutationObserver(() => {
        const t = document.querySelector('[data-testid="diag-progress-text"]')?.textContent;
        if (t && seen.at(-1) !== t) seen.push(t);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const link = page.getByRole('link', { name: /^Download fwbench-diag-\d{8}-\d{6}(-\d+)?\.tar\.gz$/ });
    await link.waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('diag-progress').getAttribute('value')).toBe('100');
    expect(await page.getByTestId('diag-progress-text').textContent()).toBe('100% — done');
    const seen = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
    expect(seen.some((t) => /^\d+% — (host facts|devices|fwctl info|console|telemetry|jobs|audit journal|redaction|archive)$/.test(t))).toBe(true);
    expect(await link.getAttribute('download')).toMatch(/^fwbench-diag-.*\.tar\.gz$/);
    const where = (await page.getByTestId('diag-download').textContent()) ?? '';
    expect(where).toContain(join(app.home, 'state', 'fwbench', 'bundles'));

    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    exported = join(out, download.suggestedFilename());
    await download.saveAs(exported);
    const bytes = readFileSync(exported);
    // The downloaded bytes are exactly the bundle the host wrote.
    const onHost = /on the host: (\S+\.tar\.gz)/.exec(where)![1];
    expect(bytes.equals(readFileSync(onHost))).toBe(true);
    expect(gunzipSync(bytes).toString('latin1')).toContain('manifest.json');
  });

  it('opens that bundle through the file input: intact, manifest, inventory and the audit table', async () => {
    await page.getByTestId('diag-file-input').setInputFiles(exported);
    const integrity = page.getByTestId('diag-integrity');
    await integrity.getByText(/Bundle intact: \d+ files match the manifest; audit chain of \d+ records intact/).waitFor();
    const review = page.getByTestId('diag-review');
    const manifest = (await review.getByLabel('Manifest').textContent()) ?? '';
    expect(manifest).toMatch(/Redactionserials, macs, hostnames/);
    expect(manifest).toMatch(/CAP_SYS_RAWIO(held|not held)/);
    expect(manifest).toMatch(/Hosthost-\d+/);
    const audit = review.getByRole('table', { name: 'Bundled audit records' });
    expect(await audit.getByRole('row').count()).toBeGreaterThan(3);
    expect(await audit.textContent()).toMatch(/session-open/);
    expect(await audit.textContent()).toMatch(/diagnostics\.collect/);
    expect(await review.getByRole('table', { name: 'Device inventory' }).textContent()).toMatch(/demo-board/);
    await review.locator('summary', { hasText: /^console\// }).first().click();
    await review.getByLabel(/^Transcript console\//).first().waitFor();
    await page.screenshot({ path: join(out, '30-diagnostics-bundle.png'), fullPage: true });
  });

  it('names the tampered file in a changed copy', async () => {
    const tar = gunzipSync(readFileSync(exported));
    let header = -1;
    for (let i = 0; i < tar.length; i += 512) if (tar.subarray(i, i + 12).toString('latin1') === 'devices.json') header = i;
    const at = tar.indexOf(Buffer.from('"devices"'), header + 512);
    expect(header >= 0 && at > header).toBe(true);
    tar[at + 1] = 'D'.charCodeAt(0);
    const tampered = join(out, 'diagnostics-tampered.tar.gz');
    writeFileSync(tampered, gzipSync(tar));
    await page.getByTestId('diag-file-input').setInputFiles(tampered);
    const integrity = page.getByTestId('diag-integrity');
    await integrity.getByText(/Bundle TAMPERED: 1 problem/).waitFor();
    expect(await integrity.getByRole('list', { name: 'Integrity problems' }).textContent()).toMatch(/^devices\.json: changed after the bundle was made/);
    await page.screenshot({ path: join(out, '31-diagnostics-tampered.png'), fullPage: true });
  });
});
