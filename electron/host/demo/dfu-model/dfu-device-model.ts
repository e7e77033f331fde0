// An in-process DFU 1.1 device (appendix A state machine) with optional ST
// DfuSe extensions, flash pages, poll timeouts, both manifestation styles, and
// fault injection. It implements DfuControl, so the real client talks to it
// exactly as to node-usb.
//
// It behaves like a bootloader with a staging bank: downloads land in staging;
// only a complete download whose image validates (length + CRC-32, see
// model-image.ts) becomes the active image at manifestation. Anything else keeps
// the previous image, so `bootable` must never turn false through a download.
import { HostError } from '../../errors/host-error';
import { UsbTransferError, type ControlRequest, type DfuControl } from '../../protocols/dfu/usb-control';
import { DfuRequest, decodeDfuSeCommand, dfuRequestName, encodeStatus, type DfuRequestName } from '../../protocols/dfu/requests';
import { DfuState, DfuStatusCode, dfuStateName, type DfuStateName, type DfuStatusName } from '../../protocols/dfu/states';
import type { DfuFunctionalDescriptor } from '../../protocols/dfu/functional-descriptor';
import { parseDfuSeMemoryLayout, type DfuSeMemoryLayout } from '../../protocols/dfu/dfuse-memory-layout';
import { FlashBank } from './flash-bank';
import { checkModelImage, modelImageLength } from './model-image';
import { cutAtByte, takeFault, type ArmedFault, type DfuFault } from './faults';

export interface DfuDeviceModelOptions {
  interfaceNumber?: number;
  /** wTransferSize. Default 1024. */
  transferSize?: number;
  canDownload?: boolean;
  canUpload?: boolean;
  /** bitManifestationTolerant. Default true. */
  manifestationTolerant?: boolean;
  /** bitWillDetach. Default true. */
  willDetach?: boolean;
  detachTimeoutMs?: number;
  /** bwPollTimeout while programming a block. Default 0 (then plain DFU skips dfuDNBUSY). */
  pollTimeoutMs?: number;
  /** bwPollTimeout for DfuSe erase commands. Default pollTimeoutMs. */
  eraseTimeoutMs?: number;
  /** bwPollTimeout of the manifestation phase. Default pollTimeoutMs. */
  manifestTimeoutMs?: number;
  /** A request that arrives before bwPollTimeout has passed is STALLed (spec: dfuDNBUSY accepts nothing). Default true. */
  strictPolling?: boolean;
  /** Without manifestation tolerance: reset by itself ('disappear', default) or wait in dfuMANIFEST-WAIT-RESET. */
  afterManifest?: 'disappear' | 'wait-reset';
  /** Plain DFU: capacity of the staging bank. Default 256 KiB. */
  flashSize?: number;
  /** DfuSe mode: the memory map (interface string) and where the application image starts. */
  dfuse?: { layout: string; appAddress?: number };
  /** Plain DFU: the image active at start. DfuSe: elements present in flash (and active) at start. */
  initialImage?: Uint8Array;
  initialFlash?: { address: number; data: Uint8Array }[];
  /** Start in runtime mode (appIDLE) instead of DFU mode. */
  runtime?: boolean;
  clock?: () => number;
}

export interface ModelRequestLog {
  request: DfuRequestName | `unknown 0x${string}`;
  value: number;
  length: number;
  /** State when the request arrived. */
  state: DfuStateName;
  /** Data stage of host→device requests. */
  data?: Uint8Array;
}

type Pending =
  | { kind: 'none' }
  | { kind: 'block'; data: Uint8Array; blockNum: number }
  | { kind: 'done' };

const DFUSE_COMMANDS = Uint8Array.of(0x00, 0x21, 0x41, 0x92);
const DEFAULT_PLAIN_SIZE = 256 * 1024;

export class DfuDeviceModel implements DfuControl {
  readonly log: ModelRequestLog[] = [];
  /** Outcome of the last manifestation / leave. */
  lastManifestation?: { accepted: boolean; reason?: string };
  /** What runs after the device left DFU mode. */
  running: 'bootloader' | 'application' = 'bootloader';

