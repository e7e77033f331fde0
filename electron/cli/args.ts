import { HostError } from '../host/errors/host-error';

export interface Args {
  _: string[];
  flags: Map<string, string | true>;
}

/**
 * `--name value`, `--name=value` and bare `--flag`. Which flags take a value is
 * declared by the command, so a positional after a boolean flag is never eaten.
 */
export function parseArgs(argv: string[], valued: readonly string[] = []): Args {
  const _: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      _.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const k = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (eq > 0) flags.set(k, a.slice(eq + 1));
      else if (valued.includes(k)) {
        if (i + 1 >= argv.length) throw new HostError('bad-request', `--${k} needs a value.`);
        flags.set(k, argv[++i]);
      } else flags.set(k, true);
    } else _.push(a);
  }
  return { _, flags };
}

export function stringFlag(args: Args, name: string): string | undefined {
  const v = args.flags.get(name);
  if (v === true) throw new HostError('bad-request', `--${name} needs a value.`);
  return v;
}

export function intFlag(args: Args, name: string, dflt: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = stringFlag(args, name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new HostError('bad-request', `--${name} takes a whole number from ${min} to ${max}.`);
  return n;
}
