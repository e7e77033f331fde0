// What every transfer shares: the reader's life cycle, the caller's start hook,
// and cancelling the peer (CAN x5) when we abort or give up.
import type { ByteStream } from '../../transports/byte-stream';
import { StreamReader } from '../../transports/stream-reader';
import { HostError } from '../../errors/host-error';
import { ByteSource } from './byte-source';
import { CAN } from './codec';

/** Options shared by senders and receivers. */
export interface TransferOptions {
  signal?: AbortSignal;
  /** Retransmissions (sender) or consecutive bad blocks (receiver) tolerated before giving up. Default 10. */
  retries?: number;
  /** Wait for each answer or block, in ms. Default 10 000 (the XMODEM spec's 10 s). */
  timeoutMs?: number;
  /** Wait for the other side to start, in ms. Default 60 000. */
  startTimeoutMs?: number;
  /**
   * A reader the caller attached to the stream earlier (e.g. before typing `loady`),
   * so no byte of the peer's first answer is lost. Not disposed by the transfer.
   */
  reader?: StreamReader;
  /**
   * Runs once the transfer listens to the stream and before it waits for the peer:
   * write the command that starts the peer here (`loady\n`).
   */
  beforeStart?: () => void | Promise<void>;
}

export const DEFAULT_RETRIES = 10;
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_START_TIMEOUT_MS = 60_000;

/** Five CANs: two abort lrzsz and most receivers, U-Boot's `loady` needs three or more. */
export const CANCEL_SEQUENCE = new Uint8Array([CAN, CAN, CAN, CAN, CAN]);

/** The peer sent CAN CAN. */
export function peerCancelled(peer: 'receiver' | 'sender'): HostError {
  return new HostError('protocol-error', `The ${peer} cancelled the transfer.`, 'received CAN CAN');
}

export function isPeerCancel(e: unknown): boolean {
  return e instanceof HostError && e.detail === 'received CAN CAN';
}

export function cancelledByCaller(): HostError {
  return new HostError('cancelled', 'The file transfer was cancelled.');
}

/**
 * Runs one transfer: sets up the reader, calls beforeStart, and on any failure
 * other than a lost link or a peer cancel tells the peer to stop with CAN x5.
 */
export async function runTransfer<T>(stream: ByteStream, opts: TransferOptions, body: (src: ByteSource) => Promise<T>): Promise<T> {
  const reader = opts.reader ?? new StreamReader(stream);
  const src = new ByteSource(reader, opts.signal);
  try {
    if (opts.signal?.aborted) throw cancelledByCaller();
    await opts.beforeStart?.();
    return await body(src);
  } catch (e) {
    let err = HostError.from(e);
    if (opts.signal?.aborted && err.code !== 'device-gone') err = cancelledByCaller();
    // A write into a vanished port fails (EIO) just before the port reports its close.
    if (err.code === 'io-error' && (await closesWithin(stream, LINK_LOSS_GRACE_MS)))
      err = new HostError('device-gone', 'The link to the device was lost during the transfer.', err.detail ?? err.message);
    if (err.code !== 'device-gone' && !isPeerCancel(err) && stream.isOpen) {
      await stream.write(CANCEL_SEQUENCE).catch(() => {});
    }
    throw err;
  } finally {
    if (!opts.reader) reader.dispose();
  }
}

const LINK_LOSS_GRACE_MS = 300;

function closesWithin(stream: ByteStream, ms: number): Promise<boolean> {
  if (!stream.isOpen) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve(!stream.isOpen);
    }, ms);
    const off = stream.onClose(() => {
      clearTimeout(timer);
      off();
      resolve(true);
    });
  });
}

export function resolveOptions(opts: TransferOptions): { retries: number; timeoutMs: number; startTimeoutMs: number } {
  const retries = opts.retries ?? DEFAULT_RETRIES;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const startTimeoutMs = opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  if (!(Number.isInteger(retries) && retries >= 0)) throw new HostError('invalid-params', 'retries must be a whole number of 0 or more.', String(retries));
  if (!(timeoutMs > 0)) throw new HostError('invalid-params', 'timeoutMs must be positive.', String(timeoutMs));
  if (!(startTimeoutMs > 0)) throw new HostError('invalid-params', 'startTimeoutMs must be positive.', String(startTimeoutMs));
  return { retries, timeoutMs, startTimeoutMs };
}
