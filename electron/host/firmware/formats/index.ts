/**
 * Firmware image formats: pure parsers (no I/O) from file bytes to one memory-image model.
 *
 *   parseImage(bytes, { fileName?, format?, baseAddress?, slotSize?, zeroFill? }): ImageMetadata
 *   detectFormat(bytes, fileName?): 'raw' | 'ihex' | 'srec' | 'elf' | 'mcuboot' | 'dfu' | 'dfuse'
 *
 * ImageMetadata = { format, segments: {address, data}[] (sorted, disjoint), entry?, size,
 *   sha256 (of the flattened image, gaps 0xff; sha256Of says so), version?, board?, target?, details }.
 *
 * Per format: parseRawBinary, parseIntelHex, parseSRecord, parseElf, parseMcuboot, parseDfuFile,
 * parseDfuSe (+ dfuSeTargets for per-alternate images). Writers: writeIntelHex, addDfuSuffix, writeDfuSe.
 * Model helpers: normalizeSegments (throws on overlap), flatten, totalSize, imageSha256.
 *
 * Errors: HostError 'invalid-params' for malformed input, 'verification-failed' for a checksum/hash/CRC
 * that does not match, 'not-supported' for a known but unsupported variant. The detail starts with
 * "line N" (text formats) or "byte offset N (0x..)" (binary formats) and says what was expected.
 */
export { parseImage, type ParseImageOptions } from './parse-image';
export { detectFormat } from './detect-format';
export { FORMAT_NAMES, type ImageFormat } from './format-error';
export {
  addressSpan, DEFAULT_FILL, describeImage, flatten, imageSha256, normalizeSegments, segmentsSha256, totalSize,
  type FlattenOptions, type ImageMetadata, type Segment,
} from './memory-image';
export { parseRawBinary } from './raw-binary';
export { parseIntelHex, writeIntelHex, type IntelHexWriteOptions } from './intel-hex';
export { parseSRecord } from './srecord';
export { parseElf, type ElfOptions } from './elf';
export { parseMcuboot, MCUBOOT_MAGIC, TLV_NAMES, type McubootOptions, type McubootTlv } from './mcuboot';
export {
  addDfuSuffix, BCD_DFU_1_0, BCD_DFU_1_1, BCD_DFUSE, dfuCrc, DFU_WILDCARD, hasDfuSuffix, parseDfuSuffix,
  type DfuSuffix, type DfuSuffixFields,
} from './dfu-suffix';
export { detectDfuPrefix, parseDfuFile, type DfuOptions, type DfuPrefix } from './dfu-file';
export { dfuSeTargets, parseDfuSe, writeDfuSe, type DfuSeTarget } from './dfuse';
