// The folder tree tells the truth about process boundaries: the host never
// imports electron, the renderer never imports Node, the contract imports
// neither. (The per-environment tsconfigs catch type use; this catches imports.)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.(ts|tsx)$/.test(name)) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  // from-imports, bare side-effect imports, dynamic imports, require()
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]);
}

const NODE_BUILTIN = /^(node:|fs$|path$|os$|child_process$|crypto$|net$|http$|stream$|url$|module$)/;

describe('layer boundaries', () => {
  it('host and CLI code never import electron', () => {
    const bad = [...files(join(ROOT, 'electron/host')), ...files(join(ROOT, 'electron/cli'))].filter((f) => imports(f).some((i) => i === 'electron' || i.startsWith('electron/')));
    expect(bad.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('the renderer imports no Node modules and nothing from the host', () => {
    const bad: string[] = [];
    for (const f of files(join(ROOT, 'renderer'))) {
      for (const i of imports(f)) if (NODE_BUILTIN.test(i) || i.includes('electron/host') || i === 'electron' || i.includes('/native')) bad.push(`${relative(ROOT, f)} -> ${i}`);
    }
    expect(bad).toEqual([]);
  });

  it('the contract imports only zod and itself', () => {
    const bad: string[] = [];
    for (const f of files(join(ROOT, 'electron/contract'))) for (const i of imports(f)) if (i !== 'zod' && !i.startsWith('./') && !i.startsWith('../')) bad.push(`${relative(ROOT, f)} -> ${i}`);
    expect(bad).toEqual([]);
    const outside = files(join(ROOT, 'electron/contract')).flatMap((f) => imports(f).filter((i) => i.startsWith('../') && !i.startsWith('../contract')).map((i) => `${relative(ROOT, f)} -> ${i}`));
    expect(outside.filter((x) => !/contract\/catalog\//.test(x))).toEqual([]);
  });

  it('only the Electron glue imports electron at all', () => {
    const users = [...files(join(ROOT, 'electron')), ...files(join(ROOT, 'renderer'))].filter((f) => imports(f).includes('electron')).map((f) => relative(ROOT, f)).sort();
    expect(users).toEqual(['electron/main/main.ts', 'electron/preload/preload.ts']);
  });
});
