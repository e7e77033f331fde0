import { checkLine, completeLine, describeLine, needsReopen, rememberLineSettings, lineSettingsFor, DEFAULT_LINE } from '../../../electron/host/serial';
import { explainOpenError } from '../../../electron/host/transports/serial-port';
import { REQUEST_PARAMS } from '../../../electron/contract/channels';
import { serialSettings, serialBreak, serialSequence } from '../../../electron/contract/catalog/serial';

describe('line settings', () => {
  it('describes settings the way lab notes write them', () => {
    expect(describeLine(DEFAULT_LINE)).toBe('115200 8N1');
    expect(describeLine(completeLine({ baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 2, flowControl: 'rtscts' }))).toBe('9600 7E2 rtscts');
    expect(describeLine(completeLine({ parity: 'odd', stopBits: 1.5, dataBits: 5 }))).toBe('115200 5O1.5');
  });

  it('knows only the baud rate changes in place', () => {
    expect(needsReopen(DEFAULT_LINE, completeLine({ baudRate: 9600 }))).toBe(false);
    expect(needsReopen(DEFAULT_LINE, completeLine({ parity: 'even' }))).toBe(true);
    expect(needsReopen(DEFAULT_LINE, completeLine({ flowControl: 'xonxoff' }))).toBe(true);
    expect(needsReopen(DEFAULT_LINE, completeLine({ stopBits: 2 }))).toBe(true);
  });

  it('remembers settings per path, merging partial changes, for reconnects', () => {
    const path = `/dev/ttyTEST${process.pid}`;
    expect(lineSettingsFor(path)).toEqual(DEFAULT_LINE);
    rememberLineSettings(path, { baudRate: 921600 });
    rememberLineSettings(path, { parity: 'even' });
    expect(describeLine(lineSettingsFor(path))).toBe('921600 8E1');
  });

  it.each([
    [{ baudRate: 0 }, /baudRate/],
    [{ baudRate: 115200.5 }, /baudRate/],
    [{ dataBits: 9 }, /dataBits/],
    [{ parity: 'sometimes' }, /parity/],
    [{ stopBits: 3 }, /stopBits/],
    [{ flowControl: 'dsrdtr' }, /flowControl/],
    [{ baud: 9600 }, /baud/],
  ])('refuses %j with a clear error', (line, detail) => {
    expect(() => checkLine(line)).toThrow('Those serial line settings are not valid.');
    try {
      checkLine(line);
    } catch (e) {
      expect((e as { code: string }).code).toBe('invalid-params');
      expect((e as { detail: string }).detail).toMatch(detail);
    }
  });

  it('devices.add-serial takes optional line settings and refuses bad ones', () => {
    const p = REQUEST_PARAMS['devices.add-serial'];
    expect(p.safeParse({ path: '/dev/ttyUSB0', line: { baudRate: 9600, parity: 'even' } }).success).toBe(true);
    expect(p.safeParse({ path: '/dev/ttyUSB0' }).success).toBe(true);
    expect(p.safeParse({ path: '/dev/ttyUSB0', line: { parity: 'even' } }).success).toBe(false); // baud is required there
    expect(p.safeParse({ path: '/dev/ttyUSB0', line: { baudRate: 9600, dataBits: 4 } }).success).toBe(false);
    expect(p.safeParse({ path: '/dev/ttyUSB0', line: { baudRate: 9600, extra: 1 } }).success).toBe(false);
  });

  it('declares the serial commands with the scopes the design gives them', () => {
    expect([serialSettings.scope, serialSettings.effects]).toEqual(['configuration', ['reads-device']]);
    expect([serialSequence.scope, serialSequence.effects]).toEqual(['configuration', ['resets-device']]);
    expect([serialBreak.scope, serialBreak.effects]).toEqual(['debug-write', ['raw-console-input']]);
    expect(serialSequence.params.safeParse({ name: 'reboot-please' }).success).toBe(false);
    expect(serialBreak.params.safeParse({ ms: 0 }).success).toBe(false);
    expect(serialSettings.params.safeParse({ line: { baudRate: -1 } }).success).toBe(false);
  });
});

describe('explainOpenError', () => {
  it.each([
    ['Error: No such file or directory, cannot open /dev/ttyUSB9', 'unknown-device', /does not exist.*dmesg/],
    ['Error: Permission denied, cannot open /dev/ttyUSB0', 'permission-denied', /usermod -aG dialout/],
    ['EACCES: permission denied', 'permission-denied', /udev rules/],
    ['Error Resource temporarily unavailable Cannot lock port', 'device-busy', /fuser -v \/dev\/ttyX.*ModemManager/],
    ['Error: Resource busy', 'device-busy', /in use by another program/],
    ['Error: Inappropriate ioctl for device, cannot open', 'not-supported', /not a serial port/],
    ['Error: Input/output error', 'io-error', /Could not open/],
  ])('maps "%s" to %s with the Linux fix', (msg, code, text) => {
    const e = explainOpenError('/dev/ttyX', new Error(msg));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(text);
    expect(e.detail).toBe(msg);
  });
});
