// The adapter over the in-process DFU model without the host in front: plain
// DFU (runtime → detach → download → manifest → verify → reset), a device that
// resets to manifest, cancel, and the adapter's own image check.
import { DfuDeviceAdapter, type DfuLink } from '../../../electron/host/adapters/dfu-device-adapter';
import { dfuPortPath, pickDfuInterface } from '../../../electron/host/adapters/dfu-usb-link';
import type { AdapterSink, BoundCommand } from '../../../electron/host/adapters/device-adapter';
import { DfuDeviceModel, buildModelImage, type DfuDeviceModelOptions } from '../../../electron/host/demo/dfu-model';
import { addDfuSuffix } from '../../../electron/host/firmware/formats';
import { JobEngine } from '../../../electron/host/jobs/job-engine';
import { DeviceRegistry } from '../../../electron/host/devices/registry';
import { usbDiscovery } from '../../../electron/host/devices/discovery-sources';
import { findDfuInterfaces, type DfuInterfaceInfo } from '../../../electron/host/protocols/dfu';
import type { JobInfo } from '../../../electron/contract/jobs';

const IDS = { vendorId: 0x1d50, productId: 0x6089 };
const payload = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);

/** A link to one model, re-enumerating it the way the demo entry does. */
function modelLink(model: DfuDeviceModel): DfuLink {
  return {
    simulated: true,
    acquire: async (want) => {
      if (model.isGone) model.reattach(model.running === 'application' ? 'runtime' : 'dfu');
      const mode = model.stateName.startsWith('app') ? 'runtime' : 'dfu';
      if (want === 'dfu' && mode !== 'dfu') throw new Error('not in DFU mode');
      return { control: model, mode, interfaceNumber: 0, alternateSetting: 0, functional: model.functionalDescriptor, ...IDS, close: async () => {} };
    },
  };
}

const sink = (): AdapterSink & { lostWith: Error[] } => {
  const lostWith: Error[] = [];
  return { lostWith, emit: () => {}, lost: (e) => lostWith.push(e), identityChanged: () => {} };
};

