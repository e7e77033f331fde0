// A run cut short in the middle of the flash step resumes from its checkpoint:
// the steps already done are not run again, the flash runs whole, and the run
// completes. Both ways a lab loses a run: the operator stops it, and the app
// (the host) goes away and starts again on the same state directory.
import { writeFileSync } from 'node:fs';
import { Host } from '../../../electron/host/host';
import { testHost } from '../../support/test-host';
import { loadRecipeFile } from '../../../electron/host/recipes/recipe-source';
import { runRecipe, resumeRun, checkpointStore, profileStore } from '../../../electron/host/recipes/recipe-runner';
import type { RecipeRunState } from '../../../electron/contract/recipes';
import { bringUpFolder, bringUpRecipe } from './recipe-fixtures';

const DEMO = 'demo:DEMO-1001';
const FLASH = 4;
const hosts: Host[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
});

const midFlash = (s: RecipeRunState) => s.steps[FLASH].state === 'running' && (s.steps[FLASH].progress?.done ?? 0) > 0 && s.steps[FLASH].progress!.done < s.steps[FLASH].progress!.total;

describe('resuming an interrupted recipe run', () => {
  it('resumes after the run is stopped mid-transfer', async () => {
    const host = await testHost({ demoBoards: 1 });
    hosts.push(host);
    const { recipePath } = bringUpFolder({ imageKiB: 128 });
    const loaded = await loadRecipeFile(recipePath);
    const stop = new AbortController();
    const first = await runRecipe(host, loaded, DEMO, { grant: { scope: 'configuration' }, signal: stop.signal, onUpdate: (s) => midFlash(s) && stop.abort() });
    expect(first.status).toBe('interrupted');
    expect(first.nextStep).toBe(FLASH);
    expect(first.steps[FLASH]).toMatchObject({ state: 'failed', error: { code: 'cancelled' } });
    const onDisk = checkpointStore(host).load(first.runId);
    expect(onDisk).toMatchObject({ status: 'interrupted', nextStep: FLASH });
    const profileDoneAt = onDisk.steps[2].endedAt;

    const resumed = await resumeRun(host, first.runId, { grant: { scope: 'configuration' } });
    if (resumed.status !== 'passed') throw new Error(JSON.stringify(resumed.error));
    expect(resumed.resumes).toBe(1);
    expect(resumed.steps[2].endedAt).toBe(profileDoneAt);
    expect(resumed.steps[8].state).toBe('done');
    // The profile was applied once: its step is audited once and journalled once.
    const profileSteps = host.audit.query({ kind: 'job-step' }).filter((r) => r.detail?.runId === first.runId && r.detail?.step === 3);
    expect(profileSteps).toHaveLength(1);
    expect(profileStore(host).journal(DEMO)).toHaveLength(1);
    // The flash step ran twice: stopped once, then completed.
    const flashSteps = host.audit.query({ kind: 'job-step' }).filter((r) => r.detail?.runId === first.runId && r.detail?.step === FLASH + 1);
    expect(flashSteps.map((r) => r.outcome).sort()).toEqual(['error', 'ok']);
  });

  it('resumes in a new host after the first one closed mid-transfer', async () => {
    const hostA = await testHost({ demoBoards: 1 });
    hosts.push(hostA);
    const { recipePath } = bringUpFolder({ imageKiB: 128, telemetry: 'vin' });
    let closing: Promise<void> | null = null;
    const first = await runRecipe(hostA, await loadRecipeFile(recipePath), DEMO, {
      grant: { scope: 'configuration' },
      onUpdate: (s) => {
        if (!closing && midFlash(s)) closing = hostA.close();
      },
    });
    await closing;
    hosts.splice(hosts.indexOf(hostA), 1);
    expect(closing).not.toBeNull();
    expect(first.status).toBe('interrupted');
    expect(first.nextStep).toBe(FLASH);

    // "The app restarts": a new host on the same state directory.
    const hostB = await Host.create({ paths: hostA.paths, discovery: false, demoTransport: 'in-process', demoBoards: 1 });
    hosts.push(hostB);
    const resumed = await resumeRun(hostB, first.runId, { grant: { scope: 'configuration' } });
    if (resumed.status !== 'passed') throw new Error(JSON.stringify(resumed.error));
    expect(resumed.steps.slice(0, FLASH).every((s, i) => s.endedAt === first.steps[i].endedAt)).toBe(true);
    expect((resumed.steps[5].result as { identity: { firmware: string } }).identity.firmware).toBe('2.1.0+7');
  });

  it('refuses to resume when the recipe file changed', async () => {
    const host = await testHost({ demoBoards: 1 });
    hosts.push(host);
    const { recipePath } = bringUpFolder({ imageKiB: 128 });
    const stop = new AbortController();
    const first = await runRecipe(host, await loadRecipeFile(recipePath), DEMO, { grant: { scope: 'configuration' }, signal: stop.signal, onUpdate: (s) => midFlash(s) && stop.abort() });
    expect(first.status).toBe('interrupted');
    const edited = bringUpRecipe() as { steps: unknown[] };
    edited.steps.push({ type: 'check', command: 'device.info', expect: [{ path: 'board', exists: true }] });
    writeFileSync(recipePath, JSON.stringify(edited));
    await expect(resumeRun(host, first.runId, { grant: { scope: 'configuration' } })).rejects.toMatchObject({ code: 'verification-failed', message: expect.stringContaining('has changed since run') });
    expect(checkpointStore(host).load(first.runId).status).toBe('interrupted');
  });

  it('refuses to resume a run that passed or does not exist', async () => {
    const host = await testHost({ demoBoards: 1 });
    hosts.push(host);
    await expect(resumeRun(host, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('no checkpoint') });
    await expect(resumeRun(host, '../../etc/passwd')).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('not a run id') });
  });
});
