// `npm start`: the Electron app on the demo board, or, where the Electron
// runtime is missing, the same UI served on loopback in the system browser.
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let electronPath = null;
try {
  electronPath = require('electron');
} catch {
  electronPath = null;
}
const args = process.argv.slice(2);
if (typeof electronPath === 'string' && existsSync(electronPath)) {
  const child = spawn(electronPath, ['.', ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('Electron runtime not installed here (`npm run electron:install` fetches it where the network allows): serving the same app on 127.0.0.1 in your browser instead.');
  const child = spawn(process.execPath, ['bin/fwbench.mjs', 'serve', '--open', ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}
