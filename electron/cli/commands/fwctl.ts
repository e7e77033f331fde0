import { HostError } from '../../host/errors/host-error';
import { isScope } from '../../contract/scopes';
import { openCliSession, printJsonOrText } from '../cli-session';
import { stringFlag, intFlag } from '../args';
import { EXIT } from '../exit-codes';
import type { CliCommand } from '../command';

function hexBytes(text: string | undefined, what: string): Uint8Array {
  const clean = (text ?? '').replace(/0x/gi, '').replace(/[\s,:]/g, '');
  if (!clean || clean.length % 2 || /[^0-9a-f]/i.test(clean)) throw new HostError('bad-request', `${what} must be hex bytes, e.g. "18 01".`);
  return Uint8Array.from(clean.match(/../g)!, (b) => parseInt(b, 16));
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export const fwctlCommand: CliCommand = {
  name: 'fwctl',
  summary: 'fwctl devices: INFO, CXL features, raw RPCs (scope-checked, audited)',
  usage: [
    'fwbench fwctl --device ID [--json] info',
    'fwbench fwctl --device ID [--json] features',
    'fwbench fwctl --device ID [--json] get UUID [--selection current|default|saved]',
    'fwbench fwctl --device ID --scope debug-write|debug-write-full [--yes] set UUID HEX',
    'fwbench fwctl --device ID [--scope S] rpc --rpc-scope S [--out-len N] HEX',
    '--demo adds the simulated CXL device (fwctl:sim-cxl0). A Set runs at the scope the feature needs; grant it with --scope.',
  ].join('\n'),
  valued: ['device', 'scope', 'selection', 'rpc-scope', 'out-len', 'port'],
  async run(args) {
    const [, sub, a1, a2] = args._;
    const json = args.flags.has('json');
    const cli = await openCliSession(args);
    try {
      switch (sub) {
        case 'info': {
          const r = await cli.run<Record<string, unknown>>('fwctl.info', 'configuration', {});
          printJsonOrText(json, r, () => Object.entries(r).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join('\n'));
          return EXIT.ok;
        }
        case 'features': {
          const r = await cli.run<{ features: { uuid: string; title: string; setScope: string | null; setScopeReason: string; current: { raw?: string; error?: string } }[] }>('cxl.features.list', 'configuration', {});
          printJsonOrText(json, r, () => r.features.map((f) => `${f.uuid}  ${f.title}\n    current ${f.current.raw ?? f.current.error}\n    set needs ${f.setScope ?? 'cannot be set'}: ${f.setScopeReason}`).join('\n'));
          return EXIT.ok;
        }
        case 'get': {
          if (!a1) throw new HostError('bad-request', 'Usage: fwbench fwctl --device ID get UUID');
          const r = await cli.run<{ raw: string; decoded: unknown }>('cxl.feature.get', 'configuration', { uuid: a1, selection: stringFlag(args, 'selection') });
          printJsonOrText(json, r, () => `${r.raw}\n${JSON.stringify(r.decoded, null, 2)}`);
          return EXIT.ok;
        }
        case 'set': {
          if (!a1 || !a2) throw new HostError('bad-request', 'Usage: fwbench fwctl --device ID --scope S set UUID HEX');
          const scope = stringFlag(args, 'scope');
          if (!scope || !isScope(scope)) throw new HostError('grant-required', 'A Set Feature changes the device: grant its scope with --scope debug-write or --scope debug-write-full.');
          const r = await cli.run<{ raw: string }>('cxl.feature.set', scope, { uuid: a1, data: hexBytes(a2, 'The feature data') });
          printJsonOrText(json, r, () => `set; read back ${r.raw}`);
          return EXIT.ok;
        }
        case 'rpc': {
          const rpcScope = stringFlag(args, 'rpc-scope');
          if (!rpcScope || !isScope(rpcScope)) throw new HostError('bad-request', '--rpc-scope names the fwctl scope of the RPC.');
          const r = await cli.run<{ reply: Uint8Array; decoded: unknown }>('fwctl.rpc', rpcScope, { rpcScope, request: hexBytes(a1, 'The request'), outLen: intFlag(args, 'out-len', 4096, 0, 2 * 1024 * 1024) });
          printJsonOrText(json, { reply: hex(r.reply), decoded: r.decoded }, () => `${hex(r.reply)}${r.decoded ? '\n' + JSON.stringify(r.decoded, null, 2) : ''}`);
          return EXIT.ok;
        }
        default:
          throw new HostError('bad-request', `Usage:\n${fwctlCommand.usage}`);
      }
    } finally {
      await cli.close();
    }
  },
};
