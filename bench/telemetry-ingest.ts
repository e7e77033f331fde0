// CSV telemetry ingest rate: fwbench's CsvParser against the simplest byte
// loop that turns the same bytes into numbers (no names, no errors, no
// columns). The ratio says what the parser's bookkeeping costs.
import { CsvParser } from '../electron/host/telemetry/parsers/csv-parser';

const LINES = 400_000;
const CHUNK = 65_536; // about what a fast serial read hands over
const ROUNDS = 5;

function makeCsv(): { bytes: Uint8Array; samples: number } {
  const parts = ['t,temp,volt,curr,rpm\n'];
  for (let i = 0; i < LINES; i++) parts.push(`${i},${(20 + (i % 1000) * 0.013).toFixed(3)},${(3.3 - (i % 77) * 0.001).toFixed(4)},${(i % 500) - 250},${1200 + (i % 3000)}\n`);
  return { bytes: new TextEncoder().encode(parts.join('')), samples: LINES * 4 }; // t is the time column, not a sample
}

function parserRun(bytes: Uint8Array): number {
  const p = new CsvParser({ timeColumn: 't' });
  let n = 0;
  for (let o = 0; o < bytes.length; o += CHUNK) n += p.feed(bytes.subarray(o, o + CHUNK), 0).samples.sampleCount;
  return n;
}

/** The reference: digits, sign, point, separators; sums every field. */
function referenceRun(bytes: Uint8Array): number {
  let sum = 0;
  let fields = 0;
  let v = 0;
  let scale = 0;
  let neg = false;
  let i = bytes.indexOf(10) + 1; // skip the header
  for (; i < bytes.length; i++) {
    const c = bytes[i];
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      scale *= 10;
    } else if (c === 46) scale = 1;
    else if (c === 45) neg = true;
    else {
      const x = scale > 0 ? v / scale : v;
      sum += neg ? -x : x;
      fields++;
      v = 0;
      scale = 0;
      neg = false;
    }
  }
  if (Number.isNaN(sum)) throw new Error('unreachable');
  return fields - fields / 5; // same sample count as the parser (minus the time column)
}

function rate(run: (b: Uint8Array) => number, bytes: Uint8Array, expected: number): number {
  let best = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    const n = run(bytes);
    const dt = (performance.now() - t0) / 1000;
    if (n !== expected) throw new Error(`ingest produced ${n} samples, expected ${expected}`);
    best = Math.max(best, n / dt);
  }
  return best;
}

export async function benchTelemetryIngest(): Promise<Record<string, { value: number; unit: string; reference?: number; ratio?: number }>> {
  const { bytes, samples } = makeCsv();
  // Warm both up so the JIT has compiled them before timing.
  parserRun(bytes.subarray(0, 1 << 20));
  referenceRun(bytes.subarray(0, 1 << 20));
  const reference = rate(referenceRun, bytes, samples);
  const parser = rate(parserRun, bytes, samples);
  return {
    'telemetry.csv-ingest': { value: Math.round(parser), unit: 'samples/s', reference: Math.round(reference), ratio: parser / reference },
    'telemetry.csv-ingest-bytes': { value: Math.round((parser / samples) * bytes.length), unit: 'bytes/s' },
  };
}
