// Per-session recording without threading a recorder through every factory:
// the host opens a session's adapter inside recordLinks(), and the places that
// create a link pass it through tapLink()/tapFwctl(), which wrap it only when
// a recording is in progress for that open (AsyncLocalStorage carries it).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ByteStream } from '../transports/byte-stream';
import type { FwctlTransport } from '../fwctl/transport';
import { recordingStream } from './recording-stream';
import { recordingFwctl } from './recording-fwctl';
import type { TranscriptSink } from './transcript-writer';

/** Opens the sink for one link; `kind` says which transcript kind the link makes. */
export type LinkRecorder = (kind: 'serial' | 'fwctl') => TranscriptSink | null;

const current = new AsyncLocalStorage<LinkRecorder>();

export function recordLinks<T>(recorder: LinkRecorder, open: () => Promise<T>): Promise<T> {
  return current.run(recorder, open);
}

export function tapLink(link: ByteStream): ByteStream {
  const sink = current.getStore()?.('serial');
  return sink ? recordingStream(link, sink) : link;
}

export function tapFwctl(transport: FwctlTransport): FwctlTransport {
  const sink = current.getStore()?.('fwctl');
  return sink ? recordingFwctl(transport, sink) : transport;
}