async function runJob(cmd: BoundCommand, params: unknown, onStart?: (cancel: () => void) => void): Promise<JobInfo> {
  const engine = new JobEngine(null);
  const info = engine.start({ sessionId: 's', deviceId: 'd', commandId: cmd.decl.id, title: 't', steps: [] }, (job) => cmd.run(params as never, { sessionId: 's', job, signal: job.signal }));
  onStart?.(() => engine.cancel(info.id));
  for (;;) {
    const j = engine.get(info.id)!;
    if (j.state !== 'running') return j;
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function setup(options: DfuDeviceModelOptions) {
  const old = buildModelImage(payload(100));
  const model = new DfuDeviceModel({ transferSize: 256, initialImage: old, ...options });
  const s = sink();
  const adapter = await DfuDeviceAdapter.open(modelLink(model), s);
  const cmd = (id: string) => adapter.commands().find((c) => c.decl.id === id)!;
  return { model, adapter, cmd, old, sink: s };
}

const steps = (j: JobInfo) => j.steps.map((s) => `${s.name}:${s.state}`);

describe('DfuDeviceAdapter over plain DFU', () => {
  it('detaches a running device, downloads, manifests, reads back equal and resets into the new image', async () => {
    const { model, cmd, adapter } = await setup({ runtime: true, pollTimeoutMs: 1 });
    expect(adapter.identity()).toMatchObject({ usb: '1d50:6089', mode: 'runtime (application)', dfuVersion: '1.10', dfuState: 'appIDLE' });
    const image = buildModelImage(payload(3000));
    const job = await runJob(cmd('firmware.upload'), { name: 'fw.bin', data: image, activate: true });
    expect(job.error).toBeUndefined();
    expect(steps(job)).toEqual(['Check image:done', 'Detach:done', 'Download:done', 'Manifest:done', 'Verify:done', 'Reset:done']);
    expect(job.result).toMatchObject({ format: 'raw', bytes: image.length, verified: true, modeAfter: 'runtime', manifestation: 'idle' });
    expect(Buffer.from(model.activeImage!)).toEqual(Buffer.from(image));
    expect(job.done).toBe(image.length);
    // One DNLOAD per 256-byte block plus the zero-length end of image.
    expect(model.log.filter((l) => l.request === 'DNLOAD').length).toBe(Math.ceil(image.length / 256) + 1);
  });

  it('skips read-back with a reason when the device resets to manifest, and finds it again', async () => {
    const { model, cmd } = await setup({ manifestationTolerant: false });
    const image = buildModelImage(payload(1000));
    const job = await runJob(cmd('firmware.upload'), { name: 'fw.bin', data: image });
    expect(job.error).toBeUndefined();
    expect(steps(job)).toEqual(['Check image:done', 'Detach:skipped', 'Download:done', 'Manifest:done', 'Verify:skipped', 'Reconnect:done']);
    expect(job.steps.find((s) => s.name === 'Verify')!.message).toMatch(/not manifestation-tolerant/);
    expect(job.result).toMatchObject({ verified: false, modeAfter: 'runtime', manifestation: 'reset' });
    expect(Buffer.from(model.activeImage!)).toEqual(Buffer.from(image));
  });

  it('skips read-back when the device cannot upload', async () => {
    const { cmd } = await setup({ canUpload: false });
    const job = await runJob(cmd('firmware.upload'), { name: 'fw.bin', data: buildModelImage(payload(600)), activate: false });
    expect(job.error).toBeUndefined();
    expect(job.steps.find((s) => s.name === 'Verify')).toMatchObject({ state: 'skipped', message: expect.stringMatching(/bitCanUpload is 0/) });
    expect(job.steps.find((s) => s.name === 'Reset')).toMatchObject({ state: 'skipped', message: expect.stringMatching(/Not activated/) });
  });

  it('refuses a DFU file for another device in Check image, before any request', async () => {
    const { model, cmd } = await setup({});
    const before = model.log.length;
    const job = await runJob(cmd('firmware.upload'), { name: 'other.dfu', data: addDfuSuffix(payload(500), { idVendor: 0x0483, idProduct: 0xdf11 }) });
    expect(job.state).toBe('failed');
    expect(steps(job)).toEqual(['Check image:failed']);
    expect(job.error?.message).toMatch(/made for USB device 0483:df11, but this device is 1d50:6089/);
    expect(model.log.length).toBe(before);
  });

  it('cancels mid-download with DFU_ABORT and keeps the old image', async () => {
    const { model, cmd, old } = await setup({ pollTimeoutMs: 2 });
    const job = await runJob(cmd('firmware.upload'), { name: 'big.bin', data: buildModelImage(payload(64 * 1024)) }, (cancel) => setTimeout(cancel, 40));
    expect(job.state).toBe('cancelled');
    expect(job.error?.message).toMatch(/DFU_ABORT/);
    expect(model.log.some((l) => l.request === 'ABORT')).toBe(true);
    expect(Buffer.from(model.activeImage!)).toEqual(Buffer.from(old));
    expect(model.stateName).toBe('dfuIDLE');
  });

  it('a vanished device fails the job as device-gone and tells the session', async () => {
    const { model, cmd, sink: s } = await setup({});
    model.inject({ kind: 'cut', request: 'DNLOAD', occurrence: 3 });
    const job = await runJob(cmd('firmware.upload'), { name: 'fw.bin', data: buildModelImage(payload(2000)) });
    expect(job.error).toMatchObject({ code: 'device-gone' });
    expect(s.lostWith).toHaveLength(1);
    expect(model.bootable).toBe(true);
  });

  it('reads status by name and refuses an address for plain DFU read-back', async () => {
    const { cmd, old } = await setup({});
    await expect(cmd('dfu.status').run({} as never, { sessionId: 's', signal: new AbortController().signal })).resolves.toMatchObject({ state: 'dfuIDLE', status: 'OK' });
    await expect(cmd('dfu.upload').run({ address: 0, length: 10 } as never, { sessionId: 's', signal: new AbortController().signal })).rejects.toMatchObject({ code: 'invalid-params' });
    const r = (await cmd('dfu.upload').run({ length: 4096 } as never, { sessionId: 's', signal: new AbortController().signal })) as { data: Uint8Array };
    expect(Buffer.from(r.data)).toEqual(Buffer.from(old)); // a short frame ends the upload at the image's end
  });

  it('refuses a second operation while one runs', async () => {
    const { cmd } = await setup({ pollTimeoutMs: 2 });
    const running = runJob(cmd('firmware.upload'), { name: 'fw.bin', data: buildModelImage(payload(8 * 1024)) });
    await new Promise((r) => setTimeout(r, 20));
    await expect(cmd('device.info').run({} as never, { sessionId: 's', signal: new AbortController().signal })).rejects.toMatchObject({ code: 'device-busy' });
    expect((await running).error).toBeUndefined();
  });
});

describe('real USB: helpers and the no-USB guard', () => {
  it('maps discovery port paths to node-usb ones and prefers the DFU-mode interface', () => {
    expect(dfuPortPath('1-2-3')).toBe('1-2.3');
    expect(dfuPortPath('3-1')).toBe('3-1');
    const base = { busNumber: 1, deviceAddress: 5, portPath: '1-2.3', vendorId: 0x0483, productId: 0xdf11, interfaceNumber: 0 };
    const found: DfuInterfaceInfo[] = [
      { ...base, alternateSetting: 1, mode: 'dfu' },
      { ...base, interfaceNumber: 2, alternateSetting: 0, mode: 'runtime' },
      { ...base, alternateSetting: 0, mode: 'dfu' },
      { ...base, portPath: '1-4', alternateSetting: 0, mode: 'dfu' },
    ];
    expect(pickDfuInterface(found, '1-2.3', 'any')).toMatchObject({ mode: 'dfu', alternateSetting: 0, portPath: '1-2.3' });
    expect(pickDfuInterface(found.filter((i) => i.mode === 'runtime'), '1-2.3', 'dfu')).toBeUndefined();
    expect(pickDfuInterface(found.filter((i) => i.mode === 'runtime'), '1-2.3', 'any')).toMatchObject({ mode: 'runtime' });
  });

  it('on a machine without a USB bus, discovery lists no DFU device and nothing throws', async () => {
    const scan = await findDfuInterfaces();
    expect(scan.available ? scan.interfaces : []).toEqual([]);
    const registry = new DeviceRegistry(() => {}, () => {});
    registry.addSource(usbDiscovery());
    await expect(registry.scan()).resolves.toBeUndefined();
    expect(registry.list().filter((d) => d.kind === 'usb')).toEqual([]);
  });
});
