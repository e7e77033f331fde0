// The diag.* channels as the renderer uses them: collect with redaction as a
// job (progress by step), fetch the bytes, open them read-only for review,
// see tampering named per file, and see malicious tarballs refused — all
// without a session or any command reaching a device.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { testHost } from '../../support/test-host';
import type { Host } from '../../../electron/host/host';
import type { ClientInfo } from '../../../electron/host/router';
import type { JobInfo } from '../../../electron/contract/jobs';
import type { DiagCollectResult } from '../../../electron/contract/channels';

let host: Host;
let operator: ClientInfo;
let serial = '';
let bundleBytes: Uint8Array<ArrayBuffer>;
let bundleName = '';
const jobEvents: JobInfo[] = [];

/** One ustar header + body, hand-built so a test can write names node-tar would refuse to create. */
function tarEntry(name: string, body: Buffer, type = '0', linkName = ''): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'latin1');
  h.write('0000600\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(body.length.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write(linkName, 157, 100, 'latin1');
  h.write('ustar\0' + '00', 257, 'latin1');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  const pad = Buffer.alloc((512 - (body.length % 512)) % 512);
  return Buffer.concat([h, body, pad]);
}
const tarGz = (...entries: Buffer[]) => new Uint8Array(gzipSync(Buffer.concat([...entries, Buffer.alloc(1024)])));

async function waitForJob(jobId: string): Promise<JobInfo> {
  for (let i = 0; i < 600; i++) {
    const last = jobEvents.filter((j) => j.id === jobId).at(-1);
    if (last && last.state !== 'running') return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the collect job did not finish in 30 s');
}

beforeAll(async () => {
  host = await testHost({ demoBoards: 1 });
  host.onEvent((e) => {
    if (e.type === 'job') jobEvents.push(e.job);
  });
  operator = host.newClient('test');
  const board = host.registry.list().find((d) => d.protocol === 'demo-board')!;
  const session = await host.request('session.open', { deviceId: board.id }, operator);
  serial = session.identity.serial;
  expect(serial).toBeTruthy();
  await host.request('command.run', { sessionId: session.id, commandId: 'device.info', scope: 'configuration', params: {} }, operator);
  await expect(host.request('command.run', { sessionId: session.id, commandId: 'device.reset', scope: 'debug-write', params: {} }, operator)).rejects.toThrow();
});

afterAll(async () => {
  await host?.close();
});

describe('diag.collect → diag.bundle', () => {
  it('collects with redaction as a job whose steps and progress reach the end, into <state>/bundles/', async () => {
    const { jobId } = await host.request('diag.collect', { redact: { serials: true, macs: true, hostnames: true } }, operator);
    const job = await waitForJob(jobId);
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.sessionId).toBe('');
    expect(job.done).toBe(job.total);
    expect(job.total).toBeGreaterThan(0);
    // Every step of the collection shows, in order, and all finished.
    expect(job.steps.map((s) => s.name)).toEqual(['host facts', 'devices', 'fwctl info', 'console', 'telemetry', 'jobs', 'audit journal', 'redaction', 'archive']);
    expect(job.steps.every((s) => s.state === 'done')).toBe(true);
    // Progress was seen mid-way, not only at the end.
    const partial = jobEvents.filter((j) => j.id === jobId && j.state === 'running' && j.done > 0 && j.done < j.total);
    expect(partial.length).toBeGreaterThan(0);

    const result = job.result as DiagCollectResult;
    expect(result.name).toMatch(/^fwbench-diag-\d{8}-\d{6}(-\d+)?\.tar\.gz$/);
    expect(result.path).toBe(join(host.paths.state, 'bundles', result.name));
    expect(statSync(result.path).mode & 0o777).toBe(0o600);
    expect(result.redaction).toEqual({ serials: true, macs: true, hostnames: true });
    // Host-wide jobs are listed without a session filter.
    expect((await host.request('jobs.list', {}, operator)).some((j) => j.id === jobId)).toBe(true);

    const b = await host.request('diag.bundle', { name: result.name }, operator);
    expect(b.path).toBe(result.path);
    expect(b.data).toBeInstanceOf(Uint8Array);
    expect(b.data!.length).toBe(result.bytes);
    bundleBytes = new Uint8Array(b.data!);
    bundleName = result.name;
    expect(gunzipSync(bundleBytes).toString('latin1')).not.toContain(serial);
  });

  it('refuses bundle names that are not ones it wrote, and names that do not exist', async () => {
    for (const name of ['../audit.jsonl', 'fwbench-diag-20250101-000000.tar.gz/../../x', 'audit.jsonl', '/etc/passwd'])
      await expect(host.request('diag.bundle', { name }, operator)).rejects.toMatchObject({ code: 'bad-request' });
    await expect(host.request('diag.bundle', { name: 'fwbench-diag-19990101-000000.tar.gz' }, operator)).rejects.toThrow(/no bundle called/);
  });
});

