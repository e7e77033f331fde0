// Runs checkpointed to $XDG_STATE_HOME/fwbench/recipes/runs/RUN.json after
// every step (written to a temporary file, then renamed, so a crash leaves
// either the old or the new checkpoint, never half of one).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecipeRunState } from '../../contract/recipes';
import { HostError } from '../errors/host-error';

const RUN_ID = /^[0-9a-f-]{36}$/;

export class CheckpointStore {
  constructor(readonly dir: string) {}

  private file(runId: string): string {
    if (!RUN_ID.test(runId)) throw new HostError('bad-request', `"${runId.slice(0, 80)}" is not a run id.`);
    return join(this.dir, `${runId}.json`);
  }

  save(state: RecipeRunState): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = this.file(state.runId);
    writeFileSync(file + '.tmp', JSON.stringify(state, null, 2), { mode: 0o600 });
    renameSync(file + '.tmp', file);
  }

  load(runId: string): RecipeRunState {
    const file = this.file(runId);
    if (!existsSync(file)) throw new HostError('bad-request', `There is no checkpoint for run ${runId}.`, file);
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as RecipeRunState;
    } catch (e) {
      throw new HostError('io-error', `The checkpoint of run ${runId} cannot be read.`, (e as Error).message);
    }
  }

  /** Newest first. */
  list(filter: { deviceId?: string } = {}): RecipeRunState[] {
    if (!existsSync(this.dir)) return [];
    const out: RecipeRunState[] = [];
    for (const f of readdirSync(this.dir)) {
      if (!f.endsWith('.json')) continue;
      try {
        const s = JSON.parse(readFileSync(join(this.dir, f), 'utf8')) as RecipeRunState;
        if (!filter.deviceId || s.deviceId === filter.deviceId) out.push(s);
      } catch {
        // Skip an unreadable checkpoint; load() names it when asked for.
      }
    }
    return out.sort((a, b) => b.updatedAt - a.updatedAt);
  }
}