  private readonly o: Required<Omit<DfuDeviceModelOptions, 'dfuse' | 'initialImage' | 'initialFlash' | 'clock'>> & { clock: () => number };
  private readonly layout?: DfuSeMemoryLayout;
  private readonly appAddress: number;
  private state: number;
  private status = 0;
  private gone = false;
  private busyUntil = 0;
  private pending: Pending = { kind: 'none' };
  private armed: ArmedFault[] = [];
  private bytesReceived = 0;
  private uploadOffset = 0;
  private addressPointer = 0;
  private manifest?: { accepted: boolean; reason?: string; until: number };
  // plain DFU: staged bytes and the active image
  private staged: Uint8Array[] = [];
  private stagedLength = 0;
  private active?: Uint8Array;
  // DfuSe: staging flash and the active (committed) flash
  private stagingFlash?: FlashBank;
  private activeFlash?: FlashBank;

  constructor(options: DfuDeviceModelOptions = {}) {
    this.o = {
      interfaceNumber: options.interfaceNumber ?? 0,
      transferSize: options.transferSize ?? 1024,
      canDownload: options.canDownload ?? true,
      canUpload: options.canUpload ?? true,
      manifestationTolerant: options.manifestationTolerant ?? true,
      willDetach: options.willDetach ?? true,
      detachTimeoutMs: options.detachTimeoutMs ?? 1000,
      pollTimeoutMs: options.pollTimeoutMs ?? 0,
      eraseTimeoutMs: options.eraseTimeoutMs ?? options.pollTimeoutMs ?? 0,
      manifestTimeoutMs: options.manifestTimeoutMs ?? options.pollTimeoutMs ?? 0,
      strictPolling: options.strictPolling ?? true,
      afterManifest: options.afterManifest ?? 'disappear',
      flashSize: options.flashSize ?? DEFAULT_PLAIN_SIZE,
      runtime: options.runtime ?? false,
      clock: options.clock ?? (() => Date.now()),
    };
    if (options.dfuse) {
      this.layout = parseDfuSeMemoryLayout(options.dfuse.layout);
      this.appAddress = options.dfuse.appAddress ?? this.layout.segments[0].start;
      this.activeFlash = new FlashBank(this.layout);
      for (const el of options.initialFlash ?? []) {
        const fault = this.activeFlash.write(el.address, el.data);
        if (fault) throw new HostError('invalid-params', `The model's initial flash element at 0x${el.address.toString(16)} does not fit its memory map (${fault}).`);
      }
      this.stagingFlash = this.activeFlash.clone();
    } else {
      this.appAddress = 0;
      this.active = options.initialImage?.slice();
    }
    this.state = this.o.runtime ? DfuState.appIDLE : DfuState.dfuIDLE;
  }

  // ---- what tests and the demo look at ---------------------------------

  get functionalDescriptor(): DfuFunctionalDescriptor {
    return {
      canDownload: this.o.canDownload,
      canUpload: this.o.canUpload,
      manifestationTolerant: this.o.manifestationTolerant,
      willDetach: this.o.willDetach,
      detachTimeoutMs: this.o.detachTimeoutMs,
      transferSize: this.o.transferSize,
      dfuVersion: this.layout ? 0x011a : 0x0110,
    };
  }

  get interfaceNumber(): number {
    return this.o.interfaceNumber;
  }

  /** The DfuSe interface string (memory map), when in DfuSe mode. */
  get interfaceString(): string | undefined {
    return this.layout ? this.layoutText : undefined;
  }
  private get layoutText(): string {
    const l = this.layout!;
    return `@${l.name}/` + l.segments.map((s) => `0x${s.start.toString(16).padStart(8, '0')}/${s.pages}*${s.pageSize}B${'abcdefg'[(s.readable ? 1 : 0) + (s.erasable ? 2 : 0) + (s.writeable ? 4 : 0) - 1]}`).join('/');
  }

  get stateName(): DfuStateName {
    return dfuStateName(this.state) as DfuStateName;
  }

  get isGone(): boolean {
    return this.gone;
  }

  /** The image the device would boot, if any. */
  get activeImage(): Uint8Array | undefined {
    if (!this.layout) return this.active?.slice();
    return this.imageIn(this.activeFlash!);
  }

