import { HostError } from '../../../electron/host/errors/host-error';
import {
  decodeDfuSeCommand,
  decodeState,
  decodeStatus,
  describeDfuStatus,
  detachRequest,
  dnloadRequest,
  encodeDfuFunctionalDescriptor,
  encodeErasePage,
  encodeMassErase,
  encodeReadUnprotect,
  encodeSetAddress,
  encodeStatus,
  findDfuFunctionalDescriptor,
  findSegment,
  getStatusRequest,
  parseDfuFunctionalDescriptor,
  parseDfuSeMemoryLayout,
  uploadRequest,
  abortRequest,
  clrStatusRequest,
  getStateRequest,
  dfuStateName,
  dfuStatusName,
} from '../../../electron/host/protocols/dfu';

const bytes = (hex: string) => Uint8Array.from(hex.trim().split(/\s+/).map((h) => parseInt(h, 16)));

function expectHostError(fn: () => unknown, code: string, message: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HostError);
    expect((err as HostError).code).toBe(code);
    expect((err as HostError).message).toMatch(message);
    return;
  }
  throw new Error('expected a HostError');
}

describe('DFU functional descriptor', () => {
  it('parses the STM32 system bootloader descriptor (lsusb: bmAttributes 11, 255 ms, 2048 bytes, DFU 1.1a)', () => {
    const d = parseDfuFunctionalDescriptor(bytes('09 21 0b ff 00 00 08 1a 01'));
    expect(d).toEqual({ canDownload: true, canUpload: true, manifestationTolerant: false, willDetach: true, detachTimeoutMs: 255, transferSize: 2048, dfuVersion: 0x011a });
  });

  it('parses a DFU 1.1 manifestation-tolerant descriptor (Zephyr-style: attrs 0x07, 4096 bytes)', () => {
    const d = parseDfuFunctionalDescriptor(bytes('09 21 07 00 00 00 10 10 01'));
    expect(d).toMatchObject({ canDownload: true, canUpload: true, manifestationTolerant: true, willDetach: false, transferSize: 4096, dfuVersion: 0x0110 });
  });

  it('accepts the 7-byte DFU 1.0 form and reports version 1.0', () => {
    expect(parseDfuFunctionalDescriptor(bytes('07 21 01 e8 03 40 00')).dfuVersion).toBe(0x0100);
  });

  it('round-trips through the encoder', () => {
    const d = parseDfuFunctionalDescriptor(bytes('09 21 0d 10 27 00 04 10 01'));
    expect(encodeDfuFunctionalDescriptor(d)).toEqual(bytes('09 21 0d 10 27 00 04 10 01'));
    expect(d.detachTimeoutMs).toBe(10000);
  });

  it('finds the descriptor among class descriptors (libusb extra bytes)', () => {
    const extra = bytes('05 24 00 10 01  09 21 0b ff 00 00 08 1a 01');
    expect(findDfuFunctionalDescriptor(extra)?.transferSize).toBe(2048);
    expect(findDfuFunctionalDescriptor(bytes('05 24 00 10 01'))).toBeUndefined();
  });

  it('refuses malformed descriptors with clear errors', () => {
    expectHostError(() => parseDfuFunctionalDescriptor(bytes('09 21 0b ff')), 'protocol-error', /wrong length/);
    expectHostError(() => parseDfuFunctionalDescriptor(bytes('08 21 0b ff 00 00 08 1a')), 'protocol-error', /wrong length/);
    expectHostError(() => parseDfuFunctionalDescriptor(bytes('09 24 0b ff 00 00 08 1a 01')), 'protocol-error', /not a DFU functional descriptor/);
    expectHostError(() => parseDfuFunctionalDescriptor(bytes('09 21 0b ff 00 00 00 1a 01')), 'protocol-error', /transfer size of 0/);
    expectHostError(() => findDfuFunctionalDescriptor(bytes('05 24 00 10 01  09 21 0b')), 'protocol-error', /malformed class descriptor list/);
    expectHostError(() => findDfuFunctionalDescriptor(bytes('00 21')), 'protocol-error', /malformed/);
  });
});

