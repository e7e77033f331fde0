// Every catalog declaration the contract knows, by id: a recipe step's scope
// and effects are derived from here before anything runs.
import type { CommandDecl } from '../../contract/commands';
import { COMMON_COMMANDS } from '../../contract/catalog/common';
import { FWCTL_COMMANDS } from '../../contract/catalog/fwctl';
import { ubootCommand, ubootEnvBackups, ubootLoad } from '../../contract/catalog/uboot';

const ALL: readonly CommandDecl[] = [...COMMON_COMMANDS, ...FWCTL_COMMANDS, ubootCommand, ubootLoad, ubootEnvBackups];
const BY_ID = new Map(ALL.map((d) => [d.id, d]));

export function catalogDecl(id: string): CommandDecl | undefined {
  return BY_ID.get(id);
}
