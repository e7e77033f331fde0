// /proc/sys/kernel/tainted decoded to the kernel's own letters (kernel/panic.c
// taint_flags[]), so a bundle says "Tainted: WJ" the way an oops would.
import { readFileSync } from 'node:fs';

export interface TaintFlag {
  bit: number;
  letter: string;
  meaning: string;
}

/** Bits 0..19 as of Linux 6.15 (19 = TAINT_FWCTL). Later bits show as '?'. */
export const TAINT_FLAGS: readonly TaintFlag[] = [
  { bit: 0, letter: 'P', meaning: 'proprietary module loaded' },
  { bit: 1, letter: 'F', meaning: 'module force-loaded' },
  { bit: 2, letter: 'S', meaning: 'CPU out of specification' },
  { bit: 3, letter: 'R', meaning: 'module force-unloaded' },
  { bit: 4, letter: 'M', meaning: 'machine check reported' },
  { bit: 5, letter: 'B', meaning: 'bad page referenced' },
  { bit: 6, letter: 'U', meaning: 'taint requested by user space' },
  { bit: 7, letter: 'D', meaning: 'kernel died recently (oops or BUG)' },
  { bit: 8, letter: 'A', meaning: 'ACPI table overridden' },
  { bit: 9, letter: 'W', meaning: 'kernel warning issued' },
  { bit: 10, letter: 'C', meaning: 'staging driver loaded' },
  { bit: 11, letter: 'I', meaning: 'platform firmware bug worked around' },
  { bit: 12, letter: 'O', meaning: 'out-of-tree module loaded' },
  { bit: 13, letter: 'E', meaning: 'unsigned module loaded' },
  { bit: 14, letter: 'L', meaning: 'soft lockup occurred' },
  { bit: 15, letter: 'K', meaning: 'kernel live-patched' },
  { bit: 16, letter: 'X', meaning: 'auxiliary (distribution) taint' },
  { bit: 17, letter: 'T', meaning: 'built with struct randomization' },
  { bit: 18, letter: 'N', meaning: 'in-kernel test run' },
  { bit: 19, letter: 'J', meaning: "fwctl's mutating debug interface was used" },
];

export interface KernelTaint {
  /** The raw value, or null when /proc/sys/kernel/tainted could not be read. */
  value: number | null;
  /** Letters of the set bits in bit order ("" when not tainted), e.g. "OEJ". */
  letters: string;
  flags: TaintFlag[];
  /** TAINT_FWCTL (bit 19): a debug-write or higher fwctl RPC ran since boot. */
  fwctl: boolean;
}

/** Decodes the text of /proc/sys/kernel/tainted (a decimal number). */
export function decodeTaint(text: string | null): KernelTaint {
  const trimmed = text?.trim() ?? '';
  if (!/^\d{1,20}$/.test(trimmed)) return { value: null, letters: '', flags: [], fwctl: false };
  const value = BigInt(trimmed);
  const flags: TaintFlag[] = [];
  for (let bit = 0; bit < 64; bit++) {
    if (((value >> BigInt(bit)) & 1n) === 0n) continue;
    flags.push(TAINT_FLAGS[bit] ?? { bit, letter: '?', meaning: `taint bit ${bit} (newer than this fwbench knows)` });
  }
  return { value: Number(value), letters: flags.map((f) => f.letter).join(''), flags, fwctl: flags.some((f) => f.bit === 19) };
}

export function readKernelTaint(procRoot = '/proc'): KernelTaint {
  try {
    return decodeTaint(readFileSync(`${procRoot}/sys/kernel/tainted`, 'utf8'));
  } catch {
    return decodeTaint(null);
  }
}
