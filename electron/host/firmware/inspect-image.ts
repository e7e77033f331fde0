// What every update job does first: parse the image, check its own hashes, and
// describe it to the operator before a byte is sent.
import { createHash } from 'node:crypto';
import { HostError } from '../errors/host-error';
import { isMcuboot, parseMcuboot } from './formats/mcuboot';
import type { ImageMetadata } from './formats/memory-image';

export interface InspectedImage {
  format: string;
  version?: string;
  /** SHA-256 of the file as given. */
  sha256: string;
  /** The hash the image carries for itself (MCUboot's hash TLV), checked against its content. */
  embeddedHash?: string;
  meta: ImageMetadata | null;
}

export function inspectImage(data: Uint8Array, fileName: string): InspectedImage {
  const sha256 = createHash('sha256').update(data).digest('hex');
  if (isMcuboot(data)) {
    const meta = parseMcuboot(data);
    const hash = meta.details.hash as { stored?: string; checked?: boolean } | undefined;
    if (!hash?.checked) throw new HostError('verification-failed', `${fileName}: the image's hash could not be checked.`, JSON.stringify(hash));
    return { format: 'mcuboot', version: meta.version, sha256, embeddedHash: hash.stored, meta };
  }
  return { format: 'raw', sha256, meta: null };
}
