import { CsvParser } from '../../../electron/host/telemetry/parsers/csv-parser';
import { scanNumber } from '../../../electron/host/telemetry/parsers/number-scan';
import { byChannel, bytesOf, feedCut } from './feed-helpers';

describe('scanNumber', () => {
  it('matches Number() on the accepted grammar', () => {
    const cases = ['0', '-0', '1', '+7', '3.25', '-0.001', '.5', '5.', '1e3', '1E-3', '-2.5e+10', '12345678901234567890', '0.1234567890123456789', '1e300', '4.9e-324', '123.456e-30'];
    for (const c of cases) expect(Object.is(scanNumber(bytesOf(c), 0, c.length), Number(c)), c).toBe(true);
    for (let i = 0; i < 2000; i++) {
      const v = (Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 20 - 8);
      for (const s of [String(v), v.toFixed(4), v.toExponential(6)]) expect(scanNumber(bytesOf(s), 0, s.length)).toBe(Number(s));
    }
  });
  it('accepts nan/inf words and rejects the rest', () => {
    expect(scanNumber(bytesOf('nan'), 0, 3)).toBeNaN();
    expect(scanNumber(bytesOf('-inf'), 0, 4)).toBe(-Infinity);
    for (const bad of ['', '-', '+', '.', 'e5', '1e', '1e+', '0x10', '1.2.3', '12a', 'abc', '1 2']) expect(scanNumber(bytesOf(bad), 0, bad.length), bad).toBeUndefined();
  });
});

describe('CsvParser', () => {
  const text = 't,temp,volt\n0,21.5,3.30\n10,21.6,3.29\n20,-1e-3,3.31\n';

  it('names channels from the header and takes device time from the time column', () => {
    const { samples, errors } = feedCut(new CsvParser({ timeColumn: 't' }), bytesOf(text), []);
    expect(errors).toEqual([]);
    expect(byChannel(samples)).toEqual({ temp: [[0, 21.5], [10, 21.6], [20, -0.001]], volt: [[0, 3.3], [10, 3.29], [20, 3.31]] });
    expect(samples.every((s) => s.hostT === 1000)).toBe(true);
  });

  it('gives the same samples for a cut at every byte position', () => {
    const bytes = bytesOf(text.replace(/\n/g, '\r\n'));
    const whole = feedCut(new CsvParser({ timeColumn: 't', timeScale: 1000 }), bytes, []).samples;
    expect(whole).toHaveLength(6);
    for (let a = 0; a <= bytes.length; a++) {
      const r = feedCut(new CsvParser({ timeColumn: 't', timeScale: 1000 }), bytes, [a]);
      expect(r.errors).toEqual([]);
      expect(byChannel(r.samples)).toEqual(byChannel(whole));
      for (let b = a; b <= bytes.length; b += 7) expect(byChannel(feedCut(new CsvParser({ timeColumn: 't', timeScale: 1000 }), bytes, [a, b]).samples)).toEqual(byChannel(whole));
    }
    expect(whole[1].t).toBe(10000);
  });

  it('without a time column stamps host receive time of the chunk that completed the line', () => {
    const r = feedCut(new CsvParser(), bytesOf('a,b\n1,2\n3,'), [], () => 500);
    const r2 = new CsvParser();
    r2.feed(bytesOf('a,b\n1,2\n3,'), 500);
    const second = r2.feed(bytesOf('4\n'), 600);
    expect(byChannel(r.samples)).toEqual({ a: [[500, 1]], b: [[500, 2]] });
    expect(second.samples.columns.map((c) => [c.channel, c.t[0], c.value[0]])).toEqual([['a', 600, 3], ['b', 600, 4]]);
  });

  it('reports one error per malformed line and keeps the rest', () => {
    const bad = 'a,b,c\n1,2,3\n1,2\n4,x5,6\n7,8,9,10\n\n# comment\n11,12,13\n';
    const { samples, errors } = feedCut(new CsvParser(), bytesOf(bad), [9, 20]);
    expect(errors.map((e) => e.line)).toEqual([3, 4, 5]);
    expect(errors[0].message).toMatch(/expected 3 fields .* got 2/);
    expect(errors[1].message).toMatch(/field 2 \(b\) is not a number: "x5"/);
    expect(errors[2].message).toMatch(/got 4/);
    expect(errors[1].offset).toBe(bad.indexOf('4,x5'));
    expect(byChannel(samples)).toEqual({ a: [[1001, 1], [1002, 11]], b: [[1001, 2], [1002, 12]], c: [[1001, 3], [1002, 13]] });
  });

  it('handles whitespace columns, configured names, trailing separators, empty cells and a re-printed header', () => {
    const ws = feedCut(new CsvParser({ columns: ['ms', 'x', 'y'], timeColumn: 'ms' }), bytesOf('  0  1.5\t2\n5 -1 -2  \nms x y\n'), []);
    expect(ws.errors).toEqual([]);
    expect(byChannel(ws.samples)).toEqual({ x: [[0, 1.5], [5, -1]], y: [[0, 2], [5, -2]] });
    const trailing = feedCut(new CsvParser(), bytesOf('"a","b"\n1,2,\n3,,\na,b\n'), []);
    expect(trailing.errors).toEqual([]);
    expect(byChannel(trailing.samples)).toEqual({ a: [[1000, 1], [1000, 3]], b: [[1000, 2]] });
    const semi = feedCut(new CsvParser(), bytesOf('p;q\n1,5;2\n'), []);
    expect(semi.errors[0].message).toMatch(/p\) is not a number: "1,5"/);
  });

  it('auto-names an all-numeric first line and treats it as data', () => {
    const r = feedCut(new CsvParser(), bytesOf('1,2\n3,4\n'), []);
    expect(byChannel(r.samples)).toEqual({ col1: [[1000, 1], [1000, 3]], col2: [[1000, 2], [1000, 4]] });
  });

  it('drops an overlong line with one error and resumes at the next newline', () => {
    const p = new CsvParser({ maxLineBytes: 16 });
    const r = feedCut(p, bytesOf('a\n1\n' + '9'.repeat(40) + '\n2\n'), [6, 20, 30]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ line: 3, offset: 4 });
    expect(byChannel(r.samples)).toEqual({ a: [[1000, 1], [1003, 2]] });
    expect(feedCut(p, bytesOf('x\n3\n'), []).errors[0]).toMatchObject({ line: 5, offset: 47 });
  });

  it('reports an unknown time column once and falls back to host time', () => {
    const r = feedCut(new CsvParser({ timeColumn: 'time' }), bytesOf('t,a\n1,2\n3,4\n'), []);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].message).toMatch(/time column "time" is not among the columns \(t, a\)/);
    expect(r.samples).toHaveLength(4);
  });
});
