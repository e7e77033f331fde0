// CXL mailbox return codes (CXL r3.2 8.2.8.4.5.1, Table 8-34), in the order of
// the kernel's CMD_CMD_RC_TABLE (drivers/cxl/cxlmem.h). The fwctl CXL driver
// puts the device's code into fwctl_rpc_cxl_out.retval.
export interface CxlReturnCode {
  code: number;
  /** The kernel's CXL_MBOX_CMD_RC_<name>. */
  name: string;
  meaning: string;
}

const TABLE: readonly [string, string][] = [
  ['SUCCESS', 'The command completed successfully.'],
  ['BACKGROUND', 'The command was started in the background.'],
  ['INPUT', 'The device found the command input invalid.'],
  ['UNSUPPORTED', 'The device does not support this command or feature.'],
  ['INTERNAL', 'The device hit an internal error.'],
  ['RETRY', 'A temporary error; retry the command once.'],
  ['BUSY', 'A background operation is still running on the device.'],
  ['MEDIADISABLED', 'Media access is disabled on the device.'],
  ['FWINPROGRESS', 'Only one firmware package can be transferred at a time.'],
  ['FWOOO', 'Firmware package content was transferred out of order.'],
  ['FWAUTH', 'Firmware package authentication failed.'],
  ['FWSLOT', 'The firmware slot is not supported for this operation.'],
  ['FWROLLBACK', 'The device rolled back to the previous active firmware.'],
  ['FWRESET', 'Firmware failed to activate and needs a cold reset.'],
  ['HANDLE', 'One or more event record handles were invalid.'],
  ['PADDR', 'The physical address given is invalid.'],
  ['POISONLMT', 'The poison injection limit has been reached.'],
  ['MEDIAFAILURE', 'The media has a permanent failure.'],
  ['ABORT', 'The device aborted the background command.'],
  ['SECURITY', 'The command is not valid in the current security state.'],
  ['PASSPHRASE', 'The passphrase does not match the one set.'],
  ['MBUNSUPPORTED', 'The command is not supported on this mailbox.'],
  ['PAYLOADLEN', 'The payload length is invalid.'],
  ['LOG', 'The log page is invalid or unsupported.'],
  ['INTERRUPTED', 'An asynchronous event interrupted the command.'],
  ['FEATUREVERSION', 'The device does not support this feature version.'],
  ['FEATURESELVALUE', 'The device does not support that feature selection (current/default/saved).'],
  ['FEATURETRANSFERIP', 'Another feature data transfer is already in progress.'],
  ['FEATURETRANSFEROOO', 'Feature data was transferred out of order.'],
  ['RESOURCEEXHAUSTED', 'The device has run out of resources.'],
  ['EXTLIST', 'The extent list is invalid.'],
];

export const CXL_RC = Object.fromEntries(TABLE.map(([name], code) => [name, code])) as Record<string, number>;

export function describeReturnCode(code: number): CxlReturnCode {
  const row = TABLE[code];
  if (row) return { code, name: row[0], meaning: row[1] };
  return { code, name: `UNKNOWN_0x${code.toString(16).padStart(4, '0')}`, meaning: `The device returned a code fwbench does not know (0x${code.toString(16)}).` };
}
