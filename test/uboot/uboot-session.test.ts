// Real U-Boot through the whole host: a serial session with the U-Boot
// adapter, the environment as config (refused without a grant, backed up
// before it is changed), single commands at debug-write, and a firmware update
// through the board's flash recipe as one audited job.
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { UBootVm } from '../support/uboot-vm';
import { testHost } from '../support/test-host';
import type { Host } from '../../electron/host/host';
import type { ClientInfo } from '../../electron/host/router';
import type { JobInfo } from '../../electron/contract/jobs';

let vm: UBootVm;
let host: Host;
let c: ClientInfo;
let sessionId: string;
const run = (commandId: string, scope: string, params: unknown) => host.handle({ id: 1, channel: 'command.run', params: { sessionId, commandId, scope, params } }, c);

beforeAll(async () => {
  vm = new UBootVm();
  // The harness opens the console first; hand it to the host while the guest is still halted.
  await (await vm.start()).close();
  host = await testHost({ demoBoards: 0 });
  c = host.newClient('test');
  const dev = await host.request('devices.add-serial', { path: vm.consolePath, protocol: 'uboot' }, c);
  const opening = host.request('session.open', { deviceId: dev.id }, c);
  await new Promise((r) => setTimeout(r, 200));
  await vm.resume();
  sessionId = (await opening).id;
});
afterAll(async () => {
  await host?.close();
  await vm?.dispose();
});

function waitJob(jobId: string): Promise<JobInfo> {
  return new Promise((resolve) => {
    const off = host.onEvent((e) => {
      if (e.type === 'job' && e.job.id === jobId && e.job.state !== 'running') {
        off();
        resolve(e.job);
      }
    });
  });
}

describe('U-Boot session through the host', () => {
  it('detects U-Boot and reads its identity', async () => {
    const s = (await host.request('sessions.list', {}, c))[0];
    expect(s.identity.firmware).toMatch(/^U-Boot 20\d\d\.\d\d/);
    expect(s.identity.board).toBe('qemu-arm');
  });

  it('reads the environment as configuration', async () => {
    const r = await run('config.read', 'configuration', {});
    if (!r.ok) throw new Error(r.error.message);
    const entries = (r.result as { result: { entries: { key: string; value: string }[] } }).result.entries;
    expect(entries.find((e) => e.key === 'board_name')?.value).toBe('qemu-arm');
    expect(entries.length).toBeGreaterThan(20);
  });

  it('refuses an environment change without a grant, then applies it with a backup first', async () => {
    expect(await run('config.write', 'configuration', { changes: { fwbench_site: 'lab 3; bench 7' } })).toMatchObject({ ok: false, error: { code: 'grant-required' } });
    await host.request('session.grant', { sessionId, scope: 'configuration', confirm: { acknowledged: true } }, c);
    const r = await run('config.write', 'configuration', { changes: { fwbench_site: 'lab 3; bench 7' }, save: true });
    if (!r.ok) throw new Error(r.error.message);
    const { backupFile, saved } = (r.result as { result: { backupFile: string; saved: boolean } }).result;
    expect(saved).toBe(true);
    expect(existsSync(backupFile)).toBe(true);
    expect(readFileSync(backupFile, 'utf8')).toMatch(/^board_name=qemu-arm$/m);
    expect(readFileSync(backupFile, 'utf8')).not.toMatch(/fwbench_site/);
    const after = await run('config.read', 'configuration', {});
    const entries = (after as { result: { result: { entries: { key: string; value: string }[] } } }).result.result.entries;
    expect(entries.find((e) => e.key === 'fwbench_site')?.value).toBe('lab 3; bench 7');
  });

  it('runs a single U-Boot command only at debug-write', async () => {
    expect(await run('uboot.command', 'debug-write', { command: 'echo hi' })).toMatchObject({ ok: false, error: { code: 'grant-required' } });
    await host.request('session.grant', { sessionId, scope: 'debug-write', confirm: { acknowledged: true } }, c);
    const r = await run('uboot.command', 'debug-write', { command: 'echo fwbench-$board_name' });
    expect(r).toMatchObject({ ok: true, result: { result: { output: 'fwbench-qemu-arm', status: 0 } } });
    expect((await host.request('sessions.list', {}, c))[0].tainted).toBe(true);
  });

  it('updates firmware through the flash recipe as one job: CRC in RAM, erase, write, read back, reset', async () => {
    const image = new Uint8Array(randomBytes(64 * 1024));
    const r = await run('firmware.upload', 'configuration', { name: 'app.bin', data: image });
    if (!r.ok) throw new Error(r.error.message);
    const job = await waitJob((r.result as { jobId: string }).jobId);
    expect(job.error).toBeUndefined();
    expect(job.state).toBe('done');
    const names = job.steps.filter((s) => s.state === 'done').map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['Choose flash recipe', 'Transfer', 'Verify CRC in RAM', 'Erase', 'Write flash', 'Verify flash CRC', 'Compare flash with RAM', 'Reset and re-acquire']));
    const steps = host.audit.query({ sessionId, kind: 'job-step' });
    expect(steps.length).toBeGreaterThanOrEqual(8);
  });
});
