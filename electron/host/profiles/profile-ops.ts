// Save, compare and apply config profiles. Apply sends only the keys that
// differ (dry run first returns exactly those config.write params), reads the
// device back, snapshots it and journals every change with before and after.
import type { ConfigEntry, ConfigChange, ConfigValue } from '../../contract/config';
import type { ConfigJournalEntry, ConfigProfile, ConfigWriteParams, ProfileApplyResult, ProfileDiff } from '../../contract/recipes';
import { HostError } from '../errors/host-error';
import { buildProfile, sameValue } from './profile-format';
import { countStatuses, threeWayDiff } from './three-way-diff';
import type { ProfileStore } from './profile-store';
import type { Actor, ConfigDevice } from './config-device';

export async function readLiveConfig(dev: ConfigDevice): Promise<ConfigEntry[]> {
  const r = await dev.run<{ entries: ConfigEntry[] }>('config.read', 'configuration', {});
  if (!r || !Array.isArray(r.entries)) throw new HostError('protocol-error', `${dev.label} returned no configuration entries.`);
  return r.entries;
}

const PARTIAL_WRITE_CODES = new Set(['device-error', 'device-gone', 'timeout', 'io-error', 'protocol-error', 'internal', 'cancelled']);

const valuesOf = (entries: readonly ConfigEntry[]) => Object.fromEntries(entries.map((e) => [e.key, e.value])) as Record<string, ConfigValue>;

/** Reads the device into a profile and snapshots what it read. */
export async function captureProfile(dev: ConfigDevice, name: string, store: ProfileStore): Promise<ConfigProfile> {
  const entries = await readLiveConfig(dev);
  store.saveSnapshot(dev.deviceId, valuesOf(entries), `profile save ${name}`);
  return buildProfile(name, dev, entries);
}

function checkKind(dev: ConfigDevice, profile: ConfigProfile): void {
  if (profile.device.protocol !== dev.protocol) {
    throw new HostError('bad-request', `The profile "${profile.name}" is for ${profile.device.protocol} devices; ${dev.label} speaks ${dev.protocol}.`);
  }
}

export async function diffProfile(dev: ConfigDevice, profile: ConfigProfile, store: ProfileStore): Promise<ProfileDiff> {
  checkKind(dev, profile);
  const live = await readLiveConfig(dev);
  const snap = store.latestSnapshot(dev.deviceId);
  const rows = threeWayDiff(live, snap?.values ?? null, profile.values);
  return { deviceId: dev.deviceId, profileName: profile.name, snapshotAt: snap?.takenAt ?? null, rows, counts: countStatuses(rows) };
}

export interface ApplyOptions {
  dryRun: boolean;
  save?: boolean;
  actor: Actor;
  /** Recorded in the journal; default "profile NAME". */
  source?: string;
}

/** The config.write params that bring the device to the profile, and what is left alone. */
export function planApply(live: readonly ConfigEntry[], profile: ConfigProfile, save?: boolean): { writeParams: ConfigWriteParams | null; changes: ConfigChange[]; skipped: { key: string; reason: string }[] } {
  const byKey = new Map(live.map((e) => [e.key, e]));
  const changes: ConfigChange[] = [];
  const skipped: { key: string; reason: string }[] = [];
  for (const [key, wanted] of Object.entries(profile.values)) {
    const entry = byKey.get(key);
    if (entry && sameValue(entry.value, wanted)) continue;
    if (entry?.readOnly) {
      skipped.push({ key, reason: 'read-only on the device' });
      continue;
    }
    changes.push({ key, before: entry?.value, after: wanted });
  }
  if (changes.length === 0) return { writeParams: null, changes, skipped };
  const writeParams: ConfigWriteParams = { changes: Object.fromEntries(changes.map((c) => [c.key, c.after as ConfigValue])) };
  if (save !== undefined) writeParams.save = save;
  return { writeParams, changes, skipped };
}

export async function applyProfile(dev: ConfigDevice, profile: ConfigProfile, store: ProfileStore, opts: ApplyOptions): Promise<ProfileApplyResult> {
  checkKind(dev, profile);
  const live = await readLiveConfig(dev);
  const plan = planApply(live, profile, opts.save);
  if (opts.dryRun || !plan.writeParams) return { dryRun: opts.dryRun, ...plan };
  const journal: ConfigJournalEntry = {
    time: new Date().toISOString(),
    deviceId: dev.deviceId,
    deviceLabel: dev.label,
    operator: opts.actor.operator,
    client: opts.actor.client,
    source: opts.source ?? `profile ${profile.name}`,
    changes: plan.changes,
    saved: opts.save ?? false,
  };
  try {
    await dev.run('config.write', 'configuration', plan.writeParams);
  } catch (e) {
    // A refusal before the device was touched changed nothing; a device that
    // failed midway may hold part of the change: journal that attempt, then fail.
    const err = HostError.from(e);
    if (PARTIAL_WRITE_CODES.has(err.code)) store.appendJournal({ ...journal, source: `${journal.source} (failed: ${err.message})` });
    throw e;
  }
  store.appendJournal(journal);
  const after = await readLiveConfig(dev);
  store.saveSnapshot(dev.deviceId, valuesOf(after), `after apply of ${profile.name}`);
  const afterMap = new Map(after.map((e) => [e.key, e.value]));
  const wrong = plan.changes.filter((c) => !sameValue(afterMap.get(c.key), c.after));
  if (wrong.length) {
    throw new HostError('verification-failed', `${dev.label} does not hold the profile's values after the apply: ${wrong.map((c) => c.key).join(', ')}.`, wrong.map((c) => `${c.key}: wanted ${JSON.stringify(c.after)}, reads ${JSON.stringify(afterMap.get(c.key))}`).join('; '));
  }
  return { dryRun: false, ...plan, journal };
}
