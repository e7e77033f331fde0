// Commands that several kinds of device implement under the same id, so one
// panel (Config, Console, Firmware) serves them all.
import { z } from 'zod';
import { defineCommand } from '../commands';

const configValue = z.union([z.string().max(4096), z.number().finite(), z.boolean()]);

export const deviceInfo = defineCommand({
  id: 'device.info',
  title: 'Read device information',
  summary: 'Reads the firmware version and board identity.',
  scope: 'configuration',
  effects: ['reads-device'],
  params: z.object({}).strict(),
});

export const configRead = defineCommand({
  id: 'config.read',
  title: 'Read configuration',
  summary: 'Reads every setting the device exposes.',
  scope: 'configuration',
  effects: ['reads-device'],
  params: z.object({}).strict(),
});

export const configWrite = defineCommand({
  id: 'config.write',
  title: 'Change configuration',
  summary: 'Applies the listed setting changes on the device (backed up first).',
  scope: 'configuration',
  effects: ['changes-config-now'],
  params: z
    .object({
      changes: z.record(z.string().min(1).max(128), configValue.nullable()).refine((o) => Object.keys(o).length > 0 && Object.keys(o).length <= 512, 'between 1 and 512 changes'),
      /** Persist the changes (U-Boot saveenv, SMP settings save). */
      save: z.boolean().optional(),
    })
    .strict(),
});

export const deviceReset = defineCommand({
  id: 'device.reset',
  title: 'Reset device',
  summary: 'Resets the device; staged firmware becomes active.',
  scope: 'configuration',
  effects: ['resets-device'],
  params: z.object({}).strict(),
});

export const consoleWrite = defineCommand({
  id: 'console.write',
  title: 'Type into the console',
  summary: 'Sends raw input to the device console. The board may do anything with it.',
  scope: 'debug-write',
  effects: ['raw-console-input'],
  params: z.object({ data: z.string().min(1).max(4096) }).strict(),
});

export const consoleHistory = defineCommand({
  id: 'console.history',
  title: 'Read console scrollback',
  summary: 'Returns the console output captured since the session opened.',
  scope: 'debug-read-only',
  effects: ['reads-device'],
  params: z.object({ maxBytes: z.number().int().positive().max(16 * 1024 * 1024).optional() }).strict(),
});

export const telemetryStream = defineCommand({
  id: 'telemetry.stream',
  title: 'Start or stop telemetry',
  summary: 'Turns the live telemetry stream on or off.',
  scope: 'debug-read-only',
  effects: ['reads-device'],
  params: z.object({ on: z.boolean() }).strict(),
});

export const MAX_IMAGE_BYTES = 64 * 1024 * 1024;

export const firmwareUpload = defineCommand({
  id: 'firmware.upload',
  title: 'Update firmware',
  summary: 'Verifies the image, writes it to the update slot and activates it at the next reset.',
  scope: 'configuration',
  effects: ['writes-flash', 'changes-config-at-reset'],
  job: true,
  params: z
    .object({
      name: z.string().min(1).max(255),
      data: z.instanceof(Uint8Array).refine((d) => d.length > 0 && d.length <= MAX_IMAGE_BYTES, `1 byte to ${MAX_IMAGE_BYTES} bytes`),
      /** Reset after the transfer so the new image runs. */
      activate: z.boolean().optional(),
    })
    .strict(),
});

export const COMMON_COMMANDS = [deviceInfo, configRead, configWrite, deviceReset, consoleWrite, consoleHistory, telemetryStream, firmwareUpload] as const;
