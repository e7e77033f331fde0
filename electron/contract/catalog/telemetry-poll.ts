// Telemetry that the host reads on an interval rather than the device
// streaming it: SMP stats counters, CXL feature fields. Reading only; the
// poll stops when the session closes.
import { z } from 'zod';
import { defineCommand } from '../commands';

export const POLL_SOURCES = ['smp-stats', 'cxl-features'] as const;
export type PollSourceKind = (typeof POLL_SOURCES)[number];

/** Below this a poll would crowd out the operator's own commands on a shared link. */
export const MIN_POLL_INTERVAL_MS = 100;
export const MAX_POLL_INTERVAL_MS = 3_600_000;
export const DEFAULT_POLL_INTERVAL_MS = 1000;

export const telemetryPoll = defineCommand({
  id: 'telemetry.poll',
  title: 'Poll counters as telemetry',
  summary: 'Reads device counters (SMP stats groups, CXL feature fields) on an interval and streams each number as a telemetry channel.',
  scope: 'debug-read-only',
  effects: ['reads-device'],
  params: z
    .object({
      on: z.boolean(),
      source: z.enum(POLL_SOURCES).optional(),
      intervalMs: z.number().int().min(MIN_POLL_INTERVAL_MS).max(MAX_POLL_INTERVAL_MS).optional(),
      /** SMP stats groups to read (default: every group the device lists). */
      groups: z.array(z.string().min(1).max(64)).min(1).max(32).optional(),
      /** CXL features by key (patrolScrub, ddr5Ecs, ...) or UUID (default: every decoded feature the device lists). */
      features: z.array(z.string().min(1).max(64)).min(1).max(32).optional(),
    })
    .strict(),
});

/** What is polling now and how it went; never touches the device. */
export const telemetryPollStatus = defineCommand({
  id: 'telemetry.poll-status',
  title: 'Show polling status',
  summary: 'Shows what is being polled, how often, and how many reads failed or were skipped.',
  scope: 'configuration',
  effects: [],
  params: z.object({}).strict(),
});
