// A ByteStream that passes everything through and records it: what the host
// writes (logged before it goes out, so the answer always follows it) and
// what the device sends, with host timestamps.
import type { ByteStream } from '../transports/byte-stream';
import { toB64 } from './transcript-format';
import type { TranscriptSink } from './transcript-writer';

export function recordingStream(inner: ByteStream, sink: TranscriptSink): ByteStream {
  let closingByHost = false;
  sink.step({ type: 'open' });
  // One subscription for the recorder, whoever listens later.
  const offData = inner.onData((chunk) => sink.step({ type: 'read', data: toB64(chunk) }));
  const offClose = inner.onClose((reason) => {
    sink.step(closingByHost || !reason ? { type: 'close', by: 'host' } : { type: 'close', by: 'device', reason: reason.message });
    offData();
    offClose();
  });
  return {
    get isOpen() {
      return inner.isOpen;
    },
    write(data: Uint8Array) {
      sink.step({ type: 'write', data: toB64(data) });
      return inner.write(data);
    },
    onData: (l) => inner.onData(l),
    onClose: (l) => inner.onClose(l),
    close() {
      closingByHost = true;
      return inner.close();
    },
  };
}
