// What a file means for a DFU device, checked before anything is sent.
import { planDfuImage, pagesToErase, type DfuDeviceFacts } from '../../../electron/host/adapters/dfu-image-plan';
import { compareReadBack } from '../../../electron/host/adapters/dfu-device-adapter';
import { addDfuSuffix, writeDfuSe, writeIntelHex } from '../../../electron/host/firmware/formats';
import { parseDfuSeMemoryLayout } from '../../../electron/host/protocols/dfu';
import { HostError } from '../../../electron/host/errors/host-error';

const layout = parseDfuSeMemoryLayout('@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg');
const dfuse: DfuDeviceFacts = { vendorId: 0x0483, productId: 0xdf11, alternateSetting: 0, layout };
const plain: DfuDeviceFacts = { vendorId: 0x1d50, productId: 0x6089, alternateSetting: 0 };
const text = (s: string) => new TextEncoder().encode(s);
const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

function refusal(fn: () => unknown): HostError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HostError);
    return e as HostError;
  }
  throw new Error('expected a refusal');
}

describe('planDfuImage on a DfuSe device', () => {
  it('takes the DfuSe target of the alternate setting, with the pages to erase', () => {
    const file = writeDfuSe(
      [
        { alternate: 1, name: 'Option Bytes', segments: [{ address: 0x1fffc000, data: bytes(16) }] },
        { alternate: 0, name: 'Internal Flash', segments: [{ address: 0x08004000, data: bytes(20_000) }, { address: 0x08010000, data: bytes(10) }] },
      ],
      { idVendor: 0x0483, idProduct: 0xdf11 },
    );
    const plan = planDfuImage(file, 'fw.dfu', dfuse);
    if (plan.kind !== 'dfuse') throw new Error('expected a DfuSe plan');
    expect(plan.format).toBe('dfuse');
    expect(plan.elements.map((e) => [e.address, e.data.length])).toEqual([
      [0x08004000, 20_000],
      [0x08010000, 10],
    ]);
    expect(plan.pages).toEqual([0x08004000, 0x08008000, 0x08010000]);
    expect(plan.bytes).toBe(20_010);
    expect(plan.fileSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('puts a raw binary at the first writeable segment', () => {
    const plan = planDfuImage(bytes(40_000), 'app.bin', dfuse);
    if (plan.kind !== 'dfuse') throw new Error('expected a DfuSe plan');
    expect(plan.elements).toHaveLength(1);
    expect(plan.elements[0].address).toBe(0x08000000);
    expect(plan.pages).toEqual([0x08000000, 0x08004000, 0x08008000]);
  });

  it('keeps the addresses of an Intel HEX file', () => {
    const hex = text(writeIntelHex([{ address: 0x08020000, data: bytes(300) }]));
    const plan = planDfuImage(hex, 'app.hex', dfuse);
    if (plan.kind !== 'dfuse') throw new Error('expected a DfuSe plan');
    expect(plan.format).toBe('ihex');
    expect(plan.elements[0].address).toBe(0x08020000);
    expect(plan.pages).toEqual([0x08020000]);
  });

  it('refuses a DFU suffix for another VID/PID, naming both', () => {
    const e = refusal(() => planDfuImage(addDfuSuffix(bytes(100), { idVendor: 0x1234, idProduct: 0xdf11 }), 'x.dfu', dfuse));
    expect(e.code).toBe('invalid-params');
    expect(e.message).toMatch(/made for USB device 1234:df11, but this device is 0483:df11/);
  });

  it('accepts 0xFFFF as any vendor or product', () => {
    expect(planDfuImage(addDfuSuffix(bytes(100), { idVendor: 0x0483 }), 'x.dfu', dfuse).bytes).toBe(100);
    expect(planDfuImage(addDfuSuffix(bytes(100)), 'x.dfu', dfuse).bytes).toBe(100);
  });

  it('refuses a DFU file whose CRC does not match', () => {
    const file = addDfuSuffix(bytes(100));
    file[10] ^= 1;
    const e = refusal(() => planDfuImage(file, 'x.dfu', dfuse));
    expect(e.code).toBe('verification-failed');
    expect(e.message).toMatch(/CRC does not match/);
  });

  it('refuses data outside the writeable memory, naming the address', () => {
    const file = writeDfuSe([{ alternate: 0, segments: [{ address: 0x20000000, data: bytes(64) }] }]);
    const e = refusal(() => planDfuImage(file, 'ram.dfu', dfuse));
    expect(e.code).toBe('invalid-params');
    expect(e.message).toMatch(/0x20000000.*not list as writeable/);
  });

  it('refuses data that runs past the end of flash', () => {
    const e = refusal(() => planDfuImage(text(writeIntelHex([{ address: 0x080ffff0, data: bytes(32) }])), 'end.hex', dfuse));
    expect(e.message).toMatch(/0x08100000/);
  });

  it('refuses a DfuSe file with no target for the alternate setting', () => {
    const file = writeDfuSe([{ alternate: 2, name: 'OTP', segments: [{ address: 0x1fff7800, data: bytes(16) }] }]);
    const e = refusal(() => planDfuImage(file, 'otp.dfu', dfuse));
    expect(e.code).toBe('invalid-params');
    expect(e.message).toMatch(/no image for alternate setting 0.*alternate 2 "OTP"/);
  });

  it('refuses an empty file and a malformed DfuSe container', () => {
    expect(refusal(() => planDfuImage(new Uint8Array(0), 'empty.bin', dfuse)).code).toBe('invalid-params');
    const file = writeDfuSe([{ alternate: 0, segments: [{ address: 0x08000000, data: bytes(64) }] }]);
    const broken = addDfuSuffix(Uint8Array.from([...file.subarray(0, 11), 0x58, ...file.subarray(12, file.length - 16)]), { bcdDFU: 0x011a });
    expect(refusal(() => planDfuImage(broken, 'broken.dfu', dfuse)).code).toBe('invalid-params');
  });
});

describe('planDfuImage on a plain DFU device', () => {
  it('sends a raw binary and a DFU payload as they are', () => {
    const raw = planDfuImage(bytes(5000), 'fw.bin', plain);
    expect(raw).toMatchObject({ kind: 'plain', format: 'raw', bytes: 5000 });
    const dfu = planDfuImage(addDfuSuffix(bytes(5000), { idVendor: 0x1d50, idProduct: 0x6089 }), 'fw.dfu', plain);
    if (dfu.kind !== 'plain') throw new Error('expected a plain plan');
    expect(Buffer.from(dfu.data)).toEqual(Buffer.from(bytes(5000)));
  });

  it('refuses a DfuSe file: plain DFU has no addresses', () => {
    const file = writeDfuSe([{ alternate: 0, segments: [{ address: 0x08000000, data: bytes(64) }] }]);
    expect(refusal(() => planDfuImage(file, 'x.dfu', plain)).code).toBe('not-supported');
  });
});

describe('pagesToErase', () => {
  it('covers every page an element touches across segments of different page sizes', () => {
    expect(pagesToErase([{ address: 0x0800fff0, data: bytes(0x20) }], layout)).toEqual([0x0800c000, 0x08010000]);
    expect(pagesToErase([{ address: 0x0801fff0, data: bytes(0x20) }], layout)).toEqual([0x08010000, 0x08020000]);
  });
});

describe('compareReadBack', () => {
  it('passes equal bytes and names the first differing address', () => {
    expect(() => compareReadBack(bytes(10), bytes(10), 0x08000000)).not.toThrow();
    const other = bytes(10);
    other[7] ^= 0x10;
    const e = refusal(() => compareReadBack(bytes(10), other, 0x08000000));
    expect(e.code).toBe('verification-failed');
    expect(e.message).toMatch(/at 0x08000007/);
    expect(refusal(() => compareReadBack(bytes(10), bytes(9), 0)).message).toMatch(/returned 9 bytes where 10/);
  });
});
