// Parsers against output captured from real U-Boot 2023.01 (qemu_arm64, see
// fixtures/), plus malformed input.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  findBanner,
  parseBdinfo,
  parseCmpResult,
  parseCrc32Line,
  parseLoadSummary,
  parsePrintenv,
  parsePrintenvOne,
  parseReadyLine,
  parseVersion,
} from '../../../electron/host/protocols/uboot';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', `${name}.txt`), 'utf8').replace(/\n$/, '');

describe('version', () => {
  it('parses the version command', () => {
    const v = parseVersion(fixture('version'));
    expect(v).toEqual({
      version: '2023.01+dfsg-2+deb12u3',
      release: '2023.01',
      buildDate: 'Jun 22 2026 - 08:38:07 +0000',
      toolchain: ['aarch64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0', 'GNU ld (GNU Binutils for Debian) 2.40'],
    });
  });
  it('finds a banner inside a boot log, and none in other text', () => {
    expect(findBanner('\n\nU-Boot SPL 2021.10 (Jan 01 2022)\nU-Boot 2021.10 (Jan 01 2022 - 00:00:00)\n')?.release).toBe('2021.10');
    expect(findBanner('Linux version 6.1.0')).toBeUndefined();
    expect(findBanner('U-Boot is great')).toBeUndefined();
  });
  it('rejects output without a version', () => {
    expect(() => parseVersion('Unknown command')).toThrow(expect.objectContaining({ code: 'protocol-error' }));
    expect(() => parseVersion('')).toThrow(/did not report a U-Boot version/);
  });
});

describe('bdinfo', () => {
  it('parses key = value lines, DRAM banks and the lmb block', () => {
    const bd = parseBdinfo(fixture('bdinfo'));
    expect(bd.fields.get('boot_params')).toBe('0x0000000000000000');
    expect(bd.fields.get('baudrate')).toBe('115200 bps');
    expect(bd.fields.get('IP addr')).toBe('<NULL>');
    expect(bd.fields.get('DRAM bank.start')).toBe('0x0000000040000000');
    expect(bd.fields.get('DRAM bank.size')).toBe('0x0000000020000000');
    expect(bd.dramBanks).toEqual([{ start: '0x0000000040000000', size: '0x0000000020000000' }]);
    expect(bd.fields.get('lmb_dump_all.memory.cnt')).toBe('0x1');
    expect(bd.fields.get('lmb_dump_all.reserved[1]')).toMatch(/^\[0x5edb2930-0x5fffffff\]/);
    expect(bd.fields.get('Early malloc usage')).toBe('3a8 / 2000');
    expect(bd.other).toEqual([]);
    expect([...bd.fields.keys()][0]).toBe('boot_params');
  });
  it('numbers repeated keys (several DRAM banks)', () => {
    const bd = parseBdinfo('DRAM bank   = 0x0\n-> start    = 0x80000000\n-> size     = 0x40000000\nDRAM bank   = 0x1\n-> start    = 0x100000000\n-> size     = 0x40000000\n');
    expect(bd.dramBanks).toEqual([
      { start: '0x80000000', size: '0x40000000' },
      { start: '0x100000000', size: '0x40000000' },
    ]);
    expect(bd.fields.get('DRAM bank[1].start')).toBe('0x100000000');
  });
  it('rejects output with no board information', () => {
    expect(() => parseBdinfo('')).toThrow(expect.objectContaining({ code: 'protocol-error' }));
    expect(() => parseBdinfo('\n\n')).toThrow(/nothing that looks like board information/);
  });
});

