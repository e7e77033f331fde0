// Layout conformance: compiles every LAYOUT_CHECKS table (native/uapi.ts and
// electron/host/protocols/*/layout.ts) into one C program against Debian sid's
// linux-libc-dev headers, runs it, and compares each value with the one the
// TypeScript code uses. A check that does not compile is reported on its own.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

/** The uAPI headers every check may use. */
export const UAPI_HEADERS = ['fwctl/fwctl.h', 'fwctl/cxl.h', 'cxl/features.h', 'fwctl/mlx5.h', 'fwctl/pds.h', 'fwctl/bnxt.h'];

export interface SourcedCheck {
  /** Repository-relative file that declared the check. */
  source: string;
  c: string;
  value: number;
}

export interface CheckResult extends SourcedCheck {
  /** What the C compiler says, or null when the expression did not compile. */
  actual: number | null;
  compileError?: string;
}

/** Files that may declare LAYOUT_CHECKS. */
export function layoutFiles(): string[] {
  const files = [path.join(repo, 'native/uapi.ts')];
  const protocols = path.join(repo, 'electron/host/protocols');
  for (const dir of readdirSync(protocols, { withFileTypes: true })) {
    const f = path.join(protocols, dir.name, 'layout.ts');
    if (dir.isDirectory() && existsSync(f)) files.push(f);
  }
  return files;
}

export async function collectLayoutChecks(): Promise<SourcedCheck[]> {
  const all: SourcedCheck[] = [];
  for (const file of layoutFiles()) {
    const mod = (await import(pathToFileURL(file).href)) as { LAYOUT_CHECKS?: unknown };
    all.push(...validateChecks(path.relative(repo, file), mod.LAYOUT_CHECKS));
  }
  return all;
}

/** Checks one file's LAYOUT_CHECKS export; throws naming the file and entry. */
export function validateChecks(source: string, table: unknown): SourcedCheck[] {
  if (!Array.isArray(table)) throw new Error(`${source} does not export a LAYOUT_CHECKS array`);
  return table.map((entry, i) => {
    const e = entry as { c?: unknown; value?: unknown };
    if (typeof e?.c !== 'string' || !e.c.trim() || typeof e.value !== 'number' || !Number.isFinite(e.value)) {
      throw new Error(`${source}: LAYOUT_CHECKS[${i}] must be { c: string; value: number }, got ${JSON.stringify(entry)}`);
    }
    // One expression per check: it is pasted into printf(..., (long long)(<c>)).
    if (/[;{}\n"]|\/\*|\/\/|^\s*#/.test(e.c)) throw new Error(`${source}: LAYOUT_CHECKS[${i}] is not a single C expression: ${e.c}`);
    return { source, c: e.c, value: e.value };
  });
}

/** Downloads (once) and returns sid's usr/include; throws with the script's reason when it cannot. */
export async function uapiIncludeDir(): Promise<string> {
  try {
    const { stdout } = await run(path.join(here, 'fetch-uapi-headers.sh'), [], { timeout: 300_000, maxBuffer: 1 << 20 });
    const dir = stdout.trim().split('\n').pop() ?? '';
    if (!existsSync(path.join(dir, 'fwctl/fwctl.h'))) throw new Error(`no <fwctl/fwctl.h> under "${dir}"`);
    return dir;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`Cannot get the Linux uAPI headers (linux-libc-dev from Debian sid) for the layout check: ${(e.stderr || e.message).trim()}`);
  }
}

/** First line of the program that holds check 0; each check sits on its own line. */
function program(checks: SourcedCheck[]): { text: string; firstLine: number } {
  const head = [
    '#include <stddef.h>',
    '#include <stdio.h>',
    '#include <linux/types.h>',
    // <cxl/features.h> uses the kernel-internal BIT() and GENMASK() (a uAPI
    // wart); define them exactly as include/vdso/bits.h and linux/bits.h do.
    '#ifndef BIT',
    '#define BIT(nr) (1UL << (nr))',
    '#endif',
    '#ifndef GENMASK',
    '#define GENMASK(h, l) (((~0UL) - (1UL << (l)) + 1) & (~0UL >> (8 * sizeof(long) - 1 - (h))))',
    '#endif',
    ...UAPI_HEADERS.map((h) => `#include <${h}>`),
    'int main(void) {',
  ];
  const body = checks.map((k, i) => `  printf("%d %lld\\n", ${i}, (long long)(${k.c}));`);
  return { text: [...head, ...body, '  return 0;', '}', ''].join('\n'), firstLine: head.length + 1 };
}

export async function runLayoutConformance(checks: SourcedCheck[], includeDir: string): Promise<CheckResult[]> {
  const { stdout: multiarch } = await run('gcc', ['-print-multiarch']);
  const archDir = path.join(includeDir, multiarch.trim());
  const work = mkdtempSync(path.join(tmpdir(), 'fwbench-layout-'));
  const results: CheckResult[] = checks.map((k) => ({ ...k, actual: null }));
  try {
    let live = checks.map((_, i) => i);
    // Compile; drop the checks whose lines have errors and retry, so one bad
    // expression fails only its own test case.
    for (let attempt = 0; ; attempt++) {
      const { text, firstLine } = program(live.map((i) => checks[i]));
      const src = path.join(work, 'layout.c');
      const exe = path.join(work, 'layout');
      writeFileSync(src, text);
      try {
        await run('gcc', ['-std=gnu11', '-w', '-Werror=implicit-function-declaration', '-I', includeDir, '-I', archDir, '-o', exe, src], { maxBuffer: 8 << 20 });
      } catch (err) {
        const stderr = (err as { stderr?: string }).stderr ?? '';
        const bad = new Map<number, string>();
        for (const m of stderr.matchAll(/layout\.c:(\d+):\d+: error: (.*)/g)) {
          const idx = Number(m[1]) - firstLine;
          if (idx >= 0 && idx < live.length && !bad.has(live[idx])) bad.set(live[idx], m[2]);
        }
        if (bad.size === 0 || attempt > 20) throw new Error(`the layout program does not compile:\n${stderr.slice(0, 4000)}`);
        for (const [i, msg] of bad) results[i].compileError = msg;
        live = live.filter((i) => !bad.has(i));
        continue;
      }
      const { stdout } = await run(exe, [], { maxBuffer: 8 << 20 });
      for (const line of stdout.trim().split('\n').filter(Boolean)) {
        const [pos, value] = line.split(' ');
        results[live[Number(pos)]].actual = Number(value);
      }
      return results;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
