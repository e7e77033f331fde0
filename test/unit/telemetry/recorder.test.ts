import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TelemetryRecorder } from '../../../electron/host/telemetry/recorder';
import { exportCsv, openRecording, parseRecording } from '../../../electron/host/telemetry/recording-reader';
import { batchFromSamples } from '../../../electron/host/telemetry/sample-batch';
import { HostError } from '../../../electron/host/errors/host-error';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fwbench-rec-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function record(base: string, blocks = 3) {
  const rec = TelemetryRecorder.start({ basePath: base, formats: ['fwtl', 'csv'], durable: false, info: { board: 'b1' }, channels: [{ name: 'temp', unit: '°C' }], now: () => 1000 });
  for (let k = 0; k < blocks; k++) {
    rec.append(batchFromSamples([
      { channel: 'temp', t: k * 10, hostT: 500 + k, value: 20 + k },
      { channel: 'volt', t: k * 10 + 5, hostT: 500 + k, value: 3.3 - k / 100 },
    ]));
    rec.flush();
  }
  return rec;
}

describe('TelemetryRecorder and openRecording', () => {
  it('round-trips channels, samples, markers and info, and writes a CSV alongside', async () => {
    const base = join(dir, 'run1');
    const rec = record(base);
    rec.defineChannel({ name: 'volt', unit: 'V', label: 'Supply' });
    rec.mark('reset, "pressed"', 777);
    const sum = await rec.stop();
    expect(sum).toMatchObject({ samples: 6, markers: 1, blocks: 3, paths: { fwtl: `${base}.fwtl`, csv: `${base}.csv` } });
    const r = await openRecording(`${base}.fwtl`);
    expect(r.info).toEqual({ board: 'b1' });
    expect(r.stoppedAtMs).toBe(1000);
    expect(r.tornBytes).toBe(0);
    expect(r.channels.map((c) => c.meta)).toEqual([{ name: 'temp', unit: '°C' }, { name: 'volt', unit: 'V', label: 'Supply' }]);
    expect([...r.channel('temp')!.value]).toEqual([20, 21, 22]);
    expect([...r.channel('volt')!.t]).toEqual([5, 15, 25]);
    expect([...r.channel('volt')!.hostT]).toEqual([500, 501, 502]);
    expect(r.markers).toEqual([{ t: 777, text: 'reset, "pressed"' }]);
    const csv = readFileSync(`${base}.csv`, 'utf8').split('\n');
    expect(csv[1]).toBe('t_ms,host_t_ms,channel,value');
    expect(csv).toContain('10,501,temp,21');
    expect(csv).toContain('# marker 777 "reset, \\"pressed\\""');
    expect(() => rec.append(batchFromSamples([]))).toThrow(HostError);
    expect(() => TelemetryRecorder.start({ basePath: base })).toThrow(/already exists/);
  });

  it('exports a time range to CSV, long and wide', async () => {
    const base = join(dir, 'run2');
    await record(base).stop();
    const r = await openRecording(`${base}.fwtl`);
    expect(await exportCsv(r, join(dir, 'long.csv'), { from: 5, to: 20 })).toBe(4);
    expect(readFileSync(join(dir, 'long.csv'), 'utf8')).toBe('t_ms,host_t_ms,channel,value\n5,500,volt,3.3\n10,501,temp,21\n15,501,volt,3.29\n20,502,temp,22\n');
    await exportCsv(r, join(dir, 'wide.csv'), { layout: 'wide' });
    expect(readFileSync(join(dir, 'wide.csv'), 'utf8')).toBe('t_ms,temp [°C],volt\n0,20,\n5,,3.3\n10,21,\n15,,3.29\n20,22,\n25,,3.28\n');
    await expect(exportCsv(r, join(dir, 'x.csv'), { channels: ['nope'] })).rejects.toThrow(/no channel "nope"/);
  });

  it('keeps every whole block when the file is cut at any byte of the last block', async () => {
    const base = join(dir, 'run3');
    const rec = record(base, 2);
    const twoBlocks = statSync(`${base}.fwtl`).size;
    rec.append(batchFromSamples([{ channel: 'temp', t: 99, hostT: 0, value: 99 }]));
    rec.flush();
    const full = readFileSync(`${base}.fwtl`);
    for (let cut = twoBlocks; cut < full.length; cut++) {
      const r = parseRecording(full.subarray(0, cut));
      expect([...r.channel('temp')!.value]).toEqual([20, 21]);
      expect(r.tornBytes).toBe(cut - twoBlocks);
      expect(r.stoppedAtMs).toBeUndefined();
    }
    expect([...parseRecording(full).channel('temp')!.value]).toEqual([20, 21, 99]);
    await rec.stop();
  });

  it('skips a damaged block in the middle and says so', async () => {
    const base = join(dir, 'run4');
    await record(base, 3).stop();
    const bytes = readFileSync(`${base}.fwtl`);
    const blocks: number[] = [];
    for (let p = bytes.indexOf('FBLK'); p >= 0; p = bytes.indexOf('FBLK', p + 1)) blocks.push(p);
    const secondSamples = blocks.filter((p) => bytes[p + 4] === 2)[1]; // type 2: samples
    bytes[secondSamples + 20] ^= 0xff;
    const r = parseRecording(bytes);
    expect(r.damagedBlocks).toBe(1);
    expect([...r.channel('temp')!.value]).toEqual([20, 22]);
  });

  it('rejects files that are not recordings with a clear error', async () => {
    writeFileSync(join(dir, 'junk.fwtl'), 'hello world, definitely not telemetry');
    await expect(openRecording(join(dir, 'junk.fwtl'))).rejects.toThrow(/does not start with FWTL/);
    await expect(openRecording(join(dir, 'missing.fwtl'))).rejects.toThrow(/Could not read/);
    const base = join(dir, 'run5');
    await record(base, 1).stop();
    const b = readFileSync(`${base}.fwtl`);
    b[25] ^= 1;
    expect(() => parseRecording(b)).toThrow(/header checksum/);
    truncateSync(`${base}.fwtl`, 22);
    await expect(openRecording(`${base}.fwtl`)).rejects.toThrow(/cut short/);
  });

  it('survives SIGKILL of the writer: every sample of the flushed blocks is there', async () => {
    const base = join(dir, 'crash');
    const script = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, base], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d) => {
        out += d;
        if (out.includes('unflushed')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`writer exited early (${code}): ${out}`)));
    });
    const flushed = Number(/flushed (\d+)/.exec(out)![1]);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(flushed).toBe(5700);
    const r = await openRecording(`${base}.fwtl`);
    expect(r.stoppedAtMs).toBeUndefined(); // no clean end
    expect(r.info).toEqual({ board: 'crash-test' });
    expect(r.markers).toEqual([{ t: 12345, text: 'flashed v1.2' }]);
    const a = r.channel('a')!;
    const b = r.channel('b')!;
    expect(a.value.length).toBe(flushed);
    expect(b.value.length).toBe(flushed);
    for (let i = 0; i < flushed; i++) {
      if (a.t[i] !== i || a.value[i] !== i * 1.5 || b.value[i] !== -i || a.hostT[i] !== 1e12 + i) throw new Error(`sample ${i} differs`);
    }
    const csvRows = readFileSync(`${base}.csv`, 'utf8').split('\n').filter((l) => /^\d/.test(l));
    expect(csvRows.length).toBe(2 * flushed);
  });
});
