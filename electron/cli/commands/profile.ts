// `fwbench profile save|diff|apply|history`: a device's configuration as a
// JSON profile for version control, a three-way diff (live, last snapshot,
// profile), an apply of only the differences (dry run first), and the journal.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HostError } from '../../host/errors/host-error';
import { operatorName } from '../../host/platform/host-facts';
import { xdgPaths } from '../../host/platform/xdg-paths';
import { parseProfile } from '../../host/profiles/profile-format';
import { applyProfile, captureProfile, diffProfile } from '../../host/profiles/profile-ops';
import { ProfileStore } from '../../host/profiles/profile-store';
import { sessionConfigDevice } from '../../host/profiles/session-config-device';
import type { ConfigValue } from '../../contract/config';
import { openCliSession, type CliSession } from '../cli-session';
import { stringFlag, type Args } from '../args';
import { EXIT } from '../exit-codes';
import type { CliCommand } from '../command';

const show = (v: ConfigValue | undefined) => (v === undefined ? '—' : JSON.stringify(v));

async function readProfileFile(path: string | undefined) {
  if (!path) throw new HostError('bad-request', 'Name the profile file.');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new HostError('bad-request', `The profile ${path} cannot be read.`, (e as Error).message);
  }
  return parseProfile(text);
}

/** A --port is opened with the protocol the profile is for (a U-Boot profile talks U-Boot on it). */
async function withDevice<T>(args: Args, fn: (cli: CliSession, store: ProfileStore) => Promise<T>, protocol?: string): Promise<T> {
  const cli = await openCliSession(args, { demoBoards: args.flags.has('demo') ? 1 : 0, protocol });
  try {
    return await fn(cli, new ProfileStore(join(cli.host.paths.state, 'profiles')));
  } finally {
    await cli.close();
  }
}

const dev = (cli: CliSession) => sessionConfigDevice(cli.host, cli.client, cli.session);

export const profileCommand: CliCommand = {
  name: 'profile',
  summary: 'save, compare and apply configuration profiles; show the config journal',
  usage: [
    'fwbench profile save NAME --device ID [--out FILE]',
    'fwbench profile diff FILE (--device ID | --port PATH) [--json]',
    'fwbench profile apply FILE (--device ID | --port PATH) [--dry-run] [--save] [--scope configuration --yes] [--json]',
    'fwbench profile history --device ID [--json]',
    '',
    'diff shows each setting live, in the last snapshot (taken on every save and apply) and in the',
    'profile. apply sends only the settings that differ; --dry-run prints the exact config.write',
    'params instead. Every apply is journalled per device with before/after values (history).',
    '--demo starts the simulated demo board (demo:DEMO-1001). --port opens a serial port with the',
    'protocol the profile names in its "device" (a U-Boot profile: the board\'s U-Boot console).',
    '',
    'Exit codes: 0 ok (diff: also when it differs), 2 usage, 3 denied, 4 device error, 5 read-back mismatch.',
  ].join('\n'),
  valued: ['device', 'port', 'out', 'scope'],
  async run(args) {
    const sub = args._[1];
    const json = args.flags.has('json');
    switch (sub) {
      case 'save': {
        const name = args._[2];
        if (!name) throw new HostError('bad-request', 'Name the profile: fwbench profile save NAME --device ID.');
        const profile = await withDevice(args, (cli, store) => captureProfile(dev(cli), name, store));
        const text = JSON.stringify(profile, null, 2) + '\n';
        const out = stringFlag(args, 'out');
        if (out) {
          await writeFile(out, text);
          console.error(`saved ${Object.keys(profile.values).length} settings of ${profile.source?.label} to ${out}`);
        } else process.stdout.write(text);
        return EXIT.ok;
      }
      case 'diff': {
        const profile = await readProfileFile(args._[2]);
        const diff = await withDevice(args, (cli, store) => diffProfile(dev(cli), profile, store), profile.device?.protocol);
        if (json) console.log(JSON.stringify(diff, null, 2));
        else {
          console.log(`profile "${diff.profileName}" against ${diff.deviceId}; snapshot ${diff.snapshotAt ?? 'none yet'}`);
          console.log(['setting', 'live', 'snapshot', 'profile', 'status'].join('\t'));
          for (const r of diff.rows) console.log([r.key, show(r.live), show(r.snapshot), show(r.profile), r.status + (r.readOnly ? ' (read-only)' : '')].join('\t'));
        }
        return EXIT.ok;
      }
      case 'apply': {
        const profile = await readProfileFile(args._[2]);
        const dryRun = args.flags.has('dry-run');
        const r = await withDevice(args, (cli, store) =>
          applyProfile(dev(cli), profile, store, { dryRun, save: args.flags.has('save') || undefined, actor: { operator: operatorName(), client: `${cli.client.via}:${cli.client.id}` } }),
          profile.device?.protocol,
        );
        if (json) console.log(JSON.stringify(r, null, 2));
        else if (dryRun) {
          console.log(r.writeParams ? `would send config.write ${JSON.stringify(r.writeParams)}` : 'nothing to change: the device matches the profile');
        } else console.log(r.changes.length ? r.changes.map((c) => `${c.key}: ${show(c.before)} -> ${show(c.after)}`).join('\n') : 'nothing to change: the device matches the profile');
        for (const s of r.skipped) console.error(`skipped ${s.key}: ${s.reason}`);
        return EXIT.ok;
      }
      case 'history': {
        const deviceId = stringFlag(args, 'device');
        if (!deviceId) throw new HostError('bad-request', 'Name the device with --device ID.');
        const entries = new ProfileStore(join(xdgPaths().state, 'profiles')).journal(deviceId);
        if (json) console.log(JSON.stringify(entries, null, 2));
        else if (entries.length === 0) console.log(`no configuration changes journalled for ${deviceId}`);
        else for (const e of entries) console.log(`${e.time}  ${e.operator} (${e.client}) ${e.source}${e.saved ? ', saved' : ''}\n${e.changes.map((c) => `  ${c.key}: ${show(c.before)} -> ${show(c.after)}`).join('\n')}`);
        return EXIT.ok;
      }
      default:
        throw new HostError('bad-request', 'Use fwbench profile save|diff|apply|history (see fwbench help profile).');
    }
  },
};
