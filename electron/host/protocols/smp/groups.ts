// Group and command IDs (Zephyr smp_groups/smp_group_*.rst, mcumgr_group_t).
export const SmpGroup = {
  OS: 0,
  Image: 1,
  Stats: 2,
  Settings: 3,
  Log: 4,
  Crash: 5,
  Split: 6,
  Run: 7,
  FS: 8,
  Shell: 9,
  Enum: 10,
  Zephyr: 63,
} as const;

export const GROUP_NAMES: Record<number, string> = {
  0: 'os',
  1: 'image',
  2: 'stats',
  3: 'settings',
  4: 'log',
  5: 'crash',
  6: 'split',
  7: 'run',
  8: 'fs',
  9: 'shell',
  10: 'enum',
  63: 'zephyr',
};

export const OsCmd = { Echo: 0, TaskStats: 2, MemPoolStats: 3, DateTime: 4, Reset: 5, McumgrParams: 6, Info: 7, BootloaderInfo: 8 } as const;
export const ImageCmd = { State: 0, Upload: 1, Erase: 5, SlotInfo: 6 } as const;
export const StatsCmd = { Read: 0, List: 1 } as const;
/** Settings: ReadWrite is read with OP read and write with OP write; LoadSave is load (read) / save (write). */
export const SettingsCmd = { ReadWrite: 0, Delete: 1, Commit: 2, LoadSave: 3 } as const;
/** FS: File is download with OP read and upload with OP write. */
export const FsCmd = { File: 0, Status: 1, HashChecksum: 2, SupportedHashes: 3, Close: 4 } as const;
export const ShellCmd = { Exec: 0 } as const;
/** Enum group (smp_group_10): count, list, single group by index, details. */
export const EnumCmd = { Count: 0, List: 1, Single: 2, Details: 3 } as const;
