// Opens a .fwtl recording without any device: channels, samples, markers,
// and whether it ended cleanly or was torn by a crash. Export a time range
// to CSV for spreadsheets.
import { readFile, writeFile } from 'node:fs/promises';
import { crc32 } from './parsers/checksums';
import type { ChannelMeta } from './pipeline';
import { HostError } from '../errors/host-error';
import { BLOCK_HEADER, BLOCK_MAGIC, BLOCK_TRAILER, BlockType, FILE_MAGIC, FORMAT_VERSION, getF64s } from './recording-format';
import { csvField } from './recorder';

export interface RecordedChannel {
  meta: ChannelMeta;
  t: Float64Array;
  hostT: Float64Array;
  value: Float64Array;
}

export interface Recording {
  path: string;
  startedAtMs: number;
  /** Set when the writer stopped cleanly. */
  stoppedAtMs?: number;
  info: Record<string, unknown>;
  channels: RecordedChannel[];
  markers: { t: number; text: string }[];
  sampleCount: number;
  /** Bytes after the last whole block (a crash mid-write). */
  tornBytes: number;
  /** Blocks skipped in the middle because their CRC failed. */
  damagedBlocks: number;
  channel(name: string): RecordedChannel | undefined;
}

const dec = new TextDecoder();

export async function openRecording(path: string): Promise<Recording> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new HostError(e.code === 'ENOENT' ? 'invalid-params' : 'io-error', `Could not read the recording ${path}.`, e.message);
  }
  return parseRecording(bytes, path);
}

export function parseRecording(input: Uint8Array, path = '(memory)'): Recording {
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength); // a plain view, even for a Buffer
  const bad = (why: string) => new HostError('protocol-error', `${path} is not a readable fwbench recording: ${why}.`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || dec.decode(bytes.subarray(0, 4)) !== FILE_MAGIC) throw bad('the file does not start with FWTL');
  if (bytes.length < 24) throw bad('the header is cut short');
  const version = dv.getUint16(4, true);
  if (version !== FORMAT_VERSION) throw bad(`format version ${version} is newer than this fwbench understands`);
  const startedAtMs = dv.getFloat64(8, true);
  const tableLen = dv.getUint32(16, true);
  if (20 + tableLen + 4 > bytes.length) throw bad('the header is cut short');
  if (crc32(bytes, 0, 20 + tableLen) !== dv.getUint32(20 + tableLen, true)) throw bad('the header checksum does not match');
  const table = JSON.parse(dec.decode(bytes.subarray(20, 20 + tableLen))) as { info?: Record<string, unknown>; channels?: ChannelMeta[] };

  const metas: ChannelMeta[] = [...(table.channels ?? [])];
  const parts: { t: Float64Array[]; hostT: Float64Array[]; value: Float64Array[] }[] = metas.map(() => ({ t: [], hostT: [], value: [] }));
  const markers: { t: number; text: string }[] = [];
  let stoppedAtMs: number | undefined;
  let damagedBlocks = 0;
  let tornBytes = 0;
  let p = 20 + tableLen + 4;
  while (p < bytes.length) {
    const len = blockAt(bytes, dv, p);
    if (len < 0) {
      // Torn tail, or damage: look for the next intact block.
      const next = nextBlock(bytes, dv, p + 1);
      if (next < 0) {
        tornBytes = bytes.length - p;
        break;
      }
      damagedBlocks++;
      p = next;
      continue;
    }
    const type = bytes[p + 4];
    const pay = bytes.subarray(p + BLOCK_HEADER, p + BLOCK_HEADER + len);
    const pdv = new DataView(pay.buffer, pay.byteOffset, pay.byteLength);
    if (type === BlockType.Channel) {
      const idx = pdv.getUint16(0, true);
      metas[idx] = JSON.parse(dec.decode(pay.subarray(2))) as ChannelMeta;
      for (let k = parts.length; k <= idx; k++) parts.push({ t: [], hostT: [], value: [] });
    } else if (type === BlockType.Samples) {
      const cols = pdv.getUint16(0, true);
      let at = 2;
      for (let c = 0; c < cols; c++) {
        const idx = pdv.getUint16(at, true);
        const n = pdv.getUint32(at + 2, true);
        at += 6;
        for (let k = parts.length; k <= idx; k++) parts.push({ t: [], hostT: [], value: [] });
        parts[idx].t.push(getF64s(pay, at, n));
        parts[idx].hostT.push(getF64s(pay, at + 8 * n, n));
        parts[idx].value.push(getF64s(pay, at + 16 * n, n));
        at += 24 * n;
      }
    } else if (type === BlockType.Marker) {
      markers.push({ t: pdv.getFloat64(0, true), text: dec.decode(pay.subarray(8)) });
    } else if (type === BlockType.End) {
      stoppedAtMs = pdv.getFloat64(0, true);
    } // unknown types are skipped: newer writers may add some
    p += BLOCK_HEADER + len + BLOCK_TRAILER;
  }

  const channels: RecordedChannel[] = parts.map((pt, i) => ({
    meta: metas[i] ?? { name: `channel${i}` },
    t: concat(pt.t),
    hostT: concat(pt.hostT),
    value: concat(pt.value),
  }));
  const byName = new Map(channels.map((c) => [c.meta.name, c]));
  return {
    path,
    startedAtMs,
    stoppedAtMs,
    info: table.info ?? {},
    channels,
    markers,
    sampleCount: channels.reduce((s, c) => s + c.value.length, 0),
    tornBytes,
    damagedBlocks,
    channel: (name) => byName.get(name),
  };
}

