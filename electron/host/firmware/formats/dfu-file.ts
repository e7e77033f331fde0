// A plain DFU file: optional vendor prefix, payload, DFU suffix. The prefixes are
// the two dfu-prefix writes: TI Stellaris (8 bytes: 01 00, address/1024, payload
// length) and NXP LPC (16 bytes starting 1a 3f, payload size in 512-byte blocks).
import { HostError } from '../../errors/host-error';
import { atOffset, malformed } from './format-error';
import { parseDfuSuffix, usbId, type DfuSuffix } from './dfu-suffix';
import { isElf } from './elf';
import { isMcuboot } from './mcuboot';
import { describeImage, normalizeSegments, type ImageMetadata } from './memory-image';

export type DfuPrefix =
  | { kind: 'stellaris'; length: 8; address: number; payloadLength: number }
  | { kind: 'lpc'; length: 16; encrypted: boolean; blocks: number };

/** Finds a dfu-prefix prefix at the start of `body` (the bytes before the suffix). */
export function detectDfuPrefix(body: Uint8Array): DfuPrefix | undefined {
  if (body.length >= 8 && body[0] === 0x01 && body[1] === 0x00) {
    const payloadLength = (body[4] | (body[5] << 8) | (body[6] << 16) | (body[7] << 24)) >>> 0;
    // 01 00 is common at the start of raw firmware: only a matching length makes it a prefix.
    if (payloadLength === body.length - 8) return { kind: 'stellaris', length: 8, address: (body[2] | (body[3] << 8)) * 1024, payloadLength };
  }
  if (body.length >= 16 && (body[0] & 0x3f) === 0x1a && (body[1] & 0x3f) === 0x3f) {
    const blocks = body[2] | (body[3] << 8);
    if (blocks !== Math.ceil((body.length - 16) / 512)) {
      throw malformed('dfu', atOffset(2), `NXP LPC prefix says ${blocks} blocks of 512 bytes but the payload needs ${Math.ceil((body.length - 16) / 512)}`);
    }
    return { kind: 'lpc', length: 16, encrypted: (body[0] & 0x40) !== 0, blocks };
  }
  return undefined;
}

export interface DfuOptions {
  /** Where the payload goes; default the Stellaris prefix address, else 0. */
  baseAddress?: number;
}

export function parseDfuFile(bytes: Uint8Array, options: DfuOptions = {}): ImageMetadata {
  const suffix = parseDfuSuffix(bytes);
  const body = bytes.subarray(0, suffix.payloadEnd);
  const prefix = detectDfuPrefix(body);
  const payload = body.subarray(prefix?.length ?? 0);
  const address = options.baseAddress ?? (prefix?.kind === 'stellaris' ? prefix.address : 0);
  if (!Number.isSafeInteger(address) || address < 0) throw new HostError('invalid-params', 'The base address must be a non-negative integer.', `baseAddress = ${address}`);
  return describeImage('dfu', normalizeSegments([{ address, data: payload, origin: 'payload' }]), {
    target: `USB ${usbId(suffix)}`,
    details: { suffix: suffixDetails(suffix), prefix, payloadSize: payload.length, payloadLooksLike: payloadKind(payload) },
  });
}

/** A hint for the operator: what the payload itself looks like (it is not parsed further). */
function payloadKind(payload: Uint8Array): string {
  if (isMcuboot(payload)) return 'mcuboot';
  if (isElf(payload)) return 'elf';
  return 'binary';
}

export function suffixDetails(s: DfuSuffix): Record<string, unknown> {
  return { idVendor: s.idVendor, idProduct: s.idProduct, bcdDevice: s.bcdDevice, bcdDFU: s.bcdDFU, length: s.length, crc: s.crc };
}
