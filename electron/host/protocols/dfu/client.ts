// DFU 1.1 client (USB-IF DFU 1.1, appendix A state machine), checked against
// dfu-util's dfu.c / dfu_load.c: one DNLOAD per block with wBlockNum counting
// from 0, DFU_GETSTATUS after each block, waiting bwPollTimeout between polls,
// a zero-length DNLOAD to start manifestation, then polling until dfuIDLE
// (manifestation-tolerant) or until the device resets.
import { HostError } from '../../errors/host-error';
import type { DfuControl } from './usb-control';
import type { DfuFunctionalDescriptor } from './functional-descriptor';
import {
  abortRequest,
  clrStatusRequest,
  decodeState,
  decodeStatus,
  detachRequest,
  dnloadRequest,
  getStateRequest,
  getStatusRequest,
  uploadRequest,
  type DfuRequestName,
  type DfuStatusReport,
} from './requests';
import { DfuState, describeDfuState, dfuStateName, dfuStatusMeaning } from './states';
import { DfuStatusError, failureOf, requestFailure, requestLabel, statusError, wrongStateError } from './dfu-errors';

export interface DfuClientOptions {
  /** bInterfaceNumber of the DFU interface (wIndex of every request). */
  interfaceNumber: number;
  functional: DfuFunctionalDescriptor;
  /** Per control transfer. Default 5000 ms, as dfu-util. */
  timeoutMs?: number;
  /** How the client waits bwPollTimeout; injectable so tests can run on a virtual clock. */
  sleep?: (ms: number) => Promise<void>;
  /** Give up when one step keeps the device busy longer than this (sum of poll timeouts). Default 60 s. */
  maxBusyMs?: number;
}

export interface TransferOptions {
  /** Bytes per DNLOAD/UPLOAD; default the descriptor's wTransferSize. */
  transferSize?: number;
  onProgress?: (bytes: number, total: number) => void;
  /** Cancel between blocks: the client sends DFU_ABORT and throws 'cancelled'. */
  signal?: AbortSignal;
}

/**
 * How manifestation ended:
 * - 'idle': the device returned to dfuIDLE (manifestation-tolerant) — the new firmware is installed.
 * - 'reset': the device left the bus while manifesting (normal without bitManifestationTolerant);
 *   re-enumerate it to confirm which firmware runs.
 * - 'wait-reset': the device waited in dfuMANIFEST-WAIT-RESET; the client issued a USB reset
 *   (`resetIssued` says whether the transport could).
 */
export type ManifestationOutcome = 'idle' | 'reset' | 'wait-reset';

export interface DownloadResult {
  bytes: number;
  blocks: number;
  manifestation: ManifestationOutcome;
  resetIssued: boolean;
}

export interface DetachResult {
  /** The device will come back in DFU mode as a new USB device: find it again. */
  reenumerates: true;
  resetIssued: boolean;
}

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_BUSY_MS = 60_000;
/** Polls answered "busy" with bwPollTimeout 0 before we call the device stuck (dfu-util uses 100). */
const MAX_ZERO_TIMEOUT_POLLS = 100;
/** dfu-util's DETACH wTimeout. */
const DETACH_TIMEOUT_MS = 1000;

// One extra millisecond: timers and the device's clock are both ms-granular, and an
// early poll is a protocol error on strict devices.
const defaultSleep = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms + 1)) : Promise.resolve());

export class DfuClient {
  readonly interfaceNumber: number;
  readonly functional: DfuFunctionalDescriptor;
  readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxBusyMs: number;

  constructor(
    readonly control: DfuControl,
    options: DfuClientOptions,
  ) {
    this.interfaceNumber = options.interfaceNumber;
    this.functional = options.functional;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.sleep = options.sleep ?? defaultSleep;
    this.maxBusyMs = options.maxBusyMs ?? DEFAULT_MAX_BUSY_MS;
  }

  // ---- single requests -------------------------------------------------

  async getStatus(context?: string): Promise<DfuStatusReport> {
    const bytes = await this.in('GETSTATUS', () => this.control.controlIn(getStatusRequest(this.interfaceNumber), this.timeoutMs), context);
    return decodeStatus(bytes);
  }

  async getState(): Promise<{ state: number; stateName: string }> {
    const bytes = await this.in('GETSTATE', () => this.control.controlIn(getStateRequest(this.interfaceNumber), this.timeoutMs));
    const state = decodeState(bytes);
    return { state, stateName: dfuStateName(state) };
  }

  async clearStatus(): Promise<void> {
    await this.in('CLRSTATUS', () => this.control.controlOut(clrStatusRequest(this.interfaceNumber), new Uint8Array(0), this.timeoutMs));
  }

  async abort(): Promise<void> {
    await this.in('ABORT', () => this.control.controlOut(abortRequest(this.interfaceNumber), new Uint8Array(0), this.timeoutMs));
  }

