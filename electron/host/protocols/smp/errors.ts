// SMP error results, decoded to names and plain meanings — never a bare number.
//   v1 (and SMP-level errors in v2): {"rc": int, "rsn"?: str}, rc is mcumgr_err_t (MGMT_ERR_*).
//   v2 group errors: {"err": {"group": uint, "rc": uint}}, rc is the group's own enum.
// Tables follow Zephyr's mgmt_defines.h and the *_mgmt.h headers (as mirrored
// by the mcumgr-toolkit Rust client), see smp_protocol.rst "Minimal response".
import type { ErrorCode } from '../../../contract/errors';
import { HostError } from '../../errors/host-error';
import { GROUP_NAMES, SmpGroup } from './groups';

type Table = ReadonlyArray<readonly [name: string, meaning: string]>;

export const MGMT_ERR: Table = [
  ['MGMT_ERR_EOK', 'no error'],
  ['MGMT_ERR_EUNKNOWN', 'unknown error'],
  ['MGMT_ERR_ENOMEM', 'the device ran out of memory (often: not enough room for the CBOR answer)'],
  ['MGMT_ERR_EINVAL', 'a value in the request is invalid'],
  ['MGMT_ERR_ETIMEOUT', 'the operation timed out on the device'],
  ['MGMT_ERR_ENOENT', 'no such file or entry'],
  ['MGMT_ERR_EBADSTATE', 'the current state of the device does not allow this command'],
  ['MGMT_ERR_EMSGSIZE', 'the message is too large for the device'],
  ['MGMT_ERR_ENOTSUP', 'the device does not support this command'],
  ['MGMT_ERR_ECORRUPT', 'data is corrupt'],
  ['MGMT_ERR_EBUSY', 'the device is busy with another command'],
  ['MGMT_ERR_EACCESSDENIED', 'access to this command or resource is denied'],
  ['MGMT_ERR_UNSUPPORTED_TOO_OLD', 'the requested SMP protocol version is too old for the device'],
  ['MGMT_ERR_UNSUPPORTED_TOO_NEW', 'the requested SMP protocol version is too new for the device'],
];
export const MGMT_ERR_EPERUSER = 256;

const OS_ERR: Table = [
  ['OS_MGMT_ERR_OK', 'no error'],
  ['OS_MGMT_ERR_UNKNOWN', 'unknown OS group error'],
  ['OS_MGMT_ERR_INVALID_FORMAT', 'the info format string is not valid'],
  ['OS_MGMT_ERR_QUERY_YIELDS_NO_ANSWER', 'the query was not recognised'],
  ['OS_MGMT_ERR_RTC_NOT_SET', 'the real-time clock is not set'],
  ['OS_MGMT_ERR_RTC_COMMAND_FAILED', 'the real-time clock command failed'],
  ['OS_MGMT_ERR_QUERY_RESPONSE_VALUE_NOT_VALID', 'the query was recognised but has no valid answer'],
];

