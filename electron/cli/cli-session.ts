// What a CLI command that touches a device does first: the same host, the same
// router, the same scope policy and audit as the app. A scope is granted only
// with --scope, after a confirmation prompt (or --yes where the lab policy
// allows it).
import { createInterface } from 'node:readline/promises';
import { Host } from '../host/host';
import type { ClientInfo } from '../host/router';
import { HostError } from '../host/errors/host-error';
import { SCOPE_INFO, isScope, type Scope } from '../contract/scopes';
import type { SessionInfo } from '../contract/devices';
import type { JobInfo } from '../contract/jobs';
import { loadLabPolicy } from '../host/policy/lab-policy';
import { xdgPaths } from '../host/platform/xdg-paths';
import type { Args } from './args';
import { stringFlag } from './args';

export interface CliSession {
  host: Host;
  client: ClientInfo;
  session: SessionInfo;
  /** Runs a catalog command through the router, at `scope`. */
  run<T = unknown>(commandId: string, scope: Scope, params: unknown): Promise<T>;
  /** Runs a job command and waits for it to end; rejects with the job's error. */
  runJob(commandId: string, scope: Scope, params: unknown, onUpdate?: (job: JobInfo) => void): Promise<JobInfo>;
  close(): Promise<void>;
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

async function ask(question: string): Promise<string> {
  if (!process.stdin.isTTY) return '';
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/**
 * Opens a session on a device: by --device ID, or an explicit serial --port
 * PATH (registered with `protocol`). Grants --scope when given.
 */
export async function openCliSession(args: Args, opts: { protocol?: string; demoBoards?: number } = {}): Promise<CliSession> {
  // --demo brings up the simulated devices, so every command can be tried without hardware.
  const demo = args.flags.has('demo');
  const host = await Host.create({ demoBoards: opts.demoBoards ?? (demo ? 1 : 0), demoCxl: demo, discovery: !stringFlag(args, 'port') });
  const client = host.newClient('cli');
  try {
    let deviceId = stringFlag(args, 'device');
    const port = stringFlag(args, 'port');
    if (port) deviceId = (await host.request('devices.add-serial', { path: port, protocol: opts.protocol as never }, client)).id;
    if (!deviceId) throw new HostError('bad-request', 'Name the device with --device ID (see `fwbench devices`) or --port PATH.');
    let session = await host.request('session.open', { deviceId }, client);
    const scopeText = stringFlag(args, 'scope');
    if (scopeText !== undefined) {
      if (!isScope(scopeText)) throw new HostError('bad-request', `--scope takes one of configuration, debug-read-only, debug-write, debug-write-full.`);
      const scope: Scope = scopeText;
      const info = SCOPE_INFO[scope];
      const policy = loadLabPolicy(xdgPaths().config).policy;
      const yes = args.flags.has('yes');
      if (yes && !policy.allowYes) throw new HostError('scope-denied-by-policy', 'The lab policy does not allow --yes; run interactively to confirm the grant.', 'policy.allowYes=false');
      let typed: string | undefined;
      if (!yes) {
        const ok = await confirm(`Grant ${info.title} on ${session.deviceLabel}? ${info.allows}${info.taints ? ' The session becomes tainted.' : ''}`);
        if (!ok) throw new HostError('confirmation-required', `The ${info.title} grant was not confirmed.`);
      }
      if (info.typedConfirmation) typed = yes ? session.deviceLabel : await ask(`Type the device name "${session.deviceLabel}" to confirm: `);
      session = await host.request('session.grant', { sessionId: session.id, scope, confirm: { acknowledged: true, typed } }, client);
    }
    const sessionId = session.id;
    return {
      host,
      client,
      session,
      run: async <T>(commandId: string, scope: Scope, params: unknown) => {
        const r = await host.request('command.run', { sessionId, commandId, scope, params }, client);
        return r.result as T;
      },
      runJob: async (commandId, scope, params, onUpdate) => {
        let resolveDone!: (j: JobInfo) => void;
        const done = new Promise<JobInfo>((r) => (resolveDone = r));
        let jobId: string | undefined;
        const early: JobInfo[] = [];
        const off = host.onEvent((e) => {
          if (e.type !== 'job') return;
          if (!jobId) return void early.push(e.job);
          if (e.job.id !== jobId) return;
          onUpdate?.(e.job);
          if (e.job.state !== 'running') resolveDone(e.job);
        }, client.id);
        try {
          const r = await host.request('command.run', { sessionId, commandId, scope, params }, client);
          jobId = r.jobId;
          if (!jobId) throw new HostError('internal', `${commandId} did not start a job.`);
          for (const j of early) if (j.id === jobId && j.state !== 'running') resolveDone(j);
          const end = await done;
          if (end.state !== 'done') throw new HostError((end.error?.code as never) ?? 'internal', end.error?.message ?? `The job ${end.state}.`, end.error?.detail);
          return end;
        } finally {
          off();
        }
      },
      close: async () => {
        await host.close();
      },
    };
  } catch (e) {
    await host.close();
    throw e;
  }
}

export function printJsonOrText(json: boolean, value: unknown, text: () => string): void {
  console.log(json ? JSON.stringify(value, null, 2) : text());
}
