// Every `fwbench` command. A command is one file here; add it to this list.
import type { CliCommand } from '../command';
import { serveCommand } from './serve';
import { devicesCommand } from './devices';
import { auditCommand } from './audit';

export const COMMANDS: readonly CliCommand[] = [serveCommand, devicesCommand, auditCommand];
