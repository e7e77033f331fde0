import { parseMcuboot } from '../../../electron/host/firmware/formats/mcuboot';
import { expectHostError } from './expect-error';
import { makeMcuboot, prng, randomBytes } from './samples';

describe('MCUboot parser', () => {
  const body = randomBytes(prng(5), 1000);

  it('reads the header, checks the SHA-256 TLV and lists the signature as not verified', () => {
    const img = makeMcuboot({ body, version: [2, 7, 300, 123456], securityCounter: 9, padTo: 4096 });
    const meta = parseMcuboot(img, { baseAddress: 0x0000c000, slotSize: 0x10000 });
    expect(meta.version).toBe('2.7.300+123456');
    expect(meta.segments).toEqual([{ address: 0xc000, data: img }]);
    const d = meta.details as Record<string, any>;
    expect(d.headerSize).toBe(0x200);
    expect(d.imageSize).toBe(1000);
    expect(d.protectedTlvSize).toBe(12);
    expect(d.securityCounter).toBe(9);
    expect(d.hash).toMatchObject({ algorithm: 'sha256', checked: true });
    expect(d.signature).toMatchObject({ present: true, types: ['ECDSA_SIG'], verified: false });
    expect(d.signature.note).toMatch(/not verified/);
    expect(d.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(d.trailingBytes).toBe(4096 - d.totalSize);
    expect(d.tlvs.map((t: any) => t.name)).toEqual(['SEC_CNT', 'SHA256', 'KEYHASH', 'ECDSA_SIG']);
  });

  it('reports ED25519 and unsigned images', () => {
    expect((parseMcuboot(makeMcuboot({ body, signature: 'ed25519' })).details as any).signature.types).toEqual(['ED25519']);
    expect((parseMcuboot(makeMcuboot({ body, signature: 'none' })).details as any).signature.present).toBe(false);
  });

  it('does not claim to check the hash of an encrypted image', () => {
    const img = makeMcuboot({ body, flags: 0x04 });
    img[0x200 + 5] ^= 0xff; // ciphertext differs from the hashed plaintext anyway
    const d = parseMcuboot(img).details as any;
    expect(d.flags).toEqual(['ENCRYPTED_AES128']);
    expect(d.hash.checked).toBe(false);
  });

  describe('malformed input', () => {
    const good = makeMcuboot({ body, securityCounter: 1 });
    const patch = (at: number, ...bytes: number[]) => {
      const c = good.slice();
      c.set(bytes, at);
      return c;
    };
    it('a flipped body byte fails the hash with verification-failed', () => {
      expectHostError(() => parseMcuboot(patch(0x300, good[0x300] ^ 1)), 'verification-failed', /SHA256 TLV at byte offset \d+ .* holds [0-9a-f]{64}, computed [0-9a-f]{64}/);
    });
    it('bad magic', () => {
      expectHostError(() => parseMcuboot(patch(0, 0)), 'invalid-params', /^byte offset 0 \(0x0\): header magic is 0x96f3b800, expected 0x96f3b83d/);
    });
    it('header size below 32', () => {
      expectHostError(() => parseMcuboot(patch(8, 16, 0)), 'invalid-params', /^byte offset 8 \(0x8\): ih_hdr_size is 16/);
    });
    it('image size past EOF', () => {
      expectHostError(() => parseMcuboot(patch(12, 0xff, 0xff, 0, 0)), 'invalid-params', /image body \(ih_img_size 65535\) needs 65535 bytes at byte offset 512/);
    });
    it('protected TLV size disagreeing with the area', () => {
      expectHostError(() => parseMcuboot(patch(10, 16, 0)), 'invalid-params', /^byte offset 1514 \(0x5ea\): protected TLV area length is 12 but ih_protect_tlv_size says 16/);
    });
    it('wrong TLV info magic', () => {
      expectHostError(() => parseMcuboot(patch(0x200 + 1000 + 12, 0x00)), 'invalid-params', /^byte offset 1524 \(0x5f4\): TLV area magic is 0x6900, expected 0x6907/);
    });
    it('TLV running past its area', () => {
      // First TLV (SHA256, length 32) after the info header at 1524 + 4: claim 0xff00 bytes.
      expectHostError(() => parseMcuboot(patch(1528 + 2, 0x00, 0xff)), 'invalid-params', /^byte offset 1528 \(0x5f8\): TLV SHA256 of 65280 bytes runs past the end of the TLV area/);
    });
    it('truncated TLV area', () => {
      expectHostError(() => parseMcuboot(good.subarray(0, good.length - 10)), 'invalid-params', /TLV area needs \d+ bytes at byte offset 1524 .*\(truncated\?\)/);
    });
    it('too big for the slot', () => {
      expectHostError(() => parseMcuboot(good, { slotSize: 1024 }), 'invalid-params', /image needs \d+ bytes .* slot holds 1024/);
    });
    it('v1 magic is not supported', () => {
      expectHostError(() => parseMcuboot(patch(0, 0x3c)), 'not-supported', /magic 0x96f3b83c/);
    });
  });
});
