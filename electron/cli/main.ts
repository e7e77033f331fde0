// `fwbench`: the command line twin of the app, on the same host code.
import { Host } from '../host/host';
import { HostError } from '../host/errors/host-error';
import { serveApp } from '../host/serve/served-app';
import { openInBrowser } from './open-browser';
import { rendererDir } from './renderer-dir';
import { verifyJournal } from '../host/audit/journal';
import { join } from 'node:path';
import { xdgPaths } from '../host/platform/xdg-paths';

/** Exit codes, documented in the README: scripts rely on them. */
export const EXIT = { ok: 0, failure: 1, usage: 2, denied: 3, deviceError: 4, verifyFailed: 5 } as const;

const USAGE = `fwbench — hardware bring-up workbench

Usage:
  fwbench serve [--port N] [--open] [--demo-boards N]   serve the app on 127.0.0.1
  fwbench devices [--json]                              list devices
  fwbench audit verify [--json] [--file PATH]           check the audit journal's hash chain
  fwbench help

Exit codes: 0 ok, 1 failure, 2 usage, 3 denied by scope or policy, 4 device error, 5 verification failed.`;

interface Args {
  _: string[];
  flags: Map<string, string | true>;
}

function parseArgs(argv: string[]): Args {
  const _: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2);
      if (v !== undefined) flags.set(k, v);
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--') && ['port', 'demo-boards', 'file'].includes(k)) flags.set(k, argv[++i]);
      else flags.set(k, true);
    } else _.push(a);
  }
  return { _, flags };
}

function intFlag(args: Args, name: string, dflt: number): number {
  const v = args.flags.get(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new HostError('bad-request', `--${name} takes a whole number.`);
  return n;
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const [cmd, sub] = args._;
  const json = args.flags.has('json');
  switch (cmd) {
    case 'serve': {
      const host = await Host.create({ served: true, demoBoards: intFlag(args, 'demo-boards', 1) });
      const app = await serveApp(host, { port: intFlag(args, 'port', 0), staticDir: rendererDir() });
      // On a line of its own so scripts and tests can read it.
      console.log(app.url);
      if (args.flags.has('open')) openInBrowser(app.url);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await app.close();
      await host.close();
      return EXIT.ok;
    }
    case 'devices': {
      const host = await Host.create({ demoBoards: 0 });
      try {
        const devices = host.registry.list();
        if (json) console.log(JSON.stringify(devices, null, 2));
        else if (devices.length === 0) console.log('no devices found');
        else for (const d of devices) console.log(`${d.id}\t${d.label}\t${d.protocol}${d.path ? '\t' + d.path : ''}`);
        for (const [source, note] of host.registry.notes) if (!json) console.error(`note: ${source}: ${note}`);
      } finally {
        await host.close();
      }
      return EXIT.ok;
    }
    case 'audit': {
      if (sub !== 'verify') break;
      const file = (args.flags.get('file') as string | undefined) ?? join(xdgPaths().state, 'audit.jsonl');
      const head = args.flags.has('file') ? undefined : join(xdgPaths().state, 'audit.head');
      const r = verifyJournal(file, head);
      if (json) console.log(JSON.stringify(r, null, 2));
      else {
        console.log(r.ok ? `audit journal intact: ${r.records} records (${file})` : `audit journal TAMPERED: ${r.problems.length} problem(s) in ${file}`);
        for (const p of r.problems) console.log(`  line ${p.line}: ${p.problem}`);
      }
      return r.ok ? EXIT.ok : EXIT.verifyFailed;
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return cmd ? EXIT.ok : EXIT.usage;
  }
  console.error(`fwbench: unknown command "${argv.join(' ')}"\n\n${USAGE}`);
  return EXIT.usage;
}

export function exitCodeFor(err: unknown): number {
  const e = HostError.from(err);
  if (['grant-required', 'scope-too-low', 'scope-denied-by-policy', 'confirmation-required', 'capability-missing', 'permission-denied'].includes(e.code)) return EXIT.denied;
  if (['device-error', 'device-gone', 'timeout', 'protocol-error', 'io-error', 'device-busy'].includes(e.code)) return EXIT.deviceError;
  if (e.code === 'verification-failed') return EXIT.verifyFailed;
  if (e.code === 'bad-request' || e.code === 'invalid-params') return EXIT.usage;
  return EXIT.failure;
}
