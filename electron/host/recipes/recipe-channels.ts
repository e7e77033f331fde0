// The recipe and profile channels the renderer (or a served browser) uses.
// The client is untrusted: it sends the recipe text and the files it names as
// bytes (it has no file system here), and runs use the client's own sessions,
// so the grant it holds there is all a run can use.
import { randomUUID } from 'node:crypto';
import type { Host } from '../host';
import type { ClientInfo } from '../router';
import type { ConfigJournalEntry, ConfigProfile, ProfileApplyResult, ProfileDiff, RecipePlan, RecipeRunState } from '../../contract/recipes';
import { HostError } from '../errors/host-error';
import { operatorName } from '../platform/host-facts';
import { parseProfile } from '../profiles/profile-format';
import { applyProfile, captureProfile, diffProfile } from '../profiles/profile-ops';
import { sessionConfigDevice } from '../profiles/session-config-device';
import { filesFromMap, loadRecipeText } from './recipe-source';
import { cancelRun, listRuns, profileStore, recipeChanged, resumeRun, runRecipe, runState } from './recipe-runner';

export class RecipeChannels {
  /** Which client started which run: only it may stop it. */
  private starters = new Map<string, string>();

  constructor(private readonly host: Host) {}

  async plan(p: { text: string }): Promise<RecipePlan> {
    return loadRecipeText(p.text, filesFromMap({})).plan;
  }

  async run(p: { text: string; deviceIds: string[]; files?: Record<string, Uint8Array> }, client: ClientInfo): Promise<{ runs: { deviceId: string; runId: string }[] }> {
    const loaded = loadRecipeText(p.text, filesFromMap(p.files ?? {}));
    if (new Set(p.deviceIds).size !== p.deviceIds.length) throw new HostError('bad-request', 'A device is named twice; each board runs the recipe once.');
    for (const f of loaded.plan.files) await loaded.files.read(f);
    const runs = p.deviceIds.map((deviceId) => ({ deviceId, runId: randomUUID() }));
    for (const r of runs) {
      this.starters.set(r.runId, client.id);
      // Progress is read with recipe.status; the checkpoint holds the outcome.
      void runRecipe(this.host, loaded, r.deviceId, { client, runId: r.runId }).catch(() => {});
    }
    return { runs };
  }

  async status(p: { runId: string }): Promise<RecipeRunState> {
    return runState(this.host, p.runId);
  }

  async runs(p: { deviceId?: string }): Promise<RecipeRunState[]> {
    return listRuns(this.host, p).slice(0, 200);
  }

  async resume(p: { runId: string; text: string; files?: Record<string, Uint8Array> }, client: ClientInfo): Promise<{ runId: string }> {
    const recipe = loadRecipeText(p.text, filesFromMap(p.files ?? {}));
    const before = runState(this.host, p.runId);
    if (before.status === 'running') throw new HostError('device-busy', `Run ${p.runId} is still running.`);
    if (before.recipeHash !== recipe.plan.hash) throw recipeChanged(before, recipe);
    this.starters.set(p.runId, client.id);
    void resumeRun(this.host, p.runId, { client, recipe }).catch(() => {});
    return { runId: p.runId };
  }

  async cancel(p: { runId: string }, client: ClientInfo): Promise<RecipeRunState> {
    if (this.starters.get(p.runId) !== client.id) throw new HostError('bad-request', 'Only the window that started a run can stop it.');
    return cancelRun(this.host, p.runId);
  }

  private async configDevice(sessionId: string, client: ClientInfo) {
    const s = (await this.host.request('sessions.list', {}, client)).find((x) => x.id === sessionId);
    if (!s) throw new HostError('unknown-session', 'That session is not open.', sessionId);
    return sessionConfigDevice(this.host, client, s);
  }

  async profileCapture(p: { sessionId: string; name: string }, client: ClientInfo): Promise<ConfigProfile> {
    return captureProfile(await this.configDevice(p.sessionId, client), p.name, profileStore(this.host));
  }

  async profileDiff(p: { sessionId: string; profile: unknown }, client: ClientInfo): Promise<ProfileDiff> {
    return diffProfile(await this.configDevice(p.sessionId, client), parseProfile(p.profile), profileStore(this.host));
  }

  async profileApply(p: { sessionId: string; profile: unknown; dryRun: boolean; save?: boolean }, client: ClientInfo): Promise<ProfileApplyResult> {
    const dev = await this.configDevice(p.sessionId, client);
    return applyProfile(dev, parseProfile(p.profile), profileStore(this.host), { dryRun: p.dryRun, save: p.save, actor: { operator: operatorName(), client: `${client.via}:${client.id}` } });
  }

  async profileHistory(p: { deviceId: string }): Promise<ConfigJournalEntry[]> {
    return profileStore(this.host).journal(p.deviceId);
  }
}
