import type { ByteStream } from './byte-stream';

/**
 * A view of a ByteStream whose input is whatever its owner pushes (e.g. the
 * console part of a multiplexed UART) and whose output goes to the real link.
 * Protocol code then reads the console without seeing telemetry or SMP frames.
 */
export class TapStream implements ByteStream {
  private dataListeners = new Set<(chunk: Uint8Array) => void>();
  private closeListeners = new Set<(reason?: Error) => void>();
  private ended = false;

  constructor(private readonly link: ByteStream) {}

  get isOpen(): boolean {
    return !this.ended && this.link.isOpen;
  }

  push(chunk: Uint8Array): void {
    for (const l of this.dataListeners) l(chunk);
  }

  end(reason?: Error): void {
    if (this.ended) return;
    this.ended = true;
    for (const l of this.closeListeners) l(reason);
  }

  write(data: Uint8Array): Promise<void> {
    return this.link.write(data);
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  onClose(listener: (reason?: Error) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(): Promise<void> {
    return this.link.close();
  }
}
