// The Recipes panel against a fake client whose recipe.plan is the host's real
// planner (so an invalid recipe shows the host's own message), and whose runs
// are scripted checkpoints: the plan as a step table, errors with the step
// number, the grant gate, live steps and the per-board result.
import { readFileSync } from 'node:fs';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { DeviceInfo, SessionInfo } from '../../../electron/contract/devices';
import type { RecipePlan, RecipeRunState, RecipeStepRecord } from '../../../electron/contract/recipes';
import { HostError } from '../../../electron/host/errors/host-error';
import { filesFromMap, loadRecipeText } from '../../../electron/host/recipes/recipe-source';
import { RequestError, type FwbenchClient } from '../../../renderer/api/client';
import { RecipesPanel, boardsFor, grantCovers, missingFiles, runOutcome } from '../../../renderer/panels/RecipesPanel';
import { useApp } from '../../../renderer/store/app-store';

const BRINGUP = readFileSync('examples/recipes/demo-bringup.json', 'utf8');
const HEALTH = readFileSync('examples/recipes/demo-health-check.json', 'utf8');

const B1: DeviceInfo = { id: 'demo:DEMO-1001', kind: 'serial', label: 'Demo board 1 (simulated)', simulated: true, protocol: 'demo-board', present: true, details: {} } as DeviceInfo;
const B2: DeviceInfo = { ...B1, id: 'demo:DEMO-1002', label: 'Demo board 2 (simulated)' };
const TTY: DeviceInfo = { ...B1, id: 'serial:/dev/ttyS0', label: 'ttyS0', simulated: false, protocol: 'console' };
const GONE: DeviceInfo = { ...B1, id: 'demo:DEMO-1003', label: 'Demo board 3 (simulated)', present: false };
const CXL: DeviceInfo = { ...B1, id: 'fwctl:fwctl0', kind: 'fwctl', label: 'CXL', protocol: 'cxl', details: { driver: 'cxl' } };

function session(over: Partial<SessionInfo> = {}): SessionInfo {
  return { id: 's1', deviceId: B1.id, deviceLabel: B1.label, simulated: true, state: 'open', grant: null, grantExpiresAt: null, tainted: false, openedAt: 0, identity: {}, ...over };
}

const calls: { channel: string; params: unknown }[] = [];
/** Checkpoints recipe.status hands out in turn, per run. */
let script: Record<string, RecipeRunState[]> = {};
const client: FwbenchClient = {
  async request(channel, params) {
    calls.push({ channel, params });
    try {
      if (channel === 'recipe.plan') return loadRecipeText((params as { text: string }).text, filesFromMap({})).plan as never;
      if (channel === 'recipe.run') {
        const p = params as { deviceIds: string[] };
        return { runs: p.deviceIds.map((d) => ({ deviceId: d, runId: `run-${d}` })) } as never;
      }
      if (channel === 'recipe.status') {
        const q = script[(params as { runId: string }).runId];
        return (q.length > 1 ? q.shift() : q[0]) as never;
      }
    } catch (e) {
      throw new RequestError(HostError.from(e).toWire());
    }
    throw new Error(`unexpected ${channel}`);
  },
  onEvent: () => () => {},
};

const ROLES = ['button', 'textbox', 'checkbox', 'progressbar', 'spinbutton', 'combobox', 'radio'] as const;
/** Every control has a name: per role, the elements with a non-empty name are all of them; a file input (no role) sits in its label. */
function expectEveryControlNamed() {
  for (const role of ROLES) expect(screen.queryAllByRole(role, { name: /\S/ }).length, role).toBe(screen.queryAllByRole(role).length);
  for (const f of Array.from(document.querySelectorAll('input[type=file]'))) expect(f.closest('label')?.textContent?.trim(), f.outerHTML).toBeTruthy();
  for (const c of Array.from(document.querySelectorAll<HTMLElement>('button, input, select, textarea'))) expect(c.tabIndex, c.outerHTML).toBeGreaterThanOrEqual(0);
}

function loadFile(label: string | RegExp, name: string, text: string) {
  const input = screen.getByLabelText(label) as HTMLInputElement;
  fireEvent.change(input, { target: { files: [new File([text], name, { type: 'application/json' })] } });
}

