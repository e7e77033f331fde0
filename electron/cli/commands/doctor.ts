import { doctorBlocks, gatherDoctorFacts, runDoctorChecks, udevRulesSource, type DoctorFacts, type FindingLevel } from '../../host/diagnostics';
import { EXIT } from '../exit-codes';
import type { CliCommand } from '../command';

const LABEL: Record<FindingLevel, string> = { block: 'BLOCK', warn: 'warn ', info: 'info ', ok: 'ok   ' };
const ORDER: FindingLevel[] = ['block', 'warn', 'info', 'ok'];

/** Prints the findings for `facts`; returns the exit code. */
export function reportDoctor(facts: DoctorFacts, json: boolean): number {
  const findings = runDoctorChecks(facts);
  const blocks = doctorBlocks(findings);
  if (json) console.log(JSON.stringify({ ok: !blocks, findings }, null, 2));
  else {
    const n = (l: FindingLevel) => findings.filter((f) => f.level === l).length;
    console.log(`fwbench doctor: ${n('block')} blocking, ${n('warn')} warning(s), ${n('ok')} ok`);
    for (const level of ORDER)
      for (const f of findings.filter((x) => x.level === level)) {
        console.log(`  ${LABEL[f.level]}  ${f.title}`);
        if (f.detail) console.log(`         ${f.detail}`);
        if (f.fix) console.log(`         fix: ${f.fix}`);
      }
  }
  return blocks ? EXIT.failure : EXIT.ok;
}

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'check this PC for what fwbench needs (groups, udev, ModemManager, lockdown, fwctl, USB)',
  usage: [
    'fwbench doctor [--json]',
    '',
    'Checks group membership (dialout, plugdev, fwbench), fwbench\'s udev rules, ModemManager,',
    'kernel lockdown, CAP_SYS_RAWIO, /dev/fwctl access and the USB bus; each finding gives the fix.',
    '',
    'Exit codes: 0 nothing blocks (warnings may remain), 1 something blocks device access.',
  ].join('\n'),
  async run(args) {
    return reportDoctor(gatherDoctorFacts({ rulesSource: udevRulesSource() }), args.flags.has('json'));
  },
};