  /** Send one DNLOAD block (no status poll). */
  async sendDnload(blockNum: number, data: Uint8Array, context?: string): Promise<void> {
    await this.in('DNLOAD', () => this.control.controlOut(dnloadRequest(this.interfaceNumber, blockNum, data.length), data, this.timeoutMs), context);
  }

  /** One UPLOAD block; rejects a device that sends more than asked. */
  async uploadBlock(blockNum: number, length: number, context?: string): Promise<Uint8Array> {
    const data = await this.in('UPLOAD', () => this.control.controlIn(uploadRequest(this.interfaceNumber, blockNum, length), this.timeoutMs), context);
    if (data.length > length) {
      throw new HostError('protocol-error', `The device sent ${data.length} bytes for DFU_UPLOAD ${context ?? `for block ${blockNum}`} but only ${length} were asked for.`);
    }
    return data;
  }

  // ---- state handling --------------------------------------------------

  /**
   * Bring a DFU-mode device to dfuIDLE from wherever it is: CLRSTATUS out of
   * dfuERROR, ABORT out of the idle/sync states, wait out busy states.
   */
  async ensureIdle(): Promise<DfuStatusReport> {
    for (let attempt = 0; attempt < 4; attempt++) {
      const st = await this.getStatus('while bringing the device to dfuIDLE');
      switch (st.state) {
        case DfuState.dfuIDLE:
          return st;
        case DfuState.dfuERROR:
          await this.clearStatus();
          break;
        case DfuState['dfuDNLOAD-IDLE']:
        case DfuState['dfuUPLOAD-IDLE']:
        case DfuState['dfuDNLOAD-SYNC']:
        case DfuState['dfuMANIFEST-SYNC']:
          await this.abort();
          break;
        case DfuState.dfuDNBUSY:
        case DfuState.dfuMANIFEST:
          await this.sleep(st.pollTimeoutMs);
          break;
        case DfuState.appIDLE:
        case DfuState.appDETACH:
          throw new HostError('not-supported', `The device is running its application (${st.stateName}), not its DFU bootloader: detach it first.`);
        default:
          throw wrongStateError(st, 'DFU_GETSTATUS', ['dfuIDLE']);
      }
    }
    const st = await this.getStatus('while bringing the device to dfuIDLE');
    if (st.state !== DfuState.dfuIDLE) throw wrongStateError(st, 'DFU_ABORT / DFU_CLRSTATUS', ['dfuIDLE']);
    return st;
  }

  /**
   * Poll DFU_GETSTATUS after a DNLOAD until the device leaves dfuDNBUSY /
   * dfuDNLOAD-SYNC, waiting bwPollTimeout after each answer (as dfu-util).
   * Returns the final report in dfuDNLOAD-IDLE; a dfuERROR becomes a
   * DfuStatusError (after CLRSTATUS, so the device is usable again).
   */
  async pollDownload(label: string, firstState?: readonly number[]): Promise<DfuStatusReport> {
    let busyMs = 0;
    let zeroPolls = 0;
    for (let poll = 0; ; poll++) {
      let st: DfuStatusReport;
      try {
        st = await this.getStatus(`after ${label}`);
      } catch (err) {
        throw await this.explainStall(err, `DFU_GETSTATUS after ${label}`);
      }
      if (poll === 0 && firstState && !firstState.includes(st.state) && st.state !== DfuState.dfuERROR) {
        await this.recoverQuietly();
        throw wrongStateError(st, label, firstState.map(dfuStateName));
      }
      if (st.state === DfuState.dfuERROR) throw await this.failWithStatus(st, label);
      await this.sleep(st.pollTimeoutMs);
      if (st.state === DfuState['dfuDNLOAD-IDLE']) {
        if (st.status !== 0) throw await this.failWithStatus(st, label);
        return st;
      }
      if (st.state !== DfuState.dfuDNBUSY && st.state !== DfuState['dfuDNLOAD-SYNC']) {
        await this.recoverQuietly();
        throw wrongStateError(st, label, ['dfuDNBUSY', 'dfuDNLOAD-IDLE']);
      }
      busyMs += st.pollTimeoutMs;
      zeroPolls = st.pollTimeoutMs === 0 ? zeroPolls + 1 : 0;
      if (busyMs > this.maxBusyMs || zeroPolls >= MAX_ZERO_TIMEOUT_POLLS) {
        throw new HostError('timeout', `The device stayed busy (${st.stateName}) after ${label} for too long (${busyMs} ms, ${poll + 1} polls).`);
      }
    }
  }

  /** Send a block and wait until the device has stored it. */
  async dnloadBlock(blockNum: number, data: Uint8Array, label: string): Promise<DfuStatusReport> {
    try {
      await this.sendDnload(blockNum, data, label);
    } catch (err) {
      throw await this.explainStall(err, `DFU_DNLOAD ${label}`);
    }
    return this.pollDownload(`DFU_DNLOAD ${label}`);
  }

