// `fwbench`: the command line twin of the app, on the same host code.
import { COMMANDS } from './commands';
import { parseArgs } from './args';
import { EXIT } from './exit-codes';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'fwbench — hardware bring-up workbench',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    '`fwbench help COMMAND` shows a command\'s usage. Read commands take --json.',
    'Exit codes: 0 ok, 1 failure, 2 usage, 3 denied by scope or policy, 4 device error, 5 verification failed.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    console.log(usage());
    return EXIT.usage;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    const cmd = COMMANDS.find((c) => c.name === rest[0]);
    console.log(cmd ? `${cmd.summary}\n\n${cmd.usage}` : usage());
    return EXIT.ok;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    console.error(`fwbench: unknown command "${name}"\n\n${usage()}`);
    return EXIT.usage;
  }
  return cmd.run(parseArgs(argv, cmd.valued));
}
