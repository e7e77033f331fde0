// Small text rules shared by the console runner and its adapters.

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The prompt as a pattern. A literal prompt only counts at the start of a line
 * (or of the unread input), so output such as U-Boot's `crc32 ... ==> 1a2b3c4d`
 * is not mistaken for the `=> ` prompt.
 */
export function promptPattern(prompt: string | RegExp): RegExp {
  if (prompt instanceof RegExp) return prompt;
  return new RegExp(`(?:^|\\r?\\n)${escapeRegExp(prompt)}`);
}

/** CRLF (and stray CRs) to LF, without the final line end. */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r*\n/g, '\n').replace(/\r/g, '\n').replace(/\n$/, '');
}

/** Drops a prompt left at the end of unsolicited text (it belongs to the previous exchange). */
export function stripTrailingPrompt(text: string, prompt: string | RegExp): string {
  let t = text.trimEnd();
  if (typeof prompt === 'string' && prompt.trim() && t.endsWith(prompt.trim())) t = t.slice(0, t.length - prompt.trim().length);
  return t.trim();
}