const IMG_ERR: Table = [
  ['IMG_MGMT_ERR_OK', 'no error'],
  ['IMG_MGMT_ERR_UNKNOWN', 'unknown image group error'],
  ['IMG_MGMT_ERR_FLASH_CONFIG_QUERY_FAIL', 'could not query the flash area configuration'],
  ['IMG_MGMT_ERR_NO_IMAGE', 'there is no image in the slot'],
  ['IMG_MGMT_ERR_NO_TLVS', 'the image in the slot has no TLVs'],
  ['IMG_MGMT_ERR_INVALID_TLV', 'the image in the slot has an invalid TLV type or length'],
  ['IMG_MGMT_ERR_TLV_MULTIPLE_HASHES_FOUND', 'the image has more than one hash TLV'],
  ['IMG_MGMT_ERR_TLV_INVALID_SIZE', 'the image has a TLV of invalid size'],
  ['IMG_MGMT_ERR_HASH_NOT_FOUND', 'no image with that hash is on the device'],
  ['IMG_MGMT_ERR_NO_FREE_SLOT', 'there is no free slot for the image'],
  ['IMG_MGMT_ERR_FLASH_OPEN_FAILED', 'opening the flash area failed'],
  ['IMG_MGMT_ERR_FLASH_READ_FAILED', 'reading flash failed'],
  ['IMG_MGMT_ERR_FLASH_WRITE_FAILED', 'writing flash failed'],
  ['IMG_MGMT_ERR_FLASH_ERASE_FAILED', 'erasing flash failed'],
  ['IMG_MGMT_ERR_INVALID_SLOT', 'the slot is not valid'],
  ['IMG_MGMT_ERR_NO_FREE_MEMORY', 'the device ran out of heap memory'],
  ['IMG_MGMT_ERR_FLASH_CONTEXT_ALREADY_SET', 'the flash context is already set'],
  ['IMG_MGMT_ERR_FLASH_CONTEXT_NOT_SET', 'the flash context is not set'],
  ['IMG_MGMT_ERR_FLASH_AREA_DEVICE_NULL', 'the flash area has no device'],
  ['IMG_MGMT_ERR_INVALID_PAGE_OFFSET', 'the page offset is invalid'],
  ['IMG_MGMT_ERR_INVALID_OFFSET', 'the offset is missing or invalid'],
  ['IMG_MGMT_ERR_INVALID_LENGTH', 'the length is missing or invalid'],
  ['IMG_MGMT_ERR_INVALID_IMAGE_HEADER', 'the image is smaller than an image header'],
  ['IMG_MGMT_ERR_INVALID_IMAGE_HEADER_MAGIC', 'the image header magic is wrong (not an MCUboot image)'],
  ['IMG_MGMT_ERR_INVALID_HASH', 'the hash in the request is not valid'],
  ['IMG_MGMT_ERR_INVALID_FLASH_ADDRESS', 'the image load address does not match the flash area'],
  ['IMG_MGMT_ERR_VERSION_GET_FAILED', 'the device could not read the running version'],
  ['IMG_MGMT_ERR_CURRENT_VERSION_IS_NEWER', 'the running firmware is newer than the uploaded image'],
  ['IMG_MGMT_ERR_IMAGE_ALREADY_PENDING', 'another image is already pending for the next boot'],
  ['IMG_MGMT_ERR_INVALID_IMAGE_VECTOR_TABLE', 'the image vector table is invalid'],
  ['IMG_MGMT_ERR_INVALID_IMAGE_TOO_LARGE', 'the image is too large for the slot'],
  ['IMG_MGMT_ERR_INVALID_IMAGE_DATA_OVERRUN', 'more data was sent than the declared image length'],
  ['IMG_MGMT_ERR_IMAGE_CONFIRMATION_DENIED', 'confirming the image was refused'],
  ['IMG_MGMT_ERR_IMAGE_SETTING_TEST_TO_ACTIVE_DENIED', 'the running image cannot be marked for test'],
  ['IMG_MGMT_ERR_ACTIVE_SLOT_NOT_KNOWN', 'the active slot cannot be determined'],
];

const STAT_ERR: Table = [
  ['STAT_MGMT_ERR_OK', 'no error'],
  ['STAT_MGMT_ERR_UNKNOWN', 'unknown statistics error'],
  ['STAT_MGMT_ERR_INVALID_GROUP', 'there is no statistics group with that name'],
  ['STAT_MGMT_ERR_INVALID_STAT_NAME', 'there is no statistic with that name'],
  ['STAT_MGMT_ERR_INVALID_STAT_SIZE', 'the statistic has a size the device cannot report'],
  ['STAT_MGMT_ERR_WALK_ABORTED', 'walking the statistics was aborted'],
];

const SETTINGS_ERR: Table = [
  ['SETTINGS_MGMT_ERR_OK', 'no error'],
  ['SETTINGS_MGMT_ERR_UNKNOWN', 'unknown settings error'],
  ['SETTINGS_MGMT_ERR_KEY_TOO_LONG', 'the setting name is too long'],
  ['SETTINGS_MGMT_ERR_KEY_NOT_FOUND', 'there is no setting with that name'],
  ['SETTINGS_MGMT_ERR_READ_NOT_SUPPORTED', 'this setting cannot be read'],
  ['SETTINGS_MGMT_ERR_ROOT_KEY_NOT_FOUND', 'the root of that setting name does not exist'],
  ['SETTINGS_MGMT_ERR_WRITE_NOT_SUPPORTED', 'this setting cannot be written'],
  ['SETTINGS_MGMT_ERR_DELETE_NOT_SUPPORTED', 'this setting cannot be deleted'],
  ['SETTINGS_MGMT_ERR_SAVE_NOT_SUPPORTED', 'this setting cannot be saved'],
];

