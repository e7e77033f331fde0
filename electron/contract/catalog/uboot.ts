// U-Boot-specific commands (its environment is the generic config.read/write).
import { z } from 'zod';
import { defineCommand } from '../commands';
import { MAX_IMAGE_BYTES } from './common';

export const ubootCommand = defineCommand({
  id: 'uboot.command',
  title: 'Run a U-Boot command',
  summary: 'Runs one command at the U-Boot prompt and returns its output and exit status. U-Boot commands can change anything on the board.',
  scope: 'debug-write',
  effects: ['raw-console-input'],
  params: z.object({ command: z.string().min(1).max(500).refine((c) => !/[\r\n]/.test(c), 'one line') }).strict(),
});

export const ubootLoad = defineCommand({
  id: 'uboot.load',
  title: 'Load a file into RAM (loady)',
  summary: "Sends the file with YMODEM to U-Boot's load address and checks its CRC-32 there. Nothing is written to flash.",
  scope: 'configuration',
  effects: ['changes-config-now'],
  job: true,
  params: z.object({ name: z.string().min(1).max(255), data: z.instanceof(Uint8Array).refine((d) => d.length > 0 && d.length <= MAX_IMAGE_BYTES, 'image size') }).strict(),
});

export const ubootEnvBackups = defineCommand({
  id: 'uboot.env.backups',
  title: 'List environment backups',
  summary: 'The environment copies fwbench took before each change, newest first.',
  scope: 'configuration',
  effects: ['reads-device'],
  params: z.object({}).strict(),
});
