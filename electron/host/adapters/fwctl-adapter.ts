// fwctl devices (real /dev/fwctl/fwctlN through the addon, or the simulated CXL
// device): INFO, raw RPCs at an explicit scope, and for CXL the feature table
// with the scope each Set needs, so fwbench never sends a scope the kernel
// would refuse.
import type { HostEvent } from '../../contract/events';
import type { Scope } from '../../contract/scopes';
import { cxlFeatureGet, cxlFeatureList, cxlFeatureSet, cxlRpcCompose, fwctlInfo, fwctlRpc } from '../../contract/catalog/fwctl';
import { deviceInfo, firmwareUpload } from '../../contract/catalog/common';
import { uploadFirmware } from '../fwctl/firmware-upload';
import { HostError } from '../errors/host-error';
import type { FwctlTransport } from '../fwctl/transport';
import { CxlFwctlClient, decodeFeatureData, decodeRpcReply, describeReturnCode, encodeRpc, decodeSetFeatureIn, CxlOpcode, requiredSetScope, scopeReason, CXL_FEATURE_TITLE, knownFeatureKey, type CxlFeatureInfo } from '../protocols/cxl';
import { decodeMlx5Info } from '../protocols/mlx5';
import { decodePdsInfo } from '../protocols/pds';
import { tapFwctl } from '../transcripts/link-tap';
import { bind, type AdapterSink, type BoundCommand, type DeviceAdapter } from './device-adapter';
import { PollController } from '../telemetry-sources/poll-controller';
import { planCxlFeaturePoll } from '../telemetry-sources/cxl-feature-reader';

const DEVICE_TYPES: Record<number, string> = { 1: 'mlx5', 2: 'cxl', 3: 'bnxt', 4: 'pds' };

function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

function decodeInfo(type: string, data: Uint8Array): unknown {
  try {
    if (type === 'mlx5') return decodeMlx5Info(data);
    if (type === 'pds') return decodePdsInfo(data);
  } catch (e) {
    return { error: (e as Error).message };
  }
  return null;
}

function decodeCxlReply(reply: Uint8Array): unknown {
  try {
    const r = decodeRpcReply(reply);
    return { retval: r.retval, meaning: describeReturnCode(r.retval), payload: toHex(r.payload) };
  } catch (e) {
    return { error: HostError.from(e).message };
  }
}

export interface FwctlAdapterOptions {
  firmwareSysfsDir?: string;
}

export class FwctlAdapter implements DeviceAdapter {
  readonly protocol: string;
  private features: CxlFeatureInfo[] = [];
  /** The kernel's firmware-upload class directory of this device (/sys/class/firmware/memN), when it has one. */
  private firmwareDir: string | null = null;
  private readonly cxl: CxlFwctlClient | null;
  private closed = false;
  /** CXL feature fields polled as telemetry (telemetry.poll); stops when the device is gone. */
  private readonly polls: PollController;

  private constructor(
    private readonly transport: FwctlTransport,
    private readonly deviceType: number,
    private readonly deviceData: Uint8Array,
    private readonly sink: AdapterSink,
    private readonly label: string,
  ) {
    this.protocol = DEVICE_TYPES[deviceType] ?? 'fwctl';
    this.cxl = this.protocol === 'cxl' ? new CxlFwctlClient(transport) : null;
    this.polls = new PollController({ emit: sink.emit, isFatal: (e) => e.code === 'device-gone', onFatal: (e) => !this.closed && sink.lost(e) });
  }

  static async open(transport: FwctlTransport, sink: AdapterSink, label: string, opts: FwctlAdapterOptions = {}): Promise<FwctlAdapter> {
    try {
      const info = await transport.info();
      const a = new FwctlAdapter(transport, info.deviceType, info.deviceData, sink, label);
      a.firmwareDir = opts.firmwareSysfsDir ?? null;
      if (a.cxl) a.features = await a.cxl.getSupportedFeatures();
      return a;
    } catch (e) {
      await transport.close().catch(() => {});
      throw e;
    }
  }

  identity(): Record<string, string> {
    return { fwctlType: this.protocol, ...(this.transport.simulated ? { simulated: 'yes' } : {}), ...(this.cxl ? { features: String(this.features.length) } : {}) };
  }

