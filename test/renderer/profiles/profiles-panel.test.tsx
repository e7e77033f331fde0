// The Profiles panel against a fake client whose profile.diff is the host's
// real three-way diff and profile parser: the status of each row, the error
// for a file that is not a profile, the dry run that shows exactly what is
// sent, the grant gate for Apply, and the journal with before/after.
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ConfigValue } from '../../../electron/contract/config';
import type { SessionInfo } from '../../../electron/contract/devices';
import type { ConfigJournalEntry, ProfileApplyResult, ProfileDiffRow } from '../../../electron/contract/recipes';
import { HostError } from '../../../electron/host/errors/host-error';
import { parseProfile } from '../../../electron/host/profiles/profile-format';
import { countStatuses, threeWayDiff } from '../../../electron/host/profiles/three-way-diff';
import { RequestError, type FwbenchClient } from '../../../renderer/api/client';
import { ProfilesPanel, STATUS_TEXT, profileFileName, showValue, statusText } from '../../../renderer/panels/ProfilesPanel';
import { useApp } from '../../../renderer/store/app-store';

function session(over: Partial<SessionInfo> = {}): SessionInfo {
  return { id: 's1', deviceId: 'demo:DEMO-1001', deviceLabel: 'Demo board 1 (simulated)', simulated: true, state: 'open', grant: null, grantExpiresAt: null, tainted: false, openedAt: 0, identity: {}, ...over };
}
const granted = () => session({ grant: 'configuration', grantExpiresAt: Date.now() + 600_000 });

let live: Record<string, ConfigValue> = {};
let snapshot: Record<string, ConfigValue> | null = null;
const readOnly = new Set(['serial_number']);
let journal: ConfigJournalEntry[] = [];
const applies: { dryRun: boolean; save?: boolean }[] = [];

function applyResult(profile: unknown, dryRun: boolean, save: boolean): ProfileApplyResult {
  const p = parseProfile(profile);
  const changes = Object.entries(p.values)
    .filter(([k, v]) => !readOnly.has(k) && k in live && live[k] !== v)
    .map(([key, after]) => ({ key, before: live[key], after }));
  return { dryRun, writeParams: changes.length ? { changes: Object.fromEntries(changes.map((c) => [c.key, c.after!])), save } : null, changes, skipped: Object.keys(p.values).filter((k) => readOnly.has(k)).map((key) => ({ key, reason: 'read-only on the device' })) };
}

const client: FwbenchClient = {
  async request(channel, params) {
    const p = params as { profile: unknown; dryRun: boolean; save?: boolean };
    try {
      if (channel === 'profile.history') return journal as never;
      if (channel === 'profile.diff') {
        const prof = parseProfile(p.profile);
        const entries = Object.entries(live).map(([key, value]) => ({ key, value, type: 'string' as const, readOnly: readOnly.has(key) }));
        const rows = threeWayDiff(entries, snapshot, prof.values);
        return { deviceId: 'demo:DEMO-1001', profileName: prof.name, snapshotAt: snapshot ? '2026-11-25T10:00:00.000Z' : null, rows, counts: countStatuses(rows) } as never;
      }
      if (channel === 'profile.apply') {
        applies.push({ dryRun: p.dryRun, save: p.save });
        const r = applyResult(p.profile, p.dryRun, p.save ?? false);
        if (!p.dryRun) {
          for (const c of r.changes) live[c.key] = c.after!;
          snapshot = { ...live };
          journal.push({ time: '2026-11-25T10:05:00.000Z', deviceId: 'demo:DEMO-1001', deviceLabel: 'Demo board 1', operator: 'tech', client: 'ws:1', source: `profile ${parseProfile(p.profile).name}`, changes: r.changes, saved: p.save ?? false });
        }
        return r as never;
      }
    } catch (e) {
      throw new RequestError(HostError.from(e).toWire());
    }
    throw new Error(`unexpected ${channel}`);
  },
  onEvent: () => () => {},
};

