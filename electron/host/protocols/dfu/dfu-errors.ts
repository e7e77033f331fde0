// Errors the DFU client raises, in plain words, always naming the request and
// the device's status/state by name.
import { HostError } from '../../errors/host-error';
import type { ErrorCode } from '../../../contract/errors';
import { transferFailureOf, type UsbTransferFailure } from './usb-control';
import { describeDfuState, dfuStatusMeaning, type DfuStatusName } from './states';
import type { DfuRequestName, DfuStatusReport } from './requests';

/** The device reported an error status (it is in dfuERROR). */
export class DfuStatusError extends HostError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly report: DfuStatusReport,
    readonly request: string,
    detail?: string,
  ) {
    super(code, message, detail);
    this.name = 'DfuStatusError';
  }
}

/** A control transfer of one DFU request failed (stall, timeout, device gone, I/O). */
export class DfuRequestError extends HostError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly request: string,
    readonly failure: UsbTransferFailure,
    detail?: string,
  ) {
    super(code, message, detail);
    this.name = 'DfuRequestError';
  }
}

export function requestLabel(request: DfuRequestName, context?: string): string {
  return context ? `DFU_${request} ${context}` : `DFU_${request}`;
}

export function codeForStatus(statusName: string): ErrorCode {
  if (statusName === 'errVERIFY' || statusName === 'errCHECK_ERASED') return 'verification-failed';
  if (statusName === 'errSTALLEDPKT') return 'protocol-error';
  return 'device-error';
}

export function statusError(report: DfuStatusReport, label: string, recovered: boolean): DfuStatusError {
  const recovery = recovered ? ' The error was cleared (DFU_CLRSTATUS); the device is back in dfuIDLE.' : '';
  return new DfuStatusError(
    codeForStatus(report.statusName),
    `The device reported ${report.statusName} after ${label}: ${dfuStatusMeaning(report.status)}${recovery}`,
    report,
    label,
    `bStatus=${report.status} bState=${report.state} (${report.stateName}) iString=${report.iString}`,
  );
}

export function wrongStateError(report: DfuStatusReport, label: string, expected: readonly string[]): HostError {
  return new HostError(
    'protocol-error',
    `The device reported state ${describeDfuState(report.state)} after ${label}; expected ${expected.join(' or ')}.`,
    `bStatus=${report.status} (${report.statusName}) bState=${report.state}`,
  );
}

/** Wrap a failed control transfer so the message names the request. */
export function requestFailure(err: unknown, label: string, timeoutMs: number): HostError {
  const failure = transferFailureOf(err);
  const detail = err instanceof HostError ? (err.detail ?? err.message) : err instanceof Error ? err.message : String(err);
  switch (failure) {
    case 'stall':
      return new DfuRequestError('protocol-error', `The device refused ${label} (USB stall).`, label, 'stall', detail);
    case 'timeout':
      return new DfuRequestError('timeout', `The device did not answer ${label} within ${timeoutMs} ms.`, label, 'timeout', detail);
    case 'gone':
      return new DfuRequestError('device-gone', `The device disappeared during ${label}.`, label, 'gone', detail);
    case 'io':
      return new DfuRequestError('io-error', `USB transfer of ${label} failed.`, label, 'io', detail);
    default:
      if (err instanceof HostError) return err;
      return new DfuRequestError('io-error', `USB transfer of ${label} failed.`, label, 'io', detail);
  }
}

export function failureOf(err: unknown): UsbTransferFailure | undefined {
  return err instanceof DfuRequestError ? err.failure : undefined;
}

export type { DfuStatusName };
