// A raw binary has no addresses of its own: the operator says where it goes.
import { HostError } from '../../errors/host-error';
import { describeImage, normalizeSegments, type ImageMetadata } from './memory-image';

export function parseRawBinary(bytes: Uint8Array, baseAddress = 0): ImageMetadata {
  if (!Number.isSafeInteger(baseAddress) || baseAddress < 0) {
    throw new HostError('invalid-params', 'The base address for a raw binary must be a non-negative integer.', `baseAddress = ${baseAddress}`);
  }
  return describeImage('raw', normalizeSegments([{ address: baseAddress, data: bytes, origin: 'file' }]), { details: { baseAddress } });
}
