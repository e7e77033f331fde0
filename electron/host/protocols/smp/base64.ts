// Strict base64 (RFC 4648, standard alphabet, padded) for the serial framing.
// Node's Buffer decoder silently skips bad characters; a frame decoder must not.
import { HostError } from '../../errors/host-error';

const VALID = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Decodes text whose length is a multiple of 4; throws with the first offending column. */
export function decodeBase64Strict(text: string): Uint8Array {
  if (!VALID.test(text)) {
    const bad = text.search(/[^A-Za-z0-9+/=]/);
    const why =
      bad >= 0
        ? `character 0x${text.charCodeAt(bad).toString(16).padStart(2, '0')} at column ${bad} is not base64`
        : text.length % 4 !== 0
          ? `length ${text.length} is not a multiple of 4`
          : 'padding "=" appears before the end';
    throw new HostError('protocol-error', 'An SMP serial frame is not valid base64.', why);
  }
  const b = Buffer.from(text, 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice();
}
