// Starts the built-in demo board and registers it as a serial device. Over a
// real pty pair (socat) when possible, so the demo exercises the same serial
// path as a board on a UART; in-process otherwise.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoBoard } from './board/demo-board';
import { createPipePair } from '../transports/pipe-pair';
import { SerialPortStream } from '../transports/serial-port';
import type { ByteStream } from '../transports/byte-stream';
import type { DeviceEntry } from '../devices/registry';
import { DemoBoardAdapter } from '../adapters/demo-board-adapter';
import { ConsoleCapture } from '../console/console-capture';
import type { HostEvent } from '../../contract/events';
import { SimulatedCxlFwctl } from './cxl-sim';
import { FwctlAdapter } from '../adapters/fwctl-adapter';
import type { FwctlTransport } from '../fwctl/transport';
import { HostError } from '../errors/host-error';
import { tapFwctl, tapLink } from '../transcripts/link-tap';

export interface DemoHandle {
  entry: DeviceEntry;
  stop(): Promise<void>;
}

function hasSocat(): boolean {
  return spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
}

export async function startDemoBoard(opts: { index: number; emit: (e: HostEvent) => void; transport?: 'pty' | 'in-process' }): Promise<DemoHandle> {
  const serial = `DEMO-${String(1000 + opts.index)}`;
  const usePty = (opts.transport ?? 'pty') === 'pty' && hasSocat();
  const captures = new Map<string, ConsoleCapture>();
  const captureFor = (sessionId: string) => {
    let c = captures.get(sessionId);
    if (!c) captures.set(sessionId, (c = new ConsoleCapture(sessionId, opts.emit)));
    return c;
  };
  if (usePty) {
    const dir = mkdtempSync(join(tmpdir(), 'fwbench-demo-'));
    const boardEnd = join(dir, 'board');
    const hostEnd = join(dir, 'ttyDEMO0');
    // ignoreeof: the host closing its end (a session closing) must not end socat.
    const proc: ChildProcess = spawn('socat', [`pty,raw,echo=0,link=${boardEnd},ignoreeof`, `pty,raw,echo=0,link=${hostEnd},ignoreeof`], { stdio: 'ignore' });
    const deadline = Date.now() + 5000;
    while (!(existsSync(boardEnd) && existsSync(hostEnd))) {
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error('socat did not create the demo board pty pair');
      await new Promise((r) => setTimeout(r, 20));
    }
    const boardStream = await SerialPortStream.open(boardEnd, { baudRate: 115200 });
    const board = new DemoBoard(boardStream, { serial, bootMs: 200 });
    return {
      entry: {
        device: { id: `demo:${serial}`, kind: 'serial', label: `Demo board ${opts.index} (simulated)`, path: hostEnd, simulated: true, protocol: 'demo-board', present: true, details: { transport: 'pty (socat)', serial } },
        reconnectable: true,
        factory: {
          open: async (sink, sessionId) => DemoBoardAdapter.open(tapLink(await SerialPortStream.open(hostEnd, { baudRate: 115200 })), captureFor(sessionId), sink, sessionId),
        },
      },
      stop: async () => {
        board.stop();
        await boardStream.close().catch(() => {});
        proc.kill();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  // In-process: each open gets a fresh pipe, the board's state lives on.
  let board: DemoBoard | null = null;
  let boardEnd: ByteStream | null = null;
  return {
    entry: {
      device: { id: `demo:${serial}`, kind: 'serial', label: `Demo board ${opts.index} (simulated)`, simulated: true, protocol: 'demo-board', present: true, details: { transport: 'in-process', serial } },
      reconnectable: true,
      factory: {
        open: async (sink, sessionId) => {
          const [hostSide, boardSide] = createPipePair();
          if (!board) board = new DemoBoard(boardSide, { serial, bootMs: 200 });
          else board.attach(boardSide);
          boardEnd = boardSide;
          return DemoBoardAdapter.open(tapLink(hostSide), captureFor(sessionId), sink, sessionId);
        },
      },
    },
    stop: async () => {
      board?.stop();
      await boardEnd?.close().catch(() => {});
    },
  };
}

/**
 * The simulated CXL memory device, behind the same FwctlTransport as the
 * addon. Its feature state outlives sessions; each session gets a handle
 * whose close() ends only that handle.
 */
export function demoCxlEntry(opts: { rawio: boolean }): DeviceEntry {
  const sim = new SimulatedCxlFwctl({ rawio: opts.rawio });
  return {
    device: {
      id: 'fwctl:sim-cxl0',
      kind: 'fwctl',
      label: 'CXL memory device (simulated)',
      simulated: true,
      protocol: 'cxl',
      present: true,
      details: { transport: 'in-process', model: 'CXL type-3 with 8 RAS features' },
    },
    reconnectable: false,
    factory: {
      open: async (sink) => {
        let open = true;
        const handle: FwctlTransport = {
          simulated: true,
          info: () => (open ? sim.info() : Promise.reject(new HostError('device-gone', 'The handle is closed.'))),
          rpc: (scope, req, outLen) => (open ? sim.rpc(scope, req, outLen) : Promise.reject(new HostError('device-gone', 'The handle is closed.'))),
          close: async () => {
            open = false;
          },
        };
        return FwctlAdapter.open(tapFwctl(handle), sink, 'CXL memory device (simulated)');
      },
    },
  };
}
