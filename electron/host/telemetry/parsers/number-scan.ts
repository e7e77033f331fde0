// Parses a decimal number straight from bytes, without making a string, for
// the text parsers' hot loops. Results equal Number(text) for the accepted
// grammar: [+-]digits[.digits][(e|E)[+-]digits], plus nan/inf words.

const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** Returns the number in bytes[start, end), or undefined when it is not one. */
export function scanNumber(b: Uint8Array, start: number, end: number): number | undefined {
  let i = start;
  if (i >= end) return undefined;
  let neg = false;
  let c = b[i];
  if (c === 45 /* - */ || c === 43 /* + */) {
    neg = c === 45;
    if (++i >= end) return undefined;
  }
  let mant = 0;
  let sig = 0; // significant digits folded into mant
  let digits = 0;
  let exp10 = 0;
  for (; i < end; i++) {
    c = b[i] - 48;
    if (c < 0 || c > 9) break;
    digits++;
    if (sig < 15) {
      mant = mant * 10 + c;
      if (mant !== 0) sig++;
    } else exp10++;
  }
  if (i < end && b[i] === 46 /* . */) {
    for (i++; i < end; i++) {
      c = b[i] - 48;
      if (c < 0 || c > 9) break;
      digits++;
      if (sig < 15) {
        mant = mant * 10 + c;
        if (mant !== 0) sig++;
        exp10--;
      }
    }
  }
  if (digits === 0) return scanWord(b, start, end);
  let lost = false;
  if (sig >= 15) lost = true; // more digits than a double holds exactly: let Number() round
  if (i < end && (b[i] === 101 || b[i] === 69) /* e E */) {
    i++;
    let eneg = false;
    if (i < end && (b[i] === 45 || b[i] === 43)) eneg = b[i++] === 45;
    let e = 0;
    let ed = 0;
    for (; i < end; i++) {
      c = b[i] - 48;
      if (c < 0 || c > 9) break;
      if (e < 100000) e = e * 10 + c;
      ed++;
    }
    if (ed === 0) return undefined;
    exp10 += eneg ? -e : e;
  }
  if (i !== end) return undefined;
  let v: number;
  if (lost || exp10 > 22 || exp10 < -22) v = Number(ascii(b, start, end));
  else {
    v = exp10 >= 0 ? mant * POW10[exp10] : mant / POW10[-exp10];
    if (neg) v = -v;
  }
  return v;
}

const WORDS: Record<string, number> = { nan: NaN, '+nan': NaN, '-nan': NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity, infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity };

function scanWord(b: Uint8Array, start: number, end: number): number | undefined {
  if (end - start > 9) return undefined;
  const w = ascii(b, start, end).toLowerCase();
  return Object.prototype.hasOwnProperty.call(WORDS, w) ? WORDS[w] : undefined;
}

export function ascii(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
}