const steps = (plan: RecipePlan, states: RecipeStepRecord['state'][], extra: Partial<RecipeStepRecord>[] = []): RecipeStepRecord[] =>
  plan.steps.map((s, i) => ({ index: s.index, type: s.type, title: s.title, state: states[i], ...(extra[i] ?? {}) }));
const runOf = (deviceId: string, status: RecipeRunState['status'], st: RecipeStepRecord[], error?: RecipeRunState['error']): RecipeRunState => ({
  runId: `run-${deviceId}`,
  recipeName: 'x',
  recipeHash: 'h',
  deviceId,
  status,
  nextStep: st.findIndex((s) => s.state !== 'done'),
  steps: st,
  createdAt: 0,
  updatedAt: 0,
  resumes: 0,
  error,
});

beforeEach(() => {
  calls.length = 0;
  script = {};
  useApp.setState({ client, devices: [B1, TTY, B2, GONE, CXL], sessions: { s1: session() }, elevation: null, notices: [] });
});

describe('RecipesPanel pure parts', () => {
  const plan = loadRecipeText(BRINGUP, filesFromMap({})).plan;
  const readOnly = loadRecipeText(HEALTH, filesFromMap({})).plan;

  it('grantCovers: a reading recipe needs nothing; otherwise an unexpired grant at or above grantScope', () => {
    expect(plan.grantScope).toBe('configuration');
    expect(grantCovers(null, readOnly)).toBe(true);
    expect(grantCovers(null, plan)).toBe(false);
    expect(grantCovers(session(), plan)).toBe(false);
    expect(grantCovers(session({ grant: 'configuration', grantExpiresAt: 2000 }), plan, 1000)).toBe(true);
    expect(grantCovers(session({ grant: 'configuration', grantExpiresAt: 1000 }), plan, 1000)).toBe(false);
    expect(grantCovers(session({ grant: 'debug-write', grantExpiresAt: null }), plan)).toBe(true);
    const dbg = { ...plan, grantScope: 'debug-write' as const };
    expect(grantCovers(session({ grant: 'configuration', grantExpiresAt: null }), dbg)).toBe(false);
  });

  it('missingFiles matches a named file by its path or its base name, as the host does', () => {
    expect(plan.files).toEqual(['../profiles/demo-lab.json', 'app-2.1.0.bin']);
    expect(missingFiles(plan, {})).toEqual(plan.files);
    expect(missingFiles(plan, { 'demo-lab.json': 1 })).toEqual(['app-2.1.0.bin']);
    expect(missingFiles(plan, { '../profiles/demo-lab.json': 1, 'app-2.1.0.bin': 1 })).toEqual([]);
    expect(missingFiles(plan, { 'app-2.1.0.bin.bak': 1, 'demo-lab.json': 1 })).toEqual(['app-2.1.0.bin']);
  });

  it('boardsFor offers the present boards that match the recipe device (serial boards when it names none)', () => {
    const all = [B1, TTY, B2, GONE, CXL];
    const r = (device?: object) => JSON.stringify({ 'fwbench-recipe': 1, name: 'x', device, steps: [] });
    expect(boardsFor(BRINGUP, all).map((d) => d.id)).toEqual([B1.id, B2.id]);
    expect(boardsFor(r(), all).map((d) => d.id)).toEqual([B1.id, TTY.id, B2.id]);
    expect(boardsFor(r({ kind: 'fwctl' }), all).map((d) => d.id)).toEqual([CXL.id]);
    expect(boardsFor(r({ label: 'board 2' }), all).map((d) => d.id)).toEqual([B2.id]);
    expect(boardsFor(r({ kind: 'fwctl', details: { driver: 'mlx5' } }), all)).toEqual([]);
    expect(boardsFor(r({ label: '(?<x' }), all).map((d) => d.id)).toEqual([B1.id, TTY.id, B2.id]); // left to the host
  });

  it('runOutcome says how far a run got and why it stopped', () => {
    const n = plan.steps.length;
    expect(runOutcome(runOf('d', 'passed', steps(plan, Array(n).fill('done'))))).toBe(`passed: ${n} of ${n} steps`);
    const running = steps(plan, ['done', 'done', 'running', ...Array(n - 3).fill('pending')]);
    expect(runOutcome(runOf('d', 'running', running))).toBe(`running: 2 of ${n} steps done, now step 3 (${plan.steps[2].title})`);
    const failed = steps(plan, ['done', 'failed', ...Array(n - 2).fill('pending')], [{}, { error: { code: 'verification-failed', message: 'board is "other"' } }]);
    expect(runOutcome(runOf('d', 'failed', failed))).toBe(`failed at step 2 (${plan.steps[1].title}): board is "other"`);
    expect(runOutcome(runOf('d', 'interrupted', steps(plan, Array(n).fill('pending')), { code: 'cancelled', message: 'Stopped by the operator.' }))).toBe('interrupted: Stopped by the operator.');
  });
});

