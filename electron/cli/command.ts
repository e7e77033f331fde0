import type { Args } from './args';

/** One `fwbench <name> ...` command. Each lives in electron/cli/commands/. */
export interface CliCommand {
  name: string;
  summary: string;
  /** Usage lines shown by `fwbench help NAME`. */
  usage: string;
  /** Flags that take a value (everything else is a boolean flag). */
  valued?: readonly string[];
  run(args: Args): Promise<number>;
}