const FS_ERR: Table = [
  ['FS_MGMT_ERR_OK', 'no error'],
  ['FS_MGMT_ERR_UNKNOWN', 'unknown file system error'],
  ['FS_MGMT_ERR_FILE_INVALID_NAME', 'the file name is not valid'],
  ['FS_MGMT_ERR_FILE_NOT_FOUND', 'the file does not exist'],
  ['FS_MGMT_ERR_FILE_IS_DIRECTORY', 'the path is a directory, not a file'],
  ['FS_MGMT_ERR_FILE_OPEN_FAILED', 'opening the file failed'],
  ['FS_MGMT_ERR_FILE_SEEK_FAILED', 'seeking in the file failed'],
  ['FS_MGMT_ERR_FILE_READ_FAILED', 'reading the file failed'],
  ['FS_MGMT_ERR_FILE_TRUNCATE_FAILED', 'truncating the file failed'],
  ['FS_MGMT_ERR_FILE_DELETE_FAILED', 'deleting the file failed'],
  ['FS_MGMT_ERR_FILE_WRITE_FAILED', 'writing the file failed'],
  ['FS_MGMT_ERR_FILE_OFFSET_NOT_VALID', 'the offset does not match the file on the device (it may have changed)'],
  ['FS_MGMT_ERR_FILE_OFFSET_LARGER_THAN_FILE', 'the offset is past the end of the file'],
  ['FS_MGMT_ERR_CHECKSUM_HASH_NOT_FOUND', 'that hash or checksum type is not supported'],
  ['FS_MGMT_ERR_MOUNT_POINT_NOT_FOUND', 'the mount point does not exist or is not mounted'],
  ['FS_MGMT_ERR_READ_ONLY_FILESYSTEM', 'the file system is read-only'],
  ['FS_MGMT_ERR_FILE_EMPTY', 'the file is empty'],
];

const SHELL_ERR: Table = [
  ['SHELL_MGMT_ERR_OK', 'no error'],
  ['SHELL_MGMT_ERR_UNKNOWN', 'unknown shell error'],
  ['SHELL_MGMT_ERR_COMMAND_TOO_LONG', 'the command line is too long'],
  ['SHELL_MGMT_ERR_EMPTY_COMMAND', 'no command was given'],
];

const ENUM_ERR: Table = [
  ['ENUM_MGMT_ERR_OK', 'no error'],
  ['ENUM_MGMT_ERR_UNKNOWN', 'unknown enumeration error'],
  ['ENUM_MGMT_ERR_TOO_MANY_GROUP_ENTRIES', 'too many entries were requested'],
  ['ENUM_MGMT_ERR_INSUFFICIENT_HEAP_FOR_ENTRIES', 'the device has too little heap for the entries'],
  ['ENUM_MGMT_ERR_INDEX_TOO_LARGE', 'the index is past the last group'],
];

const ZEPHYR_ERR: Table = [
  ['ZEPHYRBASIC_MGMT_ERR_OK', 'no error'],
  ['ZEPHYRBASIC_MGMT_ERR_UNKNOWN', 'unknown error'],
  ['ZEPHYRBASIC_MGMT_ERR_FLASH_OPEN_FAILED', 'opening the flash area failed'],
  ['ZEPHYRBASIC_MGMT_ERR_FLASH_CONFIG_QUERY_FAIL', 'querying the flash area failed'],
  ['ZEPHYRBASIC_MGMT_ERR_FLASH_ERASE_FAILED', 'erasing the flash area failed'],
];

const GROUP_TABLES: Record<number, Table> = {
  [SmpGroup.OS]: OS_ERR,
  [SmpGroup.Image]: IMG_ERR,
  [SmpGroup.Stats]: STAT_ERR,
  [SmpGroup.Settings]: SETTINGS_ERR,
  [SmpGroup.FS]: FS_ERR,
  [SmpGroup.Shell]: SHELL_ERR,
  [SmpGroup.Enum]: ENUM_ERR,
  [SmpGroup.Zephyr]: ZEPHYR_ERR,
};

/** Name → number lookups, for servers and tests that build error answers. */
export const MgmtErr = byName(MGMT_ERR);
export const OsErr = byName(OS_ERR);
export const ImageErr = byName(IMG_ERR);
export const StatsErr = byName(STAT_ERR);
export const SettingsErr = byName(SETTINGS_ERR);
export const FsErr = byName(FS_ERR);
export const ShellErr = byName(SHELL_ERR);

