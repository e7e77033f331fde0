import { parseIntelHex, writeIntelHex } from '../../../electron/host/firmware/formats/intel-hex';
import { flatten } from '../../../electron/host/firmware/formats/memory-image';
import { expectHostError } from './expect-error';
import { ascii, ihexRecord, makeIntelHex, prng, randomBytes } from './samples';

const parse = (s: string) => parseIntelHex(ascii(s));

describe('Intel HEX parser', () => {
  const rand = prng(7);
  const low = randomBytes(rand, 300);
  const high = randomBytes(rand, 70);

  it('rebuilds segments across extended linear addresses and reads the start address', () => {
    const file = makeIntelHex([{ address: 0x0800fff0, data: low }, { address: 0x08100000, data: high }], { recordSize: 32, entry: 0x08000101 });
    const meta = parseIntelHex(file);
    expect(meta.format).toBe('ihex');
    expect(meta.entry).toBe(0x08000101);
    expect(meta.segments.map((s) => s.address)).toEqual([0x0800fff0, 0x08100000]);
    expect(meta.segments[0].data).toEqual(low);
    expect(meta.segments[1].data).toEqual(high);
    expect(meta.size).toBe(370);
  });

  it('handles extended segment addresses (type 02), CRLF and the start segment record (type 03)', () => {
    const file = ascii([ihexRecord(2, 0, [0x10, 0x00]), ihexRecord(0, 0x0010, [1, 2, 3]), ihexRecord(3, 0, [0x12, 0x34, 0x00, 0x05]), ':00000001FF', ''].join('\r\n'));
    const meta = parseIntelHex(file);
    expect(meta.segments).toEqual([{ address: 0x10010, data: Uint8Array.from([1, 2, 3]) }]);
    expect(meta.entry).toBe(0x1234 * 16 + 5);
    expect(meta.details.startSegment).toEqual({ cs: 0x1234, ip: 5 });
  });

  it('takes the start address from an EOF record with an address (Intel 16-bit style)', () => {
    const meta = parse([ihexRecord(0, 0x1000, [1]), ':00100101EE'].join('\n'));
    expect(meta.entry).toBe(0x1001);
    expect(meta.details.entryFromEofRecord).toBe(true);
  });

  it('round-trips through writeIntelHex (nrf-intel-hex writer)', () => {
    const segs = [{ address: 0x20000, data: low }, { address: 0x0, data: high }];
    const text = writeIntelHex(segs, { recordSize: 20, entry: 0x1234 });
    const meta = parse(text);
    expect(meta.entry).toBe(0x1234);
    expect(flatten(meta.segments).data).toEqual(flatten(segs.slice().sort((a, b) => a.address - b.address)).data);
  });

  describe('malformed input names the line', () => {
    const good = [ihexRecord(4, 0, [0, 0]), ihexRecord(0, 0x100, [1, 2, 3, 4]), ':00000001FF'];
    const withLine = (i: number, text: string) => good.map((l, j) => (j === i ? text : l)).join('\n');
    it('bad checksum', () => {
      const bad = good[1].slice(0, -2) + '00';
      expectHostError(() => parse(withLine(1, bad)), 'invalid-params', /^line 2: checksum is 0x00, expected 0x/);
    });
    it('length field disagrees with the data', () => {
      expectHostError(() => parse(withLine(1, ':0501000001020304F0')), 'invalid-params', /^line 2: record declares 5 data bytes but carries 4/);
    });
    it('non-hex character with its column', () => {
      expectHostError(() => parse(withLine(1, ':04010000010G0304F3')), 'invalid-params', /^line 2: character "G" at column 13/);
    });
    it('missing colon', () => {
      expectHostError(() => parse(withLine(0, '020000040000FA')), 'invalid-params', /^line 1: expected a record starting with ':'/);
    });
    it('unknown record type', () => {
      expectHostError(() => parse(withLine(0, ihexRecord(6, 0, [0, 0]))), 'invalid-params', /^line 1: record type 0x06 is not one of 00-05/);
    });
    it('wrong length for an address record', () => {
      expectHostError(() => parse(withLine(0, ihexRecord(4, 0, [0]))), 'invalid-params', /^line 1: extended linear address record must carry 2 data bytes, not 1/);
    });
    it('address record with a nonzero offset', () => {
      expectHostError(() => parse(withLine(0, ihexRecord(4, 4, [0, 1]))), 'invalid-params', /^line 1: .*must have address 0000/);
    });
    it('data wrapping past the 64 KiB window', () => {
      expectHostError(() => parse(withLine(1, ihexRecord(0, 0xfffe, [1, 2, 3, 4]))), 'invalid-params', /^line 2: data at offset 0xfffe \+ 4 bytes runs past/);
    });
    it('no EOF record (truncated file)', () => {
      expectHostError(() => parse(good.slice(0, 2).join('\n') + '\n'), 'invalid-params', /^line 2: no end-of-file record/);
    });
    it('records after EOF', () => {
      expectHostError(() => parse([...good, good[1]].join('\n')), 'invalid-params', /^line 4: data after the end-of-file record on line 3/);
    });
    it('overlapping data names both lines', () => {
      const text = [good[0], good[1], ihexRecord(0, 0x102, [9]), good[2]].join('\n');
      expectHostError(() => parse(text), 'invalid-params', /line 3 at 0x102 overlaps line 2 0x100\.\.0x103/);
    });
    it('too short a record', () => {
      expectHostError(() => parse(':0000\n:00000001FF'), 'invalid-params', /^line 1: record is 2 bytes, expected at least 5/);
    });
    it('empty file', () => {
      expectHostError(() => parse('\n\n'), 'invalid-params', /no Intel HEX records found/);
    });
  });
});
