// A lab PC with the demo board: open a session, run commands, collect a
// bundle through the CLI code path, then open and verify it on "another
// machine" (a different HOME with nothing of the first), tamper, and see it fail.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { vi } from 'vitest';
import { testHost } from '../../support/test-host';
import { parseArgs } from '../../../electron/cli/args';
import { diagCollect } from '../../../electron/cli/commands/diag';
import type { Host } from '../../../electron/host/host';

const root = resolve(__dirname, '..', '..', '..');
let host: Host;
let serial = '';
const work = mkdtempSync(join(tmpdir(), 'fwbench-diag-it-'));
const bundle = join(work, 'lab.tar.gz');

function otherMachine(args: string[]) {
  const home = mkdtempSync(join(tmpdir(), 'fwbench-other-home-'));
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_STATE_HOME: join(home, '.local', 'state'), XDG_CACHE_HOME: join(home, '.cache') };
  return spawnSync(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'electron', 'cli', 'fwbench.ts'), ...args], { cwd: home, env, encoding: 'utf8', timeout: 120_000 });
}

beforeAll(async () => {
  host = await testHost({ demoBoards: 1, demoTransport: 'pty' });
  const client = host.newClient('test');
  const board = host.registry.list().find((d) => d.protocol === 'demo-board')!;
  const session = await host.request('session.open', { deviceId: board.id }, client);
  serial = session.identity.serial;
  expect(serial).toBeTruthy();
  await host.request('command.run', { sessionId: session.id, commandId: 'device.info', scope: 'configuration', params: {} }, client);
  await host.request('command.run', { sessionId: session.id, commandId: 'config.read', scope: 'configuration', params: {} }, client);
  // A denied write lands in the journal too.
  await expect(host.request('command.run', { sessionId: session.id, commandId: 'device.reset', scope: 'debug-write', params: {} }, client)).rejects.toThrow();

  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await diagCollect(host, parseArgs(['diag', 'collect', '--out', bundle, '--redact', 'all'], ['out', 'redact']), client);
    expect(code).toBe(0);
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
});

afterAll(async () => {
  await host?.close();
});

describe('diagnostics bundle, end to end', () => {
  it('holds the console transcript, fwctl INFO, inventory and journal, with the serial redacted everywhere', async () => {
    const r = otherMachine(['diag', 'open', bundle, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const { manifest, files, integrity } = JSON.parse(r.stdout);
    expect(integrity).toEqual({ ok: true, problems: [] });
    expect(files).toEqual(expect.arrayContaining(['devices.json', 'jobs.jsonl', 'audit.jsonl', 'audit.head']));
    expect(files.some((f: string) => f.startsWith('console/'))).toBe(true);
    expect(files.some((f: string) => f.startsWith('fwctl/'))).toBe(true);
    expect(manifest.redaction.serials).toBe(true);
    expect(manifest.redaction.distinct.serial).toBeGreaterThan(0);
    expect(manifest.host.hostname).toMatch(/^host-\d+$/);
    // No file of the bundle still holds the board's serial.
    const raw = gunzipSync(readFileSync(bundle)).toString('latin1');
    expect(raw).not.toContain(serial);
    expect(raw).toMatch(/serial: serial-\d+/);
    // The commands run are in the bundled journal, including the denied reset.
    expect(raw).toMatch(/"commandId":"device\.info"/);
    expect(raw).toMatch(/"commandId":"device\.reset"[^\n]*"outcome":"denied"/);
    expect(raw).toMatch(/"commandId":"diagnostics\.collect"/);
  });

  it('verifies on another machine (exit 0)', () => {
    const r = otherMachine(['diag', 'verify', bundle]);
    expect(r.stdout).toMatch(/^bundle intact: \d+ files match the manifest; audit chain of \d+ records intact/);
    expect(r.status).toBe(0);
  });

  it('a tampered console transcript fails verification there (exit 5) and is named', () => {
    const tar = gunzipSync(readFileSync(bundle));
    // The console entry's tar header sits on a 512-byte boundary; its text follows.
    let header = -1;
    for (let i = 0; i < tar.length; i += 512) if (tar.subarray(i, i + 8).toString('latin1') === 'console/') header = i;
    expect(header).toBeGreaterThanOrEqual(0);
    const at = tar.indexOf(Buffer.from('fwbench-demo'), header + 512);
    expect(at).toBeGreaterThan(0);
    tar[at] = 'F'.charCodeAt(0);
    const bad = join(work, 'lab-tampered.tar.gz');
    writeFileSync(bad, gzipSync(tar));
    const r = otherMachine(['diag', 'verify', bad]);
    expect(r.status).toBe(5);
    expect(r.stdout).toMatch(/bundle TAMPERED: 1 problem\(s\)\n {2}console\/[^:]+\.txt: changed after the bundle was made/);
  });
});
