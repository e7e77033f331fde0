// Recording is a session service: it works the same for every device that
// streams telemetry, and it never touches the device.
import { z } from 'zod';
import { defineCommand } from '../commands';

export const telemetryRecord = defineCommand({
  id: 'telemetry.record',
  title: 'Record telemetry',
  summary: 'Starts or stops recording the live telemetry to disk (crash-safe .fwtl, optionally CSV).',
  scope: 'debug-read-only',
  effects: [],
  params: z.object({ on: z.boolean(), formats: z.array(z.enum(['fwtl', 'csv'])).min(1).max(2).optional() }).strict(),
});

export const telemetryMark = defineCommand({
  id: 'telemetry.mark',
  title: 'Add a marker',
  summary: 'Puts a text marker at the current time in the recording.',
  scope: 'debug-read-only',
  effects: [],
  params: z.object({ text: z.string().min(1).max(500) }).strict(),
});
