// Entry point of the bundled CLI.
import { main } from './main';
import { exitCodeFor } from './exit-codes';
import { HostError } from '../host/errors/host-error';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    const e = HostError.from(err);
    console.error(`fwbench: ${e.message}${e.detail ? `\n  (${e.detail})` : ''}`);
    process.exit(exitCodeFor(err));
  },
);
