// SerialPortStream on a real pty: what a pty can and cannot do, the open
// errors an operator meets, and line-setting changes that keep the stream's listeners.
import { unlinkSync } from 'node:fs';
import { SerialPortStream } from '../../../electron/host/transports/serial-port';
import { openPtyPair, type PtyPair } from '../../support/pty-pair';
import { until } from './until';

let pair: PtyPair;
const open: SerialPortStream[] = [];
async function openPort(path: string, baudRate = 115200) {
  const s = await SerialPortStream.open(path, { baudRate });
  open.push(s);
  return s;
}

beforeEach(async () => {
  pair = await openPtyPair();
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close().catch(() => {});
  await pair.close();
});

describe('SerialPortStream on a pty', () => {
  it('refuses modem lines and break with not-supported, and the port keeps working', async () => {
    const a = await openPort(pair.a);
    const b = await openPort(pair.b);
    await expect(a.setSignals({ dtr: false })).rejects.toMatchObject({ code: 'not-supported', message: expect.stringMatching(/does not support modem control lines/) });
    await expect(a.setSignals({ brk: true })).rejects.toMatchObject({ code: 'not-supported', detail: expect.stringMatching(/Inappropriate ioctl/) });
    expect(a.modemLines).toEqual({ dtr: true, rts: true });
    let got = '';
    b.onData((c) => (got += Buffer.from(c).toString('latin1')));
    await a.write(Buffer.from('still here'));
    await until(() => got === 'still here', 3000, 'data after the failed ioctl');
  });

  it('a second open of the same port is refused as busy, with the fix', async () => {
    await openPort(pair.a);
    await expect(SerialPortStream.open(pair.a)).rejects.toMatchObject({ code: 'device-busy', message: expect.stringMatching(/in use by another program.*fuser -v/) });
  });

  it('a missing port is refused as unknown, with the fix', async () => {
    await expect(SerialPortStream.open('/dev/ttyFWBENCH-missing')).rejects.toMatchObject({
      code: 'unknown-device',
      message: expect.stringMatching(/does not exist\. Is the board plugged in\?/),
    });
  });

  it('a file that is not a terminal is refused as not a serial port', async () => {
    await expect(SerialPortStream.open('/dev/null')).rejects.toMatchObject({ code: 'not-supported', message: '/dev/null is not a serial port or terminal.' });
  });

  it('changes the baud rate in place and reopens for framing changes, keeping its listeners', async () => {
    const a = await openPort(pair.a);
    const b = await openPort(pair.b);
    let atA = '';
    let closed = 0;
    a.onData((c) => (atA += Buffer.from(c).toString('latin1')));
    a.onClose(() => closed++);
    expect(await a.reconfigure({ baudRate: 9600 })).toEqual({ reopened: false });
    expect(a.line.baudRate).toBe(9600);
    expect(await a.reconfigure({ baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 2 })).toEqual({ reopened: true });
    expect(a.line).toEqual({ baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 2, flowControl: 'none' });
    await b.write(Buffer.from('after reopen'));
    await until(() => atA === 'after reopen', 3000, 'data through the reopened port');
    expect(closed).toBe(0);
    expect(a.isOpen).toBe(true);
    // The reopened port still holds the lock.
    await expect(SerialPortStream.open(pair.a)).rejects.toMatchObject({ code: 'device-busy' });
  });

  it('reports an unplug once, as a close with a reason', async () => {
    const a = await openPort(pair.a);
    const reasons: (Error | undefined)[] = [];
    a.onClose((r) => reasons.push(r));
    await pair.close();
    await until(() => reasons.length > 0, 3000, 'the close event');
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toBeInstanceOf(Error);
    expect(a.isOpen).toBe(false);
    await expect(a.write(Buffer.from('x'))).rejects.toMatchObject({ code: 'device-gone' });
  });

  it('notices a device node that disappeared even when no read fails (ends as unplugged)', async () => {
    const a = await openPort(pair.a);
    const reasons: (Error | undefined)[] = [];
    a.onClose((r) => reasons.push(r));
    unlinkSync(pair.a); // the pty itself lives on: only the presence check can see this
    await until(() => reasons.length > 0, 3000, 'the close event');
    expect(reasons[0]?.message).toMatch(/device node disappeared/);
    expect(a.isOpen).toBe(false);
    await expect(SerialPortStream.open(pair.a)).rejects.toMatchObject({ code: 'unknown-device' });
  });
});
