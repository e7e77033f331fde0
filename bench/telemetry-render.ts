// Renderer frame time of the live telemetry chart in Debian's Chromium:
// 8 channels with 1 M samples of history each, live appends at 100 k
// samples/s in total (12.5 k rows/s), the whole history in the window so
// every frame decimates all of it. The chart is bundled with esbuild and
// injected into a blank page; the reference is an empty requestAnimationFrame
// loop's frame time in the same browser. Target: p95 <= 16.7 ms.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from '../test/support/chromium';
import { percentile, round, type Figures } from './figures';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHANNELS = 8;
const HISTORY_ROWS = 1_000_000; // per channel
const SAMPLES_PER_SECOND = 100_000; // all channels together
const MEASURE_MS = 6_000;
const WARMUP_MS = 1_500;

/** The page side: fills the store, mounts the chart, appends live and times frames. Plain JS in the page. */
const PAGE_ENTRY = `
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { TelemetryChart } from './renderer/components/telemetry/TelemetryChart';
import { TelemetryBuffer } from './renderer/store/telemetry-buffer';
import { plotColumns } from './renderer/components/telemetry/plot-data';

const UNITS = ['V', 'V', 'A', 'A', '°C', '°C', 'rpm', '%'];
let seed = 12345;
const noise = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5);

function makeBatch(channels, t0, n, rowsPerSecond) {
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = t0 + (i * 1000) / rowsPerSecond;
  const values = channels.map((_, c) => {
    const v = new Float32Array(n);
    const f = 0.05 + c * 0.07;
    for (let i = 0; i < n; i++) v[i] = (c + 1) * Math.sin((2 * Math.PI * f * t[i]) / 1000) + 0.2 * noise();
    return v;
  });
  return { type: 'telemetry', sessionId: 'bench', channels, t, values };
}

function rafDeltas(ms) {
  return new Promise((resolve) => {
    const d = [];
    let first, last;
    const step = (now) => {
      if (last !== undefined) d.push(now - last);
      if (first === undefined) first = now;
      last = now;
      if (now - first < ms) requestAnimationFrame(step);
      else resolve(d);
    };
    requestAnimationFrame(step);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

window.benchTelemetry = {
  emptyLoop: (ms) => rafDeltas(ms),
  async chart({ channelCount, historyRows, samplesPerSecond, warmupMs, measureMs }) {
    const channels = Array.from({ length: channelCount }, (_, i) => ({ name: 'ch' + i, unit: UNITS[i % UNITS.length] }));
    const rows = samplesPerSecond / channelCount;
    const buf = new TelemetryBuffer(historyRows);
    const start = Date.now() - (historyRows * 1000) / rows;
    for (let o = 0; o < historyRows; o += 50000) buf.append(makeBatch(channels, start + (o * 1000) / rows, Math.min(50000, historyRows - o), rows));
    const held = buf.length;
    const frames = [];
    const el = document.createElement('div');
    el.style.width = '1200px';
    document.body.appendChild(el);
    const windowMs = Math.min(600000, Math.ceil((historyRows * 1000) / rows / 60000) * 60000);
    createRoot(el).render(createElement(TelemetryChart, { buffer: buf, initialWindowMs: windowMs, height: 400, onFrame: (f) => frames.push(f) }));
    let next = start + (historyRows * 1000) / rows;
    let appended = 0;
    // Like the host: a batch every ~20-50 ms carrying whatever arrived since the last.
    const timer = setInterval(() => {
      const n = Math.floor(((Date.now() - next) * rows) / 1000);
      if (n <= 0) return;
      buf.append(makeBatch(channels, next, n, rows));
      next += (n * 1000) / rows;
      appended += n;
    }, 20);
    await sleep(warmupMs);
    frames.length = 0;
    const appended0 = appended;
    const t0 = performance.now();
    const deltas = await rafDeltas(measureMs);
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(timer);
    // A zoom or pan has nothing cached: the whole history, every channel, decimated from scratch.
    const full = [];
    const span = buf.span();
    const cols = frames.length ? frames[frames.length - 1].points / 2 : 600;
    for (let i = 0; i < 15; i++) {
      const s = performance.now();
      plotColumns(buf, span.from + i, span.to, cols);
      full.push(performance.now() - s);
    }
    return {
      fullMs: full,
      deltas,
      drawMs: frames.map((f) => f.drawMs),
      dataMs: frames.map((f) => f.dataMs),
      decimatedFrames: frames.filter((f) => f.decimated).length,
      points: frames.length ? frames[frames.length - 1].points : 0,
      samplesPerSecond: ((appended - appended0) * channelCount) / seconds,
      held,
      columns: el.querySelector('canvas') ? el.querySelector('canvas').width : 0,
    };
  },
};
`;