/** Payload length of an intact block at p, or -1. */
function blockAt(bytes: Uint8Array, dv: DataView, p: number): number {
  if (p + BLOCK_HEADER + BLOCK_TRAILER > bytes.length) return -1;
  if (bytes[p] !== 0x46 || bytes[p + 1] !== 0x42 || bytes[p + 2] !== 0x4c || bytes[p + 3] !== 0x4b) return -1;
  const len = dv.getUint32(p + 8, true);
  if (p + BLOCK_HEADER + len + BLOCK_TRAILER > bytes.length) return -1;
  return crc32(bytes, p + 4, p + BLOCK_HEADER + len) === dv.getUint32(p + BLOCK_HEADER + len, true) ? len : -1;
}

function nextBlock(bytes: Uint8Array, dv: DataView, from: number): number {
  const magic = new TextEncoder().encode(BLOCK_MAGIC);
  for (let p = bytes.indexOf(magic[0], from); p >= 0; p = bytes.indexOf(magic[0], p + 1)) if (blockAt(bytes, dv, p) >= 0) return p;
  return -1;
}

function concat(parts: Float64Array[]): Float64Array {
  if (parts.length === 1) return parts[0];
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export interface CsvExportOptions {
  /** Keep samples with from <= t <= to (t is device time where the source had it). */
  from?: number;
  to?: number;
  /** Only these channels; default all. */
  channels?: string[];
  /** long: t,host_t,channel,value per sample. wide: one row per distinct t, one column per channel (empty where a channel has no sample). */
  layout?: 'long' | 'wide';
}

/** Writes a time range of a recording as CSV, rows in time order; returns the number of rows. */
export async function exportCsv(rec: Recording, outPath: string, options: CsvExportOptions = {}): Promise<number> {
  const from = options.from ?? -Infinity;
  const to = options.to ?? Infinity;
  const chosen = options.channels ? options.channels.map((n) => {
    const c = rec.channel(n);
    if (!c) throw new HostError('invalid-params', `The recording has no channel "${n}".`);
    return c;
  }) : rec.channels;
  // Each channel's index range in [from, to], then a k-way merge by t.
  const pos = chosen.map((c) => firstAtOrAfter(c.t, from));
  const lines: string[] = [];
  const wide = options.layout === 'wide';
  lines.push(wide ? ['t_ms', ...chosen.map((c) => csvField(c.meta.name + (c.meta.unit ? ` [${c.meta.unit}]` : '')))].join(',') : 't_ms,host_t_ms,channel,value');
  const row: string[] = new Array(chosen.length).fill('');
  for (;;) {
    let tMin = Infinity;
    for (let k = 0; k < chosen.length; k++) if (pos[k] < chosen[k].t.length && chosen[k].t[pos[k]] < tMin) tMin = chosen[k].t[pos[k]];
    if (tMin === Infinity || tMin > to) break;
    if (wide) {
      row.fill('');
      for (let k = 0; k < chosen.length; k++) {
        const c = chosen[k];
        if (pos[k] < c.t.length && c.t[pos[k]] === tMin) row[k] = String(c.value[pos[k]++]);
        while (pos[k] < c.t.length && c.t[pos[k]] === tMin) pos[k]++; // duplicates at one t: the first wins
      }
      lines.push(`${tMin},${row.join(',')}`);
    } else {
      for (let k = 0; k < chosen.length; k++) {
        const c = chosen[k];
        while (pos[k] < c.t.length && c.t[pos[k]] === tMin) {
          lines.push(`${tMin},${c.hostT[pos[k]]},${csvField(c.meta.name)},${c.value[pos[k]]}`);
          pos[k]++;
        }
      }
    }
  }
  try {
    await writeFile(outPath, lines.join('\n') + '\n', { flag: 'wx' });
  } catch (err) {
    throw new HostError('io-error', `Could not write ${outPath}.`, (err as Error).message);
  }
  return lines.length - 1;
}

function firstAtOrAfter(t: Float64Array, x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
