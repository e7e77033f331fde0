// The envelope every transport carries (Electron IPC, WebSocket, in-process).
// JSON transports need typed arrays tagged; Electron's structured clone does not.
import { z } from 'zod';
import type { WireError } from './errors';
import type { HostEvent } from './events';

export const RequestEnvelope = z
  .object({
    id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    channel: z.string().min(1).max(64),
    params: z.unknown(),
  })
  .strict();
export type RequestEnvelope = z.infer<typeof RequestEnvelope>;

export type ResponseEnvelope = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: WireError };
export type EventEnvelope = { event: HostEvent };
export type ServerMessage = ResponseEnvelope | EventEnvelope;

const TYPED = {
  u8: Uint8Array,
  f32: Float32Array,
  f64: Float64Array,
} as const;
type TypedTag = keyof typeof TYPED;

function tagOf(v: unknown): TypedTag | null {
  if (v instanceof Uint8Array) return 'u8';
  if (v instanceof Float32Array) return 'f32';
  if (v instanceof Float64Array) return 'f64';
  return null;
}

/** JSON with Uint8Array/Float32Array/Float64Array kept as {"$ta": tag, "b64": ...}. */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    // JSON.stringify hands typed arrays to the replacer before toJSON flattening.
    const raw = (this as Record<string, unknown>)[key];
    const tag = tagOf(raw);
    if (tag) {
      const ta = raw as Uint8Array | Float32Array | Float64Array;
      return { $ta: tag, b64: toBase64(new Uint8Array(ta.buffer, ta.byteOffset, ta.byteLength)) };
    }
    return v;
  });
}

export function decodeJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (typeof o.$ta === 'string' && typeof o.b64 === 'string' && Object.keys(o).length === 2 && o.$ta in TYPED) {
        const bytes = fromBase64(o.b64);
        const Ctor = TYPED[o.$ta as TypedTag];
        if (bytes.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) throw new Error(`typed array of ${o.$ta} has a length that is not a multiple of its element size`);
        const aligned = new Uint8Array(bytes.byteLength);
        aligned.set(bytes);
        return new Ctor(aligned.buffer, 0, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
      }
    }
    return v;
  });
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = (() => {
  const t = new Int16Array(256).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) t[ALPHABET.charCodeAt(i)] = i;
  return t;
})();

export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    chunk +=
      ALPHABET[(n >> 18) & 63] +
      ALPHABET[(n >> 12) & 63] +
      (i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : '=') +
      (i + 2 < bytes.length ? ALPHABET[n & 63] : '=');
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

export function fromBase64(text: string): Uint8Array {
  const s = text.replace(/=+$/, '');
  if (s.length % 4 === 1) throw new Error('base64 text has an impossible length');
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let n = 0;
    const len = Math.min(4, s.length - i);
    for (let j = 0; j < 4; j++) {
      const c = j < len ? LOOKUP[s.charCodeAt(i + j)] : 0;
      if (c < 0) throw new Error(`base64 text has a bad character at ${i + j}`);
      n = (n << 6) | c;
    }
    out[o++] = (n >> 16) & 255;
    if (len > 2) out[o++] = (n >> 8) & 255;
    if (len > 3) out[o++] = n & 255;
  }
  return out;
}
