// CXL feature access over fwctl. Reads use the lowest scope the kernel accepts
// (CONFIGURATION: Get Supported Features / Get Feature are not scope-checked by
// drivers/cxl/core/features.c); Set Feature uses the scope the kernel will
// demand for that feature, so fwbench never sends a scope the kernel refuses.
import type { Scope } from '../../../contract/scopes';
import { HostError } from '../../errors/host-error';
import { FWCTL_MAX_RPC_LEN, type FwctlTransport } from '../../fwctl/transport';
import { decodeRpcReply, encodeRpc } from './envelope';
import {
  decodeGetSupportedFeaturesOut,
  encodeGetFeatureIn,
  encodeGetSupportedFeaturesIn,
  encodeSetFeatureIn,
  type CxlFeatureInfo,
  type FeatureSelection,
} from './feature-commands';
import { CxlOpcode, FEAT_ENTRY_SIZE, GET_SUP_FEATS_OUT_HDR_SIZE, RPC_HDR_SIZE, RPC_OUT_STRUCT_SIZE, SET_FEAT_HDR_SIZE } from './layout';
import { describeReturnCode } from './return-codes';
import { requiredSetScope, scopeReason } from './set-scope';
import { normalizeUuid } from './uuid';

export interface CxlClientOptions {
  /** Feature entries asked for per Get Supported Features call. */
  pageEntries?: number;
  /** Bytes asked for per Get Feature call. */
  readChunk?: number;
}

const READ_SCOPE: Scope = 'configuration';

export class CxlFwctlClient {
  private features: CxlFeatureInfo[] | null = null;
  private readonly pageEntries: number;
  private readonly readChunk: number;

  constructor(
    private readonly t: FwctlTransport,
    opts: CxlClientOptions = {},
  ) {
    this.pageEntries = opts.pageEntries ?? 32;
    this.readChunk = opts.readChunk ?? 4096;
    if (!Number.isInteger(this.pageEntries) || this.pageEntries < 1 || this.pageEntries > 1365)
      throw new HostError('invalid-params', 'The feature page size must be 1..1365 entries.', `pageEntries=${this.pageEntries}`);
    if (!Number.isInteger(this.readChunk) || this.readChunk < 1 || this.readChunk > 0xffff)
      throw new HostError('invalid-params', 'The read chunk must be 1..65535 bytes.', `readChunk=${this.readChunk}`);
  }

  /** The whole supported-feature list, assembled across as many pages as it takes. */
  async getSupportedFeatures(): Promise<CxlFeatureInfo[]> {
    const all: CxlFeatureInfo[] = [];
    let total = Infinity;
    while (all.length < total) {
      const payload = encodeGetSupportedFeaturesIn({ count: this.pageEntries * FEAT_ENTRY_SIZE, startIndex: all.length });
      // The kernel reports sizeof(fwctl_rpc_cxl_out) + the entries block as out_len.
      const outLen = RPC_OUT_STRUCT_SIZE + GET_SUP_FEATS_OUT_HDR_SIZE + this.pageEntries * FEAT_ENTRY_SIZE;
      const reply = await this.call(READ_SCOPE, CxlOpcode.GetSupportedFeatures, payload, outLen, 'Get Supported Features');
      const page = decodeGetSupportedFeaturesOut(reply);
      total = page.supportedFeatures;
      if (page.numEntries === 0 && all.length < total)
        throw new HostError('protocol-error', 'The device stopped listing features early.', `got ${all.length} of ${total}`);
      if (all.length + page.numEntries > total)
        throw new HostError('protocol-error', 'The device listed more features than it said it has.', `${all.length + page.numEntries} > ${total}`);
      all.push(...page.entries);
    }
    this.features = all;
    return all;
  }

  async getFeature(uuid: string, opts: { selection?: FeatureSelection } = {}): Promise<Uint8Array> {
    const f = await this.feature(uuid);
    const selection = opts.selection ?? 'current';
    if (selection === 'default' && !f.attributes.defaultSelection)
      throw new HostError('not-supported', 'The device does not offer a default value for this feature.', f.uuid);
    if (selection === 'saved' && !f.attributes.savedSelection)
      throw new HostError('not-supported', 'The device does not offer a saved value for this feature.', f.uuid);
    const data = new Uint8Array(f.getSize);
    let offset = 0;
    while (offset < f.getSize) {
      const count = Math.min(this.readChunk, f.getSize - offset);
      const payload = encodeGetFeatureIn({ uuid: f.uuid, offset, count, selection });
      const piece = await this.call(READ_SCOPE, CxlOpcode.GetFeature, payload, RPC_OUT_STRUCT_SIZE + count, 'Get Feature');
      if (piece.length === 0) throw new HostError('protocol-error', 'The device returned no feature data.', `${f.uuid} at offset ${offset}`);
      if (piece.length > count)
        throw new HostError('protocol-error', 'The device returned more feature data than asked for.', `asked ${count}, got ${piece.length}`);
      data.set(piece, offset);
      offset += piece.length;
    }
    return data;
  }

  async setFeature(uuid: string, data: Uint8Array, scope?: Scope): Promise<void> {
    const f = await this.feature(uuid);
    const useScope = scope ?? requiredSetScope(f);
    if (useScope === null) throw new HostError('not-supported', scopeReason(f), f.uuid);
    if (data.length === 0) throw new HostError('invalid-params', 'Set Feature needs at least one byte of data.', f.uuid);
    // set size 0 is how the kernel masks features it reserves; an explicit
    // scope still goes through so the kernel gives its own answer (EPERM).
    if (f.setSize > 0 && data.length > f.setSize)
      throw new HostError('invalid-params', 'The data is larger than the feature accepts.', `${data.length} bytes > set size ${f.setSize}`);
    // One RPC carries it all: the kernel splits it into mailbox-sized
    // initiate/continue/finish pieces itself and rewrites the transfer bits.
    const payload = encodeSetFeatureIn({ uuid: f.uuid, transfer: 'full', savedAcrossReset: true, offset: 0, version: f.setVersion, data });
    if (RPC_HDR_SIZE + SET_FEAT_HDR_SIZE + data.length > FWCTL_MAX_RPC_LEN)
      throw new HostError('invalid-params', 'The feature data exceeds the fwctl 2 MiB limit.', `${data.length} bytes`);
    await this.call(useScope, CxlOpcode.SetFeature, payload, RPC_OUT_STRUCT_SIZE, 'Set Feature');
  }

  requiredSetScope(f: CxlFeatureInfo): Scope | null {
    return requiredSetScope(f);
  }

  scopeReason(f: CxlFeatureInfo): string {
    return scopeReason(f);
  }

  private async feature(uuid: string): Promise<CxlFeatureInfo> {
    const id = normalizeUuid(uuid);
    const list = this.features ?? (await this.getSupportedFeatures());
    const f = list.find((x) => x.uuid === id);
    if (!f) throw new HostError('not-supported', 'The device does not offer this feature.', id);
    return f;
  }

  private async call(scope: Scope, opcode: number, payload: Uint8Array, outLen: number, what: string): Promise<Uint8Array> {
    const raw = await this.t.rpc(scope, encodeRpc({ opcode, payload }), outLen);
    const reply = decodeRpcReply(raw);
    if (reply.retval !== 0) {
      const rc = describeReturnCode(reply.retval);
      throw new HostError('device-error', rc.meaning, `${what}: CXL mailbox return code ${rc.code} (${rc.name})`);
    }
    return reply.payload;
  }
}
