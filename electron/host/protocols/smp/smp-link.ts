// The request/response engine of the SMP client: frames requests onto a
// ByteStream, numbers them, matches answers by sequence number, times them
// out, and lets up to `maxInFlight` requests be outstanding at once (the rest
// wait in FIFO order). Knows nothing about groups; client.ts builds on it.
import type { ByteStream } from '../../transports/byte-stream';
import { HostError } from '../../errors/host-error';
import type { CborMap } from './cbor';
import { describeCommand } from './commands';
import { extractSmpError, SmpDeviceError, MgmtErr } from './errors';
import { SmpOp, type SmpVersion } from './header';
import { decodeMessage, encodeMessage, type SmpMessage } from './message';
import { encodeSerialPacket, SerialFrameDecoder, SERIAL_MAX_LINE } from './serial-framing';

export interface SmpLinkOptions {
  /** Per-request timeout unless a request says otherwise. Default 5000 ms. */
  timeoutMs?: number;
  /** Requests allowed on the wire at once (pipelining). Default 4. */
  maxInFlight?: number;
  /** SMP protocol version to speak; falls back to 1 if the device answers UNSUPPORTED_TOO_NEW. Default 2. */
  version?: SmpVersion;
  /** Line limit for outgoing frames. Default 127 (Zephyr). */
  maxLineLength?: number;
  /** Console text that shared the UART with SMP (logs, shell prompt). */
  onConsole?: (bytes: Uint8Array) => void;
  /** Frames that were garbled and dropped, and answers nobody asked for. */
  onDiagnostic?: (err: HostError) => void;
}

export interface RequestOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type SmpRequestOp = 'read' | 'write';

interface Pending {
  seq: number;
  op: number;
  group: number;
  id: number;
  resolve(m: SmpMessage): void;
  reject(e: Error): void;
}

export class SmpLink {
  private readonly decoder: SerialFrameDecoder;
  private readonly pending = new Map<number, Pending>();
  private readonly waiters: Array<() => void> = [];
  private inFlight = 0;
  private nextSeq = 0;
  private writeChain: Promise<void> = Promise.resolve();
  private closedReason: HostError | null = null;
  private readonly offData: () => void;
  private readonly offClose: () => void;
  readonly timeoutMs: number;
  /** Requests on the wire at once; the client lowers it to 1 when a device drops bursts. */
  maxInFlight: number;
  /** Largest SMP packet (header + CBOR) the device takes; a bigger request is refused before it is sent. */
  maxPacket = Infinity;
  private readonly maxLineLength: number;
  /** The SMP version in use (may drop to 1 after a device refuses 2). */
  version: SmpVersion;

