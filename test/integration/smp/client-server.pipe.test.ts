// The SMP client against the independent demo-board server over an in-process pipe.
import { createPipePair } from '../../../electron/host/transports/pipe-pair';
import { SmpClient, SmpDeviceError, SmpTransferInterrupted } from '../../../electron/host/protocols/smp';
import { HostError } from '../../../electron/host/errors/host-error';
import { connect, image, pipeRig, sha256, tlvHash } from './harness';

const settle = (ms = 50) => new Promise((r) => setTimeout(r, ms));

describe('SMP client ↔ demo server (pipe)', () => {
  it('echo, params, OS info and bootloader info', async () => {
    const rig = pipeRig({ bufSize: 1024, bufCount: 6 });
    expect(await rig.client.echo('Hello world!')).toBe('Hello world!');
    expect(await rig.client.mcumgrParams()).toEqual({ bufSize: 1024, bufCount: 6, reported: true });
    expect(await rig.client.osInfo()).toBe('Zephyr');
    expect(await rig.client.osInfo('sn')).toBe('Zephyr fwbench-demo');
    expect(await rig.client.bootloaderInfo()).toEqual({ bootloader: 'MCUboot' });
    expect(await rig.client.bootloaderInfo('mode')).toMatchObject({ mode: 1 });
    expect(rig.diagnostics).toEqual([]);
  });

  it('uploads a 200 KiB image pipelined, tests it, swaps on reset and confirms', async () => {
    const rig = pipeRig({ bufSize: 2048, bufCount: 4 });
    const img = image([2, 1, 0], 200 * 1024 - 72, 7);
    const progress: number[] = [];
    const r = await rig.client.imageUpload(img, { onProgress: (done) => progress.push(done) });
    expect(r).toMatchObject({ bytes: img.length, sha256: sha256(img), resumedFrom: 0, window: 3, match: true });
    expect(rig.maxOutstanding()).toBe(3);
    expect(r.chunkSize).toBeGreaterThan(1900); // the 2048-byte buffer is filled, not a fixed small chunk
    expect(progress.at(-1)).toBe(img.length);
    expect(progress.every((p, i) => i === 0 || p >= progress[i - 1])).toBe(true);
    expect(rig.diagnostics).toEqual([]);

    let slots = await rig.client.imageList();
    expect(slots).toMatchObject([
      { slot: 0, version: '1.0.0', active: true, confirmed: true },
      { slot: 1, version: '2.1.0', hash: tlvHash(img), pending: false },
    ]);
    slots = await rig.client.imageTest(tlvHash(img));
    expect(slots[1]).toMatchObject({ pending: true, permanent: false });

    await rig.client.reset();
    await settle();
    slots = await rig.client.imageList();
    expect(slots[0]).toMatchObject({ version: '2.1.0', active: true, confirmed: false });
    expect(slots[1]).toMatchObject({ version: '1.0.0' });

    slots = await rig.client.imageConfirm();
    expect(slots[0]).toMatchObject({ version: '2.1.0', confirmed: true });
    await rig.client.reset();
    await settle();
    expect((await rig.client.imageList())[0]).toMatchObject({ version: '2.1.0', confirmed: true });
  });

  it('reverts to the old image when the tested one is not confirmed', async () => {
    const rig = pipeRig();
    const img = image([3, 0, 0], 30_000, 3);
    await rig.client.imageUpload(img);
    await rig.client.imageTest(tlvHash(img));
    await rig.client.reset();
    await settle();
    expect((await rig.client.imageList())[0]).toMatchObject({ version: '3.0.0', confirmed: false });
    await rig.client.reset();
    await settle();
    const slots = await rig.client.imageList();
    expect(slots[0]).toMatchObject({ version: '1.0.0', confirmed: true, active: true });
    expect(slots[1]).toMatchObject({ version: '3.0.0', pending: false });
  });

  it('resumes an upload after the link is cut mid-transfer', async () => {
    const rig = pipeRig({ bufSize: 512, bufCount: 3 });
    const img = image([4, 0, 0], 60_000, 4);
    let cut = false;
    const err = await rig.client
      .imageUpload(img, {
        onProgress: (done) => {
          if (!cut && done > img.length / 2) {
            cut = true;
            void rig.host.close();
          }
        },
      })
      .catch((e) => e);
    expect(err).toBeInstanceOf(SmpTransferInterrupted);
    expect(err.code).toBe('device-gone');
    const confirmed = (err as SmpTransferInterrupted).confirmed;
    expect(confirmed).toBeGreaterThan(img.length / 2);
    expect(confirmed).toBeLessThan(img.length);
    rig.detach();
    await settle();
    const deviceHas = rig.state.upload!.off;
    expect(deviceHas).toBeGreaterThanOrEqual(confirmed);

    // New link, same board: continue from the offset the error reported.
    const [h2, b2] = createPipePair();
    const rig2 = connect(h2, b2, rig.state);
    const r = await rig2.client.imageUpload(img, { resumeFrom: confirmed });
    // Resumed where the error said, or where the device said it really was.
    expect(r.resumedFrom).toBeGreaterThanOrEqual(confirmed);
    expect(r.resumedFrom).toBeLessThanOrEqual(deviceHas);
    expect(r.match).toBe(true);
    expect(r.chunks).toBeLessThan(Math.ceil(img.length / 400));
    expect((await rig2.client.imageList())[1]).toMatchObject({ version: '4.0.0', hash: tlvHash(img) });
  });

  it('resumes by SHA-256 session when no offset is given', async () => {
    const rig = pipeRig({ bufSize: 512, bufCount: 2 });
    const img = image([5, 0, 0], 20_000, 5);
    const ac = new AbortController();
    const err = await rig.client.imageUpload(img, { signal: ac.signal, onProgress: (d) => d > 8000 && ac.abort() }).catch((e) => e);
    expect(err).toBeInstanceOf(SmpTransferInterrupted);
    expect(err.code).toBe('cancelled');
    await settle();
    const deviceHas = rig.state.upload!.off;
    const r = await rig.client.imageUpload(img);
    expect(r.resumedFrom).toBe(deviceHas);
    expect(r.match).toBe(true);
  });

  it('decodes device errors to names (v2 group errors and v1 rc)', async () => {
    const rig = pipeRig();
    const e1 = await rig.client.statsRead('nope').catch((e) => e);
    expect(e1).toBeInstanceOf(SmpDeviceError);
    expect(e1.smp).toMatchObject({ kind: 'group', name: 'STAT_MGMT_ERR_INVALID_GROUP' });
    expect(e1.message).toMatch(/no statistics group with that name \(STAT_MGMT_ERR_INVALID_GROUP\)/);
    const e2 = await rig.client.imageTest('00'.repeat(32)).catch((e) => e);
    expect(e2.smp.name).toBe('IMG_MGMT_ERR_HASH_NOT_FOUND');
    const e3 = await rig.client.imageTest(tlvHash(rig.state.running.data)).catch((e) => e);
    expect(e3.smp.name).toBe('IMG_MGMT_ERR_IMAGE_SETTING_TEST_TO_ACTIVE_DENIED');
    const e4 = await rig.client.imageUpload(new Uint8Array(5000)).catch((e) => e);
    expect(e4.smp.name).toBe('IMG_MGMT_ERR_INVALID_IMAGE_HEADER_MAGIC');
    const e5 = await rig.client.request('read', 42, 0).catch((e) => e);
    expect(e5).toMatchObject({ code: 'not-supported' });
    expect(e5.smp.name).toBe('MGMT_ERR_ENOTSUP');

    const [h, b] = createPipePair();
    const v1 = connect(h, b, rig.state, { client: { version: 1 } });
    const e6 = await v1.client.settingsRead('no/such').catch((e) => e);
    expect(e6.smp).toMatchObject({ kind: 'smp', name: 'MGMT_ERR_ENOENT', reason: 'no setting "no/such"' });
  });

  it('falls back to SMP v1 with a device that refuses v2', async () => {
    const rig = pipeRig({}, { server: { v1Only: true } });
    expect(rig.client.version).toBe(2);
    expect(await rig.client.echo('old device')).toBe('old device');
    expect(rig.client.version).toBe(1);
  });

  it('stats, settings, shell and file system', async () => {
    const rig = pipeRig({ bufSize: 384, shell: (argv) => ({ output: `ran ${argv.join(' ')}\n`, ret: argv.length }) });
    rig.state.bumpStat('smp', 'rx', 3);
    rig.state.bumpStat('app', 'ticks', 41);
    rig.state.bumpStat('app', 'ticks');
    expect(await rig.client.statsList()).toEqual(['smp', 'app']);
    expect(await rig.client.statsRead('app')).toEqual({ ticks: 42 });

    await rig.client.settingsWrite('app/name', 'demo');
    expect(Buffer.from(await rig.client.settingsRead('app/name')).toString()).toBe('demo');
    await rig.client.settingsSave();
    await rig.client.settingsDelete('app/name');
    await expect(rig.client.settingsRead('app/name')).rejects.toMatchObject({ smp: { name: 'SETTINGS_MGMT_ERR_KEY_NOT_FOUND' } });
    await rig.client.settingsLoad();
    expect(Buffer.from(await rig.client.settingsRead('app/name')).toString()).toBe('demo');
    let committed = 0;
    rig.state.onCommit = () => committed++;
    await rig.client.settingsCommit();
    expect(committed).toBe(1);

    expect(await rig.client.shellExec('kernel version')).toEqual({ output: 'ran kernel version\n', ret: 2 });
    await expect(rig.client.shellExec([])).rejects.toMatchObject({ smp: { name: 'SHELL_MGMT_ERR_EMPTY_COMMAND' } });

    const file = Uint8Array.from({ length: 5000 }, (_, i) => (i * 13) & 0xff);
    await rig.client.fsUpload('/lfs/data.bin', file);
    expect(await rig.client.fsStatus('/lfs/data.bin')).toBe(5000);
    const back = await rig.client.fsDownload('/lfs/data.bin');
    expect(Buffer.from(back).equals(Buffer.from(file))).toBe(true);
    expect(await rig.client.fsHash('/lfs/data.bin', 'sha256')).toEqual({ type: 'sha256', off: 0, len: 5000, output: sha256(file) });
    const crc = await rig.client.fsHash('/lfs/data.bin', 'crc32');
    expect(crc.output).toBe(zlibCrc32(file));
    await expect(rig.client.fsStatus('/lfs/missing')).rejects.toMatchObject({ smp: { name: 'FS_MGMT_ERR_FILE_NOT_FOUND' } });
    expect(rig.diagnostics).toEqual([]);
  });

  it('shares the line with console text in both directions', async () => {
    const rig = pipeRig();
    await rig.board.write(Buffer.from('*** Booting Zephyr OS ***\r\nuart:~$ '));
    const p = rig.client.echo('between');
    await rig.board.write(Buffer.from('[00:00:02.000] <inf> app: tick\n'));
    expect(await p).toBe('between');
    await rig.host.write(Buffer.from('help\n'));
    await settle();
    expect(rig.hostConsole.join('')).toBe('*** Booting Zephyr OS ***\r\nuart:~$ [00:00:02.000] <inf> app: tick\n');
    expect(rig.boardConsole.join('')).toBe('help\n');
  });

  it('times out a request nobody answers and fails cleanly on link close', async () => {
    const [host, board] = createPipePair();
    void board;
    const client = new SmpClient(host, { timeoutMs: 100 });
    await expect(client.echo('anyone?')).rejects.toMatchObject({ code: 'timeout' });
    const pending = client.echo('still there?', { timeoutMs: 5000 });
    await host.close();
    await expect(pending).rejects.toMatchObject({ code: 'device-gone' });
    await expect(client.echo('after')).rejects.toBeInstanceOf(HostError);
  });

  it('queues beyond maxInFlight and matches answers by sequence number', async () => {
    const rig = pipeRig({}, { client: { maxInFlight: 2 } });
    const words = Array.from({ length: 20 }, (_, i) => `w${i}`);
    expect(await Promise.all(words.map((w) => rig.client.echo(w)))).toEqual(words);
    expect(rig.maxOutstanding()).toBe(2);
  });
});

function zlibCrc32(d: Uint8Array): number {
  let c = ~0;
  for (const b of d) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
