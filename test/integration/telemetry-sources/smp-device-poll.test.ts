// SMP stats polled on a plain SMP device: the simulated board on a real pty
// (socat), added as protocol "smp". When the board stops answering, failed
// reads are counted and reported and the poll keeps going.
import { realpathSync } from 'node:fs';
import type { TelemetryBatch } from '../../../electron/contract/events';
import type { Host } from '../../../electron/host/host';
import type { ClientInfo } from '../../../electron/host/router';
import { DemoBoard } from '../../../electron/host/demo/board/demo-board';
import { SerialPortStream } from '../../../electron/host/transports/serial-port';
import { openPtyPair, type PtyPair } from '../../support/pty-pair';
import { testHost } from '../../support/test-host';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let pty: PtyPair;
let boardEnd: SerialPortStream;
let board: DemoBoard;
let host: Host;
let c: ClientInfo;
let sessionId: string;
const run = async (commandId: string, params: unknown, scope = 'debug-read-only') =>
  (await host.request('command.run', { sessionId, commandId, scope: scope as never, params }, c)).result as Record<string, unknown>;

beforeAll(async () => {
  pty = await openPtyPair();
  boardEnd = await SerialPortStream.open(pty.b, { baudRate: 115200 });
  board = new DemoBoard(boardEnd, { serial: 'DEMO-SMP1', bootMs: 50 });
  host = await testHost({ demoBoards: 0, transcripts: false });
  c = host.newClient('test');
  const dev = await host.request('devices.add-serial', { path: realpathSync(pty.a), protocol: 'smp' }, c);
  sessionId = (await host.request('session.open', { deviceId: dev.id }, c)).id;
});
afterAll(async () => {
  await host?.close();
  board?.stop();
  await boardEnd?.close().catch(() => {});
  await pty?.close();
});

describe('SMP stats polled on a plain SMP device', () => {
  it('streams the counters, then counts and reports failed reads without stopping when the device goes quiet', async () => {
    const batches: TelemetryBatch[] = [];
    const off = host.onEvent((e) => {
      if (e.type === 'telemetry' && e.sessionId === sessionId) batches.push(e);
    });
    await run('telemetry.poll', { on: true, groups: ['system'], intervalMs: 100 });
    await sleep(2300);
    const healthy = await run('telemetry.poll-status', {}, 'configuration');
    expect(healthy).toMatchObject({ running: true, failures: 0 });
    const uptime = batches.flatMap((b) => [...b.values[b.channels.findIndex((ch) => ch.name === 'system.uptime_s')]]);
    expect(uptime.length).toBeGreaterThanOrEqual(10);
    expect(uptime.at(-1)!).toBeGreaterThan(uptime[0]);

    board.stop(); // the board stops answering; the port stays open
    await sleep(2600);
    const n = batches.length;
    const failing = await run('telemetry.poll-status', {}, 'configuration');
    expect(failing.running).toBe(true);
    expect(failing.failures as number).toBeGreaterThanOrEqual(1);
    expect(failing.skippedTicks as number).toBeGreaterThanOrEqual(5); // 1 s timeouts at a 100 ms interval: ticks skipped, not queued
    expect(failing.lastError).toMatch(/time|answer/i);
    const history = (await run('console.history', {})).text as string;
    expect(history).toContain('Polling smp-stats failed');
    const stopped = await run('telemetry.poll', { on: false });
    off();
    expect(stopped).toMatchObject({ on: false, running: false });
    expect(batches.length).toBe(n);
  });
});
