// The device host: plain Node, no Electron. The Electron main process, the
// served mode, the CLI and the tests all create one of these.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import type { HostEvent } from '../contract/events';
import type { DeviceInfo, HostFacts } from '../contract/devices';
import type { Channel, ParamsOf, ResultOf } from '../contract/channels';
import type { ResponseEnvelope } from '../contract/wire';
import { HostError } from './errors/host-error';
import { AuditJournal } from './audit/journal';
import { DeviceRegistry, type DeviceEntry } from './devices/registry';
import { SessionManager } from './sessions/session-manager';
import { JobEngine } from './jobs/job-engine';
import { Router, type ClientInfo } from './router';
import { loadLabPolicy, type LabPolicy } from './policy/lab-policy';
import { ensureDir, xdgPaths, type FwbenchPaths } from './platform/xdg-paths';
import { hasCapSysRawio, kernelFwctlTaint, kernelRelease, lockdownState, operatorName } from './platform/host-facts';
import { demoCxlEntry, demoDfuEntry, startDemoBoard, type DemoHandle } from './demo/demo-devices';
import { serialDiscovery, fwctlDiscovery, usbDiscovery, explicitSerialEntry } from './devices/discovery-sources';
import { FWBENCH_VERSION } from './version';
import { rememberLineSettings } from './serial';
import type { LineSettingsParams } from '../contract/catalog/serial';
import { RecipeChannels } from './recipes/recipe-channels';
import { BundleChannels } from './diagnostics/bundle-channels';
import { PreflightEngine } from './preflight/preflight-engine';
import { SupplyWatch } from './preflight/supply-watch';
import { DeviceGraph } from './graph/device-graph';
import { TranscriptStore } from './transcripts/transcript-store';
import { recordLinks } from './transcripts/link-tap';
import { replayEntry } from './transcripts/replay-device';
import type { DiscoverySource } from './devices/registry';
import { hwmonDiscovery } from './telemetry-sources/hwmon-discovery';

export interface HostOptions {
  paths?: FwbenchPaths;
  /** Number of simulated demo boards to start (default 1; 0 for none). */
  demoBoards?: number;
  /** Offer the simulated CXL fwctl device (default: when demo boards are on). */
  demoCxl?: boolean;
  /** Offer the simulated USB DFU device (default: when demo boards are on). */
  demoDfu?: boolean;
  demoTransport?: 'pty' | 'in-process';
  /** Scan sysfs/USB for real devices (default true). */
  discovery?: boolean;
  /** Overrides the policy file (tests). */
  policy?: LabPolicy;
  /** Overrides the CAP_SYS_RAWIO check (tests; the real check reads /proc/self/status). */
  capSysRawio?: () => boolean;
  served?: boolean;
  /** Record each session's traffic under <state>/transcripts (default true). */
  transcripts?: boolean;
  /** Where the device graph reads sysfs (tests); it is only read when discovery is on. */
  sysRoot?: string;
}

type EventListener = (e: HostEvent) => void;

export class Host {
  readonly paths: FwbenchPaths;
  readonly audit: AuditJournal;
  readonly registry: DeviceRegistry;
  readonly sessions: SessionManager;
  readonly jobs: JobEngine;
  private readonly router: Router;
  private readonly listeners = new Map<EventListener, string | null>();
  private readonly demos: DemoHandle[] = [];
  private readonly policy: LabPolicy;
  private readonly capSysRawio: () => boolean;
  private readonly operator = operatorName();
  readonly preflight: PreflightEngine;
  readonly graph: DeviceGraph;
  readonly transcripts: TranscriptStore;
  private readonly supply = new SupplyWatch();
  /** Bundles opened for review; their unpacked copies go when the host closes. */
  private readonly bundles: BundleChannels = new BundleChannels(this);

