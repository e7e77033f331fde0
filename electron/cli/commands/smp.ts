// `fwbench smp`: MCUmgr SMP on the command line — each action is one catalog
// command run through the same router, scope policy and audit journal as the
// app (smp.* and firmware.update from catalog/firmware.ts).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { HostError } from '../../host/errors/host-error';
import type { Scope } from '../../contract/scopes';
import type { JobInfo } from '../../contract/jobs';
import { smpConfirmScope } from '../../contract/catalog/firmware';
import { MAX_IMAGE_BYTES } from '../../contract/catalog/common';
import { openCliSession, printJsonOrText, type CliSession } from '../cli-session';
import { EXIT } from '../exit-codes';
import type { Args } from '../args';
import { stringFlag } from '../args';
import type { CliCommand } from '../command';

const USAGE = [
  'fwbench smp --port PATH | --device ID [--json] [--scope S [--yes]] ACTION',
  '',
  'Actions:',
  '  echo TEXT                 the device echoes TEXT (SMP works end to end; its buf_size limits the length)',
  '  params                    SMP buffer size and count',
  '  image list                image slots: version, hash, active / pending / confirmed',
  '  image upload FILE         safe update: check, upload, trial boot, check it runs, confirm',
  '       [--no-activate]      only upload and mark for a trial boot at the next reset',
  '       [--no-confirm]       activate but leave it on trial (reverts at the next reset)',
  '       [--allow-downgrade]  accept an image that is not newer than the running one',
  '  image test HASH           run the image with HASH at the next reset, on trial',
  '  image confirm [HASH]      keep the running image; with HASH make that image permanent',
  '  image erase               erase slot 1',
  '  stats list                statistics groups',
  '  stats read GROUP          one group\'s counters',
  '  settings read NAME        one setting',
  '  settings write NAME VALUE [--save]',
  '  reset                     reset the device and wait for it to answer again',
  '',
  'Scopes: reads need no grant; upload, test, confirm (no hash), settings write and reset need',
  '--scope configuration; erase and confirm HASH need --scope debug-write (they can leave a board',
  'without a working image). --yes skips the confirmation where the lab policy allows it.',
  '--port PATH talks SMP to any serial device; --device demo:DEMO-1001 uses a fresh built-in demo board.',
  '',
  'An action whose group the device lacks (e.g. image on a build without the img group) says',
  '"not offered by this device" and exits 1; everything else on that device still works.',
  '',
  'Exit codes: 0 ok, 1 failure, 2 usage, 3 denied by scope or policy, 4 device error, 5 verification failed.',
].join('\n');

interface Planned {
  commandId: string;
  scope: Scope;
  params: Record<string, unknown>;
  job?: boolean;
  text(result: unknown): string;
}

/** Turns the positional words into one catalog command (pure: tested without a device). */
export function planSmpAction(args: Args): Planned {
  // main() parses the whole argv, so the first word is the command's own name.
  const words = args._[0] === 'smp' ? args._.slice(1) : args._;
  const [a, b, c, d] = words;
  const need = (v: string | undefined, what: string): string => {
    if (v === undefined || v === '') throw new HostError('bad-request', `smp ${a}${b ? ' ' + b : ''} needs ${what}.`);
    return v;
  };
  switch (`${a ?? ''} ${['image', 'stats', 'settings'].includes(a ?? '') ? (b ?? '') : ''}`.trim()) {
    case 'echo':
      return { commandId: 'smp.echo', scope: 'configuration', params: { text: words.slice(1).join(' ') || need(undefined, 'TEXT') }, text: (r) => (r as { text: string }).text };
    case 'params':
      return { commandId: 'smp.params', scope: 'configuration', params: {}, text: (r) => `buf_size ${(r as { bufSize: number }).bufSize}, buf_count ${(r as { bufCount: number }).bufCount}` };
    case 'image list':
      return { commandId: 'smp.image.list', scope: 'configuration', params: {}, text: (r) => slotsText((r as { images: Slot[] }).images) };
    case 'image upload': {
      const file = need(c, 'a FILE');
      let data: Uint8Array;
      try {
        data = new Uint8Array(readFileSync(file));
      } catch (e) {
        throw new HostError('bad-request', `Cannot read ${file}.`, (e as Error).message);
      }
      if (data.length === 0 || data.length > MAX_IMAGE_BYTES) throw new HostError('bad-request', `${file} must be 1 byte to ${MAX_IMAGE_BYTES} bytes.`);
      return {
        commandId: 'firmware.update',
        scope: 'configuration',
        job: true,
        params: { name: basename(file), data, activate: !args.flags.has('no-activate'), confirm: !args.flags.has('no-confirm'), allowDowngrade: args.flags.has('allow-downgrade') },
        text: (r) => jobText(r as JobInfo),
      };
    }
    case 'image test':
      return { commandId: 'smp.image.test', scope: 'configuration', params: { hash: need(c, 'the image HASH') }, text: (r) => slotsText((r as { images: Slot[] }).images) };
    case 'image confirm': {
      const params = c === undefined ? {} : { hash: c };
      return { commandId: 'smp.image.confirm', scope: smpConfirmScope(params), params, text: (r) => ((r as { alreadyConfirmed?: boolean }).alreadyConfirmed ? 'the running image was already confirmed\n' : '') + slotsText((r as { images: Slot[] }).images) };
    }
    case 'image erase':
      return { commandId: 'smp.image.erase', scope: 'debug-write', params: {}, text: () => 'slot 1 erased' };
    case 'stats list':
      return { commandId: 'smp.stats.list', scope: 'debug-read-only', params: {}, text: (r) => (r as { groups: string[] }).groups.join('\n') };
    case 'stats read':
      return {
        commandId: 'smp.stats.read',
        scope: 'debug-read-only',
        params: { group: need(c, 'a GROUP') },
        text: (r) => Object.entries((r as { fields: Record<string, number> }).fields).map(([k, v]) => `${k} = ${v}`).join('\n'),
      };
    case 'settings read':
      return { commandId: 'smp.settings.read', scope: 'configuration', params: { name: need(c, 'a NAME') }, text: (r) => (r as { value: string }).value };
    case 'settings write':
      return {
        commandId: 'smp.settings.write',
        scope: 'configuration',
        params: { name: need(c, 'a NAME'), value: need(d, 'a VALUE'), save: args.flags.has('save') },
        text: (r) => `${(r as { name: string }).name} = ${(r as { value: string }).value}${(r as { saved: boolean }).saved ? ' (saved)' : ''}`,
      };
    case 'reset':
      return { commandId: 'smp.reset', scope: 'configuration', params: {}, text: (r) => `back up: firmware ${(r as Record<string, string>).firmware}` };
    default:
      throw new HostError('bad-request', `Unknown smp action "${words.join(' ')}". See \`fwbench help smp\`.`);
  }
}

