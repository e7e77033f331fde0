// `npm test`: set-up first (system packages, native addon, build), then every
// suite in order. A suite never passes by skipping what it could not set up.
// Prints one closing line: "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';

const ALL = ['typecheck', 'unit', 'renderer', 'integration', 'uboot', 'kernel', 'faults', 'e2e', 'electron'];
const wanted = process.argv.slice(2);
const suites = wanted.length ? wanted : ALL;
const unknown = suites.filter((s) => !ALL.includes(s));
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; known: ${ALL.join(', ')}`);
  process.exit(2);
}

function step(title, cmd, args, opts = {}) {
  console.log(`\n=== ${title}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  return r.status === 0;
}

const needsSystem = suites.some((s) => ['integration', 'uboot', 'kernel', 'faults', 'e2e'].includes(s));
if (needsSystem && !step('system packages', 'bash', ['test/setup/system-deps.sh'])) process.exit(1);
if (!step('build', process.execPath, ['build/build.mjs'])) process.exit(1);

mkdirSync('test-results', { recursive: true });
let passed = 0;
let failed = 0;
let skipped = 0;
const failedSuites = [];
for (const suite of suites) {
  if (suite === 'typecheck') {
    if (step('typecheck (one config per environment)', process.execPath, ['build/typecheck.mjs'])) passed++;
    else {
      failed++;
      failedSuites.push('typecheck');
    }
    continue;
  }
  const report = `test-results/${suite}.json`;
  const ok = step(`suite ${suite}`, process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--project', suite, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + r.numTodoTests;
    // Vitest reports the tests of a file whose beforeAll (or import) threw as
    // "skipped": they never ran because set-up failed, so they count as failed.
    for (const file of r.testResults ?? []) {
      if (file.status !== 'failed' || file.assertionResults.some((a) => a.status === 'failed')) continue;
      const notRun = file.assertionResults.filter((a) => a.status === 'pending' || a.status === 'skipped' || a.status === 'todo').length;
      skipped -= notRun;
      failed += Math.max(notRun, 1);
      console.log(`suite ${suite}: ${file.name}: set-up failed, ${notRun} test(s) never ran (counted as failed)`);
    }
    if (r.numTotalTests === 0) console.log(`suite ${suite}: no tests yet`);
  }
  if (!ok) {
    failedSuites.push(suite);
    if (!existsSync(report)) failed++;
  }
}
console.log(`\nsuites failed: ${failedSuites.join(', ') || 'none'}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSuites.length ? 1 : 0);