  private constructor(private readonly opts: HostOptions) {
    this.paths = opts.paths ?? xdgPaths();
    ensureDir(this.paths.state);
    this.policy = opts.policy ?? loadLabPolicy(this.paths.config).policy;
    this.capSysRawio = opts.capSysRawio ?? (() => hasCapSysRawio());
    this.audit = new AuditJournal(join(this.paths.state, 'audit.jsonl'));
    this.audit.onRecord((record) => this.dispatch({ type: 'audit', record }));
    this.jobs = new JobEngine(join(this.paths.state, 'jobs.jsonl'));
    this.jobs.onUpdate((job) => this.dispatch({ type: 'job', job }));
    this.registry = new DeviceRegistry(
      (e) => this.dispatch(e),
      (id) => this.sessions.deviceRemoved(id),
    );
    this.sessions = new SessionManager(
      join(this.paths.state, 'recordings'),
      this.registry,
      (e) => this.dispatch(e),
      (kind, s, detail) =>
        this.audit.append({
          kind,
          outcome: 'ok',
          operator: this.operator,
          client: s.owner,
          sessionId: s.info.id,
          device: { id: s.info.deviceId, label: s.info.deviceLabel, identity: s.info.identity },
          detail,
        }),
    );
    this.graph = DeviceGraph.forSysfs(opts.discovery ?? true, opts.sysRoot);
    this.transcripts = new TranscriptStore(join(this.paths.state, 'transcripts'));
    this.onEvent((e) => {
      this.supply.observe(e);
      if (e.type === 'session' && e.session.state === 'closed') this.transcripts.stop(e.session.id);
    });
    this.preflight = new PreflightEngine({
      sessions: this.sessions,
      registry: this.registry,
      policy: () => this.policy,
      facts: () => ({ capSysRawio: this.capSysRawio(), lockdown: lockdownState() }),
      stateDir: this.paths.state,
      supply: this.supply,
      unitSiblings: (deviceId) => this.graph.siblings(deviceId, this.registry.list()),
    });
    this.router = new Router({
      registry: this.registry,
      sessions: this.sessions,
      jobs: this.jobs,
      audit: this.audit,
      policy: () => this.policy,
      facts: () => this.facts(),
      capSysRawio: this.capSysRawio,
      operator: this.operator,
      recordingsDir: join(this.paths.state, 'recordings'),
      addSerial: (path, protocol, line) => this.addSerial(path, protocol, line),
      preflight: (ctx) => this.preflight.gate(ctx),
      preflightEngine: this.preflight,
      graph: this.graph,
      transcripts: { list: () => this.transcripts.list(), openReplay: (name) => this.openReplay(name) },
      recipes: new RecipeChannels(this),
      diagnostics: this.bundles,
    });
  }

  static async create(opts: HostOptions = {}): Promise<Host> {
    const host = new Host(opts);
    const n = opts.demoBoards ?? 1;
    for (let i = 1; i <= n; i++) {
      const demo = await startDemoBoard({ index: i, emit: (e) => host.dispatch(e), transport: opts.demoTransport });
      host.demos.push(demo);
      host.registry.put(host.recordable(demo.entry));
    }
    if (opts.demoCxl ?? n > 0) host.registry.put(host.recordable(demoCxlEntry({ rawio: host.capSysRawio() })));
    if (opts.demoDfu ?? n > 0) host.registry.put(host.recordable(demoDfuEntry()));
    if (opts.discovery ?? true) {
      host.registry.addSource(host.recordableSource(serialDiscovery((e) => host.dispatch(e))));
      host.registry.addSource(host.recordableSource(fwctlDiscovery((e) => host.dispatch(e))));
      host.registry.addSource(host.recordableSource(usbDiscovery()));
      host.registry.addSource(hwmonDiscovery(opts.sysRoot));
      await host.registry.scan();
      host.registry.startPolling();
    }
    return host;
  }

