// What counts as a configuration backup for the "no-config-backup" interlock:
// a regular file under
//   <state>/backups/<key>/     (the U-Boot adapter's env-*.txt before every change)
//   <state>/snapshots/<key>/   (configuration snapshots saved by profiles)
// where <key> is the device's path or id with every run of characters other
// than letters, digits, '.', '_' and '-' replaced by '_' — the same key the
// U-Boot adapter uses. The newest file's modification time is its age.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceInfo } from '../../contract/devices';

export const BACKUP_ROOTS = ['backups', 'snapshots'] as const;

export function backupKeys(device: Pick<DeviceInfo, 'id' | 'path'>): string[] {
  const keys = [device.id, ...(device.path ? [device.path] : [])].map((k) => k.replace(/[^\w.-]+/g, '_'));
  return [...new Set(keys)];
}

export function newestBackup(stateDir: string, device: Pick<DeviceInfo, 'id' | 'path'>): { file: string; mtimeMs: number } | null {
  let best: { file: string; mtimeMs: number } | null = null;
  for (const root of BACKUP_ROOTS) {
    for (const key of backupKeys(device)) {
      const dir = join(stateDir, root, key);
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names) {
        try {
          const st = statSync(join(dir, name));
          if (st.isFile() && (!best || st.mtimeMs > best.mtimeMs)) best = { file: join(dir, name), mtimeMs: st.mtimeMs };
        } catch {
          // Removed while we looked.
        }
      }
    }
  }
  return best;
}
