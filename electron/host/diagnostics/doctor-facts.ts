// Gathers the facts `fwbench doctor` judges, from /etc, /proc, /sys and /dev.
// Every root is a parameter so tests can point it at a made-up tree.
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { hasCapSysRawio, lockdownState } from '../platform/host-facts';
import type { DeviceNode, DoctorFacts } from './doctor-checks';

export interface DoctorRoots {
  etc?: string;
  proc?: string;
  sys?: string;
  dev?: string;
  udevRuleDirs?: string[];
  /** The rules file this fwbench ships. */
  rulesSource?: string;
  /** The account and process identity (tests). */
  user?: string;
  uid?: number;
  gids?: number[];
}

export const UDEV_RULE_DIRS = ['/etc/udev/rules.d', '/lib/udev/rules.d', '/usr/lib/udev/rules.d'];

interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** /etc/group lines: name:password:gid:member,member */
export function parseGroupFile(text: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const line of text.split('\n')) {
    const parts = line.trim().split(':');
    if (parts.length < 4 || parts[0].startsWith('#')) continue;
    const gid = Number(parts[2]);
    if (!Number.isInteger(gid)) continue;
    out.push({ name: parts[0], gid, members: parts[3].split(',').map((m) => m.trim()).filter(Boolean) });
  }
  return out;
}

/** The primary gid of `user` from /etc/passwd text (name:pw:uid:gid:...). */
export function primaryGid(passwd: string, user: string): number | null {
  for (const line of passwd.split('\n')) {
    const p = line.split(':');
    if (p[0] === user && p.length >= 4 && Number.isInteger(Number(p[3]))) return Number(p[3]);
  }
  return null;
}

function readOr(path: string, dflt: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return dflt;
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function node(path: string, groupName: (gid: number) => string): DeviceNode {
  let access = true;
  try {
    accessSync(path, constants.R_OK | constants.W_OK);
  } catch {
    access = false;
  }
  let group = '?';
  try {
    group = groupName(statSync(path).gid);
  } catch {
    /* vanished between listing and stat */
  }
  return { path, access, group };
}

export function modemManagerRunning(procRoot: string): boolean {
  for (const pid of list(procRoot)) {
    if (!/^\d+$/.test(pid)) continue;
    if (readOr(join(procRoot, pid, 'comm'), '').trim() === 'ModemManager') return true;
  }
  return false;
}

export function gatherDoctorFacts(roots: DoctorRoots = {}): DoctorFacts {
  const etc = roots.etc ?? '/etc';
  const proc = roots.proc ?? '/proc';
  const sys = roots.sys ?? '/sys';
  const dev = roots.dev ?? '/dev';
  const user = roots.user ?? safeUser();
  const uid = roots.uid ?? process.getuid?.() ?? -1;
  const groups = parseGroupFile(readOr(join(etc, 'group'), ''));
  const groupName = (gid: number) => groups.find((g) => g.gid === gid)?.name ?? String(gid);
  const gids = roots.gids ?? [...new Set([...(process.getgroups?.() ?? []), process.getegid?.() ?? -1])];
  const primary = primaryGid(readOr(join(etc, 'passwd'), ''), user);
  const accountGroups = groups.filter((g) => g.members.includes(user) || g.gid === primary).map((g) => g.name);

  const rules: string[] = [];
  let ignoresMm = false;
  for (const dir of roots.udevRuleDirs ?? UDEV_RULE_DIRS) {
    for (const name of list(dir)) {
      if (!name.endsWith('.rules') || !name.includes('fwbench')) continue;
      const full = join(dir, name);
      rules.push(full);
      if (readOr(full, '').includes('ID_MM_DEVICE_IGNORE')) ignoresMm = true;
    }
  }
  const usbDevices = join(sys, 'bus', 'usb', 'devices');
  return {
    user,
    uid,
    processGroups: gids.filter((g) => g >= 0).map(groupName),
    accountGroups,
    systemGroups: groups.map((g) => g.name),
    udevRules: rules,
    udevRulesIgnoreModemManager: ignoresMm,
    rulesSource: roots.rulesSource ?? '/opt/fwbench/resources/udev/70-fwbench.rules',
    modemManagerRunning: modemManagerRunning(proc),
    lockdown: lockdownState(sys),
    capSysRawio: hasCapSysRawio(proc),
    fwctlClass: existsSync(join(sys, 'class', 'fwctl')),
    fwctlNodes: list(join(dev, 'fwctl'))
      .filter((n) => /^fwctl\d+$/.test(n))
      .map((n) => node(join(dev, 'fwctl', n), groupName)),
    serialPorts: list(dev)
      .filter((n) => /^tty(?:USB|ACM)\d+$/.test(n))
      .map((n) => node(join(dev, n), groupName)),
    usbBus: list(usbDevices).length > 0,
  };
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'user';
  }
}
