// Scrollback bookkeeping for the console view: joining a history snapshot with
// live events that raced it, and the saved log's text and file name.

/**
 * The host adds bytes to its scrollback before it emits them as an event, so
 * events that arrived while `console.history` was in flight may already be in
 * the snapshot. Keep them only when the snapshot does not already end with them.
 */
export function mergeHistory(history: string, arrivedMeanwhile: string): string {
  if (!arrivedMeanwhile) return history;
  if (history.endsWith(arrivedMeanwhile)) return history;
  // Partly included: the snapshot ends with a prefix of what arrived.
  for (let k = Math.min(history.length, arrivedMeanwhile.length - 1); k > 0; k--) {
    if (history.endsWith(arrivedMeanwhile.slice(0, k))) return history + arrivedMeanwhile.slice(k);
  }
  return history + arrivedMeanwhile;
}

// CSI sequences (colours, cursor moves) and OSC titles: noise in a .txt log.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** The scrollback as a plain-text log: no escape sequences, LF line ends. */
export function logText(scrollback: string): string {
  return scrollback.replace(ANSI, '').replace(/\r\n/g, '\n').replace(/\r(?!\n)/g, '\n');
}

/** console-<device>-<local time>.txt, safe on every file system. */
export function logFileName(deviceLabel: string, at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
  const dev = deviceLabel.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60) || 'device';
  return `console-${dev}-${stamp}.txt`;
}

/** Downloads text as a file through a Blob link (the renderer has no file system). */
export function downloadText(text: string, fileName: string, doc: Document = document): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  doc.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
