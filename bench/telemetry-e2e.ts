// End to end at 100 k samples/s: a writer streams 8-channel CSV into a real
// pty; the host parses it (serial telemetry port), records every sample and
// serves the app to Debian's Chromium, which plots it. Figures: samples
// recorded vs sent, renderer frame time while plotting, host memory growth.
// FWBENCH_E2E_SECONDS sets the run length (default 60; the 10-minute figure
// in docs/benchmarks.md used 600).
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Host } from '../electron/host/host';
import { serveApp } from '../electron/host/serve/served-app';
import { SerialPortStream } from '../electron/host/transports/serial-port';
import { openPtyPair } from '../test/support/pty-pair';
import { launchChromium } from '../test/support/chromium';
import { percentile, round, type Figures } from './figures';

const CHANNELS = 8;
const SAMPLES_PER_SECOND = 100_000;
const ROWS_PER_SECOND = SAMPLES_PER_SECOND / CHANNELS;

export async function benchTelemetryE2e(): Promise<Figures> {
  const seconds = Number(process.env.FWBENCH_E2E_SECONDS ?? 60);
  const home = mkdtempSync(join(tmpdir(), 'fwbench-bench-e2e-'));
  const host = await Host.create({ paths: { config: join(home, 'c'), state: join(home, 's'), cache: join(home, 'k') }, discovery: false, demoBoards: 0, demoCxl: false, transcripts: false });
  const served = await serveApp(host, { staticDir: join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'renderer') });
  const pty = await openPtyPair();
  const writer = await SerialPortStream.open(pty.a, { baudRate: 115200 });
  const path = realpathSync(pty.b);
  await host.request('devices.add-serial', { path, protocol: 'telemetry-csv' }, host.newClient('bench'));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(served.url);
    await page.getByTestId(`device-serial:${path}`).click();
    await page.getByTestId('open-session').click();
    await page.getByTestId('record-toggle').waitFor();
    await writer.write(Buffer.from(Array.from({ length: CHANNELS }, (_, i) => `ch${i + 1}`).join(',') + '\n'));
    await page.getByTestId('record-toggle').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="record-toggle"]')?.getAttribute('aria-pressed') === 'true');
    // A string, not a function: the TypeScript runner's helpers do not exist in the page.
    await page.evaluate(`(() => {
      window.__frames = [];
      let last = performance.now();
      const tick = (t) => { window.__frames.push(t - last); last = t; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);

    let rows = 0;
    const start = Date.now();
    const rss: number[] = [];
    await new Promise<void>((resolve) => {
      const memTimer = setInterval(() => rss.push(process.memoryUsage().rss), 1000);
      const timer = setInterval(() => {
        const due = Math.floor(((Date.now() - start) / 1000) * ROWS_PER_SECOND);
        let text = '';
        for (; rows < due; rows++) {
          const p = rows / ROWS_PER_SECOND;
          let line = '';
          for (let c = 0; c < CHANNELS; c++) line += (c ? ',' : '') + (Math.sin(p * (c + 1)) * 10 + c).toFixed(3);
          text += line + '\n';
        }
        if (text) void writer.write(Buffer.from(text));
        if (Date.now() - start >= seconds * 1000) {
          clearInterval(timer);
          clearInterval(memTimer);
          resolve();
        }
      }, 10);
    });
    const sent = rows * CHANNELS;
    await new Promise((r) => setTimeout(r, 2000));
    const frames = ((await page.evaluate('window.__frames')) as number[]).slice(120).sort((a, b) => a - b);
    await page.getByTestId('record-toggle').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="record-toggle"]')?.getAttribute('aria-pressed') === 'false');
    const client = host.newClient('bench');
    const [rec] = await host.request('recordings.list', {}, client);
    const view = await host.request('recording.read', { name: rec.name, buckets: 10 }, client);
    const recorded = view.channels.reduce((n, c) => n + c.samples, 0);
    const q = Math.max(1, Math.floor(rss.length / 4));
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length / 2 ** 20;
    const firstQ = avg(rss.slice(0, q));
    const lastQ = avg(rss.slice(-q));
    return {
      'telemetry.e2e.samples-recorded': { value: recorded, unit: 'samples', reference: sent, ratio: round(recorded / sent, 6) },
      'telemetry.e2e.rate': { value: round(sent / seconds), unit: 'samples/s', reference: SAMPLES_PER_SECOND, ratio: round(sent / seconds / SAMPLES_PER_SECOND, 3) },
      'telemetry.e2e.frame-p50': { value: round(percentile(frames, 50), 2), unit: 'ms', reference: 16.7, ratio: round(percentile(frames, 50) / 16.7, 2) },
      'telemetry.e2e.frame-p95': { value: round(percentile(frames, 95), 2), unit: 'ms', reference: 16.7, ratio: round(percentile(frames, 95) / 16.7, 2) },
      'telemetry.e2e.host-rss-last-quarter': { value: round(lastQ, 1), unit: 'MiB', reference: round(firstQ, 1), ratio: round(lastQ / firstQ, 3) },
      'telemetry.e2e.seconds': { value: seconds, unit: 's' },
    };
  } finally {
    await browser.close();
    await writer.close().catch(() => {});
    await pty.close();
    await served.close();
    await host.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchTelemetryE2e().then((f) => console.log(JSON.stringify(f, null, 2)));
}
