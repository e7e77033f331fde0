// Plain-words names of SMP commands, for error messages and logs.
import { SmpGroup } from './groups';
import { SmpOp } from './header';

const NAMES: Record<string, string> = {
  [`${SmpGroup.OS}:0`]: 'the echo request',
  [`${SmpGroup.OS}:5`]: 'the reset request',
  [`${SmpGroup.OS}:6`]: 'the MCUmgr parameters request',
  [`${SmpGroup.OS}:7`]: 'the OS/application info request',
  [`${SmpGroup.OS}:8`]: 'the bootloader info request',
  [`${SmpGroup.Image}:0`]: 'the image state request',
  [`${SmpGroup.Image}:1`]: 'the image upload',
  [`${SmpGroup.Image}:5`]: 'the image erase',
  [`${SmpGroup.Image}:6`]: 'the slot info request',
  [`${SmpGroup.Stats}:0`]: 'the statistics read',
  [`${SmpGroup.Stats}:1`]: 'the statistics list request',
  [`${SmpGroup.Settings}:0`]: 'the settings request',
  [`${SmpGroup.Settings}:1`]: 'the settings delete',
  [`${SmpGroup.Settings}:2`]: 'the settings commit',
  [`${SmpGroup.Settings}:3`]: 'the settings load/save',
  [`${SmpGroup.FS}:0`]: 'the file transfer',
  [`${SmpGroup.FS}:1`]: 'the file status request',
  [`${SmpGroup.FS}:2`]: 'the file hash request',
  [`${SmpGroup.Shell}:0`]: 'the shell command',
  [`${SmpGroup.Enum}:0`]: 'the group count request',
  [`${SmpGroup.Enum}:1`]: 'the group list request',
};

export function describeCommand(group: number, id: number, op: number): string {
  return NAMES[`${group}:${id}`] ?? `the SMP ${op === SmpOp.Read ? 'read' : 'write'} (group ${group}, command ${id})`;
}
