// The simulated USB DFU device through the host: session, scope, the one
// firmware.upload job (check, detach, erase, download, verify, manifest), the
// audit journal, and faults that must fail the job by name while the device
// keeps a bootable image.
import { randomBytes } from 'node:crypto';
import type { Host } from '../../../electron/host/host';
import type { ClientInfo } from '../../../electron/host/router';
import type { JobInfo } from '../../../electron/contract/jobs';
import { createDemoDfuModel, demoDfuEntry } from '../../../electron/host/demo/demo-devices';
import { buildModelImage, type DfuDeviceModel } from '../../../electron/host/demo/dfu-model';
import { addDfuSuffix, writeDfuSe } from '../../../electron/host/firmware/formats';
import { testHost } from '../../support/test-host';

const FLASH = 0x08000000;
const DEVICE = 'usb:sim-dfu0';
let host: Host;
let c: ClientInfo;
let sessionId: string;
let model: DfuDeviceModel;

const run = (commandId: string, scope: string, params: unknown) => host.handle({ id: 1, channel: 'command.run', params: { sessionId, commandId, scope, params } }, c);

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts firmware.upload and waits for the job to end. */
async function upload(name: string, data: Uint8Array): Promise<JobInfo> {
  const r = await run('firmware.upload', 'configuration', { name, data, activate: true });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  const { jobId } = r.result as { jobId: string };
  return waitFor(`job ${name}`, () => {
    const j = host.jobs.get(jobId);
    return j && j.state !== 'running' ? j : undefined;
  });
}

const stepStates = (j: JobInfo) => j.steps.map((s) => `${s.name}:${s.state}`);
const dfuseFile = (image: Uint8Array, ids = { idVendor: 0x0483, idProduct: 0xdf11 }) =>
  writeDfuSe([{ alternate: 0, name: 'Internal Flash', segments: [{ address: FLASH, data: image }] }], ids);
const sessionState = async () => (await host.request('sessions.list', {}, c)).find((s) => s.id === sessionId)?.state;

beforeAll(async () => {
  host = await testHost({ demoBoards: 0, demoCxl: false, demoDfu: false });
  model = createDemoDfuModel();
  host.registry.put(host.recordable(demoDfuEntry({ model })));
  c = host.newClient('test');
  sessionId = (await host.request('session.open', { deviceId: DEVICE }, c)).id;
});
afterAll(async () => host?.close());

