#!/usr/bin/env node
// Builds the fwctl addon with npm's own node-gyp (npx node-gyp would try to
// download another version). A machine without the toolchain is not an error:
// it prints why and exits 0, and fwbench then reports fwctl as unavailable.
// A toolchain that is present but fails to compile the addon exits 1.
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const output = path.join(here, 'build', 'Release', 'fwctl.node');
const sources = ['binding.gyp', 'src/fwctl.cc'].map((f) => path.join(here, f));

function skip(reason) {
  console.log(`native/build: fwctl addon not built: ${reason}. fwbench will report fwctl as unavailable.`);
  process.exit(0);
}

if (process.platform !== 'linux') skip(`fwctl exists only on Linux (this is ${process.platform})`);

const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
for (const tool of ['make', 'c++', 'python3']) if (!onPath(tool)) skip(`'${tool}' is not installed`);

function findNodeGyp() {
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp)) return process.env.npm_config_node_gyp;
  try {
    const root = execFileSync('npm', ['root', '-g'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const gyp = path.join(root, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (existsSync(gyp)) return gyp;
  } catch {
    /* no npm on PATH */
  }
  return null;
}
const nodeGyp = findNodeGyp();
if (!nodeGyp) skip("npm's node-gyp was not found");

// Headers of the running Node: npm scripts pass npm_config_nodedir; a Node
// installed under /usr has them in /usr/include/node.
const prefix = path.resolve(path.dirname(process.execPath), '..');
const nodedir = process.env.npm_config_nodedir || (existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : null);
if (!nodedir) skip(`no Node headers found (looked in ${prefix}/include/node; set npm_config_nodedir)`);

try {
  const require = (await import('node:module')).createRequire(import.meta.url);
  require.resolve('node-addon-api');
} catch {
  skip('the node-addon-api package is not installed');
}

const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
if (existsSync(output) && statSync(output).mtimeMs > newest && !process.argv.includes('--force')) {
  console.log(`native/build: ${path.relative(process.cwd(), output)} is up to date`);
  process.exit(0);
}

const started = Date.now();
const r = spawnSync(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodedir}`, '-C', here, '--loglevel=warn'], { stdio: 'inherit' });
if (r.status !== 0) {
  console.error(`native/build: node-gyp failed (exit ${r.status}); the fwctl addon does not compile`);
  process.exit(1);
}
console.log(`native/build: built ${path.relative(process.cwd(), output)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
