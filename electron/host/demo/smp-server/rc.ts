// Result codes the demo server answers with (Zephyr mgmt_defines.h and the
// per-group *_mgmt.h enums). Kept here, not imported from the client, so the
// server stays an independent implementation.
export const MGMT = { EOK: 0, EUNKNOWN: 1, ENOMEM: 2, EINVAL: 3, ETIMEOUT: 4, ENOENT: 5, EBADSTATE: 6, EMSGSIZE: 7, ENOTSUP: 8, ECORRUPT: 9, EBUSY: 10, EACCESSDENIED: 11, UNSUPPORTED_TOO_OLD: 12, UNSUPPORTED_TOO_NEW: 13 } as const;
export const GROUP = { OS: 0, IMAGE: 1, STAT: 2, SETTINGS: 3, FS: 8, SHELL: 9, ENUM: 10 } as const;
export const ENUM_RC = { INDEX_TOO_LARGE: 4 } as const;
export const OS_RC = { INVALID_FORMAT: 2, QUERY_YIELDS_NO_ANSWER: 3 } as const;
export const IMG_RC = {
  UNKNOWN: 1,
  NO_IMAGE: 3,
  HASH_NOT_FOUND: 8,
  NO_FREE_SLOT: 9,
  INVALID_SLOT: 14,
  INVALID_OFFSET: 20,
  INVALID_LENGTH: 21,
  INVALID_IMAGE_HEADER: 22,
  INVALID_IMAGE_HEADER_MAGIC: 23,
  INVALID_HASH: 24,
  CURRENT_VERSION_IS_NEWER: 27,
  IMAGE_ALREADY_PENDING: 28,
  INVALID_IMAGE_TOO_LARGE: 30,
  INVALID_IMAGE_DATA_OVERRUN: 31,
  IMAGE_SETTING_TEST_TO_ACTIVE_DENIED: 33,
} as const;
export const STAT_RC = { INVALID_GROUP: 2 } as const;
export const SETTINGS_RC = { KEY_TOO_LONG: 2, KEY_NOT_FOUND: 3 } as const;
export const FS_RC = { FILE_INVALID_NAME: 2, FILE_NOT_FOUND: 3, FILE_OFFSET_NOT_VALID: 11, FILE_OFFSET_LARGER_THAN_FILE: 12, CHECKSUM_HASH_NOT_FOUND: 13, FILE_EMPTY: 16 } as const;
export const SHELL_RC = { COMMAND_TOO_LONG: 2, EMPTY_COMMAND: 3 } as const;

/** A handler's refusal: a group rc for SMP v2 answers and the MGMT_ERR for v1 answers. */
export class SmpRefusal extends Error {
  constructor(
    readonly group: number | null,
    readonly groupRc: number,
    readonly mgmtRc: number,
    readonly rsn?: string,
  ) {
    super(rsn ?? `refused: group ${group} rc ${groupRc} / mgmt rc ${mgmtRc}`);
  }

  /** An SMP-level error (same "rc" in v1 and v2). */
  static smp(mgmtRc: number, rsn?: string): SmpRefusal {
    return new SmpRefusal(null, 0, mgmtRc, rsn);
  }
}
