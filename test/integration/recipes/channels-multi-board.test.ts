// The renderer's path: recipe text and files over the channels, runs on the
// client's own sessions (its grant is all a run can use), two boards at once,
// followed with recipe.status; and runRecipeOnMany's per-board table.
import type { Host } from '../../../electron/host/host';
import { testHost } from '../../support/test-host';
import { buildMcubootImage } from '../../support/mcuboot-image';
import { loadRecipeText, filesFromMap } from '../../../electron/host/recipes/recipe-source';
import { runRecipeOnMany } from '../../../electron/host/recipes/recipe-runner';
import type { RecipeRunState } from '../../../electron/contract/recipes';
import { bringUpRecipe, DEMO_PROFILE } from './recipe-fixtures';

const BOARDS = ['demo:DEMO-1001', 'demo:DEMO-1002'];
let host: Host;
beforeAll(async () => {
  host = await testHost({ demoBoards: 2 });
});
afterAll(async () => host?.close());

async function until(runId: string, c: ReturnType<Host['newClient']>): Promise<RecipeRunState> {
  for (;;) {
    const s = await host.request('recipe.status', { runId }, c);
    if (s.status !== 'running') return s;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('recipes over the channels, on two boards', () => {
  const text = JSON.stringify(bringUpRecipe());
  const files: Record<string, Uint8Array<ArrayBuffer>> = {
    'images/app-2.1.0.bin': new Uint8Array(buildMcubootImage({ version: [2, 1, 0, 7], bodySize: 8192 })),
    'profiles/lab-3.json': new TextEncoder().encode(JSON.stringify(DEMO_PROFILE)),
  };

  it('plans, refuses a run whose files are missing, and runs on both boards once granted', async () => {
    const c = host.newClient('test');
    const plan = await host.request('recipe.plan', { text }, c);
    expect(plan).toMatchObject({ name: 'Demo board bring-up', grantScope: 'configuration', files: ['profiles/lab-3.json', 'images/app-2.1.0.bin'] });
    await expect(host.request('recipe.run', { text, deviceIds: BOARDS, files: {} }, c)).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('profiles/lab-3.json') });
    await expect(host.request('recipe.plan', { text: '{"fwbench-recipe":1,"name":"x","steps":[{"type":"nope"}]}' }, c)).rejects.toMatchObject({ message: 'Step 1 has an unknown type "nope".' });

    // Without grants the runs stop before changing anything.
    const denied = await host.request('recipe.run', { text, deviceIds: BOARDS, files }, c);
    for (const r of denied.runs) expect(await until(r.runId, c)).toMatchObject({ status: 'failed', error: { code: 'grant-required' } });

    for (const deviceId of BOARDS) {
      const s = (await host.request('sessions.list', {}, c)).find((x) => x.deviceId === deviceId)!;
      await host.request('session.grant', { sessionId: s.id, scope: 'configuration', confirm: { acknowledged: true } }, c);
    }
    const { runs } = await host.request('recipe.run', { text, deviceIds: BOARDS, files }, c);
    const other = host.newClient('test');
    await expect(host.request('recipe.cancel', { runId: runs[0].runId }, other)).rejects.toMatchObject({ message: expect.stringContaining('Only the window that started') });
    const ends = await Promise.all(runs.map((r) => until(r.runId, c)));
    for (const e of ends) if (e.status !== 'passed') throw new Error(JSON.stringify(e.error));
    expect(ends.map((e) => e.deviceId).sort()).toEqual(BOARDS);
    // The runs used the client's sessions and left them open.
    expect((await host.request('sessions.list', {}, c)).map((s) => s.deviceId).sort()).toEqual(BOARDS);
    expect((await host.request('recipe.runs', { deviceId: BOARDS[1] }, c))[0]).toMatchObject({ runId: runs[1].runId, status: 'passed' });
    for (const s of await host.request('sessions.list', {}, c)) await host.request('session.close', { sessionId: s.id }, c);
  });

  it('runRecipeOnMany returns one row per board, failures included', async () => {
    const read = loadRecipeText(JSON.stringify({ 'fwbench-recipe': 1, name: 'firmware census', steps: [{ type: 'check', command: 'device.info', expect: [{ path: 'firmware', equals: '2.1.0+7' }] }] }), filesFromMap({}));
    const rows = await runRecipeOnMany(host, read, [...BOARDS, 'demo:NOPE']);
    expect(rows.map((r) => [r.deviceId, r.status])).toEqual([
      ['demo:DEMO-1001', 'passed'],
      ['demo:DEMO-1002', 'passed'],
      ['demo:NOPE', 'failed'],
    ]);
    expect(rows[2].error?.code).toBe('unknown-device');
    await expect(runRecipeOnMany(host, read, [BOARDS[0], BOARDS[0]])).rejects.toMatchObject({ message: expect.stringContaining('named twice') });
  });
});
