import { Host } from '../../host/host';
import { EXIT } from '../exit-codes';
import type { CliCommand } from '../command';

export const devicesCommand: CliCommand = {
  name: 'devices',
  summary: 'list serial, fwctl and USB devices',
  usage: 'fwbench devices [--json] [--demo]',
  async run(args) {
    const host = await Host.create({ demoBoards: args.flags.has('demo') ? 1 : 0 });
    try {
      const devices = host.registry.list();
      if (args.flags.has('json')) console.log(JSON.stringify(devices, null, 2));
      else if (devices.length === 0) console.log('no devices found');
      else for (const d of devices) console.log(`${d.id}\t${d.label}\t${d.protocol}${d.path ? '\t' + d.path : ''}`);
      if (!args.flags.has('json')) for (const [source, note] of host.registry.notes) console.error(`note: ${source}: ${note}`);
    } finally {
      await host.close();
    }
    return EXIT.ok;
  },
};
