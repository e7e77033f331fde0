// The pipelined write loop shared by image upload and fs upload. The device's
// "off" in each answer is the truth: when it differs from what we expected
// (a lost chunk, a device that restarted the session, a resume), the loop lets
// the in-flight requests drain and carries on from the device's last offset.
import { HostError } from '../../errors/host-error';
import type { CborMap } from './cbor';
import { maxDataThatFits } from './chunk-budget';

export interface ChunkedUploadSpec {
  data: Uint8Array;
  /** Fields other than "data" for the chunk at `off` (the first chunk carries more). */
  fieldsAt(off: number): CborMap;
  send(body: CborMap, off: number, signal?: AbortSignal): Promise<CborMap>;
  /** Read before every chunk: a back-off lowers them mid-transfer. */
  maxPacket(): number;
  window(): number;
  /**
   * A chunk went unanswered (a device whose RX pool drops long bursts does
   * that): ask for smaller requests and fewer in flight. Returns what changed,
   * or null when nothing smaller is possible.
   */
  backOff?(): string | null;
  /** Plain-words notes for the job log (back-offs). */
  onNote?(text: string): void;
  startAt: number;
  /** Used when the device rejects a chunk at startAt > 0: restart from 0. */
  restartOnRejectedResume: boolean;
  onProgress?: (confirmed: number, total: number) => void;
  signal?: AbortSignal;
  what: string;
}

export interface ChunkedUploadResult {
  /** Offset the device confirmed first (what it already had). */
  resumedFrom: number;
  chunks: number;
  /** Times the loop had to rewind to the device's offset. */
  rewinds: number;
  /** Largest data payload sent in one chunk. */
  chunkSize: number;
  /** Times the loop backed off after an unanswered chunk. */
  backoffs: number;
  /** The final answer from the device. */
  last: CborMap;
}

/** Thrown when a transfer stops part-way; `confirmed` is where a retry can resume. */
export class SmpTransferInterrupted extends HostError {
  constructor(
    cause: HostError,
    readonly confirmed: number,
    readonly total: number,
  ) {
    super(cause.code, cause.message, `${cause.detail ? cause.detail + '; ' : ''}the device confirmed ${confirmed} of ${total} bytes — start the transfer again to resume`);
    this.name = 'SmpTransferInterrupted';
  }
}

const MAX_REWINDS = 32;
const MAX_BACKOFFS = 8;

export async function runChunkedUpload(spec: ChunkedUploadSpec): Promise<ChunkedUploadResult> {
  const total = spec.data.length;
  let chunks = 0;
  let rewinds = 0;
  let chunkSize = 0;
  let confirmed = 0;
  let backoffs = 0;

  const sendAt = (off: number): { end: number; p: Promise<CborMap> } => {
    const fields = spec.fieldsAt(off);
    const maxPacket = spec.maxPacket();
    const n = maxDataThatFits(fields, maxPacket);
    if (n <= 0 && off < total)
      throw new HostError('not-supported', `The device's buffer is too small to carry ${spec.what}.`, `max packet ${maxPacket} bytes leaves no room for data`);
    const end = Math.min(total, off + n);
    chunkSize = Math.max(chunkSize, end - off);
    chunks++;
    const p = spec.send({ ...fields, data: spec.data.subarray(off, end) }, off, spec.signal);
    p.catch(() => {}); // observed later; never an unhandled rejection
    return { end, p };
  };
  const offsetOf = (body: CborMap): number => {
    const off = body.off;
    if (typeof off !== 'number' || !Number.isInteger(off) || off < 0 || off > total)
      throw new HostError('protocol-error', `The device answered ${spec.what} with an invalid offset.`, `off = ${JSON.stringify(off)}, image is ${total} bytes`);
    return off;
  };

  /** An unanswered chunk: back off and say so, or rethrow. */
  const backOffOr = (err: unknown): void => {
    const h = HostError.from(err);
    if (h.code !== 'timeout' || !spec.backOff || spec.signal?.aborted || backoffs >= MAX_BACKOFFS) throw err;
    const change = spec.backOff();
    if (!change) throw err;
    backoffs++;
    spec.onNote?.(`the device did not answer a chunk of ${spec.what} at ${confirmed} of ${total} bytes (${h.message}); backing off: ${change}`);
  };

  try {
    // First exchange alone: the device may erase first, or answer with the
    // offset of a session it already has (resume).
    let start = spec.startAt;
    let s0 = sendAt(start);
    let first: CborMap;
    for (;;) {
      try {
        first = await s0.p;
        break;
      } catch (err) {
        if (start > 0 && spec.restartOnRejectedResume && (err as HostError).code === 'device-error') {
          start = 0;
          s0 = sendAt(0);
          continue;
        }
        backOffOr(err);
        s0 = sendAt(start);
      }
    }
    let last = first;
    confirmed = offsetOf(first);
    // Either the device took our chunk, or it told us how much it already has.
    const resumedFrom = confirmed === s0.end ? start : confirmed;
    spec.onProgress?.(confirmed, total);

    let inflight: Array<{ off: number; end: number; p: Promise<CborMap> }> = [];
    let next = confirmed;
    while (confirmed < total) {
      if (spec.signal?.aborted) throw new HostError('cancelled', `${spec.what} was cancelled.`);
      while (inflight.length < spec.window() && next < total) {
        const s = sendAt(next);
        inflight.push({ off: next, end: s.end, p: s.p });
        next = s.end;
      }
      const head = inflight.shift()!;
      let answer: CborMap;
      try {
        answer = await head.p;
      } catch (err) {
        backOffOr(err);
        // Let the rest land; an answer among them says where the device is.
        let deviceOff = confirmed;
        for (const x of inflight) {
          try {
            deviceOff = offsetOf(await x.p);
          } catch (e) {
            const c = HostError.from(e).code;
            if (c !== 'timeout' && c !== 'device-error') throw e;
          }
        }
        inflight = [];
        confirmed = deviceOff;
        next = deviceOff;
        continue;
      }
      last = answer;
      const off = offsetOf(answer);
      if (off === head.end) {
        confirmed = off;
        spec.onProgress?.(confirmed, total);
        continue;
      }
      // Out of step: let the rest land, then follow the device's last word.
      let deviceOff = off;
      for (const x of inflight) {
        try {
          deviceOff = offsetOf(await x.p);
        } catch (err) {
          if ((err as HostError).code !== 'device-error') throw err;
        }
      }
      inflight = [];
      if (++rewinds > MAX_REWINDS)
        throw new HostError('protocol-error', `The device kept asking for other offsets during ${spec.what}.`, `gave up after ${MAX_REWINDS} rewinds at offset ${deviceOff}`);
      confirmed = deviceOff;
      next = deviceOff;
      spec.onProgress?.(confirmed, total);
      if (deviceOff === 0 && total > 0) {
        // The device dropped the session: the next chunk is a first chunk again.
        const again = await sendAt(0).p;
        last = again;
        confirmed = offsetOf(again);
        next = confirmed;
        spec.onProgress?.(confirmed, total);
      }
    }
    return { resumedFrom, chunks, rewinds, chunkSize, backoffs, last };
  } catch (err) {
    const h = HostError.from(err);
    if (h.code === 'device-gone' || h.code === 'timeout' || h.code === 'cancelled' || h.code === 'io-error') throw new SmpTransferInterrupted(h, confirmed, total);
    throw err;
  }
}
