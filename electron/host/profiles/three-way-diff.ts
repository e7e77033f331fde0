// Live device, last snapshot and profile side by side, key by key.
import type { ConfigEntry, ConfigValue } from '../../contract/config';
import type { ProfileDiffRow, ProfileKeyStatus } from '../../contract/recipes';
import { sameValue } from './profile-format';

export function threeWayDiff(live: readonly ConfigEntry[], snapshot: Record<string, ConfigValue> | null, profile: Record<string, ConfigValue>): ProfileDiffRow[] {
  const liveMap = new Map(live.map((e) => [e.key, e]));
  const keys = [...new Set([...live.map((e) => e.key), ...Object.keys(snapshot ?? {}), ...Object.keys(profile)])].sort();
  return keys.map((key) => {
    const entry = liveMap.get(key);
    const liveValue = entry?.value;
    const snap = snapshot ? snapshot[key] : undefined;
    const inProfile = Object.prototype.hasOwnProperty.call(profile, key);
    const prof = inProfile ? profile[key] : undefined;
    const changedSinceSnapshot = snapshot !== null && !sameValue(liveValue, snap);
    let status: ProfileKeyStatus = 'same';
    if (inProfile && entry === undefined) status = 'missing';
    else if (inProfile && !sameValue(liveValue, prof)) status = 'differs-from-profile';
    else if (changedSinceSnapshot) status = 'changed-since-snapshot';
    const row: ProfileDiffRow = { key, status, changedSinceSnapshot, readOnly: entry?.readOnly ?? false };
    if (liveValue !== undefined) row.live = liveValue;
    if (snap !== undefined) row.snapshot = snap;
    if (prof !== undefined) row.profile = prof;
    return row;
  });
}

export function countStatuses(rows: readonly ProfileDiffRow[]): Record<ProfileKeyStatus, number> {
  const counts: Record<ProfileKeyStatus, number> = { same: 0, 'differs-from-profile': 0, 'changed-since-snapshot': 0, missing: 0 };
  for (const r of rows) counts[r.status]++;
  return counts;
}
