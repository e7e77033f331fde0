// Firmware image interlocks, pure: the image parses and its own hash or CRC
// matches, it is the kind the board boots, it is for this board, and it is
// not older than what runs unless that was meant.
import { parseImage } from '../firmware/formats';
import type { ImageMetadata } from '../firmware/formats';
import { HostError } from '../errors/host-error';
import type { DeviceInfo } from '../../contract/devices';
import type { RawProblem } from './problems';
import { compareVersions } from './version-order';

/** Protocols whose boot loader only takes images that carry their own hash (MCUboot). */
const NEEDS_MCUBOOT = new Set(['demo-board', 'smp']);

export interface FirmwareParams {
  name: string;
  data: Uint8Array;
  /** Some commands carry this; otherwise a downgrade needs an operator override. */
  allowDowngrade?: boolean;
}

export function firmwareParams(params: unknown): FirmwareParams | null {
  const p = params as Partial<FirmwareParams> | null;
  if (!p || !(p.data instanceof Uint8Array)) return null;
  return { name: typeof p.name === 'string' ? p.name : 'the image', data: p.data, allowDowngrade: p.allowDowngrade === true };
}

export function imageProblems(img: FirmwareParams, device: Pick<DeviceInfo, 'protocol' | 'details'>, identity: Record<string, string>): RawProblem[] {
  let meta: ImageMetadata;
  try {
    meta = parseImage(img.data, { fileName: img.name });
  } catch (e) {
    const err = HostError.from(e);
    if (err.code === 'verification-failed')
      return [{ id: 'image-hash-mismatch', reason: `${img.name} does not match its own hash or checksum (${err.message})`, fix: 'Rebuild or download the image again; do not flash a corrupted file.' }];
    return [{ id: 'image-unreadable', reason: `${img.name} could not be read as a firmware image: ${err.message}`, fix: 'Pick the image file the build produced (MCUboot .bin, Intel HEX, S-record, ELF or DFU).' }];
  }
  const out: RawProblem[] = [];
  if (NEEDS_MCUBOOT.has(device.protocol)) {
    const hash = meta.details.hash as { checked?: boolean } | undefined;
    if (meta.format !== 'mcuboot' || !hash?.checked)
      out.push({
        id: 'image-unverified',
        reason: `${img.name} is a ${meta.format} image without an MCUboot hash, so neither fwbench nor the boot loader can verify it.`,
        fix: 'Use the signed image from the build (imgtool sign output, e.g. zephyr.signed.bin).',
      });
  }
  const usbTarget = /^USB ([0-9a-f]{4}):([0-9a-f]{4})$/.exec(meta.target ?? '');
  const usb = /^([0-9a-f]{4}):([0-9a-f]{4})$/.exec(device.details.usb ?? '');
  if (usbTarget && usb) {
    const vendorOk = usbTarget[1] === 'ffff' || usbTarget[1] === usb[1];
    const productOk = usbTarget[2] === 'ffff' || usbTarget[2] === usb[2];
    if (!vendorOk || !productOk)
      out.push({ id: 'image-wrong-board', reason: `${img.name} is made for USB device ${usbTarget[1]}:${usbTarget[2]}; this device is ${usb[1]}:${usb[2]}.`, fix: 'Pick the image built for this board.' });
  }
  if (meta.board && meta.format !== 'dfuse' && identity.board && meta.board !== identity.board)
    out.push({ id: 'image-wrong-board', reason: `${img.name} is built for the board "${meta.board}"; this device is a "${identity.board}".`, fix: 'Pick the image built for this board.' });
  const running = identity.firmware;
  if (meta.version && running && !img.allowDowngrade) {
    const order = compareVersions(meta.version, running);
    if (order !== null && order < 0)
      out.push({
        id: 'downgrade',
        reason: `${img.name} is version ${meta.version}, older than the running ${running}.`,
        fix: 'Pick a newer image, or, if the downgrade is intended, ask for an override of "downgrade" (the lab policy must allow it).',
      });
  }
  return out;
}
