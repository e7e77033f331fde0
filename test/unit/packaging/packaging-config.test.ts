// The packaging config cannot be exercised here (no Electron zip), so it is
// validated instead: electron-builder's own schema check, every path it names,
// the desktop file, the udev rules and the deb scripts.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';

const root = resolve(__dirname, '..', '..', '..');
const pkgDir = join(root, 'build', 'packaging');
const config = JSON.parse(readFileSync(join(pkgDir, 'electron-builder.json'), 'utf8'));
const require = createRequire(import.meta.url);

function which(cmd: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'electron', 'preload.cjs')) || !existsSync(join(root, 'dist', 'renderer', 'index.html'))) {
    const r = spawnSync(process.execPath, ['build/build.mjs'], { cwd: root, stdio: 'inherit' });
    expect(r.status).toBe(0);
  }
}, 300_000);

describe('electron-builder config', () => {
  it("passes electron-builder's own schema validation (scheme.json)", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    expect(existsSync(require.resolve('app-builder-lib/scheme.json'))).toBe(true);
    await expect(validateConfiguration(config, { isEnabled: false, add() {} })).resolves.toBeUndefined();
    // The validator is not a rubber stamp: a misspelt key fails.
    await expect(validateConfiguration({ ...config, linux: { ...config.linux, categroy: 'Development' } }, { isEnabled: false, add() {} })).rejects.toThrow(/configuration object that does not match the API schema/);
  });

  it('says what the lab needs: AppImage and deb, Development, native modules unpacked', () => {
    expect(config.productName).toBe('fwbench');
    expect(config.appId).toMatch(/^[a-z0-9.-]+$/);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.category).toBe('Development');
    expect(config.files).toContain('dist/**');
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/@serialport/bindings-cpp/**', 'node_modules/usb/**']));
    expect(config.extraResources).toEqual(expect.arrayContaining([{ from: 'native/build/Release/fwctl.node', to: 'native/fwctl.node' }, { from: 'build/packaging/udev/70-fwbench.rules', to: 'udev/70-fwbench.rules' }]));
    expect(config.deb.depends).toEqual(expect.arrayContaining(['libudev1', 'udev']));
  });

  it('every file, icon and script it names exists', () => {
    const main = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).main as string;
    expect(existsSync(join(root, main))).toBe(true);
    expect(existsSync(join(root, 'dist', 'electron', 'preload.cjs'))).toBe(true);
    for (const r of config.extraResources) {
      // The native addon is built by build/build.mjs when a toolchain is there.
      if (r.from.startsWith('native/build/') && !existsSync(join(root, r.from))) {
        console.warn(`note: ${r.from} is not built on this machine`);
        continue;
      }
      expect(existsSync(join(root, r.from)), r.from).toBe(true);
    }
    for (const m of ['@serialport/bindings-cpp', 'usb']) expect(existsSync(join(root, 'node_modules', m, 'prebuilds')), m).toBe(true);
    for (const s of [config.deb.afterInstall, config.deb.afterRemove]) {
      expect(existsSync(join(root, s)), s).toBe(true);
      expect(statSync(join(root, s)).mode & 0o111).not.toBe(0);
      expect(spawnSync('sh', ['-n', join(root, s)]).status).toBe(0);
    }
    expect(existsSync(join(root, config.directories.buildResources))).toBe(true);
    const icons = join(root, config.linux.icon);
    for (const size of [512, 256, 128, 64, 32]) {
      const png = readFileSync(join(icons, `${size}x${size}.png`));
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(png.readUInt32BE(16)).toBe(size);
      expect(png.readUInt32BE(20)).toBe(size);
      // The image data inflates to exactly one RGBA row (plus filter byte) per line.
      const idat = png.indexOf('IDAT');
      const len = png.readUInt32BE(idat - 4);
      expect(inflateSync(png.subarray(idat + 4, idat + 4 + len)).length).toBe(size * (size * 4 + 1));
    }
    expect(readFileSync(join(icons, 'fwbench.svg'), 'utf8')).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*viewBox="0 0 256 256"/);
  });

  it('the postinst creates the fwbench group and installs the udev rules it ships', () => {
    const post = readFileSync(join(root, config.deb.afterInstall), 'utf8');
    expect(post).toMatch(/if ! getent group fwbench\b[^\n]*; then\n\s+groupadd --system fwbench/);
    expect(post).toContain('APP_DIR=/opt/fwbench');
    // Where extraResources puts the rules in the package.
    expect(post).toContain(`RULES_SRC="$APP_DIR/resources/${config.extraResources.find((r: { to: string }) => r.to.startsWith('udev/')).to}"`);
    expect(post).toContain('/lib/udev/rules.d/70-fwbench.rules');
    expect(post).toContain('udevadm control --reload-rules');
    // electron-builder templates ${...} in scripts: ours must not use that syntax for shell variables.
    expect(post).not.toMatch(/\$\{/);
  });
});

describe('desktop file', () => {
  const desktop = join(pkgDir, 'fwbench.desktop');

  it('passes desktop-file-validate', (ctx) => {
    const tool = which('desktop-file-validate');
    // Reported as skipped (not passed) so the run's totals say it did not run.
    if (!tool) return ctx.skip('desktop-file-validate is not installed (apt-get install desktop-file-utils; test/setup/system-deps.sh does it)');
    const r = spawnSync(tool, [desktop], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('matches what electron-builder writes into the packages', () => {
    const entries = Object.fromEntries(
      readFileSync(desktop, 'utf8')
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    for (const [k, v] of Object.entries(config.linux.desktop.entry)) expect(entries[k], k).toBe(v);
    expect(entries.Categories.split(';')).toContain(config.linux.category);
  });
});

describe('udev rules', () => {
  const rulesPath = join(pkgDir, 'udev', '70-fwbench.rules');
  const text = readFileSync(rulesPath, 'utf8');
  const rules = text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
  // KEY, KEY{attr}; == != for matches, = += -= := for assignments; values in double quotes.
  const PAIR = /^([A-Z_]+(?:\{[A-Za-z0-9_]+\})?)(==|!=|\+=|-=|:=|=)"([^"]*)"$/;
  const MATCH_KEYS = /^(ACTION|DEVPATH|KERNEL|KERNELS|NAME|SYMLINK|SUBSYSTEM|SUBSYSTEMS|DRIVER|DRIVERS|ATTR\{\w+\}|ATTRS\{\w+\}|ENV\{\w+\}|TAG|TAGS|TEST|PROGRAM|RESULT)$/;
  const ASSIGN_KEYS = /^(NAME|SYMLINK|OWNER|GROUP|MODE|TAG|ENV\{\w+\}|RUN|LABEL|GOTO|IMPORT\{\w+\}|OPTIONS|ATTR\{\w+\})$/;

  it('every line is KEY==value / KEY=value pairs separated by commas', () => {
    expect(rules.length).toBeGreaterThan(5);
    for (const line of rules) {
      const pairs = line.split(/,\s*/);
      let matches = 0;
      let assigns = 0;
      for (const p of pairs) {
        const m = PAIR.exec(p.trim());
        expect(m, `${p} in: ${line}`).not.toBeNull();
        if (m![2] === '==' || m![2] === '!=') {
          expect(m![1], line).toMatch(MATCH_KEYS);
          matches++;
        } else {
          expect(m![1], line).toMatch(ASSIGN_KEYS);
          assigns++;
        }
        if (m![1] === 'MODE') expect(m![3]).toMatch(/^0[0-7]{3}$/);
      }
      expect(matches, line).toBeGreaterThan(0);
      expect(assigns, line).toBeGreaterThan(0);
    }
  });

  it('covers fwctl, the common adapters, CDC-ACM and DFU, and keeps ModemManager off them', () => {
    expect(text).toMatch(/SUBSYSTEM=="fwctl".*GROUP="fwbench"/);
    for (const vid of ['0403', '10c4', '1a86']) expect(text).toMatch(new RegExp(`ATTRS\\{idVendor\\}=="${vid}".*GROUP="fwbench".*ENV\\{ID_MM_DEVICE_IGNORE\\}="1"`));
    expect(text).toMatch(/KERNEL=="ttyACM\[0-9\]\*".*ID_MM_DEVICE_IGNORE/);
    expect(text).toMatch(/ID_USB_INTERFACES\}=="\*:fe01\?\?:\*".*GROUP="fwbench"/);
    expect(text).toMatch(/ATTR\{idVendor\}=="0483", ATTR\{idProduct\}=="df11".*GROUP="fwbench"/);
  });

  it('passes udevadm verify where this systemd has it', (ctx) => {
    const udevadm = which('udevadm');
    const help = udevadm ? spawnSync(udevadm, ['--help'], { encoding: 'utf8' }).stdout : '';
    if (!udevadm || !/\bverify\b/.test(help)) return ctx.skip('no `udevadm verify` here (systemd 254 or later has it); the syntax test above still ran');
    const r = spawnSync(udevadm, ['verify', rulesPath], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
});
