// The CLI code path of `fwbench diag`: exit codes and what it prints.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { vi } from 'vitest';
import { testHost } from '../../support/test-host';
import { main } from '../../../electron/cli/main';
import { exitCodeFor } from '../../../electron/cli/exit-codes';
import { parseArgs } from '../../../electron/cli/args';
import { diagCollect } from '../../../electron/cli/commands/diag';
import type { Host } from '../../../electron/host/host';

let host: Host;
const work = mkdtempSync(join(tmpdir(), 'fwbench-diag-cli-'));
const out: string[] = [];

beforeAll(async () => {
  host = await testHost({ demoBoards: 0, demoCxl: false });
  vi.spyOn(console, 'log').mockImplementation((s: unknown) => void out.push(String(s)));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterAll(async () => {
  vi.restoreAllMocks();
  await host.close();
});

async function run(argv: string[]): Promise<number> {
  out.length = 0;
  return main(argv).catch((e) => exitCodeFor(e));
}

describe('fwbench diag', () => {
  const bundle = join(work, 'b.tar.gz');

  it('collect writes a bundle and says what it redacted (exit 0)', async () => {
    out.length = 0;
    expect(await diagCollect(host, parseArgs(['diag', 'collect', '--out', bundle, '--redact', 'serials,macs'], ['out', 'redact']))).toBe(0);
    expect(out.join('\n')).toMatch(/^bundle written: .*b\.tar\.gz \(\d+ bytes, 5 files\)/);
    expect(out.join('\n')).toMatch(/redacted: serials, macs/);
  });

  it('collect refuses an unknown --redact kind as a usage error (exit 2)', async () => {
    await expect(diagCollect(host, parseArgs(['diag', 'collect', '--redact', 'ips'], ['redact']))).rejects.toThrow(/"ips" is not something fwbench can redact/);
    expect(exitCodeFor(await diagCollect(host, parseArgs(['diag', 'collect', '--redact', 'ips'], ['redact'])).catch((e) => e))).toBe(2);
  });

  it('open prints the manifest summary and the file list (exit 0)', async () => {
    expect(await run(['diag', 'open', bundle])).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/integrity: intact \(4 files, audit chain of 1 records\)/);
    expect(text).toMatch(/redaction: serials, macs/);
    expect(text).toMatch(/audit\s+audit\.jsonl/);
    expect(await run(['diag', 'open', bundle, '--json'])).toBe(0);
    expect(JSON.parse(out[0]).manifest.format).toBe('fwbench-diagnostics');
  });

  it('verify: 0 when intact, 5 when tampered, 5 when unsafe', async () => {
    expect(await run(['diag', 'verify', bundle])).toBe(0);
    expect(out[0]).toMatch(/^bundle intact: 4 files match the manifest; audit chain of 1 records intact/);

    // Flip one byte of jobs.jsonl... it is empty, so change devices.json inside the tar stream.
    const tar = gunzipSync(readFileSync(bundle));
    const at = tar.indexOf(Buffer.from('"devices"'));
    tar[at + 1] = 'D'.charCodeAt(0);
    const bad = join(work, 'bad.tar.gz');
    writeFileSync(bad, gzipSync(tar));
    expect(await run(['diag', 'verify', bad])).toBe(5);
    expect(out.join('\n')).toMatch(/bundle TAMPERED: 1 problem\(s\)\n {2}devices\.json: changed after the bundle was made/);
    expect(await run(['diag', 'verify', bad, '--json'])).toBe(5);
    expect(JSON.parse(out[0])).toMatchObject({ ok: false, problems: [{ file: 'devices.json' }] });

    const evil = join(work, 'evil.tar.gz');
    const { forgeTarGz } = await import('./tar-forge');
    writeFileSync(evil, forgeTarGz([{ name: '../../x', data: Buffer.from('x') }]));
    expect(await run(['diag', 'verify', evil, '--json'])).toBe(5);
    expect(JSON.parse(out[0]).refused).toMatch(/climbs out of the bundle/);
    expect(await run(['diag', 'verify', evil])).toBe(5);
  });

  it('usage errors exit 2; a missing file is a failure, not a crash', async () => {
    expect(await run(['diag'])).toBe(2);
    expect(await run(['diag', 'verify'])).toBe(2);
    expect(await run(['diag', 'verify', join(work, 'none.tar.gz')])).toBe(4);
    expect(await run(['help', 'diag'])).toBe(0);
    expect(out.join('\n')).toMatch(/Exit codes: 0 ok; 1 failure; 2 usage; 5 verification failed/);
  });
});

describe('fwbench info', () => {
  it('prints the host facts as JSON (exit 0)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'fwbench-info-'));
    const saved = { ...process.env };
    Object.assign(process.env, { XDG_CONFIG_HOME: join(home, 'c'), XDG_STATE_HOME: join(home, 's'), XDG_CACHE_HOME: join(home, 'k') });
    try {
      expect(await run(['info', '--json'])).toBe(0);
      const info = JSON.parse(out[0]);
      expect(info.paths.state).toBe(join(home, 's', 'fwbench'));
      expect(info.paths.audit).toBe(join(home, 's', 'fwbench', 'audit.jsonl'));
      expect(info.policy.maxScope).toBe('debug-write-full');
      expect(typeof info.capSysRawio).toBe('boolean');
      expect(info.taint).toHaveProperty('letters');
      expect(info.kernel).toMatch(/linux/);
      expect(await run(['info'])).toBe(0);
      expect(out[0]).toMatch(/CAP_SYS_RAWIO: (held|not held)/);
    } finally {
      process.env = saved;
    }
  });
});
