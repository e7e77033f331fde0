// One entry point: detect (or take) the format and run its parser.
import { parseDfuFile } from './dfu-file';
import { parseDfuSe } from './dfuse';
import { detectFormat } from './detect-format';
import { parseElf } from './elf';
import type { ImageFormat } from './format-error';
import { parseIntelHex } from './intel-hex';
import type { ImageMetadata } from './memory-image';
import { parseMcuboot } from './mcuboot';
import { parseRawBinary } from './raw-binary';
import { parseSRecord } from './srecord';

export interface ParseImageOptions {
  fileName?: string;
  /** Force a format instead of detecting it. */
  format?: ImageFormat;
  /** Where a raw binary, DFU payload or MCUboot image goes (formats with their own addresses ignore it). */
  baseAddress?: number;
  /** MCUboot: the slot size the image must fit. */
  slotSize?: number;
  /** ELF: include .bss-style zero fill (default true). */
  zeroFill?: boolean;
}

export function parseImage(bytes: Uint8Array, options: ParseImageOptions = {}): ImageMetadata {
  const format = options.format ?? detectFormat(bytes, options.fileName);
  switch (format) {
    case 'raw':
      return parseRawBinary(bytes, options.baseAddress ?? 0);
    case 'ihex':
      return parseIntelHex(bytes);
    case 'srec':
      return parseSRecord(bytes);
    case 'elf':
      return parseElf(bytes, { zeroFill: options.zeroFill });
    case 'mcuboot':
      return parseMcuboot(bytes, { baseAddress: options.baseAddress, slotSize: options.slotSize });
    case 'dfu':
      return parseDfuFile(bytes, { baseAddress: options.baseAddress });
    case 'dfuse':
      return parseDfuSe(bytes);
  }
}