describe('diag.open / view / file / close', () => {
  it('opens the collected bytes read-only: intact, manifest, inventory and the audit records', async () => {
    const sessionsBefore = host.sessions.list().length;
    const devicesBefore = host.registry.list().map((d) => d.id).sort();
    const reviewer = host.newClient('test');
    const { bundleId, name } = await host.request('diag.open', { name: bundleName, data: bundleBytes }, reviewer);
    expect(name).toBe(bundleName);
    const v = await host.request('diag.view', { bundleId }, reviewer);
    expect(v.integrity).toMatchObject({ ok: true, problems: [] });
    expect(v.integrity.intact).toBe(v.files.filter((f) => f.listed).length);
    // The chain was checked on all records; the only journal findings are records redaction rewrote, which the manifest lists.
    expect(v.integrity.audit!.records).toBe(v.audit.records.length);
    for (const p of v.integrity.audit!.problems) expect(v.manifest.redaction.auditRedactedLines).toContain(p.line);
    expect(v.manifest.redaction).toMatchObject({ serials: true, macs: true, hostnames: true });
    expect(v.manifest.host.hostname).toMatch(/^host-\d+$/);
    expect(v.manifest.app.name).toBe('fwbench');
    expect(v.files.map((f) => f.path)).toEqual(expect.arrayContaining(['devices.json', 'audit.jsonl', 'jobs.jsonl']));
    expect(v.inventory?.devices.some((d) => d.protocol === 'demo-board')).toBe(true);
    // The journal records are parsed: the denied reset and the collection itself are there.
    expect(v.audit.records.some((r) => r.commandId === 'device.reset' && r.outcome === 'denied')).toBe(true);
    expect(v.audit.records.some((r) => r.commandId === 'diagnostics.collect' && r.outcome === 'started')).toBe(true);
    expect(v.audit.unreadableLines).toBe(0);
    expect(JSON.stringify(v)).not.toContain(serial);

    // A console transcript comes back as text.
    const consoleFile = v.files.find((f) => f.kind === 'console');
    expect(consoleFile).toBeDefined();
    const f = await host.request('diag.file', { bundleId, name: consoleFile!.path }, reviewer);
    expect(typeof f.text).toBe('string');
    expect(f.size).toBe(consoleFile!.size);
    expect(f.truncated).toBe(false);

    // Nothing in a bundle reaches a device: no session, no new device, and no channel takes a bundle as a session.
    expect(host.sessions.list().length).toBe(sessionsBefore);
    expect(await host.request('sessions.list', {}, reviewer)).toEqual([]);
    expect(host.registry.list().map((d) => d.id).sort()).toEqual(devicesBefore);
    await expect(host.request('catalog.list', { sessionId: bundleId }, reviewer)).rejects.toMatchObject({ code: 'unknown-session' });
    await expect(host.request('command.run', { sessionId: bundleId, commandId: 'device.reset', scope: 'debug-write', params: {} }, reviewer)).rejects.toMatchObject({
      code: 'unknown-session',
    });

    // Another client cannot see this bundle; the owner can close it, after which it is gone.
    await expect(host.request('diag.view', { bundleId }, operator)).rejects.toThrow(/not open/);
    await expect(host.request('diag.file', { bundleId, name: 'manifest.json' }, reviewer)).rejects.toMatchObject({ code: 'bad-request' });
    await expect(host.request('diag.file', { bundleId, name: '../../etc/passwd' }, reviewer)).rejects.toThrow(/has no file/);
    expect(await host.request('diag.close', { bundleId }, reviewer)).toEqual({ closed: true });
    await expect(host.request('diag.view', { bundleId }, reviewer)).rejects.toThrow(/not open/);
  });

  it('names the one file changed by a single flipped byte', async () => {
    const tar = gunzipSync(bundleBytes);
    let header = -1;
    for (let i = 0; i < tar.length; i += 512) if (tar.subarray(i, i + 12).toString('latin1') === 'devices.json') header = i;
    expect(header).toBeGreaterThanOrEqual(0);
    const at = tar.indexOf(Buffer.from('"devices"'), header + 512);
    expect(at).toBeGreaterThan(header);
    tar[at + 1] = 'D'.charCodeAt(0);
    const c = host.newClient('test');
    const { bundleId } = await host.request('diag.open', { name: 'tampered.tar.gz', data: new Uint8Array(gzipSync(tar)) }, c);
    const v = await host.request('diag.view', { bundleId }, c);
    expect(v.integrity.ok).toBe(false);
    expect(v.integrity.problems).toEqual([{ file: 'devices.json', problem: expect.stringMatching(/^changed after the bundle was made/) }]);
    expect(v.integrity.intact).toBe(v.files.length - 1);
    await host.request('diag.close', { bundleId }, c);
  });

  it('names a file added to the bundle after it was made', async () => {
    const tar = gunzipSync(bundleBytes);
    // Drop the two zero end blocks, append an unlisted file, end again.
    let end = tar.length;
    while (end >= 512 && tar.subarray(end - 512, end).every((b) => b === 0)) end -= 512;
    const c = host.newClient('test');
    const { bundleId } = await host.request('diag.open', { name: 'added.tar.gz', data: tarGz(tar.subarray(0, end), tarEntry('notes.txt', Buffer.from('hello\n'))) }, c);
    const v = await host.request('diag.view', { bundleId }, c);
    expect(v.integrity.ok).toBe(false);
    expect(v.integrity.problems).toEqual([{ file: 'notes.txt', problem: expect.stringMatching(/not listed in the manifest/) }]);
    expect(v.files.find((f) => f.path === 'notes.txt')).toMatchObject({ listed: false, present: true, kind: 'unlisted' });
    await host.request('diag.close', { bundleId }, c);
  });

  it('refuses a tarball that climbs out with "..", and writes nothing outside', async () => {
    const evil = `fwbench-evil-${process.pid}-${Date.now()}.txt`;
    const data = tarGz(tarEntry('manifest.json', Buffer.from('{}')), tarEntry(`../${evil}`, Buffer.from('pwned\n')));
    await expect(host.request('diag.open', { name: 'evil.tar.gz', data }, operator)).rejects.toMatchObject({
      code: 'verification-failed',
      message: expect.stringMatching(/unsafe and was not opened: entry "\.\.\/fwbench-evil-[^"]+" climbs out of the bundle/),
    });
    expect(existsSync(join(tmpdir(), evil))).toBe(false);
    // No unpacked or uploaded copy is left behind.
    expect(readdirSync(tmpdir()).some((n) => n.startsWith('fwbench-upload-'))).toBe(false);
  });

  it('refuses links, absolute paths, non-tarballs, tarballs with no manifest and an empty upload, each with a clear error', async () => {
    const cases: [Uint8Array<ArrayBuffer>, RegExp][] = [
      [tarGz(tarEntry('audit.jsonl', Buffer.alloc(0), '2', '/etc/passwd')), /is a symbolic link; bundles hold plain files only/],
      [tarGz(tarEntry('/etc/cron.d/x', Buffer.from('x'))), /has an absolute path/],
      [new Uint8Array(Buffer.from('this is not a tarball at all')), /not a readable \.tar\.gz file/],
      [tarGz(tarEntry('devices.json', Buffer.from('{}'))), /has no manifest\.json/],
      [tarGz(tarEntry('manifest.json', Buffer.from('{"format":"something-else"}'))), /not one fwbench wrote/],
    ];
    for (const [data, message] of cases) await expect(host.request('diag.open', { name: 'x.tar.gz', data }, operator)).rejects.toThrow(message);
    await expect(host.request('diag.open', { name: 'x.tar.gz', data: new Uint8Array(0) }, operator)).rejects.toMatchObject({ code: 'bad-request' });
    await expect(host.request('diag.open', { name: 'x.tar.gz', data: 'not bytes' as never }, operator)).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('refuses unknown fields and unknown bundle ids', async () => {
    await expect(host.request('diag.collect', { redact: { serials: true, passwords: true } as never }, operator)).rejects.toMatchObject({ code: 'bad-request' });
    await expect(host.request('diag.view', { bundleId: 'no-such-bundle' }, operator)).rejects.toThrow(/not open/);
    await expect(host.request('diag.close', { bundleId: 'no-such-bundle' }, operator)).rejects.toThrow(/not open/);
  });
});