  /** True while the device holds a valid image to boot. */
  get bootable(): boolean {
    const img = this.activeImage;
    return img !== undefined && checkModelImage(img).ok;
  }

  /** Read the committed flash (DfuSe mode). */
  readActive(address: number, length: number): Uint8Array | undefined {
    return this.activeFlash?.read(address, length);
  }

  inject(fault: DfuFault): void {
    this.armed.push({ fault, seen: 0 });
  }

  clearFaults(): void {
    this.armed = [];
  }

  /** The device shows up again (replug / re-enumeration), in DFU mode or running its application. */
  reattach(mode: 'dfu' | 'runtime' = 'dfu'): void {
    this.gone = false;
    this.running = 'bootloader';
    this.state = mode === 'dfu' ? DfuState.dfuIDLE : DfuState.appIDLE;
    this.status = 0;
    this.pending = { kind: 'none' };
    this.manifest = undefined;
    this.busyUntil = 0;
    this.bytesReceived = 0;
    this.staged = [];
    this.stagedLength = 0;
    if (this.activeFlash) this.stagingFlash = this.activeFlash.clone();
    this.armed = this.armed.filter((a) => a.fault.kind !== 'cut-at-byte');
  }

  // ---- DfuControl --------------------------------------------------------

  async controlIn(req: ControlRequest, timeoutMs: number): Promise<Uint8Array> {
    return (await this.handle(req, undefined, timeoutMs)) ?? new Uint8Array(0);
  }

  async controlOut(req: ControlRequest, data: Uint8Array, timeoutMs: number): Promise<void> {
    await this.handle(req, data, timeoutMs);
  }

  async reset(): Promise<void> {
    if (this.gone) throw new UsbTransferError('gone', 'The device is no longer on the bus.');
    if (this.state === DfuState.appDETACH) return this.leaveBus('bootloader');
    if (this.state === DfuState.appIDLE) return;
    // A USB reset in DFU mode boots the firmware when there is a valid one (spec A.2: dfuMANIFEST-WAIT-RESET and others).
    if (this.bootable) return this.leaveBus('application');
    this.state = DfuState.dfuERROR;
    this.status = DfuStatusCode.errFIRMWARE;
  }

  // ---- the state machine -------------------------------------------------

  private async handle(req: ControlRequest, data: Uint8Array | undefined, timeoutMs: number): Promise<Uint8Array | undefined> {
    const name = dfuRequestName(req.request);
    this.log.push({ request: name ?? `unknown 0x${req.request.toString(16)}`, value: req.value, length: req.length, state: this.stateName, ...(data ? { data: data.slice() } : {}) });
    if (this.gone) throw new UsbTransferError('gone', 'The device is no longer on the bus.', 'LIBUSB_ERROR_NO_DEVICE');
    if (req.index !== this.o.interfaceNumber || !name) return this.stall('wrong interface or unknown request');
    const isIn = (req.requestType & 0x80) !== 0;
    if ((isIn ? 0xa1 : 0x21) !== req.requestType) return this.stall('wrong bmRequestType');

    const fault = takeFault(this.armed, name);
    if (fault?.kind === 'cut') return this.cut();
    if (fault?.kind === 'timeout') return this.neverAnswer(timeoutMs);
    if (fault?.kind === 'stall') return this.stall('injected');

    if (name === 'DNLOAD' && data && data.length > 0) {
      const at = cutAtByte(this.armed);
      if (at !== undefined && this.bytesReceived + data.length >= at) return this.cut();
      this.bytesReceived += data.length;
    }

    this.advanceTime();
    if (this.isBusy()) return this.stall('request while busy');

    if (fault?.kind === 'wrong-state' && (name === 'GETSTATUS' || name === 'GETSTATE')) {
      const state = DfuState[fault.state];
      return name === 'GETSTATE' ? Uint8Array.of(state) : encodeStatus({ status: this.status, pollTimeoutMs: 0, state });
    }
    if (fault?.kind === 'error' && name === 'GETSTATUS') {
      this.enterError(fault.status);
      return this.statusBytes(0);
    }

    const answer = this.dispatch(name, req, data ?? new Uint8Array(0));
    if (fault?.kind === 'error') this.enterError(fault.status);
    return answer;
  }

