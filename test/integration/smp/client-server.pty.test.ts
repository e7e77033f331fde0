// The SMP client against the demo server across a real tty (socat pty pair +
// serialport), the way it talks to a board's UART.
import { openPtyPair, type PtyPair } from '../../support/pty-pair';
import { SerialPortStream } from '../../../electron/host/transports/serial-port';
import { SmpBoardState } from '../../../electron/host/demo/smp-server';
import { SmpTransferInterrupted } from '../../../electron/host/protocols/smp';
import { connect, image, sha256, tlvHash, type Rig } from './harness';

const settle = (ms = 100) => new Promise((r) => setTimeout(r, ms));

describe('SMP client ↔ demo server over a pty', () => {
  let pty: PtyPair;
  const open: SerialPortStream[] = [];
  const rigs: Rig[] = [];

  async function rigOn(state: SmpBoardState): Promise<Rig> {
    const host = await SerialPortStream.open(pty.a, { baudRate: 115200 });
    const board = await SerialPortStream.open(pty.b, { baudRate: 115200 });
    open.push(host, board);
    const rig = connect(host, board, state);
    rigs.push(rig);
    return rig;
  }

  beforeEach(async () => {
    pty = await openPtyPair();
  });
  afterEach(async () => {
    for (const r of rigs.splice(0)) r.detach();
    for (const s of open.splice(0)) await s.close();
    await pty.close();
  });

  it('echo, params, 200 KiB pipelined upload, test, reset swaps, confirm', async () => {
    const state = new SmpBoardState({ initialImage: image([1, 0, 0], 40_000), bufSize: 1024, bufCount: 4 });
    const rig = await rigOn(state);
    expect(await rig.client.echo('over a tty')).toBe('over a tty');
    expect(await rig.client.mcumgrParams()).toMatchObject({ bufSize: 1024, bufCount: 4 });
    const img = image([2, 0, 0], 200 * 1024 - 72, 9);
    const r = await rig.client.imageUpload(img);
    expect(r).toMatchObject({ bytes: img.length, sha256: sha256(img), window: 3, match: true });
    expect(rig.maxOutstanding()).toBeGreaterThan(1);
    expect(rig.diagnostics).toEqual([]);
    await rig.client.imageTest(tlvHash(img));
    await rig.client.reset();
    await settle();
    expect((await rig.client.imageList())[0]).toMatchObject({ version: '2.0.0', confirmed: false, hash: tlvHash(img) });
    await rig.client.imageConfirm();
    await rig.client.reset();
    await settle();
    expect((await rig.client.imageList())[0]).toMatchObject({ version: '2.0.0', confirmed: true });
  });

  it('reverts an unconfirmed image on the second reset', async () => {
    const state = new SmpBoardState({ initialImage: image([1, 0, 0], 10_000) });
    const rig = await rigOn(state);
    const img = image([1, 1, 0], 50_000, 2);
    await rig.client.imageUpload(img);
    await rig.client.imageTest(tlvHash(img));
    await rig.client.reset();
    await settle();
    await rig.client.reset();
    await settle();
    expect((await rig.client.imageList())[0]).toMatchObject({ version: '1.0.0', confirmed: true });
  });

  it('resumes after the serial port is closed mid-upload', async () => {
    const state = new SmpBoardState({ initialImage: image([1, 0, 0], 10_000), bufSize: 512, bufCount: 3 });
    const rig = await rigOn(state);
    const img = image([6, 0, 0], 80_000, 6);
    let cut = false;
    const err = await rig.client
      .imageUpload(img, { onProgress: (d) => { if (!cut && d > 30_000) { cut = true; void rig.host.close(); } } })
      .catch((e) => e);
    expect(err).toBeInstanceOf(SmpTransferInterrupted);
    rig.client.close();
    const host2 = await SerialPortStream.open(pty.a, { baudRate: 115200 });
    open.push(host2);
    const rig2 = connect(host2, rig.board, state);
    rigs.push(rig2);
    const r = await rig2.client.imageUpload(img, { resumeFrom: (err as SmpTransferInterrupted).confirmed });
    expect(r.resumedFrom).toBeGreaterThan(30_000);
    expect(r.match).toBe(true);
    expect((await rig2.client.imageList())[1]).toMatchObject({ version: '6.0.0', hash: tlvHash(img) });
  });
});
