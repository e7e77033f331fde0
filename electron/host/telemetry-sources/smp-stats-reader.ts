// MCUmgr stats groups as telemetry: every counter of the chosen groups is a
// channel named `group.counter`. Requests go through the adapter's SMP client,
// which queues them with everything else on the link.
import { HostError } from '../errors/host-error';
import type { SmpClient } from '../protocols/smp';
import type { PollParams, PollPlan } from './poll-controller';
import type { PollReader, Reading } from './reading';

/** Long enough for a busy UART, short enough that a dead device shows as failing within a few ticks. */
export function smpReadTimeoutMs(intervalMs: number): number {
  return Math.min(5000, Math.max(1000, intervalMs * 2));
}

export function smpStatsReader(client: () => SmpClient, groups: readonly string[], timeoutMs: number): PollReader {
  return {
    async read(signal, problem) {
      const out: Reading[] = [];
      let firstError: unknown = null;
      for (const group of groups) {
        try {
          const fields = await client().statsRead(group, { signal, timeoutMs });
          for (const [counter, value] of Object.entries(fields)) out.push({ channel: `${group}.${counter}`, unit: '', value });
        } catch (e) {
          if (signal.aborted) throw e;
          firstError ??= e;
          problem(`stats group "${group}": ${HostError.from(e).message}`);
        }
      }
      if (out.length === 0 && firstError) throw firstError;
      return out;
    },
  };
}

/**
 * Checks the requested groups against what the device lists (a typo is an
 * error now, not a poll that fails forever) and picks every group by default.
 */
export async function planSmpStatsPoll(client: () => SmpClient, p: PollParams, signal: AbortSignal, intervalMs: number): Promise<PollPlan> {
  if (p.source !== undefined && p.source !== 'smp-stats')
    throw new HostError('not-supported', `This device has no ${p.source} to poll; it offers its SMP stats groups (source "smp-stats").`);
  if (p.features) throw new HostError('invalid-params', '"features" belongs to CXL feature polling; for SMP stats name "groups".');
  const listed = await client().statsList({ signal, timeoutMs: smpReadTimeoutMs(intervalMs) });
  if (listed.length === 0) throw new HostError('not-supported', 'The device lists no SMP stats groups to poll.');
  const unknown = (p.groups ?? []).filter((g) => !listed.includes(g));
  if (unknown.length > 0) throw new HostError('invalid-params', `The device has no stats group ${unknown.map((g) => `"${g}"`).join(', ')}. It lists: ${listed.join(', ')}.`);
  const groups = [...new Set(p.groups ?? listed)];
  return { source: 'smp-stats', reader: smpStatsReader(client, groups, smpReadTimeoutMs(intervalMs)) };
}
