// A USB DFU 1.1 / ST DfuSe device as a session: device.info, DFU status, memory
// read-back, detach, reset, and firmware.upload as one job — check the image
// against the device, detach to the bootloader if the application runs, erase
// (DfuSe), download, manifest, verify by read-back, report. The transport is any
// DfuControl (node-usb or the in-process model), reached through a DfuLink that
// can find the device again after it re-enumerates (detach, leave, reset).
import { deviceInfo, deviceReset, firmwareUpload } from '../../contract/catalog/common';
import { dfuDetach, dfuStatus, dfuUpload } from '../../contract/catalog/dfu';
import { HostError } from '../errors/host-error';
import type { JobHandle } from '../jobs/job-engine';
import {
  DfuClient,
  DfuSeClient,
  dfuStatusMeaning,
  type DfuControl,
  type DfuFunctionalDescriptor,
  type DfuSeMemoryLayout,
  type DfuStatusReport,
} from '../protocols/dfu';
import { bind, type AdapterSink, type BoundCommand, type DeviceAdapter } from './device-adapter';
import { planDfuImage, type DfuDeviceFacts, type DfuImagePlan } from './dfu-image-plan';

/** One DFU interface as it is on the bus right now. */
export interface DfuTarget {
  control: DfuControl;
  /** Runtime (the application runs, protocol 1) or DFU mode (the bootloader, protocol 2). */
  mode: 'runtime' | 'dfu';
  interfaceNumber: number;
  alternateSetting: number;
  functional: DfuFunctionalDescriptor;
  /** DfuSe devices: the alternate setting's memory map. */
  layout?: DfuSeMemoryLayout;
  vendorId: number;
  productId: number;
  /** Releases this handle (the interface), not the device. */
  close(): Promise<void>;
}

/** How to (re)open one physical device; after a detach or reset it comes back as a new USB device. */
export interface DfuLink {
  /** `want: 'dfu'` waits for the device to show up in DFU mode (after DFU_DETACH). */
  acquire(want: 'any' | 'dfu', signal: AbortSignal): Promise<DfuTarget>;
  readonly simulated: boolean;
}

export interface DfuUpdateResult {
  format: string;
  bytes: number;
  sha256: string;
  verified: boolean;
  /** What runs once the job ends: 'dfu' (still in the bootloader), 'runtime' (the application), or 'unknown' (not back yet). */
  modeAfter: 'dfu' | 'runtime' | 'unknown';
  manifestation?: string;
}

const hex32 = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
const hex4 = (n: number) => n.toString(16).padStart(4, '0');

export function dfuVersionText(bcd: number): string {
  return `${bcd >> 8}.${(bcd & 0xff).toString(16).padStart(2, '0')}`;
}

export class DfuDeviceAdapter implements DeviceAdapter {
  readonly protocol = 'dfu';
  private last?: { state: string; status: string };
  /** One operation at a time: DFU is a single state machine on the device. */
  private busyWith: string | null = null;
  private closed = false;

  private constructor(
    private target: DfuTarget,
    private readonly link: DfuLink,
    private readonly sink: AdapterSink,
  ) {}

  static async open(link: DfuLink, sink: AdapterSink): Promise<DfuDeviceAdapter> {
    const target = await link.acquire('any', new AbortController().signal);
    const a = new DfuDeviceAdapter(target, link, sink);
    try {
      await a.readStatus();
    } catch (e) {
      await target.close().catch(() => {});
      throw e;
    }
    return a;
  }

  identity(): Record<string, string> {
    const t = this.target;
    return {
      usb: `${hex4(t.vendorId)}:${hex4(t.productId)}`,
      mode: t.mode === 'dfu' ? 'DFU (bootloader)' : 'runtime (application)',
      dfuVersion: dfuVersionText(t.functional.dfuVersion),
      ...(this.last ? { dfuState: this.last.state } : {}),
      ...(t.layout ? { memory: t.layout.name } : {}),
      ...(this.link.simulated ? { simulated: 'yes' } : {}),
    };
  }

  commands(): readonly BoundCommand[] {
    return [
      bind(deviceInfo, async () => this.exclusive('reading device information', () => this.describe())),
      bind(dfuStatus, async () => this.exclusive('reading the DFU status', () => this.readStatus())),
      bind(dfuUpload, async (p, ctx) => this.exclusive('reading memory', () => this.readBack(p.address, p.length, ctx.signal))),
      bind(dfuDetach, async (_p, ctx) => this.exclusive('detaching', () => this.detach(ctx.signal))),
      bind(deviceReset, async (_p, ctx) => this.exclusive('resetting', () => this.reset(ctx.signal))),
      bind(firmwareUpload, async (p, ctx) => this.exclusive('updating firmware', () => this.update(p.name, p.data, p.activate ?? true, ctx.job!))),
    ];
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.target.close();
  }

