import type { ByteStream } from './byte-stream';
import { HostError } from '../errors/host-error';

/** Two connected in-process ByteStreams: what one writes, the other reads. */
export function createPipePair(): [ByteStream, ByteStream] {
  const a = new PipeEnd();
  const b = new PipeEnd();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

class PipeEnd implements ByteStream {
  peer!: PipeEnd;
  private dataListeners = new Set<(chunk: Uint8Array) => void>();
  private closeListeners = new Set<(reason?: Error) => void>();
  private open = true;

  get isOpen(): boolean {
    return this.open;
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.open) throw new HostError('device-gone', 'The link is closed.');
    const copy = data.slice();
    // Deliver asynchronously, like a real OS pipe would.
    queueMicrotask(() => this.peer.deliver(copy));
  }

  private deliver(chunk: Uint8Array): void {
    if (!this.open) return;
    for (const l of this.dataListeners) l(chunk);
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  onClose(listener: (reason?: Error) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.end();
    this.peer.end(new Error('peer closed the link'));
  }

  private end(reason?: Error): void {
    if (!this.open) return;
    this.open = false;
    for (const l of this.closeListeners) l(reason);
    this.closeListeners.clear();
    this.dataListeners.clear();
  }
}
