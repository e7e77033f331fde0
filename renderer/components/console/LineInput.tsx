import { useRef, useState } from 'react';
import { LineHistory, LINE_ENDINGS, type LineEnding } from './line-history';

/**
 * Line mode: type a whole line, send it with Enter (with the chosen line
 * ending); Up/Down walk the lines sent before, as in a shell.
 */
export function LineInput({ disabled, onSend }: { disabled: boolean; onSend: (data: string) => void }) {
  const history = useRef(new LineHistory());
  const [line, setLine] = useState('');
  const [ending, setEnding] = useState<LineEnding>('cr');

  const send = () => {
    if (disabled) return;
    onSend(line + LINE_ENDINGS[ending]);
    history.current.push(line);
    setLine('');
  };

  return (
    <form
      className="console-line"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <input
        value={line}
        onChange={(e) => setLine(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowUp') {
            const prev = history.current.up(line);
            if (prev !== undefined) setLine(prev);
            e.preventDefault();
          } else if (e.key === 'ArrowDown') {
            const next = history.current.down();
            if (next !== undefined) setLine(next);
            e.preventDefault();
          }
        }}
        aria-label="Console line"
        placeholder={disabled ? 'Read-only' : 'Type a line; Enter sends it, Up/Down for history'}
        disabled={disabled}
        spellCheck={false}
        autoComplete="off"
      />
      <label>
        Line end
        <select value={ending} onChange={(e) => setEnding(e.target.value as LineEnding)} aria-label="Line ending" disabled={disabled}>
          <option value="cr">CR</option>
          <option value="lf">LF</option>
          <option value="crlf">CR LF</option>
        </select>
      </label>
      <button type="submit" disabled={disabled}>
        Send
      </button>
    </form>
  );
}
