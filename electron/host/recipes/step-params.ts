// Recipe JSON cannot hold bytes: a command's params may say {"$file": "rel"}
// (the file's bytes) or {"$base64": "..."} where the catalog wants a Uint8Array.
import { HostError } from '../errors/host-error';
import type { RecipeFiles } from './recipe-source';

export async function resolveParams(value: unknown, files: RecipeFiles, where: string): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map((v) => resolveParams(v, files, where)));
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === '$file') {
    if (typeof o.$file !== 'string') throw new HostError('bad-request', `${where}: "$file" takes a path relative to the recipe.`);
    return files.read(o.$file);
  }
  if (keys.length === 1 && keys[0] === '$base64') {
    if (typeof o.$base64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(o.$base64)) throw new HostError('bad-request', `${where}: "$base64" is not base64 text.`);
    return new Uint8Array(Buffer.from(o.$base64, 'base64'));
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = await resolveParams(o[k], files, where);
  return out;
}