async function bundle(): Promise<string> {
  const out = await build({
    stdin: { contents: PAGE_ENTRY, loader: 'tsx', resolveDir: ROOT, sourcefile: 'telemetry-render-page.tsx' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  return out.outputFiles[0].text;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95) };
};

export async function benchTelemetryRender(): Promise<Record<string, { value: number; unit: string; reference?: number; ratio?: number }>> {
  const script = await bundle();
  const css = readFileSync(`${ROOT}/node_modules/uplot/dist/uPlot.min.css`, 'utf8');
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.setContent(`<!doctype html><html><head><meta charset="utf-8"><style>${css}</style></head><body></body></html>`);
    await page.addScriptTag({ content: script });
    const empty = (await page.evaluate((ms) => (window as unknown as { benchTelemetry: { emptyLoop(ms: number): Promise<number[]> } }).benchTelemetry.emptyLoop(ms), 3_000)) as number[];
    type ChartRun = { fullMs: number[]; deltas: number[]; drawMs: number[]; dataMs: number[]; decimatedFrames: number; points: number; samplesPerSecond: number; held: number; columns: number };
    const run = (await page.evaluate(
      (o) => (window as unknown as { benchTelemetry: { chart(o: unknown): Promise<unknown> } }).benchTelemetry.chart(o),
      { channelCount: CHANNELS, historyRows: HISTORY_ROWS, samplesPerSecond: SAMPLES_PER_SECOND, warmupMs: WARMUP_MS, measureMs: MEASURE_MS },
    )) as ChartRun;
    // Refuse to report figures for a run that did not do the work it claims.
    if (run.held < HISTORY_ROWS) throw new Error(`the store held ${run.held} samples per channel, not ${HISTORY_ROWS}`);
    if (run.drawMs.length < run.deltas.length * 0.5) throw new Error(`the chart redrew ${run.drawMs.length} times in ${run.deltas.length} frames`);
    if (run.decimatedFrames !== run.drawMs.length) throw new Error('some frames drew raw samples instead of the decimated history');
    if (run.samplesPerSecond < SAMPLES_PER_SECOND * 0.9) throw new Error(`live appends reached only ${Math.round(run.samplesPerSecond)} samples/s`);
    const ref = stats(empty);
    const frame = stats(run.deltas);
    const draw = stats(run.drawMs);
    const data = stats(run.dataMs);
    const full = stats(run.fullMs);
    return {
      'telemetry.render-frame-p50': { value: round(frame.p50, 2), unit: 'ms', reference: round(ref.p50, 2), ratio: round(frame.p50 / ref.p50, 3) },
      'telemetry.render-frame-p95': { value: round(frame.p95, 2), unit: 'ms', reference: round(ref.p95, 2), ratio: round(frame.p95 / ref.p95, 3) },
      'telemetry.render-draw-p50': { value: round(draw.p50, 2), unit: 'ms' },
      'telemetry.render-draw-p95': { value: round(draw.p95, 2), unit: 'ms' },
      'telemetry.render-decimate-p95': { value: round(data.p95, 2), unit: 'ms' },
      'telemetry.render-uncached-decimate-p50': { value: round(full.p50, 2), unit: 'ms' },
      'telemetry.render-live-append': { value: Math.round(run.samplesPerSecond), unit: 'samples/s', reference: SAMPLES_PER_SECOND, ratio: round(run.samplesPerSecond / SAMPLES_PER_SECOND, 3) },
      'telemetry.render-points-per-frame': { value: run.points, unit: 'points' },
    };
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [k, f] of Object.entries(await benchTelemetryRender()) as [string, Figures[string]][])
    console.log(`${k.padEnd(36)} ${String(f.value).padStart(10)} ${f.unit}${f.reference !== undefined ? `   reference ${f.reference}   ratio ${f.ratio}` : ''}`);
}
