// `fwbench run RECIPE --device ID [--device ID2 ...]`: a bring-up recipe on one
// board or several in parallel, with the recipe's highest scope granted once
// (confirmed once for all boards), checkpointed so `--resume RUN_ID` continues.
import { createInterface } from 'node:readline/promises';
import { Host } from '../../host/host';
import { HostError } from '../../host/errors/host-error';
import { loadLabPolicy } from '../../host/policy/lab-policy';
import { loadRecipeFile, type LoadedRecipe } from '../../host/recipes/recipe-source';
import { boardResult, resumeRun, runRecipeOnMany } from '../../host/recipes/recipe-runner';
import type { GrantRequest } from '../../host/recipes/run-device';
import type { RecipeBoardResult, RecipeRunState } from '../../contract/recipes';
import { SCOPE_INFO, isScope, scopeCovers } from '../../contract/scopes';
import { stringFlag, stringsFlag, type Args } from '../args';
import { EXIT } from '../exit-codes';
import type { CliCommand } from '../command';

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/** The one grant for the whole run: --scope must cover the recipe, confirmed once (or --yes where the policy allows). */
async function grantFor(args: Args, host: Host, loaded: LoadedRecipe, devices: string[]): Promise<GrantRequest | undefined> {
  const needed = loaded.plan.grantScope;
  const text = stringFlag(args, 'scope');
  if (text === undefined) {
    if (needed) throw new HostError('grant-required', `The recipe changes the device; run it with --scope ${needed} (and confirm, or --yes).`);
    return undefined;
  }
  if (!isScope(text)) throw new HostError('bad-request', '--scope takes one of configuration, debug-read-only, debug-write, debug-write-full.');
  if (needed && !scopeCovers(text, needed)) throw new HostError('scope-too-low', `The recipe needs ${needed}; --scope ${text} does not cover it.`);
  const info = SCOPE_INFO[text];
  const yes = args.flags.has('yes');
  if (yes && !loadLabPolicy(host.paths.config).policy.allowYes) throw new HostError('scope-denied-by-policy', 'The lab policy does not allow --yes; run interactively to confirm the grant.', 'policy.allowYes=false');
  if (info.typedConfirmation) throw new HostError('confirmation-required', `${info.title} needs the device name typed for each board; grant it in the app, not in a recipe run.`);
  if (!yes && !(await confirm(`Grant ${info.title} on ${devices.join(', ')} for "${loaded.recipe.name}"? ${info.allows}${info.taints ? ' The sessions become tainted.' : ''}`))) {
    throw new HostError('confirmation-required', `The ${info.title} grant was not confirmed.`);
  }
  return { scope: text };
}

function stepLine(s: RecipeRunState): string | null {
  const running = s.steps.find((x) => x.state === 'running');
  if (!running) return null;
  const p = running.progress && running.progress.total > 0 ? ` ${Math.floor((100 * running.progress.done) / running.progress.total)}%` : '';
  return `${s.deviceId}: step ${running.index + 1}/${s.steps.length} ${running.title}${p}`;
}

function table(rows: RecipeBoardResult[], states: Map<string, RecipeRunState>): string {
  return rows
    .map((r) => {
      const s = r.runId ? states.get(r.runId) : undefined;
      const where = r.failedStep !== undefined && s ? ` at step ${r.failedStep + 1} (${s.steps[r.failedStep].title})` : '';
      return `${r.deviceId}\t${r.status}${where}${r.runId ? `\trun ${r.runId}` : ''}${r.error ? `\n  ${r.error.message}${r.error.detail ? ` (${r.error.detail.slice(0, 300)})` : ''}` : ''}`;
    })
    .join('\n');
}

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run a bring-up recipe on one or more boards (checkpointed, resumable)',
  usage: [
    'fwbench run RECIPE --device ID [--device ID2 ...] [--json] [--scope S --yes] [--demo]',
    'fwbench run RECIPE --port PATH [--port PATH2 ...] [--json] [--scope S --yes]',
    'fwbench run RECIPE --resume RUN_ID [--scope S --yes] [--demo]',
    '',
    'Runs every step of the recipe (docs/recipes.md) on each board in parallel, one session',
    'and one grant per board. The recipe\'s highest scope is asked for once, with --scope.',
    'A run cut short resumes at the step that did not finish with --resume RUN_ID, if the',
    'recipe file is unchanged. --demo starts simulated demo boards (demo:DEMO-1001, ...).',
    '--port adds a serial port (e.g. a U-Boot console) with the protocol the recipe\'s "device" names.',
    '',
    'Exit codes: 0 every board passed, 4 a board failed or was interrupted, 2 usage, 3 denied.',
  ].join('\n'),
  valued: ['device', 'port', 'scope', 'resume'],
  async run(args) {
    const recipePath = args._[1];
    const resume = stringFlag(args, 'resume');
    const devices = stringsFlag(args, 'device');
    const ports = stringsFlag(args, 'port');
    if (!recipePath) throw new HostError('bad-request', 'Name the recipe file: fwbench run RECIPE --device ID.');
    if (!resume && devices.length === 0 && ports.length === 0) throw new HostError('bad-request', 'Name the board(s) with --device ID (see `fwbench devices`).');
    if (resume && devices.length + ports.length > 0) throw new HostError('bad-request', '--resume continues one run on its own board; leave out --device.');
    const loaded = await loadRecipeFile(recipePath);
    const demoBoards = args.flags.has('demo') ? Math.max(1, devices.filter((d) => d.startsWith('demo:')).length) : 0;
    const host = await Host.create({ demoBoards });
    try {
      const protocol = loaded.recipe.device?.protocol as never;
      for (const path of ports) devices.push((await host.request('devices.add-serial', { path, protocol }, host.newClient('cli'))).id);
    } catch (e) {
      await host.close();
      throw e;
    }
    const stop = new AbortController();
    const onSigint = () => stop.abort();
    process.once('SIGINT', onSigint);
    const json = args.flags.has('json');
    const states = new Map<string, RecipeRunState>();
    const lastLine = new Map<string, string>();
    const onUpdate = (s: RecipeRunState) => {
      states.set(s.runId, s);
      const line = stepLine(s);
      if (!json && line && lastLine.get(s.runId) !== line.replace(/ \d+%$/, '')) {
        lastLine.set(s.runId, line.replace(/ \d+%$/, ''));
        console.error(line);
      }
    };
    try {
      let rows: RecipeBoardResult[];
      if (resume) {
        const grant = await grantFor(args, host, loaded, [`the board of run ${resume}`]);
        const s = await resumeRun(host, resume, { recipe: loaded, grant, signal: stop.signal, onUpdate });
        states.set(s.runId, s);
        rows = [boardResult(s)];
      } else {
        const grant = await grantFor(args, host, loaded, devices);
        rows = await runRecipeOnMany(host, loaded, devices, { grant, signal: stop.signal, onUpdate });
      }
      if (json) console.log(JSON.stringify({ recipe: loaded.recipe.name, hash: loaded.plan.hash, boards: rows, runs: rows.map((r) => (r.runId ? states.get(r.runId) : null)) }, null, 2));
      else {
        console.log(table(rows, states));
        const resumable = rows.filter((r) => r.runId && r.status !== 'passed');
        for (const r of resumable) console.error(`resume with: fwbench run ${recipePath} --resume ${r.runId}`);
      }
      return rows.every((r) => r.status === 'passed') ? EXIT.ok : EXIT.deviceError;
    } finally {
      process.off('SIGINT', onSigint);
      await host.close();
    }
  },
};