  private dispatch(name: DfuRequestName, req: ControlRequest, data: Uint8Array): Uint8Array | undefined {
    const s = this.state;
    if (s === DfuState.appIDLE || s === DfuState.appDETACH) return this.runtimeRequest(name);
    switch (name) {
      case 'GETSTATUS':
        return this.getStatus();
      case 'GETSTATE':
        return Uint8Array.of(this.state);
      case 'CLRSTATUS':
        if (s !== DfuState.dfuERROR) return this.stall('CLRSTATUS outside dfuERROR');
        this.state = DfuState.dfuIDLE;
        this.status = 0;
        return undefined;
      case 'ABORT':
        if (![DfuState.dfuIDLE, DfuState['dfuDNLOAD-SYNC'], DfuState['dfuDNLOAD-IDLE'], DfuState['dfuMANIFEST-SYNC'], DfuState['dfuUPLOAD-IDLE']].includes(s)) {
          return this.stall('ABORT in this state');
        }
        this.toIdle();
        return undefined;
      case 'DNLOAD':
        return this.dnload(req, data);
      case 'UPLOAD':
        return this.upload(req);
      case 'DETACH':
        return this.stall('DETACH in DFU mode');
    }
  }

  private runtimeRequest(name: DfuRequestName): Uint8Array | undefined {
    if (name === 'GETSTATUS') return encodeStatus({ status: this.status, pollTimeoutMs: 0, state: this.state });
    if (name === 'GETSTATE') return Uint8Array.of(this.state);
    if (name === 'DETACH' && this.state === DfuState.appIDLE) {
      this.state = DfuState.appDETACH;
      if (this.o.willDetach) queueMicrotask(() => this.leaveBus('bootloader'));
      return undefined;
    }
    // The runtime state machine stalls without entering dfuERROR.
    throw new UsbTransferError('stall', `The device stalled DFU_${name} in ${this.stateName}.`, 'LIBUSB_ERROR_PIPE');
  }

  private dnload(req: ControlRequest, data: Uint8Array): Uint8Array | undefined {
    const s = this.state;
    if (!this.o.canDownload) return this.stall('download not supported');
    if (data.length !== req.length) return this.stall('data stage length differs from wLength');
    if (data.length > this.o.transferSize) return this.stall('block larger than wTransferSize');
    if (data.length === 0) {
      // Zero length: end of image (plain) or leave request (DfuSe, accepted from dfuIDLE too).
      const allowed = s === DfuState['dfuDNLOAD-IDLE'] || (this.layout !== undefined && s === DfuState.dfuIDLE);
      if (!allowed) return this.stall('zero-length DNLOAD outside dfuDNLOAD-IDLE');
      if (!this.layout && this.stagedLength === 0) return this.enterError('errNOTDONE');
      this.state = DfuState['dfuMANIFEST-SYNC'];
      this.manifest = undefined;
      return undefined;
    }
    if (s !== DfuState.dfuIDLE && s !== DfuState['dfuDNLOAD-IDLE']) return this.stall('DNLOAD in this state');
    if (this.layout && req.value === 1) return this.stall('DfuSe wBlockNum 1 is reserved');
    if (s === DfuState.dfuIDLE && !this.layout) {
      // A DNLOAD from dfuIDLE starts a new image: whatever an earlier, failed attempt staged is dropped.
      this.staged = [];
      this.stagedLength = 0;
    }
    this.pending = { kind: 'block', data: data.slice(), blockNum: req.value };
    this.state = DfuState['dfuDNLOAD-SYNC'];
    return undefined;
  }

