// `fwbench flash`: one firmware update job on one device, the same job the
// Firmware panel runs — progress lines on stderr, the outcome on stdout, and
// the exit code a lab script can branch on.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { HostError } from '../../host/errors/host-error';
import { MAX_IMAGE_BYTES } from '../../contract/catalog/common';
import type { JobInfo } from '../../contract/jobs';
import { openCliSession, printJsonOrText } from '../cli-session';
import { EXIT } from '../exit-codes';
import { stringFlag } from '../args';
import type { CliCommand } from '../command';
import { jobText, progressPrinter } from './smp';

const PROTOCOLS = ['demo-board', 'uboot', 'smp'] as const;

export const flashCommand: CliCommand = {
  name: 'flash',
  summary: 'update a device\'s firmware as one verified job (SMP safe activation, U-Boot recipe)',
  usage: [
    'fwbench flash --device ID | --port PATH [--protocol demo-board|uboot|smp] [--scope configuration [--yes]] [--json]',
    '              [--no-activate] [--no-confirm] [--allow-downgrade] FILE',
    '',
    'Runs the device\'s update job: on SMP devices (and the demo board) check the image, upload,',
    'trial boot, check that it runs, confirm; on U-Boot boards the board\'s flash recipe.',
    'It needs the configuration scope: give --scope configuration (and confirm, or --yes).',
    '--port with --protocol demo-board talks to the board over SMP (it shares its UART with the shell).',
    '',
    'Exit codes: 0 ok, 1 failure, 2 usage, 3 denied by scope or policy, 4 device error, 5 verification failed.',
  ].join('\n'),
  valued: ['port', 'device', 'scope', 'protocol'],
  async run(args) {
    const words = args._[0] === 'flash' ? args._.slice(1) : args._;
    const file = words[0];
    if (!file || words.length > 1) throw new HostError('bad-request', 'fwbench flash takes one FILE. See `fwbench help flash`.');
    const protocol = stringFlag(args, 'protocol') ?? 'smp';
    if (!(PROTOCOLS as readonly string[]).includes(protocol)) throw new HostError('bad-request', `--protocol takes one of ${PROTOCOLS.join(', ')}.`);
    let data: Uint8Array;
    try {
      data = new Uint8Array(readFileSync(file));
    } catch (e) {
      throw new HostError('bad-request', `Cannot read ${file}.`, (e as Error).message);
    }
    if (data.length === 0 || data.length > MAX_IMAGE_BYTES) throw new HostError('bad-request', `${file} must be 1 byte to ${MAX_IMAGE_BYTES} bytes.`);
    const device = stringFlag(args, 'device');
    const cli = await openCliSession(args, { protocol: protocol === 'demo-board' ? 'smp' : protocol, demoBoards: device?.startsWith('demo:') ? 1 : 0 });
    try {
      const catalog = await cli.host.request('catalog.list', { sessionId: cli.session.id }, cli.client);
      const json = args.flags.has('json');
      const print = json ? () => {} : progressPrinter((l) => console.error(l));
      let end: JobInfo;
      if (catalog.some((c) => c.id === 'firmware.update')) {
        end = await cli.runJob(
          'firmware.update',
          'configuration',
          { name: basename(file), data, activate: !args.flags.has('no-activate'), confirm: !args.flags.has('no-confirm'), allowDowngrade: args.flags.has('allow-downgrade') },
          print,
        );
      } else if (catalog.some((c) => c.id === 'firmware.upload')) {
        end = await cli.runJob('firmware.upload', 'configuration', { name: basename(file), data, activate: !args.flags.has('no-activate') }, print);
      } else throw new HostError('not-supported', `${cli.session.deviceLabel} has no firmware update command (is --protocol right?).`);
      printJsonOrText(json, end, () => (end.commandId === 'firmware.update' ? jobText(end) : `job ${end.state}`));
      return EXIT.ok;
    } finally {
      await cli.close();
    }
  },
};
