// OS group (smp_group_0): echo, reset, MCUmgr params, OS/app info, bootloader info.
import { GROUP, MGMT, OS_RC, SmpRefusal } from '../rc';
import { READ, WRITE, type SmpGroupHandler } from './context';
import { needString } from './fields';
import { MCUBOOT_MODE_NUMBER } from '../board-state';

const INFO_LETTERS = 'snrvbmpio';

export const osHandler: SmpGroupHandler = (req) => {
  const { state, body } = req;
  switch (`${req.id}:${req.op}`) {
    case `0:${WRITE}`:
      return { r: needString(body, 'd') };
    case `5:${WRITE}`:
      if (body.force !== true && !state.allowReset()) throw SmpRefusal.smp(MGMT.EBUSY, 'reset vetoed by the application');
      req.scheduleReset();
      return {};
    case `6:${READ}`:
      return { buf_size: state.bufSize, buf_count: state.bufCount };
    case `7:${READ}`: {
      const format = body.format === undefined ? 's' : needString(body, 'format');
      const letters = format.includes('a') ? INFO_LETTERS : format;
      const id = state.identity;
      const values: Record<string, string> = { s: id.kernel, n: id.node, r: id.release, v: id.version, b: id.build, m: id.machine, p: id.processor, i: id.platform, o: id.os };
      const out: string[] = [];
      for (const ch of letters) {
        if (!(ch in values)) throw new SmpRefusal(GROUP.OS, OS_RC.INVALID_FORMAT, MGMT.EINVAL, `unknown format letter "${ch}"`);
        out.push(values[ch]);
      }
      return { output: out.join(' ') };
    }
    case `8:${READ}`: {
      if (body.query === undefined) return { bootloader: 'MCUboot' };
      const q = needString(body, 'query');
      if (q === 'mode') return { mode: MCUBOOT_MODE_NUMBER[state.bootMode], 'no-downgrade': false };
      throw new SmpRefusal(GROUP.OS, OS_RC.QUERY_YIELDS_NO_ANSWER, MGMT.EINVAL, `no answer for query "${q}"`);
    }
    default:
      return undefined;
  }
};
