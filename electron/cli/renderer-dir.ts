import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built renderer (dist/renderer), found from the bundle's or the source's location. */
export function rendererDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['..', '../..', '../../..']) {
    const dir = resolve(here, up, 'dist', 'renderer');
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  throw new Error('The renderer is not built. Run "npm run build" first.');
}