  private getStatus(): Uint8Array {
    const now = this.o.clock();
    switch (this.state) {
      case DfuState['dfuDNLOAD-SYNC']: {
        if (this.pending.kind === 'block') {
          const { data, blockNum } = this.pending;
          this.pending = { kind: 'done' };
          const isCommand = this.layout !== undefined && blockNum === 0;
          const failure = this.layout ? this.executeDfuSe(data, blockNum) : this.stage(data);
          if (failure === 'gone') return this.cut();
          if (failure) {
            this.enterError(failure);
            return this.statusBytes(0);
          }
          const poll = isCommand && data[0] === 0x41 ? this.o.eraseTimeoutMs : this.o.pollTimeoutMs;
          // ST DfuSe always answers dfuDNBUSY first; plain DFU only when programming takes time.
          if (poll > 0 || this.layout) {
            this.state = DfuState.dfuDNBUSY;
            this.busyUntil = now + poll;
            return this.statusBytes(poll);
          }
        }
        this.pending = { kind: 'none' };
        this.state = DfuState['dfuDNLOAD-IDLE'];
        return this.statusBytes(0);
      }
      case DfuState['dfuMANIFEST-SYNC']: {
        if (!this.manifest && this.layout) {
          // DfuSe leave: ST bootloaders answer dfuMANIFEST and jump to the application at once
          // (to the previous image when the new one does not validate).
          this.runManifestation();
          this.state = DfuState.dfuMANIFEST;
          const answer = this.statusBytes(this.o.manifestTimeoutMs);
          this.leaveBus(this.bootable ? 'application' : 'bootloader');
          return answer;
        }
        if (!this.manifest) {
          this.manifest = { ...this.runManifestation(), until: now + this.o.manifestTimeoutMs };
          this.state = DfuState.dfuMANIFEST;
          this.busyUntil = this.manifest.until;
          return this.statusBytes(this.o.manifestTimeoutMs);
        }
        // Manifestation is over (tolerant device): back to dfuIDLE.
        this.manifest = undefined;
        this.toIdle();
        return this.statusBytes(0);
      }
      default:
        return this.statusBytes(0);
    }
  }

  /** Timed transitions: leave dfuDNBUSY / dfuMANIFEST once their poll timeout has passed. */
  private advanceTime(): void {
    if (this.o.clock() < this.busyUntil) return;
    if (this.state === DfuState.dfuDNBUSY) {
      this.state = DfuState['dfuDNLOAD-SYNC'];
    } else if (this.state === DfuState.dfuMANIFEST && this.manifest) {
      const m = this.manifest;
      if (!m.accepted) {
        this.manifest = undefined;
        this.enterError('errVERIFY');
      } else if (this.o.manifestationTolerant) {
        this.state = DfuState['dfuMANIFEST-SYNC'];
      } else if (this.o.afterManifest === 'disappear') {
        this.leaveBus('application');
      } else {
        this.state = DfuState['dfuMANIFEST-WAIT-RESET'];
      }
    }
    if (this.gone) throw new UsbTransferError('gone', 'The device reset and left the bus.', 'LIBUSB_ERROR_NO_DEVICE');
  }

  private isBusy(): boolean {
    const busy = this.state === DfuState.dfuDNBUSY || this.state === DfuState.dfuMANIFEST;
    if (!busy) return false;
    // A lenient device just answers after the wait; a strict one stalls an early poll.
    if (!this.o.strictPolling) {
      this.busyUntil = 0;
      this.advanceTime();
      return false;
    }
    return true;
  }

  /** Validate the staged image and, if good, make it the active one (the manifestation). */
  private runManifestation(): { accepted: boolean; reason?: string } {
    let result: { ok: true } | { ok: false; reason: string };
    if (this.layout) {
      const img = this.imageIn(this.stagingFlash!);
      result = img ? checkModelImage(img) : { ok: false, reason: `no image header at 0x${this.appAddress.toString(16)}` };
      if (result.ok) this.activeFlash = this.stagingFlash!.clone();
    } else {
      const img = this.stagedImage();
      result = checkModelImage(img);
      if (result.ok) this.active = img;
    }
    this.lastManifestation = result.ok ? { accepted: true } : { accepted: false, reason: result.reason };
    return this.lastManifestation;
  }

  private stage(data: Uint8Array): DfuStatusName | undefined {
    if (this.stagedLength + data.length > this.o.flashSize) return 'errADDRESS';
    this.staged.push(data);
    this.stagedLength += data.length;
    return undefined;
  }

