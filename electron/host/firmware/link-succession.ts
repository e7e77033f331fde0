// When a serial session's link drops, the session manager opens a NEW adapter
// for the same session id once the device is back. A job that was running on
// the old adapter (an upload cut by a cable pull, a reset that re-enumerates
// the USB UART) waits here for that successor and carries on with it.
import { HostError } from '../errors/host-error';

export interface Successor {
  readonly linkOpen: boolean;
}

export class AdapterSuccession<A extends Successor> {
  private readonly current = new Map<string, A>();
  private readonly waiters = new Map<string, Set<(a: A) => void>>();

  /** An adapter is open and serving this session. */
  publish(sessionId: string, adapter: A): void {
    this.current.set(sessionId, adapter);
    for (const w of this.waiters.get(sessionId) ?? []) w(adapter);
    this.waiters.delete(sessionId);
  }

  /** The adapter closed for good (session closed). */
  retire(sessionId: string, adapter: A): void {
    if (this.current.get(sessionId) === adapter) this.current.delete(sessionId);
  }

  /** The adapter serving the session after `previous` lost its link. */
  next(sessionId: string, previous: A, signal: AbortSignal, timeoutMs: number): Promise<A> {
    const now = this.current.get(sessionId);
    if (now && now !== previous && now.linkOpen) return Promise.resolve(now);
    if (previous.linkOpen) return Promise.resolve(previous);
    return new Promise<A>((resolve, reject) => {
      let set = this.waiters.get(sessionId);
      if (!set) this.waiters.set(sessionId, (set = new Set()));
      const done = (err: Error | null, a?: A) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        set!.delete(got);
        if (err) reject(err);
        else resolve(a!);
      };
      const got = (a: A) => done(null, a);
      const onAbort = () => done(new HostError('cancelled', 'The job was cancelled while waiting for the device to come back.'));
      const timer = setTimeout(
        () => done(new HostError('device-gone', `The device did not come back within ${Math.round(timeoutMs / 1000)} s after its link dropped.`)),
        timeoutMs,
      );
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      set.add(got);
    });
  }
}
