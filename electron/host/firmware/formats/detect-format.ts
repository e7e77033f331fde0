// Picks the parser from the content first (magic numbers, record syntax), then the
// file name; a file that matches nothing is a raw binary.
import { isDfuSe } from './dfuse';
import { hasDfuSuffix } from './dfu-suffix';
import { isElf } from './elf';
import type { ImageFormat } from './format-error';
import { isMcuboot } from './mcuboot';
import { isPrintableText } from './text-lines';

const EXTENSIONS: Record<string, ImageFormat> = {
  hex: 'ihex', ihex: 'ihex', ihx: 'ihex',
  srec: 'srec', s19: 'srec', s28: 'srec', s37: 'srec', mot: 'srec', s: 'srec',
  elf: 'elf', axf: 'elf', out: 'elf',
  dfu: 'dfu',
  bin: 'raw',
};

export function detectFormat(bytes: Uint8Array, fileName?: string): ImageFormat {
  if (isElf(bytes)) return 'elf';
  // The DFU suffix wraps any payload (an MCUboot image included), so it wins over MCUboot.
  if (isDfuSe(bytes)) return 'dfuse';
  if (hasDfuSuffix(bytes)) return 'dfu';
  if (isMcuboot(bytes)) return 'mcuboot';
  if (isPrintableText(bytes)) {
    const first = new TextDecoder('latin1').decode(bytes.subarray(0, 256)).trimStart();
    if (/^:[0-9A-Fa-f]{2}/.test(first)) return 'ihex';
    if (/^[Ss][0-9][0-9A-Fa-f]{2}/.test(first)) return 'srec';
  }
  const ext = fileName?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  if (ext && EXTENSIONS[ext] && EXTENSIONS[ext] !== 'dfu') return EXTENSIONS[ext];
  return 'raw';
}
