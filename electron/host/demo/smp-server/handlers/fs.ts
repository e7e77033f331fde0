// File system group (smp_group_8) over an in-memory file map: upload,
// download, status, hash/checksum (crc32, sha256).
import { createHash } from 'node:crypto';
import { FS_RC, GROUP, MGMT, SmpRefusal } from '../rc';
import { encodeBody, HDR_LEN } from '../wire';
import { READ, WRITE, type SmpGroupHandler } from './context';
import { needBytes, needString, needUint, optUint } from './fields';

const refuse = (rc: number, mgmt: number, why: string) => new SmpRefusal(GROUP.FS, rc, mgmt, why);

export const fsHandler: SmpGroupHandler = (req) => {
  const s = req.state;
  const nameOf = () => {
    const name = needString(req.body, 'name');
    if (!name.startsWith('/') || name.endsWith('/')) throw refuse(FS_RC.FILE_INVALID_NAME, MGMT.EINVAL, `"${name}" is not a file path`);
    return name;
  };
  const fileOf = (name: string) => {
    const f = s.files.get(name);
    if (!f) throw refuse(FS_RC.FILE_NOT_FOUND, MGMT.ENOENT, `${name} does not exist`);
    return f;
  };
  switch (`${req.id}:${req.op}`) {
    case `0:${WRITE}`: {
      const name = nameOf();
      const off = needUint(req.body, 'off');
      const data = needBytes(req.body, 'data');
      if (off === 0) {
        needUint(req.body, 'len');
        s.files.set(name, data.slice());
        return { off: data.length };
      }
      const cur = s.files.get(name) ?? new Uint8Array(0);
      if (off !== cur.length) throw refuse(FS_RC.FILE_OFFSET_NOT_VALID, MGMT.EINVAL, `file is ${cur.length} bytes, write at ${off}`);
      const next = new Uint8Array(cur.length + data.length);
      next.set(cur);
      next.set(data, cur.length);
      s.files.set(name, next);
      return { off: next.length };
    }
    case `0:${READ}`: {
      const name = nameOf();
      const off = needUint(req.body, 'off');
      const f = fileOf(name);
      if (off > f.length) throw refuse(FS_RC.FILE_OFFSET_LARGER_THAN_FILE, MGMT.EINVAL, `offset ${off} past ${f.length}`);
      // Fill the answer to the SMP buffer (its 2 length + 2 CRC bytes included).
      const fixed = HDR_LEN + encodeBody({ off, data: new Uint8Array(0), ...(off === 0 ? { len: f.length } : {}) }).length;
      const room = s.bufSize - 4 - fixed - 2;
      const data = f.subarray(off, off + Math.max(1, room));
      return off === 0 ? { off, data, len: f.length } : { off, data };
    }
    case `1:${READ}`:
      return { len: fileOf(nameOf()).length };
    case `2:${READ}`: {
      const name = nameOf();
      const type = req.body.type === undefined ? 'crc32' : needString(req.body, 'type');
      if (type !== 'crc32' && type !== 'sha256') throw refuse(FS_RC.CHECKSUM_HASH_NOT_FOUND, MGMT.EINVAL, `no "${type}"`);
      const f = fileOf(name);
      const off = optUint(req.body, 'off') ?? 0;
      if (off > f.length) throw refuse(FS_RC.FILE_OFFSET_LARGER_THAN_FILE, MGMT.EINVAL, `offset ${off} past ${f.length}`);
      const part = f.subarray(off, off + (optUint(req.body, 'len') ?? f.length));
      if (part.length === 0) throw refuse(FS_RC.FILE_EMPTY, MGMT.EINVAL, 'nothing to hash');
      const output = type === 'sha256' ? new Uint8Array(createHash('sha256').update(part).digest()) : crc32(part);
      return { type, off, len: part.length, output };
    }
    default:
      return undefined;
  }
};

function crc32(d: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of d) {
    c ^= b;
    for (let i = 0; i < 8; i++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
