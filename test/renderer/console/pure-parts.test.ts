import { LineHistory } from '../../../renderer/components/console/line-history';
import { HexBuffer, hexDumpLines, textToBytes } from '../../../renderer/components/console/hex-format';
import { TimestampPrefixer, formatClock } from '../../../renderer/components/console/timestamps';
import { logFileName, logText, mergeHistory } from '../../../renderer/components/console/scrollback';

describe('LineHistory', () => {
  it('walks back with Up, forward with Down, and returns the draft at the end', () => {
    const h = new LineHistory();
    for (const l of ['printenv', 'version', 'version', '  ', 'bdinfo']) h.push(l);
    expect(h.size).toBe(3); // repeated and blank lines are not kept
    expect(h.up('md 0x4')).toBe('bdinfo');
    expect(h.up('ignored')).toBe('version');
    expect(h.up('')).toBe('printenv');
    expect(h.up('')).toBeUndefined(); // oldest
    expect(h.down()).toBe('version');
    expect(h.down()).toBe('bdinfo');
    expect(h.down()).toBe('md 0x4'); // the line being typed before Up
    expect(h.down()).toBeUndefined();
  });

  it('keeps at most `max` lines and restarts browsing after a send', () => {
    const h = new LineHistory(2);
    ['a', 'b', 'c'].forEach((l) => h.push(l));
    expect([h.up(''), h.up(''), h.up('')]).toEqual(['c', 'b', undefined]);
    h.push('d');
    expect(h.up('')).toBe('d');
  });
});

describe('hex view', () => {
  it('formats like hexdump -C', () => {
    expect(hexDumpLines(textToBytes('U-Boot 2023.01\r\n=> '))).toEqual([
      '00000000  55 2d 42 6f 6f 74 20 32  30 32 33 2e 30 31 0d 0a  |U-Boot 2023.01..|',
      '00000010  3d 3e 20                                          |=> |',
    ]);
    expect(hexDumpLines(textToBytes('\x00\xff\x7f'), 0x40)).toEqual(['00000040  00 ff 7f                                          |...|']);
  });

  it('keeps the last bytes in whole rows with their stream offsets', () => {
    const b = new HexBuffer(32);
    b.append('A'.repeat(20));
    b.append('B'.repeat(20)); // 40 bytes: the first row of 16 is dropped
    expect([b.total, b.held]).toEqual([40, 24]);
    expect(b.lines()[0].startsWith('00000010  41 41 41 41')).toBe(true);
    b.clear();
    b.append('C');
    expect(b.lines()).toEqual(['00000028  43                                                |C|']);
    expect(() => new HexBuffer(30)).toThrow(/multiple of 16/);
  });
});

describe('timestamps', () => {
  const fmt = (t: number) => `T${t}`;
  const stamp = (t: number) => `\x1b[2m[T${t}]\x1b[0m `;

  it('prefixes each line once, even when a line spans events', () => {
    const p = new TimestampPrefixer(fmt);
    expect(p.feed('Hit any key', 1)).toBe(`${stamp(1)}Hit any key`);
    expect(p.feed(' to stop\r\n=> ', 2)).toBe(` to stop\r\n${stamp(2)}=> `);
    expect(p.feed('\r\n', 3)).toBe('\r\n');
    expect(p.feed('a\nb\n', 4)).toBe(`${stamp(4)}a\n${stamp(4)}b\n`);
    expect(p.feed('', 5)).toBe('');
  });

  it('does not treat a lone CR (countdown redraw) as a new line; reset starts one', () => {
    const p = new TimestampPrefixer(fmt);
    expect(p.feed('3\r2\r', 1)).toBe(`${stamp(1)}3\r2\r`);
    p.reset();
    expect(p.feed('x', 2)).toBe(`${stamp(2)}x`);
  });

  it('formats the host time to the millisecond', () => {
    const t = new Date(2026, 10, 25, 9, 5, 7, 42).getTime();
    expect(formatClock(t)).toBe('09:05:07.042');
  });
});

describe('scrollback', () => {
  it('merges events that raced the history snapshot without duplicating them', () => {
    expect(mergeHistory('boot\r\n=> ', '')).toBe('boot\r\n=> ');
    expect(mergeHistory('boot\r\n=> ver', 'ver')).toBe('boot\r\n=> ver'); // already in the snapshot
    expect(mergeHistory('boot\r\n=> ', 'version')).toBe('boot\r\n=> version'); // came after it
    expect(mergeHistory('boot\r\n=> ve', 'version')).toBe('boot\r\n=> version'); // half in it
  });

  it('saves a plain-text log without escape sequences, with LF line ends', () => {
    const text = 'U-Boot\r\n\x1b[2m[fwbench 2026-11-25T10:00:00Z] link lost\x1b[0m\r\n\x1b]0;title\x07=> 3\r2\r\n';
    expect(logText(text)).toBe('U-Boot\n[fwbench 2026-11-25T10:00:00Z] link lost\n=> 3\n2\n');
  });

  it('names the log file after the device and the local time', () => {
    expect(logFileName('FT232R USB UART (ttyUSB0)', new Date(2026, 0, 2, 3, 4, 5))).toBe('console-FT232R_USB_UART_ttyUSB0-20260102-030405.txt');
    expect(logFileName('///', new Date(2026, 0, 2, 3, 4, 5))).toBe('console-device-20260102-030405.txt');
  });
});
