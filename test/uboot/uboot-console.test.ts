// Against real U-Boot 2023.01 on each QEMU board (one VM per board, boards
// one after another): detect, read info and env, change env with awkward
// quoting, save, cold restart, find it kept — or, on a board with its env
// nowhere, find saveenv refused plainly and the change gone after the restart.
import { UBootVm, ubootBoards, type UBootBoard } from '../support/uboot-vm';
import { UBootAdapter } from '../../electron/host/protocols/uboot';
import { HostError } from '../../electron/host/errors/host-error';

// Spaces, semicolons, ${} and $x must reach the env literally, not be run or expanded by hush.
const TRICKY = "console=ttyAMA0 root=/dev/vda2; echo pwned ${loadaddr} $bootcmd it's \\n 'q'";

describe.each(ubootBoards())('U-Boot on a QEMU console: $id', (board: UBootBoard) => {
  const want = board.expect;
  const addr = (n: number) => `0x${n.toString(16).padStart(want.addrDigits, '0')}`;
  let vm: UBootVm;
  let uboot: UBootAdapter;

  async function boot(fresh: boolean): Promise<UBootAdapter> {
    uboot?.console.dispose();
    const stream = fresh ? await vm.start() : await vm.restart();
    const adapter = UBootAdapter.over(stream);
    await vm.resume();
    return adapter;
  }

  beforeAll(async () => {
    vm = new UBootVm({ board });
    uboot = await boot(true);
  });
  afterAll(async () => {
    uboot?.console.dispose();
    await vm?.dispose();
  });

  it('detects U-Boot while it boots, stopping the autoboot countdown', async () => {
    const d = await uboot.detect({ timeoutMs: 30_000 });
    expect(d.detected).toBe(true);
    expect(d.atPrompt).toBe(true);
    expect(d.version?.release).toMatch(/^20\d\d\.\d\d$/);
    expect(d.version?.version.startsWith('2023.01')).toBe(true);
    const log = uboot.console.transcript.all().map((l) => l.text).join('\n');
    expect(log).toMatch(/U-Boot 2023\.01/);
    expect(log).toMatch(/Hit any key to stop autoboot/);
    expect(log).toContain(`Loading Environment from ${want.envLocation}...`);
    // No autoboot ran: its first message would be this.
    expect(log).not.toMatch(/starting USB/);
  });

  it('detects a board already sitting at its prompt', async () => {
    const d = await uboot.detect({ timeoutMs: 5_000 });
    expect(d).toMatchObject({ detected: true, atPrompt: true, stoppedAutoboot: false });
  });

  it('reads version and bdinfo', async () => {
    const v = await uboot.version();
    expect(v.toolchain.some((l) => want.toolchain.test(l))).toBe(true);
    const bd = await uboot.boardInfo();
    expect(bd.fields.get('baudrate')).toBe('115200 bps');
    expect(bd.fields.get('Build')).toBe(want.build);
    expect(bd.fields.get('flashsize')).toBe(addr(want.flashSize));
    expect(bd.dramBanks).toEqual([{ start: addr(want.dramStart), size: addr(want.dramSize) }]);
  });

  it('reads the environment into an ordered map', async () => {
    const env = await uboot.readEnv();
    expect(Number(env.vars.get('loadaddr'))).toBe(want.loadAddr);
    expect(env.vars.get('board_name')).toBe(want.boardName);
    expect(env.vars.get('bootcmd')).toMatch(/\S/);
    expect(env.vars.size).toBeGreaterThan(15);
    const names = [...env.vars.keys()];
    expect(names).toEqual([...names].sort());
    expect(env.total).toBe(want.envTotal);
    expect(env.used).toBeGreaterThan(1000);
  });

  it('runs commands with their exit status and names a missing command', async () => {
    expect(await uboot.runCommand('test 1 -eq 1')).toEqual({ output: '', status: 0 });
    expect((await uboot.runCommand('test 1 -eq 2')).status).toBe(1);
    const crcOut = await uboot.runCommand(`crc32 ${want.loadAddr.toString(16)} 10`);
    expect(crcOut.output).toMatch(/==> [0-9a-f]{8}$/);
    await expect(uboot.runCommand('nosuchcmd 1')).rejects.toMatchObject({ code: 'not-supported' });
  });

  it('stores values with backslashes and quotes byte for byte (hush unescapes inside single quotes)', async () => {
    for (const v of ['x \\n y', 'end\\', "it's", "a\\'b", '\\\\', "'", '\\$x ${y}', '"dq" `bt` #hash | & > <']) {
      await uboot.setEnv('fwb_q', v); // reads back and throws verification-failed on any difference
      expect(await uboot.getEnv('fwb_q')).toBe(v);
    }
    await uboot.deleteEnv('fwb_q');
    expect(await uboot.getEnv('fwb_q')).toBeUndefined();
  });

  // Each board runs the one of these two that fits its env storage (no skips: the other is not a gap, it is the board).
  const keepsEnv = async () => {
    expect(await uboot.envStorage()).toEqual({ saveable: true, location: 'Flash' });
    await uboot.setEnv('fwb_args', TRICKY);
    await uboot.setEnv('fwb_gone', 'x');
    expect(await uboot.getEnv('fwb_args')).toBe(TRICKY);
    // Nothing in the value was executed: the board did not echo "pwned".
    expect(uboot.console.transcript.all().some((l) => l.dir === 'rx' && /^pwned/.test(l.text))).toBe(false);
    const saved = await uboot.saveEnv();
    expect(saved.output).toMatch(/Writing to Flash\.\.\. done/);

    uboot = await boot(false);
    const r = await uboot.console.interruptAutoboot({ timeoutMs: 30_000 });
    expect(r.interrupted).toBe(true);
    expect(r.bootLog).toMatch(/Loading Environment from Flash\.\.\. OK/);
    const env = await uboot.readEnv();
    expect(env.vars.get('fwb_args')).toBe(TRICKY);
    expect(env.vars.get('fwb_gone')).toBe('x');
  };

  const refusesSave = async () => {
    const storage = await uboot.envStorage();
    expect(storage).toMatchObject({ saveable: false, location: 'nowhere' });
    expect(storage.reason).toMatch(/keeps its U-Boot environment nowhere \(it booted with "Loading Environment from nowhere"\): changes last only until the next reset and cannot be saved/);
    await uboot.setEnv('fwb_args', TRICKY);
    expect(await uboot.getEnv('fwb_args')).toBe(TRICKY);
    expect(uboot.console.transcript.all().some((l) => l.dir === 'rx' && /^pwned/.test(l.text))).toBe(false);
    await expect(uboot.saveEnv()).rejects.toMatchObject({ code: 'not-supported', message: storage.reason });
    // The board really has no saveenv: asking it directly says so.
    await expect(uboot.runCommand('saveenv')).rejects.toMatchObject({ code: 'not-supported' });
    await expect(uboot.applyEnvDiff({ fwb_more: '1' }, { save: true })).rejects.toMatchObject({ code: 'not-supported', detail: 'nothing was changed' });
    expect(await uboot.getEnv('fwb_more')).toBeUndefined();

    uboot = await boot(false);
    const r = await uboot.console.interruptAutoboot({ timeoutMs: 30_000 });
    expect(r.interrupted).toBe(true);
    expect(r.bootLog).toMatch(/Loading Environment from nowhere\.\.\. OK/);
    expect((await uboot.readEnv()).vars.has('fwb_args')).toBe(false);
  };
  if (want.envLocation === 'Flash') it('sets, saves and keeps a value with spaces, semicolons and ${} across a cold restart', keepsEnv);
  else it('refuses saveenv plainly (env nowhere), and a cold restart shows nothing was kept', refusesSave);

  it('applies an env diff after taking a backup, and refuses bad changes before sending any', async () => {
    await uboot.setEnv('fwb_gone', 'x');
    const backups: string[] = [];
    const res = await uboot.applyEnvDiff(
      [
        { name: 'fwb_gone', value: null },
        { name: 'bootdelay', value: '3' },
        { name: 'fwb_new', value: 'a;b c' },
      ],
      { onBackup: (b) => void backups.push(b.text) },
    );
    expect(backups).toHaveLength(1);
    expect(res.backup.vars.get('fwb_gone')).toBe('x');
    expect(res.backup.text).toMatch(/^fwb_gone=x$/m);
    expect(Date.parse(res.backup.takenAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(res.applied).toEqual(['fwb_gone', 'bootdelay', 'fwb_new']);
    const env = await uboot.readEnv();
    expect(env.vars.has('fwb_gone')).toBe(false);
    expect(env.vars.get('bootdelay')).toBe('3');
    expect(env.vars.get('fwb_new')).toBe('a;b c');

    const bad = uboot.applyEnvDiff({ bootdelay: '5', 'bad name': 'x' });
    await expect(bad).rejects.toBeInstanceOf(HostError);
    await expect(bad).rejects.toMatchObject({ code: 'invalid-params' });
    expect(await uboot.getEnv('bootdelay')).toBe('3');
    await expect(uboot.setEnv('fwb_nl', 'a\nb')).rejects.toMatchObject({ code: 'invalid-params' });
  });
});
