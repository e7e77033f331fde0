// Enumeration group (smp_group_10): how many groups, which, one by index.
// Details (command 3) is left out, as a build without
// CONFIG_MCUMGR_GRP_ENUM_DETAILS does: it answers MGMT_ERR_ENOTSUP.
import { ENUM_RC, GROUP, MGMT, SmpRefusal } from '../rc';
import { READ, type SmpServerRequest } from './context';
import { optUint } from './fields';

export function enumHandler(req: SmpServerRequest, groups: readonly number[]): Record<string, unknown> | undefined {
  if (req.op !== READ) return undefined;
  switch (req.id) {
    case 0:
      return { count: groups.length };
    case 1:
      return { groups: [...groups] };
    case 2: {
      const index = optUint(req.body, 'index') ?? 0;
      if (index >= groups.length) throw new SmpRefusal(GROUP.ENUM, ENUM_RC.INDEX_TOO_LARGE, MGMT.EINVAL, `index ${index} past the last group`);
      return { group: groups[index], ...(index === groups.length - 1 ? { end: true } : {}) };
    }
    default:
      return undefined;
  }
}