export interface SmpErrorInfo {
  /** 'smp' = an MGMT_ERR_* code (v1, or an SMP-level error in v2); 'group' = a v2 group error. */
  kind: 'smp' | 'group';
  rc: number;
  /** The symbolic name, e.g. IMG_MGMT_ERR_NO_FREE_SLOT; always present. */
  name: string;
  meaning: string;
  /** For group errors: the group number and its name. */
  group?: number;
  groupName?: string;
  /** The device's optional reason string (v1 "rsn"). */
  reason?: string;
}

export function describeMgmtErr(rc: number): { name: string; meaning: string } {
  const row = MGMT_ERR[rc];
  if (row) return { name: row[0], meaning: row[1] };
  if (rc >= MGMT_ERR_EPERUSER) return { name: `MGMT_ERR_EPERUSER+${rc - MGMT_ERR_EPERUSER}`, meaning: `an application-defined error (${rc})` };
  return { name: `MGMT_ERR_UNKNOWN_CODE_${rc}`, meaning: `an error code this tool does not know (${rc})` };
}

export function describeGroupErr(group: number, rc: number): { name: string; meaning: string; groupName: string } {
  const groupName = GROUP_NAMES[group] ?? (group >= 64 ? `user group ${group}` : `group ${group}`);
  const row = GROUP_TABLES[group]?.[rc];
  if (row) return { name: row[0], meaning: row[1], groupName };
  return { name: `${groupName.toUpperCase().replace(/\W+/g, '_')}_ERR_${rc}`, meaning: `error ${rc} of the ${groupName} group, which this tool has no name for`, groupName };
}

/** Finds an error in a response body, or null when the request succeeded. */
export function extractSmpError(body: Record<string, unknown>): SmpErrorInfo | null {
  const err = body.err;
  if (err !== null && typeof err === 'object' && !Array.isArray(err)) {
    const e = err as Record<string, unknown>;
    const rc = typeof e.rc === 'number' ? e.rc : 0;
    const group = typeof e.group === 'number' ? e.group : -1;
    if (rc !== 0) {
      const d = describeGroupErr(group, rc);
      return { kind: 'group', rc, group, ...d };
    }
  }
  if (typeof body.rc === 'number' && body.rc !== 0) {
    const d = describeMgmtErr(body.rc);
    return { kind: 'smp', rc: body.rc, ...d, ...(typeof body.rsn === 'string' ? { reason: body.rsn } : {}) };
  }
  return null;
}

/** The HostError a device's SMP error becomes; `smp` keeps the decoded parts. */
export class SmpDeviceError extends HostError {
  constructor(
    readonly smp: SmpErrorInfo,
    what: string,
    message?: string,
  ) {
    super(hostCodeFor(smp), message ?? `The device refused ${what}: ${smp.meaning} (${smp.name}).`, detailFor(smp));
    this.name = 'SmpDeviceError';
  }
}

/** MGMT_ERR_ENOTSUP from a client method: said as what the device lacks, not as a failure. */
export class SmpNotOffered extends SmpDeviceError {
  constructor(
    smp: SmpErrorInfo,
    readonly feature: string,
  ) {
    super(smp, feature, `${capitalise(feature)} is not offered by this device.`);
    this.name = 'SmpNotOffered';
  }
}

/** True for a device's plain "I do not have that" (SMP-level MGMT_ERR_ENOTSUP). */
export function isNotSupportedAnswer(e: unknown): e is SmpDeviceError {
  return e instanceof SmpDeviceError && e.smp.kind === 'smp' && e.smp.rc === MGMT_ERR_ENOTSUP_RC;
}

const MGMT_ERR_ENOTSUP_RC = 8;

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function hostCodeFor(e: SmpErrorInfo): ErrorCode {
  if (e.kind === 'group') return 'device-error';
  switch (e.name) {
    case 'MGMT_ERR_ENOTSUP':
    case 'MGMT_ERR_UNSUPPORTED_TOO_OLD':
    case 'MGMT_ERR_UNSUPPORTED_TOO_NEW':
      return 'not-supported';
    case 'MGMT_ERR_EBUSY':
      return 'device-busy';
    case 'MGMT_ERR_EACCESSDENIED':
      return 'permission-denied';
    default:
      return 'device-error';
  }
}

function detailFor(e: SmpErrorInfo): string {
  const base = e.kind === 'group' ? `group ${e.group} (${e.groupName}) rc ${e.rc} = ${e.name}` : `rc ${e.rc} = ${e.name}`;
  return e.reason ? `${base}; device says: ${e.reason}` : base;
}

function byName(t: Table): Readonly<Record<string, number>> {
  return Object.freeze(Object.fromEntries(t.map(([name], i) => [name, i])));
}
