// XMODEM and YMODEM senders over a ByteStream: one block in flight, each
// acknowledged before the next (a receiver like U-Boot has no input buffer to
// spare). The receiver picks the check mode: 'C' = CRC-16, NAK = checksum.
import type { ByteStream } from '../../transports/byte-stream';
import { HostError } from '../../errors/host-error';
import type { ByteSource } from './byte-source';
import {
  ACK,
  CAN,
  CRC_REQUEST,
  EOT,
  NAK,
  encodeBlock,
  encodeEndOfBatch,
  encodeYmodemHeader,
  type BlockSize,
  type CheckMode,
} from './codec';
import { peerCancelled, resolveOptions, runTransfer, type TransferOptions, cancelledByCaller } from './session';

export interface SendProgress {
  file: string;
  /** Bytes acknowledged by the receiver. */
  sent: number;
  total: number;
}

export interface SendOptions extends TransferOptions {
  /** 1024 (default; XMODEM-1K / YMODEM) or 128. Checksum-mode receivers always get 128. */
  blockSize?: BlockSize;
  onProgress?(p: SendProgress): void;
}

export interface XmodemSendOptions extends SendOptions {
  /** Label for progress reports only (XMODEM carries no file name). */
  name?: string;
}

export interface YmodemFile {
  name: string;
  data: Uint8Array;
  mtime?: Date;
}

export interface SendResult {
  mode: CheckMode;
  /** Data blocks acknowledged (YMODEM block 0s not counted). */
  blocks: number;
  /** Blocks sent again after a NAK or a timeout. */
  retransmits: number;
}

/**
 * After a YMODEM header is acknowledged, standard receivers (lrzsz) send 'C'
 * at once; U-Boot sends nothing and waits for block 1 (its next 'C' would come
 * only after ~4.5 s). Wait this long for the 'C', then send block 1 anyway.
 */
const DATA_REQUEST_GRACE_MS = 300;
/**
 * A 'C'/NAK answering the first block of a file may be a late start request that
 * crossed our block; the receiver's real ACK then follows at once. Resending
 * without waiting would make the receiver ACK twice and shift every later ACK.
 */
const LATE_ACK_GRACE_MS = 200;

/** Sends one block of data with XMODEM (CRC or checksum, as the receiver asks). */
export async function xmodemSend(stream: ByteStream, data: Uint8Array, opts: XmodemSendOptions = {}): Promise<SendResult> {
  const cfg = resolveOptions(opts);
  const blockSize = checkBlockSize(opts.blockSize);
  return runTransfer(stream, opts, async (src) => {
    const s = new Sender(stream, src, cfg, opts);
    const mode = await s.awaitStart(cfg.startTimeoutMs);
    await s.sendData(opts.name ?? 'xmodem', data, mode === 'crc' ? blockSize : 128, mode);
    await s.sendEot();
    return { mode, blocks: s.blocks, retransmits: s.retransmits };
  });
}

/** Sends a batch of files with YMODEM (block 0 = name, size, mtime), then the end-of-batch block. */
export async function ymodemSend(stream: ByteStream, files: YmodemFile[], opts: SendOptions = {}): Promise<SendResult> {
  const cfg = resolveOptions(opts);
  const blockSize = checkBlockSize(opts.blockSize);
  if (files.length === 0) throw new HostError('invalid-params', 'There are no files to send.');
  // Encode every header up front so a bad name fails before the receiver is started.
  const headers = files.map((f) => encodeYmodemHeader({ name: f.name, size: f.data.length, mtime: f.mtime }));
  return runTransfer(stream, opts, async (src) => {
    const s = new Sender(stream, src, cfg, opts);
    const mode = await s.awaitStart(cfg.startTimeoutMs);
    const size = mode === 'crc' ? blockSize : 128;
    for (let i = 0; i < files.length; i++) {
      if (i > 0) await s.awaitStart(cfg.timeoutMs);
      const header = headers[i];
      await s.sendFrame(encodeBlock(0, header, header.length as BlockSize, mode, 0), `the header block of ${files[i].name}`, true);
      await s.awaitDataRequest();
      await s.sendData(files[i].name, files[i].data, size, mode);
      await s.sendEot();
    }
    await s.awaitStart(cfg.timeoutMs);
    await s.sendFrame(encodeEndOfBatch(mode), 'the end-of-batch block', true);
    return { mode, blocks: s.blocks, retransmits: s.retransmits };
  });
}

function checkBlockSize(size: number | undefined): BlockSize {
  if (size === undefined) return 1024;
  if (size !== 128 && size !== 1024) throw new HostError('invalid-params', 'The block size must be 128 or 1024 bytes.', String(size));
  return size;
}

type Answer = 'ack' | 'nak' | 'timeout';

class Sender {
  blocks = 0;
  retransmits = 0;

  constructor(
    private readonly stream: ByteStream,
    private readonly src: ByteSource,
    private readonly cfg: { retries: number; timeoutMs: number },
    private readonly opts: SendOptions,
  ) {}

