// A bundle is attacker-controlled input: every trick below must be refused
// with a plain error, and nothing may land outside the fresh temp dir.
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractBundle, DEFAULT_BUNDLE_LIMITS } from '../../../electron/host/diagnostics/safe-extract';
import { openBundle } from '../../../electron/host/diagnostics/open-bundle';
import { HostError } from '../../../electron/host/errors/host-error';
import { forgeTarGz, type ForgedEntry } from './tar-forge';

const work = mkdtempSync(join(tmpdir(), 'fwbench-evil-'));
let n = 0;
function bundle(entries: ForgedEntry[]): string {
  const p = join(work, `evil-${++n}.tar.gz`);
  writeFileSync(p, forgeTarGz(entries));
  return p;
}
const manifest: ForgedEntry = { name: 'manifest.json', data: Buffer.from('{}') };

async function refused(path: string, dest = mkdtempSync(join(work, 'dest-'))): Promise<HostError> {
  const err = await extractBundle(path, dest).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HostError);
  expect((err as HostError).code).toBe('verification-failed');
  return err as HostError;
}

describe('unsafe bundles are refused', () => {
  it('path traversal with ..', async () => {
    const err = await refused(bundle([manifest, { name: '../x', data: Buffer.from('pwned') }]));
    expect(err.message).toMatch(/"\.\.\/x" climbs out of the bundle/);
    expect(existsSync(join(work, 'x'))).toBe(false);
  });

  it('.. in the middle of a path', async () => {
    const err = await refused(bundle([{ name: 'console/../../y', data: Buffer.from('pwned') }]));
    expect(err.message).toMatch(/climbs out/);
  });

  it('absolute paths', async () => {
    const err = await refused(bundle([{ name: '/etc/x', data: Buffer.from('pwned') }]));
    expect(err.message).toMatch(/"\/etc\/x" has an absolute path/);
  });

  it('symbolic links, and a file written through one', async () => {
    const dest = mkdtempSync(join(work, 'dest-'));
    const err = await refused(bundle([{ name: 'link', type: '2', linkname: '/etc' }, { name: 'link/passwd', data: Buffer.from('x') }]), dest);
    expect(err.message).toMatch(/"link" is a symbolic link/);
    expect(readdirSync(dest)).toEqual([]);
  });

  it('hard links, devices and FIFOs', async () => {
    expect((await refused(bundle([{ name: 'h', type: '1', linkname: 'manifest.json' }]))).message).toMatch(/hard link/);
    expect((await refused(bundle([{ name: 'dev', type: '3' }]))).message).toMatch(/CharacterDevice/);
    expect((await refused(bundle([{ name: 'fifo', type: '6' }]))).message).toMatch(/FIFO/);
  });

  it('an entry larger than the limit, before reading its data', async () => {
    const err = await refused(bundle([{ name: 'telemetry/huge.fwtl', claimedSize: DEFAULT_BUNDLE_LIMITS.maxEntryBytes + 1 }]));
    expect(err.message).toMatch(/is 536870913 bytes; the limit is 536870912/);
  });

  it('entries adding up past the total limit (a gzip bomb)', async () => {
    const zeros = Buffer.alloc(64 * 1024);
    const path = bundle([0, 1, 2, 3].map((i) => ({ name: `f${i}.bin`, data: zeros })));
    const dest = mkdtempSync(join(work, 'dest-'));
    const err = await extractBundle(path, dest, { ...DEFAULT_BUNDLE_LIMITS, maxTotalBytes: 200 * 1024 }).catch((e: HostError) => e);
    expect((err as HostError).message).toMatch(/add up to more than 204800 bytes/);
  });

  it('too many entries', async () => {
    const path = bundle(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, data: Buffer.from('x') })));
    const err = await extractBundle(path, mkdtempSync(join(work, 'dest-')), { ...DEFAULT_BUNDLE_LIMITS, maxEntries: 4 }).catch((e: HostError) => e);
    expect((err as HostError).message).toMatch(/more than 4 entries/);
  });

  it('a name given twice (the second copy would hide the first)', async () => {
    const err = await refused(bundle([{ name: 'devices.json', data: Buffer.from('a') }, { name: 'devices.json', data: Buffer.from('b') }]));
    expect(err.message).toMatch(/appears twice/);
  });

  it('names with odd characters or too deep', async () => {
    expect((await refused(bundle([{ name: 'a\\..\\b', data: Buffer.from('x') }]))).message).toMatch(/climbs out|does not write/);
    expect((await refused(bundle([{ name: 'a b.txt', data: Buffer.from('x') }]))).message).toMatch(/does not write/);
    expect((await refused(bundle([{ name: 'a/b/c/d/e/f', data: Buffer.from('x') }]))).message).toMatch(/at most 5 levels/);
  });

  it('something that is not a tar.gz at all, and a truncated one', async () => {
    const junk = join(work, 'junk.tar.gz');
    writeFileSync(junk, 'this is not an archive at all, just text that goes on for a while '.repeat(20));
    expect((await refused(junk)).message).toMatch(/not a readable \.tar\.gz/);
    const good = forgeTarGz([{ name: 'devices.json', data: Buffer.alloc(4000, 65) }]);
    const cut = join(work, 'cut.tar.gz');
    writeFileSync(cut, good.subarray(0, Math.floor(good.length / 2)));
    expect((await refused(cut)).message).toMatch(/not a readable/);
  });

  it('openBundle refuses a bundle without a manifest or with a forged one, and cleans up', async () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('fwbench-bundle-')).length;
    await expect(openBundle(bundle([{ name: 'devices.json', data: Buffer.from('[]') }]))).rejects.toThrow(/has no manifest\.json/);
    await expect(openBundle(bundle([{ name: 'manifest.json', data: Buffer.from('{"format":"fwbench-diagnostics"') }]))).rejects.toThrow(/not valid JSON/);
    await expect(openBundle(bundle([{ name: 'manifest.json', data: Buffer.from('{"format":"other"}') }]))).rejects.toThrow(/not one fwbench wrote/);
    await expect(openBundle(bundle([{ name: '../escape', data: Buffer.from('x') }]))).rejects.toThrow(/climbs out/);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('fwbench-bundle-')).length).toBe(before);
  });

  it('a missing file or a directory is a plain error, not a crash', async () => {
    await expect(extractBundle(join(work, 'nope.tar.gz'), work)).rejects.toThrow(/Cannot read/);
    await expect(extractBundle(work, mkdtempSync(join(work, 'dest-')))).rejects.toThrow(/is not a file/);
  });
});
