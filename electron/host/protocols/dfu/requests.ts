// DFU 1.1 class requests (spec §3, table 3.2) and DfuSe commands (ST AN3156 §6),
// as setup packets and payloads. Pure: no I/O.
import { HostError } from '../../errors/host-error';
import { DFU_REQUEST_IN, DFU_REQUEST_OUT, type ControlRequest } from './usb-control';
import { dfuStateName, dfuStatusName } from './states';

export const DfuRequest = {
  DETACH: 0,
  DNLOAD: 1,
  UPLOAD: 2,
  GETSTATUS: 3,
  CLRSTATUS: 4,
  GETSTATE: 5,
  ABORT: 6,
} as const;
export type DfuRequestName = keyof typeof DfuRequest;

const REQUEST_NAMES = Object.keys(DfuRequest) as DfuRequestName[];

export function dfuRequestName(request: number): DfuRequestName | undefined {
  return REQUEST_NAMES[request];
}

/** DfuSe command bytes sent in a DNLOAD with wBlockNum 0. */
export const DfuSeCommand = {
  GET_COMMANDS: 0x00,
  SET_ADDRESS_POINTER: 0x21,
  ERASE: 0x41,
  READ_UNPROTECT: 0x92,
} as const;

export const GETSTATUS_LENGTH = 6;

const MAX_U16 = 0xffff;

function u16(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_U16) {
    throw new HostError('invalid-params', `The DFU ${name} must be a whole number from 0 to 65535.`, `got ${value}`);
  }
  return value;
}

/** wValue = wTimeout in ms the device waits for the USB reset (spec §5.1). */
export function detachRequest(iface: number, timeoutMs: number): ControlRequest {
  return { requestType: DFU_REQUEST_OUT, request: DfuRequest.DETACH, value: u16('detach timeout', timeoutMs), index: u16('interface', iface), length: 0 };
}

export function dnloadRequest(iface: number, blockNum: number, length: number): ControlRequest {
  return { requestType: DFU_REQUEST_OUT, request: DfuRequest.DNLOAD, value: u16('block number', blockNum), index: u16('interface', iface), length: u16('block length', length) };
}

export function uploadRequest(iface: number, blockNum: number, length: number): ControlRequest {
  return { requestType: DFU_REQUEST_IN, request: DfuRequest.UPLOAD, value: u16('block number', blockNum), index: u16('interface', iface), length: u16('block length', length) };
}

export function getStatusRequest(iface: number): ControlRequest {
  return { requestType: DFU_REQUEST_IN, request: DfuRequest.GETSTATUS, value: 0, index: u16('interface', iface), length: GETSTATUS_LENGTH };
}

export function clrStatusRequest(iface: number): ControlRequest {
  return { requestType: DFU_REQUEST_OUT, request: DfuRequest.CLRSTATUS, value: 0, index: u16('interface', iface), length: 0 };
}

export function getStateRequest(iface: number): ControlRequest {
  return { requestType: DFU_REQUEST_IN, request: DfuRequest.GETSTATE, value: 0, index: u16('interface', iface), length: 1 };
}

export function abortRequest(iface: number): ControlRequest {
  return { requestType: DFU_REQUEST_OUT, request: DfuRequest.ABORT, value: 0, index: u16('interface', iface), length: 0 };
}

/** The 6-byte DFU_GETSTATUS answer (spec §6.1.2). */
export interface DfuStatusReport {
  status: number;
  statusName: string;
  /** bwPollTimeout: ms the host must wait before the next DFU_GETSTATUS. */
  pollTimeoutMs: number;
  state: number;
  stateName: string;
  /** Index of a status description string (0 = none). */
  iString: number;
}

export function decodeStatus(bytes: Uint8Array): DfuStatusReport {
  if (bytes.length !== GETSTATUS_LENGTH) {
    throw new HostError(
      'protocol-error',
      `The device answered DFU_GETSTATUS with ${bytes.length} bytes; DFU requires exactly 6.`,
      hexBytes(bytes),
    );
  }
  const status = bytes[0];
  const state = bytes[4];
  return {
    status,
    statusName: dfuStatusName(status),
    pollTimeoutMs: bytes[1] | (bytes[2] << 8) | (bytes[3] << 16),
    state,
    stateName: dfuStateName(state),
    iString: bytes[5],
  };
}

export function encodeStatus(report: { status: number; pollTimeoutMs: number; state: number; iString?: number }): Uint8Array {
  const t = report.pollTimeoutMs;
  if (!Number.isInteger(t) || t < 0 || t > 0xffffff) {
    throw new HostError('invalid-params', 'bwPollTimeout must fit in 3 bytes (0 to 16777215 ms).', `got ${t}`);
  }
  return Uint8Array.of(report.status, t & 0xff, (t >> 8) & 0xff, (t >> 16) & 0xff, report.state, report.iString ?? 0);
}

export function decodeState(bytes: Uint8Array): number {
  if (bytes.length !== 1) {
    throw new HostError('protocol-error', `The device answered DFU_GETSTATE with ${bytes.length} bytes; DFU requires exactly 1.`, hexBytes(bytes));
  }
  return bytes[0];
}

function u32le(address: number): number[] {
  if (!Number.isInteger(address) || address < 0 || address > 0xffffffff) {
    throw new HostError('invalid-params', 'A DfuSe address must be a 32-bit unsigned number.', `got ${address}`);
  }
  return [address & 0xff, (address >>> 8) & 0xff, (address >>> 16) & 0xff, (address >>> 24) & 0xff];
}

export function encodeSetAddress(address: number): Uint8Array {
  return Uint8Array.from([DfuSeCommand.SET_ADDRESS_POINTER, ...u32le(address)]);
}

export function encodeErasePage(address: number): Uint8Array {
  return Uint8Array.from([DfuSeCommand.ERASE, ...u32le(address)]);
}

/** Erase with no address: the whole flash (AN3156 §6.3). */
export function encodeMassErase(): Uint8Array {
  return Uint8Array.of(DfuSeCommand.ERASE);
}

export function encodeReadUnprotect(): Uint8Array {
  return Uint8Array.of(DfuSeCommand.READ_UNPROTECT);
}

export type DfuSeCommandDecoded =
  | { command: 'set-address'; address: number }
  | { command: 'erase-page'; address: number }
  | { command: 'mass-erase' }
  | { command: 'read-unprotect' }
  | { command: 'get-commands' };

/** Decode a DfuSe command block (used by the device model; strict on lengths). */
export function decodeDfuSeCommand(data: Uint8Array): DfuSeCommandDecoded {
  const op = data[0];
  const addr = () => (data[1] | (data[2] << 8) | (data[3] << 16) | (data[4] << 24)) >>> 0;
  if (op === DfuSeCommand.SET_ADDRESS_POINTER && data.length === 5) return { command: 'set-address', address: addr() };
  if (op === DfuSeCommand.ERASE && data.length === 5) return { command: 'erase-page', address: addr() };
  if (op === DfuSeCommand.ERASE && data.length === 1) return { command: 'mass-erase' };
  if (op === DfuSeCommand.READ_UNPROTECT && data.length === 1) return { command: 'read-unprotect' };
  if (op === DfuSeCommand.GET_COMMANDS && data.length === 1) return { command: 'get-commands' };
  throw new HostError('protocol-error', 'Unknown or malformed DfuSe command block.', hexBytes(data));
}

export function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
