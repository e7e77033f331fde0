// A transcript played back as a device: when the host writes what the
// transcript shows was written next, the stream answers with what was read
// after it. Matching is by order and byte for byte (a write may arrive in
// other chunks than recorded); anything else is an error naming the step.
import type { ByteStream } from '../transports/byte-stream';
import { HostError } from '../errors/host-error';
import { fromB64, stepLine, type Transcript, type TranscriptStep } from './transcript-format';

function show(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('latin1');
  return JSON.stringify(text.length > 60 ? text.slice(0, 60) + '…' : text);
}

type LinkStep = { kind: 'write' | 'read'; data: Uint8Array; index: number } | { kind: 'close'; by: 'host' | 'device'; reason?: string; index: number };

/** The first link of a serial transcript (up to its first close): a reconnect starts a new link. */
function linkSteps(steps: readonly TranscriptStep[]): LinkStep[] {
  const out: LinkStep[] = [];
  for (const [index, s] of steps.entries()) {
    if (s.type === 'write' || s.type === 'read') out.push({ kind: s.type, data: fromB64(s.data), index });
    else if (s.type === 'close') {
      out.push({ kind: 'close', by: s.by, reason: s.reason, index });
      break;
    } else if (s.type === 'truncated') break;
  }
  return out;
}

export function replayStream(transcript: Transcript, name = 'the transcript'): ByteStream {
  if (transcript.header.kind !== 'serial') throw new HostError('invalid-params', `${name} records a ${transcript.header.kind} device, not a serial link.`);
  const steps = linkSteps(transcript.steps);
  const data = new Set<(chunk: Uint8Array) => void>();
  const closers = new Set<(reason?: Error) => void>();
  let cursor = 0;
  let within = 0;
  let open = true;
  let broken: HostError | null = null;
  const queue: (() => void)[] = [];
  let scheduled = false;

  const end = (reason?: Error) => {
    if (!open) return;
    open = false;
    for (const l of closers) l(reason);
    closers.clear();
    data.clear();
  };
  const pump = () => {
    scheduled = false;
    while (queue.length && open) queue.shift()!();
  };
  /** Queues every read up to the next write, in order, delivered asynchronously like a real link. */
  const answer = () => {
    while (cursor < steps.length && steps[cursor].kind !== 'write') {
      const s = steps[cursor++];
      if (s.kind === 'read') queue.push(() => data.forEach((l) => l(s.data)));
      else if (s.kind === 'close' && s.by === 'device') queue.push(() => end(new Error(`the recorded device closed the link${s.reason ? `: ${s.reason}` : ''}`)));
    }
    if (!scheduled && queue.length) {
      scheduled = true;
      setImmediate(pump);
    }
  };
  // What the device sent before the host wrote anything (a banner) comes first.
  answer();

  return {
    get isOpen() {
      return open;
    },
    async write(bytes: Uint8Array) {
      if (!open) throw new HostError('device-gone', 'The replayed link is closed.');
      if (broken) throw broken;
      let off = 0;
      while (off < bytes.length) {
        const s = steps[cursor];
        if (!s || s.kind !== 'write') {
          broken = new HostError(
            'protocol-error',
            `Replay mismatch at step ${cursor < steps.length ? stepLine(s!.index) : 'end'} of ${name}: the host wrote ${show(bytes.subarray(off))}, but the recording ${s ? 'has the link closing there' : 'ends there'}.`,
          );
          throw broken;
        }
        const n = Math.min(s.data.length - within, bytes.length - off);
        const want = s.data.subarray(within, within + n);
        const got = bytes.subarray(off, off + n);
        if (!Buffer.from(want).equals(Buffer.from(got))) {
          broken = new HostError(
            'protocol-error',
            `Replay mismatch at step ${stepLine(s.index)} of ${name}: the host wrote ${show(got)} where the recording has ${show(want)}.`,
            `step line ${stepLine(s.index)}, byte ${within}`,
          );
          throw broken;
        }
        off += n;
        within += n;
        if (within === s.data.length) {
          cursor++;
          within = 0;
          answer();
        }
      }
    },
    onData(l) {
      data.add(l);
      return () => data.delete(l);
    },
    onClose(l) {
      closers.add(l);
      return () => closers.delete(l);
    },
    async close() {
      end();
    },
  };
}
