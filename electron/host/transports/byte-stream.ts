// A transport moves bytes and knows nothing about protocols. Serial ports, ptys,
// in-process pipes and replayed transcripts all implement this.
export interface ByteStream {
  /** Resolves when the bytes have been handed to the OS (or the peer). Rejects with HostError('device-gone') after close. */
  write(data: Uint8Array): Promise<void>;
  /** Subscribes to incoming bytes; returns an unsubscribe function. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /** Called once when the stream ends, with the reason when it was not a deliberate close. */
  onClose(listener: (reason?: Error) => void): () => void;
  close(): Promise<void>;
  readonly isOpen: boolean;
}