describe('simulated USB DFU device through the host', () => {
  it('is listed as a simulated USB DFU device', async () => {
    const d = (await host.request('devices.list', {}, c)).find((x) => x.id === DEVICE);
    expect(d).toMatchObject({ kind: 'usb', protocol: 'dfu', simulated: true, label: 'USB DFU device (simulated)' });
  });

  it('reads device information without a grant: version, transfer size, attributes, state by name, DfuSe map', async () => {
    const r = await run('device.info', 'configuration', {});
    if (!r.ok) throw new Error(r.error.message);
    const info = (r.result as { result: Record<string, unknown> }).result;
    expect(info).toMatchObject({
      usb: '0483:df11',
      mode: 'dfu',
      dfuVersion: '1.1a',
      transferSize: 2048,
      attributes: { canDownload: true, canUpload: true, manifestationTolerant: true, willDetach: true },
      state: 'dfuIDLE',
      status: 'OK',
      layout: { name: 'Internal Flash' },
    });
    const segments = (info.layout as { segments: { start: string; pages: number; pageSize: number; writeable: boolean }[] }).segments;
    expect(segments.map((s) => `${s.start} ${s.pages}x${s.pageSize}`)).toEqual(['0x08000000 4x16384', '0x08010000 1x65536', '0x08020000 7x131072']);
  });

  it('refuses firmware.upload without a grant, before touching the device', async () => {
    const before = model.log.length;
    const r = await run('firmware.upload', 'configuration', { name: 'x.dfu', data: dfuseFile(buildModelImage(randomBytes(1000))) });
    expect(r).toMatchObject({ ok: false, error: { code: 'grant-required' } });
    expect(model.log.length).toBe(before);
  });

  it('downloads a DfuSe file with a configuration grant, reads it back equal, and the device runs it', async () => {
    await host.request('session.grant', { sessionId, scope: 'configuration', confirm: { acknowledged: true } }, c);
    const image = buildModelImage(randomBytes(40 * 1024));
    const job = await upload('app-2.0.dfu', dfuseFile(image));
    expect(job.error).toBeUndefined();
    expect(job.state).toBe('done');
    expect(stepStates(job)).toEqual(['Check image:done', 'Detach:skipped', 'Erase:done', 'Download:done', 'Verify:done', 'Manifest:done']);
    expect(job.result).toMatchObject({ format: 'dfuse', bytes: image.length, verified: true, modeAfter: 'runtime' });
    expect(Buffer.from(model.readActive(FLASH, image.length)!)).toEqual(Buffer.from(image));
    expect(model.lastManifestation).toEqual({ accepted: true });
    // 40 KiB + 8 at 0x08000000 touches three 16 KiB sectors; only those were erased.
    const erased = model.log.filter((l) => l.request === 'DNLOAD' && l.value === 0 && l.data?.[0] === 0x41 && l.data.length === 5);
    expect(erased.map((l) => Buffer.from(l.data!.subarray(1)).readUInt32LE(0).toString(16))).toEqual(['8000000', '8004000', '8008000']);

    const steps = host.audit.query({ sessionId }).filter((r) => r.kind === 'job-step').reverse();
    expect(steps.map((r) => `${(r.detail as { step: string }).step}:${(r.detail as { state: string }).state}`)).toEqual(['Check image:done', 'Erase:done', 'Download:done', 'Verify:done', 'Manifest:done']);
    expect(host.audit.verify().ok).toBe(true);
  });

  it('downloads a raw binary to the first writeable segment, detaching the running application first', async () => {
    const info = await run('device.info', 'configuration', {});
    expect((info as { result: { result: { mode: string; state: string } } }).result.result).toMatchObject({ mode: 'runtime', state: 'appIDLE' });
    const image = buildModelImage(randomBytes(20 * 1024 + 3));
    const job = await upload('app-2.1.bin', image);
    expect(job.error).toBeUndefined();
    expect(stepStates(job)).toEqual(['Check image:done', 'Detach:done', 'Erase:done', 'Download:done', 'Verify:done', 'Manifest:done']);
    expect(job.result).toMatchObject({ format: 'raw', bytes: image.length, verified: true });
    expect(Buffer.from(model.activeImage!)).toEqual(Buffer.from(image));
    expect(model.log.some((l) => l.request === 'DETACH')).toBe(true);
  });

  // The host's preflight already reads the suffix against the session identity (usb vid:pid); the adapter's
  // own check (Check image step) is proven in test/unit/dfu-adapter without the preflight in front of it.
  it('refuses a DFU file made for another VID/PID before any transfer; 0xFFFF means any', async () => {
    const image = buildModelImage(randomBytes(4096));
    const before = model.log.length;
    const r = await run('firmware.upload', 'configuration', { name: 'other.dfu', data: addDfuSuffix(image, { idVendor: 0x1234, idProduct: 0x5678 }) });
    expect(r).toMatchObject({ ok: false });
    if (!r.ok) expect(r.error.message).toMatch(/1234:5678.*0483:df11/);
    expect(model.log.length).toBe(before);
    expect(host.audit.query({ sessionId }).find((a) => a.commandId === 'firmware.upload')).toMatchObject({ outcome: 'denied' });

    const any = await upload('any.dfu', addDfuSuffix(image));
    expect(any.error).toBeUndefined();
    expect(stepStates(any)[0]).toBe('Check image:done');
    expect(Buffer.from(model.activeImage!)).toEqual(Buffer.from(image));
  });

  it('refuses a DfuSe file whose CRC is broken, naming the CRC, before any transfer', async () => {
    const file = dfuseFile(buildModelImage(randomBytes(2048)));
    file[400] ^= 0xff;
    const before = model.log.length;
    const r = await run('firmware.upload', 'configuration', { name: 'corrupt.dfu', data: file });
    expect(r).toMatchObject({ ok: false });
    if (!r.ok) expect(r.error.message).toMatch(/CRC does not match/);
    expect(model.log.length).toBe(before);
  });

  describe('faults leave the previous image bootable', () => {
    let good: Uint8Array;
    beforeEach(() => {
      good = model.activeImage!;
      expect(model.bootable).toBe(true);
    });
    afterEach(() => {
      model.clearFaults();
      expect(model.bootable).toBe(true);
      expect(Buffer.from(model.activeImage!)).toEqual(Buffer.from(good));
    });

    it('a STALLed block fails the download with the stall and errSTALLEDPKT', async () => {
      model.inject({ kind: 'stall', request: 'DNLOAD', occurrence: 8 });
      const job = await upload('stall.dfu', dfuseFile(buildModelImage(randomBytes(30 * 1024))));
      expect(job.state).toBe('failed');
      expect(job.steps.find((s) => s.state === 'failed')?.name).toBe('Download');
      expect(job.error?.message).toMatch(/USB stall/);
      expect(job.error?.message).toMatch(/errSTALLEDPKT/);
      expect(model.stateName).toBe('dfuIDLE'); // cleared with CLRSTATUS
    });

    it('dfuERROR errWRITE fails the download with the status by name', async () => {
      model.inject({ kind: 'error', status: 'errWRITE', request: 'DNLOAD', occurrence: 6 });
      const job = await upload('errwrite.dfu', dfuseFile(buildModelImage(randomBytes(30 * 1024))));
      expect(job.state).toBe('failed');
      expect(job.steps.find((s) => s.state === 'failed')?.name).toBe('Download');
      expect(job.error).toMatchObject({ code: 'device-error' });
      expect(job.error?.message).toMatch(/errWRITE/);
    });

    it('a cut link fails the job as device-gone; the session reconnects and the next update works', async () => {
      model.inject({ kind: 'cut', request: 'DNLOAD', occurrence: 10 });
      const job = await upload('cut.dfu', dfuseFile(buildModelImage(randomBytes(30 * 1024))));
      expect(job.state).toBe('failed');
      expect(job.error).toMatchObject({ code: 'device-gone' });
      expect(job.error?.message).toMatch(/disappeared/);
      await waitFor('the session to reconnect', async () => ((await sessionState()) === 'open' ? true : undefined));
      const image = buildModelImage(randomBytes(10 * 1024));
      const again = await upload('after-cut.dfu', dfuseFile(image));
      expect(again.error).toBeUndefined();
      good = image;
    });
  });

  it('reads memory back at debug-read-only without a grant', async () => {
    await host.request('session.drop-grant', { sessionId }, c);
    // The device runs its application after the last update: detaching needs the configuration grant.
    expect(await run('dfu.detach', 'configuration', {})).toMatchObject({ ok: false, error: { code: 'grant-required' } });
    await host.request('session.grant', { sessionId, scope: 'configuration', confirm: { acknowledged: true } }, c);
    const d = await run('dfu.detach', 'configuration', {});
    expect(d).toMatchObject({ ok: true, result: { result: { mode: 'dfu' } } });
    await host.request('session.drop-grant', { sessionId }, c);
    const r = await run('dfu.upload', 'debug-read-only', { address: FLASH, length: 64 });
    if (!r.ok) throw new Error(r.error.message);
    const data = (r.result as { result: { data: Uint8Array } }).result.data;
    expect(Buffer.from(data)).toEqual(Buffer.from(model.readActive(FLASH, 64)!));
    const st = await run('dfu.status', 'configuration', {});
    expect(st).toMatchObject({ ok: true, result: { result: { state: 'dfuIDLE', status: 'OK' } } });
  });
});
