// The demo board's SMP server: takes the raw bytes the board's UART receives,
// keeps SMP lines (those starting with 0x06 0x09 / 0x04 0x14) and hands every
// other byte to the board's console, answers each packet in order like a
// single-threaded device, and resets the board when asked.
import type { ByteStream } from '../../transports/byte-stream';
import type { SmpBoardState } from './board-state';
import type { SmpGroupHandler } from './handlers/context';
import { fsHandler } from './handlers/fs';
import { imageHandler } from './handlers/image';
import { osHandler } from './handlers/os';
import { settingsHandler } from './handlers/settings';
import { shellHandler } from './handlers/shell';
import { statsHandler } from './handlers/stats';
import { GROUP, MGMT, SmpRefusal } from './rc';
import { enumHandler } from './handlers/enum';
import { decodeBody, encodeBody, encodeBodyIndefinite, withUnknownKeys, frameLines, HDR_LEN, LineAssembler, readHeader, writeHeader, type WireHeader } from './wire';

export interface SmpServerOptions {
  /** Puts bytes on the board's UART TX. */
  send(bytes: Uint8Array): void | Promise<void>;
  /** Bytes that were not SMP: the board's console input. */
  onConsole?(bytes: Uint8Array): void;
  /** Frames dropped and why (what a device would log). */
  onDiagnostic?(why: string): void;
  /** Time between the reset answer and the reset. Default 10 ms. */
  resetDelayMs?: number;
  /** Simulated slot erase before the first image chunk. Default 0. */
  eraseDelayMs?: number;
  /** Behave like a pre-v2 device: refuse SMP v2 with MGMT_ERR_UNSUPPORTED_TOO_NEW. */
  v1Only?: boolean;
  /**
   * The groups this build has (Zephyr: one Kconfig option each). A request to
   * any other group is answered MGMT_ERR_ENOTSUP, as Zephyr's smp_handle_single_req
   * does. Default: os, image, stats, settings, fs, shell and enum.
   */
  groups?: readonly number[];
  /**
   * Frame buffers in the UART RX pool (Zephyr CONFIG_UART_MCUMGR_RX_BUF_COUNT).
   * A received frame holds a buffer until its request is answered; a frame
   * that finds none free is dropped with the rest of its request, so a request
   * longer than this many frames, or one sent while another is in flight, is
   * never answered. Default: unlimited.
   */
  rxPoolFrames?: number;
  /** Time the device takes before each answer (a busy single-threaded MCU). Default 0. */
  latencyMs?: number;
  /**
   * 'zcbor' answers the way Zephyr's zcbor encoder can: indefinite-length maps
   * and arrays, plus keys a client does not know (newer firmware). Default 'definite'.
   */
  encoding?: 'definite' | 'zcbor';
}

export const ALL_GROUPS: readonly number[] = [GROUP.OS, GROUP.IMAGE, GROUP.STAT, GROUP.SETTINGS, GROUP.FS, GROUP.SHELL, GROUP.ENUM];

export class SmpServer {
  private readonly handlers = new Map<number, SmpGroupHandler>([
    [GROUP.OS, osHandler],
    [GROUP.IMAGE, imageHandler],
    [GROUP.STAT, statsHandler],
    [GROUP.SETTINGS, settingsHandler],
    [GROUP.FS, fsHandler],
    [GROUP.SHELL, shellHandler],
    [GROUP.ENUM, (req) => enumHandler(req, this.offered())],
  ]);
  /** RX pool frames held by requests not yet answered (and by the one being received). */
  private heldFrames = 0;
  private receivingFrames = 0;
  private readonly assembler: LineAssembler;
  private queue: Promise<void> = Promise.resolve();
  private console: number[] = [];
  private line: number[] | null = null;
  private held = -1;
  private atLineStart = true;
  private disposed = false;
  /** Requests answered so far, for tests and the board's status line. */
  handled = 0;

  constructor(
    readonly state: SmpBoardState,
    private readonly options: SmpServerOptions,
  ) {
    this.assembler = new LineAssembler(
      state.bufSize,
      (p) => {
        const frames = this.receivingFrames;
        this.receivingFrames = 0;
        this.enqueue(p, frames);
      },
      (why, partial) => {
        this.release(this.receivingFrames);
        this.receivingFrames = 0;
        this.dropped(why, partial);
      },
    );
  }

  /** Plug in (or replace) a group's handler. */
  registerGroup(group: number, handler: SmpGroupHandler): void {
    this.handlers.set(group, handler);
  }

  /** True if a received line (without newline) is an SMP frame line. */
  static isSmpLine(line: Uint8Array): boolean {
    return line.length >= 2 && ((line[0] === 0x06 && line[1] === 0x09) || (line[0] === 0x04 && line[1] === 0x14));
  }

  /** For a board that splits lines itself: one SMP line, newline removed. */
  handleLine(line: Uint8Array): void {
    const pool = this.options.rxPoolFrames;
    if (pool !== undefined) {
      if (this.heldFrames >= pool) {
        // No RX buffer free: this frame is lost, and with it the request it belonged to.
        this.assembler.abandon();
        this.release(this.receivingFrames);
        this.receivingFrames = 0;
        this.options.onDiagnostic?.(`RX pool exhausted (${pool} frames): frame dropped`);
        return;
      }
      this.heldFrames++;
      this.receivingFrames++;
    }
    this.assembler.line(line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line);
  }

  /** The group ids this build answers. */
  offered(): number[] {
    const groups = this.options.groups ?? ALL_GROUPS;
    return [...new Set([...groups])].sort((a, b) => a - b);
  }

