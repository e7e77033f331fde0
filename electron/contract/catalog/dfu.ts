// USB DFU / ST DfuSe commands beyond the shared ones (device.info, device.reset,
// firmware.upload in common.ts). Reading memory back only reads, but it can
// expose a device's firmware, so it sits at debug-read-only. Detach switches a
// running device to its bootloader: its application stops (a reset).
//
// Left out on purpose: DfuSe mass erase and READ_UNPROTECT (they wipe the
// bootable image; they would need debug-write and a typed debug-write-full).
import { z } from 'zod';
import { defineCommand } from '../commands';
import { MAX_IMAGE_BYTES } from './common';

export const dfuStatus = defineCommand({
  id: 'dfu.status',
  title: 'Read DFU status',
  summary: "Reads the device's DFU state and status (DFU_GETSTATUS), by name.",
  scope: 'configuration',
  effects: ['reads-device'],
  params: z.object({}).strict(),
});

export const dfuUpload = defineCommand({
  id: 'dfu.upload',
  title: 'Read memory back (DFU upload)',
  summary: 'Reads firmware or memory from the device (DFU_UPLOAD); DfuSe devices read from the given address.',
  scope: 'debug-read-only',
  effects: ['reads-device'],
  params: z
    .object({
      /** DfuSe: start address (default: the first readable segment). Plain DFU: must be omitted. */
      address: z.number().int().min(0).max(0xffffffff).optional(),
      length: z.number().int().positive().max(MAX_IMAGE_BYTES),
    })
    .strict(),
});

export const dfuDetach = defineCommand({
  id: 'dfu.detach',
  title: 'Switch to the DFU bootloader',
  summary: 'Sends DFU_DETACH to a device running its application; it re-enumerates in DFU mode.',
  scope: 'configuration',
  effects: ['resets-device'],
  params: z.object({}).strict(),
});

export const DFU_COMMANDS = [dfuStatus, dfuUpload, dfuDetach] as const;
