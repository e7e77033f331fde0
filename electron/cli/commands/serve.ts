import { Host } from '../../host/host';
import { serveApp } from '../../host/serve/served-app';
import { openInBrowser } from '../open-browser';
import { rendererDir } from '../renderer-dir';
import { intFlag } from '../args';
import { EXIT } from '../exit-codes';
import type { CliCommand } from '../command';

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'serve the app on 127.0.0.1 (token-protected)',
  usage: 'fwbench serve [--port N] [--open] [--demo-boards N]',
  valued: ['port', 'demo-boards'],
  async run(args) {
    const host = await Host.create({ served: true, demoBoards: intFlag(args, 'demo-boards', 1, 0, 16) });
    const app = await serveApp(host, { port: intFlag(args, 'port', 0, 0, 65535), staticDir: rendererDir() });
    // On a line of its own so scripts and tests can read it.
    console.log(app.url);
    if (args.flags.has('open')) openInBrowser(app.url);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await app.close();
    await host.close();
    return EXIT.ok;
  },
};
