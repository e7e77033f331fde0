// build/security/electronegativity.mjs must pass on the real Electron glue and
// renderer, and must fail (naming the finding) on glue that is insecure.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..');
const gate = (args: string[] = []) => spawnSync('nice', [process.execPath, join(root, 'build', 'security', 'electronegativity.mjs'), ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });

describe('electronegativity gate', () => {
  it('finds nothing in electron/ and renderer/', () => {
    const r = gate();
    expect(r.stdout + r.stderr).toMatch(/electronegativity: 0 findings in electron and renderer/);
    expect(r.status).toBe(0);
  }, 300_000);

  it('fails on an insecure window and names each finding with its file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwbench-insecure-'));
    const glue = join(dir, 'electron');
    mkdirSync(glue);
    writeFileSync(
      join(glue, 'main.js'),
      [
        "const { app, BrowserWindow } = require('electron');",
        'app.whenReady().then(() => {',
        "  const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } });",
        "  win.loadURL('http://example.invalid/');",
        '});',
      ].join('\n'),
    );
    const r = gate(['--input', glue]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^electronegativity: \d+ finding\(s\) in electron:/);
    expect(r.stdout).toMatch(/CONTEXT_ISOLATION_JS_CHECK \(\w+\) electron\/main\.js:3:/);
    expect(r.stdout).toMatch(/SANDBOX_JS_CHECK \(\w+\) electron\/main\.js:3:/);
    expect(r.stdout).toMatch(/HTTP_RESOURCES_JS_CHECK \(\w+\) electron\/main\.js:4:/);
  }, 300_000);

  it('refuses to pass when it cannot scan', () => {
    const r = gate(['--input', join(tmpdir(), 'no-such-dir-fwbench')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/does not exist/);
  }, 60_000);
});
