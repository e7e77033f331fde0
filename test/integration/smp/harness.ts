import { createHash } from 'node:crypto';
import type { ByteStream } from '../../../electron/host/transports/byte-stream';
import { createPipePair } from '../../../electron/host/transports/pipe-pair';
import { SmpClient, type SmpClientOptions } from '../../../electron/host/protocols/smp';
import { attachSmpServer, buildMcubootImage, SMP_DEVICE_PROFILES, SmpBoardState, type SmpBoardStateOptions, type SmpProfileName, type SmpServerOptions } from '../../../electron/host/demo/smp-server';

export function image(version: [number, number, number], size: number, seed = 1): Uint8Array {
  const body = Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed * 17 + (i >> 8)) & 0xff);
  return buildMcubootImage(version, body);
}

/** The hash MCUboot/img_mgmt reports: the image's SHA-256 TLV value. */
export function tlvHash(img: Uint8Array): string {
  return Buffer.from(img.subarray(img.length - 32)).toString('hex');
}

export const sha256 = (d: Uint8Array) => createHash('sha256').update(d).digest('hex');

export interface Rig {
  client: SmpClient;
  state: SmpBoardState;
  host: ByteStream;
  board: ByteStream;
  diagnostics: string[];
  boardConsole: string[];
  hostConsole: string[];
  /** Max requests written by the client but not yet answered by the server. */
  maxOutstanding(): number;
  detach(): void;
}

/** Connects a client and the demo server over the given stream pair (pipe or pty). */
export function connect(host: ByteStream, board: ByteStream, state: SmpBoardState, opts: { client?: SmpClientOptions; server?: Omit<SmpServerOptions, 'send'> } = {}): Rig {
  const diagnostics: string[] = [];
  const boardConsole: string[] = [];
  const hostConsole: string[] = [];
  const { server, detach } = attachSmpServer(board, state, {
    onDiagnostic: (w) => diagnostics.push(w),
    onConsole: (b) => boardConsole.push(Buffer.from(b).toString('latin1')),
    ...opts.server,
  });
  let written = 0;
  let max = 0;
  const write = host.write.bind(host);
  // Count packets (one write each) against answers to see real pipelining.
  host.write = (data: Uint8Array) => {
    if (data[0] === 0x06 && data[1] === 0x09) {
      written++;
      max = Math.max(max, written - server.handled);
    }
    return write(data);
  };
  const client = new SmpClient(host, { onConsole: (b) => hostConsole.push(Buffer.from(b).toString('latin1')), ...opts.client });
  return { client, state, host, board, diagnostics, boardConsole, hostConsole, maxOutstanding: () => max, detach };
}

export function pipeRig(stateOpts: Partial<SmpBoardStateOptions> = {}, opts: Parameters<typeof connect>[3] = {}): Rig {
  const state = new SmpBoardState({ initialImage: image([1, 0, 0], 40_000, 1), ...stateOpts });
  const [host, board] = createPipePair();
  return connect(host, board, state, opts);
}

/** A client and the demo server built like one of the modelled devices (SMP_DEVICE_PROFILES). */
export function profileRig(name: SmpProfileName, opts: { client?: SmpClientOptions; server?: Omit<SmpServerOptions, 'send'> } = {}): Rig {
  const p = SMP_DEVICE_PROFILES[name];
  const state = new SmpBoardState({ initialImage: image([1, 0, 0], 40_000, 1), ...p.state });
  const [host, board] = createPipePair();
  return connect(host, board, state, { client: opts.client, server: { ...p.server, ...opts.server } });
}
