// The fwctl device page against the simulated CXL device: the feature table,
// the composer's dry run, a read RPC without a grant, and a Set that needs the
// full-write grant with the device name typed.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startServedApp } from '../support/served-app';

const SHOTS = join('test-results', 'e2e');
let app: Awaited<ReturnType<typeof startServedApp>>;
let browser: Browser;
let page: Page;
const SCRUB = '96dad7d6-fde8-482b-a733-75774e06db8a';

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  app = await startServedApp(['--demo-boards', '1']);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('fwctl device page (simulated CXL)', () => {
  it('lists the features with decoded values and the scope each Set needs', async () => {
    await page.goto(app.url);
    await page.getByTestId('device-fwctl:sim-cxl0').click();
    await page.getByTestId('open-session').click();
    await page.getByTestId('cxl-features').waitFor();
    expect(await page.getByTestId('fwctl-type').textContent()).toBe('cxl (2)');
    expect(await page.getByTestId(`feature-raw-${SCRUB}`).textContent()).toBe('030c0100');
    const table = (await page.getByTestId('cxl-features').textContent()) ?? '';
    expect(table).toMatch(/Device Patrol Scrub Control/);
    expect(table).toMatch(/Debug write \(full\)/);
    expect(table).toMatch(/Hard Post Package Repair/);
  });

  it('composes a Get Feature, shows the bytes and scope, and sends it without a grant', async () => {
    await page.getByLabel('Mailbox opcode').fill('0501');
    // Get Feature input: UUID (16 bytes, in the order the kernel's uuid_t holds it), offset 0, count 4, selection current.
    await page.getByLabel('Mailbox payload').fill('96dad7d6fde8482ba73375774e06db8a 0000 0400 00');
    await page.getByRole('button', { name: 'Compose (dry run)' }).click();
    const preview = page.getByTestId('rpc-preview');
    await preview.waitFor();
    expect(await preview.textContent()).toMatch(/Request bytes: 0105000000000000150000000000000/);
    expect(await preview.textContent()).toMatch(/only read/);
    await page.getByRole('button', { name: 'Send RPC' }).click();
    await page.getByTestId('rpc-reply-decoded').waitFor();
    const decoded = JSON.parse((await page.getByTestId('rpc-reply-decoded').textContent()) ?? '{}');
    expect(decoded).toMatchObject({ retval: 0, meaning: { name: 'SUCCESS' }, payload: '030c0100' });
    await page.screenshot({ path: join(SHOTS, '10-fwctl-composer.png'), fullPage: true });
  });

  it('refuses a Set without the grant, then sets after the typed full-write grant', async () => {
    const input = page.getByLabel('New data for Device Patrol Scrub Control');
    await input.fill('18 01');
    await page.locator('form', { has: input }).getByRole('button', { name: 'Set', exact: true }).click();
    await page.locator('.notice.error[data-code="grant-required"]').waitFor();
    await page.locator('form', { has: input }).getByRole('button', { name: /Grant Debug write \(full\)/ }).click();
    await page.getByLabel('Device name confirmation').fill('CXL memory device (simulated)');
    await page.getByTestId('confirm-grant').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="scope-badge"]')?.getAttribute('data-scope') === 'debug-write-full');
    await page.locator('form', { has: input }).getByRole('button', { name: 'Set', exact: true }).click();
    await page.waitForFunction((id) => document.querySelector(`[data-testid="feature-raw-${id}"]`)?.textContent === '03180101', SCRUB);
    expect(await page.locator('.badge.tainted').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, '11-fwctl-set.png'), fullPage: true });
  });
});