  private release(frames: number): void {
    if (this.options.rxPoolFrames !== undefined) this.heldFrames = Math.max(0, this.heldFrames - frames);
  }

  /** Raw UART input. */
  feed(bytes: Uint8Array): void {
    for (const b of bytes) this.byte(b);
    this.flushConsole();
  }

  /** Resolves once every request received so far has been answered. */
  idle(): Promise<void> {
    return this.queue;
  }

  dispose(): void {
    this.disposed = true;
  }

  private byte(b: number): void {
    if (this.line) {
      if (b === 0x0a) {
        const l = Uint8Array.from(this.line);
        this.line = null;
        this.atLineStart = true;
        this.handleLine(l);
      } else if (this.line.length > 4096) {
        this.line = null;
        this.dropped('SMP line without newline');
      } else this.line.push(b);
      return;
    }
    if (this.held >= 0) {
      const first = this.held;
      this.held = -1;
      if ((first === 0x06 && b === 0x09) || (first === 0x04 && b === 0x14)) {
        this.flushConsole();
        this.line = [first, b];
        return;
      }
      this.console.push(first);
    } else if (this.atLineStart && (b === 0x06 || b === 0x04)) {
      this.held = b;
      return;
    }
    this.console.push(b);
    this.atLineStart = b === 0x0a || b === 0x0d;
  }

  private flushConsole(): void {
    if (this.console.length === 0) return;
    const out = Uint8Array.from(this.console);
    this.console = [];
    this.options.onConsole?.(out);
  }

  private dropped(why: string, partial?: Uint8Array): void {
    this.options.onDiagnostic?.(why);
    // An oversize request still tells us who asked: answer MGMT_ERR_EMSGSIZE.
    if (partial && partial.length >= HDR_LEN) {
      const h = readHeader(partial);
      if (h.op === 0 || h.op === 2) this.queue = this.queue.then(() => this.respond(h, { rc: MGMT.EMSGSIZE }));
    }
  }

  private enqueue(packet: Uint8Array, frames = 0): void {
    this.queue = this.queue
      .then(() => this.process(packet))
      .catch((err) => this.options.onDiagnostic?.(`handler crashed: ${(err as Error).message}`))
      .finally(() => this.release(frames));
  }

  private async process(p: Uint8Array): Promise<void> {
    if (this.disposed) return;
    if (p.length < HDR_LEN) return this.options.onDiagnostic?.('packet shorter than an SMP header');
    const h = readHeader(p);
    if (h.len !== p.length - HDR_LEN) return this.options.onDiagnostic?.(`header length ${h.len} but ${p.length - HDR_LEN} data bytes`);
    if (h.op !== 0 && h.op !== 2) return this.options.onDiagnostic?.(`request with op ${h.op}`);
    if (this.options.v1Only && h.ver !== 0) return this.respond({ ...h, ver: 0 }, { rc: MGMT.UNSUPPORTED_TOO_NEW });
    let body: Record<string, unknown>;
    try {
      body = decodeBody(p.subarray(HDR_LEN));
    } catch (err) {
      return this.respond(h, { rc: MGMT.EINVAL, rsn: `bad CBOR: ${(err as Error).message}` });
    }
    let answer: Record<string, unknown>;
    let resetAfter = false;
    try {
      const handler = this.offered().includes(h.group) ? this.handlers.get(h.group) : undefined;
      const r = handler
        ? await handler({
            op: h.op,
            id: h.id,
            body,
            state: this.state,
            scheduleReset: () => (resetAfter = true),
            delay: (ms) => new Promise((res) => setTimeout(res, ms)),
            eraseDelayMs: this.options.eraseDelayMs ?? 0,
          })
        : undefined;
      answer = r ?? { rc: MGMT.ENOTSUP };
    } catch (err) {
      if (!(err instanceof SmpRefusal)) throw err;
      answer =
        err.group !== null && h.ver === 1
          ? { err: { group: err.group, rc: err.groupRc } }
          : { rc: err.mgmtRc, ...(h.ver === 0 && err.rsn ? { rsn: err.rsn } : {}) };
    }
    if (this.options.latencyMs) await new Promise((res) => setTimeout(res, this.options.latencyMs));
    await this.respond(h, answer);
    if (resetAfter) {
      await new Promise((res) => setTimeout(res, this.options.resetDelayMs ?? 10));
      if (!this.disposed) this.state.reset();
    }
  }

  private async respond(req: WireHeader, body: Record<string, unknown>): Promise<void> {
    if (this.disposed) return;
    const zcbor = this.options.encoding === 'zcbor';
    let data = zcbor ? encodeBodyIndefinite(withUnknownKeys(body)) : encodeBody(body);
    if (HDR_LEN + data.length + 4 > this.state.bufSize) data = encodeBody({ rc: MGMT.EMSGSIZE });
    const header = writeHeader({ ...req, op: req.op + 1, flags: 0, len: data.length });
    const packet = new Uint8Array(HDR_LEN + data.length);
    packet.set(header);
    packet.set(data, HDR_LEN);
    this.handled++;
    await this.options.send(frameLines(packet));
  }
}

/** Runs a server on a ByteStream (a pty or pipe standing in for the board's UART). */
export function attachSmpServer(
  stream: ByteStream,
  state: SmpBoardState,
  options: Omit<SmpServerOptions, 'send'> = {},
): { server: SmpServer; detach(): void } {
  const server = new SmpServer(state, {
    ...options,
    send: (bytes) => (stream.isOpen ? stream.write(bytes).catch(() => {}) : undefined),
  });
  const off = stream.onData((chunk) => server.feed(chunk));
  return {
    server,
    detach: () => {
      off();
      server.dispose();
    },
  };
}
