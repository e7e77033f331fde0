// The only thing the DFU protocol needs from USB: class requests on the
// default control pipe, addressed to one interface. Real devices go through
// node-usb (node-usb.ts); tests and the demo use the in-process model.
import { HostError } from '../../errors/host-error';

/** bmRequestType for DFU class requests: class, recipient interface, host→device / device→host. */
export const DFU_REQUEST_OUT = 0x21;
export const DFU_REQUEST_IN = 0xa1;

export interface ControlRequest {
  requestType: number;
  request: number;
  value: number;
  index: number;
  length: number;
}

export interface DfuControl {
  /** Resolves with the data stage (may be shorter than `length`: a short frame). */
  controlIn(req: ControlRequest, timeoutMs: number): Promise<Uint8Array>;
  controlOut(req: ControlRequest, data: Uint8Array, timeoutMs: number): Promise<void>;
  /** USB bus reset, where the transport can issue one (needed by devices without bitWillDetach). */
  reset?(): Promise<void>;
}

/** How a control transfer failed, as libusb tells it (PIPE, TIMEOUT, NO_DEVICE, anything else). */
export type UsbTransferFailure = 'stall' | 'timeout' | 'gone' | 'io';

const FAILURE_CODES = { stall: 'protocol-error', timeout: 'timeout', gone: 'device-gone', io: 'io-error' } as const;

/**
 * A control transfer that did not complete. DfuControl implementations reject with this
 * so the client can tell a STALL (the device refused) from a vanished device.
 */
export class UsbTransferError extends HostError {
  constructor(
    readonly failure: UsbTransferFailure,
    message: string,
    detail?: string,
  ) {
    super(FAILURE_CODES[failure], message, detail);
    this.name = 'UsbTransferError';
  }
}

export function transferFailureOf(err: unknown): UsbTransferFailure | undefined {
  return err instanceof UsbTransferError ? err.failure : undefined;
}
