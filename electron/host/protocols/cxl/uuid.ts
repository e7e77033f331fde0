// CXL feature UUIDs travel as the kernel's uuid_t: 16 bytes in RFC 4122
// (big-endian) order, so the canonical string is the bytes in order.
import { HostError } from '../../errors/host-error';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function uuidToString(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new HostError('internal', 'A feature UUID must be 16 bytes.', `got ${bytes.length}`);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function uuidToBytes(uuid: string): Uint8Array {
  if (!UUID_RE.test(uuid))
    throw new HostError('invalid-params', 'That is not a feature UUID.', `expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, got "${uuid}"`);
  const hex = uuid.replace(/-/g, '');
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function normalizeUuid(uuid: string): string {
  return uuidToString(uuidToBytes(uuid));
}
