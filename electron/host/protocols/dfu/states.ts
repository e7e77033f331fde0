// DFU 1.1 bStatus and bState values (spec §6.1.2), with the spec's own meaning
// for each, so the operator never sees a bare number.

export const DFU_STATUSES = [
  ['OK', 'No error condition is present.'],
  ['errTARGET', 'The file is not targeted for use by this device.'],
  ['errFILE', 'The file is for this device but fails some vendor-specific verification test.'],
  ['errWRITE', 'The device is unable to write memory.'],
  ['errERASE', 'The memory erase function failed.'],
  ['errCHECK_ERASED', 'The memory erase check failed.'],
  ['errPROG', 'The program memory function failed.'],
  ['errVERIFY', 'The programmed memory failed verification.'],
  ['errADDRESS', 'Cannot program memory due to a received address that is out of range.'],
  ['errNOTDONE', 'Received a zero-length download, but the device does not think it has all of the data yet.'],
  ['errFIRMWARE', "The device's firmware is corrupt. It cannot return to run-time (non-DFU) operations."],
  ['errVENDOR', 'The device reported a vendor-specific error (see its status string).'],
  ['errUSBR', 'The device detected an unexpected USB reset signal.'],
  ['errPOR', 'The device detected an unexpected power-on reset.'],
  ['errUNKNOWN', 'Something went wrong, but the device does not know what it was.'],
  ['errSTALLEDPKT', 'The device stalled an unexpected request.'],
] as const;

export type DfuStatusName = (typeof DFU_STATUSES)[number][0];

export const DFU_STATES = [
  ['appIDLE', 'The device is running its normal application.'],
  ['appDETACH', 'The device is running its normal application, has received DFU_DETACH and waits for a USB reset.'],
  ['dfuIDLE', 'The device is in DFU mode and waiting for requests.'],
  ['dfuDNLOAD-SYNC', 'The device has received a block and waits for the host to ask for its status.'],
  ['dfuDNBUSY', 'The device is programming a control-write block into its memory.'],
  ['dfuDNLOAD-IDLE', 'The device is in the middle of a download and waits for the next block.'],
  ['dfuMANIFEST-SYNC', 'The device has received the final block and waits for the host to ask for its status.'],
  ['dfuMANIFEST', 'The device is in the manifestation phase (installing the new firmware).'],
  ['dfuMANIFEST-WAIT-RESET', 'The device has programmed its memories and waits for a USB reset or power-on reset.'],
  ['dfuUPLOAD-IDLE', 'The device is processing an upload.'],
  ['dfuERROR', 'An error has occurred; the device waits for DFU_CLRSTATUS.'],
] as const;

export type DfuStateName = (typeof DFU_STATES)[number][0];

/** bState numbers by name, for code that must compare states. */
export const DfuState = Object.fromEntries(DFU_STATES.map(([name], i) => [name, i])) as Record<DfuStateName, number>;
/** bStatus numbers by name. */
export const DfuStatusCode = Object.fromEntries(DFU_STATUSES.map(([name], i) => [name, i])) as Record<DfuStatusName, number>;

export function dfuStateName(state: number): string {
  return DFU_STATES[state]?.[0] ?? `unknown state 0x${state.toString(16).padStart(2, '0')}`;
}

export function dfuStateMeaning(state: number): string {
  return DFU_STATES[state]?.[1] ?? 'The device reported a state that DFU 1.1 does not define.';
}

export function dfuStatusName(status: number): string {
  return DFU_STATUSES[status]?.[0] ?? `unknown status 0x${status.toString(16).padStart(2, '0')}`;
}

export function dfuStatusMeaning(status: number): string {
  return DFU_STATUSES[status]?.[1] ?? 'The device reported a status that DFU 1.1 does not define.';
}

/** "dfuDNLOAD-IDLE (The device is in the middle…)" */
export function describeDfuState(state: number): string {
  return `${dfuStateName(state)} (${dfuStateMeaning(state)})`;
}

export function describeDfuStatus(status: number): string {
  return `${dfuStatusName(status)}: ${dfuStatusMeaning(status)}`;
}
