// The demo board's own reading of the SMP serial transport, written apart from
// the client codec on purpose so each checks the other (Zephyr serial_util.c
// behaviour): a line is marker + base64 + '\n', at most 127 bytes; each line's
// base64 decodes on its own; the first line starts with the 2-byte length of
// packet + CRC; the CRC-16/XMODEM over packet + CRC must come out 0.
import { Encoder } from 'cbor-x';

export const MAX_LINE = 127;
export const HDR_LEN = 8;

export interface WireHeader {
  ver: number; // raw Ver field: 0 = SMP v1, 1 = SMP v2
  op: number;
  flags: number;
  len: number;
  group: number;
  seq: number;
  id: number;
}

export function readHeader(p: Uint8Array): WireHeader {
  const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
  return { ver: (p[0] >> 3) & 3, op: p[0] & 7, flags: p[1], len: dv.getUint16(2), group: dv.getUint16(4), seq: p[6], id: p[7] };
}

export function writeHeader(h: WireHeader): Uint8Array {
  const out = new Uint8Array(HDR_LEN);
  const dv = new DataView(out.buffer);
  dv.setUint8(0, ((h.ver & 3) << 3) | (h.op & 7));
  dv.setUint8(1, h.flags);
  dv.setUint16(2, h.len);
  dv.setUint16(4, h.group);
  dv.setUint8(6, h.seq);
  dv.setUint8(7, h.id);
  return out;
}

/** CRC-16/XMODEM, bit by bit (the client uses a table; two ways to the same number). */
export function crc16(data: Uint8Array, crc = 0): number {
  for (const byte of data) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** Packet → serial lines, the way Zephyr's mcumgr_serial_tx_pkt lays them out. */
export function frameLines(packet: Uint8Array, maxLine = MAX_LINE): Buffer {
  const crc = crc16(packet);
  const raw = Buffer.concat([Buffer.from([(packet.length + 2) >> 8, (packet.length + 2) & 0xff]), Buffer.from(packet), Buffer.from([crc >> 8, crc & 0xff])]);
  const b64 = raw.toString('base64');
  const perLine = Math.floor((maxLine - 3) / 4) * 4;
  const parts: Buffer[] = [];
  for (let i = 0; i < b64.length; i += perLine) {
    parts.push(Buffer.from(i === 0 ? [0x06, 0x09] : [0x04, 0x14]), Buffer.from(b64.slice(i, i + perLine), 'latin1'), Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

/** Reassembles packets from SMP lines (marker included, newline stripped). */
export class LineAssembler {
  private buf: Buffer | null = null;
  private want = 0;

  constructor(
    private readonly bufSize: number,
    private readonly onPacket: (p: Uint8Array) => void,
    private readonly onDrop: (why: string, partial?: Uint8Array) => void,
  ) {}

  line(line: Uint8Array): void {
    if (line.length + 1 > MAX_LINE) return this.drop(`line of ${line.length + 1} bytes exceeds ${MAX_LINE}`);
    const start = line[0] === 0x06 && line[1] === 0x09;
    const cont = line[0] === 0x04 && line[1] === 0x14;
    const text = Buffer.from(line.subarray(2)).toString('latin1');
    if (!start && !cont) return this.drop('not an SMP line');
    if (cont && !this.buf) return this.drop('continuation without start');
    if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return this.drop(`line is not self-contained base64 (${text.length} chars)`);
    const bytes = Buffer.from(text, 'base64');
    if (start) {
      if (bytes.length < 2) return this.drop('start line without length');
      this.want = bytes.readUInt16BE(0);
      this.buf = bytes.subarray(2);
    } else this.buf = Buffer.concat([this.buf!, bytes]);
    // Zephyr keeps length + packet + CRC in one buf_size net_buf while decoding.
    if (this.buf.length + 2 > this.bufSize) return this.drop(`packet exceeds the ${this.bufSize}-byte SMP buffer`, this.buf);
    if (this.buf.length < this.want) return;
    const whole = this.buf;
    this.buf = null;
    if (whole.length !== this.want) return this.drop(`length field ${this.want} but ${whole.length} bytes`);
    if (crc16(whole) !== 0) return this.drop('bad CRC');
    this.onPacket(new Uint8Array(whole.subarray(0, whole.length - 2)));
  }

  /** Forgets a half-received packet (its next frame was lost). */
  abandon(): void {
    this.buf = null;
  }

  private drop(why: string, partial?: Uint8Array): void {
    this.buf = null;
    this.onDrop(why, partial);
  }
}

const cbor = new Encoder({ useRecords: false, mapsAsObjects: true, variableMapSize: true, tagUint8Array: false, useTag259ForMaps: false, int64AsNumber: true } as ConstructorParameters<typeof Encoder>[0]);

export function encodeBody(body: Record<string, unknown>): Uint8Array {
  return cbor.encode(toMap(body));
}

export function decodeBody(bytes: Uint8Array): Record<string, unknown> {
  if (bytes.length === 0) return {};
  const v = cbor.decode(bytes);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('body is not a map');
  return unbuffer(v) as Record<string, unknown>;
}

// Definite-length maps with length-first key order, like the client sends.
function toMap(v: unknown): unknown {
  if (v instanceof Uint8Array || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(toMap);
  const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined);
  keys.sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  return new Map(keys.map((k) => [k, toMap((v as Record<string, unknown>)[k])]));
}

function unbuffer(v: unknown): unknown {
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (Array.isArray(v)) return v.map(unbuffer);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), unbuffer(x)]));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unbuffer(x)]));
  return v;
}

/**
 * The same body with every map and array of indefinite length (0xbf … 0xff,
 * 0x9f … 0xff), as zcbor writes lists whose count it does not know up front.
 */
export function encodeBodyIndefinite(body: Record<string, unknown>): Uint8Array {
  const parts: Uint8Array[] = [];
  const put = (v: unknown): void => {
    if (v instanceof Uint8Array || v === null || typeof v !== 'object') {
      parts.push(cbor.encode(v));
    } else if (Array.isArray(v)) {
      parts.push(Uint8Array.of(0x9f));
      v.forEach(put);
      parts.push(Uint8Array.of(0xff));
    } else {
      parts.push(Uint8Array.of(0xbf));
      for (const [k, x] of Object.entries(v)) {
        if (x === undefined) continue;
        parts.push(cbor.encode(k));
        put(x);
      }
      parts.push(Uint8Array.of(0xff));
    }
  };
  put(body);
  return Uint8Array.from(Buffer.concat(parts));
}

/**
 * A key no client knows in every nested map and in answers of more than one
 * field, as newer firmware adds them (single-field answers such as echo stay
 * as they are: their size is what the client budgets for).
 */
export function withUnknownKeys(body: Record<string, unknown>): Record<string, unknown> {
  const add = (v: unknown, top: boolean): unknown => {
    if (v instanceof Uint8Array || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => add(x, false));
    const entries = Object.entries(v).map(([k, x]) => [k, add(x, false)]);
    return top && entries.length < 2 ? Object.fromEntries(entries) : { ...Object.fromEntries(entries), 'x-vendor': 1 };
  };
  return add(body, true) as Record<string, unknown>;
}
