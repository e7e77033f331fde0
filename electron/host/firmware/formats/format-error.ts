// One way to reject a malformed image: plain words for the operator, and a detail
// that names the place (line or byte offset) and what was expected there.
import { HostError } from '../../errors/host-error';
import type { ErrorCode } from '../../../contract/errors';

export type ImageFormat = 'raw' | 'ihex' | 'srec' | 'elf' | 'mcuboot' | 'dfu' | 'dfuse';

export const FORMAT_NAMES: Record<ImageFormat, string> = {
  raw: 'raw binary',
  ihex: 'Intel HEX',
  srec: 'Motorola S-record',
  elf: 'ELF',
  mcuboot: 'MCUboot',
  dfu: 'DFU',
  dfuse: 'DfuSe',
};

/** `where` is e.g. "line 12" or "byte offset 0x40"; it starts the detail so tools can grep it. */
export function malformed(format: ImageFormat, where: string, problem: string, code: ErrorCode = 'invalid-params'): HostError {
  return new HostError(code, `The ${FORMAT_NAMES[format]} file is malformed: ${problem}.`, `${where}: ${problem}`);
}

export function hex(n: number, width = 0): string {
  return '0x' + n.toString(16).padStart(width, '0');
}

export function atOffset(offset: number): string {
  return `byte offset ${offset} (${hex(offset)})`;
}
