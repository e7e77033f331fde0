// What an SMP server offers. Every group is optional in Zephyr (a product may
// ship MCUmgr for shell and stats only), so nothing may assume one is there:
// the enum group (10), where present, lists the groups; otherwise a group is
// "unknown" until a request shows it. An SMP-level MGMT_ERR_ENOTSUP (rc 8) is
// how Zephyr answers both an absent group and an absent command
// (smp_protocol.rst, "Minimal response"); any other answer, a v2 group error
// included, proves the group is compiled in.
import { GROUP_NAMES, SmpGroup } from './groups';

export type Presence = 'yes' | 'no' | 'unknown';

/** Plain names for what a group gives a user, for "not offered by this device". */
export const GROUP_FEATURES: Record<number, string> = {
  [SmpGroup.OS]: 'OS management (echo, reset, info)',
  [SmpGroup.Image]: 'image management (firmware slots and upload)',
  [SmpGroup.Stats]: 'statistics',
  [SmpGroup.Settings]: 'settings',
  [SmpGroup.FS]: 'file system access',
  [SmpGroup.Shell]: 'shell commands',
  [SmpGroup.Enum]: 'group enumeration',
  [SmpGroup.Zephyr]: 'Zephyr basic management',
};

export function groupName(group: number): string {
  return GROUP_NAMES[group] ?? `group ${group}`;
}

export class SmpCapabilities {
  /** Groups the enum group listed; null when the device has no enum group. */
  private listed: Set<number> | null = null;
  private readonly seenGroups = new Set<number>();
  private readonly absentGroups = new Set<number>();
  private readonly absentCommands = new Set<string>();

  /** The enum group's list (group 10, command 1). */
  setListed(groups: readonly number[]): void {
    this.listed = new Set(groups);
  }

  get enumerated(): readonly number[] | null {
    return this.listed ? [...this.listed].sort((a, b) => a - b) : null;
  }

  /** The device answered something other than ENOTSUP in this group. */
  sawGroup(group: number): void {
    this.seenGroups.add(group);
    this.absentGroups.delete(group);
  }

  /** ENOTSUP to a command every build of the group has: the group is absent. */
  groupAbsent(group: number): void {
    if (!this.seenGroups.has(group)) this.absentGroups.add(group);
  }

  commandAbsent(group: number, id: number, op: 'read' | 'write'): void {
    this.absentCommands.add(`${group}:${id}:${op}`);
  }

  group(group: number): Presence {
    if (this.listed) return this.listed.has(group) || this.seenGroups.has(group) ? 'yes' : 'no';
    if (this.absentGroups.has(group)) return 'no';
    return this.seenGroups.has(group) ? 'yes' : 'unknown';
  }

  command(group: number, id: number, op: 'read' | 'write'): Presence {
    if (this.absentCommands.has(`${group}:${id}:${op}`)) return 'no';
    return this.group(group);
  }

  /** True unless the device is known not to have it (unknown stays offered, probed on use). */
  offers(group: number, id?: number, op: 'read' | 'write' = 'read'): boolean {
    return (id === undefined ? this.group(group) : this.command(group, id, op)) !== 'no';
  }

  /** Group names by presence, for the session identity. */
  summary(): { offered: string[]; notOffered: string[]; unknown: string[] } {
    const known = [SmpGroup.OS, SmpGroup.Image, SmpGroup.Stats, SmpGroup.Settings, SmpGroup.FS, SmpGroup.Shell, SmpGroup.Enum];
    const all = new Set<number>([...known, ...(this.listed ?? []), ...this.seenGroups]);
    const out = { offered: [] as string[], notOffered: [] as string[], unknown: [] as string[] };
    for (const g of [...all].sort((a, b) => a - b)) {
      const p = this.group(g);
      (p === 'yes' ? out.offered : p === 'no' ? out.notOffered : out.unknown).push(groupName(g));
    }
    return out;
  }
}
