// `fwbench uboot`: the U-Boot session of the app on the command line, through
// the same router, scope policy and audit journal. Each action is one catalog
// command; nothing here talks to the port directly.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { HostError } from '../../host/errors/host-error';
import type { JobInfo } from '../../contract/jobs';
import type { Scope } from '../../contract/scopes';
import { MAX_IMAGE_BYTES } from '../../contract/catalog/common';
import { openCliSession, printJsonOrText, type CliSession } from '../cli-session';
import { EXIT } from '../exit-codes';
import type { Args } from '../args';
import type { CliCommand } from '../command';

type Action =
  | { kind: 'info' }
  | { kind: 'env-get'; name?: string }
  | { kind: 'env-set'; name: string; value: string; save: boolean }
  | { kind: 'env-save' }
  | { kind: 'load' | 'flash'; file: string; data?: Uint8Array }
  | { kind: 'run'; command: string };

const USAGE = [
  'fwbench uboot --port PATH [--json] [--scope S [--yes]] ACTION',
  '',
  'Actions:',
  '  info                      firmware version, board and bdinfo',
  '  env get [NAME]            the whole environment, or one variable',
  '  env set NAME VALUE [--save]  set a variable (backed up first; read back); --save runs saveenv',
  '  env save                  save the environment as it is now (backed up first)',
  '  load FILE                 YMODEM the file to RAM (loady) and check its CRC-32 there',
  '  flash FILE                write FILE to flash through the board\'s recipe, as one verified job',
  '  run COMMAND...            run one U-Boot command (needs --scope debug-write); exit 1 when it fails',
  '',
  'Reading needs no grant. env set/save, load and flash need --scope configuration; run needs',
  '--scope debug-write (it taints the session). --yes skips the confirmation where the lab policy allows it.',
  '',
  'Exit codes: 0 ok, 1 failure, 2 usage, 3 denied by scope or policy, 4 device error, 5 verification failed.',
].join('\n');

/** Parses the action before anything is opened, so a typo never touches the board. */
export function parseUbootAction(args: Args): Action {
  const [, verb, ...rest] = args._; // args._[0] is "uboot"
  const need = (n: number, what: string) => {
    if (rest.length !== n) throw new HostError('bad-request', `fwbench uboot ${what}`, USAGE);
  };
  switch (verb) {
    case 'info':
      need(0, 'info takes no arguments.');
      return { kind: 'info' };
    case 'env': {
      const [sub, ...more] = rest;
      if (sub === 'get' && more.length <= 1) return { kind: 'env-get', name: more[0] };
      if (sub === 'set' && more.length === 2) return { kind: 'env-set', name: more[0], value: more[1], save: args.flags.has('save') };
      if (sub === 'save' && more.length === 0) return { kind: 'env-save' };
      throw new HostError('bad-request', 'fwbench uboot env takes: get [NAME] | set NAME VALUE [--save] | save.', USAGE);
    }
    case 'load':
    case 'flash':
      need(1, `${verb} takes one FILE.`);
      return { kind: verb, file: rest[0] };
    case 'run':
      if (rest.length === 0) throw new HostError('bad-request', 'fwbench uboot run needs the U-Boot command to run.', USAGE);
      return { kind: 'run', command: rest.join(' ') };
    default:
      throw new HostError('bad-request', verb === undefined ? 'fwbench uboot needs an action.' : `fwbench uboot has no action "${verb}".`, USAGE);
  }
}

function readImage(file: string): Uint8Array {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    throw new HostError('invalid-params', `Cannot read ${file}.`, (e as Error).message);
  }
  if (size === 0 || size > MAX_IMAGE_BYTES) throw new HostError('invalid-params', `${file} is ${size} bytes; an image is 1 byte to ${MAX_IMAGE_BYTES} bytes.`);
  return new Uint8Array(readFileSync(file));
}

/** One progress line per step and per 10 %, on stderr so --json output stays clean. */
export function progressPrinter(write: (line: string) => void = (l) => process.stderr.write(l + '\n')): (job: JobInfo) => void {
  let last = '';
  return (job) => {
    const step = job.steps.find((s) => s.state === 'running')?.name ?? job.steps.at(-1)?.name ?? job.title;
    const pct = job.total > 0 ? Math.floor((job.done / job.total) * 10) * 10 : 0;
    const rate = job.bytesPerSecond ? `  ${(job.bytesPerSecond / 1024).toFixed(1)} KiB/s` : '';
    const key = `${step}|${pct}`;
    if (key === last) return;
    last = key;
    write(`${step}: ${pct}%${job.total ? ` (${job.done}/${job.total} bytes)` : ''}${rate}`);
  };
}

