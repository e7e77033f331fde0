// A simulated CXL fwctl device: the fwctl core (drivers/fwctl/main.c) and the
// CXL fwctl driver (drivers/cxl/core/features.c) rules in front of a simulated
// mailbox device. Where the kernel would read or write past a short buffer
// (in_len smaller than the header plus op_size, out_len too small for the Get
// Feature data) the simulator answers EINVAL instead.
import { isScope, FWCTL_SCOPE_VALUE, type Scope } from '../../../contract/scopes';
import { HostError } from '../../errors/host-error';
import { FWCTL_MAX_RPC_LEN, type FwctlInfo, type FwctlTransport } from '../../fwctl/transport';
import { decodeRpc, encodeRpcReply, view } from '../../protocols/cxl/envelope';
import { decodeGetSupportedFeaturesIn, decodeSetFeatureIn, encodeGetFeatureIn, encodeGetSupportedFeaturesOut, splitSetFeature } from '../../protocols/cxl/feature-commands';
import {
  CxlOpcode,
  EFFECTS_IMMEDIATE,
  EFFECTS_RESERVED,
  EFFECTS_RESET,
  Effect,
  FEAT_ENTRY_SIZE,
  FeatureFlag,
  FWCTL_DEVICE_TYPE_CXL,
  GET_FEAT_IN_SIZE,
  GET_SUP_FEATS_IN_SIZE,
  GET_SUP_FEATS_OUT_HDR_SIZE,
  RPC_HDR_SIZE,
  RPC_OUT_STRUCT_SIZE,
  SET_FEAT_HDR_SIZE,
} from '../../protocols/cxl/layout';
import { CXL_RC } from '../../protocols/cxl/return-codes';
import { normalizeUuid } from '../../protocols/cxl/uuid';
import { qemuFeatures, type SimFeature } from './features';
import { kernelError } from './kernel-errors';
import { CxlMailboxDevice } from './mailbox-device';

export interface SimulatedCxlOptions {
  /**
   * Features the kernel keeps for itself (stock kernels reserve all eight
   * for CXL EDAC; the default here models the test kernel where they are free).
   */
  reservedUuids?: string[];
  /** Mailbox payload size in bytes; the kernel splits transfers to fit it. */
  mailboxPayload?: number;
  /** Whether the calling process holds CAP_SYS_RAWIO. */
  rawio?: boolean;
  /** Features beyond QEMU's eight (e.g. a vendor feature). */
  extraFeatures?: SimFeature[];
}

export interface SimRpcRecord {
  scope: Scope;
  opcode: number;
  /** Mailbox commands the kernel issued to serve this RPC. */
  mailboxCommands: number;
}

export class SimulatedCxlFwctl implements FwctlTransport {
  readonly simulated = true;
  /** Set once an RPC at debug-write or above arrived, as the kernel taints itself. */
  tainted = false;
  readonly log: SimRpcRecord[] = [];
  readonly device: CxlMailboxDevice;
  private readonly reserved: Set<string>;
  private readonly payloadSize: number;
  private readonly rawio: boolean;
  private closed = false;

  constructor(opts: SimulatedCxlOptions = {}) {
    this.device = new CxlMailboxDevice([...qemuFeatures(), ...(opts.extraFeatures ?? [])]);
    this.reserved = new Set((opts.reservedUuids ?? []).map(normalizeUuid));
    this.payloadSize = opts.mailboxPayload ?? 512;
    this.rawio = opts.rawio ?? true;
    if (this.payloadSize < SET_FEAT_HDR_SIZE + 10)
      throw new HostError('invalid-params', 'The simulated mailbox is too small for feature transfers.', `${this.payloadSize} bytes`);
  }