const PROFILE = { 'fwbench-profile': 1, name: 'lab-3', device: { kind: 'serial', protocol: 'demo-board' }, values: { fan_mode: 'quiet', vcore_mv: 900, led: true, serial_number: 'X', hostname: 'bench-7' }, created: '2026-11-24T10:00:00.000Z' };

const ROLES = ['button', 'textbox', 'checkbox', 'progressbar', 'spinbutton', 'combobox', 'radio'] as const;
/** Every control has a name: per role, the elements with a non-empty name are all of them; a file input (no role) sits in its label. */
function expectEveryControlNamed() {
  for (const role of ROLES) expect(screen.queryAllByRole(role, { name: /\S/ }).length, role).toBe(screen.queryAllByRole(role).length);
  for (const f of Array.from(document.querySelectorAll('input[type=file]'))) expect(f.closest('label')?.textContent?.trim(), f.outerHTML).toBeTruthy();
  for (const c of Array.from(document.querySelectorAll<HTMLElement>('button, input, select, textarea'))) expect(c.tabIndex, c.outerHTML).toBeGreaterThanOrEqual(0);
}

function loadProfile(name: string, text: string) {
  fireEvent.change(screen.getByLabelText('Load profile'), { target: { files: [new File([text], name, { type: 'application/json' })] } });
}
const statuses = () => Object.fromEntries(screen.getAllByTestId(/^profile-row-/).map((tr) => [within(tr).getByRole('rowheader').textContent, tr.getAttribute('data-status')]));

beforeEach(() => {
  live = { fan_mode: 'auto', vcore_mv: 870, led: true, hostname: 'bench-7', serial_number: 'DEMO-1001' };
  snapshot = { fan_mode: 'auto', vcore_mv: 850, led: true, hostname: 'bench-7', serial_number: 'DEMO-1001' };
  journal = [];
  applies.length = 0;
  useApp.setState({ client, elevation: null, notices: [] });
});

describe('ProfilesPanel pure parts', () => {
  const row = (over: Partial<ProfileDiffRow>): ProfileDiffRow => ({ key: 'k', status: 'same', changedSinceSnapshot: false, readOnly: false, ...over });
  it('statusText puts each status in words and adds a snapshot change the status does not already say', () => {
    expect(Object.keys(STATUS_TEXT).sort()).toEqual(['changed-since-snapshot', 'differs-from-profile', 'missing', 'same']);
    expect(statusText(row({}))).toBe('same');
    expect(statusText(row({ status: 'differs-from-profile' }))).toBe('differs from the profile');
    expect(statusText(row({ status: 'differs-from-profile', changedSinceSnapshot: true }))).toBe('differs from the profile (also changed since the snapshot)');
    expect(statusText(row({ status: 'changed-since-snapshot', changedSinceSnapshot: true }))).toBe('changed since the snapshot');
    expect(statusText(row({ status: 'missing', changedSinceSnapshot: true }))).toBe('missing on the device');
    expect(statusText(row({ readOnly: true }))).toBe('same (read-only)');
  });
  it('showValue and profileFileName', () => {
    expect(showValue(undefined)).toBe('—');
    expect(showValue('quiet')).toBe('"quiet"');
    expect(showValue(900)).toBe('900');
    expect(showValue(false)).toBe('false');
    expect(profileFileName(' lab 3 / bench 7 ')).toBe('lab_3_bench_7.json');
    expect(profileFileName('???')).toBe('_.json');
    expect(profileFileName('   ')).toBe('profile.json');
  });
});

