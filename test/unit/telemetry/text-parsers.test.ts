import { PlotterParser } from '../../../electron/host/telemetry/parsers/plotter-parser';
import { JsonLinesParser } from '../../../electron/host/telemetry/parsers/json-lines-parser';
import { byChannel, bytesOf, feedCut } from './feed-helpers';

describe('PlotterParser (Arduino serial plotter format)', () => {
  it('reads comma, space, tab separated name:value pairs, "Label: value" and bare values', () => {
    const text = 'a:1,b:2\na:3 b:4\r\na:5\tb:6\nTemp: 21.5 Hum: 40\n7 8\n';
    const { samples, errors } = feedCut(new PlotterParser(), bytesOf(text), [], () => 42);
    expect(errors).toEqual([]);
    expect(byChannel(samples)).toEqual({
      a: [[42, 1], [42, 3], [42, 5]],
      b: [[42, 2], [42, 4], [42, 6]],
      Temp: [[42, 21.5]],
      Hum: [[42, 40]],
      value1: [[42, 7]],
      value2: [[42, 8]],
    });
  });

  it('gives the same samples for a cut at every byte position', () => {
    const bytes = bytesOf('volt:3.3,amp:-0.25\nvolt:3.29,amp:1e-2\n');
    const whole = byChannel(feedCut(new PlotterParser(), bytes, [], () => 0).samples);
    expect(whole).toEqual({ volt: [[0, 3.3], [0, 3.29]], amp: [[0, -0.25], [0, 0.01]] });
    for (let a = 0; a <= bytes.length; a++) {
      const r = feedCut(new PlotterParser(), bytes, [a], () => 0);
      expect(r.errors).toEqual([]);
      expect(byChannel(r.samples)).toEqual(whole);
    }
  });

  it('reports one error per malformed line and keeps the others', () => {
    const text = 'a:1\na:oops,b:2\n:5\nhello world\nLabel:\na:2\n';
    const { samples, errors } = feedCut(new PlotterParser(), bytesOf(text), [], () => 0);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 5]);
    expect(errors[0].message).toMatch(/value of "a" is not a number: "oops"/);
    expect(errors[1].message).toMatch(/empty name/);
    expect(errors[2].message).toMatch(/"hello" is neither a number nor name:value/);
    expect(errors[3].message).toMatch(/label "Label" has no value/);
    expect(byChannel(samples)).toEqual({ a: [[0, 1], [0, 2]] }); // nothing from the bad lines, not even b:2
  });
});

describe('JsonLinesParser', () => {
  it('flattens nested numbers with dots and takes t as device time', () => {
    const text = '{"t":10,"temp":21.5,"imu":{"x":0.1,"acc":[1,2]},"ok":true,"status":"fine","n":null}\n';
    const { samples, errors } = feedCut(new JsonLinesParser(), bytesOf(text), [], () => 99);
    expect(errors).toEqual([]);
    expect(byChannel(samples)).toEqual({ temp: [[10, 21.5]], 'imu.x': [[10, 0.1]], 'imu.acc.0': [[10, 1]], 'imu.acc.1': [[10, 2]], ok: [[10, 1]] });
    expect(samples[0].hostT).toBe(99);
  });

  it('scales the time key and falls back to host time without it', () => {
    const r = feedCut(new JsonLinesParser({ timeKey: 'ts', timeScale: 1000 }), bytesOf('{"ts":1.5,"v":1}\n{"v":2}\n'), [], () => 7);
    expect(byChannel(r.samples)).toEqual({ v: [[1500, 1], [7, 2]] });
  });

  it('gives the same samples for a cut at every byte position', () => {
    const bytes = bytesOf('{"t":1,"a":{"b":2}}\n{"t":2,"a":{"b":3}}\n');
    for (let a = 0; a <= bytes.length; a++) expect(byChannel(feedCut(new JsonLinesParser(), bytes, [a]).samples)).toEqual({ 'a.b': [[1, 2], [2, 3]] });
  });

  it('reports one error per malformed line and keeps the others', () => {
    const text = '{"t":1,"v":1}\n{"t":2,"v":\n[1,2]\n{"t":"x","v":3}\n\n{"t":4,"v":4}\n';
    const { samples, errors } = feedCut(new JsonLinesParser(), bytesOf(text), [3, 17]);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(errors[0].message).toMatch(/not valid JSON/);
    expect(errors[1].message).toMatch(/not an object/);
    expect(errors[2].message).toMatch(/time "t" is not a number/);
    expect(byChannel(samples)).toEqual({ v: [[1, 1], [4, 4]] });
  });
});