  facts(): HostFacts {
    return {
      version: FWBENCH_VERSION,
      operator: this.operator,
      platform: process.platform,
      kernel: kernelRelease(),
      capSysRawio: this.capSysRawio(),
      lockdown: lockdownState(),
      kernelFwctlTaint: kernelFwctlTaint(),
      policyMaxScope: this.policy.maxScope,
      grantTtlSeconds: this.policy.grantTtlSeconds,
      servedMode: this.opts.served ?? false,
      auditPath: this.audit.path,
    };
  }

  private async addSerial(path: string, protocol?: string, line?: LineSettingsParams): Promise<DeviceInfo> {
    if (!existsSync(path)) throw new HostError('unknown-device', `${path} does not exist.`);
    // Only character devices: an untrusted client must not point the serial code at a file or a disk.
    if (!statSync(path).isCharacterDevice()) throw new HostError('invalid-params', `${path} is not a serial device (not a character device).`);
    // Remembered per path, so every (re)open of this port uses the operator's line settings.
    if (line) rememberLineSettings(path, line);
    const entry: DeviceEntry = explicitSerialEntry(path, protocol ?? 'console', (e) => this.dispatch(e), this.paths.state);
    this.registry.put(this.recordable(entry));
    return structuredClone(entry.device);
  }

  /** Opens the entry's adapter inside a recording context, so the links it creates are taped per session. */
  recordable(entry: DeviceEntry): DeviceEntry {
    if (this.opts.transcripts === false) return entry;
    const open = entry.factory.open.bind(entry.factory);
    return { ...entry, factory: { open: (sink, sessionId) => recordLinks(this.transcripts.recorderFor(sessionId, entry.device), () => open(sink, sessionId)) } };
  }

  private recordableSource(source: DiscoverySource): DiscoverySource {
    return { name: source.name, scan: async () => (await source.scan()).map((e) => this.recordable(e)) };
  }

  /** Registers a transcript as a read-only simulated device (never itself recorded). */
  private openReplay(name: string): DeviceInfo {
    const entry = replayEntry(this.transcripts.read(name), name, { emit: (e) => this.dispatch(e), scratchDir: join(this.paths.state, 'replay-scratch') });
    this.registry.put(entry);
    return structuredClone(entry.device);
  }

  /** Handles one raw message from an untrusted client. */
  handle(raw: unknown, client: ClientInfo): Promise<ResponseEnvelope> {
    return this.router.handle(raw, client);
  }

  /** Typed in-process calls (CLI, tests) through the very same router. */
  async request<C extends Channel>(channel: C, params: ParamsOf<C>, client: ClientInfo): Promise<ResultOf<C>> {
    const r = await this.router.handle({ id: 0, channel, params }, client);
    if (!r.ok) throw new HostError(r.error.code, r.error.message, r.error.detail);
    return r.result as ResultOf<C>;
  }

  newClient(via: string): ClientInfo {
    return { id: randomUUID(), via };
  }

  /**
   * Subscribes to events. With a client id, session events (console,
   * telemetry, jobs, session state) arrive only for that client's sessions.
   */
  onEvent(listener: EventListener, clientId: string | null = null): () => void {
    this.listeners.set(listener, clientId);
    return () => this.listeners.delete(listener);
  }

  private dispatch(e: HostEvent): void {
    const sessionId = 'sessionId' in e ? e.sessionId : e.type === 'session' ? e.session.id : e.type === 'job' ? e.job.sessionId : null;
    let owner: string | null = null;
    if (sessionId) {
      try {
        owner = this.sessions.get(sessionId).owner;
      } catch {
        owner = e.type === 'session' ? '*closed*' : null;
      }
    }
    for (const [l, client] of this.listeners) {
      if (client && owner && owner !== client && owner !== '*closed*') continue;
      try {
        l(e);
      } catch {
        // A broken listener must not stop the others.
      }
    }
  }

  async clientGone(clientId: string): Promise<void> {
    await this.sessions.closeAllOf(clientId);
  }

  async close(): Promise<void> {
    this.registry.stopPolling();
    await this.sessions.closeAll();
    this.transcripts.stopAll();
    this.bundles.closeAll();
    for (const d of this.demos) await d.stop();
  }
}
