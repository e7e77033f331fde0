// The far end of an in-process pipe, driven byte by byte by a test.
import type { ByteStream } from '../../../electron/host/transports/byte-stream';
import { StreamReader } from '../../../electron/host/transports/stream-reader';
import { HostError } from '../../../electron/host/errors/host-error';
import { SOH, STX, decodeBlock, frameLength, type CheckMode, type DecodedBlock } from '../../../electron/host/protocols/xmodem';

export class ScriptedPeer {
  readonly reader: StreamReader;
  constructor(readonly stream: ByteStream) {
    this.reader = new StreamReader(stream);
  }
  send(...bytes: (number | Uint8Array | string)[]): Promise<void> {
    const parts = bytes.map((b) => (typeof b === 'number' ? Uint8Array.of(b) : typeof b === 'string' ? new TextEncoder().encode(b) : b));
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return this.stream.write(out);
  }
  byte(timeoutMs = 2000): Promise<number> {
    return this.reader.readByte(timeoutMs);
  }
  /** Reads one whole frame (header byte first) and decodes it. */
  async frame(mode: CheckMode = 'crc', timeoutMs = 2000): Promise<DecodedBlock & { header: number }> {
    const header = await this.byte(timeoutMs);
    if (header !== SOH && header !== STX) throw new Error(`expected a frame, got 0x${header.toString(16)}`);
    const rest = await this.reader.read(frameLength(header, mode) - 1, timeoutMs);
    return { header, ...decodeBlock(Uint8Array.of(header, ...rest), mode) };
  }
  /** True if nothing arrives within ms. */
  async silentFor(ms: number): Promise<boolean> {
    try {
      await this.reader.readByte(ms);
      return false;
    } catch (e) {
      if (e instanceof HostError && e.code === 'timeout') return true;
      throw e;
    }
  }
}

export async function rejection(p: Promise<unknown>): Promise<HostError> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof HostError)) throw e;
    return e;
  }
  throw new Error('expected a HostError');
}

export function bytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 16;
  }
  return out;
}
