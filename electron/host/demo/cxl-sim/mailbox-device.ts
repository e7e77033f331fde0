// The simulated device behind the mailbox: answers the three feature commands
// with CXL return codes, like QEMU's hw/cxl/cxl-mailbox-utils.c does.
import { CXL_RC } from '../../protocols/cxl/return-codes';
import { decodeGetFeatureIn, decodeSetFeatureIn, type CxlFeatureEntryInput } from '../../protocols/cxl/feature-commands';
import { FeatureFlag, SetFeatTransfer } from '../../protocols/cxl/layout';
import type { SimFeature } from './features';

export interface MailboxResult {
  rc: number;
  payload: Uint8Array;
}

interface TransferInProgress {
  uuid: string;
  received: number;
  buffer: Uint8Array;
}

export class CxlMailboxDevice {
  private transfer: TransferInProgress | null = null;

  constructor(readonly features: SimFeature[]) {}

  entry(i: number): CxlFeatureEntryInput {
    const f = this.features[i];
    return { uuid: f.uuid, index: i, getSize: f.current.length, setSize: f.setSize, flags: f.flags, getVersion: f.getVersion, setVersion: f.setVersion, effects: f.effects };
  }

  find(uuid: string): SimFeature | undefined {
    return this.features.find((f) => f.uuid === uuid);
  }

  getFeature(payload: Uint8Array): MailboxResult {
    const p = decodeGetFeatureIn(payload);
    const f = this.find(p.uuid);
    if (!f) return fail(CXL_RC.UNSUPPORTED);
    let src: Uint8Array;
    if (p.selection === 0) src = f.current;
    else if (p.selection === 1 && f.flags & FeatureFlag.DefaultSel) src = f.defaults;
    else if (p.selection === 2 && f.flags & FeatureFlag.SavedSel) src = f.current;
    else return fail(CXL_RC.FEATURESELVALUE);
    if (p.offset >= src.length) return fail(CXL_RC.INPUT);
    return { rc: CXL_RC.SUCCESS, payload: src.slice(p.offset, p.offset + Math.min(p.count, src.length - p.offset)) };
  }

  setFeature(payload: Uint8Array): MailboxResult {
    const p = decodeSetFeatureIn(payload);
    const f = this.find(p.uuid);
    if (!f) return fail(CXL_RC.UNSUPPORTED);
    if (!(f.flags & FeatureFlag.Changeable)) return fail(CXL_RC.UNSUPPORTED);
    if (p.version !== f.setVersion) return fail(CXL_RC.FEATUREVERSION);
    switch (p.transferValue) {
      case SetFeatTransfer.Full:
        if (this.transfer) return fail(CXL_RC.FEATURETRANSFERIP);
        if (p.offset !== 0) return fail(CXL_RC.INPUT);
        return { rc: f.apply(p.data), payload: new Uint8Array(0) };
      case SetFeatTransfer.Initiate:
        if (this.transfer) return fail(CXL_RC.FEATURETRANSFERIP);
        if (p.offset !== 0 || p.data.length > f.setSize) return fail(CXL_RC.INPUT);
        this.transfer = { uuid: f.uuid, received: 0, buffer: new Uint8Array(f.setSize) };
        return this.take(p.offset, p.data);
      case SetFeatTransfer.Continue:
      case SetFeatTransfer.Finish: {
        if (!this.transfer || this.transfer.uuid !== f.uuid) return fail(CXL_RC.FEATURETRANSFEROOO);
        const r = this.take(p.offset, p.data);
        if (r.rc !== CXL_RC.SUCCESS || p.transferValue === SetFeatTransfer.Continue) return r;
        const t = this.transfer;
        this.transfer = null;
        return { rc: f.apply(t.buffer.subarray(0, t.received)), payload: new Uint8Array(0) };
      }
      case SetFeatTransfer.Abort:
        this.transfer = null;
        return { rc: CXL_RC.SUCCESS, payload: new Uint8Array(0) };
      default:
        return fail(CXL_RC.INPUT);
    }
  }

  private take(offset: number, data: Uint8Array): MailboxResult {
    const t = this.transfer!;
    if (offset !== t.received) {
      this.transfer = null;
      return fail(CXL_RC.FEATURETRANSFEROOO);
    }
    if (offset + data.length > t.buffer.length) {
      this.transfer = null;
      return fail(CXL_RC.INPUT);
    }
    t.buffer.set(data, offset);
    t.received += data.length;
    return { rc: CXL_RC.SUCCESS, payload: new Uint8Array(0) };
  }
}

function fail(rc: number): MailboxResult {
  return { rc, payload: new Uint8Array(0) };
}
