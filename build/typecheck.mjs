// Type-checks each environment with its own config, so a renderer file that
// imports Node or a host file that imports electron fails here.
import { spawnSync } from 'node:child_process';
const targets = ['contract', 'host', 'renderer', 'electron'];
let failed = 0;
for (const t of targets) {
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', `build/tsconfig/${t}.json`], { stdio: 'inherit' });
  console.log(`typecheck ${t}: ${r.status === 0 ? 'ok' : 'FAILED'}`);
  if (r.status !== 0) failed++;
}
const all = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
console.log(`typecheck tests: ${all.status === 0 ? 'ok' : 'FAILED'}`);
process.exit(failed || all.status ? 1 : 0);
