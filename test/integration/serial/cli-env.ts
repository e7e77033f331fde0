// A private XDG home for CLI runs in tests (audit journal, policy with --yes allowed).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function useCliHome(policy: Record<string, unknown> = { allowYes: true }): { home: string; audit: string } {
  const home = mkdtempSync(join(tmpdir(), 'fwbench-cli-'));
  process.env.XDG_CONFIG_HOME = join(home, 'config');
  process.env.XDG_STATE_HOME = join(home, 'state');
  process.env.XDG_CACHE_HOME = join(home, 'cache');
  mkdirSync(join(home, 'config', 'fwbench'), { recursive: true });
  writeFileSync(join(home, 'config', 'fwbench', 'policy.json'), JSON.stringify(policy));
  return { home, audit: join(home, 'state', 'fwbench', 'audit.jsonl') };
}