describe('printenv', () => {
  it('parses the full listing in order, with exported escapes undone', () => {
    const env = parsePrintenv(fixture('printenv'));
    expect(env.total).toBe(262140);
    expect(env.used).toBeGreaterThan(4000);
    expect(env.vars.get('loadaddr')).toBe('0x40200000');
    expect(env.vars.get('bootcmd')).toBe('run distro_bootcmd');
    expect(env.vars.get('boot_targets')).toBe('qfw usb0 scsi0 virtio0 nvme0 dhcp ');
    // Made on the board with `env import -t`: a newline inside a value, and backslashes.
    expect(env.vars.get('fwb_multi')).toBe('line one\nline two');
    expect(env.vars.get('fwb_bs')).toBe('C:\\dir\\');
    expect(env.vars.get('fwb_args')).toBe("console=ttyAMA0; echo ${x} it's");
    const names = [...env.vars.keys()];
    expect(names[0]).toBe('arch');
    expect(names).toEqual([...names].sort());
  });
  it('keeps a value that is only a backslash apart from a continuation', () => {
    const env = parsePrintenv('a=x\\\\\nb=y\\\nz\nc=\n\nEnvironment size: 20/8188 bytes');
    expect([...env.vars]).toEqual([
      ['a', 'x\\'],
      ['b', 'y\nz'],
      ['c', ''],
    ]);
  });
  it('rejects a listing without its size line (cut off)', () => {
    const text = fixture('printenv');
    const cut = text.slice(0, text.indexOf('\nEnvironment size'));
    expect(() => parsePrintenv(cut)).toThrow(expect.objectContaining({ code: 'protocol-error', message: expect.stringMatching(/incomplete/) }));
    expect(() => parsePrintenv('')).toThrow(/incomplete/);
  });
  it('rejects garbage lines, a value cut off mid-continuation, duplicates and a nonsense size', () => {
    expect(() => parsePrintenv('no equals here\n\nEnvironment size: 1/2 bytes')).toThrow(/not name=value/);
    expect(() => parsePrintenv('a=b\\\n\nEnvironment size: 1/2 bytes')).toThrow(/cut off/);
    expect(() => parsePrintenv('a=1\na=2\n\nEnvironment size: 1/2 bytes')).toThrow(/twice/);
    expect(() => parsePrintenv('a=1\n\nEnvironment size: 9/2 bytes')).toThrow(/makes no sense/);
  });
  it('parses printenv NAME (raw value) and a missing variable', () => {
    expect(parsePrintenvOne('fwb_multi', fixture('printenv-one'))).toBe('line one\nline two');
    expect(parsePrintenvOne('nosuch', fixture('printenv-missing'))).toBeUndefined();
    expect(() => parsePrintenvOne('a', 'b=1')).toThrow(expect.objectContaining({ code: 'protocol-error' }));
  });
});

describe('transfer and check lines', () => {
  it('parses the loady ready line', () => {
    expect(parseReadyLine('## Ready for binary (ymodem) download to 0x40200000 at 115200 bps...\r\n')).toEqual({ loadAddr: 0x40200000, baudRate: 115200 });
    expect(parseReadyLine('## Binary (ymodem) download aborted')).toBeUndefined();
  });
  it('parses the load summary', () => {
    const text = 'CxyzModem - CRC mode, 1(SOH)/1024(STX)/0(CAN) packets, 3 retries\n## Total Size      = 0x00100000 = 1048576 Bytes\n## Start Addr      = 0x40200000';
    expect(parseLoadSummary(text)).toEqual({ size: 1048576, startAddr: 0x40200000 });
  });
  it('rejects a summary that is missing or contradicts itself', () => {
    expect(() => parseLoadSummary('## Binary (ymodem) download aborted')).toThrow(/did not report the size/);
    expect(() => parseLoadSummary('## Total Size      = 0x00100000 = 1048575 Bytes\n## Start Addr      = 0x40200000')).toThrow(/two different sizes/);
    expect(() => parseLoadSummary('## Total Size      = 0x00000010 = 16 Bytes')).toThrow(/where it stored/);
  });
  it('parses crc32 results (lower and upper case)', () => {
    expect(parseCrc32Line(fixture('crc32'))).toEqual({ start: 0x40200000, end: 0x402fffff, crc: 0xa738ea1c });
    expect(parseCrc32Line('CRC32 for 80000000 ... 8000000f ==> FFFFFFFF').crc).toBe(0xffffffff);
  });
  it('rejects a crc32 line without a result', () => {
    expect(() => parseCrc32Line('crc32 for 40200000 ... 402fffff ==> ')).toThrow(expect.objectContaining({ code: 'protocol-error' }));
    expect(() => parseCrc32Line('Usage:\ncrc32 - checksum calculation')).toThrow(/did not print a CRC-32/);
  });
  it('parses compare results', () => {
    expect(parseCmpResult('Total of 1048576 byte(s) were the same')).toEqual({ same: 1048576 });
    expect(parseCmpResult(fixture('cmp-differ'))).toEqual({ same: 0, firstDifference: 'byte at 0x40100000 (0x66) != byte at 0x40300000 (0x0)' });
    expect(() => parseCmpResult('cmp - memory compare')).toThrow(/compare result/);
  });
});
