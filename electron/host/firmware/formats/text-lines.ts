// Line splitting for the text formats (Intel HEX, S-record) with 1-based line
// numbers kept, so every error can name the line the operator must look at.
export interface TextLine {
  number: number;
  text: string;
}

export function textLines(bytes: Uint8Array): TextLine[] {
  const text = new TextDecoder('latin1').decode(bytes);
  return text.split(/\r\n|\r|\n/).map((t, i) => ({ number: i + 1, text: t.trim() }));
}

/** Parses pairs of hex digits; returns undefined when any character is not a hex digit. */
export function hexBytes(digits: string): Uint8Array | undefined {
  if (digits.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(digits)) return undefined;
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.substr(i * 2, 2), 16);
  return out;
}

/** True when the text looks like a text format at all (printable ASCII and line breaks only). */
export function isPrintableText(bytes: Uint8Array, limit = 4096): boolean {
  const n = Math.min(bytes.length, limit);
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0x0a || b === 0x0d || b === 0x09 || (b >= 0x20 && b < 0x7f)) continue;
    return false;
  }
  return n > 0;
}
