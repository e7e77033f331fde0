// CLI: npx tsx test/conformance/run.ts — prints every check; exit 1 on any mismatch.
import { collectLayoutChecks, runLayoutConformance, uapiIncludeDir } from './layout-conformance';

const checks = await collectLayoutChecks();
const include = await uapiIncludeDir();
const results = await runLayoutConformance(checks, include);
let bad = 0;
for (const r of results) {
  const ok = r.actual === r.value;
  if (!ok) bad++;
  const got = r.compileError ? `does not compile: ${r.compileError}` : String(r.actual);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${r.source}: ${r.c} = ${got}${ok ? '' : ` (fwbench says ${r.value})`}`);
}
console.log(`${results.length - bad}/${results.length} layout checks match ${include}`);
process.exit(bad ? 1 : 0);
