// A child process writes CSV telemetry at full speed into one end of a socat
// pty pair; the other end runs serial port → parser → pipeline → recorder.
// The recording must hold every sample sent.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPtyPair, type PtyPair } from '../../support/pty-pair';
import { SerialPortStream } from '../../../electron/host/transports/serial-port';
import { CsvParser, StreamSource, TelemetryPipeline, TelemetryRecorder, openRecording, type SourceError } from '../../../electron/host/telemetry/index';

const N = 100_000;

// Writes with blocking writes so nothing is lost to a full pty buffer, then waits to be killed.
const WRITER = `
const fs = require('node:fs');
const fd = fs.openSync(process.argv[1], 'w');
let buf = 'seq,v,w\\n';
for (let i = 0; i < ${N}; i++) {
  buf += i + ',' + (i * 0.25) + ',' + (-i % 977) + '\\n';
  if (buf.length > 16384) { fs.writeSync(fd, buf); buf = ''; }
}
fs.writeSync(fd, buf);
console.log('done');
setInterval(() => {}, 1000);
`;

describe('telemetry over a pty', () => {
  let pty: PtyPair;
  let writer: ChildProcess | undefined;
  let port: SerialPortStream | undefined;
  let dir: string;

  beforeAll(async () => {
    pty = await openPtyPair();
    dir = mkdtempSync(join(tmpdir(), 'fwbench-tel-int-'));
  });
  afterAll(async () => {
    writer?.kill('SIGKILL');
    await port?.close();
    await pty.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records every sample a device sends at full speed', async () => {
    port = await SerialPortStream.open(pty.b, { baudRate: 115200 });
    const pipeline = new TelemetryPipeline({ ringCapacity: 4096 });
    const errors: SourceError[] = [];
    pipeline.onErrors((e) => errors.push(...e));
    const rec = TelemetryRecorder.start({ basePath: join(dir, 'pty'), formats: ['fwtl'], flushIntervalMs: 250 });
    pipeline.attachRecorder(rec);
    let displayed = 0;
    pipeline.onBatch((b) => {
      displayed += b.columns.reduce((s, c) => s + c.value.length, 0);
      pipeline.ack(b.seq);
    });
    pipeline.start();
    await pipeline.addSource(new StreamSource('pty', port, new CsvParser({ timeColumn: 'seq' })));

    const started = Date.now();
    writer = spawn(process.execPath, ['-e', WRITER, pty.a], { stdio: ['ignore', 'pipe', 'inherit'] });
    const deadline = Date.now() + 60_000;
    while (pipeline.stats().samplesIn < 2 * N) {
      if (Date.now() > deadline) throw new Error(`only ${pipeline.stats().samplesIn} of ${2 * N} samples arrived`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (Date.now() - started) / 1000;
    await pipeline.stop();
    const summary = await rec.stop();
    expect(errors).toEqual([]);
    expect(summary.samples).toBe(2 * N);
    expect(displayed).toBeGreaterThan(0);

    const r = await openRecording(summary.paths.fwtl!);
    const v = r.channel('v')!;
    const w = r.channel('w')!;
    expect(v.value.length).toBe(N);
    expect(w.value.length).toBe(N);
    let mismatches = 0;
    for (let i = 0; i < N; i++) if (v.t[i] !== i || v.value[i] !== i * 0.25 || w.value[i] !== -i % 977 || w.t[i] !== i) mismatches++;
    expect(mismatches).toBe(0);
    console.log(`pty ingest: ${2 * N} samples in ${seconds.toFixed(2)} s`);
  });
});
