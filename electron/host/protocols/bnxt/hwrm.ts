// HWRM messages as the bnxt fwctl driver passes them (drivers/fwctl/bnxt/main.c):
// the RPC input is a raw HWRM request starting with struct input, the output a
// raw response starting with struct output (include/linux/bnxt/hsi.h), all
// little-endian. The kernel refuses in_len < 16 or out_len < 8 with EINVAL and
// commands outside its allow list with EPERM; HWRM_VER_GET needs debug-read-only.
import { HostError } from '../../errors/host-error';
import { HWRM_REQ_HDR_SIZE, HWRM_RESP_HDR_SIZE, HWRM_VER_GET } from './layout';

export interface HwrmRequestHeader {
  reqType: number;
  cmplRing: number;
  seqId: number;
  targetId: number;
}

export function encodeHwrmRequest(h: { reqType: number; seqId?: number }, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(HWRM_REQ_HDR_SIZE + body.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, h.reqType, true);
  v.setUint16(2, 0xffff, true); // no completion ring: the response comes back in the buffer
  v.setUint16(4, h.seqId ?? 0, true);
  v.setUint16(6, 0xffff, true); // target: the firmware itself
  // resp_addr (8 bytes) is the driver's business
  out.set(body, HWRM_REQ_HDR_SIZE);
  return out;
}

export function decodeHwrmRequestHeader(bytes: Uint8Array): HwrmRequestHeader {
  if (bytes.length < HWRM_REQ_HDR_SIZE) throw new HostError('invalid-params', 'The HWRM request is shorter than its header.', `need ${HWRM_REQ_HDR_SIZE} bytes, got ${bytes.length}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { reqType: v.getUint16(0, true), cmplRing: v.getUint16(2, true), seqId: v.getUint16(4, true), targetId: v.getUint16(6, true) };
}

export interface HwrmResponseHeader {
  errorCode: number;
  reqType: number;
  seqId: number;
  respLen: number;
}

export function decodeHwrmResponseHeader(bytes: Uint8Array): HwrmResponseHeader {
  if (bytes.length < HWRM_RESP_HDR_SIZE) throw new HostError('protocol-error', 'The HWRM response is shorter than its header.', `need ${HWRM_RESP_HDR_SIZE} bytes, got ${bytes.length}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { errorCode: v.getUint16(0, true), reqType: v.getUint16(2, true), seqId: v.getUint16(4, true), respLen: v.getUint16(6, true) };
}

/** hwrm_ver_get_input: header + the HWRM interface version the caller speaks (24 bytes). */
export function encodeVerGet(intf: { major: number; minor: number; update: number }, seqId = 0): Uint8Array {
  const body = new Uint8Array(8);
  body[0] = intf.major;
  body[1] = intf.minor;
  body[2] = intf.update;
  return encodeHwrmRequest({ reqType: HWRM_VER_GET, seqId }, body);
}

export interface FirmwareVersion {
  major: number;
  minor: number;
  build: number;
  text: string;
}

export interface VerGetResponse {
  header: HwrmResponseHeader;
  hwrmInterface: string;
  hwrmFirmware: FirmwareVersion & { name: string };
  managementFirmware: FirmwareVersion & { name: string };
  netctrlFirmware: FirmwareVersion & { name: string };
  roceFirmware: FirmwareVersion & { name: string };
  activePackage: string;
  devCapsCfg: number;
  chipNum: number;
  chipRev: number;
  chipMetal: number;
  chipBondId: number;
  chipPlatformType: number;
  maxReqWinLen: number;
  maxRespLen: number;
  defReqTimeoutMs: number;
}

/** The fields of hwrm_ver_get_output up to def_req_timeout (offset 122), stable across HSI releases. */
export const VER_GET_MIN_SIZE = 124;

export function decodeVerGet(bytes: Uint8Array): VerGetResponse {
  const header = decodeHwrmResponseHeader(bytes);
  if (header.errorCode !== 0)
    throw new HostError('device-error', 'The firmware refused HWRM_VER_GET.', `HWRM error_code 0x${header.errorCode.toString(16)}`);
  if (bytes.length < VER_GET_MIN_SIZE)
    throw new HostError('protocol-error', 'The HWRM_VER_GET response is truncated.', `need ${VER_GET_MIN_SIZE} bytes, got ${bytes.length}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ver = (off: number, nameOff: number) => {
    const [major, minor, build] = [bytes[off], bytes[off + 1], bytes[off + 2]];
    return { major, minor, build, text: `${major}.${minor}.${build}`, name: str(bytes.subarray(nameOff, nameOff + 16)) };
  };
  return {
    header,
    hwrmInterface: `${bytes[8]}.${bytes[9]}.${bytes[10]}`,
    hwrmFirmware: ver(12, 32),
    managementFirmware: ver(16, 48),
    netctrlFirmware: ver(20, 64),
    roceFirmware: ver(28, 96),
    activePackage: str(bytes.subarray(80, 96)),
    devCapsCfg: v.getUint32(24, true),
    chipNum: v.getUint16(112, true),
    chipRev: bytes[114],
    chipMetal: bytes[115],
    chipBondId: bytes[116],
    chipPlatformType: bytes[117],
    maxReqWinLen: v.getUint16(118, true),
    maxRespLen: v.getUint16(120, true),
    defReqTimeoutMs: v.getUint16(122, true),
  };
}

function str(b: Uint8Array): string {
  const end = b.indexOf(0);
  return new TextDecoder('latin1').decode(end < 0 ? b : b.subarray(0, end));
}
