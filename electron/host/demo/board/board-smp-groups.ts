// The demo board's own answers for two SMP groups, so SMP shows the same
// settings and counters as the shell (one source of truth each):
// - settings (group 3): the board's typed settings by name ("vcore_mv" or the
//   Zephyr-style "demo/vcore_mv"); values travel as their text, checked with
//   the same rules as `set` at the console; save/load are the shell's save.
// - stats (group 2): counters refreshed just before they are read.
import type { ConfigValue } from '../../../contract/config';
import { GROUP, MGMT, SETTINGS_RC, SmpRefusal } from '../smp-server/rc';
import type { SmpGroupHandler } from '../smp-server';
import { statsHandler } from '../smp-server/handlers/stats';
import { DEMO_SETTINGS } from './settings';

/** Zephyr settings_mgmt return codes this group uses beyond the server's table. */
const SETTINGS_WRITE_NOT_SUPPORTED = 6;
const SETTINGS_DELETE_NOT_SUPPORTED = 7;
const SETTINGS_UNKNOWN = 1;
const PREFIX = 'demo/';

export interface BoardSettingsStore {
  get(key: string): ConfigValue | undefined;
  /** Applies a value given as text; returns the board's refusal, if any. */
  set(key: string, text: string): string | null;
  save(): void;
  load(): void;
}

export function boardSettingsGroup(store: BoardSettingsStore): SmpGroupHandler {
  const keyOf = (body: Record<string, unknown>): string => {
    const name = body.name;
    if (typeof name !== 'string') throw SmpRefusal.smp(MGMT.EINVAL, '"name" must be a text string');
    if (name.length > 63) throw new SmpRefusal(GROUP.SETTINGS, SETTINGS_RC.KEY_TOO_LONG, MGMT.EINVAL, 'name longer than 63');
    const key = name.startsWith(PREFIX) ? name.slice(PREFIX.length) : name;
    if (!DEMO_SETTINGS.some((s) => s.key === key)) throw new SmpRefusal(GROUP.SETTINGS, SETTINGS_RC.KEY_NOT_FOUND, MGMT.ENOENT, `no setting "${name}"`);
    return key;
  };
  return (req) => {
    switch (`${req.id}:${req.op}`) {
      case '0:0': {
        const value = store.get(keyOf(req.body));
        const bytes = new TextEncoder().encode(String(value));
        const max = typeof req.body.max_size === 'number' ? req.body.max_size : undefined;
        return { val: max === undefined ? bytes : bytes.subarray(0, max) };
      }
      case '0:2': {
        const key = keyOf(req.body);
        const val = req.body.val;
        if (!(val instanceof Uint8Array)) throw SmpRefusal.smp(MGMT.EINVAL, '"val" must be a byte string');
        if (DEMO_SETTINGS.find((s) => s.key === key)?.readOnly) throw new SmpRefusal(GROUP.SETTINGS, SETTINGS_WRITE_NOT_SUPPORTED, MGMT.EACCESSDENIED, `"${key}" is read-only`);
        const refusal = store.set(key, new TextDecoder().decode(val));
        if (refusal) throw new SmpRefusal(GROUP.SETTINGS, SETTINGS_UNKNOWN, MGMT.EINVAL, refusal);
        return {};
      }
      case '1:2':
        keyOf(req.body);
        throw new SmpRefusal(GROUP.SETTINGS, SETTINGS_DELETE_NOT_SUPPORTED, MGMT.ENOTSUP, 'the demo board cannot delete settings');
      case '2:2':
        return {}; // commit: values apply as they are written
      case '3:0':
        store.load();
        return {};
      case '3:2':
        store.save();
        return {};
      default:
        return undefined;
    }
  };
}

/** The server's stats group, with live counters brought up to date before each read. */
export function boardStatsGroup(refresh: () => void): SmpGroupHandler {
  return (req) => {
    refresh();
    return statsHandler(req);
  };
}
