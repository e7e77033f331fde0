// Configurable binary frames, the way SerialPlot and most firmware loggers
// frame them:  sync word | [length] | payload (fields) | [checksum].
// The parser hunts for the sync word, so it resyncs after line garbage, a
// torn frame or a bad checksum (it restarts one byte after the bad frame's
// sync, in case a real frame began inside it). Each bad frame or run of
// garbage yields one error.
import type { ParseError, ParseResult, TelemetryParser } from './parser';
import { ColumnBuilder, SampleBatchBuilder } from '../sample-batch';
import { HostError } from '../../errors/host-error';
import { type ChecksumKind, checksumSize, crc16Ccitt, crc32, sum8, xor8 } from './checksums';

export type FieldType = 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'f64';
export type Endian = 'le' | 'be';

export interface FrameField {
  name: string;
  type: FieldType;
  /** Defaults to the frame's endianness. */
  endian?: Endian;
  /** Engineering value = raw * scale + offset. */
  scale?: number;
  offset?: number;
  /** This field is the device timestamp; after scale/offset it must be in ms. */
  time?: boolean;
}

/** Bytes the parser skips (reserved or unused space in the payload). */
export interface FramePad {
  pad: number;
}

export interface FrameFormat {
  /** 1 to 8 bytes, e.g. [0xaa, 0x55]. */
  sync: number[];
  /** A length field right after the sync word, counting payload bytes. Without it the payload is exactly the fields. */
  length?: { type: 'u8' | 'u16'; endian?: Endian };
  fields: (FrameField | FramePad)[];
  /** Default endianness of multi-byte fields; little-endian unless told. */
  endian?: Endian;
  checksum?: {
    kind: ChecksumKind;
    /** Bytes the checksum covers; default "payload". */
    covers?: 'payload' | 'length-and-payload' | 'frame';
    /** Byte order of the checksum itself; default the frame's. */
    endian?: Endian;
    /** CRC-16 start value; 0xffff (CCITT-FALSE) unless told, 0 for XMODEM. */
    crc16Init?: number;
  };
  /**
   * Largest payload a length field may announce; more is corruption. Default:
   * exactly the fields' size, so a corrupt length cannot stall the parser
   * waiting for bytes that belong to the next frames.
   */
  maxPayload?: number;
}

const SIZES: Record<FieldType, number> = { u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, f32: 4, f64: 8 };

interface CompiledField {
  at: number;
  read: (dv: DataView, pos: number) => number;
  scale: number;
  offset: number;
  column: ColumnBuilder | null; // null for the time field
}

export class BinaryFrameParser implements TelemetryParser {
  private readonly batch = new SampleBatchBuilder();
  private readonly sync: Uint8Array;
  private readonly lenSize: number;
  private readonly lenLE: boolean;
  private readonly fixedPayload: number;
  private readonly ckKind: ChecksumKind;
  private readonly ckSize: number;
  private readonly ckLE: boolean;
  private readonly ckCovers: 'payload' | 'length-and-payload' | 'frame';
  private readonly crc16Init: number;
  private readonly maxPayload: number;
  private readonly fields: CompiledField[] = [];
  private readonly timeField: CompiledField | null = null;

  private buf = new Uint8Array(4096);
  private dv = new DataView(this.buf.buffer);
  private start = 0;
  private end = 0;
  private base = 0; // stream offset of buf[0]
  private garbageFrom = -1; // stream offset where the current unreported garbage run began
  private garbageBytes = 0;
  private suppressUntil = 0; // bytes of an already-reported bad frame are not garbage
  private errors: ParseError[] = [];