type Slot = { slot: number; version: string; hash?: string; active: boolean; pending: boolean; confirmed: boolean; permanent: boolean };

function slotsText(images: Slot[]): string {
  return images
    .map((s) => `slot ${s.slot}: ${s.version.padEnd(10)} ${s.hash ?? '-'} ${[s.active && 'active', s.confirmed && 'confirmed', s.pending && 'pending', s.permanent && 'permanent'].filter(Boolean).join(' ')}`)
    .join('\n');
}

export function jobText(j: JobInfo): string {
  const r = j.result as { previous?: string; active?: string; confirmed?: boolean; staged?: boolean; activated?: boolean; trialBoot?: boolean } | undefined;
  if (!r) return `job ${j.state}`;
  if (r.trialBoot === false) {
    if (!r.activated) return `staged (running ${r.active}); this device has no trial boot: its bootloader picks the image at the next reset and nothing reverts it`;
    return `running ${r.active} (was ${r.previous}); this device has no test/confirm step, so the image was not tried first and stays without a confirm`;
  }
  if (!r.activated) return `staged for a trial boot at the next reset (running ${r.active})`;
  return `running ${r.active}${r.confirmed ? ', confirmed' : ', on trial (reverts at the next reset unless confirmed)'} (was ${r.previous})`;
}

/** Prints a line when a step changes and every 10% of the transfer. */
export function progressPrinter(out: (line: string) => void): (j: JobInfo) => void {
  const seen = new Map<string, string>();
  let lastPct = -1;
  return (j) => {
    for (const s of j.steps) {
      const key = `${s.state}:${s.message ?? ''}`;
      if (seen.get(s.name) === key || s.state === 'pending') continue;
      seen.set(s.name, key);
      out(`${s.name}: ${s.state}${s.message ? ` — ${s.message}` : ''}`);
    }
    if (j.total > 0) {
      const pct = Math.floor((j.done / j.total) * 10) * 10;
      if (pct !== lastPct) {
        lastPct = pct;
        out(`  ${pct}% (${j.done}/${j.total} bytes${j.bytesPerSecond ? `, ${(j.bytesPerSecond / 1024).toFixed(1)} KiB/s` : ''})`);
      }
    }
  };
}

/** A command the device's SMP server lacks is said plainly, before anything is sent. */
async function requireOffered(cli: CliSession, plan: Planned): Promise<void> {
  const catalog = await cli.host.request('catalog.list', { sessionId: cli.session.id }, cli.client);
  if (catalog.some((c) => c.id === plan.commandId)) return;
  const id = cli.session.identity;
  const what = plan.commandId === 'firmware.update' ? 'Firmware update (image upload)' : `smp ${plan.commandId.replace(/^smp\./, '').replace(/\./g, ' ')}`;
  throw new HostError(
    'not-supported',
    `${what} is not offered by this device.`,
    [id.smp_not_offered && `groups it does not have: ${id.smp_not_offered}`, id.smp_groups && `groups it has: ${id.smp_groups}`].filter(Boolean).join('; ') || undefined,
  );
}

export async function runPlanned(cli: CliSession, plan: Planned, json: boolean): Promise<number> {
  await requireOffered(cli, plan);
  if (plan.job) {
    const print = json ? () => {} : progressPrinter((l) => console.error(l));
    const end = await cli.runJob(plan.commandId, plan.scope, plan.params, print);
    printJsonOrText(json, end, () => plan.text(end));
    return EXIT.ok;
  }
  const result = await cli.run(plan.commandId, plan.scope, plan.params);
  printJsonOrText(json, result, () => plan.text(result));
  return EXIT.ok;
}

export const smpCommand: CliCommand = {
  name: 'smp',
  summary: 'MCUmgr SMP: image list/upload/test/confirm/erase, stats, settings, echo, reset',
  usage: USAGE,
  valued: ['port', 'device', 'scope'],
  async run(args) {
    const plan = planSmpAction(args);
    const device = stringFlag(args, 'device');
    const cli = await openCliSession(args, { protocol: 'smp', demoBoards: device?.startsWith('demo:') ? 1 : 0 });
    try {
      return await runPlanned(cli, plan, args.flags.has('json'));
    } finally {
      await cli.close();
    }
  },
};
