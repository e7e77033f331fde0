// The demo board's SMP side and the host's safe activation, over an in-process
// pipe: one slot model for SMP and the shell, settings and stats over SMP, and
// every image the update must refuse, each with a plain error.
import { DemoRig } from '../../faults/smp/demo-rig';
import { buildMcubootImage } from '../../support/mcuboot-image';
import { withBoardTlv } from '../../../electron/host/firmware/board-tlv';
import { checkImageFile } from '../../../electron/host/firmware/update-flow';
import { smpConfirmScope } from '../../../electron/contract/catalog/firmware';
import { BOOT_PANIC_MARKER } from '../../../electron/host/demo/board/firmware-slots';
import type { ImageSlotState } from '../../../electron/host/protocols/smp';

let rig: DemoRig;
beforeEach(async () => {
  rig = await DemoRig.start({ bootMs: 10 });
});
afterEach(async () => rig.stop());

const list = async () => (await rig.run<{ images: ImageSlotState[] }>('smp.image.list')).images;
const update = async (params: Record<string, unknown>) => (await rig.startJob('firmware.update', params)).done;

describe('demo board over SMP', () => {
  it('answers echo and params on the shell UART and reports the factory image', async () => {
    expect(await rig.run('smp.echo', { text: 'hello board' })).toEqual({ text: 'hello board' });
    expect(await rig.run('smp.params')).toMatchObject({ bufSize: 2048, bufCount: 4, reported: true });
    const [s0, s1] = await list();
    expect(s0).toMatchObject({ slot: 0, version: '1.0.0', active: true, confirmed: true });
    expect(s0.hash).toBe(rig.identity.image_sha256);
    expect(s1).toBeUndefined();
  });

  it('exposes the board settings through the SMP settings group, with the shell rules', async () => {
    expect(await rig.run('smp.settings.read', { name: 'vcore_mv' })).toMatchObject({ value: '850' });
    await rig.run('smp.settings.write', { name: 'demo/vcore_mv', value: '900' });
    const entries = (await rig.run<{ entries: { key: string; value: unknown }[] }>('config.read')).entries;
    expect(entries.find((e) => e.key === 'vcore_mv')?.value).toBe(900);
    await expect(rig.run('smp.settings.write', { name: 'vcore_mv', value: '5000' })).rejects.toThrow(/SETTINGS|refused|invalid/i);
    await expect(rig.run('smp.settings.write', { name: 'serial_number', value: 'X' })).rejects.toThrow();
    await expect(rig.run('smp.settings.read', { name: 'no_such' })).rejects.toMatchObject({ code: expect.any(String) });
    // Not saved: a reset brings back the saved value.
    await rig.run('smp.reset');
    expect(await rig.run('smp.settings.read', { name: 'vcore_mv' })).toMatchObject({ value: '850' });
  });

  it('keeps counters the board updates in stats groups', async () => {
    const { groups } = await rig.run<{ groups: string[] }>('smp.stats.list');
    expect(groups).toEqual(expect.arrayContaining(['system', 'uart']));
    const before = (await rig.run<{ fields: Record<string, number> }>('smp.stats.read', { group: 'system' })).fields;
    await rig.run('device.reset');
    const after = (await rig.run<{ fields: Record<string, number> }>('smp.stats.read', { group: 'system' })).fields;
    expect(after.resets).toBe((before.resets ?? 0) + 1);
    expect(after.boots).toBe(before.boots + 1);
    await expect(rig.run('smp.stats.read', { group: 'nope' })).rejects.toThrow();
  });

  it('shell reboot and SMP reset run the same swap and revert', async () => {
    const img = buildMcubootImage({ version: [1, 1, 0, 0], bodySize: 3000 });
    const staged = await update({ name: 'a.bin', data: img, activate: false });
    expect(staged.state).toBe('done');
    expect((await list())[1]).toMatchObject({ pending: true, version: '1.1.0' });
    await rig.run('device.reset'); // shell reboot: swaps in the test image
    expect(rig.identity.firmware).toBe('1.1.0+0');
    expect((await list())[0]).toMatchObject({ active: true, confirmed: false });
    await rig.run('smp.reset'); // SMP reset: not confirmed, so it reverts
    expect(rig.identity.firmware).toBe('1.0.0+0');
    expect((await list())[0]).toMatchObject({ version: '1.0.0', confirmed: true });
  });
});