  constructor(format: FrameFormat) {
    const bad = (why: string) => new HostError('invalid-params', `The binary frame format is invalid: ${why}.`);
    if (!Array.isArray(format.sync) || format.sync.length < 1 || format.sync.length > 8 || format.sync.some((b) => !Number.isInteger(b) || b < 0 || b > 255))
      throw bad('the sync word must be 1 to 8 byte values (0-255)');
    if (!Array.isArray(format.fields) || format.fields.length === 0) throw bad('it needs at least one field');
    this.sync = Uint8Array.from(format.sync);
    const endian = format.endian ?? 'le';
    if (format.length && format.length.type !== 'u8' && format.length.type !== 'u16') throw bad('the length field must be u8 or u16');
    this.lenSize = format.length ? SIZES[format.length.type] : 0;
    this.lenLE = (format.length?.endian ?? endian) === 'le';
    const ck = format.checksum ?? { kind: 'none' as const };
    if (!['none', 'sum8', 'xor8', 'crc16-ccitt', 'crc32'].includes(ck.kind)) throw bad(`unknown checksum "${ck.kind}"`);
    this.ckKind = ck.kind;
    this.ckSize = checksumSize(ck.kind);
    this.ckLE = (ck.endian ?? endian) === 'le';
    this.ckCovers = ck.covers ?? 'payload';
    this.crc16Init = ck.crc16Init ?? 0xffff;

    const names = new Set<string>();
    let at = 0;
    let timeField: CompiledField | null = null;
    for (const f of format.fields) {
      if ('pad' in f) {
        if (!Number.isInteger(f.pad) || f.pad < 1) throw bad('a pad must be a positive byte count');
        at += f.pad;
        continue;
      }
      if (!(f.type in SIZES)) throw bad(`field "${f.name}" has unknown type "${f.type}" (use u8/i8/u16/i16/u32/i32/f32/f64)`);
      if (!f.name || names.has(f.name)) throw bad(`field names must be unique and non-empty ("${f.name}")`);
      names.add(f.name);
      const cf: CompiledField = { at, read: reader(f.type, (f.endian ?? endian) === 'le'), scale: f.scale ?? 1, offset: f.offset ?? 0, column: f.time ? null : this.batch.column(f.name) };
      if (f.time) {
        if (timeField) throw bad('only one field can be the time');
        timeField = cf;
      } else this.fields.push(cf);
      at += SIZES[f.type];
    }
    if (this.fields.length === 0) throw bad('it needs at least one value field besides the time');
    this.timeField = timeField;
    this.fixedPayload = at;
    this.maxPayload = this.lenSize === 0 ? at : Math.max(at, format.maxPayload ?? at);
    if (this.lenSize === 2 && this.maxPayload > 0xffff) throw bad('maxPayload exceeds what a u16 length can say');
    if (this.lenSize === 1 && at > 255) throw bad('the fields do not fit a u8 length');
  }

  feed(chunk: Uint8Array, hostTimeMs: number): ParseResult {
    this.append(chunk);
    const sync = this.sync;
    const s0 = sync[0];
    const syncLen = sync.length;
    const buf = this.buf;
    const hdr = syncLen + this.lenSize;
    let p = this.start;
    const end = this.end;
    for (;;) {
      // Hunt for the sync word.
      let q = p;
      for (; q + syncLen <= end; q++) {
        if (buf[q] !== s0) continue;
        let k = 1;
        while (k < syncLen && buf[q + k] === sync[k]) k++;
        if (k === syncLen) break;
      }
      if (q + syncLen > end) {
        // No sync: everything but a possible sync prefix at the end is garbage.
        const keep = Math.max(p, end - (syncLen - 1));
        this.garbage(p, keep);
        p = keep;
        break;
      }
      this.garbage(p, q);
      this.flushGarbage();
      p = q;
      if (end - p < hdr) break;
      let payload = this.fixedPayload;
      if (this.lenSize === 1) payload = buf[p + syncLen];
      else if (this.lenSize === 2) payload = this.dv.getUint16(p + syncLen, this.lenLE);
      if (payload < this.fixedPayload || payload > this.maxPayload) {
        this.badFrame(p, p + hdr, `Frame at byte ${this.base + p}: length ${payload} does not fit the fields (${this.fixedPayload} to ${this.maxPayload} bytes); resyncing.`);
        p++;
        continue;
      }
      const total = hdr + payload + this.ckSize;
      if (end - p < total) break; // wait for the rest
      const pay = p + hdr;
      if (this.ckSize > 0) {
        const from = this.ckCovers === 'payload' ? pay : this.ckCovers === 'length-and-payload' ? p + syncLen : p;
        const got = this.checksum(from, pay + payload);
        const at = pay + payload;
        const want = this.ckSize === 1 ? buf[at] : this.ckSize === 2 ? this.dv.getUint16(at, this.ckLE) : this.dv.getUint32(at, this.ckLE);
        if (got !== want) {
          this.badFrame(p, p + total, `Frame at byte ${this.base + p}: ${this.ckKind} checksum mismatch (frame says 0x${want.toString(16)}, computed 0x${got.toString(16)}); dropped, resyncing.`);
          p++;
          continue;
        }
      }
      const t = this.timeField ? this.timeField.read(this.dv, pay + this.timeField.at) * this.timeField.scale + this.timeField.offset : hostTimeMs;
      for (const f of this.fields) f.column!.push(t, hostTimeMs, f.read(this.dv, pay + f.at) * f.scale + f.offset);
      p += total;
    }
    this.start = p;
    // A garbage run is one error when it ends; a stream that never syncs (wrong format?) still complains every 4 KiB.
    if (this.garbageBytes >= 4096) this.flushGarbage();
    const errors = this.errors;
    this.errors = [];
    return { samples: this.batch.take(), errors };
  }

