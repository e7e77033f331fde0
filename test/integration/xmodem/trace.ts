// Debug aid: FWBENCH_XMODEM_TRACE=1 logs every byte chunk in and out of a port with timestamps.
import type { ByteStream } from '../../../electron/host/transports/byte-stream';

export function traceStream(stream: ByteStream, label: string): void {
  if (!process.env.FWBENCH_XMODEM_TRACE) return;
  const t0 = Date.now();
  const hex = (d: Uint8Array) => Array.from(d.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(' ') + (d.length > 6 ? ` ..(${d.length})` : '');
  stream.onData((d) => console.error(`${label} ${Date.now() - t0} < ${hex(d)}`));
  const write = stream.write.bind(stream);
  stream.write = (d: Uint8Array) => {
    console.error(`${label} ${Date.now() - t0} > ${hex(d)}`);
    return write(d);
  };
}
