/**
 * MCUmgr SMP (Simple Management Protocol) over a serial/console link.
 *
 * Client — `new SmpClient(stream: ByteStream, { timeoutMs?, maxInFlight?, version?, onConsole?, onDiagnostic? })`
 *   OS:       echo(text) → string; reset({ force?, bootMode? }); mcumgrParams() → { bufSize, bufCount, reported };
 *             osInfo(format?) → string; bootloaderInfo(query?) → map
 *   Image:    imageList() → ImageSlotState[]; imageUpload(data, { onProgress?, signal?, resumeFrom?, window?, image?, upgrade? })
 *             → ImageUploadResult; imageTest(hashHex|bytes); imageConfirm(hash?); imageErase(slot?); slotInfo()
 *   Stats:    statsList() → string[]; statsRead(group) → Record<string, number>
 *   Settings: settingsRead(name, maxSize?) → Uint8Array; settingsWrite(name, value); settingsDelete(name);
 *             settingsCommit(); settingsLoad(); settingsSave()
 *   Shell:    shellExec(argv | "cmd line") → { output, ret }
 *   FS:       fsUpload(name, data, opts?); fsDownload(name, opts?) → Uint8Array; fsStatus(name) → size;
 *             fsHash(name, 'sha256'|'crc32', { off?, len? }) → FsHashResult
 *   request(op, group, id, body) for anything else; close() detaches (the caller closes the stream).
 * Errors are HostError: device answers become SmpDeviceError (code 'device-error' / 'not-supported' /
 * 'device-busy' / 'permission-denied', `.smp.name` like IMG_MGMT_ERR_NO_FREE_SLOT); a transfer cut
 * short becomes SmpTransferInterrupted with `.confirmed` (pass it as resumeFrom to continue).
 *
 * Codec (pure): encodeHeader/decodeHeader, encodeMessage/decodeMessage, encodeCbor/decodeCborMap,
 * encodeSerialLines/encodeSerialPacket, SerialFrameDecoder (streaming, console pass-through),
 * crc16Xmodem, extractSmpError/describeMgmtErr/describeGroupErr and the error name tables.
 */
export { SmpClient } from './client';
export type { SmpClientOptions, SmpDiscovery, RequestOptions, McumgrParams, ImageSlotState, SlotInfo, ImageUploadOptions, ImageUploadResult, FsTransferOptions, FsHashResult } from './client';
export { SmpLink } from './smp-link';
export type { SmpLinkOptions, SmpRequestOp } from './smp-link';
export { SmpTransferInterrupted } from './chunked-upload';
export { maxDataThatFits, maxTextThatFits, framesFor, maxPacketForFrames, maxPacketForBuffer, DEFAULT_BUF_SIZE, DEFAULT_BUF_COUNT, SERIAL_BUFFER_OVERHEAD } from './chunk-budget';
export { encodeHeader, decodeHeader, SmpOp, SMP_HEADER_SIZE } from './header';
export type { SmpHeader, SmpOpCode, SmpVersion } from './header';
export { encodeMessage, decodeMessage } from './message';
export type { SmpMessage, SmpMessageFields } from './message';
export { encodeCbor, decodeCborMap, compareCanonicalKeys } from './cbor';
export type { CborMap } from './cbor';
export {
  encodeSerialLines,
  encodeSerialPacket,
  serialEncodedLength,
  rawBytesPerLine,
  SerialFrameDecoder,
  SERIAL_MAX_LINE,
  SERIAL_MAX_PACKET,
  SERIAL_START_MARKER,
  SERIAL_CONTINUATION_MARKER,
} from './serial-framing';
export type { SerialDecoderSink, SerialDecoderOptions } from './serial-framing';
export { crc16Xmodem } from './crc16';
export {
  extractSmpError,
  describeMgmtErr,
  describeGroupErr,
  SmpDeviceError,
  SmpNotOffered,
  isNotSupportedAnswer,
  MgmtErr,
  OsErr,
  ImageErr,
  StatsErr,
  SettingsErr,
  FsErr,
  ShellErr,
  MGMT_ERR,
  MGMT_ERR_EPERUSER,
} from './errors';
export type { SmpErrorInfo } from './errors';
export { SmpCapabilities, GROUP_FEATURES, groupName } from './capabilities';
export type { Presence } from './capabilities';
export { SmpGroup, GROUP_NAMES, EnumCmd, OsCmd, ImageCmd, StatsCmd, SettingsCmd, FsCmd, ShellCmd } from './groups';
