// CXL features read with Get Feature on an interval; every number of the
// decoded data is a channel named `<feature>.<field>` (patrolScrub.cycleHours,
// ddr5Ecs.frus.0.threshold).
import { HostError } from '../errors/host-error';
import { CXL_FEATURE_UUID, decodeFeatureData, knownFeatureKey, normalizeUuid, type CxlFeatureInfo, type CxlFwctlClient, type KnownFeatureKey } from '../protocols/cxl';
import { featureReadings } from './cxl-feature-fields';
import type { PollParams, PollPlan } from './poll-controller';
import type { PollReader, Reading } from './reading';

export function cxlFeatureReader(client: CxlFwctlClient, features: readonly CxlFeatureInfo[]): PollReader {
  return {
    async read(signal, problem) {
      const out: Reading[] = [];
      let firstError: unknown = null;
      for (const f of features) {
        if (signal.aborted) throw new HostError('cancelled', 'Polling stopped.');
        try {
          out.push(...featureReadings(decodeFeatureData(f.uuid, await client.getFeature(f.uuid))));
        } catch (e) {
          const err = HostError.from(e);
          if (err.code === 'device-gone') throw err;
          firstError ??= err;
          problem(`${knownFeatureKey(f.uuid) ?? f.uuid}: ${err.message}`);
        }
      }
      if (out.length === 0 && firstError) throw firstError;
      return out;
    },
  };
}

/** Resolves feature names (keys or UUIDs) against the device's supported-feature table. */
export function planCxlFeaturePoll(client: CxlFwctlClient, supported: readonly CxlFeatureInfo[], p: PollParams): PollPlan {
  if (p.source !== undefined && p.source !== 'cxl-features')
    throw new HostError('not-supported', `A CXL device has no ${p.source} to poll; it offers its features (source "cxl-features").`);
  if (p.groups) throw new HostError('invalid-params', '"groups" belongs to SMP stats polling; for CXL name "features".');
  const decodable = supported.filter((f) => knownFeatureKey(f.uuid) !== null && f.getSize > 0);
  let chosen: CxlFeatureInfo[];
  if (!p.features) {
    chosen = decodable;
  } else {
    chosen = [];
    for (const name of p.features) {
      const uuid = uuidOf(name);
      const f = supported.find((x) => x.uuid === uuid);
      if (!f) throw new HostError('not-supported', `The device does not list the feature "${name}".`, `supported: ${supported.map((x) => knownFeatureKey(x.uuid) ?? x.uuid).join(', ')}`);
      if (!decodable.includes(f)) throw new HostError('not-supported', `fwbench cannot turn the feature "${name}" into numbers (it does not decode it, or it has no readable data).`);
      if (!chosen.includes(f)) chosen.push(f);
    }
  }
  if (chosen.length === 0) throw new HostError('not-supported', 'The device lists no CXL feature fwbench can poll.');
  return { source: 'cxl-features', reader: cxlFeatureReader(client, chosen) };
}

function uuidOf(name: string): string {
  if (Object.prototype.hasOwnProperty.call(CXL_FEATURE_UUID, name)) return CXL_FEATURE_UUID[name as KnownFeatureKey];
  try {
    return normalizeUuid(name);
  } catch {
    throw new HostError('invalid-params', `"${name}" is neither a CXL feature name (${Object.keys(CXL_FEATURE_UUID).join(', ')}) nor a UUID.`);
  }
}
