import { HostError } from '../../../electron/host/errors/host-error';
import { DfuClient, type DfuClientOptions } from '../../../electron/host/protocols/dfu';
import { DfuDeviceModel, buildModelImage, type DfuDeviceModelOptions } from '../../../electron/host/demo/dfu-model';
import { VirtualClock } from './virtual-clock';

function payload(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export function setup(model: DfuDeviceModelOptions = {}, client: Partial<DfuClientOptions> = {}) {
  const vc = new VirtualClock();
  const dev = new DfuDeviceModel({ clock: vc.clock, ...model });
  const dfu = new DfuClient(dev, { interfaceNumber: dev.interfaceNumber, functional: dev.functionalDescriptor, sleep: vc.sleep, ...client });
  return { vc, dev, dfu };
}

describe('DFU 1.1 client against the device model', () => {
  it('downloads, manifests (tolerant) and reads back an identical image', async () => {
    const old = buildModelImage(payload(100, 7));
    const { dev, dfu } = setup({ transferSize: 256, initialImage: old });
    const image = buildModelImage(payload(3000));
    const progress: [number, number][] = [];
    const result = await dfu.download(image, { onProgress: (b, t) => progress.push([b, t]) });

    expect(result).toEqual({ bytes: image.length, blocks: Math.ceil(image.length / 256), manifestation: 'idle', resetIssued: false });
    expect(progress.at(-1)).toEqual([image.length, image.length]);
    expect(progress.length).toBe(result.blocks);
    expect(dev.activeImage).toEqual(image);
    expect(dev.stateName).toBe('dfuIDLE');

    // Block numbers count from 0 and the zero-length DNLOAD carries the next one.
    const dnloads = dev.log.filter((l) => l.request === 'DNLOAD');
    expect(dnloads.map((l) => l.value)).toEqual([...Array(result.blocks + 1).keys()]);
    expect(dnloads.at(-1)?.length).toBe(0);

    const back = await dfu.upload(64 * 1024);
    expect(back).toEqual(image);
    expect(dev.stateName).toBe('dfuIDLE');
  });

  it('ends an upload that fills maxLength exactly with DFU_ABORT (no short frame)', async () => {
    const image = buildModelImage(payload(1016)); // 1024 bytes
    const { dev, dfu } = setup({ transferSize: 256, initialImage: image });
    const part = await dfu.upload(512);
    expect(part).toEqual(image.subarray(0, 512));
    expect(dev.log.at(-1)?.request).toBe('ABORT');
    expect(dev.stateName).toBe('dfuIDLE');
  });

  it('waits bwPollTimeout before each next GETSTATUS; a strict device would stall an early poll', async () => {
    const { vc, dev, dfu } = setup({ transferSize: 512, pollTimeoutMs: 25, manifestTimeoutMs: 40 });
    const image = buildModelImage(payload(2000));
    await dfu.download(image);
    const blocks = Math.ceil(image.length / 512);
    // one 25 ms wait per block (dfuDNBUSY), one 40 ms wait for dfuMANIFEST
    expect(vc.sleeps.filter((ms) => ms === 25)).toHaveLength(blocks);
    expect(vc.sleeps.filter((ms) => ms === 40)).toHaveLength(1);
    expect(vc.now).toBe(blocks * 25 + 40);
    expect(dev.activeImage).toEqual(image);
  });

  it('a client that ignores bwPollTimeout gets a clear stall error (the model is strict)', async () => {
    const { dev } = setup({ transferSize: 512, pollTimeoutMs: 25 });
    const impatient = new DfuClient(dev, { interfaceNumber: 0, functional: dev.functionalDescriptor, sleep: async () => undefined });
    const err = await impatient.download(buildModelImage(payload(600))).catch((e) => e);
    expect(err).toBeInstanceOf(HostError);
    expect(err.code).toBe('protocol-error');
    expect(err.message).toMatch(/refused DFU_GETSTATUS after DFU_DNLOAD for block 0 .*\(USB stall\) and reports errSTALLEDPKT/);
  });

  it('measures real poll waits loosely with the default sleep', async () => {
    const dev = new DfuDeviceModel({ transferSize: 1024, pollTimeoutMs: 15 });
    const dfu = new DfuClient(dev, { interfaceNumber: 0, functional: dev.functionalDescriptor });
    const t0 = performance.now();
    await dfu.download(buildModelImage(payload(3000)));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(3 * 15 - 5);
  });

  it('non-tolerant device that resets after manifestation: success, image active', async () => {
    const { dev, dfu } = setup({ manifestationTolerant: false, manifestTimeoutMs: 10 });
    const image = buildModelImage(payload(5000));
    const result = await dfu.download(image);
    expect(result.manifestation).toBe('reset');
    expect(dev.isGone).toBe(true);
    expect(dev.running).toBe('application');
    expect(dev.activeImage).toEqual(image);
  });

  it('non-tolerant device waiting in dfuMANIFEST-WAIT-RESET gets a USB reset', async () => {
    const { dev, dfu } = setup({ manifestationTolerant: false, afterManifest: 'wait-reset' });
    const image = buildModelImage(payload(700));
    const result = await dfu.download(image);
    expect(result).toMatchObject({ manifestation: 'wait-reset', resetIssued: true });
    expect(dev.running).toBe('application');
    expect(dev.bootable).toBe(true);
  });

  it('an image that fails the device check: errVERIFY by name, previous image kept, device back in dfuIDLE', async () => {
    const old = buildModelImage(payload(64, 3));
    const { dev, dfu } = setup({ initialImage: old });
    const bad = buildModelImage(payload(900));
    bad[500] ^= 0xff;
    const err = await dfu.download(bad).catch((e) => e);
    expect(err.code).toBe('verification-failed');
    expect(err.message).toMatch(/errVERIFY after manifestation .*failed verification.*cleared \(DFU_CLRSTATUS\)/);
    expect(err.report.statusName).toBe('errVERIFY');
    expect(dev.activeImage).toEqual(old);
    expect(dev.stateName).toBe('dfuIDLE');
  });

  it('recovers a device found in dfuERROR before starting (CLRSTATUS) and one left in dfuDNLOAD-IDLE (ABORT)', async () => {
    const { dev, dfu } = setup({ transferSize: 128 });
    dev.inject({ kind: 'error', request: 'GETSTATUS', status: 'errUNKNOWN' });
    await dfu.getStatus().catch(() => undefined);
    expect(dev.stateName).toBe('dfuERROR');
    const image = buildModelImage(payload(300));
    await dfu.download(image);
    expect(dev.log.some((l) => l.request === 'CLRSTATUS')).toBe(true);
    expect(dev.activeImage).toEqual(image);

    await dfu.sendDnload(0, new Uint8Array(10));
    await dfu.getStatus();
    expect(dev.stateName).toBe('dfuDNLOAD-IDLE');
    await dfu.ensureIdle();
    expect(dev.log.at(-2)?.request).toBe('ABORT');
    expect(dev.stateName).toBe('dfuIDLE');
  });

  it('cancel between blocks sends DFU_ABORT and keeps the previous image', async () => {
    const old = buildModelImage(payload(40, 9));
    const { dev, dfu } = setup({ transferSize: 256, initialImage: old });
    const ac = new AbortController();
    const err = await dfu
      .download(buildModelImage(payload(4000)), { signal: ac.signal, onProgress: (b) => b >= 1024 && ac.abort() })
      .catch((e) => e);
    expect(err.code).toBe('cancelled');
    expect(err.message).toMatch(/cancelled after 1024 of 4008 bytes.*DFU_ABORT/);
    expect(dev.log.at(-1)).toMatchObject({ request: 'ABORT', state: 'dfuDNLOAD-IDLE' });
    expect(dev.stateName).toBe('dfuIDLE');
    expect(dev.activeImage).toEqual(old);
  });

  it('detach: willDetach devices go by themselves; others get a USB reset', async () => {
    const a = setup({ runtime: true, willDetach: true });
    expect((await a.dfu.getStatus()).stateName).toBe('appIDLE');
    expect(await a.dfu.detach()).toEqual({ reenumerates: true, resetIssued: false });
    expect(a.dev.log.at(-1)).toMatchObject({ request: 'DETACH', value: 1000, state: 'appIDLE' });
    await Promise.resolve();
    expect(a.dev.isGone).toBe(true);
    a.dev.reattach('dfu');
    expect((await a.dfu.getStatus()).stateName).toBe('dfuIDLE');

    const b = setup({ runtime: true, willDetach: false, detachTimeoutMs: 255 });
    expect(await b.dfu.detach()).toEqual({ reenumerates: true, resetIssued: true });
    expect(b.dev.log.at(-1)).toMatchObject({ request: 'DETACH', value: 255 });
    expect(b.dev.isGone).toBe(true);
  });

  it('refuses what the descriptor does not allow, and a runtime-mode device for download', async () => {
    const noUp = setup({ canUpload: false });
    await expect(noUp.dfu.upload(100)).rejects.toMatchObject({ code: 'not-supported', message: expect.stringMatching(/bitCanUpload is 0/) });
    const noDown = setup({ canDownload: false });
    await expect(noDown.dfu.download(new Uint8Array(10))).rejects.toMatchObject({ code: 'not-supported', message: expect.stringMatching(/bitCanDnload is 0/) });
    const rt = setup({ runtime: true });
    await expect(rt.dfu.download(new Uint8Array(10))).rejects.toMatchObject({ code: 'not-supported', message: expect.stringMatching(/appIDLE.*detach it first/) });
    const ok = setup();
    await expect(ok.dfu.download(new Uint8Array(0))).rejects.toMatchObject({ code: 'invalid-params' });
    await expect(ok.dfu.download(new Uint8Array(10), { transferSize: 0 })).rejects.toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/transfer size/) });
    await expect(ok.dfu.upload(-5)).rejects.toMatchObject({ code: 'invalid-params' });
  });

  it('an image larger than the device flash: errADDRESS by name', async () => {
    const { dfu } = setup({ flashSize: 1024, transferSize: 512 });
    const err = await dfu.download(buildModelImage(payload(2000))).catch((e) => e);
    expect(err.code).toBe('device-error');
    expect(err.message).toMatch(/errADDRESS after DFU_DNLOAD for block 2 \(bytes 1024–1535 of 2008\).*out of range.* 1024 of 2008 bytes had been transferred/);
  });
});
