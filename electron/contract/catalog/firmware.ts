// Firmware activation and MCUmgr SMP commands (the demo board and SMP devices).
//
// Scopes (issue 5.7): uploading an image and activating it is `configuration`
// (flash that becomes live at a reset, and MCUboot reverts it unless it comes up
// and is confirmed). Anything that can leave a board without a working image or
// bypasses that check is `debug-write`: erasing a slot, and confirming by hash
// (that can make an image permanent that never booted). Confirming WITHOUT a
// hash only keeps the image that is running now — it got there through a test
// swap and booted — so it stays at `configuration`.
import { z } from 'zod';
import { defineCommand } from '../commands';
import { MAX_IMAGE_BYTES } from './common';

const hash = z.string().regex(/^[0-9a-fA-F]{64}$/, 'a SHA-256 as 64 hex digits');
const settingName = z.string().min(1).max(63);

export const firmwareUpdate = defineCommand({
  id: 'firmware.update',
  title: 'Update firmware (SMP, safe activation)',
  summary:
    'Checks the image (MCUboot hash, board, version), uploads it, marks it for a trial boot, resets, checks that the new image runs and only then confirms it. A board that reverts fails the job.',
  scope: 'configuration',
  effects: ['writes-flash', 'changes-config-at-reset', 'resets-device'],
  job: true,
  params: z
    .object({
      name: z.string().min(1).max(255),
      data: z.instanceof(Uint8Array).refine((d) => d.length > 0 && d.length <= MAX_IMAGE_BYTES, `1 byte to ${MAX_IMAGE_BYTES} bytes`),
      /** Reset into the new image (default true). Without it the image is staged for a trial boot at the next reset. */
      activate: z.boolean().optional(),
      /** Confirm the new image once it is checked to run (default true). Without it the board reverts at its next reset. */
      confirm: z.boolean().optional(),
      /** Allow an image that is not newer than the running one. */
      allowDowngrade: z.boolean().optional(),
    })
    .strict(),
});

export const smpImageList = defineCommand({
  id: 'smp.image.list',
  title: 'List image slots',
  summary: 'Reads the image slots: version, hash, and whether each is active, pending or confirmed.',
  scope: 'configuration',
  effects: ['reads-device'],
  params: z.object({}).strict(),
});

export const smpImageTest = defineCommand({
  id: 'smp.image.test',
  title: 'Mark an image for a trial boot',
  summary: 'The image with this hash runs at the next reset; MCUboot reverts it at the reset after unless it is confirmed.',
  scope: 'configuration',
  effects: ['changes-config-at-reset'],
  params: z.object({ hash }).strict(),
});

export const smpImageConfirm = defineCommand({
  id: 'smp.image.confirm',
  title: 'Confirm an image',
  summary:
    'Without a hash: keeps the image that is running now (it booted on trial). With a hash: makes that image permanent even if it never booted, which needs Debug write.',
  scope: 'configuration',
  effects: ['changes-config-at-reset'],
  params: z.object({ hash: hash.optional() }).strict(),
});

/** Confirming by hash can make a never-booted image permanent: debug-write. */
export function smpConfirmScope(p: { hash?: string }): 'configuration' | 'debug-write' {
  return p.hash === undefined ? 'configuration' : 'debug-write';
}

export const smpImageErase = defineCommand({
  id: 'smp.image.erase',
  title: 'Erase the update slot',
  summary: 'Erases slot 1 (the staged or previous image): the fallback image is gone.',
  scope: 'debug-write',
  effects: ['writes-flash'],
  params: z.object({ slot: z.number().int().min(0).max(15).optional() }).strict(),
});

export const smpStatsList = defineCommand({
  id: 'smp.stats.list',
  title: 'List statistics groups',
  summary: 'Names of the counter groups the device keeps.',
  scope: 'debug-read-only',
  effects: ['reads-device'],
  params: z.object({}).strict(),
});

export const smpStatsRead = defineCommand({
  id: 'smp.stats.read',
  title: 'Read a statistics group',
  summary: "Reads one group's counters.",
  scope: 'debug-read-only',
  effects: ['reads-device'],
  params: z.object({ group: z.string().min(1).max(64) }).strict(),
});

export const smpSettingsRead = defineCommand({
  id: 'smp.settings.read',
  title: 'Read a setting (SMP)',
  summary: 'Reads one setting by name through the SMP settings group.',
  scope: 'configuration',
  effects: ['reads-device'],
  params: z.object({ name: settingName }).strict(),
});

export const smpSettingsWrite = defineCommand({
  id: 'smp.settings.write',
  title: 'Write a setting (SMP)',
  summary: 'Writes one setting by name through the SMP settings group; with save it persists across resets.',
  scope: 'configuration',
  effects: ['changes-config-now'],
  params: z.object({ name: settingName, value: z.string().max(1024), save: z.boolean().optional() }).strict(),
});

export const smpEcho = defineCommand({
  id: 'smp.echo',
  title: 'SMP echo',
  summary: "The device sends the text back: checks that SMP works end to end. The device's SMP buffer (buf_size) limits the length.",
  scope: 'configuration',
  effects: ['reads-device'],
  // The real limit is the device's buf_size, checked by the host before sending.
  params: z.object({ text: z.string().max(65_000) }).strict(),
});

export const smpParams = defineCommand({
  id: 'smp.params',
  title: 'SMP buffer parameters',
  summary: "The device's SMP buffer size and count (they set the upload chunk size and pipelining).",
  scope: 'configuration',
  effects: ['reads-device'],
  params: z.object({}).strict(),
});

export const smpReset = defineCommand({
  id: 'smp.reset',
  title: 'Reset (SMP)',
  summary: 'Resets the device with the SMP OS reset command; a pending image is swapped in.',
  scope: 'configuration',
  effects: ['resets-device'],
  params: z.object({}).strict(),
});

export const SMP_COMMANDS = [smpImageList, smpImageTest, smpImageConfirm, smpImageErase, smpStatsList, smpStatsRead, smpSettingsRead, smpSettingsWrite, smpEcho, smpParams, smpReset] as const;
export const FIRMWARE_COMMANDS = [firmwareUpdate, ...SMP_COMMANDS] as const;
