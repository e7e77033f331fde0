import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const INSTALLED = '/opt/fwbench/resources/udev/70-fwbench.rules';

/** The udev rules file this fwbench ships: next to the installed app, or in a source checkout's build/packaging. */
export function udevRulesSource(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['..', '../..', '../../..']) {
    const p = resolve(here, up, 'build', 'packaging', 'udev', '70-fwbench.rules');
    if (existsSync(p)) return p;
  }
  const res = (process as { resourcesPath?: string }).resourcesPath;
  if (res && existsSync(resolve(res, 'udev', '70-fwbench.rules'))) return resolve(res, 'udev', '70-fwbench.rules');
  return INSTALLED;
}
