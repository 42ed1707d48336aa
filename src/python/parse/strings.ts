// Decoding of Python string literal bodies (escape sequences), after
// CPython's Objects/unicodeobject.c (_PyUnicode_DecodeUnicodeEscapeInternal)
// and Objects/bytesobject.c (_PyBytes_DecodeEscape).

export interface StringPrefix {
  raw: boolean;
  bytes: boolean;
  format: boolean;
  /** Length of the prefix letters. */
  prefixLength: number;
  /** 1 or 3. */
  quoteLength: number;
}

export function stringPrefix(literal: string): StringPrefix {
  let i = 0;
  while (i < literal.length && literal[i] !== "'" && literal[i] !== '"') i++;
  const letters = literal.slice(0, i).toLowerCase();
  const q = literal[i] ?? '"';
  const quoteLength = literal.startsWith(q + q + q, i) && literal.length >= i + 6 ? 3 : 1;
  return {
    raw: letters.includes('r'),
    bytes: letters.includes('b'),
    format: letters.includes('f'),
    prefixLength: i,
    quoteLength,
  };
}

/** Thrown for a malformed escape; `offset` is relative to the decoded body. */
export class EscapeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\n': '',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/**
 * Decode backslash escapes in a non-raw literal body. `bytes` bodies decode
 * to a string of code points 0..255. Line ends must already be '\n'.
 */
export function decodeEscapes(body: string, bytes: boolean): string {
  if (!body.includes('\\')) return body;
  let out = '';
  let i = 0;
  const n = body.length;
  while (i < n) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const start = i;
    const e = body[i + 1];
    if (e === undefined) {
      // A trailing backslash cannot reach here from a well-formed literal.
      out += '\\';
      i++;
      continue;
    }
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      i += 2;
      continue;
    }
    if (e >= '0' && e <= '7') {
      let j = i + 1;
      let v = 0;
      while (j < n && j < i + 4 && body[j]! >= '0' && body[j]! <= '7') v = v * 8 + Number(body[j++]);
      out += String.fromCharCode(bytes ? v & 0xff : v);
      i = j;
      continue;
    }
    const hexCount = e === 'x' ? 2 : !bytes && e === 'u' ? 4 : !bytes && e === 'U' ? 8 : 0;
    if (hexCount > 0) {
      const hex = body.slice(i + 2, i + 2 + hexCount);
      if (hex.length < hexCount || !/^[0-9a-fA-F]+$/.test(hex)) {
        let end = i + 2;
        while (end < i + 2 + hexCount && end < n && /[0-9a-fA-F]/.test(body[end]!)) end++;
        if (bytes) throw new EscapeError(`(value error) invalid \\x escape at position ${start}`, start);
        const what = e === 'x' ? '\\xXX' : e === 'u' ? '\\uXXXX' : '\\UXXXXXXXX';
        throw new EscapeError(
          `(unicode error) 'unicodeescape' codec can't decode bytes in position ${start}-${end - 1}: truncated ${what} escape`,
          start,
        );
      }
      const v = parseInt(hex, 16);
      if (v > 0x10ffff) {
        throw new EscapeError(
          `(unicode error) 'unicodeescape' codec can't decode bytes in position ${start}-${i + 1 + hexCount}: illegal Unicode character`,
          start,
        );
      }
      out += String.fromCodePoint(v);
      i += 2 + hexCount;
      continue;
    }
    if (!bytes && e === 'N') {
      const close = body.indexOf('}', i);
      const end = body[i + 2] === '{' && close > 0 ? close : i + 1;
      const name = body.slice(i + 3, end);
      const ch = NAMED_CHARACTERS[name.toUpperCase()];
      if (ch === undefined || body[i + 2] !== '{') {
        throw new EscapeError(
          `(unicode error) 'unicodeescape' codec can't decode bytes in position ${start}-${end}: ` +
            (body[i + 2] === '{' && close > 0 ? 'unknown Unicode character name' : 'malformed \\N character escape'),
          start,
        );
      }
      out += ch;
      i = end + 1;
      continue;
    }
    // Unknown escape: kept as written (CPython only warns).
    out += '\\' + e;
    i += 2;
  }
  return out;
}

// \N{...} needs the Unicode name table, which a browser-safe bundle cannot
// carry; these are the names that plausibly show up in snippets.
const NAMED_CHARACTERS: Record<string, string> = {
  'BULLET': '\u2022',
  'EM DASH': '\u2014',
  'EN DASH': '\u2013',
  'HORIZONTAL ELLIPSIS': '\u2026',
  'MULTIPLICATION SIGN': '\u00d7',
  'DEGREE SIGN': '\u00b0',
  'GREEK SMALL LETTER ALPHA': '\u03b1',
  'GREEK SMALL LETTER BETA': '\u03b2',
  'GREEK SMALL LETTER SIGMA': '\u03c3',
  'GREEK SMALL LETTER MU': '\u03bc',
  'INFINITY': '\u221e',
  'CHECK MARK': '\u2713',
  'BLACK SQUARE': '\u25a0',
  'WHITE SQUARE': '\u25a1',
  'FULL BLOCK': '\u2588',
  'LIGHT SHADE': '\u2591',
  'MEDIUM SHADE': '\u2592',
  'DARK SHADE': '\u2593',
  'SPACE': ' ',
  'NO-BREAK SPACE': '\u00a0',
  'LINE FEED': '\n',
  'CHARACTER TABULATION': '\t',
  'RIGHTWARDS ARROW': '\u2192',
  'LEFTWARDS ARROW': '\u2190',
};
