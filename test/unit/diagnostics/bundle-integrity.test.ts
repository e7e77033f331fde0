// Collect a bundle from a real (demo-less) host, then tamper with it the ways
// a person would: change a byte, drop a file, add a file, edit the journal.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { c as createTar } from 'tar';
import { testHost } from '../../support/test-host';
import type { Host } from '../../../electron/host/host';
import { collectBundle, openBundle, extractBundle, sha256Of, type BundleManifest } from '../../../electron/host/diagnostics';

let host: Host;
let work: string;
let clean: string;
let manifest: BundleManifest;

beforeAll(async () => {
  host = await testHost({ demoBoards: 0, demoCxl: false });
  work = mkdtempSync(join(tmpdir(), 'fwbench-bundle-test-'));
  // A journal that names a device serial, and telemetry recordings.
  const draft = { operator: 'tester', client: 'test:1', outcome: 'ok' as const };
  host.audit.append({ ...draft, kind: 'session-open', sessionId: 's1', device: { id: 'serial:/dev/ttyUSB0', label: 'FT232R', identity: { serial: 'A6008isP' } } });
  host.audit.append({ ...draft, kind: 'command', commandId: 'device.info', sessionId: 's1' });
  host.audit.append({ ...draft, kind: 'session-close', sessionId: 's1' });
  const rec = join(host.paths.state, 'recordings');
  mkdirSync(rec, { recursive: true });
  writeFileSync(join(rec, 'run-1.fwtl'), Buffer.from([0x46, 0x57, 0x54, 0x4c, 1, 2, 3, 0xff]));
  writeFileSync(join(rec, 'run-1.csv'), 't,vbus\n0,5.01\n');
  symlinkSync('/etc/passwd', join(rec, 'sneaky.csv'));
  clean = join(work, 'clean.tar.gz');
  const progress: string[] = [];
  manifest = (await collectBundle(host, { outPath: clean, redact: { serials: true, macs: true, hostnames: true }, hostname: 'bench-pc-7', onProgress: (p) => progress.push(p.step) })).manifest;
  expect(progress.at(-1)).toBe('done');
});

afterAll(async () => {
  await host.close();
  rmSync(work, { recursive: true, force: true });
});

/** Unpacks the clean bundle, lets `edit` change the tree, packs it again. */
async function tampered(name: string, edit: (dir: string, files: string[]) => string[] | void): Promise<string> {
  const dir = mkdtempSync(join(work, 'tree-'));
  let files = await extractBundle(clean, dir);
  files = edit(dir, files) ?? files;
  const out = join(work, `${name}.tar.gz`);
  await createTar({ gzip: true, file: out, cwd: dir, portable: true }, files);
  return out;
}

async function check(path: string) {
  const view = await openBundle(path);
  try {
    return view.verify();
  } finally {
    view.close();
  }
}

describe('collected bundle', () => {
  it('lists every file with its size and SHA-256, and the host facts', async () => {
    const view = await openBundle(clean);
    try {
      const paths = view.manifest.files.map((f) => f.path).sort();
      expect(paths).toEqual(['audit.head', 'audit.jsonl', 'devices.json', 'jobs.jsonl', 'telemetry/run-1.csv', 'telemetry/run-1.fwtl']);
      expect([...view.files].sort()).toEqual(paths);
      for (const f of view.manifest.files) {
        const data = view.read(f.path);
        expect(f.size).toBe(data.length);
        expect(f.sha256).toBe(sha256Of(data));
      }
      expect(view.manifest.app.name).toBe('fwbench');
      expect(view.manifest.host.kernel).toBe(host.facts().kernel);
      expect(typeof view.manifest.host.taint.letters).toBe('string');
      expect(view.manifest.host.capSysRawio).toBe(host.facts().capSysRawio);
      expect(view.manifest.host.hostname).toBe('host-1');
      // The symlink in the recordings dir was not followed.
      expect(view.manifest.files.find((f) => f.path.includes('sneaky'))).toBeUndefined();
      // Binary recordings are copied as they are; text is redacted.
      expect(view.read('telemetry/run-1.fwtl')).toEqual(Buffer.from([0x46, 0x57, 0x54, 0x4c, 1, 2, 3, 0xff]));
      expect(view.manifest.files.find((f) => f.path === 'telemetry/run-1.fwtl')?.redacted).toBe(false);
      expect(() => view.read('../../etc/passwd')).toThrow(/has no file/);
      expect(view.verify()).toMatchObject({ ok: true, problems: [] });
    } finally {
      view.close();
    }
  });

  it('redacts the journal, records which lines, and still verifies its chain', async () => {
    const view = await openBundle(clean);
    try {
      const journal = view.read('audit.jsonl').toString('utf8');
      expect(journal).not.toContain('A6008isP');
      expect(journal).toContain('"serial":"serial-1"');
      expect(view.manifest.redaction).toMatchObject({ serials: true, macs: true, hostnames: true, auditRedactedLines: [1] });
      expect(view.manifest.redaction.distinct.serial).toBe(1);
      const check = view.verify();
      expect(check.ok).toBe(true);
      // The raw chain check does see the redacted record; the bundle check knows why.
      expect(check.audit?.problems.map((p) => p.line)).toEqual([1]);
    } finally {
      view.close();
    }
  });

  it('an unredacted bundle keeps the journal byte for byte', async () => {
    const plain = join(work, 'plain.tar.gz');
    const r = await collectBundle(host, { outPath: plain });
    expect(r.manifest.redaction.auditRedactedLines).toEqual([]);
    const view = await openBundle(plain);
    try {
      // Nothing was appended after the collection's own record, so the copy equals the live journal.
      expect(view.read('audit.jsonl').toString()).toBe(readFileSync(host.audit.path, 'utf8'));
      expect(view.verify().audit).toMatchObject({ ok: true });
    } finally {
      view.close();
    }
  });
});

