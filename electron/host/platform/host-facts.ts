import { readFileSync } from 'node:fs';
import { userInfo, release, platform } from 'node:os';

// Facts the kernel's fwctl rules depend on, read fresh each time: a capability
// can be dropped and a taint can appear while the app runs.

const CAP_SYS_RAWIO = 17n;
const TAINT_FWCTL_BIT = 19;

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Parses CapEff from /proc/<pid>/status text. */
export function capEffHasRawio(statusText: string): boolean {
  const m = /^CapEff:\s*([0-9a-fA-F]+)$/m.exec(statusText);
  if (!m) return false;
  return ((BigInt('0x' + m[1]) >> CAP_SYS_RAWIO) & 1n) === 1n;
}

export function hasCapSysRawio(procRoot = '/proc'): boolean {
  const text = readText(`${procRoot}/self/status`);
  return text ? capEffHasRawio(text) : false;
}

/** "none [integrity] confidentiality" → "integrity"; missing file → "unknown" (no lockdown LSM). */
export function parseLockdown(text: string | null): string {
  if (text === null) return 'unknown';
  const m = /\[([a-z]+)\]/.exec(text);
  return m ? m[1] : 'unknown';
}

export function lockdownState(sysRoot = '/sys'): string {
  return parseLockdown(readText(`${sysRoot}/kernel/security/lockdown`));
}

export function kernelFwctlTaint(procRoot = '/proc'): boolean {
  const text = readText(`${procRoot}/sys/kernel/tainted`);
  if (!text) return false;
  const n = Number.parseInt(text.trim(), 10);
  return Number.isFinite(n) && ((n >>> TAINT_FWCTL_BIT) & 1) === 1;
}

export function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? `uid-${process.getuid?.() ?? '?'}`;
  }
}

export function kernelRelease(): string {
  return `${platform()} ${release()}`;
}