  constructor(
    private readonly stream: ByteStream,
    private readonly options: SmpLinkOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 4);
    this.maxLineLength = options.maxLineLength ?? SERIAL_MAX_LINE;
    this.version = options.version ?? 2;
    this.decoder = new SerialFrameDecoder({
      onPacket: (p) => this.onPacket(p),
      onConsole: (b) => options.onConsole?.(b),
      onError: (e) => options.onDiagnostic?.(e),
    });
    this.offData = stream.onData((chunk) => this.decoder.push(chunk));
    this.offClose = stream.onClose((reason) =>
      this.shutdown(new HostError('device-gone', 'The link to the device closed while SMP requests were outstanding.', reason?.message ?? 'closed')),
    );
    if (!stream.isOpen) this.closedReason = new HostError('device-gone', 'The link to the device is closed.');
  }

  get isOpen(): boolean {
    return this.closedReason === null;
  }

  /** Sends one request and resolves with the decoded, error-checked response body. */
  async request(op: SmpRequestOp, group: number, id: number, body: CborMap, opts: RequestOptions = {}): Promise<CborMap> {
    const first = await this.exchange(op, group, id, body, opts);
    const err = extractSmpError(first.body);
    if (err && err.kind === 'smp' && err.rc === MgmtErr.MGMT_ERR_UNSUPPORTED_TOO_NEW && this.version === 2) {
      // A v1-only device: speak v1 from now on and ask again.
      this.version = 1;
      return this.request(op, group, id, body, opts);
    }
    if (err) throw new SmpDeviceError(err, describeCommand(group, id, first.header.op));
    return first.body;
  }

  /** Sends one request and returns the raw response message (no error check). */
  async exchange(op: SmpRequestOp, group: number, id: number, body: CborMap, opts: RequestOptions = {}): Promise<SmpMessage> {
    const what = describeCommand(group, id, op === 'read' ? SmpOp.Read : SmpOp.Write);
    await this.acquire(opts.signal);
    try {
      if (this.closedReason) throw this.closedReason;
      const seq = this.allocateSeq();
      const reqOp = op === 'read' ? SmpOp.Read : SmpOp.Write;
      const packet = encodeMessage({ version: this.version, op: reqOp, group, id, seq, body });
      if (packet.length > this.maxPacket)
        throw new HostError('invalid-params', `${capitalise(what)} is too large for the device's SMP buffer.`, `${packet.length}-byte packet, the device takes at most ${this.maxPacket}`);
      const framed = encodeSerialPacket(packet, this.maxLineLength);
      const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
      return await new Promise<SmpMessage>((resolve, reject) => {
        const signal = opts.signal;
        const timer = setTimeout(
          () => finish(new HostError('timeout', `The device did not answer ${what} in time.`, `waited ${timeoutMs} ms for seq ${seq} (group ${group}, command ${id})`)),
          timeoutMs,
        );
        const onAbort = () => finish(new HostError('cancelled', `${capitalise(what)} was cancelled.`));
        const finish = (err: Error | null, msg?: SmpMessage) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          this.pending.delete(seq);
          if (err) reject(err);
          else resolve(msg!);
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        this.pending.set(seq, { seq, op: reqOp, group, id, resolve: (m) => finish(null, m), reject: (e) => finish(e) });
        this.write(framed).catch((e) => finish(HostError.from(e)));
      });
    } finally {
      this.release();
    }
  }

  /** Detaches from the stream (does not close it) and fails anything outstanding. */
  dispose(): void {
    this.shutdown(new HostError('cancelled', 'The SMP client was closed.'));
    this.offData();
    this.offClose();
  }

  private write(bytes: Uint8Array): Promise<void> {
    // Keep whole packets in order on the wire even when callers race.
    const next = this.writeChain.then(() => this.stream.write(bytes));
    this.writeChain = next.catch(() => {});
    return next;
  }

  private onPacket(packet: Uint8Array): void {
    let msg: SmpMessage;
    try {
      msg = decodeMessage(packet);
    } catch (err) {
      this.options.onDiagnostic?.(HostError.from(err));
      return;
    }
    const h = msg.header;
    const p = this.pending.get(h.seq);
    if (!p || h.group !== p.group || h.id !== p.id || h.op !== p.op + 1) {
      // A late answer to a request that already timed out or was cancelled.
      this.options.onDiagnostic?.(
        new HostError('protocol-error', 'An SMP answer arrived that matches no outstanding request.', `seq ${h.seq}, group ${h.group}, command ${h.id}, op ${h.op}`),
      );
      return;
    }
    p.resolve(msg);
  }

  private allocateSeq(): number {
    for (let i = 0; i < 256; i++) {
      const s = (this.nextSeq + i) & 0xff;
      if (!this.pending.has(s)) {
        this.nextSeq = (s + 1) & 0xff;
        return s;
      }
    }
    throw new HostError('device-busy', 'Too many SMP requests are outstanding.');
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (this.inFlight < this.maxInFlight) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        this.inFlight++;
        resolve();
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new HostError('cancelled', 'The SMP request was cancelled before it was sent.'));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(grant);
    });
  }

  private release(): void {
    this.inFlight--;
    const next = this.waiters.shift();
    next?.();
  }

  private shutdown(reason: HostError): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    for (const p of [...this.pending.values()]) p.reject(reason);
    this.decoder.reset();
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
