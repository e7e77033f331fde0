// The common model every parser produces: sorted, non-overlapping segments.
// Overlap is an error, never silently merged: two writes to one address mean the
// image is ambiguous and flashing it would depend on the tool's order.
import { createHash } from 'node:crypto';
import { HostError } from '../../errors/host-error';
import { hex, type ImageFormat } from './format-error';

export interface Segment {
  address: number;
  data: Uint8Array;
}

/** A segment with where it came from, so an overlap error can name both origins. */
export interface SourcedSegment extends Segment {
  origin?: string;
}

export interface ImageMetadata {
  format: ImageFormat;
  segments: Segment[];
  entry?: number;
  /** Total bytes of data in the segments (gaps not counted). */
  size: number;
  /** SHA-256 (hex): of the flattened image (gaps 0xff) when its span is at most SHA_FLAT_LIMIT, else of the segments. */
  sha256: string;
  /** What sha256 covers: 'flattened' matches `sha256sum` of the binary flatten() gives; 'segments' see segmentsSha256. */
  sha256Of: 'flattened' | 'segments';
  version?: string;
  board?: string;
  target?: string;
  details: Record<string, unknown>;
}

export const DEFAULT_FILL = 0xff;
/** Largest span flatten() will allocate; a sparse image (flash + far-away option bytes) must be flashed by segment. */
export const MAX_FLAT_SPAN = 512 * 1024 * 1024;
/** Above this span hashing the fill would cost seconds (flash at 0, option bytes at 0x1fff0000): hash segments instead. */
export const SHA_FLAT_LIMIT = 64 * 1024 * 1024;

/**
 * Sorts segments, drops empty ones, joins touching ones, and throws
 * HostError('invalid-params') naming both origins when two of them overlap.
 */
export function normalizeSegments(segments: readonly SourcedSegment[]): Segment[] {
  const sorted = segments.filter((s) => s.data.length > 0).sort((a, b) => a.address - b.address);
  for (const s of sorted) {
    if (!Number.isSafeInteger(s.address) || s.address < 0) {
      throw new HostError('invalid-params', 'A segment has an invalid address.', `${s.origin ?? 'segment'}: address ${s.address}`);
    }
  }
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (cur.address < prev.address + prev.data.length) {
      throw new HostError(
        'invalid-params',
        'The image writes the same memory twice (overlapping data).',
        `${cur.origin ?? 'segment'} at ${hex(cur.address)} overlaps ${prev.origin ?? 'segment'} ` +
          `${hex(prev.address)}..${hex(prev.address + prev.data.length - 1)}`,
      );
    }
  }
  const out: Segment[] = [];
  let run: Segment[] = [];
  const flush = (): void => {
    if (run.length === 0) return;
    if (run.length === 1) out.push({ address: run[0].address, data: run[0].data });
    else {
      const total = run.reduce((n, s) => n + s.data.length, 0);
      const data = new Uint8Array(total);
      let at = 0;
      for (const s of run) {
        data.set(s.data, at);
        at += s.data.length;
      }
      out.push({ address: run[0].address, data });
    }
    run = [];
  };
  for (const s of sorted) {
    const last = run[run.length - 1];
    if (last && last.address + last.data.length !== s.address) flush();
    run.push(s);
  }
  flush();
  return out;
}

/** Bytes of data held (gaps not counted). */
export function totalSize(segments: readonly Segment[]): number {
  return segments.reduce((n, s) => n + s.data.length, 0);
}

/** Lowest address and one past the highest, or undefined for an empty image. */
export function addressSpan(segments: readonly Segment[]): { start: number; end: number } | undefined {
  if (segments.length === 0) return undefined;
  let start = Infinity;
  let end = 0;
  for (const s of segments) {
    start = Math.min(start, s.address);
    end = Math.max(end, s.address + s.data.length);
  }
  return { start, end };
}

export interface FlattenOptions {
  fill?: number;
  /** Start of the output (default: the lowest segment address). Segments below it are an error. */
  start?: number;
  maxSpan?: number;
}

/** A contiguous binary from the lowest address to the end of the highest segment, gaps filled. */
export function flatten(segments: readonly Segment[], options: FlattenOptions = {}): { address: number; data: Uint8Array } {
  const span = addressSpan(segments);
  if (!span) return { address: options.start ?? 0, data: new Uint8Array(0) };
  const start = options.start ?? span.start;
  if (start > span.start) {
    throw new HostError('invalid-params', 'The image has data below the requested start address.', `data at ${hex(span.start)}, start ${hex(start)}`);
  }
  const length = span.end - start;
  const max = options.maxSpan ?? MAX_FLAT_SPAN;
  if (length > max) {
    throw new HostError(
      'invalid-params',
      'The image is too sparse to turn into one binary; flash it segment by segment.',
      `span ${hex(start)}..${hex(span.end)} is ${length} bytes, limit ${max}`,
    );
  }
  const data = new Uint8Array(length).fill(options.fill ?? DEFAULT_FILL);
  for (const s of segments) data.set(s.data, s.address - start);
  return { address: start, data };
}

/** SHA-256 (hex) of the flattened image; an empty image hashes the empty string. */
export function imageSha256(segments: readonly Segment[], fill = DEFAULT_FILL): string {
  const hash = createHash('sha256');
  const sorted = [...segments].sort((a, b) => a.address - b.address);
  // Stream gap fill and data instead of allocating the whole span.
  const gap = new Uint8Array(64 * 1024).fill(fill);
  let cursor = sorted.length ? sorted[0].address : 0;
  for (const s of sorted) {
    let missing = s.address - cursor;
    while (missing > 0) {
      const n = Math.min(missing, gap.length);
      hash.update(gap.subarray(0, n));
      missing -= n;
    }
    hash.update(s.data);
    cursor = s.address + s.data.length;
  }
  return hash.digest('hex');
}

/** SHA-256 over, per segment in address order: address (u64 BE), length (u64 BE), data. */
export function segmentsSha256(segments: readonly Segment[]): string {
  const hash = createHash('sha256');
  for (const s of [...segments].sort((a, b) => a.address - b.address)) {
    const head = new DataView(new ArrayBuffer(16));
    head.setBigUint64(0, BigInt(s.address));
    head.setBigUint64(8, BigInt(s.data.length));
    hash.update(new Uint8Array(head.buffer));
    hash.update(s.data);
  }
  return hash.digest('hex');
}

/** Fills size and sha256 from the segments. */
export function describeImage(
  format: ImageFormat,
  segments: Segment[],
  extra: { entry?: number; version?: string; board?: string; target?: string; details?: Record<string, unknown> } = {},
): ImageMetadata {
  const meta: ImageMetadata = {
    format,
    segments,
    size: totalSize(segments),
    sha256: '',
    sha256Of: 'flattened',
    details: extra.details ?? {},
  };
  const span = addressSpan(segments);
  if (span && span.end - span.start > SHA_FLAT_LIMIT) {
    meta.sha256 = segmentsSha256(segments);
    meta.sha256Of = 'segments';
  } else meta.sha256 = imageSha256(segments);
  if (extra.entry !== undefined) meta.entry = extra.entry;
  if (extra.version !== undefined) meta.version = extra.version;
  if (extra.board !== undefined) meta.board = extra.board;
  if (extra.target !== undefined) meta.target = extra.target;
  return meta;
}