  // ---- runtime mode ----------------------------------------------------

  /** Ask a runtime-mode device to switch to its DFU bootloader. */
  async detach(): Promise<DetachResult> {
    const wTimeout = Math.min(this.functional.detachTimeoutMs || DETACH_TIMEOUT_MS, DETACH_TIMEOUT_MS);
    try {
      await this.in('DETACH', () => this.control.controlOut(detachRequest(this.interfaceNumber, wTimeout), new Uint8Array(0), this.timeoutMs));
    } catch (err) {
      // A device with bitWillDetach may drop off the bus before acknowledging.
      if (!(this.functional.willDetach && failureOf(err) === 'gone')) throw err;
    }
    let resetIssued = false;
    if (!this.functional.willDetach) {
      if (!this.control.reset) {
        throw new HostError('not-supported', 'This device needs a USB reset after DFU_DETACH, and this connection cannot issue one. Replug the device.');
      }
      await this.control.reset();
      resetIssued = true;
    }
    return { reenumerates: true, resetIssued };
  }

  // ---- download / upload -----------------------------------------------

  async download(data: Uint8Array, options: TransferOptions = {}): Promise<DownloadResult> {
    if (!this.functional.canDownload) throw new HostError('not-supported', 'This device does not accept downloads (bitCanDnload is 0).');
    if (data.length === 0) throw new HostError('invalid-params', 'There is nothing to download: the image is empty.');
    const transferSize = this.checkTransferSize(options.transferSize);
    const total = data.length;
    throwIfCancelled(options.signal);
    await this.ensureIdle();

    let sent = 0;
    let block = 0;
    while (sent < total) {
      if (options.signal?.aborted) throw await this.cancel(`after ${sent} of ${total} bytes`);
      const chunk = data.subarray(sent, Math.min(sent + transferSize, total));
      const label = `for block ${block} (bytes ${sent}–${sent + chunk.length - 1} of ${total})`;
      try {
        await this.dnloadBlock(block & 0xffff, chunk, label);
      } catch (err) {
        throw withProgress(err, sent, total);
      }
      sent += chunk.length;
      block++;
      options.onProgress?.(sent, total);
    }
    if (options.signal?.aborted) throw await this.cancel(`after all ${total} bytes, before manifestation`);

    // The zero-length DNLOAD tells the device the image is complete (spec §6.1.1).
    try {
      await this.sendDnload(block & 0xffff, new Uint8Array(0), 'for the end of the image');
    } catch (err) {
      throw await this.explainStall(err, 'DFU_DNLOAD for the end of the image');
    }
    const { manifestation, resetIssued } = await this.manifest();
    return { bytes: total, blocks: block, manifestation, resetIssued };
  }

  /**
   * Read firmware back (bitCanUpload). Stops at a short frame or at maxLength;
   * leaves the device in dfuIDLE.
   */
  async upload(maxLength: number, options: TransferOptions = {}): Promise<Uint8Array> {
    if (!this.functional.canUpload) throw new HostError('not-supported', 'This device does not allow reading its firmware back (bitCanUpload is 0).');
    if (!Number.isInteger(maxLength) || maxLength <= 0) throw new HostError('invalid-params', 'The upload length must be a positive whole number of bytes.', `got ${maxLength}`);
    const transferSize = this.checkTransferSize(options.transferSize);
    throwIfCancelled(options.signal);
    await this.ensureIdle();
    return this.uploadBlocks(0, maxLength, transferSize, options);
  }

