import { HostError } from '../../host/errors/host-error';
import { Host } from '../../host/host';
import { openCliSession, printJsonOrText } from '../cli-session';
import { intFlag, stringFlag } from '../args';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { exportCsv, openRecording } from '../../host/telemetry';
import { xdgPaths } from '../../host/platform/xdg-paths';
import { EXIT } from '../exit-codes';
import type { CliCommand } from '../command';

export const telemetryCommand: CliCommand = {
  name: 'telemetry',
  summary: 'record a device\'s live telemetry to disk, list recordings',
  usage: [
    'fwbench telemetry record --device ID|--demo [--seconds N] [--csv] [--json]   (Ctrl-C stops early)',
    'fwbench telemetry list [--json]',
    'fwbench telemetry export NAME|FILE.fwtl --out FILE.csv [--from S] [--to S] [--channels a,b] [--wide]   (S: seconds from the start)',
  ].join('\n'),
  valued: ['device', 'seconds', 'port', 'out', 'from', 'to', 'channels'],
  async run(args) {
    const sub = args._[1];
    const json = args.flags.has('json');
    if (sub === 'list') {
      const host = await Host.create({ demoBoards: 0, discovery: false });
      try {
        const list = await host.request('recordings.list', {}, host.newClient('cli'));
        printJsonOrText(json, list, () => (list.length ? list.map((r) => `${r.modified}  ${String(r.bytes).padStart(10)}  ${r.name}`).join('\n') : 'no recordings'));
      } finally {
        await host.close();
      }
      return EXIT.ok;
    }
    if (sub === 'export') {
      const which = args._[2];
      const out = stringFlag(args, 'out');
      if (!which || !out) throw new HostError('bad-request', 'Usage: fwbench telemetry export NAME|FILE.fwtl --out FILE.csv');
      // A bare name is looked up among this machine's recordings; anything else is a path (a copy from a bundle).
      const path = existsSync(which) ? which : join(xdgPaths().state, 'recordings', which);
      const rec = await openRecording(path);
      const seconds = (name: string) => {
        const v = stringFlag(args, name);
        if (v === undefined) return undefined;
        const n = Number(v);
        if (!Number.isFinite(n)) throw new HostError('bad-request', `--${name} takes seconds from the start of the recording.`);
        return rec.startedAtMs + n * 1000;
      };
      const channels = stringFlag(args, 'channels')?.split(',').filter(Boolean);
      const rows = await exportCsv(rec, out, { from: seconds('from'), to: seconds('to'), channels, layout: args.flags.has('wide') ? 'wide' : 'long' });
      printJsonOrText(json, { out, rows }, () => `wrote ${rows} rows to ${out}`);
      return EXIT.ok;
    }
    if (sub !== 'record') throw new HostError('bad-request', `Usage:\n${telemetryCommand.usage}`);
    if (args.flags.has('demo') && !args.flags.has('device')) args.flags.set('device', 'demo:DEMO-1001');
    const seconds = intFlag(args, 'seconds', 10, 1, 86400);
    const cli = await openCliSession(args);
    try {
      await cli.run('telemetry.stream', 'debug-read-only', { on: true });
      const started = await cli.run<{ paths: Record<string, string> }>('telemetry.record', 'debug-read-only', { on: true, formats: args.flags.has('csv') ? ['fwtl', 'csv'] : ['fwtl'] });
      if (!json) console.error(`recording to ${Object.values(started.paths).join(', ')} for ${seconds} s`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, seconds * 1000);
        process.once('SIGINT', () => {
          clearTimeout(t);
          resolve();
        });
      });
      const summary = await cli.run<Record<string, unknown>>('telemetry.record', 'debug-read-only', { on: false });
      await cli.run('telemetry.stream', 'debug-read-only', { on: false });
      printJsonOrText(json, summary, () => `recorded ${summary.samples} samples in ${summary.blocks} blocks: ${Object.values(summary.paths as object).join(', ')}`);
      return EXIT.ok;
    } finally {
      await cli.close();
    }
  },
};