describe('RecipesPanel', () => {
  it('shows the plan: every step with its number, type and scope, the highest scope and the one grant', async () => {
    render(<RecipesPanel session={session()} />);
    loadFile('Recipe file', 'demo-bringup.json', BRINGUP);
    const table = await screen.findByRole('table', { name: 'Recipe steps' });
    const plan = loadRecipeText(BRINGUP, filesFromMap({})).plan;
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(8);
    rows.forEach((r, i) => {
      const cells = within(r).getAllByRole('cell').map((c) => c.textContent);
      expect(within(r).getByRole('rowheader').textContent).toBe(plan.steps[i].title);
      expect(cells[0]).toBe(String(i + 1));
      expect(cells[1]).toBe(plan.steps[i].type);
    });
    expect(within(rows[2]).getAllByRole('cell')[2].textContent).toBe('Configuration, changes the device'); // apply-profile
    expect(within(rows[0]).getAllByRole('cell')[2].textContent).toBe('no command'); // wait-device
    expect(within(rows[7]).getAllByRole('cell')[2].textContent).toBe('Debug read-only'); // telemetry
    expect(screen.getByTestId('recipe-scope').textContent).toBe('Highest scope: Debug read-only — asks for one Configuration grant per board before starting.');
    // Only the boards the recipe's device match allows are offered (a console port and an fwctl device are not).
    const boardRows = within(screen.getByRole('table', { name: 'Boards' })).getAllByRole('row').slice(1);
    expect(boardRows.map((r) => r.children[1].textContent)).toEqual([B1.label, B2.label]);
    expect(screen.getByText("2 other devices do not match the recipe's device and are not offered.")).toBeTruthy();
    expect(screen.getByText(/Add the files the recipe names: \.\.\/profiles\/demo-lab\.json, app-2\.1\.0\.bin/)).toBeTruthy();
    const run = screen.getByRole('button', { name: 'Run on 1 board' }) as HTMLButtonElement;
    expect(run.disabled).toBe(true);
    expect(document.getElementById(run.getAttribute('aria-describedby')!)!.textContent).toBe('Add the files the recipe names first.');
  });

  it('opened from a board the recipe does not match, it offers no board until one is ticked', async () => {
    const tty = session({ deviceId: TTY.id, deviceLabel: TTY.label });
    useApp.setState({ sessions: { s1: tty } });
    render(<RecipesPanel session={tty} />);
    loadFile('Recipe file', 'demo-health-check.json', HEALTH);
    await screen.findByRole('table', { name: 'Recipe steps' });
    const run = screen.getByRole('button', { name: 'Run on 0 boards' }) as HTMLButtonElement;
    expect(run.disabled).toBe(true);
    expect(screen.getByText('Tick at least one board the recipe can run on.')).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Run on Demo board 2 (simulated)' }));
    expect(screen.getByRole('button', { name: 'Run on 1 board' })).toBeTruthy();
  });

  it('a reading recipe says it needs no grant and can run on a read-only session', async () => {
    render(<RecipesPanel session={session()} />);
    loadFile('Recipe file', 'demo-health-check.json', HEALTH);
    await screen.findByRole('table', { name: 'Recipe steps' });
    expect(screen.getByTestId('recipe-scope').textContent).toBe('Highest scope: Debug read-only — only reads; no grant needed.');
    expect((screen.getByRole('button', { name: 'Run on 1 board' }) as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByTestId(`recipe-board-${B1.id}`).textContent).toBe('read-only (enough)');
  });

  it.each([
    ['a step with a bad field', JSON.stringify({ 'fwbench-recipe': 1, name: 'x', steps: [{ type: 'wait-device' }, { type: 'wait-device' }, { type: 'flash', file: '/abs/app.bin' }] }), /^bad\.json cannot be run\. Step 3 \(flash\) is not valid: file: a path relative to the recipe file/],
    ['an unknown step type', JSON.stringify({ 'fwbench-recipe': 1, name: 'x', steps: [{ type: 'wait-device' }, { type: 'reboot' }] }), /^bad\.json cannot be run\. Step 2 has an unknown type "reboot"\.known types: wait-device, reset/],
    ['an unknown command without a scope', JSON.stringify({ 'fwbench-recipe': 1, name: 'x', steps: [{ type: 'command', command: 'board.selfdestruct' }] }), /Step 1 \(command\): "board\.selfdestruct" is not a command fwbench knows; give the step a "scope"/],
    ['a bad regular expression', JSON.stringify({ 'fwbench-recipe': 1, name: 'x', steps: [{ type: 'wait-device' }, { type: 'expect-console', pattern: 'a(' }] }), /Step 2 \(expect-console\) pattern/],
    ['text that is not JSON', '{ "fwbench-recipe": 1, ', /^bad\.json cannot be run\. The recipe is not valid JSON\./],
    ['a file that is not a recipe', '{"name":"x"}', /no "fwbench-recipe" version field/],
  ])('shows the host message for %s, and no plan', async (_what, text, message) => {
    render(<RecipesPanel session={session()} />);
    loadFile('Recipe file', 'bad.json', text);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(message);
    expect(screen.queryByRole('table', { name: 'Recipe steps' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Run on/ })).toBeNull();
    // A good file afterwards replaces the error.
    loadFile('Recipe file', 'demo-health-check.json', HEALTH);
    await screen.findByRole('table', { name: 'Recipe steps' });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('asks for the recipe grant on the board, then runs and follows each step to the result', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const { rerender } = render(<RecipesPanel session={session()} />);
      loadFile('Recipe file', 'demo-bringup.json', BRINGUP);
      await screen.findByRole('table', { name: 'Recipe steps' });
      fireEvent.change(screen.getByLabelText(/Files the recipe names/), {
        target: { files: [new File(['{}'], 'demo-lab.json'), new File([new Uint8Array([1, 2, 3])], 'app-2.1.0.bin')] },
      });
      await waitFor(() => expect(screen.queryByText(/Add the files the recipe names:/)).toBeNull());
      const run = screen.getByRole('button', { name: 'Run on 1 board' }) as HTMLButtonElement;
      expect(run.disabled).toBe(true);
      expect(screen.getByText('Grant Configuration on Demo board 1 (simulated) first.')).toBeTruthy();
      fireEvent.click(screen.getByRole('button', { name: 'Grant Configuration on Demo board 1 (simulated)' }));
      expect(useApp.getState().elevation).toEqual({ sessionId: 's1', scope: 'configuration' });

      const granted = session({ grant: 'configuration', grantExpiresAt: Date.now() + 600_000 });
      act(() => useApp.setState({ sessions: { s1: granted } }));
      rerender(<RecipesPanel session={granted} />);
      expect(screen.getByTestId(`recipe-board-${B1.id}`).textContent).toBe('Configuration granted');
      expect(run.disabled).toBe(false);

      const plan = loadRecipeText(BRINGUP, filesFromMap({})).plan;
      const n = plan.steps.length;
      script[`run-${B1.id}`] = [
        runOf(B1.id, 'running', steps(plan, ['done', 'done', 'done', 'running', ...Array(n - 4).fill('pending')], [{}, {}, {}, { progress: { done: 40, total: 100 } }])),
        runOf(B1.id, 'passed', steps(plan, Array(n).fill('done'))),
      ];
      fireEvent.click(run);
      await waitFor(() => expect(screen.getByTestId(`run-status-${B1.id}`).textContent).toBe(`running: 3 of ${n} steps done, now step 4 (${plan.steps[3].title})`));
      const sent = calls.find((c) => c.channel === 'recipe.run')!.params as { deviceIds: string[]; files: Record<string, Uint8Array> };
      expect(sent.deviceIds).toEqual([B1.id]);
      expect(Object.keys(sent.files).sort()).toEqual(['app-2.1.0.bin', 'demo-lab.json']);
      expect([...sent.files['app-2.1.0.bin']]).toEqual([1, 2, 3]);
      const progress = screen.getByRole('progressbar', { name: `${plan.steps[3].title} progress` }) as HTMLProgressElement;
      expect(progress.value).toBe(40);
      expect(screen.getByRole('button', { name: 'Stop the run on Demo board 1 (simulated)' })).toBeTruthy();
      expect((screen.getByRole('button', { name: 'Run on 1 board' }) as HTMLButtonElement).disabled).toBe(true);

      await act(() => vi.advanceTimersByTimeAsync(600));
      await waitFor(() => expect(screen.getByTestId(`run-status-${B1.id}`).getAttribute('data-status')).toBe('passed'));
      expect(screen.getByTestId(`run-status-${B1.id}`).textContent).toBe(`passed: ${n} of ${n} steps`);
      for (let i = 1; i <= n; i++) expect(screen.getByTestId(`run-step-${B1.id}-${i}`).getAttribute('data-state')).toBe('done');
      expect(screen.queryByRole('button', { name: /Stop the run/ })).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('runs on two boards and shows one result row per board, with the failed step and a Resume', async () => {
    const s2: SessionInfo = { ...session(), id: 's2', deviceId: B2.id, deviceLabel: B2.label };
    useApp.setState({ sessions: { s1: session(), s2 } });
    render(<RecipesPanel session={session()} />);
    loadFile('Recipe file', 'demo-health-check.json', HEALTH);
    await screen.findByRole('table', { name: 'Recipe steps' });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Run on Demo board 2 (simulated)' }));
    const plan = loadRecipeText(HEALTH, filesFromMap({})).plan;
    const n = plan.steps.length;
    script[`run-${B1.id}`] = [runOf(B1.id, 'passed', steps(plan, Array(n).fill('done')))];
    script[`run-${B2.id}`] = [
      runOf(B2.id, 'failed', steps(plan, ['done', 'done', 'done', 'failed', 'pending'], [{}, {}, {}, { error: { code: 'verification-failed', message: 'vin left [11.5, 12.5]: 13.1' } }]), {
        code: 'verification-failed',
        message: 'vin left [11.5, 12.5]: 13.1',
      }),
    ];
    fireEvent.click(screen.getByRole('button', { name: 'Run on 2 boards' }));
    const table = await screen.findByRole('table', { name: 'Recipe runs' });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3));
    await waitFor(() => expect(screen.getByTestId(`run-status-${B2.id}`).getAttribute('data-status')).toBe('failed'));
    expect((calls.find((c) => c.channel === 'recipe.run')!.params as { deviceIds: string[] }).deviceIds).toEqual([B1.id, B2.id]);
    const byBoard = Object.fromEntries(within(table).getAllByRole('row').slice(1).map((r) => [within(r).getByRole('rowheader').textContent, within(r).getAllByRole('cell')[0].textContent]));
    expect(byBoard).toEqual({
      'Demo board 1 (simulated)': `passed: ${n} of ${n} steps`,
      'Demo board 2 (simulated)': `failed at step 4 (${plan.steps[3].title}): vin left [11.5, 12.5]: 13.1`,
    });
    expect(screen.getByRole('button', { name: 'Resume the run on Demo board 2 (simulated)' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Resume the run on Demo board 1 (simulated)' })).toBeNull();
  });

  it('names every control and keeps them all in the tab order', async () => {
    useApp.setState({ sessions: { s1: session() } });
    render(<RecipesPanel session={session()} />);
    loadFile('Recipe file', 'demo-bringup.json', BRINGUP);
    await screen.findByRole('table', { name: 'Recipe steps' });
    expectEveryControlNamed();
    for (const name of ['Run on Demo board 1 (simulated)', 'Run on Demo board 2 (simulated)']) expect(screen.getByRole('checkbox', { name })).toBeTruthy();
    for (const name of ['Grant Configuration on Demo board 1 (simulated)', 'Open a session on Demo board 2 (simulated)', 'Run on 1 board']) expect(screen.getByRole('button', { name })).toBeTruthy();
    expect(screen.getByLabelText('Recipe file')).toBeTruthy();
    expect(screen.getByLabelText('Files the recipe names (images, profiles)')).toBeTruthy();
  });
});
