import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import type { SessionInfo } from '../../electron/contract/devices';
import { scopeCovers } from '../../electron/contract/scopes';
import { useApp } from '../store/app-store';

/**
 * Reading the console is debug-read-only (no grant needed); typing into it is
 * debug-write, because a console can do anything on the board.
 */
export function ConsolePanel({ session }: { session: SessionInfo }) {
  const el = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const search = useRef<SearchAddon | null>(null);
  const runCommand = useApp((s) => s.runCommand);
  const consoleSinks = useApp((s) => s.consoleSinks);
  const [line, setLine] = useState('');
  const [query, setQuery] = useState('');
  const canType = scopeCovers(session.grant, 'debug-write') && (session.grantExpiresAt ?? 0) > Date.now();

  useEffect(() => {
    const t = new Terminal({ convertEol: false, scrollback: 20000, fontSize: 13, disableStdin: false });
    const fit = new FitAddon();
    const s = new SearchAddon();
    t.loadAddon(fit);
    t.loadAddon(s);
    t.open(el.current!);
    fit.fit();
    term.current = t;
    search.current = s;
    const sink = (data: string) => t.write(data);
    let sinks = consoleSinks.get(session.id);
    if (!sinks) consoleSinks.set(session.id, (sinks = new Set()));
    sinks.add(sink);
    void runCommand<{ text: string }>(session.id, 'console.history', 'debug-read-only', {}).then((r) => r && t.write(r.text));
    const onResize = () => fit.fit();
    window.addEventListener('resize', onResize);
    return () => {
      sinks!.delete(sink);
      window.removeEventListener('resize', onResize);
      t.dispose();
    };
  }, [session.id, consoleSinks, runCommand]);

  useEffect(() => {
    const t = term.current;
    if (!t) return;
    const sub = t.onData((data) => {
      if (canType) void runCommand(session.id, 'console.write', 'debug-write', { data });
    });
    return () => sub.dispose();
  }, [canType, session.id, runCommand]);

  return (
    <div className="console-panel">
      <div className="row">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!line) return;
            void runCommand(session.id, 'console.write', 'debug-write', { data: line + '\r' });
            setLine('');
          }}
        >
          <label>
            Send a line
            <input value={line} onChange={(e) => setLine(e.target.value)} aria-label="Console line" disabled={!canType} />
          </label>
          <button type="submit" disabled={!canType}>
            Send
          </button>
        </form>
        <label>
          Search
          <input value={query} onChange={(e) => setQuery(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && search.current?.findNext(query)} aria-label="Search console" />
        </label>
        {!canType && <span className="muted">Read-only view. Typing needs a Debug write grant.</span>}
      </div>
      <div ref={el} className="terminal" aria-label="Device console" />
    </div>
  );
}