describe('DfuSe memory layout strings', () => {
  it('parses STM32F4 internal flash (4×16K, 1×64K, 7×128K, all rew)', () => {
    const l = parseDfuSeMemoryLayout('@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg');
    expect(l.name).toBe('Internal Flash');
    expect(l.segments.map((s) => [s.start, s.end, s.pageSize, s.pages])).toEqual([
      [0x08000000, 0x08010000, 16384, 4],
      [0x08010000, 0x08020000, 65536, 1],
      [0x08020000, 0x08100000, 131072, 7],
    ]);
    expect(l.segments.every((s) => s.readable && s.erasable && s.writeable)).toBe(true);
    expect(findSegment(l, 0x0801ffff)?.pageSize).toBe(65536);
    expect(findSegment(l, 0x08100000)).toBeUndefined();
  });

  it('parses option bytes with a space multiplier (bytes) and type e = readable + writeable', () => {
    const l = parseDfuSeMemoryLayout('@Option Bytes  /0x1FFFC000/01*016 e');
    expect(l.segments).toEqual([{ start: 0x1fffc000, end: 0x1fffc010, pageSize: 16, pages: 1, readable: true, erasable: false, writeable: true }]);
  });

  it('parses OTP with two groups, and device feature without space before the slash', () => {
    expect(parseDfuSeMemoryLayout('@OTP Memory /0x1FFF7800/01*512 e,01*016 e').segments.map((s) => [s.start, s.end])).toEqual([
      [0x1fff7800, 0x1fff7a00],
      [0x1fff7a00, 0x1fff7a10],
    ]);
    expect(parseDfuSeMemoryLayout('@Device Feature/0xFFFF0000/01*004 e').segments[0].end).toBe(0xffff0004);
  });

  it('parses several address blocks, the M multiplier and every type letter', () => {
    const l = parseDfuSeMemoryLayout('@Flash /0x08000000/2*1Ka,1*1Kb/0x20000000/1*1Mc,1*2Bd,1*2Bf\0');
    expect(l.segments.map((s) => [s.start, s.readable, s.erasable, s.writeable])).toEqual([
      [0x08000000, true, false, false],
      [0x08000800, false, true, false],
      [0x20000000, true, true, false],
      [0x20100000, false, false, true],
      [0x20100002, false, true, true],
    ]);
  });

  it('refuses malformed strings with clear errors', () => {
    expectHostError(() => parseDfuSeMemoryLayout('Internal Flash /0x08000000/04*016Kg'), 'protocol-error', /does not start with "@"/);
    expectHostError(() => parseDfuSeMemoryLayout('@Internal Flash'), 'protocol-error', /no "\/0xADDRESS\/" part/);
    expectHostError(() => parseDfuSeMemoryLayout('@Flash /08000000/04*016Kg'), 'protocol-error', /expected "\/0xADDRESS\/"/);
    expectHostError(() => parseDfuSeMemoryLayout('@Flash /0x08000000/04*016Kz'), 'protocol-error', /sector group "04\*016Kz"/);
    expectHostError(() => parseDfuSeMemoryLayout('@Flash /0x08000000/04*016K'), 'protocol-error', /sector group/);
    expectHostError(() => parseDfuSeMemoryLayout('@Flash /0x08000000/00*016Kg'), 'protocol-error', /has no bytes/);
    expectHostError(() => parseDfuSeMemoryLayout('@Flash /0xFFFF0000/02*064Kg'), 'protocol-error', /32-bit address space/);
    expectHostError(() => parseDfuSeMemoryLayout('@Flash /0x08000000/'), 'protocol-error', /sector group ""/);
  });
});

