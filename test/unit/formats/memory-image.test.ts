import { createHash } from 'node:crypto';
import { flatten, imageSha256, normalizeSegments, totalSize, describeImage, SHA_FLAT_LIMIT } from '../../../electron/host/firmware/formats/memory-image';
import { expectHostError } from './expect-error';

const b = (...x: number[]) => Uint8Array.from(x);

describe('memory image model', () => {
  it('sorts, drops empty segments and joins touching ones', () => {
    const segs = normalizeSegments([
      { address: 0x10, data: b(3, 4) },
      { address: 0x0, data: b(1, 2) },
      { address: 0x2, data: b(9) },
      { address: 0x40, data: b() },
    ]);
    expect(segs.map((s) => [s.address, [...s.data]])).toEqual([[0, [1, 2, 9]], [0x10, [3, 4]]]);
    expect(totalSize(segs)).toBe(5);
  });

  it('rejects overlap naming both origins instead of merging', () => {
    expectHostError(
      () => normalizeSegments([{ address: 0x100, data: new Uint8Array(16), origin: 'line 3' }, { address: 0x108, data: b(1), origin: 'line 9' }]),
      'invalid-params',
      /line 9 at 0x108 overlaps line 3 0x100\.\.0x10f/,
    );
  });

  it('flattens with a fill byte and hashes the flat binary', () => {
    const segs = normalizeSegments([{ address: 0x1000, data: b(1, 2) }, { address: 0x1004, data: b(5) }]);
    const flat = flatten(segs, { fill: 0x00 });
    expect(flat.address).toBe(0x1000);
    expect([...flat.data]).toEqual([1, 2, 0, 0, 5]);
    const ff = flatten(segs).data;
    expect([...ff]).toEqual([1, 2, 0xff, 0xff, 5]);
    expect(imageSha256(segs)).toBe(createHash('sha256').update(ff).digest('hex'));
    expect(flatten(segs, { start: 0xffe }).data.length).toBe(7);
    expectHostError(() => flatten(segs, { start: 0x1001 }), 'invalid-params', /data at 0x1000, start 0x1001/);
  });

  it('refuses to flatten a very sparse image and hashes its segments instead', () => {
    const segs = normalizeSegments([{ address: 0, data: b(1) }, { address: 0xfff00000, data: b(2) }]);
    expectHostError(() => flatten(segs), 'invalid-params', /span 0x0\.\.0xfff00001/);
    const meta = describeImage('raw', segs);
    expect(meta.sha256Of).toBe('segments');
    expect(meta.sha256).toMatch(/^[0-9a-f]{64}$/);
    const near = describeImage('raw', normalizeSegments([{ address: 0, data: b(1) }, { address: SHA_FLAT_LIMIT - 1, data: b(2) }]));
    expect(near.sha256Of).toBe('flattened');
  });
});
