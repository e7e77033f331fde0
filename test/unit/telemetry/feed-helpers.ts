import type { TelemetryParser, ParseError } from '../../../electron/host/telemetry/parsers/parser';
import { samplesOf } from '../../../electron/host/telemetry/sample-batch';

export type Sample = { channel: string; t: number; hostT: number; value: number };

/** Feeds `bytes` cut at the given positions; returns all samples and errors. */
export function feedCut(parser: TelemetryParser, bytes: Uint8Array, cuts: number[], hostT = (i: number) => 1000 + i): { samples: Sample[]; errors: ParseError[] } {
  const samples: Sample[] = [];
  const errors: ParseError[] = [];
  let from = 0;
  const points = [...cuts, bytes.length];
  points.forEach((to, i) => {
    const r = parser.feed(bytes.subarray(from, to), hostT(i));
    samples.push(...samplesOf(r.samples));
    errors.push(...r.errors);
    from = to;
  });
  return { samples, errors };
}

/** Samples ordered for comparison independent of how batches grouped them. */
export function byChannel(samples: Sample[]): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  for (const s of samples) (out[s.channel] ??= []).push([s.t, s.value]);
  return out;
}

export const bytesOf = (s: string) => new TextEncoder().encode(s);
