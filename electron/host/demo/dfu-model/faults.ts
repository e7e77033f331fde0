// Faults the DFU model can inject. Request-triggered faults fire once, on the
// `occurrence`-th matching request counted from when they were injected.
import type { DfuRequestName } from '../../protocols/dfu/requests';
import type { DfuStateName, DfuStatusName } from '../../protocols/dfu/states';

export interface FaultTrigger {
  request: DfuRequestName;
  /** 1 = the next such request (default). */
  occurrence?: number;
}

export type DfuFault =
  /** Reject the request like a STALL; the device enters dfuERROR / errSTALLEDPKT. */
  | ({ kind: 'stall' } & FaultTrigger)
  /** After the request the device is in dfuERROR with this status (a GETSTATUS trigger reports it at once). */
  | ({ kind: 'error'; status: DfuStatusName } & FaultTrigger)
  /** GETSTATUS / GETSTATE answer with this state; the real state is unchanged. */
  | ({ kind: 'wrong-state'; state: DfuStateName } & FaultTrigger)
  /** The device never answers the request: the transfer fails when the host's timeout runs out. */
  | ({ kind: 'timeout' } & FaultTrigger)
  /** The link is cut at this request: it and every later call fail with 'device-gone'. */
  | ({ kind: 'cut' } & FaultTrigger)
  /** The link is cut when the downloaded data reaches this many bytes (counted over the whole session). */
  | { kind: 'cut-at-byte'; atByte: number };

export interface ArmedFault {
  fault: DfuFault;
  seen: number;
}

/** Find and consume the fault that fires on this request, if any. */
export function takeFault(armed: ArmedFault[], request: DfuRequestName): DfuFault | undefined {
  for (let i = 0; i < armed.length; i++) {
    const a = armed[i];
    if (a.fault.kind === 'cut-at-byte' || a.fault.request !== request) continue;
    a.seen++;
    if (a.seen >= (a.fault.occurrence ?? 1)) {
      armed.splice(i, 1);
      return a.fault;
    }
  }
  return undefined;
}

/** Byte position where an armed 'cut-at-byte' fault fires, if any. */
export function cutAtByte(armed: ArmedFault[]): number | undefined {
  const a = armed.find((f) => f.fault.kind === 'cut-at-byte');
  return a && a.fault.kind === 'cut-at-byte' ? a.fault.atByte : undefined;
}