  private stagedImage(): Uint8Array {
    const out = new Uint8Array(this.stagedLength);
    let at = 0;
    for (const p of this.staged) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  private executeDfuSe(data: Uint8Array, blockNum: number): DfuStatusName | 'gone' | undefined {
    const flash = this.stagingFlash!;
    if (blockNum >= 2) return flash.write(this.addressPointer + (blockNum - 2) * this.o.transferSize, data);
    let cmd;
    try {
      cmd = decodeDfuSeCommand(data);
    } catch {
      return 'errTARGET';
    }
    switch (cmd.command) {
      case 'set-address':
        if (!flash.isMapped(cmd.address)) return 'errTARGET';
        this.addressPointer = cmd.address;
        return undefined;
      case 'erase-page':
        return flash.erasePage(cmd.address);
      case 'mass-erase':
        flash.massErase();
        return undefined;
      case 'read-unprotect':
        // Removing read protection wipes everything, then the chip resets.
        flash.massErase();
        this.activeFlash = flash.clone();
        this.gone = true;
        return 'gone';
      case 'get-commands':
        return 'errTARGET';
    }
  }

  private upload(req: ControlRequest): Uint8Array | undefined {
    const s = this.state;
    if (!this.o.canUpload) return this.stall('upload not supported');
    if (s !== DfuState.dfuIDLE && s !== DfuState['dfuUPLOAD-IDLE']) return this.stall('UPLOAD in this state');
    if (this.layout) {
      if (req.value === 0) {
        this.state = DfuState['dfuUPLOAD-IDLE'];
        return DFUSE_COMMANDS.slice(0, req.length);
      }
      if (req.value === 1) return this.stall('DfuSe wBlockNum 1 is reserved');
      const bytes = this.stagingFlash!.read(this.addressPointer + (req.value - 2) * this.o.transferSize, req.length);
      if (!bytes) {
        this.stall('read outside readable memory');
      }
      this.state = DfuState['dfuUPLOAD-IDLE'];
      return bytes;
    }
    if (s === DfuState.dfuIDLE) this.uploadOffset = 0;
    const image = this.active ?? new Uint8Array(0);
    const part = image.slice(this.uploadOffset, this.uploadOffset + req.length);
    this.uploadOffset += part.length;
    // A short frame ends the upload (spec §6.2).
    this.state = part.length < req.length ? DfuState.dfuIDLE : DfuState['dfuUPLOAD-IDLE'];
    return part;
  }

  private toIdle(): void {
    this.state = DfuState.dfuIDLE;
    this.pending = { kind: 'none' };
    this.staged = [];
    this.stagedLength = 0;
  }

  private enterError(status: DfuStatusName): undefined {
    this.state = DfuState.dfuERROR;
    this.status = DfuStatusCode[status];
    this.pending = { kind: 'none' };
    return undefined;
  }

  private statusBytes(pollTimeoutMs: number): Uint8Array {
    return encodeStatus({ status: this.status, pollTimeoutMs, state: this.state });
  }

  private stall(why: string): never {
    this.state = DfuState.dfuERROR;
    this.status = DfuStatusCode.errSTALLEDPKT;
    this.pending = { kind: 'none' };
    throw new UsbTransferError('stall', 'The device stalled the request.', `LIBUSB_ERROR_PIPE (${why})`);
  }

  private cut(): never {
    this.gone = true;
    this.running = 'bootloader';
    throw new UsbTransferError('gone', 'The device is no longer on the bus.', 'LIBUSB_ERROR_NO_DEVICE (link cut)');
  }

  private neverAnswer(timeoutMs: number): Promise<never> {
    return new Promise((_, reject) => {
      setTimeout(() => reject(new UsbTransferError('timeout', 'The device did not answer.', 'LIBUSB_ERROR_TIMEOUT')), timeoutMs);
    });
  }

  private leaveBus(next: 'bootloader' | 'application'): void {
    this.gone = true;
    this.running = next;
  }

  private imageIn(flash: FlashBank): Uint8Array | undefined {
    const head = flash.read(this.appAddress, 4);
    const len = head && modelImageLength(head);
    if (!len || len < 8) return undefined;
    return flash.read(this.appAddress, len);
  }
}
