// Settings group (smp_group_3): read/write, delete, commit, load/save.
import { GROUP, MGMT, SETTINGS_RC, SmpRefusal } from '../rc';
import { READ, WRITE, type SmpGroupHandler } from './context';
import { needBytes, needString, optUint } from './fields';

const MAX_KEY = 63;

export const settingsHandler: SmpGroupHandler = (req) => {
  const s = req.state;
  const keyOf = () => {
    const name = needString(req.body, 'name');
    if (name.length > MAX_KEY) throw new SmpRefusal(GROUP.SETTINGS, SETTINGS_RC.KEY_TOO_LONG, MGMT.EINVAL, `name longer than ${MAX_KEY}`);
    return name;
  };
  const missing = (name: string) => new SmpRefusal(GROUP.SETTINGS, SETTINGS_RC.KEY_NOT_FOUND, MGMT.ENOENT, `no setting "${name}"`);
  switch (`${req.id}:${req.op}`) {
    case `0:${READ}`: {
      const name = keyOf();
      const val = s.settings.get(name);
      if (!val) throw missing(name);
      const max = optUint(req.body, 'max_size');
      return { val: max === undefined ? val : val.subarray(0, max) };
    }
    case `0:${WRITE}`:
      s.settings.set(keyOf(), needBytes(req.body, 'val'));
      return {};
    case `1:${WRITE}`: {
      const name = keyOf();
      if (!s.settings.delete(name)) throw missing(name);
      return {};
    }
    case `2:${WRITE}`:
      s.onCommit();
      return {};
    case `3:${READ}`:
      s.settings = new Map(s.savedSettings);
      return {};
    case `3:${WRITE}`:
      s.savedSettings = new Map(s.settings);
      return {};
    default:
      return undefined;
  }
};
