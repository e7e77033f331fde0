import { homedir } from 'node:os';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';

/** XDG base directories (config: policy file; state: audit journal, job history; cache: scratch). */
export interface FwbenchPaths {
  config: string;
  state: string;
  cache: string;
}

export function xdgPaths(env: NodeJS.ProcessEnv = process.env): FwbenchPaths {
  const home = env.HOME || homedir();
  return {
    config: join(env.XDG_CONFIG_HOME || join(home, '.config'), 'fwbench'),
    state: join(env.XDG_STATE_HOME || join(home, '.local', 'state'), 'fwbench'),
    cache: join(env.XDG_CACHE_HOME || join(home, '.cache'), 'fwbench'),
  };
}

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
