// Shell group (smp_group_9): run a command line through the board's shell.
import { GROUP, MGMT, SHELL_RC, SmpRefusal } from '../rc';
import { WRITE, type SmpGroupHandler } from './context';

const MAX_LINE = 256;

export const shellHandler: SmpGroupHandler = (req) => {
  if (req.id !== 0 || req.op !== WRITE) return undefined;
  const argv = req.body.argv;
  if (!Array.isArray(argv) || argv.some((a) => typeof a !== 'string')) throw SmpRefusal.smp(MGMT.EINVAL, '"argv" must be an array of strings');
  if (argv.length === 0 || argv[0] === '') throw new SmpRefusal(GROUP.SHELL, SHELL_RC.EMPTY_COMMAND, MGMT.EINVAL, 'empty command');
  if (argv.join(' ').length > MAX_LINE) throw new SmpRefusal(GROUP.SHELL, SHELL_RC.COMMAND_TOO_LONG, MGMT.EINVAL, 'command too long');
  const r = req.state.shell(argv as string[]);
  return { o: r.output, ret: r.ret };
};
