import { join } from 'node:path';
import { verifyJournal } from '../../host/audit/journal';
import { xdgPaths } from '../../host/platform/xdg-paths';
import { stringFlag } from '../args';
import { EXIT } from '../exit-codes';
import type { CliCommand } from '../command';
import { HostError } from '../../host/errors/host-error';

export const auditCommand: CliCommand = {
  name: 'audit',
  summary: "check the audit journal's hash chain",
  usage: 'fwbench audit verify [--json] [--file PATH]',
  valued: ['file'],
  async run(args) {
    if (args._[1] !== 'verify') throw new HostError('bad-request', 'Usage: fwbench audit verify [--json] [--file PATH]');
    const given = stringFlag(args, 'file');
    const file = given ?? join(xdgPaths().state, 'audit.jsonl');
    const head = given ? undefined : join(xdgPaths().state, 'audit.head');
    const r = verifyJournal(file, head);
    if (args.flags.has('json')) console.log(JSON.stringify(r, null, 2));
    else {
      console.log(r.ok ? `audit journal intact: ${r.records} records (${file})` : `audit journal TAMPERED: ${r.problems.length} problem(s) in ${file}`);
      for (const p of r.problems) console.log(`  line ${p.line}: ${p.problem}`);
    }
    return r.ok ? EXIT.ok : EXIT.verifyFailed;
  },
};