  /**
   * Waits for 'C' or NAK. Everything else is skipped: console text such as
   * U-Boot's "## Ready for binary (ymodem) download", stray ACKs (U-Boot ACKs an
   * EOT twice). A 'C' directly followed by more text is part of that text.
   */
  async awaitStart(timeoutMs: number): Promise<CheckMode> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const b = await this.src.next(deadline - Date.now());
      if (b === null) throw new HostError('timeout', `The receiver did not ask for the transfer to start within ${Math.round(timeoutMs / 1000)} s.`, "no 'C' or NAK received");
      if (b === CAN) {
        if (await this.src.secondCan()) throw peerCancelled('receiver');
      } else if (b === NAK) {
        this.src.discard();
        return 'checksum';
      } else if (b === CRC_REQUEST) {
        const after = await this.src.peekArrived();
        if (after !== undefined && after !== CRC_REQUEST && isText(after)) continue;
        // Repeated requests that queued up are stale now.
        this.src.discard();
        return 'crc';
      }
    }
  }

  /** After a YMODEM header's ACK: take the receiver's 'C' if it comes soon, else go on. */
  async awaitDataRequest(): Promise<void> {
    const deadline = Date.now() + DATA_REQUEST_GRACE_MS;
    for (;;) {
      const b = await this.src.next(deadline - Date.now());
      if (b === null) return;
      if (b === CRC_REQUEST || b === NAK) return this.src.discard();
      if (b === CAN && (await this.src.secondCan())) throw peerCancelled('receiver');
    }
  }

  async sendData(file: string, data: Uint8Array, size: BlockSize, mode: CheckMode): Promise<void> {
    const total = data.length;
    this.opts.onProgress?.({ file, sent: 0, total });
    let offset = 0;
    let seq = 1;
    while (offset < total) {
      // A tail that fits in 128 bytes goes in a short block: less padding on the wire and in XMODEM files.
      const blockSize: BlockSize = total - offset <= 128 ? 128 : size;
      const chunk = data.subarray(offset, offset + blockSize);
      await this.sendFrame(encodeBlock(seq, chunk, blockSize, mode), `block ${seq} of ${file}`, seq === 1);
      offset += chunk.length;
      seq++;
      this.blocks++;
      this.opts.onProgress?.({ file, sent: offset, total });
    }
  }

  /** Sends a frame until it is ACKed, up to `retries` retransmissions. */
  async sendFrame(frame: Uint8Array, what: string, firstOfFile: boolean): Promise<void> {
    let naks = 0;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) this.retransmits++;
      this.src.discard();
      // After an abort the next thing on the wire must be the CAN bytes, not another block.
      if (this.opts.signal?.aborted) throw cancelledByCaller();
      await this.stream.write(frame);
      const answer = await this.awaitAnswer(firstOfFile);
      if (answer === 'ack') return;
      if (answer === 'nak') naks++;
      if (attempt >= this.cfg.retries) {
        if (answer === 'timeout')
          throw new HostError('timeout', `The receiver did not acknowledge ${what}.`, `${attempt + 1} attempt(s), ${naks} NAK(s), ${this.cfg.timeoutMs} ms each`);
        throw new HostError('protocol-error', `The receiver rejected ${what} ${naks} times.`, `${attempt + 1} attempt(s)`);
      }
    }
  }

  private async awaitAnswer(firstOfFile: boolean): Promise<Answer> {
    const deadline = Date.now() + this.cfg.timeoutMs;
    for (;;) {
      const b = await this.src.next(deadline - Date.now());
      if (b === null) return 'timeout';
      if (b === ACK) return 'ack';
      // U-Boot asks again with 'C' (not NAK) when a block was bad.
      if (b === NAK || b === CRC_REQUEST) {
        if (firstOfFile) {
          const next = await this.src.next(LATE_ACK_GRACE_MS);
          if (next === ACK) return 'ack';
          if (next !== null) this.src.unread(next);
        }
        return 'nak';
      }
      if (b === CAN && (await this.src.secondCan())) throw peerCancelled('receiver');
    }
  }

  /** EOT until ACKed; YMODEM receivers NAK the first EOT, others ACK it at once. */
  async sendEot(): Promise<void> {
    for (let attempt = 0; attempt <= this.cfg.retries + 1; attempt++) {
      this.src.discard();
      await this.stream.write(Uint8Array.of(EOT));
      const deadline = Date.now() + this.cfg.timeoutMs;
      for (;;) {
        const b = await this.src.next(deadline - Date.now());
        if (b === null || b === NAK) break;
        if (b === ACK) return;
        if (b === CAN && (await this.src.secondCan())) throw peerCancelled('receiver');
      }
    }
    throw new HostError('timeout', 'The receiver did not acknowledge the end of the file (EOT).', `${this.cfg.retries + 2} EOT(s) sent`);
  }
}

function isText(b: number): boolean {
  return (b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09;
}