describe('DFU requests', () => {
  it('builds setup packets as dfu-util sends them (bmRequestType 0x21 out / 0xA1 in, wIndex = interface)', () => {
    expect(detachRequest(0, 1000)).toEqual({ requestType: 0x21, request: 0, value: 1000, index: 0, length: 0 });
    expect(dnloadRequest(2, 7, 2048)).toEqual({ requestType: 0x21, request: 1, value: 7, index: 2, length: 2048 });
    expect(uploadRequest(0, 2, 1024)).toEqual({ requestType: 0xa1, request: 2, value: 2, index: 0, length: 1024 });
    expect(getStatusRequest(1)).toEqual({ requestType: 0xa1, request: 3, value: 0, index: 1, length: 6 });
    expect(clrStatusRequest(0)).toEqual({ requestType: 0x21, request: 4, value: 0, index: 0, length: 0 });
    expect(getStateRequest(0)).toEqual({ requestType: 0xa1, request: 5, value: 0, index: 0, length: 1 });
    expect(abortRequest(0)).toEqual({ requestType: 0x21, request: 6, value: 0, index: 0, length: 0 });
  });

  it('refuses out-of-range fields', () => {
    expectHostError(() => dnloadRequest(0, 0x10000, 10), 'invalid-params', /block number/);
    expectHostError(() => dnloadRequest(0, 1, 70000), 'invalid-params', /block length/);
    expectHostError(() => detachRequest(-1, 10), 'invalid-params', /interface/);
  });

  it('decodes GETSTATUS with a 3-byte little-endian bwPollTimeout', () => {
    // STM32 during an erase: status OK, 0x000064 = 100 ms, dfuDNBUSY
    expect(decodeStatus(bytes('00 64 00 00 04 00'))).toEqual({ status: 0, statusName: 'OK', pollTimeoutMs: 100, state: 4, stateName: 'dfuDNBUSY', iString: 0 });
    expect(decodeStatus(bytes('03 10 27 01 0a 05'))).toMatchObject({ statusName: 'errWRITE', pollTimeoutMs: 0x012710, stateName: 'dfuERROR', iString: 5 });
    expect(encodeStatus({ status: 0, pollTimeoutMs: 0x012710, state: 5 })).toEqual(bytes('00 10 27 01 05 00'));
  });

  it('refuses a malformed GETSTATUS / GETSTATE answer', () => {
    expectHostError(() => decodeStatus(bytes('00 00 00 00 02')), 'protocol-error', /5 bytes; DFU requires exactly 6/);
    expectHostError(() => decodeState(new Uint8Array(0)), 'protocol-error', /GETSTATE with 0 bytes/);
    expectHostError(() => encodeStatus({ status: 0, pollTimeoutMs: 0x1000000, state: 2 }), 'invalid-params', /3 bytes/);
  });

  it('names every status and state, and unknown ones without a bare number', () => {
    expect(dfuStatusName(0x0f)).toBe('errSTALLEDPKT');
    expect(dfuStateName(8)).toBe('dfuMANIFEST-WAIT-RESET');
    expect(dfuStateName(0x42)).toBe('unknown state 0x42');
    expect(describeDfuStatus(0x0a)).toMatch(/^errFIRMWARE: .*corrupt/);
  });

  it('encodes DfuSe commands byte for byte (AN3156)', () => {
    expect(encodeSetAddress(0x08004000)).toEqual(bytes('21 00 40 00 08'));
    expect(encodeErasePage(0x08020000)).toEqual(bytes('41 00 00 02 08'));
    expect(encodeMassErase()).toEqual(bytes('41'));
    expect(encodeReadUnprotect()).toEqual(bytes('92'));
    expect(decodeDfuSeCommand(bytes('21 00 40 00 08'))).toEqual({ command: 'set-address', address: 0x08004000 });
    expect(decodeDfuSeCommand(bytes('41'))).toEqual({ command: 'mass-erase' });
    expectHostError(() => decodeDfuSeCommand(bytes('21 00 40')), 'protocol-error', /malformed DfuSe command/);
    expectHostError(() => encodeSetAddress(0x100000000), 'invalid-params', /32-bit/);
  });
});
