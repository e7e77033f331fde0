// Every `fwbench` command. A command is one file here; add it to this list.
import type { CliCommand } from '../command';
import { serveCommand } from './serve';
import { devicesCommand } from './devices';
import { auditCommand } from './audit';
import { diagCommand } from './diag';
import { doctorCommand } from './doctor';
import { infoCommand } from './info';
import { ubootCommand } from './uboot';
import { consoleCommand } from './console';
import { fwctlCommand } from './fwctl';
import { telemetryCommand } from './telemetry';
import { smpCommand } from './smp';
import { flashCommand } from './flash';
import { runCommand } from './run';
import { profileCommand } from './profile';
import { demoCommand } from './demo';

export const COMMANDS: readonly CliCommand[] = [serveCommand, devicesCommand, auditCommand, diagCommand, doctorCommand, infoCommand, fwctlCommand, telemetryCommand, ubootCommand, consoleCommand, smpCommand, flashCommand, runCommand, profileCommand, demoCommand];
