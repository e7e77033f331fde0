// Builds everything the app runs from: the host CLI and the Electron glue with
// esbuild, the renderer with Vite, and the native fwctl addon when a toolchain
// is there (fwctl is then reported unavailable, and the rest works).
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const t0 = Date.now();
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, packages: 'external', logLevel: 'warning' };

await build({ ...common, entryPoints: ['electron/cli/fwbench.ts'], outfile: 'dist/host/fwbench.mjs', format: 'esm' });
// Main is ESM like the rest of the host; the preload must be CommonJS to run sandboxed.
await build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'dist/electron/main.mjs', format: 'esm', external: ['electron'] });
await build({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', external: ['electron'] });
await viteBuild({ configFile: 'build/vite.renderer.config.ts', logLevel: 'warn' });

if (existsSync('native/build.mjs')) {
  const r = spawnSync(process.execPath, ['native/build.mjs'], { stdio: 'inherit' });
  if (r.status !== 0) console.warn('native fwctl addon not built: fwctl devices will show as unavailable');
}
console.log(`build: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
