// `npm run bench`: runs each benchmark, prints its figures with their reference
// and ratio, and writes bench/results.json. Figures of a benchmark that cannot
// run here are reported as skipped with the reason, never invented.
import { writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figures } from './figures';

const here = dirname(fileURLToPath(import.meta.url));

type Bench = { name: string; load: () => Promise<() => Promise<Figures>> };

const benches: Bench[] = [
  { name: 'ipc', load: async () => (await import('./ipc-roundtrip')).benchIpc },
];
for (const [name, file, fn] of [
  ['telemetry', './telemetry-ingest', 'benchTelemetryIngest'],
  ['fwctl', './fwctl-overhead', 'benchFwctl'],
  ['ymodem', './ymodem-uboot', 'benchYmodem'],
  ['smp', './smp-upload', 'benchSmpUpload'],
  ['render', './telemetry-render', 'benchTelemetryRender'],
  ['telemetry-e2e', './telemetry-e2e', 'benchTelemetryE2e'],
] as const) {
  if (existsSync(join(here, file.slice(2) + '.ts'))) benches.push({ name, load: async () => (await import(file))[fn] });
}

const only = process.argv.slice(2);
const results: Figures = {};
for (const b of benches) {
  if (only.length && !only.includes(b.name)) continue;
  process.stdout.write(`\n== ${b.name}\n`);
  try {
    const figures = await (await b.load())();
    for (const [k, f] of Object.entries(figures)) {
      results[k] = f;
      console.log(`${k.padEnd(40)} ${String(f.value).padStart(12)} ${f.unit}${f.reference !== undefined ? `   reference ${f.reference} ${f.unit}   ratio ${f.ratio}` : ''}`);
    }
  } catch (e) {
    console.log(`${b.name}: skipped: ${(e as Error).message}`);
  }
}
writeFileSync(join(here, 'results.json'), JSON.stringify(results, null, 2) + '\n');
console.log(`\nwrote bench/results.json (${Object.keys(results).length} figures)`);