describe('tampering is reported per file', () => {
  it('one changed byte names that file and only that file', async () => {
    const path = await tampered('byte', (dir) => {
      const f = join(dir, 'devices.json');
      const b = readFileSync(f);
      b[10] ^= 0x01;
      writeFileSync(f, b);
    });
    const r = await check(path);
    expect(r.ok).toBe(false);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].file).toBe('devices.json');
    expect(r.problems[0].problem).toMatch(/changed after the bundle was made/);
  });

  it('a removed file', async () => {
    const r = await check(await tampered('removed', (dir, files) => {
      unlinkSync(join(dir, 'jobs.jsonl'));
      return files.filter((f) => f !== 'jobs.jsonl');
    }));
    expect(r.problems).toEqual([{ file: 'jobs.jsonl', problem: expect.stringMatching(/missing from the bundle/) }]);
  });

  it('an added file', async () => {
    const r = await check(await tampered('added', (dir, files) => {
      mkdirSync(join(dir, 'console'), { recursive: true });
      writeFileSync(join(dir, 'console', 'extra.txt'), 'planted');
      return [...files, 'console/extra.txt'];
    }));
    expect(r.problems).toEqual([{ file: 'console/extra.txt', problem: expect.stringMatching(/not listed in the manifest/) }]);
  });

  it('an edited journal record with a re-hashed manifest is still caught by the chain', async () => {
    const r = await check(await tampered('journal', (dir) => {
      const jf = join(dir, 'audit.jsonl');
      const lines = readFileSync(jf, 'utf8').split('\n');
      lines[1] = lines[1].replace('"outcome":"ok"', '"outcome":"denied"');
      writeFileSync(jf, lines.join('\n'));
      // A careful forger also fixes the manifest's hash of the journal.
      const mf = join(dir, 'manifest.json');
      const m = JSON.parse(readFileSync(mf, 'utf8')) as BundleManifest;
      const data = readFileSync(jf);
      const entry = m.files.find((f) => f.path === 'audit.jsonl')!;
      entry.sha256 = sha256Of(data);
      entry.size = data.length;
      writeFileSync(mf, JSON.stringify(m));
    }));
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([{ file: 'audit.jsonl', problem: expect.stringMatching(/audit chain broken at line 2: record 2 was changed after it was written/) }]);
  });

  it('a journal cut short (last records and head rewritten consistently in the manifest) is caught by the head', async () => {
    const r = await check(await tampered('cut', (dir) => {
      const jf = join(dir, 'audit.jsonl');
      const lines = readFileSync(jf, 'utf8').split('\n').filter(Boolean);
      writeFileSync(jf, lines.slice(0, -1).join('\n') + '\n');
      const mf = join(dir, 'manifest.json');
      const m = JSON.parse(readFileSync(mf, 'utf8')) as BundleManifest;
      const data = readFileSync(jf);
      Object.assign(m.files.find((f) => f.path === 'audit.jsonl')!, { sha256: sha256Of(data), size: data.length });
      writeFileSync(mf, JSON.stringify(m));
    }));
    expect(r.problems.map((p) => p.file)).toEqual(['audit.jsonl']);
    expect(r.problems[0].problem).toMatch(/records were removed from the end/);
  });
});
