import type { ErrorCode, WireError } from '../../contract/errors';

/** The one error type of the host: a stable code, plain words, and detail for engineers. */
export class HostError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'HostError';
  }

  toWire(): WireError {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }

  static from(err: unknown): HostError {
    if (err instanceof HostError) return err;
    const e = err as { message?: string; stack?: string } | undefined;
    return new HostError('internal', 'Something went wrong inside fwbench.', e?.message ?? String(err));
  }
}