  async info(): Promise<FwctlInfo> {
    this.checkOpen();
    // The CXL driver has no info op: the core zero-fills device data.
    return { deviceType: FWCTL_DEVICE_TYPE_CXL, deviceData: new Uint8Array(0) };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  async rpc(scope: Scope, request: Uint8Array, outLen: number): Promise<Uint8Array> {
    this.checkOpen();
    // --- fwctl core: fwctl_cmd_rpc() ---
    if (request.length > FWCTL_MAX_RPC_LEN || outLen > FWCTL_MAX_RPC_LEN)
      throw kernelError('EMSGSIZE', 'The request or reply buffer is larger than fwctl allows (2 MiB).', `in_len ${request.length}, out_len ${outLen}`);
    if (!isScope(scope)) throw kernelError('EOPNOTSUPP', 'The kernel does not know that scope.', `scope ${String(scope)}`);
    if (scope === 'debug-write-full' && !this.rawio)
      throw kernelError('EPERM', 'The debug-write-full scope needs CAP_SYS_RAWIO.', 'capable(CAP_SYS_RAWIO) is false');
    if (FWCTL_SCOPE_VALUE[scope] >= FWCTL_SCOPE_VALUE['debug-write']) this.tainted = true; // before the driver validates
    // --- CXL driver: cxlctl_fw_rpc() ---
    if (request.length < RPC_HDR_SIZE) throw kernelError('EINVAL', 'The CXL request is shorter than its header.', `in_len ${request.length}`);
    const rpc = decodeRpc(request);
    const opcode = rpc.opcode & 0xffff; // the driver reads it into a u16
    const record: SimRpcRecord = { scope, opcode, mailboxCommands: 0 };
    this.log.push(record);
    if (!this.validateHwCommand(opcode, rpc.payload, rpc.opSize, scope))
      throw kernelError('EINVAL', 'The kernel refused this CXL command at this scope.', `opcode 0x${opcode.toString(16)} at ${scope}`);
    let out: { bytes: Uint8Array; outLen: number };
    switch (opcode) {
      case CxlOpcode.GetSupportedFeatures:
        out = this.getSupportedFeatures(rpc.opSize, rpc.payload);
        break;
      case CxlOpcode.GetFeature:
        out = this.getFeature(rpc.opSize, rpc.payload, outLen, record);
        break;
      default:
        out = this.setFeature(rpc.opSize, rpc.payload, record);
    }
    // The core copies min(out_len given, out_len reported); the transport trims to what was reported.
    return out.bytes.slice(0, Math.min(outLen, out.outLen));
  }

  private validateHwCommand(opcode: number, payload: Uint8Array, opSize: number, scope: Scope): boolean {
    switch (opcode) {
      case CxlOpcode.GetSupportedFeatures:
      case CxlOpcode.GetFeature:
        return true;
      case CxlOpcode.SetFeature:
        return this.validateSetFeature(payload, opSize, scope);
      default:
        return false;
    }
  }

  /** cxlctl_validate_set_features(), against the kernel's cached (unmasked) entries. */
  private validateSetFeature(payload: Uint8Array, opSize: number, scope: Scope): boolean {
    if (opSize < 16 || payload.length < 16) return false;
    const uuid = decodeSetFeatureIn(padTo(payload, SET_FEAT_HDR_SIZE)).uuid;
    const f = this.device.find(uuid);
    if (!f || !(f.flags & FeatureFlag.Changeable)) return false;
    const e = f.effects;
    if (e & EFFECTS_RESERVED || e & Effect.Background) return false;
    if (!(e & EFFECTS_IMMEDIATE) && !(e & EFFECTS_RESET)) return false;
    const s = FWCTL_SCOPE_VALUE[scope];
    if (e & EFFECTS_IMMEDIATE) return s >= FWCTL_SCOPE_VALUE['debug-write-full'];
    return s >= FWCTL_SCOPE_VALUE['debug-write'];
  }

  private getSupportedFeatures(opSize: number, payload: Uint8Array) {
    if (opSize !== GET_SUP_FEATS_IN_SIZE || payload.length < GET_SUP_FEATS_IN_SIZE)
      throw kernelError('EINVAL', 'Get Supported Features needs an 8-byte input.', `op_size ${opSize}`);
    const p = decodeGetSupportedFeaturesIn(payload);
    const total = this.device.features.length;
    if (p.startIndex >= total) throw kernelError('EINVAL', 'The start index is past the last feature.', `start ${p.startIndex} >= ${total}`);
    const requested = Math.min(Math.floor(p.count / FEAT_ENTRY_SIZE), total - p.startIndex);
    const entries = [];
    for (let i = p.startIndex; i < p.startIndex + requested; i++) {
      const e = this.device.entry(i);
      // Kernel-reserved features are shown as not changeable with set size 0.
      entries.push(this.reserved.has(e.uuid) ? { ...e, setSize: 0, flags: e.flags & ~FeatureFlag.Changeable } : e);
    }
    const block = encodeGetSupportedFeaturesOut(total, entries);
    const outLen = RPC_OUT_STRUCT_SIZE + GET_SUP_FEATS_OUT_HDR_SIZE + requested * FEAT_ENTRY_SIZE;
    return { bytes: encodeRpcReply({ retval: CXL_RC.SUCCESS, payload: block }, outLen), outLen };
  }

  private getFeature(opSize: number, payload: Uint8Array, userOutLen: number, record: SimRpcRecord) {
    if (opSize !== GET_FEAT_IN_SIZE || payload.length < GET_FEAT_IN_SIZE)
      throw kernelError('EINVAL', 'Get Feature needs a 21-byte input.', `op_size ${opSize}`);
    const v = view(payload);
    const offset = v.getUint16(16, true);
    const count = v.getUint16(18, true);
    if (count === 0) throw kernelError('EINVAL', 'Get Feature asked for zero bytes.', 'count 0');
    if (userOutLen < 8 + count) throw kernelError('EINVAL', 'The reply buffer cannot hold the requested feature data.', `out_len ${userOutLen} < 8 + ${count}`);
    const uuidBytes = payload.subarray(0, 16);
    const selection = payload[20];
    // cxl_get_feature(): read in mailbox-payload-sized pieces until count bytes arrived.
    const data = new Uint8Array(count);
    let got = 0;
    let rc: number = CXL_RC.SUCCESS;
    while (got < count) {
      const want = Math.min(count - got, this.payloadSize);
      const mbox = encodeGetFeatureIn({ uuid: '00000000-0000-0000-0000-000000000000', offset: 0, count: 1, selection: 'current' });
      mbox.set(uuidBytes, 0);
      view(mbox).setUint16(16, (offset + got) & 0xffff, true);
      view(mbox).setUint16(18, want, true);
      mbox[20] = selection;
      record.mailboxCommands++;
      const r = this.device.getFeature(mbox);
      if (r.rc !== CXL_RC.SUCCESS || r.payload.length === 0) {
        rc = r.rc === CXL_RC.SUCCESS ? CXL_RC.INPUT : r.rc;
        break;
      }
      data.set(r.payload.subarray(0, count - got), got);
      got += r.payload.length;
    }
    if (rc !== CXL_RC.SUCCESS) return { bytes: encodeRpcReply({ retval: rc, payload: new Uint8Array(0) }, RPC_OUT_STRUCT_SIZE), outLen: RPC_OUT_STRUCT_SIZE };
    return { bytes: encodeRpcReply({ retval: CXL_RC.SUCCESS, payload: data }, RPC_OUT_STRUCT_SIZE + count), outLen: RPC_OUT_STRUCT_SIZE + count };
  }

  private setFeature(opSize: number, payload: Uint8Array, record: SimRpcRecord) {
    if (opSize <= SET_FEAT_HDR_SIZE || payload.length < opSize)
      throw kernelError('EINVAL', 'Set Feature needs a header and at least one data byte.', `op_size ${opSize}, in payload ${payload.length}`);
    const p = decodeSetFeatureIn(payload.subarray(0, opSize));
    if (this.reserved.has(p.uuid)) throw kernelError('EPERM', 'The kernel reserves this feature for itself.', p.uuid);
    // cxl_set_feature(): the kernel rewrites the transfer bits and splits the data.
    const pieces = splitSetFeature({ uuid: p.uuid, version: p.version, data: p.data, savedAcrossReset: true }, this.payloadSize);
    let rc: number = CXL_RC.SUCCESS;
    for (const piece of pieces) {
      if (p.offset) view(piece).setUint16(20, (view(piece).getUint16(20, true) + p.offset) & 0xffff, true);
      record.mailboxCommands++;
      rc = this.device.setFeature(piece).rc;
      if (rc !== CXL_RC.SUCCESS) break;
    }
    return { bytes: encodeRpcReply({ retval: rc, payload: new Uint8Array(0) }, RPC_OUT_STRUCT_SIZE), outLen: RPC_OUT_STRUCT_SIZE };
  }

  private checkOpen(): void {
    if (this.closed) throw kernelError('ENODEV', 'The simulated CXL device is closed.', 'fd closed');
  }
}

function padTo(bytes: Uint8Array, size: number): Uint8Array {
  if (bytes.length >= size) return bytes;
  const out = new Uint8Array(size);
  out.set(bytes);
  return out;
}
