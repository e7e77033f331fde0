/**
 * USB DFU 1.1 (USB-IF "Device Firmware Upgrade" 1.1) and ST DfuSe (AN3156) — the wire protocol.
 * Image files (DFU suffix, DfuSe container) live in firmware/formats; this folder only talks.
 *
 * Transport — `DfuControl` { controlIn(req, timeoutMs), controlOut(req, data, timeoutMs), reset?() };
 *   failures reject with `UsbTransferError` (failure 'stall' | 'timeout' | 'gone' | 'io').
 *   Real USB: `findDfuInterfaces()` → { available: false, reason } | { available: true, interfaces };
 *   `NodeUsbDfuControl.open(info)` (guarded, lazy `usb` load; never throws on a machine without USB).
 *
 * Client — `new DfuClient(control, { interfaceNumber, functional, timeoutMs?, sleep?, maxBusyMs? })`
 *   getStatus() → DfuStatusReport (status/state numbers *and* names); getState(); clearStatus(); abort();
 *   ensureIdle(); detach() → { reenumerates, resetIssued };
 *   download(data, { transferSize?, onProgress?(bytes, total), signal? }) → { bytes, blocks, manifestation: 'idle'|'reset'|'wait-reset', resetIssued };
 *   upload(maxLength, opts) → Uint8Array (read-back).
 * DfuSe — `new DfuSeClient(control, { ...same, layout? })` (`.dfu` is the DfuClient underneath)
 *   setAddress(a); erasePage(a); massErase(); readUnprotect({ confirm: true }) (refused otherwise);
 *   getCommands(); downloadElements([{ address, data }], { erase: 'pages'|'mass'|'none', onProgress?, onErase?, signal? });
 *   readMemory(address, length, opts); leave(address?).
 * Errors are HostError: DfuStatusError (device in dfuERROR; `.report.statusName` e.g. errWRITE), DfuRequestError
 * (stall → 'protocol-error', 'timeout', 'device-gone', 'io-error'), 'protocol-error' for a wrong state,
 * 'cancelled' after DFU_ABORT, 'confirmation-required' for READ_UNPROTECT.
 *
 * Codecs (pure) — parseDfuFunctionalDescriptor / findDfuFunctionalDescriptor, parseDfuSeMemoryLayout,
 * request builders, decodeStatus/encodeStatus, DfuSe command encoders, status/state name tables.
 */
export type { ControlRequest, DfuControl, UsbTransferFailure } from './usb-control';
export { DFU_REQUEST_IN, DFU_REQUEST_OUT, UsbTransferError } from './usb-control';
export {
  DFU_FUNCTIONAL_DESCRIPTOR_TYPE,
  encodeDfuFunctionalDescriptor,
  findDfuFunctionalDescriptor,
  parseDfuFunctionalDescriptor,
} from './functional-descriptor';
export type { DfuFunctionalDescriptor } from './functional-descriptor';
export { findSegment, pageStart, parseDfuSeMemoryLayout } from './dfuse-memory-layout';
export type { DfuSeMemoryLayout, DfuSeSegment } from './dfuse-memory-layout';
export {
  DFU_STATES,
  DFU_STATUSES,
  DfuState,
  DfuStatusCode,
  describeDfuState,
  describeDfuStatus,
  dfuStateMeaning,
  dfuStateName,
  dfuStatusMeaning,
  dfuStatusName,
} from './states';
export type { DfuStateName, DfuStatusName } from './states';
export {
  DfuRequest,
  DfuSeCommand,
  abortRequest,
  clrStatusRequest,
  decodeDfuSeCommand,
  decodeState,
  decodeStatus,
  detachRequest,
  dfuRequestName,
  dnloadRequest,
  encodeErasePage,
  encodeMassErase,
  encodeReadUnprotect,
  encodeSetAddress,
  encodeStatus,
  getStateRequest,
  getStatusRequest,
  uploadRequest,
} from './requests';
export type { DfuRequestName, DfuSeCommandDecoded, DfuStatusReport } from './requests';
export { DfuRequestError, DfuStatusError } from './dfu-errors';
export { DfuClient } from './client';
export type { DetachResult, DfuClientOptions, DownloadResult, ManifestationOutcome, TransferOptions } from './client';
export { DfuSeClient } from './dfuse-client';
export type { DfuSeClientOptions, DfuSeDownloadOptions, DfuSeElement } from './dfuse-client';
export { DFU_INTERFACE_CLASS, DFU_INTERFACE_SUBCLASS, DFU_PROTOCOL_DFU_MODE, DFU_PROTOCOL_RUNTIME, NodeUsbDfuControl, findDfuInterfaces } from './node-usb';
export type { DfuInterfaceInfo, DfuScan, UsbAccessOptions } from './node-usb';
