// A session's SMP adapter and the update job against modelled devices over a
// pipe: opening never depends on an optional group, the catalog follows what
// the device offers, and the update job says plainly what a device cannot do.
import { randomUUID } from 'node:crypto';
import { createPipePair } from '../../../electron/host/transports/pipe-pair';
import { SmpDeviceAdapter } from '../../../electron/host/adapters/smp-device-adapter';
import { ConsoleCapture } from '../../../electron/host/console/console-capture';
import { JobEngine } from '../../../electron/host/jobs/job-engine';
import type { JobInfo } from '../../../electron/contract/jobs';
import { attachSmpServer, SMP_DEVICE_PROFILES, SmpBoardState, type SmpProfileName } from '../../../electron/host/demo/smp-server';
import type { SmpClientOptions } from '../../../electron/host/protocols/smp';
import { image, tlvHash } from './harness';

interface Opened {
  adapter: SmpDeviceAdapter;
  state: SmpBoardState;
  capture: ConsoleCapture;
  run<T = unknown>(id: string, params?: unknown): Promise<T>;
  job(id: string, params: unknown): Promise<JobInfo>;
  close(): Promise<void>;
}

async function open(name: SmpProfileName, client: SmpClientOptions = {}): Promise<Opened> {
  const p = SMP_DEVICE_PROFILES[name];
  const state = new SmpBoardState({ initialImage: image([1, 0, 0], 20_000, 1), identity: { node: 'matrix-board' }, ...p.state });
  const [host, board] = createPipePair();
  const { detach } = attachSmpServer(board, state, p.server);
  const sessionId = randomUUID();
  const capture = new ConsoleCapture(sessionId, () => {});
  const adapter = await SmpDeviceAdapter.open(host, capture, { emit: () => {}, lost: () => {}, identityChanged: () => {} }, sessionId, { timeoutMs: 2000, probeTimeoutMs: 800, ...client });
  const jobs = new JobEngine(null);
  const find = (id: string) => {
    const b = adapter.commands().find((x) => x.decl.id === id);
    if (!b) throw new Error(`no command ${id}`);
    return b;
  };
  return {
    adapter,
    state,
    capture,
    run: async (id, params = {}) => {
      const b = find(id);
      return (await b.run(b.decl.params.parse(params), { sessionId, signal: new AbortController().signal })) as never;
    },
    job: (id, params) =>
      new Promise<JobInfo>((resolve) => {
        const b = find(id);
        const parsed = b.decl.params.parse(params);
        let jid = '';
        const off = jobs.onUpdate((j) => {
          if (j.id === jid && j.state !== 'running') {
            off();
            resolve(j);
          }
        });
        jid = jobs.start({ sessionId, deviceId: 'matrix', commandId: id, title: id, steps: [] }, (h) => b.run(parsed, { sessionId, job: h, signal: h.signal })).id;
      }),
    close: async () => {
      await adapter.close();
      detach();
    },
  };
}

const ids = (a: SmpDeviceAdapter) => a.commands().map((c) => c.decl.id);
const step = (j: JobInfo, name: string) => j.steps.find((s) => s.name === name);

describe('SMP device sessions across modelled devices', () => {
  it('opens a device without the img group; echo and stats work; image commands are not offered', async () => {
    const d = await open('no-img');
    try {
      const id = d.adapter.identity();
      expect(id).toMatchObject({ board: 'matrix-board', bootloader: 'MCUboot', smp_buf_size: '384' });
      expect(id.firmware).toBeUndefined();
      expect(id.smp_not_offered).toMatch(/\bimage\b/);
      expect(id.smp_groups).toMatch(/\bos\b/);
      const offered = ids(d.adapter);
      for (const gone of ['firmware.update', 'firmware.upload', 'smp.image.list', 'smp.image.test', 'smp.image.confirm', 'smp.image.erase']) expect(offered).not.toContain(gone);
      for (const kept of ['smp.echo', 'smp.stats.list', 'smp.settings.read', 'smp.params', 'device.info']) expect(offered).toContain(kept);
      expect(await d.run('smp.echo', { text: 'hello' })).toEqual({ text: 'hello' });
      d.state.bumpStat('app', 'ticks', 3);
      expect(await d.run('smp.stats.list')).toEqual({ groups: ['app'] });
      expect(await d.run('device.info')).toMatchObject({ board: 'matrix-board' });
    } finally {
      await d.close();
    }
  });

  it('takes echo text up to the 2048-byte buffer (about 2000 characters), not a fixed 256', async () => {
    const d = await open('buf-2048');
    try {
      const text = 'x'.repeat(1900);
      expect(await d.run('smp.echo', { text })).toEqual({ text });
      await expect(d.run('smp.echo', { text: 'y'.repeat(2100) })).rejects.toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/at most 20\d\d bytes of echo text/) });
    } finally {
      await d.close();
    }
  });

  it('updates a 384-byte, 2-frame-pool device: smaller requests one at a time, said in the job log', async () => {
    const d = await open('m0-384');
    try {
      expect(d.capture.history()).toMatch(/went unanswered .*requests of at most 2 serial frames/);
      const img = image([2, 0, 0], 6_000, 2);
      const j = await d.job('firmware.update', { name: 'app.bin', data: img });
      expect(j.error).toBeUndefined();
      expect(j.state).toBe('done');
      expect(step(j, 'Transfer')?.message).toMatch(/backed off for this device: requests limited to 2 serial frames \(182 bytes\), 1 in flight/);
      expect(j.result).toMatchObject({ active: '2.0.0+0', confirmed: true, trialBoot: true });
      expect(d.state.running.hash).toEqual(Uint8Array.from(Buffer.from(tlvHash(img), 'hex')));
    } finally {
      await d.close();
    }
  });

  it("updates a direct-xip device that answers image test with ENOTSUP: says there is no test/confirm step and reports the device's own state", async () => {
    const d = await open('direct-xip');
    try {
      const img = image([2, 0, 0], 6_000, 5);
      const j = await d.job('firmware.update', { name: 'app.bin', data: img });
      expect(j.error).toBeUndefined();
      expect(step(j, 'Check image')?.message).toMatch(/direct-xip without revert mode/);
      expect(step(j, 'Mark for test')?.message).toMatch(/cannot mark an image for a trial boot .*MGMT_ERR_ENOTSUP.*no test or confirm step/);
      expect(step(j, 'Confirm')).toMatchObject({ state: 'skipped', message: expect.stringMatching(/has no confirm step/) });
      expect(j.result).toMatchObject({ active: '2.0.0+0', trialBoot: false, confirmed: true, bootloaderMode: 'direct-xip without revert' });
      // The second update lands in slot 0, the one not running now.
      const img3 = image([3, 0, 0], 6_000, 6);
      const j3 = await d.job('firmware.update', { name: 'app3.bin', data: img3 });
      expect(j3.error).toBeUndefined();
      expect(j3.result).toMatchObject({ active: '3.0.0+0', trialBoot: false });
      expect(d.state.runningSlot).toBe(0);
    } finally {
      await d.close();
    }
  });

  it('fails, not succeeds, when a direct-xip bootloader keeps the newer running image', async () => {
    const d = await open('direct-xip');
    try {
      const older = image([0, 9, 0], 6_000, 7);
      const j = await d.job('firmware.update', { name: 'old.bin', data: older, allowDowngrade: true });
      expect(j.state).toBe('failed');
      expect(j.error?.message).toMatch(/still runs 1\.0\.0\+0, not 0\.9\.0.*bootloader did not pick the new image/);
    } finally {
      await d.close();
    }
  });
});
