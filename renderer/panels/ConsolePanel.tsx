import { useCallback, useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import type { SessionInfo } from '../../electron/contract/devices';
import { scopeCovers } from '../../electron/contract/scopes';
import { useApp } from '../store/app-store';
import { LineInput } from '../components/console/LineInput';
import { HexPane } from '../components/console/HexPane';
import { SerialControls } from '../components/console/SerialControls';
import { HexBuffer } from '../components/console/hex-format';
import { TimestampPrefixer } from '../components/console/timestamps';
import { downloadText, logFileName, logText, mergeHistory } from '../components/console/scrollback';

type InputMode = 'line' | 'raw';

/**
 * Reading the console is debug-read-only (no grant needed); typing into it is
 * debug-write, because a console can do anything on the board. The host keeps
 * the scrollback across reconnects; the view reloads it when the session comes
 * back to 'open'.
 */
export function ConsolePanel({ session }: { session: SessionInfo }) {
  const el = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const search = useRef<SearchAddon | null>(null);
  const client = useApp((s) => s.client);
  const runCommand = useApp((s) => s.runCommand);
  const askElevation = useApp((s) => s.askElevation);
  const [query, setQuery] = useState('');
  const [mode, setMode] = useState<InputMode>('line');
  const [showHex, setShowHex] = useState(false);
  const [stamps, setStamps] = useState(false);
  const [hexTick, setHexTick] = useState(0);
  const [typedReadOnly, setTypedReadOnly] = useState(false);
  const hex = useRef(new HexBuffer(4096));
  const prefixer = useRef(new TimestampPrefixer());
  const stampsOn = useRef(stamps);
  // While console.history is in flight, live events are held here and merged after.
  const loading = useRef<string | null>(null);
  const canType = scopeCovers(session.grant, 'debug-write') && (session.grantExpiresAt ?? 0) > Date.now() && session.state === 'open';

  useEffect(() => {
    stampsOn.current = stamps;
    prefixer.current.reset();
  }, [stamps]);

  const writeLive = useCallback((data: string, t: number) => {
    term.current?.write(stampsOn.current ? prefixer.current.feed(data, t) : data);
  }, []);

  const reload = useCallback(async () => {
    loading.current = '';
    const r = await runCommand<{ text: string }>(session.id, 'console.history', 'debug-read-only', {});
    const meanwhile = loading.current ?? '';
    loading.current = null;
    const t = term.current;
    if (!t) return;
    t.reset();
    prefixer.current.reset();
    t.write(r ? mergeHistory(r.text, meanwhile) : meanwhile);
  }, [session.id, runCommand]);

  useEffect(() => {
    const t = new Terminal({ convertEol: false, scrollback: 20000, fontSize: 13, disableStdin: false, screenReaderMode: false });
    const fit = new FitAddon();
    const s = new SearchAddon();
    t.loadAddon(fit);
    t.loadAddon(s);
    t.open(el.current!);
    fit.fit();
    term.current = t;
    search.current = s;
    const onResize = () => fit.fit();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      term.current = null;
      t.dispose();
    };
  }, [session.id]);

  useEffect(() => {
    if (!client) return;
    const off = client.onEvent((e) => {
      if (e.type !== 'console' || e.sessionId !== session.id) return;
      hex.current.append(e.data);
      setHexTick((n) => n + 1);
      if (loading.current !== null) loading.current += e.data;
      else writeLive(e.data, e.t);
    });
    void reload();
    return off;
  }, [client, session.id, reload, writeLive]);

  // Back from 'reconnecting': the host's scrollback holds what was printed before and since.
  const lastState = useRef(session.state);
  useEffect(() => {
    if (lastState.current !== 'open' && session.state === 'open') void reload();
    lastState.current = session.state;
  }, [session.state, reload]);

  const send = useCallback((data: string) => void runCommand(session.id, 'console.write', 'debug-write', { data }), [runCommand, session.id]);

  useEffect(() => {
    const t = term.current;
    if (!t) return;
    const sub = t.onData((data) => {
      if (mode !== 'raw') return;
      if (canType) send(data);
      else setTypedReadOnly(true);
    });
    return () => sub.dispose();
  }, [canType, mode, send]);

  const saveLog = async () => {
    const r = await runCommand<{ text: string }>(session.id, 'console.history', 'debug-read-only', {});
    if (r) downloadText(logText(r.text), logFileName(session.deviceLabel, new Date()));
  };

  return (
    <div className="console-panel">
      <div className="row console-toolbar" role="toolbar" aria-label="Console view options">
        <button type="button" aria-pressed={mode === 'raw'} onClick={() => setMode(mode === 'raw' ? 'line' : 'raw')} title="Raw: every key goes to the board as typed. Line: type a line, Enter sends it.">
          {mode === 'raw' ? 'Raw keys' : 'Line mode'}
        </button>
        <button type="button" aria-pressed={showHex} onClick={() => setShowHex(!showHex)}>
          Hex view
        </button>
        <button type="button" aria-pressed={stamps} onClick={() => setStamps(!stamps)}>
          Timestamps
        </button>
        <label>
          Search
          <input value={query} onChange={(e) => setQuery(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && search.current?.findNext(query)} aria-label="Search console" />
        </label>
        <button type="button" onClick={() => void saveLog()}>
          Save log
        </button>
        {session.state !== 'open' && (
          <span className="warn" role="status">
            {session.state === 'reconnecting' ? 'Disconnected: waiting for the board to come back (scrollback is kept).' : 'The device is gone.'}
          </span>
        )}
      </div>
      {!canType && session.state === 'open' && (
        <div className="row console-readonly" role="note">
          <span className="muted">
            Read-only view. Typing needs a Debug write grant: console input reaches the board's shell or bootloader, which can change or erase anything.
            {typedReadOnly && mode === 'raw' && ' Your keystrokes were not sent.'}
          </span>
          <button type="button" onClick={() => askElevation(session.id, 'debug-write')}>
            Request Debug write…
          </button>
        </div>
      )}
      <SerialControls session={session} />
      {mode === 'line' && <LineInput disabled={!canType} onSend={send} />}
      {mode === 'raw' && canType && <p className="muted">Raw keys: click the console and type; every key (Ctrl-C included) goes to the board.</p>}
      <div ref={el} className="terminal" role="region" aria-label="Device console" />
      {showHex && (
        <HexPane
          buffer={hex.current}
          tick={hexTick}
          onClear={() => {
            hex.current.clear();
            setHexTick((n) => n + 1);
          }}
        />
      )}
    </div>
  );
}