describe('safe activation (firmware.update)', () => {
  it('updates, checks the new image runs, confirms, and tells the session', async () => {
    const img = buildMcubootImage({ version: [2, 1, 0, 7], bodySize: 20_000 });
    const end = await update({ name: 'app.bin', data: img });
    expect(end.state).toBe('done');
    expect(end.steps.map((s) => `${s.name}:${s.state}`)).toEqual(['Check image:done', 'Transfer:done', 'Verify:done', 'Mark for test:done', 'Reset and re-acquire:done', 'Check new image runs:done', 'Confirm:done']);
    expect(rig.identity.firmware).toBe('2.1.0+7');
    expect((await list())[0]).toMatchObject({ version: '2.1.0.7', confirmed: true, active: true });
  });

  it('fails with "the board reverted to X" when the new image faults at boot, and the board runs the old one', async () => {
    const body = new Uint8Array(4096);
    body.set(Buffer.from(BOOT_PANIC_MARKER), 100);
    const end = await update({ name: 'bad.bin', data: buildMcubootImage({ version: [2, 0, 0, 0], body }) });
    expect(end.state).toBe('failed');
    expect(end.error?.message).toMatch(/the board reverted to 1\.0\.0\+0/i);
    expect(end.steps.some((s) => s.name === 'Confirm' && s.state === 'done')).toBe(false);
    expect(rig.identity.firmware).toBe('1.0.0+0');
    expect((await list())[0]).toMatchObject({ confirmed: true, version: '1.0.0' });
  });

  it('refuses a downgrade unless allowDowngrade is given', async () => {
    await update({ name: 'v3.bin', data: buildMcubootImage({ version: [3, 0, 0, 0], bodySize: 2000 }) });
    const older = buildMcubootImage({ version: [2, 9, 0, 0], bodySize: 2000 });
    const refused = await update({ name: 'v2.bin', data: older });
    expect(refused.state).toBe('failed');
    expect(refused.error?.message).toMatch(/not newer than the 3\.0\.0\+0.*Allow a downgrade/);
    expect(refused.steps.find((s) => s.name === 'Transfer')).toBeUndefined();
    const allowed = await update({ name: 'v2.bin', data: older, allowDowngrade: true });
    expect(allowed.state).toBe('done');
    expect(rig.identity.firmware).toBe('2.9.0+0');
  });

  it('refuses images that are not for this board before sending a byte', async () => {
    const good = buildMcubootImage({ version: [2, 0, 0, 0], bodySize: 1000 });
    expect(() => checkImageFile('raw.bin', new Uint8Array(1000).fill(7), 'fwbench-demo')).toThrow(/not an MCUboot image/);
    const corrupt = good.slice();
    corrupt[40] ^= 0xff;
    expect(() => checkImageFile('corrupt.bin', corrupt, 'fwbench-demo')).toThrow(/hash does not match|corrupt/i);
    const other = withBoardTlv(good, 'nrf52840dk');
    expect(() => checkImageFile('other.bin', other, 'fwbench-demo')).toThrow(/built for the board "nrf52840dk"/);
    expect(checkImageFile('mine.bin', withBoardTlv(good, 'fwbench-demo'), 'fwbench-demo').version).toBe('2.0.0+0');
    const rx = rig.boardRx;
    const end = await update({ name: 'other.bin', data: other });
    expect(end).toMatchObject({ state: 'failed', error: { code: 'verification-failed' } });
    expect(rig.boardRx - rx).toBeLessThan(100); // only the slot listing went out
  });

  it('leaves the image on trial with confirm: false', async () => {
    const end = await update({ name: 'trial.bin', data: buildMcubootImage({ version: [2, 0, 0, 1], bodySize: 1000 }), confirm: false });
    expect(end.state).toBe('done');
    expect((await list())[0]).toMatchObject({ version: '2.0.0.1', confirmed: false });
    // smp.image.confirm without a hash keeps the running (tested) image.
    const r = await rig.run<{ images: ImageSlotState[] }>('smp.image.confirm', {});
    expect(r.images[0]).toMatchObject({ version: '2.0.0.1', confirmed: true });
  });
});

describe('scope rules', () => {
  it('confirm without a hash is configuration; naming a hash is debug-write', () => {
    expect(smpConfirmScope({})).toBe('configuration');
    expect(smpConfirmScope({ hash: 'a'.repeat(64) })).toBe('debug-write');
  });
});