describe('ProfilesPanel', () => {
  it('shows every status of the three-way diff, from the host diff', async () => {
    render(<ProfilesPanel session={session()} />);
    loadProfile('lab.json', JSON.stringify({ ...PROFILE, values: { ...PROFILE.values, fan_mode: 'auto', vcore_mv: 870, led: true, hostname: 'bench-7', serial_number: 'DEMO-1001', no_such_key: 1 } }));
    await screen.findByRole('table', { name: 'Three-way difference' });
    expect(statuses()).toEqual({ fan_mode: 'same', vcore_mv: 'changed-since-snapshot', led: 'same', hostname: 'same', serial_number: 'same', no_such_key: 'missing' });
    const vcore = screen.getByTestId('profile-row-vcore_mv');
    expect(Array.from(vcore.children).map((c) => c.textContent)).toEqual(['vcore_mv', '870', '850', '870', 'changed since the snapshot']);
    expect(Array.from(screen.getByTestId('profile-row-no_such_key').children).map((c) => c.textContent)).toEqual(['no_such_key', '—', '—', '1', 'missing on the device']);
    expect(screen.getByTestId('profile-row-serial_number').lastElementChild!.textContent).toBe('same (read-only)');
    expect(screen.getByTestId('profile-summary').textContent).toMatch(/0 differ, 1 missing, 1 changed since the snapshot/);
  });

  it('a live value against the profile: differs-from-profile, also flagged as changed since the snapshot', async () => {
    render(<ProfilesPanel session={session()} />);
    loadProfile('lab.json', JSON.stringify(PROFILE));
    await screen.findByRole('table', { name: 'Three-way difference' });
    expect(statuses()).toEqual({ fan_mode: 'differs-from-profile', vcore_mv: 'differs-from-profile', led: 'same', hostname: 'same', serial_number: 'differs-from-profile' });
    expect(screen.getByTestId('profile-row-vcore_mv').lastElementChild!.textContent).toBe('differs from the profile (also changed since the snapshot)');
    expect(screen.getByTestId('profile-row-fan_mode').lastElementChild!.textContent).toBe('differs from the profile');
  });

  it.each([
    ['text that is not JSON', '{"fwbench-profile": 1,', /^broken\.json is not valid JSON\./],
    ['a JSON file that is not a profile', JSON.stringify({ name: 'x' }), /^This is not a fwbench profile: it has no "fwbench-profile" version field\./],
    ['a profile with a bad value', JSON.stringify({ ...PROFILE, values: { vcore_mv: { nested: 1 } } }), /^The profile is not valid: values\.vcore_mv/],
  ])('shows a clear error for %s and no diff', async (_what, text, message) => {
    render(<ProfilesPanel session={session()} />);
    loadProfile('broken.json', text);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(message);
    expect(screen.queryByRole('table', { name: 'Three-way difference' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Dry run' })).toBeNull();
    loadProfile('lab.json', JSON.stringify(PROFILE));
    await screen.findByRole('table', { name: 'Three-way difference' });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('dry run shows exactly the params, apply needs a grant, then the diff is clean and the journal has before/after', async () => {
    const { rerender } = render(<ProfilesPanel session={session()} />);
    expect(screen.getByText('No changes applied through profiles yet.')).toBeTruthy();
    loadProfile('lab.json', JSON.stringify(PROFILE));
    await screen.findByRole('table', { name: 'Three-way difference' });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Save on the device after applying' }));
    fireEvent.click(screen.getByRole('button', { name: 'Dry run' }));
    const pre = await screen.findByTestId('profile-dry-run');
    expect(JSON.parse(pre.textContent!)).toEqual({ changes: { fan_mode: 'quiet', vcore_mv: 900 }, save: true });
    expect(screen.getByText('Left alone: serial_number (read-only on the device)')).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Dry run: the config.write params Apply sends' })).toBeTruthy();
    // Read-only session: no Apply, the way to the grant instead.
    expect(screen.queryByRole('button', { name: /^Apply/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Grant Configuration…' }));
    expect(useApp.getState().elevation).toEqual({ sessionId: 's1', scope: 'configuration' });

    // Changing the save option makes the dry run stale: it goes away.
    fireEvent.click(screen.getByRole('checkbox', { name: 'Save on the device after applying' }));
    expect(screen.queryByTestId('profile-dry-run')).toBeNull();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Save on the device after applying' }));
    rerender(<ProfilesPanel session={granted()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Dry run' }));
    await screen.findByTestId('profile-dry-run');
    fireEvent.click(screen.getByRole('button', { name: 'Apply 2 changes' }));
    await waitFor(() => expect(screen.getByTestId('profile-row-vcore_mv').getAttribute('data-status')).toBe('same'));
    expect(applies).toEqual([
      { dryRun: true, save: true },
      { dryRun: true, save: true },
      { dryRun: false, save: true },
    ]);
    expect(Object.values(statuses()).filter((s) => s !== 'same')).toEqual(['differs-from-profile']); // serial_number: read-only, left alone
    expect(screen.queryByTestId('profile-dry-run')).toBeNull();
    const rows = within(await screen.findByTestId('profile-history')).getAllByRole('row').slice(1);
    expect(rows.map((r) => Array.from(r.children).slice(2).map((c) => c.textContent))).toEqual([
      ['profile lab-3', 'fan_mode', '"auto"', '"quiet"', 'yes'],
      ['profile lab-3', 'vcore_mv', '870', '900', 'yes'],
    ]);
  });

  it('nothing to change: the dry run says so and offers no Apply', async () => {
    live = { ...live, fan_mode: 'quiet', vcore_mv: 900 };
    render(<ProfilesPanel session={granted()} />);
    loadProfile('lab.json', JSON.stringify(PROFILE));
    await screen.findByRole('table', { name: 'Three-way difference' });
    fireEvent.click(screen.getByRole('button', { name: 'Dry run' }));
    expect((await screen.findByTestId('profile-dry-run')).textContent).toBe('Nothing to change: the device matches the profile.');
    expect(screen.queryByRole('button', { name: /^Apply/ })).toBeNull();
  });

  it('Save profile offers the captured profile as a JSON download', async () => {
    const captured = { ...PROFILE, name: 'bench 7', values: { fan_mode: 'auto' } };
    const clicks: { download: string; href: string }[] = [];
    const origCreate = URL.createObjectURL;
    const blobs: Blob[] = [];
    URL.createObjectURL = (b: Blob) => (blobs.push(b), 'blob:profile');
    const origClick = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicks.push({ download: this.download, href: this.href });
    };
    const req = client.request;
    client.request = (async (ch: string, p: unknown) => (ch === 'profile.capture' ? captured : req(ch as never, p as never))) as never;
    try {
      render(<ProfilesPanel session={session()} />);
      const save = screen.getByRole('button', { name: 'Save profile' }) as HTMLButtonElement;
      expect(save.disabled).toBe(true);
      fireEvent.change(screen.getByRole('textbox', { name: 'Profile name' }), { target: { value: 'bench 7' } });
      fireEvent.click(save);
      await waitFor(() => expect(clicks).toEqual([{ download: 'bench_7.json', href: 'blob:profile' }]));
      expect(JSON.parse(await blobs[0].text())).toEqual(captured);
      expect(document.querySelector('a[download]')).toBeNull();
      await waitFor(() => expect(useApp.getState().notices.map((n) => n.text)).toContain('Saved 1 settings as "bench 7" (and a snapshot).'));
    } finally {
      URL.createObjectURL = origCreate;
      HTMLAnchorElement.prototype.click = origClick;
      client.request = req;
    }
  });

  it('names every control and keeps them all in the tab order', async () => {
    journal = [{ time: 't', deviceId: 'd', deviceLabel: 'l', operator: 'o', client: 'c', source: 'profile x', changes: [{ key: 'led', before: false, after: true }], saved: false }];
    render(<ProfilesPanel session={session()} />);
    loadProfile('lab.json', JSON.stringify(PROFILE));
    await screen.findByRole('table', { name: 'Three-way difference' });
    fireEvent.click(screen.getByRole('button', { name: 'Dry run' }));
    await screen.findByTestId('profile-dry-run');
    await act(async () => {});
    expectEveryControlNamed();
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Save profile', 'Dry run', 'Grant Configuration…']);
    expect(screen.getByRole('textbox', { name: 'Profile name' })).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: 'Save on the device after applying' })).toBeTruthy();
    expect(screen.getByLabelText('Load profile')).toBeTruthy();
    expect(screen.getByRole('table', { name: 'Configuration journal' })).toBeTruthy();
  });
});
