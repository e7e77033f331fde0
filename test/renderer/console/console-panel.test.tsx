// The console panel with xterm replaced by a recorder (happy-dom has no canvas
// nor matchMedia): history and live output, line mode with history, the
// read-only reason, hex and timestamp views, reload after a reconnect, Save log.
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { HostEvent } from '../../../electron/contract/events';
import type { SessionInfo } from '../../../electron/contract/devices';
import type { FwbenchClient } from '../../../renderer/api/client';

const terms: FakeTerminal[] = [];
class FakeTerminal {
  text = '';
  private dataCb: ((d: string) => void) | null = null;
  constructor() {
    terms.push(this);
  }
  loadAddon() {}
  open() {}
  write(d: string) {
    this.text += d;
  }
  reset() {
    this.text = '';
  }
  onData(cb: (d: string) => void) {
    this.dataCb = cb;
    return { dispose: () => (this.dataCb = null) };
  }
  type(d: string) {
    this.dataCb?.(d);
  }
  dispose() {}
}
vi.mock('@xterm/xterm', () => ({ Terminal: FakeTerminal }));
vi.mock('@xterm/addon-fit', () => ({ FitAddon: class { fit() {} } }));
vi.mock('@xterm/addon-search', () => ({ SearchAddon: class { findNext() {} } }));

const { ConsolePanel } = await import('../../../renderer/panels/ConsolePanel');
const { useApp } = await import('../../../renderer/store/app-store');

