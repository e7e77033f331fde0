// Unpacks an untrusted bundle (.tar.gz) into a directory the caller just made.
// Nothing of node-tar's extractor is used: every header is checked first and
// only plain files with plain relative names are written, by us, with O_EXCL.
// Refused: absolute paths, "..", symlinks, hard links, devices, FIFOs,
// duplicate names, and entries or totals over the limits.
import { closeSync, createReadStream, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Parser, type ReadEntry } from 'tar';
import { HostError } from '../errors/host-error';
import { BUNDLE_PATH_RE } from './manifest';

export interface BundleLimits {
  /** Size of the .tar.gz file itself. */
  maxArchiveBytes: number;
  /** Size of any one entry once unpacked. */
  maxEntryBytes: number;
  /** All entries together once unpacked (guards against gzip bombs). */
  maxTotalBytes: number;
  maxEntries: number;
}

export const DEFAULT_BUNDLE_LIMITS: BundleLimits = {
  maxArchiveBytes: 1024 * 1024 * 1024,
  maxEntryBytes: 512 * 1024 * 1024,
  maxTotalBytes: 2 * 1024 * 1024 * 1024,
  maxEntries: 10_000,
};

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

function refuse(why: string, detail?: string): HostError {
  return new HostError('verification-failed', `The bundle is unsafe and was not opened: ${why}`, detail);
}

function printable(name: string): string {
  return JSON.stringify(name.length > 120 ? name.slice(0, 120) + '…' : name);
}

/** Checks one header; returns the relative path to write (null for a directory entry). */
export function checkEntryHeader(e: { path: string; type: string; size: number }, limits: BundleLimits): string | null {
  const name = e.path;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw refuse(`entry ${printable(name)} has an absolute path.`);
  if (name.split(/[/\\]/).includes('..')) throw refuse(`entry ${printable(name)} climbs out of the bundle with "..".`);
  if (e.type === 'SymbolicLink' || e.type === 'Link') throw refuse(`entry ${printable(name)} is a ${e.type === 'Link' ? 'hard link' : 'symbolic link'}; bundles hold plain files only.`);
  const rel = e.type === 'Directory' ? name.replace(/\/+$/, '') : name;
  if (e.type !== 'Directory' && !FILE_TYPES.has(e.type)) throw refuse(`entry ${printable(name)} is a ${e.type}; bundles hold plain files only.`);
  if (!BUNDLE_PATH_RE.test(rel)) throw refuse(`entry ${printable(name)} has a name fwbench does not write (letters, digits and ._@+- only, at most 5 levels).`);
  if (e.size > limits.maxEntryBytes) throw refuse(`entry ${printable(name)} is ${e.size} bytes; the limit is ${limits.maxEntryBytes}.`);
  return e.type === 'Directory' ? null : rel;
}

/** Unpacks `archive` into `dest` (an empty directory). Returns the files written, in archive order. */
export async function extractBundle(archive: string, dest: string, limits: BundleLimits = DEFAULT_BUNDLE_LIMITS): Promise<string[]> {
  let st;
  try {
    st = statSync(archive);
  } catch (e) {
    throw new HostError('io-error', `Cannot read ${archive}.`, (e as Error).message);
  }
  if (!st.isFile()) throw new HostError('bad-request', `${archive} is not a file.`);
  if (st.size > limits.maxArchiveBytes) throw refuse(`the file is ${st.size} bytes; the limit is ${limits.maxArchiveBytes}.`);

  const written: string[] = [];
  const seen = new Set<string>();
  let total = 0;
  let failure: Error | null = null;

  const parser = new Parser({
    strict: true,
    onReadEntry(entry: ReadEntry) {
      if (failure) return void entry.resume();
      let rel: string | null;
      try {
        if (written.length + 1 > limits.maxEntries) throw refuse(`it has more than ${limits.maxEntries} entries.`);
        rel = checkEntryHeader({ path: entry.path, type: entry.type, size: entry.size }, limits);
        if (rel !== null) {
          if (seen.has(rel)) throw refuse(`entry ${printable(rel)} appears twice (a later copy would hide the first).`);
          total += entry.size;
          if (total > limits.maxTotalBytes) throw refuse(`its files add up to more than ${limits.maxTotalBytes} bytes.`);
        }
      } catch (err) {
        failure = err as Error;
        entry.resume();
        parser.abort(failure);
        return;
      }
      if (rel === null) return void entry.resume();
      seen.add(rel);
      const target = join(dest, rel);
      let fd: number;
      try {
        mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
        fd = openSync(target, 'wx', 0o600);
      } catch (err) {
        failure = refuse(`entry ${printable(rel)} clashes with another entry.`, (err as Error).message);
        entry.resume();
        parser.abort(failure);
        return;
      }
      written.push(rel);
      let got = 0;
      entry.on('data', (chunk: Buffer) => {
        got += chunk.length;
        if (got <= entry.size) writeSync(fd, chunk);
      });
      entry.on('end', () => closeSync(fd));
    },
  });

  await new Promise<void>((resolve, reject) => {
    parser.on('error', (e: Error) => reject(failure ?? refuse('it is not a readable .tar.gz file.', e.message)));
    parser.on('end', () => resolve());
    const input = createReadStream(archive);
    input.on('error', (e) => reject(new HostError('io-error', `Cannot read ${archive}.`, e.message)));
    input.pipe(parser);
  });
  if (failure) throw failure;
  return written;
}
