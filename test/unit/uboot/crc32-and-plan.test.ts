import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { crc32, crc32Hex, flashPlan, QEMU_VIRT_ARM_FLASH } from '../../../electron/host/protocols/uboot';

describe('crc32', () => {
  it('matches the standard check value and zlib', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    const data = new Uint8Array(randomBytes(100_000));
    const z = (zlib as unknown as { crc32?: (d: Uint8Array) => number }).crc32;
    if (z) expect(crc32(data)).toBe(z(data));
    // Chunked equals whole.
    expect(crc32(data.subarray(50_000), crc32(data.subarray(0, 50_000)))).toBe(crc32(data));
  });
  it('matches what U-Boot printed for 1 MiB of zeroed RAM', () => {
    // `crc32 40200000 100000` on a fresh qemu_arm64: a738ea1c (fixtures/crc32.txt).
    expect(crc32Hex(crc32(new Uint8Array(0x100000)))).toBe('a738ea1c');
  });
});

describe('flash plan', () => {
  it('rounds the erase up to whole sectors', () => {
    expect(flashPlan(QEMU_VIRT_ARM_FLASH, 300 * 1024)).toEqual({ length: 300 * 1024, eraseStart: 0x04100000, eraseEnd: 0x0415ffff, sectors: 3 });
    expect(flashPlan(QEMU_VIRT_ARM_FLASH, 0x20000).sectors).toBe(1);
  });
  it('refuses empty, oversized and misaligned plans', () => {
    expect(() => flashPlan(QEMU_VIRT_ARM_FLASH, 0)).toThrow(/empty/);
    expect(() => flashPlan(QEMU_VIRT_ARM_FLASH, QEMU_VIRT_ARM_FLASH.regionSize + 1)).toThrow(/does not fit/);
    expect(() => flashPlan({ ...QEMU_VIRT_ARM_FLASH, flashAddr: 0x04100001 }, 10)).toThrow(/sector boundary/);
  });
});
