// DDR5 ECS (Error Check Scrub) Control (CXL r3.2 8.2.10.9.11.2, Tables 8-225/8-226;
// kernel edac.c struct cxl_ecs_rd_attrbs / cxl_ecs_wr_attrbs): one log-capability
// byte, then one record per media FRU.
import { HostError } from '../../../errors/host-error';
import { checkField } from './exact-size';

const FRU_READ_SIZE = 4;
const FRU_WRITE_SIZE = 2;

/** ECS config bits 2:0 encode the threshold count (kernel ecs_supp_threshold[]). */
const THRESHOLD_BY_INDEX: Readonly<Record<number, number>> = { 3: 256, 4: 1024, 5: 4096 };
const INDEX_BY_THRESHOLD: Readonly<Record<number, number>> = { 256: 3, 1024: 4, 4096: 5 };

export type EcsLogEntryType = 'per-dram' | 'per-memory-media-fru' | 'reserved';
export type EcsCountMode = 'rows' | 'codewords';

export interface EcsFruConfig {
  /** Errors per 256/1024/4096; null when the device reports an index the spec leaves undefined. */
  threshold: number | null;
  thresholdIndex: number;
  countMode: EcsCountMode;
  /** Config bit 4: reset the ECC counter (write-only in practice). */
  resetCounter: boolean;
}

export interface EcsFruRead extends EcsFruConfig {
  /** ECS capabilities bit 0: real-time report capable. */
  realtimeReportCapable: boolean;
  capabilities: number;
  config: number;
  flags: number;
}

export interface EcsRead {
  logEntryType: EcsLogEntryType;
  logCapabilities: number;
  frus: EcsFruRead[];
}

export function decodeEcsRead(bytes: Uint8Array): EcsRead {
  if (bytes.length < 1 + FRU_READ_SIZE)
    throw new HostError('protocol-error', 'The DDR5 ECS data is truncated.', `need at least ${1 + FRU_READ_SIZE} bytes, got ${bytes.length}`);
  if ((bytes.length - 1) % FRU_READ_SIZE !== 0)
    throw new HostError('protocol-error', 'The DDR5 ECS data does not end on a media FRU boundary.', `${bytes.length} bytes = 1 + ${(bytes.length - 1) / FRU_READ_SIZE} records of ${FRU_READ_SIZE}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frus: EcsFruRead[] = [];
  for (let off = 1; off < bytes.length; off += FRU_READ_SIZE) {
    const config = v.getUint16(off + 1, true);
    frus.push({ ...decodeConfig(config), realtimeReportCapable: (bytes[off] & 1) !== 0, capabilities: bytes[off], config, flags: bytes[off + 3] });
  }
  return { logEntryType: logType(bytes[0] & 0x3), logCapabilities: bytes[0], frus };
}

export function encodeEcsRead(r: { logEntryType: Exclude<EcsLogEntryType, 'reserved'>; frus: (EcsFruConfig & { realtimeReportCapable: boolean; flags?: number })[] }): Uint8Array {
  const out = new Uint8Array(1 + r.frus.length * FRU_READ_SIZE);
  const v = new DataView(out.buffer);
  out[0] = r.logEntryType === 'per-dram' ? 0 : 1;
  r.frus.forEach((f, i) => {
    const off = 1 + i * FRU_READ_SIZE;
    out[off] = f.realtimeReportCapable ? 1 : 0;
    v.setUint16(off + 1, encodeConfig(f), true);
    out[off + 3] = f.flags ?? 0;
  });
  return out;
}

export interface EcsWrite {
  logEntryType: Exclude<EcsLogEntryType, 'reserved'>;
  frus: { threshold: number; countMode: EcsCountMode; resetCounter: boolean }[];
}

export function encodeEcsWrite(w: EcsWrite): Uint8Array {
  if (w.frus.length === 0) throw new HostError('invalid-params', 'DDR5 ECS settings need at least one media FRU.');
  const out = new Uint8Array(1 + w.frus.length * FRU_WRITE_SIZE);
  const v = new DataView(out.buffer);
  out[0] = w.logEntryType === 'per-dram' ? 0 : 1;
  w.frus.forEach((f, i) => v.setUint16(1 + i * FRU_WRITE_SIZE, encodeConfig(f), true));
  return out;
}

export function decodeEcsWrite(bytes: Uint8Array): { logEntryType: EcsLogEntryType; logCapabilities: number; frus: (EcsFruConfig & { config: number })[] } {
  if (bytes.length < 1 + FRU_WRITE_SIZE || (bytes.length - 1) % FRU_WRITE_SIZE !== 0)
    throw new HostError('invalid-params', 'The DDR5 ECS write data has the wrong length.', `got ${bytes.length} bytes; expected 1 + 2 per media FRU`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frus = [];
  for (let off = 1; off < bytes.length; off += FRU_WRITE_SIZE) {
    const config = v.getUint16(off, true);
    frus.push({ ...decodeConfig(config), config });
  }
  return { logEntryType: logType(bytes[0] & 0x3), logCapabilities: bytes[0], frus };
}

function decodeConfig(config: number): EcsFruConfig {
  const idx = config & 0x7;
  return { threshold: THRESHOLD_BY_INDEX[idx] ?? null, thresholdIndex: idx, countMode: config & 0x8 ? 'codewords' : 'rows', resetCounter: (config & 0x10) !== 0 };
}

function encodeConfig(f: { threshold: number | null; countMode: EcsCountMode; resetCounter: boolean }): number {
  const idx = f.threshold === null ? undefined : INDEX_BY_THRESHOLD[f.threshold];
  if (idx === undefined) throw new HostError('invalid-params', 'DDR5 ECS threshold must be 256, 1024 or 4096.', `got ${f.threshold}`);
  checkField('threshold index', idx, 0, 7);
  return idx | (f.countMode === 'codewords' ? 0x8 : 0) | (f.resetCounter ? 0x10 : 0);
}

function logType(v: number): EcsLogEntryType {
  return v === 0 ? 'per-dram' : v === 1 ? 'per-memory-media-fru' : 'reserved';
}
