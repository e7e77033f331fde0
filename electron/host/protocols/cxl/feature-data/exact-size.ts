// Feature data blocks have fixed layouts; a reply of any other length means the
// device and fwbench disagree about the feature version, which must be loud.
import { HostError } from '../../../errors/host-error';

export function expectSize(bytes: Uint8Array, size: number, what: string): DataView {
  if (bytes.length < size) throw new HostError('protocol-error', `The ${what} data is truncated.`, `need ${size} bytes, got ${bytes.length}`);
  if (bytes.length > size) throw new HostError('protocol-error', `The ${what} data is longer than its layout.`, `expected ${size} bytes, got ${bytes.length}`);
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function checkField(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new HostError('invalid-params', `The ${name} value is out of range.`, `${name}=${value}, allowed ${min}..${max}`);
}
