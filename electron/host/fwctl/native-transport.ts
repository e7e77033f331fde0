// FwctlTransport over a real /dev/fwctl/fwctlN through the N-API addon. Every
// call runs on the libuv pool; errno becomes a HostError (errno.ts).
import { FWCTL_SCOPE_VALUE, isScope, type Scope } from '../../contract/scopes';
import { HostError } from '../errors/host-error';
import { loadFwctl, type FwctlBinding } from '../../../native/index';
import { fwctlErrnoError } from './errno';
import { FWCTL_MAX_RPC_LEN, type FwctlInfo, type FwctlTransport } from './transport';

/** First guess for the FWCTL_INFO blob; retried with the size the kernel reports. */
const INFO_DATA_GUESS = 256;

export interface NativeFwctlTransport extends FwctlTransport {
  readonly path: string;
}

/** The addon, or a HostError saying why fwctl cannot be used here. */
export function requireFwctlBinding(): FwctlBinding {
  const native = loadFwctl();
  if (!native.available) {
    throw new HostError('capability-missing', 'fwctl devices cannot be used: the native fwctl support is not available.', native.reason);
  }
  return native;
}

export async function openNativeFwctl(path: string): Promise<NativeFwctlTransport> {
  const b = requireFwctlBinding();
  const fd = await b.open(path);
  if (fd < 0) throw fwctlErrnoError(fd, 'open', path);
  return new NativeTransport(b, fd, path);
}

class NativeTransport implements NativeFwctlTransport {
  readonly simulated = false;
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly b: FwctlBinding,
    private readonly fd: number,
    readonly path: string,
  ) {}

  async info(): Promise<FwctlInfo> {
    let data = new Uint8Array(INFO_DATA_GUESS);
    const meta = new Uint32Array(2);
    for (;;) {
      const r = await this.track(() => this.b.info(this.fd, data, meta));
      if (r < 0) throw fwctlErrnoError(r, 'FWCTL_INFO', this.path);
      const full = meta[1];
      if (full <= data.length) return { deviceType: meta[0], deviceData: data.slice(0, full) };
      data = new Uint8Array(full);
    }
  }

  async rpc(scope: Scope, request: Uint8Array, outLen: number): Promise<Uint8Array> {
    if (!isScope(scope)) throw new HostError('invalid-params', `"${String(scope)}" is not an fwctl scope.`);
    if (!(request instanceof Uint8Array)) throw new HostError('invalid-params', 'The fwctl request must be bytes (Uint8Array).');
    if (!Number.isInteger(outLen) || outLen < 0) {
      throw new HostError('invalid-params', 'The reply size of an fwctl request must be a whole number of bytes.', `outLen=${outLen}`);
    }
    // Same limit as the kernel's MAX_RPC_LEN: refuse here, before any ioctl.
    if (request.length > FWCTL_MAX_RPC_LEN || outLen > FWCTL_MAX_RPC_LEN) {
      throw new HostError(
        'invalid-params',
        'The fwctl request or its reply is larger than the 2 MiB the kernel accepts; it was not sent.',
        `in_len=${request.length} out_len=${outLen} max=${FWCTL_MAX_RPC_LEN}`,
      );
    }
    const out = new Uint8Array(outLen);
    const r = await this.track(() => this.b.rpc(this.fd, FWCTL_SCOPE_VALUE[scope], request, out));
    if (r < 0) throw fwctlErrnoError(r, `FWCTL_RPC (scope ${scope})`, this.path);
    return out.subarray(0, Math.min(r, outLen));
  }

  /** Waits for calls in flight so the fd is never reused under them. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    const r = await this.b.close(this.fd);
    if (r < 0) throw fwctlErrnoError(r, 'close', this.path);
  }

  private track<T>(call: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new HostError('device-gone', 'This fwctl device handle is closed.', this.path));
    const p = call();
    this.inFlight.add(p);
    const done = () => this.inFlight.delete(p);
    p.then(done, done);
    return p;
  }
}