  // ---- plumbing ----------------------------------------------------------

  private async exclusive<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.busyWith) throw new HostError('device-busy', `The device is busy ${this.busyWith}; try again when that ends.`);
    this.busyWith = what;
    try {
      return await fn();
    } catch (e) {
      // An unplugged device (or a cut link): the session decides whether to wait for it.
      if (e instanceof HostError && e.code === 'device-gone' && !this.closed) {
        void this.target.close().catch(() => {});
        this.sink.lost(e);
      }
      throw e;
    } finally {
      this.busyWith = null;
    }
  }

  private plainClient(t = this.target): DfuClient {
    return new DfuClient(t.control, { interfaceNumber: t.interfaceNumber, functional: t.functional });
  }

  private dfuseClient(t = this.target): DfuSeClient {
    return new DfuSeClient(t.control, { interfaceNumber: t.interfaceNumber, functional: t.functional, layout: t.layout });
  }

  private facts(t = this.target): DfuDeviceFacts {
    return { vendorId: t.vendorId, productId: t.productId, alternateSetting: t.alternateSetting, layout: t.layout };
  }

  /** The device left the bus on purpose (detach, leave, reset): find it again. */
  private async reacquire(want: 'any' | 'dfu', signal: AbortSignal): Promise<DfuTarget> {
    await this.target.close().catch(() => {});
    this.target = await this.link.acquire(want, signal);
    await this.readStatus().catch(() => undefined);
    this.sink.identityChanged(this.identity());
    return this.target;
  }

  private async readStatus(): Promise<{ state: string; status: string; statusMeaning: string; pollTimeoutMs: number; mode: string }> {
    let report: DfuStatusReport;
    try {
      report = await this.plainClient().getStatus();
    } catch (e) {
      // DFU 1.1 makes GETSTATUS optional in runtime mode: a stall there says nothing about the device.
      if (this.target.mode === 'runtime' && HostError.from(e).code === 'protocol-error') {
        this.last = { state: 'appIDLE', status: 'OK' };
        return { state: 'appIDLE', status: 'OK', statusMeaning: 'The application does not report DFU status in runtime mode.', pollTimeoutMs: 0, mode: 'runtime' };
      }
      throw e;
    }
    const changed = this.last?.state !== report.stateName;
    this.last = { state: report.stateName, status: report.statusName };
    if (changed) this.sink.identityChanged(this.identity());
    return { state: report.stateName, status: report.statusName, statusMeaning: dfuStatusMeaning(report.status), pollTimeoutMs: report.pollTimeoutMs, mode: this.target.mode };
  }

  private async describe() {
    const t = this.target;
    const st = await this.readStatus();
    const f = t.functional;
    return {
      usb: `${hex4(t.vendorId)}:${hex4(t.productId)}`,
      mode: t.mode,
      interfaceNumber: t.interfaceNumber,
      alternateSetting: t.alternateSetting,
      dfuVersion: dfuVersionText(f.dfuVersion),
      dfuse: t.layout !== undefined,
      transferSize: f.transferSize,
      detachTimeoutMs: f.detachTimeoutMs,
      attributes: { canDownload: f.canDownload, canUpload: f.canUpload, manifestationTolerant: f.manifestationTolerant, willDetach: f.willDetach },
      state: st.state,
      status: st.status,
      statusMeaning: st.statusMeaning,
      layout: t.layout
        ? {
            name: t.layout.name,
            segments: t.layout.segments.map((s) => ({ start: hex32(s.start), end: hex32(s.end), pages: s.pages, pageSize: s.pageSize, readable: s.readable, erasable: s.erasable, writeable: s.writeable })),
          }
        : undefined,
      simulated: this.link.simulated,
    };
  }

  private requireDfuMode(what: string): void {
    if (this.target.mode !== 'dfu') throw new HostError('not-supported', `The device runs its application (runtime mode); ${what} needs DFU mode. Detach it first (dfu.detach).`);
  }

  private async readBack(address: number | undefined, length: number, signal: AbortSignal) {
    this.requireDfuMode('reading memory back');
    const t = this.target;
    let data: Uint8Array;
    if (t.layout) {
      const from = address ?? t.layout.segments.find((s) => s.readable)?.start;
      if (from === undefined) throw new HostError('not-supported', `The device's memory map (${t.layout.name}) has no readable segment.`);
      data = await this.dfuseClient().readMemory(from, length, { signal });
      return { address: hex32(from), length: data.length, data };
    }
    if (address !== undefined) throw new HostError('invalid-params', 'This device speaks plain DFU: it has no addresses, so leave the address out.');
    data = await this.plainClient().upload(length, { signal });
    return { length: data.length, data };
  }

  private async detach(signal: AbortSignal) {
    if (this.target.mode === 'dfu') return { mode: 'dfu', note: 'The device is already in DFU mode.' };
    const r = await this.plainClient().detach();
    await this.reacquire('dfu', signal);
    return { mode: this.target.mode, resetIssued: r.resetIssued };
  }

  /** Leave DFU mode so the firmware runs (DfuSe leave, else a USB reset), then find the device again. */
  private async reset(signal: AbortSignal) {
    if (this.target.mode === 'runtime') {
      if (!this.target.control.reset) throw new HostError('not-supported', 'This connection cannot issue a USB reset to the running device.');
      await this.target.control.reset();
    } else if (this.target.layout) {
      await this.dfuseClient().leave();
    } else {
      if (!this.target.control.reset) throw new HostError('not-supported', 'This connection cannot issue a USB reset; replug the device.');
      await this.target.control.reset().catch((e) => {
        if (HostError.from(e).code !== 'device-gone') throw e; // leaving the bus is the point
      });
    }
    await this.reacquire('any', signal);
    return { mode: this.target.mode, state: this.last?.state };
  }

  // ---- firmware.upload ---------------------------------------------------

  private async update(name: string, file: Uint8Array, activate: boolean, job: JobHandle): Promise<DfuUpdateResult> {
    let plan = await job.step('Check image', async () => {
      const p = planDfuImage(file, name, this.facts());
      job.note(p.summary);
      return p;
    });

    if (this.target.mode === 'runtime') {
      plan = await job.step('Detach', async () => {
        const r = await this.plainClient().detach();
        await this.reacquire('dfu', job.signal);
        // The bootloader may describe its memory differently from the application: check again.
        const again = planDfuImage(file, name, this.facts());
        job.note(`Back in DFU mode (${this.last?.state ?? 'state unknown'})${r.resetIssued ? ' after a USB reset' : ''}.`);
        return again;
      });
    } else {
      job.skip('Detach', 'The device is already in DFU mode.');
    }
    if (!this.target.functional.canDownload) throw new HostError('not-supported', 'This device does not accept downloads (bitCanDnload is 0).');

    return plan.kind === 'dfuse' ? this.updateDfuSe(plan, activate, job) : this.updatePlain(plan, activate, job);
  }

  private async updateDfuSe(plan: Extract<DfuImagePlan, { kind: 'dfuse' }>, activate: boolean, job: JobHandle): Promise<DfuUpdateResult> {
    const se = this.dfuseClient();
    await job.step('Erase', async () => {
      await se.dfu.ensureIdle();
      for (let i = 0; i < plan.pages.length; i++) {
        if (job.signal.aborted) throw await se.dfu.cancel(`while erasing (${i} of ${plan.pages.length} pages erased)`);
        await se.erasePage(plan.pages[i]);
        job.progress(i + 1, plan.pages.length);
        job.note(`page ${hex32(plan.pages[i])} (${i + 1} of ${plan.pages.length})`);
      }
    });
    await job.step('Download', () => se.downloadElements(plan.elements, { erase: 'none', signal: job.signal, onProgress: (done, total) => job.progress(done, total) }));

    let verified = false;
    if (this.target.functional.canUpload) {
      // Read back before leaving: once the bootloader jumps to the application, flash is no longer reachable over DFU.
      await job.step('Verify', async () => {
        let checked = 0;
        for (const el of plan.elements) {
          const back = await se.readMemory(el.address, el.data.length, { signal: job.signal, onProgress: (n) => job.progress(checked + n, plan.bytes) });
          compareReadBack(el.data, back, el.address);
          checked += el.data.length;
        }
        job.note(`${checked} bytes read back and equal.`);
      });
      verified = true;
    } else {
      job.skip('Verify', 'The device does not allow reading memory back (bitCanUpload is 0).');
    }

    let modeAfter: DfuUpdateResult['modeAfter'] = 'dfu';
    if (activate) {
      modeAfter = await job.step('Manifest', async () => {
        await se.leave();
        return this.comeBack(job);
      });
    } else {
      job.skip('Manifest', 'Not activated: the image is in flash and runs when the device leaves DFU mode (Reset).');
    }
    return { format: plan.format, bytes: plan.bytes, sha256: plan.fileSha256, verified, modeAfter };
  }

  private async updatePlain(plan: Extract<DfuImagePlan, { kind: 'plain' }>, activate: boolean, job: JobHandle): Promise<DfuUpdateResult> {
    const dfu = this.plainClient();
    // The client sends the blocks and then manifests in one call; the job shows them as two steps.
    let allSent!: () => void;
    const sent = new Promise<void>((resolve) => (allSent = resolve));
    const transfer = dfu.download(plan.data, {
      signal: job.signal,
      onProgress: (done, total) => {
        job.progress(done, total);
        if (done === total) allSent();
      },
    });
    transfer.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"
    await job.step('Download', () => Promise.race([sent, transfer.then(() => undefined)]));
    const result = await job.step('Manifest', async () => {
      const r = await transfer;
      job.note(r.manifestation === 'idle' ? 'Installed; the device is back in dfuIDLE.' : 'The device reset to install the image.');
      return r;
    });

    let verified = false;
    let modeAfter: DfuUpdateResult['modeAfter'] = 'dfu';
    if (result.manifestation !== 'idle') {
      job.skip('Verify', 'The device reset after manifestation (it is not manifestation-tolerant), so the image cannot be read back over DFU.');
      modeAfter = await job.step('Reconnect', () => this.comeBack(job));
      return { format: plan.format, bytes: plan.bytes, sha256: plan.fileSha256, verified, modeAfter, manifestation: result.manifestation };
    }
    if (this.target.functional.canUpload) {
      await job.step('Verify', async () => {
        const back = await dfu.upload(plan.data.length, { signal: job.signal, onProgress: (n, total) => job.progress(n, total) });
        compareReadBack(plan.data, back, 0);
        job.note(`${back.length} bytes read back and equal.`);
      });
      verified = true;
    } else {
      job.skip('Verify', 'The device does not allow reading its firmware back (bitCanUpload is 0).');
    }
    if (activate && this.target.control.reset) {
      modeAfter = await job.step('Reset', async () => {
        await this.target.control.reset!().catch((e) => {
          if (HostError.from(e).code !== 'device-gone') throw e;
        });
        return this.comeBack(job);
      });
    } else {
      job.skip('Reset', activate ? 'This connection cannot issue a USB reset: replug the device to run the new image.' : 'Not activated: the new image runs at the next reset.');
    }
    return { format: plan.format, bytes: plan.bytes, sha256: plan.fileSha256, verified, modeAfter, manifestation: result.manifestation };
  }

  /** After leaving DFU mode: find the device again and say what runs. */
  private async comeBack(job: JobHandle): Promise<DfuUpdateResult['modeAfter']> {
    try {
      const t = await this.reacquire('any', job.signal);
      job.note(t.mode === 'runtime' ? 'The device came back running its application.' : `The device came back in DFU mode (${this.last?.state ?? 'state unknown'}): it did not start the new firmware.`);
      if (t.mode === 'dfu' && this.last?.state === 'dfuERROR') throw new HostError('device-error', `The device came back in DFU mode reporting ${this.last.status}: the firmware did not start.`);
      return t.mode;
    } catch (e) {
      if (HostError.from(e).code !== 'device-gone' && HostError.from(e).code !== 'timeout') throw e;
      job.note('The device has not come back on the bus yet; the session waits for it.');
      return 'unknown';
    }
  }
}

/** Byte-for-byte; names the first differing address. */
export function compareReadBack(written: Uint8Array, read: Uint8Array, baseAddress: number): void {
  const n = Math.min(written.length, read.length);
  for (let i = 0; i < n; i++) {
    if (written[i] !== read[i]) {
      throw new HostError(
        'verification-failed',
        `Read-back differs from the image at ${hex32(baseAddress + i)}: wrote 0x${written[i].toString(16).padStart(2, '0')}, read 0x${read[i].toString(16).padStart(2, '0')}.`,
        `offset ${i} of ${written.length} bytes`,
      );
    }
  }
  if (read.length !== written.length) {
    throw new HostError('verification-failed', `Read-back returned ${read.length} bytes where ${written.length} were written.`, `from ${hex32(baseAddress)}`);
  }
}

