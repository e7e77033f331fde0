// Recordings kept under the state dir, listed and reopened with no device:
// the offline half of telemetry. Names only, never paths, cross the contract.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HostError } from '../errors/host-error';
import { openRecording } from '../telemetry';

export interface RecordingFile {
  name: string;
  bytes: number;
  modified: string;
}

export function listRecordings(dir: string): RecordingFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.fwtl'));
  } catch {
    return [];
  }
  return names
    .map((name) => {
      const st = statSync(join(dir, name));
      return { name, bytes: st.size, modified: st.mtime.toISOString() };
    })
    .sort((a, b) => b.modified.localeCompare(a.modified));
}

export interface DecimatedChannel {
  name: string;
  unit: string;
  /** Bucket start times (ms) and per-bucket min/max: enough to draw any width. */
  t: Float64Array;
  min: Float32Array;
  max: Float32Array;
  samples: number;
}

export async function readRecording(dir: string, name: string, opts: { from?: number; to?: number; buckets?: number } = {}) {
  if (!/^[\w.-]+\.fwtl$/.test(name) || name.includes('..')) throw new HostError('invalid-params', 'Name a recording from the list.', name);
  const rec = await openRecording(join(dir, name));
  const buckets = Math.max(1, Math.min(opts.buckets ?? 2000, 20000));
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of rec.channels) if (c.hostT.length) (lo = Math.min(lo, c.hostT[0])), (hi = Math.max(hi, c.hostT[c.hostT.length - 1]));
  const from = opts.from ?? lo;
  const to = opts.to ?? hi;
  const width = Math.max(1e-9, (to - from) / buckets);
  const channels: DecimatedChannel[] = rec.channels.map((c) => {
    const min = new Float32Array(buckets).fill(NaN);
    const max = new Float32Array(buckets).fill(NaN);
    let samples = 0;
    for (let i = 0; i < c.hostT.length; i++) {
      const t = c.hostT[i];
      if (t < from || t > to) continue;
      const b = Math.min(buckets - 1, Math.floor((t - from) / width));
      const v = c.value[i];
      if (!(v >= min[b])) min[b] = v;
      if (!(v <= max[b])) max[b] = v;
      samples++;
    }
    const t = Float64Array.from({ length: buckets }, (_, i) => from + i * width);
    return { name: c.meta.name, unit: c.meta.unit ?? '', t, min, max, samples };
  });
  return { name, info: rec.info, startedAtMs: rec.startedAtMs, stoppedAtMs: rec.stoppedAtMs ?? null, tornBytes: rec.tornBytes, damagedBlocks: rec.damagedBlocks, markers: rec.markers, from, to, channels };
}
