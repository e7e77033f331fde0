// `fwbench uboot` and `fwbench console` against real U-Boot in QEMU: every
// action through the CLI's session (same router, scope policy and audit).
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { UBootVm } from '../support/uboot-vm';
import { main } from '../../electron/cli/main';
import { exitCodeFor } from '../../electron/cli/exit-codes';
import { runConsole, type ConsoleIo } from '../../electron/cli/commands/console';
import { parseArgs } from '../../electron/cli/args';
import { crc32 } from '../../electron/host/protocols/uboot';
import { useCliHome } from '../integration/serial/cli-env';

let vm: UBootVm;
let env: ReturnType<typeof useCliHome>;
const work = mkdtempSync(join(tmpdir(), 'fwbench-uboot-cli-'));

/** Runs `fwbench ARGS` in-process, capturing stdout/stderr; returns the exit code the binary would give. */
async function fwbench(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void (out += a.join(' ') + '\n'));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void (err += a.join(' ') + '\n'));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  try {
    const code = await main(argv).catch((e) => {
      err += `fwbench: ${e.message}\n`;
      return exitCodeFor(e);
    });
    return { code, out, err };
  } finally {
    log.mockRestore();
    error.mockRestore();
    stderr.mockRestore();
  }
}
const uboot = (...a: string[]) => fwbench('uboot', '--port', vm.consolePath, ...a);

beforeAll(async () => {
  env = useCliHome();
  vm = new UBootVm();
  await (await vm.start()).close();
});
afterAll(async () => {
  await vm?.dispose();
});

describe('fwbench uboot', () => {
  it('info: identity and bdinfo (the first run meets U-Boot as it boots)', async () => {
    const running = uboot('info');
    await new Promise((r) => setTimeout(r, 300));
    await vm.resume();
    const r = await running;
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^firmware: U-Boot 20\d\d\.\d\d/m);
    expect(r.out).toMatch(/^board: qemu-arm$/m);
    expect(r.out).toMatch(/boot_params|DRAM|relocaddr/);
  });

  it('refuses usage errors before touching the board', async () => {
    expect((await uboot('frobnicate')).code).toBe(2);
    expect((await uboot('env', 'set', 'only-a-name')).code).toBe(2);
    expect((await fwbench('uboot', 'info')).code).toBe(2);
    expect((await uboot('load', join(work, 'missing.bin'), '--scope', 'configuration', '--yes')).code).toBe(2);
  });

  it('env get: all, one (--json), and a missing one', async () => {
    const all = await uboot('env', 'get');
    expect(all.code).toBe(0);
    expect(all.out).toMatch(/^board_name=qemu-arm$/m);
    const one = await uboot('env', 'get', 'board_name', '--json');
    expect(JSON.parse(one.out)).toEqual({ board_name: 'qemu-arm' });
    const none = await uboot('env', 'get', 'fwbench_nothing_here');
    expect([none.code, none.err]).toEqual([1, expect.stringMatching(/"fwbench_nothing_here" is not set/)]);
  });

  it('env set: denied without a grant (exit 3), then set, saved and read back', async () => {
    const denied = await uboot('env', 'set', 'fwbench_cli', 'hello lab; bench 2');
    expect(denied.code).toBe(3);
    expect(denied.err).toMatch(/--scope configuration/);
    const set = await uboot('--scope', 'configuration', '--yes', 'env', 'set', 'fwbench_cli', 'hello lab; bench 2', '--save');
    expect(set.code).toBe(0);
    expect(set.out).toMatch(/fwbench_cli set and saved; backup of the previous environment: \S+env-/);
    expect((await uboot('env', 'get', 'fwbench_cli')).out.trim()).toBe('fwbench_cli=hello lab; bench 2');
    const save = await uboot('--scope', 'configuration', '--yes', 'env', 'save');
    expect([save.code, save.out]).toEqual([0, expect.stringMatching(/environment saved; backup taken first/)]);
  });

  it('run: needs debug-write; prints the output; exit 1 when the command fails', async () => {
    expect((await uboot('run', 'echo', 'hi')).code).toBe(3);
    const r = await uboot('--scope', 'debug-write', '--yes', 'run', 'echo', 'cli-$board_name');
    expect([r.code, r.out.trim()]).toEqual([0, 'cli-qemu-arm']);
    const f = await uboot('--scope', 'debug-write', '--yes', 'run', 'false');
    expect([f.code, f.err]).toEqual([1, expect.stringMatching(/ended with status 1/)]);
  });

  it('load: YMODEM to RAM with the board checking the CRC', async () => {
    const image = randomBytes(48 * 1024);
    const file = join(work, 'ram.bin');
    writeFileSync(file, image);
    const r = await uboot('--scope', 'configuration', '--yes', '--json', 'load', file);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result).toMatchObject({ size: image.length, crc: crc32(new Uint8Array(image)) });
    expect(r.err).toMatch(/Transfer and verify CRC: 100%/);
  });

  it('flash: one verified job, progress on stderr', async () => {
    const image = randomBytes(64 * 1024);
    const file = join(work, 'app.bin');
    writeFileSync(file, image);
    const r = await uboot('--scope', 'configuration', '--yes', 'flash', file);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/Transfer: \d+%/);
    expect(r.err).toMatch(/Write flash: /);
    expect(r.out).toMatch(/^resetVerified: true$/m);
    expect(r.out).toMatch(new RegExp(`^crc: 0x${crc32(new Uint8Array(image)).toString(16)}$`, 'm'));
    const audit = readFileSync(env.audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(audit.some((a) => a.commandId === 'firmware.upload' && a.kind === 'command-result' && a.outcome === 'ok')).toBe(true);
  });
});

describe('fwbench console on U-Boot', () => {
  it('types a command at debug-write and shows the answer; Ctrl-] quits', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    stdout.on('data', (b) => (out += b.toString('latin1')));
    const running = runConsole(parseArgs(['--port', vm.consolePath, '--scope', 'debug-write', '--yes'], ['port', 'scope']), { stdin, stdout, stderr } as ConsoleIo);
    await new Promise((r) => setTimeout(r, 500));
    stdin.write('version\r');
    const deadline = Date.now() + 10_000;
    while (!/U-Boot 20\d\d\.\d\d/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(out).toMatch(/U-Boot 20\d\d\.\d\d/);
    stdin.write(Buffer.from([0x1d]));
    expect(await running).toBe(0);
  });
});
