import { parseSRecord } from '../../../electron/host/firmware/formats/srecord';
import { expectHostError } from './expect-error';
import { ascii, makeSRecord, prng, randomBytes, srecRecord } from './samples';

const parse = (s: string) => parseSRecord(ascii(s));

describe('Motorola S-record parser', () => {
  const rand = prng(11);
  const data = randomBytes(rand, 200);

  it.each([1, 2, 3] as const)('reads S%i data, the S0 header, the S5 count and the start address', (type) => {
    const address = type === 1 ? 0x1000 : type === 2 ? 0x123400 : 0x08004000;
    const file = makeSRecord([{ address, data }], { type, recordSize: 28, header: 'fw v1', entry: address + 1 });
    const meta = parseSRecord(file);
    expect(meta.segments).toEqual([{ address, data }]);
    expect(meta.entry).toBe(address + 1);
    expect(meta.details.header).toBe('fw v1');
    expect(meta.details.recordTypes).toEqual([`S${type}`]);
    expect(meta.details.countRecordChecked).toBe(true);
  });

  describe('malformed input names the line', () => {
    const good = [srecRecord(0, 0, ascii('hdr')), srecRecord(1, 0x100, [1, 2, 3]), srecRecord(5, 1, []), srecRecord(9, 0x100, [])];
    const withLine = (i: number, text: string) => good.map((l, j) => (j === i ? text : l)).join('\n');
    it('bad checksum', () => {
      expectHostError(() => parse(withLine(1, good[1].slice(0, -2) + '00')), 'invalid-params', /^line 2: checksum is 0x00, expected 0x/);
    });
    it('byte count disagrees', () => {
      expectHostError(() => parse(withLine(1, 'S1070100010203F1')), 'invalid-params', /^line 2: byte count says 7 bytes follow but 6 do/);
    });
    it('reserved S4', () => {
      expectHostError(() => parse(withLine(1, 'S4030000FC')), 'invalid-params', /^line 2: record type S4 is not one of/);
    });
    it('not an S-record', () => {
      expectHostError(() => parse(withLine(2, ':00000001FF')), 'invalid-params', /^line 3: expected a record starting with 'S'/);
    });
    it('count record that disagrees', () => {
      expectHostError(() => parse(withLine(2, srecRecord(5, 7, []))), 'invalid-params', /^line 3: S5 says 7 data records precede it but there are 1/);
    });
    it('missing termination and count record (truncated)', () => {
      expectHostError(() => parse(good.slice(0, 2).join('\n')), 'invalid-params', /^line 2: the file ends without an S7\/S8\/S9 termination record or an S5\/S6 count record/);
    });
    it('a final matching count record proves completeness, as srec_cat writes it', () => {
      expect(parse(good.slice(0, 3).join('\n')).entry).toBeUndefined();
      expectHostError(() => parse([good[0], good[1], srecRecord(5, 2, [])].join('\n')), 'invalid-params', /^line 3: S5 says 2 data records/);
    });
    it('data after the termination record', () => {
      expectHostError(() => parse([...good, good[1]].join('\n')), 'invalid-params', /^line 5: data after the termination record on line 4/);
    });
    it('record too short for its address', () => {
      expectHostError(() => parse(withLine(1, 'S3030000FC')), 'invalid-params', /^line 2: S3 record needs at least 5 bytes/);
    });
    it('S0 not first', () => {
      expectHostError(() => parse([good[1], good[0], good[3]].join('\n')), 'invalid-params', /^line 2: S0 header must be the first record/);
    });
    it('overlap names both lines', () => {
      expectHostError(() => parse([good[0], good[1], srecRecord(1, 0x101, [7]), good[3]].join('\n')), 'invalid-params', /line 3 at 0x101 overlaps line 2/);
    });
    it('non-hex digit', () => {
      expectHostError(() => parse(withLine(1, 'S1060100010Z03F2')), 'invalid-params', /^line 2: character "Z" at column 12/);
    });
  });
});