let history = 'U-Boot 2023.01\r\n=> ';
const writes: string[] = [];
const listeners = new Set<(e: HostEvent) => void>();
let historyCalls = 0;
let catalog: string[] = [];
const settingsCalls: object[] = [];
let line = { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' };
const client: FwbenchClient = {
  async request(channel, params) {
    if (channel === 'catalog.list') return catalog.map((id) => ({ id })) as never;
    if (channel !== 'command.run') throw new Error(`unexpected ${channel}`);
    const p = params as { commandId: string; params: { data?: string; line?: object } };
    if (p.commandId === 'serial.settings') {
      settingsCalls.push(p.params);
      line = { ...line, ...(p.params.line ?? {}) };
      return { result: { line } } as never;
    }
    if (p.commandId === 'console.history') {
      historyCalls++;
      return { result: { text: history } } as never;
    }
    if (p.commandId === 'console.write') {
      writes.push(p.params.data!);
      return { result: { sent: p.params.data!.length } } as never;
    }
    throw new Error(`unexpected command ${p.commandId}`);
  },
  onEvent(l) {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};
const emit = (data: string, t = Date.now()) => act(() => listeners.forEach((l) => l({ type: 'console', sessionId: 's1', t, data })));

function session(over: Partial<SessionInfo> = {}): SessionInfo {
  return { id: 's1', deviceId: 'serial:/dev/ttyUSB0', deviceLabel: 'ttyUSB0', simulated: false, state: 'open', grant: null, grantExpiresAt: null, tainted: false, openedAt: 0, identity: {}, ...over };
}
const granted = () => session({ grant: 'debug-write', grantExpiresAt: Date.now() + 600_000, tainted: true });
const term = () => terms.at(-1)!;

beforeEach(() => {
  terms.length = 0;
  writes.length = 0;
  historyCalls = 0;
  catalog = [];
  settingsCalls.length = 0;
  history = 'U-Boot 2023.01\r\n=> ';
  useApp.setState({ client, elevation: null, notices: [] });
});

describe('ConsolePanel', () => {
  it('shows the host scrollback, then live output', async () => {
    render(<ConsolePanel session={session()} />);
    await waitFor(() => expect(term().text).toBe('U-Boot 2023.01\r\n=> '));
    emit('version\r\n');
    expect(term().text).toBe('U-Boot 2023.01\r\n=> version\r\n');
  });

  it('read-only: says why typing is off and offers the grant; keys in raw mode are not sent', async () => {
    render(<ConsolePanel session={session()} />);
    expect(screen.getByRole('textbox', { name: 'Console line' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('note').textContent).toMatch(/Typing needs a Debug write grant/);
    fireEvent.click(screen.getByRole('button', { name: 'Request Debug write…' }));
    expect(useApp.getState().elevation).toEqual({ sessionId: 's1', scope: 'debug-write' });
    fireEvent.click(screen.getByRole('button', { name: 'Line mode' }));
    expect(screen.getByRole('button', { name: 'Raw keys' }).getAttribute('aria-pressed')).toBe('true');
    act(() => term().type('reset\r'));
    expect(screen.getByRole('note').textContent).toMatch(/keystrokes were not sent/);
    expect(writes).toEqual([]);
  });

  it('line mode sends a line with CR and recalls it with Up; raw mode sends each key', async () => {
    render(<ConsolePanel session={granted()} />);
    const input = screen.getByRole('textbox', { name: 'Console line' }) as HTMLInputElement;
    fireEvent.change(input, { target: { value: 'printenv bootcmd' } });
    fireEvent.submit(input.form!);
    await waitFor(() => expect(writes).toEqual(['printenv bootcmd\r']));
    expect(input.value).toBe('');
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    expect(input.value).toBe('printenv bootcmd');
    fireEvent.change(screen.getByRole('combobox', { name: 'Line ending' }), { target: { value: 'crlf' } });
    fireEvent.submit(input.form!);
    await waitFor(() => expect(writes.at(-1)).toBe('printenv bootcmd\r\n'));
    fireEvent.click(screen.getByRole('button', { name: 'Line mode' }));
    act(() => term().type('\x03'));
    await waitFor(() => expect(writes.at(-1)).toBe('\x03'));
  });

  it('hex view shows the received bytes; timestamps prefix each new line with the event time', async () => {
    render(<ConsolePanel session={session()} />);
    await waitFor(() => expect(historyCalls).toBe(1));
    fireEvent.click(screen.getByRole('button', { name: 'Hex view' }));
    emit('=> \x00\xff');
    expect(screen.getByLabelText('Hex dump').textContent).toBe('00000000  3d 3e 20 00 ff                                    |=> ..|');
    fireEvent.click(screen.getByRole('button', { name: 'Timestamps' }));
    const t = new Date(2026, 10, 25, 12, 34, 56, 789).getTime();
    emit('one\r\ntwo', t);
    expect(term().text.endsWith('\x1b[2m[12:34:56.789]\x1b[0m one\r\n\x1b[2m[12:34:56.789]\x1b[0m two')).toBe(true);
  });

  it('reloads the scrollback when the session comes back from reconnecting', async () => {
    const { rerender } = render(<ConsolePanel session={session()} />);
    await waitFor(() => expect(historyCalls).toBe(1));
    rerender(<ConsolePanel session={session({ state: 'reconnecting' })} />);
    expect(screen.getByRole('status').textContent).toMatch(/waiting for the board to come back/);
    history = 'U-Boot 2023.01\r\n=> \r\n[fwbench] link lost\r\nU-Boot 2023.01 (again)\r\n=> ';
    rerender(<ConsolePanel session={session({ state: 'open' })} />);
    await waitFor(() => expect(historyCalls).toBe(2));
    await waitFor(() => expect(term().text).toBe(history));
  });

  it('Save log downloads the scrollback as plain text', async () => {
    const blobs: Blob[] = [];
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => (blobs.push(b as Blob), 'blob:console'));
    const clicked: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    history = '\x1b[2mnote\x1b[0m\r\n=> ';
    render(<ConsolePanel session={session()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Save log' }));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(clicked[0]).toMatch(/^console-ttyUSB0-\d{8}-\d{6}\.txt$/);
    expect(await blobs[0].text()).toBe('note\n=> ');
    create.mockRestore();
    click.mockRestore();
  });

  it('shows the serial line settings when the session offers them, and applies a change', async () => {
    catalog = ['console.write', 'serial.settings', 'serial.sequence', 'serial.break'];
    render(<ConsolePanel session={granted()} />);
    await waitFor(() => expect(screen.getByText(/Serial line: 115200 8N1/)).toBeTruthy());
    fireEvent.change(screen.getByRole('combobox', { name: 'Baud' }), { target: { value: '9600' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Parity' }), { target: { value: 'even' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply line settings' }));
    await waitFor(() => expect(screen.getByText(/Serial line: 9600 8E1/)).toBeTruthy());
    expect(settingsCalls.at(-1)).toEqual({ line: { baudRate: 9600, dataBits: 8, parity: 'even', stopBits: 1, flowControl: 'none' } });
  });

  it('hides the serial controls for sessions without them (the demo board)', async () => {
    render(<ConsolePanel session={session()} />);
    await waitFor(() => expect(historyCalls).toBe(1));
    expect(screen.queryByText(/Serial line:/)).toBeNull();
  });
});
