// A bring-up recipe against the demo board through a real Host: wait for the
// board, check it, apply a profile, flash an MCUboot image, reset, check the
// new version and the core rail's telemetry.
import type { Host } from '../../../electron/host/host';
import { testHost } from '../../support/test-host';
import { loadRecipeFile } from '../../../electron/host/recipes/recipe-source';
import { runRecipe, checkpointStore, profileStore } from '../../../electron/host/recipes/recipe-runner';
import type { RecipeRunState } from '../../../electron/contract/recipes';
import { bringUpFolder } from './recipe-fixtures';

const DEMO = 'demo:DEMO-1001';
let host: Host;
afterEach(async () => host?.close());

describe('demo board bring-up recipe', () => {
  it('runs end to end, audits each step and checkpoints the result', async () => {
    host = await testHost({ demoBoards: 1 });
    const { recipePath } = bringUpFolder();
    const loaded = await loadRecipeFile(recipePath);
    expect(loaded.plan.grantScope).toBe('configuration');
    const updates: RecipeRunState[] = [];
    const state = await runRecipe(host, loaded, DEMO, { grant: { scope: 'configuration' }, onUpdate: (s) => updates.push(s) });
    if (state.status !== 'passed') throw new Error(JSON.stringify(state.error));
    expect(state.steps.map((s) => s.state)).toEqual(Array(9).fill('done'));
    expect(state.nextStep).toBe(9);

    // The board really runs the new image with the profile's settings.
    const c = host.newClient('test');
    const s = await host.request('session.open', { deviceId: DEMO }, c);
    const info = (await host.request('command.run', { sessionId: s.id, commandId: 'device.info', scope: 'configuration', params: {} }, c)).result as { firmware: string };
    expect(info.firmware).toBe('2.1.0+7');
    const cfg = (await host.request('command.run', { sessionId: s.id, commandId: 'config.read', scope: 'configuration', params: {} }, c)).result as { entries: { key: string; value: unknown }[] };
    expect(Object.fromEntries(cfg.entries.map((e) => [e.key, e.value]))).toMatchObject({ vcore_mv: 900, fan_mode: 'quiet', hostname: 'bench-7', alarm_temp_c: 80 });

    // The flash step saw progress; the telemetry step measured the rail the profile set.
    expect(updates.some((u) => u.steps[4].state === 'running' && (u.steps[4].progress?.done ?? 0) > 0)).toBe(true);
    const tele = state.steps[8].result as { samples: number; min: number; max: number };
    expect(tele.samples).toBeGreaterThanOrEqual(50);
    expect(tele.min).toBeGreaterThan(0.88);
    expect(tele.max).toBeLessThan(0.92);

    // Every step is audited with the recipe and its result; the commands too.
    const steps = host.audit.query({ kind: 'job-step' }).filter((r) => r.detail?.recipe === 'Demo board bring-up');
    expect(steps.map((r) => r.detail?.step).sort((a, b) => Number(a) - Number(b))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(steps.every((r) => r.outcome === 'ok')).toBe(true);
    expect(host.audit.query({ commandId: 'firmware.upload', outcome: 'ok' }).length).toBeGreaterThan(0);
    expect(host.audit.verify().ok).toBe(true);

    // The checkpoint on disk says the same; the config journal has the profile's changes.
    expect(checkpointStore(host).load(state.runId)).toMatchObject({ status: 'passed', nextStep: 9, deviceId: DEMO });
    const journal = profileStore(host).journal(DEMO);
    expect(journal).toHaveLength(1);
    expect(journal[0].source).toContain(state.runId);
    expect(journal[0].changes).toEqual(
      expect.arrayContaining([
        { key: 'vcore_mv', before: 850, after: 900 },
        { key: 'fan_mode', before: 'auto', after: 'quiet' },
      ]),
    );
  });

  it('refuses to start changing a board whose session holds no grant', async () => {
    host = await testHost({ demoBoards: 1 });
    const { recipePath } = bringUpFolder();
    const state = await runRecipe(host, await loadRecipeFile(recipePath), DEMO);
    expect(state.status).toBe('failed');
    // wait-device opens the session and finds no grant: nothing was changed.
    expect(state.steps[0]).toMatchObject({ state: 'failed', error: { code: 'grant-required' } });
    expect(host.audit.query({ commandId: 'config.write' })).toHaveLength(0);
  });
});
