// The CLI twin of the Telemetry panel: record from the demo board, list,
// export a time range to CSV; bad input gets a clear message and exit code.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const home = mkdtempSync(join(tmpdir(), 'fwbench-cli-'));
const env = { ...process.env, XDG_STATE_HOME: join(home, 'state'), XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache') };
const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/fwbench.mjs', ...args], { env, encoding: 'utf8', timeout: 60_000 });

describe('fwbench telemetry', () => {
  it('records, lists and exports a time range', () => {
    const rec = cli('telemetry', 'record', '--demo', '--seconds', '2', '--json');
    expect(rec.status, rec.stderr).toBe(0);
    const summary = JSON.parse(rec.stdout);
    expect(summary.samples).toBeGreaterThan(6 * 200);
    const list = JSON.parse(cli('telemetry', 'list', '--json').stdout) as { name: string }[];
    expect(list).toHaveLength(1);
    const out = join(home, 'range.csv');
    const exp = cli('telemetry', 'export', list[0].name, '--out', out, '--from', '0.5', '--to', '1.0', '--wide', '--channels', 'vin,iin', '--json');
    expect(exp.status, exp.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('t_ms,vin,iin');
    // 0.5 s of a 200 Hz stream, give or take the edges.
    expect(lines.length - 1).toBeGreaterThan(80);
    expect(lines.length - 1).toBeLessThan(120);
    expect(JSON.parse(exp.stdout).rows).toBe(lines.length - 1);
  });

  it('says what is wrong with bad input', () => {
    const missing = cli('telemetry', 'export', 'nope.fwtl', '--out', join(home, 'x.csv'));
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/Could not read the recording/);
    const noOut = cli('telemetry', 'export', 'nope.fwtl');
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toMatch(/Usage/);
    const badRange = cli('telemetry', 'export', JSON.parse(cli('telemetry', 'list', '--json').stdout)[0].name, '--out', join(home, 'y.csv'), '--from', 'soon');
    expect(badRange.status).toBe(2);
    expect(badRange.stderr).toMatch(/seconds from the start/);
    const badSub = cli('telemetry', 'replay');
    expect(badSub.status).toBe(2);
  });
});
