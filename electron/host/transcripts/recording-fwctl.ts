// A FwctlTransport that records every INFO and RPC: scope, request, out_len,
// and the reply or the error (the errno's HostError) the kernel gave.
import type { FwctlTransport } from '../fwctl/transport';
import { HostError } from '../errors/host-error';
import { toB64 } from './transcript-format';
import type { TranscriptSink } from './transcript-writer';

export function recordingFwctl(inner: FwctlTransport, sink: TranscriptSink): FwctlTransport {
  return {
    get simulated() {
      return inner.simulated;
    },
    async info() {
      const info = await inner.info();
      sink.step({ type: 'fwctl-info', deviceType: info.deviceType, deviceData: toB64(info.deviceData) });
      return info;
    },
    async rpc(scope, request, outLen) {
      const base = { type: 'fwctl-rpc' as const, scope, request: toB64(request), outLen };
      try {
        const reply = await inner.rpc(scope, request, outLen);
        sink.step({ ...base, reply: toB64(reply) });
        return reply;
      } catch (e) {
        sink.step({ ...base, error: HostError.from(e).toWire() });
        throw e;
      }
    },
    async close() {
      sink.step({ type: 'close', by: 'host' });
      await inner.close();
    },
  };
}