  private checksum(from: number, to: number): number {
    switch (this.ckKind) {
      case 'sum8':
        return sum8(this.buf, from, to);
      case 'xor8':
        return xor8(this.buf, from, to);
      case 'crc16-ccitt':
        return crc16Ccitt(this.buf, from, to, this.crc16Init);
      case 'crc32':
        return crc32(this.buf, from, to);
      default:
        return 0;
    }
  }

  private badFrame(p: number, frameEnd: number, message: string): void {
    this.flushGarbage();
    this.errors.push({ offset: this.base + p, message });
    this.suppressUntil = Math.max(this.suppressUntil, this.base + frameEnd);
  }

  /** Notes skipped bytes [from, to) that were not part of a reported bad frame. */
  private garbage(from: number, to: number): void {
    const a = Math.max(this.base + from, this.suppressUntil);
    const b = this.base + to;
    if (b <= a) return;
    if (this.garbageFrom < 0) this.garbageFrom = a;
    this.garbageBytes += b - a;
  }

  private flushGarbage(): void {
    if (this.garbageBytes === 0) return;
    this.errors.push({ offset: this.garbageFrom, message: `Skipped ${this.garbageBytes} byte(s) at byte ${this.garbageFrom} that are not part of a frame (noise, or a wrong sync word/format?).` });
    this.garbageFrom = -1;
    this.garbageBytes = 0;
  }

  private append(chunk: Uint8Array): void {
    const live = this.end - this.start;
    if (this.start > 0 && (live === 0 || this.start > this.buf.length / 2 || this.end + chunk.length > this.buf.length)) {
      this.buf.copyWithin(0, this.start, this.end);
      this.base += this.start;
      this.start = 0;
      this.end = live;
    }
    if (this.end + chunk.length > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.end + chunk.length));
      next.set(this.buf.subarray(0, this.end));
      this.buf = next;
      this.dv = new DataView(next.buffer);
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }
}

function reader(type: FieldType, le: boolean): (dv: DataView, pos: number) => number {
  switch (type) {
    case 'u8':
      return (dv, p) => dv.getUint8(p);
    case 'i8':
      return (dv, p) => dv.getInt8(p);
    case 'u16':
      return (dv, p) => dv.getUint16(p, le);
    case 'i16':
      return (dv, p) => dv.getInt16(p, le);
    case 'u32':
      return (dv, p) => dv.getUint32(p, le);
    case 'i32':
      return (dv, p) => dv.getInt32(p, le);
    case 'f32':
      return (dv, p) => dv.getFloat32(p, le);
    case 'f64':
      return (dv, p) => dv.getFloat64(p, le);
  }
}