  /** UPLOAD blocks numbered from `firstBlock` until a short frame or `length` bytes. */
  async uploadBlocks(firstBlock: number, length: number, transferSize: number, options: TransferOptions): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let got = 0;
    let block = firstBlock;
    let shortFrame = false;
    while (got < length) {
      if (options.signal?.aborted) throw await this.cancel(`after reading ${got} bytes`);
      const want = Math.min(transferSize, length - got);
      const part = await this.uploadBlock(block, want, `for block ${block} (${got} of ${length} bytes read)`).catch(async (err) => {
        throw withProgress(await this.explainStall(err, `DFU_UPLOAD for block ${block}`), got, length);
      });
      parts.push(part);
      got += part.length;
      block++;
      options.onProgress?.(got, length);
      if (part.length < want) {
        shortFrame = true; // the device has no more data and went back to dfuIDLE
        break;
      }
    }
    // Without a short frame the device still sits in dfuUPLOAD-IDLE.
    if (!shortFrame) await this.abort();
    return concat(parts, got);
  }

  // ---- internals -------------------------------------------------------

  private async manifest(): Promise<{ manifestation: ManifestationOutcome; resetIssued: boolean }> {
    const tolerant = this.functional.manifestationTolerant;
    let busyMs = 0;
    let zeroPolls = 0;
    for (;;) {
      let st: DfuStatusReport;
      try {
        st = await this.getStatus('during manifestation');
      } catch (err) {
        // Without bitManifestationTolerant the device may reset at any point now: that is the normal end.
        const failure = failureOf(err);
        if (failure === 'gone' || (!tolerant && failure !== undefined)) return { manifestation: 'reset', resetIssued: false };
        throw err;
      }
      switch (st.state) {
        case DfuState.dfuIDLE:
          return { manifestation: 'idle', resetIssued: false };
        case DfuState['dfuMANIFEST-SYNC']:
        case DfuState.dfuMANIFEST:
          await this.sleep(st.pollTimeoutMs);
          busyMs += st.pollTimeoutMs;
          zeroPolls = st.pollTimeoutMs === 0 ? zeroPolls + 1 : 0;
          if (busyMs > this.maxBusyMs || zeroPolls >= MAX_ZERO_TIMEOUT_POLLS) {
            throw new HostError('timeout', `The device stayed in ${st.stateName} for too long (${busyMs} ms) while installing the firmware.`);
          }
          break;
        case DfuState['dfuMANIFEST-WAIT-RESET']:
          if (!this.control.reset) return { manifestation: 'wait-reset', resetIssued: false };
          await this.control.reset().catch(() => undefined); // the device drops off the bus as it resets
          return { manifestation: 'wait-reset', resetIssued: true };
        case DfuState.dfuERROR:
          throw await this.failWithStatus(st, 'manifestation (installing the new firmware)');
        default:
          throw wrongStateError(st, 'DFU_DNLOAD for the end of the image', ['dfuMANIFEST-SYNC', 'dfuMANIFEST', 'dfuMANIFEST-WAIT-RESET', 'dfuIDLE']);
      }
    }
  }

  /** A dfuERROR answer: clear it so the device is usable, then report it by name. */
  async failWithStatus(st: DfuStatusReport, label: string): Promise<HostError> {
    return statusError(st, label, await this.clearError());
  }

  /** CLRSTATUS and check the device is back in dfuIDLE. */
  private async clearError(): Promise<boolean> {
    try {
      await this.clearStatus();
      return (await this.getStatus('after DFU_CLRSTATUS')).state === DfuState.dfuIDLE;
    } catch {
      return false;
    }
  }

  /** After a STALL the device sits in dfuERROR/errSTALLEDPKT: say so and clear it. */
  async explainStall(err: unknown, label: string): Promise<unknown> {
    if (failureOf(err) !== 'stall') return err;
    const detail = (err as HostError).detail;
    try {
      const st = await this.getStatus('after the stall');
      if (st.state !== DfuState.dfuERROR) {
        return new HostError('protocol-error', `The device refused ${label} (USB stall); it is now in ${describeDfuState(st.state)}.`, detail);
      }
      const recovered = await this.clearError();
      const recovery = recovered ? ' The error was cleared (DFU_CLRSTATUS); the device is back in dfuIDLE.' : '';
      return new DfuStatusError('protocol-error', `The device refused ${label} (USB stall) and reports ${st.statusName}: ${dfuStatusMeaning(st.status)}${recovery}`, st, label, detail);
    } catch {
      return err;
    }
  }

  private async recoverQuietly(): Promise<void> {
    try {
      await this.ensureIdle();
    } catch {
      /* the original error is what the operator needs to see */
    }
  }

  /** Cancel between blocks: ABORT returns the device to dfuIDLE and drops the partial image. */
  async cancel(where: string): Promise<HostError> {
    let aborted = true;
    try {
      await this.abort();
    } catch {
      aborted = false;
    }
    return new HostError(
      'cancelled',
      aborted
        ? `The transfer was cancelled ${where}; the device was told to abort (DFU_ABORT) and keeps its previous firmware.`
        : `The transfer was cancelled ${where}, but DFU_ABORT did not reach the device.`,
    );
  }

  checkTransferSize(requested?: number): number {
    const size = requested ?? this.functional.transferSize;
    if (!Number.isInteger(size) || size < 1 || size > 0xffff) {
      throw new HostError('invalid-params', 'The DFU transfer size must be between 1 and 65535 bytes.', `got ${size}`);
    }
    return size;
  }

  private async in<T>(request: DfuRequestName, run: () => Promise<T>, context?: string): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw requestFailure(err, requestLabel(request, context), this.timeoutMs);
    }
  }
}

function throwIfCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new HostError('cancelled', 'The transfer was cancelled before it started; nothing was sent to the device.');
}

function withProgress(err: unknown, done: number, total: number): unknown {
  if (err instanceof HostError && err.code !== 'cancelled') err.message += ` ${done} of ${total} bytes had been transferred.`;
  return err;
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

