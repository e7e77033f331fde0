import type { HexBuffer } from './hex-format';

/** Received bytes as `hexdump -C` rows; `tick` changes whenever bytes arrive. */
export function HexPane({ buffer, tick, onClear }: { buffer: HexBuffer; tick: number; onClear: () => void }) {
  const lines = buffer.lines();
  return (
    <section className="console-hex" aria-label="Received bytes in hex" data-tick={tick}>
      <div className="row">
        <span className="muted">
          {buffer.total} bytes received; showing the last {buffer.held}
        </span>
        <button type="button" onClick={onClear}>
          Clear hex view
        </button>
      </div>
      <pre tabIndex={0} aria-label="Hex dump">
        {lines.join('\n')}
      </pre>
    </section>
  );
}
