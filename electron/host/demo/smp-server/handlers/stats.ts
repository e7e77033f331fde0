// Statistics group (smp_group_2): list groups, read one group's counters.
import { GROUP, MGMT, STAT_RC, SmpRefusal } from '../rc';
import { READ, type SmpGroupHandler } from './context';
import { needString } from './fields';

export const statsHandler: SmpGroupHandler = (req) => {
  if (req.op !== READ) return undefined;
  if (req.id === 1) return { stat_list: [...req.state.stats.keys()] };
  if (req.id !== 0) return undefined;
  const name = needString(req.body, 'name');
  const group = req.state.stats.get(name);
  if (!group) throw new SmpRefusal(GROUP.STAT, STAT_RC.INVALID_GROUP, MGMT.ENOENT, `no statistics group "${name}"`);
  return { name, fields: Object.fromEntries(group) };
};
