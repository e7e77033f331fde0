// Real U-Boot through the whole host, on each QEMU board in turn: a serial
// session with the U-Boot adapter, the environment as config (refused without
// a grant, backed up before it is changed, saved only where the board can
// save it), single commands at debug-write, and a firmware update through the
// board's flash recipe as one audited job — or, on a board without one, the
// job refused with the reason before anything is sent.
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { UBootVm, ubootBoards, PRIMARY_BOARD, type UBootBoard } from '../support/uboot-vm';
import { testHost } from '../support/test-host';
import type { Host } from '../../electron/host/host';
import type { ClientInfo } from '../../electron/host/router';
import type { JobInfo } from '../../electron/contract/jobs';

type Entries = { result: { entries: { key: string; value: string }[] } };

describe.each(ubootBoards())('U-Boot session through the host: $id', (board: UBootBoard) => {
  const want = board.expect;
  let vm: UBootVm;
  let host: Host;
  let c: ClientInfo;
  let sessionId: string;
  const run = (commandId: string, scope: string, params: unknown) => host.handle({ id: 1, channel: 'command.run', params: { sessionId, commandId, scope, params } }, c);

  beforeAll(async () => {
    vm = new UBootVm({ board });
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

  it('detects U-Boot and reads its identity, including where its environment lives', async () => {
    const s = (await host.request('sessions.list', {}, c))[0];
    expect(s.identity.firmware).toMatch(/^U-Boot 2023\.01/);
    expect(s.identity.board).toBe(want.boardName);
    expect(s.identity.environment).toBe(want.envLocation === 'Flash' ? 'saved in Flash' : 'not saveable (nowhere)');
  });

  it('reads the environment as configuration', async () => {
    const r = await run('config.read', 'configuration', {});
    if (!r.ok) throw new Error(r.error.message);
    const entries = (r.result as Entries).result.entries;
    expect(entries.find((e) => e.key === 'board_name')?.value).toBe(want.boardName);
    expect(Number(entries.find((e) => e.key === 'loadaddr')?.value)).toBe(want.loadAddr);
    expect(entries.length).toBeGreaterThan(15);
  });

  it(
    want.envLocation === 'Flash'
      ? 'refuses an environment change without a grant, then applies and saves it with a backup first'
      : 'refuses an environment change without a grant; refuses to save it (env nowhere) before changing anything; applies it unsaved',
    async () => {
      expect(await run('config.write', 'configuration', { changes: { fwbench_site: 'lab 3; bench 7' } })).toMatchObject({ ok: false, error: { code: 'grant-required' } });
      await host.request('session.grant', { sessionId, scope: 'configuration', confirm: { acknowledged: true } }, c);
      if (want.envLocation !== 'Flash') {
        const refused = await run('config.write', 'configuration', { changes: { fwbench_site: 'lab 3; bench 7' }, save: true });
        expect(refused).toMatchObject({ ok: false, error: { code: 'not-supported', message: expect.stringMatching(/environment nowhere.*cannot be saved/) } });
        const read = (await run('config.read', 'configuration', {})) as { result: Entries };
        expect(read.result.result.entries.some((e) => e.key === 'fwbench_site')).toBe(false);
      }
      const save = want.envLocation === 'Flash';
      const r = await run('config.write', 'configuration', { changes: { fwbench_site: 'lab 3; bench 7' }, save });
      if (!r.ok) throw new Error(r.error.message);
      const { backupFile, saved } = (r.result as { result: { backupFile: string; saved: boolean } }).result;
      expect(saved).toBe(save);
      expect(existsSync(backupFile)).toBe(true);
      expect(readFileSync(backupFile, 'utf8')).toMatch(new RegExp(`^board_name=${want.boardName}$`, 'm'));
      expect(readFileSync(backupFile, 'utf8')).not.toMatch(/fwbench_site/);
      const after = (await run('config.read', 'configuration', {})) as { result: Entries };
      expect(after.result.result.entries.find((e) => e.key === 'fwbench_site')?.value).toBe('lab 3; bench 7');
    },
  );

  it('runs a single U-Boot command only at debug-write', async () => {
    expect(await run('uboot.command', 'debug-write', { command: 'echo hi' })).toMatchObject({ ok: false, error: { code: 'grant-required' } });
    await host.request('session.grant', { sessionId, scope: 'debug-write', confirm: { acknowledged: true } }, c);
    const r = await run('uboot.command', 'debug-write', { command: 'echo fwbench-$board_name' });
    expect(r).toMatchObject({ ok: true, result: { result: { output: `fwbench-${want.boardName}`, status: 0 } } });
    expect((await host.request('sessions.list', {}, c))[0].tainted).toBe(true);
  });

  if (want.flashRecipe) {
    it('updates firmware through the flash recipe as one job: CRC in RAM, erase, write, read back, reset', async () => {
      const image = new Uint8Array(randomBytes(board.id === PRIMARY_BOARD.id ? 64 * 1024 : 32 * 1024));
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
  } else {
    it('refuses the firmware update job with the reason, before anything is sent to the board', async () => {
      const r = await run('firmware.upload', 'configuration', { name: 'app.bin', data: new Uint8Array(randomBytes(4096)) });
      if (!r.ok) throw new Error(r.error.message);
      const job = await waitJob((r.result as { jobId: string }).jobId);
      expect(job.state).toBe('failed');
      const reason = want.flashSize === 0 ? /has no flash that U-Boot can write \(bdinfo: flashsize = 0x0+\); nothing was written/ : /no flash recipe for the board "qemu-riscv".*nothing was written/;
      expect(job.error).toMatchObject({ code: 'not-supported', message: expect.stringMatching(reason) });
      expect(job.steps.filter((s) => s.state === 'done').map((s) => s.name)).toEqual([]);
      // No download ever reached the board: U-Boot sets filesize after every load.
      expect(await run('uboot.command', 'debug-write', { command: 'env exists filesize' })).toMatchObject({ ok: true, result: { result: { status: 1 } } });
    });
  }
});
