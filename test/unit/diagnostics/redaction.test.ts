import { Redactor, parseRedactionList, normalizeMac } from '../../../electron/host/diagnostics/redaction';

const ALL = { serials: true, macs: true, hostnames: true };

function redactAll(texts: string[], opts = ALL, seeds = {}): { out: string[]; r: Redactor } {
  const r = new Redactor(opts, seeds);
  for (const t of texts) r.learn(t);
  return { out: texts.map((t) => r.redact(t)), r };
}

describe('serial numbers', () => {
  it('finds serials in USB descriptors and replaces them in every file with the same token', () => {
    const lsusb = 'Bus 001 Device 004: ID 0403:6001 Future Technology Devices\n  iSerial                 3 A6008isP\n';
    const dmesg = 'usb 1-1.2: SerialNumber: FT4XQ2B1\n';
    const udev = 'E: ID_SERIAL_SHORT=0001A2B3C4\n';
    const inventory = JSON.stringify({ details: { usbSerial: 'A6008isP' } });
    const { out, r } = redactAll([lsusb, dmesg, udev, inventory]);
    expect(out[0]).toContain('iSerial                 3 serial-1');
    expect(out[0]).not.toContain('A6008isP');
    expect(out[1]).toBe('usb 1-1.2: SerialNumber: serial-2\n');
    expect(out[2]).toBe('E: ID_SERIAL_SHORT=serial-3\n');
    // The same serial learnt from lsusb is the same token in devices.json.
    expect(JSON.parse(out[3]).details.usbSerial).toBe('serial-1');
    expect(r.summary().distinct.serial).toBe(3);
    expect(r.summary().replacements.serial).toBe(4);
  });

  it('finds serials in a U-Boot environment and a board shell', () => {
    const env = 'baudrate=115200\nserial#=0123456789abcdef\nbootargs=console=ttyS0 androidboot.serialno=R58M123ABC\nethaddr=02:00:00:aa:bb:cc\n';
    const shell = 'board: fwbench-demo\nserial: DEMO-0001\nfirmware 1.2.0 serial DEMO-0001\nserial_number = DEMO-0001\n';
    const { out } = redactAll([env, shell]);
    expect(out[0]).toContain('serial#=serial-1');
    expect(out[0]).toContain('androidboot.serialno=serial-2');
    expect(out[0]).toContain('baudrate=115200');
    expect(out[1]).toBe('board: fwbench-demo\nserial: serial-3\nfirmware 1.2.0 serial serial-3\nserial_number = serial-3\n');
  });

  it('does not take ordinary words or paths for serials, nor touch hashes', () => {
    const text = 'kind: serial\nid: serial:/dev/ttyUSB0\nserial ports are listed\nserial: none\n"hash":"5f0e0a0b5f0e0a0b5f0e0a0b5f0e0a0b5f0e0a0b5f0e0a0b5f0e0a0b5f0e0a0b"';
    const { out, r } = redactAll([text]);
    expect(out[0]).toBe(text);
    expect(r.summary().distinct.serial).toBe(0);
  });

  it('uses seeds from the inventory even where no context names them', () => {
    const { out } = redactAll(['the board XK42-0007 answered'], ALL, { serials: ['XK42-0007'] });
    expect(out[0]).toBe('the board serial-1 answered');
  });
});

describe('MAC addresses', () => {
  it('gives one token to one MAC whatever its format', () => {
    const texts = ['ethaddr=00:1A:2b:3c:4D:5e', 'link/ether 00-1a-2b-3c-4d-5e brd ff:ff:ff:ff:ff:ff', 'cisco 001a.2b3c.4d5e', 'hwaddr=001A2B3C4D5E and again 001a2b3c4d5e'];
    const { out, r } = redactAll(texts);
    expect(out[0]).toBe('ethaddr=mac-1');
    expect(out[1]).toBe('link/ether mac-1 brd mac-2');
    expect(out[2]).toBe('cisco mac-1');
    expect(out[3]).toBe('hwaddr=mac-1 and again mac-1');
    expect(r.summary().distinct.mac).toBe(2);
    expect(normalizeMac('00-1A-2B-3C-4D-5E')).toBe('001a2b3c4d5e');
  });

  it('leaves times, IPv6 addresses, mixed separators and hashes alone', () => {
    const text = 'at 12:34:56 from fe80::1:2:3:4 id 00:11-22:33:44:55 sha 0011223344556677889900112233445566778899001122334455667788990011';
    const { out } = redactAll([text]);
    expect(out[0]).toBe(text);
  });
});

describe('host names', () => {
  it('replaces the host name, its short form and names learnt from the logs, case-insensitively', () => {
    const texts = ['Welcome to lab-bench-07.example.net', 'hostname=LAB-BENCH-07\n', '{"hostname":"demo-board"}', 'demo-board login:'];
    const { out } = redactAll(texts, ALL, { hostnames: ['lab-bench-07.example.net'] });
    expect(out[0]).toBe('Welcome to host-1');
    expect(out[1]).toBe('hostname=host-1\n');
    expect(out[2]).toBe('{"hostname":"host-2"}');
    expect(out[3]).toBe('host-2 login:');
  });

  it('never redacts localhost or a name inside a longer word', () => {
    const { out } = redactAll(['localhost bench7 bench7x xbench7'], ALL, { hostnames: ['bench7', 'localhost'] });
    expect(out[0]).toBe('localhost host-1 bench7x xbench7');
  });
});

describe('options', () => {
  it('redacts only the kinds asked for', () => {
    const text = 'serial: ABC12345 ethaddr=00:11:22:33:44:55 hostname=benchpc';
    const { out } = redactAll([text], { serials: false, macs: true, hostnames: false });
    expect(out[0]).toBe('serial: ABC12345 ethaddr=mac-1 hostname=benchpc');
    const none = new Redactor({});
    expect(none.active).toBe(false);
    expect(none.redact(text)).toBe(text);
  });

  it('parses --redact lists and names unknown kinds', () => {
    expect(parseRedactionList('serials,macs')).toEqual({ serials: true, macs: true });
    expect(parseRedactionList('all')).toEqual({ serials: true, macs: true, hostnames: true });
    expect(() => parseRedactionList('serials,ips')).toThrow(/"ips" is not something fwbench can redact/);
  });
});
