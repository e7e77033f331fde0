// The example U-Boot recipe (examples/recipes/uboot-env.json) against real
// U-Boot in QEMU, through the host: autoboot stopped, the env checked, the
// site profile applied and saved, and a U-Boot command proving the result.
import { join } from 'node:path';
import { UBootVm } from '../support/uboot-vm';
import { testHost } from '../support/test-host';
import type { Host } from '../../electron/host/host';
import { loadRecipeFile } from '../../electron/host/recipes/recipe-source';
import { runRecipe, profileStore } from '../../electron/host/recipes/recipe-runner';

let vm: UBootVm;
let host: Host;
let deviceId: string;

beforeAll(async () => {
  vm = new UBootVm();
  await (await vm.start()).close();
  host = await testHost({ demoBoards: 0 });
  deviceId = (await host.request('devices.add-serial', { path: vm.consolePath, protocol: 'uboot' }, host.newClient('test'))).id;
  await vm.resume();
});
afterAll(async () => {
  await host?.close();
  await vm?.dispose();
});

describe('recipe on real U-Boot', () => {
  it('runs the example recipe: stop autoboot, check, apply the site profile, prove it', async () => {
    const loaded = await loadRecipeFile(join(__dirname, '../../examples/recipes/uboot-env.json'));
    expect(loaded.plan.grantScope).toBe('debug-write');
    const state = await runRecipe(host, loaded, deviceId, { grant: { scope: 'debug-write' } });
    if (state.status !== 'passed') throw new Error(JSON.stringify(state.error));
    expect(state.steps[1].result).toMatchObject({ atPrompt: true, firmware: expect.stringMatching(/^U-Boot 20\d\d\.\d\d/), board: 'qemu-arm' });
    expect(state.steps[3].result).toMatchObject({ profile: 'lab-3 U-Boot site variables', changes: expect.arrayContaining([{ key: 'fwbench_site', before: undefined, after: 'lab 3' }]) });
    expect(state.steps[4].result).toMatchObject({ result: { output: 'site=lab 3', status: 0 } });
    const journal = profileStore(host).journal(deviceId);
    expect(journal).toHaveLength(1);
    expect(journal[0]).toMatchObject({ saved: true });
    expect(host.audit.query({ kind: 'job-step' }).filter((r) => r.detail?.runId === state.runId)).toHaveLength(5);
    expect(host.audit.verify().ok).toBe(true);
  });
});