  /** An unplugged device answers ENODEV: the session ends cleanly as gone. */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof HostError && e.code === 'device-gone' && !this.closed) this.sink.lost(e);
      throw e;
    }
  }

  private feature(uuid: string): CxlFeatureInfo {
    const f = this.features.find((x) => x.uuid === uuid.toLowerCase());
    if (!f) throw new HostError('not-supported', `${this.label} does not list the feature ${uuid}.`);
    return f;
  }

  private describe(f: CxlFeatureInfo) {
    const key = knownFeatureKey(f.uuid);
    const scope = requiredSetScope(f);
    return { ...f, title: key ? CXL_FEATURE_TITLE[key] : 'Unknown feature', setScope: scope, setScopeReason: scopeReason(f) };
  }

  commands(): readonly BoundCommand[] {
    const common: BoundCommand[] = [
      bind(deviceInfo, async () => this.identity()),
      bind(fwctlInfo, async () =>
        this.guard(async () => {
          const info = await this.transport.info();
          return { deviceType: info.deviceType, driver: DEVICE_TYPES[info.deviceType] ?? 'unknown', deviceData: toHex(info.deviceData), decoded: decodeInfo(this.protocol, info.deviceData), simulated: this.transport.simulated };
        }),
      ),
      bind(
        fwctlRpc,
        async (p) =>
          this.guard(async () => {
            const reply = await this.transport.rpc(p.rpcScope, p.request, p.outLen);
            return { reply, decoded: this.cxl ? decodeCxlReply(reply) : null };
          }),
        {
          scopeFor: (p) => p.rpcScope,
          effectsFor: (p) => (p.rpcScope === 'debug-read-only' ? ['reads-device'] : fwctlRpc.effects),
        },
      ),
    ];
    if (this.firmwareDir) {
      const dir = this.firmwareDir;
      common.push(
        bind(firmwareUpload, async (p, ctx) => {
          const job = ctx.job!;
          await job.step('Transfer through the firmware-upload class', () =>
            uploadFirmware(dir, p.data, (x) => job.progress(x.total - x.remaining, x.total), job.signal),
          );
          // The device stages the image; it becomes active at the next reset (Get FW Info shows the slot).
          return { staged: true, bytes: p.data.length, sysfs: dir };
        }),
      );
    }
    if (!this.cxl) return common;
    const cxl = this.cxl;
    return [
      ...common,
      bind(cxlRpcCompose, async (p) => this.compose(p.opcode, p.payload)),
      bind(cxlFeatureList, async () =>
        this.guard(async () => {
          this.features = await cxl.getSupportedFeatures();
          const out = [];
          for (const f of this.features) {
            let current: { raw: string; decoded: unknown } | { error: string };
            try {
              const data = await cxl.getFeature(f.uuid);
              current = { raw: toHex(data), decoded: decodeFeatureData(f.uuid, data) };
            } catch (e) {
              if (e instanceof HostError && e.code === 'device-gone') throw e;
              current = { error: HostError.from(e).message };
            }
            out.push({ ...this.describe(f), current });
          }
          return { features: out };
        }),
      ),
      bind(cxlFeatureGet, async (p) =>
        this.guard(async () => {
          const f = this.feature(p.uuid);
          const data = await cxl.getFeature(f.uuid, { selection: p.selection });
          return { feature: this.describe(f), raw: toHex(data), decoded: decodeFeatureData(f.uuid, data) };
        }),
      ),
      bind(
        cxlFeatureSet,
        async (p, _ctx) =>
          this.guard(async () => {
            const f = this.feature(p.uuid);
            if (p.data.length !== f.setSize)
              throw new HostError('invalid-params', `${this.describe(f).title} takes exactly ${f.setSize} bytes of Set Feature data; ${p.data.length} were given.`);
            await cxl.setFeature(f.uuid, p.data);
            const after = await cxl.getFeature(f.uuid);
            return { feature: this.describe(f), raw: toHex(after), decoded: decodeFeatureData(f.uuid, after) };
          }),
        {
          // The kernel's rule, applied before sending: immediate effects need debug-write-full.
          scopeFor: (p): Scope => {
            const f = this.feature(p.uuid);
            const s = requiredSetScope(f);
            if (!s) throw new HostError('not-supported', `${this.describe(f).title} cannot be changed: ${scopeReason(f)}`);
            return s;
          },
        },
      ),
      ...this.polls.commands(async (p) => planCxlFeaturePoll(cxl, this.features, p)),
    ];
  }

  /** What the composer shows before anything is sent: the bytes, the fields, and the scope with its reason. */
  private compose(opcode: number, payload: Uint8Array) {
    const request = encodeRpc({ opcode, payload });
    const fields: Record<string, string | number> = { opcode: `0x${opcode.toString(16).padStart(4, '0')}`, flags: 0, op_size: payload.length };
    let scope: Scope | null;
    let why: string;
    if (opcode === CxlOpcode.GetSupportedFeatures || opcode === CxlOpcode.GetFeature) {
      scope = 'configuration';
      why = 'The kernel lets Get Supported Features and Get Feature run at any scope; they only read.';
    } else if (opcode === CxlOpcode.SetFeature) {
      try {
        const set = decodeSetFeatureIn(payload);
        fields.uuid = set.uuid;
        const f = this.feature(set.uuid);
        scope = requiredSetScope(f);
        why = scopeReason(f);
      } catch (e) {
        scope = null;
        why = HostError.from(e).message;
      }
    } else {
      scope = null;
      why = 'The kernel\'s CXL fwctl driver accepts only Get Supported Features (0x0500), Get Feature (0x0501) and Set Feature (0x0502); it refuses this opcode with EINVAL.';
    }
    return { request, requestHex: toHex(request), fields, scope, why };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.polls.close();
    await this.transport.close();
  }
}

export async function openFwctlAdapter(path: string, sink: AdapterSink, _sessionId: string, _emit: (e: HostEvent) => void, opts: FwctlAdapterOptions = {}): Promise<DeviceAdapter> {
  const { openNativeFwctl } = await import('../fwctl/native-transport');
  const transport = await openNativeFwctl(path);
  return FwctlAdapter.open(tapFwctl(transport), sink, path, opts);
}
