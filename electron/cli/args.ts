import { HostError } from '../host/errors/host-error';

export interface Args {
  _: string[];
  flags: Map<string, string | true>;
  /** Every value of a valued flag given more than once (`--device A --device B`), in order. */
  repeated?: Map<string, string[]>;
}

/**
 * `--name value`, `--name=value` and bare `--flag`. Which flags take a value is
 * declared by the command, so a positional after a boolean flag is never eaten.
 */
export function parseArgs(argv: string[], valued: readonly string[] = []): Args {
  const _: string[] = [];
  const flags = new Map<string, string | true>();
  const repeated = new Map<string, string[]>();
  const keep = (k: string, v: string) => {
    flags.set(k, v);
    repeated.set(k, [...(repeated.get(k) ?? []), v]);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      _.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const k = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (eq > 0) keep(k, a.slice(eq + 1));
      else if (valued.includes(k)) {
        if (i + 1 >= argv.length) throw new HostError('bad-request', `--${k} needs a value.`);
        keep(k, argv[++i]);
      } else flags.set(k, true);
    } else _.push(a);
  }
  return { _, flags, repeated };
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

/** All values of a flag that may be repeated (`--device A --device B`); commas also separate values. */
export function stringsFlag(args: Args, name: string): string[] {
  const values = args.repeated?.get(name) ?? (typeof args.flags.get(name) === 'string' ? [args.flags.get(name) as string] : []);
  if (args.flags.get(name) === true) throw new HostError('bad-request', `--${name} needs a value.`);
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}
