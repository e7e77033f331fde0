import { join } from 'node:path';
import { Host } from '../../host/host';
import { readKernelTaint } from '../../host/diagnostics';
import { EXIT } from '../exit-codes';
import type { CliCommand } from '../command';

export const infoCommand: CliCommand = {
  name: 'info',
  summary: 'host facts: kernel, lockdown, taint, CAP_SYS_RAWIO, policy, paths',
  usage: ['fwbench info [--json]', '', 'Exit codes: 0 ok, 1 failure.'].join('\n'),
  async run(args) {
    const host = await Host.create({ demoBoards: 0, demoCxl: false, discovery: false });
    try {
      // The same facts the app shows, through the same router.
      const facts = await host.request('host.facts', {}, host.newClient('cli'));
      const taint = readKernelTaint();
      const info = {
        version: facts.version,
        operator: facts.operator,
        kernel: facts.kernel,
        lockdown: facts.lockdown,
        taint,
        capSysRawio: facts.capSysRawio,
        policy: { maxScope: facts.policyMaxScope, grantTtlSeconds: facts.grantTtlSeconds, file: join(host.paths.config, 'policy.json') },
        paths: { ...host.paths, audit: facts.auditPath, jobs: join(host.paths.state, 'jobs.jsonl'), recordings: join(host.paths.state, 'recordings') },
      };
      if (args.flags.has('json')) console.log(JSON.stringify(info, null, 2));
      else
        console.log(
          [
            `fwbench ${info.version} (operator ${info.operator})`,
            `kernel:        ${info.kernel}`,
            `lockdown:      ${info.lockdown}${info.lockdown === 'integrity' || info.lockdown === 'confidentiality' ? ' (blocks debug-write-full)' : ''}`,
            `taint:         ${taint.value === null ? 'unknown' : taint.value === 0 ? 'not tainted' : `${taint.letters} (${taint.value}): ${taint.flags.map((f) => `${f.letter} ${f.meaning}`).join('; ')}`}`,
            `CAP_SYS_RAWIO: ${info.capSysRawio ? 'held' : 'not held (debug-write-full unavailable)'}`,
            `policy:        max scope ${info.policy.maxScope}, grants ${info.policy.grantTtlSeconds} s (${info.policy.file})`,
            `config:        ${info.paths.config}`,
            `state:         ${info.paths.state}`,
            `cache:         ${info.paths.cache}`,
            `audit journal: ${info.paths.audit}`,
          ].join('\n'),
        );
    } finally {
      await host.close();
    }
    return EXIT.ok;
  },
};