async function perform(s: CliSession, a: Action, json: boolean): Promise<number> {
  const cfg: Scope = 'configuration';
  switch (a.kind) {
    case 'info': {
      const info = await s.run<Record<string, unknown> & { bdinfo?: Record<string, string> }>('device.info', cfg, {});
      printJsonOrText(json, info, () => {
        const { bdinfo, ...id } = info;
        return [...Object.entries(id).map(([k, v]) => `${k}: ${String(v)}`), ...Object.entries(bdinfo ?? {}).map(([k, v]) => `  ${k} = ${v}`)].join('\n');
      });
      return EXIT.ok;
    }
    case 'env-get': {
      const { entries } = await s.run<{ entries: { key: string; value: string }[] }>('config.read', cfg, {});
      const env = Object.fromEntries(entries.map((e) => [e.key, e.value]));
      const name = a.name;
      if (name !== undefined) {
        if (!(name in env)) {
          console.error(`fwbench: "${name}" is not set on the board.`);
          return EXIT.failure;
        }
        printJsonOrText(json, { [name]: env[name] }, () => `${name}=${env[name]}`);
      } else printJsonOrText(json, env, () => entries.map((e) => `${e.key}=${e.value}`).join('\n'));
      return EXIT.ok;
    }
    case 'env-set': {
      const r = await s.run<{ applied: string[]; saved: boolean; backupFile: string }>('config.write', cfg, { changes: { [a.name]: a.value }, save: a.save });
      printJsonOrText(json, r, () => `${a.name} set${r.saved ? ' and saved' : ' (not saved: add --save or run `env save`)'}; backup of the previous environment: ${r.backupFile}`);
      return EXIT.ok;
    }
    case 'env-save': {
      // config.write is the audited, backed-up path to saveenv; it needs one change, so it
      // rewrites one variable with the value it already has (read back, nothing else moves).
      const { entries } = await s.run<{ entries: { key: string; value: string }[] }>('config.read', cfg, {});
      const keep = entries.find((e) => e.key === 'bootdelay') ?? entries.find((e) => !/^(filesize|fileaddr|stdin|stdout|stderr)$/.test(e.key));
      if (!keep) throw new HostError('device-error', 'The board reported an empty environment; there is nothing to save.');
      const r = await s.run<{ saved: boolean; backupFile: string }>('config.write', cfg, { changes: { [keep.key]: keep.value }, save: true });
      printJsonOrText(json, r, () => `environment saved; backup taken first: ${r.backupFile}`);
      return EXIT.ok;
    }
    case 'load':
    case 'flash': {
      const data = a.data ?? readImage(a.file);
      const id = a.kind === 'load' ? 'uboot.load' : 'firmware.upload';
      const job = await s.runJob(id, cfg, { name: basename(a.file), data }, progressPrinter());
      printJsonOrText(json, job.result, () =>
        Object.entries((job.result ?? {}) as Record<string, unknown>)
          .map(([k, v]) => `${k}: ${typeof v === 'number' && /addr|crc/i.test(k) ? '0x' + v.toString(16) : String(v)}`)
          .join('\n'),
      );
      return EXIT.ok;
    }
    case 'run': {
      const r = await s.run<{ output: string; status: number }>('uboot.command', 'debug-write', { command: a.command });
      printJsonOrText(json, r, () => r.output);
      if (r.status !== 0 && !json) console.error(`fwbench: "${a.command}" ended with status ${r.status}.`);
      return r.status === 0 ? EXIT.ok : EXIT.failure;
    }
  }
}

export const ubootCommand: CliCommand = {
  name: 'uboot',
  summary: 'U-Boot on a serial port: info, environment, load to RAM, flash, run a command',
  usage: USAGE,
  valued: ['port', 'device', 'scope'],
  async run(args) {
    const action = parseUbootAction(args);
    // Read the image first: a wrong path is a usage error, not a session.
    if (action.kind === 'load' || action.kind === 'flash') action.data = readImage(action.file);
    if (!args.flags.has('port') && !args.flags.has('device')) throw new HostError('bad-request', 'fwbench uboot needs --port PATH (the U-Boot console).', USAGE);
    const s = await openCliSession(args, { protocol: 'uboot' });
    try {
      return await perform(s, action, args.flags.has('json'));
    } catch (e) {
      const err = HostError.from(e);
      if (err.code === 'grant-required' || err.code === 'scope-too-low')
        throw new HostError(err.code, `${err.message} Run again with --scope ${action.kind === 'run' ? 'debug-write' : 'configuration'} (add --yes where the lab policy allows it).`, err.detail);
      throw err;
    } finally {
      await s.close();
    }
  },
};
