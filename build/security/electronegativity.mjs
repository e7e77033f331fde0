#!/usr/bin/env node
// Security gate: runs electronegativity over electron/ and renderer/ (one run
// over a copy of both, so its global CSP check sees the renderer's
// Content-Security-Policy meta tag next to the Electron glue) and FAILS
// unless the SARIF it writes has zero results. electronegativity itself
// exits 0 even with findings, so the SARIF is the only honest signal.
//
//   node build/security/electronegativity.mjs [--input DIR]... [--sarif FILE]
//
// Exit codes: 0 no findings; 1 findings (each printed with file and line);
// 2 the scan could not run or wrote no readable SARIF.
//
// AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK is left out: it downloads Electron's
// release list, and this gate runs offline. The Electron version is pinned in
// package.json and checked when it is bumped.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OFFLINE_EXCLUDED = ['AvailableSecurityFixesGlobalCheck'];

function parseArgs(argv) {
  const inputs = [];
  let sarif = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--input') inputs.push(resolve(argv[++i] ?? ''));
    else if (argv[i] === '--sarif') sarif = resolve(argv[++i] ?? '');
    else {
      console.error(`electronegativity gate: unknown argument ${argv[i]}`);
      process.exit(2);
    }
  }
  return { inputs: inputs.length ? inputs : [join(root, 'electron'), join(root, 'renderer')], sarif };
}

const { inputs, sarif: keepSarif } = parseArgs(process.argv.slice(2));
const cli = join(root, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js');
if (!existsSync(cli)) {
  console.error('electronegativity gate: @doyensec/electronegativity is not installed (npm install).');
  process.exit(2);
}
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;

const work = mkdtempSync(join(tmpdir(), 'fwbench-electronegativity-'));
let code = 2;
try {
  code = gate();
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(code);

function gate() {
  const scan = join(work, 'scan');
  for (const dir of inputs) {
    if (!existsSync(dir)) {
      console.error(`electronegativity gate: ${dir} does not exist.`);
      return 2;
    }
    cpSync(dir, join(scan, basename(dir)), { recursive: true, filter: (src) => !src.includes('node_modules') });
  }
  const sarifPath = keepSarif ?? join(work, 'electronegativity.sarif');
  const args = [cli, '-i', scan, '-o', sarifPath, '-r', '-v', 'false', '-e', electronVersion, '-x', OFFLINE_EXCLUDED.join(',')];
  const t0 = Date.now();
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 300_000 });
  if (run.status !== 0 || !existsSync(sarifPath)) {
    console.error(`electronegativity gate: the scan failed (exit ${run.status}${run.signal ? `, ${run.signal}` : ''}).\n${run.stdout}\n${run.stderr}`);
    return 2;
  }
  let report;
  try {
    report = JSON.parse(readFileSync(sarifPath, 'utf8'));
  } catch (e) {
    console.error(`electronegativity gate: ${sarifPath} is not readable SARIF: ${e.message}`);
    return 2;
  }
  const runs = Array.isArray(report?.runs) ? report.runs : null;
  if (!runs || runs.length === 0) {
    console.error('electronegativity gate: the SARIF has no runs; refusing to call that a pass.');
    return 2;
  }
  const results = runs.flatMap((r) => r.results ?? []);
  const scanned = inputs.map((d) => basename(d)).join(' and ');
  if (results.length === 0) {
    console.log(`electronegativity: 0 findings in ${scanned} (Electron ${electronVersion}, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return 0;
  }
  console.log(`electronegativity: ${results.length} finding(s) in ${scanned}:`);
  for (const r of results) {
    const loc = r.locations?.[0]?.physicalLocation;
    const where = `${loc?.artifactLocation?.uri ?? '?'}:${loc?.region?.startLine ?? '?'}`;
    console.log(`  ${r.ruleId} (${r.level ?? 'warning'}) ${where}: ${r.message?.text ?? ''}`);
  }
  return 1;
}
