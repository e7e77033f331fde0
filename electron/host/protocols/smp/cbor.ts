// CBOR bodies for SMP. Encoding is canonical (RFC 7049 §3.9 / RFC 8949
// §4.2.3 "length-first" key order, definite lengths, shortest integers), which
// is what the reference encoders produce and what makes frames byte-exact and
// testable. Decoding accepts any well-formed CBOR a device may send, including
// the indefinite-length maps that tinycbor-based (mynewt) servers emit, and
// returns byte strings as plain Uint8Array.
import { Encoder } from 'cbor-x';
import { HostError } from '../../errors/host-error';

export type CborMap = Record<string, unknown>;

const codec = new Encoder({
  useRecords: false,
  mapsAsObjects: true,
  variableMapSize: true,
  tagUint8Array: false,
  useTag259ForMaps: false,
  int64AsNumber: true,
  // cbor-x's own key cache/bundling must stay off for interoperable output.
  bundleStrings: false,
  pack: false,
} as ConstructorParameters<typeof Encoder>[0]);

const utf8 = new TextEncoder();

/** Encodes a map canonically; keys whose value is undefined are left out. */
export function encodeCbor(value: CborMap): Uint8Array {
  const encoded = codec.encode(canonical(value));
  return new Uint8Array(encoded.buffer, encoded.byteOffset, encoded.byteLength).slice();
}

/** Decodes exactly one CBOR item that must be a map. */
export function decodeCborMap(bytes: Uint8Array): CborMap {
  if (bytes.length === 0) return {};
  let value: unknown;
  try {
    value = codec.decode(bytes);
  } catch (err) {
    throw new HostError('protocol-error', 'The device sent a CBOR body that could not be decoded.', (err as Error).message);
  }
  const plain = plainify(value);
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain) || plain instanceof Uint8Array)
    throw new HostError('protocol-error', 'The device sent an SMP body that is not a CBOR map.', `got ${describe(plain)}`);
  return plain as CborMap;
}

/** Canonical key order: shorter encoded key first, then bytewise. */
export function compareCanonicalKeys(a: string, b: string): number {
  const ea = utf8.encode(a);
  const eb = utf8.encode(b);
  if (ea.length !== eb.length) return ea.length - eb.length;
  for (let i = 0; i < ea.length; i++) if (ea[i] !== eb[i]) return ea[i] - eb[i];
  return 0;
}

function canonical(v: unknown): unknown {
  if (v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return v.map(canonical);
  if (typeof v === 'number' && Number.isInteger(v) && (v > 0xffffffff || v < -0x100000000)) return BigInt(v);
  if (v !== null && typeof v === 'object') {
    const entries = (v instanceof Map ? [...v.entries()] : Object.entries(v)).filter(([, x]) => x !== undefined);
    entries.sort(([a], [b]) => compareCanonicalKeys(String(a), String(b)));
    return new Map(entries.map(([k, x]) => [k, canonical(x)]));
  }
  return v;
}

function plainify(v: unknown): unknown {
  if (v instanceof Uint8Array) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();
  if (Array.isArray(v)) return v.map(plainify);
  if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, x]) => [String(k), plainify(x)]));
  if (typeof v === 'bigint') return Number(v);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainify(x)]));
  return v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Uint8Array) return 'a byte string';
  return `a ${typeof v}`;
}
